//! The validator: numpydoc 1.11.0's checks on one object, with its codes and messages.
//!
//! An [`Object`] is what the check needs to know about a module, class or function: its kind,
//! its raw docstring, its signature's parameter names and whether it returns a value or is a
//! generator. [`validate`] parses the docstring and returns the findings in numpydoc's order
//! (GL, SS, ES, PR, RT, YD, SA, EX). The messages are numpydoc's, word for word, since tools
//! and people match on them. Docstrings numpydoc cannot parse also get a `GL90` finding that
//! says why; numpydoc itself would abort on them.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::docstring::{Docstring, Param, section_titles};
use crate::pytext::{self, is_alpha, is_blank, is_upper, repr_list, repr_set, repr_tuple};

/// The sections numpydoc allows, in the order it wants them.
pub const ALLOWED_SECTIONS: [&str; 13] = [
    "Parameters",
    "Attributes",
    "Methods",
    "Returns",
    "Yields",
    "Other Parameters",
    "Raises",
    "Warns",
    "Warnings",
    "See Also",
    "Notes",
    "References",
    "Examples",
];

/// Every code numpydoc reports, with its message template; `GL90` is agora's own (a docstring
/// numpydoc cannot parse).
pub const CODES: [(&str, &str); 36] = [
    (
        "GL01",
        "Docstring text (summary) should start right after, or on the line following the opening quotes",
    ),
    (
        "GL02",
        "Closing quotes should be placed in the line after the last text in the docstring (do not close the quotes in the same line as the text, or leave a blank line between the last text and the quotes)",
    ),
    (
        "GL03",
        "Double line break found; please use only one blank line to separate sections or paragraphs, and do not leave blank lines at the end of docstrings",
    ),
    (
        "GL05",
        "Tabs found at the start of line \"{line_with_tabs}\", please use whitespace only",
    ),
    (
        "GL06",
        "Found unknown section \"{section}\". Allowed sections are: {allowed_sections}",
    ),
    (
        "GL07",
        "Sections are in the wrong order. Correct order is: {correct_sections}",
    ),
    ("GL08", "The object does not have a docstring"),
    (
        "GL09",
        "Deprecation warning should precede extended summary",
    ),
    (
        "GL10",
        "reST directives {directives} must be followed by two colons",
    ),
    (
        "SS01",
        "No summary found (a short summary in a single line should be present at the beginning of the docstring)",
    ),
    ("SS02", "Summary does not start with a capital letter"),
    ("SS03", "Summary does not end with a period"),
    ("SS04", "Summary contains heading whitespaces"),
    (
        "SS05",
        "Summary must start with infinitive verb, not third person (e.g. use \"Generate\" instead of \"Generates\")",
    ),
    ("SS06", "Summary should fit in a single line"),
    ("ES01", "No extended summary found"),
    ("PR01", "Parameters {missing_params} not documented"),
    ("PR02", "Unknown parameters {unknown_params}"),
    (
        "PR03",
        "Wrong parameters order. Actual: {actual_params}. Documented: {documented_params}",
    ),
    ("PR04", "Parameter \"{param_name}\" has no type"),
    (
        "PR05",
        "Parameter \"{param_name}\" type should not finish with \".\"",
    ),
    (
        "PR06",
        "Parameter \"{param_name}\" type should use \"{right_type}\" instead of \"{wrong_type}\"",
    ),
    ("PR07", "Parameter \"{param_name}\" has no description"),
    (
        "PR08",
        "Parameter \"{param_name}\" description should start with a capital letter",
    ),
    (
        "PR09",
        "Parameter \"{param_name}\" description should finish with \".\"",
    ),
    (
        "PR10",
        "Parameter \"{param_name}\" requires a space before the colon separating the parameter name and type",
    ),
    ("RT01", "No Returns section found"),
    (
        "RT02",
        "The first line of the Returns section should contain only the type, unless multiple values are being returned",
    ),
    ("RT03", "Return value has no description"),
    (
        "RT04",
        "Return value description should start with a capital letter",
    ),
    ("RT05", "Return value description should finish with \".\""),
    ("YD01", "No Yields section found"),
    ("SA01", "See Also section not found"),
    (
        "SA02",
        "Missing period at end of description for See Also \"{reference_name}\" reference",
    ),
    (
        "SA03",
        "Description should be capitalized for See Also \"{reference_name}\" reference",
    ),
    (
        "SA04",
        "Missing description for See Also \"{reference_name}\" reference",
    ),
];

