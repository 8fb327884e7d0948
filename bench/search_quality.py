#!/usr/bin/env python3
"""Search quality on the exhaustive table bench/fashion-mlp-table.csv (see bench/README.md).

For each target window (params ranges of bench/table-space.yaml) and each seed, runs every
method for at most BUDGET evaluations (20% of the 1,296-architecture space) and records the
order in which it evaluated architectures:

  layernas-H{H}k{k}  `layernas search --strategy layernas --buckets H --per-bucket k`
  random             `layernas search --strategy random` (uniform over in-window architectures)
  evolution          `layernas search --strategy evolution` (regularized evolution, P=20, S=5)
  optuna-tpe         Optuna's TPESampler(seed=seed) with its defaults (Optuna 5: multivariate
                     TPE for one objective, 10 random startup trials) over the same 4
                     categorical choices, replayed on the table, over the same seeds as the
                     other methods (skipped when optuna is not importable). An architecture
                     outside the window or already seen costs no evaluation (its cost is known
                     without training, as layernas knows it): TPE is told a penalty score (the
                     table's minimum) or the cached score (Optuna's FAQ way for duplicates) and
                     samples again, up to 3 x BUDGET trials.

Cost of the TPE reference (Optuna 5.0, measured with cProfile on 2 cores): a run of 780 trials
takes 2.5-3 s alone (3.7 s on average while sharing the cores with the rest), ~85% of it in the
sampler rebuilding its Parzen estimators from every past trial at each ask: O(trials) per ask,
O(trials^2) per run; the in-memory ask/tell is a small rest. So TPE runs unchanged, over all
seeds: its 90 runs (3 windows x 30 seeds) go to worker processes next to the layernas
subprocesses and add about 1.5 minutes to the wall time (about 4.5 minutes in all).
Measured over 30 seeds and left out: Trial.set_constraint (Optuna's constrained TPE, violation =
log distance of params to the window) instead of the penalty gives the same figures and the same
share of out-of-window trials, ~20% slower; telling repeats as FAIL (left out of TPE's model)
makes TPE resample the same architectures (~710 repeats in 780 trials, optimum found in 13-23 of
30 runs), against it. A repeat can't be skipped without a trial: TPE samples when the trial
asks for its parameters.

All layernas runs replay the table with `--evaluator table:...`. An evaluation is a trained
architecture, in or out of the window (LayerNAS trains some out-of-window parents by design).
Regret after n evaluations = in-window optimum - best in-window score among the first n
evaluations (before any in-window hit: optimum - worst in-window score), in accuracy points.

Outputs (in --out-dir): search-quality-runs.csv (one row per run), search-quality.csv (one row
per window x method), search-quality.svg (mean regret vs evaluations, one panel per window).
"""
import argparse
import concurrent.futures as futures
import csv
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WINDOWS = [("small", 20000, 60000), ("medium", 100000, 200000), ("large", 400000, 1200000)]
LAYERNAS_SETTINGS = [(100, 3), (20, 3), (10, 1)]  # (H, k); P = Q = 2 (defaults)

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--bin", default=os.path.join(HERE, "..", ".build", "release", "layernas"))
parser.add_argument("--table", default=os.path.join(HERE, "fashion-mlp-table.csv"))
parser.add_argument("--space", default=os.path.join(HERE, "table-space.yaml"))
parser.add_argument("--seeds", type=int, default=30)
parser.add_argument("--jobs", type=int, default=2)
parser.add_argument("--out-dir", default=os.path.join(HERE, "results"))
parser.add_argument("--no-optuna", action="store_true")
args = parser.parse_args()


def load_table(path):
    with open(path, newline="") as handle:
        return {row["arch"]: (float(row["score"]), int(row["params"])) for row in csv.DictReader(handle)}


