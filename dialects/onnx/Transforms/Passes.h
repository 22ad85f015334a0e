// Passes over the onnx dialect.
#ifndef ONNXC_DIALECTS_ONNX_TRANSFORMS_PASSES_H
#define ONNXC_DIALECTS_ONNX_TRANSFORMS_PASSES_H

#include "dialects/onnx/IR/OnnxDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace onnxc::onnx {

#define GEN_PASS_DECL
#include "dialects/onnx/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/onnx/Transforms/Passes.h.inc"

} // namespace onnxc::onnx

#endif
