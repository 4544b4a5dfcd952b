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
# Corpora (SHAPES, default "kedro machines projects"; bench/hub_corpus.py writes the last two
# from kedro-synthetic, deterministically):
#   kedro      kedro-synthetic itself: 424 result files, one machine.
#   machines   the same results on ten machines (runner-00 … runner-09, timings perturbed):
#              4,240 result files, one project.
#   projects   fifty projects of a hundred result files each, in one store.
#
# For kedro and machines, timed $RUNS times each (default 5) after a warm-up:
#   asv publish             asv publish --no-pull (rebuilds everything from the results)
#   agora, from scratch     empty store: agora bench ingest DIR --repo history.git, then
#                           agora bench regressions --format asv, then agora bench publish
#   agora, one new file     the store holds every result but one; that file is added, then the
#                           same three commands (ingest reads only the new file, steps are
#                           refitted only for the series it touches, publish rewrites only the
#                           pages that changed)
# and, for the incremental case, asv publish again (asv has no incremental mode). The result
# is the ratio of medians, asv / agora. Then, untimed, each side's peak memory, two ways:
# the largest sum of the resident sets of all its processes at one time (bench/peak_rss.py,
# sampled every 5 ms: asv publish runs a pool of one worker per core beside its main process),
# and the largest resident set of any one process (/usr/bin/time's %M: for asv its main
# process). For agora, each of its three commands (one process each).
#
# For projects (asv has no multi-project mode, so there is no anchor), timed the same way:
#   full rebuild            the fifty projects ingested one after the other into an empty
#                           store, then `agora bench regressions` across all of them
#   one new result file     into p07 of the full store less that file (ingest)
#   regressions             across all fifty projects of the full store
# each with its ratio to the full rebuild, and the peak memory of each kind of command.
# Record the results in bench/RESULTS.md.
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
SHAPES="${SHAPES:-kedro machines projects}"
echo "building agora (release)…" >&2
cargo build --release --quiet -p agora
AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"

# peak_kib COMMAND…: "SUM MAX", in KiB: the largest sum of the resident sets of COMMAND and
# its descendants at one time, and the largest resident set of any one of them.
peak_kib() {
    local sum
    sum=$(python3 "$ROOT/bench/peak_rss.py" "$@" || true)
    /usr/bin/time -f %M -o "$WORK/peak" "$@" >/dev/null 2>&1 || true
    echo "$sum $(tail -1 "$WORK/peak")"
}

# mib "SUM MAX": the same in MiB, as "SUM (largest process MAX)".
mib() {
    local sum max
    read -r sum max <<< "$1"
    echo "$((sum / 1024)) (largest process $((max / 1024)))"
}

# copy_store FROM TO: TO (removed first) becomes a copy of the SQLite store FROM.
copy_store() {
    rm -rf "$2" "$2-wal" "$2-shm"
    local e
    for e in "" -wal -shm; do
        if [[ -e "$1$e" ]]; then cp "$1$e" "$2$e"; fi
    done
}

