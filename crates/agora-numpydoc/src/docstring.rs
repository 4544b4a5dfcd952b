//! The numpydoc docstring format, parsed into a typed [`Docstring`].
//!
//! Parsing follows numpydoc's line reader step by step, because the validator's findings
//! depend on exactly which lines land in which section: the docstring is dedented
//! (`textwrap.dedent`), an optional signature line and the summary paragraph are read, then the
//! extended summary up to the first section header (a line followed by a line of `-` or `=` at
//! least as long), then every section up to the next header. Section names are capitalised word
//! by word (`See also` → `See Also`). Parameter-like sections split `name : type` headers from
//! their indented descriptions; See Also entries are `name`, `:role:`name``, lists of them and
//! an optional `: description`.
//!
//! Where numpydoc raises (a See Also entry it cannot read, a section given twice, Receives
//! without Yields), this parser records a [`ParseProblem`] and goes on: the bad See Also line is
//! left out, the second copy of a section is ignored.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::pytext::{self, dedent_lines, is_blank, strip};

/// One entry of a parameter-like section (`Parameters`, `Returns`, `Raises`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// The name (`x`, `x, y`, `*args`); empty in Returns/Yields/Raises/Warns/Receives entries
    /// that give only a type.
    pub name: String,
    /// The type, runs of whitespace collapsed; empty when none was given.
    pub kind: String,
    /// The description lines, dedented, blank lines at both ends removed.
    pub description: Vec<String>,
}

/// One line of See Also: the names it refers to and its description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeeAlsoEntry {
    /// The names with their Sphinx role (`func`, `meth`, …), if written with one.
    pub names: Vec<(String, Option<String>)>,
    /// The description: the text after ` : ` and the indented lines below it.
    pub description: Vec<String>,
}

/// Something numpydoc cannot parse (it raises), kept so the object can still be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseProblem {
    /// What is wrong, in words.
    pub message: String,
}

/// A parsed numpydoc docstring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Docstring {
    /// A leading `name(args)` line (the last one when several are given).
    pub signature: Option<String>,
    /// The summary paragraph's lines, as written (indentation kept).
    pub summary: Vec<String>,
    /// The extended summary's lines.
    pub extended_summary: Vec<String>,
    /// The version of a `.. deprecated::` directive in the summary or extended summary.
    pub deprecated: Option<String>,
    /// `Parameters`.
    pub parameters: Vec<Param>,
    /// `Attributes`.
    pub attributes: Vec<Param>,
    /// `Methods`.
    pub methods: Vec<Param>,
    /// `Returns`.
    pub returns: Vec<Param>,
    /// `Yields`.
    pub yields: Vec<Param>,
    /// `Receives`.
    pub receives: Vec<Param>,
    /// `Other Parameters`.
    pub other_parameters: Vec<Param>,
    /// `Raises`.
    pub raises: Vec<Param>,
    /// `Warns`.
    pub warns: Vec<Param>,
    /// `Warnings` (free text).
    pub warnings: Vec<String>,
    /// `See Also`.
    pub see_also: Vec<SeeAlsoEntry>,
    /// `Notes` (free text).
    pub notes: Vec<String>,
    /// `References` (free text).
    pub references: Vec<String>,
    /// `Examples` (free text, doctests included).
    pub examples: Vec<String>,
    /// The `.. index::` directive: `default` and the named entries.
    pub index: Vec<(String, Vec<String>)>,
    /// Sections with names numpydoc does not know (numpydoc warns and drops them).
    pub unknown_sections: Vec<(String, Vec<String>)>,
    /// What numpydoc could not parse.
    pub problems: Vec<ParseProblem>,
}

