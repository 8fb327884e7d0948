#!/usr/bin/env python3
"""Tables, metrics and the Optuna replays of bench/search_quality.py (standard library + optuna).

Imported by search_quality.py, and run by it as a worker under the interpreter that has Optuna
(`--python`): `python3 quality_tables.py < job.json` runs the Optuna replays of one job and
prints their evaluation orders as JSON. Optuna is imported only there.

A table is a CSV `arch,score,params,madds[,...]` holding every architecture of its space;
`arch` is layernas's canonical key (option labels joined by '-').
"""
import csv
import json
import math
import sys
import time

FRACTIONS = (0.025, 0.05, 0.10, 0.20)   # budgets: these shares of the in-window count ...
BUDGET_CAP = 2000                       # ... rounded up, at most this
# Windows by cost quantile, for tables without hand-set windows (the CNN table): each window
# spans the costs between two quantiles of the table's cost distribution, so it holds about 15%
# of the architectures and the three lie in the cheap, middle and expensive thirds.
QUANTILE_WINDOWS = (("small", 0.10, 0.25), ("middle", 0.45, 0.60), ("large", 0.80, 0.95))
TRIAL_FACTOR = 3                        # an Optuna replay asks at most 3 x the largest budget trials


class Table:
    def __init__(self, path, metric):
        self.path, self.metric = path, metric
        self.score, self.cost = {}, {}
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle):
                self.score[row["arch"]] = float(row["score"])
                self.cost[row["arch"]] = int(row[metric])
        keys = list(self.score)
        self.layers = len(keys[0].split("-"))
        # Categorical choices per layer for the Optuna replays (sorted: a fixed order).
        self.labels = [sorted({k.split("-")[i] for k in keys}) for i in range(self.layers)]
        self.min_score = min(self.score.values())

    def __len__(self):
        return len(self.score)

    def inside(self, low, high):
        return [k for k, c in self.cost.items() if low <= c <= high]


def quantile_windows(table):
    """(name, low, high) for QUANTILE_WINDOWS: costs at those quantiles (nearest rank)."""
    costs = sorted(table.cost.values())
    at = lambda q: costs[round(q * (len(costs) - 1))]
    return [(name, at(lo), at(hi)) for name, lo, hi in QUANTILE_WINDOWS]


def budgets(in_window):
    return sorted({min(BUDGET_CAP, math.ceil(f * in_window)) for f in FRACTIONS})


def regret_curve(table, order, low, high, last):
    """Regret after n = 1..last evaluations of `order` (a budget-n run is its first n evaluations;
    a run that stopped early keeps its last value): in-window optimum - best in-window score
    among them (before any in-window evaluation: optimum - worst in-window score)."""
    inside = [table.score[k] for k in table.inside(low, high)]
    optimum, worst = max(inside), min(inside)
    prefix_best, best = [], worst          # prefix_best[m] = best after the first m evaluations
    prefix_best.append(best)
    for key in order:                      # None: a failed evaluation (no score)
        if key is not None and low <= table.cost[key] <= high:
            best = max(best, table.score[key])
        prefix_best.append(best)
    curve = []
    for n in range(1, last + 1):
        m = min(n, len(order))
        curve.append(optimum - prefix_best[m])
    return curve


def front_hypervolume(points, reference):
    """Hypervolume of (cost to minimise, score to maximise) points against reference
    (cost_ref, score_ref): the area dominated by the front inside the reference box."""
    cost_ref, score_ref = reference
    area, best, previous = 0.0, score_ref, None
    for cost, score in sorted(p for p in points if p[0] <= cost_ref):
        if previous is not None:
            area += (cost - previous) * (best - score_ref)
        best, previous = max(best, score), cost
    if previous is not None:
        area += (cost_ref - previous) * (best - score_ref)
    return area


class Pareto:
    """Pareto-mode metric of one table: HV over (log10 cost, score), reference = (the table's
    maximum log10 cost, its minimum score), as a share of the whole table's HV."""
    def __init__(self, table):
        self.table = table
        self.point = {k: (math.log10(c), table.score[k]) for k, c in table.cost.items()}
        self.reference = (max(p[0] for p in self.point.values()), table.min_score)
        self.full = front_hypervolume(list(self.point.values()), self.reference)

    def share(self, keys):
        return front_hypervolume([self.point[k] for k in keys if k is not None], self.reference) / self.full


# ---- Optuna replays (run in the worker process) ----------------------------------------------

def replay(optuna, table, method, seed, budget, window):
    """Evaluation order of an Optuna sampler replayed on the table.

    tpe (one objective, score, inside window = (low, high)): TPESampler(seed) with Optuna's
    defaults. An architecture outside the window or already evaluated costs no evaluation (its
    cost is known without training, as it is to layernas): TPE is told the table's minimum score
    or the cached score (Optuna's FAQ way for duplicates) and samples again.
    nsga2 / motpe (two objectives, score max and log10 cost min, no window): NSGAIISampler(seed)
    or TPESampler(seed) (multi-objective TPE), defaults; a repeat is told its cached values.
    Both stop after `budget` evaluations (the largest budget of the window) or TRIAL_FACTOR *
    budget trials. The cap is the same for every smaller budget n, so the replay is sequential
    and never looks at n: a budget-n replay is the first n evaluations of this one."""
    if method == "tpe":
        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    else:
        sampler = (optuna.samplers.NSGAIISampler(seed=seed) if method == "nsga2"
                   else optuna.samplers.TPESampler(seed=seed))
        study = optuna.create_study(directions=["maximize", "minimize"], sampler=sampler)
    seen, order, trial_of = set(), [], []
    trials = 0
    while len(order) < budget and trials < TRIAL_FACTOR * budget:
        trial = study.ask()
        key = "-".join(trial.suggest_categorical(f"layer{i + 1}", table.labels[i]) for i in range(table.layers))
        trials += 1
        if key not in table.score:                      # a label combination the space lacks
            study.tell(trial, table.min_score if method == "tpe" else [table.min_score, 99.0])
            continue
        score, cost = table.score[key], math.log10(table.cost[key])
        if method == "tpe" and not window[0] <= table.cost[key] <= window[1]:
            study.tell(trial, table.min_score)
            continue
        if key not in seen:
            seen.add(key)
            order.append(key)
            trial_of.append(trials)
        study.tell(trial, score if method == "tpe" else [score, cost])
    return order, trial_of, trials


def worker():
    """stdin: {"table", "metric", "method", "seeds", "budget", "window"}; stdout: JSON runs."""
    job = json.load(sys.stdin)
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    table = Table(job["table"], job["metric"])
    runs = []
    for seed in job["seeds"]:
        started = time.perf_counter()
        order, trial_of, trials = replay(optuna, table, job["method"], seed, job["budget"], job.get("window"))
        runs.append({"seed": seed, "order": order, "trials": trial_of, "asked": trials,
                     "seconds": time.perf_counter() - started})
    json.dump(runs, sys.stdout)


if __name__ == "__main__":
    worker()
