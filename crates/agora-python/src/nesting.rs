//! A bound on how deeply a module nests, read from its tokens before it is parsed.
//!
//! `ruff_python_parser` grows its own stack while it parses, but the tree it returns is
//! walked and dropped by plain recursion, one frame or more per level: a 40,000-term
//! `a+a+…`, `a.b.b…` or `- - - a` overflowed the thread's stack and aborted the whole
//! process, every other file's findings with it. So the tokens are scanned first (the
//! lexer keeps its state in vectors, never on the call stack) and a module that nests beyond
//! what CPython itself accepts is refused with a syntax error naming the line, before any
//! tree exists. What passes is parsed, walked and dropped on a stack of
//! [`STACK_BYTES`], measured to hold the deepest module the limits admit.
//!
//! The three limits are CPython's own, so no file Python can import is refused:
//! - indentation: [`MAX_INDENTATION`] levels (CPython's tokenizer: "too many levels of
//!   indentation" at the 101st);
//! - brackets: [`MAX_BRACKETS`] open at once (CPython: "too many nested parentheses" at the
//!   201st), f-strings counted as brackets;
//! - expressions: [`MAX_EXPRESSION_NESTING`]. Within one statement, every token that can put
//!   a node under another (an operator, `.`, `not`, `lambda`, `await`, `yield`, `if`/`else`,
//!   `for`/`in`, an opening bracket, …) counts one level; a `,`, `;`, `=` or augmented
//!   assignment starts a sibling, so it resets the count of its bracket level (not between
//!   `lambda` and its `:`, where commas separate parameters), and a closing bracket drops the
//!   levels counted inside. The sum over the open brackets bounds the depth of the tree from
//!   above, whatever the precedences. It overestimates long sums of products: the deepest
//!   real module found (sympy's generated `resolvent_lookup.py`, 12,584 files of the standard
//!   library, sympy, setuptools, pip, scipy's tools…) counts 4,571 while its tree is 569
//!   deep. Hence a limit well above CPython's (3.11's `ast.parse` stops near 2,990 levels of
//!   tree), and a stack measured for it.

use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{Mode, lexer};

/// The most indentation levels a module may have (CPython's limit).
pub const MAX_INDENTATION: usize = 100;

/// The most brackets (and f-strings) open at once (CPython's limit).
pub const MAX_BRACKETS: usize = 200;

/// The most levels one expression may nest, as counted from its tokens (an upper bound on
/// the depth of its tree).
pub const MAX_EXPRESSION_NESTING: usize = 20_000;

/// The stack that parsing, walking and dropping any module within the limits needs.
///
/// Measured by `cargo test -p agora-python --test nesting -- --ignored --nocapture`, which
/// finds the smallest stack each of the deepest admitted modules needs (to 16 KiB), in a
/// debug build (the larger frames): 20,000-level chains of `+`, `**`, attributes, calls,
/// subscripts, unary minus, `not` and `lambda` take 959 KiB (dropping the tree, about 48
/// bytes a level); 100 nested functions 175 KiB; 200 brackets 31 KiB; but a 20,000-term sum
/// inside the deepest function takes 22,053 KiB, because the generator check walks every
/// expression of a body (about 1.1 KiB a level). 64 MiB is three times that, and costs only
/// the pages a module touches: the stack is reserved, not committed.
pub const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Which limit a module went beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excess {
    /// More than [`MAX_INDENTATION`] levels of indentation.
    Indentation,
    /// More than [`MAX_BRACKETS`] brackets open at once.
    Brackets,
    /// An expression nested more than [`MAX_EXPRESSION_NESTING`] levels.
    Expression,
}

impl Excess {
    /// What to tell the user.
    pub(crate) fn message(self) -> String {
        match self {
            Excess::Indentation => {
                format!("too many levels of indentation (more than {MAX_INDENTATION})")
            }
            Excess::Brackets => {
                format!("too many nested parentheses (more than {MAX_BRACKETS} open)")
            }
            Excess::Expression => {
                format!("expression nested too deeply (more than {MAX_EXPRESSION_NESTING} levels)")
            }
        }
    }
}

