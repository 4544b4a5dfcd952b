//! Building the [`Module`] model from source text.
//!
//! The text is first given universal newlines (as Python's `open()` reads it: `\r\n` and `\r`
//! become `\n`, a UTF-8 byte-order mark is dropped), so string values and line numbers are what
//! `ast.parse(open(path).read())` sees. Then one parse, one walk over the statements for the
//! definitions, and one pass over the tokens for comments and `def`/`class` keywords.

use std::borrow::Cow;

use ruff_python_ast::statement_visitor::{self, StatementVisitor};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::bindings;
use crate::model::{
    Definition, DefinitionKind, Docstring, LineComment, Module, Parameter, ParameterKind,
};
use crate::nesting::{self, STACK_BYTES};

/// Python source that does not parse: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("syntax error at line {line}, column {column}: {message}")]
pub struct SyntaxError {
    /// The 1-based line.
    pub line: u32,
    /// The 1-based column (in characters).
    pub column: u32,
    /// The parser's message.
    pub message: String,
}

/// Offsets → 1-based lines, for text whose only line break is `\n`.
struct Lines {
    starts: Vec<u32>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        for (index, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                starts.push(u32::try_from(index + 1).unwrap_or(u32::MAX));
            }
        }
        Lines { starts }
    }

    fn line(&self, offset: TextSize) -> u32 {
        let offset = u32::from(offset);
        let index = self.starts.partition_point(|start| *start <= offset);
        u32::try_from(index).unwrap_or(u32::MAX).max(1)
    }

    fn column(&self, text: &str, offset: TextSize) -> u32 {
        let line = self.line(offset) as usize;
        let start = self.starts.get(line - 1).copied().unwrap_or(0) as usize;
        let end = (u32::from(offset) as usize).min(text.len());
        let chars = text.get(start..end).map_or(0, |s| s.chars().count());
        u32::try_from(chars + 1).unwrap_or(u32::MAX)
    }
}

/// Gives `source` universal newlines and drops a byte-order mark.
fn normalize(source: &str) -> Cow<'_, str> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if source.contains('\r') {
        Cow::Owned(source.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(source)
    }
}

/// Parses Python source into the module model; `name` is the module's own name (the file
/// stem).
///
/// A module nested beyond CPython's limits (see [`crate::nesting`]) is a [`SyntaxError`] at
/// the line where it goes beyond them. The work runs on a stack of at least
/// [`STACK_BYTES`]: the caller's, when it has that much left, else a new one.
pub fn parse_module(name: &str, source: &str) -> Result<Module, SyntaxError> {
    stacker::maybe_grow(STACK_BYTES, STACK_BYTES, || {
        parse_module_on_this_stack(name, source)
    })
}

/// [`parse_module`] on the current stack, whatever is left of it: for measuring the stack a
/// module needs (`tests/nesting.rs`).
#[doc(hidden)]
pub fn parse_module_on_this_stack(name: &str, source: &str) -> Result<Module, SyntaxError> {
    let text = normalize(source);
    let text: &str = &text;
    let lines = Lines::new(text);
    if let Some(excess) = nesting::excess(text) {
        return Err(SyntaxError {
            line: nesting::first_line_beyond(text, &lines.starts),
            column: 1,
            message: excess.message(),
        });
    }
    let parsed = ruff_python_parser::parse_module(text).map_err(|error| SyntaxError {
        line: lines.line(error.location.start()),
        column: lines.column(text, error.location.start()),
        message: error.error.to_string(),
    })?;
    let mut comments = Vec::new();
    let mut declaration_lines = Vec::new();
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Comment => comments.push(LineComment {
                line: lines.line(token.start()),
                text: text[token.range()].to_string(),
            }),
            TokenKind::Def | TokenKind::Class => declaration_lines.push(lines.line(token.start())),
            _ => {}
        }
    }
    let body = &parsed.syntax().body;
    let builder = Builder {
        text,
        lines: &lines,
    };
    Ok(Module {
        name: name.to_string(),
        docstring: builder.docstring(body),
        definitions: builder.definitions(body),
        all: dunder_all(body),
        comments,
        declaration_lines,
        bindings: bindings::collect(body, text, &|offset| lines.line(offset)),
    })
}

