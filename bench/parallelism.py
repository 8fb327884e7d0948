#!/usr/bin/env python3
"""Search throughput for each split of the cores between trainings (bench/README.md, section 1).

Runs `layernas search` with the built-in trainer on a spec (default: `make run`'s
examples/fashion-mlp.yaml and the CNN example examples/fashion-cnn.yaml, with their recipes) for
a small budget, once per `--jobs` x `--threads` split of the machine's cores (1 x cores, ...,
cores x 1), and once with neither option (the default `search` chooses). The splits run
alternately, `--rounds` times, and the best run of each counts. Reports evaluations per hour, and
checks that runs with the same thread count evaluated the same candidates (`--jobs` never changes
them; the thread count changes the scores, so it may).

Usage: parallelism.py --bin BIN [--spec SPEC ...] [--budget N] [--rounds 2] [--output FILE]
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True)
parser.add_argument("--spec", action="append",
                    help="spec and budget as PATH:BUDGET (default: fashion-mlp.yaml:16, fashion-cnn.yaml:8)")
parser.add_argument("--rounds", type=int, default=2)
parser.add_argument("--output")
args = parser.parse_args()
cores = os.cpu_count() or 1
specs = args.spec or [os.path.join(here, "..", "examples", "fashion-mlp.yaml") + ":16",
                      os.path.join(here, "..", "examples", "fashion-cnn.yaml") + ":8"]


def splits():
    """(jobs, threads) pairs that use every core, then None for the default choice."""
    pairs = [(jobs, cores // jobs) for jobs in range(1, cores + 1) if cores % jobs == 0]
    return pairs + [None]


def run(spec, budget, split, directory):
    database = os.path.join(directory, f"run-{time.monotonic_ns()}.db")
    options = [] if split is None else ["--jobs", str(split[0]), "--threads", str(split[1])]
    start = time.perf_counter()
    result = subprocess.run([args.bin, "search", database, "--space", spec, "--budget", str(budget)] + options,
                            check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    chosen = re.search(r"(\d+) at once × (\d+) thread", result.stderr)
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    evaluated, keys = connection.execute(
        "SELECT count(*), group_concat(arch, ' ') FROM (SELECT arch FROM candidates WHERE status = 'evaluated' ORDER BY seq)").fetchone()
    connection.close()
    return {"seconds": seconds, "evaluated": evaluated, "evaluations_per_hour": 3600 * evaluated / seconds, "keys": keys,
            "chosen": [int(chosen.group(1)), int(chosen.group(2))] if chosen else None}


def main():
    results = []
    with tempfile.TemporaryDirectory(prefix="layernas-parallelism-") as directory:
        for item in specs:
            spec, budget = item.rsplit(":", 1)
            runs = {}
            for _ in range(args.rounds):
                for split in splits():
                    runs.setdefault(split, []).append(run(spec, int(budget), split, directory))
            print(f"  {os.path.basename(spec)}, budget {budget}, {cores} cores (best of {args.rounds}, alternating):")
            figures = []
            for split, measured in runs.items():
                best = max(measured, key=lambda r: r["evaluations_per_hour"])
                label = "default" if split is None else f"--jobs {split[0]} --threads {split[1]}"
                if split is None and best["chosen"]:
                    label += f" (chose {best['chosen'][0]} x {best['chosen'][1]})"
                same = all(r["keys"] == measured[0]["keys"] for r in measured)
                spread = ", ".join("%.1f" % r["seconds"] for r in measured)
                print(f"    {label:36s} {best['evaluations_per_hour']:8.0f} evaluations/hour  "
                      f"({best['evaluated']} in {best['seconds']:.1f} s; runs {spread} s)")
                figures.append({"split": split, "chosen": best["chosen"], "evaluations_per_hour": best["evaluations_per_hour"],
                                "seconds": [r["seconds"] for r in measured], "same_candidates": same})
            # Scores depend on the thread count (README "The built-in trainer"), and the search follows
            # the scores, so only runs with the same threads must evaluate the same candidates.
            by_threads = {}
            for split, measured in runs.items():
                for r in measured:
                    threads = split[1] if split else (r["chosen"] or [None, None])[1]
                    by_threads.setdefault(threads, set()).add(r["keys"])
            same = all(len(keys) == 1 for keys in by_threads.values())
            print(f"    runs with the same thread count evaluated the same candidates: {'yes' if same else 'NO'}")
            results.append({"spec": os.path.basename(spec), "budget": int(budget), "cores": cores, "splits": figures})
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as handle:
            json.dump(results, handle, indent=2)


main()
