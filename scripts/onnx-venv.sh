#!/usr/bin/env bash
# Creates the Python virtual environment the ONNX round-trip tests use (`make test-onnx`):
# onnx (for onnx.checker), onnxruntime and numpy from PyPI, in .build/onnx-venv.
# Prints nothing but pip's own errors; exits non-zero when they cannot be installed, and the
# tests then skip with that reason.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${ONNX_VENV:-.build/onnx-venv}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import onnx, onnxruntime, numpy' 2>/dev/null; then
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check onnx onnxruntime numpy
"$VENV/bin/python" -c 'import onnx, onnxruntime, numpy; print("onnx", onnx.__version__, "onnxruntime", onnxruntime.__version__)'
