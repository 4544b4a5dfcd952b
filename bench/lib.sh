# Shared helpers for bench/*.sh (sourced, not run). Needs: cargo, python3; hyperfine if present.
#
# After `bench_setup`: ROOT (the repo), WORK (a temp dir removed on exit), AGORA (the release
# binary, freshly built), CORPUS (the PyPI pages), PYTHON (for the anchors). `start_index`
# serves CORPUS on 127.0.0.1 and sets INDEX_URL; the server is killed on exit.

bench_setup() {
    ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cd "$ROOT"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
    INDEX_PID=""
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    CORPUS="${AGORA_CORPUS:-$ROOT/../shared/data}/pypi/simple"
    if [[ ! -f "$CORPUS/numpy.json" ]]; then
        echo "skip: no PyPI corpus at $CORPUS (set AGORA_CORPUS to the folder holding pypi/simple/)" >&2
        exit 0
    fi
    if [[ -z "${PYTHON:-}" ]]; then
        if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
    fi
    RUNS="${RUNS:-10}"
    echo "building agora (release)…" >&2
    cargo build --release --quiet -p agora
    AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
}

# copy_asv_synthetic SRC DEST: copies the kedro-synthetic asv project SRC to DEST and builds
# its git repository (DEST/history.git) from DEST/history.fi.
copy_asv_synthetic() {
    cp -r "$1" "$2"
    git init -q --bare "$2/history.git"
    git --git-dir="$2/history.git" fast-import --quiet < "$2/history.fi"
}

bench_cleanup() {
    if [[ -n "${INDEX_PID:-}" ]]; then
        kill "$INDEX_PID" 2>/dev/null || true
        wait "$INDEX_PID" 2>/dev/null || true
    fi
    [[ -n "${WORK:-}" ]] && rm -rf "$WORK"
}

start_index() {
    python3 "$ROOT/bench/fake_index.py" "$CORPUS" "$WORK/port" &
    INDEX_PID=$!
    for _ in $(seq 100); do
        [[ -s "$WORK/port" ]] && break
        sleep 0.05
    done
    [[ -s "$WORK/port" ]] || { echo "error: the fake index did not start" >&2; exit 2; }
    INDEX_URL="http://127.0.0.1:$(cat "$WORK/port")/simple"
}

# measure OUT.json NAME PREPARE COMMAND [NAME PREPARE COMMAND …]
# Times each command RUNS times (one warm-up run first), PREPARE untimed before every run.
measure() {
    local out="$1"
    shift
    if command -v hyperfine >/dev/null; then
        local args=()
        while (($#)); do
            args+=(--command-name "$1" --prepare "${2:-true}" "$3")
            shift 3
        done
        hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$out" "${args[@]}" >&2
    else
        python3 "$ROOT/bench/timeit.py" "$RUNS" "$out" "$@"
    fi
}

# report OUT.json ANCHOR_NAME: medians and the ratio median(anchor) / median(each other);
# rows named "(control) …" (what the anchor spends before doing any work) get no ratio.
report() {
    python3 - "$1" "$2" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
anchor = next(r for r in results if r["command"] == sys.argv[2])
print(f"| command | median (s) | min (s) | max (s) | {sys.argv[2]} / this |")
print("|---|---:|---:|---:|---:|")
for r in results:
    ratio = "" if r["command"].startswith("(control)") else f"{anchor['median'] / r['median']:.1f}×"
    print(f"| {r['command']} | {r['median']:.4f} | {r['min']:.4f} | {r['max']:.4f} | {ratio} |")
PY
}

# report_cpu OUT.json ANCHOR_NAME: as report, with each command's mean CPU time per run
# (user + system, the command and its children: hyperfine's and bench/timeit.py's "user" and
# "system") beside the wall time, and the ratio of both; CPU time moves much less than wall
# time when other work shares the machine.
report_cpu() {
    python3 - "$1" "$2" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
anchor = next(r for r in results if r["command"] == sys.argv[2])
cpu = lambda r: r["user"] + r["system"]
print(f"| command | wall median (s) | wall min (s) | CPU user+sys (s) | {sys.argv[2]} / this, wall | {sys.argv[2]} / this, CPU |")
print("|---|---:|---:|---:|---:|---:|")
for r in results:
    wall = f"{anchor['median'] / r['median']:.1f}×"
    ratio = f"{cpu(anchor) / cpu(r):.1f}×"
    print(f"| {r['command']} | {r['median']:.4f} | {r['min']:.4f} | {cpu(r):.4f} ({r['user']:.4f} + {r['system']:.4f}) | {wall} | {ratio} |")
PY
}

# corpus_wheels PIP: the numpy 2.4.6 and scipy 1.17.1 cp311 manylinux wheels of the corpus tests,
# cached in target/corpus-wheels/ (the same cache as agora-corpus uses) and fetched with PIP when
# missing; sets NUMPY_WHEEL and SCIPY_WHEEL.
corpus_wheels() {
    local pip="$1" dir="$ROOT/target/corpus-wheels" tmp wheel
    mkdir -p "$dir"
    find_wheel() { ls "$dir"/"$1"*manylinux*.whl 2>/dev/null | tail -n 1; }
    if [[ -z "$(find_wheel numpy-2.4.6-cp311-cp311-)" || -z "$(find_wheel scipy-1.17.1-cp311-cp311-)" ]]; then
        echo "downloading the corpus wheels…" >&2
        tmp="$(mktemp -d "$ROOT/target/corpus-download.XXXXXX")"
        "$pip" download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
            numpy==2.4.6 scipy==1.17.1 -d "$tmp" >&2
        for wheel in "$tmp"/*.whl; do
            [[ -e "$dir/$(basename "$wheel")" ]] || mv "$wheel" "$dir/"
        done
        rm -rf "$tmp"
    fi
    NUMPY_WHEEL="$(find_wheel numpy-2.4.6-cp311-cp311-)"
    SCIPY_WHEEL="$(find_wheel scipy-1.17.1-cp311-cp311-)"
}

machine() {
    local timer="bench/timeit.py"
    command -v hyperfine >/dev/null && timer="$(hyperfine --version)"
    echo "date $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr), timer: $timer, runs: $RUNS"
}
