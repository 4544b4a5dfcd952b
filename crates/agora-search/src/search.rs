//! Answering a [`Query`]: the tantivy query it becomes, the sort, and the hits with snippets.
//!
//! Every clause is required (`-` makes it excluded). A word must occur in one of the searched
//! text fields (title weighs three times the body or a comment); a word that the analyzer
//! splits (`scipy.stats`) and a quoted phrase must occur as a phrase; a prefix matches every
//! token it starts (scored when it expands to few tokens, at a constant score otherwise).
//! Qualifiers filter without scoring. A query without positive text is sorted by the last
//! update even when relevance is asked for, since there is nothing to rank by.
//!
//! Snippets come from the stored texts: the title with its matches marked, then the best
//! fragment of the body and of the first comment that contains a searched term, each with the
//! character offsets of its matches (as GitHub's `text_matches`).

use std::collections::BTreeMap;
use std::ops::{Bound, Range};

use jiff::Timestamp;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, InvertedIndexRangeQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query as TantivyQuery, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::document::{Kind, State};
use crate::index::{Meta, SearchError, SearchIndex, date, kind_from, state_from, text_analyzer};
use crate::query::{Clause, CountRange, DateField, Matcher, Query, Text, TimeRange};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (the last update first when the query has no text).
    #[default]
    Relevance,
    /// Most recently updated first.
    Updated,
    /// Most recently opened first.
    Created,
    /// Most commented first.
    Comments,
}

/// What to return of the matches.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// The order of the hits.
    pub sort: Sort,
    /// At most this many hits (0: only count).
    pub limit: usize,
    /// Skip this many hits first (for paging).
    pub offset: usize,
    /// The length of body and comment fragments, in characters.
    pub fragment_chars: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            fragment_chars: 160,
        }
    }
}

/// The answer to a query.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The order actually used (relevance falls back to updated without text).
    pub sort: Sort,
    /// How many items match in all.
    pub total: usize,
    /// The hits asked for, in order.
    pub hits: Vec<Hit>,
}

/// One matching issue or pull request.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `owner/name`.
    pub repo: String,
    /// The number.
    pub number: u64,
    /// Issue or pull request.
    pub kind: Kind,
    /// Open, closed or merged (`None`: unknown).
    pub state: Option<State>,
    /// The title.
    pub title: String,
    /// Its page on GitHub.
    pub url: String,
    /// Label names.
    pub labels: Vec<String>,
    /// The author's login, when known.
    pub author: Option<String>,
    /// When it was opened, if known.
    pub created: Option<Timestamp>,
    /// When it last changed, if known.
    pub updated: Option<Timestamp>,
    /// When it was closed, if it is.
    pub closed: Option<Timestamp>,
    /// How many comments it has; `None` when the data does not say.
    pub comments: Option<u64>,
    /// The relevance score, when sorted by relevance.
    pub score: Option<f32>,
    /// Fragments of the texts with the searched terms marked.
    pub text_matches: Vec<TextMatch>,
}

/// A fragment of one text of a hit, with its matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextMatch {
    /// Which text: `title`, `body` or `comments`.
    pub property: &'static str,
    /// The fragment, whitespace collapsed, with `…` where it was cut.
    pub fragment: String,
    /// The matched terms in the fragment.
    pub matches: Vec<Highlight>,
}

/// One matched term in a fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlight {
    /// The text matched.
    pub text: String,
    /// Its character offsets in the fragment, `[start, end)`.
    pub indices: [usize; 2],
}

/// Prefixes expanding to more tokens than this match at a constant score.
const SCORED_PREFIX_TERMS: usize = 64;
/// At most this many expansions of one prefix are marked in snippets.
const HIGHLIGHTED_PREFIX_TERMS: usize = 500;
/// At most this many expansions of the last word of a phrase prefix (`scipy.sta*`) are tried.
const PHRASE_PREFIX_EXPANSIONS: u32 = 10_000;
/// How much more a title match weighs than a body or comment match.
const TITLE_BOOST: f32 = 3.0;

