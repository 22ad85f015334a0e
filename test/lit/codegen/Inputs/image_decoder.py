"""Writes ImageDecoder models and their inputs.

preprocess.onnx: a JPEG decoded, cast to float32 and scaled by 1/255; only
the scaled result's shape is declared. The stream and the expected pixels
are ONNX's frozen test data (decoded by Pillow), so expected.npy is that
image scaled. Also: a model declaring the wrong size, one declaring no
shape, one with an unknown pixel format, and a stream that is no image."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx.backend.test.case.node import _image_decoder_data as frozen

out = sys.argv[1]
jpeg = frozen.image_decoder_decode_jpeg_rgb


def model(name, shape, pixel_format="RGB", scale=True):
    nodes = [h.make_node("ImageDecoder", ["data"], ["image"], name="dec",
                         pixel_format=pixel_format)]
    result = "image"
    if scale:
        nodes += [
            h.make_node("Cast", ["image"], ["f"], to=T.FLOAT),
            h.make_node("Mul", ["f", "k"], ["scaled"]),
        ]
        result = "scaled"
    graph = h.make_graph(
        nodes, "g",
        [h.make_tensor_value_info("data", T.UINT8, [len(jpeg.data)])],
        [h.make_tensor_value_info(result, T.FLOAT if scale else T.UINT8,
                                  shape)],
        [h.make_tensor("k", T.FLOAT, [], [1 / 255])])
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 20)]),
              os.path.join(out, name))


model("preprocess.onnx", [32, 32, 3])
model("wrong_size.onnx", [16, 16, 3])
model("undeclared.onnx", None)
model("bad_format.onnx", [32, 32, 3], pixel_format="YUV", scale=False)
np.save(os.path.join(out, "jpeg.npy"), jpeg.data)
np.save(os.path.join(out, "expected.npy"),
        jpeg.output.astype(np.float32) * np.float32(1 / 255))
np.save(os.path.join(out, "gif.npy"),
        np.frombuffer(b"GIF89a" + bytes(len(jpeg.data) - 6), np.uint8))
