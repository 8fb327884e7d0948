#!/usr/bin/env python3
"""End to end: `layernas search` against what a user would otherwise run, an Optuna TPE loop
whose objective trains the same network in PyTorch (bench/README.md, section 4).

Both sides get the same search space and window (a `family: mlp` spec, `make run`'s
examples/fashion-mlp.yaml by default), the same recipe (the spec's `training:` section: epochs,
batch, SGD momentum, learning rate with its schedule, weight decay, seed; He initialisation), the
same data (the first 50,000 training images, or `train_subset` of them; validation = the last
10,000) and the same budget (`--budget`, `make run`'s 80 evaluations). layernas runs with its
defaults, as `make run` does. The Optuna side is the loop the issue names: a TPE study whose
objective trains the suggested network in PyTorch, one training per trial, until `budget` trials
completed; it is favoured where a choice exists: an architecture outside the window is pruned
before training and not counted, and PyTorch gets every core.
TPE suggests the same architecture again and again on a small window (make run's holds 91), and a
careful user might memoise the objective. Retraining gives the same accuracy (seeded, checked
here), so TPE's choices do not change, and the memoised loop's wall-clock is the plain loop's
minus the time of its repeated trainings: reported too, with the number of distinct trainings.
Reported: wall-clock of each side (process start and data loading included), trainings, and the
best in-window validation accuracy. The goal (issue 16): half the plain loop's wall-clock for at
least its accuracy.

Usage: e2e.py --bin BIN [--space SPEC] [--budget 80] [--output FILE]
"""
import argparse
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True)
parser.add_argument("--space", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "fashion-mlp.yaml"))
parser.add_argument("--budget", type=int, default=80)
parser.add_argument("--data", default=os.environ.get("LAYERNAS_DATA", "/usr/share/datasets/fashion-mnist"))
parser.add_argument("--output")
args = parser.parse_args()
cores = os.cpu_count() or 1


def finish(results):
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as handle:
            json.dump(results, handle, indent=2)


try:
    import numpy as np
    import idx_files
    import optuna
    import torch
    import yaml
except ImportError as error:
    print(f"  skipped: {error} (run make bench-peers)")
    finish({"skipped": str(error)})
    sys.exit(0)

with open(args.space) as handle:
    spec = yaml.safe_load(handle)
if spec.get("family") != "mlp":
    sys.exit(f"e2e: {args.space}: family: {spec.get('family')} (this comparison builds MLPs only)")
recipe = {"epochs": 1, "batch_size": 128, "learning_rate": 0.05, "momentum": 0.9, "weight_decay": 5e-4,
          "schedule": "cosine", "seed": 1, "optimizer": "sgd", "train_subset": None}
recipe.update(spec.get("training") or {})
if recipe["optimizer"] != "sgd" or recipe["schedule"] not in ("cosine", "constant"):
    sys.exit(f"e2e: {args.space}: training: only sgd with a cosine or constant schedule is reproduced here")
target = spec["target"]
inputs = math.prod(spec["input"])
classes = spec["classes"]
layer_options = [layer["options"] for layer in spec["layers"]]


def params(widths):
    """Parameters of an MLP (weights and biases), as layernas counts them."""
    total, previous = 0, inputs
    for width in widths:
        if width > 0:
            total += previous * width + width
            previous = width
    return total + previous * classes + classes


def in_window(widths):
    value = params(widths)  # the spec's metric: params is the only one this script computes
    if target["metric"] != "params":
        sys.exit("e2e: target metric must be params")
    return target["min"] <= value <= target["max"]


def arch_key(widths):
    """layernas's architecture key of a tuple of widths: `256-128-skip-skip`."""
    return "-".join(str(width) if width > 0 else "skip" for width in widths)


def widths_of(arch):
    return tuple(0 if part == "skip" else int(part) for part in arch.split("-"))


# The two picks retrained with other seeds by each framework (set by optuna_side).
retrain_in_torch = None
CHECK_SEEDS = [2, 3, 4, 5, 6]


