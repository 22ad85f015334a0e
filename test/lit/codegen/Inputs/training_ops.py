"""Writes a model of the ai.onnx.preview.training optimizers alone (no
default-domain opset): Adagrad on two tensors, Adam, Momentum in standard
and nesterov mode, with inputs for step t (t0/: t = 0, t3/: t = 3) and the
outputs of ONNX's reference evaluator; and two models the importer refuses
(a Momentum mode it does not know, an Adagrad whose lists differ in
length)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
TRAIN = "ai.onnx.preview.training"
f = lambda name: h.make_tensor_value_info(name, T.FLOAT, [2, 3])
names = ["X1", "X2", "G1", "G2", "H1", "H2", "X", "G", "V", "H"]
nodes = [
    h.make_node("Adagrad", ["R", "T", "X1", "X2", "G1", "G2", "H1", "H2"],
                ["X1a", "X2a", "H1a", "H2a"], domain=TRAIN,
                decay_factor=0.1, epsilon=1e-5, norm_coefficient=0.01),
    h.make_node("Adam", ["R", "T", "X", "G", "V", "H"],
                ["Xb", "Vb", "Hb"], domain=TRAIN, alpha=0.95, beta=0.85,
                epsilon=1e-6, norm_coefficient=0.001,
                norm_coefficient_post=0.02),
    h.make_node("Momentum", ["R", "T", "X", "G", "V"], ["Xc", "Vc"],
                domain=TRAIN, alpha=0.9, beta=0.5, mode="standard",
                norm_coefficient=0.01),
    h.make_node("Momentum", ["R", "T", "X", "G", "V"], ["Xd", "Vd"],
                domain=TRAIN, alpha=0.9, beta=0.5, mode="nesterov",
                norm_coefficient=0.01),
]
outputs = ["X1a", "X2a", "H1a", "H2a", "Xb", "Vb", "Hb", "Xc", "Vc", "Xd",
           "Vd"]
graph = h.make_graph(
    nodes, "g",
    [h.make_tensor_value_info("R", T.FLOAT, []),
     h.make_tensor_value_info("T", T.INT64, [])] + [f(n) for n in names],
    [f(n) for n in outputs])
model = h.make_model(graph, opset_imports=[h.make_opsetid(TRAIN, 1)])
onnx.save(model, os.path.join(out, "model.onnx"))

rng = np.random.default_rng(3)
values = {n: rng.standard_normal((2, 3)).astype(np.float32) for n in names}
for n in ("H1", "H2", "H"):
    values[n] = np.abs(values[n])
values["R"] = np.array(0.1, np.float32)
for t in (0, 3):
    d = os.path.join(out, "t%d" % t)
    os.makedirs(d)
    feeds = dict(values, T=np.array(t, np.int64))
    for i, n in enumerate(["R", "T"] + names):
        np.save(os.path.join(d, "in%02d.npy" % i), feeds[n])
    for i, v in enumerate(ReferenceEvaluator(model).run(None, feeds)):
        np.save(os.path.join(d, "out%02d.npy" % i), v)

bad_mode = h.make_graph(
    [h.make_node("Momentum", ["R", "T", "X", "G", "V"], ["Xc", "Vc"],
                 domain=TRAIN, name="mom", alpha=0.9, beta=0.5, mode="heavy",
                 norm_coefficient=0.01)], "g",
    graph.input[:2] + [f("X"), f("G"), f("V")], [f("Xc"), f("Vc")])
onnx.save(h.make_model(bad_mode, opset_imports=[h.make_opsetid(TRAIN, 1)]),
          os.path.join(out, "bad_mode.onnx"))
uneven = h.make_graph(
    [h.make_node("Adagrad", ["R", "T", "X", "G", "V", "H"], ["Xa", "Ha"],
                 domain=TRAIN, name="ada")], "g",
    graph.input[:2] + [f("X"), f("G"), f("V"), f("H")], [f("Xa"), f("Ha")])
onnx.save(h.make_model(uneven, opset_imports=[h.make_opsetid(TRAIN, 1)]),
          os.path.join(out, "uneven.onnx"))