/// numpydoc's line reader: a cursor over the lines.
pub(crate) struct Reader<'a> {
    lines: &'a [String],
    position: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(lines: &'a [String]) -> Self {
        Reader { lines, position: 0 }
    }

    fn eof(&self) -> bool {
        self.position >= self.lines.len()
    }

    fn read(&mut self) -> &'a str {
        match self.lines.get(self.position) {
            Some(line) => {
                self.position += 1;
                line
            }
            None => "",
        }
    }

    /// `peek(n)`, with Python's negative indexing for `n = -1` at the start.
    fn peek(&self, n: isize) -> &'a str {
        let index = self.position as isize + n;
        if index < self.lines.len() as isize {
            let index = if index < 0 {
                self.lines.len() as isize + index
            } else {
                index
            };
            usize::try_from(index)
                .ok()
                .and_then(|i| self.lines.get(i))
                .map_or("", String::as_str)
        } else {
            ""
        }
    }

    fn seek_next_non_empty_line(&mut self) {
        while self.position < self.lines.len() && is_blank(&self.lines[self.position]) {
            self.position += 1;
        }
    }

    fn read_to_condition(&mut self, condition: impl Fn(&str) -> bool) -> Vec<String> {
        let start = self.position;
        while self.position < self.lines.len() {
            if condition(&self.lines[self.position]) {
                return self.lines[start..self.position].to_vec();
            }
            self.position += 1;
            if self.eof() {
                return self.lines[start..self.lines.len().min(self.position + 1)].to_vec();
            }
        }
        Vec::new()
    }

    fn read_to_next_empty_line(&mut self) -> Vec<String> {
        self.seek_next_non_empty_line();
        self.read_to_condition(is_blank)
    }

    fn read_to_next_unindented_line(&mut self) -> Vec<String> {
        self.read_to_condition(|line| !is_blank(line) && pytext::lstrip(line).len() == line.len())
    }

    fn is_at_section(&mut self) -> bool {
        self.seek_next_non_empty_line();
        if self.eof() {
            return false;
        }
        let first = strip(self.peek(0));
        if first.starts_with(".. index::") {
            return true;
        }
        let second = strip(self.peek(1));
        let width = pytext::len(first);
        second.starts_with(&"-".repeat(width)) || second.starts_with(&"=".repeat(width))
    }

    pub(crate) fn read_to_next_section(&mut self) -> Vec<String> {
        let mut section = self.read_to_next_empty_line();
        while !self.is_at_section() && !self.eof() {
            if is_blank(self.peek(-1)) {
                section.push(String::new());
            }
            section.extend(self.read_to_next_empty_line());
        }
        dedent_lines(&section)
    }
}

/// The section titles numpydoc's validator sees: every chunk between headers whose first line
/// is underlined with exactly as many `-`.
pub(crate) fn section_titles(lines: &[String]) -> Vec<String> {
    let mut reader = Reader::new(lines);
    let mut titles = Vec::new();
    while !reader.eof() {
        let content = reader.read_to_next_section();
        if content.len() > 1
            && pytext::len(&content[0]) == pytext::len(&content[1])
            && !content[1].is_empty()
            && content[1].chars().all(|c| c == '-')
        {
            titles.push(content[0].clone());
        }
    }
    titles
}

/// numpydoc's `_strip`: drop blank lines at both ends (one blank line alone is kept, as
/// numpydoc keeps it).
fn strip_section(doc: &[String]) -> Vec<String> {
    if doc.is_empty() {
        return Vec::new();
    }
    let first = doc
        .iter()
        .position(|line| !is_blank(line))
        .unwrap_or(doc.len() - 1);
    let from_end = doc
        .iter()
        .rev()
        .position(|line| !is_blank(line))
        .unwrap_or(doc.len() - 1);
    let end = doc.len() - from_end;
    if first < end {
        doc[first..end].to_vec()
    } else {
        Vec::new()
    }
}

fn strip_blank_lines(mut lines: Vec<String>) -> Vec<String> {
    while lines.first().is_some_and(|l| is_blank(l)) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| is_blank(l)) {
        lines.pop();
    }
    lines
}

static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([\w., ]+=)?\s*[\w\.]+\(.*\)$").unwrap_or_else(|_| unreachable!())
});
static WHITESPACE_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s{2,}").unwrap_or_else(|_| unreachable!()));

const FUNCNAME: &str =
    r"(:(?P<role>(py:)?\w+):`(?P<name>(?:~\w+\.)?[a-zA-Z0-9_\.-]+)`|(?P<name2>[a-zA-Z0-9_\.-]+))";