TABLE = load_table(args.table)
SPACE_SIZE = len(TABLE)
BUDGET = math.ceil(0.20 * SPACE_SIZE)
CHECKPOINTS = [("5%", math.ceil(0.05 * SPACE_SIZE)), ("10%", math.ceil(0.10 * SPACE_SIZE)), ("20%", BUDGET)]


def window_spec(directory, name, low, high):
    with open(args.space) as handle:
        text = handle.read()
    lines = [f"target: {{metric: params, min: {low}, max: {high}}}" if line.startswith("target:") else line
             for line in text.splitlines()]
    path = os.path.join(directory, f"space-{name}.yaml")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def run_layernas(directory, spec, window, method, extra, seed):
    database = os.path.join(directory, f"{window}-{method}-{seed}.db")
    command = [args.bin, "search", database, "--space", spec, "--evaluator", f"table:{args.table}",
               "--seed", str(seed), "--budget", str(BUDGET), "--quiet"] + extra
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    query = subprocess.run([args.bin, "query", database,
                            "SELECT arch FROM candidates WHERE status IN ('evaluated', 'failed') ORDER BY seq",
                            "--format", "csv"], check=True, capture_output=True, text=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    return [line.strip() for line in query.stdout.splitlines()[1:] if line.strip()]


def run_optuna(window, low, high, seed):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    labels = [sorted({key.split("-")[i] for key in TABLE}) for i in range(4)]
    penalty = min(score for score, _ in TABLE.values())
    seen, order = {}, []
    started = time.perf_counter()
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    trials = 0
    while len(order) < BUDGET and trials < 3 * BUDGET:
        trial = study.ask()
        key = "-".join(trial.suggest_categorical(f"hidden{i + 1}", labels[i]) for i in range(4))
        trials += 1
        score, params = TABLE[key]
        if not low <= params <= high:
            study.tell(trial, penalty)
        elif key in seen:
            study.tell(trial, seen[key])
        else:
            seen[key] = score
            order.append(key)
            study.tell(trial, score)
    return order, trials, time.perf_counter() - started


def trajectory(order, low, high):
    """Regret after each of BUDGET evaluations (the last value repeats if the run stopped)."""
    inside = [score for score, params in TABLE.values() if low <= params <= high]
    optimum, worst = max(inside), min(inside)
    best, curve = worst, []
    for key in order[:BUDGET]:
        score, params = TABLE[key]
        if low <= params <= high:
            best = max(best, score)
        curve.append(optimum - best)
    if not curve:
        curve = [optimum - worst]
    curve += [curve[-1]] * (BUDGET - len(curve))
    return curve


def quantiles(values):
    """Median and IQR; math.inf stands for 'not found within the budget'."""
    ordered = sorted(values)
    def at(q):
        position = q * (len(ordered) - 1)
        low, high = math.floor(position), math.ceil(position)
        if math.isinf(ordered[high]) or math.isinf(ordered[low]):
            return math.inf if math.isinf(ordered[high]) and math.isinf(ordered[low]) or q >= 0.5 and math.isinf(ordered[high]) else ordered[low]
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return at(0.5), at(0.25), at(0.75)


def show(value):
    return f">{BUDGET}" if math.isinf(value) else f"{value:.0f}"


def main():
    if not os.path.exists(args.bin):
        sys.exit(f"search_quality: no layernas binary at {args.bin} (make build)")
    os.makedirs(args.out_dir, exist_ok=True)
    use_optuna = not args.no_optuna
    skipped = None
    if use_optuna:
        try:
            import optuna  # noqa: F401
        except ImportError as error:
            use_optuna, skipped = False, f"optuna-tpe skipped: optuna not importable ({error}); run bench/peers.sh"
    if args.no_optuna:
        skipped = "optuna-tpe skipped: --no-optuna"
    methods = [(f"layernas-H{h}k{k}", ["--strategy", "layernas", "--buckets", str(h), "--per-bucket", str(k)])
               for h, k in LAYERNAS_SETTINGS]
    methods += [("random", ["--strategy", "random"]), ("evolution", ["--strategy", "evolution"])]
    seeds = range(1, args.seeds + 1)
    started = time.monotonic()
    orders, optuna_costs = {}, []
    with tempfile.TemporaryDirectory(prefix="layernas-quality-") as directory:
        specs = {name: window_spec(directory, name, low, high) for name, low, high in WINDOWS}
        # The TPE runs (CPU-bound Python, ~3 s each) go to worker processes while the layernas
        # subprocesses (~0.5 s each, partly waiting on fsync) run from threads: both pools share
        # the cores, so the TPE runs add little to the wall time.
        with futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            jobs = {pool.submit(run_layernas, directory, specs[w], w, m, extra, s): (w, m, s)
                    for w, _, _ in WINDOWS for m, extra in methods for s in seeds}
            if use_optuna:
                with futures.ProcessPoolExecutor(max_workers=args.jobs) as processes:
                    optuna_jobs = {processes.submit(run_optuna, w, lo, hi, s): (w, "optuna-tpe", s)
                                   for w, lo, hi in WINDOWS for s in seeds}
                    for job in futures.as_completed(optuna_jobs):
                        order, trials, seconds = job.result()
                        orders[optuna_jobs[job]] = order
                        optuna_costs.append((trials, seconds))
            for job in futures.as_completed(jobs):
                orders[jobs[job]] = job.result()
    names = [m for m, _ in methods] + (["optuna-tpe"] if use_optuna else [])
    elapsed = time.monotonic() - started

    run_rows, summary_rows, curves = [], [], {}
    for window, low, high in WINDOWS:
        inside = sorted(((s, k) for k, (s, p) in TABLE.items() if low <= p <= high), reverse=True)
        for method in names:
            per_seed = []
            for seed in seeds:
                order = orders[(window, method, seed)]
                curve = trajectory(order, low, high)
                hits = [i + 1 for i, r in enumerate(curve) if r <= 1e-12]
                found = hits[0] if hits and hits[0] <= len(order) else math.inf
                per_seed.append((curve, found, len(order)))
                run_rows.append([window, method, seed, len(order)] + [f"{100 * curve[n - 1]:.3f}" for _, n in CHECKPOINTS]
                                + [show(found)])
            curves[(window, method)] = [statistics.fmean(c[i] for c, _, _ in per_seed) for i in range(BUDGET)]
            median, q1, q3 = quantiles([f for _, f, _ in per_seed])
            row = [window, low, high, len(inside), f"{100 * inside[0][0]:.2f}", inside[0][1], method, len(per_seed),
                   f"{statistics.fmean(u for _, _, u in per_seed):.0f}"]
            for _, n in CHECKPOINTS:
                values = [100 * c[n - 1] for c, _, _ in per_seed]
                row += [f"{statistics.fmean(values):.3f}", f"{statistics.median(values):.3f}"]
            row += [f"{sum(not math.isinf(f) for _, f, _ in per_seed) / len(per_seed):.2f}", show(median), show(q1), show(q3)]
            summary_rows.append(row)

    with open(os.path.join(args.out_dir, "search-quality-runs.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["window", "method", "seed", "evaluations_used"]
                        + [f"regret_pts_at_{n}" for _, n in CHECKPOINTS] + ["evals_to_optimum"])
        writer.writerows(run_rows)
    header = ["window", "params_min", "params_max", "in_window", "optimum_pct", "optimum_arch", "method", "seeds",
              "mean_evaluations_used"]
    for label, n in CHECKPOINTS:
        header += [f"mean_regret_pts_at_{n}", f"median_regret_pts_at_{n}"]
    header += ["found_optimum_fraction", "evals_to_optimum_median", "evals_to_optimum_q1", "evals_to_optimum_q3"]
    with open(os.path.join(args.out_dir, "search-quality.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(summary_rows)
    write_svg(os.path.join(args.out_dir, "search-quality.svg"), curves, names)

    print(f"search quality: {SPACE_SIZE} architectures, {args.seeds} seeds, budget {BUDGET} evaluations "
          f"(5/10/20% = {', '.join(str(n) for _, n in CHECKPOINTS)}), {elapsed:.0f} s")
    print("  regret in accuracy points (mean over seeds); evaluations to reach the in-window optimum: median [IQR]")
    for window, low, high in WINDOWS:
        rows = [r for r in summary_rows if r[0] == window]
        print(f"  window {window}: params {low}..{high}, {rows[0][3]} architectures inside, optimum {rows[0][5]} "
              f"{rows[0][4]}%")
        reference = next(r for r in rows if r[6] == "random")
        for r in rows:
            regrets = "  ".join(f"@{n}: {float(r[9 + 2 * i]):5.2f}" for i, (_, n) in enumerate(CHECKPOINTS))
            print(f"    {r[6]:18s} {regrets}   found {float(r[-4]):4.0%}  evals {r[-3]:>5s} [{r[-2]}, {r[-1]}]"
                  f"   used {r[8]:>4s}")
        del reference
    if optuna_costs:
        print(f"  optuna-tpe: {len(optuna_costs)} runs, mean {statistics.fmean(t for t, _ in optuna_costs):.0f} trials "
              f"and {statistics.fmean(s for _, s in optuna_costs):.1f} s per run (max {max(s for _, s in optuna_costs):.1f} s)")
    if skipped:
        print(f"  {skipped}")
    print(f"  written: {args.out_dir}/search-quality.csv, search-quality-runs.csv, search-quality.svg")


def write_svg(path, curves, names):
    colors = ["#1f77b4", "#6baed6", "#9ecae1", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"]
    width, height, panel_w, panel_h, left, top = 1020, 360, 300, 250, 60, 50
    peak = max(max(curve) for curve in curves.values()) * 100
    step = 10 ** math.floor(math.log10(peak)) if peak > 0 else 1
    top_value = math.ceil(peak / step) * step if peak > 0 else 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">Mean regret (accuracy points) vs evaluations, '
           f'{args.seeds} seeds, table of {SPACE_SIZE} Fashion-MNIST MLPs</text>']
    for p, (window, low, high) in enumerate(WINDOWS):
        x0 = left + p * (panel_w + 35)
        y0 = top
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 - 8}" text-anchor="middle">{window}: params {low:,}..{high:,}</text>')
        out.append(f'<rect x="{x0}" y="{y0}" width="{panel_w}" height="{panel_h}" fill="none" stroke="#888"/>')
        for t in range(0, 6):
            value = top_value * t / 5
            y = y0 + panel_h - panel_h * t / 5
            out.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
        for label, n in CHECKPOINTS:
            x = x0 + panel_w * n / BUDGET
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y0 + panel_h}" stroke="#ccc" stroke-dasharray="3,3"/>')
            out.append(f'<text x="{x:.1f}" y="{y0 + panel_h + 14}" text-anchor="middle">{n} ({label})</text>')
        for index, method in enumerate(names):
            curve = curves[(window, method)]
            points = " ".join(f"{x0 + panel_w * (i + 1) / BUDGET:.1f},{y0 + panel_h - panel_h * min(100 * v, top_value) / top_value:.1f}"
                              for i, v in enumerate(curve))
            out.append(f'<polyline fill="none" stroke="{colors[index % len(colors)]}" stroke-width="1.6" points="{points}">'
                       f'<title>{method}</title></polyline>')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 + panel_h + 30}" text-anchor="middle">evaluations</text>')
    for index, method in enumerate(names):
        x = left + index * 140
        out.append(f'<line x1="{x}" x2="{x + 20}" y1="{height - 12}" y2="{height - 12}" stroke="{colors[index % len(colors)]}" stroke-width="3"/>')
        out.append(f'<text x="{x + 25}" y="{height - 8}">{method}</text>')
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
