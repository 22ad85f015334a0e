#!/usr/bin/env python3
"""Writes the binary models of the importer's lit tests into a folder:
element types, sparse and external tensors (and attacks on the latter),
subgraphs, functions and malformed graphs that ONNX text cannot express."""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, graph, opset=17, ir=8, functions=(), **kw):
    m = h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                     functions=list(functions), **kw)
    m.ir_version = ir
    onnx.save(m, os.path.join(out, name + ".onnx"))
    return m


def vi(name, dtype, shape):
    return h.make_tensor_value_info(name, dtype, shape)


# Every element type as an initializer returned as an output.
types = {
    "f32": (T.FLOAT, np.float32), "f64": (T.DOUBLE, np.float64),
    "f16": (T.FLOAT16, np.float16), "i8": (T.INT8, np.int8),
    "i16": (T.INT16, np.int16), "i32": (T.INT32, np.int32),
    "i64": (T.INT64, np.int64), "u8": (T.UINT8, np.uint8),
    "u16": (T.UINT16, np.uint16), "u32": (T.UINT32, np.uint32),
    "u64": (T.UINT64, np.uint64), "bool": (T.BOOL, np.bool_),
    "c64": (T.COMPLEX64, np.complex64), "c128": (T.COMPLEX128, np.complex128),
}
inits, outs = [], []
for name, (code, np_type) in types.items():
    values = (np.arange(20) % 7 - 3).astype(np_type)
    # raw_data for the first copy, typed fields for the second
    raw = nh.from_array(values, name + "_raw")
    typed = h.make_tensor(name + "_typed", code, [20], values.tolist())
    inits += [raw, typed]
    outs += [vi(name + "_raw", code, [20]), vi(name + "_typed", code, [20])]
inits.append(h.make_tensor("bf16", T.BFLOAT16, [2], [1.5, -2.0]))
inits.append(h.make_tensor("f8", T.FLOAT8E4M3FN, [2], [1.5, -2.0]))
inits.append(h.make_tensor("i4", T.INT4, [3], [-8, 7, -1]))
inits.append(h.make_tensor("u4", T.UINT4, [3], [15, 0, 9]))
inits.append(h.make_tensor("str", T.STRING, [2], [b"hello", b"onnx"]))
for n, c, s in [("bf16", T.BFLOAT16, [2]), ("f8", T.FLOAT8E4M3FN, [2]),
                ("i4", T.INT4, [3]), ("u4", T.UINT4, [3]),
                ("str", T.STRING, [2])]:
    outs.append(vi(n, c, s))
save("element-types", h.make_graph([], "g", [], outs, inits), opset=21, ir=10)

# A sparse initializer, densified.
sparse = h.make_sparse_tensor(nh.from_array(np.array([5.0, 7.0], np.float32), "sp"),
                              nh.from_array(np.array([1, 6], np.int64), "spi"),
                              [2, 4])
g = h.make_graph([h.make_node("Relu", ["sp"], ["y"], name="r")], "g", [],
                 [vi("y", T.FLOAT, [2, 4])])
g.sparse_initializer.append(sparse)
save("sparse", g)

# External data: a good one and the attacks.
def external(name, location, data=None, offset=None, length=None,
             setup=None):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    w = nh.from_array(np.arange(32, dtype=np.float32).reshape(2, 16), "w")
    w.ClearField("raw_data")
    w.data_location = T.EXTERNAL
    for k, v in [("location", location), ("offset", offset),
                 ("length", length)]:
        if v is not None:
            e = w.external_data.add()
            e.key, e.value = k, str(v)
    g = h.make_graph([h.make_node("Relu", ["w"], ["y"], name="r")], "g", [],
                     [vi("y", T.FLOAT, [2, 16])], [w])
    save(os.path.join(name, "model"), g)
    if data is not None:
        with open(os.path.join(d, "weights.bin"), "wb") as f:
            f.write(data)
    if setup:
        setup(d)


payload = np.arange(32, dtype=np.float32).tobytes()
external("ext-ok", "weights.bin", b"\0" * 16 + payload, offset=16, length=128)
external("ext-absolute", "/etc/passwd")
external("ext-dotdot", "../ext-ok/weights.bin")
external("ext-short", "weights.bin", payload[:100])
external("ext-offset", "weights.bin", payload, offset=64, length=128)
outside = os.path.join(out, "outside.bin")
with open(outside, "wb") as f:
    f.write(payload)


def symlink(d):
    link = os.path.join(d, "weights.bin")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(outside, link)


