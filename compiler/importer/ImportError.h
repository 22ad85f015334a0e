// The importer reports a problem by throwing ImportError, caught once at its
// boundary: one message, no partial module.
#ifndef ONNXC_COMPILER_IMPORTER_IMPORTERROR_H
#define ONNXC_COMPILER_IMPORTER_IMPORTERROR_H

#include <string>

namespace onnxc::importer {

struct ImportError {
  std::string message;
};

[[noreturn]] inline void fail(std::string message) {
  throw ImportError{std::move(message)};
}

} // namespace onnxc::importer

#endif