/// Whether a token starts a sibling of what came before it at its bracket level.
fn starts_sibling(kind: TokenKind) -> bool {
    use TokenKind as T;
    matches!(
        kind,
        T::Comma
            | T::Semi
            | T::Equal
            | T::PlusEqual
            | T::MinusEqual
            | T::StarEqual
            | T::SlashEqual
            | T::PercentEqual
            | T::AmperEqual
            | T::VbarEqual
            | T::CircumflexEqual
            | T::LeftShiftEqual
            | T::RightShiftEqual
            | T::DoubleStarEqual
            | T::DoubleSlashEqual
            | T::AtEqual
    )
}

/// Whether a token can put an expression node under another.
fn nests(kind: TokenKind) -> bool {
    use TokenKind as T;
    matches!(
        kind,
        T::Plus
            | T::Minus
            | T::Star
            | T::DoubleStar
            | T::Slash
            | T::DoubleSlash
            | T::Percent
            | T::At
            | T::Tilde
            | T::Amper
            | T::Vbar
            | T::CircumFlex
            | T::LeftShift
            | T::RightShift
            | T::Less
            | T::Greater
            | T::LessEqual
            | T::GreaterEqual
            | T::EqEqual
            | T::NotEqual
            | T::Dot
            | T::ColonEqual
            | T::Not
            | T::And
            | T::Or
            | T::If
            | T::Else
            | T::For
            | T::In
            | T::Is
            | T::Await
            | T::Yield
            | T::Async
    )
}

fn opens(kind: TokenKind) -> bool {
    use TokenKind as T;
    matches!(
        kind,
        T::Lpar | T::Lsqb | T::Lbrace | T::FStringStart | T::TStringStart
    )
}

fn closes(kind: TokenKind) -> bool {
    use TokenKind as T;
    matches!(
        kind,
        T::Rpar | T::Rsqb | T::Rbrace | T::FStringEnd | T::TStringEnd
    )
}

/// The first limit `text` goes beyond, if any.
pub(crate) fn excess(text: &str) -> Option<Excess> {
    let mut lexer = lexer::lex(text, Mode::Module);
    let mut indentation = 0usize;
    // The level count of the current sibling at each open bracket; [0] is the statement.
    let mut levels: Vec<usize> = vec![0];
    // At each open bracket, the `lambda`s whose parameters are still being read.
    let mut lambdas: Vec<usize> = vec![0];
    let mut total = 0usize;
    loop {
        let kind = lexer.next_token();
        match kind {
            TokenKind::EndOfFile => return None,
            TokenKind::Indent => {
                indentation += 1;
                if indentation > MAX_INDENTATION {
                    return Some(Excess::Indentation);
                }
            }
            TokenKind::Dedent => indentation = indentation.saturating_sub(1),
            TokenKind::Newline => {
                levels.clear();
                levels.push(0);
                lambdas.clear();
                lambdas.push(0);
                total = 0;
            }
            TokenKind::Lambda => {
                if let Some(last) = levels.last_mut() {
                    *last += 1;
                }
                if let Some(open) = lambdas.last_mut() {
                    *open += 1;
                }
                total += 1;
            }
            TokenKind::Colon => {
                if let Some(open) = lambdas.last_mut() {
                    *open = open.saturating_sub(1);
                }
            }
            kind if opens(kind) => {
                if let Some(last) = levels.last_mut() {
                    *last += 1;
                }
                total += 1;
                levels.push(0);
                lambdas.push(0);
                if levels.len() - 1 > MAX_BRACKETS {
                    return Some(Excess::Brackets);
                }
            }
            kind if closes(kind) && levels.len() > 1 => {
                total -= levels.pop().unwrap_or(0);
                lambdas.pop();
            }
            // An unbalanced closer: the parser will report it.
            kind if closes(kind) => {}
            kind if starts_sibling(kind) && lambdas.last().is_none_or(|open| *open == 0) => {
                if let Some(last) = levels.last_mut() {
                    total -= *last;
                    *last = 0;
                }
            }
            kind if nests(kind) => {
                if let Some(last) = levels.last_mut() {
                    *last += 1;
                }
                total += 1;
            }
            _ => {}
        }
        if total + levels.len() > MAX_EXPRESSION_NESTING {
            return Some(Excess::Expression);
        }
    }
}

