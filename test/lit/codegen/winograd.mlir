// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-winograd))' -split-input-file %s | FileCheck %s
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-winograd,onnxc-fuse-kernels,onnxc-schedule-kernels{target=x86-64-avx512}))' -split-input-file %s | FileCheck %s --check-prefix=GROUPS

// A 3x3 stride-1 conv over 16 channels on a 16x16 map: 4x4 tiles of
// F(4x4, 3x3) (a 6x6 input window each, 16 tiles). The input transform
// gives [36, C, 4, 4], viewed as [36, C, 16] for the product with the
// weights transformed at compile time ([36, K, C]); the output transform
// gives the conv's result, and the bias is an Add after it (viewed per
// channel) that the Relu follows as before.
// CHECK-LABEL: func.func @tile4
// CHECK: %[[U:.+]] = onnx.Constant {{.*}} : tensor<36x32x16xf32>
// CHECK: %[[V:.+]] = kernel.winograd_input %arg0 {output_size = array<i64: 16, 16>, pads = array<i64: 1, 1>, tile = 4 : i64} : tensor<1x16x16x16xf32> -> tensor<36x16x4x4xf32>
// CHECK: %[[COLS:.+]] = onnx.Reshape(%[[V]], %{{.+}}) : (tensor<36x16x4x4xf32>, tensor<3xi64>) -> tensor<36x16x16xf32>
// CHECK: %[[P:.+]] = onnx.MatMul(%[[U]], %[[COLS]]) : (tensor<36x32x16xf32>, tensor<36x16x16xf32>) -> tensor<36x32x16xf32>
// CHECK: %[[PT:.+]] = onnx.Reshape(%[[P]], %{{.+}}) : (tensor<36x32x16xf32>, tensor<4xi64>) -> tensor<36x32x4x4xf32>
// CHECK: %[[Y:.+]] = kernel.winograd_output %[[PT]] {tile = 4 : i64} : tensor<36x32x4x4xf32> -> tensor<1x32x16x16xf32>
// CHECK: %[[B:.+]] = onnx.Constant {value = dense<2.500000e-01> : tensor<32x1x1xf32>}
// CHECK: %[[S:.+]] = onnx.Add(%[[Y]], %[[B]]) : (tensor<1x32x16x16xf32>, tensor<32x1x1xf32>) -> tensor<1x32x16x16xf32>
// CHECK: %[[R:.+]] = onnx.Relu(%[[S]])
// CHECK-NOT: onnx.Conv
// CHECK: return %[[R]]
// Three kernels: the input transform (vectors of 4 tiles, channels across
// threads), the products, and the output transform with the bias and the
// Relu fused into it.
// GROUPS-LABEL: func.func @tile4
// GROUPS: kernel.group "k0" anchor "winograd_input"{{.*}}schedule = {parallel_axis = 1 : i64, strategy = "winograd_input", {{.*}}vector_width = 4 : i64}
// GROUPS-NEXT: ^bb0
// GROUPS-NEXT: kernel.winograd_input
// GROUPS: kernel.group "k1" anchor "MatMul"{{.*}}strategy = "gemm"
// GROUPS: kernel.group "k2" anchor "winograd_output"{{.*}}schedule = {parallel_axis = 1 : i64, strategy = "winograd_output"
// GROUPS-NEXT: ^bb0
// GROUPS-NEXT: kernel.winograd_output
// GROUPS-NEXT: onnx.Add
// GROUPS-NEXT: onnx.Relu
// GROUPS-NEXT: kernel.yield
func.func @tile4(%x: tensor<1x16x16x16xf32>) -> tensor<1x32x16x16xf32> {
  %w = onnx.Constant {value = dense<1.0> : tensor<32x16x3x3xf32>} : tensor<32x16x3x3xf32>
  %b = onnx.Constant {value = dense<0.25> : tensor<32xf32>} : tensor<32xf32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x16x16x16xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x16x16xf32>
  %r = onnx.Relu(%c) : (tensor<1x32x16x16xf32>) -> tensor<1x32x16x16xf32>
  return %r : tensor<1x32x16x16xf32>
}

// -----

// An 8x8 output without padding (input 10x10) has 4 tiles of 4x4, too few:
// 16 tiles of F(2x2, 3x3) instead, 4x4 windows, [16, C, 4, 4]. No bias,
// no Add.
// CHECK-LABEL: func.func @tile2
// CHECK: %[[U:.+]] = onnx.Constant {{.*}} : tensor<16x16x16xf32>
// CHECK: kernel.winograd_input %arg0 {output_size = array<i64: 8, 8>, pads = array<i64: 0, 0>, tile = 2 : i64} : tensor<1x16x10x10xf32> -> tensor<16x16x4x4xf32>
// CHECK: onnx.MatMul(%[[U]], %{{.+}}) : (tensor<16x16x16xf32>, tensor<16x16x16xf32>) -> tensor<16x16x16xf32>
// CHECK: %[[Y:.+]] = kernel.winograd_output %{{.+}} {tile = 2 : i64} : tensor<16x16x4x4xf32> -> tensor<1x16x8x8xf32>
// CHECK-NOT: onnx.Add
// CHECK: return %[[Y]]
func.func @tile2(%x: tensor<1x16x10x10xf32>) -> tensor<1x16x8x8xf32> {
  %w = onnx.Constant {value = dense<0.5> : tensor<16x16x3x3xf32>} : tensor<16x16x3x3xf32>
  %c = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x16x10x10xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %c : tensor<1x16x8x8xf32>
}

