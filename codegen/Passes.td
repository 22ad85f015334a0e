// Code generation passes: fusion into kernel groups, scheduling, and the
// lowering of the graph to host code in the LLVM dialect.
#ifndef ONNXC_CODEGEN_PASSES
#define ONNXC_CODEGEN_PASSES

include "mlir/Pass/PassBase.td"

def Conv1x1ToMatMul : Pass<"onnxc-conv1x1-to-matmul", "mlir::func::FuncOp"> {
  let summary = "Rewrite pointwise convolutions as matrix products";
  let description = [{
    A 2-D float32 Conv with a 1x1 window, unit strides and dilations, no
    padding, one group and constant weights computes, per image, W[M, C]
    times X[C, H*W]. It becomes Reshape (a view) to [N, C, H*W], a MatMul
    with the weights reshaped at compile time to [M, C] (plus the bias as
    [M, 1]), and a Reshape back: the product runs on the gemm schedule,
    vectorized along H*W rather than along a narrow W.
  }];
}

def FuseKernels : Pass<"onnxc-fuse-kernels", "mlir::func::FuncOp"> {
  let summary = "Partition onnx ops into kernel.group ops";
  let description = [{
    Each anchor op (Conv, MatMul, Gemm, MaxPool, GlobalAveragePool, Softmax)
    starts a group, and the chain of elementwise ops (Relu, Add, Mul) that
    consumes its result and nothing else is fused into it, so that e.g.
    Conv + bias Add + Relu is one kernel. Elementwise ops left over form
    groups of their own. Constants and the view ops (Identity, Flatten,
    Reshape) stay outside groups: they cost no kernel.
  }];
  let dependentDialects = ["onnxc::kernel::KernelDialect"];
}

def ScheduleKernels : Pass<"onnxc-schedule-kernels", "mlir::func::FuncOp"> {
  let summary = "Choose a schedule for every kernel group on the target";
  let description = [{
    Attaches a `schedule` dictionary to each kernel.group: the strategy for
    its anchor, the vector width, the parallel axis, the result tile and the
    unroll factor, all chosen from the target's vector width and cache sizes
    and the group's shapes. Code generation reads only this attribute, so
    every decision is visible in `--emit=kernels` and tested here.
  }];
  let options = [
    Option<"targetName", "target", "std::string", /*default=*/"\"host\"",
           "target to schedule for (host, x86-64-avx2, x86-64-avx512)">
  ];
}

def LowerToHost : Pass<"onnxc-lower-to-host", "mlir::ModuleOp"> {
  let summary = "Lower the scheduled graph to the host entry in LLVM dialect";
  let description = [{
    Replaces the graph function by `<name>_run(inputs, outputs, workspace)`
    in the LLVM dialect: weights become aligned constant globals, every
    intermediate tensor gets an offset in one workspace (liveness-based
    plan), view ops alias their input, and each kernel.group becomes a call
    of the Halide kernel `<name>_<group>` on halide_buffer_t descriptors.
    Also emits `<name>_workspace_size` and `<name>_set_num_threads`.
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"\"model\"",
           "prefix of every exported symbol">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif
