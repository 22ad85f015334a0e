"""Writes models whose external weights file is over 2 GiB (sparse on disk:
only the bytes written take space): big.onnx reads a 2.34 GiB tensor and a
small one stored past the 2 GiB mark; small.onnx uses only the small one."""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
n = 600 * 1024 * 1024  # floats
with open(os.path.join(out, "weights.bin"), "wb") as f:
    f.truncate(n * 4 + 64)
    f.seek(n * 4 - 16)
    f.write(np.array([-1, 2, -3, 4], np.float32).tobytes())
    f.write((np.arange(16, dtype=np.float32) * 100).tobytes())


def external(name, shape, offset, length):
    t = onnx.TensorProto(name=name, data_type=T.FLOAT, dims=shape)
    t.data_location = T.EXTERNAL
    for key, value in (("location", "weights.bin"), ("offset", offset),
                       ("length", length)):
        entry = t.external_data.add()
        entry.key, entry.value = key, str(value)
    return t


def save(name, nodes, outputs, initializers):
    g = h.make_graph(nodes, "g", [h.make_tensor_value_info("x", T.FLOAT, [16])],
                     outputs, initializers)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, name))


small = external("small", [16], n * 4, 64)
y = h.make_tensor_value_info("y", T.FLOAT, [16])
save("big.onnx",
     [h.make_node("Add", ["x", "small"], ["y"]),
      h.make_node("Relu", ["big"], ["z"])],
     [y, h.make_tensor_value_info("z", T.FLOAT, [n])],
     [external("big", [n], 0, n * 4), small])
save("small.onnx", [h.make_node("Add", ["x", "small"], ["y"])], [y], [small])
np.save(os.path.join(out, "x.npy"), np.arange(16, dtype=np.float32))
np.save(os.path.join(out, "y.npy"), np.arange(16, dtype=np.float32) * 101)
