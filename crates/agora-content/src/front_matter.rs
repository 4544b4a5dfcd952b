//! A content file: TOML front matter between `+++` lines, then a Markdown body; and a reader
//! of the front matter's fields that records each problem with its line.
//!
//! [`split`] finds the front matter (the file must open with a `+++` line and have a closing
//! one) and parses it with `toml_edit`, which keeps every key's and value's byte span; a
//! [`Fields`] reader then takes typed values out of a table (strings, dates, lists, integers,
//! links), turning a span into the line of the file, so a missing field names the line of its
//! table's header (the opening `+++` for the top level) and a bad value the line of its key.
//! Every problem is collected rather than returned at the first one, so an author sees all of
//! a file's mistakes at once; keys a schema does not know are problems too (a typo in a key
//! otherwise reads as a missing field with no hint).

use std::collections::BTreeMap;

use jiff::civil::Date;
use toml_edit::{ImDocument, Item, TableLike, Value};

use crate::Problem;

/// A file split into its parsed front matter and its body.
pub(crate) struct Split {
    /// The parsed front matter.
    pub doc: ImDocument<String>,
    /// The body (Markdown) after the closing `+++`.
    pub body: String,
    /// The file's line of the front matter's first line (the one after the opening `+++`).
    pub first_line: usize,
}

/// Splits `text` (the file `file`) into front matter and body; a file without front matter,
/// without its closing line, or whose TOML does not parse is one problem.
pub(crate) fn split(file: &str, text: &str) -> Result<Split, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let opening = lines.next().unwrap_or_default();
    if opening.trim_end() != "+++" {
        return Err(Problem::new(
            file,
            1,
            "the file must open with a `+++` line, then TOML front matter, then `+++`",
        ));
    }
    let mut front = String::new();
    let mut closed = false;
    let mut consumed = opening.len();
    for line in lines.by_ref() {
        consumed += line.len();
        if line.trim_end() == "+++" {
            closed = true;
            break;
        }
        front.push_str(line);
    }
    if !closed {
        return Err(Problem::new(
            file,
            1,
            "the front matter opened here has no closing `+++` line",
        ));
    }
    let body = text[consumed..].to_string();
    match ImDocument::parse(front.clone()) {
        Ok(doc) => Ok(Split {
            doc,
            body,
            first_line: 2,
        }),
        Err(error) => {
            let line = error.span().map_or(0, |s| line_of(&front, s.start));
            let message = error.message().lines().next().unwrap_or("invalid TOML");
            Err(Problem::new(
                file,
                2 + line,
                format!("invalid TOML front matter: {message}"),
            ))
        }
    }
}

/// The 0-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset.min(text.len()))
        .filter(|&&b| b == b'\n')
        .count()
}

/// A reader of one table of a file's front matter; collects problems with their lines.
pub(crate) struct Fields<'a> {
    file: &'a str,
    text: &'a str,
    first_line: usize,
    table: &'a dyn TableLike,
    /// The line of the table's header, named by a missing field.
    header_line: usize,
    known: Vec<&'static str>,
    /// Every problem found so far.
    pub problems: Vec<Problem>,
}

