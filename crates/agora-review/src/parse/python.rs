//! Just enough of Python to answer the noxfile checks, without a full parser.
//!
//! The text is tokenized (names, numbers, strings with any prefix and triple quotes,
//! operators, comments dropped, bracket depth tracked, backslash continuations joined) into
//! logical lines, then split at top-level `;`. Only statements that start at column 0 are
//! module-level statements, which is all the nox checks look at: an assignment to a dotted
//! target (`nox.options.sessions = …`) and an `if __name__ == "__main__":` block.
//!
//! Also here: the PEP 723 inline script metadata block (`# /// script` … `# ///`).

use crate::error::InputError;
use crate::value::{self, Value};

/// One token of a logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An identifier or keyword.
    Name(String),
    /// A string literal's value (prefix and quotes removed, escapes left as written).
    Str(String),
    /// A number literal as written.
    Number(String),
    /// An operator or delimiter (`=`, `==`, `.`, `:`, `(`, …).
    Op(String),
}

/// A module-level statement: its tokens, at bracket depth 0 or deeper.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// The tokens with the bracket depth each one is at.
    pub tokens: Vec<(Token, usize)>,
}

impl Statement {
    /// The assignment targets if this is a plain assignment (`a = b = value`), as token lists.
    pub fn assign_targets(&self) -> Vec<Vec<&Token>> {
        let mut parts: Vec<Vec<&Token>> = vec![Vec::new()];
        for (token, depth) in &self.tokens {
            if *depth == 0 && matches!(token, Token::Op(op) if op == "=") {
                parts.push(Vec::new());
            } else if let Some(last) = parts.last_mut() {
                last.push(token);
            }
        }
        if parts.len() < 2 {
            return Vec::new();
        }
        parts.pop();
        // An annotated assignment (`x: int = 1`) is not a plain assignment.
        if parts
            .iter()
            .any(|p| p.iter().any(|t| **t == Token::Op(":".into())))
        {
            return Vec::new();
        }
        parts
    }

    /// Whether some assignment target is exactly the dotted name `dotted` (`nox.options.x`).
    pub fn assigns_to(&self, dotted: &str) -> bool {
        let wanted: Vec<Token> = dotted
            .split('.')
            .enumerate()
            .flat_map(|(i, part)| {
                let name = Token::Name(part.to_string());
                if i == 0 {
                    vec![name]
                } else {
                    vec![Token::Op(".".into()), name]
                }
            })
            .collect();
        self.assign_targets().iter().any(|target| {
            target.len() == wanted.len() && target.iter().zip(&wanted).all(|(a, b)| *a == b)
        })
    }

    /// Whether this is `if __name__ == "__main__":`.
    pub fn is_main_guard(&self) -> bool {
        let tokens: Vec<&Token> = self.tokens.iter().map(|(t, _)| t).collect();
        matches!(
            tokens.as_slice(),
            [Token::Name(kw), Token::Name(name), Token::Op(eq), Token::Str(s), Token::Op(colon), ..]
                if kw == "if" && name == "__name__" && eq == "==" && s == "__main__" && colon == ":"
        )
    }
}

/// The parts of a noxfile that the checks need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Noxfile {
    /// The first line if it starts with `#!`, else empty.
    pub shebang: String,
    /// The parsed `# /// script` block, or an empty mapping.
    pub script: Value,
    /// The module-level statements.
    pub statements: Vec<Statement>,
}

impl Noxfile {
    /// Reads a noxfile's text; `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Self, InputError> {
        let shebang = if text.starts_with("#!") {
            text.lines().next().unwrap_or_default().trim().to_string()
        } else {
            String::new()
        };
        let script = script_block(text, file)?;
        let statements = module_statements(text, file)?;
        Ok(Self {
            shebang,
            script,
            statements,
        })
    }
}

