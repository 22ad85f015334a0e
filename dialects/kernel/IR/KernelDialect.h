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

#endif
