// RegexFullMatch patterns: ONNX gives them in RE2 syntax; the runtime
// matches with POSIX extended regular expressions (regcomp).
#ifndef ONNXC_CODEGEN_HOST_REGEX_H
#define ONNXC_CODEGEN_HOST_REGEX_H

#include <optional>
#include <string>

namespace onnxc {

/// `pattern` (RE2) as a POSIX extended expression that matches a whole
/// string exactly when RE2 would fully match it: anchored at both ends,
/// Perl classes (\w \d \s and their negations) spelled as bracket classes,
/// non-capturing and named groups as plain groups, lazy quantifiers as
/// greedy ones (whether a full match exists does not depend on it). \b and
/// \B are kept (a GNU extension of glibc's regcomp). Constructs without a
/// POSIX equivalent (flags, \p classes, \Q...\E) set `error` and return
/// std::nullopt.
std::optional<std::string> re2ToPosixFullMatch(const std::string &pattern,
                                               std::string &error);

} // namespace onnxc

#endif
