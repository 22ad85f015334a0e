#!/usr/bin/env bash
# Sets up and builds onnxc, compiles the bundled MNIST-size CNN with it,
# links the example program with the plain C compiler and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

out=build/example
mkdir -p "$out"
echo "+ onnxc examples/mnist/mnist.onnx -o $out/mnist.o"
build/bin/onnxc examples/mnist/mnist.onnx -o "$out/mnist.o" --name mnist
echo "+ cc main.c mnist.o -lonnxc_runtime -lpthread -lm"
cc -O2 -I"$out" -Iruntime/include examples/mnist/main.c "$out/mnist.o" \
  -Lbuild/lib -lonnxc_runtime -lpthread -lm -o "$out/mnist_example"
echo "+ $out/mnist_example"
"$out/mnist_example"
