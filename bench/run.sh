#!/bin/sh
# run.sh: every benchmark of bench/README.md in one run, each figure next to its reference.
#   usage: bench/run.sh [LAYERNAS_BINARY]      (make bench builds the release binary first)
#   env:   BENCH_THREADS (2), BENCH_TRAIN_SUBSET (20000), BENCH_ROUNDS (3), BENCH_SEEDS (30),
#          BENCH_CANDIDATES (10000), BENCH_OPTUNA_TRIALS (= BENCH_CANDIDATES), BENCH_MILLION (1000000),
#          BENCH_SECTIONS ("1 1b 2 3 4": the sections to run, e.g. "1 4" skips the long quality run)
# Peers (numpy, PyTorch, Optuna) come from bench/.venv when `make bench-peers` made it, else
# from the system Python; a missing one is skipped with the reason. Figures: bench/results/
# (JSON/CSV/SVG per benchmark, and bench.txt: everything printed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../.build/release/layernas}
results=$here/results
threads=${BENCH_THREADS:-2}
mkdir -p "$results"
[ -x "$bin" ] || { echo "bench: no layernas binary at $bin (run make build)" >&2; exit 1; }
# Everything printed also goes to results/bench.txt (the figures the README quotes), once.
if [ -z "${BENCH_TRANSCRIPT:-}" ]; then
  rm -f "$results/.status"
  BENCH_TRANSCRIPT=1 "$0" "$@" 2>&1 | tee "$results/bench.txt"
  exit "$(cat "$results/.status" 2>/dev/null || echo 1)"
fi
python=""
if [ -x "$here/.venv/bin/python" ]; then python="$here/.venv/bin/python"
elif command -v python3 >/dev/null 2>&1; then python=python3; fi
status=0
sections=${BENCH_SECTIONS:-1 1b 2 3 4}
wanted() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }
# A section's Python part: skipped with the reason when not wanted or without python3.
runnable() {
  if ! wanted "$1"; then echo "  skipped (BENCH_SECTIONS=$sections)"; return 1; fi
  if [ -z "$python" ]; then echo "  skipped: no python3"; return 1; fi
}
date -u +"bench: %Y-%m-%d %H:%M UTC on $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" | tee "$results/machine.txt"

echo
echo "== 1. trainer: layernas vs sgemm (same run) and vs numpy / PyTorch (ratio layernas/peer)"
if wanted 1; then
# layernas and PyTorch alternate for BENCH_ROUNDS rounds (a shared machine drifts; the report gives
# every round's ratio and the median); numpy, far behind, runs once.
rounds=${BENCH_ROUNDS:-3}
rm -f "$results"/trainer-round-*.json "$results"/peer-torch-round-*.json
round=1
while [ "$round" -le "$rounds" ]; do
  echo "-- round $round of $rounds: layernas bench"
  nice -n 0 "$bin" bench --threads "$threads" --train-subset "${BENCH_TRAIN_SUBSET:-20000}" \
    --output "$results/trainer-round-$round.json" || status=1
  if [ -n "$python" ]; then
    echo "-- round $round of $rounds: bench/peers.py --framework torch"
    "$python" "$here/peers.py" --framework torch --threads "$threads" --train-subset "${BENCH_TRAIN_SUBSET:-20000}" \
      --output "$results/peer-torch-round-$round.json" >/dev/null 2>"$results/peer-torch.log"
  fi
  round=$((round + 1))
done
cp "$results/trainer-round-1.json" "$results/trainer.json" 2>/dev/null
# The kernel as set (above) and as layernas would choose it: when the user set OPENBLAS_CORETYPE,
# measure once more without it, so layernas picks the kernel from the CPU flags itself.
rm -f "$results/trainer-own-kernel.json"
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  echo
  echo "   again without the user's OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE, the kernel as layernas chooses it:"
  env -u OPENBLAS_CORETYPE -u LAYERNAS_REEXECED "$bin" bench --threads "$threads" \
    --train-subset "${BENCH_TRAIN_SUBSET:-20000}" --output "$results/trainer-own-kernel.json" || status=1
fi
out="$results/peer-numpy.json"
rm -f "$out" "$results/peer-torch.json"
if [ -n "$python" ]; then
  "$python" "$here/peers.py" --framework numpy --threads "$threads" \
    --train-subset "${BENCH_TRAIN_SUBSET:-20000}" --output "$out" >/dev/null 2>"$results/peer-numpy.log"
  cp "$results/peer-torch-round-1.json" "$results/peer-torch.json" 2>/dev/null
fi
# peers.py writes {"skipped": reason} itself when its framework is missing; anything else:
for framework in numpy torch; do
  out="$results/peer-$framework.json"
  [ -s "$out" ] || printf '{"framework": "%s", "skipped": "%s"}\n' "$framework" \
    "$( [ -n "$python" ] && tail -1 "$results/peer-$framework.log" | tr -d '"\\' || echo no python3)" > "$out"
done
if [ -n "$python" ] && [ -s "$results/trainer.json" ]; then "$python" "$here/trainer_report.py" "$results"; fi
else echo "  skipped (BENCH_SECTIONS=$sections)"; fi

echo
echo "== 1b. search throughput for each split of the cores between trainings (--jobs x --threads, and the default)"
if runnable 1b; then
  "$python" "$here/parallelism.py" --bin "$bin" --output "$results/parallelism.json" || status=1
fi

echo
echo "== 2. bookkeeping: per-evaluation cost of the store and loop vs Optuna with SQLite storage"
if runnable 2; then
  "$python" "$here/bookkeeping.py" --bin "$bin" --candidates "${BENCH_CANDIDATES:-10000}" \
    --optuna-trials "${BENCH_OPTUNA_TRIALS:-${BENCH_CANDIDATES:-10000}}" --million "${BENCH_MILLION:-1000000}" \
    --output "$results/bookkeeping.json" || status=1
fi

echo
echo "== 3. search quality on the exhaustive tables (MLP, CNN, synthetic): regret and Pareto hypervolume"
if runnable 3; then
  "$python" "$here/search_quality.py" --bin "$bin" --seeds "${BENCH_SEEDS:-30}" --out-dir "$results" || status=1
fi
echo
echo "== 4. end to end: layernas search vs an Optuna TPE loop training the same MLPs in PyTorch (make run's space, recipe, budget)"
if runnable 4; then
  "$python" "$here/e2e.py" --bin "$bin" --output "$results/e2e.json" || status=1
fi
echo
echo "bench: figures in $results/ (this transcript: $results/bench.txt)"
echo "$status" > "$results/.status"
exit $status
