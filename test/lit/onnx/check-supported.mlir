// onnxc-check-supported: one error lists every onnx.Custom op and every
// dynamic input; a supported function passes unchanged.
// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnxc-check-supported))' -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @supported
// CHECK: onnx.Relu
func.func @supported(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = onnx.Relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error @+1 {{3 unsupported ops: node 'sig' (Sigmoid), node 'branch' (If), node 'inner' (com.example.Frob); input 'x' has the dynamic dim 'N' (dynamic shapes other than a batch dim 0 that the inputs share are not supported yet; --shape fixes them)}}
func.func @unsupported(%x: tensor<?x4xf32> {onnx.name = "x", onnx.dim_params = ["N", ""]}) -> tensor<*xf32> {
  %0 = onnx.Custom "Sigmoid"(%x) {domain = "", onnx_attrs = {}} : (tensor<?x4xf32>) -> tensor<*xf32> loc("sig")
  %c = onnx.Constant {value = dense<true> : tensor<i1>} : tensor<i1>
  %1 = onnx.Custom "If"(%c) {domain = "", onnx_attrs = {}, subgraphs = ["then_branch"]} : (tensor<i1>) -> tensor<*xf32> {
    %2 = onnx.Custom "Frob"(%0) {domain = "com.example", onnx_attrs = {}} : (tensor<*xf32>) -> tensor<*xf32> loc("inner")
    onnx.Yield %2 : tensor<*xf32>
  } loc("branch")
  return %1 : tensor<*xf32>
}

// -----

// Inputs that are not tensors are named by their kind; sequences and
// optionals of tensors (onnx.holds) need --shape.
// expected-error @+1 {{input 's' is a sequence; input 'o' is an optional (sequences and optionals are compiled for the length and shapes --shape gives; not supported yet without); input 'm' is a map (inputs that are not tensors are not supported yet)}}
func.func @not_tensors(%s: tensor<*x!onnx.unknown> {onnx.name = "s", onnx.kind = "a sequence", onnx.holds = tensor<?xf32>}, %o: tensor<*x!onnx.unknown> {onnx.name = "o", onnx.kind = "an optional", onnx.holds = tensor<?xf32>}, %m: tensor<*x!onnx.unknown> {onnx.name = "m", onnx.kind = "a map"}) -> tensor<*x!onnx.unknown> {
  return %s : tensor<*x!onnx.unknown>
}
