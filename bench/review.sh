#!/usr/bin/env bash
# Benchmark: `agora review` against its anchor, repo-review with the sp-repo-review plugin.
#
# The anchor is repo-review 1.3.0 with sp-repo-review 2026.8.14 (the 71 checks agora
# reimplements, same codes, same results). It is not part of this repository: install it in a
# venv and point REPO_REVIEW at its repo-review binary (default: .venv/bin/repo-review, the
# git-ignored venv at the root of the repository), e.g.
#
#   python3 -m venv .venv
#   .venv/bin/pip install 'repo-review[cli]==1.3.0' sp-repo-review==2026.8.14
#   bash bench/review.sh                                     # or REPO_REVIEW=/path/to/repo-review
#
# Without it the benchmark is skipped.
#
# The trees are the checkouts in $AGORA_CORPUS/repo-review/{networkx,scikit-image,scipy}
# (default ../shared/data). agora runs from an empty temp dir (no agora.toml above it, no
# store, AGORA_CONFIG/AGORA_DB unset) with --offline, so its AG checks read nothing but the tree.
# Before timing, every tree is checked once by both tools, and for every check code in
# repo-review's JSON, agora's checks[code].result must equal repo-review's (the AG codes are
# agora's own and are not compared); the same for agora's one-invocation, three-tree output.
# A mismatch aborts the benchmark. Commands, each run $RUNS times (default 10) after a warm-up:
#   repo-review TREE                 repo-review TREE --format json           (for each tree)
#   agora TREE                       agora --offline review TREE --format json
#   repo-review, 3 trees             for t in T1 T2 T3; do repo-review $t --format json; done
#   agora, 3 trees                   agora --offline review T1 T2 T3 --format json
# and a control row, repo-review on an empty directory (its start-up, plugin discovery and the
# checks run against nothing), to show how much of the anchor's time is fixed cost.
# Both tools exit 3 when a check fails (all three trees have failures); that is accepted.
# The result is the ratio of medians, repo-review / agora. Record it in bench/RESULTS.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CALLER_DIR="$(pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

