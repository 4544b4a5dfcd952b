#!/usr/bin/env python3
"""Fallback timer for bench/*.sh when hyperfine is not installed (standard library only).

    python3 bench/timeit.py RUNS OUT.json NAME PREPARE COMMAND [NAME PREPARE COMMAND ...]

Runs each COMMAND (through `sh -c`, output discarded) RUNS times after one warm-up run,
running PREPARE (untimed; "" for none) before every run, and writes hyperfine's JSON shape:
{"results": [{"command": NAME, "median": s, "mean": s, "stddev": s, "min": s, "max": s,
"times": [...]}]}. A failing command stops the benchmark.
"""

import json
import statistics
import subprocess
import sys
import time


def run(cmd):
    subprocess.run(
        ["sh", "-c", cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def main():
    runs, out, rest = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    if len(rest) % 3:
        sys.exit("expected NAME PREPARE COMMAND triples")
    results = []
    for i in range(0, len(rest), 3):
        name, prepare, cmd = rest[i : i + 3]
        times = []
        for n in range(runs + 1):
            if prepare:
                run(prepare)
            start = time.perf_counter()
            run(cmd)
            elapsed = time.perf_counter() - start
            if n:  # the first run is a warm-up
                times.append(elapsed)
        results.append(
            {
                "command": name,
                "median": statistics.median(times),
                "mean": statistics.fmean(times),
                "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
                "min": min(times),
                "max": max(times),
                "times": times,
            }
        )
        print(f"{name}: median {results[-1]['median']:.4f} s over {runs} runs", file=sys.stderr)
    with open(out, "w") as fh:
        json.dump({"results": results}, fh, indent=2)


if __name__ == "__main__":
    main()
