// The last stage: translate the host module to LLVM IR, link the kernels and
// one Halide runtime into it, and emit one relocatable object file.
#ifndef ONNXC_CODEGEN_HOST_EMITOBJECT_H
#define ONNXC_CODEGEN_HOST_EMITOBJECT_H

#include "codegen/halide/HalideKernels.h"
#include "targets/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace onnxc {

/// Translates `host` (LLVM dialect only) and links `kernels` and `runtime`
/// (bitcode) into one module for `target`. Returns null and sets `error`.
std::unique_ptr<llvm::Module>
linkModel(mlir::ModuleOp host, const std::vector<KernelBitcode> &kernels,
          const std::string &runtime, const TargetInfo &target,
          llvm::LLVMContext &context, std::string &error);

/// Emits `module` as an ELF relocatable object (PIC, so it links into PIE
/// executables and shared libraries alike), or assembly when `assembly`.
bool emitObjectFile(llvm::Module &module, const TargetInfo &target,
                    llvm::raw_pwrite_stream &os, bool assembly,
                    std::string &error);

} // namespace onnxc

#endif
