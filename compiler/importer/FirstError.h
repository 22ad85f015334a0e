// Keeps the first error a stage reports through MLIR's diagnostics, so that
// onnxc prints one line naming the node (its NameLoc) and the message.
#ifndef ONNXC_COMPILER_IMPORTER_FIRSTERROR_H
#define ONNXC_COMPILER_IMPORTER_FIRSTERROR_H

#include "mlir/IR/Diagnostics.h"

#include <string>

namespace onnxc {

class FirstError {
public:
  explicit FirstError(mlir::MLIRContext *context)
      : handler(context, [this](mlir::Diagnostic &d) {
          if (d.getSeverity() == mlir::DiagnosticSeverity::Error &&
              message.empty()) {
            message = d.str();
            mlir::Location loc = d.getLocation();
            if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(loc))
              loc = fused.getLocations().front();
            if (auto named = llvm::dyn_cast<mlir::NameLoc>(loc))
              node = named.getName().str();
          }
          return mlir::success();
        }) {}

  /// "node 'n': message", "message", or `fallback` when nothing was said.
  std::string line(const std::string &fallback) const {
    if (message.empty())
      return fallback;
    return node.empty() ? message : "node '" + node + "': " + message;
  }
  void clear() {
    message.clear();
    node.clear();
  }

  std::string message; // the first error's text
  std::string node;    // the node it names, if any

private:
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace onnxc

#endif
