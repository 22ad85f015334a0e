// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-matmul-forms))' -split-input-file %s | FileCheck %s
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-matmul-forms,onnxc-fuse-kernels,onnxc-schedule-kernels{target=x86-64-avx512}))' -split-input-file %s | FileCheck %s --check-prefix=GROUPS

// A pointwise conv: X viewed as [N, C, H*W], the weights reshaped at
// compile time to [M, C] and the bias to [M, 1], the product viewed back
// as [N, M, H, W]. The chain after it moves onto the product, its
// operands viewed on [N, M, H*W] (the residual map, a per-channel scale,
// the scalar bounds of Clip), so that it fuses into the MatMul's kernel;
// an operand broadcast along H alone stops the chain.
// CHECK-LABEL: func.func @pointwise
// CHECK-DAG: %[[FLAT_SHAPE:.+]] = onnx.Constant {value = dense<[2, 3, 20]> : tensor<3xi64>}
// CHECK-DAG: %[[X:.+]] = onnx.Reshape(%arg0, %[[FLAT_SHAPE]]) : (tensor<2x3x4x5xf32>, tensor<3xi64>) -> tensor<2x3x20xf32>
// CHECK-DAG: %[[W:.+]] = onnx.Constant {value = dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>}
// CHECK: %[[P:.+]] = onnx.MatMul(%[[W]], %[[X]]) : (tensor<2x3xf32>, tensor<2x3x20xf32>) -> tensor<2x2x20xf32>
// CHECK: %[[B:.+]] = onnx.Constant {value = dense<{{\[\[}}5.000000e-01], [-5.000000e-01]]> : tensor<2x1xf32>}
// CHECK: %[[S:.+]] = onnx.Add(%[[P]], %[[B]]) : (tensor<2x2x20xf32>, tensor<2x1xf32>) -> tensor<2x2x20xf32>
// CHECK: %[[SKIP:.+]] = onnx.Reshape(%arg1, %{{.+}}) : (tensor<2x2x4x5xf32>, tensor<3xi64>) -> tensor<2x2x20xf32>
// CHECK: %[[RES:.+]] = onnx.Add(%[[S]], %[[SKIP]]) : (tensor<2x2x20xf32>, tensor<2x2x20xf32>) -> tensor<2x2x20xf32>
// CHECK: %[[SCALE:.+]] = onnx.Reshape(%arg2, %{{.+}}) : (tensor<2x1x1xf32>, tensor<3xi64>) -> tensor<1x2x1xf32>
// CHECK: %[[MUL:.+]] = onnx.Mul(%[[RES]], %[[SCALE]]) : (tensor<2x2x20xf32>, tensor<1x2x1xf32>) -> tensor<2x2x20xf32>
// CHECK: %[[CLIP:.+]] = onnx.Clip(%[[MUL]], %arg3, %arg4) : (tensor<2x2x20xf32>, tensor<f32>, tensor<f32>) -> tensor<2x2x20xf32>
// CHECK: %[[SHAPE:.+]] = onnx.Constant {value = dense<[2, 2, 4, 5]> : tensor<4xi64>}
// CHECK: %[[Y:.+]] = onnx.Reshape(%[[CLIP]], %[[SHAPE]]) : (tensor<2x2x20xf32>, tensor<4xi64>) -> tensor<2x2x4x5xf32>
// CHECK-NOT: onnx.Conv
// CHECK: %[[ROWS:.+]] = onnx.Add(%[[Y]], %arg5) : (tensor<2x2x4x5xf32>, tensor<4x1xf32>) -> tensor<2x2x4x5xf32>
// CHECK: return %[[ROWS]]
func.func @pointwise(%x: tensor<2x3x4x5xf32>, %skip: tensor<2x2x4x5xf32>, %scale: tensor<2x1x1xf32>, %lo: tensor<f32>, %hi: tensor<f32>, %rows: tensor<4x1xf32>) -> tensor<2x2x4x5xf32> {
  %w = onnx.Constant {value = dense<[[[[1.0]], [[2.0]], [[3.0]]], [[[4.0]], [[5.0]], [[6.0]]]]> : tensor<2x3x1x1xf32>} : tensor<2x3x1x1xf32>
  %b = onnx.Constant {value = dense<[0.5, -0.5]> : tensor<2xf32>} : tensor<2xf32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<2x3x4x5xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<2x2x4x5xf32>
  %a = onnx.Add(%c, %skip) : (tensor<2x2x4x5xf32>, tensor<2x2x4x5xf32>) -> tensor<2x2x4x5xf32>
  %m = onnx.Mul(%a, %scale) : (tensor<2x2x4x5xf32>, tensor<2x1x1xf32>) -> tensor<2x2x4x5xf32>
  %r = onnx.Clip(%m, %lo, %hi) : (tensor<2x2x4x5xf32>, tensor<f32>, tensor<f32>) -> tensor<2x2x4x5xf32>
  %s = onnx.Add(%r, %rows) : (tensor<2x2x4x5xf32>, tensor<4x1xf32>) -> tensor<2x2x4x5xf32>
  return %s : tensor<2x2x4x5xf32>
}

