// onnxc-decompose: ops with several results become single-result ops, each
// typed by its own shape inference.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-infer-shapes,onnxc-decompose))' -split-input-file %s | FileCheck %s

// Split: one Slice per part, sizes from the constant split input.
// CHECK-LABEL: func.func @split
// CHECK-NOT: onnx.Split
// CHECK: onnx.Slice(%arg0) {axes = [0, 1], ends = [2, 1], onnx.cut_axes = [1], starts = [0, 0], steps = [1, 1]} : (tensor<2x6xf32>) -> tensor<2x1xf32>
// CHECK: onnx.Slice(%arg0) {axes = [0, 1], ends = [2, 6], onnx.cut_axes = [1], starts = [0, 1], steps = [1, 1]} : (tensor<2x6xf32>) -> tensor<2x5xf32>
func.func @split(%x: tensor<2x6xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %sizes = onnx.Constant {value = dense<[1, 5]> : tensor<2xi64>} : tensor<2xi64>
  %a, %b = onnx.Split(%x, %sizes) {axis = -1 : si64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// A part without elements is an empty constant: kernels take no empty
// tensors, and it holds nothing to compute.
// CHECK-LABEL: func.func @split_empty_part
// CHECK: %[[EMPTY:.+]] = onnx.Constant {value = dense<> : tensor<2x0xf32>}
// CHECK: %[[REST:.+]] = onnx.Slice(%arg0) {{.*}} : (tensor<2x6xf32>) -> tensor<2x6xf32>
// CHECK-NOT: onnx.Split
// CHECK: return %[[EMPTY]], %[[REST]]
func.func @split_empty_part(%x: tensor<2x6xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %sizes = onnx.Constant {value = dense<[0, 6]> : tensor<2xi64>} : tensor<2xi64>
  %a, %b = onnx.Split(%x, %sizes) {axis = 1 : si64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// Split with sizes read at run time under declared part shapes: each part
// is a Slice from the exclusive to the inclusive running sum of the sizes,
// which its kernel checks against the declared shape.
// CHECK-LABEL: func.func @split_runtime_sizes
// CHECK: %[[ZERO:.*]] = onnx.Constant {value = dense<0> : tensor<i64>}
// CHECK: %[[ENDS:.*]] = onnx.CumSum(%arg1, %[[ZERO]]) {axis = 0 : si64} : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
// CHECK: %[[STARTS:.*]] = onnx.Sub(%[[ENDS]], %arg1)
// CHECK: %[[AXES:.*]] = onnx.Constant {value = dense<1> : tensor<1xi64>}
// CHECK: %[[S0:.*]] = onnx.Slice(%[[STARTS]]) {axes = [0], ends = [1], onnx.cut_axes = [0], starts = [0], steps = [1]}
// CHECK: %[[E0:.*]] = onnx.Slice(%[[ENDS]]) {axes = [0], ends = [1], onnx.cut_axes = [0], starts = [0], steps = [1]}
// CHECK: onnx.Slice(%arg0, %[[S0]], %[[E0]], %[[AXES]]) : (tensor<2x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x2xf32>
// CHECK: onnx.Slice(%arg0, {{.*}}) : (tensor<2x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x4xf32>
// CHECK-NOT: onnx.Split
func.func @split_runtime_sizes(%x: tensor<2x6xf32>, %sizes: tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x4xf32>) {
  %a, %b = onnx.Split(%x, %sizes) {axis = 1 : si64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x4xf32>)
  return %a, %b : tensor<2x2xf32>, tensor<2x4xf32>
}

// -----

// TopK: each element's rank among its axis (Greater, ties to the lower
// index), the index of each rank (ArgMax of rank == j), the first K of them
// (a Slice reading K at run time under the declared shape), the values
// gathered there.
// CHECK-LABEL: func.func @topk
// CHECK: %[[GT:.*]] = onnx.Greater({{.*}}) : (tensor<2x1x5xf32>, tensor<2x5x1xf32>) -> tensor<2x5x5xi1>
// CHECK: %[[RANK:.*]] = onnx.ReduceSum({{.*}}) {axes = [2], keepdims = 0 : si64} : (tensor<2x5x5xi64>) -> tensor<2x5xi64>
// CHECK: %[[ORDER:.*]] = onnx.ArgMax({{.*}}) {axis = 2 : si64, keepdims = 0 : si64} : (tensor<2x5x5xi64>) -> tensor<2x5xi64>
// CHECK: %[[IDX:.*]] = onnx.Slice(%[[ORDER]], {{.*}}, %arg1, {{.*}}) : (tensor<2x5xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xi64>
// CHECK: onnx.GatherElements(%arg0, %[[IDX]]) {axis = 1 : si64} : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
// CHECK-NOT: onnx.TopK
func.func @topk(%x: tensor<2x5xf32>, %k: tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %v, %i = onnx.TopK(%x, %k) : (tensor<2x5xf32>, tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
  return %v, %i : tensor<2x3xf32>, tensor<2x3xi64>
}

// -----

// LayerNormalization over the last axis; Mean and InvStdDev are the
// intermediate values, so a model may return them.
// CHECK-LABEL: func.func @layer_norm
// CHECK-NOT: onnx.LayerNormalization
// CHECK: %[[MEAN:.+]] = onnx.ReduceMean(%arg0) {axes = [1]} : (tensor<3x4xf32>) -> tensor<3x1xf32>
// CHECK: %[[D:.+]] = onnx.Sub(%arg0, %[[MEAN]])
// CHECK: %[[SQ:.+]] = onnx.Mul(%[[D]], %[[D]])
// CHECK: %[[VAR:.+]] = onnx.ReduceMean(%[[SQ]]) {axes = [1]}
// CHECK: %[[EPS:.+]] = onnx.Constant {value = dense<9.99999974E-6> : tensor<f32>}
// CHECK: %[[SUM:.+]] = onnx.Add(%[[VAR]], %[[EPS]])
// CHECK: %[[STD:.+]] = onnx.Sqrt(%[[SUM]])
// CHECK: %[[INV:.+]] = onnx.Reciprocal(%[[STD]])
// CHECK: %[[N:.+]] = onnx.Mul(%[[D]], %[[INV]])
// CHECK: %[[S:.+]] = onnx.Mul(%[[N]], %arg1)
// CHECK: %[[Y:.+]] = onnx.Add(%[[S]], %arg2) : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
// CHECK: return %[[Y]], %[[MEAN]], %[[INV]]
func.func @layer_norm(%x: tensor<3x4xf32>, %scale: tensor<4xf32>, %bias: tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %y, %mean, %inv = onnx.LayerNormalization(%x, %scale, %bias) : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y, %mean, %inv : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// SoftmaxCrossEntropyLoss: NegativeLogLikelihoodLoss of LogSoftmax.
// CHECK-LABEL: func.func @softmax_cross_entropy
// CHECK: %[[LP:.+]] = onnx.LogSoftmax(%arg0) {axis = 1 : si64} : (tensor<3x5xf32>) -> tensor<3x5xf32>
// CHECK: %[[L:.+]] = onnx.NegativeLogLikelihoodLoss(%[[LP]], %arg1) {reduction = "sum"} : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<f32>
// CHECK: return %[[L]], %[[LP]]
func.func @softmax_cross_entropy(%x: tensor<3x5xf32>, %y: tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %loss, %logp = onnx.SoftmaxCrossEntropyLoss(%x, %y) {reduction = "sum"} : (tensor<3x5xf32>, tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %loss, %logp : tensor<*xf32>, tensor<*xf32>
}

// -----

// BatchNormalization at inference: per-channel vectors viewed as [C, 1, 1].
// CHECK-LABEL: func.func @batch_norm
// CHECK-NOT: onnx.BatchNormalization
// CHECK: %[[EPS:.+]] = onnx.Constant {value = dense<9.99999974E-6> : tensor<f32>}
// CHECK: %[[VE:.+]] = onnx.Add(%arg4, %[[EPS]])
// CHECK: %[[SD:.+]] = onnx.Sqrt(%[[VE]])
// CHECK: %[[F:.+]] = onnx.Div(%arg1, %[[SD]]) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK: %[[M:.+]] = onnx.Unsqueeze(%arg3) {axes = [1, 2]} : (tensor<3xf32>) -> tensor<3x1x1xf32>
// CHECK: %[[C:.+]] = onnx.Sub(%arg0, %[[M]]) : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
// CHECK: %[[FC:.+]] = onnx.Unsqueeze(%[[F]]) {axes = [1, 2]}
// CHECK: %[[P:.+]] = onnx.Mul(%[[C]], %[[FC]])
// CHECK: %[[BC:.+]] = onnx.Unsqueeze(%arg2) {axes = [1, 2]}
// CHECK: %[[Y:.+]] = onnx.Add(%[[P]], %[[BC]]) : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
// CHECK: return %[[Y]]
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<*xf32> {
  %y = onnx.BatchNormalization(%x, %s, %b, %m, %v) : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// BatchNormalization at inference of a conv's only result, every parameter
// constant: the conv's weights (2) and bias absorb it, f = scale /
// sqrt(var + epsilon). Channel 0: f = 2 / sqrt(3 + 1) = 1, W' = 2,
// B' = (1 - 1) * 1 + 0.5 = 0.5; channel 1: f = 3 / sqrt(0 + 1) = 3,
// W' = 6, B' = (0 - 2) * 3 + 1 = -5. A conv whose result is read twice
// keeps the BatchNormalization (decomposed).
// CHECK-LABEL: func.func @conv_batch_norm
// CHECK-DAG: %[[W:.+]] = onnx.Constant {value = dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}6.000000e+00]]]]> : tensor<2x1x1x1xf32>}
// CHECK-DAG: %[[B:.+]] = onnx.Constant {value = dense<[5.000000e-01, -5.000000e+00]> : tensor<2xf32>}
// CHECK: %[[Y:.+]] = onnx.Conv(%arg0, %[[W]], %[[B]])
// CHECK-NOT: onnx.BatchNormalization
// CHECK: %[[KEPT:.+]] = onnx.Conv(%arg0,
// CHECK: onnx.Sub(%[[KEPT]],
// CHECK: return %[[Y]]
func.func @conv_batch_norm(%x: tensor<1x1x3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %w = onnx.Constant {value = dense<2.0> : tensor<2x1x1x1xf32>} : tensor<2x1x1x1xf32>
  %cb = onnx.Constant {value = dense<[1.0, 0.0]> : tensor<2xf32>} : tensor<2xf32>
  %s = onnx.Constant {value = dense<[2.0, 3.0]> : tensor<2xf32>} : tensor<2xf32>
  %b = onnx.Constant {value = dense<[0.5, 1.0]> : tensor<2xf32>} : tensor<2xf32>
  %m = onnx.Constant {value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %v = onnx.Constant {value = dense<[3.0, 0.0]> : tensor<2xf32>} : tensor<2xf32>
  %c = onnx.Conv(%x, %w, %cb) {kernel_shape = [1, 1]} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<*xf32>
  %y = onnx.BatchNormalization(%c, %s, %b, %m, %v) {epsilon = 1.0 : f32} : (tensor<*xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<*xf32>
  %c2 = onnx.Conv(%x, %w) {kernel_shape = [1, 1]} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<*xf32>
  %y2 = onnx.BatchNormalization(%c2, %s, %b, %m, %v) {epsilon = 1.0 : f32} : (tensor<*xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<*xf32>
  return %y, %y2, %c2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Dropout at inference: the mask is all true, a constant; the output stays
// a view. A constant ratio of 0 drops nothing even in training mode.
// CHECK-LABEL: func.func @dropout_mask
// CHECK: %[[Y:.+]] = onnx.Dropout(%arg0, %{{.+}}, %{{.+}}) : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> tensor<2x3xf32>
// CHECK: %[[M:.+]] = onnx.Constant {value = dense<true> : tensor<2x3xi1>}
// CHECK: return %[[Y]], %[[M]]
func.func @dropout_mask(%x: tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xi1>) {
  %ratio = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %training = onnx.Constant {value = dense<true> : tensor<i1>} : tensor<i1>
  %y, %mask = onnx.Dropout(%x, %ratio, %training) : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> (tensor<*xf32>, tensor<*xi1>)
  return %y, %mask : tensor<*xf32>, tensor<*xi1>
}

// -----

// Dropout in training mode, training_mode read at run time: a float64
// uniform draw (seeded) >= ratio keeps an element, scaled by 1 / (1 -
// ratio); Where picks the input when not training, and the mask is all
// true then.
// CHECK-LABEL: func.func @dropout_training
// CHECK: %[[R:.+]] = onnx.Cast(%arg1) {to = 11 : si64} : (tensor<f32>) -> tensor<f64>
// CHECK: %[[U:.+]] = onnx.RandomUniformLike(%arg0) {dtype = 11 : si64, seed = 3.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf64>
// CHECK: %[[KEEP:.+]] = onnx.GreaterOrEqual(%[[U]], %[[R]]) : (tensor<2x3xf64>, tensor<f64>) -> tensor<2x3xi1>
// CHECK: %[[ONE:.+]] = onnx.Constant {value = dense<1.000000e+00> : tensor<f64>}
// CHECK: %[[SUB:.+]] = onnx.Sub(%[[ONE]], %[[R]])
// CHECK: %[[SCALE:.+]] = onnx.Div(%[[ONE]], %[[SUB]])
// CHECK: %[[KF:.+]] = onnx.Cast(%[[KEEP]]) {to = 1 : si64} : (tensor<2x3xi1>) -> tensor<2x3xf32>
// CHECK: %[[XK:.+]] = onnx.Mul(%arg0, %[[KF]])
// CHECK: %[[SF:.+]] = onnx.Cast(%[[SCALE]]) {to = 1 : si64} : (tensor<f64>) -> tensor<f32>
// CHECK: %[[OUT:.+]] = onnx.Mul(%[[XK]], %[[SF]])
// CHECK: %[[Y:.+]] = onnx.Where(%arg2, %[[OUT]], %arg0)
// CHECK: %[[NT:.+]] = onnx.Not(%arg2)
// CHECK: %[[M:.+]] = onnx.Or(%[[KEEP]], %[[NT]])
// CHECK-NOT: onnx.Dropout
// CHECK: return %[[Y]], %[[M]]
func.func @dropout_training(%x: tensor<2x3xf32>, %ratio: tensor<f32>, %training: tensor<i1>) -> (tensor<*xf32>, tensor<*xi1>) {
  %y, %mask = onnx.Dropout(%x, %ratio, %training) {seed = 3 : si64} : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> (tensor<*xf32>, tensor<*xi1>)
  return %y, %mask : tensor<*xf32>, tensor<*xi1>
}

// -----

// Bernoulli: a float64 uniform draw below the probability, cast to dtype.
// CHECK-LABEL: func.func @bernoulli
// CHECK: %[[U:.+]] = onnx.RandomUniformLike(%arg0) {dtype = 11 : si64} : (tensor<4xf32>) -> tensor<4xf64>
// CHECK: %[[P:.+]] = onnx.Cast(%arg0) {to = 11 : si64} : (tensor<4xf32>) -> tensor<4xf64>
// CHECK: %[[HIT:.+]] = onnx.Less(%[[U]], %[[P]]) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xi1>
// CHECK: %[[B:.+]] = onnx.Cast(%[[HIT]]) {to = 7 : si64} : (tensor<4xi1>) -> tensor<4xi64>
// CHECK: return %[[B]]
func.func @bernoulli(%p: tensor<4xf32>) -> tensor<*xi64> {
  %b = onnx.Bernoulli(%p) {dtype = 7 : si64} : (tensor<4xf32>) -> tensor<*xi64>
  return %b : tensor<*xi64>
}

// -----

// RNN unrolled over its two steps: X W^T once for the whole sequence, then
// per step H R^T, the activation, and Y as the steps concatenated.
// CHECK-LABEL: func.func @rnn
// CHECK-NOT: onnx.RNN
// CHECK: %[[WT:.+]] = onnx.Transpose({{.*}}) {perm = [1, 0]} : (tensor<4x3xf32>) -> tensor<3x4xf32>
// CHECK: %[[RT:.+]] = onnx.Transpose({{.*}}) {perm = [1, 0]} : (tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK: %[[XW:.+]] = onnx.MatMul(%arg0, %[[WT]]) : (tensor<2x5x3xf32>, tensor<3x4xf32>) -> tensor<2x5x4xf32>
// CHECK: onnx.MatMul(%{{.+}}, %[[RT]]) : (tensor<5x4xf32>, tensor<4x4xf32>) -> tensor<5x4xf32>
// CHECK: onnx.Tanh
// CHECK: onnx.MatMul(%{{.+}}, %[[RT]])
// CHECK: onnx.Tanh
// CHECK: onnx.Concat({{.*}}) {axis = 0 : si64} : (tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<2x5x4xf32>
// CHECK: onnx.Unsqueeze({{.*}}) {axes = [1]} : (tensor<2x5x4xf32>) -> tensor<2x1x5x4xf32>
func.func @rnn(%x: tensor<2x5x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y, %yh = onnx.RNN(%x, %w, %r) {hidden_size = 4 : si64} : (tensor<2x5x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y, %yh : tensor<*xf32>, tensor<*xf32>
}

// -----

// MatMulInteger: both sides widened to int32 and shifted by their zero
// points (A's per-row one gets a trailing 1), then an int32 MatMul.
// CHECK-LABEL: func.func @matmul_integer
// CHECK-NOT: onnx.MatMulInteger
// CHECK: %[[A:.+]] = onnx.Cast(%arg0) {to = 6 : si64} : (tensor<2x3xui8>) -> tensor<2x3xi32>
// CHECK: %[[AZ:.+]] = onnx.Cast(%arg2) {to = 6 : si64} : (tensor<2xui8>) -> tensor<2xi32>
// CHECK: %[[AZ1:.+]] = onnx.Unsqueeze(%[[AZ]]) {axes = [1]} : (tensor<2xi32>) -> tensor<2x1xi32>
// CHECK: %[[AS:.+]] = onnx.Sub(%[[A]], %[[AZ1]]) : (tensor<2x3xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
// CHECK: %[[B:.+]] = onnx.Cast(%arg1) {to = 6 : si64} : (tensor<3x4xui8>) -> tensor<3x4xi32>
// CHECK: onnx.MatMul(%[[AS]], %[[B]]) : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
func.func @matmul_integer(%a: tensor<2x3xui8>, %b: tensor<3x4xui8>, %az: tensor<2xui8>) -> tensor<*xi32> {
  %y = onnx.MatMulInteger(%a, %b, %az) : (tensor<2x3xui8>, tensor<3x4xui8>, tensor<2xui8>) -> tensor<*xi32>
  return %y : tensor<*xi32>
}

// -----

// DynamicQuantizeLinear: the range including 0 gives the scale and zero
// point; QuantizeLinear does the rest.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: onnx.ReduceMax(%arg0) {axes = [0], keepdims = 0 : si64}
// CHECK: onnx.ReduceMin(%arg0) {axes = [0], keepdims = 0 : si64}
// CHECK: %[[SCALE:.+]] = onnx.Div({{.*}}) : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK: %[[ZP:.+]] = onnx.Cast({{.*}}) {to = 2 : si64} : (tensor<f32>) -> tensor<ui8>
// CHECK: %[[Y:.+]] = onnx.QuantizeLinear(%arg0, %[[SCALE]], %[[ZP]]) : (tensor<5xf32>, tensor<f32>, tensor<ui8>) -> tensor<5xui8>
// CHECK: return %[[Y]], %[[SCALE]], %[[ZP]]
func.func @dynamic_quantize(%x: tensor<5xf32>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>) {
  %y, %s, %z = onnx.DynamicQuantizeLinear(%x) : (tensor<5xf32>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>)
  return %y, %s, %z : tensor<*xui8>, tensor<*xf32>, tensor<*xui8>
}

// -----

// GroupNormalization: moments over a [N, groups, rest] view; per-channel
// scale and bias after viewing the result as X again.
// CHECK-LABEL: func.func @group_norm
// CHECK-NOT: onnx.GroupNormalization
// CHECK: %[[G:.+]] = onnx.Reshape(%arg0, %{{.+}}) : (tensor<2x4x3xf32>, tensor<3xi64>) -> tensor<2x2x6xf32>
// CHECK: onnx.ReduceMean(%[[G]]) {axes = [2]} : (tensor<2x2x6xf32>) -> tensor<2x2x1xf32>
// CHECK: %[[N:.+]] = onnx.Div
// CHECK: %[[X:.+]] = onnx.Reshape(%[[N]], %{{.+}}) : (tensor<2x2x6xf32>, tensor<3xi64>) -> tensor<2x4x3xf32>
// CHECK: %[[S:.+]] = onnx.Unsqueeze(%arg1) {axes = [1]} : (tensor<4xf32>) -> tensor<4x1xf32>
// CHECK: onnx.Mul(%[[X]], %[[S]])
func.func @group_norm(%x: tensor<2x4x3xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  %y = onnx.GroupNormalization(%x, %s, %b) {num_groups = 2 : si64} : (tensor<2x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// ConvInteger: int32 Conv of the shifted inputs; a per-output-channel
// zero point of W gets trailing ones.
// CHECK-LABEL: func.func @conv_integer
// CHECK-NOT: onnx.ConvInteger
// CHECK: %[[WZ:.+]] = onnx.Unsqueeze(%{{.+}}) {axes = [1, 2, 3]} : (tensor<2xi32>) -> tensor<2x1x1x1xi32>
// CHECK: %[[W:.+]] = onnx.Sub(%{{.+}}, %[[WZ]]) : (tensor<2x1x2x2xi32>, tensor<2x1x1x1xi32>) -> tensor<2x1x2x2xi32>
// CHECK: onnx.Conv(%{{.+}}, %[[W]]) {{{.*}}pads = [1, 1, 1, 1]{{.*}}} : (tensor<1x1x3x3xi32>, tensor<2x1x2x2xi32>) -> tensor<1x2x4x4xi32>
func.func @conv_integer(%x: tensor<1x1x3x3xui8>, %w: tensor<2x1x2x2xui8>, %xz: tensor<ui8>, %wz: tensor<2xui8>) -> tensor<*xi32> {
  %y = onnx.ConvInteger(%x, %w, %xz, %wz) {pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xui8>, tensor<2x1x2x2xui8>, tensor<ui8>, tensor<2xui8>) -> tensor<*xi32>
  return %y : tensor<*xi32>
}

// -----

// BatchNormalization in training mode: the batch's mean and variance
// normalize X; the running statistics blend them into the inputs'.
// CHECK-LABEL: func.func @batch_norm_training
// CHECK: %[[MEAN:.+]] = onnx.ReduceMean(%arg0) {axes = [0, 2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK: %[[VAR:.+]] = onnx.ReduceMean(%{{.+}}) {axes = [0, 2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK: %[[RM:.+]] = onnx.Add
// CHECK: %[[RV:.+]] = onnx.Add
// CHECK: %[[Y:.+]] = onnx.Add({{.*}}) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK: return %[[Y]], %[[RM]], %[[RV]]
func.func @batch_norm_training(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %y, %rm, %rv = onnx.BatchNormalization(%x, %s, %b, %m, %v) {training_mode = 1 : si64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y, %rm, %rv : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Unique along axis 1: the slices as rows [5, 6], eq[j, i] from Equal of
// every pair (ReduceMin over the row), first rows where the first equal row
// is the row itself, places from the lexicographic Less at the first
// differing element, and the distinct slots kept by a Compress under the
// declared count (its kernel checks it). Y and counts gather at them.
// CHECK-LABEL: func.func @unique_sorted_axis
// CHECK: %[[T:.*]] = onnx.Transpose(%arg0) {perm = [1, 0, 2]} : (tensor<3x5x2xf32>) -> tensor<5x3x2xf32>
// CHECK: %[[ROWS:.*]] = onnx.Reshape(%[[T]], {{.*}}) : (tensor<5x3x2xf32>, tensor<2xi64>) -> tensor<5x6xf32>
// CHECK: %[[SAME:.*]] = onnx.Equal({{.*}}) : (tensor<5x1x6xf32>, tensor<1x5x6xf32>) -> tensor<5x5x6xi1>
// CHECK: %[[EQ:.*]] = onnx.ReduceMin({{.*}}) {axes = [2], keepdims = 0 : si64} : (tensor<5x5x6xi64>) -> tensor<5x5xi64>
// CHECK: %[[FIRSTOF:.*]] = onnx.ArgMax(%[[EQ]]) {keepdims = 0 : si64} : (tensor<5x5xi64>) -> tensor<5xi64>
// CHECK: onnx.Less({{.*}}) : (tensor<5x1x6xf32>, tensor<1x5x6xf32>) -> tensor<5x5x6xi1>
// CHECK: %[[DIFF:.*]] = onnx.ArgMax({{.*}}) {axis = 2 : si64} : (tensor<5x5x6xi64>) -> tensor<5x5x1xi64>
// CHECK: onnx.GatherElements({{.*}}, %[[DIFF]]) {axis = 2 : si64}
// CHECK: %[[PLACE:.*]] = onnx.ReduceSum({{.*}}) {axes = [0], keepdims = 0 : si64} : (tensor<5x5xi64>) -> tensor<5xi64>
// CHECK: %[[INV:.*]] = onnx.Gather(%[[PLACE]], %[[FIRSTOF]]) : (tensor<5xi64>, tensor<5xi64>) -> tensor<5xi64>
// CHECK: %[[SRC:.*]] = onnx.Compress({{.*}}) {axis = 0 : si64} : (tensor<5xi64>, tensor<5xi1>) -> tensor<4xi64>
// CHECK: %[[Y:.*]] = onnx.Gather(%arg0, %[[SRC]]) {axis = 1 : si64} : (tensor<3x5x2xf32>, tensor<4xi64>) -> tensor<3x4x2xf32>
// CHECK: %[[N:.*]] = onnx.ReduceSum(%[[EQ]]) {axes = [0], keepdims = 0 : si64}
// CHECK: %[[C:.*]] = onnx.Gather(%[[N]], %[[SRC]]) : (tensor<5xi64>, tensor<4xi64>) -> tensor<4xi64>
// CHECK-NOT: onnx.Unique
// CHECK: return %[[Y]], %[[SRC]], %[[INV]], %[[C]]
func.func @unique_sorted_axis(%x: tensor<3x5x2xf32>) -> (tensor<3x4x2xf32>, tensor<*xi64>, tensor<*xi64>, tensor<4xi64>) {
  %y, %i, %inv, %c = onnx.Unique(%x) {axis = -2 : si64} : (tensor<3x5x2xf32>) -> (tensor<3x4x2xf32>, tensor<*xi64>, tensor<*xi64>, tensor<4xi64>)
  return %y, %i, %inv, %c : tensor<3x4x2xf32>, tensor<*xi64>, tensor<*xi64>, tensor<4xi64>
}

// -----

// Unique without sorting: a first row's place counts the first rows before
// it (a constant lower-triangular mask).
// CHECK-LABEL: func.func @unique_in_order
// CHECK: onnx.Constant {value = dense<{{\[}}[0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]]> : tensor<4x4xi64>}
// CHECK-NOT: onnx.Less({{.*}}f32
// CHECK: onnx.Compress({{.*}}) {axis = 0 : si64} : (tensor<4xi64>, tensor<4xi1>) -> tensor<3xi64>
// CHECK: onnx.Gather({{.*}}) : (tensor<4xf32>, tensor<3xi64>) -> tensor<3xf32>
func.func @unique_in_order(%x: tensor<2x2xf32>) -> tensor<3xf32> {
  %y, %i, %inv, %c = onnx.Unique(%x) {sorted = 0 : si64} : (tensor<2x2xf32>) -> (tensor<3xf32>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>)
  return %y : tensor<3xf32>
}

// -----

// MaxPool with its Indices output: one MaxPool for Y, one with
// select_indices for the int64 flat positions.
// CHECK-LABEL: func.func @maxpool_indices
// CHECK: %[[Y:.*]] = onnx.MaxPool(%arg0) {{{.*}}kernel_shape = [2, 2]{{.*}}} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
// CHECK: %[[I:.*]] = onnx.MaxPool(%arg0) {{{.*}}select_indices{{.*}}} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xi64>
// CHECK: return %[[Y]], %[[I]]
func.func @maxpool_indices(%x: tensor<1x1x4x4xf32>) -> (tensor<*xf32>, tensor<*xi64>) {
  %y, %i = onnx.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2], storage_order = 1 : si64} : (tensor<1x1x4x4xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  return %y, %i : tensor<*xf32>, tensor<*xi64>
}

// -----

// StringSplit with both results: one op for the substrings, one with
// select_lengths for the counts. A Cast of int8 to strings goes through
// int64 (the runtime formats 64-bit integers).
// CHECK-LABEL: func.func @string_split_and_cast
// CHECK: %[[Y:.*]] = onnx.StringSplit(%arg0) {delimiter = ","} : (tensor<2x!onnx.string>) -> tensor<2x3x!onnx.string>
// CHECK: %[[Z:.*]] = onnx.StringSplit(%arg0) {delimiter = ",", select_lengths} : (tensor<2x!onnx.string>) -> tensor<2xi64>
// CHECK: %[[W:.*]] = onnx.Cast(%arg1) {to = 7 : si64} : (tensor<3xi8>) -> tensor<3xi64>
// CHECK: %[[S:.*]] = onnx.Cast(%[[W]]) {to = 8 : si64} : (tensor<3xi64>) -> tensor<3x!onnx.string>
// CHECK: return %[[Y]], %[[Z]], %[[S]]
func.func @string_split_and_cast(%x: tensor<2x!onnx.string>, %i: tensor<3xi8>) -> (tensor<2x3x!onnx.string>, tensor<2xi64>, tensor<3x!onnx.string>) {
  %y, %z = onnx.StringSplit(%x) {delimiter = ","} : (tensor<2x!onnx.string>) -> (tensor<2x3x!onnx.string>, tensor<2xi64>)
  %s = onnx.Cast(%i) {to = 8 : si64} : (tensor<3xi8>) -> tensor<3x!onnx.string>
  return %y, %z, %s : tensor<2x3x!onnx.string>, tensor<2xi64>, tensor<3x!onnx.string>
}

// -----

// Binarizer: CastLike(Greater(X, threshold), X); ArrayFeatureExtractor: a
// Gather along the last axis of the flattened indices (a 1-D X gets a
// leading 1).
// CHECK-LABEL: func.func @ml_ops
// CHECK: %[[T:.*]] = onnx.Constant {value = dense<5.000000e-01> : tensor<f32>}
// CHECK: %[[G:.*]] = onnx.Greater(%arg0, %[[T]])
// CHECK: onnx.CastLike(%[[G]], %{{.*}}) : (tensor<2x3xi1>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: onnx.Gather(%arg0, %{{.*}}) {axis = 1 : si64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x4xf32>
// CHECK: %[[V:.*]] = onnx.Gather(%arg2, %{{.*}}) : (tensor<5xi32>, tensor<4xi64>) -> tensor<4xi32>
// CHECK: onnx.Unsqueeze(%[[V]]) {axes = [0]} : (tensor<4xi32>) -> tensor<1x4xi32>
func.func @ml_ops(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>, %v: tensor<5xi32>) -> (tensor<2x3xf32>, tensor<2x4xf32>, tensor<1x4xi32>) {
  %b = onnx.Binarizer(%x) {threshold = 0.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %z = onnx.ArrayFeatureExtractor(%x, %i) : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x4xf32>
  %w = onnx.ArrayFeatureExtractor(%v, %i) : (tensor<5xi32>, tensor<2x2xi64>) -> tensor<1x4xi32>
  return %b, %z, %w : tensor<2x3xf32>, tensor<2x4xf32>, tensor<1x4xi32>
}
