"""Writes a 1-D AveragePool (kernel 3, stride 2, one pad before, ceil_mode,
count_include_pad) over [1, 2, 3, 4, 5] and its output worked out by hand:
windows start at -1, 1 and 3; the first counts its pad, (0 + 1 + 2) / 3;
the second is (2 + 3 + 4) / 3; the last runs past the input and its pads,
so its mean is over the two cells it has, (4 + 5) / 2, as in PyTorch (ONNX
1.17's reference divided by 3; onnx/onnx#6650 corrected it)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

out = sys.argv[1]
graph = h.make_graph(
    [h.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3], strides=[2],
                 pads=[1, 0], ceil_mode=1, count_include_pad=1, name="pool")],
    "g", [h.make_tensor_value_info("x", T.FLOAT, [1, 1, 5])],
    [h.make_tensor_value_info("y", T.FLOAT, [1, 1, 3])])
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 19)])
model.ir_version = 8
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "x.npy"),
        np.array([[[1, 2, 3, 4, 5]]], np.float32))
np.save(os.path.join(out, "y.npy"),
        np.array([[[1.0, 3.0, 4.5]]], np.float32))
