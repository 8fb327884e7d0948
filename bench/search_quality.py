#!/usr/bin/env python3
"""Search quality on exhaustive tables: regret in target windows, hypervolume in Pareto mode.

Every table holds every architecture of its space (bench/README.md, section 3):

  fashion-mlp     fashion-mlp-table.csv, table-space.yaml: 1,296 MLPs trained on Fashion-MNIST;
                  params windows 20k-60k, 100k-200k, 400k-1.2M
  synth-smooth    synth-{smooth,interact,plateau}.csv, synth-space.yaml: 32,768 MLPs each,
  synth-interact  seeded landscapes (make_synthetic_tables.py); params windows 20k-30k,
  synth-plateau   120k-140k, 700k-900k
  fashion-cnn     fashion-cnn-table.csv, cnn-table-space.yaml (when the CSV exists): CNNs trained
                  on Fashion-MNIST; madds windows between the 10-25%, 45-60% and 80-95% quantiles
                  of the table's madds (quality_tables.QUANTILE_WINDOWS)

Regret mode, per table x window: budgets of 2.5, 5, 10 and 20% of the in-window count (rounded
up, at most 2,000), --seeds seeds (30). Methods:

  layernas        `layernas search --strategy layernas` (the anytime LayerNAS, the default)
  layernas-paper  `--strategy layernas-paper` (the paper's algorithm)
  random          `--strategy random` (uniform over in-window architectures, no repeats)
  evolution       `--strategy evolution` (regularized evolution, population 20, tournament 5)
  optuna-tpe      Optuna's TPESampler(seed) with its defaults replayed on the table (see
                  quality_tables.replay); needs optuna in the --python interpreter, else skipped

Each layernas run replays the table (`--evaluator table:CSV`) into a database on /dev/shm (when
it exists: fsync is free there) with the window written into a copy of the space; its
evaluation order comes from `layernas query DB "SELECT arch, in_window, status FROM candidates
ORDER BY seq"` (evaluated and failed candidates; the database is deleted right after). One run
per seed at the largest budget: a budget-n run is the first n evaluations of a longer run of the
same seed (every strategy is sequential and never looks at the budget; checked for each
strategy on two tables; the Optuna replays ask at most 3 x the largest budget trials, for every
budget, so they are prefixes too). An evaluation is one trained
architecture, in or out of the window (layernas-paper trains out-of-window parents by design).

  regret after n evaluations = in-window optimum - best in-window score among them (before any
  in-window evaluation: optimum - worst in-window score), in units of 1e-3 score (score =
  accuracy, so 1 = 0.1 accuracy points)

Reported per table x window x budget and method: median regret with IQR, the share of seeds that
found the optimum, the median evaluations to the optimum within the largest budget. The printout
marks with '!' the new default's median where it is above the best baseline's (every other
method, layernas-paper included).

Pareto mode, per table, no window (the space as it is, no target bounds), budgets --pareto-budgets
(100, 200, 400; at most the space size), --pareto-seeds seeds (10): hypervolume of the front of
the evaluated architectures over (score max, log10 cost min) with reference point (the table's
minimum score, its maximum log10 cost), as a share of the whole table's front's hypervolume.
Methods: layernas, layernas-paper, random, evolution, and Optuna's NSGAIISampler and TPESampler
with two objectives (MOTPE), defaults, when optuna is available.

Outputs in --out-dir: search-quality.csv (table x window x method x budget), search-quality-runs.csv
(one row per run and budget), search-quality-<table>.svg (median regret vs evaluations, one
panel per window), search-quality-pareto.csv and search-quality-pareto-runs.csv.
"""
import argparse
import concurrent.futures as futures
import csv
import io
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import quality_tables as qt  # noqa: E402

