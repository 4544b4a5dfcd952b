#!/usr/bin/env bash
# Benchmark: agora's search index (tantivy) against SQLite FTS5 as github-to-sqlite uses it.
#
#   bash bench/search.sh                 # 200,000 issues/PRs with 1,000,000 comments
#   ITEMS=20000 COMMENTS=100000 bash bench/search.sh   # a quicker, smaller run
#
# 1. bench/search_corpus.py generates the corpus (seeded, so always the same): JSON lines, one
#    issue or PR each with its comments, Zipf-distributed words, users and labels. It is kept
#    in $BENCH_DIR (default target/bench-search) and reused while ITEMS/COMMENTS are unchanged.
# 2. Build: agora-search's example `bench_search build` indexes every item (one update, as the
#    first `agora search` after an import does) and `search_fts5.py build` loads the same
#    items into SQLite (items, labels and comments tables, an FTS5 table over title, body and
#    comments, indexes on the filter columns, then FTS5 'optimize' and ANALYZE). Both timed
#    end to end, including reading and parsing the JSON lines.
# 3. Queries: a fixed set (search_fts5.py QUERIES: qualifiers + text, text only, qualifiers
#    only), each answered in full by both (total count, 20 best hits, snippets), 3 warm-up runs
#    then RUNS (default 50) timed runs, in process (the Rust library; Python's sqlite3).
#    The totals must agree; the report gives p50/p99 per query and per kind, and the ratios.
# Record the result in bench/RESULTS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ITEMS="${ITEMS:-200000}"
COMMENTS="${COMMENTS:-1000000}"
RUNS="${RUNS:-50}"
BENCH_DIR="${BENCH_DIR:-$ROOT/target/bench-search}"
mkdir -p "$BENCH_DIR"
CORPUS="$BENCH_DIR/corpus-$ITEMS-$COMMENTS.jsonl"

if [[ ! -s "$CORPUS" ]]; then
    echo "generating $ITEMS items with $COMMENTS comments…" >&2
    python3 bench/search_corpus.py "$CORPUS.tmp" "$ITEMS" "$COMMENTS"
    mv "$CORPUS.tmp" "$CORPUS"
fi
echo "building the agora-search example (release)…" >&2
cargo build --release --quiet -p agora-search --example bench_search
BENCH="$ROOT/target/release/examples/bench_search"

rm -rf "$BENCH_DIR/index" "$BENCH_DIR/fts5.db" "$BENCH_DIR"/fts5.db-*
python3 bench/search_fts5.py queries "$BENCH_DIR/queries.tsv"
echo "agora: building the index…" >&2
"$BENCH" build "$CORPUS" "$BENCH_DIR/index" > "$BENCH_DIR/agora-build.json"
echo "FTS5: building the database…" >&2
python3 bench/search_fts5.py build "$CORPUS" "$BENCH_DIR/fts5.db" > "$BENCH_DIR/fts5-build.json"
echo "agora: $RUNS runs of each query…" >&2
"$BENCH" query "$BENCH_DIR/index" "$BENCH_DIR/queries.tsv" "$RUNS" > "$BENCH_DIR/agora-query.json"
echo "FTS5: $RUNS runs of each query…" >&2
python3 bench/search_fts5.py query "$BENCH_DIR/fts5.db" "$RUNS" > "$BENCH_DIR/fts5-query.json"

echo "index sizes: agora $(du -sh "$BENCH_DIR/index" | cut -f1), FTS5 $(du -sh "$BENCH_DIR/fts5.db" | cut -f1) (with the items, labels and comments tables)"
python3 bench/search_fts5.py report "$BENCH_DIR/agora-build.json" "$BENCH_DIR/fts5-build.json" \
    "$BENCH_DIR/agora-query.json" "$BENCH_DIR/fts5-query.json"