/// Parses the single PEP 723 `# /// script` block; an empty mapping when there is none.
pub fn script_block(text: &str, file: &str) -> Result<Value, InputError> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut found: Option<(usize, String)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let kind = line
            .strip_prefix("# /// ")
            .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        let Some(kind) = kind else {
            i += 1;
            continue;
        };
        // The run of comment lines after the header; the block ends at its last `# ///`
        // (each line, the closing one included, must be followed by a newline or the end).
        let mut j = i + 1;
        let mut close = None;
        while j < lines.len() && (lines[j] == "#" || lines[j].starts_with("# ")) {
            let has_newline = j + 1 < lines.len();
            if lines[j] == "# ///" && j > i + 1 {
                close = Some(j);
            }
            if !has_newline {
                break;
            }
            j += 1;
        }
        let Some(close) = close else {
            i += 1;
            continue;
        };
        if kind == "script" {
            if found.is_some() {
                return Err(InputError::new(
                    file,
                    Some(i + 1),
                    "multiple `# /// script` blocks found",
                ));
            }
            let content: String = lines[i + 1..close]
                .iter()
                .map(|l| {
                    let stripped = l.strip_prefix("# ").or_else(|| l.strip_prefix('#'));
                    format!("{}\n", stripped.unwrap_or(l))
                })
                .collect();
            found = Some((i + 1, content));
        }
        i = close + 1;
    }
    let Some((line, content)) = found else {
        return Ok(Value::Object(Default::default()));
    };
    match toml::from_str::<toml::Value>(&content) {
        Ok(v) => Ok(value::from_toml(v)),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            Err(InputError::new(
                file,
                Some(line + crate::error::line_of(&content, offset)),
                format!(
                    "invalid TOML in the script block: {}",
                    crate::repo::one_line(e.message())
                ),
            ))
        }
    }
}

/// Splits the module into its module-level (column 0) statements.
pub fn module_statements(text: &str, file: &str) -> Result<Vec<Statement>, InputError> {
    let mut lexer = Lexer::new(text);
    let mut statements = Vec::new();
    let mut current = Statement::default();
    let mut top_level = true;
    let mut at_line_start = true;
    let mut depth = 0usize;
    while let Some(event) = lexer.next_event(file)? {
        match event {
            Event::Newline => {
                if depth == 0 {
                    if top_level && !current.tokens.is_empty() {
                        statements.push(std::mem::take(&mut current));
                    }
                    current = Statement::default();
                    at_line_start = true;
                }
            }
            Event::Token(token, column) => {
                if at_line_start {
                    top_level = column == 0;
                    at_line_start = false;
                }
                if let Token::Op(op) = &token {
                    match op.as_str() {
                        "(" | "[" | "{" => {
                            current.tokens.push((token, depth));
                            depth += 1;
                            continue;
                        }
                        ")" | "]" | "}" => depth = depth.saturating_sub(1),
                        ";" if depth == 0 => {
                            if top_level && !current.tokens.is_empty() {
                                statements.push(std::mem::take(&mut current));
                            }
                            continue;
                        }
                        _ => {}
                    }
                }
                current.tokens.push((token, depth));
            }
        }
    }
    if top_level && !current.tokens.is_empty() {
        statements.push(current);
    }
    Ok(statements)
}

enum Event {
    Token(Token, usize),
    Newline,
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    column: usize,
    line: usize,
    _text: &'a str,
}