/// agora's code for a docstring numpydoc cannot parse.
pub const PARSE_ERROR_CODE: &str = "GL90";
/// numpydoc's EX01 (kept apart so [`CODES`] lists the templated ones in numpydoc's order).
pub const EX01: (&str, &str) = ("EX01", "No examples section found");

/// Whether `code` is a numpydoc code (or agora's GL90).
pub fn is_known_code(code: &str) -> bool {
    code == PARSE_ERROR_CODE || code == EX01.0 || CODES.iter().any(|(c, _)| *c == code)
}

/// Every code, in numpydoc's order, GL90 last.
pub fn all_codes() -> Vec<&'static str> {
    CODES
        .iter()
        .map(|(code, _)| *code)
        .chain([EX01.0, PARSE_ERROR_CODE])
        .collect()
}

/// What a code is about, for listings such as `--statistics`: numpydoc's message for it
/// with each placeholder (`{param_name}`, …) shown as `…`; for GL90, agora's own words.
/// Empty for an unknown code.
pub fn code_description(code: &str) -> String {
    if code == PARSE_ERROR_CODE {
        return "Docstring that numpydoc cannot parse".to_string();
    }
    let mut out = String::new();
    let mut in_placeholder = false;
    for c in template(code).chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push('…');
            }
            '}' if in_placeholder => in_placeholder = false,
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

fn template(code: &str) -> &'static str {
    if code == EX01.0 {
        return EX01.1;
    }
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, message)| message)
}

/// A finding: a code and its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The numpydoc code (`GL08`, `PR01`, …).
    pub code: &'static str,
    /// numpydoc's message with the placeholders filled in.
    pub message: String,
}

fn issue(code: &'static str, fields: &[(&str, &str)]) -> Issue {
    let mut message = template(code).to_string();
    for (key, value) in fields {
        message = message.replace(&format!("{{{key}}}"), value);
    }
    Issue { code, message }
}

/// What kind of object is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    /// A module (no ES01, SA and EX checks).
    Module,
    /// A class (parameters from `__init__`).
    Class,
    /// A function or method (RT and YD checks).
    Function,
}

/// What the validator needs to know about one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<'a> {
    /// Module, class or function.
    pub kind: ObjectKind,
    /// The raw docstring; `None` or empty means none.
    pub docstring: Option<&'a str>,
    /// The signature's parameters as numpydoc names them (`*args`, `**kwargs`; `self`/`cls`
    /// of methods left out).
    pub signature: Vec<String>,
    /// Whether the function returns something other than `None`.
    pub returns_value: bool,
    /// Whether the function has a top-level `yield` statement.
    pub is_generator: bool,
}

/// numpydoc's directive pattern without the look-ahead (checked by hand).
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*\.\. (versionadded|versionchanged|deprecated)")
        .unwrap_or_else(|_| unreachable!())
});
static TABS_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ *\t").unwrap_or_else(|_| unreachable!()));
static NON_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\W").unwrap_or_else(|_| unreachable!()));

const DIRECTIVES: [&str; 3] = ["versionadded", "versionchanged", "deprecated"];

/// The parsed docstring with the lines it was parsed from, as the checks need both.
struct Parsed {
    lines: Vec<String>,
    doc: Docstring,
}

impl Parsed {
    fn summary(&self) -> String {
        self.doc.summary.join(" ")
    }

    fn extended_summary(&self) -> String {
        if self.doc.extended_summary.is_empty() && self.doc.summary.len() > 1 {
            return self.doc.summary.join(" ");
        }
        self.doc.extended_summary.join(" ")
    }

    fn deprecated(&self) -> bool {
        format!("{}{}", self.summary(), self.extended_summary()).contains(".. deprecated:: ")
    }

    /// Parameters and Other Parameters by name (`a, b` split), first position kept, last
    /// entry's type and description winning, as numpydoc's ordered dict does.
    fn all_parameters(&self) -> Vec<(String, &Param)> {
        let mut out: Vec<(String, &Param)> = Vec::new();
        for param in self.doc.parameters.iter().chain(&self.doc.other_parameters) {
            for name in param.name.split(", ") {
                match out.iter_mut().find(|(existing, _)| existing == name) {
                    Some(slot) => slot.1 = param,
                    None => out.push((name.to_string(), param)),
                }
            }
        }
        out
    }

