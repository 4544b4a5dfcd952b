//! Errors of reading and parsing a repository's configuration files.
//!
//! A bad input never aborts a review: the [`Repo`](crate::Repo) keeps the [`InputError`] in
//! place of the parsed value, and every check that needs that input fails with the error's
//! message (file, line when known, and what went wrong) while the other checks still run.

use std::fmt;

/// A configuration file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// The file, relative to the repository root (`pyproject.toml`, `.github/workflows/ci.yml`).
    pub file: String,
    /// The 1-based line of the problem, when the parser reports one.
    pub line: Option<usize>,
    /// What went wrong and what was expected.
    pub message: String,
}

impl InputError {
    /// An error in `file` at `line` (if known).
    pub fn new(file: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "`{}` line {}: {}", self.file, line, self.message),
            None => write!(f, "`{}`: {}", self.file, self.message),
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_and_line() {
        let e = InputError::new("pyproject.toml", Some(3), "invalid TOML");
        assert_eq!(e.to_string(), "`pyproject.toml` line 3: invalid TOML");
        let e = InputError::new("noxfile.py", None, "not UTF-8");
        assert_eq!(e.to_string(), "`noxfile.py`: not UTF-8");
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 100), 1);
    }
}
