#!/usr/bin/env python3
"""Fallback timer for bench/*.sh when hyperfine is not installed (standard library only).

    python3 bench/timeit.py RUNS OUT.json NAME PREPARE COMMAND [NAME PREPARE COMMAND ...]

Runs each COMMAND (through `sh -c`, output discarded) RUNS times after one warm-up run,
running PREPARE (untimed; "" for none) before every run. The runs are interleaved (one run of
each command per round) so that a slow spell of a shared machine falls on every command alike
instead of on whichever block was running. Writes hyperfine's JSON shape:
{"results": [{"command": NAME, "median": s, "mean": s, "stddev": s, "min": s, "max": s,
"times": [...], "user": s, "system": s}]}, where user and system are the mean CPU times of a
run (the command and all its children, from the kernel's accounting), which another
session's load on the machine changes much less than the wall time. A failing command stops
the benchmark.
"""

import json
import resource
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
    commands = [tuple(rest[i : i + 3]) for i in range(0, len(rest), 3)]
    times = {name: [] for name, _, _ in commands}
    cpu = {name: [0.0, 0.0] for name, _, _ in commands}
    for n in range(runs + 1):
        for name, prepare, cmd in commands:
            if prepare:
                run(prepare)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            run(cmd)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if n:  # the first round is a warm-up
                times[name].append(elapsed)
                cpu[name][0] += after.ru_utime - before.ru_utime
                cpu[name][1] += after.ru_stime - before.ru_stime
    results = []
    for name, _, _ in commands:
        t = times[name]
        results.append(
            {
                "command": name,
                "median": statistics.median(t),
                "mean": statistics.fmean(t),
                "stddev": statistics.stdev(t) if len(t) > 1 else 0.0,
                "min": min(t),
                "max": max(t),
                "times": t,
                "user": cpu[name][0] / len(t),
                "system": cpu[name][1] / len(t),
            }
        )
        print(f"{name}: median {results[-1]['median']:.4f} s over {runs} runs", file=sys.stderr)
    with open(out, "w") as fh:
        json.dump({"results": results}, fh, indent=2)


if __name__ == "__main__":
    main()
