"""The SQLite FTS5 side of bench/search.sh, and the comparison.

The anchor is github-to-sqlite's approach: the items in a table, an FTS5 table over their text
(here title, body and the comments' texts, so both sides search the same words; github-to-sqlite
itself indexes title and body), labels in a join table, comments in their own table, indexes on
the filter columns, and the qualifiers as SQL filters next to the MATCH. Each query returns what
agora's does: the total and the 20 best hits with a snippet.

  search_fts5.py queries QUERIES.tsv                 write agora's side of the fixed queries
  search_fts5.py build CORPUS.jsonl DB               build the database, print timing JSON
  search_fts5.py query DB RUNS                       time the queries, print JSON
  search_fts5.py report AGORA_BUILD FTS_BUILD AGORA_Q FTS_Q
                                                     compare totals, print the table
"""

import json
import sqlite3
import statistics
import sys
import time

# (sort, agora query, FTS5 MATCH or None, SQL filter on items i, parameters)
QUERIES = [
    ("relevance", 'repo:scipy/scipy is:open segfault', "segfault",
     "i.repo = ? AND i.state = 'open'", ["scipy/scipy"]),
    ("relevance", "is:pr is:merged memory leak", "memory leak",
     "i.kind = 'pr' AND i.state = 'merged'", []),
    ("relevance", 'label:bug "sparse matrix"', '"sparse matrix"',
     "i.id IN (SELECT item_id FROM item_labels WHERE label = ?)", ["bug"]),
    ("relevance", "is:issue created:2021-01-01..2021-12-31 crash*", "crash*",
     "i.kind = 'issue' AND i.created_at >= ? AND i.created_at < ?",
     ["2021-01-01", "2022-01-01"]),
    ("relevance", "repo:numpy/numpy -label:bug regression", "regression",
     "i.repo = ? AND i.id NOT IN (SELECT item_id FROM item_labels WHERE label = ?)",
     ["numpy/numpy", "bug"]),
    ("relevance", "comments:>10 is:open performance", "performance",
     "i.comments > ? AND i.state = 'open'", [10]),
    ("relevance", "commenter:user7 eigenvalue", "eigenvalue",
     "i.id IN (SELECT item_id FROM comments WHERE author = ?)", ["user7"]),
    ("relevance", "author:user3 is:closed wheel", "wheel",
     "i.author = ? AND i.state IN ('closed', 'merged')", ["user3"]),
    ("relevance", "label:enhancement label:documentation build", "build",
     "i.id IN (SELECT item_id FROM item_labels WHERE label = ?)"
     " AND i.id IN (SELECT item_id FROM item_labels WHERE label = ?)",
     ["enhancement", "documentation"]),
    ("relevance", "is:closed closed:>=2022-01-01 fix -windows", "fix NOT windows",
     "i.state IN ('closed', 'merged') AND i.closed_at >= ?", ["2022-01-01"]),
    # Text only, and qualifiers only (sorted by the last update).
    ("relevance", "sparse", "sparse", "1", []),
    ("relevance", '"memory leak" solver', '"memory leak" solver', "1", []),
    ("updated", "is:issue is:open label:bug", None,
     "i.kind = 'issue' AND i.state = 'open'"
     " AND i.id IN (SELECT item_id FROM item_labels WHERE label = ?)", ["bug"]),
]


def kind_of(q):
    has_text = q[2] is not None
    has_filter = q[3] != "1"
    return "qualifiers + text" if has_text and has_filter else ("text" if has_text else "qualifiers")


def write_queries(path):
    with open(path, "w") as f:
        for sort, agora, *_ in QUERIES:
            f.write(f"{sort}\t{agora}\n")


def build(corpus, db):
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.executescript("""
        PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
        CREATE TABLE items (id INTEGER PRIMARY KEY, repo TEXT, number INTEGER, kind TEXT,
            state TEXT, title TEXT, body TEXT, author TEXT, created_at TEXT, updated_at TEXT,
            closed_at TEXT, comments INTEGER);
        CREATE TABLE item_labels (item_id INTEGER REFERENCES items(id), label TEXT);
        CREATE TABLE comments (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items(id),
            author TEXT, body TEXT);
        CREATE VIRTUAL TABLE items_fts USING fts5(title, body, comments);
    """)
    items = 0
    size = 0
    with open(corpus) as f:
        conn.execute("BEGIN")
        for line in f:
            size += len(line.encode())
            d = json.loads(line)
            items += 1
            conn.execute(
                "INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (items, d["repo"], d["number"], d["kind"], d["state"], d["title"], d["body"],
                 d["author"], d["created"], d["updated"], d["closed"], d["comment_count"]))
            conn.executemany("INSERT INTO item_labels VALUES (?, ?)",
                             [(items, label) for label in d["labels"]])
            conn.executemany("INSERT INTO comments (item_id, author, body) VALUES (?,?,?)",
                             [(items, a, b) for a, b in zip(d["comment_authors"], d["comments"])])
            conn.execute("INSERT INTO items_fts (rowid, title, body, comments) VALUES (?,?,?,?)",
                         (items, d["title"], d["body"], "\n".join(d["comments"])))
        conn.execute("COMMIT")
    conn.executescript("""
        CREATE INDEX items_repo ON items(repo);
        CREATE INDEX items_kind_state ON items(kind, state);
        CREATE INDEX items_state ON items(state);
        CREATE INDEX items_author ON items(author);
        CREATE INDEX items_created ON items(created_at);
        CREATE INDEX items_updated ON items(updated_at);
        CREATE INDEX items_closed ON items(closed_at);
        CREATE INDEX item_labels_label ON item_labels(label, item_id);
        CREATE INDEX comments_author ON comments(author, item_id);
        CREATE INDEX comments_item ON comments(item_id);
        INSERT INTO items_fts(items_fts) VALUES ('optimize');
        ANALYZE;
    """)
    conn.close()
    print(json.dumps({"items": items, "bytes": size, "seconds": time.perf_counter() - started}))


