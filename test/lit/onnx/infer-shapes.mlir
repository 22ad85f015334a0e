// onnxc-infer-shapes: static result types for every op, explicit window attributes, updated function type.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-infer-shapes))' -split-input-file -verify-diagnostics %s | FileCheck %s

// (9 + 1 + 1 - 3) / 2 + 1 = 5; group 2 splits 4 input channels over W's 2.
// CHECK-LABEL: func.func @conv_strides_pads_group
// CHECK-SAME: -> tensor<1x8x5x5xf32>
// CHECK: onnx.Conv
// CHECK-SAME: dilations = [1, 1], group = 2 : si64, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]
// CHECK-SAME: -> tensor<1x8x5x5xf32>
// CHECK: return %{{.*}} : tensor<1x8x5x5xf32>
func.func @conv_strides_pads_group(%x: tensor<1x4x9x9xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>) -> tensor<*xf32> {
  %0 = onnx.Conv(%x, %w, %b) {group = 2 : si64, strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x4x9x9xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// SAME_UPPER, 7 wide, stride 2, kernel 4: output 4, total pad 3, the odd
// pixel at the end. auto_pad goes back to its default (NOTSET, not printed).
// CHECK-LABEL: func.func @conv_same_upper
// CHECK: onnx.Conv
// CHECK-NOT: auto_pad
// CHECK-SAME: pads = [1, 1, 2, 2]
// CHECK-SAME: -> tensor<1x2x4x4xf32>
func.func @conv_same_upper(%x: tensor<1x1x7x7xf32>, %w: tensor<2x1x4x4xf32>) -> tensor<*xf32> {
  %0 = onnx.Conv(%x, %w) {auto_pad = "SAME_UPPER", strides = [2, 2]} : (tensor<1x1x7x7xf32>, tensor<2x1x4x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// SAME_LOWER puts the odd pixel at the beginning.
// CHECK-LABEL: func.func @conv_same_lower
// CHECK: onnx.Conv
// CHECK-SAME: pads = [2, 2, 1, 1]
// CHECK-SAME: -> tensor<1x2x4x4xf32>
func.func @conv_same_lower(%x: tensor<1x1x7x7xf32>, %w: tensor<2x1x4x4xf32>) -> tensor<*xf32> {
  %0 = onnx.Conv(%x, %w) {auto_pad = "SAME_LOWER", strides = [2, 2]} : (tensor<1x1x7x7xf32>, tensor<2x1x4x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Dilation 2 makes the 3x3 kernel span 5: 10 - 5 + 1 = 6.
// CHECK-LABEL: func.func @conv_dilations
// CHECK: onnx.Conv
// CHECK-SAME: dilations = [2, 2]
// CHECK-SAME: pads = [0, 0, 0, 0], strides = [1, 1]
// CHECK-SAME: -> tensor<2x3x6x6xf32>
func.func @conv_dilations(%x: tensor<2x1x10x10xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<*xf32> {
  %0 = onnx.Conv(%x, %w) {dilations = [2, 2]} : (tensor<2x1x10x10xf32>, tensor<3x1x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Kernel 3, stride 2 over 8: floor gives 3 windows, ceil_mode 4.
// CHECK-LABEL: func.func @maxpool_ceil_mode
// CHECK: onnx.MaxPool
// CHECK-SAME: ceil_mode = 1 : si64, dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [2, 2]
// CHECK-SAME: -> tensor<1x2x4x4xf32>
// CHECK: onnx.MaxPool
// CHECK-SAME: -> tensor<1x2x3x3xf32>
func.func @maxpool_ceil_mode(%x: tensor<1x2x8x8xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.MaxPool(%x) {ceil_mode = 1 : si64, kernel_shape = [3, 3], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<*xf32>
  %1 = onnx.MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// ceil_mode must not add a window that starts in the end padding:
// 5 + 1 + 1 wide, kernel 2, stride 2: ceil gives 4, the 4th starts at 6 (pad).
// CHECK-LABEL: func.func @maxpool_ceil_mode_drops_pad_window
// CHECK: onnx.MaxPool
// CHECK-SAME: -> tensor<1x1x3x3xf32>
func.func @maxpool_ceil_mode_drops_pad_window(%x: tensor<1x1x5x5xf32>) -> tensor<*xf32> {
  %0 = onnx.MaxPool(%x) {ceil_mode = 1 : si64, kernel_shape = [2, 2], strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x1x5x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @gemm_trans
// CHECK: onnx.Gemm
// CHECK-SAME: (tensor<3x2xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: onnx.Gemm
// CHECK-SAME: (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
func.func @gemm_trans(%a: tensor<3x2xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>, %a2: tensor<2x3xf32>, %b2: tensor<3x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Gemm(%a, %b, %c) {transA = 1 : si64, transB = 1 : si64} : (tensor<3x2xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  %1 = onnx.Gemm(%a2, %b2) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Batch dims broadcast ([2, 1] with [5]); a 1-D operand loses its dim.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: -> (tensor<2x5x3x6xf32>, tensor<6xf32>, tensor<3xf32>, tensor<f32>)
// CHECK: onnx.MatMul
// CHECK-SAME: -> tensor<2x5x3x6xf32>
// CHECK: onnx.MatMul
// CHECK-SAME: (tensor<4xf32>, tensor<4x6xf32>) -> tensor<6xf32>
// CHECK: onnx.MatMul
// CHECK-SAME: (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
// CHECK: onnx.MatMul
// CHECK-SAME: (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
func.func @matmul(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>, %v: tensor<4xf32>, %m: tensor<4x6xf32>, %n: tensor<3x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.MatMul(%a, %b) : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<*xf32>
  %1 = onnx.MatMul(%v, %m) : (tensor<4xf32>, tensor<4x6xf32>) -> tensor<*xf32>
  %2 = onnx.MatMul(%n, %v) : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  %3 = onnx.MatMul(%v, %v) : (tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast
// CHECK: onnx.Add
// CHECK-SAME: (tensor<3x1xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
// CHECK: onnx.Mul
// CHECK-SAME: (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
// CHECK: onnx.Relu
// CHECK-SAME: (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
func.func @broadcast(%a: tensor<3x1xf32>, %b: tensor<2x1x4xf32>, %s: tensor<f32>) -> tensor<*xf32> {
  %0 = onnx.Add(%a, %b) : (tensor<3x1xf32>, tensor<2x1x4xf32>) -> tensor<*xf32>
  %1 = onnx.Mul(%0, %s) : (tensor<*xf32>, tensor<f32>) -> tensor<*xf32>
  %2 = onnx.Relu(%1) : (tensor<*xf32>) -> tensor<*xf32>
  return %2 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK: onnx.Flatten
// CHECK-SAME: -> tensor<2x60xf32>
// CHECK: onnx.Flatten
// CHECK-SAME: -> tensor<1x120xf32>
// CHECK: onnx.Flatten
// CHECK-SAME: -> tensor<24x5xf32>
func.func @flatten(%x: tensor<2x3x4x5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Flatten(%x) : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  %1 = onnx.Flatten(%x) {axis = 0 : si64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  %2 = onnx.Flatten(%x) {axis = -1 : si64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// 0 copies the input dim, -1 takes what is left.
// CHECK-LABEL: func.func @reshape
// CHECK: onnx.Constant
// CHECK-SAME: tensor<3xi64>
// CHECK: onnx.Reshape
// CHECK-SAME: (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x2x6xf32>
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %s = onnx.Constant {value = dense<[0, 2, -1]> : tensor<3xi64>} : tensor<3xi64>
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK: onnx.Softmax
// CHECK-SAME: -> tensor<3x10xf32>
// CHECK: onnx.Softmax
// CHECK-SAME: coerce_2d
// CHECK-SAME: -> tensor<2x3x4xf32>
func.func @softmax(%x: tensor<3x10xf32>, %y: tensor<2x3x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Softmax(%x) : (tensor<3x10xf32>) -> tensor<*xf32>
  %1 = onnx.Softmax(%y) {axis = 1 : si64, coerce_2d} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @global_average_pool
// CHECK-SAME: -> tensor<2x8x1x1xf32>
// CHECK: onnx.GlobalAveragePool
// CHECK-SAME: -> tensor<2x8x1x1xf32>
func.func @global_average_pool(%x: tensor<2x8x7x5xf32>) -> tensor<*xf32> {
  %0 = onnx.GlobalAveragePool(%x) : (tensor<2x8x7x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// The whole chain becomes static and the function type follows; Identity
// keeps its input type.
// CHECK-LABEL: func.func @function_type
// CHECK-SAME: (%{{.*}}: tensor<1x1x4x4xf32>) -> (tensor<1x16xf32>, tensor<1x1x4x4xf32>)
// CHECK: return %{{.*}}, %{{.*}} : tensor<1x16xf32>, tensor<1x1x4x4xf32>
func.func @function_type(%x: tensor<1x1x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Relu(%x) : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  %1 = onnx.Flatten(%0) : (tensor<*xf32>) -> tensor<*xf32>
  %2 = onnx.Identity(%x) : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  return %1, %2 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @conv_channel_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Conv' op channels do not match: X has 3, W is [4, 2, 3, 3], group 1}}
  %0 = onnx.Conv(%x, %w) : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bad_broadcast(%a: tensor<1x3xf32>, %b: tensor<1x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Add' op cannot broadcast operand 1 of shape [1, 4] with [1, 3]}}
  %0 = onnx.Add(%a, %b) : (tensor<1x3xf32>, tensor<1x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_dynamic_shape(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Reshape' op the target shape must be a constant, or the result's shape declared by the model (shapes that depend on input data are not supported yet)}}
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A target shape read at run time under a declared result shape; the
// kernel checks the data against it.
// CHECK-LABEL: func.func @reshape_declared_shape
// CHECK: onnx.Reshape(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
func.func @reshape_declared_shape(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<3x2xf32> {
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @reshape_declared_wrong_size(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'onnx.Reshape' op declared shape [3, 3] cannot hold the input [2, 3]}}
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @declared_shape_disagrees(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Relu' op inferred shape [2, 3] disagrees with the declared type 'tensor<3x2xf32>'}}
  %0 = onnx.Relu(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = onnx.Identity(%0) : (tensor<3x2xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