/// Turns statements into definitions, with the text and line table at hand.
struct Builder<'a> {
    text: &'a str,
    lines: &'a Lines,
}

impl Builder<'_> {
    fn source(&self, node: &impl Ranged) -> String {
        self.text[node.range()].to_string()
    }

    fn docstring(&self, body: &[Stmt]) -> Option<Docstring> {
        let Some(Stmt::Expr(ast::StmtExpr { value, .. })) = body.first() else {
            return None;
        };
        let Expr::StringLiteral(literal) = value.as_ref() else {
            return None;
        };
        Some(Docstring {
            text: literal.value.to_str().to_string(),
            line: self.lines.line(literal.start()),
        })
    }

    fn definitions(&self, body: &[Stmt]) -> Vec<Definition> {
        let mut collector = Collector {
            builder: self,
            found: Vec::new(),
            direct: true,
        };
        collector.visit_body(body);
        collector.found
    }

    fn function(&self, function: &ast::StmtFunctionDef, direct_child: bool) -> Definition {
        let mut returns = ReturnFinder { found: false };
        returns.visit_body(&function.body);
        let mut yields = YieldFinder { found: false };
        for stmt in &function.body {
            yields.visit_stmt(stmt);
        }
        let yields_at_top_level = function.body.iter().any(
            |stmt| matches!(stmt, Stmt::Expr(ast::StmtExpr { value, .. }) if value.is_yield_expr()),
        );
        Definition {
            kind: DefinitionKind::Function,
            name: function.name.id.to_string(),
            line: self.lines.line(function.name.start()),
            end_line: self.lines.line(function.end()),
            is_async: function.is_async,
            decorators: function
                .decorator_list
                .iter()
                .map(|decorator| self.source(&decorator.expression))
                .collect(),
            parameters: self.parameters(&function.parameters),
            returns_annotation: function.returns.as_deref().map(|e| self.source(e)),
            bases: Vec::new(),
            docstring: self.docstring(&function.body),
            returns_value: returns.found,
            yields: yields.found,
            yields_at_top_level,
            direct_child,
            children: self.definitions(&function.body),
            attributes: Vec::new(),
        }
    }

    fn class(&self, class: &ast::StmtClassDef, direct_child: bool) -> Definition {
        Definition {
            kind: DefinitionKind::Class,
            name: class.name.id.to_string(),
            line: self.lines.line(class.name.start()),
            end_line: self.lines.line(class.end()),
            is_async: false,
            decorators: class
                .decorator_list
                .iter()
                .map(|decorator| self.source(&decorator.expression))
                .collect(),
            parameters: Vec::new(),
            returns_annotation: None,
            bases: class
                .arguments
                .as_deref()
                .map(|arguments| {
                    arguments
                        .args
                        .iter()
                        .map(|arg| self.source(arg))
                        .chain(arguments.keywords.iter().map(|kw| self.source(kw)))
                        .collect()
                })
                .unwrap_or_default(),
            docstring: self.docstring(&class.body),
            returns_value: false,
            yields: false,
            yields_at_top_level: false,
            direct_child,
            children: self.definitions(&class.body),
            attributes: bindings::collect(&class.body, self.text, &|offset| {
                self.lines.line(offset)
            })
            .bindings
            .into_iter()
            .filter(|binding| matches!(binding.kind, bindings::BindingKind::Assign { .. }))
            .collect(),
        }
    }

    fn parameters(&self, parameters: &ast::Parameters) -> Vec<Parameter> {
        let mut out = Vec::new();
        let mut push = |p: &ast::ParameterWithDefault, kind| {
            out.push(Parameter {
                name: p.parameter.name.id.to_string(),
                kind,
                default: p.default.as_deref().map(|e| self.source(e)),
                annotation: p.parameter.annotation.as_deref().map(|e| self.source(e)),
            });
        };
        for p in &parameters.posonlyargs {
            push(p, ParameterKind::PositionalOnly);
        }
        for p in &parameters.args {
            push(p, ParameterKind::PositionalOrKeyword);
        }
        let star = |p: &ast::Parameter, kind| Parameter {
            name: p.name.id.to_string(),
            kind,
            default: None,
            annotation: p.annotation.as_deref().map(|e| self.source(e)),
        };
        let vararg = parameters
            .vararg
            .as_deref()
            .map(|p| star(p, ParameterKind::VarPositional));
        let kwonly: Vec<Parameter> = parameters
            .kwonlyargs
            .iter()
            .map(|p| Parameter {
                name: p.parameter.name.id.to_string(),
                kind: ParameterKind::KeywordOnly,
                default: p.default.as_deref().map(|e| self.source(e)),
                annotation: p.parameter.annotation.as_deref().map(|e| self.source(e)),
            })
            .collect();
        let kwarg = parameters
            .kwarg
            .as_deref()
            .map(|p| star(p, ParameterKind::VarKeyword));
        out.extend(vararg);
        out.extend(kwonly);
        out.extend(kwarg);
        out
    }
}