/// The terms to mark in each text field.
#[derive(Default)]
struct Marks {
    by_field: BTreeMap<u32, BTreeMap<String, f32>>,
}

impl Marks {
    fn add(&mut self, field: Field, text: &str) {
        self.by_field
            .entry(field.field_id())
            .or_default()
            .insert(text.to_string(), 1.0);
    }

    fn of(&self, field: Field) -> BTreeMap<String, f32> {
        self.by_field
            .get(&field.field_id())
            .cloned()
            .unwrap_or_default()
    }
}

impl SearchIndex {
    /// Parses `text` and answers it.
    pub fn search_text(
        &self,
        text: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults, SearchError> {
        let query = Query::parse(text)?;
        self.search(text, &query, options)
    }

    /// Answers a parsed query; `text` is the query as given, echoed in the results.
    pub fn search(
        &self,
        text: &str,
        query: &Query,
        options: &SearchOptions,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let mut marks = Marks::default();
        let tantivy_query = self.build(&searcher, query, &mut marks)?;
        let sort = if options.sort == Sort::Relevance && !query.has_positive_text() {
            Sort::Updated
        } else {
            options.sort
        };
        // tantivy reserves room for `limit + offset` hits up front: bound both by the
        // documents there are, so `--limit 18446744073709551615` neither overflows nor
        // allocates for hits that cannot exist.
        let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = options.offset.min(documents);
        let limit = options.limit.min(documents - offset);
        let (total, addresses) = if limit == 0 {
            (searcher.search(&tantivy_query, &Count)?, Vec::new())
        } else {
            let top = TopDocs::with_limit(limit).and_offset(offset);
            match sort {
                Sort::Relevance => {
                    let (n, docs) =
                        searcher.search(&tantivy_query, &(Count, top.order_by_score()))?;
                    (n, docs.into_iter().map(|(s, a)| (Some(s), a)).collect())
                }
                Sort::Updated | Sort::Created => {
                    let field = if sort == Sort::Updated {
                        "updated"
                    } else {
                        "created"
                    };
                    let collector = top.order_by_fast_field::<DateTime>(field, Order::Desc);
                    let (n, docs) = searcher.search(&tantivy_query, &(Count, collector))?;
                    (n, docs.into_iter().map(|(_, a)| (None, a)).collect())
                }
                Sort::Comments => {
                    let collector = top.order_by_fast_field::<u64>("comments", Order::Desc);
                    let (n, docs) = searcher.search(&tantivy_query, &(Count, collector))?;
                    (n, docs.into_iter().map(|(_, a)| (None, a)).collect())
                }
            }
        };
        let hits = self.hits(&searcher, &addresses, &marks, options.fragment_chars)?;
        Ok(SearchResults {
            query: text.to_string(),
            sort,
            total,
            hits,
        })
    }

    /// The tantivy query of a parsed query.
    fn build(
        &self,
        searcher: &Searcher,
        query: &Query,
        marks: &mut Marks,
    ) -> Result<Box<dyn TantivyQuery>, SearchError> {
        let f = &self.fields;
        let mut text_fields = Vec::new();
        let fields = query.text_fields;
        if fields.title {
            text_fields.push((f.title, TITLE_BOOST));
        }
        if fields.body {
            text_fields.push((f.body, 1.0));
        }
        if fields.comments {
            text_fields.push((f.comment_text, 1.0));
        }
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        let mut positive = false;
        for clause in &query.clauses {
            let Some(q) = self.clause_query(searcher, clause, &text_fields, marks)? else {
                continue;
            };
            if clause.negated {
                clauses.push((Occur::MustNot, q));
            } else {
                positive = true;
                clauses.push((Occur::Must, q));
            }
        }
        if !positive {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The query of one clause; `None` when it constrains nothing (text without tokens).
    fn clause_query(
        &self,
        searcher: &Searcher,
        clause: &Clause,
        text_fields: &[(Field, f32)],
        marks: &mut Marks,
    ) -> Result<Option<Box<dyn TantivyQuery>>, SearchError> {
        let f = &self.fields;
        let term = |field: Field, value: &str| -> Box<dyn TantivyQuery> {
            filter(Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )))
        };
        let q = match &clause.matcher {
            Matcher::Text(text) => {
                return self.text_query(searcher, text, text_fields, marks, !clause.negated);
            }
            Matcher::Repo(repo) => term(f.repo, repo),
            Matcher::Owner(owner) => term(f.owner, owner),
            Matcher::Kind(kind) => term(f.kind, kind.as_str()),
            Matcher::State(state) => term(f.state, state.as_str()),
            Matcher::Label(names) if names.len() == 1 => term(f.label, &names[0]),
            Matcher::Label(names) => filter(Box::new(TermSetQuery::new(
                names.iter().map(|n| Term::from_field_text(f.label, n)),
            ))),
            Matcher::Author(login) => term(f.author, login),
            Matcher::Commenter(login) => term(f.commenter, login),
            Matcher::Involves(login) => term(f.person, login),
            Matcher::Date(field, range) => {
                let field = match field {
                    DateField::Created => f.created,
                    DateField::Updated => f.updated,
                    DateField::Closed => f.closed,
                };
                date_range(field, *range)
            }
            Matcher::Comments(range) => count_range(f.comments, *range),
        };
        Ok(Some(q))
    }

    /// The query of free text over the searched fields; marks the terms to highlight when
    /// `mark` (not for excluded text).
    fn text_query(
        &self,
        searcher: &Searcher,
        text: &Text,
        text_fields: &[(Field, f32)],
        marks: &mut Marks,
        mark: bool,
    ) -> Result<Option<Box<dyn TantivyQuery>>, SearchError> {
        let (raw, is_prefix) = match text {
            Text::Word(w) | Text::Phrase(w) => (w.as_str(), false),
            Text::Prefix(p) => (p.as_str(), true),
        };
        let tokens = tokens(raw);
        let Some(last) = tokens.last() else {
            return Ok(None);
        };
        let mut alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for &(field, boost) in text_fields {
            let q: Box<dyn TantivyQuery> = if is_prefix {
                let expansions = expand_prefix(searcher, field, last)?;
                if mark {
                    for token in &tokens[..tokens.len() - 1] {
                        marks.add(field, token);
                    }
                    for expansion in expansions.iter().take(HIGHLIGHTED_PREFIX_TERMS) {
                        marks.add(field, expansion);
                    }
                }
                if tokens.len() == 1 {
                    if expansions.is_empty() {
                        continue;
                    }
                    if expansions.len() <= SCORED_PREFIX_TERMS {
                        Box::new(BooleanQuery::new_multiterms_query(
                            expansions
                                .iter()
                                .map(|t| Term::from_field_text(field, t))
                                .collect(),
                        ))
                    } else {
                        // Many tokens: one constant-score pass over the term range.
                        let lower = Bound::Included(Term::from_field_text(field, last));
                        let upper = prefix_end(last).map_or(Bound::Unbounded, |end| {
                            Bound::Excluded(Term::from_field_text(field, &end))
                        });
                        Box::new(InvertedIndexRangeQuery::new(lower, upper))
                    }
                } else {
                    let mut q = PhrasePrefixQuery::new(
                        tokens
                            .iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    );
                    q.set_max_expansions(PHRASE_PREFIX_EXPANSIONS);
                    Box::new(q)
                }
            } else {
                if mark {
                    for token in &tokens {
                        marks.add(field, token);
                    }
                }
                if tokens.len() == 1 {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, last),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(
                        tokens
                            .iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    ))
                }
            };
            let q: Box<dyn TantivyQuery> = if boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, boost))
            };
            alternatives.push((Occur::Should, q));
        }
        // A bare number (or #number) also finds the item of that number.
        if let Text::Word(word) = text
            && let Ok(number) = word.trim_start_matches('#').parse::<u64>()
        {
            alternatives.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.number, number),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if alternatives.is_empty() {
            // A prefix that starts no token anywhere: nothing can match.
            return Ok(Some(Box::new(tantivy::query::EmptyQuery)));
        }
        Ok(Some(Box::new(BooleanQuery::new(alternatives))))
    }

    /// The hits at `addresses`, with their snippets.
    fn hits(
        &self,
        searcher: &Searcher,
        addresses: &[(Option<f32>, DocAddress)],
        marks: &Marks,
        fragment_chars: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let generator = |field: Field, chars: usize| -> Result<SnippetGenerator, SearchError> {
            let tokenizer = searcher.index().tokenizer_for_field(field)?;
            Ok(SnippetGenerator::new(
                marks.of(field),
                tokenizer,
                field,
                chars,
            ))
        };
        let title_marks = generator(f.title, usize::MAX / 2)?;
        let body_marks = generator(f.body, fragment_chars)?;
        let comment_marks = generator(f.comment_text, fragment_chars)?;
        let mut hits = Vec::with_capacity(addresses.len());
        for &(score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let first = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            let meta: Meta = match serde_json::from_str(&first(f.meta)) {
                Ok(meta) => meta,
                Err(e) => {
                    return Err(SearchError::Tantivy(tantivy::TantivyError::InternalError(
                        format!("an indexed item has unreadable details: {e}"),
                    )));
                }
            };
            let title = first(f.title);
            let mut text_matches = Vec::new();
            if let Some(m) = text_match("title", &title, &title_marks) {
                text_matches.push(m);
            }
            if let Some(m) = text_match("body", &first(f.body), &body_marks) {
                text_matches.push(m);
            }
            for comment in doc.get_all(f.comment_text) {
                if let Some(m) = comment
                    .as_str()
                    .and_then(|c| text_match("comments", c, &comment_marks))
                {
                    text_matches.push(m);
                    break;
                }
            }
            let kind = kind_from(&meta.kind);
            let url = format!(
                "https://github.com/{}/{}/{}",
                meta.repo,
                if kind == Kind::PullRequest {
                    "pull"
                } else {
                    "issues"
                },
                meta.number
            );
            hits.push(Hit {
                repo: meta.repo,
                number: meta.number,
                kind,
                state: state_from(meta.state.as_deref()),
                title,
                url,
                labels: meta.labels,
                author: meta.author,
                created: meta.created,
                updated: meta.updated,
                closed: meta.closed,
                comments: meta.comments,
                score,
                text_matches,
            });
        }
        Ok(hits)
    }
}

