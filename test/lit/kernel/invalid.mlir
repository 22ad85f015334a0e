// kernel.group verifier: the body must match the group's inputs and result.
// RUN: onnxc-opt -split-input-file -verify-diagnostics %s | FileCheck %s

func.func @arg_count(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kernel.group' op body has 1 arguments for 2 inputs}}
  %0 = kernel.group "k0" anchor "Add" (%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    kernel.yield %a : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @arg_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kernel.group' op body argument type 'tensor<8xf32>' differs from input type 'tensor<4xf32>'}}
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<8xf32>):
    %r = onnx.Relu(%a) : (tensor<8xf32>) -> tensor<8xf32>
    kernel.yield %r : tensor<8xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @yield_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kernel.group' op yields 'tensor<2x2xf32>' but the group returns 'tensor<4xf32>'}}
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %s = onnx.Constant {value = dense<[2, 2]> : tensor<2xi64>} : tensor<2xi64>
    %r = onnx.Reshape(%a, %s) : (tensor<4xf32>, tensor<2xi64>) -> tensor<2x2xf32>
    kernel.yield %r : tensor<2x2xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @no_yield(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kernel.group' op body must end in kernel.yield}}
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %r = onnx.Relu(%a) : (tensor<4xf32>) -> tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @empty_body(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kernel.group' op body must end in kernel.yield}}
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @yield_outside_group(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kernel.yield' op expects parent op 'kernel.group'}}
  kernel.yield %x : tensor<4xf32>
}

// -----

// A valid group round-trips.
// CHECK-LABEL: func.func @valid
// CHECK: kernel.group "k0" anchor "Add"(%{{.*}}, %{{.*}}) {schedule = {strategy = "elementwise"}}
// CHECK: kernel.yield %{{.*}} : tensor<4xf32>
func.func @valid(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kernel.group "k0" anchor "Add" (%x, %y) {schedule = {strategy = "elementwise"}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>, %b: tensor<4xf32>):
    %s = onnx.Add(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    kernel.yield %s : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