impl<'a> Fields<'a> {
    /// The reader of the top-level table of `split`.
    pub fn top(file: &'a str, split: &'a Split) -> Fields<'a> {
        Fields {
            file,
            text: split.doc.raw(),
            first_line: split.first_line,
            table: split.doc.as_table(),
            header_line: split.first_line - 1,
            known: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// A reader of a nested table, whose header sits at `header_line`.
    fn nested(&self, table: &'a dyn TableLike, header_line: usize) -> Fields<'a> {
        Fields {
            file: self.file,
            text: self.text,
            first_line: self.first_line,
            table,
            header_line,
            known: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The file's line of byte `offset` of the front matter.
    fn line(&self, offset: usize) -> usize {
        self.first_line + line_of(self.text, offset)
    }

    /// The line of `key` in this table (its value's line when the key has no span).
    fn key_line(&self, key: &str) -> usize {
        match self.table.get_key_value(key) {
            Some((k, item)) => k
                .span()
                .or_else(|| item.span())
                .map_or(self.header_line, |s| self.line(s.start)),
            None => self.header_line,
        }
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Problem::new(self.file, line, message));
    }

    fn item(&mut self, key: &'static str) -> Option<&'a Item> {
        self.known.push(key);
        self.table.get(key).filter(|i| !i.is_none())
    }

    fn missing(&mut self, key: &str, what: &str) {
        self.problem(self.header_line, format!("missing field `{key}` ({what})"));
    }

    /// A required non-empty string.
    pub fn string(&mut self, key: &'static str) -> Option<String> {
        let value = self.optional_string(key);
        if value.is_none() && !self.problems.iter().any(|p| p.mentions(key)) {
            self.missing(key, "a string");
        }
        value
    }

    /// An optional string; present but not a non-empty string is a problem.
    pub fn optional_string(&mut self, key: &'static str) -> Option<String> {
        let item = self.item(key)?;
        match item.as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(_) => {
                self.problem(self.key_line(key), format!("`{key}` is empty"));
                None
            }
            None => {
                self.problem(
                    self.key_line(key),
                    format!("`{key}` must be a string, not {}", item.type_name()),
                );
                None
            }
        }
    }

    /// A required `http(s)://` address.
    pub fn link(&mut self, key: &'static str) -> Option<String> {
        let value = self.string(key)?;
        self.checked_link(key, value)
    }

    /// An optional `http(s)://` address.
    pub fn optional_link(&mut self, key: &'static str) -> Option<String> {
        let value = self.optional_string(key)?;
        self.checked_link(key, value)
    }

    fn checked_link(&mut self, key: &'static str, value: String) -> Option<String> {
        if (value.starts_with("https://") || value.starts_with("http://"))
            && !value.contains(char::is_whitespace)
        {
            Some(value)
        } else {
            self.problem(
                self.key_line(key),
                format!("`{key}` must be an http(s):// address, not {value:?}"),
            );
            None
        }
    }

    /// A required date: a TOML date (`2026-03-14`) or a string in that form.
    pub fn date(&mut self, key: &'static str) -> Option<Date> {
        let value = self.optional_date(key);
        if value.is_none() && !self.problems.iter().any(|p| p.mentions(key)) {
            self.missing(key, "a date such as 2026-03-14");
        }
        value
    }

    /// An optional date.
    pub fn optional_date(&mut self, key: &'static str) -> Option<Date> {
        let item = self.item(key)?;
        let line = self.key_line(key);
        match date_of(item.as_value()) {
            Ok(date) => Some(date),
            Err(why) => {
                self.problem(line, format!("`{key}` is not a date: {why}"));
                None
            }
        }
    }

    /// An optional integer.
    pub fn optional_integer(&mut self, key: &'static str) -> Option<i64> {
        let item = self.item(key)?;
        match item.as_integer() {
            Some(n) => Some(n),
            None => {
                self.problem(
                    self.key_line(key),
                    format!("`{key}` must be an integer, not {}", item.type_name()),
                );
                None
            }
        }
    }

    /// A required non-empty list of strings (a single string is a list of one).
    pub fn list(&mut self, key: &'static str) -> Option<Vec<String>> {
        match self.optional_list(key) {
            Some(list) if !list.is_empty() => Some(list),
            Some(_) => {
                self.problem(self.key_line(key), format!("`{key}` is empty"));
                None
            }
            None => {
                if !self.problems.iter().any(|p| p.mentions(key)) {
                    self.missing(key, "a list of strings");
                }
                None
            }
        }
    }

    /// An optional list of strings.
    pub fn optional_list(&mut self, key: &'static str) -> Option<Vec<String>> {
        let item = self.item(key)?;
        if let Some(s) = item.as_str() {
            return Some(vec![s.trim().to_string()]);
        }
        let Some(array) = item.as_array() else {
            self.problem(
                self.key_line(key),
                format!(
                    "`{key}` must be a list of strings, not {}",
                    item.type_name()
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for value in array {
            match value.as_str() {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                _ => {
                    let line = value
                        .span()
                        .map_or_else(|| self.key_line(key), |s| self.line(s.start));
                    self.problem(
                        line,
                        format!("`{key}` must hold non-empty strings, not {}", value),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A required string among `allowed`.
    pub fn choice(&mut self, key: &'static str, allowed: &[&'static str]) -> Option<&'static str> {
        let value = self.string(key)?;
        match allowed.iter().find(|a| **a == value) {
            Some(found) => Some(found),
            None => {
                self.problem(
                    self.key_line(key),
                    format!(
                        "`{key}` is {value:?}; expected one of {}",
                        allowed.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// Readers of each table in the list `key` (`[[key]]` or an inline array of inline
    /// tables); `None` when absent.
    pub fn tables(&mut self, key: &'static str) -> Option<Vec<Fields<'a>>> {
        let item = self.item(key)?;
        let line = self.key_line(key);
        if let Some(array) = item.as_array_of_tables() {
            return Some(
                array
                    .iter()
                    .map(|t| {
                        let at = t.span().map_or(line, |s| self.line(s.start));
                        self.nested(t, at)
                    })
                    .collect(),
            );
        }
        if let Some(array) = item.as_array() {
            let mut out = Vec::new();
            for value in array {
                let at = value.span().map_or(line, |s| self.line(s.start));
                match value.as_inline_table() {
                    Some(t) => out.push(self.nested(t, at)),
                    None => {
                        self.problem(at, format!("`{key}` must hold tables, not {value}"));
                        return None;
                    }
                }
            }
            return Some(out);
        }
        self.problem(
            line,
            format!("`{key}` must be a list of tables, not {}", item.type_name()),
        );
        None
    }

    /// An optional table of lists of strings (`[project_labels]`, `scipy = ["sprint"]`).
    pub fn list_map(&mut self, key: &'static str) -> Option<BTreeMap<String, Vec<String>>> {
        let item = self.item(key)?;
        let line = self.key_line(key);
        let Some(table) = item.as_table_like() else {
            self.problem(
                line,
                format!("`{key}` must be a table of lists, not {}", item.type_name()),
            );
            return None;
        };
        let mut out = BTreeMap::new();
        for (name, value) in table.iter() {
            let at = value.span().map_or(line, |s| self.line(s.start));
            let list: Option<Vec<String>> = value.as_array().and_then(|a| {
                a.iter()
                    .map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .filter(|s| s.as_ref().is_none_or(|s| !s.is_empty()))
                    .collect()
            });
            match list {
                Some(list) => {
                    out.insert(name.to_string(), list);
                }
                None => {
                    self.problem(at, format!("`{key}.{name}` must be a list of strings"));
                    return None;
                }
            }
        }
        Some(out)
    }

    /// Records a problem at `key`'s line (a rule across fields).
    pub fn refuse(&mut self, key: &str, message: String) {
        let line = self.key_line(key);
        self.problem(line, message);
    }

    /// Ends the reading: keys no field asked for become problems; returns every problem.
    pub fn finish(mut self) -> Vec<Problem> {
        let unknown: Vec<String> = self
            .table
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| !self.known.iter().any(|known| known == k))
            .collect();
        for key in unknown {
            let mut expected = self.known.clone();
            expected.sort_unstable();
            let line = self.key_line(&key);
            self.problem(
                line,
                format!(
                    "unknown field `{key}` (this kind has {})",
                    expected.join(", ")
                ),
            );
        }
        self.problems.sort_by_key(|p| p.line);
        self.problems
    }
}

/// A date from a TOML date, a date-time (its date), or a `YYYY-MM-DD` string.
fn date_of(value: Option<&Value>) -> Result<Date, String> {
    match value {
        Some(Value::Datetime(datetime)) => {
            let datetime = datetime.value();
            let Some(date) = datetime.date else {
                return Err(format!("{datetime} has no date"));
            };
            Date::new(date.year as i16, date.month as i8, date.day as i8)
                .map_err(|e| format!("{datetime}: {e}"))
        }
        Some(Value::String(text)) => {
            let text = text.value().trim();
            let strict = text.len() == 10
                && text.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if !strict {
                return Err(format!("{text:?} is not in the form 2026-03-14"));
            }
            text.parse::<Date>().map_err(|e| format!("{text:?}: {e}"))
        }
        Some(other) => Err(format!("expected a date such as 2026-03-14, not {other}")),
        None => Err("expected a date such as 2026-03-14, not a table".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_needs_both_fences() {
        assert!(split("a.md", "title = 1\n").is_err());
        let open = split("a.md", "+++\ntitle = \"x\"\n")
            .err()
            .expect("refused");
        assert_eq!(open.line, 1);
        let ok = split("a.md", "+++\ntitle = \"x\"\n+++\nbody\n").expect("parsed");
        assert_eq!(ok.body, "body\n");
    }

    #[test]
    fn invalid_toml_names_its_line() {
        let bad = split("a.md", "+++\ntitle = \"x\"\ndate = \n+++\n")
            .err()
            .expect("refused");
        assert_eq!(bad.line, 3, "{bad}");
    }

    #[test]
    fn dates_are_strict() {
        let text =
            "+++\na = \"2026-02-30\"\nb = \"2026-3-1\"\nc = \"2026-03-01\"\nd = 2026-03-01\n+++\n";
        let parsed = split("f.md", text).expect("parsed");
        let mut fields = Fields::top("f.md", &parsed);
        assert_eq!(fields.optional_date("a"), None);
        assert_eq!(fields.optional_date("b"), None);
        assert_eq!(
            fields.optional_date("c"),
            Some(jiff::civil::date(2026, 3, 1))
        );
        assert_eq!(
            fields.optional_date("d"),
            Some(jiff::civil::date(2026, 3, 1))
        );
        let problems = fields.finish();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3], "{problems:?}");
    }
}
