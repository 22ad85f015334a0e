"""Writes model.onnx: a small CNN with a dynamic batch dim 'N' (Conv, Relu,
MaxPool, a flatten to [N, -1] computed from Shape as exporters write it,
Gemm, Softmax), inputs of 3 items and of 1 item, ONNX's reference outputs
for both, and mixed.onnx, where a ReduceMean over the batch mixes items."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
rng = np.random.default_rng(0)
w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32) * 0.3
fc = rng.standard_normal((64, 5)).astype(np.float32) * 0.2
bias = rng.standard_normal(5).astype(np.float32)
inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(fc, "fc"),
         numpy_helper.from_array(bias, "bias"),
         numpy_helper.from_array(np.array([0], np.int64), "zero"),
         numpy_helper.from_array(np.array([-1], np.int64), "minus_one")]
nodes = [
    helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"]),
    helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2],
                     strides=[2, 2]),
    helper.make_node("Shape", ["p"], ["shape"]),
    helper.make_node("Gather", ["shape", "zero"], ["n"], axis=0),
    helper.make_node("Concat", ["n", "minus_one"], ["flat_shape"], axis=0),
    helper.make_node("Reshape", ["p", "flat_shape"], ["flat"]),
    helper.make_node("Gemm", ["flat", "fc", "bias"], ["logits"]),
    helper.make_node("Softmax", ["logits"], ["y"], axis=1),
]
graph = helper.make_graph(
    nodes, "cnn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 5])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
onnx.checker.check_model(model)
onnx.save(model, out + "/model.onnx")
ref = ReferenceEvaluator(model)
for n in (3, 1):
    x = rng.random((n, 3, 8, 8), dtype=np.float32)
    np.save("%s/x%d.npy" % (out, n), x)
    np.save("%s/y%d.npy" % (out, n), ref.run(None, {"x": x})[0])

mixed = helper.make_graph(
    [helper.make_node("ReduceMean", ["x"], ["m"], axes=[0]),
     helper.make_node("Sub", ["x", "m"], ["y"])], "mixed",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])])
onnx.save(helper.make_model(mixed,
                            opset_imports=[helper.make_opsetid("", 17)]),
          out + "/mixed.onnx")