REPO_REVIEW="${REPO_REVIEW:-.venv/bin/repo-review}"
if [[ "$REPO_REVIEW" != /* ]]; then
    # Relative to where the script was started when given, else to the repository root.
    if [[ -x "$CALLER_DIR/$REPO_REVIEW" ]]; then REPO_REVIEW="$CALLER_DIR/$REPO_REVIEW"; else REPO_REVIEW="$ROOT/$REPO_REVIEW"; fi
fi
if [[ ! -x "$REPO_REVIEW" ]] || ! "$REPO_REVIEW" --version >/dev/null 2>&1; then
    echo "skip: no repo-review at $REPO_REVIEW; install the anchor and rerun, e.g." >&2
    echo "  python3 -m venv .venv && .venv/bin/pip install 'repo-review[cli]==1.3.0' sp-repo-review==2026.8.14" >&2
    echo "  (or set REPO_REVIEW=/path/to/venv/bin/repo-review)" >&2
    exit 0
fi

TREES_DIR="${AGORA_CORPUS:-$ROOT/../shared/data}/repo-review"
NAMES="networkx scikit-image scipy"
TREES=()
for name in $NAMES; do
    if [[ ! -d "$TREES_DIR/$name" ]]; then
        echo "skip: no tree at $TREES_DIR/$name (set AGORA_CORPUS to the folder holding repo-review/)" >&2
        exit 0
    fi
    TREES+=("$(cd "$TREES_DIR/$name" && pwd)")
done

# The rest of bench_setup (lib.sh), without its PyPI-corpus requirement.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
INDEX_PID=""
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
RUNS="${RUNS:-10}"
echo "building agora (release)…" >&2
cargo build --release --quiet -p agora
AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
unset AGORA_CONFIG AGORA_DB AGORA_INDEX_URL

mkdir -p "$WORK/agora" "$WORK/empty" "$WORK/out"
dir="$WORK/agora"
while [[ "$dir" != / ]]; do
    if [[ -e "$dir/agora.toml" ]]; then
        echo "error: $dir/agora.toml would be found by agora; set TMPDIR elsewhere" >&2
        exit 2
    fi
    dir="$(dirname "$dir")"
done
[[ -e /agora.toml ]] && { echo "error: /agora.toml would be found by agora" >&2; exit 2; }

# Exit status 3 = "some check failed", which is the normal outcome on these trees.
OK='|| [ $? -eq 3 ]'
rr_cmd() { echo "$REPO_REVIEW $1 --format json >/dev/null 2>&1 $OK"; }
ag_cmd() { echo "cd $WORK/agora && { $AGORA --offline review $* --format json >/dev/null 2>&1 $OK; }"; }

# Sanity: the same results for every non-AG code, per tree and in the three-tree invocation.
run_ok() { # OUT COMMAND… (exit 0 or 3 accepted)
    local out="$1" rc=0
    shift
    "$@" >"$out" || rc=$?
    if ((rc != 0 && rc != 3)); then
        echo "error: '$*' exited $rc" >&2
        exit 2
    fi
}
for i in 0 1 2; do
    name="$(basename "${TREES[$i]}")"
    run_ok "$WORK/out/$name.rr.json" "$REPO_REVIEW" "${TREES[$i]}" --format json
    (cd "$WORK/agora" && run_ok "$WORK/out/$name.ag.json" "$AGORA" --offline review "${TREES[$i]}" --format json)
done
(cd "$WORK/agora" && run_ok "$WORK/out/all.ag.json" "$AGORA" --offline review "${TREES[@]}" --format json)
python3 - "$WORK/out" $NAMES <<'PY' >&2
import json, sys
out, names = sys.argv[1], sys.argv[2:]
combined = json.load(open(f"{out}/all.ag.json"))
bad = []
for name in names:
    rr = json.load(open(f"{out}/{name}.rr.json"))["checks"]
    if not rr:
        sys.exit(f"error: repo-review ran no checks on {name}; is sp-repo-review installed beside it?")
    for label, ag in (("agora", json.load(open(f"{out}/{name}.ag.json"))["checks"]),
                      ("agora, 3 trees", combined.get(name, {}).get("checks", {}))):
        for code, check in rr.items():
            got = ag[code]["result"] if code in ag else "(missing)"
            if got != check["result"]:
                bad.append(f"{name}: {code}: repo-review {check['result']!r}, {label} {got!r}")
    ag_only = sorted(c for c in json.load(open(f"{out}/{name}.ag.json"))["checks"] if c not in rr)
    print(f"sanity: {name}: {len(rr)} repo-review checks agree; agora-only: {', '.join(ag_only)}")
if bad:
    sys.exit("error: agora and repo-review disagree:\n  " + "\n  ".join(bad))
PY

args=()
for i in 0 1 2; do
    name="$(basename "${TREES[$i]}")"
    args+=("repo-review $name" "" "$(rr_cmd "${TREES[$i]}")")
    args+=("agora $name" "" "$(ag_cmd "${TREES[$i]}")")
done
loop="for t in ${TREES[*]}; do $REPO_REVIEW \$t --format json >/dev/null 2>&1 $OK || exit 1; done"
args+=("repo-review, 3 trees (loop)" "" "$loop")
args+=("agora, 3 trees (one invocation)" "" "$(ag_cmd "${TREES[@]}")")
args+=("(control) repo-review on an empty dir" "" "$(rr_cmd "$WORK/empty")")
measure "$WORK/review.json" "${args[@]}"

versions="$("$REPO_REVIEW" --versions 2>/dev/null | sed -n 's/^  \(repo_review\|sp_repo_review\): /\1 /p' | paste -sd, - | sed 's/,/, /g')"

echo
echo '## review: repo-review + sp-repo-review vs `agora review`'
echo
echo "$(machine); $versions"
echo
# One ratio per pair: repo-review X / agora X.
python3 - "$WORK/review.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print("| command | median (s) | min (s) | max (s) | repo-review / agora |")
print("|---|---:|---:|---:|---:|")
for name, r in results.items():
    ratio = ""
    if name.startswith("agora"):
        anchor = results["repo-review" + name[len("agora"):].replace("(one invocation)", "(loop)")]
        ratio = f"{anchor['median'] / r['median']:.1f}×"
    print(f"| {name} | {r['median']:.4f} | {r['min']:.4f} | {r['max']:.4f} | {ratio} |")
PY
echo
echo "repo-review: repo-review TREE --format json"
echo "agora:       (cd EMPTY_TMP && agora --offline review TREE --format json)"
echo "3 trees:     for t in T1 T2 T3; do repo-review \$t --format json; done  vs  agora --offline review T1 T2 T3 --format json"
