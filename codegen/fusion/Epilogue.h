//===- Epilogue.h - Elementwise ops that follow a kernel's result ---------===//
//
// The elementwise ops after a value that can join the kernel producing it:
// a chain (bias, activation, residual Add) or a small graph whose ops use
// the value more than once (SiLU, x * Sigmoid(x); GELU, x * (Erf(x / c) +
// 1) * 0.5), as long as one value leaves them.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_CODEGEN_FUSION_EPILOGUE_H
#define ONNXC_CODEGEN_FUSION_EPILOGUE_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace onnxc {

/// Whether `value` is computed inside the epilogue (the value it follows,
/// or the result of one of its ops).
using InsideFn = llvm::function_ref<bool(mlir::Value)>;

/// The ops that follow `value` in its block, in block order: grown from
/// the users of `value`, one op at a time (the first in block order whose
/// operands are ready: computed by `value` and the ops taken, or unable to
/// depend on them), while `accepts` takes each user of their values that
/// is ready (an elementwise op with one result, as the caller defines it;
/// `inside` tells which of its operands the epilogue computes). The
/// largest set out of which exactly one value leaves, the result of its
/// last op, is returned; none where there is no such set. At most `maxOps`
/// ops.
llvm::SmallVector<mlir::Operation *>
epilogueOps(mlir::Value value,
            llvm::function_ref<bool(mlir::Operation *, InsideFn)> accepts,
            size_t maxOps = 32);

} // namespace onnxc

#endif // ONNXC_CODEGEN_FUSION_EPILOGUE_H
