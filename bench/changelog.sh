#!/usr/bin/env bash
# Benchmark: `agora changelog` against its anchor, scientific-python/changelist 0.5, on
# networkx 3.4.2..3.5 ($AGORA_CORPUS/changelog/, default ../shared/data): the history imported
# with `git fast-import` and a fake GitHub serving it (crates/agora-changelog/examples/
# fake_github_networkx.rs: one PR per item of networkx's published notes, users made from the
# commit authors). Every request either tool makes is logged by the fake and counted here.
#
# - changelist: `changelist networkx/networkx networkx-3.4.2 networkx-3.5 --format rst`, run
#   through crates/agora-changelog/tests/run_changelist.py (which only points PyGithub and the
#   GraphQL URL at the fake), with an empty requests-cache (its cache lives an hour).
# - agora, cold: `agora github sync --release-notes` into an empty store, then
#   `agora changelog … --format rst` (offline: it never talks to GitHub).
# - agora, warm: the same two commands again (the sync revalidates with ETags: 304s).
# - agora, notes only: `agora changelog` from the synced store.
# Both notes are compared at the end (they differ only where the fake lacks what GitHub
# knows: see bench/RESULTS.md).
#
# Needs changelist 0.5 in a venv: AGORA_CHANGELIST_PYTHON, default .venv-changelist/bin/python
# (`.ci/run` creates it; or `python3 -m venv .venv-changelist &&
# .venv-changelist/bin/pip install changelist==0.5`). Without it only agora is measured.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="${AGORA_CORPUS:-$ROOT/../shared/data}/changelog"
[[ "$DATA" != /* ]] && DATA="$ROOT/$DATA"
if [[ ! -f "$DATA/networkx-3.4.2..3.5.fi" ]]; then
    echo "skip: no networkx history at $DATA" >&2
    exit 0
fi
PY="${AGORA_CHANGELIST_PYTHON:-$ROOT/.venv-changelist/bin/python}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${PROFILE:-release}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench-changelog.XXXXXX")"
FAKE_PID=""
cleanup() {
    exec 3>&- 2>/dev/null || true
    if [[ -n "$FAKE_PID" ]]; then
        kill "$FAKE_PID" 2>/dev/null || true
        wait "$FAKE_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "building agora and the fake GitHub ($PROFILE)…" >&2
FLAG=()
[[ "$PROFILE" == release ]] && FLAG=(--release)
cargo build "${FLAG[@]}" --quiet -p agora
cargo build "${FLAG[@]}" --quiet -p agora-changelog --example fake_github_networkx
AGORA="$TARGET/$PROFILE/agora"
FAKE="$TARGET/$PROFILE/examples/fake_github_networkx"

git init -q --bare "$WORK/nx.git"
git --git-dir="$WORK/nx.git" fast-import --quiet < "$DATA/networkx-3.4.2..3.5.fi"
mkfifo "$WORK/hold"
"$FAKE" "$WORK/nx.git" "$DATA/networkx-release_3.5.rst" "$WORK/port" "$WORK/requests.log" < "$WORK/hold" &
FAKE_PID=$!
exec 3>"$WORK/hold"
for _ in $(seq 200); do [[ -s "$WORK/port" ]] && break; sleep 0.05; done
[[ -s "$WORK/port" ]] || { echo "error: the fake GitHub did not start" >&2; exit 2; }
API="http://127.0.0.1:$(cat "$WORK/port")"
touch "$WORK/requests.log"

count() { wc -l < "$WORK/requests.log" | tr -d ' '; }
now() { python3 -c 'import time; print(time.monotonic())'; }
ROWS=()
# run NAME COMMAND: times COMMAND once, counting the fake's requests.
run() {
    local name="$1" before after t0 t1
    before=$(count)
    t0=$(now)
    sh -c "$2" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; echo "error: $name failed" >&2; exit 2; }
    t1=$(now)
    after=$(count)
    ROWS+=("$(printf '| %s | %d | %.2f |' "$name" $((after - before)) "$(python3 -c "print($t1 - $t0)")")")
}

export GH_TOKEN=fake-token GITHUB_TOKEN=fake-token
NOTES="$AGORA --quiet --db $WORK/agora.db changelog networkx/networkx networkx-3.4.2 networkx-3.5 --version 3.5 --git $WORK/nx.git --format rst --out $WORK/agora.rst"
SYNC="$AGORA --quiet --db $WORK/agora.db github sync --release-notes --api-url $API networkx/networkx"
if [[ -x "$PY" ]] && "$PY" -c "import changelist" 2>/dev/null; then
    mkdir -p "$WORK/cache"
    run "changelist 0.5 (empty requests-cache)" "TMPDIR=$WORK/cache CHANGELIST_API_URL=$API $PY $ROOT/crates/agora-changelog/tests/run_changelist.py networkx/networkx networkx-3.4.2 networkx-3.5 --version 3.5 --format rst --out $WORK/changelist.rst"
else
    echo "note: no changelist 0.5 at $PY; timing agora only" >&2
fi
run "agora, cold: github sync --release-notes + changelog" "$SYNC && $NOTES"
run "agora, warm: github sync --release-notes + changelog" "$SYNC && $NOTES"
run "agora changelog alone (offline, from the store)" "$AGORA --offline --quiet --db $WORK/agora.db changelog networkx/networkx networkx-3.4.2 networkx-3.5 --version 3.5 --git $WORK/nx.git --format rst --out $WORK/agora2.rst"

echo
echo "networkx 3.4.2..3.5 (182 commits, 175 PRs), fake GitHub at $API, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
echo
echo "| command | requests | wall (s) |"
echo "|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [[ -f "$WORK/changelist.rst" ]]; then
    if cmp -s "$WORK/changelist.rst" "$WORK/agora.rst"; then
        echo; echo "The two notes are byte-identical."
    else
        echo; echo "The notes differ:"; diff "$WORK/changelist.rst" "$WORK/agora.rst" | head -40 || true
    fi
fi
