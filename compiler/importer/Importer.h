// The ONNX importer: a ModelProto (binary .onnx or textual .onnxtext)
// becomes a module holding one func.func of onnx dialect ops.
#ifndef ONNXC_COMPILER_IMPORTER_IMPORTER_H
#define ONNXC_COMPILER_IMPORTER_IMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace onnxc {

/// Reads and imports the model at `path`. On failure returns null and sets
/// `error` to one line that names the file and, where it applies, the node
/// and op (every unsupported op of the model is listed at once).
mlir::OwningOpRef<mlir::ModuleOp> importModelFile(const std::string &path,
                                                  mlir::MLIRContext &context,
                                                  std::string &error);

/// The same, from bytes already in memory; `source` names them in errors.
/// Text is taken as .onnxtext when `isText`.
mlir::OwningOpRef<mlir::ModuleOp>
importModelBytes(llvm::StringRef bytes, bool isText, const std::string &source,
                 mlir::MLIRContext &context, std::string &error);

/// Specializes the imported model for known input values: each binding
/// "name=file.pb" (a serialized TensorProto) replaces graph input `name` by
/// a constant, so that inputs deciding shapes (axes, a target shape, ...)
/// become compile-time constants. The input leaves the model's signature.
/// Returns false and sets `error` (one line) when a binding names no input
/// or its tensor does not fit the input's type.
bool bindInputs(mlir::ModuleOp module, const std::vector<std::string> &bindings,
                std::string &error);

/// Specializes the imported model for known input shapes: each spec
/// "name=[d0,d1,...]" fixes the dynamic dims of input `name` (or of the
/// tensor an optional input holds); "name={[...],[...]}" makes sequence
/// input `name` that many tensors of those shapes, each an input of its own
/// called "name[i]" in the sequence's place; "name=none" leaves an optional
/// input out. Returns false and sets `error` (one line) when a spec names no
/// input or does not fit its type.
bool shapeInputs(mlir::ModuleOp module, const std::vector<std::string> &shapes,
                 std::string &error);

} // namespace onnxc

#endif
