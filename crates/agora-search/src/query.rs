//! The query language: GitHub's issue-search syntax, parsed into a [`Query`].
//!
//! A query is a list of whitespace-separated clauses, all of which must hold. A clause is free
//! text (`word`, `"a phrase"`, `prefix*`) or a qualifier `name:value` (`repo:`, `org:`, `is:`,
//! `type:`, `state:`, `label:`, `author:`, `commenter:`, `involves:`, `in:`, `created:`,
//! `updated:`, `closed:`, `comments:`); a leading `-` (or a `NOT` before it) excludes what the
//! clause matches. Values may be quoted (`label:"good first issue"`); an unquoted `label:` value
//! with commas matches any of the names. Dates are `YYYY-MM-DD` or RFC 3339 timestamps, numbers
//! are whole; both take `>`, `>=`, `<`, `<=`, `A..B`, `A..*` and `*..B`. A date without a time
//! stands for its whole UTC day, so `created:2021-03-04` is that day and `created:>2021-03-04`
//! starts the day after.
//!
//! Lexing keeps the byte span of every token, so a [`QueryError`] can point at the exact token
//! it refuses (its column and a caret line under the query).

use std::fmt;
use std::ops::Range;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::document::{Kind, State};

/// A parsed query: every clause must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The clauses, in the order written.
    pub clauses: Vec<Clause>,
    /// Where free text is searched (`in:`); all text fields unless narrowed.
    pub text_fields: TextFields,
}

/// One clause of a query, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Whether the clause excludes what it matches (`-term`).
    pub negated: bool,
    /// What the clause matches.
    pub matcher: Matcher,
    /// Where the clause stands in the query (bytes).
    pub span: Range<usize>,
}

/// What one clause matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Free text in the title, body or comments.
    Text(Text),
    /// Items of this repository (`owner/name`, lowercase).
    Repo(String),
    /// Items of repositories of this owner (lowercase).
    Owner(String),
    /// Issues or pull requests.
    Kind(Kind),
    /// Items in this state; `Closed` also matches merged pull requests, as on GitHub.
    State(State),
    /// Items carrying any of these labels (lowercase).
    Label(Vec<String>),
    /// Items opened by this login (lowercase).
    Author(String),
    /// Items commented on by this login (lowercase).
    Commenter(String),
    /// Items opened or commented on by this login (lowercase).
    Involves(String),
    /// A range of one of the dates.
    Date(DateField, TimeRange),
    /// A range of the number of comments.
    Comments(CountRange),
}

/// Free text, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// One word (it may still split into several tokens, e.g. `scipy.stats`).
    Word(String),
    /// A quoted phrase: its words, in this order, next to each other.
    Phrase(String),
    /// A word ending in `*`: any token starting with it (the `*` removed).
    Prefix(String),
}

/// The date fields a query can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    /// When the item was opened.
    Created,
    /// When the item last changed.
    Updated,
    /// When the item was closed (merged pull requests included).
    Closed,
}

impl DateField {
    /// The qualifier's name.
    pub fn name(self) -> &'static str {
        match self {
            DateField::Created => "created",
            DateField::Updated => "updated",
            DateField::Closed => "closed",
        }
    }
}

/// A half-open range of instants: `start <= t < end`, either side open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// The first instant included.
    pub start: Option<Timestamp>,
    /// The first instant excluded.
    pub end: Option<Timestamp>,
}

/// An inclusive range of counts: `min <= n <= max`, either side open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountRange {
    /// The smallest count included.
    pub min: Option<u64>,
    /// The largest count included.
    pub max: Option<u64>,
}

/// Where free text is searched (`in:title,body,comments`); all three unless narrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFields {
    /// The title.
    pub title: bool,
    /// The body.
    pub body: bool,
    /// The comments' texts.
    pub comments: bool,
}

impl Default for TextFields {
    fn default() -> Self {
        TextFields {
            title: true,
            body: true,
            comments: true,
        }
    }
}

