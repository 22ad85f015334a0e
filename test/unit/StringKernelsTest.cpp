// The runtime's string kernels, called as generated code calls them.
#include "onnxc/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

onnxc_string str(const char *s) {
  return {s, static_cast<int64_t>(std::char_traits<char>::length(s))};
}

std::string text(onnxc_string s) {
  return std::string(s.data, static_cast<size_t>(s.size));
}

struct Arena {
  void *arena = nullptr;
  ~Arena() { onnxc_rt_arena_release(&arena); }
};

std::vector<std::string> formatted(const std::vector<float> &values) {
  Arena a;
  std::vector<onnxc_string> out(values.size());
  EXPECT_EQ(onnxc_rt_number_to_string(&a.arena, values.data(), ONNXC_FLOAT32,
                                      values.size(), out.data()),
            ONNXC_OK);
  std::vector<std::string> result;
  for (onnxc_string s : out)
    result.push_back(text(s));
  return result;
}

TEST(StringKernels, FloatToStringAsNumpy) {
  // numpy: np.array(values, np.float32).astype(str)
  EXPECT_EQ(formatted({1.0f, 1e-5f, 1e16f, 123456789.0f, 1e-4f, -0.0f, 0.1f,
                       1.5e16f, 3e-7f, 1e15f, 0.9767611f, 0.039187793f}),
            (std::vector<std::string>{"1.0", "1e-05", "1e+16", "123456790.0",
                                      "1e-04", "-0.0", "0.1", "1.5e+16",
                                      "3e-07", "1000000000000000.0",
                                      "0.9767611", "0.039187793"}));
  EXPECT_EQ(formatted({std::numeric_limits<float>::quiet_NaN(),
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity()}),
            (std::vector<std::string>{"nan", "inf", "-inf"}));
}

TEST(StringKernels, StringToFloatAndErrors) {
  std::vector<onnxc_string> in{str("0.47892547"), str("NaN"), str("+INF"),
                               str("-INF")};
  float out[4];
  ASSERT_EQ(onnxc_rt_string_to_number("n", in.data(), 4, ONNXC_FLOAT32, out),
            ONNXC_OK);
  EXPECT_EQ(out[0], 0.47892547f);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], std::numeric_limits<float>::infinity());
  EXPECT_EQ(out[3], -std::numeric_limits<float>::infinity());
  // The whole element must be the number: an embedded NUL is not an end.
  onnxc_string nul = {"1.5\0x", 5};
  EXPECT_EQ(onnxc_rt_string_to_number("n", &nul, 1, ONNXC_FLOAT32, out),
            ONNXC_ERR_KERNEL);
  onnxc_string bad = str("1.5x");
  EXPECT_EQ(onnxc_rt_string_to_number("n", &bad, 1, ONNXC_FLOAT32, out),
            ONNXC_ERR_KERNEL);
  int64_t i;
  onnxc_string big = str("99999999999999999999");
  EXPECT_EQ(onnxc_rt_string_to_number("n", &big, 1, ONNXC_INT64, &i),
            ONNXC_ERR_KERNEL);
}

TEST(StringKernels, ConcatAndEqualBroadcast) {
  Arena a;
  std::vector<onnxc_string> x{str("cat"), str("dog")}, y{str("s")};
  int64_t shape[] = {2}, xs[] = {1}, ys[] = {0};
  onnxc_string out[2];
  ASSERT_EQ(onnxc_rt_string_concat(&a.arena, 1, shape, x.data(), xs, y.data(),
                                   ys, out),
            ONNXC_OK);
  EXPECT_EQ(text(out[0]), "cats");
  EXPECT_EQ(text(out[1]), "dogs");
  // [2, 1] == [3]: a [2, 3] result.
  std::vector<onnxc_string> p{str("a"), str("b")},
      q{str("b"), str("a"), str("")};
  int64_t shape2[] = {2, 3}, ps[] = {1, 0}, qs[] = {0, 1};
  uint8_t eq[6];
  ASSERT_EQ(onnxc_rt_string_equal(2, shape2, p.data(), ps, q.data(), qs, eq),
            ONNXC_OK);
  EXPECT_EQ(std::vector<uint8_t>(eq, eq + 6),
            (std::vector<uint8_t>{0, 1, 0, 1, 0, 0}));
}

