#!/bin/sh
# peers.sh: install the benchmark references into bench/.venv (git-ignored): numpy (the
# system one is reused when present), PyTorch for the CPU, Optuna, threadpoolctl.
# The product never needs Python; only `make bench` compares against these.
# PyTorch: the CPU-only index first (~200 MB); if it is unreachable, plain PyPI (which also
# pulls CUDA wheels, several GB, but trains on the CPU just the same).
set -u
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/.venv"
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv --system-site-packages "$venv" || { echo "peers: cannot create $venv (python3-venv missing?)" >&2; exit 1; }
fi
pip="$venv/bin/python -m pip"
$pip install -q --upgrade pip >/dev/null 2>&1 || true
status=0
$pip install -q numpy threadpoolctl optuna || { echo "peers: numpy/optuna/threadpoolctl not installed" >&2; status=1; }
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  if ! $pip install -q torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null; then
    echo "peers: the PyTorch CPU index is unreachable; installing torch from PyPI (large download)" >&2
    $pip install -q torch || { echo "peers: torch not installed" >&2; status=1; }
  fi
fi
"$venv/bin/python" - <<'PY'
import importlib
for name in ("numpy", "torch", "optuna", "threadpoolctl"):
    try:
        module = importlib.import_module(name)
        print(f"peers: {name} {getattr(module, '__version__', '?')}")
    except Exception as error:
        print(f"peers: {name} missing ({error})")
PY
exit $status
