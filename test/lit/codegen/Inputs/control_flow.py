"""Writes a model with If (a condition read at run time), Loop (a trip
count read at run time, its length declared by the scan output) and Scan
(reversed input, scan output on axis 1), inputs that agree with the
declarations (ok/) and a trip count that does not (bad_steps/), plus the
expected outputs of ok/."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

out = sys.argv[1]
then_branch = h.make_graph(
    [h.make_node("Relu", ["x"], ["then_y"])], "then", [],
    [h.make_tensor_value_info("then_y", T.FLOAT, [2, 3])])
else_branch = h.make_graph(
    [h.make_node("Neg", ["x"], ["else_y"])], "else", [],
    [h.make_tensor_value_info("else_y", T.FLOAT, [2, 3])])
# Loop: acc += x[:, i] (a [2] column), stacked per step.
loop_body = h.make_graph(
    [h.make_node("Gather", ["x", "i"], ["column"], axis=1),
     h.make_node("Add", ["acc_in", "column"], ["acc_out"]),
     h.make_node("Identity", ["cond_in"], ["cond_out"]),
     h.make_node("Identity", ["acc_out"], ["step"])],
    "loop_body",
    [h.make_tensor_value_info("i", T.INT64, []),
     h.make_tensor_value_info("cond_in", T.BOOL, []),
     h.make_tensor_value_info("acc_in", T.FLOAT, [2])],
    [h.make_tensor_value_info("cond_out", T.BOOL, []),
     h.make_tensor_value_info("acc_out", T.FLOAT, [2]),
     h.make_tensor_value_info("step", T.FLOAT, [2])])
# Scan: a running product over the rows of x, last row first.
scan_body = h.make_graph(
    [h.make_node("Mul", ["prod_in", "row"], ["prod_out"]),
     h.make_node("Identity", ["prod_out"], ["partial"])],
    "scan_body",
    [h.make_tensor_value_info("prod_in", T.FLOAT, [3]),
     h.make_tensor_value_info("row", T.FLOAT, [3])],
    [h.make_tensor_value_info("prod_out", T.FLOAT, [3]),
     h.make_tensor_value_info("partial", T.FLOAT, [3])])
nodes = [
    h.make_node("If", ["flag"], ["chosen"], name="choose",
                then_branch=then_branch, else_branch=else_branch),
    h.make_node("Loop", ["steps", "", "zeros"], ["total", "partials"],
                name="loop", body=loop_body),
    h.make_node("Scan", ["ones", "x"], ["product", "products"], name="scan",
                body=scan_body, num_scan_inputs=1,
                scan_input_directions=[1], scan_output_axes=[1]),
]
inputs = [
    h.make_tensor_value_info("x", T.FLOAT, [2, 3]),
    h.make_tensor_value_info("flag", T.BOOL, []),
    h.make_tensor_value_info("steps", T.INT64, []),
]
outputs = [
    h.make_tensor_value_info("chosen", T.FLOAT, [2, 3]),
    h.make_tensor_value_info("total", T.FLOAT, [2]),
    h.make_tensor_value_info("partials", T.FLOAT, [3, 2]),
    h.make_tensor_value_info("product", T.FLOAT, [3]),
    h.make_tensor_value_info("products", T.FLOAT, [3, 2]),
]
weights = [
    h.make_tensor("zeros", T.FLOAT, [2], [0, 0]),
    h.make_tensor("ones", T.FLOAT, [3], [1, 1, 1]),
]
model = h.make_model(h.make_graph(nodes, "g", inputs, outputs, weights),
                     opset_imports=[h.make_opsetid("", 16)])
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, os.path.join(out, "model.onnx"))

x = np.array([[1, -2, 3], [-4, 5, -6]], np.float32)
ok = {"x": x, "flag": np.array(False), "steps": np.array(3, np.int64)}
bad = {"steps": np.array(2, np.int64)}
names = [i.name for i in inputs]


def write(folder, values):
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    for i, name in enumerate(names):
        np.save(os.path.join(out, folder, "in%d.npy" % i), values[name])


write("ok", ok)
write("bad_steps", dict(ok, **bad))
products = np.cumprod(x[::-1], axis=0)  # [2, 3]: row t = rows 1..1-t
expected = [
    -x,
    x.sum(axis=1),
    np.cumsum(x, axis=1).T,
    products[-1],
    products.T,
]
for i, e in enumerate(expected):
    np.save(os.path.join(out, "ok", "out%d.npy" % i),
            np.ascontiguousarray(e, np.float32))
