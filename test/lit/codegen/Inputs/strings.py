"""Writes a model of the string ops (StringNormalizer, StringConcat, Equal
with a string constant, StringSplit, RegexFullMatch, Cast to and from
strings, a string input returned as it is), inputs that agree with its
declared shapes (ok/) and text whose split is wider than declared (wide/),
and the outputs of ONNX's reference implementation for ok/ (Python's re for
RegexFullMatch: the reference needs the re2 module)."""
import copy
import os
import re
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh
from onnx.reference import ReferenceEvaluator

out = sys.argv[1]
nodes = [
    h.make_node("StringNormalizer", ["words"], ["norm"], name="norm",
                case_change_action="UPPER", is_case_sensitive=0,
                stopwords=["the"]),
    h.make_node("StringConcat", ["norm", "suffix"], ["joined"], name="concat"),
    h.make_node("Constant", [], ["known"], value=nh.from_array(
        np.array(["CAT!", "x", "DOG!"], dtype=object), "known")),
    h.make_node("Equal", ["joined", "known"], ["same"], name="equal"),
    h.make_node("StringSplit", ["text"], ["parts", "counts"], name="split",
                delimiter=","),
    h.make_node("RegexFullMatch", ["text"], ["match"], name="regex",
                pattern=r"[a-z,]+\d?"),
    h.make_node("Cast", ["nums"], ["num_text"], name="to_text", to=T.STRING),
    h.make_node("Cast", ["num_text"], ["back"], name="to_float", to=T.FLOAT),
    h.make_node("Cast", ["nums"], ["small"], name="to_int8", to=T.INT8),
    h.make_node("Cast", ["small"], ["small_text"], name="int_text",
                to=T.STRING),
    h.make_node("Identity", ["words"], ["echo"], name="echo"),
]
graph = h.make_graph(
    nodes, "strings",
    [h.make_tensor_value_info("words", T.STRING, [4]),
     h.make_tensor_value_info("suffix", T.STRING, [1]),
     h.make_tensor_value_info("text", T.STRING, [2]),
     h.make_tensor_value_info("nums", T.FLOAT, [3])],
    [h.make_tensor_value_info("joined", T.STRING, [3]),
     h.make_tensor_value_info("same", T.BOOL, [3]),
     h.make_tensor_value_info("parts", T.STRING, [2, 3]),
     h.make_tensor_value_info("counts", T.INT64, [2]),
     h.make_tensor_value_info("match", T.BOOL, [2]),
     h.make_tensor_value_info("num_text", T.STRING, [3]),
     h.make_tensor_value_info("back", T.FLOAT, [3]),
     h.make_tensor_value_info("small_text", T.STRING, [3]),
     h.make_tensor_value_info("echo", T.STRING, [4])],
    value_info=[h.make_tensor_value_info("norm", T.STRING, [3])])
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 20)])
model.ir_version = 9
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))


def write(folder, name, array):
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    tensor = nh.from_array(array, name)
    with open(os.path.join(out, folder, name + ".pb"), "wb") as f:
        f.write(tensor.SerializeToString())


inputs = {
    "words": np.array(["cat", "The", "mouse", "dog"], dtype=object),
    "suffix": np.array(["!"], dtype=object),
    "text": np.array(["a,b,c", "de,f9"], dtype=object),
    "nums": np.array([0.1, -2.5, 1e-5], dtype=np.float32),
}
for i, (name, value) in enumerate(inputs.items()):
    write("ok", "in%d" % i, value)
without_regex = copy.deepcopy(model)
regex = [n for n in without_regex.graph.node if n.op_type == "RegexFullMatch"]
without_regex.graph.node.remove(regex[0])
match = [o for o in without_regex.graph.output if o.name == "match"]
without_regex.graph.output.remove(match[0])
evaluator = ReferenceEvaluator(without_regex)
results = dict(zip(evaluator.output_names, evaluator.run(None, inputs)))
results["match"] = np.array(
    [re.fullmatch(r"[a-z,]+\d?", t) is not None for t in inputs["text"]])
for i, output in enumerate(model.graph.output):
    write("ok", "out%d" % i, np.asarray(results[output.name]))
write("wide", "in2", np.array(["a,b,c,d", "e"], dtype=object))