def hardlink(d):
    link = os.path.join(d, "weights.bin")
    if os.path.lexists(link):
        os.remove(link)
    os.link(outside, link)


external("ext-symlink", "weights.bin", setup=symlink)
external("ext-hardlink", "weights.bin", setup=hardlink)

# An If whose branches read a value of the enclosing graph.
then_g = h.make_graph([h.make_node("Add", ["x", "x"], ["t"], name="twice")],
                      "then", [], [vi("t", T.FLOAT, [2])])
else_g = h.make_graph([h.make_node("Relu", ["x"], ["e"], name="pos")], "else",
                      [], [vi("e", T.FLOAT, [2])])
g = h.make_graph([h.make_node("If", ["c"], ["y"], name="branch",
                              then_branch=then_g, else_branch=else_g)], "g",
                 [vi("c", T.BOOL, []), vi("x", T.FLOAT, [2])],
                 [vi("y", T.FLOAT, [2])])
save("if-subgraph", g)

# A model-local function, called twice, with an attribute reference; the
# attribute has a default (attribute_proto, IR 9) the second call uses.
fn = h.make_function("local", "Scale", ["a"], ["b"],
                     [h.make_node("Relu", ["a"], ["r"]),
                      h.make_node("Softmax", ["r"], ["b"], axis=0)],
                     [h.make_opsetid("", 17)])
fn.node[1].attribute[0].ref_attr_name = "dim"
fn.attribute_proto.append(h.make_attribute("dim", 0))
g = h.make_graph([h.make_node("Scale", ["x"], ["m"], name="first",
                              domain="local", dim=1),
                  h.make_node("Scale", ["m"], ["y"], name="second",
                              domain="local")], "g",
                 [vi("x", T.FLOAT, [2, 3])], [vi("y", T.FLOAT, [2, 3])])
m = h.make_model(g, opset_imports=[h.make_opsetid("", 17),
                                   h.make_opsetid("local", 1)],
                 functions=[fn])
m.ir_version = 9
onnx.save(m, os.path.join(out, "function.onnx"))

# Nodes out of order (valid after sorting) and a cycle (invalid).
g = h.make_graph([h.make_node("Relu", ["a"], ["y"], name="second"),
                  h.make_node("Relu", ["x"], ["a"], name="first")], "g",
                 [vi("x", T.FLOAT, [2])], [vi("y", T.FLOAT, [2])])
save("unsorted", g)
g = h.make_graph([h.make_node("Add", ["x", "b"], ["a"], name="one"),
                  h.make_node("Relu", ["a"], ["b"], name="two")], "g",
                 [vi("x", T.FLOAT, [2])], [vi("b", T.FLOAT, [2])])
save("cycle", g)
g = h.make_graph([h.make_node("Relu", ["x"], ["a"], name="one"),
                  h.make_node("Relu", ["x"], ["a"], name="two")], "g",
                 [vi("x", T.FLOAT, [2])], [vi("a", T.FLOAT, [2])])
save("duplicate-output", g)

# Tensors that lie about their size or type.
bad = nh.from_array(np.zeros(4, np.float32), "w")
bad.raw_data = bad.raw_data[:10]
save("raw-length", h.make_graph([h.make_node("Relu", ["w"], ["y"], name="r")],
                                "g", [], [vi("y", T.FLOAT, [4])], [bad]))
bad = nh.from_array(np.zeros(4, np.float32), "w")
bad.data_type = 99
save("unknown-dtype", h.make_graph([h.make_node("Relu", ["w"], ["y"], name="r")],
                                   "g", [], [vi("y", T.FLOAT, [4])], [bad]))
bad = nh.from_array(np.zeros(4, np.float32), "w")
bad.dims[:] = [-4]
save("negative-dim", h.make_graph([h.make_node("Relu", ["w"], ["y"], name="r")],
                                  "g", [], [vi("y", T.FLOAT, [4])], [bad]))
ok = h.make_graph([h.make_node("Relu", ["x"], ["y"], name="r")], "g",
                  [vi("x", T.FLOAT, [2])], [vi("y", T.FLOAT, [2])])
save("ir-future", ok, ir=99)
save("ir-ancient", ok, ir=2)
save("opset-future", ok, opset=99)
save("opset-7", ok, opset=7, ir=3)
m = save("metadata", ok)
m.doc_string = "a test model"
onnx.helper.set_model_props(m, {"author": "onnxc", "license": "MIT"})
onnx.save(m, os.path.join(out, "metadata.onnx"))
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(open(os.path.join(out, "metadata.onnx"), "rb").read()[:-7])
