//! Python's text semantics where numpydoc's results depend on them: `str.strip`,
//! `textwrap.dedent`, `inspect.cleandoc`, `str.capitalize`, and `repr` of strings, tuples,
//! lists and sets (the messages of PR01–PR03 and GL10 quote Python reprs).
//!
//! Lengths are counted in characters (code points), as Python counts them.

/// Python's `str.isspace` for one character (Rust's `White_Space` plus the four separators
/// Python also counts).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `s.lstrip()`.
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// `s.rstrip()`.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// `not s.strip()`: empty or only whitespace.
pub fn is_blank(s: &str) -> bool {
    strip(s).is_empty()
}

/// `len(s)`.
pub fn len(s: &str) -> usize {
    s.chars().count()
}

/// `s.capitalize()`: the first character upper-cased, the rest lower-cased.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// `c.isalpha()` (alphabetic letters).
pub fn is_alpha(c: char) -> bool {
    c.is_alphabetic()
}

/// `c.isupper()` for one character.
pub fn is_upper(c: char) -> bool {
    c.is_uppercase()
}

/// `textwrap.dedent(text)`: lines of only spaces and tabs become empty, then the longest
/// common leading run of spaces and tabs of the other lines is removed.
pub fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| {
            if !line.is_empty() && line.chars().all(|c| c == ' ' || c == '\t') {
                ""
            } else {
                line
            }
        })
        .collect();
    let mut margin: Option<&str> = None;
    for line in &lines {
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        if indent_len == line.len() {
            continue;
        }
        let indent = &line[..indent_len];
        margin = Some(match margin {
            None => indent,
            Some(current) if indent.starts_with(current) => current,
            Some(current) if current.starts_with(indent) => indent,
            Some(current) => {
                let common = current
                    .bytes()
                    .zip(indent.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &current[..common]
            }
        });
    }
    let margin = margin.unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(line.strip_prefix(margin).unwrap_or(line));
    }
    out
}

/// `dedent_lines(lines)` of numpydoc: dedent the joined lines and split them again.
pub fn dedent_lines(lines: &[String]) -> Vec<String> {
    if lines.is_empty() {
        return Vec::new();
    }
    dedent(&lines.join("\n"))
        .split('\n')
        .map(str::to_string)
        .collect()
}

/// `inspect.cleandoc(doc)`: tabs expanded, the first line's leading whitespace and the other
/// lines' common indentation removed, blank lines at both ends dropped.
pub fn cleandoc(doc: &str) -> String {
    let expanded = expand_tabs(doc);
    let lines: Vec<&str> = expanded.split('\n').collect();
    let margin = lines
        .iter()
        .skip(1)
        .filter_map(|line| {
            let content = len(lstrip(line));
            (content > 0).then(|| len(line) - content)
        })
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    if let Some(first) = lines.first() {
        out.push(lstrip(first).to_string());
    }
    for line in lines.iter().skip(1) {
        out.push(line.chars().skip(margin).collect());
    }
    while out.last().is_some_and(|line| line.is_empty()) {
        out.pop();
    }
    let leading = out.iter().take_while(|line| line.is_empty()).count();
    out.drain(..leading);
    out.join("\n")
}

/// `s.expandtabs()` with 8 columns.
fn expand_tabs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut column = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                let spaces = 8 - column % 8;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

/// `repr(s)` of a Python string.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(tuple)` of strings: `()`, `('a',)`, `('a', 'b')`.
pub fn repr_tuple(items: &[String]) -> String {
    match items {
        [] => "()".to_string(),
        [one] => format!("({},)", repr_str(one)),
        _ => format!("({})", joined_reprs(items)),
    }
}

/// `repr(list)` of strings.
pub fn repr_list(items: &[String]) -> String {
    format!("[{}]", joined_reprs(items))
}

/// `str(set)` of strings, in the given order (Python's own order depends on string hashing,
/// which is randomised per process).
pub fn repr_set(items: &[String]) -> String {
    format!("{{{}}}", joined_reprs(items))
}

fn joined_reprs(items: &[String]) -> String {
    items
        .iter()
        .map(|item| repr_str(item))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedent_like_textwrap() {
        assert_eq!(dedent("  a\n    b\n  \n  c"), "a\n  b\n\nc");
        assert_eq!(dedent("a\n    b"), "a\n    b");
        assert_eq!(dedent("\t a\n\t  b"), "a\n b");
        assert_eq!(dedent(" \ta\n  b"), "\ta\n b");
    }

    #[test]
    fn cleandoc_like_inspect() {
        assert_eq!(
            cleandoc("  Summary.\n\n    More.\n    "),
            "Summary.\n\nMore."
        );
        assert_eq!(cleandoc("\n    A.\n      B.\n"), "A.\n  B.");
    }

    #[test]
    fn reprs() {
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(repr_str("a\\b"), "'a\\\\b'");
        assert_eq!(repr_tuple(&["x".into()]), "('x',)");
        assert_eq!(repr_tuple(&[]), "()");
        assert_eq!(repr_set(&["a".into(), "b".into()]), "{'a', 'b'}");
        assert_eq!(repr_list(&["deprecated".into()]), "['deprecated']");
    }

    #[test]
    fn capitalize_like_python() {
        assert_eq!(capitalize("see ALSO"), "See also");
        assert_eq!(capitalize(""), "");
    }
}
