"""Writes bottleneck blocks whose last pointwise conv adds a residual made by
an earlier kernel: a = Relu(Conv(x)), b = Relu(Conv(a)), y = Relu(Conv(b) +
a), then GlobalAveragePool(y). With their inputs and numpy's outputs.

- divides: 64 -> 256 channels on a 56x56 map; the product's tiles divide
  its rows and columns, so y may take a's storage.
- tail: the same on a 14x14 map (196 columns: its last tile of columns
  would be shifted inwards), so y keeps its own.
- read_later: as `divides`, but a Sigmoid of a is also returned: a is read
  after y's kernel, so y keeps its own storage.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

out = sys.argv[1]
rng = np.random.default_rng(11)


def conv1x1(x, w, bias):
    n, c, hh, ww = x.shape
    y = np.einsum("mc,ncp->nmp", w[:, :, 0, 0], x.reshape(n, c, hh * ww))
    return y.reshape(n, w.shape[0], hh, ww) + bias[None, :, None, None]


for name, size, read_later in (("divides", 56, False), ("tail", 14, False),
                               ("read_later", 56, True)):
    c, m = 256, 64
    w1 = (rng.standard_normal((c, m, 1, 1)) / 8).astype(np.float32)
    w2 = (rng.standard_normal((m, c, 1, 1)) / 16).astype(np.float32)
    w3 = (rng.standard_normal((c, m, 1, 1)) / 8).astype(np.float32)
    b1, b2, b3 = (rng.standard_normal(k).astype(np.float32) for k in (c, m, c))
    nodes = [h.make_node("Conv", ["x", "w1", "b1"], ["c1"]),
             h.make_node("Relu", ["c1"], ["a"]),
             h.make_node("Conv", ["a", "w2", "b2"], ["c2"]),
             h.make_node("Relu", ["c2"], ["b"]),
             h.make_node("Conv", ["b", "w3", "b3"], ["c3"]),
             h.make_node("Add", ["c3", "a"], ["s"]),
             h.make_node("Relu", ["s"], ["y"]),
             h.make_node("GlobalAveragePool", ["y"], ["p"])]
    outputs = [h.make_tensor_value_info("p", T.FLOAT, [1, c, 1, 1])]
    if read_later:
        nodes.append(h.make_node("Sigmoid", ["a"], ["g"]))
        outputs.append(h.make_tensor_value_info("g", T.FLOAT,
                                                [1, c, size, size]))
    graph = h.make_graph(
        nodes, name,
        [h.make_tensor_value_info("x", T.FLOAT, [1, m, size, size])], outputs,
        [nh.from_array(v, k) for k, v in
         (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2), ("w3", w3),
          ("b3", b3))])
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
              os.path.join(out, name + ".onnx"))
    x = rng.standard_normal((1, m, size, size)).astype(np.float32)
    a = np.maximum(conv1x1(x, w1, b1), 0)
    b = np.maximum(conv1x1(a, w2, b2), 0)
    y = np.maximum(conv1x1(b, w3, b3) + a, 0)
    np.save(os.path.join(out, name + "_x.npy"), x)
    np.save(os.path.join(out, name + "_p.npy"),
            y.mean(axis=(2, 3), keepdims=True).astype(np.float32))
    if read_later:
        np.save(os.path.join(out, name + "_g.npy"),
                (1 / (1 + np.exp(-a))).astype(np.float32))
