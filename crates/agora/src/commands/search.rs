//! `agora search QUERY`: brings the index up to date with the store, then answers.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use agora_search::render::{self, Marking};
use agora_search::{Query, SearchError, SearchIndex, SearchOptions, Sort, feed};
use anyhow::Context as _;

use crate::cli::{SearchArgs, SearchFormat, SearchSort};
use crate::context::Context;

/// Brings the search index up to date after `agora github sync` or `import` wrote to `store`.
/// A failure is a warning: the mirror is stored, and the next `agora search` tries again.
pub fn refresh_after_write(context: &Context, store: &agora_store::Store) {
    match feed::open_beside(store) {
        Ok(feed::OpenedIndex {
            summary, notice, ..
        }) => {
            if let Some(notice) = notice {
                eprintln!("warning: {notice}");
            }
            if crate::progress::interactive(context.quiet) && summary.indexed > 0 {
                eprintln!("{}", summary_line(&summary));
            }
        }
        Err(error) => eprintln!(
            "warning: the search index in {} was not updated ({error}); `agora search` will try again",
            feed::index_dir_for(store.path()).display()
        ),
    }
}

fn summary_line(summary: &feed::RefreshSummary) -> String {
    format!(
        "search index: {} item{} indexed{}, {} in all",
        summary.indexed,
        if summary.indexed == 1 { "" } else { "s" },
        if summary.full { " (full build)" } else { "" },
        summary.total
    )
}

/// `agora search`.
pub fn run(context: &Context, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let text = args.query.join(" ");
    // A bad query is refused before anything is opened or indexed.
    let query = Query::parse(&text).map_err(|e| anyhow::anyhow!("bad query: {e}"))?;
    let store = context.store()?;
    let interactive = crate::progress::interactive(context.quiet);
    let spinner = crate::progress::bar(0, "search index", context.quiet);
    if interactive {
        spinner.set_message("bringing the index up to date");
    }
    let dir = feed::index_dir_for(store.path());
    let (mut index, summary) = match feed::open_beside(&store) {
        Ok(opened) => {
            if let Some(notice) = &opened.notice {
                spinner.suspend(|| eprintln!("warning: {notice}"));
            }
            (opened.index, opened.summary)
        }
        // Another agora is indexing: answer from what is committed, and say so.
        Err(SearchError::Locked { .. }) => {
            eprintln!(
                "warning: another agora is updating the search index; answering from the index as it was"
            );
            let index = SearchIndex::open(&dir)
                .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
            let summary = feed::RefreshSummary {
                total: index.len(),
                ..feed::RefreshSummary::default()
            };
            (index, summary)
        }
        Err(error) => {
            return Err(anyhow::Error::new(error).context(format!(
                "cannot update the search index in {}",
                dir.display()
            )));
        }
    };
    spinner.finish_and_clear();
    if interactive && summary.indexed > 0 {
        eprintln!("{}", summary_line(&summary));
    }
    if summary.total == 0 && !context.quiet {
        eprintln!(
            "note: the store {} holds no issues or pull requests yet; run `agora github sync` or `agora github import` first",
            store.path().display()
        );
    }
    let options = SearchOptions {
        sort: match args.sort {
            SearchSort::Relevance => Sort::Relevance,
            SearchSort::Updated => Sort::Updated,
            SearchSort::Created => Sort::Created,
            SearchSort::Comments => Sort::Comments,
        },
        limit: args.limit,
        offset: args.offset,
        ..SearchOptions::default()
    };
    let results = match index.search(&text, &query, &options) {
        Ok(results) => results,
        // Damage that only reading the postings shows: rebuild from the store, ask again.
        Err(error @ SearchError::Tantivy(_)) => {
            let opened = feed::recover_beside(&store, &error)
                .with_context(|| format!("cannot rebuild the search index in {}", dir.display()))?;
            if let Some(notice) = &opened.notice {
                eprintln!("warning: {notice}");
            }
            index = opened.index;
            index.search(&text, &query, &options)?
        }
        Err(error) => return Err(error.into()),
    };
    let out = match args.format {
        SearchFormat::Json => render::json(&results),
        SearchFormat::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let marking = if colour {
                Marking::Ansi
            } else {
                Marking::Plain
            };
            render::text(&results, args.offset, marking)
        }
    };
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
