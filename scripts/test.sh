#!/usr/bin/env bash
# Sets up and builds onnxc, then runs every test suite through ctest:
# unit (GoogleTest), lit (onnxc-opt/onnxc + FileCheck) and end-to-end; then
# fuzzes the importer for 60 s under ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
scripts/fuzz.sh 60
