// onnxc-infer-shapes on elementwise, reduction, shape-query and data-movement
// ops: result types, resolved attributes, and Shape/Size folded to constants.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-infer-shapes))' -split-input-file -verify-diagnostics %s | FileCheck %s

// Comparisons give bool; Cast gives `to`; Where takes X's type; all three
// broadcast every operand.
// CHECK-LABEL: func.func @elementwise_types
// CHECK: onnx.Less{{.*}} -> tensor<2x3xi1>
// CHECK: onnx.Cast{{.*}} -> tensor<2x3xi64>
// CHECK: onnx.Where{{.*}} -> tensor<2x3xf32>
func.func @elementwise_types(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<*xi1>, tensor<*xi64>, tensor<*xf32>) {
  %lt = onnx.Less(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xi1>
  %c = onnx.Cast(%a) {to = 7 : si64} : (tensor<2x3xf32>) -> tensor<*xi64>
  %w = onnx.Where(%lt, %a, %b) : (tensor<*xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %lt, %c, %w : tensor<*xi1>, tensor<*xi64>, tensor<*xf32>
}

// -----

// Clip with an absent min (onnx.NoValue) and a max input.
// CHECK-LABEL: func.func @clip_max_only
// CHECK: onnx.Clip{{.*}} -> tensor<4xf32>
func.func @clip_max_only(%x: tensor<4xf32>, %hi: tensor<f32>) -> tensor<*xf32> {
  %none = onnx.NoValue
  %0 = onnx.Clip(%x, %none, %hi) : (tensor<4xf32>, none, tensor<f32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Axes from a constant input are resolved into the attribute (negative
// axes normalized, sorted) and the input is dropped; keepdims keeps size-1
// dims.
// CHECK-LABEL: func.func @reduce_axes_input
// CHECK: onnx.ReduceSum(%arg0) {axes = [0, 2]} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
func.func @reduce_axes_input(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %axes = onnx.Constant {value = dense<[-1, 0]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.ReduceSum(%x, %axes) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// No axes: every axis, unless noop_with_empty_axes (then an identity). An
// axes input without elements is known without being a constant.
// CHECK-LABEL: func.func @reduce_default_axes
// CHECK: onnx.ReduceMax(%arg0) {axes = [0, 1], keepdims = 0 : si64} : (tensor<2x3xf32>) -> tensor<f32>
// CHECK: onnx.ReduceMin(%arg0) {axes = [], noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @reduce_default_axes(%x: tensor<2x3xf32>, %none: tensor<0xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.ReduceMax(%x) {keepdims = 0 : si64} : (tensor<2x3xf32>) -> tensor<*xf32>
  %1 = onnx.ReduceMin(%x, %none) {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Axes that only the input's data knows, with no declared result shape,
// are an error, not a guess.
func.func @reduce_runtime_axes(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.ReduceSum' op axes must be a constant, or the result's shape declared by the model (shapes that depend on input data are not supported yet)}}
  %0 = onnx.ReduceSum(%x, %axes) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A declared result shape is the contract under which axes are read at run
// time: the axes input stays, no axes attribute is resolved. The shape may
// also be declared on the result of a shape-keeping elementwise chain.
// CHECK-LABEL: func.func @reduce_declared_runtime_axes
// CHECK: onnx.ReduceSum(%arg0, %arg1) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x1x2xf32>
// CHECK: onnx.ReduceMax(%arg0, %arg1) {keepdims = 0 : si64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
// CHECK: onnx.ReduceSum(%arg0, %arg1) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2x1xf32>
// CHECK-NEXT: onnx.Sqrt({{.*}}) : (tensor<3x2x1xf32>) -> tensor<3x2x1xf32>
func.func @reduce_declared_runtime_axes(%x: tensor<3x2x2xf32>, %axes: tensor<1xi64>) -> (tensor<3x1x2xf32>, tensor<3x2xf32>, tensor<3x2x1xf32>) {
  %0 = onnx.ReduceSum(%x, %axes) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x1x2xf32>
  %1 = onnx.ReduceMax(%x, %axes) {keepdims = 0 : si64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  %2 = onnx.ReduceSum(%x, %axes) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<*xf32>
  %3 = onnx.Sqrt(%2) : (tensor<*xf32>) -> tensor<3x2x1xf32>
  return %0, %1, %3 : tensor<3x1x2xf32>, tensor<3x2xf32>, tensor<3x2x1xf32>
}

// -----

func.func @reduce_declared_impossible(%x: tensor<3x4x5xf32>, %axes: tensor<1xi64>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'onnx.ReduceSum' op declared shape [4, 3] cannot come from reducing [3, 4, 5] over 1 axes}}
  %0 = onnx.ReduceSum(%x, %axes) {keepdims = 0 : si64} : (tensor<3x4x5xf32>, tensor<1xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Slice, Squeeze, Unsqueeze, Expand, Tile, Pad, ConstantOfShape and Range
// with inputs read at run time take the declared shape and keep the inputs.
// CHECK-LABEL: func.func @declared_runtime_shapes
// CHECK: onnx.Slice(%arg0, %arg1, %arg1) : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x3xf32>
// CHECK: onnx.Squeeze(%arg2, %arg3) : (tensor<1x4x1xf32>, tensor<1xi64>) -> tensor<4x1xf32>
// CHECK: onnx.Unsqueeze(%arg0, %arg3) : (tensor<4x6xf32>, tensor<1xi64>) -> tensor<4x1x6xf32>
// CHECK: onnx.Expand(%arg2, %arg4) : (tensor<1x4x1xf32>, tensor<3xi64>) -> tensor<2x4x5xf32>
// CHECK: onnx.Tile(%arg2, %arg4) : (tensor<1x4x1xf32>, tensor<3xi64>) -> tensor<2x8x3xf32>
// CHECK: onnx.Pad(%arg0, %arg5) : (tensor<4x6xf32>, tensor<4xi64>) -> tensor<5x9xf32>
// CHECK: onnx.ConstantOfShape(%arg1) : (tensor<2xi64>) -> tensor<2x2xf32>
// CHECK: onnx.Range(%arg6, %arg6, %arg6) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<7xf32>
func.func @declared_runtime_shapes(%x: tensor<4x6xf32>, %i2: tensor<2xi64>, %y: tensor<1x4x1xf32>, %i1: tensor<1xi64>, %i3: tensor<3xi64>, %i4: tensor<4xi64>, %s: tensor<f32>) -> (tensor<2x3xf32>, tensor<4x1xf32>, tensor<4x1x6xf32>, tensor<2x4x5xf32>, tensor<2x8x3xf32>, tensor<5x9xf32>, tensor<2x2xf32>, tensor<7xf32>) {
  %0 = onnx.Slice(%x, %i2, %i2) : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x3xf32>
  %1 = onnx.Squeeze(%y, %i1) : (tensor<1x4x1xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  %2 = onnx.Unsqueeze(%x, %i1) : (tensor<4x6xf32>, tensor<1xi64>) -> tensor<4x1x6xf32>
  %3 = onnx.Expand(%y, %i3) : (tensor<1x4x1xf32>, tensor<3xi64>) -> tensor<2x4x5xf32>
  %4 = onnx.Tile(%y, %i3) : (tensor<1x4x1xf32>, tensor<3xi64>) -> tensor<2x8x3xf32>
  %5 = onnx.Pad(%x, %i4) {mode = "constant"} : (tensor<4x6xf32>, tensor<4xi64>) -> tensor<5x9xf32>
  %6 = onnx.ConstantOfShape(%i2) : (tensor<2xi64>) -> tensor<2x2xf32>
  %7 = onnx.Range(%s, %s, %s) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<7xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x3xf32>, tensor<4x1xf32>, tensor<4x1x6xf32>, tensor<2x4x5xf32>, tensor<2x8x3xf32>, tensor<5x9xf32>, tensor<2x2xf32>, tensor<7xf32>
}

// -----

func.func @squeeze_declared_impossible(%y: tensor<1x4x1xf32>, %axes: tensor<1xi64>) -> tensor<1x4x1xf32> {
  // expected-error @+1 {{'onnx.Squeeze' op declared shape [4, 4] cannot come from [1, 4, 1] with 1 axes}}
  %0 = onnx.Squeeze(%y, %axes) : (tensor<1x4x1xf32>, tensor<1xi64>) -> tensor<4x4xf32>
  return %y : tensor<1x4x1xf32>
}

// -----

func.func @tile_declared_impossible(%y: tensor<1x4x1xf32>, %r: tensor<3xi64>) -> tensor<1x4x1xf32> {
  // expected-error @+1 {{'onnx.Tile' op declared shape [1, 6, 1] is no tiling of [1, 4, 1]}}
  %0 = onnx.Tile(%y, %r) : (tensor<1x4x1xf32>, tensor<3xi64>) -> tensor<1x6x1xf32>
  return %y : tensor<1x4x1xf32>
}

// -----

// ArgMax: int64 indices, the axis normalized.
// CHECK-LABEL: func.func @argmax
// CHECK: onnx.ArgMax(%arg0) {axis = 1 : si64, keepdims = 0 : si64} : (tensor<2x5xf32>) -> tensor<2xi64>
func.func @argmax(%x: tensor<2x5xf32>) -> tensor<*xi64> {
  %0 = onnx.ArgMax(%x) {axis = -1 : si64, keepdims = 0 : si64} : (tensor<2x5xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

// Shape and Size fold to constants once the input's shape is known, and
// what uses them (here a Reshape) sees a constant.
// CHECK-LABEL: func.func @shape_size_fold
// CHECK-DAG: onnx.Constant {value = dense<[3, 4]> : tensor<2xi64>}
// CHECK-DAG: onnx.Constant {value = dense<24> : tensor<i64>}
// CHECK-NOT: onnx.Shape
// CHECK-NOT: onnx.Size
// CHECK: onnx.Reshape{{.*}} -> tensor<4x6xf32>
func.func @shape_size_fold(%x: tensor<2x3x4xf32>, %y: tensor<24xf32>) -> (tensor<*xi64>, tensor<*xf32>) {
  %s = onnx.Shape(%x) {start = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %n = onnx.Size(%x) : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %t = onnx.Constant {value = dense<[4, -1]> : tensor<2xi64>} : tensor<2xi64>
  %r = onnx.Reshape(%y, %t) : (tensor<24xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %n, %r : tensor<*xi64>, tensor<*xf32>
}

// -----

// Data movement: Transpose (default perm reverses), Concat, Gather with
// index dims spliced in, Unsqueeze/Squeeze axes, Slice with negative
// steps resolved into per-axis starts/ends/steps.
// CHECK-LABEL: func.func @data_movement
// CHECK: onnx.Transpose(%arg0) {perm = [2, 1, 0]} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK: onnx.Concat(%arg0, %arg0) {axis = 1 : si64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x6x4xf32>
// CHECK: onnx.Gather(%arg0, %arg1) {axis = 1 : si64} : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<2x5x2x4xf32>
// CHECK: onnx.Unsqueeze(%arg0) {axes = [0, 4]} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4x1xf32>
// CHECK: onnx.Slice(%arg0) {axes = [0, 1, 2], ends = [2, 3, -1], onnx.cut_axes = [2], starts = [0, 0, 3], steps = [1, 1, -2]} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
func.func @data_movement(%x: tensor<2x3x4xf32>, %i: tensor<5x2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %t = onnx.Transpose(%x) : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %c = onnx.Concat(%x, %x) {axis = -2 : si64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<*xf32>
  %g = onnx.Gather(%x, %i) {axis = 1 : si64} : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<*xf32>
  %axes = onnx.Constant {value = dense<[0, -1]> : tensor<2xi64>} : tensor<2xi64>
  %u = onnx.Unsqueeze(%x, %axes) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  %starts = onnx.Constant {value = dense<[100]> : tensor<1xi64>} : tensor<1xi64>
  %ends = onnx.Constant {value = dense<[-100]> : tensor<1xi64>} : tensor<1xi64>
  %sa = onnx.Constant {value = dense<[2]> : tensor<1xi64>} : tensor<1xi64>
  %st = onnx.Constant {value = dense<[-2]> : tensor<1xi64>} : tensor<1xi64>
  %s = onnx.Slice(%x, %starts, %ends, %sa, %st) : (tensor<2x3x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %t, %c, %g, %u, %s : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// ConvTranspose: output_shape becomes explicit pads (a negative end pad
// adds zeros past the full size); QuantizeLinear takes the zero point's
// type; GatherND splices index tuples.
// CHECK-LABEL: func.func @convtranspose_quantize_gathernd
// CHECK: onnx.ConvTranspose(%arg0, %arg1) {dilations = [1, 1], kernel_shape = [3, 3], output_padding = [0, 0], pads = [0, 0, -1, -1], strides = [3, 2]} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x10x8xf32>
// CHECK: onnx.QuantizeLinear{{.*}} -> tensor<2x3xi8>
// CHECK: onnx.GatherND{{.*}} : (tensor<2x3xf32>, tensor<4x1xi64>) -> tensor<4x3xf32>
func.func @convtranspose_quantize_gathernd(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %a: tensor<2x3xf32>, %s: tensor<f32>, %z: tensor<i8>, %i: tensor<4x1xi64>) -> (tensor<*xf32>, tensor<*xi8>, tensor<*xf32>) {
  %y = onnx.ConvTranspose(%x, %w) {output_shape = [10, 8], strides = [3, 2]} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<*xf32>
  %q = onnx.QuantizeLinear(%a, %s, %z) : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<*xi8>
  %g = onnx.GatherND(%a, %i) : (tensor<2x3xf32>, tensor<4x1xi64>) -> tensor<*xf32>
  return %y, %q, %g : tensor<*xf32>, tensor<*xi8>, tensor<*xf32>
}

// -----

// GridSample: Y is [N, C, grid's middle dims]; opset 16's bilinear and
// bicubic become linear and cubic.
// CHECK-LABEL: func.func @grid_sample
// CHECK: onnx.GridSample(%arg0, %arg1) : (tensor<2x3x8x8xf32>, tensor<2x5x6x2xf32>) -> tensor<2x3x5x6xf32>
// CHECK: onnx.GridSample(%arg2, %arg3) {mode = "cubic", padding_mode = "reflection"} : (tensor<1x1x3x2x2xf32>, tensor<1x2x4x2x3xf32>) -> tensor<1x1x2x4x2xf32>
func.func @grid_sample(%x: tensor<2x3x8x8xf32>, %g: tensor<2x5x6x2xf32>, %v: tensor<1x1x3x2x2xf32>, %gv: tensor<1x2x4x2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y = onnx.GridSample(%x, %g) {mode = "bilinear"} : (tensor<2x3x8x8xf32>, tensor<2x5x6x2xf32>) -> tensor<*xf32>
  %w = onnx.GridSample(%v, %gv) {mode = "bicubic", padding_mode = "reflection"} : (tensor<1x1x3x2x2xf32>, tensor<1x2x4x2x3xf32>) -> tensor<*xf32>
  return %y, %w : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @grid_sample_bad_grid(%x: tensor<1x1x4x4xf32>, %g: tensor<1x5x6x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.GridSample' op needs X [N, C, d...] and grid [N, o..., rank(d)]}}
  %y = onnx.GridSample(%x, %g) : (tensor<1x1x4x4xf32>, tensor<1x5x6x3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Einsum: the equation is made explicit (no spaces, the ellipsis as
// unused letters aligned to the right, the implicit output written out).
// CHECK-LABEL: func.func @einsum
// CHECK: onnx.Einsum(%arg0, %arg1) {equation = "ZYij,Yjk->ZYik"} : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
// CHECK: onnx.Einsum(%arg2) {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
func.func @einsum(%x: tensor<2x1x3x4xf32>, %y: tensor<5x4x6xf32>, %d: tensor<3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %p = onnx.Einsum(%x, %y) {equation = "...ij, ...jk"} : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<*xf32>
  %q = onnx.Einsum(%d) {equation = "ii -> i"} : (tensor<3x3xf32>) -> tensor<*xf32>
  return %p, %q : tensor<*xf32>, tensor<*xf32>
}

// -----

// CumSum's axis decides no shape: a constant one is resolved into the
// attribute, one known only at run time is left to the kernel.
// CHECK-LABEL: func.func @cumsum_axis
// CHECK: onnx.CumSum(%arg0, %{{.+}}) {axis = 1 : si64} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
// CHECK: onnx.CumSum(%arg0, %arg1) : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
func.func @cumsum_axis(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %c = onnx.Constant {value = dense<-1> : tensor<i64>} : tensor<i64>
  %a = onnx.CumSum(%x, %c) : (tensor<2x3xf32>, tensor<i64>) -> tensor<*xf32>
  %b = onnx.CumSum(%x, %axis) : (tensor<2x3xf32>, tensor<i32>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// DFT: complex results in a last axis of 2; a constant dft_length and
// onesided shorten the signal axis; an axis known only at run time is
// left to the kernel when it decides no shape.
// CHECK-LABEL: func.func @dft
// CHECK: onnx.DFT(%arg0, %{{.+}}) {axis = 1 : si64, length = 6 : si64, onesided = 1 : si64} : (tensor<2x8x1xf32>, tensor<i64>) -> tensor<2x4x2xf32>
// CHECK: onnx.DFT(%arg1, %{{.+}}, %arg2) : (tensor<1x4x5x1xf32>, none, tensor<i64>) -> tensor<1x4x5x2xf32>
func.func @dft(%x: tensor<2x8x1xf32>, %z: tensor<1x4x5x1xf32>, %axis: tensor<i64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %n = onnx.Constant {value = dense<6> : tensor<i64>} : tensor<i64>
  %a = onnx.DFT(%x, %n) {axis = 1 : si64, onesided = 1 : si64} : (tensor<2x8x1xf32>, tensor<i64>) -> tensor<*xf32>
  %none = onnx.NoValue
  %b = onnx.DFT(%z, %none, %axis) : (tensor<1x4x5x1xf32>, none, tensor<i64>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// More results than Y and the two running statistics is an error, not a
// result left without a value.
func.func @batch_norm_too_many_results(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.BatchNormalization' op has at most 3 results (Y, running_mean, running_var)}}
  %y, %a, %b, %c = onnx.BatchNormalization(%x, %s, %s, %s, %s) {training_mode = 1 : si64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

// Resize: constant scales floor in * scale; sizes give the result (here
// not_larger keeps the aspect ratio: scale min(4/2, 9/4) = 2); scales read
// at run time take the declared shape. An empty roi becomes absent.
// CHECK-LABEL: func.func @resize_shapes
// CHECK: onnx.Resize(%arg0, %{{.*}}, %{{.*}}) {mode = "linear"} : (tensor<1x1x2x4xf32>, none, tensor<4xf32>) -> tensor<1x1x5x3xf32>
// CHECK: onnx.Resize(%arg0, %{{.*}}, %{{.*}}, %{{.*}}) {axes = [2, 3], keep_aspect_ratio_policy = "not_larger"} : (tensor<1x1x2x4xf32>, none, none, tensor<2xi64>) -> tensor<1x1x4x8xf32>
// CHECK: onnx.Resize(%arg0, %{{.*}}, %arg1) : (tensor<1x1x2x4xf32>, none, tensor<4xf32>) -> tensor<1x1x3x3xf32>
func.func @resize_shapes(%x: tensor<1x1x2x4xf32>, %s: tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  %roi = onnx.Constant {value = dense<> : tensor<0xf32>} : tensor<0xf32>
  %scales = onnx.Constant {value = dense<[1.0, 1.0, 2.6, 0.8]> : tensor<4xf32>} : tensor<4xf32>
  %sizes = onnx.Constant {value = dense<[4, 9]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.Resize(%x, %roi, %scales) {mode = "linear"} : (tensor<1x1x2x4xf32>, tensor<0xf32>, tensor<4xf32>) -> tensor<*xf32>
  %1 = onnx.Resize(%x, %none, %none, %sizes) {axes = [2, 3], keep_aspect_ratio_policy = "not_larger"} : (tensor<1x1x2x4xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  %2 = onnx.Resize(%x, %none, %s) : (tensor<1x1x2x4xf32>, none, tensor<4xf32>) -> tensor<1x1x3x3xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<1x1x3x3xf32>
}

// -----

// OneHot inserts the depth at `axis`; Compress keeps the true conditions'
// slices; the windows are `size` long (a constant one is folded: periodic
// Hann of 10). Constant depth, condition and size decide the shape,
// run-time ones take the declared shape.
// CHECK-LABEL: func.func @onehot_compress_windows
// CHECK: onnx.OneHot({{.*}}) {axis = 1 : si64} : (tensor<2x3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<2x5x3xf32>
// CHECK: onnx.OneHot(%arg0, %arg1, {{.*}}) : (tensor<2x3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<2x3x4xf32>
// CHECK: onnx.Compress(%arg2, {{.*}}) {axis = 1 : si64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<2x2xf32>
// CHECK: onnx.Compress(%arg2, %arg3) : (tensor<2x3xf32>, tensor<4xi1>) -> tensor<3xf32>
// CHECK: onnx.Constant {value = dense<[0.000000e+00, 0.0954915061, 0.345491499, 0.654508471, 0.904508471, 1.000000e+00, 0.904508471, 0.654508471, 0.345491499, 0.0954915061]> : tensor<10xf32>}
// CHECK: onnx.BlackmanWindow(%arg1) {output_datatype = 11 : si64} : (tensor<i64>) -> tensor<6xf64>
func.func @onehot_compress_windows(%i: tensor<2x3xi64>, %d: tensor<i64>, %x: tensor<2x3xf32>, %c: tensor<4xi1>) -> (tensor<*xf32>, tensor<2x3x4xf32>, tensor<*xf32>, tensor<3xf32>, tensor<*xf32>, tensor<6xf64>) {
  %depth = onnx.Constant {value = dense<5.0> : tensor<f32>} : tensor<f32>
  %values = onnx.Constant {value = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<2xf32>
  %cond = onnx.Constant {value = dense<[true, false, true]> : tensor<3xi1>} : tensor<3xi1>
  %size = onnx.Constant {value = dense<10> : tensor<i64>} : tensor<i64>
  %0 = onnx.OneHot(%i, %depth, %values) {axis = 1 : si64} : (tensor<2x3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<*xf32>
  %1 = onnx.OneHot(%i, %d, %values) : (tensor<2x3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<2x3x4xf32>
  %2 = onnx.Compress(%x, %cond) {axis = -1 : si64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<*xf32>
  %3 = onnx.Compress(%x, %c) : (tensor<2x3xf32>, tensor<4xi1>) -> tensor<3xf32>
  %4 = onnx.HannWindow(%size) : (tensor<i64>) -> tensor<*xf32>
  %5 = onnx.BlackmanWindow(%d) {output_datatype = 11 : si64} : (tensor<i64>) -> tensor<6xf64>
  return %0, %1, %2, %3, %4, %5 : tensor<*xf32>, tensor<2x3x4xf32>, tensor<*xf32>, tensor<3xf32>, tensor<*xf32>, tensor<6xf64>
}

// -----

// Reducing over an empty axis read at run time: the data become a fill of
// the reduction's value on an empty set (0 for ReduceSum, -inf for
// ReduceMax), the empty dim a size (4) no other dim has.
// CHECK-LABEL: func.func @reduce_empty_runtime_axes
// CHECK: %[[ZERO:.*]] = onnx.Constant {value = dense<0.000000e+00> : tensor<2x4x3xf32>}
// CHECK: onnx.ReduceSum(%[[ZERO]], %arg1) : (tensor<2x4x3xf32>, tensor<1xi64>) -> tensor<2x1x3xf32>
// CHECK: %[[LOW:.*]] = onnx.Constant {value = dense<0xFF800000> : tensor<2x4x3xf32>}
// CHECK: onnx.ReduceMax(%[[LOW]], %arg1) {keepdims = 0 : si64} : (tensor<2x4x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
func.func @reduce_empty_runtime_axes(%x: tensor<2x0x3xf32>, %axes: tensor<1xi64>) -> (tensor<2x1x3xf32>, tensor<2x3xf32>) {
  %0 = onnx.ReduceSum(%x, %axes) : (tensor<2x0x3xf32>, tensor<1xi64>) -> tensor<2x1x3xf32>
  %1 = onnx.ReduceMax(%x, %axes) {keepdims = 0 : si64} : (tensor<2x0x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x1x3xf32>, tensor<2x3xf32>
}

// -----

// CenterCropPad takes the sizes along its axes; AffineGrid the [N, H, W, 2]
// grid of `size`; NonZero [rank, count], the count declared when X is
// known only at run time.
// CHECK-LABEL: func.func @crop_grid_nonzero
// CHECK: onnx.CenterCropPad({{.*}}) {axes = [0, 2]} : (tensor<5x4x3xf32>, tensor<2xi64>) -> tensor<3x4x6xf32>
// CHECK: onnx.AffineGrid({{.*}}) : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<2x5x6x2xf32>
// CHECK: onnx.NonZero(%arg1) : (tensor<2x3xf32>) -> tensor<2x4xi64>
func.func @crop_grid_nonzero(%theta: tensor<2x2x3xf32>, %x: tensor<2x3xf32>, %data: tensor<5x4x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<2x4xi64>) {
  %shape = onnx.Constant {value = dense<[3, 6]> : tensor<2xi64>} : tensor<2xi64>
  %size = onnx.Constant {value = dense<[2, 1, 5, 6]> : tensor<4xi64>} : tensor<4xi64>
  %0 = onnx.CenterCropPad(%data, %shape) {axes = [0, -1]} : (tensor<5x4x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  %1 = onnx.AffineGrid(%theta, %size) : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<*xf32>
  %2 = onnx.NonZero(%x) : (tensor<2x3xf32>) -> tensor<2x4xi64>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<2x4xi64>
}

// -----

// TfIdfVectorizer: one float32 column per output index, per row of X.
// CHECK-LABEL: func.func @tfidf
// CHECK: onnx.TfIdfVectorizer(%arg0) {{.*}} : (tensor<2x6xi32>) -> tensor<2x7xf32>
func.func @tfidf(%x: tensor<2x6xi32>) -> tensor<*xf32> {
  %0 = onnx.TfIdfVectorizer(%x) {max_gram_length = 2 : si64, max_skip_count = 1 : si64, min_gram_length = 1 : si64, mode = "TF", ngram_counts = [0, 4], ngram_indexes = [0, 1, 2, 3, 4, 5, 6], pool_int64s = [2, 3, 5, 4, 5, 6, 7, 8, 6, 7]} : (tensor<2x6xi32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @tfidf_strings(%x: tensor<6xi32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.TfIdfVectorizer' op with a string pool is not supported yet}}
  %0 = onnx.TfIdfVectorizer(%x) {max_gram_length = 1 : si64, max_skip_count = 0 : si64, min_gram_length = 1 : si64, mode = "TF", ngram_counts = [0], ngram_indexes = [0], pool_strings = ["a"]} : (tensor<6xi32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Det drops the trailing square matrix dims.
// CHECK-LABEL: func.func @det
// CHECK: onnx.Det(%arg0) : (tensor<3x4x4xf32>) -> tensor<3xf32>
func.func @det(%x: tensor<3x4x4xf32>) -> tensor<*xf32> {
  %0 = onnx.Det(%x) : (tensor<3x4x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// MaxUnpool: (in - 1) * stride - pads + kernel per spatial axis, or the
// output_shape given.
// CHECK-LABEL: func.func @maxunpool
// CHECK: onnx.MaxUnpool(%arg0, %arg1) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xi64>) -> tensor<1x2x4x6xf32>
// CHECK: onnx.MaxUnpool(%arg0, %arg1, %arg2) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xi64>, tensor<4xi64>) -> tensor<1x2x5x7xf32>
func.func @maxunpool(%x: tensor<1x2x2x3xf32>, %i: tensor<1x2x2x3xi64>, %s: tensor<4xi64>) -> (tensor<*xf32>, tensor<1x2x5x7xf32>) {
  %0 = onnx.MaxUnpool(%x, %i) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xi64>) -> tensor<*xf32>
  %1 = onnx.MaxUnpool(%x, %i, %s) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xi64>, tensor<4xi64>) -> tensor<1x2x5x7xf32>
  return %0, %1 : tensor<*xf32>, tensor<1x2x5x7xf32>
}

// -----

// Blocked DequantizeLinear: one scale per block of 2 along axis 1.
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: onnx.DequantizeLinear(%arg0, %arg1) {block_size = 2 : si64} : (tensor<2x5xi8>, tensor<2x3xf32>) -> tensor<2x5xf32>
func.func @dequantize_blocked(%x: tensor<2x5xi8>, %s: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = onnx.DequantizeLinear(%x, %s) {axis = 1 : si64, block_size = 2 : si64} : (tensor<2x5xi8>, tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @quantize_blocked_wrong_scale(%x: tensor<2x5xf32>, %s: tensor<2x2xf32>) -> tensor<*xi8> {
  // expected-error @+1 {{'onnx.QuantizeLinear' op scale [2, 2] does not hold one value per block of 2 along axis 1 of [2, 5]}}
  %0 = onnx.QuantizeLinear(%x, %s) {axis = 1 : si64, block_size = 2 : si64, output_dtype = 3 : si64} : (tensor<2x5xf32>, tensor<2x2xf32>) -> tensor<*xi8>
  return %0 : tensor<*xi8>
}

// -----

// CastLike reads only target_type's element type: a scalar zero of that
// type replaces it, so that no kernel takes the tensor (here empty).
// CHECK-LABEL: func.func @castlike_target
// CHECK: %[[ZERO:.*]] = onnx.Constant {value = dense<0.000000e+00> : tensor<f16>} : tensor<f16>
// CHECK: onnx.CastLike(%arg0, %[[ZERO]]) : (tensor<2x3xf32>, tensor<f16>) -> tensor<2x3xf16>
func.func @castlike_target(%x: tensor<2x3xf32>, %like: tensor<0xf16>) -> tensor<*xf16> {
  %0 = onnx.CastLike(%x, %like) : (tensor<2x3xf32>, tensor<0xf16>) -> tensor<*xf16>
  return %0 : tensor<*xf16>
}

// -----

// Expand with a shape input shorter than the input's rank: the dims it does
// not reach stay the input's, whatever the declaration says.
func.func @expand_declared_leading(%y: tensor<1x4x1xf32>, %s: tensor<2xi64>) -> tensor<1x4x1xf32> {
  // expected-error @+1 {{'onnx.Expand' op declared shape [3, 4, 5] is no broadcast of [1, 4, 1]}}
  %0 = onnx.Expand(%y, %s) : (tensor<1x4x1xf32>, tensor<2xi64>) -> tensor<3x4x5xf32>
  return %y : tensor<1x4x1xf32>
}

// -----

// NonMaxSuppression: how many boxes survive depends on the data, so the
// result takes the declared [num_selected, 3] in int64.
// CHECK-LABEL: func.func @nms_declared
// CHECK: onnx.NonMaxSuppression(%arg0, %arg1, %0, %1) {center_point_box = 1 : si64} : (tensor<2x5x4xf32>, tensor<2x3x5xf32>, tensor<1xi64>, tensor<1xf32>) -> tensor<7x3xi64>
func.func @nms_declared(%boxes: tensor<2x5x4xf32>, %scores: tensor<2x3x5xf32>) -> tensor<7x3xi64> {
  %most = onnx.Constant {value = dense<2> : tensor<1xi64>} : tensor<1xi64>
  %iou = onnx.Constant {value = dense<0.5> : tensor<1xf32>} : tensor<1xf32>
  %0 = onnx.NonMaxSuppression(%boxes, %scores, %most, %iou) {center_point_box = 1 : si64} : (tensor<2x5x4xf32>, tensor<2x3x5xf32>, tensor<1xi64>, tensor<1xf32>) -> tensor<7x3xi64>
  return %0 : tensor<7x3xi64>
}

// -----

func.func @nms_undeclared(%boxes: tensor<1x5x4xf32>, %scores: tensor<1x1x5xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{'onnx.NonMaxSuppression' op selects a number of boxes that depends on the data: the model must declare the result's shape (shapes that depend on input data are not supported yet)}}
  %0 = onnx.NonMaxSuppression(%boxes, %scores) : (tensor<1x5x4xf32>, tensor<1x1x5xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @nms_bad_boxes(%boxes: tensor<1x5x3xf32>, %scores: tensor<1x1x5xf32>) -> tensor<2x3xi64> {
  // expected-error @+1 {{'onnx.NonMaxSuppression' op needs boxes [batch, boxes, 4] and scores [batch, classes, boxes], not [1, 5, 3] and [1, 1, 5]}}
  %0 = onnx.NonMaxSuppression(%boxes, %scores) : (tensor<1x5x3xf32>, tensor<1x1x5xf32>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Unique: the distinct count comes from the declared counts; Y, indices
// and counts take it, inverse_indices has one entry per slice.
// CHECK-LABEL: func.func @unique_declared
// CHECK: onnx.Unique(%arg0) {axis = 1 : si64} : (tensor<2x6xf32>) -> (tensor<2x4xf32>, tensor<4xi64>, tensor<6xi64>, tensor<4xi64>)
func.func @unique_declared(%x: tensor<2x6xf32>) -> tensor<4xi64> {
  %y, %i, %inv, %c = onnx.Unique(%x) {axis = -1 : si64} : (tensor<2x6xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xi64>, tensor<4xi64>)
  return %c : tensor<4xi64>
}

// -----

func.func @unique_undeclared(%x: tensor<6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Unique' op finds a number of distinct slices that depends on the data: the model must declare the shape of Y, indices or counts (shapes that depend on input data are not supported yet)}}
  %y, %i, %inv, %c = onnx.Unique(%x) : (tensor<6xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>)
  return %y : tensor<*xf32>
}

// -----

func.func @unique_disagreeing(%x: tensor<6xf32>) -> (tensor<3xf32>, tensor<4xi64>) {
  // expected-error @+1 {{'onnx.Unique' op declared shape [4] of indices does not fit the distinct slices of [6]}}
  %y, %i, %inv, %c = onnx.Unique(%x) : (tensor<6xf32>) -> (tensor<3xf32>, tensor<4xi64>, tensor<*xi64>, tensor<*xi64>)
  return %y, %i : tensor<3xf32>, tensor<4xi64>
}

// -----

// Col2Im: constant image and block shapes give the result and explicit
// window attributes; read at run time, the declared result stands and a
// block shape must fit its block count.
// CHECK-LABEL: func.func @col2im
// CHECK: onnx.Col2Im(%arg0, %{{.*}}, %{{.*}}) {dilations = [1, 1], pads = [1, 0, 1, 1], strides = [1, 2]} : (tensor<2x12x21xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x2x6x7xf32>
// CHECK: onnx.Col2Im(%arg1, %arg2, %arg3) {dilations = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x5x5xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x5x5xf32>
func.func @col2im(%x: tensor<2x12x21xf32>, %y: tensor<1x5x5xf32>, %image: tensor<2xi64>, %block: tensor<2xi64>) -> (tensor<*xf32>, tensor<1x1x5x5xf32>) {
  %i = onnx.Constant {value = dense<[6, 7]> : tensor<2xi64>} : tensor<2xi64>
  %b = onnx.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.Col2Im(%x, %i, %b) {pads = [1, 0, 1, 1], strides = [1, 2]} : (tensor<2x12x21xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  %1 = onnx.Col2Im(%y, %image, %block) : (tensor<1x5x5xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x5x5xf32>
  return %0, %1 : tensor<*xf32>, tensor<1x1x5x5xf32>
}

// -----

func.func @col2im_no_block_fits(%x: tensor<1x4x100xf32>) -> tensor<*xf32> {
  %i = onnx.Constant {value = dense<[3, 3]> : tensor<2xi64>} : tensor<2xi64>
  %b = onnx.Constant {value = dense<[2, 2]> : tensor<2xi64>} : tensor<2xi64>
  // expected-error @+1 {{'onnx.Col2Im' op has no block shape that gives 100 blocks of image [3, 3]}}
  %0 = onnx.Col2Im(%x, %i, %b) : (tensor<1x4x100xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Optionals of tensors: the empty optional is onnx.NoValue (or no input),
// OptionalHasElement folds to a constant.
// CHECK-LABEL: func.func @optionals
// CHECK-DAG: onnx.Constant {value = dense<false> : tensor<i1>}
// CHECK-DAG: onnx.Constant {value = dense<true> : tensor<i1>}
// CHECK: onnx.OptionalGetElement(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: onnx.OptionalHasElement
func.func @optionals(%x: tensor<4xf32>) -> (tensor<*xi1>, tensor<*xi1>, tensor<*xi1>, tensor<*xf32>) {
  %none = onnx.NoValue
  %0 = onnx.OptionalHasElement() : () -> tensor<*xi1>
  %1 = onnx.OptionalHasElement(%none) : (none) -> tensor<*xi1>
  %2 = onnx.OptionalHasElement(%x) : (tensor<4xf32>) -> tensor<*xi1>
  %3 = onnx.OptionalGetElement(%x) : (tensor<4xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xi1>, tensor<*xi1>, tensor<*xi1>, tensor<*xf32>
}

// -----

func.func @optional_get_empty() -> tensor<*xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.OptionalGetElement' op reads an empty optional}}
  %0 = onnx.OptionalGetElement(%none) : (none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Resize with antialias: linear and cubic, within the taps the kernel
// unrolls.
// CHECK-LABEL: func.func @resize_antialias
// CHECK: onnx.Resize({{.*}}) {antialias = 1 : si64, mode = "linear"} : (tensor<1x1x12x9xf32>, none, none, tensor<4xi64>) -> tensor<1x1x5x4xf32>
func.func @resize_antialias(%x: tensor<1x1x12x9xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue
  %sizes = onnx.Constant {value = dense<[1, 1, 5, 4]> : tensor<4xi64>} : tensor<4xi64>
  %0 = onnx.Resize(%x, %none, %none, %sizes) {antialias = 1 : si64, mode = "linear"} : (tensor<1x1x12x9xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @resize_antialias_too_far(%x: tensor<1x1x200x9xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue
  %sizes = onnx.Constant {value = dense<[1, 1, 5, 9]> : tensor<4xi64>} : tensor<4xi64>
  // expected-error @+1 {{'onnx.Resize' op with antialias from 200 to 5 would read too many taps per output (more than 64; not supported yet)}}
  %0 = onnx.Resize(%x, %none, %none, %sizes) {antialias = 1 : si64, mode = "cubic"} : (tensor<1x1x200x9xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @resize_antialias_nearest(%x: tensor<1x1x12x9xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue
  %sizes = onnx.Constant {value = dense<[1, 1, 5, 4]> : tensor<4xi64>} : tensor<4xi64>
  // expected-error @+1 {{'onnx.Resize' op with antialias needs mode linear or cubic}}
  %0 = onnx.Resize(%x, %none, %none, %sizes) {antialias = 1 : si64} : (tensor<1x1x12x9xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// STFT: constant frame_step and window give [batch, frames, bins, 2];
// MelWeightMatrix with constant sizes gives [dft_length / 2 + 1, bins].
// CHECK-LABEL: func.func @stft_mel
// CHECK: onnx.STFT({{.*}}) : (tensor<2x40x1xf32>, tensor<i64>, tensor<10xf32>) -> tensor<2x6x6x2xf32>
// CHECK: onnx.MelWeightMatrix({{.*}}) -> tensor<33x10xf32>
func.func @stft_mel(%x: tensor<2x40x1xf32>, %w: tensor<10xf32>, %rate: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %step = onnx.Constant {value = dense<6> : tensor<i64>} : tensor<i64>
  %0 = onnx.STFT(%x, %step, %w) : (tensor<2x40x1xf32>, tensor<i64>, tensor<10xf32>) -> tensor<*xf32>
  %bins = onnx.Constant {value = dense<10> : tensor<i64>} : tensor<i64>
  %dft = onnx.Constant {value = dense<64> : tensor<i64>} : tensor<i64>
  %1 = onnx.MelWeightMatrix(%bins, %dft, %rate, %lo, %hi) : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @stft_undeclared(%x: tensor<1x40x1xf32>, %step: tensor<i64>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.STFT' op frame_step and frame_length must be a constant, or the result's shape declared by the model (shapes that depend on input data are not supported yet)}}
  %0 = onnx.STFT(%x, %step) : (tensor<1x40x1xf32>, tensor<i64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// DeformConv: the result is the convolution's; offset must have two
// coordinates per tap and offset group at every output position.
// CHECK-LABEL: func.func @deform_conv
// CHECK: onnx.DeformConv(%arg0, %arg1, %arg2) {dilations = [1, 2], group = 2 : si64, offset_group = 2 : si64, pads = [1, 0, 1, 1], strides = [2, 1]} : (tensor<2x4x7x6xf32>, tensor<6x2x2x3xf32>, tensor<2x24x4x3xf32>) -> tensor<2x6x4x3xf32>
func.func @deform_conv(%x: tensor<2x4x7x6xf32>, %w: tensor<6x2x2x3xf32>, %off: tensor<2x24x4x3xf32>) -> tensor<*xf32> {
  %0 = onnx.DeformConv(%x, %w, %off) {dilations = [1, 2], group = 2 : si64, offset_group = 2 : si64, pads = [1, 0, 1, 1], strides = [2, 1]} : (tensor<2x4x7x6xf32>, tensor<6x2x2x3xf32>, tensor<2x24x4x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @deform_conv_bad_offset(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>, %off: tensor<1x4x2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.DeformConv' op needs offset [1, 8, 2, 2], not [1, 4, 2, 2]}}
  %0 = onnx.DeformConv(%x, %w, %off) : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A Range read at run time takes the length declared past a web of
// shape-keeping elementwise ops: scalars (one defined later, its shape not
// yet inferred), and two branches that meet again.
// CHECK-LABEL: func.func @range_declared_downstream
// CHECK: onnx.Range({{.*}}) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<10xf32>
func.func @range_declared_downstream(%n: tensor<f32>) -> tensor<10xf32> {
  %zero = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %one = onnx.Constant {value = dense<1.0> : tensor<f32>} : tensor<f32>
  %r = onnx.Range(%zero, %n, %one) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  %step = onnx.Div(%one, %n) : (tensor<f32>, tensor<f32>) -> tensor<*xf32>
  %a = onnx.Mul(%r, %step) : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %c = onnx.Cos(%a) : (tensor<*xf32>) -> tensor<*xf32>
  %s = onnx.Sin(%a) : (tensor<*xf32>) -> tensor<*xf32>
  %y = onnx.Add(%c, %s) : (tensor<*xf32>, tensor<*xf32>) -> tensor<10xf32>
  return %y : tensor<10xf32>
}

// -----

// String ops: StringConcat broadcasts; RegexFullMatch gives bool;
// StringNormalizer without stopwords keeps X's shape, with them takes the
// declared count; StringSplit appends the declared width to X's shape and
// gives int64 counts; an empty X splits into [.., 0].
// CHECK-LABEL: func.func @strings
// CHECK: onnx.StringConcat(%arg0, %arg1) : (tensor<2x3x!onnx.string>, tensor<3x!onnx.string>) -> tensor<2x3x!onnx.string>
// CHECK: onnx.RegexFullMatch(%arg1) {pattern = "a+"} : (tensor<3x!onnx.string>) -> tensor<3xi1>
// CHECK: onnx.StringNormalizer(%arg1) : (tensor<3x!onnx.string>) -> tensor<3x!onnx.string>
// CHECK: onnx.StringNormalizer(%arg1) {stopwords = ["a"]} : (tensor<3x!onnx.string>) -> tensor<2x!onnx.string>
// CHECK: onnx.StringSplit(%arg0) : (tensor<2x3x!onnx.string>) -> (tensor<2x3x4x!onnx.string>, tensor<2x3xi64>)
// CHECK: onnx.StringSplit(%arg2) : (tensor<0x!onnx.string>) -> (tensor<0x0x!onnx.string>, tensor<0xi64>)
func.func @strings(%a: tensor<2x3x!onnx.string>, %b: tensor<3x!onnx.string>, %e: tensor<0x!onnx.string>) -> (tensor<*x!onnx.string>, tensor<*xi1>, tensor<*x!onnx.string>, tensor<2x!onnx.string>, tensor<2x3x4x!onnx.string>, tensor<*xi64>, tensor<*x!onnx.string>, tensor<*xi64>) {
  %0 = onnx.StringConcat(%a, %b) : (tensor<2x3x!onnx.string>, tensor<3x!onnx.string>) -> tensor<*x!onnx.string>
  %1 = onnx.RegexFullMatch(%b) {pattern = "a+"} : (tensor<3x!onnx.string>) -> tensor<*xi1>
  %2 = onnx.StringNormalizer(%b) : (tensor<3x!onnx.string>) -> tensor<*x!onnx.string>
  %3 = onnx.StringNormalizer(%b) {stopwords = ["a"]} : (tensor<3x!onnx.string>) -> tensor<2x!onnx.string>
  %4, %5 = onnx.StringSplit(%a) : (tensor<2x3x!onnx.string>) -> (tensor<2x3x4x!onnx.string>, tensor<*xi64>)
  %6, %7 = onnx.StringSplit(%e) : (tensor<0x!onnx.string>) -> (tensor<*x!onnx.string>, tensor<*xi64>)
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<*x!onnx.string>, tensor<*xi1>, tensor<*x!onnx.string>, tensor<2x!onnx.string>, tensor<2x3x4x!onnx.string>, tensor<*xi64>, tensor<*x!onnx.string>, tensor<*xi64>
}

// -----

// Stopwords may remove strings, never add them.
func.func @normalizer_declared_too_long(%b: tensor<3x!onnx.string>) -> tensor<4x!onnx.string> {
  // expected-error @+1 {{declared shape [4] cannot come from removing stopwords from [3]}}
  %0 = onnx.StringNormalizer(%b) {stopwords = ["a"]} : (tensor<3x!onnx.string>) -> tensor<4x!onnx.string>
  return %0 : tensor<4x!onnx.string>
}

// -----

// How many substrings there are depends on the data.
func.func @split_undeclared(%b: tensor<3x!onnx.string>) -> tensor<*x!onnx.string> {
  // expected-error @+1 {{the split of X must be a constant, or the result's shape declared by the model}}
  %0, %1 = onnx.StringSplit(%b) : (tensor<3x!onnx.string>) -> (tensor<*x!onnx.string>, tensor<*xi64>)
  return %0 : tensor<*x!onnx.string>
}

// -----

func.func @split_not_strings(%b: tensor<3xf32>) -> tensor<3x2x!onnx.string> {
  // expected-error @+1 {{needs a string tensor, got 'tensor<3xf32>'}}
  %0, %1 = onnx.StringSplit(%b) : (tensor<3xf32>) -> (tensor<3x2x!onnx.string>, tensor<*xi64>)
  return %0 : tensor<3x2x!onnx.string>
}

// -----

// LabelEncoder: X's shape, the values' type (a default of that type).
// CHECK-LABEL: func.func @label_encoder
// CHECK: onnx.LabelEncoder(%arg0) {{.*}} : (tensor<3x!onnx.string>) -> tensor<3xf32>
// CHECK: onnx.LabelEncoder(%arg1) {{.*}} : (tensor<2x2xi64>) -> tensor<2x2x!onnx.string>
func.func @label_encoder(%s: tensor<3x!onnx.string>, %i: tensor<2x2xi64>) -> (tensor<*xf32>, tensor<*x!onnx.string>) {
  %0 = onnx.LabelEncoder(%s) {keys_strings = ["a", "b"], values_floats = [1.0 : f32, 2.0 : f32]} : (tensor<3x!onnx.string>) -> tensor<*xf32>
  %1 = onnx.LabelEncoder(%i) {keys_int64s = [1, 2], values_strings = ["one", "two"], default_string = "many"} : (tensor<2x2xi64>) -> tensor<*x!onnx.string>
  return %0, %1 : tensor<*xf32>, tensor<*x!onnx.string>
}

// -----

func.func @label_encoder_counts(%s: tensor<3x!onnx.string>) -> tensor<*xf32> {
  // expected-error @+1 {{has 2 keys and 1 values}}
  %0 = onnx.LabelEncoder(%s) {keys_strings = ["a", "b"], values_floats = [1.0 : f32]} : (tensor<3x!onnx.string>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @label_encoder_two_keys(%s: tensor<3x!onnx.string>) -> tensor<*xf32> {
  // expected-error @+1 {{needs exactly one keys_* and one values_* attribute}}
  %0 = onnx.LabelEncoder(%s) {keys_strings = ["a"], keys_int64s = [1], values_floats = [1.0 : f32]} : (tensor<3x!onnx.string>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @label_encoder_key_type(%i: tensor<3xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{has keys of type '!onnx.string' for X of type 'i64'}}
  %0 = onnx.LabelEncoder(%i) {keys_strings = ["a"], values_floats = [1.0 : f32]} : (tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----
// A Split of a constant (a shape split into its dims) becomes one constant
// per part, so an Expand to a shape concatenated from them folds its
// shape: the result's type needs no declaration.
// CHECK-LABEL: func.func @split_constant_shape
// CHECK-NOT: onnx.Split
// CHECK: onnx.Expand(%arg0, %{{.*}}) : (tensor<1x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
func.func @split_constant_shape(%x: tensor<1x3xf32>) -> tensor<*xf32> {
  %size = onnx.Constant {value = dense<[2, 3, 7]> : tensor<3xi64>} : tensor<3xi64>
  %n, %c, %w = onnx.Split(%size) {num_outputs = 3 : si64} : (tensor<3xi64>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi64>)
  %shape = onnx.Concat(%n, %c) {axis = 0 : si64} : (tensor<*xi64>, tensor<*xi64>) -> tensor<*xi64>
  %0 = onnx.Expand(%x, %shape) : (tensor<1x3xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// A 2-D constant split along axis 1 into uneven parts.
// CHECK-LABEL: func.func @split_constant_axis1
// CHECK-DAG: onnx.Constant {value = dense<{{\[}}[1], [4]]> : tensor<2x1xi64>}
// CHECK-DAG: onnx.Constant {value = dense<{{\[}}[2, 3], [5, 6]]> : tensor<2x2xi64>}
// CHECK-NOT: onnx.Split
func.func @split_constant_axis1() -> (tensor<*xi64>, tensor<*xi64>) {
  %v = onnx.Constant {value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>} : tensor<2x3xi64>
  %s = onnx.Constant {value = dense<[1, 2]> : tensor<2xi64>} : tensor<2xi64>
  %a, %b = onnx.Split(%v, %s) {axis = 1 : si64} : (tensor<2x3xi64>, tensor<2xi64>) -> (tensor<*xi64>, tensor<*xi64>)
  return %a, %b : tensor<*xi64>, tensor<*xi64>
}
