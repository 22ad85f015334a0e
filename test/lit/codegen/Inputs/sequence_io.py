"""Writes a model with a sequence input `xs` (float tensors of rank 1,
length unknown), a tensor input `t` of dynamic length M, and an optional
sequence input `opt`; SequenceMap doubles each tensor of xs, adds the sum
of t, and gives each tensor's shape; outputs are two sequences, the length
of xs and whether opt holds a sequence. Also writes inputs for xs of
shapes [2] and [3] and t of shape [4], and the outputs of ONNX's reference
evaluator (out_<i>_<k>.npy for tensor k of sequence output i)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
body = h.make_graph(
    [h.make_node("Add", ["x", "x"], ["twice"]),
     h.make_node("ReduceSum", ["t_in"], ["sum"], keepdims=0),
     h.make_node("Add", ["twice", "sum"], ["y"]),
     h.make_node("Shape", ["x"], ["shape"])],
    "body",
    [h.make_tensor_value_info("x", T.FLOAT, ["N"]),
     h.make_tensor_value_info("t_in", T.FLOAT, ["M"])],
    [h.make_tensor_value_info("y", T.FLOAT, ["N"]),
     h.make_tensor_value_info("shape", T.INT64, [1])])
seq = lambda name, dims: h.make_tensor_sequence_value_info(name, T.FLOAT, dims)
opt_type = h.make_optional_type_proto(
    h.make_sequence_type_proto(h.make_tensor_type_proto(T.FLOAT, [2])))
graph = h.make_graph(
    [h.make_node("SequenceMap", ["xs", "t"], ["ys", "shapes"], body=body,
                 name="map"),
     h.make_node("SequenceLength", ["xs"], ["n"]),
     h.make_node("OptionalHasElement", ["opt"], ["has"])],
    "g",
    [seq("xs", ["N"]), h.make_tensor_value_info("t", T.FLOAT, ["M"]),
     h.make_value_info("opt", opt_type)],
    [seq("ys", ["N"]),
     h.make_tensor_sequence_value_info("shapes", T.INT64, [1]),
     h.make_tensor_value_info("n", T.INT64, []),
     h.make_tensor_value_info("has", T.BOOL, [])])
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 18)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))

rng = np.random.default_rng(7)
xs = [rng.standard_normal(n).astype(np.float32) for n in (2, 3)]
t = rng.standard_normal(4).astype(np.float32)
for k, x in enumerate(xs):
    np.save(os.path.join(out, "xs_%d.npy" % k), x)
np.save(os.path.join(out, "t.npy"), t)
got = ReferenceEvaluator(model).run(None, {"xs": xs, "t": t, "opt": None})
for i, value in enumerate(got):
    if isinstance(value, list):
        for k, v in enumerate(value):
            np.save(os.path.join(out, "out_%d_%d.npy" % (i, k)), v)
    else:
        np.save(os.path.join(out, "out_%d.npy" % i), np.asarray(value))