const THREE_CHAR_OPS: &[&str] = &["**=", "//=", ">>=", "<<=", "..."];
const TWO_CHAR_OPS: &[&str] = &[
    "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "->", ":=", "**",
    "//", "<<", ">>",
];

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().collect(),
            pos: 0,
            column: 0,
            line: 1,
            _text: text,
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn next_event(&mut self, file: &str) -> Result<Option<Event>, InputError> {
        loop {
            let Some(c) = self.peek(0) else {
                return Ok(None);
            };
            match c {
                '\n' => {
                    self.bump();
                    return Ok(Some(Event::Newline));
                }
                ' ' | '\t' | '\r' | '\x0c' => {
                    self.bump();
                }
                '\\' if self.peek(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        let column = self.column;
        let Some(c) = self.peek(0) else {
            return Ok(None);
        };
        if c == '"' || c == '\'' {
            return self.string(file, column).map(Some);
        }
        if c.is_alphabetic() || c == '_' {
            let mut name = String::new();
            while let Some(c) = self.peek(0).filter(|c| c.is_alphanumeric() || *c == '_') {
                name.push(c);
                self.bump();
            }
            let is_prefix = name.len() <= 2
                && name
                    .chars()
                    .all(|c| matches!(c.to_ascii_lowercase(), 'r' | 'b' | 'f' | 'u' | 't'));
            if is_prefix && matches!(self.peek(0), Some('"' | '\'')) {
                return self.string(file, column).map(Some);
            }
            return Ok(Some(Event::Token(Token::Name(name), column)));
        }
        if c.is_ascii_digit() || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) {
            let mut number = String::new();
            while let Some(c) = self
                .peek(0)
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
            {
                number.push(c);
                self.bump();
            }
            return Ok(Some(Event::Token(Token::Number(number), column)));
        }
        for ops in [THREE_CHAR_OPS, TWO_CHAR_OPS] {
            for op in ops {
                let len = op.chars().count();
                let candidate: String = self.chars
                    [self.pos..(self.pos + len).min(self.chars.len())]
                    .iter()
                    .collect();
                if candidate == *op {
                    for _ in 0..len {
                        self.bump();
                    }
                    return Ok(Some(Event::Token(Token::Op(candidate), column)));
                }
            }
        }
        self.bump();
        Ok(Some(Event::Token(Token::Op(c.to_string()), column)))
    }

    fn string(&mut self, file: &str, column: usize) -> Result<Event, InputError> {
        let start_line = self.line;
        let Some(quote) = self.bump() else {
            return Err(InputError::new(
                file,
                Some(start_line),
                "unexpected end of file",
            ));
        };
        let triple = self.peek(0) == Some(quote) && self.peek(1) == Some(quote);
        if triple {
            self.bump();
            self.bump();
        }
        let mut value = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(InputError::new(
                    file,
                    Some(start_line),
                    "unterminated string literal",
                ));
            };
            if c == '\\' {
                value.push(c);
                if let Some(next) = self.bump() {
                    value.push(next);
                }
                continue;
            }
            if c == quote {
                if !triple {
                    break;
                }
                if self.peek(0) == Some(quote) && self.peek(1) == Some(quote) {
                    self.bump();
                    self.bump();
                    break;
                }
            }
            if c == '\n' && !triple {
                return Err(InputError::new(
                    file,
                    Some(start_line),
                    "unterminated string literal",
                ));
            }
            value.push(c);
        }
        Ok(Event::Token(Token::Str(value), column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOXFILE: &str = r#"#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox"]
# ///
"""Docs with nox.options.sessions = ["x"] inside."""
import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
x = {
    "a": 1,
}; y = 2


@nox.session
def tests(session: nox.Session) -> None:
    nox.options.sessions = ["bad"]


if __name__ == "__main__":
    nox.main()
"#;

    #[test]
    fn finds_module_level_statements() {
        let nox = Noxfile::parse(NOXFILE, "noxfile.py").expect("valid");
        assert_eq!(nox.shebang, "#!/usr/bin/env -S uv run --script");
        assert!(value::get(&nox.script, &["dependencies"]).is_some());
        let s = &nox.statements;
        assert!(s.iter().any(|s| s.assigns_to("nox.needs_version")));
        assert!(
            s.iter()
                .any(|s| s.assigns_to("nox.options.default_venv_backend"))
        );
        assert!(!s.iter().any(|s| s.assigns_to("nox.options.sessions")));
        assert!(s.iter().any(|s| s.assigns_to("y")));
        assert!(s.iter().any(Statement::is_main_guard));
    }

    #[test]
    fn annotated_and_compared_are_not_assignments() {
        let s = module_statements("a: int = 1\nb == 2\nc += 1\n", "f.py").expect("valid");
        assert!(!s.iter().any(|s| s.assigns_to("a")));
        assert!(!s.iter().any(|s| s.assigns_to("b")));
        assert!(!s.iter().any(|s| s.assigns_to("c")));
    }

    #[test]
    fn script_blocks() {
        let two = "# /// script\n# a = 1\n# ///\n# /// script\n# b = 1\n# ///\n";
        assert!(script_block(two, "noxfile.py").is_err());
        let none = script_block("# /// script\n# ///\n", "noxfile.py").expect("no block");
        assert_eq!(none, Value::Object(Default::default()));
        let bad =
            script_block("x\n# /// script\n# a = \n# ///\n", "noxfile.py").expect_err("bad toml");
        assert_eq!(bad.line, Some(3));
        let unterminated = module_statements("x = '''abc\n", "f.py").expect_err("open string");
        assert_eq!(unterminated.line, Some(1));
    }
}
