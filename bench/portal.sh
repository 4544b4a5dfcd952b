#!/usr/bin/env bash
# Benchmark: `agora portal build` against the site builds it replaces, side by side in one run.
#
# The anchors are the two tools whose pages the portal's benchmark and health sections
# replace, run on the same data:
#   asv publish            asv 0.6.6 on $AGORA_CORPUS/asv/kedro-synthetic (kedro's 424 real
#                          result files on a synthetic linear history, built with git fast-import)
#   devstats report        devstats' scipy notebook, executed with `jupyter nbconvert --execute`
#                          over the scipy dumps, as bench/health.sh runs it
# Install them in venvs first (or point ASV / DEVSTATS_VENV elsewhere):
#   python3 -m venv /work/venvs/bench && /work/venvs/bench/bin/pip install asv==0.6.6
#   python3 -m venv /work/venvs/health && /work/venvs/health/bin/pip install devstats pandas \
#       matplotlib bokeh myst-nb jupytext nbconvert ipykernel
# Without them the script times agora alone.
#
# agora's store holds the same data plus the ten core projects' PyPI pages (a local index of
# the corpus pages) and the three review trees as checkouts; then, timed $RUNS times each:
#   agora portal build --full        every project and every page, into a fresh folder
#   agora portal build (X changed)   over the site of the base store (everything but a day's
#                                    sync of scipy and kedro's newest result file), from a
#                                    store where only X's data changed (scipy: a day's issues
#                                    and PRs imported; kedro: one new result file ingested;
#                                    networkx: a bug-fix release on PyPI; nothing: the base
#                                    store), so X's pages and the shared pages are rebuilt, the
#                                    rest kept
#   agora portal build (scipy bulk)  scipy's 7,620 PRs imported at once over a base without
#                                    them: a first import, timed for comparison
# The ratios: (asv publish + devstats report) / full build, each anchor / full build, and
# each rebuild as a share of the full build. Record the output in bench/RESULTS.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
RUNS="${RUNS:-5}"
DATA="${AGORA_CORPUS:-$ROOT/../shared/data}"
[[ "$DATA" != /* ]] && DATA="$ROOT/$DATA"
SYN="$DATA/asv/kedro-synthetic"
DUMPS="$DATA/github/devstats"
[[ -f "$SYN/history.fi" && -f "$DUMPS/scipy_prs.json" ]] || { echo "skip: no kedro-synthetic or scipy dumps under $DATA" >&2; exit 0; }
ASV="${ASV:-/work/venvs/bench/bin/asv}"
DEVSTATS_VENV="${DEVSTATS_VENV:-/work/venvs/health}"
start_index

# The asv project and its history.
copy_asv_synthetic "$SYN" "$WORK/syn"
LAST=$(ls "$WORK/syn/results/github-actions/" | grep -v -e machine.json -e benchmarks.json | tail -1)

# agora's project: the store with everything but one kedro result file.
P="$WORK/p"
mkdir -p "$P"
cat > "$P/agora.toml" <<TOML
[ecosystem]
name = "Scientific Python"
index-url = "$INDEX_URL"

[[project]]
name = "scipy"
checkout = "$DATA/repo-review/scipy"

[[project]]
name = "networkx"
checkout = "$DATA/repo-review/networkx"

[[project]]
name = "scikit-image"
checkout = "$DATA/repo-review/scikit-image"

[[project]]
name = "kedro"
repo = "kedro-org/kedro"
TOML
# The base store holds everything but a day's sync of scipy and kedro's newest result file.
# scipy's dumps are split: the base has every issue and PR but the ones a daily `github sync`
# would bring on the dumps' last days (issues updated from 2022-01-24 on, the 20 newest PRs),
# and "scipy changed" imports those. "scipy bulk" is the old, larger change: the base without
# any of scipy's PRs, then all 7,620 imported at once (a first import, not a rebuild's case).
# The base site is built from the base store; each one-project rebuild starts from a copy of
# it. The full build reads a store with everything.
python3 - "$DUMPS" "$WORK/dumps" <<'PY2'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
issues = json.load(open(f"{src}/scipy_issues.json"))
pulls = json.load(open(f"{src}/scipy_prs.json"))
newest = sorted(e["node"]["number"] for e in pulls)[-20:]
day_issues = [e for e in issues if e["node"]["updatedAt"] >= "2022-01-24"]
day_pulls = [e for e in pulls if e["node"]["number"] in newest]
for name, edges in {
    "base_issues": [e for e in issues if e not in day_issues],
    "base_prs": [e for e in pulls if e not in day_pulls],
    "day_issues": day_issues,
    "day_prs": day_pulls,
}.items():
    json.dump(edges, open(f"{out}/{name}.json", "w"))
print(f"scipy's day: {len(day_issues)} issues, {len(day_pulls)} PRs", file=sys.stderr)
PY2
mkdir -p "$WORK/held"
mv "$WORK/syn/results/github-actions/$LAST" "$WORK/held/"
(
    cd "$P"
    # kedro is not in the corpus index: that one project fails (exit 1), the rest are synced.
    "$AGORA" --quiet pypi sync >/dev/null 2>&1 || [[ $? == 1 ]]
    "$AGORA" --quiet github import "$WORK/dumps/base_issues.json" "$WORK/dumps/base_prs.json" >/dev/null
    "$AGORA" --quiet bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git" >/dev/null
    "$AGORA" --quiet portal build --out "$WORK/base-site" --date 2026-12-07 >/dev/null
)
cp -r "$P/.agora" "$WORK/base-store"
cp "$P/agora.toml" "$WORK/agora.toml"
# The bulk case's own base: scipy's issues only.
mkdir -p "$WORK/bulk"
cp "$WORK/agora.toml" "$WORK/bulk/"
(
    cd "$WORK/bulk"
    "$AGORA" --quiet pypi sync >/dev/null 2>&1 || [[ $? == 1 ]]
    "$AGORA" --quiet github import "$DUMPS/scipy_issues.json" >/dev/null
    "$AGORA" --quiet bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git" >/dev/null
    "$AGORA" --quiet portal build --out "$WORK/bulk-base-site" --date 2026-12-07 >/dev/null
    "$AGORA" --quiet github import "$DUMPS/scipy_prs.json" >/dev/null
)
mv "$WORK/held/$LAST" "$WORK/syn/results/github-actions/"
for change in scipy kedro networkx full; do
    mkdir -p "$WORK/$change"
    cp "$WORK/agora.toml" "$WORK/$change/"
    cp -r "$WORK/base-store" "$WORK/$change/.agora"
done
(cd "$WORK/scipy" && "$AGORA" --quiet github import "$WORK/dumps/day_issues.json" "$WORK/dumps/day_prs.json" >/dev/null)
(cd "$WORK/kedro" && "$AGORA" --quiet bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git" >/dev/null)
# networkx: a bug-fix release (3.7.1: the 3.7 files again, uploaded 2026-12-01), from a second
# index that serves the changed page.
mkdir -p "$WORK/simple2"
python3 - "$DATA/pypi/simple/networkx.json" "$WORK/simple2/networkx.json" <<'PY'
import json, sys
page = json.load(open(sys.argv[1]))
new = []
for f in page["files"]:
    if "-3.7-" in f["filename"] or f["filename"].endswith("-3.7.tar.gz"):
        f = dict(f, filename=f["filename"].replace("-3.7", "-3.7.1"), url=f["url"].replace("-3.7", "-3.7.1"))
        f["upload-time"] = "2026-12-01T10:00:00.000000Z"
        new.append(f)
assert new, "no networkx 3.7 files"
page["files"] += new
page["versions"].append("3.7.1")
json.dump(page, open(sys.argv[2], "w"))
PY
python3 "$ROOT/bench/fake_index.py" "$WORK/simple2" "$WORK/port2" &
INDEX2_PID=$!
for _ in $(seq 100); do [[ -s "$WORK/port2" ]] && break; sleep 0.05; done
(cd "$WORK/networkx" && "$AGORA" --quiet pypi sync networkx --index-url "http://127.0.0.1:$(cat "$WORK/port2")/simple" >/dev/null)
kill "$INDEX2_PID"
wait "$INDEX2_PID" 2>/dev/null || true
(cd "$WORK/full" && "$AGORA" --quiet github import "$WORK/dumps/day_issues.json" "$WORK/dumps/day_prs.json" >/dev/null \
    && "$AGORA" --quiet bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git" >/dev/null)

FULL="cd $WORK/full && $AGORA --quiet portal build --full --date 2026-12-07 --out $WORK/full-site"
ONE_PREPARE="rm -rf $WORK/one-site && cp -r $WORK/base-site $WORK/one-site && sync"
NONE="cd $P && $AGORA --quiet portal build --date 2026-12-07 --out $WORK/one-site"
SCIPY="cd $WORK/scipy && $AGORA --quiet portal build --date 2026-12-07 --out $WORK/one-site"
KEDRO="cd $WORK/kedro && $AGORA --quiet portal build --date 2026-12-07 --out $WORK/one-site"
NETWORKX="cd $WORK/networkx && $AGORA --quiet portal build --date 2026-12-07 --out $WORK/one-site"
BULK_PREPARE="rm -rf $WORK/one-site && cp -r $WORK/bulk-base-site $WORK/one-site && sync"
BULK="cd $WORK/bulk && $AGORA --quiet portal build --date 2026-12-07 --out $WORK/one-site"
for change in scipy kedro networkx; do
    eval "$ONE_PREPARE"
    echo "$change changed: $(cd "$WORK/$change" && "$AGORA" portal build --date 2026-12-07 --out "$WORK/one-site" --format json 2>/dev/null | python3 -c "import json, sys; d = json.load(sys.stdin); print('rebuilt', d['projects_rebuilt'], 'written', d['written'])")" >&2
done

ARGS=("agora portal build --full" "rm -rf $WORK/full-site && sync" "$FULL"
      "agora portal build (nothing changed)" "$ONE_PREPARE" "$NONE"
      "agora portal build (scipy changed)" "$ONE_PREPARE" "$SCIPY"
      "agora portal build (kedro changed)" "$ONE_PREPARE" "$KEDRO"
      "agora portal build (networkx changed)" "$ONE_PREPARE" "$NETWORKX"
      "agora portal build (scipy bulk: all PRs imported)" "$BULK_PREPARE" "$BULK")
ANCHORS=()
if [[ -x "$ASV" ]] && "$ASV" --version >/dev/null 2>&1; then
    (cd "$WORK/syn" && "$ASV" publish --no-pull >/dev/null 2>&1)
    ANCHORS+=("asv publish")
    ARGS=("asv publish" "sync" "cd $WORK/syn && $ASV publish --no-pull" "${ARGS[@]}")
else
    echo "note: no asv at $ASV" >&2
fi
if [[ -x "$DEVSTATS_VENV/bin/devstats" ]] && "$DEVSTATS_VENV/bin/python" -c "import pandas, matplotlib, bokeh, myst_nb, jupytext" 2>/dev/null; then
    A="$WORK/anchor"
    mkdir -p "$A/devstats-data"
    cp "$DUMPS/scipy_issues.json" "$DUMPS/scipy_prs.json" "$A/devstats-data/"
    (cd "$A" && "$DEVSTATS_VENV/bin/devstats" template scipy -o source >/dev/null \
        && "$DEVSTATS_VENV/bin/devstats" publish scipy -t source -o build >/dev/null \
        && cp build/scipy/index.md scipy.md \
        && "$DEVSTATS_VENV/bin/jupytext" --to ipynb scipy.md >/dev/null 2>&1)
    NB="cd $A && MPLBACKEND=Agg $DEVSTATS_VENV/bin/jupyter nbconvert --to html --execute scipy.ipynb --output scipy-report.html"
    sh -c "$NB" >/dev/null 2>&1 || { echo "error: the devstats notebook failed; run by hand: $NB" >&2; exit 2; }
    ANCHORS+=("devstats report")
    ARGS=("devstats report" "sync" "$NB" "${ARGS[@]}")
else
    echo "note: no devstats venv at $DEVSTATS_VENV" >&2
fi

measure "$WORK/out.json" "${ARGS[@]}"

echo
echo "## portal: agora portal build vs asv publish + devstats' report"
echo
python3 - "$WORK/out.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
full = results["agora portal build --full"]["median"]
print("| command | median (s) | min (s) | max (s) |")
print("|---|---:|---:|---:|")
for name, r in results.items():
    print(f"| {name} | {r['median']:.4f} | {r['min']:.4f} | {r['max']:.4f} |")
print()
anchors = [n for n in ("asv publish", "devstats report") if n in results]
for name in anchors:
    print(f"- {name} / full build: {results[name]['median'] / full:.1f}×")
if len(anchors) == 2:
    total = sum(results[n]["median"] for n in anchors)
    print(f"- (asv publish + devstats report) / full build: {total / full:.1f}×")
for change in ("nothing", "networkx", "scipy", "kedro"):
    one = results[f"agora portal build ({change} changed)"]["median"]
    print(f"- rebuild with {change} changed / full build: {100 * one / full:.1f} %")
bulk = results["agora portal build (scipy bulk: all PRs imported)"]["median"]
print(f"- (not a one-project rebuild's case) scipy's first import of all PRs / full build: {100 * bulk / full:.1f} %")
PY
echo
machine