/// The 1-based line where `text` first goes beyond a limit, given the offsets where its
/// lines start: the shortest run of whole lines that already does. A hostile file is
/// lexed about twenty more times; a normal one never comes here.
pub(crate) fn first_line_beyond(text: &str, line_starts: &[u32]) -> u32 {
    // Find the fewest lines whose text goes beyond a limit; `excess(text)` says all do.
    let prefix = |lines: usize| -> &str {
        let end = line_starts
            .get(lines)
            .map_or(text.len(), |start| *start as usize);
        text.get(..end).unwrap_or(text)
    };
    let (mut low, mut high) = (1usize, line_starts.len());
    while low < high {
        let middle = low + (high - low) / 2;
        if excess(prefix(middle)).is_some() {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    u32::try_from(low).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_code_is_far_from_the_limits() {
        let source = "class A:\n    def f(self, x=(1, [2, {3: 4}])):\n        return -x.y.z + f'{x!r:>{w}}' if not x else lambda: [a for a in b]\n";
        assert_eq!(excess(source), None);
    }

    #[test]
    fn each_limit_is_refused_one_past_it() {
        let sum = |n: usize| format!("x = {}\n", vec!["a"; n].join("+"));
        assert_eq!(excess(&sum(MAX_EXPRESSION_NESTING - 10)), None);
        assert_eq!(
            excess(&sum(MAX_EXPRESSION_NESTING + 1)),
            Some(Excess::Expression)
        );
        let parens = |n: usize| format!("x = {}a{}\n", "(".repeat(n), ")".repeat(n));
        assert_eq!(excess(&parens(MAX_BRACKETS)), None);
        assert_eq!(excess(&parens(MAX_BRACKETS + 1)), Some(Excess::Brackets));
        let ifs = |n: usize| {
            let mut text = String::new();
            for level in 0..n {
                text.push_str(&format!("{}if x:\n", " ".repeat(level)));
            }
            text.push_str(&format!("{}pass\n", " ".repeat(n)));
            text
        };
        assert_eq!(excess(&ifs(MAX_INDENTATION)), None);
        assert_eq!(excess(&ifs(MAX_INDENTATION + 1)), Some(Excess::Indentation));
    }

    #[test]
    fn siblings_do_not_add_up() {
        // 10,000 elements of a list and 10,000 statements are wide, not deep.
        let wide = format!("x = [{}]\n", vec!["-a.b"; 10_000].join(", "));
        assert_eq!(excess(&wide), None);
        let long = "x = -a.b + c\n".repeat(10_000);
        assert_eq!(excess(&long), None);
    }

    #[test]
    fn lambda_parameters_are_not_siblings() {
        // Each lambda is the body of the one before: commas between parameters must not
        // reset the count.
        let chain = format!(
            "f = {}x\n",
            "lambda a, b=1: ".repeat(MAX_EXPRESSION_NESTING)
        );
        assert_eq!(excess(&chain), Some(Excess::Expression));
        let siblings = format!("f = [{}]\n", vec!["lambda a, b: a"; 10_000].join(", "));
        assert_eq!(excess(&siblings), None);
    }

    #[test]
    fn the_line_is_where_the_limit_is_passed() {
        let text = format!(
            "x = 1\ny = 2\nz = {}\nw = 3\n",
            "- ".repeat(MAX_EXPRESSION_NESTING + 5) + "a"
        );
        let mut starts = vec![0u32];
        for (index, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                starts.push(u32::try_from(index + 1).unwrap_or(u32::MAX));
            }
        }
        assert_eq!(first_line_beyond(&text, &starts), 3);
    }
}
