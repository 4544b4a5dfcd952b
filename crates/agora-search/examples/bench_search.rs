//! The agora side of `bench/search.sh`: builds an index from the generated corpus and times a
//! fixed set of queries, printing JSON for the script to compare with SQLite FTS5.
//!
//! `bench_search build CORPUS.jsonl INDEX_DIR` indexes every line (one [`Document`] each) in
//! one update and prints `{"items", "bytes", "seconds"}`.
//! `bench_search query INDEX_DIR QUERIES.tsv RUNS` runs each `SORT<TAB>QUERY` line three times
//! to warm up, then RUNS times, each a full answer (parse, count, top 20, snippets), and prints
//! `[{"query", "sort", "total", "ms": [...]}]`.

use std::io::BufRead as _;
use std::path::Path;
use std::time::Instant;

use agora_search::{Document, SearchIndex, SearchOptions, Sort};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build") if args.len() == 3 => build(Path::new(&args[1]), Path::new(&args[2])),
        Some("query") if args.len() == 4 => {
            query(Path::new(&args[1]), Path::new(&args[2]), args[3].parse()?)
        }
        _ => Err(
            "usage: bench_search build CORPUS.jsonl INDEX_DIR | query INDEX_DIR QUERIES.tsv RUNS"
                .into(),
        ),
    }
}

fn build(corpus: &Path, dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut index = SearchIndex::open(dir)?;
    let mut update = index.update(Some(usize::MAX))?;
    let reader = std::io::BufReader::new(std::fs::File::open(corpus)?);
    let (mut items, mut bytes) = (0u64, 0u64);
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        bytes += line.len() as u64 + 1;
        let document: Document = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", corpus.display(), n + 1))?;
        update.upsert(&document)?;
        items += 1;
    }
    update.commit(Some("bench"))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"items": items, "bytes": bytes, "seconds": seconds, "docs": index.len()})
    );
    Ok(())
}

fn query(dir: &Path, queries: &Path, runs: usize) -> Result<(), Box<dyn std::error::Error>> {
    let index = SearchIndex::open(dir)?;
    let mut out = Vec::new();
    for line in std::fs::read_to_string(queries)?.lines() {
        let Some((sort, text)) = line.split_once('\t') else {
            continue;
        };
        let sort = match sort {
            "updated" => Sort::Updated,
            "created" => Sort::Created,
            "comments" => Sort::Comments,
            _ => Sort::Relevance,
        };
        let options = SearchOptions {
            sort,
            limit: 20,
            ..SearchOptions::default()
        };
        let mut total = 0;
        let mut ms = Vec::with_capacity(runs);
        for run in 0..runs + 3 {
            let started = Instant::now();
            let results = index.search_text(text, &options)?;
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            total = results.total;
            if run >= 3 {
                ms.push(elapsed);
            }
        }
        out.push(serde_json::json!({"query": text, "total": total, "ms": ms}));
    }
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