# asv_side_by_side NAME DIR PROJECT: the check, the timed runs and the peak memory of one asv
# project (DIR holds asv.conf.json, results/ and history.git), as the header says.
asv_side_by_side() {
    local name="$1" dir="$2" project="$3"
    local w="$WORK/$name"
    mkdir -p "$w/held"
    local files machine last
    files=$(find "$dir/results" -name '*.json' ! -name machine.json ! -name benchmarks.json | wc -l)
    # The file held back for the incremental run: the newest result of the first machine's
    # main environment.
    machine=$(basename "$(ls -d "$dir"/results/*/ | head -1)")
    last=$(ls "$dir/results/$machine/" | grep -v -e machine.json -e benchmarks.json | tail -1)

    cat > "$w/agora-all.sh" <<EOF
#!/usr/bin/env bash
# ingest + regressions + publish; exit 1 of \`regressions\` (there are regressions) is fine.
set -u
export AGORA_DB="\$1"
"$AGORA" --quiet bench ingest "$dir" --project $project --repo "$dir/history.git" >/dev/null || exit \$?
"$AGORA" --quiet bench regressions --project $project --format asv > "\$2"; rc=\$?
[[ \$rc -le 1 ]] || exit \$rc
"$AGORA" --quiet bench publish --project $project --out "\$3"
EOF
    chmod +x "$w/agora-all.sh"

    echo "$name: checking that agora finds asv's regressions…" >&2
    (cd "$dir" && "$ASV" publish --no-pull >/dev/null 2>&1)
    "$w/agora-all.sh" "$w/check.db" "$w/agora-regressions.json" "$w/site"
    python3 - "$dir/html/regressions.json" "$w/agora-regressions.json" <<'PY'
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
    mv "$dir/results/$machine/$last" "$w/held/"
    "$w/agora-all.sh" "$w/base.db" /dev/null "$w/base-site"
    mv "$w/held/$last" "$dir/results/$machine/"
    copy_store "$w/base.db" "$w/snap.db"

    # Every run starts after `sync` (untimed): the runs are interleaved, and without it each
    # one would also pay, in its own fsyncs and file creations, for writing back the files the
    # previous run left dirty (asv's site, agora's store and site).
    measure "$w/out.json" \
        "asv publish" "sync" "cd $dir && $ASV publish --no-pull" \
        "agora, from scratch (ingest + regressions + publish)" "rm -rf $w/scratch.db* $w/scratch-site && sync" \
            "$w/agora-all.sh $w/scratch.db /dev/null $w/scratch-site" \
        "agora, one new result file (ingest + regressions + publish)" \
            "rm -rf $w/inc.db* $w/inc-site && for e in '' -wal -shm; do [ -e $w/snap.db\$e ] && cp $w/snap.db\$e $w/inc.db\$e; done; cp -r $w/base-site $w/inc-site && sync" \
            "$w/agora-all.sh $w/inc.db /dev/null $w/inc-site"

    # Peak memory, untimed: asv publish, and each of agora's three commands from scratch.
    # peak_kib runs each command twice: the ingest starts from an empty store both times.
    local asv_peak ingest_peak regressions_peak publish_peak
    asv_peak=$(cd "$dir" && peak_kib "$ASV" publish --no-pull)
    ingest_peak=$(peak_kib bash -c "rm -rf $w/mem.db $w/mem.db-wal $w/mem.db-shm; AGORA_DB=$w/mem.db exec $AGORA --quiet bench ingest $dir --project $project --repo $dir/history.git")
    regressions_peak=$(AGORA_DB="$w/mem.db" peak_kib "$AGORA" --quiet bench regressions --project "$project" --format asv)
    publish_peak=$(AGORA_DB="$w/mem.db" peak_kib "$AGORA" --quiet bench publish --project "$project" --out "$w/mem-site")

    echo
    echo "## $name: $files result files ($(du -sh "$dir/results" | cut -f1)); held back for the incremental run: $machine/$last"
    echo "incremental ingest says: $(AGORA_DB="$w/snap.db" "$AGORA" bench ingest "$dir" --project "$project" --repo "$dir/history.git")"
    cp -r "$w/base-site" "$w/say-site"
    echo "incremental publish says: $(AGORA_DB="$w/snap.db" "$AGORA" bench publish --project "$project" --out "$w/say-site" 2>&1)"
    echo
    report "$w/out.json" "asv publish"
    echo
    echo "peak memory (MiB, all processes together): asv publish $(mib "$asv_peak"); agora ingest $(mib "$ingest_peak"), regressions $(mib "$regressions_peak"), publish $(mib "$publish_peak")"
}

