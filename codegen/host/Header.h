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
  // Dim 0 is the batch: `shape` is one item's (dim 0 is 1), and
  // `<name>_run_batch` takes any number of items.
  bool batched = false;
  // A tensor of a sequence input or output: the sequence's name and the
  // tensor's place in it (--shape; sequence outputs).
  std::string sequence;
  int64_t element = -1;
  // The graph output an output comes from (sequences make several).
  int64_t graphOutput = -1;
};

struct ModelSignature {
  std::vector<TensorSignature> inputs, outputs;
  // The batch dim's name when the model has a dynamic batch (onnx.batch);
  // hasBatch tells an unnamed one from none.
  bool hasBatch = false;
  std::string batch;
  // What the model says of itself (ModelProto producer_name, doc_string,
  // metadata_props).
  std::string producer, docString;
  std::vector<std::pair<std::string, std::string>> metadata;
  // Libraries the model links besides onnxc_runtime, in link order
  // ("onnxc_image" and the image codecs when it has an ImageDecoder).
  std::vector<std::string> libraries;
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
