#!/usr/bin/env python3
"""End to end: `layernas search` against what a user would otherwise run, an Optuna TPE loop
whose objective trains the same network in PyTorch (bench/README.md, section 4).

Both sides get the same search space and window (a `family: mlp` spec, `make run`'s
examples/fashion-mlp.yaml by default), the same recipe (the spec's `training:` section: epochs,
batch, SGD momentum, learning rate with its schedule, weight decay, seed; He initialisation), the
same data (the first 50,000 training images, or `train_subset` of them; validation = the last
10,000) and the same number of trainings (`--budget`, `make run`'s 80). layernas runs with its
defaults, as `make run` does. The Optuna side is written as a careful user would write it, and
favoured where a choice exists: an architecture outside the window is pruned before training
(not counted), a repeated one is answered from a cache (counted as a trial of the budget, as
Optuna's `n_trials` would, but costing no training); PyTorch gets every core.
Reported: wall-clock of each side (process start and data loading included), trainings, and the
best in-window validation accuracy. The goal (issue 16): half Optuna's wall-clock for at least
its accuracy.

Usage: e2e.py --bin BIN [--space SPEC] [--budget 80] [--output FILE]
"""
import argparse
import json
import math
import os
import sqlite3
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
    connection.close()
    return {"seconds": seconds, "trainings": trainings, "best_in_window": best}


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

    def train(widths):
        torch.manual_seed(recipe["seed"])
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
        generator = torch.Generator().manual_seed(recipe["seed"])
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
    trained = {}

    def objective(trial):
        widths = tuple(trial.suggest_categorical(f"layer{index + 1}", options) for index, options in enumerate(layer_options))
        if not in_window(widths):
            raise optuna.TrialPruned()
        if widths not in trained:
            trained[widths] = train(widths)
        return trained[widths]

    trials = 0
    def in_window_trials():
        return sum(1 for trial in study.trials if trial.state == optuna.trial.TrialState.COMPLETE)
    while in_window_trials() < args.budget and trials < 50 * args.budget:
        study.optimize(objective, n_trials=1)
        trials += 1
        if trials % 20 == 0:
            print(f"    optuna: {trials} trials, {len(trained)} trainings, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "trainings": len(trained), "trials": trials, "in_window_trials": in_window_trials(),
            "best_in_window": max(trained.values(), default=None),
            "optuna": optuna.__version__, "torch": torch.__version__, "torch_threads": torch.get_num_threads()}


def main():
    results = {"space": os.path.basename(args.space), "budget": args.budget, "cores": cores}
    with tempfile.TemporaryDirectory(prefix="layernas-e2e-") as directory:
        results["layernas"] = layernas_side(directory)
    results["optuna_torch"] = optuna_side()
    ours, theirs = results["layernas"], results["optuna_torch"]
    print(f"  {results['space']}, {args.budget} trainings each, {cores} cores:")
    print(f"    layernas search (defaults)      {ours['seconds']:7.1f} s  {ours['trainings']} trainings  "
          f"best in window {ours['best_in_window']:.4f}")
    print(f"    Optuna {theirs['optuna']} TPE + PyTorch {theirs['torch']} ({theirs['torch_threads']} threads) "
          f"{theirs['seconds']:7.1f} s  {theirs['trainings']} trainings ({theirs['in_window_trials']} in-window trials of {theirs['trials']})  "
          f"best in window {theirs['best_in_window']:.4f}")
    ratio = theirs["seconds"] / ours["seconds"]
    results["wall_clock_ratio"] = ratio
    met = ratio >= 2 and ours["best_in_window"] >= theirs["best_in_window"]
    print(f"    wall-clock Optuna+PyTorch / layernas = {ratio:.2f}x (goal >= 2x); accuracy "
          f"{'at least' if ours['best_in_window'] >= theirs['best_in_window'] else 'below'} Optuna's: goal {'met' if met else 'missed'}")
    finish(results)


main()