SYNTH_WINDOWS = [("small", 20000, 30000), ("middle", 120000, 140000), ("large", 700000, 900000)]
# name -> (CSV, space, cost metric, windows; None = quantile windows)
TABLES = {
    "fashion-mlp": ("fashion-mlp-table.csv", "table-space.yaml", "params",
                    [("small", 20000, 60000), ("middle", 100000, 200000), ("large", 400000, 1200000)]),
    "synth-smooth": ("synth-smooth.csv", "synth-space.yaml", "params", SYNTH_WINDOWS),
    "synth-interact": ("synth-interact.csv", "synth-space.yaml", "params", SYNTH_WINDOWS),
    "synth-plateau": ("synth-plateau.csv", "synth-space.yaml", "params", SYNTH_WINDOWS),
    "fashion-cnn": ("fashion-cnn-table.csv", "cnn-table-space.yaml", "madds", None),
}
DEFAULT = "layernas"
BINARY_METHODS = ["layernas", "layernas-paper", "random", "evolution"]
OPTUNA_REGRET = {"optuna-tpe": "tpe"}
OPTUNA_PARETO = {"optuna-nsga2": "nsga2", "optuna-motpe": "motpe"}
OPTUNA_CHUNK = 5   # seeds per Optuna worker process (one import of optuna per chunk)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", ".build", "release", "layernas"))
    venv = os.path.join(HERE, ".venv", "bin", "python3")
    parser.add_argument("--python", default=venv if os.path.exists(venv) else "python3",
                        help="interpreter for the Optuna replays (default bench/.venv/bin/python3, else python3)")
    parser.add_argument("--tables", default=",".join(TABLES),
                        help="comma-separated subset of " + ", ".join(TABLES))
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--pareto-seeds", type=int, default=10)
    parser.add_argument("--pareto-budgets", default="100,200,400")
    parser.add_argument("--no-optuna", action="store_true")
    parser.add_argument("--no-pareto", action="store_true")
    parser.add_argument("--no-regret", action="store_true")
    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 2))
    parser.add_argument("--out-dir", default=os.path.join(HERE, "results"))
    return parser.parse_args()


ARGS = arguments()


# ---- running ---------------------------------------------------------------------------------

def write_spec(directory, space, metric, window, name):
    """A copy of the space with the target line replaced (window None: no bounds)."""
    with open(space) as handle:
        lines = handle.read().splitlines()
    target = (f"target: {{metric: {metric}}}" if window is None
              else f"target: {{metric: {metric}, min: {window[0]}, max: {window[1]}}}")
    if not any(line.startswith("target:") for line in lines):
        sys.exit(f"search_quality: {space} has no top-level 'target:' line")
    path = os.path.join(directory, f"{name}.yaml")
    with open(path, "w") as handle:
        handle.write("\n".join(target if line.startswith("target:") else line for line in lines) + "\n")
    return path


