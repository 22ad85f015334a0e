// The `kernel` dialect: fused groups of onnx ops, each compiled to one
// Halide pipeline, and the schedule chosen for it.
#ifndef ONNXC_KERNEL_OPS
#define ONNXC_KERNEL_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kernel_Dialect : Dialect {
  let name = "kernel";
  let cppNamespace = "::onnxc::kernel";
  let summary = "fused kernel groups and their schedules";
  let description = [{
    A `kernel.group` holds the onnx ops that become one generated kernel: an
    anchor op (conv, matmul, pooling, reduction) and the elementwise ops
    fused into it. Fusion creates the groups; scheduling attaches the
    `schedule` dictionary; code generation turns each group into one Halide
    pipeline and the host code calls it.
  }];
}

class Kernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kernel_Dialect, mnemonic, traits>;

def Kernel_GroupOp : Kernel_Op<"group", [IsolatedFromAbove, Pure]> {
  let summary = "a group of onnx ops compiled into one kernel";
  let description = [{
    The body takes the group's inputs as block arguments and yields its
    result. `anchor` names the op the schedule is built around. `schedule`,
    once set, records the decisions for the target: `strategy`,
    `vector_width` (elements), `parallel_axis` (ONNX axis of the result run
    across threads, -1 for none), `tile` (result tile, innermost last) and
    `unroll`.

    ```mlir
    %y = kernel.group "k0" anchor "Conv" (%x, %w, %b) {schedule = {...}}
        : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>)
        -> tensor<1x8x28x28xf32> {
    ^bb0(%a: tensor<1x1x28x28xf32>, %b: tensor<8x1x3x3xf32>, %c: tensor<8xf32>):
      %0 = onnx.Conv(%a, %b, %c) {...} : ...
      %1 = onnx.Relu(%0) : ...
      kernel.yield %1 : tensor<1x8x28x28xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$sym_name, StrAttr:$anchor,
                   Variadic<AnyTensor>:$inputs,
                   OptionalAttr<DictionaryAttr>:$schedule);
  let results = (outs AnyTensor:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `anchor` $anchor `(` $inputs `)` attr-dict `:`
    functional-type($inputs, results) $body
  }];
  let hasVerifier = 1;
}

def Kernel_YieldOp : Kernel_Op<"yield",
    [Pure, Terminator, ReturnLike, HasParent<"GroupOp">]> {
  let summary = "the value a kernel group produces";
  let arguments = (ins AnyTensor:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Kernel_WinogradInputOp : Kernel_Op<"winograd_input", [Pure]> {
  let summary = "the input transform of a Winograd F(m x m, 3 x 3) conv";
  let description = [{
    A 3x3 stride-1 conv over `input` [1, C, H, W] written as products of
    transformed tiles (Lavin and Gray, "Fast Algorithms for Convolutional
    Neural Networks"). The output [1, K, Ho, Wo] (`output_size` = Ho, Wo,
    both multiples of `tile` = m) is cut into TH x TW tiles of m x m; tile
    (th, tw) reads the a x a window (a = m + 2) of the input at rows
    m*th - pads[0] .., columns m*tw - pads[1] .., zero outside the input.
    The result [a*a, C, TH, TW] holds Bt d B for each window d:
    result[xi*a + nu, c, th, tw] = sum over i, j of
    Bt[xi, i] Bt[nu, j] d[i, j]. m is 2 or 4.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$tile,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$output_size);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kernel_WinogradOutputOp : Kernel_Op<"winograd_output", [Pure]> {
  let summary = "the output transform of a Winograd F(m x m, 3 x 3) conv";
  let description = [{
    The counterpart of `kernel.winograd_input`: `input` [a*a, K, TH, TW] holds
    the elementwise products of the transformed tiles and weights (summed
    over input channels); the result [1, K, H, W] holds At Y A for each
    tile: result[0, k, m*th + y, m*tw + x] = sum over xi, nu of
    At[y, xi] At[x, nu] input[xi*a + nu, k, th, tw]. H and W are at most
    TH*m and TW*m, and more than (TH-1)*m and (TW-1)*m: the last tiles'
    rows and columns past the result are dropped.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$tile);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kernel_Im2colOp : Kernel_Op<"im2col", [Pure]> {
  let summary = "the windows of a 2-D conv's input, one row per tap";
  let description = [{
    The im2col copy of `input` [N, C, H, W] for a conv with windows of
    `kernel_shape` (KH, KW), `strides`, `dilations` and begin `pads` (top,
    left); the result [N, C, KH*KW, Ho, Wo] (Ho, Wo: the conv's output
    size) holds, for each tap (kh, kw), the input element each output
    position reads there: result[n, c, kh*KW + kw, y, x] =
    input[n, c, y*sh + kh*dh - pads[0], x*sw + kw*dw - pads[1]], zero
    outside the input. Viewed as [N, C*KH*KW, Ho*Wo], it is the right-hand
    side of the conv written as a product with the weights [M, C*KH*KW].
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kernel_PackedRowsOp : Kernel_Op<"packed_rows", [Pure]> {
  let summary = "a matrix (or stack of them) read from row-packed storage";
  let description = [{
    `input` [B..., M / r, K, r] holds the matrix [B..., M, K] in blocks of
    r rows, each block's K columns one after another with the block's r
    rows of a column together: result[b..., m, k] =
    input[b..., m / r, k, m % r]. onnxc-pack-weights packs a product's
    constant weights so that the rows a register tile of the product
    reads at each step of the reduction are adjacent, and the whole weight
    matrix is read in one sequential pass.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kernel_PackedColsOp : Kernel_Op<"packed_cols", [Pure]> {
  let summary = "a matrix (or stack of them) read from column-packed storage";
  let description = [{
    `input` [B..., ceil(N / c), K, c] holds the matrix [B..., K, N] in
    panels of c columns, each panel's K rows one after another (the last
    panel's columns past N unused): result[b..., k, n] =
    input[b..., n / c, k, n % c]. onnxc-pack-weights packs a product's
    constant right-hand weights so that each column panel the schedule
    computes is read as one sequential stream.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

#endif
