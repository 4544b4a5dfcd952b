#!/usr/bin/env bash
# Benchmark: `agora serve` on loopback, side by side with nginx, with wrk.
#
#   static   the built portal's pages (every .html file of `agora portal build`, round robin)
#            served by agora serve and by nginx from the same folder, nginx with the settings
#            of Debian's nginx.conf (sendfile, tcp_nopush, gzip on, access log on, like agora's
#            request log); HTTP/1.1 keep-alive, alternated ROUNDS times each, for two clients:
#            one asking no compression (wrk's default) and one sending `Accept-Encoding: gzip`
#            as browsers do. Goal: agora ≥ 80 % of nginx's requests/s.
#   search   /api/v1/search over the scipy mirror (the devstats dumps imported with
#            `agora github import`), a round robin of queries, 32 connections: p50/p99 latency.
#   uploads  200 small uploads (one new asv result file each, one token, one project) posted
#            at once; every one must answer 200 and the store must hold all 200 files after.
#
# Needs wrk and nginx (Debian: `apt-get install -y wrk nginx`; nginx need not run as a
# service, the script starts its own on a free port); without them it says so and skips.
# DURATION (seconds per wrk run, default 10), ROUNDS (default 3), CONNS (static, default 64).
# Record the output in bench/RESULTS.md. The same uploads and searches against one and two
# replicas on PostgreSQL, beside the SQLite server: bench/serve-replicas.sh (needs no wrk).
set -euo pipefail

for tool in wrk nginx; do
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || {
        echo "skip: no $tool (Debian: apt-get install -y wrk nginx)" >&2
        exit 0
    }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
