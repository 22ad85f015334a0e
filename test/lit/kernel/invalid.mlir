// kernel.group verifier: the body must match the group's inputs and result;
// the Winograd transforms' verifiers: tile and result shapes.
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

// -----

// The Winograd transforms: tile 2 or 4, results sized by the tiles.
func.func @winograd_tile(%x: tensor<1x16x8x8xf32>) -> tensor<25x16x2x2xf32> {
  // expected-error @+1 {{'kernel.winograd_input' op tile must be 2 or 4, not 3}}
  %0 = kernel.winograd_input %x {output_size = array<i64: 6, 6>, pads = array<i64: 0, 0>, tile = 3 : i64} : tensor<1x16x8x8xf32> -> tensor<25x16x2x2xf32>
  return %0 : tensor<25x16x2x2xf32>
}

// -----

func.func @winograd_input_shape(%x: tensor<1x16x8x8xf32>) -> tensor<16x16x3x3xf32> {
  // expected-error @+1 {{'kernel.winograd_input' op result must be 16x16x4x4 of the input's element type, not 'tensor<16x16x3x3xf32>'}}
  %0 = kernel.winograd_input %x {output_size = array<i64: 8, 8>, pads = array<i64: 1, 1>, tile = 2 : i64} : tensor<1x16x8x8xf32> -> tensor<16x16x3x3xf32>
  return %0 : tensor<16x16x3x3xf32>
}

// -----

func.func @winograd_input_size(%x: tensor<1x16x8x8xf32>) -> tensor<16x16x4x4xf32> {
  // expected-error @+1 {{'kernel.winograd_input' op needs pads of at least 0 and output sizes that are positive multiples of the tile}}
  %0 = kernel.winograd_input %x {output_size = array<i64: 7, 8>, pads = array<i64: 1, 1>, tile = 2 : i64} : tensor<1x16x8x8xf32> -> tensor<16x16x4x4xf32>
  return %0 : tensor<16x16x4x4xf32>
}

// -----

func.func @winograd_input_batch(%x: tensor<2x16x8x8xf32>) -> tensor<16x16x4x4xf32> {
  // expected-error @+1 {{'kernel.winograd_input' op input must be a static [1, C, H, W], not 'tensor<2x16x8x8xf32>'}}
  %0 = kernel.winograd_input %x {output_size = array<i64: 8, 8>, pads = array<i64: 1, 1>, tile = 2 : i64} : tensor<2x16x8x8xf32> -> tensor<16x16x4x4xf32>
  return %0 : tensor<16x16x4x4xf32>
}

// -----

func.func @winograd_output_shape(%y: tensor<36x8x2x2xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kernel.winograd_output' op result must be 1x8xHxW with H in (4, 8] and W in (4, 8], of the input's element type, not 'tensor<1x8x4x4xf32>'}}
  %0 = kernel.winograd_output %y {tile = 4 : i64} : tensor<36x8x2x2xf32> -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @winograd_output_positions(%y: tensor<16x8x2x2xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'kernel.winograd_output' op input must be a static [36, K, TH, TW], not 'tensor<16x8x2x2xf32>'}}
  %0 = kernel.winograd_output %y {tile = 4 : i64} : tensor<16x8x2x2xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// kernel.im2col: two of each window attribute, the taps on axis 2.
func.func @im2col_attrs(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x9x8x8xf32> {
  // expected-error @+1 {{'kernel.im2col' op needs two kernel sizes, strides, dilations and pads (top, left)}}
  %0 = kernel.im2col %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : tensor<1x4x8x8xf32> -> tensor<1x4x9x8x8xf32>
  return %0 : tensor<1x4x9x8x8xf32>
}

// -----

func.func @im2col_stride(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x9x8x8xf32> {
  // expected-error @+1 {{'kernel.im2col' op needs positive kernel sizes, strides and dilations and pads of at least 0}}
  %0 = kernel.im2col %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 0, 1>} : tensor<1x4x8x8xf32> -> tensor<1x4x9x8x8xf32>
  return %0 : tensor<1x4x9x8x8xf32>
}

// -----

func.func @im2col_taps(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x3x8x8xf32> {
  // expected-error @+1 {{'kernel.im2col' op result must be 1x4x9xHoxWo of the input's element type, not 'tensor<1x4x3x8x8xf32>'}}
  %0 = kernel.im2col %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 1, 1>} : tensor<1x4x8x8xf32> -> tensor<1x4x3x8x8xf32>
  return %0 : tensor<1x4x3x8x8xf32>
}

// -----

func.func @im2col_dynamic(%x: tensor<?x4x8x8xf32>) -> tensor<1x4x9x8x8xf32> {
  // expected-error @+1 {{'kernel.im2col' op input must be a static [N, C, H, W], not 'tensor<?x4x8x8xf32>'}}
  %0 = kernel.im2col %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 1, 1>} : tensor<?x4x8x8xf32> -> tensor<1x4x9x8x8xf32>
  return %0 : tensor<1x4x9x8x8xf32>
}

// -----

// kernel.packed_rows and kernel.packed_cols: the packed blocks must cover
// the result's rows (columns).
func.func @packed_rows_shape(%w: tensor<2x8x16xf32>) -> tensor<24x8xf32> {
  // expected-error @+1 {{'kernel.packed_rows' op result must be the input's 2 x 16 rows by 8 columns, not 'tensor<24x8xf32>'}}
  %0 = kernel.packed_rows %w : tensor<2x8x16xf32> -> tensor<24x8xf32>
  return %0 : tensor<24x8xf32>
}

// -----

func.func @packed_rows_rank(%w: tensor<32x8xf32>) -> tensor<32x8xf32> {
  // expected-error @+1 {{'kernel.packed_rows' op needs a static [B..., M / r, K, r] input and a [B..., M, K] result of its element type, not 'tensor<32x8xf32>' and 'tensor<32x8xf32>'}}
  %0 = kernel.packed_rows %w : tensor<32x8xf32> -> tensor<32x8xf32>
  return %0 : tensor<32x8xf32>
}

// -----

func.func @packed_cols_shape(%w: tensor<2x8x16xf32>) -> tensor<8x40xf32> {
  // expected-error @+1 {{'kernel.packed_cols' op result must be the input's 8 rows by up to 2 x 16 columns (the last panel's past N unread), not 'tensor<8x40xf32>'}}
  %0 = kernel.packed_cols %w : tensor<2x8x16xf32> -> tensor<8x40xf32>
  return %0 : tensor<8x40xf32>
}

// -----

func.func @packed_cols_type(%w: tensor<2x8x16xf16>) -> tensor<8x20xf32> {
  // expected-error @+1 {{'kernel.packed_cols' op needs a static [B..., N / c, K, c] input and a [B..., K, N] result of its element type, not 'tensor<2x8x16xf16>' and 'tensor<8x20xf32>'}}
  %0 = kernel.packed_cols %w : tensor<2x8x16xf16> -> tensor<8x20xf32>
  return %0 : tensor<8x20xf32>
}