/// A query the language does not accept, with the place of the offending token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (column {column})\n{excerpt}", column = self.column(), excerpt = self.pointer())]
pub struct QueryError {
    /// What is wrong, in words.
    pub message: String,
    /// The query as given.
    pub query: String,
    /// The offending bytes of the query.
    pub span: Range<usize>,
}

impl QueryError {
    fn new(query: &str, span: Range<usize>, message: impl Into<String>) -> QueryError {
        QueryError {
            message: message.into(),
            query: query.to_string(),
            span,
        }
    }

    /// The 1-based column (in characters) where the offending token starts.
    pub fn column(&self) -> usize {
        self.query
            .get(..self.span.start)
            .map_or(1, |before| before.chars().count() + 1)
    }

    /// Two lines: the query, and carets under the offending token.
    pub fn pointer(&self) -> String {
        let width = self
            .query
            .get(self.span.clone())
            .map_or(1, |bad| bad.chars().count().max(1));
        format!(
            "  {}\n  {}{}",
            self.query,
            " ".repeat(self.column() - 1),
            "^".repeat(width)
        )
    }
}

impl Query {
    /// Parses `input`; the error names the first token that cannot be read.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let mut query = Query::default();
        let mut negate_next: Option<Range<usize>> = None;
        for token in lex(input)? {
            if token.raw == "NOT" {
                if negate_next.is_some() {
                    return Err(QueryError::new(input, token.span, "NOT cannot follow NOT"));
                }
                negate_next = Some(token.span);
                continue;
            }
            let mut clause = match interpret(input, &token)? {
                Interpreted::Clause(clause) => {
                    if let Matcher::Text(text) = &clause.matcher {
                        refuse_text_without_words(input, &token, text)?;
                    }
                    clause
                }
                Interpreted::In(fields) => {
                    if let Some(not) = negate_next {
                        return Err(QueryError::new(
                            input,
                            not.start..token.span.end,
                            "`in:` cannot be negated; name the fields to search instead",
                        ));
                    }
                    query.text_fields = fields;
                    continue;
                }
            };
            if let Some(not) = negate_next.take() {
                if clause.negated {
                    return Err(QueryError::new(
                        input,
                        not.start..clause.span.end,
                        "NOT and - together cancel out; write the clause alone",
                    ));
                }
                clause.negated = true;
                clause.span = not.start..clause.span.end;
            }
            query.clauses.push(clause);
        }
        if let Some(not) = negate_next {
            return Err(QueryError::new(
                input,
                not,
                "NOT needs a clause after it, e.g. NOT label:wontfix",
            ));
        }
        Ok(query)
    }

    /// Whether the query has free text that is not excluded (so relevance means something).
    pub fn has_positive_text(&self) -> bool {
        self.clauses
            .iter()
            .any(|c| !c.negated && matches!(c.matcher, Matcher::Text(_)))
    }
}

/// Refuses free text the index has no word for (`🎉`, `.*`, `\\`): the analyzer keeps runs of
/// letters and digits (up to 40 bytes), so such text could only be ignored, and a query of it
/// alone would match every item.
fn refuse_text_without_words(
    input: &str,
    token: &Token<'_>,
    text: &Text,
) -> Result<(), QueryError> {
    let raw = match text {
        Text::Word(w) | Text::Phrase(w) | Text::Prefix(w) => w,
    };
    if crate::search::tokens(raw).is_empty() {
        return Err(QueryError::new(
            input,
            token.span.clone(),
            format!(
                "`{}` has no word to search for: the index holds words of letters and digits (up to 40 bytes), so punctuation, symbols and emoji cannot be searched",
                token.raw
            ),
        ));
    }
    Ok(())
}

/// A lexed token: its raw text, its value with quotes removed, and where the name of a
/// qualifier ends (the first unquoted `:`, if any).
#[derive(Debug)]
struct Token<'a> {
    raw: &'a str,
    span: Range<usize>,
    /// Whether the token opens with an unquoted `-` (and has more after it).
    negated: bool,
    /// The first unquoted `:` after the `-` (byte offset into the query), and its value's
    /// pieces after it.
    colon: Option<usize>,
    /// The pieces of the token after the `-` (or after the `:` for a qualifier): text and
    /// whether it was quoted.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
