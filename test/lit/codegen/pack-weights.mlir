// onnxc-pack-weights: a gemm_packed group's constant weights [M, K] become
// [M / r, K, r] (r = the schedule's tile rows), read through
// kernel.packed_rows; weights shared by two groups are packed once and the
// original constant goes. Constant weights B [K, N] of a gemm or
// gemm_panel group become [N / c, K, c] (c = the tile's columns), read
// through kernel.packed_cols, when c divides N. A gemm group in tiles of
// 16 or more rows by one vector over a reduction of a multiple of 1024
// packs its constant weights A by rows too.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-pack-weights))' -split-input-file -verify-diagnostics %s | FileCheck %s

// Rows of two: [[0, 1], [2, 3], [4, 5], [6, 7]] -> tile 0 holds rows 0 and 1
// column by column (0, 2, 1, 3), tile 1 rows 2 and 3 (4, 6, 5, 7).
// CHECK-LABEL: func.func @shared
// CHECK-NOT: tensor<4x2xf32>} : tensor<4x2xf32>
// CHECK: %[[P:.+]] = onnx.Constant {value = dense_resource<[[BLOB:packed.*]]> : tensor<2x2x2xf32>} : tensor<2x2x2xf32>
// CHECK: kernel.group "k0" anchor "MatMul"(%[[P]], %arg0) {{.*}} : (tensor<2x2x2xf32>, tensor<1x2x3xf32>) -> tensor<1x4x3xf32> {
// CHECK-NEXT: ^bb0(%[[A:.+]]: tensor<2x2x2xf32>, %[[B:.+]]: tensor<1x2x3xf32>):
// CHECK-NEXT: %[[V:.+]] = kernel.packed_rows %[[A]] : tensor<2x2x2xf32> -> tensor<4x2xf32>
// CHECK-NEXT: onnx.MatMul(%[[V]], %[[B]])
// CHECK: kernel.group "k1" anchor "MatMul"(%[[P]], %arg1)
// CHECK: [[BLOB]]: "0x0400000000000000000000400000803F00004040000080400000C0400000A0400000E040"
func.func @shared(%x: tensor<1x2x3xf32>, %y: tensor<1x2x5xf32>) -> (tensor<1x4x3xf32>, tensor<1x4x5xf32>) {
  %w = onnx.Constant {value = dense<[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]> : tensor<4x2xf32>} : tensor<4x2xf32>
  %0 = kernel.group "k0" anchor "MatMul" (%w, %x) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 2, 3, 2>, unroll = 3 : i64, vector_width = 2 : i64}} : (tensor<4x2xf32>, tensor<1x2x3xf32>) -> tensor<1x4x3xf32> {
  ^bb0(%a: tensor<4x2xf32>, %b: tensor<1x2x3xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<4x2xf32>, tensor<1x2x3xf32>) -> tensor<1x4x3xf32>
    kernel.yield %m : tensor<1x4x3xf32>
  }
  %1 = kernel.group "k1" anchor "MatMul" (%w, %y) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 2, 5, 2>, unroll = 5 : i64, vector_width = 4 : i64}} : (tensor<4x2xf32>, tensor<1x2x5xf32>) -> tensor<1x4x5xf32> {
  ^bb0(%a: tensor<4x2xf32>, %b: tensor<1x2x5xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<4x2xf32>, tensor<1x2x5xf32>) -> tensor<1x4x5xf32>
    kernel.yield %m : tensor<1x4x5xf32>
  }
  return %0, %1 : tensor<1x4x3xf32>, tensor<1x4x5xf32>
}

// -----

// A stack of weights (Winograd's products): each matrix packed on its own,
// [P, M, K] -> [P, M / r, K, r].
// CHECK-LABEL: func.func @stack
// CHECK: kernel.packed_rows %{{.+}} : tensor<3x2x8x16xf32> -> tensor<3x32x8xf32>
func.func @stack(%x: tensor<3x8x5xf32>) -> tensor<3x32x5xf32> {
  %w = onnx.Constant {value = dense<1.5> : tensor<3x32x8xf32>} : tensor<3x32x8xf32>
  %0 = kernel.group "k0" anchor "MatMul" (%w, %x) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 16, 5, 8>, unroll = 5 : i64, vector_width = 4 : i64}} : (tensor<3x32x8xf32>, tensor<3x8x5xf32>) -> tensor<3x32x5xf32> {
  ^bb0(%a: tensor<3x32x8xf32>, %b: tensor<3x8x5xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<3x32x8xf32>, tensor<3x8x5xf32>) -> tensor<3x32x5xf32>
    kernel.yield %m : tensor<3x32x5xf32>
  }
  return %0 : tensor<3x32x5xf32>
}

