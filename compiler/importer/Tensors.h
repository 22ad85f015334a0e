// ONNX tensors (initializers, Constant values, tensor attributes) to MLIR
// elements attributes: every element type, raw and typed fields, sparse
// tensors and external data, independent of the host's byte order.
#ifndef ONNXC_COMPILER_IMPORTER_TENSORS_H
#define ONNXC_COMPILER_IMPORTER_TENSORS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Types.h"

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

namespace onnxc::importer {

/// The MLIR element type of an ONNX TensorProto.DataType code; throws
/// ImportError naming `what` for codes it does not know.
mlir::Type elementType(mlir::MLIRContext *ctx, int32_t dtype,
                       const std::string &what);

/// Where external data may be read from: the model's folder, or nowhere
/// when the model did not come from a file.
struct TensorContext {
  mlir::MLIRContext *ctx;
  std::optional<std::string> modelDir;
};

/// Converts `t`, which is mutable so that raw data moves into the attribute
/// instead of being copied. Throws ImportError naming `what`.
mlir::ElementsAttr importTensor(const TensorContext &tc, ::onnx::TensorProto &t,
                                const std::string &what);

/// A sparse tensor, densified.
mlir::ElementsAttr importSparseTensor(const TensorContext &tc,
                                      ::onnx::SparseTensorProto &t,
                                      const std::string &what);

} // namespace onnxc::importer

#endif