static SEE_ALSO_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*{FUNCNAME}\s*")).unwrap_or_else(|_| unreachable!()));
static SEE_ALSO_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let next = FUNCNAME
        .replace("role", "rolenext")
        .replace("name", "namenext");
    Regex::new(&format!(
        r"^\s*(?P<allfuncs>{FUNCNAME}(?P<morefuncs>([,]\s+{next})*))(?P<trailing>[,\.])?(?P<description>\s*:(\s+(?P<desc>\S+.*))?)?\s*$"
    ))
    .unwrap_or_else(|_| unreachable!())
});

/// The sections numpydoc stores; others are unknown.
const KNOWN: [&str; 17] = [
    "Signature",
    "Summary",
    "Extended Summary",
    "Parameters",
    "Attributes",
    "Methods",
    "Returns",
    "Yields",
    "Receives",
    "Other Parameters",
    "Raises",
    "Warns",
    "Warnings",
    "See Also",
    "Notes",
    "References",
    "Examples",
];

impl Docstring {
    /// Parses a docstring's raw text (as in the source, not cleaned).
    pub fn parse(raw: &str) -> Docstring {
        let lines: Vec<String> = pytext::dedent(raw)
            .split('\n')
            .map(str::to_string)
            .collect();
        Self::parse_lines(&lines)
    }

