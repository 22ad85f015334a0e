// onnxc-infer-shapes expands If, Loop and Scan where they stand: bodies are
// cloned into the function (once per step for the loops) and inferred as
// they are made; none is left. Sequence ops become the tensors they hold.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-infer-shapes))' -split-input-file -verify-diagnostics %s | FileCheck %s --implicit-check-not=onnx.If --implicit-check-not=onnx.Loop --implicit-check-not=onnx.Scan --implicit-check-not=onnx.Sequence --implicit-check-not=onnx.ConcatFromSequence

// A constant cond inlines its branch alone.
// CHECK-LABEL: func.func @if_constant
// CHECK-NOT: onnx.Relu
// CHECK: %[[Y:.*]] = onnx.Neg(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: return %[[Y]]
func.func @if_constant(%x: tensor<2xf32>) -> tensor<*xf32> {
  %c = onnx.Constant {value = dense<false> : tensor<i1>} : tensor<i1>
  %0 = "onnx.If"(%c) ({
    %1 = onnx.Relu(%x) : (tensor<2xf32>) -> tensor<*xf32>
    onnx.Yield %1 : tensor<*xf32>
  }, {
    %1 = onnx.Neg(%x) : (tensor<2xf32>) -> tensor<*xf32>
    onnx.Yield %1 : tensor<*xf32>
  }) : (tensor<i1>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A cond known only at run time: both branches, then a Where of the
// one-element cond as a scalar.
// CHECK-LABEL: func.func @if_runtime
// CHECK: %[[T:.*]] = onnx.Relu(%arg1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[E:.*]] = onnx.Neg(%arg1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[C:.*]] = onnx.Reshape(%arg0, %{{.*}}) : (tensor<1xi1>, tensor<0xi64>) -> tensor<i1>
// CHECK: %[[Y:.*]] = onnx.Where(%[[C]], %[[T]], %[[E]]) : (tensor<i1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[Y]]
func.func @if_runtime(%c: tensor<1xi1>, %x: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = "onnx.If"(%c) ({
    %1 = onnx.Relu(%x) : (tensor<2x3xf32>) -> tensor<*xf32>
    onnx.Yield %1 : tensor<*xf32>
  }, {
    %1 = onnx.Neg(%x) : (tensor<2x3xf32>) -> tensor<*xf32>
    onnx.Yield %1 : tensor<*xf32>
  }) : (tensor<1xi1>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @if_runtime_shapes_differ(%c: tensor<i1>, %x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.If' op with a cond known only at run time needs branches whose outputs agree; output 0 is 'tensor<2x3xf32>' in then_branch and 'tensor<6xf32>' in else_branch (not supported yet)}}
  %0 = "onnx.If"(%c) ({
    onnx.Yield %x : tensor<2x3xf32>
  }, {
    %s = onnx.Constant {value = dense<6> : tensor<1xi64>} : tensor<1xi64>
    %1 = onnx.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
    onnx.Yield %1 : tensor<*xf32>
  }) : (tensor<i1>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Scan (opset 9 on) over 3 rows: each step reads its row (Slice, Squeeze),
// runs the body, and the scan outputs are stacked (Unsqueeze, Concat).
// CHECK-LABEL: func.func @scan_rows
// CHECK-COUNT-3: onnx.Add
// CHECK: %[[S:.*]] = onnx.Concat({{.*}}) {axis = 0 : si64} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
// CHECK: return %{{.*}}, %[[S]] : tensor<2xf32>, tensor<3x2xf32>
func.func @scan_rows(%init: tensor<2xf32>, %x: tensor<3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0:2 = "onnx.Scan"(%init, %x) ({
  ^bb0(%sum: tensor<2xf32>, %row: tensor<2xf32>):
    %1 = onnx.Add(%sum, %row) : (tensor<2xf32>, tensor<2xf32>) -> tensor<*xf32>
    onnx.Yield %1, %1 : tensor<*xf32>, tensor<*xf32>
  }) {num_scan_inputs = 1 : si64} : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %0#0, %0#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Loop with a constant M and no cond: exactly M steps, nothing to mask or
// check; the step number is a constant.
// CHECK-LABEL: func.func @loop_constant_trip_count
// CHECK-NOT: onnx.Where
// CHECK-NOT: onnx.Compress
// CHECK: %[[A:.*]] = onnx.Add(%arg0, %arg0)
// CHECK: %[[B:.*]] = onnx.Add(%[[A]], %[[A]])
// CHECK: %[[C:.*]] = onnx.Add(%[[B]], %[[B]])
// CHECK: return %[[C]] : tensor<3xf32>
func.func @loop_constant_trip_count(%v: tensor<3xf32>) -> tensor<*xf32> {
  %m = onnx.Constant {value = dense<3> : tensor<i64>} : tensor<i64>
  %none = onnx.NoValue
  %0 = "onnx.Loop"(%m, %none, %v) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x: tensor<3xf32>):
    %1 = onnx.Add(%x, %x) : (tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
    onnx.Yield %c, %1 : tensor<i1>, tensor<*xf32>
  }) : (tensor<i64>, none, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Loop with M read at run time: its declared scan output gives 2 steps.
// Each step counts while i < M (Less, And); carried values keep their old
// value once stopped (Where); a Compress of the stacked outputs under the
// step flags checks at run time that exactly 2 steps ran.
// CHECK-LABEL: func.func @loop_declared_steps
// CHECK: onnx.Less
// CHECK: onnx.Where
// CHECK-NOT: onnx.And(%[[X:.*]], %[[X]])
// CHECK: %[[F:.*]] = onnx.Concat({{.*}}) {axis = 0 : si64} : (tensor<1xi1>, tensor<1xi1>, tensor<1xi1>) -> tensor<3xi1>
// CHECK: %[[S:.*]] = onnx.Compress(%{{.*}}, %[[F]]) {axis = 0 : si64, onnx.checks = {op = "Loop", what = "M and cond (the number of steps)"}} : (tensor<3x3xf32>, tensor<3xi1>) -> tensor<2x3xf32>
// CHECK: return %{{.*}}, %[[S]] : tensor<3xf32>, tensor<2x3xf32>
func.func @loop_declared_steps(%m: tensor<i64>, %v: tensor<3xf32>) -> (tensor<*xf32>, tensor<2x3xf32>) {
  %t = onnx.Constant {value = dense<true> : tensor<i1>} : tensor<i1>
  %0:2 = "onnx.Loop"(%m, %t, %v) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x: tensor<3xf32>):
    %1 = onnx.Add(%x, %x) : (tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
    onnx.Yield %c, %1, %1 : tensor<i1>, tensor<*xf32>, tensor<*xf32>
  }) : (tensor<i64>, tensor<i1>, tensor<3xf32>) -> (tensor<*xf32>, tensor<2x3xf32>)
  return %0#0, %0#1 : tensor<*xf32>, tensor<2x3xf32>
}

// -----

func.func @loop_unknown_steps(%m: tensor<i64>, %v: tensor<3xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Loop' op needs a constant trip count M, or the declared length of a scan output it returns (loops whose trip count is known only at run time are not supported yet)}}
  %0 = "onnx.Loop"(%m, %none, %v) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x: tensor<3xf32>):
    onnx.Yield %c, %x : tensor<i1>, tensor<3xf32>
  }) : (tensor<i64>, none, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @loop_growing_state(%v: tensor<3xf32>) -> tensor<*xf32> {
  %m = onnx.Constant {value = dense<2> : tensor<i64>} : tensor<i64>
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Loop' op loop-carried value 0 changes from 'tensor<3xf32>' to 'tensor<6xf32>' (not supported yet)}}
  %0 = "onnx.Loop"(%m, %none, %v) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x: tensor<*xf32>):
    %1 = onnx.Concat(%x, %x) {axis = 0 : si64} : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    onnx.Yield %c, %1 : tensor<i1>, tensor<*xf32>
  }) : (tensor<i64>, none, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Without a cond input the body's cond is ignored: M steps run even though
// it yields false.
// CHECK-LABEL: func.func @loop_ignores_body_cond
// CHECK-NOT: onnx.Where
// CHECK: %[[A:.*]] = onnx.Neg(%arg0)
// CHECK: %[[B:.*]] = onnx.Neg(%[[A]])
// CHECK: return %[[B]] : tensor<3xf32>
func.func @loop_ignores_body_cond(%v: tensor<3xf32>) -> tensor<*xf32> {
  %m = onnx.Constant {value = dense<2> : tensor<i64>} : tensor<i64>
  %none = onnx.NoValue
  %0 = "onnx.Loop"(%m, %none, %v) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x: tensor<3xf32>):
    %f = onnx.Constant {value = dense<false> : tensor<i1>} : tensor<i1>
    %1 = onnx.Neg(%x) : (tensor<3xf32>) -> tensor<*xf32>
    onnx.Yield %f, %1 : tensor<i1>, tensor<*xf32>
  }) : (tensor<i64>, none, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Sequences with constant positions are lists at compile time: erase and
// insert rearrange them, SequenceAt picks a tensor, SequenceLength and
// ConcatFromSequence see the final list; no sequence op remains.
// CHECK-LABEL: func.func @constant_sequences
// CHECK: %[[A:.*]] = onnx.Identity(%arg0)
// CHECK: %[[N:.*]] = onnx.Constant {value = dense<3> : tensor<i64>}
// CHECK: %[[J:.*]] = onnx.Concat(%arg1, %arg0, %arg2) {axis = 0 : si64}
// CHECK: return %[[A]], %[[N]], %[[J]]
func.func @constant_sequences(%x: tensor<2xf32>, %y: tensor<2xf32>, %z: tensor<2xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xf32>) {
  %zero = onnx.Constant {value = dense<0> : tensor<i64>} : tensor<i64>
  %one = onnx.Constant {value = dense<1> : tensor<i64>} : tensor<i64>
  %s = onnx.SequenceConstruct(%x, %y) : (tensor<2xf32>, tensor<2xf32>) -> tensor<*x!onnx.unknown>
  %s1 = onnx.SequenceErase(%s, %zero) : (tensor<*x!onnx.unknown>, tensor<i64>) -> tensor<*x!onnx.unknown>
  %s2 = onnx.SequenceInsert(%s1, %x, %one) : (tensor<*x!onnx.unknown>, tensor<2xf32>, tensor<i64>) -> tensor<*x!onnx.unknown>
  %s3 = onnx.SequenceInsert(%s2, %z) : (tensor<*x!onnx.unknown>, tensor<2xf32>) -> tensor<*x!onnx.unknown>
  %a = onnx.SequenceAt(%s3, %one) : (tensor<*x!onnx.unknown>, tensor<i64>) -> tensor<*xf32>
  %n = onnx.SequenceLength(%s3) : (tensor<*x!onnx.unknown>) -> tensor<*xi64>
  %j = onnx.ConcatFromSequence(%s3) {axis = 0 : si64} : (tensor<*x!onnx.unknown>) -> tensor<*xf32>
  return %a, %n, %j : tensor<*xf32>, tensor<*xi64>, tensor<*xf32>
}

// -----

func.func @sequence_position_out_of_range(%x: tensor<2xf32>) -> tensor<*xf32> {
  %two = onnx.Constant {value = dense<2> : tensor<i64>} : tensor<i64>
  %s = onnx.SequenceConstruct(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<*x!onnx.unknown>
  // expected-error @+1 {{has a position out of range for 2 tensors}}
  %a = onnx.SequenceAt(%s, %two) : (tensor<*x!onnx.unknown>, tensor<i64>) -> tensor<*xf32>
  return %a : tensor<*xf32>
}
