#!/usr/bin/env bash
# Benchmark: `agora bench` (ingest + regressions + publish) against `asv publish`.
#
# The anchor is asv 0.6.6. It is not part of this repository: install it in a venv and point
# ASV at its asv binary (default: .venv/bin/asv, else /work/venvs/bench/bin/asv), e.g.
#
#   python3 -m venv .venv && .venv/bin/pip install asv==0.6.6
#   bash bench/bench-publish.sh
#
# Without it the benchmark is skipped. The data is $AGORA_CORPUS/asv/kedro-synthetic (default
# ../shared/data): kedro's 424 real result files on a synthetic linear history of empty
# commits, whose git repository the script builds in a temp dir with `git fast-import`, as the
# folder's README says. Before timing, both tools run once and agora's regressions
# (`--format asv`) must equal asv's html/regressions.json (same entries; asv's order follows
# the directory listing, so entries are compared as a set) — a mismatch aborts.
#
# Timed, $RUNS times each (default 5) after a warm-up:
#   asv publish             asv publish --no-pull (rebuilds everything from the results)
#   agora, from scratch     empty store: agora bench ingest DIR --repo history.git, then
#                           agora bench regressions --format asv, then agora bench publish
#   agora, one new file     the store holds every result but one; that file is added, then the
#                           same three commands (ingest reads only the new file, steps are
#                           refitted only for the series it touches, publish rewrites only the
#                           pages that changed)
# and, for the incremental case, asv publish again (asv has no incremental mode).
# The result is the ratio of medians, asv / agora. Record it in bench/RESULTS.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CALLER_DIR="$(pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ASV="${ASV:-}"
if [[ -z "$ASV" ]]; then
    if [[ -x "$ROOT/.venv/bin/asv" ]]; then ASV="$ROOT/.venv/bin/asv"; else ASV=/work/venvs/bench/bin/asv; fi
elif [[ "$ASV" != /* && -x "$CALLER_DIR/$ASV" ]]; then
    ASV="$CALLER_DIR/$ASV"
fi
if [[ ! -x "$ASV" ]] || ! "$ASV" --version >/dev/null 2>&1; then
    echo "skip: no asv at $ASV; install it (pip install asv==0.6.6) and set ASV=/path/to/asv" >&2
    exit 0
fi

DATA="${AGORA_CORPUS:-$ROOT/../shared/data}"
[[ "$DATA" != /* ]] && DATA="$ROOT/$DATA"
DATA="$DATA/asv/kedro-synthetic"
if [[ ! -f "$DATA/history.fi" ]]; then
    echo "skip: no $DATA/history.fi (set AGORA_CORPUS to the folder holding asv/)" >&2
    exit 0
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
INDEX_PID=""
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
RUNS="${RUNS:-5}"
echo "building agora (release)…" >&2
cargo build --release --quiet -p agora
AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"

# The asv project: results, config, and the git repository built from history.fi.
copy_asv_synthetic "$DATA" "$WORK/syn"
FILES=$(find "$WORK/syn/results" -name '*.json' ! -name machine.json ! -name benchmarks.json | wc -l)
# The file held back for the incremental run: the newest result of the main environment.
LAST=$(ls "$WORK/syn/results/github-actions/" | grep -v -e machine.json -e benchmarks.json | tail -1)
mkdir -p "$WORK/held"

cat > "$WORK/agora-all.sh" <<EOF
#!/usr/bin/env bash
# ingest + regressions + publish; exit 1 of \`regressions\` (there are regressions) is fine.
set -u
export AGORA_DB="\$1"
"$AGORA" --quiet bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git" >/dev/null || exit \$?
"$AGORA" --quiet bench regressions --project kedro --format asv > "\$2"; rc=\$?
[[ \$rc -le 1 ]] || exit \$rc
"$AGORA" --quiet bench publish --project kedro --out "\$3"
EOF
chmod +x "$WORK/agora-all.sh"

echo "checking that agora finds asv's regressions…" >&2
(cd "$WORK/syn" && "$ASV" publish --no-pull >/dev/null 2>&1)
"$WORK/agora-all.sh" "$WORK/check.db" "$WORK/agora-regressions.json" "$WORK/site"
python3 - "$WORK/syn/html/regressions.json" "$WORK/agora-regressions.json" <<'PY'
import json, math, sys
asv = json.load(open(sys.argv[1]))["regressions"]
ours = json.load(open(sys.argv[2]))["regressions"]
def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b
key = lambda r: (r[0], r[1], r[3])
a = {key(r): r for r in asv}
o = {key(r): r for r in ours}
if a.keys() != o.keys() or not all(same(a[k], o[k]) for k in a):
    sys.exit(f"mismatch: asv {sorted(a)}\nagora {sorted(o)}")
print(f"same {len(a)} regressions", file=sys.stderr)
PY

# Incremental: a store with every result but one; the prepare step restores that state.
mv "$WORK/syn/results/github-actions/$LAST" "$WORK/held/"
"$WORK/agora-all.sh" "$WORK/base.db" /dev/null "$WORK/base-site"
mv "$WORK/held/$LAST" "$WORK/syn/results/github-actions/"
for ext in "" -wal -shm; do [[ -e "$WORK/base.db$ext" ]] && cp "$WORK/base.db$ext" "$WORK/snap.db$ext"; done

# Every run starts after `sync` (untimed): the runs are interleaved, and without it each one
# would also pay, in its own fsyncs and file creations, for writing back the files the previous
# run left dirty (asv's site, agora's store and site).
measure "$WORK/out.json" \
    "asv publish" "sync" "cd $WORK/syn && $ASV publish --no-pull" \
    "agora, from scratch (ingest + regressions + publish)" "rm -rf $WORK/scratch.db* $WORK/scratch-site && sync" \
        "$WORK/agora-all.sh $WORK/scratch.db /dev/null $WORK/scratch-site" \
    "agora, one new result file (ingest + regressions + publish)" \
        "rm -rf $WORK/inc.db* $WORK/inc-site && for e in '' -wal -shm; do [ -e $WORK/snap.db\$e ] && cp $WORK/snap.db\$e $WORK/inc.db\$e; done; cp -r $WORK/base-site $WORK/inc-site && sync" \
        "$WORK/agora-all.sh $WORK/inc.db /dev/null $WORK/inc-site"

echo
echo "kedro-synthetic: $FILES result files; held back for the incremental run: $LAST"
echo "incremental ingest says: $(AGORA_DB=$WORK/snap.db "$AGORA" bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git")"
echo "incremental publish says: $(cp -r $WORK/base-site $WORK/say-site; AGORA_DB=$WORK/snap.db "$AGORA" bench publish --project kedro --out $WORK/say-site 2>&1)"
echo
report "$WORK/out.json" "asv publish"
echo
machine
