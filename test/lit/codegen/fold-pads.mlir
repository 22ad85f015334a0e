// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-fold-pads))' -split-input-file %s | FileCheck %s

// A zero Pad of H and W (no value, a zero constant_value input, a zero
// value attribute) adds to the conv's pads; the Pad goes.
// CHECK-LABEL: func.func @folded
// CHECK-NOT: onnx.Pad
// CHECK: onnx.Conv(%arg0, %arg1) {dilations = [1, 1], kernel_shape = [3, 3], pads = [2, 1, 1, 4], strides = [1, 1]} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x9x12xf32>
// CHECK: onnx.Conv(%arg0, %arg1) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x4x4xf32>
// CHECK: onnx.Conv(%arg0, %arg1) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 0, 0, 1], strides = [1, 1]} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x7x7xf32>
func.func @folded(%x: tensor<1x2x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> (tensor<1x4x9x12xf32>, tensor<1x4x4x4xf32>, tensor<1x4x7x7xf32>) {
  %p = onnx.Constant {value = dense<[0, 0, 1, 1, 0, 0, 0, 3]> : tensor<8xi64>} : tensor<8xi64>
  %a = onnx.Pad(%x, %p) {pads = [0, 0, 1, 1, 0, 0, 0, 3]} : (tensor<1x2x8x8xf32>, tensor<8xi64>) -> tensor<1x2x9x12xf32>
  %y0 = onnx.Conv(%a, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 0, 1, 1], strides = [1, 1]} : (tensor<1x2x9x12xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x9x12xf32>
  %zero = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %b = onnx.Pad(%x, %p, %zero) {pads = [0, 0, 1, 1, 0, 0, 1, 1]} : (tensor<1x2x8x8xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x10x10xf32>
  %y1 = onnx.Conv(%b, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x10x10xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x4x4xf32>
  %c = onnx.Pad(%x) {pads = [0, 0, 1, 0, 0, 0, 0, 1], value = 0.0 : f32} : (tensor<1x2x8x8xf32>) -> tensor<1x2x9x9xf32>
  %y2 = onnx.Conv(%c, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x9x9xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x7x7xf32>
  return %y0, %y1, %y2 : tensor<1x4x9x12xf32>, tensor<1x4x4x4xf32>, tensor<1x4x7x7xf32>
}

// -----

// Kept: a non-zero value, reflect mode, padded channels, a crop, and a Pad
// that another op reads too (the conv still folds it; the Pad stays for
// the other reader).
// CHECK-LABEL: func.func @kept
// CHECK: onnx.Pad(%arg0) {pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 1.000000e+00 : f32}
// CHECK: onnx.Pad(%arg0) {mode = "reflect", pads = [0, 0, 1, 1, 0, 0, 1, 1]}
// CHECK: onnx.Pad(%arg0) {pads = [0, 1, 0, 0, 0, 0, 0, 0]}
// CHECK: onnx.Pad(%arg0) {pads = [0, 0, -1, 0, 0, 0, 0, 0]}
// CHECK: %[[SHARED:.+]] = onnx.Pad(%arg0) {pads = [0, 0, 1, 1, 0, 0, 1, 1]}
// CHECK: onnx.Conv(%arg0, %arg1) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]}
// CHECK: onnx.Relu(%[[SHARED]])
func.func @kept(%x: tensor<1x2x8x8xf32>, %w: tensor<4x2x3x3xf32>, %w3: tensor<4x3x3x3xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x6x6xf32>, tensor<1x4x5x6xf32>, tensor<1x4x8x8xf32>, tensor<1x2x10x10xf32>) {
  %a = onnx.Pad(%x) {pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 1.0 : f32} : (tensor<1x2x8x8xf32>) -> tensor<1x2x10x10xf32>
  %y0 = onnx.Conv(%a, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x10x10xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  %b = onnx.Pad(%x) {mode = "reflect", pads = [0, 0, 1, 1, 0, 0, 1, 1]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x10x10xf32>
  %y1 = onnx.Conv(%b, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x10x10xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  %c = onnx.Pad(%x) {pads = [0, 1, 0, 0, 0, 0, 0, 0]} : (tensor<1x2x8x8xf32>) -> tensor<1x3x8x8xf32>
  %y2 = onnx.Conv(%c, %w3) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %d = onnx.Pad(%x) {pads = [0, 0, -1, 0, 0, 0, 0, 0]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x7x8xf32>
  %y3 = onnx.Conv(%d, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x7x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x6xf32>
  %e = onnx.Pad(%x) {pads = [0, 0, 1, 1, 0, 0, 1, 1]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x10x10xf32>
  %y4 = onnx.Conv(%e, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x10x10xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  %r = onnx.Relu(%e) : (tensor<1x2x10x10xf32>) -> tensor<1x2x10x10xf32>
  return %y0, %y1, %y2, %y3, %y4, %r : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x6x6xf32>, tensor<1x4x5x6xf32>, tensor<1x4x8x8xf32>, tensor<1x2x10x10xf32>
}
