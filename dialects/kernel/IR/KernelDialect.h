// The `kernel` dialect: fused op groups and their schedules.
#ifndef ONNXC_DIALECTS_KERNEL_IR_KERNELDIALECT_H
#define ONNXC_DIALECTS_KERNEL_IR_KERNELDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/kernel/IR/KernelDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/kernel/IR/KernelOps.h.inc"

#include <vector>

namespace onnxc::kernel {

/// The matrices of Winograd's F(m x m, 3 x 3), m = 2 or 4, with a = m + 2
/// (interpolation points 0, +-1, +-2 and infinity): the conv of an a x a
/// tile d with a 3x3 kernel g is At [(G g Gt) * (Bt d B)] A, an m x m tile.
/// Row-major: bt is a x a, g is a x 3, at is m x a.
struct WinogradMatrices {
  int m = 0, a = 0;
  std::vector<double> bt, g, at;
};
/// Those of F(m x m, 3 x 3); m must be 2 or 4.
const WinogradMatrices &winogradMatrices(int m);

} // namespace onnxc::kernel

#endif
