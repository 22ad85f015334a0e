// onnxc-fuse-kernels: anchors absorb the elementwise ops after them (a chain, or a graph with one result), view ops and constants stay outside, groups are named in program order.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-fuse-kernels))' -split-input-file %s | FileCheck %s

// Conv + bias Add + Relu is one kernel anchored at the Conv; the bias
// constant is an input of the group, not part of it.
// CHECK-LABEL: func.func @conv_add_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x8x8xf32>, %[[W:.+]]: tensor<4x1x3x3xf32>)
// CHECK: %[[B:.+]] = onnx.Constant
// CHECK-NEXT: %[[G:.+]] = kernel.group "k0" anchor "Conv"(%[[X]], %[[W]], %[[B]])
// CHECK-SAME: -> tensor<1x4x6x6xf32>
// CHECK-NEXT: ^bb0(%[[A0:.+]]: tensor<1x1x8x8xf32>, %[[A1:.+]]: tensor<4x1x3x3xf32>, %[[A2:.+]]: tensor<1x4x1x1xf32>):
// CHECK-NEXT: %[[C:.+]] = onnx.Conv(%[[A0]], %[[A1]])
// CHECK-NEXT: %[[S:.+]] = onnx.Add(%[[C]], %[[A2]])
// CHECK-NEXT: %[[R:.+]] = onnx.Relu(%[[S]])
// CHECK-NEXT: kernel.yield %[[R]] : tensor<1x4x6x6xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
// CHECK-NOT: kernel.group
func.func @conv_add_relu(%x: tensor<1x1x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %b = onnx.Constant {value = dense<1.0> : tensor<1x4x1x1xf32>} : tensor<1x4x1x1xf32>
  %0 = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = onnx.Add(%0, %b) : (tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %2 = onnx.Relu(%1) : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// The Relu has two users, so neither joins the MatMul group; each becomes a
// group of its own. Groups are numbered in program order.
// CHECK-LABEL: func.func @two_users
// CHECK: %[[G0:.+]] = kernel.group "k0" anchor "MatMul"
// CHECK: onnx.MatMul
// CHECK-NEXT: onnx.Relu
// CHECK-NEXT: kernel.yield
// CHECK: %[[G1:.+]] = kernel.group "k1" anchor "Add"(%[[G0]], %{{.+}})
// CHECK-NOT: onnx.Relu
// CHECK: kernel.yield
// CHECK: %[[G2:.+]] = kernel.group "k2" anchor "Mul"(%[[G0]], %{{.+}})
// CHECK: kernel.yield
// CHECK: return %[[G1]], %[[G2]]
func.func @two_users(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %0 = onnx.MatMul(%a, %b) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = onnx.Relu(%0) : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = onnx.Add(%1, %c) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %3 = onnx.Mul(%1, %c) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %2, %3 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// Views and constants cost no kernel: they stay between the groups, and an
// elementwise op after a view is not fused across it.
// CHECK-LABEL: func.func @views_stay_outside
// CHECK: %[[C:.+]] = onnx.Constant {value = dense<[1, 16]> : tensor<2xi64>}
// CHECK: %[[G0:.+]] = kernel.group "k0" anchor "MaxPool"
// CHECK: onnx.MaxPool
// CHECK-NEXT: kernel.yield
// CHECK: %[[F:.+]] = onnx.Flatten(%[[G0]])
// CHECK-NEXT: %[[R:.+]] = onnx.Reshape(%[[F]], %[[C]])
// CHECK-NEXT: %[[I:.+]] = onnx.Identity(%[[R]])
// CHECK-NEXT: %[[G1:.+]] = kernel.group "k1" anchor "Relu"(%[[I]])
// CHECK: return %[[G1]]
func.func @views_stay_outside(%x: tensor<1x4x4x4xf32>) -> tensor<1x16xf32> {
  %s = onnx.Constant {value = dense<[1, 16]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.MaxPool(%x) {dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x4x4x4xf32>) -> tensor<1x4x2x2xf32>
  %1 = onnx.Flatten(%0) : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
  %2 = onnx.Reshape(%1, %s) : (tensor<1x16xf32>, tensor<2xi64>) -> tensor<1x16xf32>
  %3 = onnx.Identity(%2) : (tensor<1x16xf32>) -> tensor<1x16xf32>
  %4 = onnx.Relu(%3) : (tensor<1x16xf32>) -> tensor<1x16xf32>
  return %4 : tensor<1x16xf32>
}

// -----

// Elementwise ops with no anchor before them form one group for the whole
// chain, anchored at the first.
// CHECK-LABEL: func.func @leftover_chain
// CHECK: kernel.group "k0" anchor "Add"
// CHECK-NEXT: ^bb0
// CHECK-NEXT: onnx.Add
// CHECK-NEXT: onnx.Mul
// CHECK-NEXT: onnx.Relu
// CHECK-NEXT: kernel.yield
// CHECK-NOT: kernel.group
func.func @leftover_chain(%a: tensor<2x8xf32>, %b: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = onnx.Add(%a, %b) : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = onnx.Mul(%0, %b) : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = onnx.Relu(%1) : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// An elementwise op that broadcasts its anchor's result to a bigger shape is
// not fused (the group result would change shape), and an anchor never
// joins another anchor's group.
// CHECK-LABEL: func.func @no_fusion_across_shapes_or_anchors
// CHECK: %[[G0:.+]] = kernel.group "k0" anchor "GlobalAveragePool"
// CHECK-NOT: onnx.Add
// CHECK: kernel.yield %{{.+}} : tensor<1x8x1x1xf32>
// CHECK: %[[G1:.+]] = kernel.group "k1" anchor "Add"(%[[G0]], %{{.+}})
// CHECK: %[[G2:.+]] = kernel.group "k2" anchor "Gemm"
// CHECK: %[[G3:.+]] = kernel.group "k3" anchor "Softmax"(%[[G2]])
// CHECK: return %[[G1]], %[[G3]]
func.func @no_fusion_across_shapes_or_anchors(%x: tensor<1x8x4x4xf32>, %a: tensor<2x8xf32>, %b: tensor<8x10xf32>) -> (tensor<1x8x4x4xf32>, tensor<2x10xf32>) {
  %0 = onnx.GlobalAveragePool(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %1 = onnx.Add(%0, %x) : (tensor<1x8x1x1xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = onnx.Gemm(%a, %b) : (tensor<2x8xf32>, tensor<8x10xf32>) -> tensor<2x10xf32>
  %3 = onnx.Softmax(%2) : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %1, %3 : tensor<1x8x4x4xf32>, tensor<2x10xf32>
}

// -----

// Names follow program order even though anchors are grouped first: the
// leading elementwise group is k0. Mul(%1, %1) reads the MatMul result
// twice and joins its group.
// CHECK-LABEL: func.func @names_in_program_order
// CHECK: kernel.group "k0" anchor "Relu"
// CHECK: kernel.group "k1" anchor "MatMul"
// CHECK: %[[P:.+]] = onnx.MatMul
// CHECK-NEXT: %[[M:.+]] = onnx.Mul(%[[P]], %[[P]])
// CHECK-NEXT: kernel.yield %[[M]]
// CHECK: kernel.group "k2" anchor "Softmax"
func.func @names_in_program_order(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = onnx.Relu(%a) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = onnx.MatMul(%0, %0) : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = onnx.Mul(%1, %1) : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %3 = onnx.Softmax(%2) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %3 : tensor<4x4xf32>
}

// -----

// Any op that is not elementwise anchors a group (here a reduction and a
// Transpose); an elementwise chain joins by shape even when it changes the
// element type (a comparison giving bool), and a Clip's absent bound
// (onnx.NoValue) is copied into the group rather than passed to it.
// CHECK-LABEL: func.func @reduce_compare_transpose
// CHECK: kernel.group "k0" anchor "ReduceSum"(%arg0, %[[T:.+]]) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x1xi1>
// CHECK: onnx.ReduceSum
// CHECK-NEXT: onnx.Greater
// CHECK-NEXT: kernel.yield %{{.+}} : tensor<2x1xi1>
// CHECK: kernel.group "k1" anchor "Transpose"(%arg0, %[[HI:.+]]) : (tensor<2x3xf32>, tensor<f32>) -> tensor<3x2xf32>
// CHECK-NEXT: ^bb0(%{{.+}}: tensor<2x3xf32>, %{{.+}}: tensor<f32>):
// CHECK-NEXT: onnx.NoValue
// CHECK-NEXT: onnx.Transpose
// CHECK-NEXT: onnx.Clip
func.func @reduce_compare_transpose(%x: tensor<2x3xf32>) -> (tensor<2x1xi1>, tensor<3x2xf32>) {
  %t = onnx.Constant {value = dense<1.0> : tensor<f32>} : tensor<f32>
  %s = onnx.ReduceSum(%x) {axes = [1]} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %g = onnx.Greater(%s, %t) : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xi1>
  %none = onnx.NoValue
  %hi = onnx.Constant {value = dense<2.0> : tensor<f32>} : tensor<f32>
  %p = onnx.Transpose(%x) {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %c = onnx.Clip(%p, %none, %hi) : (tensor<3x2xf32>, none, tensor<f32>) -> tensor<3x2xf32>
  return %g, %c : tensor<2x1xi1>, tensor<3x2xf32>
}

// -----

// Ops on strings are runtime calls: each is a group of its own, and no
// elementwise chain joins them, before or after.
// CHECK-LABEL: func.func @strings_stand_alone
// CHECK: kernel.group "k0" anchor "Relu"
// CHECK-NEXT: ^bb0
// CHECK-NEXT: onnx.Relu
// CHECK-NEXT: kernel.yield
// CHECK: kernel.group "k1" anchor "Cast"
// CHECK: kernel.group "k2" anchor "StringConcat"
// CHECK: kernel.group "k3" anchor "Equal"
// CHECK: kernel.group "k4" anchor "Not"
func.func @strings_stand_alone(%x: tensor<3xf32>, %s: tensor<3x!onnx.string>) -> tensor<3xi1> {
  %r = onnx.Relu(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %t = onnx.Cast(%r) {to = 8 : si64} : (tensor<3xf32>) -> tensor<3x!onnx.string>
  %c = onnx.StringConcat(%t, %s) : (tensor<3x!onnx.string>, tensor<3x!onnx.string>) -> tensor<3x!onnx.string>
  %e = onnx.Equal(%c, %s) : (tensor<3x!onnx.string>, tensor<3x!onnx.string>) -> tensor<3xi1>
  %n = onnx.Not(%e) : (tensor<3xi1>) -> tensor<3xi1>
  return %n : tensor<3xi1>
}

// -----

// SiLU reads the conv's result twice (x * Sigmoid(x)): both ops join the
// conv's group, whose one result is the Mul.
// CHECK-LABEL: func.func @silu
// CHECK: %[[G:.+]] = kernel.group "k0" anchor "Conv"
// CHECK: %[[C:.+]] = onnx.Conv
// CHECK-NEXT: %[[S:.+]] = onnx.Sigmoid(%[[C]])
// CHECK-NEXT: %[[M:.+]] = onnx.Mul(%[[C]], %[[S]])
// CHECK-NEXT: kernel.yield %[[M]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @silu(%x: tensor<1x1x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = onnx.Sigmoid(%0) : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %2 = onnx.Mul(%0, %1) : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// GELU: the Mul by x waits until Div, Erf and Add (which it reads) have
// joined; the constants defined between the ops are inputs of the group.
// CHECK-LABEL: func.func @gelu
// CHECK: kernel.group "k0" anchor "MatMul"
// CHECK: %[[P:.+]] = onnx.MatMul
// CHECK-NEXT: %[[D:.+]] = onnx.Div(%[[P]],
// CHECK-NEXT: %[[E:.+]] = onnx.Erf(%[[D]])
// CHECK-NEXT: %[[A:.+]] = onnx.Add(%[[E]],
// CHECK-NEXT: %[[M:.+]] = onnx.Mul(%[[P]], %[[A]])
// CHECK-NEXT: %[[H:.+]] = onnx.Mul(%[[M]],
// CHECK-NEXT: kernel.yield %[[H]]
// CHECK-NOT: kernel.group
func.func @gelu(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = onnx.MatMul(%a, %b) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %s = onnx.Constant {value = dense<1.41421354> : tensor<f32>} : tensor<f32>
  %1 = onnx.Div(%0, %s) : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  %2 = onnx.Erf(%1) : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %one = onnx.Constant {value = dense<1.0> : tensor<f32>} : tensor<f32>
  %3 = onnx.Add(%2, %one) : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  %4 = onnx.Mul(%0, %3) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %half = onnx.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %5 = onnx.Mul(%4, %half) : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  return %5 : tensor<4x16xf32>
}

// -----

// Two values would leave (the Sigmoid is returned too): only the MatMul's
// own group forms, and the Sigmoid and the Mul are groups of their own.
// CHECK-LABEL: func.func @two_values_leave
// CHECK: %[[G0:.+]] = kernel.group "k0" anchor "MatMul"
// CHECK-NOT: onnx.Sigmoid
// CHECK: kernel.yield
// CHECK: %[[G1:.+]] = kernel.group "k1" anchor "Sigmoid"(%[[G0]])
// CHECK: %[[G2:.+]] = kernel.group "k2" anchor "Mul"(%[[G0]], %[[G1]])
// CHECK: return %[[G2]], %[[G1]]
func.func @two_values_leave(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %0 = onnx.MatMul(%a, %b) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = onnx.Sigmoid(%0) : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = onnx.Mul(%0, %1) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %2, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// Squeeze-and-excitation: the Mul reads the Relu's result and a scale
// computed from it by other kernels (a pooling anchor reads the Relu), so
// it cannot join the conv's group, which ends at the Relu.
// CHECK-LABEL: func.func @scale_from_another_kernel
// CHECK: %[[G0:.+]] = kernel.group "k0" anchor "Conv"
// CHECK: onnx.Relu
// CHECK-NEXT: kernel.yield
// CHECK: %[[G1:.+]] = kernel.group "k1" anchor "GlobalAveragePool"(%[[G0]])
// CHECK: onnx.Sigmoid
// CHECK-NEXT: kernel.yield
// CHECK: %[[G2:.+]] = kernel.group "k2" anchor "Mul"(%[[G0]], %[[G1]])
// CHECK: return %[[G2]]
func.func @scale_from_another_kernel(%x: tensor<1x1x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = onnx.Conv(%x, %w) {dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = onnx.Relu(%0) : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %2 = onnx.GlobalAveragePool(%1) : (tensor<1x4x6x6xf32>) -> tensor<1x4x1x1xf32>
  %3 = onnx.Sigmoid(%2) : (tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %4 = onnx.Mul(%1, %3) : (tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %4 : tensor<1x4x6x6xf32>
}
