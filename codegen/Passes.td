// Code generation passes: fusion into kernel groups, scheduling, and the
// lowering of the graph to host code in the LLVM dialect.
#ifndef ONNXC_CODEGEN_PASSES
#define ONNXC_CODEGEN_PASSES

include "mlir/Pass/PassBase.td"

def FoldPads : Pass<"onnxc-fold-pads", "mlir::func::FuncOp"> {
  let summary = "Fold zero Pads over spatial axes into the Convs they feed";
  let description = [{
    A constant-mode Pad by zero (the default value, a zero `value`
    attribute or a constant zero `constant_value`) that pads only the
    spatial axes of a Conv's input, by non-negative amounts, adds its pads
    to the Conv's own: the conv reads the unpadded input and no padded copy
    is written. The Pad goes once no other op reads it.
  }];
}

def Winograd : Pass<"onnxc-winograd", "mlir::func::FuncOp"> {
  let summary = "Compute 3x3 stride-1 convs with Winograd's minimal filtering";
  let description = [{
    A 2-D float32 Conv with a 3x3 window, unit strides and dilations, one
    group, one item, constant weights (and bias) and at least 16 input and
    16 output channels becomes Winograd's F(m x m, 3 x 3), m = 4 or 2,
    where that takes fewer multiplies than the direct conv's 9 per output:
    the m with the fewest, (m + 2)^2 per tile over the output rounded up to
    whole m x m tiles, among those with at least 16 tiles (48 when the
    transformed weights outgrow 1 MiB: streamed from memory on every run,
    each must then serve enough tiles).
    - `kernel.winograd_input` turns each (m+2) x (m+2) input tile d into
      Bt d B: [(m+2)^2, C, TH, TW];
    - one MatMul per transformed position multiplies the weights
      transformed at compile time (G g Gt as [(m+2)^2, K, C]) by those
      tiles viewed as [(m+2)^2, C, TH*TW];
    - `kernel.winograd_output` turns each product tile Y back into the
      m x m outputs At Y A: [1, K, TH*m, TW*m], a Slice keeping [1, K, Ho,
      Wo] where the tiles reach past the output (they read zeros past the
      input); the bias is an Add after it, so it and the ops after the
      conv fuse into that kernel.
    The product does (m+2)^2 / (9 m^2) of the direct conv's multiplies
    (0.44 for m = 2, 0.25 for m = 4).
  }];
  let dependentDialects = ["onnxc::kernel::KernelDialect"];
}

def MatMulForms : Pass<"onnxc-matmul-forms", "mlir::func::FuncOp"> {
  let summary = "Write convolutions and stacked matmuls as plain matrix "
                "products";
  let description = [{
    Runs before fusion, after every graph-level check. 2-D float32 Convs
    with one group and constant weights, where a direct conv kernel
    (vectorized along the output width) does poorly, become a MatMul of
    the weights reshaped at compile time to [M, C*KH*KW] (plus the bias as
    [M, 1]) and the input's columns, viewed back as [N, M, H, W]:
    - pointwise convs (1x1 window, unit strides, no padding): the columns
      are the input viewed as [N, C, H*W];
    - convs whose output is narrower than 8, and, over at least 16 input
      channels, strided convs and convs narrower than 16: the columns are
      an im2col copy, `kernel.im2col` (the input element each output
      position reads at each window tap, [N, C, KH*KW, Ho, Wo], one
      kernel) viewed as [N, C*KH*KW, Ho*Wo] (at most 2^23 elements); a
      strided 1x1 conv without padding reads one strided Slice.
    The elementwise ops after the conv (bias, activation, residual Add; a
    chain, or a small graph such as SiLU's x * Sigmoid(x) out of which one
    value leaves) move onto the product, their other operands viewed on
    [N, M, Ho*Wo], so that they fuse into the product's kernel.
    A float32 MatMul of A [..., M, K] (rank > 2) by a 2-D B multiplies A
    viewed as [rows, K], so that row tiles span the whole stack; the
    elementwise ops after it whose other operands have rank <= 1 (a bias,
    scalars; GELU's ops too) move onto the 2-D product, and one Reshape (a
    view) restores the shape. A float32 Gemm with transB and constant B
    gets B transposed at compile time (its vectors along N then load
    contiguous weights).
  }];
  let dependentDialects = ["onnxc::kernel::KernelDialect"];
}

def FuseKernels : Pass<"onnxc-fuse-kernels", "mlir::func::FuncOp"> {
  let summary = "Partition onnx ops into kernel.group ops";
  let description = [{
    Each anchor op (Conv, MatMul, Gemm, MaxPool, GlobalAveragePool, Softmax)
    starts a group, and the elementwise ops (Relu, Add, Mul, ...) that
    consume its result are fused into it, so that e.g. Conv + bias Add +
    Relu is one kernel: a chain, or a small graph whose ops read a value
    more than once (SiLU, x * Sigmoid(x); GELU), as long as exactly one
    value leaves the group and every op has the anchor's result shape.
    Elementwise ops left over form groups of their own. Constants and the view ops (Identity, Flatten,
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

def FuseDepthwise : Pass<"onnxc-fuse-depthwise", "mlir::func::FuncOp"> {
  let summary = "Compute depthwise convs in blocks of rows inside the "
                "pointwise product that reads them";
  let description = [{
    A scheduled group anchored at a float32 depthwise Conv (3x3 taps or
    fewer, unit strides, with its elementwise epilogue) whose result only
    a Reshape [N, C, H, W] -> [N, C, H * W] reads, as B of a MatMul group
    scheduled `gemm` (weights [M, C] times that view: a pointwise conv),
    joins the product's group when its rows are three or more whole
    vectors of at least half the target's (depthwiseRowLanes). The merged
    group keeps the product's name and schedule and adds `depthwise_rows`
    (depthwiseBlockRows): the product's columns run in blocks of that many
    rows of the map, and each block's depthwise result, every channel, is
    computed just before the product's tiles read it, so that the whole
    result is never stored (MobileNetV2's first is 1.6 MB) and read back.
  }];
}

def PackWeights : Pass<"onnxc-pack-weights", "mlir::func::FuncOp"> {
  let summary = "Lay out the constant weights of products for their schedule";
  let description = [{
    A group scheduled `gemm_packed` (tile = rows r, ...) multiplies constant
    weights [B..., M, K] by activations. Its weights are rewritten at compile
    time as [B..., M / r, K, r]: the r rows of a register tile adjacent at
    each step of the reduction, and the tiles one after another, so that
    the kernel reads a vector of r rows per step and the whole matrix in one
    sequential pass. The group takes the packed constant and reads it
    through `kernel.packed_rows`. The constant weights B [B..., K, N] of a
    MatMul or Gemm (without transB) under gemm or gemm_panel become
    [B..., ceil(N / c), K, c] for its c columns per panel (the last panel
    padded with zeros; not when one panel holds all of N), read through
    `kernel.packed_cols`: each panel is then one sequential stream.
    Weights shared by several groups are packed once per layout; the
    original constant goes when nothing else reads it.
  }];
  let dependentDialects = ["onnxc::kernel::KernelDialect"];
}

def LowerToHost : Pass<"onnxc-lower-to-host", "mlir::ModuleOp"> {
  let summary = "Lower the scheduled graph to the host entry in LLVM dialect";
  let description = [{
    Replaces the graph function by `<name>_run(inputs, outputs, workspace)`
    in the LLVM dialect: weights become aligned constant globals, every
    intermediate tensor gets an offset in one workspace (liveness-based
    plan; a group marked `in_place_input` writes over that input), view
    ops alias their input, and each kernel.group becomes a call
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
