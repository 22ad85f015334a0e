// onnxc-schedule-kernels: strategy per anchor, vector width per target, tiles, parallel axis, and the unknown-target error.
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-schedule-kernels{target=x86-64-avx512}))' -split-input-file %s | FileCheck %s --check-prefixes=CHECK,AVX512
// RUN: onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-schedule-kernels{target=x86-64-avx2}))' -split-input-file %s | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: not onnxc-opt --pass-pipeline='builtin.module(func.func(onnxc-schedule-kernels{target=riscv64}))' -split-input-file %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// UNKNOWN: error: unknown target 'riscv64' (known: host, x86-64-avx2, x86-64-avx512)

// Conv: a register block of rows x 4 output channels x one vector; the
// rows are the largest divisor of the height (28) that keeps the
// accumulators in registers (24 / 4 -> 4 rows with AVX-512, 12 / 4 -> 2
// with AVX2).
// Blocks of channels (axis 1) run in parallel.
// CHECK-LABEL: func.func @conv
// AVX512: kernel.group "k0" anchor "Conv"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, strategy = "conv_direct", target = "x86-64-avx512", tile = array<i64: 4, 28, 4>, unroll = 1 : i64, vector_width = 16 : i64}}
// AVX2: kernel.group "k0" anchor "Conv"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, strategy = "conv_direct", target = "x86-64-avx2", tile = array<i64: 2, 28, 4>, unroll = 1 : i64, vector_width = 8 : i64}}
func.func @conv(%x: tensor<1x1x28x28xf32>, %w: tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32> {
  %0 = kernel.group "k0" anchor "Conv" (%x, %w) : (tensor<1x1x28x28xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32> {
  ^bb0(%a: tensor<1x1x28x28xf32>, %b: tensor<16x1x3x3xf32>):
    %c = onnx.Conv(%a, %b) {dilations = [1, 1], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x1x28x28xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32>
    %r = onnx.Relu(%c) : (tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
    kernel.yield %r : tensor<1x16x28x28xf32>
  }
  return %0 : tensor<1x16x28x28xf32>
}

// -----

// A depthwise conv (group = channels): the same rows, one channel per
// block (its padded input plane, made per block, stays in L1).
// CHECK-LABEL: func.func @depthwise
// AVX512: kernel.group "k0" anchor "Conv"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, strategy = "conv_direct", target = "x86-64-avx512", tile = array<i64: 4, 28, 1>, unroll = 1 : i64, vector_width = 16 : i64}}
// AVX2: kernel.group "k0" anchor "Conv"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, strategy = "conv_direct", target = "x86-64-avx2", tile = array<i64: 2, 28, 1>, unroll = 1 : i64, vector_width = 8 : i64}}
func.func @depthwise(%x: tensor<1x16x28x28xf32>, %w: tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32> {
  %0 = kernel.group "k0" anchor "Conv" (%x, %w) : (tensor<1x16x28x28xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32> {
  ^bb0(%a: tensor<1x16x28x28xf32>, %b: tensor<16x1x3x3xf32>):
    %c = onnx.Conv(%a, %b) {dilations = [1, 1], group = 16 : si64, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x16x28x28xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x28x28xf32>
    kernel.yield %c : tensor<1x16x28x28xf32>
  }
  return %0 : tensor<1x16x28x28xf32>
}

// -----

// A prime height has no divisor in range: the rows tile takes the whole
// register budget (6 rows with AVX-512, 3 with AVX2) and the last tile
// shifts inwards. The vector is never wider than the innermost extent
// (13 -> 8 lanes on both targets).
// CHECK-LABEL: func.func @conv_prime_height
// CHECK: schedule = {parallel_axis = 1 : i64, strategy = "conv_direct",
// AVX512-SAME: tile = array<i64: 6, 13, 4>, unroll = 1 : i64, vector_width = 8 : i64}
// AVX2-SAME: tile = array<i64: 3, 13, 4>, unroll = 1 : i64, vector_width = 8 : i64}
func.func @conv_prime_height(%x: tensor<1x2x13x13xf32>, %w: tensor<4x2x1x1xf32>) -> tensor<1x4x13x13xf32> {
  %0 = kernel.group "k0" anchor "Conv" (%x, %w) : (tensor<1x2x13x13xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x13x13xf32> {
  ^bb0(%a: tensor<1x2x13x13xf32>, %b: tensor<4x2x1x1xf32>):
    %c = onnx.Conv(%a, %b) {dilations = [1, 1], kernel_shape = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x13x13xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x13x13xf32>
    kernel.yield %c : tensor<1x4x13x13xf32>
  }
  return %0 : tensor<1x4x13x13xf32>
}

// -----

// Gemm with one row: a 1 x (up to 8 vectors) tile; the 64 columns fit one
// tile with AVX-512 (nothing to split across threads) and make 8 vectors,
// one tile of 64, with AVX2.
// CHECK-LABEL: func.func @gemm_one_row
// AVX512: schedule = {parallel_axis = -1 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 1, 64>, unroll = 1 : i64, vector_width = 16 : i64}
// AVX2: schedule = {parallel_axis = -1 : i64, strategy = "gemm", target = "x86-64-avx2", tile = array<i64: 1, 64>, unroll = 1 : i64, vector_width = 8 : i64}
func.func @gemm_one_row(%a: tensor<1x784xf32>, %b: tensor<64x784xf32>, %c: tensor<64xf32>) -> tensor<1x64xf32> {
  %0 = kernel.group "k0" anchor "Gemm" (%a, %b, %c) : (tensor<1x784xf32>, tensor<64x784xf32>, tensor<64xf32>) -> tensor<1x64xf32> {
  ^bb0(%x: tensor<1x784xf32>, %y: tensor<64x784xf32>, %z: tensor<64xf32>):
    %g = onnx.Gemm(%x, %y, %z) {transB = 1 : si64} : (tensor<1x784xf32>, tensor<64x784xf32>, tensor<64xf32>) -> tensor<1x64xf32>
    kernel.yield %g : tensor<1x64xf32>
  }
  return %0 : tensor<1x64xf32>
}

// -----

// MatMul with 64 rows: 8 rows per tile with AVX-512's 32 registers (16
// accumulators), 6 with AVX2's 16 (12); unrolled, the row axis in parallel.
// CHECK-LABEL: func.func @matmul_rows
// AVX512: schedule = {parallel_axis = 0 : i64, strategy = "gemm", target = "x86-64-avx512", tile = array<i64: 8, 32>, unroll = 8 : i64, vector_width = 16 : i64}
// AVX2: schedule = {parallel_axis = 0 : i64, strategy = "gemm", target = "x86-64-avx2", tile = array<i64: 6, 16>, unroll = 6 : i64, vector_width = 8 : i64}
func.func @matmul_rows(%a: tensor<64x32xf32>, %b: tensor<32x128xf32>) -> tensor<64x128xf32> {
  %0 = kernel.group "k0" anchor "MatMul" (%a, %b) : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32> {
  ^bb0(%x: tensor<64x32xf32>, %y: tensor<32x128xf32>):
    %m = onnx.MatMul(%x, %y) : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32>
    kernel.yield %m : tensor<64x128xf32>
  }
  return %0 : tensor<64x128xf32>
}

// -----

// A product over a 14x14 map (196 columns): tiles of two vectors would
// compute 224 columns, so AVX-512 takes one vector by 16 rows (208); not
// when A's rows are 4 KiB apart (a reduction of 1024: 16 rows would share
// one L1 set). AVX2 keeps 6 rows x 2 vectors.
// CHECK-LABEL: func.func @matmul_one_vector
// AVX512: kernel.group "k0" {{.*}}tile = array<i64: 16, 16>, unroll = 16 : i64, vector_width = 16 : i64}
// AVX512: kernel.group "k1" {{.*}}tile = array<i64: 8, 32>, unroll = 8 : i64, vector_width = 16 : i64}
// AVX2: kernel.group "k0" {{.*}}tile = array<i64: 6, 16>, unroll = 6 : i64, vector_width = 8 : i64}
func.func @matmul_one_vector(%a: tensor<96x576xf32>, %b: tensor<1x576x196xf32>, %c: tensor<256x1024xf32>, %d: tensor<1x1024x196xf32>) -> (tensor<1x96x196xf32>, tensor<1x256x196xf32>) {
  %0 = kernel.group "k0" anchor "MatMul" (%a, %b) : (tensor<96x576xf32>, tensor<1x576x196xf32>) -> tensor<1x96x196xf32> {
  ^bb0(%x: tensor<96x576xf32>, %y: tensor<1x576x196xf32>):
    %m = onnx.MatMul(%x, %y) : (tensor<96x576xf32>, tensor<1x576x196xf32>) -> tensor<1x96x196xf32>
    kernel.yield %m : tensor<1x96x196xf32>
  }
  %1 = kernel.group "k1" anchor "MatMul" (%c, %d) : (tensor<256x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x256x196xf32> {
  ^bb0(%x: tensor<256x1024xf32>, %y: tensor<1x1024x196xf32>):
    %m = onnx.MatMul(%x, %y) : (tensor<256x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x256x196xf32>
    kernel.yield %m : tensor<1x256x196xf32>
  }
  return %0, %1 : tensor<1x96x196xf32>, tensor<1x256x196xf32>
}

// -----

// A small pool stays serial; a big one splits channels.
// CHECK-LABEL: func.func @maxpool
// CHECK: kernel.group "k0" anchor "MaxPool"
// CHECK-SAME: schedule = {parallel_axis = -1 : i64, strategy = "pool",
// CHECK-SAME: tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}
// CHECK: kernel.group "k1" anchor "MaxPool"
// AVX512-SAME: schedule = {parallel_axis = 1 : i64, strategy = "pool", target = "x86-64-avx512", tile = array<i64>, unroll = 1 : i64, vector_width = 16 : i64}
// AVX2-SAME: schedule = {parallel_axis = 1 : i64, strategy = "pool", target = "x86-64-avx2", tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}
func.func @maxpool(%x: tensor<1x8x28x28xf32>, %y: tensor<1x32x128x128xf32>) -> (tensor<1x8x14x14xf32>, tensor<1x32x64x64xf32>) {
  %0 = kernel.group "k0" anchor "MaxPool" (%x) : (tensor<1x8x28x28xf32>) -> tensor<1x8x14x14xf32> {
  ^bb0(%a: tensor<1x8x28x28xf32>):
    %p = onnx.MaxPool(%a) {dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x8x28x28xf32>) -> tensor<1x8x14x14xf32>
    kernel.yield %p : tensor<1x8x14x14xf32>
  }
  %1 = kernel.group "k1" anchor "MaxPool" (%y) : (tensor<1x32x128x128xf32>) -> tensor<1x32x64x64xf32> {
  ^bb0(%a: tensor<1x32x128x128xf32>):
    %p = onnx.MaxPool(%a) {dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x32x128x128xf32>) -> tensor<1x32x64x64xf32>
    kernel.yield %p : tensor<1x32x64x64xf32>
  }
  return %0, %1 : tensor<1x8x14x14xf32>, tensor<1x32x64x64xf32>
}

// -----

// GlobalAveragePool vectorizes over channels (the spatial result dims are 1);
// batch 1 leaves nothing to split.
// CHECK-LABEL: func.func @global_pool
// AVX512: schedule = {parallel_axis = -1 : i64, strategy = "global_pool", target = "x86-64-avx512", tile = array<i64>, unroll = 1 : i64, vector_width = 16 : i64}
// AVX2: schedule = {parallel_axis = -1 : i64, strategy = "global_pool", target = "x86-64-avx2", tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}
func.func @global_pool(%x: tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32> {
  %0 = kernel.group "k0" anchor "GlobalAveragePool" (%x) : (tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32> {
  ^bb0(%a: tensor<1x64x7x7xf32>):
    %p = onnx.GlobalAveragePool(%a) : (tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32>
    kernel.yield %p : tensor<1x64x1x1xf32>
  }
  return %0 : tensor<1x64x1x1xf32>
}

// -----

// A 10-class softmax: 8 lanes on both targets, serial.
// CHECK-LABEL: func.func @softmax
// CHECK: schedule = {parallel_axis = -1 : i64, strategy = "softmax",
// CHECK-SAME: tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}
func.func @softmax(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %0 = kernel.group "k0" anchor "Softmax" (%x) : (tensor<1x10xf32>) -> tensor<1x10xf32> {
  ^bb0(%a: tensor<1x10xf32>):
    %s = onnx.Softmax(%a) : (tensor<1x10xf32>) -> tensor<1x10xf32>
    kernel.yield %s : tensor<1x10xf32>
  }
  return %0 : tensor<1x10xf32>
}

// -----

// Elementwise: a small group stays serial (-1), a big one splits its
// outermost non-unit axis.
// CHECK-LABEL: func.func @elementwise
// CHECK: kernel.group "k0" anchor "Relu"
// CHECK-SAME: schedule = {parallel_axis = -1 : i64, strategy = "elementwise",
// CHECK-SAME: vector_width = 8 : i64}
// CHECK: kernel.group "k1" anchor "Add"
// AVX512-SAME: schedule = {parallel_axis = 1 : i64, strategy = "elementwise", target = "x86-64-avx512", tile = array<i64>, unroll = 1 : i64, vector_width = 16 : i64}
// AVX2-SAME: schedule = {parallel_axis = 1 : i64, strategy = "elementwise", target = "x86-64-avx2", tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}
func.func @elementwise(%x: tensor<2x8xf32>, %y: tensor<1x4x128x64xf32>) -> (tensor<2x8xf32>, tensor<1x4x128x64xf32>) {
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%a: tensor<2x8xf32>):
    %r = onnx.Relu(%a) : (tensor<2x8xf32>) -> tensor<2x8xf32>
    kernel.yield %r : tensor<2x8xf32>
  }
  %1 = kernel.group "k1" anchor "Add" (%y) : (tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  ^bb0(%a: tensor<1x4x128x64xf32>):
    %s = onnx.Add(%a, %a) : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32>
    kernel.yield %s : tensor<1x4x128x64xf32>
  }
  return %0, %1 : tensor<2x8xf32>, tensor<1x4x128x64xf32>
}

// -----

// Reductions count the elements they read: a mean over 96 channels at 56 x
// 56 positions (3136 results, 301056 reads) splits its rows; a mean over 4
// (3136 reads) stays serial.
// CHECK-LABEL: func.func @reduce_reads
// CHECK: kernel.group "k0" anchor "ReduceMean"
// CHECK-SAME: schedule = {parallel_axis = 1 : i64, strategy = "elementwise",
// CHECK: kernel.group "k1" anchor "ReduceMean"
// CHECK-SAME: schedule = {parallel_axis = -1 : i64, strategy = "elementwise",
func.func @reduce_reads(%x: tensor<1x56x56x96xf32>, %y: tensor<1x28x28x4xf32>) -> (tensor<1x56x56x1xf32>, tensor<1x28x28x1xf32>) {
  %0 = kernel.group "k0" anchor "ReduceMean" (%x) : (tensor<1x56x56x96xf32>) -> tensor<1x56x56x1xf32> {
  ^bb0(%a: tensor<1x56x56x96xf32>):
    %m = onnx.ReduceMean(%a) {axes = [3]} : (tensor<1x56x56x96xf32>) -> tensor<1x56x56x1xf32>
    kernel.yield %m : tensor<1x56x56x1xf32>
  }
  %1 = kernel.group "k1" anchor "ReduceMean" (%y) : (tensor<1x28x28x4xf32>) -> tensor<1x28x28x1xf32> {
  ^bb0(%a: tensor<1x28x28x4xf32>):
    %m = onnx.ReduceMean(%a) {axes = [3]} : (tensor<1x28x28x4xf32>) -> tensor<1x28x28x1xf32>
    kernel.yield %m : tensor<1x28x28x1xf32>
  }
  return %0, %1 : tensor<1x56x56x1xf32>, tensor<1x28x28x1xf32>
}

// -----

// A long reduction over few rows (K = 3072, 49 rows): where A (588 KiB)
// fits L2 (AVX-512's 1 MiB), column panels are computed whole, across
// threads, the reduction in blocks of B that fill half of L1 (128 x 32
// floats), rows in tiles of a divisor of 49 (7). The AVX2 target's L2
// (512 KiB) does not hold A: row tiles as usual.
// CHECK-LABEL: func.func @matmul_panel
// AVX512: schedule = {parallel_axis = 1 : i64, strategy = "gemm_panel", target = "x86-64-avx512", tile = array<i64: 7, 32, 128>, unroll = 7 : i64, vector_width = 16 : i64}
// AVX2: schedule = {parallel_axis = 0 : i64, strategy = "gemm", target = "x86-64-avx2", tile = array<i64: 6, 16>, unroll = 6 : i64, vector_width = 8 : i64}
func.func @matmul_panel(%a: tensor<49x3072xf32>, %b: tensor<3072x768xf32>) -> tensor<49x768xf32> {
  %0 = kernel.group "k0" anchor "MatMul" (%a, %b) : (tensor<49x3072xf32>, tensor<3072x768xf32>) -> tensor<49x768xf32> {
  ^bb0(%x: tensor<49x3072xf32>, %y: tensor<3072x768xf32>):
    %m = onnx.MatMul(%x, %y) : (tensor<49x3072xf32>, tensor<3072x768xf32>) -> tensor<49x768xf32>
    kernel.yield %m : tensor<49x768xf32>
  }
  return %0 : tensor<49x768xf32>
}

// -----

// Constant weights (a conv written as a product) times a small map (49
// columns) over a reduction of 128 or more: gemm_packed, tiles of two
// vectors of rows by the column count that pads least (7 with AVX-512,
// 5 of at most 6 with AVX2), the reduction in blocks of 64 (128), the
// weights prefetched 32 steps of the reduction ahead.
// Weights read at run time, a short reduction, or rows that do not fill
// whole tiles keep the gemm schedule. A 14x14 map (196 columns) over a
// reduction of 512 takes gemm_packed with AVX-512 only, each tile over the
// whole reduction, no prefetch (see @packed_wide).
// CHECK-LABEL: func.func @packed
// AVX512: kernel.group "k0" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, prefetch = 32 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 32, 7, 64>, unroll = 7 : i64, vector_width = 16 : i64}}
// AVX2: kernel.group "k0" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, prefetch = 32 : i64, strategy = "gemm_packed", target = "x86-64-avx2", tile = array<i64: 16, 5, 128>, unroll = 5 : i64, vector_width = 8 : i64}}
// CHECK: kernel.group "k1" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = {{[-0-9]+}} : i64, strategy = "gemm",
// AVX512: kernel.group "k2" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 32, 7, 512>, unroll = 7 : i64, vector_width = 16 : i64}}
// AVX2: kernel.group "k2" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = {{[-0-9]+}} : i64, strategy = "gemm",
// CHECK: kernel.group "k3" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = {{[-0-9]+}} : i64, strategy = "gemm",
// CHECK: kernel.group "k4" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = {{[-0-9]+}} : i64, strategy = "gemm",
func.func @packed(%x: tensor<1x512x49xf32>, %wr: tensor<64x512xf32>, %wide: tensor<1x512x196xf32>, %short: tensor<1x64x49xf32>) -> (tensor<1x64x49xf32>, tensor<1x64x49xf32>, tensor<1x64x196xf32>, tensor<1x64x49xf32>, tensor<1x40x49xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<64x512xf32>} : tensor<64x512xf32>
  %w64 = onnx.Constant {value = dense<0.5> : tensor<64x64xf32>} : tensor<64x64xf32>
  %w40 = onnx.Constant {value = dense<0.5> : tensor<40x512xf32>} : tensor<40x512xf32>
  %0 = kernel.group "k0" anchor "MatMul" (%w, %x) : (tensor<64x512xf32>, tensor<1x512x49xf32>) -> tensor<1x64x49xf32> {
  ^bb0(%a: tensor<64x512xf32>, %b: tensor<1x512x49xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<64x512xf32>, tensor<1x512x49xf32>) -> tensor<1x64x49xf32>
    kernel.yield %m : tensor<1x64x49xf32>
  }
  %1 = kernel.group "k1" anchor "MatMul" (%wr, %x) : (tensor<64x512xf32>, tensor<1x512x49xf32>) -> tensor<1x64x49xf32> {
  ^bb0(%a: tensor<64x512xf32>, %b: tensor<1x512x49xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<64x512xf32>, tensor<1x512x49xf32>) -> tensor<1x64x49xf32>
    kernel.yield %m : tensor<1x64x49xf32>
  }
  %2 = kernel.group "k2" anchor "MatMul" (%w, %wide) : (tensor<64x512xf32>, tensor<1x512x196xf32>) -> tensor<1x64x196xf32> {
  ^bb0(%a: tensor<64x512xf32>, %b: tensor<1x512x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<64x512xf32>, tensor<1x512x196xf32>) -> tensor<1x64x196xf32>
    kernel.yield %m : tensor<1x64x196xf32>
  }
  %3 = kernel.group "k3" anchor "MatMul" (%w64, %short) : (tensor<64x64xf32>, tensor<1x64x49xf32>) -> tensor<1x64x49xf32> {
  ^bb0(%a: tensor<64x64xf32>, %b: tensor<1x64x49xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<64x64xf32>, tensor<1x64x49xf32>) -> tensor<1x64x49xf32>
    kernel.yield %m : tensor<1x64x49xf32>
  }
  %4 = kernel.group "k4" anchor "MatMul" (%w40, %x) : (tensor<40x512xf32>, tensor<1x512x49xf32>) -> tensor<1x40x49xf32> {
  ^bb0(%a: tensor<40x512xf32>, %b: tensor<1x512x49xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<40x512xf32>, tensor<1x512x49xf32>) -> tensor<1x40x49xf32>
    kernel.yield %m : tensor<1x40x49xf32>
  }
  return %0, %1, %2, %3, %4 : tensor<1x64x49xf32>, tensor<1x64x49xf32>, tensor<1x64x196xf32>, tensor<1x64x49xf32>, tensor<1x40x49xf32>
}

// -----

// Wide products (65 to 256 columns) take gemm_packed with AVX-512 when
// their reduction is 512 or more: 1024 -> 256 channels at 14x14 (tiles of
// 7 columns, all 1024 steps of the reduction per tile). A reduction of 256
// there, or a 28x28 map (784 columns), keeps the gemm schedule.
// CHECK-LABEL: func.func @packed_wide
// AVX512: kernel.group "k0" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = 1 : i64, strategy = "gemm_packed", target = "x86-64-avx512", tile = array<i64: 32, 7, 1024>, unroll = 7 : i64, vector_width = 16 : i64}}
// AVX2: kernel.group "k0" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = {{[-0-9]+}} : i64, strategy = "gemm",
// CHECK: kernel.group "k1" anchor "MatMul"(%{{.+}}) {schedule = {parallel_axis = {{[-0-9]+}} : i64, strategy = "gemm",
// CHECK: kernel.group "k2" anchor "MatMul"(%{{.+}}) {schedule = {{{.*}}strategy = "gemm",
func.func @packed_wide(%x: tensor<1x1024x196xf32>, %short: tensor<1x256x196xf32>, %x28: tensor<1x512x784xf32>) -> (tensor<1x256x196xf32>, tensor<1x1024x196xf32>, tensor<1x128x784xf32>) {
  %w = onnx.Constant {value = dense<0.5> : tensor<256x1024xf32>} : tensor<256x1024xf32>
  %w256 = onnx.Constant {value = dense<0.5> : tensor<1024x256xf32>} : tensor<1024x256xf32>
  %w28 = onnx.Constant {value = dense<0.5> : tensor<128x512xf32>} : tensor<128x512xf32>
  %0 = kernel.group "k0" anchor "MatMul" (%w, %x) : (tensor<256x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x256x196xf32> {
  ^bb0(%a: tensor<256x1024xf32>, %b: tensor<1x1024x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<256x1024xf32>, tensor<1x1024x196xf32>) -> tensor<1x256x196xf32>
    kernel.yield %m : tensor<1x256x196xf32>
  }
  %1 = kernel.group "k1" anchor "MatMul" (%w256, %short) : (tensor<1024x256xf32>, tensor<1x256x196xf32>) -> tensor<1x1024x196xf32> {
  ^bb0(%a: tensor<1024x256xf32>, %b: tensor<1x256x196xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<1024x256xf32>, tensor<1x256x196xf32>) -> tensor<1x1024x196xf32>
    kernel.yield %m : tensor<1x1024x196xf32>
  }
  %2 = kernel.group "k2" anchor "MatMul" (%w28, %x28) : (tensor<128x512xf32>, tensor<1x512x784xf32>) -> tensor<1x128x784xf32> {
  ^bb0(%a: tensor<128x512xf32>, %b: tensor<1x512x784xf32>):
    %m = onnx.MatMul(%a, %b) : (tensor<128x512xf32>, tensor<1x512x784xf32>) -> tensor<1x128x784xf32>
    kernel.yield %m : tensor<1x128x784xf32>
  }
  return %0, %1, %2 : tensor<1x256x196xf32>, tensor<1x1024x196xf32>, tensor<1x128x784xf32>
}
