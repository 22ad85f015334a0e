// Loading tensor data kept outside the model file, confined to the model's
// folder: absolute paths, `..`, symlinks and hard links that could reach
// other files are refused.
#ifndef ONNXC_COMPILER_IMPORTER_EXTERNALDATA_H
#define ONNXC_COMPILER_IMPORTER_EXTERNALDATA_H

#include "mlir/IR/AsmState.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace onnxc::importer {

/// Maps the `bytes` bytes that `t.external_data` points at (location,
/// offset, length) read-only into memory. Throws ImportError naming `what`.
mlir::AsmResourceBlob loadExternalData(const ::onnx::TensorProto &t,
                                       size_t bytes, size_t alignment,
                                       const std::string &modelDir,
                                       const std::string &what);

} // namespace onnxc::importer

#endif