struct Piece {
    text: String,
    quoted: bool,
    /// Bytes of the query this piece covers (quotes included).
    span: Range<usize>,
}

/// Splits the query into tokens at unquoted whitespace.
fn lex(input: &str) -> Result<Vec<Token<'_>>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        let mut colon = None;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut end = start;
        let mut first = true;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            if c == '"' {
                chars.next();
                let mut text = String::new();
                let mut closed = None;
                for (i, c) in chars.by_ref() {
                    if c == '"' {
                        closed = Some(i + 1);
                        break;
                    }
                    text.push(c);
                }
                let Some(close) = closed else {
                    return Err(QueryError::new(
                        input,
                        at..input.len(),
                        "unterminated quote: add the closing \"",
                    ));
                };
                pieces.push(Piece {
                    text,
                    quoted: true,
                    span: at..close,
                });
                end = close;
            } else {
                chars.next();
                end = at + c.len_utf8();
                if first && c == '-' && chars.peek().is_some_and(|(_, n)| !n.is_whitespace()) {
                    negated = true;
                } else if c == ':' && colon.is_none() && pieces.iter().all(|p| !p.quoted) {
                    colon = Some(at);
                    pieces.clear();
                    // Qualifier values start after the colon; the name is read from `raw`.
                    pieces.push(Piece {
                        text: String::new(),
                        quoted: false,
                        span: end..end,
                    });
                } else {
                    match pieces.last_mut() {
                        Some(last) if !last.quoted => {
                            last.text.push(c);
                            last.span.end = end;
                        }
                        _ => pieces.push(Piece {
                            text: c.to_string(),
                            quoted: false,
                            span: at..end,
                        }),
                    }
                }
            }
            first = false;
        }
        pieces.retain(|p| p.quoted || !p.text.is_empty());
        tokens.push(Token {
            raw: &input[start..end],
            span: start..end,
            negated,
            colon,
            pieces,
        });
    }
    Ok(tokens)
}

/// The qualifiers the language knows.
const QUALIFIERS: &[&str] = &[
    "repo",
    "org",
    "user",
    "is",
    "type",
    "state",
    "label",
    "author",
    "commenter",
    "involves",
    "in",
    "created",
    "updated",
    "closed",
    "comments",
];

/// What one token says: a clause, or where free text is searched.
enum Interpreted {
    Clause(Clause),
    In(TextFields),
}

