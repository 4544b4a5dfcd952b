#!/usr/bin/env bash
# Benchmark: `agora pypi sync` against its anchor, pip's index client.
#
# The anchor is `pip index versions --index-url URL NAME`, which fetches and parses the same
# PEP 691 JSON project page that agora stores; it is run once per project of the SPEC 0 core
# set (ten pip processes, one after the other: pip has no command that reads several
# project pages without also downloading distributions). pip comes from $PIP (default:
# "$PYTHON -m pip", $PYTHON defaulting to .venv/bin/python, else python3).
#
# Both read the corpus ($AGORA_CORPUS/pypi/simple, default ../shared/data) from a fake PEP 691
# index on 127.0.0.1 (bench/fake_index.py), cold: pip with --no-cache-dir, agora with an empty
# --db and HTTP cache before every run. Commands, each run $RUNS times (default 10) after a
# warm-up:
#   pip, 10 projects     for p in …; do pip index versions --no-cache-dir --index-url URL $p; done
#   agora, 10 projects   agora --index-url URL --db db.sqlite pypi sync <the same 10>
#   pip, numpy           pip index versions … numpy (the largest page, 1.9 MB)
#   agora, numpy         agora … pypi sync numpy
# and a control row, ten `pip index --help` (pip's start-up without any request), to show how
# much of pip's time is interpreter and pip start-up.
# With BENCH_LIVE=1 the two 10-project commands are also run against https://pypi.org/simple
# ($LIVE_RUNS times, default 3); network time dominates there.
# The result is the ratio of medians, pip / agora. Record it in bench/RESULTS.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
unset AGORA_CONFIG AGORA_DB AGORA_INDEX_URL PIP_INDEX_URL PIP_EXTRA_INDEX_URL

PIP="${PIP:-$PYTHON -m pip}"
if ! $PIP --version >/dev/null 2>&1; then
    echo "skip: no pip at '$PIP' (set PIP)" >&2
    exit 0
fi

PROJECTS="numpy scipy matplotlib pandas scikit-image networkx scikit-learn xarray ipython zarr"
start_index
mkdir -p "$WORK/agora"

pip_cmd() { # INDEX PROJECTS…
    local index="$1"
    shift
    local cmd=""
    for p in "$@"; do
        cmd+="$PIP index versions --no-cache-dir --disable-pip-version-check --no-input --index-url $index $p >/dev/null 2>&1 && "
    done
    echo "${cmd}true"
}
agora_cmd() { # INDEX PROJECTS…
    local index="$1"
    shift
    echo "cd $WORK/agora && $AGORA --index-url $index --db db.sqlite --quiet pypi sync $* >/dev/null"
}
CLEAN="rm -rf $WORK/agora/.agora $WORK/agora/db.sqlite*"

# Sanity: both read the fake index.
pip_out="$($PIP index versions --no-cache-dir --disable-pip-version-check --index-url "$INDEX_URL" numpy 2>/dev/null || true)"
[[ "$pip_out" == "numpy ("* ]] || { echo "error: pip could not read $INDEX_URL" >&2; exit 2; }
(eval "$(agora_cmd "$INDEX_URL" $PROJECTS)") || { echo "error: agora could not sync from $INDEX_URL" >&2; exit 2; }

measure "$WORK/local.json" \
    "pip, 10 projects" "" "$(pip_cmd "$INDEX_URL" $PROJECTS)" \
    "agora, 10 projects" "$CLEAN" "$(agora_cmd "$INDEX_URL" $PROJECTS)" \
    "pip, numpy" "" "$(pip_cmd "$INDEX_URL" numpy)" \
    "agora, numpy" "$CLEAN" "$(agora_cmd "$INDEX_URL" numpy)" \
    "(control) pip start-up ×10" "" "$(for p in $PROJECTS; do printf '%s index --help >/dev/null && ' "$PIP"; done)true"

echo
echo "## pypi-sync: pip index versions vs agora pypi sync (local fake index, cold)"
echo
echo "$(machine); $($PIP --version | cut -d' ' -f1-2), python $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"
echo
python3 - "$WORK/local.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print("| command | median (s) | min (s) | max (s) | pip / agora |")
print("|---|---:|---:|---:|---:|")
control = r["(control) pip start-up ×10"]
for what in ("10 projects", "numpy"):
    pip, agora = r[f"pip, {what}"], r[f"agora, {what}"]
    for x in (pip, agora):
        ratio = f"{pip['median'] / agora['median']:.1f}×" if x is agora else ""
        print(f"| {x['command']} | {x['median']:.4f} | {x['min']:.4f} | {x['max']:.4f} | {ratio} |")
print(f"| {control['command']} | {control['median']:.4f} | {control['min']:.4f} | {control['max']:.4f} | |")
PY

if [[ "${BENCH_LIVE:-0}" == 1 ]]; then
    LIVE=https://pypi.org/simple
    RUNS="${LIVE_RUNS:-3}" measure "$WORK/live.json" \
        "pip, 10 projects, live" "" "$(pip_cmd "$LIVE" $PROJECTS)" \
        "agora, 10 projects, live" "$CLEAN" "$(agora_cmd "$LIVE" $PROJECTS)"
    echo
    echo "live ($LIVE, ${LIVE_RUNS:-3} runs):"
    echo
    report "$WORK/live.json" "pip, 10 projects, live"
fi
echo
echo "pip:   for p in PROJECTS; do $PIP index versions --no-cache-dir --disable-pip-version-check --index-url URL \$p; done"
echo "agora: agora --index-url URL --db db.sqlite --quiet pypi sync PROJECTS   # rm -rf .agora db.sqlite* before each run"
