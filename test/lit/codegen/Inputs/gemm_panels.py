"""Writes MatMuls whose B panels the gemm schedule packs (a K x 16 panel
over half of L1, enough row tiles, several panels), with inputs and
numpy's products: 2-D with a column tail (40 = 2 x 16 + 8) and a row
tail; B a graph input rather than a constant; a stack of matrices times
one B; and a batch of products, each its own B."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

out = sys.argv[1]
rng = np.random.default_rng(11)
# Rows x K over 512 KiB, so that the gemm schedule (not the panel one)
# takes the 2-D products.
cases = {
    "tails": ((130, 1030), (1030, 40), True),
    "input_b": ((200, 700), (700, 72), False),
    "stack": ((3, 60, 800), (800, 48), True),
    "batch": ((2, 36, 300), (2, 300, 33), False),
}
for name, (ashape, bshape, constant_b) in cases.items():
    a = rng.standard_normal(ashape).astype(np.float32)
    b = rng.standard_normal(bshape).astype(np.float32)
    y = np.matmul(a.astype(np.float64), b.astype(np.float64))
    inputs = [h.make_tensor_value_info("a", T.FLOAT, list(ashape))]
    inits = [nh.from_array(b, "b")] if constant_b else []
    if not constant_b:
        inputs.append(h.make_tensor_value_info("b", T.FLOAT, list(bshape)))
    graph = h.make_graph(
        [h.make_node("MatMul", ["a", "b"], ["y"])], name, inputs,
        [h.make_tensor_value_info("y", T.FLOAT, list(y.shape))], inits)
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
              os.path.join(out, name + ".onnx"))
    np.save(os.path.join(out, name + "_a.npy"), a)
    np.save(os.path.join(out, name + "_b.npy"), b)
    np.save(os.path.join(out, name + "_y.npy"), y.astype(np.float32))
