#!/usr/bin/env python3
"""Seeded synthetic search-quality tables (bench/README.md, issue 13).

Writes three tables of the space bench/synth-space.yaml: 5 hidden ReLU layers, each of width
{0, 16, 32, 64, 128, 256, 384, 512} (0 removes the layer), input 28x28x1 = 784, 10 classes:
8^5 = 32,768 MLPs per table. One CSV per landscape, `arch,score,params,madds`, rows in the
order of the space (layer 1 slowest, options in spec order):

  synth-smooth.csv    additive and smooth: per layer a bell curve over log2(width) with a
                      seeded peak, width and height, a seeded value for "skip", noise sd 2e-4.
  synth-interact.csv  strong interactions between neighbouring layers: a seeded pairwise term
                      J_i(w_i, w_i+1) per pair (sd 0.012) on top of weaker per-layer terms
                      (sd 0.006), noise sd 3e-4.
  synth-plateau.csv   plateaus with noise: a capacity (log params) / depth / bottleneck trend
                      quantised to steps of 0.01, plus iid noise sd 0.002.

`score` is accuracy-like (higher is better, around 0.8-0.9); it means nothing about real MLPs.
`arch` is layernas's canonical key: the option labels joined by '-', width 0 labelled `skip`
(e.g. `16-skip-64-16-512`). `params` and `madds` are the mlp family's cost model (a dense layer
in->out has in*out + out parameters and in*out multiply-adds; the linear head likewise; a
skipped layer has none); `--check BIN` compares them with `layernas space cost` for a sample.

Deterministic: only Python's `random.Random` (Mersenne Twister, stable across versions) with
fixed seeds, drawn in a fixed order, and fixed 6-decimal formatting, so every run writes the same
bytes. These are the tables of the issue-13 prototype (same generators, seeds and bytes).

Usage: python3 bench/make_synthetic_tables.py [--out-dir DIR] [--check BIN [--samples N]]
"""
import argparse
import itertools
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTHS = [0, 16, 32, 64, 128, 256, 384, 512]
LAYERS = 5
INPUT = 28 * 28 * 1
CLASSES = 10
# The params windows of bench/search_quality.py for these tables (printed with their counts).
WINDOWS = [("small", 20000, 30000), ("middle", 120000, 140000), ("large", 700000, 900000)]

SPACE_YAML = """\
# Synthetic-table space of the search-quality benchmark (bench/README.md), written by
# bench/make_synthetic_tables.py together with synth-smooth.csv, synth-interact.csv and
# synth-plateau.csv (seeded landscapes, not trained: see the generator's docstring).
# A 5-hidden-layer ReLU MLP on 28x28x1 inputs, 10 classes; width 0 removes that hidden layer,
# so the space holds every MLP of depth 0..5 over the widths below: 8^5 = 32,768 architectures.
# No target bounds: the whole params range; bench/search_quality.py adds the windows.
name: bench-synth-mlp
family: mlp
input: [28, 28, 1]
classes: 10
layers:
{layers}target: {{metric: params}}
"""


def mlp_costs(widths):
    """(params, madds) of the mlp family: dense layers over the non-zero widths, then the head."""
    params = madds = 0
    previous = INPUT
    for width in widths:
        if width > 0:
            params += previous * width + width
            madds += previous * width
            previous = width
    return params + previous * CLASSES + CLASSES, madds + previous * CLASSES


def architectures():
    """Option-index tuples in the order of the space (layer 1 varies slowest)."""
    return itertools.product(range(len(WIDTHS)), repeat=LAYERS)


def key(arch):
    return "-".join(str(WIDTHS[o]) if WIDTHS[o] else "skip" for o in arch)


def smooth(seed):
    """Additive: a bell curve over log2(width) per layer, a fixed value for skipping it."""
    draw = random.Random(seed)
    peak = [draw.uniform(5.0, 9.5) for _ in range(LAYERS)]      # log2 of the best width
    spread = [draw.uniform(1.0, 2.5) for _ in range(LAYERS)]
    height = [draw.uniform(0.006, 0.03) for _ in range(LAYERS)]
    skip = [draw.uniform(-0.4, 0.6) for _ in range(LAYERS)]     # in units of the height
    noise = random.Random(seed + 1)

    def score(arch):
        value = 0.80
        for i, option in enumerate(arch):
            if option == 0:
                value += height[i] * skip[i]
            else:
                x = math.log2(WIDTHS[option])
                value += height[i] * math.exp(-(x - peak[i]) ** 2 / (2 * spread[i] ** 2))
        return value + noise.gauss(0, 0.0002)
    return score


