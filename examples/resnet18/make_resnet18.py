#!/usr/bin/env python3
"""Exports a randomly initialised torchvision ResNet-18 to ONNX."""

import argparse
import collections
import os
import sys


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", nargs="?", default="resnet18.onnx",
                        help="model path (default: %(default)s)")
    args = parser.parse_args(argv)

    try:
        import torch
        import torchvision
    except ImportError as e:
        sys.exit("make_resnet18.py: needs torch and torchvision (%s)" % e)

    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None)
    # Eval mode plus constant folding lets the exporter fold BatchNorm into
    # the preceding Conv, which is the graph shape inference engines see.
    model.eval()
    example = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.onnx.export(
            model,
            example,
            args.output,
            input_names=["input"],
            output_names=["output"],
            opset_version=13,
            do_constant_folding=True,
            export_params=True,
            training=torch.onnx.TrainingMode.EVAL,
        )

    try:
        import onnx
    except ImportError:
        print("wrote %s" % args.output)
        return 0
    exported = onnx.load(args.output)
    onnx.checker.check_model(exported)
    counts = collections.Counter(n.op_type for n in exported.graph.node)
    print("wrote %s (%d bytes)" % (args.output, os.path.getsize(args.output)))
    print("ops: " + ", ".join("%s=%d" % kv for kv in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
