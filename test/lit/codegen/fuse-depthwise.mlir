// onnxc-fuse-depthwise: a 3x3 unit-stride depthwise conv group whose only
// reader is the pointwise product (a gemm MatMul group, through a Reshape
// view) joins that product's group, which adds depthwise_rows to its
// schedule. Strided convs, 5x5 taps, rows of fewer than three vectors (of
// at least half the target's) and results read elsewhere stay apart.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-fuse-kernels,onnxc-schedule-kernels{target=x86-64-avx512},onnxc-fuse-depthwise))' -split-input-file %s | FileCheck %s --check-prefixes=CHECK,AVX512
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-fuse-kernels,onnxc-schedule-kernels{target=x86-64-avx2},onnxc-fuse-depthwise))' -split-input-file %s | FileCheck %s --check-prefixes=CHECK,AVX2

// 112 columns, tiles of 32 (AVX-512) or 16 (AVX2): blocks of 4 rows (448
// columns, the first count of whole tiles over 256). One group, named as
// the product, its inputs the conv's then the view's shape then the
// product's others; the body the conv's ops, the view, the product.
// CHECK-LABEL: func.func @fused
// CHECK-SAME: (%[[X:.+]]: tensor<1x32x8x112xf32>)
// CHECK-NOT: kernel.group "k0"
// CHECK: %[[G:.+]] = kernel.group "k1" anchor "MatMul"(%[[X]], %[[W:.+]], %[[B:.+]], %[[LO:.+]], %[[HI:.+]], %[[S:.+]], %[[A:.+]]) {schedule = {depthwise_rows = 4 : i64, parallel_axis = 2 : i64, strategy = "gemm"
// CHECK-NEXT: ^bb0(%[[X1:.+]]: tensor<1x32x8x112xf32>, %[[W1:.+]]: tensor<32x1x3x3xf32>, %[[B1:.+]]: tensor<32xf32>, %[[LO1:.+]]: tensor<f32>, %[[HI1:.+]]: tensor<f32>, %[[S1:.+]]: tensor<3xi64>, %[[A1:.+]]: tensor<16x32xf32>):
// CHECK-NEXT: %[[C:.+]] = onnx.Conv(%[[X1]], %[[W1]], %[[B1]])
// CHECK-NEXT: %[[D:.+]] = onnx.Clip(%[[C]], %[[LO1]], %[[HI1]])
// CHECK-NEXT: %[[V:.+]] = onnx.Reshape(%[[D]], %[[S1]])
// CHECK-NEXT: %[[M:.+]] = onnx.MatMul(%[[A1]], %[[V]])
// CHECK-NEXT: kernel.yield %[[M]] : tensor<1x16x896xf32>
// CHECK: return %[[G]]
func.func @fused(%x: tensor<1x32x8x112xf32>) -> (tensor<1x16x896xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<32x1x3x3xf32>} : tensor<32x1x3x3xf32>
  %b = onnx.Constant {value = dense<0.25> : tensor<32xf32>} : tensor<32xf32>
  %lo = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %hi = onnx.Constant {value = dense<6.0> : tensor<f32>} : tensor<f32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], group = 32 : si64, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x32x8x112xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x8x112xf32>
  %d = onnx.Clip(%c, %lo, %hi) : (tensor<1x32x8x112xf32>, tensor<f32>, tensor<f32>) -> tensor<1x32x8x112xf32>
  %s = onnx.Constant {value = dense<[1, 32, 896]> : tensor<3xi64>} : tensor<3xi64>
  %v = onnx.Reshape(%d, %s) : (tensor<1x32x8x112xf32>, tensor<3xi64>) -> tensor<1x32x896xf32>
  %a = onnx.Constant {value = dense<0.125> : tensor<16x32xf32>} : tensor<16x32xf32>
  %m = onnx.MatMul(%a, %v) : (tensor<16x32xf32>, tensor<1x32x896xf32>) -> tensor<1x16x896xf32>
  return %m : tensor<1x16x896xf32>
}

// -----

// Strided: two groups.
// CHECK-LABEL: func.func @strided
// CHECK: kernel.group "k0" anchor "Conv"
// CHECK-NOT: depthwise_rows
// CHECK: kernel.group "k1" anchor "MatMul"
// CHECK-NOT: depthwise_rows
func.func @strided(%x: tensor<1x32x16x112xf32>) -> (tensor<1x16x448xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<32x1x3x3xf32>} : tensor<32x1x3x3xf32>
  %b = onnx.Constant {value = dense<0.25> : tensor<32xf32>} : tensor<32xf32>
  %lo = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %hi = onnx.Constant {value = dense<6.0> : tensor<f32>} : tensor<f32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], group = 32 : si64, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x32x16x112xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x8x56xf32>
  %d = onnx.Clip(%c, %lo, %hi) : (tensor<1x32x8x56xf32>, tensor<f32>, tensor<f32>) -> tensor<1x32x8x56xf32>
  %s = onnx.Constant {value = dense<[1, 32, 448]> : tensor<3xi64>} : tensor<3xi64>
  %v = onnx.Reshape(%d, %s) : (tensor<1x32x8x56xf32>, tensor<3xi64>) -> tensor<1x32x448xf32>
  %a = onnx.Constant {value = dense<0.125> : tensor<16x32xf32>} : tensor<16x32xf32>
  %m = onnx.MatMul(%a, %v) : (tensor<16x32xf32>, tensor<1x32x448xf32>) -> tensor<1x16x448xf32>
  return %m : tensor<1x16x448xf32>
}