/// A filter: required or excluded, never scored.
fn filter(q: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// A range over a date field.
fn date_range(field: Field, range: TimeRange) -> Box<dyn TantivyQuery> {
    let lower = range.start.map_or(Bound::Unbounded, |t| {
        Bound::Included(Term::from_field_date(field, date(t)))
    });
    let upper = range.end.map_or(Bound::Unbounded, |t| {
        Bound::Excluded(Term::from_field_date(field, date(t)))
    });
    if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
        return filter(Box::new(AllQuery));
    }
    filter(Box::new(RangeQuery::new(lower, upper)))
}

/// A range over a count field.
fn count_range(field: Field, range: CountRange) -> Box<dyn TantivyQuery> {
    let lower = range.min.map_or(Bound::Unbounded, |n| {
        Bound::Included(Term::from_field_u64(field, n))
    });
    let upper = range.max.map_or(Bound::Unbounded, |n| {
        Bound::Included(Term::from_field_u64(field, n))
    });
    if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
        return filter(Box::new(AllQuery));
    }
    filter(Box::new(RangeQuery::new(lower, upper)))
}

/// The tokens of query text, as the index has them.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut analyzer = text_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    tokens
}

/// Every indexed token of `field` that starts with `prefix`, in order, each once.
fn expand_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
) -> Result<Vec<String>, SearchError> {
    let mut found = std::collections::BTreeSet::new();
    let end = prefix_end(prefix);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let range = inverted.terms().range().ge(prefix.as_bytes());
        let range = match &end {
            Some(end) => range.lt(end),
            None => range,
        };
        let mut stream = range.into_stream().map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                found.insert(term.to_string());
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// The smallest string greater than every string starting with `prefix` (`None`: there is
/// none). Code point order is byte order in UTF-8, so this bounds the term dictionary too.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut end: Vec<char> = prefix.chars().collect();
    while let Some(last) = end.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            end.push(next);
            return Some(end.into_iter().collect());
        }
    }
    None
}