def run_query(conn, q):
    sort, _, match, where, params = q
    if match is None:
        total = conn.execute(f"SELECT count(*) FROM items i WHERE {where}", params).fetchone()[0]
        rows = conn.execute(
            f"SELECT i.repo, i.number, i.title FROM items i WHERE {where}"
            " ORDER BY i.updated_at DESC LIMIT 20", params).fetchall()
        return total, rows
    joined = f"FROM items_fts JOIN items i ON i.id = items_fts.rowid WHERE items_fts MATCH ? AND {where}"
    total = conn.execute(f"SELECT count(*) {joined}", [match, *params]).fetchone()[0]
    rows = conn.execute(
        f"SELECT i.repo, i.number, i.title, snippet(items_fts, -1, '**', '**', '…', 24) {joined}"
        " ORDER BY rank LIMIT 20", [match, *params]).fetchall()
    return total, rows


def query(db, runs):
    conn = sqlite3.connect(db)
    out = []
    for q in QUERIES:
        ms = []
        total = 0
        for run in range(runs + 3):
            started = time.perf_counter()
            total, _ = run_query(conn, q)
            elapsed = (time.perf_counter() - started) * 1000
            if run >= 3:
                ms.append(elapsed)
        out.append({"query": q[1], "total": total, "ms": ms})
    print(json.dumps(out))


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def report(agora_build, fts_build, agora_q, fts_q):
    ab, fb = (json.load(open(p)) for p in (agora_build, fts_build))
    aq, fq = (json.load(open(p)) for p in (agora_q, fts_q))
    mib = ab["bytes"] / 2**20
    print(f"corpus: {ab['items']:,} items, {mib:,.0f} MiB of JSON lines\n")
    print("| build | seconds | items/s | MiB/s | FTS5 / agora |")
    print("|---|---:|---:|---:|---:|")
    for name, b in (("agora (tantivy)", ab), ("SQLite FTS5", fb)):
        ratio = f"**{fb['seconds'] / ab['seconds']:.1f}×**" if b is ab else ""
        print(f"| {name} | {b['seconds']:.1f} | {b['items'] / b['seconds']:,.0f} | "
              f"{mib / b['seconds']:.1f} | {ratio} |")
    print()
    mismatches = [(a["query"], a["total"], f["total"]) for a, f in zip(aq, fq) if a["total"] != f["total"]]
    print("| query | kind | hits | agora p50 ms | agora p99 ms | FTS5 p50 ms | FTS5 p99 ms | FTS5 / agora (p50) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    groups = {}
    for q, a, f in zip(QUERIES, aq, fq):
        kind = kind_of(q)
        groups.setdefault(kind, ([], []))
        groups[kind][0].extend(a["ms"])
        groups[kind][1].extend(f["ms"])
        hits = f"{a['total']:,}" if a["total"] == f["total"] else f"{a['total']:,} ≠ {f['total']:,}"
        ap50, fp50 = pct(a["ms"], 0.5), pct(f["ms"], 0.5)
        print(f"| `{a['query']}` | {kind} | {hits} | {ap50:.2f} | {pct(a['ms'], 0.99):.2f} | "
              f"{fp50:.2f} | {pct(f['ms'], 0.99):.2f} | {fp50 / ap50:.1f}× |")
    print()
    print("| all runs of | agora p50 ms | agora p99 ms | FTS5 p50 ms | FTS5 p99 ms | FTS5 / agora (p50) |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, (a, f) in groups.items():
        print(f"| {kind} | {pct(a, 0.5):.2f} | {pct(a, 0.99):.2f} | {pct(f, 0.5):.2f} | "
              f"{pct(f, 0.99):.2f} | **{pct(f, 0.5) / pct(a, 0.5):.1f}×** |")
    if mismatches:
        print("\nwarning: totals differ:", mismatches)
    target = pct(groups["qualifiers + text"][0], 0.5)
    print(f"\nqualifier + text p50 {target:.2f} ms: target < 10 ms "
          f"{'met' if target < 10 else 'NOT met'}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "queries":
        write_queries(sys.argv[2])
    elif cmd == "build":
        build(sys.argv[2], sys.argv[3])
    elif cmd == "query":
        query(sys.argv[2], int(sys.argv[3]))
    elif cmd == "report":
        sys.exit(report(*sys.argv[2:6]))
    else:
        sys.exit(__doc__)