# projects_hub DIR: the fifty-project store (DIR/p00 … and DIR/history.git), as the header says.
projects_hub() {
    local dir="$1"
    local w="$WORK/projects"
    mkdir -p "$w/held"
    local projects=() p
    for p in "$dir"/p*/; do projects+=("$(basename "$p")"); done
    local target=p07 last
    last=$(ls "$dir/$target/results/ci/" | grep -v -e machine.json -e benchmarks.json | tail -1)
    local rebuild_name="full rebuild (${#projects[@]} ingests into an empty store + regressions)"
    cat > "$w/rebuild.sh" <<EOF
#!/usr/bin/env bash
# Every project ingested into an empty store, then regressions across all of them.
set -u
export AGORA_DB="\$1"
for p in ${projects[*]}; do
    "$AGORA" --quiet bench ingest "$dir/\$p" --project \$p --repo "$dir/history.git" >/dev/null || exit \$?
done
"$AGORA" --quiet bench regressions >/dev/null; rc=\$?
[[ \$rc -le 1 ]] || exit \$rc
EOF
    cat > "$w/regressions.sh" <<EOF
#!/usr/bin/env bash
AGORA_DB="\$1" "$AGORA" --quiet bench regressions >/dev/null; rc=\$?
[[ \$rc -le 1 ]] || exit \$rc
EOF
    chmod +x "$w/rebuild.sh" "$w/regressions.sh"
    # The store without the held-back file; each incremental run starts from a copy of it.
    mv "$dir/$target/results/ci/$last" "$w/held/"
    "$w/rebuild.sh" "$w/base.db"
    mv "$w/held/$last" "$dir/$target/results/ci/"
    "$w/rebuild.sh" "$w/full.db"

    measure "$w/out.json" \
        "$rebuild_name" "rm -rf $w/scratch.db* && sync" "$w/rebuild.sh $w/scratch.db" \
        "one new result file into $target (ingest)" \
            "rm -rf $w/inc.db* && for e in '' -wal -shm; do [ -e $w/base.db\$e ] && cp $w/base.db\$e $w/inc.db\$e; done; sync" \
            "AGORA_DB=$w/inc.db $AGORA --quiet bench ingest $dir/$target --project $target --repo $dir/history.git" \
        "regressions across all projects" "sync" "$w/regressions.sh $w/full.db"

    # The full rebuild's peak: its script, whose commands run one at a time, from an empty
    # store both times peak_kib runs it.
    local rebuild_peak ingest_peak regressions_peak
    rebuild_peak=$(peak_kib bash -c "rm -rf $w/mem.db $w/mem.db-wal $w/mem.db-shm; exec $w/rebuild.sh $w/mem.db")
    copy_store "$w/base.db" "$w/inc.db"
    ingest_peak=$(AGORA_DB="$w/inc.db" peak_kib "$AGORA" --quiet bench ingest "$dir/$target" --project "$target" --repo "$dir/history.git")
    regressions_peak=$(AGORA_DB="$w/full.db" peak_kib "$AGORA" --quiet bench regressions)

    echo
    echo "## projects: ${#projects[@]} projects, $(find "$dir" -path '*/results/*' -name '*.json' ! -name machine.json ! -name benchmarks.json | wc -l) result files; held back: $target/$last"
    copy_store "$w/base.db" "$w/say.db"
    echo "incremental ingest says: $(AGORA_DB="$w/say.db" "$AGORA" bench ingest "$dir/$target" --project "$target" --repo "$dir/history.git")"
    echo
    report "$w/out.json" "$rebuild_name"
    echo
    echo "peak memory (MiB, all processes together): full rebuild $(mib "$rebuild_peak"); one new file $(mib "$ingest_peak"); regressions across all $(mib "$regressions_peak")"
}

for shape in $SHAPES; do
    case "$shape" in
        kedro)
            copy_asv_synthetic "$DATA" "$WORK/syn"
            asv_side_by_side kedro "$WORK/syn" kedro
            ;;
        machines)
            python3 bench/hub_corpus.py machines "$WORK/hubm" --source "$DATA"
            asv_side_by_side machines "$WORK/hubm" kedro-hub
            ;;
        projects)
            python3 bench/hub_corpus.py projects "$WORK/hubp" --source "$DATA"
            projects_hub "$WORK/hubp"
            ;;
        *)
            echo "unknown shape '$shape' (kedro, machines, projects)" >&2
            exit 2
            ;;
    esac
    echo
done
machine
