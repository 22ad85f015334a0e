// libFuzzer harness: arbitrary bytes as a ModelProto through the importer.
// Any crash, sanitizer report, hang or unbounded allocation is a bug; a
// clean error message is the expected outcome for almost every input.
#include "compiler/importer/Importer.h"
#include "dialects/onnx/IR/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    r->insert<onnxc::onnx::OnnxDialect, mlir::func::FuncDialect>();
    return r;
  }();
  // A fresh context per input: uniqued attributes and resource blobs of
  // earlier inputs must not accumulate.
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  std::string error;
  auto module = onnxc::importModelBytes(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      /*isText=*/false, "fuzz-input", context, error);
  // Exactly one of a module or a message.
  if (!module == error.empty())
    __builtin_trap();
  return 0;
}
