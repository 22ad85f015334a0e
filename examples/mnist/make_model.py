#!/usr/bin/env python3
"""Builds the small MNIST-shaped CNN example model and its reference data."""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 8
INPUT_NAME = "input"
OUTPUT_NAME = "probabilities"
INPUT_SHAPE = (1, 1, 28, 28)
NUM_CLASSES = 10
# Sharpens the logits for a clear argmax while keeping the softmax far enough
# from one-hot that errors in the compiled model show in every element.
LOGIT_SCALE = 2.0


def make_input():
    """The deterministic input pattern shared with main.c.

    Computed in double and rounded once to float32, exactly as main.c does,
    so both sides feed bit-identical inputs.
    """
    n = int(np.prod(INPUT_SHAPE))
    i = np.arange(n, dtype=np.int64)
    x = ((i * 37) % 101).astype(np.float64) / 101.0 - 0.5
    return x.astype(np.float32).reshape(INPUT_SHAPE)


def he_normal(rng, shape, fan_in):
    std = np.sqrt(2.0 / fan_in)
    return (rng.standard_normal(shape) * std).astype(np.float32)


def small_bias(rng, n):
    return (rng.standard_normal(n) * 0.05).astype(np.float32)


def build_model():
    rng = np.random.default_rng(0)

    w1 = he_normal(rng, (8, 1, 3, 3), 1 * 3 * 3)
    b1 = small_bias(rng, 8)
    w2 = he_normal(rng, (16, 8, 3, 3), 8 * 3 * 3)
    b2 = small_bias(rng, 16)
    channel_bias = small_bias(rng, 16).reshape(1, 16, 1, 1)
    w3 = he_normal(rng, (64, 16 * 7 * 7), 16 * 7 * 7)
    b3 = small_bias(rng, 64)
    # Plain Xavier-style scaling for the classifier keeps logits O(1).
    w4 = rng.standard_normal((NUM_CLASSES, 64)) / np.sqrt(64.0)
    w4 = w4.astype(np.float32)
    b4 = small_bias(rng, NUM_CLASSES)

    initializers = [
        numpy_helper.from_array(w1, "conv1.weight"),
        numpy_helper.from_array(b1, "conv1.bias"),
        numpy_helper.from_array(w2, "conv2.weight"),
        numpy_helper.from_array(b2, "conv2.bias"),
        numpy_helper.from_array(w3, "fc1.weight"),
        numpy_helper.from_array(b3, "fc1.bias"),
        numpy_helper.from_array(w4, "fc2.weight"),
        numpy_helper.from_array(b4, "fc2.bias"),
    ]

    nodes = [
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"],
                         ["conv1"], name="conv1", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["conv1"], ["relu1"], name="relu1"),
        helper.make_node("MaxPool", ["relu1"], ["pool1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["pool1", "conv2.weight", "conv2.bias"],
                         ["conv2"], name="conv2", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Constant", [], ["channel_bias"], name="channel_bias",
                         value=numpy_helper.from_array(channel_bias,
                                                       "channel_bias")),
        helper.make_node("Add", ["conv2", "channel_bias"], ["conv2_biased"],
                         name="add_channel_bias"),
        helper.make_node("Relu", ["conv2_biased"], ["relu2"], name="relu2"),
        helper.make_node("MaxPool", ["relu2"], ["pool2"], name="pool2",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pool2"], ["flat"], name="flatten",
                         axis=1),
        helper.make_node("Identity", ["flat"], ["features"], name="identity"),
        helper.make_node("Gemm", ["features", "fc1.weight", "fc1.bias"],
                         ["fc1"], name="fc1", transB=1),
        helper.make_node("Relu", ["fc1"], ["relu3"], name="relu3"),
        helper.make_node("Gemm", ["relu3", "fc2.weight", "fc2.bias"],
                         ["logits"], name="fc2", transB=1),
        helper.make_node("Constant", [], ["logit_scale"], name="logit_scale",
                         value=numpy_helper.from_array(
                             np.array(LOGIT_SCALE, dtype=np.float32),
                             "logit_scale")),
        helper.make_node("Mul", ["logits", "logit_scale"], ["scaled_logits"],
                         name="scale_logits"),
        helper.make_node("Softmax", ["scaled_logits"], [OUTPUT_NAME],
                         name="softmax", axis=-1),
    ]

    graph = helper.make_graph(
        nodes,
        "mnist_cnn",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT,
                                       list(INPUT_SHAPE))],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT,
                                       [1, NUM_CLASSES])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph,
        producer_name="onnxc-examples",
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def run_reference(model_path, x):
    import onnxruntime as ort

    options = ort.SessionOptions()
    # Unoptimized execution keeps the reference independent of ORT fusions.
    level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.graph_optimization_level = level
    session = ort.InferenceSession(model_path, options,
                                   providers=["CPUExecutionProvider"])
    (y,) = session.run([OUTPUT_NAME], {INPUT_NAME: x})
    return np.asarray(y, dtype=np.float32)


def write_tensor(path, array, name):
    tensor = numpy_helper.from_array(array, name)
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", nargs="?",
                        default=os.path.join(here, "mnist.onnx"),
                        help="model path; test_data_set_0/ is written next "
                             "to it (default: %(default)s)")
    args = parser.parse_args(argv)

    model = build_model()
    model_path = os.path.abspath(args.output)
    onnx.save(model, model_path)

    x = make_input()
    y = run_reference(model_path, x)
    if y.shape != (1, NUM_CLASSES) or not np.all(np.isfinite(y)):
        sys.exit("make_model.py: unexpected reference output %r" % (y,))
    if y.max() > 0.99:
        sys.exit("make_model.py: reference output is degenerate: %r" % (y,))

    data_dir = os.path.join(os.path.dirname(model_path), "test_data_set_0")
    os.makedirs(data_dir, exist_ok=True)
    write_tensor(os.path.join(data_dir, "input_0.pb"), x, INPUT_NAME)
    write_tensor(os.path.join(data_dir, "output_0.pb"), y, OUTPUT_NAME)

    print("wrote %s (%d bytes)" % (model_path, os.path.getsize(model_path)))
    print("reference probabilities:", np.array2string(y[0], precision=6))
    print("argmax:", int(np.argmax(y)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