def retrain_in_layernas(arch, seed):
    output = subprocess.run([args.bin, "train", "--space", args.space, "--arch", arch, "--seed", str(seed), "--format", "json"],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output)["validation_accuracy"]


def seed_check(picks):
    """Mean validation accuracy of each picked architecture over CHECK_SEEDS, in both frameworks:
    the best score of one run is one draw per architecture, this says whether the picks differ."""
    table = {}
    for side, arch in picks.items():
        for framework, retrain in (("layernas", retrain_in_layernas), ("torch", retrain_in_torch)):
            scores = [retrain(arch, seed) for seed in CHECK_SEEDS]
            table[f"{side} pick in {framework}"] = {"arch": arch, "mean": statistics.mean(scores),
                                                    "stdev": statistics.stdev(scores), "scores": scores}
    return table


# ---------------------------------------------------------------------------------------- layernas
def layernas_side(directory):
    database = os.path.join(directory, "e2e.db")
    start = time.perf_counter()
    subprocess.run([args.bin, "search", database, "--space", args.space, "--budget", str(args.budget), "--quiet"],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - start
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    trainings, best = connection.execute(
        "SELECT sum(status = 'evaluated'), max(CASE WHEN in_window = 1 THEN score END) FROM candidates").fetchone()
    best_arch = connection.execute(
        "SELECT arch FROM candidates WHERE in_window = 1 AND score IS NOT NULL ORDER BY score DESC, id LIMIT 1").fetchone()[0]
    connection.close()
    return {"seconds": seconds, "trainings": trainings, "best_in_window": best, "best_arch": best_arch}


# ----------------------------------------------------------------------------- Optuna + PyTorch
def read_idx(name):
    return idx_files.read_idx(args.data, name)


def optuna_side():
    start = time.perf_counter()
    torch.set_num_threads(cores)
    images = torch.from_numpy(read_idx("train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32) / 255.0)
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    training_count = recipe["train_subset"] or 50000
    train_x, train_y = images[:training_count], labels[:training_count]
    valid_x, valid_y = images[50000:], labels[50000:]

    def train(widths, seed=recipe["seed"]):
        torch.manual_seed(seed)
        layers, previous = [], inputs
        for width in widths:
            if width > 0:
                linear = torch.nn.Linear(previous, width)
                torch.nn.init.normal_(linear.weight, std=math.sqrt(2 / previous))
                torch.nn.init.zeros_(linear.bias)
                layers += [linear, torch.nn.ReLU()]
                previous = width
        head = torch.nn.Linear(previous, classes)
        torch.nn.init.normal_(head.weight, std=math.sqrt(1 / previous))
        torch.nn.init.zeros_(head.bias)
        model = torch.nn.Sequential(*layers, head)
        decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
        rest = [p for n, p in model.named_parameters() if not n.endswith("weight")]
        optimizer = torch.optim.SGD([{"params": decay, "weight_decay": recipe["weight_decay"]}, {"params": rest, "weight_decay": 0}],
                                    lr=recipe["learning_rate"], momentum=recipe["momentum"])
        batch = recipe["batch_size"]
        steps = recipe["epochs"] * math.ceil(training_count / batch)
        schedule = (torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps) if recipe["schedule"] == "cosine"
                    else torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0))
        generator = torch.Generator().manual_seed(seed)
        loss = torch.nn.CrossEntropyLoss()
        for _ in range(recipe["epochs"]):
            order = torch.randperm(training_count, generator=generator)
            for first in range(0, training_count, batch):
                chosen = order[first: first + batch]
                optimizer.zero_grad(set_to_none=True)
                loss(model(train_x[chosen]), train_y[chosen]).backward()
                optimizer.step()
                schedule.step()
        with torch.no_grad():
            return (model(valid_x).argmax(dim=1) == valid_y).float().mean().item()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=recipe["seed"]))
    first_result = {}        # architecture -> accuracy of its first training
    repeat_seconds = 0.0     # time spent training architectures trained before
    repeats_agree = True     # a retraining gave the first training's accuracy

    def objective(trial):
        nonlocal repeat_seconds, repeats_agree
        widths = tuple(trial.suggest_categorical(f"layer{index + 1}", options) for index, options in enumerate(layer_options))
        if not in_window(widths):
            raise optuna.TrialPruned()
        began = time.perf_counter()
        accuracy = train(widths)
        if widths in first_result:
            repeat_seconds += time.perf_counter() - began
            repeats_agree = repeats_agree and accuracy == first_result[widths]
        else:
            first_result[widths] = accuracy
        return accuracy

    trials = 0
    def in_window_trials():
        return sum(1 for trial in study.trials if trial.state == optuna.trial.TrialState.COMPLETE)
    while in_window_trials() < args.budget and trials < 50 * args.budget:
        study.optimize(objective, n_trials=1)
        trials += 1
        if trials % 20 == 0:
            print(f"    optuna: {trials} trials, {in_window_trials()} trainings, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    global retrain_in_torch
    retrain_in_torch = lambda arch, seed: train(widths_of(arch), seed)
    return {"seconds": seconds, "trainings": in_window_trials(), "trials": trials,
            "distinct_trainings": len(first_result), "memoised_seconds": seconds - repeat_seconds,
            "repeats_gave_the_same_accuracy": repeats_agree,
            "best_in_window": max(first_result.values(), default=None),
            "best_arch": arch_key(max(first_result, key=first_result.get)),
            "optuna": optuna.__version__, "torch": torch.__version__, "torch_threads": torch.get_num_threads()}


def main():
    results = {"space": os.path.basename(args.space), "budget": args.budget, "cores": cores}
    with tempfile.TemporaryDirectory(prefix="layernas-e2e-") as directory:
        results["layernas"] = layernas_side(directory)
    results["optuna_torch"] = optuna_side()
    ours, theirs = results["layernas"], results["optuna_torch"]
    print(f"  {results['space']}, budget {args.budget}, {cores} cores:")
    print(f"    layernas search (defaults)            {ours['seconds']:7.1f} s  {ours['trainings']} trainings  "
          f"best in window {ours['best_in_window']:.4f}")
    print(f"    Optuna {theirs['optuna']} TPE + PyTorch {theirs['torch']} ({theirs['torch_threads']} threads)  "
          f"{theirs['seconds']:7.1f} s  {theirs['trainings']} trainings ({theirs['trials']} trials, out-of-window ones pruned)  "
          f"best in window {theirs['best_in_window']:.4f}")
    print(f"      the same loop memoising repeats      {theirs['memoised_seconds']:7.1f} s  {theirs['distinct_trainings']} distinct trainings"
          f"  (retraining repeated an accuracy exactly: {'yes' if theirs['repeats_gave_the_same_accuracy'] else 'NO'})")
    results["seed_check"] = seed_check({"layernas": ours["best_arch"], "optuna": theirs["best_arch"]})
    print(f"    the two picks retrained with seeds {CHECK_SEEDS[0]}-{CHECK_SEEDS[-1]} (mean ± sd of validation accuracy):")
    for name, row in results["seed_check"].items():
        print(f"      {name:<24} {row['arch']:<24} {row['mean']:.4f} ± {row['stdev']:.4f}")
    ratio = theirs["seconds"] / ours["seconds"]
    results["wall_clock_ratio"] = ratio
    results["memoised_wall_clock_ratio"] = theirs["memoised_seconds"] / ours["seconds"]
    accurate = ours["best_in_window"] >= theirs["best_in_window"]
    met = ratio >= 2 and accurate
    print(f"    wall-clock Optuna+PyTorch / layernas = {ratio:.2f}x (goal >= 2x), memoised {results['memoised_wall_clock_ratio']:.2f}x; "
          f"accuracy {'at least' if accurate else 'below'} Optuna's ({ours['best_in_window'] - theirs['best_in_window']:+.4f}): "
          f"goal {'met' if met else 'missed'}")
    finish(results)


main()