/// Collects the definitions of one body, descending into compound statements.
struct Collector<'b, 'a> {
    builder: &'b Builder<'a>,
    found: Vec<Definition>,
    direct: bool,
}

impl<'s> StatementVisitor<'s> for Collector<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => {
                let definition = self.builder.function(function, self.direct);
                self.found.push(definition);
            }
            Stmt::ClassDef(class) => {
                let definition = self.builder.class(class, self.direct);
                self.found.push(definition);
            }
            _ => {
                let direct = std::mem::replace(&mut self.direct, false);
                statement_visitor::walk_stmt(self, stmt);
                self.direct = direct;
            }
        }
    }
}

/// Finds a `return` with a value other than `None`, skipping nested plain functions.
struct ReturnFinder {
    found: bool,
}

impl<'s> StatementVisitor<'s> for ReturnFinder {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        if self.found {
            return;
        }
        match stmt {
            Stmt::Return(ast::StmtReturn { value, .. }) => {
                if value.as_deref().is_some_and(|v| !v.is_none_literal_expr()) {
                    self.found = true;
                }
            }
            Stmt::FunctionDef(function) if !function.is_async => {}
            _ => statement_visitor::walk_stmt(self, stmt),
        }
    }
}

/// Finds a `yield`/`yield from` outside nested definitions and lambdas.
struct YieldFinder {
    found: bool,
}