def interact(seed):
    """Pairwise terms between neighbouring layers dominate weaker per-layer terms."""
    draw = random.Random(seed)
    n = len(WIDTHS)
    unary = [[draw.gauss(0, 0.006) for _ in range(n)] for _ in range(LAYERS)]
    pair = [[[draw.gauss(0, 0.012) for _ in range(n)] for _ in range(n)] for _ in range(LAYERS - 1)]
    noise = random.Random(seed + 1)

    def score(arch):
        value = 0.85 + sum(unary[i][o] for i, o in enumerate(arch))
        value += sum(pair[i][arch[i]][arch[i + 1]] for i in range(LAYERS - 1))
        return value + noise.gauss(0, 0.0003)
    return score


def plateau(seed):
    """Capacity saturates, depth has an optimum, a narrow layer after a wide one (8x) hurts;
    quantised to 0.01 (plateaus), then iid noise."""
    draw = random.Random(seed)
    depth_weight = draw.uniform(0.004, 0.01)
    best_depth = draw.choice([2, 3, 4])
    noise = random.Random(seed + 1)

    def score(arch):
        params, _ = mlp_costs([WIDTHS[o] for o in arch])
        depth = sum(1 for o in arch if o)
        value = 0.78 + 0.012 * math.log(params) - depth_weight * abs(depth - best_depth)
        widths = [WIDTHS[o] for o in arch if o]
        for wide, narrow in zip(widths, widths[1:]):
            if narrow * 8 <= wide:
                value -= 0.01
        value = math.floor(value / 0.01) * 0.01
        return value + noise.gauss(0, 0.002)
    return score


# name -> (landscape, seed). The noise of each table draws from seed + 1, in row order.
TABLES = {"smooth": (smooth, 101), "interact": (interact, 202), "plateau": (plateau, 303)}


def write(out_dir):
    layers = "".join(f"  - name: hidden{i + 1}\n    options: [{', '.join(map(str, WIDTHS))}]\n"
                     for i in range(LAYERS))
    with open(os.path.join(out_dir, "synth-space.yaml"), "w") as handle:
        handle.write(SPACE_YAML.format(layers=layers))
    for name, (landscape, seed) in TABLES.items():
        score = landscape(seed)
        rows = []
        for arch in architectures():
            params, madds = mlp_costs([WIDTHS[o] for o in arch])
            rows.append((key(arch), score(arch), params, madds))
        path = os.path.join(out_dir, f"synth-{name}.csv")
        with open(path, "w", newline="") as handle:
            handle.write("arch,score,params,madds\n")
            handle.writelines(f"{k},{s:.6f},{p},{m}\n" for k, s, p, m in rows)
        for window, low, high in WINDOWS:
            inside = [row for row in rows if low <= row[2] <= high]
            best = max(inside, key=lambda row: row[1])
            print(f"{name:9s} {window:6s} params {low}..{high}: {len(inside):5d} inside, "
                  f"optimum {best[0]} {best[1]:.4f}")
        print(f"  wrote {path} ({len(rows)} rows)")


def check(out_dir, binary, samples):
    """params/madds of a seeded sample of keys against `layernas space cost`."""
    spec = os.path.join(out_dir, "synth-space.yaml")
    with open(os.path.join(out_dir, "synth-smooth.csv")) as handle:
        rows = [line.strip().split(",") for line in handle.readlines()[1:]]
    picked = random.Random(7).sample(rows, samples)
    # The cost extremes too: all skipped, all widest.
    picked += [row for row in rows if row[0] in ("skip-skip-skip-skip-skip", "512-512-512-512-512")]
    mismatches = 0
    for arch, _, params, madds in picked:
        answer = subprocess.run([binary, "space", "cost", spec, arch, "--format", "json"],
                                check=True, capture_output=True, text=True)
        costs = json.loads(answer.stdout)["costs"]
        if (costs["params"], costs["madds"]) != (int(params), int(madds)):
            mismatches += 1
            print(f"  MISMATCH {arch}: table {params}/{madds}, layernas {costs['params']}/{costs['madds']}")
    print(f"check: {len(picked)} keys against `layernas space cost`: {mismatches} mismatches")
    return mismatches == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", default=HERE)
    parser.add_argument("--check", metavar="BIN", help="compare params/madds with this layernas binary")
    parser.add_argument("--samples", type=int, default=250)
    args = parser.parse_args()
    write(args.out_dir)
    if args.check and not check(args.out_dir, args.check, args.samples):
        sys.exit(1)


if __name__ == "__main__":
    main()
