#!/usr/bin/env python3
"""Compiles small models covering every supported op and attribute through
onnxc-run (object -> shared library -> run) and compares each output with
ONNX Runtime's. Exits non-zero if any case fails."""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def model(nodes, inputs, outputs, inits=(), opset=13,
          out_type=TensorProto.FLOAT):
    """inputs: {name: shape}; outputs: [name]; inits: {name: array}."""
    graph = helper.make_graph(
        nodes, "case",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in inputs.items()],
        [helper.make_tensor_value_info(
            n, out_type[k] if isinstance(out_type, list) else out_type, None)
         for k, n in enumerate(outputs)],
        [numpy_helper.from_array(v, n) for n, v in dict(inits).items()])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8

    return m


def node(op, ins, outs, **attrs):
    return helper.make_node(op, ins, outs, name=outs[0] + "_node", **attrs)


def conv_case(x, w, b=True, **attrs):
    inits = {"w": rand(*w)}
    ins = ["x", "w"]
    if b:
        inits["b"] = rand(w[0])
        ins.append("b")
    return model([node("Conv", ins, ["y"], **attrs)], {"x": x}, ["y"], inits)


# (rtol, atol) for every case but those that name their own.
TOLERANCE = (1e-4, 1e-5)
WINOGRAD_F4_TOLERANCE = (1e-4, 5e-4)
# Sums of hundreds or thousands of products of standard normal values
# (outputs of about 25-50), added in another order than ONNX Runtime's.
LONG_SUM_TOLERANCE = (1e-4, 5e-4)


