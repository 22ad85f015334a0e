// onnxc-lower-to-host: <name>_run with argument checks, weight globals, workspace plan (in-place Concats and results over their inputs too), kernel calls and output copies; <name>_workspace_size; <name>_set_num_threads.
// RUN: onnxc-opt --onnxc-lower-to-host='model-name=net' -split-input-file -verify-diagnostics %s | FileCheck %s
// RUN: onnxc-opt --onnxc-lower-to-host -split-input-file -verify-diagnostics %s | FileCheck %s --check-prefix=DEFAULT

// Two groups: k0's 1x20 result (80 bytes) lives in the workspace, rounded
// up to 64-byte alignment: 128 bytes. k1 writes graph output 0 in place;
// output 1 is an Identity of the input and is copied.
// DEFAULT-LABEL: llvm.func @model_run(
// DEFAULT: llvm.call @model_k0(
// DEFAULT: llvm.call @model_k1(
// DEFAULT-LABEL: llvm.func @model_workspace_size() -> i64
// DEFAULT-LABEL: llvm.func @model_set_num_threads(

// CHECK-DAG: llvm.mlir.global internal constant @net_w0(dense<5.000000e-01> : tensor<20xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<20 x f32>
// halide_dimension_t {min, extent, stride, flags}, innermost first.
// CHECK-DAG: llvm.mlir.global internal constant @net_dims0(dense<[0, 20, 1, 0, 0, 1, 20, 0]> : tensor<8xi32>) {addr_space = 0 : i32, alignment = 16 : i64} : !llvm.array<8 x i32>
// CHECK-LABEL: llvm.func @net_run(
// CHECK-SAME: %[[INS:.+]]: !llvm.ptr, %[[OUTS:.+]]: !llvm.ptr, %[[WS:.+]]: !llvm.ptr) -> i32
// The kernels' parallel loops run on the runtime's pool.
// CHECK: %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: llvm.call @onnxc_rt_threads_prepare() : () -> ()
// A NULL array or tensor pointer returns 1 (invalid argument).
// CHECK-NEXT: %[[C0:.+]] = llvm.icmp "eq" %[[INS]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: %[[E0:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[C0]], ^[[EXIT:bb[0-9]+]](%[[E0]] : i32), ^bb1
// CHECK: %[[C1:.+]] = llvm.icmp "eq" %[[OUTS]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: %[[E1:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[C1]], ^[[EXIT]](%[[E1]] : i32)
// CHECK: %[[S0:.+]] = llvm.getelementptr %[[INS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[IN0:.+]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[C2:.+]] = llvm.icmp "eq" %[[IN0]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: %[[E2:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[C2]], ^[[EXIT]](%[[E2]] : i32)
// CHECK: %[[S1:.+]] = llvm.getelementptr %[[OUTS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[OUT0:.+]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[C3:.+]] = llvm.icmp "eq" %[[OUT0]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: %[[E3:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[C3]], ^[[EXIT]](%[[E3]] : i32)
// CHECK: %[[S2:.+]] = llvm.getelementptr %[[OUTS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[OUT1:.+]] = llvm.load %[[S2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[C4:.+]] = llvm.icmp "eq" %[[OUT1]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: %[[E4:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[C4]], ^[[EXIT]](%[[E4]] : i32)
// No workspace from the caller: malloc the planned size; failure returns 2.
// CHECK: %[[OWN:.+]] = llvm.icmp "eq" %[[WS]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: llvm.cond_br %[[OWN]], ^bb{{[0-9]+}}, ^[[READY:bb[0-9]+]](%[[WS]] : !llvm.ptr)
// CHECK: %[[SIZE:.+]] = llvm.mlir.constant(128 : i64) : i64
// CHECK-NEXT: %[[FRESH:.+]] = llvm.call @malloc(%[[SIZE]]) : (i64) -> !llvm.ptr
// CHECK-NEXT: %[[OOM:.+]] = llvm.icmp "eq" %[[FRESH]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: %[[E5:.+]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[OOM]], ^[[EXIT]](%[[E5]] : i32), ^[[READY]](%[[FRESH]] : !llvm.ptr)
// CHECK: ^[[READY]](%[[WSP:.+]]: !llvm.ptr):
// k0's result at workspace offset 0; k0 reads the input.
// CHECK: %[[OFF1:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: %[[T0:.+]] = llvm.getelementptr %[[WSP]][%[[OFF1]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.store %[[IN0]], %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: llvm.store %[[T0]], %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: %[[RC0:.+]] = llvm.call @net_k0(%{{.+}}, %{{.+}}) : (!llvm.ptr, !llvm.ptr) -> i32
// CHECK: llvm.icmp "ne" %[[RC0]]
// CHECK: llvm.cond_br %{{.+}}, ^[[FINISH:bb[0-9]+]](%{{.+}} : i32)
// k1 reads the workspace and the weight (its global's address is taken
// where first used), writes output 0.
// CHECK: llvm.store %[[T0]], %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: %[[W:.+]] = llvm.mlir.addressof @net_w0 : !llvm.ptr
// CHECK: llvm.store %[[W]], %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: llvm.store %[[OUT0]], %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: %[[RC1:.+]] = llvm.call @net_k1(%{{.+}}, %{{.+}}, %{{.+}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> i32
// CHECK-NEXT: %[[Z:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT: %[[BAD:.+]] = llvm.icmp "ne" %[[RC1]], %[[Z]] : i32
// CHECK-NEXT: %[[E6:.+]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT: llvm.cond_br %[[BAD]], ^[[FINISH]](%[[E6]] : i32)
// CHECK: %[[BYTES:.+]] = llvm.mlir.constant(80 : i64) : i64
// CHECK-NEXT: "llvm.intr.memcpy"(%[[OUT1]], %[[IN0]], %[[BYTES]]) <{isVolatile = false}>
// An owned workspace is freed on every path after it was allocated.
// CHECK: ^[[FINISH]](%[[STATUS:.+]]: i32):
// CHECK-NEXT: llvm.cond_br %[[OWN]], ^[[RELEASE:bb[0-9]+]], ^[[EXIT]](%[[STATUS]] : i32)
// CHECK-NEXT: ^[[RELEASE]]:
// CHECK-NEXT: llvm.call @free(%[[WSP]])
// CHECK: ^[[EXIT]](%[[RET:.+]]: i32):
// CHECK-NEXT: llvm.return %[[RET]] : i32
// CHECK-DAG: llvm.func @net_k0(!llvm.ptr, !llvm.ptr) -> i32
// CHECK-DAG: llvm.func @net_k1(!llvm.ptr, !llvm.ptr, !llvm.ptr) -> i32
// CHECK-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: %[[N:.+]] = llvm.mlir.constant(128 : i64) : i64
// CHECK-NEXT: llvm.return %[[N]] : i64
// CHECK-LABEL: llvm.func @net_set_num_threads(
// CHECK-SAME: %[[T:.+]]: i32)
// CHECK-NEXT: llvm.call @onnxc_rt_set_num_threads(%[[T]]) : (i32) -> ()
// CHECK-NEXT: %[[OLD:.+]] = llvm.call @halide_set_num_threads(%[[T]]) : (i32) -> i32
// CHECK-NEXT: %[[FEWER:.+]] = llvm.icmp "slt" %[[T]], %[[OLD]] : i32
// CHECK-NEXT: llvm.cond_br %[[FEWER]], ^[[SHRINK:.+]], ^[[DONE:.+]]
// CHECK-NEXT: ^[[SHRINK]]:
// CHECK-NEXT: llvm.call @halide_shutdown_thread_pool() : () -> ()
// CHECK-NEXT: llvm.call @halide_set_num_threads(%[[T]]) : (i32) -> i32
// CHECK-NEXT: llvm.br ^[[DONE]]
// CHECK-NEXT: ^[[DONE]]:
// CHECK-NEXT: llvm.return
// CHECK: llvm.func @halide_set_num_threads(i32) -> i32
// CHECK: llvm.func @halide_shutdown_thread_pool()
// CHECK-NOT: func.func
func.func @main(%x: tensor<1x20xf32> {onnx.name = "x"}) -> (tensor<1x20xf32> {onnx.name = "y"}, tensor<1x20xf32> {onnx.name = "x_copy"}) {
  %w = onnx.Constant {value = dense<5.000000e-01> : tensor<1x20xf32>} : tensor<1x20xf32>
  %0 = kernel.group "k0" anchor "Relu" (%x) {schedule = {parallel_axis = -1 : i64, strategy = "elementwise", target = "x86-64-avx2", tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}} : (tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>):
    %r = onnx.Relu(%a) : (tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %r : tensor<1x20xf32>
  }
  %1 = kernel.group "k1" anchor "Add" (%0, %w) {schedule = {parallel_axis = -1 : i64, strategy = "elementwise", target = "x86-64-avx2", tile = array<i64>, unroll = 1 : i64, vector_width = 8 : i64}} : (tensor<1x20xf32>, tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>, %b: tensor<1x20xf32>):
    %s = onnx.Add(%a, %b) : (tensor<1x20xf32>, tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %s : tensor<1x20xf32>
  }
  %2 = onnx.Identity(%x) : (tensor<1x20xf32>) -> tensor<1x20xf32>
  return %1, %2 : tensor<1x20xf32>, tensor<1x20xf32>
}