    /// Parses the dedented lines of a docstring.
    pub(crate) fn parse_lines(lines: &[String]) -> Docstring {
        let mut doc = Docstring {
            summary: vec![String::new()],
            ..Docstring::default()
        };
        let mut reader = Reader::new(lines);
        doc.parse_summary(&mut reader);
        let mut sections = Vec::new();
        while !reader.eof() {
            let data = reader.read_to_next_section();
            let Some(first) = data.first() else { break };
            let name = strip(first).to_string();
            if name.starts_with("..") {
                sections.push((name, data[1..].to_vec()));
            } else if data.len() < 2 {
                break;
            } else {
                sections.push((name, strip_section(&data[2..])));
            }
        }
        let has_yields = sections.iter().any(|(name, _)| name == "Yields");
        if !has_yields && sections.iter().any(|(name, _)| name == "Receives") {
            doc.problems.push(ParseProblem {
                message: "Docstring contains a Receives section but not Yields".to_string(),
            });
        }
        for (name, content) in sections {
            let name = if name.starts_with("..") {
                name
            } else {
                name.split(' ')
                    .map(pytext::capitalize)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if !name.starts_with("..") && doc.is_set(&name) {
                doc.problems.push(ParseProblem {
                    message: format!("The section {name} appears twice"),
                });
                continue;
            }
            doc.store(&name, content);
        }
        doc.deprecated = doc
            .summary
            .iter()
            .chain(&doc.extended_summary)
            .find_map(|line| {
                strip(line)
                    .strip_prefix(".. deprecated::")
                    .map(|version| strip(version).to_string())
            });
        doc
    }

    fn parse_summary(&mut self, reader: &mut Reader<'_>) {
        if reader.is_at_section() {
            return;
        }
        let mut summary;
        loop {
            summary = reader.read_to_next_empty_line();
            let joined = summary
                .iter()
                .map(|line| strip(line))
                .collect::<Vec<_>>()
                .join(" ");
            let joined = strip(&joined);
            if SIGNATURE.is_match(joined) {
                self.signature = Some(joined.to_string());
                if !reader.is_at_section() {
                    continue;
                }
            }
            break;
        }
        self.summary = summary;
        if !reader.is_at_section() {
            self.extended_summary = reader.read_to_next_section();
        }
    }

    /// Whether the section holds something (Python truthiness of numpydoc's stored value).
    fn is_set(&self, name: &str) -> bool {
        match name {
            "Signature" => self.signature.as_ref().is_some_and(|s| !s.is_empty()),
            "Summary" => !self.summary.is_empty(),
            "Extended Summary" => !self.extended_summary.is_empty(),
            "Parameters" => !self.parameters.is_empty(),
            "Attributes" => !self.attributes.is_empty(),
            "Methods" => !self.methods.is_empty(),
            "Returns" => !self.returns.is_empty(),
            "Yields" => !self.yields.is_empty(),
            "Receives" => !self.receives.is_empty(),
            "Other Parameters" => !self.other_parameters.is_empty(),
            "Raises" => !self.raises.is_empty(),
            "Warns" => !self.warns.is_empty(),
            "Warnings" => !self.warnings.is_empty(),
            "See Also" => !self.see_also.is_empty(),
            "Notes" => !self.notes.is_empty(),
            "References" => !self.references.is_empty(),
            "Examples" => !self.examples.is_empty(),
            _ => false,
        }
    }

    fn store(&mut self, name: &str, content: Vec<String>) {
        match name {
            "Parameters" => self.parameters = parse_params(&content, false),
            "Other Parameters" => self.other_parameters = parse_params(&content, false),
            "Attributes" => self.attributes = parse_params(&content, false),
            "Methods" => self.methods = parse_params(&content, false),
            "Returns" => self.returns = parse_params(&content, true),
            "Yields" => self.yields = parse_params(&content, true),
            "Raises" => self.raises = parse_params(&content, true),
            "Warns" => self.warns = parse_params(&content, true),
            "Receives" => self.receives = parse_params(&content, true),
            "See Also" => {
                let (entries, problems) = parse_see_also(&content);
                self.see_also = entries;
                self.problems.extend(problems);
            }
            "Signature" => self.signature = Some(content.join("\n")),
            "Summary" => self.summary = content,
            "Extended Summary" => self.extended_summary = content,
            "Warnings" => self.warnings = content,
            "Notes" => self.notes = content,
            "References" => self.references = content,
            "Examples" => self.examples = content,
            _ if name.starts_with(".. index::") => self.index = parse_index(name, &content),
            _ => {
                debug_assert!(!KNOWN.contains(&name));
                self.unknown_sections.push((name.to_string(), content));
            }
        }
    }
}

fn parse_params(content: &[String], single_element_is_type: bool) -> Vec<Param> {
    let content = dedent_lines(content);
    let mut reader = Reader::new(&content);
    let mut params = Vec::new();
    while !reader.eof() {
        let header = strip(reader.read());
        let (name, kind) = match header.split_once(" : ") {
            Some((name, kind)) => (
                name.to_string(),
                WHITESPACE_RUN.replace_all(kind, " ").into_owned(),
            ),
            None => {
                let header = header.strip_suffix(" :").unwrap_or(header).to_string();
                if single_element_is_type {
                    (String::new(), header)
                } else {
                    (header, String::new())
                }
            }
        };
        let description = strip_blank_lines(dedent_lines(&reader.read_to_next_unindented_line()));
        params.push(Param {
            name,
            kind,
            description,
        });
    }
    params
}

fn parse_see_also(content: &[String]) -> (Vec<SeeAlsoEntry>, Vec<ParseProblem>) {
    let content = dedent_lines(content);
    let mut entries: Vec<SeeAlsoEntry> = Vec::new();
    let mut problems = Vec::new();
    // Continuation lines before any entry go nowhere, as in numpydoc.
    let mut orphan = Vec::new();
    let mut current_is_entry = false;
    for line in &content {
        if is_blank(line) {
            continue;
        }
        let captures = SEE_ALSO_LINE.captures(line);
        let description = captures
            .as_ref()
            .and_then(|c| c.name("desc"))
            .map(|m| m.as_str().to_string());
        if description.is_none() && line.starts_with(' ') {
            let text = strip(line).to_string();
            match entries.last_mut() {
                Some(entry) if current_is_entry => entry.description.push(text),
                _ => orphan.push(text),
            }
        } else if let Some(captures) = captures {
            let mut names = Vec::new();
            let mut text = captures.name("allfuncs").map_or("", |m| m.as_str());
            loop {
                if strip(text).is_empty() {
                    break;
                }
                let Some(found) = SEE_ALSO_NAME.captures(text) else {
                    break;
                };
                let role = found.name("role").map(|m| m.as_str().to_string());
                let name = if role.is_some() {
                    found.name("name")
                } else {
                    found.name("name2")
                };
                names.push((name.map_or("", |m| m.as_str()).to_string(), role));
                let end = found.get(0).map_or(text.len(), |m| m.end());
                text = strip(&text[end..]);
                if let Some(rest) = text.strip_prefix(',') {
                    text = strip(rest);
                }
            }
            entries.push(SeeAlsoEntry {
                names,
                description: description.into_iter().collect(),
            });
            current_is_entry = true;
        } else {
            problems.push(ParseProblem {
                message: format!("Error parsing See Also entry {}", pytext::repr_str(line)),
            });
            // The lines that follow belong to no entry until the next good one.
            current_is_entry = false;
        }
    }
    (entries, problems)
}

fn parse_index(section: &str, content: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let parts: Vec<&str> = section.split("::").collect();
    if parts.len() > 1 {
        let default = parts[1].split(',').next().map(strip).unwrap_or_default();
        out.push(("default".to_string(), vec![default.to_string()]));
    }
    for line in content {
        let fields: Vec<&str> = line.split(':').collect();
        if fields.len() > 2 {
            out.push((
                fields[1].to_string(),
                fields[2].split(',').map(|s| strip(s).to_string()).collect(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_params_and_see_also() {
        let doc = Docstring::parse(
            "Sum two arrays.\n\n    The sum, elementwise.\n\n    .. deprecated:: 1.2\n\n    Parameters\n    ----------\n    a, b : array_like\n        The arrays.\n    out : ndarray,   optional\n\n    Returns\n    -------\n    ndarray\n        The sum.\n\n    See Also\n    --------\n    numpy.add : Same thing.\n    :func:`subtract`, mul\n        Others\n        continued.\n    ",
        );
        assert_eq!(doc.summary, ["Sum two arrays."]);
        assert_eq!(doc.deprecated.as_deref(), Some("1.2"));
        assert_eq!(doc.parameters.len(), 2);
        assert_eq!(doc.parameters[0].name, "a, b");
        assert_eq!(doc.parameters[1].kind, "ndarray, optional");
        assert!(doc.parameters[1].description.is_empty());
        assert_eq!(doc.returns[0].name, "");
        assert_eq!(doc.returns[0].kind, "ndarray");
        assert_eq!(doc.see_also.len(), 2);
        assert_eq!(
            doc.see_also[1].names,
            [
                ("subtract".to_string(), Some("func".to_string())),
                ("mul".to_string(), None)
            ]
        );
        assert_eq!(doc.see_also[1].description, ["Others", "continued."]);
        assert!(doc.problems.is_empty());
    }

    #[test]
    fn signature_line_is_not_the_summary() {
        let doc = Docstring::parse("f(x, y=1)\n\nCompute f.\n");
        assert_eq!(doc.signature.as_deref(), Some("f(x, y=1)"));
        assert_eq!(doc.summary, ["Compute f."]);
    }

    #[test]
    fn malformed_docstrings_are_problems_not_errors() {
        let doc = Docstring::parse("S.\n\nSee Also\n--------\n`numpy.polynomial`\nok : Fine.\n");
        assert_eq!(doc.problems.len(), 1);
        assert_eq!(doc.see_also.len(), 1);
        let twice = Docstring::parse("S.\n\nNotes\n-----\nA.\n\nNotes\n-----\nB.\n");
        assert_eq!(twice.notes, ["A."]);
        assert!(twice.problems[0].message.contains("appears twice"));
        let receives = Docstring::parse("S.\n\nReceives\n--------\nx : int\n");
        assert!(receives.problems[0].message.contains("Receives"));
    }

    #[test]
    fn section_titles_need_exact_dash_underlines() {
        let lines: Vec<String> =
            "S.\n\nParameters\n----------\nx : int\n\nNotes\n--\nA.\n\nFoo\n===\n"
                .split('\n')
                .map(str::to_string)
                .collect();
        assert_eq!(section_titles(&lines), ["Parameters"]);
    }
}