/// The best fragment of `text` with its marked terms, or `None` when none occurs in it.
fn text_match(
    property: &'static str,
    text: &str,
    generator: &SnippetGenerator,
) -> Option<TextMatch> {
    if text.is_empty() {
        return None;
    }
    let snippet = generator.snippet(text);
    if snippet.highlighted().is_empty() {
        return None;
    }
    let range = snippet.fragment_range();
    // Punctuation the fragment left out at either end is shown, not replaced by `…`.
    let words = |s: &str| s.chars().any(char::is_alphanumeric);
    let before = text.get(..range.start).unwrap_or_default();
    let after = text.get(range.end..).unwrap_or_default();
    let (cut_start, cut_end) = (words(before), words(after));
    let start = if cut_start { range.start } else { 0 };
    let end = if cut_end { range.end } else { text.len() };
    let moved = range.start - start;
    let highlighted: Vec<Range<usize>> = snippet
        .highlighted()
        .iter()
        .map(|r| (r.start + moved)..(r.end + moved))
        .collect();
    let (fragment, highlighted) =
        collapse_whitespace(text.get(start..end).unwrap_or_default(), &highlighted);
    let mut out = String::new();
    if cut_start {
        out.push('…');
    }
    let shift = out.len();
    out.push_str(&fragment);
    if cut_end {
        out.push('…');
    }
    let matches = highlighted
        .iter()
        .filter_map(|r| {
            let r = (r.start + shift)..(r.end + shift);
            let text = out.get(r.clone())?.to_string();
            let start = out[..r.start].chars().count();
            Some(Highlight {
                indices: [start, start + text.chars().count()],
                text,
            })
        })
        .collect();
    Some(TextMatch {
        property,
        fragment: out,
        matches,
    })
}