def cases():
    """(name, model) or (name, model, (rtol, atol)) for each case."""
    yield "relu", model([node("Relu", ["x"], ["y"])], {"x": [2, 3, 5]}, ["y"])
    yield "add_broadcast", model(
        [node("Add", ["x", "c"], ["y"])], {"x": [2, 3, 4, 5]}, ["y"],
        {"c": rand(3, 1, 5)})
    yield "mul_scalar", model([node("Mul", ["x", "c"], ["y"])], {"x": [7, 9]},
                              ["y"], {"c": np.array(1.5, np.float32)})
    yield "mul_two_inputs", model([node("Mul", ["x", "z"], ["y"])],
                                  {"x": [4, 1], "z": [1, 6]}, ["y"])
    yield "conv_3x3_pad", conv_case([1, 3, 17, 19], [8, 3, 3, 3],
                                    pads=[1, 1, 1, 1])
    yield "conv_stride2_nobias", conv_case([2, 4, 16, 15], [6, 4, 3, 3],
                                           b=False, strides=[2, 2],
                                           pads=[1, 0, 1, 0])
    yield "conv_groups_dilation", conv_case([1, 8, 12, 12], [8, 2, 3, 3],
                                            group=4, dilations=[2, 2])
    yield "conv_depthwise", conv_case([1, 16, 10, 10], [16, 1, 3, 3],
                                      group=16, pads=[1, 1, 1, 1])
    yield "conv_1x1", conv_case([1, 32, 7, 7], [64, 32, 1, 1])
    yield "conv_same_upper", conv_case([1, 2, 9, 9], [3, 2, 4, 4],
                                       auto_pad="SAME_UPPER")
    yield "conv_1d", conv_case([1, 3, 20], [5, 3, 3], pads=[2, 1])
    # Written as matrix products (onnxc-conv-to-matmul): a narrow 3x3 with
    # padding and strides (im2col), a pointwise conv with a batch of 2.
    yield "conv_narrow_im2col", conv_case([1, 5, 13, 13], [7, 5, 3, 3],
                                          strides=[2, 2], pads=[1, 1, 1, 1])
    yield "conv_1x1_batch2", conv_case([2, 6, 9, 11], [4, 6, 1, 1])
    # Over 16 input channels: strided convs and 3x3 convs narrower than 16
    # go through im2col (a strided 1x1 conv is one strided Slice).
    yield "conv_1x1_stride2_im2col", conv_case([1, 16, 11, 13], [8, 16, 1, 1],
                                               strides=[2, 2])
    yield "conv_3x3_stride2_im2col", conv_case([2, 16, 21, 20],
                                               [12, 16, 3, 3], strides=[2, 2],
                                               pads=[1, 1, 1, 1])
    yield "conv_3x3_width11_im2col", conv_case([1, 24, 12, 11],
                                               [16, 24, 3, 3],
                                               pads=[1, 1, 1, 1])
    # kernel.im2col with more taps than it unrolls (25), dilated, strided
    # and padded unevenly (the last windows end inside the input); and a
    # padded 1x1 conv on a narrow map (one tap, zeros at the border).
    yield "conv_5x5_dilated_im2col", conv_case([1, 16, 19, 18],
                                               [8, 16, 5, 5], strides=[2, 1],
                                               dilations=[2, 2],
                                               pads=[3, 2, 1, 0])
    yield "conv_1x1_padded_narrow_im2col", conv_case([1, 16, 5, 4],
                                                     [8, 16, 1, 1],
                                                     pads=[1, 1, 1, 1])
    # 3x3 stride-1 convs over 16 or more channels with even output sides:
    # Winograd F(4x4, 3x3) (sides multiples of 4, 16 tiles or more) or
    # F(2x2, 3x3), the bias and the ops after the conv fused into the
    # output transform. Asymmetric pads; none at all. F(4x4, 3x3) rounds
    # more than a direct conv: measured 2-3e-6 of the largest output (ONNX
    # Runtime's direct conv: 3-5e-7), about 1.5e-4 on these outputs of
    # magnitude 40-60, so those two cases allow an absolute error of 5e-4.
    yield "conv_winograd_f4_residual", model(
        [node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
         node("Relu", ["c"], ["r"]),
         node("Add", ["r", "skip"], ["y"])],
        {"x": [1, 16, 16, 16], "skip": [1, 32, 16, 16]}, ["y"],
        {"w": rand(32, 16, 3, 3), "b": rand(32)}), WINOGRAD_F4_TOLERANCE
    yield "conv_winograd_f4_asymmetric_pads", conv_case(
        [1, 24, 14, 17], [16, 24, 3, 3],
        pads=[1, 0, 3, 1]), WINOGRAD_F4_TOLERANCE
    yield "conv_winograd_f2_no_pads", conv_case([1, 20, 10, 10],
                                                [24, 20, 3, 3], b=False)
    # Odd sides (7x9): 4x5 tiles over 8x10, a Slice keeps 7x9.
    yield "conv_winograd_f2_odd_sides", model(
        [node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
         node("Relu", ["c"], ["y"])],
        {"x": [1, 16, 7, 9]}, ["y"], {"w": rand(16, 16, 3, 3), "b": rand(16)})
    # Constant weights times a small map (gemm_packed, weights packed at
    # compile time): a pointwise conv with bias, residual and Relu (49
    # columns in tiles of 7); a strided 3x3 conv through im2col (reduction
    # 288 in blocks, 36 columns); Winograd's stack of products over 49
    # tiles (reduction 256).
    yield "conv_pointwise_packed", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["a"]),
         node("Relu", ["a"], ["y"])],
        {"x": [1, 256, 7, 7], "r": [1, 64, 7, 7]}, ["y"],
        {"w": rand(64, 256, 1, 1), "b": rand(64)})
    # 25 columns in tiles of 9 (the last shifted inwards), two items.
    yield "conv_pointwise_packed_tail", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["y"])],
        {"x": [2, 256, 5, 5], "r": [2, 32, 5, 5]}, ["y"],
        {"w": rand(32, 256, 1, 1), "b": rand(32)})
    # A reduction of 160 (MobileNetV2's expansion at 7x7): gemm_packed in
    # reduction blocks of 40, 49 columns in seven tiles of 7.
    yield "conv_pointwise_packed_k160", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Clip", ["c", "lo", "hi"],
                                                   ["y"])],
        {"x": [1, 160, 7, 7]}, ["y"],
        {"w": rand(96, 160, 1, 1), "b": rand(96),
         "lo": np.array(0, np.float32), "hi": np.array(6, np.float32)})
    yield "conv_strided_packed", model(
        [node("Conv", ["x", "w", "b"], ["y"], pads=[1, 1, 1, 1],
              strides=[2, 2])],
        {"x": [1, 32, 12, 11]}, ["y"], {"w": rand(64, 32, 3, 3),
                                        "b": rand(64)})
    yield "conv_winograd_packed", model(
        [node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
         node("Relu", ["c"], ["y"])],
        {"x": [1, 256, 14, 14]}, ["y"], {"w": rand(64, 256, 3, 3),
                                         "b": rand(64)}), LONG_SUM_TOLERANCE
    # A long reduction over few rows: the panel schedule (reduction in
    # blocks, rows 5 at a time, a last column panel shifted inwards).
    yield "matmul_panel_bias", model(
        [node("MatMul", ["x", "w"], ["m"]), node("Add", ["m", "b"], ["y"])],
        {"x": [20, 600]}, ["y"], {"w": rand(600, 70),
                                  "b": rand(70)}), LONG_SUM_TOLERANCE
    # Constant weights B in whole column panels, packed at compile time:
    # the panel schedule (a linear layer on a 7x7 map) and the gemm one.
    yield "matmul_panel_packed_b", model(
        [node("MatMul", ["x", "w"], ["m"]), node("Add", ["m", "b"], ["y"])],
        {"x": [49, 384]}, ["y"], {"w": rand(384, 96),
                                  "b": rand(96)}), LONG_SUM_TOLERANCE
    yield "matmul_gemm_packed_b", model(
        [node("MatMul", ["x", "w"], ["y"])], {"x": [1000, 300]}, ["y"],
        {"w": rand(300, 128)}), LONG_SUM_TOLERANCE
    # A classifier: one row times constant weights whose 1000 columns are
    # packed in panels of 128, the last padded.
    yield "gemm_classifier_packed_b", model(
        [node("Gemm", ["x", "w", "b"], ["y"])], {"x": [1, 300]}, ["y"],
        {"w": rand(300, 1000), "b": rand(1000)}), LONG_SUM_TOLERANCE
    yield "gemm_panel_odd_rows", model(
        [node("Gemm", ["x", "w", "b"], ["y"], transB=1)],
        {"x": [11, 300]}, ["y"], {"w": rand(40, 300), "b": rand(40)})
    # BatchNormalization after a conv folds into its weights and bias.
    yield "conv_batchnorm_folded", model(
        [node("Conv", ["x", "w", "cb"], ["c"], pads=[1, 1, 1, 1]),
         node("BatchNormalization", ["c", "s", "b", "m", "v"], ["y"],
              epsilon=1e-3)],
        {"x": [2, 3, 9, 8]}, ["y"],
        {"w": rand(5, 3, 3, 3), "cb": rand(5), "s": rand(5), "b": rand(5),
         "m": rand(5), "v": np.abs(rand(5)) + 0.5})
    # A zero Pad before a Conv becomes the conv's padding.
    yield "pad_into_conv", model(
        [node("Pad", ["x", "pads"], ["p"]),
         node("Conv", ["p", "w", "b"], ["y"], pads=[1, 0, 0, 1])],
        {"x": [1, 3, 9, 10]}, ["y"],
        {"pads": np.array([0, 0, 2, 1, 0, 0, 1, 0], np.int64),
         "w": rand(4, 3, 3, 3), "b": rand(4)})
    # Depthwise, strided over an odd map: each channel's padded plane split
    # into the width's phases.
    yield "conv_depthwise_stride2", conv_case([1, 20, 15, 15], [20, 1, 3, 3],
                                              group=20, strides=[2, 2],
                                              pads=[1, 1, 1, 1])
    # Strided stems (few input channels): the input split into the width's
    # phases; odd sizes, dilation, stride 3 and a conv without padding.
    yield "conv_stem_7x7_stride2", conv_case([1, 3, 37, 41], [8, 3, 7, 7],
                                             strides=[2, 2],
                                             pads=[3, 3, 3, 3])
    yield "conv_stem_dilated_stride2", conv_case(
        [1, 3, 19, 23], [6, 3, 3, 3], strides=[2, 2], dilations=[2, 2],
        pads=[1, 2, 2, 1])
    yield "conv_stem_stride3_unpadded", conv_case([1, 2, 20, 25],
                                                  [4, 2, 3, 4],
                                                  strides=[1, 3])
    # Strided depthwise convs over rows of 48 outputs or more: taps written
    # out, zero past the edges read through a boundary condition.
    yield "conv_depthwise_stride2_wide", conv_case(
        [1, 6, 21, 101], [6, 1, 3, 3], group=6, strides=[2, 2],
        pads=[1, 1, 1, 1])
    yield "conv_depthwise_5x5_stride2_wide", conv_case(
        [1, 4, 12, 99], [4, 1, 5, 5], group=4, strides=[2, 2],
        pads=[2, 1, 1, 2])
    # A pointwise conv's activation and residual Add follow it onto the
    # matrix product.
    yield "conv_1x1_residual_clip", model(
        [node("Conv", ["x", "w", "b"], ["c"]),
         node("Add", ["c", "skip"], ["a"]),
         node("Mul", ["a", "s"], ["m"]),
         node("Clip", ["m", "lo", "hi"], ["y"])],
        {"x": [1, 8, 6, 7], "skip": [1, 5, 6, 7]}, ["y"],
        {"w": rand(5, 8, 1, 1), "b": rand(5), "s": rand(5, 1, 1),
         "lo": np.array(-0.5, np.float32), "hi": np.array(0.5, np.float32)})
    # A decoder's upsampling ConvTranspose (kernel == stride), and an
    # overlapping one with padding.
    yield "convtranspose_k2s2", model(
        [node("ConvTranspose", ["x", "w", "b"], ["y"], strides=[2, 2],
              kernel_shape=[2, 2])], {"x": [1, 6, 5, 7]}, ["y"],
        {"w": rand(6, 3, 2, 2), "b": rand(3)})
    yield "convtranspose_k3s2_pad", model(
        [node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2],
              pads=[1, 1, 1, 1])], {"x": [1, 4, 6, 6]}, ["y"],
        {"w": rand(4, 5, 3, 3)})
    yield "conv_relu_add_fused", model(
        [node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
         node("Add", ["c", "r"], ["a"]), node("Relu", ["a"], ["y"])],
        {"x": [1, 4, 8, 8], "r": [1, 6, 8, 8]}, ["y"],
        {"w": rand(6, 4, 3, 3), "b": rand(6)})
    yield "maxpool", model(
        [node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
              pads=[1, 1, 1, 1])], {"x": [1, 3, 13, 13]}, ["y"])
    yield "maxpool_dilated_pads", model(
        [node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2],
              pads=[1, 1, 1, 1], dilations=[2, 2])], {"x": [1, 3, 12, 11]},
        ["y"])
    yield "maxpool_3x3_stride1_narrow", model(
        [node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[1, 1],
              pads=[1, 1, 1, 1])], {"x": [1, 5, 14, 13]}, ["y"])
    yield "maxpool_ceil", model(
        [node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2],
              ceil_mode=1)], {"x": [1, 2, 7, 9]}, ["y"])
    yield "global_avg_pool", model([node("GlobalAveragePool", ["x"], ["y"])],
                                   {"x": [2, 20, 7, 5]}, ["y"])
    yield "matmul_2d", model([node("MatMul", ["a", "b"], ["y"])],
                             {"a": [5, 33], "b": [33, 19]}, ["y"])
    yield "matmul_batch_broadcast", model(
        [node("MatMul", ["a", "b"], ["y"])], {"a": [2, 3, 4, 6]}, ["y"],
        {"b": rand(3, 6, 5)})
    yield "matmul_vector", model([node("MatMul", ["a", "b"], ["y"])],
                                 {"a": [7], "b": [7, 4]}, ["y"])
    yield "gemm_transA_alpha_beta", model(
        [node("Gemm", ["a", "b", "c"], ["y"], transA=1, alpha=0.5, beta=2.0)],
        {"a": [9, 4]}, ["y"], {"b": rand(9, 12), "c": rand(12)})
    yield "gemm_transB_no_c", model(
        [node("Gemm", ["a", "b"], ["y"], transB=1)], {"a": [3, 20]}, ["y"],
        {"b": rand(10, 20)})
    yield "softmax_last", model([node("Softmax", ["x"], ["y"])],
                                {"x": [3, 10]}, ["y"])
    yield "softmax_axis1", model([node("Softmax", ["x"], ["y"], axis=1)],
                                 {"x": [2, 5, 3]}, ["y"])
    yield "softmax_opset11_coerce", model(
        [node("Softmax", ["x"], ["y"], axis=1)], {"x": [2, 3, 4]}, ["y"],
        opset=11)
    yield "flatten_reshape_identity", model(
        [node("Flatten", ["x"], ["f"], axis=2), node("Identity", ["f"], ["i"]),
         node("Reshape", ["i", "s"], ["r"]), node("Relu", ["r"], ["y"])],
        {"x": [2, 3, 4, 5]}, ["y"], {"s": np.array([4, -1], np.int64)})
    yield "constant_node", model(
        [helper.make_node("Constant", [], ["c"], name="c_node",
                          value=numpy_helper.from_array(rand(4), "c")),
         node("Add", ["x", "c"], ["y"])], {"x": [3, 4]}, ["y"])
    # Recurrent ops: both directions, every optional input (sequence_lens
    # shorter than the sequence for one batch entry). ONNX Runtime lacks
    # layout 1; the backend tests cover it.
    yield "lstm_bidirectional_peepholes", model(
        [node("LSTM", ["x", "w", "r", "b", "lens", "h0", "c0", "p"],
              ["y", "yh", "yc"], hidden_size=4, direction="bidirectional")],
        {"x": [5, 2, 3], "h0": [2, 2, 4], "c0": [2, 2, 4]}, ["y", "yh", "yc"],
        {"w": rand(2, 16, 3), "r": rand(2, 16, 4), "b": rand(2, 32),
         "lens": np.array([5, 3], np.int32), "p": rand(2, 12)}, opset=14)
    yield "gru_reverse_linear_before_reset", model(
        [node("GRU", ["x", "w", "r", "b"], ["y", "yh"], hidden_size=3,
              direction="reverse", linear_before_reset=1)],
        {"x": [4, 2, 5]}, ["y", "yh"],
        {"w": rand(1, 9, 5), "r": rand(1, 9, 3), "b": rand(1, 18)}, opset=14)
    yield "rnn_relu_clip_bidirectional", model(
        [node("RNN", ["x", "w", "r"], ["y", "yh"], hidden_size=3,
              direction="bidirectional", activations=["Relu", "Tanh"],
              clip=0.5)],
        {"x": [4, 2, 3]}, ["y", "yh"],
        {"w": rand(2, 3, 3), "r": rand(2, 3, 3)}, opset=14)
    yield "gridsample_cubic_reflection", model(
        [node("GridSample", ["x", "g"], ["y"], mode="bicubic",
              padding_mode="reflection")],
        {"x": [1, 2, 5, 6], "g": [1, 4, 3, 2]}, ["y"], opset=16)
    # A U-Net's bilinear 2x upsampling (constant scales, N and C copied),
    # and a cubic downsample to given sizes with align_corners.
    yield "resize_linear_upsample", model(
        [node("Resize", ["x", "", "s"], ["y"], mode="linear")],
        {"x": [1, 3, 5, 6]}, ["y"],
        {"s": np.array([1, 1, 2, 2], np.float32)}, opset=13)
    # Wide enough for whole vectors of outputs reading the per-axis tap
    # tables (pytorch_half_pixel, as exporters write bilinear upsampling).
    yield "resize_bilinear_wide", model(
        [node("Resize", ["x", "", "s"], ["y"], mode="linear",
              coordinate_transformation_mode="pytorch_half_pixel")],
        {"x": [1, 4, 20, 27]}, ["y"],
        {"s": np.array([1, 1, 2, 2], np.float32)}, opset=13)
    # Linear upsampling of the width by a power of two, in closed form
    # (phases of the output unrolled inside vectors): x4 to given sizes,
    # asymmetric, 37 -> 148 wide; x2 half_pixel on a batch of 2, 40 -> 80.
    yield "resize_linear_x4_sizes_asymmetric", model(
        [node("Resize", ["x", "", "", "sz"], ["y"], mode="linear",
              coordinate_transformation_mode="asymmetric")],
        {"x": [1, 3, 6, 37]}, ["y"],
        {"sz": np.array([1, 3, 12, 148], np.int64)}, opset=13)
    yield "resize_linear_x2_half_pixel_batch2", model(
        [node("Resize", ["x", "", "s"], ["y"], mode="linear",
              coordinate_transformation_mode="half_pixel")],
        {"x": [2, 5, 9, 40]}, ["y"],
        {"s": np.array([1, 1, 2, 2], np.float32)}, opset=13)
    yield "resize_cubic_sizes_align_corners", model(
        [node("Resize", ["x", "", "", "sz"], ["y"], mode="cubic",
              coordinate_transformation_mode="align_corners")],
        {"x": [1, 2, 7, 9]}, ["y"],
        {"sz": np.array([1, 2, 4, 5], np.int64)}, opset=13)
    yield "resize_nearest_ceil_asymmetric", model(
        [node("Resize", ["x", "", "s"], ["y"], mode="nearest",
              nearest_mode="ceil", coordinate_transformation_mode="asymmetric")],
        {"x": [2, 3, 4, 4]}, ["y"],
        {"s": np.array([1, 1, 1.5, 0.75], np.float32)}, opset=13)
    yield "resize_linear_antialias_sizes", model(
        [node("Resize", ["x", "", "", "sz"], ["y"], mode="linear",
              antialias=1)],
        {"x": [1, 2, 12, 9]}, ["y"],
        {"sz": np.array([1, 2, 5, 4], np.int64)}, opset=18)
    yield "resize_cubic_antialias_scales", model(
        [node("Resize", ["x", "", "s"], ["y"], mode="cubic", antialias=1)],
        {"x": [1, 1, 16, 10]}, ["y"],
        {"s": np.array([1, 1, 0.3, 0.6], np.float32)}, opset=18)
    yield "topk_smallest_axis0", model(
        [node("TopK", ["x", "k"], ["v", "i"], axis=0, largest=0)],
        {"x": [6, 4]}, ["v"], {"k": np.array([3], np.int64)}, opset=11)
    yield "maxunpool_2x2_stride2", model(
        [node("MaxUnpool", ["x", "i"], ["y"], kernel_shape=[2, 2],
              strides=[2, 2])],
        {"x": [1, 2, 2, 2]}, ["y"],
        {"i": np.array([0, 3, 9, 14, 16, 21, 27, 30],
                       np.int64).reshape(1, 2, 2, 2)}, opset=11)
    yield "nms_corners_score_threshold", model(
        [node("NonMaxSuppression", ["boxes", "scores", "most", "iou", "floor"],
              ["y"])],
        {"boxes": [2, 40, 4], "scores": [2, 3, 40]}, ["y"],
        {"most": np.array([6], np.int64), "iou": np.array([0.3], np.float32),
         "floor": np.array([0.1], np.float32)}, opset=11,
        out_type=TensorProto.INT64)
    yield "nms_center_no_score_threshold", model(
        [node("NonMaxSuppression", ["boxes", "scores", "most", "iou"], ["y"],
              center_point_box=1)],
        {"scores": [1, 2, 30]}, ["y"],
        {"boxes": np.concatenate(
            [RNG.uniform(0, 10, (1, 30, 2)), RNG.uniform(1, 4, (1, 30, 2))],
            axis=2).astype(np.float32),
         "most": np.array([100], np.int64),
         "iou": np.array([0.2], np.float32)}, opset=11,
        out_type=TensorProto.INT64)
    # Floor makes repeats; sorted rows compare lexicographically.
    unique_types = [TensorProto.FLOAT] + [TensorProto.INT64] * 3
    yield "unique_sorted_rows", model(
        [node("Floor", ["x"], ["f"]),
         node("Unique", ["f"], ["y", "i", "inv", "c"], axis=0)],
        {"x": [12, 2]}, ["y", "i", "inv", "c"], opset=11,
        out_type=unique_types)
    yield "unique_unsorted_elements", model(
        [node("Mul", ["x", "two"], ["m"]), node("Floor", ["m"], ["f"]),
         node("Unique", ["f"], ["y", "i", "inv", "c"], sorted=0)],
        {"x": [4, 5]}, ["y", "i", "inv", "c"],
        {"two": np.array(2, np.float32)}, opset=11, out_type=unique_types)
    # Control flow, expanded in place: an If on a computed condition, a
    # Loop that stops early (M constant), a Scan reading axis 1 backwards.
    def body(name, nodes, ins, outs):
        return helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info(n, t, s) for n, t, s in ins],
            [helper.make_tensor_value_info(n, t, s) for n, t, s in outs])
    F, B, I = TensorProto.FLOAT, TensorProto.BOOL, TensorProto.INT64
    yield "if_computed_condition", model(
        [node("ReduceSum", ["x"], ["s"], keepdims=0),
         node("Greater", ["s", "zero"], ["c"]),
         node("If", ["c"], ["y"],
              then_branch=body("t", [node("Sigmoid", ["x"], ["ty"])], [],
                               [("ty", F, [3, 4])]),
              else_branch=body("e", [node("Tanh", ["x"], ["ey"])], [],
                               [("ey", F, [3, 4])]))],
        {"x": [3, 4]}, ["y"], {"zero": np.array(0, np.float32)})
    yield "loop_stops_early", model(
        [node("Loop", ["m", "go", "x"], ["y"],
              body=body("b", [node("Mul", ["v", "k"], ["w"]),
                              node("Abs", ["w"], ["a"]),
                              node("ReduceSum", ["a"], ["s"], keepdims=0),
                              node("Less", ["s", "limit"], ["more"])],
                        [("i", I, []), ("c", B, []), ("v", F, [3, 4])],
                        [("more", B, []), ("w", F, [3, 4])]))],
        {"x": [3, 4]}, ["y"],
        {"m": np.array(8, np.int64), "go": np.array(True),
         "k": np.array(1.5, np.float32), "limit": np.array(40, np.float32)})
    yield "scan_reverse_axis1", model(
        [node("Scan", ["init", "x"], ["last", "all"], num_scan_inputs=1,
              scan_input_axes=[1], scan_input_directions=[1],
              body=body("b", [node("Add", ["st", "col"], ["nx"]),
                              node("Max", ["nx", "col"], ["out"])],
                        [("st", F, [2, 3]), ("col", F, [2, 3])],
                        [("nx", F, [2, 3]), ("out", F, [2, 3])]))],
        {"x": [2, 5, 3]}, ["last", "all"],
        {"init": np.zeros((2, 3), np.float32)}, opset=16)
    yield "maxpool_indices_pads_dilations", model(
        [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[3, 2],
              pads=[1, 0, 1, 1], strides=[2, 1], dilations=[1, 2])],
        {"x": [2, 3, 7, 6]}, ["y", "i"], opset=12,
        out_type=[TensorProto.FLOAT, TensorProto.INT64])
    yield "maxpool_indices_column_major", model(
        [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2],
              strides=[2, 2], storage_order=1)],
        {"x": [1, 2, 4, 6]}, ["i"], opset=12, out_type=TensorProto.INT64)
    yield "col2im_pads_strides", model(
        [node("Col2Im", ["x", "image", "block"], ["y"], strides=[1, 2],
              pads=[1, 0, 1, 1])],
        {"x": [2, 12, 21]}, ["y"],
        {"image": np.array([6, 7], np.int64),
         "block": np.array([2, 3], np.int64)}, opset=18)
    yield "det_batched_4x4", model(
        [node("Det", ["x"], ["y"])], {"x": [3, 4, 4]}, ["y"], opset=11)
    yield "einsum_ellipsis_implicit", model(
        [node("Einsum", ["x", "z"], ["y"], equation="...ij,...jk")],
        {"x": [2, 5, 3, 4], "z": [2, 5, 4, 6]}, ["y"], opset=12)
    yield "einsum_diagonal_outer", model(
        [node("Einsum", ["x", "z"], ["y"], equation="ii,k->ki")],
        {"x": [3, 3], "z": [4]}, ["y"], opset=12)
    yield "lppool_p3_pads_strides", model(
        [node("LpPool", ["x"], ["y"], kernel_shape=[3, 2], p=3,
              pads=[1, 0, 1, 1], strides=[2, 1])],
        {"x": [1, 2, 7, 6]}, ["y"], opset=11)
    yield "lrn", model(
        [node("LRN", ["x"], ["y"], size=5, alpha=0.01, beta=0.5, bias=2.0)],
        {"x": [2, 7, 3, 3]}, ["y"])
    yield "reverse_sequence_batch_major", model(
        [node("ReverseSequence", ["x", "lens"], ["y"], batch_axis=0,
              time_axis=1)],
        {"x": [3, 5, 2]}, ["y"], {"lens": np.array([5, 1, 3], np.int64)})
    yield "group_norm_per_group_opset18", model(
        [node("GroupNormalization", ["x", "s", "b"], ["y"], num_groups=3,
              epsilon=1e-3)],
        {"x": [2, 6, 4, 3]}, ["y"], {"s": rand(3), "b": rand(3)}, opset=18)
    yield "dft_onesided_length", model(
        [node("DFT", ["x", "n"], ["y"], axis=1, onesided=1)],
        {"x": [2, 8, 1]}, ["y"], {"n": np.array(6, np.int64)}, opset=17)
    yield "dft_inverse_complex", model(
        [node("DFT", ["x"], ["y"], axis=2, inverse=1)],
        {"x": [1, 3, 7, 2]}, ["y"], opset=17)
    yield "stft_window_onesided", model(
        [node("STFT", ["x", "step", "w"], ["y"])],
        {"x": [2, 40, 1]}, ["y"],
        {"step": np.array(6, np.int64),
         "w": np.hanning(10).astype(np.float32)}, opset=17)
    # (ONNX Runtime 1.20.1 miscomputes frames after the first for a complex
    # signal; onnxc matches ONNX's reference there, see the node tests.)
    yield "stft_frame_length_two_sided", model(
        [node("STFT", ["x", "step", "", "len"], ["y"], onesided=0)],
        {"x": [1, 30, 1]}, ["y"],
        {"step": np.array(4, np.int64), "len": np.array(7, np.int64)},
        opset=17)
    yield "mel_weight_matrix", model(
        [node("MelWeightMatrix", ["bins", "dft", "rate", "lo", "hi"], ["y"])],
        {}, ["y"],
        {"bins": np.array(10, np.int64), "dft": np.array(64, np.int64),
         "rate": np.array(16000, np.int64), "lo": np.array(100, np.float32),
         "hi": np.array(7000, np.float32)}, opset=17)
    yield "roi_align_avg_half_pixel", model(
        [node("RoiAlign", ["x", "rois", "idx"], ["y"], output_height=3,
              output_width=4, sampling_ratio=3, spatial_scale=0.5)],
        {"x": [2, 3, 9, 8]}, ["y"],
        {"rois": np.array([[0, 0, 15, 17], [3.5, 2, 9, 20], [-4, -3, 30, 5]],
                          np.float32),
         "idx": np.array([1, 0, 1], np.int64)}, opset=16)
    # Strings: integers formatted, concatenated, split, matched, normalized.
    # (Floats are formatted as ONNX's reference does, numpy's shortest
    # round-trip digits; ONNX Runtime prints 8 significant digits.)
    S = TensorProto.STRING
    yield "string_ops", model(
        [node("Mul", ["x", "ten"], ["m"]), node("Floor", ["m"], ["f"]),
         node("Cast", ["f"], ["i"], to=TensorProto.INT32),
         node("Cast", ["i"], ["s"], to=S),
         node("StringConcat", ["s", "tail"], ["c"]),
         node("StringSplit", ["c"], ["parts", "counts"], delimiter=","),
         node("StringSplit", ["c"], ["words", "n"], maxsplit=1),
         node("RegexFullMatch", ["c"], ["match"], pattern=r"-?1\d*[a-z,]*"),
         node("Reshape", ["c", "flat"], ["r"]),
         node("StringNormalizer", ["r"], ["upper"], case_change_action="UPPER",
              locale="C.UTF-8"),
         node("StringNormalizer", ["tail"], ["norm"], case_change_action="LOWER",
              stopwords=["A,B"], locale="C.UTF-8"),
         node("Equal", ["c", "tail"], ["same"])],
        {"x": [2, 3]},
        ["parts", "counts", "words", "match", "upper", "norm", "same"],
        {"ten": np.array(10, np.float32),
         "tail": np.array(["a,b", ",", "c,, d"], dtype=object),
         "flat": np.array([6], np.int64)}, opset=20,
        out_type=[S, TensorProto.INT64, S, TensorProto.BOOL, S, S,
                  TensorProto.BOOL])
    # ai.onnx.ml: Binarizer, ArrayFeatureExtractor, LabelEncoder.
    def ml(m, version):
        m.opset_import.append(helper.make_opsetid("ai.onnx.ml", version))
        return m
    yield "ml_binarizer_feature_extractor", ml(model(
        [helper.make_node("Binarizer", ["x"], ["b"], domain="ai.onnx.ml",
                          threshold=0.25),
         helper.make_node("ArrayFeatureExtractor", ["x", "cols"], ["z"],
                          domain="ai.onnx.ml")],
        {"x": [3, 5]}, ["b", "z"], {"cols": np.array([4, 0, 2], np.int64)}),
        1)
    yield "ml_label_encoder", ml(model(
        [node("Mul", ["x", "two"], ["m"]), node("Round", ["m"], ["r"]),
         node("Cast", ["r"], ["k"], to=TensorProto.INT64),
         helper.make_node("LabelEncoder", ["k"], ["f"], domain="ai.onnx.ml",
                          keys_int64s=[-2, -1, 0, 1, 2],
                          values_floats=[0.5, 1.5, 2.5, 3.5, 4.5],
                          default_float=-7.0),
         helper.make_node("LabelEncoder", ["k"], ["s"], domain="ai.onnx.ml",
                          keys_int64s=[0, 1, -1],
                          values_strings=["zero", "one", "minus one"],
                          default_string="other"),
         helper.make_node("LabelEncoder", ["s"], ["back"], domain="ai.onnx.ml",
                          keys_strings=["one", "zero", "other"],
                          values_int64s=[1, 0, 99])],
        {"x": [4, 6]}, ["f", "s", "back"], {"two": np.array(2, np.float32)},
        out_type=[TensorProto.FLOAT, TensorProto.STRING, TensorProto.INT64]),
        2)
    yield "two_outputs_shared", model(
        [node("Relu", ["x"], ["y"]), node("Identity", ["y"], ["z"])],
        {"x": [4, 4]}, ["y", "z"])
    # Concats whose operands are kernel results read by nothing else: the
    # kernels write straight into the Concat's storage. A fire module
    # (a 13x13 Winograd output transform, its last tiles' row and column
    # dropped, among the producers)
    # whose Concat is the graph's output; its Concat feeding a MaxPool; a
    # batch of 2 (not in place). The 3x3 expand conv is an F(4x4, 3x3)
    # Winograd conv over 16x16 tiles (outputs up to about 180).
    def fire(x, out):
        return [node("Conv", [x, "sw", "sb"], ["sq0"]),
                node("Relu", ["sq0"], ["sq"]),
                node("Conv", ["sq", "e1w", "e1b"], ["e10"]),
                node("Relu", ["e10"], ["e1"]),
                node("Conv", ["sq", "e3w", "e3b"], ["e30"], pads=[1, 1, 1, 1]),
                node("Relu", ["e30"], ["e3"]),
                node("Concat", ["e1", "e3"], [out], axis=1)]
    fire_weights = {"sw": rand(16, 32, 1, 1), "sb": rand(16),
                    "e1w": rand(24, 16, 1, 1), "e1b": rand(24),
                    "e3w": rand(24, 16, 3, 3), "e3b": rand(24)}
    yield "concat_in_place_fire", model(fire("x", "y"), {"x": [1, 32, 13, 13]},
                                        ["y"], fire_weights), \
        WINOGRAD_F4_TOLERANCE
    yield "concat_in_place_then_pool", model(
        fire("x", "c") + [node("MaxPool", ["c"], ["y"], kernel_shape=[3, 3],
                               strides=[2, 2])],
        {"x": [1, 32, 13, 13]}, ["y"], fire_weights), WINOGRAD_F4_TOLERANCE
    yield "concat_batch2_copied", model(fire("x", "y"), {"x": [2, 32, 13, 13]},
                                        ["y"], fire_weights), \
        WINOGRAD_F4_TOLERANCE
    # Epilogues that read a value twice fuse into the kernel before them:
    # SiLU after a pointwise conv (a matrix product) and after a depthwise
    # conv (a direct conv), GELU after a stack of matrices times a matrix.
    yield "conv_1x1_silu", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Sigmoid", ["c"], ["s"]),
         node("Mul", ["c", "s"], ["y"])],
        {"x": [1, 24, 9, 11]}, ["y"], {"w": rand(40, 24, 1, 1), "b": rand(40)})
    # Transposes that move the input's innermost axis outside the two
    # innermost of the output run in square tiles transposed in registers:
    # NHWC -> NCHW with a layer scale and residual (tails on both tiled
    # axes: 18 and 40 are not multiples of 16), a rank-3 one, and 32-bit
    # integers (casts around it).
    yield "transpose_nhwc_nchw_residual", model(
        [node("Transpose", ["x"], ["t"], perm=[0, 3, 1, 2]),
         node("Mul", ["t", "s"], ["m"]), node("Add", ["m", "r"], ["y"])],
        {"x": [1, 20, 18, 40], "r": [1, 40, 20, 18]}, ["y"],
        {"s": rand(40, 1, 1)})
    yield "transpose_rank3_block", model(
        [node("Transpose", ["x"], ["y"], perm=[2, 0, 1])],
        {"x": [33, 50, 20]}, ["y"])
    yield "transpose_nhwc_nchw_int32", model(
        [node("Cast", ["x"], ["i"], to=TensorProto.INT32),
         node("Transpose", ["i"], ["t"], perm=[0, 3, 1, 2]),
         node("Cast", ["t"], ["y"], to=TensorProto.FLOAT)],
        {"x": [2, 17, 19, 24]}, ["y"])
    # A projection to 24 channels on a 28x28 map: three row tiles of 8
    # inside each column tile (columns across threads), residual Add.
    yield "conv_1x1_project_24_residual", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["y"])],
        {"x": [1, 96, 28, 28], "r": [1, 24, 28, 28]}, ["y"],
        {"w": rand(24, 96, 1, 1), "b": rand(24)})
    yield "conv_depthwise_silu", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=32, pads=[2, 2, 2, 2]),
         node("Sigmoid", ["c"], ["s"]), node("Mul", ["c", "s"], ["y"])],
        {"x": [1, 32, 14, 14]}, ["y"], {"w": rand(32, 1, 5, 5), "b": rand(32)})
    # Depthwise convs on maps narrower than a vector run along each
    # channel's flat padded plane (channels not a multiple of a vector):
    # 7x7 with Clip after it; 5x5, dilated, uneven pads, a map 13 wide and
    # 11 high, no bias.
    yield "conv_depthwise_flat_7x7", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=40, pads=[1, 1, 1, 1]),
         node("Clip", ["c", "lo", "hi"], ["y"])],
        {"x": [1, 40, 7, 7]}, ["y"],
        {"w": rand(40, 1, 3, 3), "b": rand(40),
         "lo": np.array(0, np.float32), "hi": np.array(6, np.float32)})
    # Depthwise convs on maps of 7 columns or fewer (or narrower than a
    # vector with 7x7 taps), channels a multiple of 16: over blocks of
    # channels, channels innermost. 3x3 at 7x7 with Clip, 5x5 strided 14
    # -> 7, 7x7 taps at 14x14, dilated with uneven pads and no bias, a
    # batch of two strided along the width only, 48 channels (three
    # blocks with AVX-512, six with AVX2).
    yield "conv_depthwise_blocked_7x7_clip", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=32, pads=[1, 1, 1, 1]),
         node("Clip", ["c", "lo", "hi"], ["y"])],
        {"x": [1, 32, 7, 7]}, ["y"],
        {"w": rand(32, 1, 3, 3), "b": rand(32),
         "lo": np.array(0, np.float32), "hi": np.array(6, np.float32)})
    yield "conv_depthwise_blocked_5x5_stride2", conv_case(
        [1, 32, 14, 14], [32, 1, 5, 5], group=32, strides=[2, 2],
        pads=[2, 2, 2, 2])
    yield "conv_depthwise_blocked_7x7_taps", conv_case(
        [1, 16, 14, 14], [16, 1, 7, 7], group=16, pads=[3, 3, 3, 3])
    yield "conv_depthwise_blocked_dilated_pads", conv_case(
        [1, 16, 6, 7], [16, 1, 3, 3], b=False, group=16, dilations=[2, 2],
        pads=[1, 3, 2, 0])
    yield "conv_depthwise_blocked_batch2", conv_case(
        [2, 48, 5, 13], [48, 1, 3, 3], group=48, strides=[1, 2],
        pads=[1, 1, 1, 1])
    yield "conv_depthwise_flat_dilated_pads", conv_case(
        [1, 24, 11, 13], [24, 1, 5, 5], b=False, group=24, dilations=[2, 2],
        pads=[3, 4, 5, 2])
    # Depthwise convs with 3x3 taps and unit strides over rows of three
    # vectors or more: the padded plane per channel, blocks of four rows
    # (13 rows: the last block shifted; 56 and 60 columns: the last vector
    # shifted with AVX-512), the conv stored per block before the SiLU. A
    # batch of two, dilated, uneven pads, no bias; a map of three rows.
    yield "conv_depthwise_rows_silu", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=16, pads=[1, 1, 1, 1]),
         node("Sigmoid", ["c"], ["s"]), node("Mul", ["c", "s"], ["y"])],
        {"x": [1, 16, 13, 56]}, ["y"], {"w": rand(16, 1, 3, 3), "b": rand(16)})
    yield "conv_depthwise_rows_dilated_batch2", conv_case(
        [2, 8, 9, 60], [8, 1, 3, 3], b=False, group=8, dilations=[2, 2],
        pads=[2, 1, 1, 2])
    yield "conv_depthwise_rows_short_map", conv_case(
        [1, 5, 3, 50], [5, 1, 3, 3], group=5, pads=[1, 1, 1, 1])
    yield "matmul_stacked_gelu", model(
        [node("MatMul", ["x", "w"], ["m"]), node("Add", ["m", "b"], ["a"]),
         node("Div", ["a", "r2"], ["d"]), node("Erf", ["d"], ["e"]),
         node("Add", ["e", "one"], ["e1"]), node("Mul", ["a", "e1"], ["g"]),
         node("Mul", ["g", "half"], ["y"])],
        {"x": [2, 9, 24]}, ["y"],
        {"w": rand(24, 40), "b": rand(40),
         "r2": np.array(np.sqrt(2), np.float32),
         "one": np.array(1, np.float32), "half": np.array(0.5, np.float32)})
    # Strided depthwise convs over rows of fewer than three vectors: each
    # channel's padded plane split into the width's phases, taps written
    # out. A batch of two, 5x5 with uneven pads, dilation, stride 3 along
    # the width only, and no padding with a last window short of the edge.
    yield "conv_depthwise_phases_5x5_batch2", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=20, strides=[2, 2],
              pads=[2, 1, 1, 2]),
         node("Clip", ["c", "lo", "hi"], ["y"])],
        {"x": [2, 20, 27, 29]}, ["y"],
        {"w": rand(20, 1, 5, 5), "b": rand(20),
         "lo": np.array(0, np.float32), "hi": np.array(6, np.float32)})
    yield "conv_depthwise_phases_dilated", conv_case(
        [1, 12, 17, 19], [12, 1, 3, 3], group=12, strides=[2, 2],
        dilations=[2, 2], pads=[2, 2, 1, 1])
    yield "conv_depthwise_phases_stride3", conv_case(
        [1, 8, 9, 40], [8, 1, 3, 3], group=8, strides=[1, 3],
        pads=[1, 0, 1, 1])
    yield "conv_depthwise_phases_unpadded", conv_case(
        [1, 12, 14, 14], [12, 1, 3, 3], b=False, group=12, strides=[2, 2])
    # A pointwise conv on a 14x14 map: tiles of one vector by 16 rows (196
    # columns, the last tile shifted inwards), 40 rows (the last row tile
    # shifted too), a residual Add and Relu after it.
    yield "conv_pointwise_one_vector_tiles", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["a"]),
         node("Relu", ["a"], ["y"])],
        {"x": [1, 144, 14, 14], "r": [1, 40, 14, 14]}, ["y"],
        {"w": rand(40, 144, 1, 1), "b": rand(40)})
    # B (64 x 3136 floats) outgrows half of L2: the columns in blocks of
    # 1024, the last (64 columns) its own loop; at batch 2 too.
    yield "conv_pointwise_column_blocks", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["a"]),
         node("Relu", ["a"], ["y"])],
        {"x": [2, 64, 56, 56], "r": [2, 256, 56, 56]}, ["y"],
        {"w": rand(256, 64, 1, 1), "b": rand(256)})
    # B (256 x 3136 floats) in blocks of 256 columns, thirteen of them
    # across threads, the last (64 columns) shorter; at batch 2 too. Sums
    # of 256 products: an output near zero can miss atol 1e-5.
    yield "conv_pointwise_parallel_column_blocks", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["a"]),
         node("Relu", ["a"], ["y"])],
        {"x": [2, 256, 56, 56], "r": [2, 64, 56, 56]}, ["y"],
        {"w": rand(64, 256, 1, 1), "b": rand(64)}), LONG_SUM_TOLERANCE
    # F(2x2, 3x3) over a 7x7 map (16 tiles over 8x8) with transformed
    # weights beyond 1 MiB (16 x 136 x 136 floats), a residual after it.
    yield "conv_winograd_f2_streamed_7x7", model(
        [node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
         node("Add", ["c", "r"], ["a"]), node("Relu", ["a"], ["y"])],
        {"x": [1, 136, 7, 7], "r": [1, 136, 7, 7]}, ["y"],
        {"w": rand(136, 136, 3, 3), "b": rand(136)}), LONG_SUM_TOLERANCE
    # gemm_packed products reading their activations B in place: B
    # batched like the product (batch across threads), or broadcast over
    # its outer batch dim (rows across threads; 25 columns in tiles of 9,
    # the last repeating column 24).
    yield "matmul_packed_batched", model(
        [node("MatMul", ["w", "x"], ["y"])], {"x": [4, 256, 49]}, ["y"],
        {"w": rand(4, 256, 256)}), LONG_SUM_TOLERANCE
    yield "matmul_packed_broadcast_b", model(
        [node("MatMul", ["w", "x"], ["y"])], {"x": [3, 128, 25]}, ["y"],
        {"w": rand(2, 3, 64, 128)}), LONG_SUM_TOLERANCE
    # Wide gemm_packed products (AVX-512): each tile of 32 rows by a few
    # columns over the whole reduction. 1024 -> 256 channels at 14x14 with
    # a residual (196 columns in tiles of 7), batch 2; 512 -> 64 at 13x13
    # (169 columns in tiles of 10, the last repeating column 168).
    yield "conv_pointwise_packed_wide", model(
        [node("Conv", ["x", "w", "b"], ["c"]), node("Add", ["c", "r"], ["a"]),
         node("Relu", ["a"], ["y"])],
        {"x": [2, 1024, 14, 14], "r": [2, 256, 14, 14]}, ["y"],
        {"w": rand(256, 1024, 1, 1), "b": rand(256)}), LONG_SUM_TOLERANCE
    yield "conv_pointwise_packed_wide_13x13", model(
        [node("Conv", ["x", "w"], ["c"]), node("Relu", ["c"], ["y"])],
        {"x": [1, 512, 13, 13]}, ["y"],
        {"w": rand(64, 512, 1, 1)}), LONG_SUM_TOLERANCE
    # A 3x3 depthwise conv and the pointwise conv after it, one kernel
    # (onnxc-fuse-depthwise): the depthwise result computed per block of
    # rows where the product reads it. 112 columns (blocks of 4 rows), 56
    # (vectors of 8 with AVX-512; dilated, no bias, a residual Add after
    # the product), a map of 7 rows that no block divides (one block, the
    # product's last tile shifted), and a batch of two.
    clip = {"lo": np.array(0, np.float32), "hi": np.array(6, np.float32)}
    yield "conv_depthwise_pointwise_fused", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=32, pads=[1, 1, 1, 1]),
         node("Clip", ["c", "lo", "hi"], ["d"]),
         node("Conv", ["d", "w2", "b2"], ["y"])],
        {"x": [1, 32, 20, 112]}, ["y"],
        {"w": rand(32, 1, 3, 3), "b": rand(32), "w2": rand(16, 32, 1, 1),
         "b2": rand(16), **clip})
    yield "conv_depthwise_pointwise_dilated_residual", model(
        [node("Conv", ["x", "w"], ["c"], group=24, pads=[2, 2, 2, 2],
              dilations=[2, 2]),
         node("Relu", ["c"], ["d"]), node("Conv", ["d", "w2", "b2"], ["p"]),
         node("Add", ["p", "x"], ["y"])],
        {"x": [1, 24, 16, 56]}, ["y"],
        {"w": rand(24, 1, 3, 3), "w2": rand(24, 24, 1, 1), "b2": rand(24)})
    yield "conv_depthwise_pointwise_whole_map", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=16, pads=[1, 1, 1, 1]),
         node("Clip", ["c", "lo", "hi"], ["d"]),
         node("Conv", ["d", "w2"], ["y"])],
        {"x": [1, 16, 7, 48]}, ["y"],
        {"w": rand(16, 1, 3, 3), "b": rand(16), "w2": rand(40, 16, 1, 1),
         **clip})
    yield "conv_depthwise_pointwise_batch2", model(
        [node("Conv", ["x", "w", "b"], ["c"], group=16, pads=[1, 1, 1, 1]),
         node("Conv", ["c", "w2", "b2"], ["y"])],
        {"x": [2, 16, 8, 64]}, ["y"],
        {"w": rand(16, 1, 3, 3), "b": rand(16), "w2": rand(8, 16, 1, 1),
         "b2": rand(8)})


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--onnxc-run", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--target", default="host")
    parser.add_argument("--filter", help="regex on case names")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)

    failures = []
    count = 0
    for case in cases():
        name, m = case[:2]
        if args.filter and not re.search(args.filter, name):
            continue
        rtol, atol = case[2] if len(case) > 2 else TOLERANCE
        count += 1
        d = os.path.join(args.workdir, name)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "model.onnx")
        onnx.save(m, path)
        feeds = {i.name: rand(*[x.dim_value for x in
                                i.type.tensor_type.shape.dim])
                 for i in m.graph.input}
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        expected = sess.run(None, feeds)
        # The outputs are declared as ONNX Runtime computes them, as an
        # exporter would: results whose shape depends on data need it.
        for out, value in zip(m.graph.output, expected):
            out.type.CopyFrom(helper.make_tensor_type_proto(
                helper.np_dtype_to_tensor_dtype(value.dtype), value.shape))
        onnx.save(m, path)
        cmd = [args.onnxc_run, path, "--target", args.target, "--inputs"]
        for k, (n, v) in enumerate(feeds.items()):
            p = os.path.join(d, "input_%d.npy" % k)
            np.save(p, v)
            cmd.append(p)
        cmd.append("--compare")
        for k, v in enumerate(expected):
            if v.dtype == object:  # strings: a TensorProto
                p = os.path.join(d, "expected_%d.pb" % k)
                with open(p, "wb") as f:
                    f.write(numpy_helper.from_array(v).SerializeToString())
            else:
                p = os.path.join(d, "expected_%d.npy" % k)
                np.save(p, v)
            cmd.append(p)
        cmd += ["--rtol", str(rtol), "--atol", str(atol)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        ok = proc.returncode == 0
        print("%-28s %s" % (name, "ok" if ok else "FAIL"))
        if not ok:
            failures.append(name)
            sys.stdout.write(proc.stdout + proc.stderr)
    print("%d passed, %d failed" % (count - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