def run_binary(directory, spec, table_path, method, seed, budget):
    """Evaluation order of one layernas run: [(arch or None if failed, in_window)]."""
    database = os.path.join(directory, f"run-{threading.get_ident()}-{method}-{seed}.db")
    try:
        subprocess.run([ARGS.bin, "search", database, "--space", spec, "--strategy", method,
                        "--evaluator", f"table:{table_path}", "--seed", str(seed), "--budget", str(budget),
                        "--quiet"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        answer = subprocess.run([ARGS.bin, "query", database,
                                 "SELECT arch, in_window, status FROM candidates ORDER BY seq", "--format", "csv"],
                                check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"{' '.join(error.cmd[:2])} {method} seed {seed}: {error.stderr.strip()[-300:]}") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(database + suffix):
                os.remove(database + suffix)
    rows = list(csv.DictReader(io.StringIO(answer.stdout)))
    return [(row["arch"] if row["status"] == "evaluated" else None, row["in_window"] in ("1", "true"))
            for row in rows if row["status"] in ("evaluated", "failed")]


def run_optuna(table_path, metric, method, seeds, budget, window):
    job = {"table": table_path, "metric": metric, "method": method, "seeds": seeds, "budget": budget,
           "window": window}
    answer = subprocess.run([ARGS.python, os.path.join(HERE, "quality_tables.py")], input=json.dumps(job),
                            capture_output=True, text=True)
    if answer.returncode != 0:
        raise RuntimeError(f"optuna {method}: {answer.stderr.strip()[-300:]}")
    return json.loads(answer.stdout)


def optuna_status():
    if ARGS.no_optuna:
        return "skipped: --no-optuna"
    try:
        answer = subprocess.run([ARGS.python, "-c", "import optuna; print(optuna.__version__)"],
                                capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"skipped: {ARGS.python}: {error}"
    if answer.returncode != 0:
        last = (answer.stderr.strip().splitlines() or ["?"])[-1]
        return f"skipped: optuna not importable by {ARGS.python} ({last}); make bench-peers installs it"
    return f"optuna {answer.stdout.strip()} ({ARGS.python})"


class Runner:
    """A pool of --jobs threads, each driving one subprocess at a time; longest jobs first."""
    def __init__(self):
        self.jobs, self.results, self.errors, self.seconds = [], {}, [], {}
        self.lock = threading.Lock()

    def add(self, weight, key, function, *arguments):
        self.jobs.append((weight, key, function, arguments))

    def run(self):
        started, done = time.monotonic(), [0]
        last_report = [started]

        def one(key, function, arguments):
            begin = time.monotonic()
            try:
                value = function(*arguments)
            except Exception as error:  # reported at the end; the other runs go on
                with self.lock:
                    self.errors.append(str(error))
                value = None
            with self.lock:
                self.results[key] = value
                self.seconds[key[2]] = self.seconds.get(key[2], 0.0) + time.monotonic() - begin
                done[0] += 1
                now = time.monotonic()
                if now - last_report[0] > 60:
                    last_report[0] = now
                    print(f"  ... {done[0]}/{len(self.jobs)} jobs, {now - started:.0f} s", file=sys.stderr, flush=True)

        order = sorted(self.jobs, key=lambda job: -job[0])
        with futures.ThreadPoolExecutor(max_workers=ARGS.jobs) as pool:
            for job in [pool.submit(one, key, function, arguments) for _, key, function, arguments in order]:
                job.result()


# ---- statistics ------------------------------------------------------------------------------

def quantile(values, q):
    """Linear interpolation between order statistics; inf (not found) sorts last and wins a tie."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    if math.isinf(ordered[high]):
        return math.inf
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def e3(value):
    return f"{1000 * value:.2f}"


def short(value):
    """A regret x1e-3 in at most 6 characters."""
    return f"{value:.2f}" if value < 99.995 else f"{value:.1f}" if value < 999.95 else f"{value:.0f}"


# ---- main ------------------------------------------------------------------------------------

def main():
    started = time.monotonic()
    if not os.path.exists(ARGS.bin):
        sys.exit(f"search_quality: no layernas binary at {ARGS.bin} (make build)")
    os.makedirs(ARGS.out_dir, exist_ok=True)
    names = [n.strip() for n in ARGS.tables.split(",") if n.strip()]
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        sys.exit(f"search_quality: unknown tables {unknown}; known: {', '.join(TABLES)}")
    notes = []
    tables = {}
    for name in names:
        csv_name, space, metric, windows = TABLES[name]
        path = os.path.join(HERE, csv_name)
        if not os.path.exists(path):
            notes.append(f"{name}: skipped, no {csv_name} (bench/README.md says how to generate it)")
            continue
        table = qt.Table(path, metric)
        tables[name] = (table, os.path.join(HERE, space), windows or qt.quantile_windows(table))
    status = optuna_status()
    use_optuna = not status.startswith("skipped")
    seeds = list(range(1, ARGS.seeds + 1))
    pareto_seeds = list(range(1, ARGS.pareto_seeds + 1))
    pareto_budgets = [int(b) for b in ARGS.pareto_budgets.split(",")]
    scratch_root = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None

    runner = Runner()
    plan = {}   # (table, window) -> (low, high, inside, budgets)
    with tempfile.TemporaryDirectory(prefix="layernas-quality-", dir=scratch_root) as directory:
        for name, (table, space, windows) in tables.items():
            if not ARGS.no_regret:
                for window, low, high in windows:
                    inside = table.inside(low, high)
                    if not inside:
                        notes.append(f"{name}/{window}: no architecture in {low}..{high}, skipped")
                        continue
                    steps = qt.budgets(len(inside))
                    plan[(name, window)] = (low, high, inside, steps)
                    spec = write_spec(directory, space, table.metric, (low, high), f"{name}-{window}")
                    top = steps[-1]
                    for method in BINARY_METHODS:
                        weight = top * (10 if method == DEFAULT else 1)
                        for seed in seeds:
                            runner.add(weight, ("regret", (name, window), method, seed), run_binary,
                                       directory, spec, table.path, method, seed, top)
                    if use_optuna:
                        for method, sampler in OPTUNA_REGRET.items():
                            for chunk in range(0, len(seeds), OPTUNA_CHUNK):
                                part = seeds[chunk:chunk + OPTUNA_CHUNK]
                                runner.add(top * len(part) * 3, ("regret", (name, window), method, tuple(part)),
                                           run_optuna, table.path, table.metric, sampler, part, top, [low, high])
            if not ARGS.no_pareto:
                steps = sorted({min(b, len(table)) for b in pareto_budgets})
                top = steps[-1]
                spec = write_spec(directory, space, table.metric, None, f"{name}-all")
                for method in BINARY_METHODS:
                    for seed in pareto_seeds:
                        runner.add(top * (10 if method == DEFAULT else 1), ("pareto", name, method, seed),
                                   run_binary, directory, spec, table.path, method, seed, top)
                if use_optuna:
                    for method, sampler in OPTUNA_PARETO.items():
                        for chunk in range(0, len(pareto_seeds), OPTUNA_CHUNK):
                            part = pareto_seeds[chunk:chunk + OPTUNA_CHUNK]
                            runner.add(top * len(part) * 3, ("pareto", name, method, tuple(part)),
                                       run_optuna, table.path, table.metric, sampler, part, top, None)
        print(f"search quality: {len(tables)} tables, {len(runner.jobs)} jobs on {ARGS.jobs} workers, "
              f"scratch {directory}; Optuna: {status}", flush=True)
        runner.run()
    elapsed = time.monotonic() - started

    # Unpack: orders[(mode, what, method, seed)] = (keys, trials or None)
    orders, optuna_costs, consistency = {}, {}, []
    for (mode, what, method, seed), value in runner.results.items():
        if value is None:
            continue
        if isinstance(seed, tuple):
            for run in value:
                orders[(mode, what, method, run["seed"])] = (run["order"], run["trials"])
                optuna_costs.setdefault(method, []).append((run["asked"], run["seconds"]))
        else:
            keys = [key for key, _ in value]
            orders[(mode, what, method, seed)] = (keys, None)
            table = tables[what[0] if mode == "regret" else what][0]
            low, high = plan[what][:2] if mode == "regret" else (-math.inf, math.inf)
            wrong = sum(1 for key, flag in value if key is not None and flag != (low <= table.cost[key] <= high))
            repeats = len(keys) - len(set(keys))
            if wrong or repeats:
                consistency.append(f"{mode} {what} {method} seed {seed}: {wrong} in_window flags differ from "
                                   f"the table's costs, {repeats} repeated architectures")

    all_methods = BINARY_METHODS + (list(OPTUNA_REGRET) if use_optuna else [])
    report_regret(tables, plan, orders, all_methods, seeds)
    if not ARGS.no_pareto:
        report_pareto(tables, orders, BINARY_METHODS + (list(OPTUNA_PARETO) if use_optuna else []),
                      pareto_seeds, pareto_budgets)
    print()
    for method, costs in sorted(optuna_costs.items()):
        print(f"  {method}: {len(costs)} runs, mean {statistics.fmean(a for a, _ in costs):.0f} trials and "
              f"{statistics.fmean(s for _, s in costs):.1f} s per run (max {max(s for _, s in costs):.1f} s)")
    busy = ", ".join(f"{m} {s:.0f}" for m, s in sorted(runner.seconds.items(), key=lambda x: -x[1]))
    print(f"  time: {elapsed:.0f} s wall on {ARGS.jobs} workers; busy seconds per method: {busy}")
    print(f"  Optuna: {status}")
    for note in notes + consistency:
        print(f"  note: {note}")
    for error in runner.errors[:10]:
        print(f"  ERROR: {error}")
    if runner.errors:
        print(f"  {len(runner.errors)} jobs failed")
    print(f"  written: {ARGS.out_dir}/search-quality.csv, search-quality-runs.csv, search-quality-<table>.svg"
          + ("" if ARGS.no_pareto else ", search-quality-pareto.csv, search-quality-pareto-runs.csv"))
    if runner.errors or consistency:
        sys.exit(1)


def report_regret(tables, plan, orders, methods, seeds):
    if not plan:
        return
    summary, runs = [], []
    cells = won = 0
    print("\nregret mode: median regret x1e-3 [IQR] after n evaluations (n = 2.5/5/10/20% of the in-window "
          f"count), {len(seeds)} seeds; found = share of seeds with the optimum at the largest n; "
          "to-opt = median evaluations to the optimum; '!' = new default's median above the best baseline's")
    for name, (table, _, windows) in tables.items():
        curves_by_window = {}
        for window, _, _ in windows:
            if (name, window) not in plan:
                continue
            low, high, inside, steps = plan[(name, window)]
            top = steps[-1]
            optimum = max(inside, key=lambda k: (table.score[k], k))
            stats, curves = {}, {}
            for method in methods:
                per_seed = []
                for seed in seeds:
                    if ("regret", (name, window), method, seed) not in orders:
                        continue
                    keys, trials = orders[("regret", (name, window), method, seed)]
                    curve = qt.regret_curve(table, keys, low, high, top)
                    hits = [n for n in range(1, top + 1) if curve[n - 1] <= 1e-12]
                    to_opt = hits[0] if hits else math.inf
                    per_seed.append((seed, curve, to_opt, keys, trials))
                if not per_seed:
                    continue
                curves[method] = [statistics.median(c[n] for _, c, _, _, _ in per_seed) for n in range(top)]
                to_opt_median = quantile([t for _, _, t, _, _ in per_seed], 0.5)
                stats[method] = {}
                for b in steps:
                    values = [c[b - 1] for _, c, _, _, _ in per_seed]
                    used = [min(b, len(k)) for _, _, _, k, _ in per_seed]
                    found = sum(v <= 1e-12 for v in values) / len(values)
                    stats[method][b] = (quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75), found)
                    summary.append([name, window, table.metric, low, high, len(inside), f"{table.score[optimum]:.6f}",
                                    optimum, method, len(per_seed), b, f"{b / len(inside):.3f}",
                                    e3(quantile(values, 0.5)), e3(quantile(values, 0.25)), e3(quantile(values, 0.75)),
                                    e3(statistics.fmean(values)), f"{found:.3f}",
                                    "" if math.isinf(to_opt_median) else f"{to_opt_median:.0f}",
                                    f"{statistics.fmean(used):.1f}"])
                    for (seed, curve, to_opt, keys, trials), u in zip(per_seed, used):
                        runs.append([name, window, method, seed, b, e3(curve[b - 1]), int(curve[b - 1] <= 1e-12), u,
                                     "" if math.isinf(to_opt) else to_opt])
            curves_by_window[window] = (low, high, len(inside), steps, curves)
            print(f"\n{name} / {window}: {table.metric} {low:,}..{high:,}, {len(inside)} inside, optimum {optimum} "
                  f"{table.score[optimum]:.4f}")
            print(f"  {'method':15s}" + "".join(f"{'n=' + str(b):>9s}{'':14s}" for b in steps) + f"{'found':>6s}{'to-opt':>8s}")
            for method in methods:
                if method not in stats:
                    continue
                line = f"  {method:15s}"
                for b in steps:
                    median, q1, q3, _ = stats[method][b]
                    mark = " "
                    if method == DEFAULT:
                        others = [stats[m][b][0] for m in stats if m != DEFAULT]
                        if others:
                            cells += 1
                            if median > min(others) + 1e-12:
                                mark = "!"
                            else:
                                won += 1
                    line += f"{short(1000 * median):>8s}{mark}" + f"[{short(1000 * q1)},{short(1000 * q3)}]".ljust(14)
                to_opt = [r for r in summary if r[0] == name and r[1] == window and r[8] == method][-1][17]
                line += f"{stats[method][steps[-1]][3]:6.0%}{to_opt or '>' + str(steps[-1]):>8s}"
                print(line)
        write_svg(os.path.join(ARGS.out_dir, f"search-quality-{name}.svg"), name, table, curves_by_window, methods,
                  len(seeds))
    print(f"\nregret mode: the new default's median is at most the best baseline's in {won} of {cells} "
          "table x window x budget cells")
    with open(os.path.join(ARGS.out_dir, "search-quality.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "window", "metric", "cost_min", "cost_max", "in_window", "optimum_score",
                         "optimum_arch", "method", "seeds", "budget", "budget_share", "median_regret_e3",
                         "q1_regret_e3", "q3_regret_e3", "mean_regret_e3", "found_share",
                         "evals_to_optimum_median", "mean_evaluations_used"])
        writer.writerows(summary)
    with open(os.path.join(ARGS.out_dir, "search-quality-runs.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "window", "method", "seed", "budget", "regret_e3", "found", "evaluations_used",
                         "evals_to_optimum"])
        writer.writerows(runs)


def report_pareto(tables, orders, methods, seeds, budgets):
    summary, runs = [], []
    print(f"\nPareto mode (no window): median hypervolume share [IQR] of the evaluated front, (score max, "
          f"log10 cost min), {len(seeds)} seeds; '!' = new default below the best baseline")
    cells = won = 0
    for name, (table, _, _) in tables.items():
        pareto = qt.Pareto(table)
        steps = sorted({min(b, len(table)) for b in budgets})
        print(f"\n{name}: {len(table)} architectures, cost {table.metric}")
        print(f"  {'method':15s}" + "".join(f"{'n=' + str(b):>9s}{'':14s}" for b in steps))
        stats = {}
        for method in methods:
            per_seed = [(seed,) + orders[("pareto", name, method, seed)] for seed in seeds
                        if ("pareto", name, method, seed) in orders]
            if not per_seed:
                continue
            stats[method] = {}
            for b in steps:
                values = []
                for seed, keys, trials in per_seed:
                    used = min(b, len(keys))
                    share = pareto.share(keys[:used])
                    values.append(share)
                    runs.append([name, method, seed, b, f"{share:.4f}", used])
                stats[method][b] = (quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75))
                summary.append([name, table.metric, method, len(per_seed), b] + [f"{v:.4f}" for v in stats[method][b]])
        for method in stats:
            line = f"  {method:15s}"
            for b in steps:
                median, q1, q3 = stats[method][b]
                mark = " "
                if method == DEFAULT:
                    others = [stats[m][b][0] for m in stats if m != DEFAULT]
                    if others:
                        cells += 1
                        if median < max(others) - 1e-12:
                            mark = "!"
                        else:
                            won += 1
                line += f"{median:8.3f}{mark}" + f"[{q1:.3f},{q3:.3f}]".ljust(14)
            print(line)
    print(f"\nPareto mode: the new default's median HV share is at least the best baseline's in {won} of {cells} cells")
    with open(os.path.join(ARGS.out_dir, "search-quality-pareto.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "metric", "method", "seeds", "budget", "median_hv_share", "q1_hv_share",
                         "q3_hv_share"])
        writer.writerows(summary)
    with open(os.path.join(ARGS.out_dir, "search-quality-pareto-runs.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "method", "seed", "budget", "hv_share", "evaluations_used"])
        writer.writerows(runs)


COLORS = {"layernas": "#d62728", "layernas-paper": "#ff9896", "random": "#7f7f7f", "evolution": "#2ca02c",
          "optuna-tpe": "#1f77b4"}


def write_svg(path, name, table, windows, methods, seeds):
    """Median regret (x1e-3) vs evaluations, one panel per window; the y axis is cut at the
    largest median at the smallest budget (earlier values are clipped)."""
    panel_w, panel_h, left, top, gap = 300, 230, 60, 50, 45
    width, height = left + len(windows) * (panel_w + gap), top + panel_h + 75
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="11">', f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{name}: median regret (x1e-3) vs '
           f'evaluations, {seeds} seeds, {len(table)} architectures</text>']
    for p, (window, (low, high, inside, steps, curves)) in enumerate(windows.items()):
        x0, y0, last = left + p * (panel_w + gap), top, steps[-1]
        peak = 1000 * max((c[steps[0] - 1] for c in curves.values()), default=1) or 1
        magnitude = 10 ** math.floor(math.log10(peak))
        ceiling = math.ceil(peak / magnitude) * magnitude
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 - 8}" text-anchor="middle">{window}: {table.metric} '
                   f'{low:,}..{high:,} ({inside} inside)</text>')
        out.append(f'<rect x="{x0}" y="{y0}" width="{panel_w}" height="{panel_h}" fill="none" stroke="#888"/>')
        for t in range(6):
            y = y0 + panel_h - panel_h * t / 5
            out.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{ceiling * t / 5:g}</text>')
        for b in steps:
            x = x0 + panel_w * b / last
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y0 + panel_h}" stroke="#ccc" '
                       'stroke-dasharray="3,3"/>')
            out.append(f'<text x="{x:.1f}" y="{y0 + panel_h + 14}" text-anchor="middle">{b}</text>')
        for method in methods:
            if method not in curves:
                continue
            points = " ".join(f"{x0 + panel_w * (i + 1) / last:.1f},"
                              f"{y0 + panel_h - panel_h * min(1000 * v, ceiling) / ceiling:.1f}"
                              for i, v in enumerate(curves[method]))
            out.append(f'<polyline fill="none" stroke="{COLORS.get(method, "#9467bd")}" stroke-width="'
                       f'{2.2 if method == DEFAULT else 1.4}" points="{points}"><title>{method}</title></polyline>')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 + panel_h + 30}" text-anchor="middle">evaluations</text>')
    for index, method in enumerate(methods):
        x = left + index * 150
        out.append(f'<line x1="{x}" x2="{x + 20}" y1="{height - 14}" y2="{height - 14}" '
                   f'stroke="{COLORS.get(method, "#9467bd")}" stroke-width="3"/>')
        out.append(f'<text x="{x + 25}" y="{height - 10}">{method}</text>')
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
