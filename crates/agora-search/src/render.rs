//! Views of [`SearchResults`]: text for a terminal or a pipe, and JSON. Both show the same
//! model; neither computes anything.
//!
//! Text gives a line per hit (`owner/name#number`, kind and state, title), a line of details
//! (labels, author, dates, comments) and one line per snippet with the matched terms marked:
//! bold yellow on a colour terminal, `**term**` elsewhere.

use std::fmt::Write as _;

use crate::search::{Hit, SearchResults, Sort, TextMatch};

/// How matched terms are marked in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// ANSI bold yellow, for colour terminals.
    Ansi,
    /// `**term**`, for pipes and files.
    Plain,
}

impl Marking {
    fn open(self) -> &'static str {
        match self {
            Marking::Ansi => "\x1b[1;33m",
            Marking::Plain => "**",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Marking::Ansi => "\x1b[0m",
            Marking::Plain => "**",
        }
    }
}

/// The fragment of a text match with its matches marked.
pub fn marked(m: &TextMatch, marking: Marking) -> String {
    let chars: Vec<char> = m.fragment.chars().collect();
    let mut out = String::with_capacity(m.fragment.len() + 8 * m.matches.len());
    let mut at = 0;
    for highlight in &m.matches {
        let [start, end] = highlight.indices;
        if start < at || end > chars.len() {
            continue;
        }
        out.extend(&chars[at..start]);
        out.push_str(marking.open());
        out.extend(&chars[start..end]);
        out.push_str(marking.close());
        at = end;
    }
    out.extend(&chars[at..]);
    out
}

fn day(t: Option<jiff::Timestamp>) -> String {
    t.map_or_else(|| "?".to_string(), |t| t.strftime("%Y-%m-%d").to_string())
}

fn hit_text(out: &mut String, hit: &Hit, marking: Marking) {
    let state = hit.state.map_or("state unknown", |s| s.as_str());
    let title = hit
        .text_matches
        .iter()
        .find(|m| m.property == "title")
        .map_or_else(|| hit.title.clone(), |m| marked(m, marking));
    let _ = writeln!(
        out,
        "{}#{}  [{} {}]  {}",
        hit.repo,
        hit.number,
        hit.kind.as_str(),
        state,
        title
    );
    let mut details = Vec::new();
    if !hit.labels.is_empty() {
        details.push(format!("labels: {}", hit.labels.join(", ")));
    }
    if let Some(author) = &hit.author {
        details.push(format!("by {author}"));
    }
    details.push(format!("opened {}", day(hit.created)));
    details.push(format!("updated {}", day(hit.updated)));
    if hit.closed.is_some() {
        details.push(format!("closed {}", day(hit.closed)));
    }
    // An unknown count is not shown (it is not 0).
    if let Some(comments) = hit.comments {
        let plural = if comments == 1 { "" } else { "s" };
        details.push(format!("{comments} comment{plural}"));
    }
    let _ = writeln!(out, "    {}", details.join(" · "));
    for m in hit.text_matches.iter().filter(|m| m.property != "title") {
        let what = if m.property == "comments" {
            "comment"
        } else {
            m.property
        };
        let _ = writeln!(out, "    {what}: {}", marked(m, marking));
    }
}

/// The results as text.
pub fn text(results: &SearchResults, offset: usize, marking: Marking) -> String {
    let mut out = String::new();
    let sort = match results.sort {
        Sort::Relevance => "best match first",
        Sort::Updated => "recently updated first",
        Sort::Created => "newest first",
        Sort::Comments => "most commented first",
    };
    let plural = if results.total == 1 { "" } else { "s" };
    if results.hits.is_empty() {
        let _ = writeln!(out, "{} result{plural}", results.total);
        return out;
    }
    let _ = writeln!(
        out,
        "{} result{plural}, {sort}; showing {}–{}",
        results.total,
        offset + 1,
        offset + results.hits.len()
    );
    for hit in &results.hits {
        out.push('\n');
        hit_text(&mut out, hit, marking);
    }
    out
}

/// The results as pretty JSON: `{query, sort, total, hits: [{…, text_matches}]}`.
pub fn json(results: &SearchResults) -> String {
    let mut out = serde_json::to_string_pretty(results).unwrap_or_default();
    out.push('\n');
    out
}
