"""Writes pointwise convs of constant weights with a residual Add and Relu:
64 -> 256 channels on a 56x56 map (B, 64 x 3136 floats, outgrows half of
L2: column blocks), 256 -> 64 there (thirteen blocks, split across
threads), 512 -> 256 on a 28x28 map (tiles of four vectors: B in packed
panels instead) and 128 -> 512 on a 28x28 map (B, 400 KB, within half of
a 1 MiB L2)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

rng = np.random.default_rng(7)
for name, c, m, size in (("column_blocks", 64, 256, 56),
                         ("parallel_blocks", 256, 64, 56),
                         ("packed_panels", 512, 256, 28),
                         ("small_b", 128, 512, 28)):
    w = rng.standard_normal((m, c, 1, 1)).astype(np.float32)
    graph = h.make_graph(
        [h.make_node("Conv", ["x", "w"], ["c"]),
         h.make_node("Add", ["c", "r"], ["a"]),
         h.make_node("Relu", ["a"], ["y"])], name,
        [h.make_tensor_value_info("x", T.FLOAT, [1, c, size, size]),
         h.make_tensor_value_info("r", T.FLOAT, [1, m, size, size])],
        [h.make_tensor_value_info("y", T.FLOAT, [1, m, size, size])],
        [nh.from_array(w, "w")])
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
              os.path.join(sys.argv[1], name + ".onnx"))
