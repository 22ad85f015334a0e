// Code generation passes and the entry points of the Halide and host stages.
#ifndef ONNXC_CODEGEN_PASSES_H
#define ONNXC_CODEGEN_PASSES_H

#include "dialects/kernel/IR/KernelDialect.h"
#include "dialects/onnx/IR/OnnxDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/Pass.h"

namespace onnxc {

#define GEN_PASS_DECL
#include "codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/Passes.h.inc"

} // namespace onnxc

#endif
