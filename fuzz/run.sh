#!/usr/bin/env bash
# Runs one fuzz target with its input size limit: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags…]
# Crashes, timeouts and out-of-memory inputs are recorded in artifacts/TARGET/ and the run goes
# on (libFuzzer's fork mode), so one run finds all it can in the time given.
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?usage: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags…]}"
seconds="${2:-600}"
shift $(( $# < 2 ? $# : 2 ))
case "$target" in
    wheel_archive) max_len=1048576 ;;
    wheel_binary) max_len=262144 ;;
    python_source | pypi_page | asv_files | devstats_dump | pyproject_floors) max_len=65536 ;;
    numpydoc_docstring | numpydoc_config | wheel_metadata | agora_toml) max_len=16384 ;;
    search_query) max_len=4096 ;;
    dist_filename) max_len=512 ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "corpus/$target" "artifacts/$target"
exec nice -n 15 cargo fuzz run -s none --codegen-units 4 "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$max_len" -timeout=10 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="artifacts/$target/" "$@"
