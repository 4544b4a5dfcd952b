#!/usr/bin/env bash
# Benchmark: `agora health` against its anchor, scientific-python/devstats' report notebook.
#
# The anchor is devstats 0.1 from PyPI, run the way its site is built: `devstats template` and
# `devstats publish` turn its MyST report templates into one notebook for scipy, jupytext
# converts it, and `jupyter nbconvert --execute --to html` runs every cell (numpy, pandas,
# matplotlib, bokeh) over the same dumps agora reads, $AGORA_CORPUS/github/devstats/scipy_*.json
# (default ../shared/data), writing one HTML report. It is not part of this repository:
#
#   python3 -m venv /work/venvs/health
#   /work/venvs/health/bin/pip install devstats pandas matplotlib bokeh myst-nb jupytext
#   DEVSTATS_VENV=/work/venvs/health bash bench/health.sh
#
# Without it only agora is timed. agora: `agora github import` of the two dumps into a fresh
# store (timed separately: it is done once, not per report), then `agora health scipy/scipy --format html`
# (the report from the store, what the anchor's notebook does from JSON) and `--format json`.
# Before timing, agora's JSON must give the corpus numbers (5,795 merged PRs, pony factor 16).
# Each command runs $RUNS times (default 5) after a warm-up; the result is the ratio of medians.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-5}"
bench_setup
unset AGORA_CONFIG AGORA_DB AGORA_INDEX_URL

DUMPS="${AGORA_CORPUS:-$ROOT/../shared/data}/github/devstats"
[[ "$DUMPS" != /* ]] && DUMPS="$ROOT/$DUMPS"
if [[ ! -f "$DUMPS/scipy_prs.json" ]]; then
    echo "skip: no devstats dumps at $DUMPS" >&2
    exit 0
fi

mkdir -p "$WORK/agora"
IMPORT="cd $WORK/agora && rm -f db.sqlite* && $AGORA --offline --quiet --db db.sqlite github import $DUMPS/scipy_issues.json $DUMPS/scipy_prs.json --repo scipy/scipy"
sh -c "$IMPORT" >/dev/null
HTML="cd $WORK/agora && $AGORA --offline --quiet --db db.sqlite health scipy/scipy --format html --out scipy.html"
JSON="cd $WORK/agora && $AGORA --offline --quiet --db db.sqlite health scipy/scipy --format json"
sh -c "$JSON" > "$WORK/agora/scipy.json"
python3 - "$WORK/agora/scipy.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
got = (r["pulls"]["merged"], r["pulls"]["unique_authors"], r["pulls"]["flyby_authors"], r["pulls"]["pony_factor"])
if got != (5795, 1033, 672, 16):
    sys.exit(f"error: agora's scipy numbers are {got}, not (5795, 1033, 672, 16)")
PY

ARGS=("agora health --format html" "" "$HTML" "agora health --format json" "" "$JSON")
ANCHOR_NAME=""
DEVSTATS_VENV="${DEVSTATS_VENV:-/work/venvs/health}"
if [[ -x "$DEVSTATS_VENV/bin/devstats" ]] && "$DEVSTATS_VENV/bin/python" -c "import pandas, matplotlib, bokeh, myst_nb, jupytext" 2>/dev/null; then
    A="$WORK/anchor"
    mkdir -p "$A/devstats-data"
    cp "$DUMPS/scipy_issues.json" "$DUMPS/scipy_prs.json" "$A/devstats-data/"
    (cd "$A" && "$DEVSTATS_VENV/bin/devstats" template scipy -o source >/dev/null \
        && "$DEVSTATS_VENV/bin/devstats" publish scipy -t source -o build >/dev/null \
        && cp build/scipy/index.md scipy.md \
        && "$DEVSTATS_VENV/bin/jupytext" --to ipynb scipy.md >/dev/null 2>&1)
    ANCHOR_NAME="devstats notebook (nbconvert --execute)"
    ANCHOR="cd $A && MPLBACKEND=Agg $DEVSTATS_VENV/bin/jupyter nbconvert --to html --execute scipy.ipynb --output scipy-report.html"
    sh -c "$ANCHOR" >/dev/null 2>&1 || { echo "error: the devstats notebook failed; run by hand: $ANCHOR" >&2; exit 2; }
    ARGS=("$ANCHOR_NAME" "" "$ANCHOR" "${ARGS[@]}")
else
    echo "note: no devstats venv with pandas, matplotlib, bokeh, myst-nb and jupytext at $DEVSTATS_VENV; timing agora only" >&2
fi

measure "$WORK/health.json" "${ARGS[@]}"
measure "$WORK/import.json" "agora github import (once per dump, not part of a report)" "" "$IMPORT"

echo
echo "## health: devstats' scipy report vs agora health"
echo
echo "$(machine)"
echo
if [[ -n "$ANCHOR_NAME" ]]; then
    report "$WORK/health.json" "$ANCHOR_NAME"
else
    report "$WORK/health.json" "agora health --format html"
fi
python3 - "$WORK/import.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"\nThe one-off import the reports read from: {r['command']}: median {r['median']:.4f} s (min {r['min']:.4f}, max {r['max']:.4f}).")
PY