// -----

// A 3x3 conv with a narrow output (3 wide): im2col (one kernel.im2col of
// the input, its taps on axis 2) viewed as [N, C*9, Ho*Wo], times the
// weights as [M, C*9].
// CHECK-LABEL: func.func @narrow
// CHECK: %[[TAPS:.+]] = kernel.im2col %arg0 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 2, 2>} : tensor<1x2x5x5xf32> -> tensor<1x2x9x3x3xf32>
// CHECK: %[[COLS:.+]] = onnx.Reshape(%[[TAPS]], %{{.+}}) : (tensor<1x2x9x3x3xf32>, tensor<3xi64>) -> tensor<1x18x9xf32>
// CHECK: %[[W:.+]] = onnx.Constant {value = dense<1.000000e+00> : tensor<4x18xf32>}
// CHECK: %[[P:.+]] = onnx.MatMul(%[[W]], %[[COLS]]) : (tensor<4x18xf32>, tensor<1x18x9xf32>) -> tensor<1x4x9xf32>
// CHECK: onnx.Reshape(%[[P]], %{{.+}}) : (tensor<1x4x9xf32>, tensor<4xi64>) -> tensor<1x4x3x3xf32>
// CHECK-NOT: onnx.Conv
// CHECK-NOT: onnx.Pad
func.func @narrow(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x3x3xf32> {
  %w = onnx.Constant {value = dense<1.0> : tensor<4x2x3x3xf32>} : tensor<4x2x3x3xf32>
  %c = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %c : tensor<1x4x3x3xf32>
}

// -----

// Over 16 input channels, strided windows and outputs narrower than 16
// go through im2col too: a strided 1x1 conv is one strided Slice (no
// stacking), a strided 3x3 conv and a 3x3 conv 12 wide one kernel.im2col
// each (a dilated one reads its taps two apart).
// CHECK-LABEL: func.func @columns
// CHECK: %[[TAP:.+]] = onnx.Slice(%arg0) {axes = [0, 1, 2, 3], ends = [1, 16, 39, 39], onnx.cut_axes = [2, 3], starts = [0, 0, 0, 0], steps = [1, 1, 2, 2]} : (tensor<1x16x40x40xf32>) -> tensor<1x16x20x20xf32>
// CHECK: %[[COLS:.+]] = onnx.Reshape(%[[TAP]], %{{.+}}) : (tensor<1x16x20x20xf32>, tensor<3xi64>) -> tensor<1x16x400xf32>
// CHECK: onnx.MatMul(%{{.+}}, %[[COLS]]) : (tensor<4x16xf32>, tensor<1x16x400xf32>) -> tensor<1x4x400xf32>
// CHECK: kernel.im2col %arg0 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 2, 2>} : tensor<1x16x40x40xf32> -> tensor<1x16x9x20x20xf32>
// CHECK: onnx.MatMul(%{{.+}}, %{{.+}}) : (tensor<4x144xf32>, tensor<1x144x400xf32>) -> tensor<1x4x400xf32>
// CHECK: kernel.im2col %arg1 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 1, 1>} : tensor<1x16x12x12xf32> -> tensor<1x16x9x12x12xf32>
// CHECK: onnx.MatMul(%{{.+}}, %{{.+}}) : (tensor<4x144xf32>, tensor<1x144x144xf32>) -> tensor<1x4x144xf32>
// CHECK: kernel.im2col %arg1 {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 2, 2>, strides = array<i64: 1, 1>} : tensor<1x16x12x12xf32> -> tensor<1x16x9x12x12xf32>
// CHECK-NOT: onnx.Conv
// CHECK-NOT: onnx.Concat
// The im2col copy is a kernel of its own, vectors along the output
// width, channels across threads.
// GROUPS-LABEL: func.func @columns
// GROUPS: kernel.group "k{{[0-9]+}}" anchor "im2col"(%arg0) {schedule = {parallel_axis = 1 : i64, strategy = "im2col", target = "x86-64-avx512", tile = array<i64>, unroll = 1 : i64, vector_width = 16 : i64}} : (tensor<1x16x40x40xf32>) -> tensor<1x16x9x20x20xf32>
// GROUPS-NEXT: ^bb0
// GROUPS-NEXT: kernel.im2col
// GROUPS-NEXT: kernel.yield
// GROUPS: kernel.group "k{{[0-9]+}}" anchor "MatMul"
// GROUPS: kernel.group "k{{[0-9]+}}" anchor "im2col"(%arg1) {schedule = {parallel_axis = 1 : i64, strategy = "im2col", target = "x86-64-avx512", tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}} : (tensor<1x16x12x12xf32>) -> tensor<1x16x9x12x12xf32>
func.func @columns(%x: tensor<1x16x40x40xf32>, %s: tensor<1x16x12x12xf32>) -> (tensor<1x4x20x20xf32>, tensor<1x4x20x20xf32>, tensor<1x4x12x12xf32>, tensor<1x4x12x12xf32>) {
  %w1 = onnx.Constant {value = dense<1.0> : tensor<4x16x1x1xf32>} : tensor<4x16x1x1xf32>
  %w3 = onnx.Constant {value = dense<1.0> : tensor<4x16x3x3xf32>} : tensor<4x16x3x3xf32>
  %a = onnx.Conv(%x, %w1) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x16x40x40xf32>, tensor<4x16x1x1xf32>) -> tensor<1x4x20x20xf32>
  %b = onnx.Conv(%x, %w3) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x16x40x40xf32>, tensor<4x16x3x3xf32>) -> tensor<1x4x20x20xf32>
  %c = onnx.Conv(%s, %w3) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x16x12x12xf32>, tensor<4x16x3x3xf32>) -> tensor<1x4x12x12xf32>
  %d = onnx.Conv(%s, %w3) {dilations = [2, 2], kernel_shape = [3, 3], pads = [2, 2, 2, 2], strides = [1, 1]} : (tensor<1x16x12x12xf32>, tensor<4x16x3x3xf32>) -> tensor<1x4x12x12xf32>
  return %a, %b, %c, %d : tensor<1x4x20x20xf32>, tensor<1x4x20x20xf32>, tensor<1x4x12x12xf32>, tensor<1x4x12x12xf32>
}