/// `text` with every run of whitespace made one space (and none at the ends), and the byte
/// ranges moved to match.
fn collapse_whitespace(text: &str, ranges: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    // new_offset[i] = offset in `out` of the byte at offset i in `text`.
    let mut new_offset = vec![0; text.len() + 1];
    let mut last_was_space = true;
    for (i, c) in text.char_indices() {
        for slot in &mut new_offset[i..i + c.len_utf8()] {
            *slot = out.len();
        }
        if c.is_whitespace() {
            if !last_was_space {
                out.push(' ');
            }
            last_was_space = true;
        } else {
            out.push(c);
            last_was_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    new_offset[text.len()] = out.len();
    let ranges = ranges
        .iter()
        .filter_map(|r| {
            let start = *new_offset.get(r.start)?;
            let end = (*new_offset.get(r.end)?).min(out.len());
            (start < end).then_some(start..end)
        })
        .collect();
    (out, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ends_bound_every_extension() {
        assert_eq!(prefix_end("lin").as_deref(), Some("lio"));
        assert_eq!(prefix_end("caf\u{10FFFF}").as_deref(), Some("cag"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        // The character after U+D7FF is U+E000: surrogates are skipped.
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        for word in ["lin", "linear", "lin\u{FFFF}zz"] {
            assert!(word < prefix_end("lin").expect("an end").as_str());
        }
    }

    #[test]
    fn whitespace_collapses_and_ranges_follow() {
        let text = "  one\n\n two   three ";
        let two = text.find("two").expect("present");
        let three = text.find("three").expect("present");
        let (out, ranges) = collapse_whitespace(text, &[two..two + 3, three..three + 5]);
        assert_eq!(out, "one two three");
        let marked: Vec<&str> = ranges.iter().map(|r| &out[r.clone()]).collect();
        assert_eq!(marked, vec!["two", "three"]);
    }
}
