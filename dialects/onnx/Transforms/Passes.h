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

/// Shape inference of one op: the values that stand for its results
/// afterwards (its own, the constant it folded to, or those an expanded
/// If, Loop or Scan computes).
using InferOpFn =
    llvm::function_ref<mlir::FailureOr<llvm::SmallVector<mlir::Value>>(
        mlir::Operation *)>;

/// Expands an If, Loop or Scan where it stands: its bodies are cloned
/// before it (each step of a loop unrolled), every clone inferred with
/// `infer` as it is made, and the op replaced and erased. Returns the
/// values that replace its results.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
expandControlFlow(mlir::Operation *op, InferOpFn infer);

/// The sequence ops expandControlFlow rewrites into the tensors a sequence
/// holds (SequenceConstruct, the list itself, stays until unused).
bool isSequenceOp(mlir::Operation *op);

} // namespace onnxc::onnx

#endif
