// Passes that need inferred shapes leave ops whose types are not ranked yet (IR before onnxc-infer-shapes) as they are, rather than crash.
// RUN: onnxc-opt --onnxc-matmul-forms -split-input-file %s | FileCheck %s --check-prefix=FORMS
// RUN: onnxc-opt --onnxc-fuse-kernels -split-input-file %s | FileCheck %s --check-prefix=FUSE

// A stacked MatMul and a conv with unranked results: not rewritten; the
// Relu after the MatMul does not join its group.
// FORMS-LABEL: func.func @unranked
// FORMS: onnx.MatMul(%arg0, %arg1) : (tensor<2x3x8xf32>, tensor<8x5xf32>) -> tensor<*xf32>
// FORMS: onnx.Conv(%arg2, %{{.+}}) {{.*}} -> tensor<*xf32>
// FORMS-NOT: onnx.Reshape
// FUSE-LABEL: func.func @unranked
// FUSE: kernel.group "k0" anchor "MatMul"
// FUSE-NOT: onnx.Relu
// FUSE: kernel.yield
// FUSE: kernel.group "k1" anchor "Relu"
func.func @unranked(%a: tensor<2x3x8xf32>, %b: tensor<8x5xf32>, %x: tensor<1x3x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %p = onnx.MatMul(%a, %b) : (tensor<2x3x8xf32>, tensor<8x5xf32>) -> tensor<*xf32>
  %r = onnx.Relu(%p) : (tensor<*xf32>) -> tensor<*xf32>
  %w = onnx.Constant {value = dense<1.0> : tensor<4x3x1x1xf32>} : tensor<4x3x1x1xf32>
  %c = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x4x4xf32>, tensor<4x3x1x1xf32>) -> tensor<*xf32>
  return %r, %c : tensor<*xf32>, tensor<*xf32>
}
