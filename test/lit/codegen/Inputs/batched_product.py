"""Writes a batched product of constant weights [4, 256, 256] by
activations [4, 256, 49] (the form of a Winograd conv's product on a 14x14
map): a gemm_packed product with its batch across threads."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

rng = np.random.default_rng(7)
w = rng.standard_normal((4, 256, 256)).astype(np.float32)
graph = h.make_graph(
    [h.make_node("MatMul", ["w", "x"], ["y"])], "batched_product",
    [h.make_tensor_value_info("x", T.FLOAT, [4, 256, 49])],
    [h.make_tensor_value_info("y", T.FLOAT, [4, 256, 49])],
    [nh.from_array(w, "w")])
onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
          os.path.join(sys.argv[1], "batched_product.onnx"))