    fn parameter_mismatches(&self, signature: &[String]) -> Vec<Issue> {
        let documented: Vec<String> = self
            .all_parameters()
            .into_iter()
            .map(|(name, _)| name.replace('\\', ""))
            .collect();
        let documented_set: HashSet<&str> = documented.iter().map(String::as_str).collect();
        let signature_set: HashSet<&str> = signature.iter().map(String::as_str).collect();
        let mut issues = Vec::new();
        let missing = unique_in_order(signature, &documented_set);
        if !missing.is_empty() {
            issues.push(issue("PR01", &[("missing_params", &repr_set(&missing))]));
        }
        let extra = unique_in_order(&documented, &signature_set);
        if !extra.is_empty() {
            issues.push(issue("PR02", &[("unknown_params", &repr_set(&extra))]));
        }
        if missing.is_empty()
            && extra.is_empty()
            && signature != documented.as_slice()
            && !(signature.is_empty() && documented.is_empty())
        {
            issues.push(issue(
                "PR03",
                &[
                    ("actual_params", &repr_tuple(signature)),
                    ("documented_params", &repr_tuple(&documented)),
                ],
            ));
        }
        issues
    }
}

/// The items of `items` not in `other`, each once, in order.
fn unique_in_order(items: &[String], other: &HashSet<&str>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .iter()
        .filter(|item| !other.contains(item.as_str()) && seen.insert(item.as_str()))
        .cloned()
        .collect()
}

fn parse(raw: &str) -> Parsed {
    let lines: Vec<String> = pytext::dedent(raw)
        .split('\n')
        .map(str::to_string)
        .collect();
    let doc = Docstring::parse_lines(&lines);
    Parsed { lines, doc }
}

/// PR01–PR03 of a docstring against a signature: numpydoc asks this of a class when its
/// `__init__` has no docstring of its own.
pub fn parameter_mismatches(raw: &str, signature: &[String]) -> Vec<Issue> {
    parse(raw).parameter_mismatches(signature)
}

