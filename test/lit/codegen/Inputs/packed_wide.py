"""Writes a pointwise conv of constant weights, 512 -> 64 channels on a
14x14 map with a residual Add and Relu: a wide gemm_packed product (196
columns in tiles of 7, a reduction of 512)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

rng = np.random.default_rng(11)
w = rng.standard_normal((64, 512, 1, 1)).astype(np.float32)
graph = h.make_graph(
    [h.make_node("Conv", ["x", "w"], ["c"]),
     h.make_node("Add", ["c", "r"], ["a"]),
     h.make_node("Relu", ["a"], ["y"])], "packed_wide",
    [h.make_tensor_value_info("x", T.FLOAT, [1, 512, 14, 14]),
     h.make_tensor_value_info("r", T.FLOAT, [1, 64, 14, 14])],
    [h.make_tensor_value_info("y", T.FLOAT, [1, 64, 14, 14])],
    [nh.from_array(w, "w")])
onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
          os.path.join(sys.argv[1], "packed_wide.onnx"))
