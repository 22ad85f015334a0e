"""Writes models with a Gradient node (ai.onnx.preview.training) and the
gradients to expect.

model.onnx: y = sqrt(log(exp(-relu(sigmoid(x * w + b)^2 / (tanh(x) + 3) -
0.1)) + 1) + 1), x [2,3], w [3] and b [1] broadcast, and k [2,3] an input
y does not depend on; Gradient takes xs = [x, w, b, k], zs = [c]. The
expected gradients of sum(y) are central differences in float64. Also two
models the importer refuses."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

out = sys.argv[1]
TRAIN = "ai.onnx.preview.training"
shapes = {"x": [2, 3], "w": [3], "b": [1], "k": [2, 3], "c": [2, 3]}


def forward(x, w, b, c):
    s = 1 / (1 + np.exp(-(x * w + b)))
    q = s ** 2 / (np.tanh(x) + 3)
    r = np.maximum(q - 0.1 + 0 * c, 0)
    return np.sqrt(np.log(np.exp(-r) + 1) + 1)


f = lambda n: h.make_tensor_value_info(n, T.FLOAT, shapes[n])
const = lambda n, v: h.make_tensor(n, T.FLOAT, [], [v])
nodes = [
    h.make_node("Mul", ["x", "w"], ["h"]),
    h.make_node("Add", ["h", "b"], ["u"]),
    h.make_node("Sigmoid", ["u"], ["s"]),
    h.make_node("Pow", ["s", "two"], ["p"]),
    h.make_node("Tanh", ["x"], ["t"]),
    h.make_node("Add", ["t", "three"], ["t3"]),
    h.make_node("Div", ["p", "t3"], ["q"]),
    h.make_node("Mul", ["c", "zero"], ["c0"]),
    h.make_node("Sub", ["q", "tenth"], ["q1"]),
    h.make_node("Add", ["q1", "c0"], ["q2"]),
    h.make_node("Relu", ["q2"], ["r"]),
    h.make_node("Neg", ["r"], ["nr"]),
    h.make_node("Exp", ["nr"], ["e"]),
    h.make_node("Add", ["e", "one"], ["e1"]),
    h.make_node("Log", ["e1"], ["l"]),
    h.make_node("Add", ["l", "one"], ["l1"]),
    h.make_node("Sqrt", ["l1"], ["y"]),
    h.make_node("Gradient", ["x", "w", "b", "k", "c"],
                ["dx", "dw", "db", "dk"], name="grad", domain=TRAIN,
                xs=["x", "w", "b", "k"], zs=["c"], y="y"),
]
inits = [const("two", 2), const("three", 3), const("zero", 0),
         const("tenth", 0.1), const("one", 1)]
outputs = [h.make_tensor_value_info("y", T.FLOAT, [2, 3])] + [
    h.make_tensor_value_info("d" + n, T.FLOAT, shapes[n]) for n in "xwbk"]
graph = h.make_graph(nodes, "g", [f(n) for n in "xwbkc"], outputs, inits)
opsets = [h.make_opsetid("", 13), h.make_opsetid(TRAIN, 1)]
onnx.save(h.make_model(graph, opset_imports=opsets),
          os.path.join(out, "model.onnx"))

rng = np.random.default_rng(5)
values = {n: rng.standard_normal(shapes[n]) for n in "xwbkc"}
values["b"] = np.array([0.5])
for i, n in enumerate("xwbkc"):
    np.save(os.path.join(out, "in%d.npy" % i), values[n].astype(np.float32))
args = {n: values[n] for n in "xwbc"}
np.save(os.path.join(out, "out0.npy"), forward(**args).astype(np.float32))
eps = 1e-6
for i, n in enumerate("xwbk"):
    grad = np.zeros(shapes[n])
    if n != "k":
        for index in np.ndindex(*shapes[n]):
            up, down = dict(args), dict(args)
            up[n] = args[n].copy()
            down[n] = args[n].copy()
            up[n][index] += eps
            down[n][index] -= eps
            grad[index] = (forward(**up).sum() -
                           forward(**down).sum()) / (2 * eps)
    np.save(os.path.join(out, "out%d.npy" % (i + 1)), grad.astype(np.float32))

# A MatMul between xs and y; inputs other than xs themselves; a Mul with
# one operand (malformed: an error, not a read past the node's inputs).
for name, node in [
    ("matmul.onnx", h.make_node("MatMul", ["x", "m"], ["y"], name="mm")),
    ("other_inputs.onnx", h.make_node("Add", ["x", "m"], ["y"])),
    ("one_operand.onnx", h.make_node("Mul", ["x"], ["y"], name="half"))]:
    grad_inputs = ["m", "x"] if name == "other_inputs.onnx" else ["x", "m"]
    g = h.make_graph(
        [node, h.make_node("Gradient", grad_inputs, ["dx"], name="grad",
                           domain=TRAIN, xs=["x"], zs=["m"], y="y")],
        "g", [h.make_tensor_value_info("x", T.FLOAT, [2, 2]),
              h.make_tensor_value_info("m", T.FLOAT, [2, 2])],
        [h.make_tensor_value_info("dx", T.FLOAT, [2, 2])])
    onnx.save(h.make_model(g, opset_imports=opsets), os.path.join(out, name))
