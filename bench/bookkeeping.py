#!/usr/bin/env python3
"""Bookkeeping overhead of layernas next to Optuna, measured in the same run (bench/README.md).

1. The store and loop with a zero-cost evaluator: `layernas search --evaluator synthetic` for
   N candidates (default 10,000) on a custom space of 6 layers x 8 options (262,144
   architectures), with --strategy random and with --strategy layernas (H=1000, k=50, P=Q=20
   so that it does not stop before N). Every result is its own committed transaction
   (synchronous=FULL), as in a real search. Wall time includes process start.
2. Optuna with SQLite storage (RDBStorage, the documented way to make a study durable), the
   same number of trials as layernas evaluations (--optuna-trials defaults to --candidates) of a
   trivial objective over 5 categorical parameters (8 choices), with RandomSampler (no model:
   pure bookkeeping, as layernas random). Also ms/trial over the first and the last tenth of the
   trials, which shows whether the per-trial cost grows with the study. Skipped when optuna is
   missing.
3. Database size per candidate, and `layernas pareto` / `status` time on a database of 1M
   candidates (same construction as Tests/NASQueryTests/BenchmarkDatabase.swift, written here
   with Python's sqlite3 into a search created by layernas itself).
Prints the figures and writes them as JSON (--output).
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "layernas"))
parser.add_argument("--candidates", type=int, default=10000)
parser.add_argument("--optuna-trials", type=int,
                    help="Optuna trials (default: --candidates, the same count as layernas evaluations)")
parser.add_argument("--million", type=int, default=1000000, help="size of the query database (0: skip)")
parser.add_argument("--dashboard", metavar="DB", help="only time the dashboard's table pages on this existing database")
parser.add_argument("--output")
args = parser.parse_args()
if args.optuna_trials is None:
    args.optuna_trials = args.candidates


def space(directory, layers, options, low, high, name="overhead"):
    lines = [f"name: {name}", "family: custom", "layers:"]
    for layer in range(1, layers + 1):
        choices = ", ".join(f"{{label: o{i}, cost: {i + 1}}}" for i in range(options))
        lines.append(f"  - {{name: l{layer}, options: [{choices}]}}")
    lines.append(f"target: {{metric: cost, min: {low}, max: {high}}}")
    path = os.path.join(directory, f"{name}.yaml")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def size(path):
    return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def layernas_loop(directory, strategy, extra):
    spec = space(directory, 6, 8, 6, 48)
    database = os.path.join(directory, f"{strategy}.db")
    seconds = timed([args.bin, "search", database, "--space", spec, "--evaluator", "synthetic", "--strategy", strategy,
                     "--budget", str(args.candidates), "--quiet"] + extra)
    connection = sqlite3.connect(database)
    evaluated, total = connection.execute(
        "SELECT sum(status = 'evaluated'), count(*) FROM candidates").fetchone()
    connection.close()
    subprocess.run([args.bin, "query", database, "PRAGMA wal_checkpoint"], capture_output=True)
    return {"strategy": strategy, "evaluations": evaluated, "candidates": total, "seconds": seconds,
            "ms_per_evaluation": 1000 * seconds / evaluated, "evaluations_per_second": evaluated / seconds,
            "bytes_per_candidate": size(database) / total}


def optuna_loop(directory):
    try:
        import optuna
    except ImportError as error:
        return {"skipped": f"optuna not importable ({error}); run bench/peers.sh"}
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    database = os.path.join(directory, "optuna.db")
    choices = [f"o{i}" for i in range(8)]
    trials = args.optuna_trials
    tenth = max(1, trials // 10)
    ends = []  # perf_counter at the end of each trial

    def finished(study, trial):
        ends.append(time.perf_counter())

    start = time.perf_counter()
    study = optuna.create_study(storage=f"sqlite:///{database}", study_name="overhead", direction="maximize",
                                sampler=optuna.samplers.RandomSampler(seed=1))
    ready = time.perf_counter()  # the first tenth is timed without the schema creation
    study.optimize(lambda trial: sum(int(trial.suggest_categorical(f"p{i}", choices)[1:]) for i in range(5)),
                   n_trials=trials, callbacks=[finished])
    seconds = time.perf_counter() - start
    first = (ends[tenth - 1] - ready) if len(ends) >= tenth else seconds
    last = (ends[-1] - ends[-tenth - 1]) if len(ends) > tenth else seconds
    return {"version": optuna.__version__, "sampler": "RandomSampler", "storage": "sqlite (RDBStorage)",
            "trials": trials, "seconds": seconds, "ms_per_trial": 1000 * seconds / trials,
            "trials_per_second": trials / seconds, "bytes_per_trial": size(database) / trials,
            "ms_per_trial_first_tenth": 1000 * first / tenth, "ms_per_trial_last_tenth": 1000 * last / tenth}


def million(directory):
    """A finished search of N candidates, as BenchmarkDatabase.swift builds it. `madds` and
    `params` get made-up values (a custom space computes neither) so that the dashboard's sorts on
    them are timed on distinct values, not on NULLs."""
    layers, options, count = 8, 6, args.million
    spec = space(directory, layers, options, 24, 32, name="bench")
    database = os.path.join(directory, "million.db")
    subprocess.run([args.bin, "search", database, "--space", spec, "--evaluator", "synthetic", "--strategy", "random",
                    "--budget", "1", "--quiet"], check=True, capture_output=True)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA foreign_keys = ON")
    digits = [f"((i / {options ** d}) % {options})" for d in range(layers)]
    arch = " || '-' || ".join(f"'o' || {d}" for d in digits)
    options_json = "json_array(" + ", ".join(f"'o' || {d}" for d in digits) + ")"
    cost = f"({layers} + " + " + ".join(digits) + ")"
    with connection:
        search_id, base = connection.execute("SELECT id, (SELECT max(id) FROM candidates) FROM searches").fetchone()
        connection.execute(f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2),
            g AS (SELECT i, {arch} AS arch, {options_json} AS options, {cost} AS cost,
                         CASE WHEN i % 100 = 99 THEN 'failed' WHEN i % 11 = 5 THEN 'dropped' ELSE 'evaluated' END AS status,
                         ((i * 2654435761) % 1000003) / 1000003.0 AS noise FROM n)
            INSERT OR IGNORE INTO candidates (id, search_id, arch, options_json, cost, madds, params, custom_cost, in_window,
                                    status, score, parent_id, layer, seq, attempts, error, seconds)
            SELECT ?3 + i + 1, ?1, arch, options, cost, (i * 7919) % 1000003, cost * 1000 + i % 997, cost, cost BETWEEN 24 AND 32,
                   status,
                   CASE WHEN status = 'evaluated' THEN 0.55 + 0.3 * (1 - exp(-3.0 * (cost - 8) / 40)) + 0.08 * noise END,
                   CASE WHEN i >= 6 THEN ?3 + i / 6 + 1 END, 1 + i % {layers}, ?3 + i + 1,
                   CASE WHEN status = 'dropped' THEN 0 ELSE 1 END,
                   CASE WHEN status = 'failed' THEN 'synthetic failure' END,
                   CASE WHEN status = 'evaluated' THEN 0.01 END
            FROM g""", (search_id, count - 1, base))
        connection.execute("""
            INSERT INTO memberships (search_id, layer, candidate_id, bucket, state, offer)
            SELECT ?1, layer, id, min(99, max(0, CAST((cost - 24) * 100 / 8 AS INTEGER))),
                   CASE WHEN seq % 50 = 0 THEN 'kept' WHEN seq % 7 = 0 THEN 'evicted' ELSE 'rejected' END, seq
            FROM candidates WHERE search_id = ?1 AND status = 'evaluated' AND id > ?2""", (search_id, base))
    total = connection.execute("SELECT count(*) FROM candidates").fetchone()[0]
    connection.close()
    figures = {"candidates": total}
    for name, command in (("pareto", [args.bin, "pareto", database, "--format", "csv"]),
                          ("status", [args.bin, "status", database]),
                          ("query_count", [args.bin, "query", database, "SELECT count(*) FROM candidates WHERE status = 'evaluated'"])):
        timed(command)  # warm the page cache
        figures[f"{name}_seconds"] = min(timed(command) for _ in range(3))
    figures["dashboard"] = dashboard(database)
    return figures


