#!/bin/sh
# make-table.sh: regenerate an exhaustive table of the search-quality benchmark with the built-in
# trainer: bench/fashion-mlp-table.csv from bench/table-space.yaml (the default), or with
# SPACE=bench/cnn-table-space.yaml OUT=bench/fashion-cnn-table.csv the CNN table (recipe in the
# space file).
# Every architecture of the space is trained once per recipe seed (SEEDS, default "1 2 3"),
# JOBS searches at a time with one BLAS thread each (default 2 on 2 cores); the score is the
# mean validation accuracy over the seeds; per-seed scores are kept as extra columns.
# The MLP table takes about 20-30 minutes on 2 cores. Resumable: run it again after an interruption.
#   usage: bench/make-table.sh [LAYERNAS_BINARY]   (env: SPACE, SEEDS, JOBS, WORK, OUT)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../.build/release/layernas}
seeds=${SEEDS:-1 2 3}
jobs=${JOBS:-2}
space=${SPACE:-$here/table-space.yaml}
work=${WORK:-$here/results/table-$(basename "$space" .yaml)}
out=${OUT:-$here/fashion-mlp-table.csv}
mkdir -p "$work"
[ -x "$bin" ] || { echo "make-table: no layernas binary at $bin (make build)" >&2; exit 1; }

train_seed() {
  seed=$1
  sed "s/^  seed: 1$/  seed: $seed/" "$space" > "$work/space-seed$seed.yaml"
  grep -q "^  seed: $seed$" "$work/space-seed$seed.yaml"
  nice -n 10 "$bin" search "$work/table-seed$seed.db" --space "$work/space-seed$seed.yaml" \
    --strategy exhaustive --threads 1 --quiet
  "$bin" query "$work/table-seed$seed.db" \
    "SELECT arch, score, params, madds FROM candidates WHERE status = 'evaluated' ORDER BY arch" \
    --format csv --output "$work/table-seed$seed.csv"
}

running=0
for seed in $seeds; do
  train_seed "$seed" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait; running=0; fi
done
wait

python3 - "$out" $(for seed in $seeds; do echo "$work/table-seed$seed.csv"; done) <<'PY'
import csv, sys
out, files = sys.argv[1], sys.argv[2:]
tables = []
for name in files:
    with open(name, newline="") as handle:
        tables.append({row["arch"]: row for row in csv.DictReader(handle)})
keys = sorted(tables[0])
assert all(sorted(t) == keys for t in tables), "seeds disagree on the architectures"
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["arch", "score", "params", "madds"] + [f"score_seed{i + 1}" for i in range(len(tables))])
    for key in keys:
        scores = [float(t[key]["score"]) for t in tables]
        writer.writerow([key, f"{sum(scores) / len(scores):.6f}", tables[0][key]["params"], tables[0][key]["madds"]]
                        + [f"{s:.4f}" for s in scores])
print(f"make-table: {len(keys)} architectures x {len(tables)} seeds -> {out}")
PY