// -----

// 28 columns: vectors of 4 (a quarter of AVX-512's, half of AVX2's).
// CHECK-LABEL: func.func @narrow
// AVX512: kernel.group "k0" anchor "Conv"
// AVX512-NOT: depthwise_rows
// AVX512: kernel.group "k1" anchor "MatMul"
// AVX512-NOT: depthwise_rows
// AVX2-NOT: kernel.group "k0"
// AVX2: kernel.group "k1" anchor "MatMul"{{.+}}depthwise_rows = 8 : i64
func.func @narrow(%x: tensor<1x32x8x28xf32>) -> (tensor<1x16x224xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<32x1x3x3xf32>} : tensor<32x1x3x3xf32>
  %b = onnx.Constant {value = dense<0.25> : tensor<32xf32>} : tensor<32xf32>
  %lo = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %hi = onnx.Constant {value = dense<6.0> : tensor<f32>} : tensor<f32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], group = 32 : si64, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x32x8x28xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x8x28xf32>
  %d = onnx.Clip(%c, %lo, %hi) : (tensor<1x32x8x28xf32>, tensor<f32>, tensor<f32>) -> tensor<1x32x8x28xf32>
  %s = onnx.Constant {value = dense<[1, 32, 224]> : tensor<3xi64>} : tensor<3xi64>
  %v = onnx.Reshape(%d, %s) : (tensor<1x32x8x28xf32>, tensor<3xi64>) -> tensor<1x32x224xf32>
  %a = onnx.Constant {value = dense<0.125> : tensor<16x32xf32>} : tensor<16x32xf32>
  %m = onnx.MatMul(%a, %v) : (tensor<16x32xf32>, tensor<1x32x224xf32>) -> tensor<1x16x224xf32>
  return %m : tensor<1x16x224xf32>
}

// -----

// 5x5 taps: two groups.
// CHECK-LABEL: func.func @five_by_five
// CHECK: kernel.group "k0" anchor "Conv"
// CHECK-NOT: depthwise_rows
// CHECK: kernel.group "k1" anchor "MatMul"
// CHECK-NOT: depthwise_rows
func.func @five_by_five(%x: tensor<1x32x8x112xf32>) -> (tensor<1x16x896xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<32x1x5x5xf32>} : tensor<32x1x5x5xf32>
  %b = onnx.Constant {value = dense<0.25> : tensor<32xf32>} : tensor<32xf32>
  %lo = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %hi = onnx.Constant {value = dense<6.0> : tensor<f32>} : tensor<f32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], group = 32 : si64, kernel_shape = [5, 5], pads = [2, 2, 2, 2], strides = [1, 1]} : (tensor<1x32x8x112xf32>, tensor<32x1x5x5xf32>, tensor<32xf32>) -> tensor<1x32x8x112xf32>
  %d = onnx.Clip(%c, %lo, %hi) : (tensor<1x32x8x112xf32>, tensor<f32>, tensor<f32>) -> tensor<1x32x8x112xf32>
  %s = onnx.Constant {value = dense<[1, 32, 896]> : tensor<3xi64>} : tensor<3xi64>
  %v = onnx.Reshape(%d, %s) : (tensor<1x32x8x112xf32>, tensor<3xi64>) -> tensor<1x32x896xf32>
  %a = onnx.Constant {value = dense<0.125> : tensor<16x32xf32>} : tensor<16x32xf32>
  %m = onnx.MatMul(%a, %v) : (tensor<16x32xf32>, tensor<1x32x896xf32>) -> tensor<1x16x896xf32>
  return %m : tensor<1x16x896xf32>
}

// -----

// The depthwise result is also returned: two groups.
// CHECK-LABEL: func.func @two_users
// CHECK: kernel.group "k0" anchor "Conv"
// CHECK-NOT: depthwise_rows
// CHECK: kernel.group "k1" anchor "MatMul"
// CHECK-NOT: depthwise_rows
func.func @two_users(%x: tensor<1x32x8x112xf32>) -> (tensor<1x16x896xf32>, tensor<1x32x8x112xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<32x1x3x3xf32>} : tensor<32x1x3x3xf32>
  %b = onnx.Constant {value = dense<0.25> : tensor<32xf32>} : tensor<32xf32>
  %lo = onnx.Constant {value = dense<0.0> : tensor<f32>} : tensor<f32>
  %hi = onnx.Constant {value = dense<6.0> : tensor<f32>} : tensor<f32>
  %c = onnx.Conv(%x, %w, %b) {dilations = [1, 1], group = 32 : si64, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x32x8x112xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x8x112xf32>
  %d = onnx.Clip(%c, %lo, %hi) : (tensor<1x32x8x112xf32>, tensor<f32>, tensor<f32>) -> tensor<1x32x8x112xf32>
  %s = onnx.Constant {value = dense<[1, 32, 896]> : tensor<3xi64>} : tensor<3xi64>
  %v = onnx.Reshape(%d, %s) : (tensor<1x32x8x112xf32>, tensor<3xi64>) -> tensor<1x32x896xf32>
  %a = onnx.Constant {value = dense<0.125> : tensor<16x32xf32>} : tensor<16x32xf32>
  %m = onnx.MatMul(%a, %v) : (tensor<16x32xf32>, tensor<1x32x896xf32>) -> tensor<1x16x896xf32>
  return %m, %d : tensor<1x16x896xf32>, tensor<1x32x8x112xf32>
}
