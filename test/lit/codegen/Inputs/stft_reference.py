"""Writes a two-sided STFT of a complex signal with frame_step and
frame_length read at run time, its input and ONNX's reference output."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
graph = h.make_graph(
    [h.make_node("STFT", ["x", "step", "", "len"], ["y"], onesided=0,
                 name="stft")],
    "g",
    [h.make_tensor_value_info("x", T.FLOAT, [1, 30, 2]),
     h.make_tensor_value_info("step", T.INT64, []),
     h.make_tensor_value_info("len", T.INT64, [])],
    [h.make_tensor_value_info("y", T.FLOAT, [1, 6, 7, 2])])
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])
model.ir_version = 8
onnx.save(model, os.path.join(out, "model.onnx"))
x = np.random.default_rng(0).standard_normal((1, 30, 2)).astype(np.float32)
feeds = {"x": x, "step": np.array(4, np.int64), "len": np.array(7, np.int64)}
for i, v in enumerate(feeds.values()):
    np.save(os.path.join(out, "in%d.npy" % i), v)
np.save(os.path.join(out, "bad_len.npy"), np.array(8, np.int64))
(y,) = ReferenceEvaluator(model).run(None, feeds)
np.save(os.path.join(out, "out0.npy"), y)