def dashboard(database):
    """Milliseconds per candidate-table page of `layernas serve` on the database (best of 3, warm
    cache): JSON and HTML, first and deep pages, sorted and filtered (README "Dashboard")."""
    import re
    import urllib.request
    server = subprocess.Popen([args.bin, "serve", database, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:([0-9]+)/", banner)
        if not found:
            return {"skipped": f"serve did not start: {banner.strip()}"}
        base = f"http://127.0.0.1:{found.group(1)}"
        table = "/api/searches/0/1/candidates?size=50"
        pages = {"first page": table, "page 10,000 (offset 500,000)": table + "&page=10000", "last page": table + "&page=20000"}
        # Every sortable column, both directions, at the start, the middle and the end.
        for column in ("id", "seq", "arch", "status", "score", "cost", "madds", "params", "custom_cost", "in_window",
                       "layer", "parent_id", "attempts", "seconds"):
            pages[f"by {column}, ascending"] = f"{table}&sort={column}&order=asc"
            pages[f"by {column}, descending, page 10,000"] = f"{table}&sort={column}&order=desc&page=10000"
            pages[f"by {column}, descending, last page"] = f"{table}&sort={column}&order=desc&page=20000"
        pages.update({
            "evaluated, in window": table + "&status=evaluated&window=in",
            "evaluated, by score, page 5,000": table + "&status=evaluated&sort=score&order=desc&page=5000",
            "in window, by cost, page 1,000": table + "&window=in&sort=cost&page=1000",
            "layer 3, by seconds, last page": table + "&layer=3&sort=seconds&order=desc&page=2500",
            "failed, layer 2, by attempts": table + "&status=failed&layer=2&sort=attempts",
            "layer 3, option 2:o1": table + "&layer=3&option=2:o1",
            "layer 3, option 2:o1, page 100": table + "&layer=3&option=2:o1&page=100",
            "HTML table, by cost": "/searches/0/1/candidates?sort=cost&order=asc",
            "HTML table, by params, page 10,000": "/searches/0/1/candidates?sort=params&order=desc&page=10000",
        })
        figures = {}
        for name, path in pages.items():
            def fetch():
                start = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=120) as response:
                    response.read()
                return 1000 * (time.perf_counter() - start)
            fetch()
            figures[name] = min(fetch() for _ in range(3))
        return {"ms_per_page": figures}
    finally:
        server.terminate()
        server.wait()


def print_pages(figures, candidates):
    pages = figures.get("ms_per_page")
    if pages is None:
        print(f"  serve: skipped: {figures.get('skipped')}")
        return
    print(f"  serve, candidate table on {candidates:,} candidates (ms per page, best of 3; target < 200 ms):")
    for name, ms in pages.items():
        print(f"    {name:40s} {ms:7.1f} ms{'' if ms < 200 else '  (over 200 ms)'}")


def main():
    if not os.path.exists(args.bin):
        sys.exit(f"bookkeeping: no layernas binary at {args.bin}")
    if args.dashboard:
        connection = sqlite3.connect(f"file:{args.dashboard}?mode=ro", uri=True)
        candidates = connection.execute("SELECT count(*) FROM candidates").fetchone()[0]
        connection.close()
        print_pages(dashboard(args.dashboard), candidates)
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="layernas-bookkeeping-", dir=os.environ.get("TMPDIR")) as directory:
        results["layernas_random"] = layernas_loop(directory, "random", [])
        results["layernas_layernas"] = layernas_loop(directory, "layernas", ["--buckets", "1000", "--per-bucket", "50",
                                                                            "--parents", "20", "--children", "20"])
        results["optuna"] = optuna_loop(directory)
        if args.million:
            results["million"] = million(directory)
    print(f"bookkeeping, zero-cost evaluator, {args.candidates} evaluations (one committed transaction each):")
    for key in ("layernas_random", "layernas_layernas"):
        r = results[key]
        print(f"  layernas --strategy {r['strategy']:8s}: {r['ms_per_evaluation']:6.2f} ms/evaluation  "
              f"{r['evaluations_per_second']:7.0f} evaluations/s  ({r['evaluations']} evaluated, {r['candidates']} candidates, "
              f"{r['bytes_per_candidate']:.0f} bytes/candidate)")
    optuna = results["optuna"]
    if "skipped" in optuna:
        print(f"  optuna: skipped: {optuna['skipped']}")
    else:
        print(f"  optuna {optuna['version']} RandomSampler, SQLite storage, {optuna['trials']} trials: {optuna['ms_per_trial']:6.2f} ms/trial  "
              f"{optuna['trials_per_second']:7.0f} trials/s  ({optuna['bytes_per_trial']:.0f} bytes/trial)")
        print(f"    first {optuna['trials'] // 10 or 1} trials {optuna['ms_per_trial_first_tenth']:.2f} ms/trial, "
              f"last {optuna['trials'] // 10 or 1} trials {optuna['ms_per_trial_last_tenth']:.2f} ms/trial")
        for key in ("layernas_random", "layernas_layernas"):
            r = results[key]
            print(f"  ratio optuna/layernas ({r['strategy']}) time per evaluation: "
                  f"{optuna['ms_per_trial'] / r['ms_per_evaluation']:.1f}x (reference: Optuna; higher = layernas cheaper)")
    if "million" in results:
        m = results["million"]
        print(f"  {m['candidates']:,} candidates: pareto {m['pareto_seconds']:.2f} s, status {m['status_seconds']:.2f} s, "
              f"query count {m['query_count_seconds']:.2f} s (best of 3, warm cache)")
        print_pages(m["dashboard"], m["candidates"])
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as handle:
            json.dump(results, handle, indent=2)
        print(f"  written: {args.output}")


main()
