//! Python source bytes to text, as Python reads them (PEP 263 and PEP 3120): UTF-8 unless a
//! coding declaration (`# -*- coding: latin-1 -*-`) on line 1 or 2 names another encoding.
//!
//! The encodings read are those declared in practice: UTF-8, Latin-1 (ISO 8859-1),
//! Windows-1252 and ASCII, under Python's names and aliases. Decoding maps bytes to characters
//! one line at a time without adding or removing line breaks, so line numbers stay those of
//! the file. Another declared encoding, or bytes invalid in the declared one, is an error that
//! names the line.

use std::sync::LazyLock;

use regex::bytes::Regex;

/// Why a file's bytes could not be read as Python source text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    /// The line (1-based) of the declaration or of the first byte that does not decode.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

/// An encoding a Python file can declare that agora reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    /// UTF-8, Python 3's default.
    Utf8,
    /// ISO 8859-1: every byte is the character of the same number.
    Latin1,
    /// Windows-1252: Latin-1 with printable characters in 0x80–0x9F (five bytes undefined).
    Windows1252,
    /// ASCII: bytes below 0x80 only.
    Ascii,
}

/// PEP 263's declaration: a comment line containing `coding:` or `coding=` and a name.
static CODING_COOKIE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)^[ \t\x0c]*#.*?coding[:=][ \t]*([-\w.]+)").unwrap_or_else(|_| unreachable!())
});

/// A line holding only whitespace or a comment (line 2's declaration counts only after one).
static BLANK_OR_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t\x0c]*(?:[#\r\n]|$)").unwrap_or_else(|_| unreachable!()));

/// The encoding a declared name stands for, as Python normalises and looks names up.
pub fn encoding_named(name: &str) -> Option<SourceEncoding> {
    let name = name.to_ascii_lowercase().replace('_', "-");
    let utf8 = ["utf-8", "utf8", "u8", "utf", "cp65001"];
    let latin1 = [
        "latin-1",
        "latin1",
        "latin",
        "l1",
        "iso-8859-1",
        "iso8859-1",
        "iso-latin-1",
        "8859",
        "cp819",
        "iso-ir-100",
        "csisolatin1",
    ];
    let windows1252 = ["cp1252", "windows-1252"];
    let ascii = [
        "ascii",
        "us-ascii",
        "646",
        "us",
        "ansi-x3.4-1968",
        "iso646-us",
    ];
    // Python's tokenizer takes `utf-8-…` and `latin-1-…` variants for the base encoding.
    let base = |names: &[&str]| {
        names
            .iter()
            .any(|n| name == *n || name.strip_prefix(n).is_some_and(|r| r.starts_with('-')))
    };
    if base(&utf8[..1]) || utf8.contains(&name.as_str()) {
        Some(SourceEncoding::Utf8)
    } else if base(&["latin-1", "iso-8859-1", "iso-latin-1"]) || latin1.contains(&name.as_str()) {
        Some(SourceEncoding::Latin1)
    } else if windows1252.contains(&name.as_str()) {
        Some(SourceEncoding::Windows1252)
    } else if ascii.contains(&name.as_str()) {
        Some(SourceEncoding::Ascii)
    } else {
        None
    }
}

/// The declared encoding's name and line, if line 1, or line 2 after a blank or comment
/// line 1, declares one.
pub fn declared_encoding(bytes: &[u8]) -> Option<(String, u32)> {
    let mut lines = bytes.split(|b| *b == b'\n');
    let first = lines.next()?;
    let first = first.strip_prefix(b"\xef\xbb\xbf").unwrap_or(first);
    if let Some(name) = cookie_name(first) {
        return Some((name, 1));
    }
    if !BLANK_OR_COMMENT.is_match(first) {
        return None;
    }
    cookie_name(lines.next()?).map(|name| (name, 2))
}

/// The encoding name of a PEP 263 declaration on `line`, if it holds one.
fn cookie_name(line: &[u8]) -> Option<String> {
    let found = CODING_COOKIE.captures(line)?;
    found
        .get(1)
        .map(|name| String::from_utf8_lossy(name.as_bytes()).into_owned())
}

/// Windows-1252's characters for 0x80–0x9F (`None`: undefined, an error as in Python).
const WINDOWS_1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The 1-based line of byte offset `at`.
fn line_at(bytes: &[u8], at: usize) -> u32 {
    let breaks = bytes.iter().take(at).filter(|b| **b == b'\n').count();
    u32::try_from(breaks).unwrap_or(u32::MAX - 1) + 1
}

/// Decodes `bytes` with `encoding`, one character per byte for the single-byte encodings.
fn decode_with(bytes: &[u8], encoding: SourceEncoding, name: &str) -> Result<String, DecodeError> {
    let invalid = |at: usize, byte: u8| DecodeError {
        line: line_at(bytes, at),
        message: format!("byte 0x{byte:02x} is not valid {name} text"),
    };
    match encoding {
        SourceEncoding::Utf8 => String::from_utf8(bytes.to_vec()).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            DecodeError {
                line: line_at(bytes, at),
                message: format!("not valid {name} text"),
            }
        }),
        SourceEncoding::Latin1 => Ok(bytes.iter().map(|b| char::from(*b)).collect()),
        SourceEncoding::Windows1252 => bytes
            .iter()
            .enumerate()
            .map(|(at, b)| match b {
                0x80..=0x9f => WINDOWS_1252_HIGH
                    .get(usize::from(b - 0x80))
                    .copied()
                    .flatten()
                    .ok_or_else(|| invalid(at, *b)),
                _ => Ok(char::from(*b)),
            })
            .collect(),
        SourceEncoding::Ascii => bytes
            .iter()
            .enumerate()
            .map(|(at, b)| {
                if b.is_ascii() {
                    Ok(char::from(*b))
                } else {
                    Err(invalid(at, *b))
                }
            })
            .collect(),
    }
}

