"""Writes a DeformConv with groups, offset groups, mask, bias, pads,
strides and dilations (ONNX Runtime has no DeformConv), random inputs and
ONNX's reference output."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
shapes = {"x": [2, 4, 7, 6], "w": [6, 2, 2, 3], "off": [2, 24, 4, 3],
          "b": [6], "mask": [2, 12, 4, 3]}
graph = h.make_graph(
    [h.make_node("DeformConv", list(shapes), ["y"], group=2, offset_group=2,
                 pads=[1, 0, 1, 1], strides=[2, 1], dilations=[1, 2],
                 name="deform")],
    "g", [h.make_tensor_value_info(n, T.FLOAT, s) for n, s in shapes.items()],
    [h.make_tensor_value_info("y", T.FLOAT, [2, 6, 4, 3])])
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 19)])
model.ir_version = 8
onnx.save(model, os.path.join(out, "model.onnx"))
rng = np.random.default_rng(0)
feeds = {n: rng.standard_normal(s).astype(np.float32)
         for n, s in shapes.items()}
feeds["off"] *= 2  # taps land between pixels and outside the image
for i, v in enumerate(feeds.values()):
    np.save(os.path.join(out, "in%d.npy" % i), v)
(y,) = ReferenceEvaluator(model).run(None, feeds)
np.save(os.path.join(out, "out0.npy"), y)
