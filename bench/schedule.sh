#!/usr/bin/env bash
# Benchmark: `agora schedule` against its anchor, the SPEC 0 reference script.
#
# The anchor is scientific-python/spec0-action's spec0_versions.py (or scientific-python/specs'
# spec-0000/SPEC0_versions.py, which has the same shape). Its code is not part of this
# repository: fetch a copy yourself and point SPEC0_SCRIPT at it, e.g.
#
#   curl -fsSLo /tmp/spec0_versions.py \
#       https://raw.githubusercontent.com/scientific-python/spec0-action/main/spec0_versions.py
#   SPEC0_SCRIPT=/tmp/spec0_versions.py bash bench/schedule.sh
#
# It needs pandas, requests and packaging in $PYTHON (default: .venv/bin/python, else python3).
# Without SPEC0_SCRIPT the benchmark is skipped.
#
# Both tools read the same corpus ($AGORA_CORPUS/pypi/simple, default ../shared/data) from a
# fake PEP 691 index on 127.0.0.1 (bench/fake_index.py), so the network does not dominate. The
# copy of the anchor is changed in one place only: its URL https://pypi.org/simple/{package}
# points at the fake index. Three commands, each run $RUNS times (default 10) after a warm-up:
#   anchor        python spec0_versions.py (writes chart.md, schedule.json, schedule.md)
#   agora cold    agora schedule --format markdown, empty --db and empty HTTP cache every run
#   agora warm    the same with the store and the HTTP cache of the previous run (pages fresh)
# and a control row, the anchor's imports alone (python -c "import pandas, requests, …"), to
# show how much of the anchor's time is interpreter and pandas start-up.
# The result is the ratio of medians, anchor / agora. Record it in bench/RESULTS.md.
set -euo pipefail

if [[ -z "${SPEC0_SCRIPT:-}" ]]; then
    echo "skip: set SPEC0_SCRIPT=/path/to/spec0_versions.py (see the header of $0 for where to get it)" >&2
    exit 0
fi
if [[ ! -f "$SPEC0_SCRIPT" ]]; then
    echo "error: SPEC0_SCRIPT=$SPEC0_SCRIPT is not a file" >&2
    exit 2
fi
SPEC0_SCRIPT="$(cd "$(dirname "$SPEC0_SCRIPT")" && pwd)/$(basename "$SPEC0_SCRIPT")"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
unset AGORA_CONFIG AGORA_DB AGORA_INDEX_URL

if ! "$PYTHON" -c "import pandas, requests, packaging" 2>/dev/null; then
    echo "skip: $PYTHON lacks pandas, requests or packaging (set PYTHON to one that has them)" >&2
    exit 0
fi

start_index

# The anchor's copy, reading the fake index instead of pypi.org.
"$PYTHON" - "$SPEC0_SCRIPT" "$WORK/anchor.py" "$INDEX_URL" <<'PY'
import sys
src, dst, index = sys.argv[1:]
text = open(src).read()
old = 'f"https://pypi.org/simple/{package}"'
if old not in text:
    sys.exit(f"error: {src} has no {old}; is it the SPEC 0 script?")
open(dst, "w").write(text.replace(old, 'f"' + index + '/{package}/"'))
PY
mkdir -p "$WORK/anchor" "$WORK/cold" "$WORK/warm"

AG="$AGORA --index-url $INDEX_URL --db db.sqlite --quiet schedule --format markdown"
ANCHOR_CMD="cd $WORK/anchor && $PYTHON $WORK/anchor.py"
COLD_CMD="cd $WORK/cold && $AG > schedule.md"
WARM_CMD="cd $WORK/warm && $AG > schedule.md"

# Sanity: both produce a schedule from the fake index.
(cd "$WORK/anchor" && "$PYTHON" "$WORK/anchor.py" >/dev/null)
(cd "$WORK/warm" && $AG > schedule.md)
[[ -s "$WORK/anchor/schedule.md" && -s "$WORK/warm/schedule.md" ]] || { echo "error: no schedule produced" >&2; exit 2; }

measure "$WORK/schedule.json" \
    "anchor" "" "$ANCHOR_CMD" \
    "agora cold" "rm -rf $WORK/cold/.agora $WORK/cold/db.sqlite*" "$COLD_CMD" \
    "agora warm" "" "$WARM_CMD" \
    "(control) anchor's imports only" "" "$PYTHON -c 'import pandas, requests, packaging.version'"

echo
echo "## schedule: $(basename "$SPEC0_SCRIPT") vs agora schedule"
echo
echo "$(machine); python $("$PYTHON" -c 'import sys, pandas; print(sys.version.split()[0] + ", pandas " + pandas.__version__)')"
echo
report "$WORK/schedule.json" "anchor"
echo
echo "anchor:     (cd DIR && python spec0_versions.py)   # URL pointed at the fake index"
echo "agora cold: agora --index-url URL --db db.sqlite --quiet schedule --format markdown   # rm -rf .agora db.sqlite* before each run"
echo "agora warm: the same, store and HTTP cache kept"
