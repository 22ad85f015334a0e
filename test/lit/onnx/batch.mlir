// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-batch-inputs,onnxc-infer-shapes,onnxc-decompose,onnxc-check-batch))' -split-input-file -verify-diagnostics %s | FileCheck %s

// The dynamic dim 0 that the inputs share becomes one item; per-item ops
// keep the batch as dim 0 and the outputs are marked batched. The weight
// input without the batch is shared.
// CHECK-LABEL: func.func @per_item
// CHECK-SAME: (%arg0: tensor<1x3x4x4xf32> {onnx.batched, onnx.dim_params = ["N", "", "", ""]}, %arg1: tensor<2x3x1x1xf32>)
// CHECK-SAME: -> (tensor<1x2xf32> {onnx.batched})
// CHECK-SAME: attributes {onnx.batch = "N"}
func.func @per_item(%x: tensor<?x3x4x4xf32> {onnx.dim_params = ["N", "", "", ""]}, %w: tensor<2x3x1x1xf32>) -> tensor<?x2xf32> {
  %c = onnx.Conv(%x, %w) : (tensor<?x3x4x4xf32>, tensor<2x3x1x1xf32>) -> tensor<*xf32>
  %r = onnx.Relu(%c) : (tensor<*xf32>) -> tensor<*xf32>
  %p = onnx.GlobalAveragePool(%r) : (tensor<*xf32>) -> tensor<*xf32>
  %f = onnx.Flatten(%p) {axis = 1 : si64} : (tensor<*xf32>) -> tensor<*xf32>
  %s = onnx.Softmax(%f) {axis = -1 : si64} : (tensor<*xf32>) -> tensor<?x2xf32>
  return %s : tensor<?x2xf32>
}

// -----

// A reduction over the batch dim mixes the items.
func.func @reduce_batch(%x: tensor<?x3xf32> {onnx.dim_params = ["N", ""]}) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.ReduceSum' op reduces over the batch dim, so the batch dim 'N' cannot be dynamic (each batch item must be computed alone; not supported yet)}}
  %s = onnx.ReduceSum(%x) {axes = [0], keepdims = 1 : si64} : (tensor<?x3xf32>) -> tensor<*xf32>
  return %s : tensor<*xf32>
}

// -----

// A softmax across the items.
func.func @softmax_batch(%x: tensor<?x3xf32> {onnx.dim_params = ["N", ""]}) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Softmax' op works along the batch dim}}
  %s = onnx.Softmax(%x) {axis = 0 : si64} : (tensor<?x3xf32>) -> tensor<*xf32>
  return %s : tensor<*xf32>
}

// -----

// A slice that picks item 0 of any batch.
func.func @slice_item(%x: tensor<?x3xf32> {onnx.dim_params = ["N", ""]}) -> tensor<*xf32> {
  %s = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %e = onnx.Constant {value = dense<[1]> : tensor<1xi64>} : tensor<1xi64>
  %a = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  // expected-error @+1 {{'onnx.Slice' op slices the batch dim}}
  %y = onnx.Slice(%x, %s, %e, %a) : (tensor<?x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Slicing another axis, and the whole batch dim (0 to an open end), keep
// the items apart.
// CHECK-LABEL: func.func @slice_other
// CHECK: onnx.Slice(%arg0) {axes = [0, 1], ends = [1, 2], onnx.cut_axes = [1], starts = [0, 1], steps = [1, 1]}
func.func @slice_other(%x: tensor<?x3xf32> {onnx.dim_params = ["N", ""]}) -> tensor<*xf32> {
  %s = onnx.Constant {value = dense<[0, 1]> : tensor<2xi64>} : tensor<2xi64>
  %e = onnx.Constant {value = dense<[9223372036854775807, 2]> : tensor<2xi64>} : tensor<2xi64>
  %y = onnx.Slice(%x, %s, %e) : (tensor<?x3xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// An output computed without the inputs' batch cannot be given per item.
// expected-error @+1 {{output '?' does not carry the batch dim 'N' (outputs without the batch are not supported yet)}}
func.func @unbatched_output(%x: tensor<?x3xf32> {onnx.dim_params = ["N", ""]}, %y: tensor<3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %a = onnx.Relu(%x) : (tensor<?x3xf32>) -> tensor<*xf32>
  %b = onnx.Relu(%y) : (tensor<3xf32>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// Dynamic dims other than a shared dim 0 are left alone (and refused
// later by onnxc-check-supported).
// CHECK-LABEL: func.func @two_names
// CHECK-SAME: (%arg0: tensor<?x3xf32>
// CHECK-NOT: onnx.batch
func.func @two_names(%x: tensor<?x3xf32> {onnx.dim_params = ["N", ""]}, %y: tensor<?x3xf32> {onnx.dim_params = ["M", ""]}) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}