/// Turns one token into a clause (or an `in:` setting).
fn interpret(input: &str, token: &Token<'_>) -> Result<Interpreted, QueryError> {
    let body_start = token.span.start + usize::from(token.negated);
    let value: String = token.pieces.iter().map(|p| p.text.as_str()).collect();
    let quoted = token.pieces.iter().any(|p| p.quoted);
    let value_span = token
        .pieces
        .first()
        .zip(token.pieces.last())
        .map_or(token.span.end..token.span.end, |(a, b)| {
            a.span.start..b.span.end
        });
    let clause = |matcher| {
        Interpreted::Clause(Clause {
            negated: token.negated,
            matcher,
            span: token.span.clone(),
        })
    };
    let Some(colon) = token.colon else {
        return text_clause(input, token, &value, quoted, value_span).map(clause);
    };
    let name = &input[body_start..colon];
    let name_span = body_start..colon;
    let lower = name.to_ascii_lowercase();
    if !QUALIFIERS.contains(&lower.as_str()) {
        if let Some(near) = nearest_qualifier(&lower) {
            return Err(QueryError::new(
                input,
                name_span,
                format!("unknown qualifier `{name}:`; did you mean `{near}:`?"),
            ));
        }
        // Not a qualifier at all (`TypeError:`, `http://…`): search it as text.
        let whole = &input[body_start..token.span.end];
        let text = whole.replace('"', "");
        return text_clause(input, token, &text, quoted, body_start..token.span.end).map(clause);
    }
    if value.trim().is_empty() {
        return Err(QueryError::new(
            input,
            token.span.clone(),
            format!("`{lower}:` needs a value, e.g. {}", example(&lower)),
        ));
    }
    let bad = |message: String| QueryError::new(input, value_span.clone(), message);
    let matcher = match lower.as_str() {
        "repo" => {
            let repo = value.trim().to_lowercase();
            match repo.split_once('/') {
                Some((owner, name))
                    if !owner.is_empty() && !name.is_empty() && !name.contains('/') =>
                {
                    Matcher::Repo(repo)
                }
                _ => return Err(bad(format!("`repo:` wants OWNER/NAME, not `{value}`"))),
            }
        }
        "org" | "user" => {
            if value.contains('/') {
                return Err(bad(format!(
                    "`{lower}:` wants an account name; for one repository write repo:{value}"
                )));
            }
            Matcher::Owner(value.trim().to_lowercase())
        }
        "is" => match value.to_ascii_lowercase().as_str() {
            "issue" => Matcher::Kind(Kind::Issue),
            "pr" | "pull-request" => Matcher::Kind(Kind::PullRequest),
            "open" => Matcher::State(State::Open),
            "closed" => Matcher::State(State::Closed),
            "merged" => Matcher::State(State::Merged),
            _ => {
                return Err(bad(format!(
                    "`is:{value}` is not known; use is:issue, is:pr, is:open, is:closed or is:merged"
                )));
            }
        },
        "type" => match value.to_ascii_lowercase().as_str() {
            "issue" => Matcher::Kind(Kind::Issue),
            "pr" | "pull-request" => Matcher::Kind(Kind::PullRequest),
            _ => {
                return Err(bad(format!(
                    "`type:{value}` is not known; use type:issue or type:pr"
                )));
            }
        },
        "state" => match value.to_ascii_lowercase().as_str() {
            "open" => Matcher::State(State::Open),
            "closed" => Matcher::State(State::Closed),
            "merged" => Matcher::State(State::Merged),
            _ => {
                return Err(bad(format!(
                    "`state:{value}` is not known; use state:open, state:closed or state:merged"
                )));
            }
        },
        "label" => {
            let names: Vec<String> = if quoted {
                vec![value.trim().to_lowercase()]
            } else {
                value
                    .split(',')
                    .map(|l| l.trim().to_lowercase())
                    .filter(|l| !l.is_empty())
                    .collect()
            };
            if names.is_empty() {
                return Err(bad("`label:` needs a label name".into()));
            }
            Matcher::Label(names)
        }
        "author" => Matcher::Author(login(&value).map_err(bad)?),
        "commenter" => Matcher::Commenter(login(&value).map_err(bad)?),
        "involves" => Matcher::Involves(login(&value).map_err(bad)?),
        "in" => {
            let mut fields = TextFields {
                title: false,
                body: false,
                comments: false,
            };
            for part in value.split(',') {
                match part.trim().to_ascii_lowercase().as_str() {
                    "title" => fields.title = true,
                    "body" => fields.body = true,
                    "comments" => fields.comments = true,
                    other => {
                        return Err(bad(format!(
                            "`in:{other}` is not known; use in:title, in:body or in:comments (comma-separated)"
                        )));
                    }
                }
            }
            if token.negated {
                return Err(QueryError::new(
                    input,
                    token.span.clone(),
                    "`in:` cannot be negated; name the fields to search instead",
                ));
            }
            return Ok(Interpreted::In(fields));
        }
        "created" => Matcher::Date(DateField::Created, time_range(&value).map_err(bad)?),
        "updated" => Matcher::Date(DateField::Updated, time_range(&value).map_err(bad)?),
        "closed" => Matcher::Date(DateField::Closed, time_range(&value).map_err(bad)?),
        "comments" => Matcher::Comments(count_range(&value).map_err(bad)?),
        _ => unreachable!("QUALIFIERS lists every qualifier matched above"),
    };
    Ok(clause(matcher))
}

