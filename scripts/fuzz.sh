#!/usr/bin/env bash
# Builds the importer fuzzer with clang (libFuzzer + ASan + UBSan) in
# build-fuzz/ and runs it for SECONDS (default 60) from the seed corpus:
# the example model, every failing input kept in test/fuzz/regressions, and
# the ONNX backend test models. Exits non-zero on any finding. Needs what
# scripts/setup.sh installs (clang-19, libclang-rt-19-dev, build/venv).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DONNXC_FUZZ=ON
fi
ninja -C build-fuzz -j2 onnxc-import-fuzzer

corpus=build-fuzz/corpus
mkdir -p "$corpus"
cp examples/mnist/mnist.onnx "$corpus/"
# The ONNX backend test models reach every part of the importer.
data=$(ls -d build/venv/lib/python3*/site-packages/onnx/backend/test/data 2>/dev/null | head -1)
if [ -n "$data" ]; then
  i=0
  for m in "$data"/node/*/model.onnx "$data"/simple/*/model.onnx; do
    cp "$m" "$corpus/backend-$i.onnx"
    i=$((i + 1))
  done
fi
# Inputs that once found a bug are replayed first, then fuzzing goes on.
build-fuzz/bin/onnxc-import-fuzzer -runs=0 test/fuzz/regressions
ASAN_OPTIONS=detect_leaks=1 build-fuzz/bin/onnxc-import-fuzzer \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=20 \
  -print_final_stats=1 -artifact_prefix=build-fuzz/ \
  "$corpus" test/fuzz/regressions
