#!/usr/bin/env bash
# Installs what onnxc needs on a Debian 12 machine (apt packages, a Python
# venv with the test tooling), then configures and builds it in build/.
# Safe to re-run: only missing pieces are installed, the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  pkg-config libjpeg-dev libpng-dev libtiff-dev libwebp-dev libopenjp2-7-dev
  cmake ninja-build ccache gcc g++ libc6-dev clang-format
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools
  libhalide14-0-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libfmt-dev libgtest-dev python3-venv libonnx-testdata
  clang-19 libclang-rt-19-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
fi

# The venv sees Debian's Python packages (--system-site-packages); pip adds
# the pinned test tooling. Re-installed only when requirements.txt changes.
VENV=build/venv
mkdir -p build
if [ ! -x "$VENV/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
# Two cores: never more than two compile jobs.
ninja -C build -j2