DATA="${AGORA_CORPUS:-$ROOT/../shared/data}"
[[ "$DATA" != /* ]] && DATA="$ROOT/$DATA"
SYN="$DATA/asv/kedro-synthetic"
DUMPS="$DATA/github/devstats"
[[ -f "$SYN/history.fi" && -f "$DUMPS/scipy_prs.json" ]] || { echo "skip: no kedro-synthetic or scipy dumps under $DATA" >&2; exit 0; }
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-64}"
SERVER_PID=""
NGINX_PID=""
stop_servers() {
    for pid in "$SERVER_PID" "$NGINX_PID"; do
        [[ -n "$pid" ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
    done
    SERVER_PID=""
    NGINX_PID=""
}
trap 'stop_servers; bench_cleanup' EXIT
start_index

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "error: nothing listens on port $1" >&2
    exit 2
}

# The store and the portal: the core projects' PyPI pages, the scipy mirror, kedro's results.
echo "building the store and the portal…" >&2
copy_asv_synthetic "$SYN" "$WORK/syn"
P="$WORK/p"
mkdir -p "$P"
cat > "$P/agora.toml" <<TOML
[ecosystem]
name = "Scientific Python"
index-url = "$INDEX_URL"

[[project]]
name = "scipy"
repo = "scipy/scipy"

[[project]]
name = "kedro"
repo = "kedro-org/kedro"

[serve]
uploads-per-minute = 1000
TOML
(
    cd "$P"
    # kedro has no page among the corpus' PyPI pages: its 404 is expected, the rest is synced.
    "$AGORA" --quiet pypi sync >/dev/null 2>&1 || true
    "$AGORA" --quiet github import "$DUMPS/scipy_issues.json" "$DUMPS/scipy_prs.json" >/dev/null
    "$AGORA" --quiet bench ingest "$WORK/syn" --project kedro --repo "$WORK/syn/history.git" >/dev/null
    "$AGORA" --quiet portal build --out "$WORK/site" --date 2026-12-07 >/dev/null
)
# nginx's workers run as nobody: they must be able to read the site.
chmod a+x "$WORK"
chmod -R a+rX "$WORK/site"
(cd "$WORK/site" && find . -name '*.html' | sed 's|^\./|/|' | sort) > "$WORK/paths"
PAGES=$(wc -l < "$WORK/paths")
SITE_BYTES=$(du -sb "$WORK/site" | cut -f1)
echo "portal: $PAGES pages, $SITE_BYTES bytes" >&2

cat > "$WORK/rr.lua" <<'LUA'
-- Round robin over the paths of $PATHS (one a line).
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
LUA

start_agora() {
    AGORA_PORT=$(free_port)
    (cd "$P" && exec "$AGORA" serve --bind "127.0.0.1:$AGORA_PORT" --site "$WORK/site" 2>>"$WORK/agora.log") &
    SERVER_PID=$!
    wait_port "$AGORA_PORT"
}
start_nginx() {
    NGINX_PORT=$(free_port)
    mkdir -p "$WORK/nginx"
    cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    gzip on;
    access_log $WORK/nginx/access.log;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/site;
        index index.html;
        etag on;
        add_header Cache-Control "public, max-age=300";
    }
}
NGINX
    "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
    NGINX_PID=$!
    wait_port "$NGINX_PORT"
}

# wrk_rps URL [WRK ARGS…]: requests per second of one run over the portal's pages (fails on
# errors).
wrk_rps() {
    local url="$1" out
    shift
    out=$(PATHS="$WORK/paths" wrk -t2 -c"$CONNS" -d"${DURATION}s" "$@" -s "$WORK/rr.lua" "$url")
    if grep -q "Non-2xx" <<<"$out"; then
        echo "error: non-2xx answers from $url:" >&2
        echo "$out" >&2
        exit 2
    fi
    awk '/^Requests\/sec/ {print $2}' <<<"$out"
}

# A check first: both serve the same bytes for every page, plain and gzip-decoded.
start_agora
start_nginx
while read -r path; do
    for enc in identity gzip; do
        if ! cmp -s <(curl -sf --compressed -H "Accept-Encoding: $enc" "http://127.0.0.1:$AGORA_PORT$path") \
                    <(curl -sf --compressed -H "Accept-Encoding: $enc" "http://127.0.0.1:$NGINX_PORT$path"); then
            echo "error: agora and nginx differ on $path ($enc)" >&2
            exit 2
        fi
    done
done < "$WORK/paths"
stop_servers

echo "static pages: $ROUNDS rounds of ${DURATION} s per client, $CONNS connections…" >&2
AGORA_RPS=()
NGINX_RPS=()
AGORA_GZ=()
NGINX_GZ=()
for round in $(seq "$ROUNDS"); do
    start_nginx
    NGINX_RPS+=("$(wrk_rps "http://127.0.0.1:$NGINX_PORT")")
    NGINX_GZ+=("$(wrk_rps "http://127.0.0.1:$NGINX_PORT" -H "Accept-Encoding: gzip")")
    stop_servers
    start_agora
    AGORA_RPS+=("$(wrk_rps "http://127.0.0.1:$AGORA_PORT")")
    AGORA_GZ+=("$(wrk_rps "http://127.0.0.1:$AGORA_PORT" -H "Accept-Encoding: gzip")")
    stop_servers
    echo "  round $round: plain nginx ${NGINX_RPS[-1]}/s agora ${AGORA_RPS[-1]}/s; gzip nginx ${NGINX_GZ[-1]}/s agora ${AGORA_GZ[-1]}/s" >&2
done

# The search API at 32 connections.
python3 - "$WORK/search-paths" <<'PY'
import sys, urllib.parse
queries = [
    "sparse matrix", "optimize minimize", "is:pr state:closed integrate", "is:issue label:defect",
    "interpolate spline", "author:rgommers", "is:pr is:merged signal", "fft", "special function",
    "stats distribution", "linalg eigh", "state:open ndimage", "created:>2020-06-01 sparse",
    "is:issue state:open optimize", "BUG", "DOC", "ENH", "test failure", "windows", "memory leak",
]
with open(sys.argv[1], "w") as out:
    for q in queries:
        out.write("/api/v1/search?q=" + urllib.parse.quote(q) + "\n")
PY
start_agora
while read -r path; do
    curl -sf "http://127.0.0.1:$AGORA_PORT$path" >/dev/null || { echo "error: GET $path failed" >&2; exit 2; }
done < "$WORK/search-paths"
echo "search: ${DURATION} s at 32 connections…" >&2
SEARCH=$(PATHS="$WORK/search-paths" wrk -t2 -c32 -d"${DURATION}s" --latency -s "$WORK/rr.lua" "http://127.0.0.1:$AGORA_PORT")
grep -q "Non-2xx" <<<"$SEARCH" && { echo "$SEARCH" >&2; echo "error: search failed" >&2; exit 2; }
SEARCH_RPS=$(awk '/^Requests\/sec/ {print $2}' <<<"$SEARCH")
SEARCH_P50=$(awk '$1 == "50%" {print $2}' <<<"$SEARCH")
SEARCH_P99=$(awk '$1 == "99%" {print $2}' <<<"$SEARCH")

# 200 uploads at once.
echo "uploads: 200 at once…" >&2
TOKEN=$(cd "$P" && "$AGORA" --quiet token create --project demo --note bench)
UPLOADS=$(python3 - "$AGORA_PORT" "$TOKEN" "$WORK/uploads" "$ROOT/bench" <<'PY'
import sys, threading, time, urllib.request

port, token, work, bench = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
N = 200
sys.path.insert(0, bench)
from upload_bodies import tarballs

bodies = tarballs(N)
statuses = [None] * N
latencies = [0.0] * N
start = threading.Barrier(N + 1)

def post(i):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/projects/demo/bench", data=bodies[i], method="POST",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-{i}",
                 "Content-Type": "application/gzip"})
    start.wait()
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            statuses[i] = response.status
    except urllib.error.HTTPError as error:
        statuses[i] = error.code
    except Exception as error:
        statuses[i] = repr(error)
    latencies[i] = time.perf_counter() - t

threads = [threading.Thread(target=post, args=(i,)) for i in range(N)]
for thread in threads:
    thread.start()
start.wait()
t0 = time.perf_counter()
for thread in threads:
    thread.join()
wall = time.perf_counter() - t0
ok = sum(1 for s in statuses if s == 200)
others = sorted({str(s) for s in statuses if s != 200})
latencies.sort()
print(f"{ok} {wall:.2f} {latencies[N // 2]:.3f} {latencies[-1]:.3f} {','.join(others) or '-'}")
PY
)
read -r UP_OK UP_WALL UP_P50 UP_MAX UP_OTHER <<<"$UPLOADS"
STORED=$(curl -sf "http://127.0.0.1:$AGORA_PORT/metrics" | awk -F' ' '/^agora_uploads_total\{outcome="ingested"\}/ {print $2}')
stop_servers
FILES=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM bench_file WHERE project='demo'\").fetchone()[0])" "$P/.agora/agora.db")

echo
echo "## serve: agora serve vs nginx (static pages), search latency, concurrent uploads"
echo
python3 - "$PAGES" "$SITE_BYTES" "$DURATION" "$CONNS" "${NGINX_RPS[*]}" "${AGORA_RPS[*]}" "${NGINX_GZ[*]}" "${AGORA_GZ[*]}" <<'PY'
import statistics, sys
pages, size, duration, conns = sys.argv[1:5]
runs = [[float(x) for x in arg.split()] for arg in sys.argv[5:9]]
print(f"Static: the portal's {pages} pages ({int(size) / 1e6:.1f} MB on disk), round robin, "
      f"wrk -t2 -c{conns} -d{duration}s, nginx and agora alternated:")
print()
print("| client | server | requests/s per round | median |")
print("|---|---|---|---:|")
labels = [("no compression", "nginx"), ("no compression", "agora serve"),
          ("Accept-Encoding: gzip", "nginx"), ("Accept-Encoding: gzip", "agora serve")]
for (client, server), r in zip(labels, runs):
    print(f"| {client} | {server} | {', '.join(f'{x:,.0f}' for x in r)} | {statistics.median(r):,.0f} |")
print()
med = [statistics.median(r) for r in runs]
print(f"- agora / nginx (medians), no compression: **{100 * med[1] / med[0]:.0f} %**; "
      f"with gzip: **{100 * med[3] / med[2]:.0f} %**")
PY
echo "- search API (/api/v1/search, 20 queries round robin, scipy mirror), wrk -t2 -c32 -d${DURATION}s: p50 $SEARCH_P50, **p99 $SEARCH_P99**, $SEARCH_RPS requests/s"
echo "- 200 uploads at once (one result file each, one project): $UP_OK answered 200 (others: $UP_OTHER), $FILES files stored, $STORED ingested by the metrics; all done in $UP_WALL s (per upload: median $UP_P50 s, slowest $UP_MAX s)"
if [[ "$UP_OK" != 200 || "$FILES" != 200 ]]; then
    echo "error: uploads lost" >&2
    exit 1
fi
echo
machine