// -----

// A chain of four: the results of k0 and k1 are alive together (k1 reads k0
// while writing its own), k2's result reuses k0's slot once k0 is dead.
// 80 bytes each at offsets 0, 128, 0: 208 bytes, 256 after alignment.
// CHECK-LABEL: llvm.func @net_run(
// CHECK: llvm.call @malloc(%{{.+}})
// CHECK: ^[[READY:bb[0-9]+]](%[[WSP:.+]]: !llvm.ptr):
// CHECK: %[[OFF2:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: llvm.getelementptr %[[WSP]][%[[OFF2]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k0(
// CHECK: %[[OFF3:.+]] = llvm.mlir.constant(128 : i64) : i64
// CHECK-NEXT: llvm.getelementptr %[[WSP]][%[[OFF3]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k1(
// CHECK: %[[OFF4:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: llvm.getelementptr %[[WSP]][%[[OFF4]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k2(
// CHECK-NOT: llvm.getelementptr %[[WSP]]
// CHECK: llvm.call @net_k3(
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: llvm.mlir.constant(256 : i64) : i64
func.func @main(%x: tensor<1x20xf32>) -> tensor<1x20xf32> {
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>):
    %r = onnx.Relu(%a) : (tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %r : tensor<1x20xf32>
  }
  %1 = kernel.group "k1" anchor "Relu" (%0) : (tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>):
    %r = onnx.Relu(%a) : (tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %r : tensor<1x20xf32>
  }
  %2 = kernel.group "k2" anchor "Relu" (%1) : (tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>):
    %r = onnx.Relu(%a) : (tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %r : tensor<1x20xf32>
  }
  %3 = kernel.group "k3" anchor "Relu" (%2) : (tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>):
    %r = onnx.Relu(%a) : (tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %r : tensor<1x20xf32>
  }
  return %3 : tensor<1x20xf32>
}

