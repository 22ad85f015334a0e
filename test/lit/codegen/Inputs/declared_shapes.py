"""Writes a model whose result shapes depend on input data (a Reshape
target, Reduce axes, Slice starts/ends, Pad pads, a Compress condition,
the boxes NonMaxSuppression selects) but are declared, with
inputs that agree with the declarations (ok/) and inputs that do not
(bad_<name>/), plus the expected outputs of ok/."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

out = sys.argv[1]
nodes = [
    h.make_node("Reshape", ["x", "shape"], ["r"], name="reshape"),
    h.make_node("ReduceSum", ["x", "axes"], ["s"], keepdims=0, name="sum"),
    h.make_node("Slice", ["x", "starts", "ends"], ["c"], name="slice"),
    h.make_node("Pad", ["x", "pads"], ["p"], mode="edge", name="pad"),
    h.make_node("Compress", ["x", "cond"], ["k"], axis=0, name="compress"),
    h.make_node("NonMaxSuppression", ["boxes", "scores", "most", "iou",
                                      "floor"], ["n"], name="nms"),
]
inputs = [
    h.make_tensor_value_info("x", T.FLOAT, [3, 2, 2]),
    h.make_tensor_value_info("shape", T.INT64, [2]),
    h.make_tensor_value_info("axes", T.INT64, [1]),
    h.make_tensor_value_info("starts", T.INT64, [3]),
    h.make_tensor_value_info("ends", T.INT64, [3]),
    h.make_tensor_value_info("pads", T.INT64, [6]),
    h.make_tensor_value_info("cond", T.BOOL, [3]),
    h.make_tensor_value_info("boxes", T.FLOAT, [1, 4, 4]),
    h.make_tensor_value_info("scores", T.FLOAT, [1, 2, 4]),
]
outputs = [
    h.make_tensor_value_info("r", T.FLOAT, [2, 6]),
    h.make_tensor_value_info("s", T.FLOAT, [3, 2]),
    h.make_tensor_value_info("c", T.FLOAT, [2, 1, 2]),
    h.make_tensor_value_info("p", T.FLOAT, [3, 4, 3]),
    h.make_tensor_value_info("k", T.FLOAT, [2, 2, 2]),
    h.make_tensor_value_info("n", T.INT64, [5, 3]),
]
weights = [
    h.make_tensor("most", T.INT64, [1], [3]),
    h.make_tensor("iou", T.FLOAT, [1], [0.5]),
    h.make_tensor("floor", T.FLOAT, [1], [0.2]),
]
model = h.make_model(h.make_graph(nodes, "g", inputs, outputs, weights),
                     opset_imports=[h.make_opsetid("", 18)])
model.ir_version = 8
onnx.save(model, os.path.join(out, "model.onnx"))

x = np.arange(12, dtype=np.float32).reshape(3, 2, 2)
ok = {
    "x": x,
    "shape": np.array([2, -1], np.int64),
    # Axis 2 (not 1): both give [3, 2]; only the data can tell.
    "axes": np.array([-1], np.int64),
    "starts": np.array([1, -1, 0], np.int64),
    "ends": np.array([100, 2, 2], np.int64),
    "pads": np.array([0, 1, 0, 0, 1, 1], np.int64),
    "cond": np.array([True, False, True]),
    # Box 1 overlaps box 0 by IoU 0.9; boxes 2 and 3 overlap nothing.
    "boxes": np.array([[[0, 0, 1, 1], [0, 0, 1, 0.9], [0, 2, 1, 3],
                        [5, 5, 6, 6]]], np.float32),
    "scores": np.array([[[0.9, 0.8, 0.7, 0.05], [0.1, 0.95, 0.3, 0.6]]],
                       np.float32),
}
bad = {
    "shape": np.array([3, 4], np.int64),
    "axes": np.array([0], np.int64),
    "starts": np.array([0, 0, 0], np.int64),
    "pads": np.array([0, 1, 0, 0, 0, 1], np.int64),
    "cond": np.array([True, True, True]),
    "scores": np.full([1, 2, 4], 0.1, np.float32),
}
names = [i.name for i in inputs]


def write(folder, values):
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    for i, name in enumerate(names):
        np.save(os.path.join(out, folder, "in%d.npy" % i), values[name])


write("ok", ok)
for name, value in bad.items():
    write("bad_" + name, dict(ok, **{name: value}))
expected = [
    x.reshape(2, 6),
    x.sum(axis=2),
    x[1:, 1:2, 0:2],
    np.pad(x, [(0, 0), (1, 1), (0, 1)], mode="edge"),
    x[[0, 2]],
    # Class 0: box 1 suppressed, box 3 under the score floor; class 1:
    # three boxes, the most allowed, in score order.
    np.array([[0, 0, 0], [0, 0, 2], [0, 1, 1], [0, 1, 3], [0, 1, 2]],
             np.int64),
]
for i, e in enumerate(expected):
    np.save(os.path.join(out, "ok", "out%d.npy" % i), e)
