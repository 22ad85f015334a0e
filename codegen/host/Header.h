// The generated C header: the model's inputs and outputs and its C API.
#ifndef ONNXC_CODEGEN_HOST_HEADER_H
#define ONNXC_CODEGEN_HOST_HEADER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace onnxc {

struct TensorSignature {
  std::string name;
  int32_t dtype = 1; // onnxc_dtype (ONNX TensorProto.DataType)
  std::vector<int64_t> shape;
  bool hasDefault = false; // an input the caller may pass as NULL
  bool isOptional = false; // an optional input: NULL when absent
};

struct ModelSignature {
  std::vector<TensorSignature> inputs, outputs;
  // What the model says of itself (ModelProto producer_name, doc_string,
  // metadata_props).
  std::string producer, docString;
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// Reads names (`onnx.name` argument/result attributes), element types and
/// shapes off the graph function, and the model's description off its
/// module.
ModelSignature getSignature(mlir::func::FuncOp graph);

/// The C header for a model compiled from `source` with symbol prefix
/// `name`.
std::string generateHeader(const ModelSignature &signature,
                           llvm::StringRef name, llvm::StringRef source);

} // namespace onnxc

#endif