/// A free-text clause from a token without a qualifier.
fn text_clause(
    input: &str,
    token: &Token<'_>,
    value: &str,
    quoted: bool,
    value_span: Range<usize>,
) -> Result<Matcher, QueryError> {
    if quoted && token.pieces.len() == 1 {
        if value.trim().is_empty() {
            return Err(QueryError::new(input, value_span, "empty phrase"));
        }
        return Ok(Matcher::Text(Text::Phrase(value.to_string())));
    }
    if quoted {
        // `foo"bar baz"`: read as one phrase of everything.
        return Ok(Matcher::Text(Text::Phrase(value.to_string())));
    }
    if let Some(stem) = value.strip_suffix('*') {
        if stem.is_empty() || stem.ends_with('*') {
            return Err(QueryError::new(
                input,
                value_span,
                "a prefix search needs at least one character before the *",
            ));
        }
        if stem.contains('*') {
            return Err(QueryError::new(
                input,
                value_span,
                "* is only allowed at the end of a word",
            ));
        }
        return Ok(Matcher::Text(Text::Prefix(stem.to_string())));
    }
    if value.contains('*') {
        return Err(QueryError::new(
            input,
            value_span,
            "* is only allowed at the end of a word",
        ));
    }
    Ok(Matcher::Text(Text::Word(value.to_string())))
}

/// An example value for a qualifier, for error messages.
fn example(name: &str) -> &'static str {
    match name {
        "repo" => "repo:scipy/scipy",
        "org" | "user" => "org:scipy",
        "is" => "is:open",
        "type" => "type:pr",
        "state" => "state:closed",
        "label" => "label:bug or label:\"good first issue\"",
        "author" | "commenter" | "involves" => "author:rgommers",
        "in" => "in:title",
        "comments" => "comments:>10",
        _ => "created:>=2024-01-01",
    }
}

/// A GitHub login, lowercase; a leading `@` is allowed.
fn login(value: &str) -> Result<String, String> {
    let login = value.trim().trim_start_matches('@');
    let valid = !login.is_empty()
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '[' | ']'));
    if valid {
        Ok(login.to_ascii_lowercase())
    } else {
        Err(format!("`{value}` is not a GitHub login"))
    }
}

/// The known qualifier closest to a misspelt one (at most two edits away).
fn nearest_qualifier(name: &str) -> Option<&'static str> {
    if name.len() < 2 || !name.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    QUALIFIERS
        .iter()
        .map(|q| (edit_distance(name, q), *q))
        .filter(|(d, q)| *d <= 2 && *d < q.len().min(name.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, q)| q)
}

/// Levenshtein distance between two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// One end of a date range: a whole UTC day, or an instant.
#[derive(Debug, Clone, Copy)]
enum Moment {
    Day(Date),
    Instant(Timestamp),
}

impl Moment {
    /// The first instant of the moment.
    fn start(self) -> Result<Timestamp, String> {
        match self {
            Moment::Day(day) => day
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|e| format!("{day} is out of range: {e}")),
            Moment::Instant(t) => Ok(t),
        }
    }

    /// The first instant after the moment.
    fn after(self) -> Result<Timestamp, String> {
        match self {
            Moment::Day(day) => day
                .tomorrow()
                .map_err(|e| format!("{day} is out of range: {e}"))
                .and_then(|d| Moment::Day(d).start()),
            // GitHub's timestamps are whole seconds, and so is the index.
            Moment::Instant(t) => t
                .checked_add(jiff::SignedDuration::from_secs(1))
                .map_err(|e| format!("{t} is out of range: {e}")),
        }
    }
}

/// Reads `YYYY-MM-DD` or an RFC 3339 timestamp.
fn moment(text: &str) -> Result<Moment, String> {
    if text.len() == 10 {
        return text
            .parse::<Date>()
            .map(Moment::Day)
            .map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD"));
    }
    text.parse::<Timestamp>()
        .map(Moment::Instant)
        .map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"))
}