// -----

// One group whose result is returned through a Reshape and directly: it is
// written once, into output 0 (the view's storage), and copied to output 1.
// No intermediate: no workspace, no malloc or free.
// CHECK-LABEL: llvm.func @net_run(
// CHECK-SAME: %{{.+}}: !llvm.ptr, %[[OUTS:.+]]: !llvm.ptr, %{{.+}}: !llvm.ptr) -> i32
// CHECK: %[[S0:.+]] = llvm.getelementptr %[[OUTS]][0]
// CHECK-NEXT: %[[OUT0:.+]] = llvm.load %[[S0]]
// CHECK: %[[S1:.+]] = llvm.getelementptr %[[OUTS]][1]
// CHECK-NEXT: %[[OUT1:.+]] = llvm.load %[[S1]]
// CHECK-NOT: llvm.call @malloc
// CHECK: llvm.store %[[OUT0]], %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: llvm.call @net_k0(
// CHECK: %[[BYTES:.+]] = llvm.mlir.constant(64 : i64) : i64
// CHECK-NEXT: "llvm.intr.memcpy"(%[[OUT1]], %[[OUT0]], %[[BYTES]])
// CHECK-NOT: llvm.call @free
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: llvm.mlir.constant(0 : i64) : i64
// CHECK-NOT: llvm.func @free
// CHECK-NOT: llvm.func @malloc
func.func @main(%x: tensor<2x8xf32>) -> (tensor<16xf32>, tensor<2x8xf32>) {
  %s = onnx.Constant {value = dense<[16]> : tensor<1xi64>} : tensor<1xi64>
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%a: tensor<2x8xf32>):
    %r = onnx.Relu(%a) : (tensor<2x8xf32>) -> tensor<2x8xf32>
    kernel.yield %r : tensor<2x8xf32>
  }
  %1 = onnx.Reshape(%0, %s) : (tensor<2x8xf32>, tensor<1xi64>) -> tensor<16xf32>
  return %1, %0 : tensor<16xf32>, tensor<2x8xf32>
}

