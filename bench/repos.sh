#!/usr/bin/env bash
# Benchmark: `agora repos grep` against all-repos' `all-repos-grep` (pip package all-repos),
# over the same clones of eight of the ecosystem's repositories, side by side in one run.
#
#   bash bench/repos.sh
#   REPOS_SOURCE=/srv/mirrors RUNS=5 bash bench/repos.sh
#
# 1. Clones: `agora repos clone --depth 1` of numpy, scipy, networkx, scikit-image, xarray,
#    astropy, dask and sympy from the bare git repositories in $REPOS_SOURCE (default
#    /work/.mirror, where the tool library's fetch puts GitHub snapshots as
#    OWNER+NAME/repo), into $REPOS_CLONES (default $TMPDIR/agora-bench-repos, outside the
#    repository; kept between runs and fetched again with `agora repos update`).
# 2. all-repos is pointed at those very clones: its config's output_dir is the clones' folder,
#    and repos.json / repos_filtered.json list them, as `all-repos-clone` would have written.
# 3. For each pattern, both print every match with its line number (`all-repos-grep -n -E`
#    vs `agora repos grep`): the outputs must be the same lines once all-repos' path prefix
#    is cut to `OWNER/NAME` and agora's lines are split as all-repos splits (at \r too; the
#    script stops otherwise), then both are timed, RUNS runs each
#    (default 5) after a warm-up, so the files are in the page cache for both: the wall time
#    and the CPU time (user + system, the command and its children), which other sessions'
#    load on the machine changes much less; the load average is printed before and after.
# AGORA_BIN=PATH runs that agora binary instead of building one (an older build, to compare).
# all-repos comes from $ALL_REPOS_VENV (default /work/venvs/all-repos, made with pip when
# missing). Record the result in bench/RESULTS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-5}"
SOURCE="${REPOS_SOURCE:-/work/.mirror}"
CLONES="${REPOS_CLONES:-${TMPDIR:-/tmp}/agora-bench-repos}"
VENV="${ALL_REPOS_VENV:-/work/venvs/all-repos}"
REPOS=(numpy/numpy statsmodels/statsmodels networkx/networkx scikit-image/scikit-image pydata/xarray
    astropy/astropy dask/dask sympy/sympy)

for repo in "${REPOS[@]}"; do
    if [[ ! -d "$SOURCE/${repo/\//+}/repo" ]]; then
        echo "skip: no git repository for $repo at $SOURCE/${repo/\//+}/repo (set REPOS_SOURCE)" >&2
        exit 0
    fi
done
if [[ ! -x "$VENV/bin/all-repos-grep" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet all-repos
fi
if [[ -n "${AGORA_BIN:-}" ]]; then
    AGORA="$AGORA_BIN"
else
    echo "building agora (release)…" >&2
    cargo build --release --quiet -p agora
    AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
fi
source bench/lib.sh

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CLONES"
OUT="$CLONES/output"
LIST="$CLONES/repos.txt"
: > "$LIST"
for repo in "${REPOS[@]}"; do
    echo "$repo file://$SOURCE/${repo/\//+}/repo" >> "$LIST"
done
echo "cloning (or updating) ${#REPOS[@]} repositories into $OUT…" >&2
start=$(date +%s.%N)
"$AGORA" repos clone --quiet --depth 1 --repos-file "$LIST" --root "$OUT" >&2
echo "agora repos clone/update: $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s" >&2

python3 - "$OUT" "$LIST" "$CLONES/all-repos.json" <<'PY'
import json, os, sys
out, listing, config = sys.argv[1:]
repos = dict(line.split() for line in open(listing) if line.strip())
for name in ("repos.json", "repos_filtered.json"):
    with open(os.path.join(out, name), "w") as f:
        json.dump(repos, f)
with open(config, "w") as f:
    json.dump({
        "output_dir": out,
        "source": "all_repos.source.json_file",
        "source_settings": {"filename": os.path.join(out, "repos.json")},
        "push": "all_repos.push.readonly",
        "push_settings": {},
    }, f)
os.chmod(config, 0o600)
PY
ALL_REPOS_GREP="$VENV/bin/all-repos-grep -C $CLONES/all-repos.json"
du -sh --exclude=.git "$OUT" | sed 's/^/work trees: /' >&2
echo "files: $(find "$OUT" -path '*/.git' -prune -o -type f -print | wc -l)" >&2

PATTERNS=(
    'np\.float_\b'
    'def test_[a-z_]*dtype'
    'import (numpy|scipy) as'
    'TODO|FIXME|XXX'
)
REPORT="$WORK/report.md"
: > "$REPORT"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for pattern in "${PATTERNS[@]}"; do
    $ALL_REPOS_GREP -n -E "$pattern" > "$WORK/theirs.raw" || true
    sed "s|^$OUT/||" "$WORK/theirs.raw" | LC_ALL=C sort > "$WORK/theirs.txt"
    "$AGORA" repos grep --root "$OUT" "$pattern" > "$WORK/ours.raw" || true
    # all-repos splits git grep's output with Python's bytes.splitlines(), which also breaks
    # at \r: a CRLF file's line loses its \r there (git grep and agora keep it). The same
    # split is applied to agora's output before comparing.
    python3 -c 'import sys; sys.stdout.buffer.write(b"".join(l + b"\n" for l in sys.stdin.buffer.read().splitlines()))' \
        < "$WORK/ours.raw" | LC_ALL=C sort > "$WORK/ours.txt"
    if ! cmp -s "$WORK/theirs.txt" "$WORK/ours.txt"; then
        echo "error: the matches differ for /$pattern/:" >&2
        diff "$WORK/theirs.txt" "$WORK/ours.txt" | head -20 >&2
        exit 1
    fi
    matches=$(wc -l < "$WORK/ours.txt")
    echo "/$pattern/: the same $matches matches" >&2
    measure "$WORK/times.json" \
        "all-repos-grep" "" "$ALL_REPOS_GREP -n -E '$pattern' > /dev/null || true" \
        "agora repos grep" "" "'$AGORA' repos grep --root '$OUT' '$pattern' > /dev/null || true"
    {
        echo
        echo "\`$pattern\` — $matches matching lines, identical in both"
        echo
        report_cpu "$WORK/times.json" "all-repos-grep"
    } >> "$REPORT"
done
echo
echo "machine: $(machine)"
echo "load average (1, 5, 15 min): $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
echo "repositories: ${REPOS[*]} (depth-1 clones by agora repos clone from $SOURCE)"
cat "$REPORT"
