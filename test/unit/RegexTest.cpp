// RE2 patterns as POSIX extended expressions, checked by matching them with
// regcomp as the runtime does.
#include "codegen/host/Regex.h"

#include <gtest/gtest.h>

#include <regex.h>

namespace {

bool fullMatch(const std::string &re2, const std::string &text) {
  std::string error;
  std::optional<std::string> posix = onnxc::re2ToPosixFullMatch(re2, error);
  EXPECT_TRUE(posix.has_value()) << error;
  if (!posix)
    return false;
  regex_t regex;
  EXPECT_EQ(regcomp(&regex, posix->c_str(), REG_EXTENDED | REG_NOSUB), 0)
      << *posix;
  bool matched = regexec(&regex, text.c_str(), 0, nullptr, 0) == 0;
  regfree(&regex);
  return matched;
}

std::string translate(const std::string &re2) {
  std::string error;
  return onnxc::re2ToPosixFullMatch(re2, error).value_or("error: " + error);
}

TEST(Regex, Translation) {
  EXPECT_EQ(translate(R"(www\.[\w.-]+\.\bcom\b)"),
            R"(^(www\.[[:alnum:]_.-]+\.\bcom\b)$)");
  EXPECT_EQ(translate(R"([\w.\-]{0,25}\W)"),
            R"(^([[:alnum:]_.-]{0,25}[^[:alnum:]_])$)");
  EXPECT_EQ(translate(R"((?:a|b)+?(?P<x>\d)\])"),
            R"(^((a|b)+([[:digit:]])\])$)");
  EXPECT_EQ(translate(R"([\]a\^\\])"), R"(^([]a\^])$)");
}

TEST(Regex, FullMatchesAsRe2) {
  const char *web = R"(www\.[\w.-]+\.\bcom\b)";
  EXPECT_TRUE(fullMatch(web, "www.google.com"));
  EXPECT_TRUE(fullMatch(web, "www.facebook.com"));
  EXPECT_FALSE(fullMatch(web, "www.bbc.co.uk"));
  EXPECT_FALSE(fullMatch(web, "xwww.google.com"));
  const char *mail = R"((\W|^)[\w.\-]{0,25}@(yahoo|gmail)\.com(\W|$))";
  EXPECT_TRUE(fullMatch(mail, "account@gmail.com"));
  EXPECT_FALSE(fullMatch(mail, "account@hotmail.com"));
  EXPECT_FALSE(fullMatch(mail, "not email"));
  EXPECT_TRUE(fullMatch(mail, "account2@yahoo.com"));
  // Full match, not search: a prefix is not enough.
  EXPECT_FALSE(fullMatch("ab", "abc"));
  EXPECT_TRUE(fullMatch("a|ab", "ab"));
  EXPECT_TRUE(fullMatch(R"(\d+\s\S*?)", "42 x"));
}

TEST(Regex, RefusesWhatPosixLacks) {
  for (const char *p :
       {"(?i)abc", R"(\pL)", R"(\Qa.b\E)", R"([\W])", "[ab", "ab\\"}) {
    std::string error;
    EXPECT_FALSE(onnxc::re2ToPosixFullMatch(p, error).has_value()) << p;
    EXPECT_FALSE(error.empty()) << p;
  }
}

} // namespace
