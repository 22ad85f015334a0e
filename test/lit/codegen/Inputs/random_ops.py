"""Writes random.onnx (seeded RandomUniform, RandomNormal, RandomUniformLike
in float16 and RandomNormalLike in float64) and the values numpy's
RandomState draws for the same seeds, which ONNX's reference implementation
also uses; and unseeded.onnx, one unseeded RandomUniform of 1000 values."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 5])
nodes = [
    helper.make_node("RandomUniform", [], ["u"], shape=[4, 700], low=-2.0,
                     high=3.0, seed=7.0),
    helper.make_node("RandomNormal", [], ["n"], shape=[1001], mean=1.5,
                     scale=0.25, seed=3.0),
    helper.make_node("RandomUniformLike", ["x"], ["h"], seed=11.0,
                     dtype=TensorProto.FLOAT16),
    helper.make_node("RandomNormalLike", ["x"], ["d"], seed=0.0,
                     dtype=TensorProto.DOUBLE),
]
outputs = [
    helper.make_tensor_value_info("u", TensorProto.FLOAT, [4, 700]),
    helper.make_tensor_value_info("n", TensorProto.FLOAT, [1001]),
    helper.make_tensor_value_info("h", TensorProto.FLOAT16, [3, 5]),
    helper.make_tensor_value_info("d", TensorProto.DOUBLE, [3, 5]),
]
model = helper.make_model(helper.make_graph(nodes, "random", [x], outputs),
                          opset_imports=[helper.make_opsetid("", 17)])
onnx.checker.check_model(model)
onnx.save(model, out + "/random.onnx")
np.save(out + "/x.npy", np.zeros((3, 5), np.float32))
np.save(out + "/u.npy", np.random.RandomState(7).uniform(-2.0, 3.0, (4, 700))
        .astype(np.float32))
np.save(out + "/n.npy", np.random.RandomState(3).normal(1.5, 0.25, 1001)
        .astype(np.float32))
np.save(out + "/h.npy", np.random.RandomState(11).uniform(0.0, 1.0, (3, 5))
        .astype(np.float16))
np.save(out + "/d.npy", np.random.RandomState(0).normal(0.0, 1.0, (3, 5)))

unseeded = helper.make_model(
    helper.make_graph(
        [helper.make_node("RandomUniform", [], ["v"], shape=[1000])],
        "unseeded", [],
        [helper.make_tensor_value_info("v", TensorProto.FLOAT, [1000])]),
    opset_imports=[helper.make_opsetid("", 17)])
onnx.save(unseeded, out + "/unseeded.onnx")

# Bernoulli with a seed: 1 where RandomState(seed)'s uniform draw is below p.
p = np.random.RandomState(1).uniform(0.0, 1.0, (6, 50)).astype(np.float32)
bernoulli = helper.make_model(
    helper.make_graph(
        [helper.make_node("Bernoulli", ["p"], ["b"], seed=5.0,
                          dtype=TensorProto.INT32)],
        "bernoulli",
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, [6, 50])],
        [helper.make_tensor_value_info("b", TensorProto.INT32, [6, 50])]),
    opset_imports=[helper.make_opsetid("", 17)])
onnx.save(bernoulli, out + "/bernoulli.onnx")
np.save(out + "/p.npy", p)
np.save(out + "/b.npy", (np.random.RandomState(5).uniform(0.0, 1.0, p.shape)
                         < p).astype(np.int32))