/// Python source bytes as text: UTF-8, or the encoding a PEP 263 declaration names.
pub fn decode_python(bytes: &[u8]) -> Result<String, DecodeError> {
    match declared_encoding(bytes) {
        None => decode_with(bytes, SourceEncoding::Utf8, "UTF-8").map_err(|e| DecodeError {
            message: format!(
                "{} (Python reads UTF-8 unless a `# -*- coding: NAME -*-` line declares another encoding, PEP 263)",
                e.message
            ),
            ..e
        }),
        Some((name, line)) => match encoding_named(&name) {
            Some(encoding) => decode_with(bytes, encoding, &name),
            None => Err(DecodeError {
                line,
                message: format!(
                    "the declared encoding `{name}` is not one agora reads (UTF-8, Latin-1, Windows-1252, ASCII)"
                ),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_on_line_one_or_two() {
        assert_eq!(
            declared_encoding(b"# -*- coding: latin-1 -*-\nx = 1\n"),
            Some(("latin-1".into(), 1))
        );
        assert_eq!(
            declared_encoding(b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n"),
            Some(("cp1252".into(), 2))
        );
        // Line 2 counts only after a comment or blank line 1; line 3 never.
        assert_eq!(declared_encoding(b"x = 1\n# coding: latin-1\n"), None);
        assert_eq!(declared_encoding(b"#\n\n# coding: latin-1\n"), None);
    }

    #[test]
    fn names_as_python_normalises_them() {
        assert_eq!(encoding_named("Latin_1"), Some(SourceEncoding::Latin1));
        assert_eq!(
            encoding_named("iso-8859-1-foo"),
            Some(SourceEncoding::Latin1)
        );
        assert_eq!(encoding_named("UTF8"), Some(SourceEncoding::Utf8));
        assert_eq!(
            encoding_named("windows-1252"),
            Some(SourceEncoding::Windows1252)
        );
        assert_eq!(encoding_named("euc-jp"), None);
    }

    #[test]
    fn decodes_latin1_and_windows1252_keeping_lines() {
        let source = b"# -*- coding: latin-1 -*-\ndef f():\n    \"\"\"Caf\xe9.\"\"\"\n";
        let text = decode_python(source).expect("latin-1 decodes");
        assert_eq!(text.lines().nth(2), Some("    \"\"\"Café.\"\"\""));
        assert_eq!(text.lines().count(), 3);
        let text = decode_python(b"# coding: cp1252\ns = '\x93q\x94'\n").expect("cp1252");
        assert!(text.ends_with("s = '\u{201C}q\u{201D}'\n"), "{text}");
        let error = decode_python(b"# coding: cp1252\n\ns = '\x81'\n").expect_err("undefined");
        assert_eq!(error.line, 3);
        let error = decode_python(b"x = 1\ny = '\xe9'\n").expect_err("not UTF-8");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("PEP 263"), "{}", error.message);
        let error = decode_python(b"# coding: euc-jp\n").expect_err("not read");
        assert_eq!(error.line, 1);
    }
}
