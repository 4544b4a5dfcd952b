#!/usr/bin/env python3
"""The hub-scale asv corpora that bench/bench-publish.sh and the tests share, made from
kedro-synthetic ($AGORA_CORPUS/asv/kedro-synthetic: kedro's 424 real result files on a
synthetic linear history).

    python3 bench/hub_corpus.py machines OUT [--machines 10]
    python3 bench/hub_corpus.py projects OUT [--projects 50] [--files 100]
    python3 bench/hub_corpus.py reference REGRESSIONS_JSON OUT

`reference` rewrites asv's html/regressions.json (of `asv publish --no-pull` in a `machines`
corpus) as the tests' reference, crates/agora-bench-hosting/tests/data/hub-regressions.json:
the same entries, sorted (asv's order follows its directory listing), one a line.

`machines` writes one asv project, OUT/asv.conf.json and OUT/results/, whose results are
kedro's replicated onto MACHINES machine folders (runner-00, runner-01, ...): every result
file in every folder, its timings scaled by the machine's speed and a little noise. asv can
publish it as it is (`asv publish --no-pull` in OUT).

`projects` writes PROJECTS asv projects, OUT/p00/ ... (each with asv.conf.json and results/
holding one machine folder, ci), of FILES result files each: a window of kedro's files
(by name, which is random in commit order), its timings perturbed by the project's seed.

Both build the git repository of kedro-synthetic's history (OUT/history.git, from
history.fi with `git fast-import`), which every project's asv.conf.json names; the commit
order comes from it, so every file is placed on the same commits as kedro's.

Deterministic: the perturbations come from SHA-256 of (seed, file, benchmark, value
position), never from a clock or a random state, and the JSON is written the way Python's
json module writes it (floats as their shortest round-trip repr), so the same command
always writes the same bytes. Only the standard library is used.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

# The columns of a format-2 result whose numbers are timings (scaled alike, so that a value
# stays inside its confidence interval and quartiles).
SCALED = ("result", "stats_ci_99_a", "stats_ci_99_b", "stats_q_25", "stats_q_75", "samples")


def unit(*parts):
    """A number in [0, 1) from the SHA-256 of the parts."""
    digest = hashlib.sha256("\0".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "little") / 2**64


def scale(value, factor):
    """value times factor, keeping None, NaN-free floats, ints as ints, and nesting."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [scale(v, factor) for v in value]
    if isinstance(value, int):
        return int(round(value * factor))
    if isinstance(value, float):
        return value * factor
    return value


def perturb(result, seed, speed, name):
    """A copy of a parsed result file whose timings are scaled by speed and by up to +-2%
    noise per (seed, file, benchmark): the machine or project given by seed."""
    columns = result["result_columns"]
    out = dict(result)
    benchmarks = {}
    for bench, row in result["results"].items():
        factor = speed * (1.0 + 0.04 * (unit(seed, name, bench) - 0.5))
        row = list(row)
        for i, column in enumerate(columns[: len(row)]):
            if column in SCALED:
                row[i] = scale(row[i], factor)
        benchmarks[bench] = row
    out["results"] = benchmarks
    return out


def write_json(path, data):
    """Writes a result file in one line, as kedro's are."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)


def source_files(source):
    """kedro-synthetic's result files: name -> parsed JSON, in name order."""
    folder = os.path.join(source, "results", "github-actions")
    names = sorted(
        n for n in os.listdir(folder) if n.endswith(".json") and n not in ("machine.json", "benchmarks.json")
    )
    files = {}
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            files[name] = json.load(f)
    return files


def build_history(source, out):
    """OUT/history.git from kedro-synthetic's history.fi (its hashes are those of results/)."""
    repo = os.path.join(out, "history.git")
    if os.path.isdir(repo):
        shutil.rmtree(repo)
    subprocess.run(["git", "init", "-q", "--bare", repo], check=True)
    with open(os.path.join(source, "history.fi"), "rb") as stream:
        subprocess.run(["git", f"--git-dir={repo}", "fast-import", "--quiet"], stdin=stream, check=True)