/// Splits a range expression into its operator and operand(s).
enum RangeExpr<'a> {
    Greater(&'a str),
    GreaterEq(&'a str),
    Less(&'a str),
    LessEq(&'a str),
    Between(Option<&'a str>, Option<&'a str>),
    Exactly(&'a str),
}

fn range_expr<'a>(value: &'a str) -> Result<RangeExpr<'a>, String> {
    let value = value.trim();
    if let Some(rest) = value.strip_prefix(">=") {
        Ok(RangeExpr::GreaterEq(rest))
    } else if let Some(rest) = value.strip_prefix('>') {
        Ok(RangeExpr::Greater(rest))
    } else if let Some(rest) = value.strip_prefix("<=") {
        Ok(RangeExpr::LessEq(rest))
    } else if let Some(rest) = value.strip_prefix('<') {
        Ok(RangeExpr::Less(rest))
    } else if let Some((a, b)) = value.split_once("..") {
        let side = |s: &'a str| (s != "*").then_some(s);
        let (a, b) = (side(a), side(b));
        if a.is_none_or(str::is_empty) && b.is_none_or(str::is_empty) {
            return Err("a range needs at least one end: A..B, A..* or *..B".into());
        }
        if a == Some("") || b == Some("") {
            return Err(format!(
                "`{value}` misses one end of the range; write A..B, A..* or *..B"
            ));
        }
        Ok(RangeExpr::Between(a, b))
    } else {
        Ok(RangeExpr::Exactly(value))
    }
}

/// Reads a date expression into a half-open range of instants.
fn time_range(value: &str) -> Result<TimeRange, String> {
    let range = match range_expr(value)? {
        RangeExpr::Greater(d) => TimeRange {
            start: Some(moment(d)?.after()?),
            end: None,
        },
        RangeExpr::GreaterEq(d) => TimeRange {
            start: Some(moment(d)?.start()?),
            end: None,
        },
        RangeExpr::Less(d) => TimeRange {
            start: None,
            end: Some(moment(d)?.start()?),
        },
        RangeExpr::LessEq(d) => TimeRange {
            start: None,
            end: Some(moment(d)?.after()?),
        },
        RangeExpr::Between(a, b) => TimeRange {
            start: a.map(|a| moment(a)?.start()).transpose()?,
            end: b.map(|b| moment(b)?.after()).transpose()?,
        },
        RangeExpr::Exactly(d) => {
            let m = moment(d)?;
            TimeRange {
                start: Some(m.start()?),
                end: Some(m.after()?),
            }
        }
    };
    if let (Some(start), Some(end)) = (range.start, range.end)
        && start >= end
    {
        return Err(format!(
            "`{value}` is an empty range: its start is after its end"
        ));
    }
    Ok(range)
}

/// Reads a whole number.
fn count(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .map_err(|_| format!("`{text}` is not a whole number"))
}

/// Reads a count expression into an inclusive range.
fn count_range(value: &str) -> Result<CountRange, String> {
    let range = match range_expr(value)? {
        RangeExpr::Greater(n) => CountRange {
            min: Some(count(n)?.saturating_add(1)),
            max: None,
        },
        RangeExpr::GreaterEq(n) => CountRange {
            min: Some(count(n)?),
            max: None,
        },
        RangeExpr::Less(n) => {
            let n = count(n)?;
            if n == 0 {
                return Err("no count is below 0".into());
            }
            CountRange {
                min: None,
                max: Some(n - 1),
            }
        }
        RangeExpr::LessEq(n) => CountRange {
            min: None,
            max: Some(count(n)?),
        },
        RangeExpr::Between(a, b) => CountRange {
            min: a.map(count).transpose()?,
            max: b.map(count).transpose()?,
        },
        RangeExpr::Exactly(n) => {
            let n = count(n)?;
            CountRange {
                min: Some(n),
                max: Some(n),
            }
        }
    };
    if let (Some(min), Some(max)) = (range.min, range.max)
        && min > max
    {
        return Err(format!(
            "`{value}` is an empty range: its start is after its end"
        ));
    }
    Ok(range)
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