/// numpydoc's `_check_desc`: a description must exist, start with a capital and end with a
/// period (directives after it are not part of it).
fn check_description(
    description: &[String],
    codes: [&'static str; 3],
    fields: &[(&str, &str)],
) -> Vec<Issue> {
    let mut text = description.join("\n");
    for directive in DIRECTIVES {
        let full = format!(".. {directive}");
        if let Some(index) = text.find(&full) {
            text = text[..index].trim_end_matches('\n').to_string();
        }
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut issues = Vec::new();
    if lines.concat().is_empty() {
        issues.push(issue(codes[0], fields));
        return issues;
    }
    if let Some(first) = lines.first().and_then(|line| line.chars().next())
        && is_alpha(first)
        && !is_upper(first)
    {
        issues.push(issue(codes[1], fields));
    }
    let last = lines.last().copied().unwrap_or_default();
    let exempt = last.starts_with(' ') || last.starts_with("* ") || last.starts_with("- ");
    if !(last.ends_with('.') || exempt) {
        issues.push(issue(codes[2], fields));
    }
    issues
}

/// Checks one object's docstring; the findings come in numpydoc's order. An object without a
/// docstring gets GL08 only (the caller decides about constructors, see numpydoc's rule for
/// `__init__`).
pub fn validate(object: &Object<'_>) -> Vec<Issue> {
    let raw = object.docstring.unwrap_or_default();
    if raw.is_empty() {
        return vec![issue("GL08", &[])];
    }
    let parsed = parse(raw);
    let doc = &parsed.doc;
    let mut issues = Vec::new();
    for problem in &doc.problems {
        issues.push(Issue {
            code: PARSE_ERROR_CODE,
            message: format!(
                "Docstring cannot be parsed by numpydoc ({}); the rest is checked as far as possible",
                problem.message
            ),
        });
    }

    let rows: Vec<&str> = raw.split('\n').collect();
    let multiline = raw.contains('\n');
    let start_blank = rows
        .iter()
        .position(|row| !is_blank(row))
        .unwrap_or(rows.len() - 1);
    let end_blank = rows
        .iter()
        .rev()
        .position(|row| !is_blank(row))
        .unwrap_or(rows.len() - 1);
    if start_blank > 1 && multiline {
        issues.push(issue("GL01", &[]));
    }
    if end_blank != 1 && multiline {
        issues.push(issue("GL02", &[]));
    }
    let mut previous_blank = false;
    for row in &rows {
        let blank = is_blank(row);
        if blank && previous_blank {
            issues.push(issue("GL03", &[]));
            break;
        }
        previous_blank = blank;
    }
    for line in python_splitlines(raw) {
        if TABS_AT_START.is_match(line) {
            issues.push(issue("GL05", &[("line_with_tabs", pytext::lstrip(line))]));
        }
    }

    let titles = section_titles(&parsed.lines);
    for title in &titles {
        if !ALLOWED_SECTIONS.contains(&title.as_str()) {
            issues.push(issue(
                "GL06",
                &[
                    ("section", title),
                    ("allowed_sections", &ALLOWED_SECTIONS.join(", ")),
                ],
            ));
        }
    }
    let correct: Vec<&str> = ALLOWED_SECTIONS
        .iter()
        .copied()
        .filter(|section| titles.iter().any(|t| t == section))
        .collect();
    if correct != titles.iter().map(String::as_str).collect::<Vec<_>>() {
        issues.push(issue("GL07", &[("correct_sections", &correct.join(", "))]));
    }

    let summary = parsed.summary();
    let extended = parsed.extended_summary();
    if parsed.deprecated() && !extended.starts_with(".. deprecated:: ") {
        issues.push(issue("GL09", &[]));
    }
    let directives: Vec<String> = DIRECTIVE
        .captures_iter(raw)
        .filter(|c| c.get(0).is_some_and(|m| !raw[m.end()..].starts_with("::")))
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect();
    if !directives.is_empty() {
        issues.push(issue("GL10", &[("directives", &repr_list(&directives))]));
    }

    match summary.chars().next() {
        None => issues.push(issue("SS01", &[])),
        Some(first) => {
            if is_alpha(first) && !is_upper(first) {
                issues.push(issue("SS02", &[]));
            }
            if !summary.ends_with('.') {
                issues.push(issue("SS03", &[]));
            }
            let first_word = summary.split(' ').next().unwrap_or_default();
            let mut reversed = first_word.chars().rev();
            if summary != pytext::lstrip(&summary) {
                issues.push(issue("SS04", &[]));
            } else if object.kind == ObjectKind::Function
                && pytext::len(first_word) > 1
                && reversed.next() == Some('s')
                && reversed.next() != Some('s')
            {
                issues.push(issue("SS05", &[]));
            }
            if doc.summary.len() > 1 {
                issues.push(issue("SS06", &[]));
            }
        }
    }

    if object.kind != ObjectKind::Module && extended.is_empty() {
        issues.push(issue("ES01", &[]));
    }

    issues.extend(parsed.parameter_mismatches(&object.signature));

    for (name, param) in parsed.all_parameters() {
        if !name.starts_with('*') {
            let kind = param.kind.as_str();
            if kind.is_empty() {
                match name.split_once(':') {
                    Some((before, _)) => issues.push(issue("PR10", &[("param_name", before)])),
                    None => issues.push(issue("PR04", &[("param_name", &name)])),
                }
            } else {
                if kind.ends_with('.') {
                    issues.push(issue("PR05", &[("param_name", &name)]));
                }
                // numpydoc skips the rest of the checks of a parameter whose type is a set of
                // options, its description's included.
                if kind.contains('{') {
                    continue;
                }
                let words: HashSet<&str> = NON_WORD.split(kind).collect();
                for (wrong, right) in [("integer", "int"), ("boolean", "bool"), ("string", "str")] {
                    if words.contains(wrong) {
                        issues.push(issue(
                            "PR06",
                            &[
                                ("param_name", &name),
                                ("right_type", right),
                                ("wrong_type", wrong),
                            ],
                        ));
                    }
                }
            }
        }
        issues.extend(check_description(
            &param.description,
            ["PR07", "PR08", "PR09"],
            &[("param_name", &name)],
        ));
    }

    if object.kind == ObjectKind::Function {
        if doc.returns.is_empty() {
            if object.returns_value {
                issues.push(issue("RT01", &[]));
            }
        } else {
            if doc.returns.len() == 1 && !doc.returns[0].name.is_empty() {
                issues.push(issue("RT02", &[]));
            }
            for returned in &doc.returns {
                issues.extend(check_description(
                    &returned.description,
                    ["RT03", "RT04", "RT05"],
                    &[],
                ));
            }
        }
        if doc.yields.is_empty() && object.is_generator {
            issues.push(issue("YD01", &[]));
        }
    }

    if object.kind != ObjectKind::Module {
        let mut see_also: Vec<(&str, String)> = Vec::new();
        for entry in &doc.see_also {
            let description = entry.description.concat();
            for (name, _) in &entry.names {
                match see_also.iter_mut().find(|(existing, _)| existing == name) {
                    Some(slot) => slot.1 = description.clone(),
                    None => see_also.push((name, description.clone())),
                }
            }
        }
        if see_also.is_empty() {
            issues.push(issue("SA01", &[]));
        }
        for (name, description) in &see_also {
            match description.chars().next() {
                Some(first) => {
                    if !description.ends_with('.') {
                        issues.push(issue("SA02", &[("reference_name", name)]));
                    }
                    if is_alpha(first) && !is_upper(first) {
                        issues.push(issue("SA03", &[("reference_name", name)]));
                    }
                }
                None => issues.push(issue("SA04", &[("reference_name", name)])),
            }
        }
        if doc.examples.is_empty() {
            issues.push(Issue {
                code: EX01.0,
                message: EX01.1.to_string(),
            });
        }
    }
    issues
}

/// Python's `str.splitlines()`: every line boundary Python knows, no trailing empty line.
fn python_splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let boundary = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if boundary {
            lines.push(&text[start..index]);
            let mut end = index + c.len_utf8();
            if c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n') {
                chars.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(object: &Object<'_>) -> Vec<&'static str> {
        validate(object)
            .into_iter()
            .map(|issue| issue.code)
            .collect()
    }

    fn function<'a>(doc: &'a str, signature: &[&str]) -> Object<'a> {
        Object {
            kind: ObjectKind::Function,
            docstring: Some(doc),
            signature: signature.iter().map(|s| s.to_string()).collect(),
            returns_value: false,
            is_generator: false,
        }
    }

    #[test]
    fn a_good_docstring_has_no_findings() {
        let doc = "\n    Add numbers.\n\n    More words.\n\n    Parameters\n    ----------\n    a : int\n        First.\n\n    Returns\n    -------\n    int\n        The sum.\n\n    See Also\n    --------\n    sub : Subtract.\n\n    Examples\n    --------\n    >>> add(1)\n    ";
        let mut object = function(doc, &["a"]);
        object.returns_value = true;
        assert_eq!(codes(&object), Vec::<&str>::new());
    }

    #[test]
    fn summary_and_parameter_checks() {
        let object = function(
            "adds things\n\n    Parameters\n    ----------\n    b : integer.\n        lower\n    ",
            &["a"],
        );
        let issues = validate(&object);
        let found: Vec<&str> = issues.iter().map(|i| i.code).collect();
        assert_eq!(
            found,
            [
                "SS02", "SS03", "SS05", "ES01", "PR01", "PR02", "PR05", "PR06", "PR08", "PR09",
                "SA01", "EX01"
            ]
        );
        assert_eq!(issues[4].message, "Parameters {'a'} not documented");
        assert_eq!(
            issues[7].message,
            "Parameter \"b\" type should use \"int\" instead of \"integer\""
        );
    }

    #[test]
    fn missing_docstring_is_gl08() {
        let object = function("", &[]);
        assert_eq!(codes(&object), ["GL08"]);
    }

    #[test]
    fn gl10_directive_without_colons() {
        let object = Object {
            kind: ObjectKind::Module,
            docstring: Some("Mod.\n\n.. versionadded: 1.0\n.. deprecated:: 2\n"),
            signature: Vec::new(),
            returns_value: false,
            is_generator: false,
        };
        let issues = validate(&object);
        let gl10 = issues
            .iter()
            .find(|i| i.code == "GL10")
            .map(|i| i.message.as_str());
        assert_eq!(
            gl10,
            Some("reST directives ['versionadded'] must be followed by two colons")
        );
    }

    #[test]
    fn splitlines_like_python() {
        assert_eq!(python_splitlines("a\r\nb\x0cc\n"), ["a", "b", "c"]);
    }
}
