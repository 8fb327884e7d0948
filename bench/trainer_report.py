#!/usr/bin/env python3
"""Prints the trainer figures of `layernas bench` next to its peers, as ratios layernas/peer.

usage: trainer_report.py RESULTS_DIR   (reads trainer.json, peer-numpy.json, peer-torch.json and
the alternating rounds trainer-round-N.json / peer-torch-round-N.json; writes
trainer-comparison.json)
"""
import glob
import json
import os
import re
import statistics
import sys

directory = sys.argv[1]
with open(os.path.join(directory, "trainer.json")) as handle:
    own = json.load(handle)
peers = {}
for framework in ("numpy", "torch"):
    path = os.path.join(directory, f"peer-{framework}.json")
    try:
        with open(path) as handle:
            peers[framework] = json.load(handle)
    except (OSError, ValueError) as error:
        peers[framework] = {"skipped": f"no result ({error})"}

print(f"trainer vs peers, {own['threads']} threads, same networks, data and recipe (samples/s; ratio = layernas/peer, "
      f"> 1 means layernas is faster):")
print(f"  layernas kernel: OpenBLAS {own['blas_kernel']} ({own['kernel_origin']}); sgemm {own['sgemm_gflops']:.1f} GFLOP/s")
for framework, peer in peers.items():
    if "skipped" in peer:
        print(f"  {framework}: skipped: {peer['skipped']}")
    else:
        print(f"  {framework} {peer['version']}: {peer['kernel']}")
comparison = []
for figure in own["trainer"]:
    row = {"name": figure["name"], "batch_size": figure["batch_size"], "layernas_samples_per_second": figure["samples_per_second"],
           "layernas_gflops": figure["gflops"], "layernas_fraction_of_sgemm": figure["fraction_of_sgemm"],
           "layernas_validation_accuracy": figure["validation_accuracy"]}
    text = (f"  {figure['name']:32s} b{figure['batch_size']:<4d} layernas {figure['samples_per_second']:8.0f} "
            f"({figure['gflops']:5.1f} GFLOP/s, {figure['fraction_of_sgemm']:.2f} of sgemm, val {figure['validation_accuracy']:.3f})")
    for framework, peer in peers.items():
        match = next((f for f in peer.get("figures", []) if f["name"] == figure["name"]), None)
        if match:
            ratio = figure["samples_per_second"] / match["samples_per_second"]
            row[f"{framework}_samples_per_second"] = match["samples_per_second"]
            row[f"{framework}_validation_accuracy"] = match["validation_accuracy"]
            row[f"ratio_layernas_over_{framework}"] = ratio
            text += f"\n{'':40s}{framework:8s} {match['samples_per_second']:8.0f} (val {match['validation_accuracy']:.3f})  ratio {ratio:5.2f}"
    print(text)
    comparison.append(row)

# Issue 16's goals, layernas/PyTorch on the same threads, judged on the median of the rounds.
GOALS = {"mlp 784-256-256-10": 1.2, "mlp 784-1024-1024-10": 1.0,
         "cnn c16k3p2-c32k3p2-1568-10": 1.0, "cnn c32k3s2-c64k3s2-c128k3s2-gap": 1.0}


def rounds_of(prefix):
    found = {}
    for path in glob.glob(os.path.join(directory, f"{prefix}-round-*.json")):
        number = int(re.search(r"round-(\d+)\.json$", path).group(1))
        with open(path) as handle:
            found[number] = json.load(handle)
    return found


own_rounds, torch_rounds = rounds_of("trainer"), rounds_of("peer-torch")
paired = sorted(n for n in own_rounds if n in torch_rounds and "figures" in torch_rounds[n])
round_table = []
if paired:
    print(f"layernas / PyTorch in {len(paired)} alternating rounds (samples/s median and range; ratio per round, median):")
    for figure in own["trainer"]:
        name = figure["name"]
        ours = [next(f["samples_per_second"] for f in own_rounds[n]["trainer"] if f["name"] == name) for n in paired]
        theirs = [next((f["samples_per_second"] for f in torch_rounds[n]["figures"] if f["name"] == name), None) for n in paired]
        if None in theirs:
            continue
        ratios = [a / b for a, b in zip(ours, theirs)]
        median = statistics.median(ratios)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"  goal >= {goal}: {'met' if median >= goal else 'MISSED'}"
        print(f"  {name:32s} layernas {statistics.median(ours):8.0f} ({min(ours):.0f}-{max(ours):.0f})  "
              f"torch {statistics.median(theirs):8.0f} ({min(theirs):.0f}-{max(theirs):.0f})  "
              f"ratios {' '.join(f'{r:.2f}' for r in ratios)}  median {median:.2f}{verdict}")
        round_table.append({"name": name, "layernas": ours, "torch": theirs, "ratios": ratios, "median_ratio": median,
                            "goal": goal, "goal_met": None if goal is None else median >= goal})

own_kernel_path = os.path.join(directory, "trainer-own-kernel.json")
own_kernel = None
if os.path.exists(own_kernel_path):
    # run.sh measured a second time without the user's OPENBLAS_CORETYPE.
    with open(own_kernel_path) as handle:
        own_kernel = json.load(handle)
    print(f"  with the kernel layernas chooses itself: OpenBLAS {own_kernel['blas_kernel']} ({own_kernel['kernel_origin']}); "
          f"sgemm {own_kernel['sgemm_gflops']:.1f} GFLOP/s")
    for figure in own_kernel["trainer"]:
        print(f"  {figure['name']:32s} b{figure['batch_size']:<4d} layernas {figure['samples_per_second']:8.0f} "
              f"({figure['gflops']:5.1f} GFLOP/s, {figure['fraction_of_sgemm']:.2f} of sgemm)")
else:
    print(f"  kernel as set = kernel as layernas chooses it ({own['kernel_origin']})")
with open(os.path.join(directory, "trainer-comparison.json"), "w") as handle:
    json.dump({"layernas": {k: own[k] for k in ("blas_kernel", "kernel_origin", "threads", "sgemm_gflops")},
               "layernas_own_kernel": own_kernel,
               "peers": {k: {x: v[x] for x in ("version", "kernel", "skipped") if x in v} for k, v in peers.items()},
               "networks": comparison, "rounds": round_table}, handle, indent=2)
