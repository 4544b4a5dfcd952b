#!/usr/bin/env bash
# Benchmark: `agora serve` on PostgreSQL, one and two replicas, beside the SQLite server
# (issue 20), in one run on one machine.
#
#   setups   sqlite: one `agora serve` over a SQLite store holding the scipy mirror (the
#            devstats dumps imported with `agora github import`);
#            pg-1: one replica over a PostgreSQL copy of that store (`agora store migrate`);
#            pg-2: two replicas over that same database, the client alternating between them.
#   uploads  UPLOADS (default 100) small uploads (one new asv result file each, one project per
#            setup) posted at once; every one must answer 200 and the series must then hold
#            all of them, read from each replica.
#   search   /api/v1/search, 20 queries round robin, SEARCHES (default 400) requests over 16
#            client threads: requests/s, p50 and p99 latency.
#
# PostgreSQL: Debian's server in a throwaway cluster (.ci/postgres) on a free port, stopped at
# the end. The binary: AGORA_BIN, else a release build of this checkout. Record the output in
# bench/RESULTS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="${AGORA_CORPUS:-$ROOT/../shared/data}"
[[ "$DATA" != /* ]] && DATA="$ROOT/$DATA"
DUMPS="$DATA/github/devstats"
[[ -f "$DUMPS/scipy_prs.json" ]] || { echo "skip: no scipy dumps under $DATA" >&2; exit 0; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "skip: no PostgreSQL server (apt-get install postgresql)" >&2; exit 0; }
UPLOADS="${UPLOADS:-100}"
SEARCHES="${SEARCHES:-400}"
if [[ -n "${AGORA_BIN:-}" ]]; then
    AGORA="$AGORA_BIN"
else
    echo "building agora (release)…" >&2
    cargo build --release --quiet -p agora
    AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
PIDS=()
PG_DIR="$WORK/pg"
chmod a+x "$WORK"  # the cluster runs as the postgres user
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    local bin as_pg=()
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [[ "$(id -u)" -eq 0 ]]; then as_pg=(runuser -u postgres --); fi
    [[ -d "$PG_DIR/data" ]] && "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 400); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "error: nothing listens on port $1" >&2
    exit 2
}

echo "building the SQLite store and its PostgreSQL copy…" >&2
P="$WORK/p"
mkdir -p "$P"
printf '[serve]\nuploads-per-minute = 100000\n' > "$P/agora.toml"
SQLITE="$P/.agora/agora.db"
(cd "$P" && "$AGORA" --quiet github import "$DUMPS/scipy_issues.json" "$DUMPS/scipy_prs.json" >/dev/null)
BASE_URL="$(.ci/postgres "$PG_DIR" 2>/dev/null)"
PG_URL="$BASE_URL"
MIGRATE_START=$(date +%s.%N)
"$AGORA" --quiet store migrate --from "$SQLITE" --to "$PG_URL" >/dev/null
MIGRATE_S=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$MIGRATE_START" "$(date +%s.%N)")

# run SETUP DB REPLICAS: starts the replicas, runs the load, prints one result line.
run() {
    local setup="$1" db="$2" replicas="$3" ports=() token
    token=$(cd "$P" && "$AGORA" --quiet --db "$db" token create --project "$setup" --note bench)
    for i in $(seq "$replicas"); do
        local port
        port=$(free_port)
        mkdir -p "$WORK/r-$setup-$i"
        cp "$P/agora.toml" "$WORK/r-$setup-$i/"
        (cd "$WORK/r-$setup-$i" && exec "$AGORA" --quiet --db "$db" serve --bind "127.0.0.1:$port" 2>>"$WORK/serve-$setup.log") &
        PIDS+=($!)
        wait_port "$port"
        ports+=("$port")
    done
    python3 - "$ROOT/bench" "$setup" "$token" "$UPLOADS" "$SEARCHES" "${ports[@]}" <<'PY'
import json, sys, threading, time, urllib.parse, urllib.request

bench, setup, token, n, searches = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ports = sys.argv[6:]
sys.path.insert(0, bench)
from upload_bodies import tarballs

def many(count, threads, work):
    """Runs work(i) for i < count on `threads` threads started at once: wall time, latencies."""
    latencies = [0.0] * count
    errors = []
    start = threading.Barrier(threads + 1)
    def worker(k):
        start.wait()
        for i in range(k, count, threads):
            t = time.perf_counter()
            try:
                work(i)
            except Exception as error:
                errors.append(repr(error))
            latencies[i] = time.perf_counter() - t
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in pool:
        thread.join()
    if errors:
        sys.exit(f"error: {setup}: {len(errors)} failed, first: {errors[0]}")
    return time.perf_counter() - t0, sorted(latencies)

bodies = tarballs(n)
def upload(i):
    request = urllib.request.Request(
        f"http://127.0.0.1:{ports[i % len(ports)]}/api/v1/projects/{setup}/bench", data=bodies[i],
        method="POST", headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"b-{i}",
                                "Content-Type": "application/gzip"})
    with urllib.request.urlopen(request, timeout=600) as response:
        assert response.status == 200, response.status
up_wall, up_lat = many(n, n, upload)
for port in ports:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/projects/{setup}/bench/series/b.time_x") as r:
        points = len(json.load(r)[0]["points"])
    if points != n:
        sys.exit(f"error: {setup}: replica on {port} serves {points} of {n} uploads")

queries = ["sparse matrix", "optimize minimize", "is:pr state:closed integrate", "is:issue label:defect",
    "interpolate spline", "author:rgommers", "is:pr is:merged signal", "fft", "special function",
    "stats distribution", "linalg eigh", "state:open ndimage", "created:>2020-06-01 sparse",
    "is:issue state:open optimize", "BUG", "DOC", "ENH", "test failure", "windows", "memory leak"]
for port in ports:  # each replica builds its own index once, outside the timing
    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q=fft").read()
def search(i):
    q = urllib.parse.quote(queries[i % len(queries)])
    with urllib.request.urlopen(f"http://127.0.0.1:{ports[i % len(ports)]}/api/v1/search?q={q}") as r:
        r.read()
s_wall, s_lat = many(searches, 16, search)
pct = lambda lat, p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
print(f"| {setup} | {len(ports)} | {n} in {up_wall:.2f} s ({n / up_wall:.1f}/s) | "
      f"{pct(up_lat, 0.5):.0f} / {pct(up_lat, 0.99):.0f} | {searches / s_wall:.0f} | "
      f"{pct(s_lat, 0.5):.1f} / {pct(s_lat, 0.99):.1f} |")
PY
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    PIDS=()
}

echo "running the load…" >&2
ROWS=()
ROWS+=("$(run sqlite "$SQLITE" 1)")
ROWS+=("$(run pg-1 "$PG_URL" 1)")
ROWS+=("$(run pg-2 "$PG_URL" 2)")

echo
echo "## serve on PostgreSQL: one and two replicas beside the SQLite server"
echo
echo "The scipy mirror (10,158 items, 13,947 comments); $UPLOADS uploads at once (one result file"
echo "each, one project per setup, the client alternating between replicas); $SEARCHES searches"
echo "over 16 client threads. \`agora store migrate\` of the SQLite store took $MIGRATE_S s."
echo
echo "| setup | replicas | uploads (every one answered 200 and is served by every replica) | upload latency p50 / p99 ms | searches/s | search latency p50 / p99 ms |"
echo "|---|---:|---|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Binary: $AGORA. Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(date -u +%Y-%m-%d)."
