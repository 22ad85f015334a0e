#!/usr/bin/env bash
# Sets up and builds onnxc, fuzzes the importer for 60 s under ASan and
# UBSan, then runs every test suite through ctest: unit (GoogleTest), lit
# (onnxc-opt/onnxc + FileCheck), end-to-end and import conformance.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/fuzz.sh 60
ctest --test-dir build --output-on-failure -j2
