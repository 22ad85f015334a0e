// Halide code generation: each scheduled kernel.group becomes one Halide
// pipeline, compiled to LLVM bitcode without a runtime; the runtime is
// compiled once per object file.
#ifndef ONNXC_CODEGEN_HALIDE_HALIDEKERNELS_H
#define ONNXC_CODEGEN_HALIDE_HALIDEKERNELS_H

#include "targets/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <optional>
#include <string>
#include <vector>

namespace onnxc {

struct KernelBitcode {
  std::string symbol;  // the function the host code calls
  std::string bitcode; // LLVM bitcode as written by Halide's LLVM
};

/// The exported symbol of a group: `<model>_<group name>`.
std::string kernelSymbol(llvm::StringRef modelName, llvm::StringRef groupName);

/// Groups computed by the runtime library (onnxc/kernels.h) rather
/// than by Halide: those of an op that runsInRuntime.
bool isRuntimeGroup(mlir::Operation *group);

/// The input of `group` whose storage its result may share: one the group
/// reads only where it writes (through elementwise ops of the result's
/// shape, as a residual Add), whose own storage no other input of the
/// group shares, that is a kernel's result no later op reads and that is
/// not returned, where the group's result is not returned either. Its
/// kernel writes each point after reading it there; where its schedule
/// also stores each point once (no tile shifted inwards over points
/// already stored), compileKernels marks the group with
/// kInPlaceInputAttr, and onnxc-lower-to-host places its result over
/// that input.
std::optional<unsigned> inPlaceInput(mlir::Operation *group);
/// The group attribute (an index into its inputs) naming that input.
inline constexpr llvm::StringLiteral kInPlaceInputAttr = "in_place_input";
/// Compiles every kernel.group of `module` (already scheduled). Errors are
/// emitted on the offending group.
mlir::LogicalResult compileKernels(mlir::ModuleOp module,
                                   llvm::StringRef modelName,
                                   const TargetInfo &target,
                                   std::vector<KernelBitcode> &out);

/// Computes `op`, whose operands are all onnx.Constant (or onnx.NoValue),
/// at compile time by JIT-compiling its Halide lowering on the host: the
/// same code as a kernel, so folded values match what the model would
/// compute. Fails (without a diagnostic) for ops it does not evaluate or
/// results over `maxElements`.
mlir::FailureOr<mlir::ElementsAttr> evaluateConstantOp(mlir::Operation *op,
                                                       int64_t maxElements);

/// The Halide runtime (thread pool, allocator, error reporting) as bitcode.
/// Returns an empty string and sets `error` on failure.
std::string compileHalideRuntime(const TargetInfo &target, std::string &error);

} // namespace onnxc

#endif
