"""Writes a model that builds sequences and reads them (SequenceConstruct,
SequenceErase and SequenceInsert at positions read at run time, negative
ones included, SequenceAt, SequenceLength, ConcatFromSequence with and
without new_axis, SplitToSequence in chunks and without keepdims), inputs
(ok/) with the outputs of ONNX's reference, and a position out of range
(bad/), and an insertion at the end (end/). (The reference inserts at position len(sequence) at the front, not
the end, so no insertion here is at the end.)"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
nodes = [
    h.make_node("SequenceConstruct", ["x", "y", "z"], ["s"]),
    h.make_node("SequenceErase", ["s", "erase_at"], ["s1"]),
    h.make_node("SequenceInsert", ["s1", "x", "insert_at"], ["s2"]),
    h.make_node("SequenceAt", ["s2", "read_at"], ["picked"], name="at"),
    h.make_node("SequenceLength", ["s2"], ["length"]),
    h.make_node("ConcatFromSequence", ["s2"], ["joined"], axis=1),
    h.make_node("ConcatFromSequence", ["s2"], ["stacked"], axis=-1,
                new_axis=1),
    h.make_node("SplitToSequence", ["w", "chunk"], ["parts"], axis=1),
    h.make_node("SequenceAt", ["parts", "last"], ["tail"]),
    h.make_node("SplitToSequence", ["w"], ["rows"], keepdims=0),
    h.make_node("SequenceAt", ["rows", "read_at"], ["row"], name="row_at"),
]
f = lambda name, shape: h.make_tensor_value_info(name, T.FLOAT, shape)
i = lambda name: h.make_tensor_value_info(name, T.INT64, [])
graph = h.make_graph(
    nodes, "sequences",
    [f("x", [2, 3]), f("y", [2, 3]), f("z", [2, 3]), f("w", [3, 5]),
     i("erase_at"), i("insert_at"), i("read_at")],
    [f("picked", [2, 3]), i("length"), f("joined", [2, 9]),
     f("stacked", [2, 3, 3]), f("tail", [3, 1]), f("row", [5])],
    [nh.from_array(np.array(2, np.int64), "chunk"),
     nh.from_array(np.array(-1, np.int64), "last")])
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))

rng = np.random.default_rng(5)
inputs = {n: rng.standard_normal(s).astype(np.float32)
          for n, s in (("x", (2, 3)), ("y", (2, 3)), ("z", (2, 3)),
                       ("w", (3, 5)))}
inputs.update(erase_at=np.array(-3, np.int64), insert_at=np.array(-1, np.int64),
              read_at=np.array(-1, np.int64))
os.makedirs(os.path.join(out, "ok"))
os.makedirs(os.path.join(out, "bad"))
for k, (name, value) in enumerate(inputs.items()):
    np.save(os.path.join(out, "ok", "in%d.npy" % k), value)
for k, value in enumerate(ReferenceEvaluator(model).run(None, inputs)):
    np.save(os.path.join(out, "ok", "out%d.npy" % k), value)
np.save(os.path.join(out, "bad", "in6.npy"), np.array(3, np.int64))
# Insertion at the end (position 2 of [y, z]), computed here: [y, z, x].
os.makedirs(os.path.join(out, "end"))
np.save(os.path.join(out, "end", "in5.npy"), np.array(2, np.int64))
x, y, z = inputs["x"], inputs["y"], inputs["z"]
np.save(os.path.join(out, "end", "out0.npy"), x)
np.save(os.path.join(out, "end", "out2.npy"), np.concatenate([y, z, x], 1))