impl<'s> Visitor<'s> for YieldFinder {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        if self.found || matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'s Expr) {
        match expr {
            Expr::Yield(_) | Expr::YieldFrom(_) => self.found = true,
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The strings of a list or tuple literal.
fn string_items(expr: &Expr) -> Option<Vec<String>> {
    let elements = match expr {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        _ => return None,
    };
    elements
        .iter()
        .map(|element| match element {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        })
        .collect()
}

fn is_dunder_all(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(name) if name.id.as_str() == "__all__")
}

/// `__all__` from the module's top-level statements.
fn dunder_all(body: &[Stmt]) -> Option<Vec<String>> {
    let mut all: Option<Vec<String>> = None;
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) if assign.targets.iter().any(is_dunder_all) => {
                all = Some(string_items(&assign.value).unwrap_or_default());
            }
            Stmt::AnnAssign(assign) if is_dunder_all(&assign.target) => {
                if let Some(value) = &assign.value {
                    all = Some(string_items(value).unwrap_or_default());
                }
            }
            Stmt::AugAssign(assign) if is_dunder_all(&assign.target) => {
                if let Some(items) = string_items(&assign.value) {
                    all.get_or_insert_with(Vec::new).extend(items);
                }
            }
            Stmt::Expr(ast::StmtExpr { value, .. }) => {
                if let Expr::Call(call) = value.as_ref()
                    && let Expr::Attribute(attribute) = call.func.as_ref()
                    && is_dunder_all(&attribute.value)
                    && attribute.attr.id.as_str() == "extend"
                    && let Some(items) = call.arguments.args.first().and_then(string_items)
                {
                    all.get_or_insert_with(Vec::new).extend(items);
                }
            }
            _ => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(source: &str) -> Module {
        match parse_module("m", source) {
            Ok(module) => module,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn definitions_lines_and_docstrings() {
        let m = module(
            "\"\"\"Module.\"\"\"\n\n@dec\n@other.thing(1)\ndef f(a, /, b=1, *args, c: int, **kw) -> int:\n    '''Doc.'''\n    def inner():\n        return 3\n    return None\n\nif True:\n    class C(Base, metaclass=M):\n        def __init__(self, x):\n            yield x\n    async def g():\n        return 1\n",
        );
        assert_eq!(m.docstring.as_ref().map(|d| d.line), Some(1));
        assert_eq!(m.definitions.len(), 3);
        let f = &m.definitions[0];
        assert_eq!((f.name.as_str(), f.line), ("f", 5));
        assert_eq!(f.decorators, ["dec", "other.thing(1)"]);
        assert!(f.has_decorator("thing"));
        let names: Vec<String> = f.parameters.iter().map(Parameter::starred_name).collect();
        assert_eq!(names, ["a", "b", "*args", "c", "**kw"]);
        assert_eq!(f.parameters[0].kind, ParameterKind::PositionalOnly);
        assert_eq!(f.parameters[1].default.as_deref(), Some("1"));
        assert_eq!(f.parameters[3].annotation.as_deref(), Some("int"));
        assert_eq!(f.returns_annotation.as_deref(), Some("int"));
        assert!(
            !f.returns_value,
            "return None and nested returns do not count"
        );
        assert_eq!(f.docstring.as_ref().map(|d| d.line), Some(6));
        assert_eq!(f.children[0].name, "inner");
        let c = &m.definitions[1];
        assert!(!c.direct_child);
        assert_eq!(c.bases, ["Base", "metaclass=M"]);
        let init = c.init_method().map(|d| d.name.as_str());
        assert_eq!(init, Some("__init__"));
        assert!(c.children[0].yields && c.children[0].yields_at_top_level);
        assert!(m.definitions[2].is_async && m.definitions[2].returns_value);
    }

    #[test]
    fn yields_nested_in_statements_are_not_top_level() {
        let m = module("def f():\n    for x in y:\n        yield x\n    z = yield from w\n");
        let f = &m.definitions[0];
        assert!(f.yields);
        assert!(!f.yields_at_top_level);
    }

    #[test]
    fn dunder_all_forms() {
        let m = module("__all__ = ['a', 'b']\n__all__ += ('c',)\n__all__.extend(['d'])\n");
        assert_eq!(
            m.all,
            Some(vec!["a".into(), "b".into(), "c".into(), "d".into()])
        );
        assert_eq!(module("x = 1").all, None);
    }

    #[test]
    fn comments_and_declarations_with_crlf() {
        let m = module("# top\r\nclass A:  # numpydoc ignore=GL08\r\n    def f(self): pass\r\n");
        assert_eq!(m.comments.len(), 2);
        assert_eq!(m.comments[1].line, 2);
        assert_eq!(m.declaration_lines, [2, 3]);
    }

    #[test]
    fn syntax_error_has_a_line() {
        let error = parse_module("m", "x = 1\ndef f(:\n").err();
        assert_eq!(error.map(|e| e.line), Some(2));
    }

    #[test]
    fn modern_syntax_parses() {
        let m = module(
            "type X = int\ndef f[T](x: T) -> T:\n    match x:\n        case 1:\n            return x\n",
        );
        assert!(m.definitions[0].returns_value);
    }
}
