#!/usr/bin/env python3
"""Exports the vision models onnxc is measured on, with random weights and
a dynamic batch dim, and PyTorch's outputs for them.

For each model NAME this writes, under the output folder:
  NAME.onnx                  the model (opset 17, input `input` [N, ...],
                             output `output` [N, ...]);
  NAME.b1.input.npy, NAME.b1.output.npy   a batch of 1 and PyTorch's result;
  NAME.b8.input.npy, NAME.b8.output.npy   a batch of 8 and PyTorch's result.
Weights come from torch.manual_seed(0); nothing is downloaded. BatchNorm
statistics are randomised too, so that folding them is not a no-op.

scripts/setup.sh does not install torch. A venv of its own works, for
example `python3 -m venv /tmp/tv && /tmp/tv/bin/pip install torch==2.5.1
torchvision==0.20.1 numpy onnx` (PyPI's wheels, about 3 GB with CUDA
libraries the export does not use), then `/tmp/tv/bin/python
bench/models/make_models.py --out build/models`.
"""

import argparse
import os
import sys

MODELS = [
    "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small",
    "efficientnet_b0", "squeezenet1_1", "densenet121", "shufflenet_v2_x1_0",
    "googlenet", "regnet_y_400mf", "convnext_tiny", "unet",
]


def small_unet(torch):
    """A two-level U-Net: conv blocks, max pooling, a ConvTranspose and a
    bilinear Resize on the way up, skip connections by Concat."""
    nn = torch.nn

    def block(cin, cout):
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True), nn.Conv2d(cout, cout, 3, padding=1),
            nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc1, self.enc2 = block(3, 16), block(16, 32)
            self.mid = block(32, 64)
            self.pool = nn.MaxPool2d(2)
            self.up2 = nn.ConvTranspose2d(64, 32, 2, stride=2)
            self.dec2 = block(64, 32)
            self.up1 = nn.Upsample(scale_factor=2, mode="bilinear",
                                   align_corners=False)
            self.reduce1 = nn.Conv2d(32, 16, 1)
            self.dec1 = block(32, 16)
            self.head = nn.Conv2d(16, 2, 1)

        def forward(self, x):
            e1 = self.enc1(x)
            e2 = self.enc2(self.pool(e1))
            m = self.mid(self.pool(e2))
            d2 = self.dec2(torch.cat([self.up2(m), e2], 1))
            d1 = self.dec1(torch.cat([self.reduce1(self.up1(d2)), e1], 1))
            return self.head(d1)

    return UNet()


def build(name, torch, torchvision):
    if name == "unet":
        return small_unet(torch), (3, 128, 128)
    kwargs = {"weights": None}
    if name == "googlenet":
        kwargs.update(aux_logits=False, init_weights=True)
    model = getattr(torchvision.models, name)(**kwargs)
    return model, (3, 224, 224)


def randomise_batchnorm(model, torch):
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=g) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(n, generator=g) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(n, generator=g) * 0.1)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="build/models",
                        help="output folder (default: %(default)s)")
    parser.add_argument("models", nargs="*", default=MODELS,
                        help="models to export (default: all): " +
                        ", ".join(MODELS))
    args = parser.parse_args(argv)
    try:
        import numpy as np
        import torch
        import torchvision
    except ImportError as e:
        sys.exit("make_models.py: needs numpy, torch and torchvision (%s)" % e)
    for name in args.models:
        if name not in MODELS:
            sys.exit("make_models.py: unknown model '%s'" % name)
    os.makedirs(args.out, exist_ok=True)
    for name in args.models:
        torch.manual_seed(0)
        model, shape = build(name, torch, torchvision)
        randomise_batchnorm(model, torch)
        model.eval()
        path = os.path.join(args.out, name + ".onnx")
        with torch.no_grad():
            torch.onnx.export(
                model, torch.randn(1, *shape), path, opset_version=17,
                input_names=["input"], output_names=["output"],
                dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
                do_constant_folding=True,
                training=torch.onnx.TrainingMode.EVAL)
            for batch in (1, 8):
                g = torch.Generator().manual_seed(batch)
                x = torch.rand(batch, *shape, generator=g)
                y = model(x)
                stem = os.path.join(args.out, "%s.b%d" % (name, batch))
                np.save(stem + ".input.npy", x.numpy())
                np.save(stem + ".output.npy", y.numpy())
        print("%s: %s (%.1f MB)" % (name, path, os.path.getsize(path) / 1e6))


if __name__ == "__main__":
    main(sys.argv[1:])
