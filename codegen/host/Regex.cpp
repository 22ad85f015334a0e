// RE2 patterns as POSIX extended regular expressions (see Regex.h).
#include "codegen/host/Regex.h"

#include <cctype>
#include <cstring>

namespace onnxc {

namespace {

/// Characters with a meaning outside brackets in POSIX ERE.
bool isSpecial(char c) { return std::strchr(".[]()*+?{}|^$\\", c) != nullptr; }

/// A Perl class letter as the body of a bracket class ("" if not one).
std::string perlClass(char c) {
  switch (std::tolower(static_cast<unsigned char>(c))) {
  case 'w':
    return "[:alnum:]_";
  case 'd':
    return "[:digit:]";
  case 's':
    return "[:space:]";
  default:
    return "";
  }
}

/// A character escape other than a class: the literal it stands for.
std::optional<char> escapedLiteral(const std::string &p, size_t &i) {
  char c = p[i];
  switch (c) {
  case 'n':
    return '\n';
  case 't':
    return '\t';
  case 'r':
    return '\r';
  case 'f':
    return '\f';
  case 'v':
    return '\v';
  case 'x':
    if (i + 2 < p.size() &&
        std::isxdigit(static_cast<unsigned char>(p[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(p[i + 2]))) {
      char value =
          static_cast<char>(std::stoi(p.substr(i + 1, 2), nullptr, 16));
      i += 2;
      return value;
    }
    return std::nullopt;
  default:
    if (std::ispunct(static_cast<unsigned char>(c)))
      return c;
    return std::nullopt;
  }
}

} // namespace

std::optional<std::string> re2ToPosixFullMatch(const std::string &p,
                                               std::string &error) {
  std::string out = "^(";
  bool afterQuantifier = false;
  auto unsupported = [&](const std::string &what) {
    error = "the pattern uses " + what + ", which has no POSIX equivalent";
    return std::nullopt;
  };
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    bool quantifier = false;
    if (c == '\\') {
      if (++i == p.size()) {
        error = "the pattern ends with a backslash";
        return std::nullopt;
      }
      char e = p[i];
      std::string cls = perlClass(e);
      if (!cls.empty())
        out += std::string(std::isupper(static_cast<unsigned char>(e)) ? "[^"
                                                                       : "[") +
               cls + "]";
      else if (e == 'b' || e == 'B')
        out += std::string("\\") + e;
      else if (e == 'A')
        out += "^";
      else if (e == 'z')
        out += "$";
      else if (std::optional<char> literal = escapedLiteral(p, i))
        out += isSpecial(*literal) ? std::string("\\") + *literal
                                   : std::string(1, *literal);
      else
        return unsupported(std::string("\\") + e);
    } else if (c == '[') {
      // A bracket class: POSIX takes backslashes literally, wants ']' first
      // and '-' last.
      std::string body;
      bool negate = false, close = false, dash = false, caret = false;
      size_t j = i + 1;
      if (j < p.size() && p[j] == '^')
        negate = true, ++j;
      bool first = true;
      for (; j < p.size() && (first || p[j] != ']'); ++j, first = false) {
        char d = p[j];
        if (d == '[' && j + 1 < p.size() && p[j + 1] == ':') {
          size_t end = p.find(":]", j + 2);
          if (end == std::string::npos)
            break;
          body += p.substr(j, end + 2 - j);
          j = end + 1;
          continue;
        }
        if (d == ']') { // first: a literal ']'
          close = true;
          continue;
        }
        if (d != '\\') {
          body += d;
          continue;
        }
        if (++j == p.size())
          break;
        char e = p[j];
        std::string cls = perlClass(e);
        if (!cls.empty()) {
          if (std::isupper(static_cast<unsigned char>(e)))
            return unsupported(std::string("\\") + e + " inside brackets");
          body += cls;
        } else if (std::optional<char> literal = escapedLiteral(p, j)) {
          if (*literal == ']')
            close = true;
          else if (*literal == '-')
            dash = true;
          else if (*literal == '^')
            caret = true;
          else
            body += *literal;
        } else {
          return unsupported(std::string("\\") + e + " inside brackets");
        }
      }
      if (j >= p.size()) {
        error = "the pattern has an unclosed '['";
        return std::nullopt;
      }
      i = j;
      if (caret && body.empty() && !close && !dash && !negate) {
        out += "\\^";
      } else {
        out += negate ? "[^" : "[";
        out +=
            (close ? "]" : "") + body + (caret ? "^" : "") + (dash ? "-" : "");
        out += "]";
      }
    } else if (c == '(' && i + 1 < p.size() && p[i + 1] == '?') {
      // (?:...), (?P<name>...) and (?<name>...) group; flags do not map.
      if (i + 2 < p.size() && p[i + 2] == ':') {
        i += 2;
      } else if (p.compare(i + 2, 2, "P<") == 0 ||
                 (i + 2 < p.size() && p[i + 2] == '<')) {
        size_t end = p.find('>', i);
        if (end == std::string::npos) {
          error = "the pattern has an unterminated group name";
          return std::nullopt;
        }
        i = end;
      } else {
        return unsupported("flags (?...)");
      }
      out += "(";
    } else if (c == '?' && afterQuantifier) {
      continue; // lazy: the same full matches
    } else if (c == '*' || c == '+' || c == '?') {
      out += c;
      quantifier = true;
    } else if (c == '{') {
      size_t end = p.find('}', i);
      if (end == std::string::npos)
        return unsupported("an unterminated '{'");
      out += p.substr(i, end + 1 - i);
      i = end;
      quantifier = true;
    } else {
      out += c;
    }
    afterQuantifier = quantifier;
  }
  return out + ")$";
}

} // namespace onnxc
