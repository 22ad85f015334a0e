"""Writes a model of twelve ai.onnx.ml TreeEnsembles (two trees, three targets;
LEQ, GT, NEQ, LT and a member-set branch; a NaN feature that a
missing-tracks-true node sends to its true branch) for each aggregate
function and post_transform NONE, LOGISTIC and SOFTMAX, an input, and the
outputs of ONNX's reference implementation (which leaves post_transform
to the caller: applied here with numpy)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
rng = np.random.default_rng(3)
x = rng.standard_normal((6, 4)).astype(np.float32)
# Rows that reach the member set (feature 3 in {-1, 0.5}) and then node 4
# (feature 0 < 0.5; NaN tracks to true); a split value met exactly. (The
# reference reads a member 0 as the end of its set, so none is 0.)
x[2, 3], x[2, 0] = 0.5, np.nan
x[4, 3], x[4, 0] = -1, 0.7
x[5, 3], x[5, 0] = 0.5, 0.2
x[1, 0] = 0.1
np.save(os.path.join(out, "x.npy"), x)


def ensemble(aggregate, post, output):
    return h.make_node(
        "TreeEnsemble", ["x"], [output], domain="ai.onnx.ml",
        aggregate_function=aggregate, post_transform=post, n_targets=3,
        tree_roots=[0, 3], nodes_featureids=[0, 1, 2, 3, 0],
        nodes_modes=nh.from_array(np.array([0, 3, 5, 6, 1], np.uint8)),
        nodes_splits=nh.from_array(
            np.array([0.1, -0.3, 0.0, 0.0, 0.5], np.float32)),
        membership_values=nh.from_array(
            np.array([-1, 0.5, np.nan], np.float32)),
        nodes_missing_value_tracks_true=[0, 0, 0, 0, 1],
        nodes_truenodeids=[1, 0, 2, 4, 5], nodes_trueleafs=[0, 1, 1, 0, 1],
        nodes_falsenodeids=[2, 1, 3, 6, 4], nodes_falseleafs=[0, 1, 1, 1, 1],
        leaf_targetids=[0, 1, 2, 0, 1, 2, 1],
        leaf_weights=nh.from_array(
            np.array([1.5, -2, 0.25, 3, -1, 0.75, 2], np.float32)))


def make(nodes):
    graph = h.make_graph(
        nodes, "trees", [h.make_tensor_value_info("x", T.FLOAT, [6, 4])],
        [h.make_tensor_value_info(n.output[0], T.FLOAT, [6, 3])
         for n in nodes])
    return h.make_model(graph, opset_imports=[h.make_opsetid("", 21),
                                              h.make_opsetid("ai.onnx.ml", 5)])


nodes = []
for aggregate in range(4):
    raw = ReferenceEvaluator(make([ensemble(aggregate, 0, "y")])).run(
        None, {"x": x})[0]
    for post in (0, 1, 2):
        y = raw.astype(np.float64)
        if post == 1:
            e = np.exp(y - y.max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
        elif post == 2:
            y = 1 / (1 + np.exp(-y))
        np.save(os.path.join(out, "out%d.npy" % len(nodes)),
                y.astype(np.float32))
        nodes.append(ensemble(aggregate, post, "y_a%d_p%d" % (aggregate, post)))
onnx.save(make(nodes), os.path.join(out, "model.onnx"))