def write_project(folder, project, repo, source, machines):
    """An asv project in folder: asv.conf.json naming repo, results/benchmarks.json, and for
    each (machine, files) a machine folder with its machine.json and files."""
    os.makedirs(os.path.join(folder, "results"), exist_ok=True)
    with open(os.path.join(source, "asv.conf.json"), encoding="utf-8") as f:
        config = json.load(f)
    config["project"] = project
    config["repo"] = repo
    with open(os.path.join(folder, "asv.conf.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=4)
    shutil.copyfile(
        os.path.join(source, "results", "benchmarks.json"), os.path.join(folder, "results", "benchmarks.json")
    )
    for machine, files in machines:
        mdir = os.path.join(folder, "results", machine)
        os.makedirs(mdir, exist_ok=True)
        with open(os.path.join(mdir, "machine.json"), "w", encoding="utf-8") as f:
            json.dump({"machine": machine, "version": 1}, f, indent=4)
        for name, data in files:
            write_json(os.path.join(mdir, name), data)


def on_machine(result, machine):
    """result as run on machine (its params name the machine)."""
    result["params"] = dict(result["params"], machine=machine)
    return result


def machines_corpus(source, out, count):
    """kedro's results on count machines, in one project."""
    files = source_files(source)
    machines = []
    for m in range(count):
        machine = f"runner-{m:02d}"
        # Machines from 0.8x to 1.25x kedro's speed, in a fixed order.
        speed = 0.8 + 0.45 * unit("speed", machine)
        machines.append(
            (machine, [(name, on_machine(perturb(data, machine, speed, name), machine)) for name, data in files.items()])
        )
    write_project(out, "kedro-hub", "history.git", source, machines)
    build_history(source, out)
    return count * len(files)


def projects_corpus(source, out, count, per_project):
    """count projects of per_project files each, every one on machine ci."""
    files = source_files(source)
    names = list(files)
    if per_project > len(names):
        sys.exit(f"--files {per_project}: kedro-synthetic has only {len(names)} result files")
    for p in range(count):
        project = f"p{p:02d}"
        start = (p * 37) % len(names)
        window = [names[(start + k) % len(names)] for k in range(per_project)]
        speed = 0.8 + 0.45 * unit("speed", project)
        chosen = [(name, on_machine(perturb(files[name], project, speed, name), "ci")) for name in window]
        write_project(os.path.join(out, project), project, "../history.git", source, [("ci", chosen)])
    build_history(source, out)
    return count * per_project


def reference(regressions, out):
    """asv's regressions.json, its entries sorted, one a line."""
    with open(regressions, encoding="utf-8") as f:
        entries = json.load(f)["regressions"]
    lines = sorted(json.dumps(entry) for entry in entries)
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"regressions": [\n' + ",\n".join(lines) + "\n]}\n")
    return len(lines)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "reference":
        count = reference(sys.argv[2], sys.argv[3])
        print(f"{count} regressions in {sys.argv[3]}", file=sys.stderr)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shape", choices=["machines", "projects"])
    parser.add_argument("out", help="the folder to write (created; must be empty or absent)")
    parser.add_argument("--machines", type=int, default=10)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--files", type=int, default=100, help="result files per project")
    parser.add_argument(
        "--source",
        help="kedro-synthetic [default: $AGORA_CORPUS/asv/kedro-synthetic, AGORA_CORPUS defaulting to ../shared/data]",
    )
    args = parser.parse_args()
    source = args.source
    if source is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        corpus = os.environ.get("AGORA_CORPUS", os.path.join(root, "..", "shared", "data"))
        if not os.path.isabs(corpus):
            corpus = os.path.join(root, corpus)
        source = os.path.join(corpus, "asv", "kedro-synthetic")
    if not os.path.isfile(os.path.join(source, "history.fi")):
        sys.exit(f"error: no kedro-synthetic at {source} (no history.fi); set AGORA_CORPUS or --source")
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"error: {args.out} is not empty")
    os.makedirs(args.out, exist_ok=True)
    if args.shape == "machines":
        written = machines_corpus(source, args.out, args.machines)
    else:
        written = projects_corpus(source, args.out, args.projects, args.files)
    print(f"{written} result files in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