// -----

// Weights above 16 elements stay resource blobs in their global.
// CHECK: llvm.mlir.global internal constant @net_w0(dense_resource<fc_weight> : tensor<20xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<20 x f32>
// CHECK-LABEL: llvm.func @net_run(
// CHECK: llvm.mlir.addressof @net_w0
func.func @main(%x: tensor<1x20xf32>) -> tensor<1x20xf32> {
  %w = onnx.Constant {value = dense_resource<fc_weight> : tensor<1x20xf32>} : tensor<1x20xf32>
  %0 = kernel.group "k0" anchor "Add" (%x, %w) : (tensor<1x20xf32>, tensor<1x20xf32>) -> tensor<1x20xf32> {
  ^bb0(%a: tensor<1x20xf32>, %b: tensor<1x20xf32>):
    %r = onnx.Add(%a, %b) : (tensor<1x20xf32>, tensor<1x20xf32>) -> tensor<1x20xf32>
    kernel.yield %r : tensor<1x20xf32>
  }
  return %0 : tensor<1x20xf32>
}
{-#
  dialect_resources: {
    builtin: {
      fc_weight: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F"
    }
  }
#-}

// -----

// expected-error @+1 {{expected one graph function, found 2}}
module {
  func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
  func.func @b(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'onnx.Relu' op cannot be lowered to host code; it should have been fused into a kernel group}}
  %0 = onnx.Relu(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An in-place Concat: k0 and k1 (through a Reshape, a view) are read by
// the Concat k2 alone, along an axis with only extent-1 axes before it,
// so they write their results straight into its storage (80 bytes at
// workspace offset 0): k0 at byte 0, k1 at byte 40. k2 copies nothing and
// is not called.
// CHECK-LABEL: llvm.func @net_run(
// CHECK: ^[[READY:bb[0-9]+]](%[[WSP:.+]]: !llvm.ptr):
// CHECK: %[[AT0:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: %[[BASE0:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: %[[C0:.+]] = llvm.getelementptr %[[WSP]][%[[BASE0]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.getelementptr %[[C0]][%[[AT0]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k0(
// CHECK: %[[AT1:.+]] = llvm.mlir.constant(40 : i64) : i64
// CHECK-NEXT: %[[BASE1:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: %[[C1:.+]] = llvm.getelementptr %[[WSP]][%[[BASE1]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.getelementptr %[[C1]][%[[AT1]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k1(
// CHECK-NOT: llvm.call @net_k2(
// CHECK: llvm.call @net_k3(
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: llvm.mlir.constant(128 : i64) : i64
func.func @main(%x: tensor<1x2x5xf32>) -> tensor<1x4x5xf32> {
  %s = onnx.Constant {value = dense<[1, 2, 5]> : tensor<3xi64>} : tensor<3xi64>
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32> {
  ^bb0(%a: tensor<1x2x5xf32>):
    %r = onnx.Relu(%a) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32>
    kernel.yield %r : tensor<1x2x5xf32>
  }
  %1 = kernel.group "k1" anchor "Neg" (%x) : (tensor<1x2x5xf32>) -> tensor<1x10xf32> {
  ^bb0(%a: tensor<1x2x5xf32>):
    %r = onnx.Neg(%a) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32>
    %s2 = onnx.Constant {value = dense<[1, 10]> : tensor<2xi64>} : tensor<2xi64>
    %f = onnx.Reshape(%r, %s2) : (tensor<1x2x5xf32>, tensor<2xi64>) -> tensor<1x10xf32>
    kernel.yield %f : tensor<1x10xf32>
  }
  %v = onnx.Reshape(%1, %s) : (tensor<1x10xf32>, tensor<3xi64>) -> tensor<1x2x5xf32>
  %2 = kernel.group "k2" anchor "Concat" (%0, %v) : (tensor<1x2x5xf32>, tensor<1x2x5xf32>) -> tensor<1x4x5xf32> {
  ^bb0(%a: tensor<1x2x5xf32>, %b: tensor<1x2x5xf32>):
    %c = onnx.Concat(%a, %b) {axis = 1 : si64} : (tensor<1x2x5xf32>, tensor<1x2x5xf32>) -> tensor<1x4x5xf32>
    kernel.yield %c : tensor<1x4x5xf32>
  }
  %3 = kernel.group "k3" anchor "Relu" (%2) : (tensor<1x4x5xf32>) -> tensor<1x4x5xf32> {
  ^bb0(%a: tensor<1x4x5xf32>):
    %r = onnx.Relu(%a) : (tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    kernel.yield %r : tensor<1x4x5xf32>
  }
  return %3 : tensor<1x4x5xf32>
}

// -----

// Not in place: k0's result is returned too (it is read outside the
// Concat), and along axis 1 of a batch of 2 each operand's rows are not
// one contiguous range. Both Concats copy.
// CHECK-LABEL: llvm.func @net_run(
// CHECK: llvm.call @net_k0(
// CHECK: llvm.call @net_k1(
// CHECK: llvm.call @net_k2(
// CHECK: llvm.call @net_k3(
// CHECK: llvm.call @net_k4(
func.func @main(%x: tensor<1x2x5xf32>, %y: tensor<2x3xf32>) -> (tensor<1x4x5xf32>, tensor<1x2x5xf32>, tensor<2x6xf32>) {
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32> {
  ^bb0(%a: tensor<1x2x5xf32>):
    %r = onnx.Relu(%a) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32>
    kernel.yield %r : tensor<1x2x5xf32>
  }
  %1 = kernel.group "k1" anchor "Neg" (%x) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32> {
  ^bb0(%a: tensor<1x2x5xf32>):
    %r = onnx.Neg(%a) : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32>
    kernel.yield %r : tensor<1x2x5xf32>
  }
  %2 = kernel.group "k2" anchor "Concat" (%0, %1) : (tensor<1x2x5xf32>, tensor<1x2x5xf32>) -> tensor<1x4x5xf32> {
  ^bb0(%a: tensor<1x2x5xf32>, %b: tensor<1x2x5xf32>):
    %c = onnx.Concat(%a, %b) {axis = 1 : si64} : (tensor<1x2x5xf32>, tensor<1x2x5xf32>) -> tensor<1x4x5xf32>
    kernel.yield %c : tensor<1x4x5xf32>
  }
  %3 = kernel.group "k3" anchor "Relu" (%y) : (tensor<2x3xf32>) -> tensor<2x3xf32> {
  ^bb0(%a: tensor<2x3xf32>):
    %r = onnx.Relu(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    kernel.yield %r : tensor<2x3xf32>
  }
  %4 = kernel.group "k4" anchor "Concat" (%3, %y) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32> {
  ^bb0(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>):
    %c = onnx.Concat(%a, %b) {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
    kernel.yield %c : tensor<2x6xf32>
  }
  return %2, %0, %4 : tensor<1x4x5xf32>, tensor<1x2x5xf32>, tensor<2x6xf32>
}

// -----

// A result over its input: k2 reads k1's result only at the points it
// writes (an Add of the same shape), k1's result is read by nothing after
// k2, and compileKernels marked k2 (in_place_input, its input 0): k2
// writes at k1's offset (256), and the workspace holds k0's and k1's
// results only (512 bytes; 768 without the mark, below).
// CHECK-LABEL: llvm.func @net_run(
// CHECK: %[[AT0:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT: llvm.getelementptr %[[WSP:.+]][%[[AT0]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k0(
// CHECK: %[[AT1:.+]] = llvm.mlir.constant(256 : i64) : i64
// CHECK-NEXT: llvm.getelementptr %[[WSP]][%[[AT1]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k1(
// CHECK: %[[AT2:.+]] = llvm.mlir.constant(256 : i64) : i64
// CHECK-NEXT: llvm.getelementptr %[[WSP]][%[[AT2]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @net_k2(
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: llvm.mlir.constant(512 : i64) : i64
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Relu(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %1 = kernel.group "k1" anchor "Neg" (%0) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Neg(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %2 = kernel.group "k2" anchor "Add" (%1, %0) {in_place_input = 0 : i64} : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>, %b: tensor<4x16xf32>):
    %r = onnx.Add(%a, %b) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %3 = kernel.group "k3" anchor "Relu" (%2) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Relu(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  return %3 : tensor<4x16xf32>
}

// -----

// Not over its input: k2 is not marked (its kernel may shift a tile
// inwards over points already stored).
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: llvm.mlir.constant(768 : i64) : i64
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Relu(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %1 = kernel.group "k1" anchor "Neg" (%0) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Neg(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %2 = kernel.group "k2" anchor "Add" (%1, %0) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>, %b: tensor<4x16xf32>):
    %r = onnx.Add(%a, %b) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %3 = kernel.group "k3" anchor "Relu" (%2) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Relu(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  return %3 : tensor<4x16xf32>
}

// -----

// Nor here: k2 is marked, but k3 reads k1's result after it (in place,
// k2's result and k3's would fit 512 bytes with k1's).
// CHECK-LABEL: llvm.func @net_workspace_size() -> i64
// CHECK-NEXT: llvm.mlir.constant(768 : i64) : i64
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = kernel.group "k0" anchor "Relu" (%x) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Relu(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %1 = kernel.group "k1" anchor "Neg" (%0) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Neg(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %2 = kernel.group "k2" anchor "Add" (%1, %0) {in_place_input = 0 : i64} : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>, %b: tensor<4x16xf32>):
    %r = onnx.Add(%a, %b) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %3 = kernel.group "k3" anchor "Mul" (%2, %1) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>, %b: tensor<4x16xf32>):
    %r = onnx.Mul(%a, %b) : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  %4 = kernel.group "k4" anchor "Relu" (%3) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
  ^bb0(%a: tensor<4x16xf32>):
    %r = onnx.Relu(%a) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    kernel.yield %r : tensor<4x16xf32>
  }
  return %4 : tensor<4x16xf32>
}