// -----

// Under 16 input channels, wide outputs with strides, padding or a 3x3
// window keep the conv; so do grouped convs and weights read at run time.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-5: onnx.Conv
// CHECK-NOT: onnx.MatMul
func.func @kept(%x: tensor<1x4x20x20xf32>, %wr: tensor<2x4x1x1xf32>) -> (tensor<1x2x10x10xf32>, tensor<1x2x22x22xf32>, tensor<1x2x18x18xf32>, tensor<1x2x20x20xf32>, tensor<1x2x20x20xf32>) {
  %w = onnx.Constant {value = dense<1.0> : tensor<2x4x1x1xf32>} : tensor<2x4x1x1xf32>
  %w3 = onnx.Constant {value = dense<1.0> : tensor<2x4x3x3xf32>} : tensor<2x4x3x3xf32>
  %wg = onnx.Constant {value = dense<1.0> : tensor<2x2x1x1xf32>} : tensor<2x2x1x1xf32>
  %a = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x4x20x20xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x10x10xf32>
  %b = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [1, 1], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x4x20x20xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x22x22xf32>
  %c = onnx.Conv(%x, %w3) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x20x20xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x18x18xf32>
  %d = onnx.Conv(%x, %wr) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x20x20xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x20x20xf32>
  %e = onnx.Conv(%x, %wg) {dilations = [1, 1], group = 2 : si64, kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x20x20xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x20x20xf32>
  return %a, %b, %c, %d, %e : tensor<1x2x10x10xf32>, tensor<1x2x22x22xf32>, tensor<1x2x18x18xf32>, tensor<1x2x20x20xf32>, tensor<1x2x20x20xf32>
}

// -----

// A stack of matrices times one matrix: A viewed as [3*7, 8]; the bias Add
// (rank 1), the Relu and the Clip (its min absent) after it move onto the
// 2-D product, then one Reshape restores [3, 7, 5]. An Add of a full
// [3, 7, 5] tensor stops the chain.
// CHECK-LABEL: func.func @stacked
// CHECK: %[[A:.+]] = onnx.Reshape(%arg0, %{{.+}}) : (tensor<3x7x8xf32>, tensor<2xi64>) -> tensor<21x8xf32>
// CHECK: %[[P:.+]] = onnx.MatMul(%[[A]], %arg1) : (tensor<21x8xf32>, tensor<8x5xf32>) -> tensor<21x5xf32>
// CHECK: %[[S:.+]] = onnx.Add(%[[P]], %arg2) : (tensor<21x5xf32>, tensor<5xf32>) -> tensor<21x5xf32>
// CHECK: %[[R:.+]] = onnx.Relu(%[[S]]) : (tensor<21x5xf32>) -> tensor<21x5xf32>
// CHECK: %[[C:.+]] = onnx.Clip(%[[R]], %{{.+}}, %arg4) : (tensor<21x5xf32>, none, tensor<f32>) -> tensor<21x5xf32>
// CHECK: %[[Y:.+]] = onnx.Reshape(%[[C]], %{{.+}}) : (tensor<21x5xf32>, tensor<3xi64>) -> tensor<3x7x5xf32>
// CHECK: %[[G:.+]] = onnx.Add(%[[Y]], %arg3) : (tensor<3x7x5xf32>, tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
// CHECK: return %[[G]]
func.func @stacked(%a: tensor<3x7x8xf32>, %b: tensor<8x5xf32>, %bias: tensor<5xf32>, %skip: tensor<3x7x5xf32>, %hi: tensor<f32>) -> tensor<3x7x5xf32> {
  %p = onnx.MatMul(%a, %b) : (tensor<3x7x8xf32>, tensor<8x5xf32>) -> tensor<3x7x5xf32>
  %s = onnx.Add(%p, %bias) : (tensor<3x7x5xf32>, tensor<5xf32>) -> tensor<3x7x5xf32>
  %r0 = onnx.Relu(%s) : (tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  %none = onnx.NoValue
  %r = onnx.Clip(%r0, %none, %hi) : (tensor<3x7x5xf32>, none, tensor<f32>) -> tensor<3x7x5xf32>
  %g = onnx.Add(%r, %skip) : (tensor<3x7x5xf32>, tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  return %g : tensor<3x7x5xf32>
}

// -----

// Both operands stacked, or a 2-D A: left alone.
// CHECK-LABEL: func.func @plain
// CHECK: onnx.MatMul(%arg0, %arg1) : (tensor<3x7x8xf32>, tensor<3x8x5xf32>) -> tensor<3x7x5xf32>
// CHECK: onnx.MatMul(%arg2, %arg3) : (tensor<7x8xf32>, tensor<8x5xf32>) -> tensor<7x5xf32>
func.func @plain(%a: tensor<3x7x8xf32>, %b: tensor<3x8x5xf32>, %c: tensor<7x8xf32>, %d: tensor<8x5xf32>) -> (tensor<3x7x5xf32>, tensor<7x5xf32>) {
  %p = onnx.MatMul(%a, %b) : (tensor<3x7x8xf32>, tensor<3x8x5xf32>) -> tensor<3x7x5xf32>
  %q = onnx.MatMul(%c, %d) : (tensor<7x8xf32>, tensor<8x5xf32>) -> tensor<7x5xf32>
  return %p, %q : tensor<3x7x5xf32>, tensor<7x5xf32>
}

// -----

// Gemm with transB and constant weights: the weights are transposed at
// compile time ([N, K] = [3, 2] becomes [K, N] = [2, 3]) and transB
// dropped, so vectors along N read contiguous weights.
// CHECK-LABEL: func.func @gemm_transb
// CHECK: %[[W:.+]] = onnx.Constant {value = dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>}
// CHECK: onnx.Gemm(%arg0, %[[W]], %arg1) : (tensor<4x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
func.func @gemm_transb(%a: tensor<4x2xf32>, %c: tensor<3xf32>) -> tensor<4x3xf32> {
  %w = onnx.Constant {value = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>} : tensor<3x2xf32>
  %y = onnx.Gemm(%a, %w, %c) {transB = 1 : si64} : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Weights and bias shared through Identity (as exporters write equal
// initializers) are constants all the same.
// CHECK-LABEL: func.func @identity_bias
// CHECK: %[[P:.+]] = onnx.MatMul(%{{.+}}, %{{.+}}) : (tensor<2x3xf32>, tensor<1x3x20xf32>) -> tensor<1x2x20xf32>
// CHECK: onnx.Add(%[[P]], %{{.+}}) : (tensor<1x2x20xf32>, tensor<2x1xf32>) -> tensor<1x2x20xf32>
// CHECK-NOT: onnx.Conv
func.func @identity_bias(%x: tensor<1x3x4x5xf32>) -> tensor<1x2x4x5xf32> {
  %w0 = onnx.Constant {value = dense<1.0> : tensor<2x3x1x1xf32>} : tensor<2x3x1x1xf32>
  %b0 = onnx.Constant {value = dense<0.0> : tensor<2xf32>} : tensor<2xf32>
  %w = onnx.Identity(%w0) : (tensor<2x3x1x1xf32>) -> tensor<2x3x1x1xf32>
  %b = onnx.Identity(%b0) : (tensor<2xf32>) -> tensor<2xf32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x4x5xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x5xf32>
  return %c : tensor<1x2x4x5xf32>
}

// -----

// SiLU after a pointwise conv reads the conv's result twice: the Sigmoid
// and the Mul both move onto the product, and all of it is one kernel.
// CHECK-LABEL: func.func @pointwise_silu
// CHECK: %[[P:.+]] = onnx.MatMul(%{{.+}}, %{{.+}}) : (tensor<4x3xf32>, tensor<1x3x16xf32>) -> tensor<1x4x16xf32>
// CHECK-NEXT: %[[SIG:.+]] = onnx.Sigmoid(%[[P]]) : (tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
// CHECK-NEXT: %[[M:.+]] = onnx.Mul(%[[P]], %[[SIG]]) : (tensor<1x4x16xf32>, tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
// CHECK: %[[Y:.+]] = onnx.Reshape(%[[M]], %{{.+}}) : (tensor<1x4x16xf32>, tensor<4xi64>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: return %[[Y]]
// GROUPS-LABEL: func.func @pointwise_silu
// GROUPS: kernel.group "k0" anchor "MatMul"
// GROUPS: onnx.MatMul
// GROUPS-NEXT: onnx.Sigmoid
// GROUPS-NEXT: onnx.Mul
// GROUPS-NEXT: kernel.yield
// GROUPS-NOT: kernel.group
func.func @pointwise_silu(%x: tensor<1x3x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w = onnx.Constant {value = dense<1.0> : tensor<4x3x1x1xf32>} : tensor<4x3x1x1xf32>
  %c = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x4x4xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x4x4xf32>
  %s = onnx.Sigmoid(%c) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %y = onnx.Mul(%c, %s) : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// GELU after a stack of matrices times one matrix: its ops (their other
// operands scalars) move onto the 2-D product with the bias Add.
// CHECK-LABEL: func.func @stacked_gelu
// CHECK: %[[P:.+]] = onnx.MatMul(%{{.+}}, %arg1) : (tensor<6x8xf32>, tensor<8x5xf32>) -> tensor<6x5xf32>
// CHECK-NEXT: %[[S:.+]] = onnx.Add(%[[P]], %arg2) : (tensor<6x5xf32>, tensor<5xf32>) -> tensor<6x5xf32>
// CHECK: %[[D:.+]] = onnx.Div(%[[S]], %{{.+}}) : (tensor<6x5xf32>, tensor<f32>) -> tensor<6x5xf32>
// CHECK-NEXT: %[[E:.+]] = onnx.Erf(%[[D]]) : (tensor<6x5xf32>) -> tensor<6x5xf32>
// CHECK: %[[A:.+]] = onnx.Add(%[[E]], %{{.+}}) : (tensor<6x5xf32>, tensor<f32>) -> tensor<6x5xf32>
// CHECK-NEXT: %[[M:.+]] = onnx.Mul(%[[S]], %[[A]]) : (tensor<6x5xf32>, tensor<6x5xf32>) -> tensor<6x5xf32>
// CHECK: %[[H:.+]] = onnx.Mul(%[[M]], %{{.+}}) : (tensor<6x5xf32>, tensor<f32>) -> tensor<6x5xf32>
// CHECK: %[[Y:.+]] = onnx.Reshape(%[[H]], %{{.+}}) : (tensor<6x5xf32>, tensor<3xi64>) -> tensor<2x3x5xf32>
// CHECK-NEXT: return %[[Y]]
// GROUPS-LABEL: func.func @stacked_gelu
// GROUPS: kernel.group "k0" anchor "MatMul"
// GROUPS-COUNT-2: onnx.Mul
// GROUPS-NEXT: kernel.yield
// GROUPS-NOT: kernel.group
func.func @stacked_gelu(%a: tensor<2x3x8xf32>, %b: tensor<8x5xf32>, %bias: tensor<5xf32>) -> tensor<2x3x5xf32> {
  %p = onnx.MatMul(%a, %b) : (tensor<2x3x8xf32>, tensor<8x5xf32>) -> tensor<2x3x5xf32>
  %s = onnx.Add(%p, %bias) : (tensor<2x3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  %r2 = onnx.Constant {value = dense<1.41421354> : tensor<f32>} : tensor<f32>
  %d = onnx.Div(%s, %r2) : (tensor<2x3x5xf32>, tensor<f32>) -> tensor<2x3x5xf32>
  %e = onnx.Erf(%d) : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %one = onnx.Constant {value = dense<1.0> : tensor<f32>} : tensor<f32>
  %a1 = onnx.Add(%e, %one) : (tensor<2x3x5xf32>, tensor<f32>) -> tensor<2x3x5xf32>
  %m = onnx.Mul(%s, %a1) : (tensor<2x3x5xf32>, tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %half = onnx.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %y = onnx.Mul(%m, %half) : (tensor<2x3x5xf32>, tensor<f32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}