// -----

// Weights read at run time cannot be packed.
func.func @not_constant(%w: tensor<4x2xf32>, %x: tensor<1x2x3xf32>) -> tensor<1x4x3xf32> {
  // expected-error @+1 {{is scheduled gemm_packed but its weights are not float32 constants of its own with rows in whole tiles}}
  %0 = kernel.group "k0" anchor "MatMul" (%w, %x) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 2, 3, 2>, unroll = 3 : i64, vector_width = 2 : i64}} : (tensor<4x2xf32>, tensor<1x2x3xf32>) -> tensor<1x4x3xf32> {
  ^bb0(%a: tensor<4x2xf32>, %b: tensor<1x2x3xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<4x2xf32>, tensor<1x2x3xf32>) -> tensor<1x4x3xf32>
    kernel.yield %m : tensor<1x4x3xf32>
  }
  return %0 : tensor<1x4x3xf32>
}

// -----

// Columns of two: [[0, 1, 2, 3], [4, 5, 6, 7]] -> panel 0 holds columns 0
// and 1 row by row (0, 1, 4, 5), panel 1 columns 2 and 3 (2, 3, 6, 7).
// Columns of three: the second panel's third column is past N, zero (a
// Gemm without transB, packed the same way).
// CHECK-LABEL: func.func @columns
// CHECK-NOT: tensor<2x4xf32>} : tensor<2x4xf32>
// CHECK-DAG: %[[P:.+]] = onnx.Constant {value = dense_resource<[[BLOB:packed[_0-9]*]]> : tensor<2x2x2xf32>} : tensor<2x2x2xf32>
// CHECK-DAG: %[[Q:.+]] = onnx.Constant {value = dense_resource<[[BLOB3:packed[_0-9]*]]> : tensor<2x2x3xf32>} : tensor<2x2x3xf32>
// CHECK: kernel.group "k0" anchor "MatMul"(%arg0, %[[P]])
// CHECK: %[[V:.+]] = kernel.packed_cols %{{.+}} : tensor<2x2x2xf32> -> tensor<2x4xf32>
// CHECK-NEXT: onnx.MatMul(%{{.+}}, %[[V]])
// CHECK: kernel.group "k1" anchor "Gemm"(%arg1, %[[Q]])
// CHECK: kernel.packed_cols %{{.+}} : tensor<2x2x3xf32> -> tensor<2x4xf32>
// CHECK-DAG: [[BLOB]]: "0x04000000000000000000803F000080400000A04000000040000040400000C0400000E040"
// 0, 1, 2, 4, 5, 6 | 3, 0, 0, 7, 0, 0
// CHECK-DAG: [[BLOB3]]: "0x04000000000000000000803F00000040000080400000A0400000C0400000404000000000000000000000E0400000000000000000"
func.func @columns(%x: tensor<6x2xf32>, %y: tensor<5x2xf32>) -> (tensor<6x4xf32>, tensor<5x4xf32>) {
  %w = onnx.Constant {value = dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %0 = kernel.group "k0" anchor "MatMul" (%x, %w) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_panel", target = "x86-64-avx512", tile = array<i64: 3, 2, 2>, unroll = 3 : i64, vector_width = 2 : i64}} : (tensor<6x2xf32>, tensor<2x4xf32>) -> tensor<6x4xf32> {
  ^bb0(%a: tensor<6x2xf32>, %b: tensor<2x4xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<6x2xf32>, tensor<2x4xf32>) -> tensor<6x4xf32>
    kernel.yield %m : tensor<6x4xf32>
  }
  %1 = kernel.group "k1" anchor "Gemm" (%y, %w) {schedule = {parallel_axis = 0 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 5, 3>, unroll = 5 : i64, vector_width = 2 : i64}} : (tensor<5x2xf32>, tensor<2x4xf32>) -> tensor<5x4xf32> {
  ^bb0(%a: tensor<5x2xf32>, %b: tensor<2x4xf32>):
    %m = onnx.Gemm(%a, %b) : (tensor<5x2xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
    kernel.yield %m : tensor<5x4xf32>
  }
  return %0, %1 : tensor<6x4xf32>, tensor<5x4xf32>
}

// -----

// A gemm group in tiles of 16 rows by one vector (vector_width) of
// columns over a reduction of 1024: its constant weights A are packed by
// rows too (16 rows 4 KiB apart would share one L1 set). Tiles of 8 rows
// by two vectors, rows that are not whole tiles, or a reduction of 512
// keep A as it is.
// CHECK-LABEL: func.func @gemm_one_vector
// CHECK: kernel.group "k0" anchor "MatMul"(%{{.+}}, %arg0) {{.*}} : (tensor<2x1024x16xf32>, tensor<1x1024x196xf32>) -> tensor<1x32x196xf32> {
// CHECK-NEXT: ^bb0(%[[A:.+]]: tensor<2x1024x16xf32>, %[[B:.+]]: tensor<1x1024x196xf32>):
// CHECK-NEXT: %[[V:.+]] = kernel.packed_rows %[[A]] : tensor<2x1024x16xf32> -> tensor<32x1024xf32>
// CHECK-NEXT: onnx.MatMul(%[[V]], %[[B]])
// CHECK: kernel.group "k1" anchor "MatMul"(%{{.+}}, %arg0) {{.*}} : (tensor<32x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x32x196xf32> {
// CHECK: kernel.group "k2" anchor "MatMul"(%{{.+}}, %arg0) {{.*}} : (tensor<40x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x40x196xf32> {
// CHECK: kernel.group "k3" anchor "MatMul"(%{{.+}}, %arg1) {{.*}} : (tensor<32x512xf32>, tensor<1x512x196xf32>) -> tensor<1x32x196xf32> {
func.func @gemm_one_vector(%x: tensor<1x1024x196xf32>, %y: tensor<1x512x196xf32>) -> (tensor<1x32x196xf32>, tensor<1x32x196xf32>, tensor<1x40x196xf32>, tensor<1x32x196xf32>) {
  %w512 = onnx.Constant {value = dense<0.5> : tensor<32x512xf32>} : tensor<32x512xf32>
  %w = onnx.Constant {value = dense<0.5> : tensor<32x1024xf32>} : tensor<32x1024xf32>
  %w40 = onnx.Constant {value = dense<0.5> : tensor<40x1024xf32>} : tensor<40x1024xf32>
  %0 = kernel.group "k0" anchor "MatMul" (%w, %x) {schedule = {parallel_axis = 1 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 16, 16>, unroll = 16 : i64, vector_width = 16 : i64}} : (tensor<32x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x32x196xf32> {
  ^bb0(%a: tensor<32x1024xf32>, %b: tensor<1x1024x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<32x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x32x196xf32>
    kernel.yield %m : tensor<1x32x196xf32>
  }
  %1 = kernel.group "k1" anchor "MatMul" (%w, %x) {schedule = {parallel_axis = 1 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 8, 32>, unroll = 8 : i64, vector_width = 16 : i64}} : (tensor<32x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x32x196xf32> {
  ^bb0(%a: tensor<32x1024xf32>, %b: tensor<1x1024x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<32x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x32x196xf32>
    kernel.yield %m : tensor<1x32x196xf32>
  }
  %2 = kernel.group "k2" anchor "MatMul" (%w40, %x) {schedule = {parallel_axis = 1 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 16, 16>, unroll = 16 : i64, vector_width = 16 : i64}} : (tensor<40x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x40x196xf32> {
  ^bb0(%a: tensor<40x1024xf32>, %b: tensor<1x1024x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<40x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x40x196xf32>
    kernel.yield %m : tensor<1x40x196xf32>
  }
  %3 = kernel.group "k3" anchor "MatMul" (%w512, %y) {schedule = {parallel_axis = 1 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 16, 16>, unroll = 16 : i64, vector_width = 16 : i64}} : (tensor<32x512xf32>, tensor<1x512x196xf32>) -> tensor<1x32x196xf32> {
  ^bb0(%a: tensor<32x512xf32>, %b: tensor<1x512x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<32x512xf32>, tensor<1x512x196xf32>) -> tensor<1x32x196xf32>
    kernel.yield %m : tensor<1x32x196xf32>
  }
  return %0, %1, %2, %3 : tensor<1x32x196xf32>, tensor<1x32x196xf32>, tensor<1x40x196xf32>, tensor<1x32x196xf32>
}