TEST(StringKernels, SplitAsPython) {
  std::vector<onnxc_string> in{str("o-n-n--x-"), str("a")};
  onnxc_string out[12];
  int64_t lengths[2];
  ASSERT_EQ(
      onnxc_rt_string_split("n", in.data(), 2, "-", 1, -1, out, 6, lengths),
      ONNXC_OK);
  std::vector<std::string> got;
  for (onnxc_string s : out)
    got.push_back(text(s));
  EXPECT_EQ(got, (std::vector<std::string>{"o", "n", "n", "", "x", "", "a", "",
                                           "", "", "", ""}));
  EXPECT_EQ(lengths[0], 6);
  EXPECT_EQ(lengths[1], 1);
  // Whitespace runs, maxsplit 1: "  a b  c " -> ["a", "b  c "] (Python
  // keeps the remainder's trailing whitespace).
  onnxc_string ws = str("  a b  c ");
  onnxc_string parts[2];
  ASSERT_EQ(onnxc_rt_string_split("n", &ws, 1, "", 0, 1, parts, 2, lengths),
            ONNXC_OK);
  EXPECT_EQ(text(parts[0]), "a");
  EXPECT_EQ(text(parts[1]), "b  c ");
  // A declared width that is not the largest count is an error.
  EXPECT_EQ(
      onnxc_rt_string_split("n", in.data(), 2, "-", 1, -1, out, 5, lengths),
      ONNXC_ERR_KERNEL);
}

TEST(StringKernels, NormalizeStopwordsAndCase) {
  Arena a;
  std::vector<onnxc_string> in{str("Monday"), str("naïve Straße"),
                               str("MONDAY")};
  std::vector<onnxc_string> stop{str("monday")};
  onnxc_string out[2];
  ASSERT_EQ(onnxc_rt_string_normalize(&a.arena, "n", in.data(), 3, 2, 0,
                                      stop.data(), 1, out, 1),
            ONNXC_OK);
  // Unicode's simple case mapping (as towupper): ß has no one-letter upper
  // case and stays; accents stay.
  EXPECT_EQ(text(out[0]), "NAÏVE STRAßE");
  ASSERT_EQ(onnxc_rt_string_normalize(&a.arena, "n", in.data() + 1, 1, 1, 1,
                                      nullptr, 0, out, 1),
            ONNXC_OK);
  EXPECT_EQ(text(out[0]), "naïve straße");
  // Case-sensitive: both Mondays stay, so 3 remain and 2 is wrong.
  EXPECT_EQ(onnxc_rt_string_normalize(&a.arena, "n", in.data(), 3, 0, 1,
                                      stop.data(), 1, out, 2),
            ONNXC_ERR_KERNEL);
  // All removed: [""].
  std::vector<onnxc_string> mondays{str("monday"), str("monday")};
  ASSERT_EQ(onnxc_rt_string_normalize(&a.arena, "n", mondays.data(), 2, 0, 1,
                                      stop.data(), 1, out, 1),
            ONNXC_OK);
  EXPECT_EQ(text(out[0]), "");
}

TEST(StringKernels, RegexFullMatchUsesTheWholeElement) {
  std::vector<onnxc_string> in{
      str("www.google.com"), str("www.bbc.co.uk"), {"www.a.comX", 9}};
  uint8_t out[3];
  ASSERT_EQ(onnxc_rt_regex_full_match("n", "^(www\\.[[:alnum:]_.-]+\\.com)$",
                                      in.data(), 3, out),
            ONNXC_OK);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 1); // only the element's 9 bytes are read
  EXPECT_EQ(onnxc_rt_regex_full_match("n", "(", in.data(), 3, out),
            ONNXC_ERR_KERNEL);
}

TEST(StringKernels, ExportCopiesAndFreeEmpties) {
  Arena a;
  char scratch[] = "abc";
  onnxc_string s[2] = {{scratch, 3}, str("")};
  ASSERT_EQ(onnxc_rt_strings_export(s, 2), ONNXC_OK);
  scratch[0] = 'x';
  EXPECT_EQ(text(s[0]), "abc");
  EXPECT_NE(s[0].data, scratch);
  onnxc_free_strings(s, 2);
  EXPECT_EQ(s[0].data, nullptr);
  EXPECT_EQ(s[1].size, 0);
}

} // namespace
