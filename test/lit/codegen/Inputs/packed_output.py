"""Writes a pointwise conv of constant weights on a 7x7 map (256 -> 64
channels: a gemm_packed product of 49 columns in tiles of 7), and the same
conv on a 14x14 map."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

rng = np.random.default_rng(5)
w = rng.standard_normal((64, 256, 1, 1)).astype(np.float32)
# The same conv on a 14x14 map (196 columns: a gemm product) too.
for size, name in ((7, "packed_output"), (14, "packed_output_14")):
    graph = h.make_graph(
        [h.make_node("Conv", ["x", "w"], ["y"])], name,
        [h.make_tensor_value_info("x", T.FLOAT, [1, 256, size, size])],
        [h.make_tensor_value_info("y", T.FLOAT, [1, 64, size, size])],
        [nh.from_array(w, "w")])
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
              os.path.join(sys.argv[1], name + ".onnx"))
