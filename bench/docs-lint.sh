#!/usr/bin/env bash
# Benchmark: `agora docs lint` against its anchor, numpydoc 1.11.0's `numpydoc lint`, on the
# `.py` files of the numpy 2.4.6 wheel (the corpus files of ../shared/data/numpydoc/).
#
# numpydoc is installed by this script into the git-ignored venv at the root of the repository
# (.venv, or $VENV). The wheel is the corpus wheel of the tests, cached in
# target/corpus-wheels/ (fetched with `pip download` when missing); its `.py` files listed in
# numpy_files.txt are unpacked into a temp dir. `numpydoc lint` aborts the whole run on the
# first docstring it cannot parse, so both tools get the files numpydoc survives: the list
# without the five files of `crash_files` in numpy_all.json (482 files).
#
# Before timing, the answers are compared: the sets of `path:line: CODE` of both must agree to
# 99.5% (precision and recall), else the script stops.
# Commands, each run $RUNS times (default 3) after a warm-up:
#   numpydoc lint         python -m numpydoc lint FILE…
#   agora docs lint       agora docs lint FILE…
# The result is the ratio of medians, numpydoc / agora. Record it in bench/RESULTS.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
INDEX_PID=""
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
RUNS="${RUNS:-3}"
DATA="${AGORA_CORPUS:-$ROOT/../shared/data}"
[[ "$DATA" = /* ]] || DATA="$ROOT/$DATA"
DATA="$DATA/numpydoc"
if [[ ! -f "$DATA/numpy_files.txt" ]]; then
    echo "skip: no numpydoc corpus at $DATA (set AGORA_CORPUS to the folder holding numpydoc/)" >&2
    exit 0
fi

VENV="${VENV:-$ROOT/.venv}"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
echo "installing numpydoc into $VENV…" >&2
"$VENV/bin/pip" install --quiet numpydoc==1.11.0 >&2

corpus_wheels "$VENV/bin/pip"
WHEEL="$NUMPY_WHEEL"

echo "unpacking the numpy .py files…" >&2
mkdir -p "$WORK/numpy"
python3 - "$WHEEL" "$DATA" "$WORK/numpy" "$WORK/files.txt" <<'PY'
import json, sys, zipfile
wheel, data, dest, out = sys.argv[1:]
wanted = [l for l in open(f"{data}/numpy_files.txt").read().splitlines() if l]
crashed = set(json.load(open(f"{data}/numpy_all.json"))["crash_files"])
with zipfile.ZipFile(wheel) as z:
    for name in wanted:
        z.extract(name, dest)
open(out, "w").write("\n".join(n for n in wanted if n not in crashed) + "\n")
PY
mapfile -t FILES <"$WORK/files.txt"

echo "building agora (release)…" >&2
cargo build --release --quiet -p agora
AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
unset AGORA_CONFIG AGORA_DB AGORA_INDEX_URL

# Sanity: the same answers.
cd "$WORK/numpy"
"$VENV/bin/python" -m numpydoc lint "${FILES[@]}" >"$WORK/numpydoc.txt" 2>&1 || true
"$AGORA" docs lint --quiet "${FILES[@]}" >"$WORK/agora.txt" 2>&1 || true
python3 - "$WORK/numpydoc.txt" "$WORK/agora.txt" <<'PY' >&2
import re, sys
def keys(path):
    pattern = re.compile(r"^(\S+\.py):(\d+): ([A-Z]{2}\d{2}) ")
    return {m.groups() for m in map(pattern.match, open(path)) if m}
theirs, ours = keys(sys.argv[1]), keys(sys.argv[2])
common = len(theirs & ours)
precision, recall = common / max(len(ours), 1), common / max(len(theirs), 1)
print(f"sanity: numpydoc {len(theirs)}, agora {len(ours)}, common {common}: "
      f"precision {precision:.4%}, recall {recall:.4%}")
if min(precision, recall) < 0.995:
    sys.exit("error: agora and numpydoc disagree")
PY

printf '%q ' "$VENV/bin/python" -m numpydoc lint "${FILES[@]}" >"$WORK/numpydoc.cmd"
printf '%q ' "$AGORA" docs lint --quiet "${FILES[@]}" >"$WORK/agora.cmd"
np_cmd="cd $WORK/numpy && { $(cat "$WORK/numpydoc.cmd") >/dev/null 2>&1 || [ \$? -eq 1 ]; }"
ag_cmd="cd $WORK/numpy && { $(cat "$WORK/agora.cmd") >/dev/null 2>&1 || [ \$? -eq 1 ]; }"
ag1_cmd="cd $WORK/numpy && { $(cat "$WORK/agora.cmd") --jobs 1 >/dev/null 2>&1 || [ \$? -eq 1 ]; }"
cd "$ROOT"
measure "$WORK/docs-lint.json" \
    "numpydoc lint" "" "$np_cmd" \
    "agora docs lint" "" "$ag_cmd" \
    "agora docs lint --jobs 1" "" "$ag1_cmd"

version="$("$VENV/bin/python" -c "import importlib.metadata as m; print('numpydoc ' + m.version('numpydoc'))")"

echo
echo '## docs lint: `numpydoc lint` vs `agora docs lint`'
echo
echo "$(machine); $version; ${#FILES[@]} numpy 2.4.6 files"
echo
report "$WORK/docs-lint.json" "numpydoc lint"