// -----

// A 7x7 output: 16 tiles of F(2x2, 3x3) over 8x8 (4x4 tiles of F(4x4,
// 3x3) would be 4), the last row and column of tiles reading zeros past
// the input; the output transform drops their row and column past the
// 7x7 output (no Slice), and the bias follows it.
// CHECK-LABEL: func.func @odd
// CHECK: kernel.winograd_input %arg0 {output_size = array<i64: 8, 8>, pads = array<i64: 1, 1>, tile = 2 : i64} : tensor<1x16x7x7xf32> -> tensor<16x16x4x4xf32>
// CHECK: %[[Y:.+]] = kernel.winograd_output %{{.+}} {tile = 2 : i64} : tensor<16x16x4x4xf32> -> tensor<1x16x7x7xf32>
// CHECK-NOT: onnx.Slice
// CHECK: %[[B:.+]] = onnx.Add(%[[Y]], %{{.+}}) : (tensor<1x16x7x7xf32>, tensor<16x1x1xf32>) -> tensor<1x16x7x7xf32>
// CHECK: return %[[B]]
func.func @odd(%x: tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32> {
  %w = onnx.Constant {value = dense<0.5> : tensor<16x16x3x3xf32>} : tensor<16x16x3x3xf32>
  %b = onnx.Constant {value = dense<1.0> : tensor<16xf32>} : tensor<16xf32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x16x7x7xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x7x7xf32>
  return %c : tensor<1x16x7x7xf32>
}

// -----

// Transformed weights beyond 1 MiB are streamed from memory on every run:
// F(4x4, 3x3) then needs 48 tiles or more. 96 channels on a 14x14 map:
// F(4x4, 3x3) would take 16 tiles and 1.3 MB, so F(2x2, 3x3), 49 tiles
// and 0.6 MB. 136 channels on a 7x7 map: F(2x2, 3x3) over 16 tiles, its
// 1.2 MB of weights 16/9 of the direct conv's (which streams those too).
// CHECK-LABEL: func.func @streamed
// CHECK: kernel.winograd_input %arg0 {output_size = array<i64: 14, 14>, pads = array<i64: 1, 1>, tile = 2 : i64} : tensor<1x96x14x14xf32> -> tensor<16x96x7x7xf32>
// CHECK: kernel.winograd_input %arg1 {output_size = array<i64: 8, 8>, pads = array<i64: 1, 1>, tile = 2 : i64} : tensor<1x136x7x7xf32> -> tensor<16x136x4x4xf32>
// CHECK-NOT: onnx.Conv
func.func @streamed(%x: tensor<1x96x14x14xf32>, %y: tensor<1x136x7x7xf32>) -> (tensor<1x96x14x14xf32>, tensor<1x136x7x7xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<96x96x3x3xf32>} : tensor<96x96x3x3xf32>
  %v = onnx.Constant {value = dense<0.5> : tensor<136x136x3x3xf32>} : tensor<136x136x3x3xf32>
  %c = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x96x14x14xf32>, tensor<96x96x3x3xf32>) -> tensor<1x96x14x14xf32>
  %d = onnx.Conv(%y, %v) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x136x7x7xf32>, tensor<136x136x3x3xf32>) -> tensor<1x136x7x7xf32>
  return %c, %d : tensor<1x96x14x14xf32>, tensor<1x136x7x7xf32>
}

// -----

// Convs that stay as they are: strided, dilated, fewer than 16 input
// channels, a map too small for 16 tiles (5x5), two items, weights read
// at run time.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: kernel.winograd
// CHECK-COUNT-6: onnx.Conv
// CHECK-NOT: kernel.winograd
func.func @kept(%x: tensor<1x16x16x16xf32>, %narrow: tensor<1x8x16x16xf32>, %odd: tensor<1x16x5x5xf32>, %two: tensor<2x16x16x16xf32>, %wr: tensor<16x16x3x3xf32>) -> (tensor<1x16x8x8xf32>, tensor<1x16x12x12xf32>, tensor<1x16x16x16xf32>, tensor<1x16x5x5xf32>, tensor<2x16x16x16xf32>, tensor<1x16x16x16xf32>) {
  %w = onnx.Constant {value = dense<1.0> : tensor<16x16x3x3xf32>} : tensor<16x16x3x3xf32>
  %w8 = onnx.Constant {value = dense<1.0> : tensor<16x8x3x3xf32>} : tensor<16x8x3x3xf32>
  %s = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %d = onnx.Conv(%x, %w) {dilations = [2, 2], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x12x12xf32>
  %n = onnx.Conv(%narrow, %w8) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  %o = onnx.Conv(%odd, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x16x5x5xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x5x5xf32>
  %t = onnx.Conv(%two, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<2x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<2x16x16x16xf32>
  %r = onnx.Conv(%x, %wr) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %s, %d, %n, %o, %t, %r : tensor<1x16x8x8xf32>, tensor<1x16x12x12xf32>, tensor<1x16x16x16xf32>, tensor<1x16x5x5xf32>, tensor<2x16x16x16xf32>, tensor<1x16x16x16xf32>
}
