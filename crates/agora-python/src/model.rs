//! The API model of one Python module: plain data, built by [`crate::parse_module`].
//!
//! A [`Module`] holds its top-level [`Definition`]s; each definition holds those defined in
//! its body (methods of a class, functions nested in a function), in source order.

use serde::Serialize;

use crate::bindings::{Binding, BodyBindings};

/// One parsed Python module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Module {
    /// The module's own name: the file name without `.py` (not the dotted package path).
    pub name: String,
    /// The module docstring, if the first statement is a string literal.
    pub docstring: Option<Docstring>,
    /// Classes and functions defined at any depth of the module body (outside other
    /// definitions), in source order.
    pub definitions: Vec<Definition>,
    /// The names in a literal `__all__` (assigned, `+=`-extended or `.extend`-ed with lists or
    /// tuples of strings); `None` when the module does not define one.
    pub all: Option<Vec<String>>,
    /// Every comment of the file, in order.
    pub comments: Vec<LineComment>,
    /// Lines on which a `def` or `class` keyword stands, in order (for comment attribution).
    pub declaration_lines: Vec<u32>,
    /// Imports, assignments, `__all__` folds and `add_newdoc` calls of the module body.
    pub bindings: BodyBindings,
}

/// A docstring: the string's value (escapes processed, not dedented) and where it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Docstring {
    /// The value of the string literal, as `ast.get_docstring(node, clean=False)` gives it.
    pub text: String,
    /// The 1-based line of the opening quotes.
    pub line: u32,
}

/// A comment and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineComment {
    /// The 1-based line.
    pub line: u32,
    /// The comment text, `#` included.
    pub text: String,
}

/// What kind of definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DefinitionKind {
    /// `class`.
    Class,
    /// `def` or `async def`, at module level, in a class (a method) or nested.
    Function,
}

/// A class or a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    /// Class or function.
    pub kind: DefinitionKind,
    /// The name after `def`/`class`.
    pub name: String,
    /// The 1-based line of the `def`/`class` keyword.
    pub line: u32,
    /// The last line of the definition.
    pub end_line: u32,
    /// `async def`.
    pub is_async: bool,
    /// The decorators' source text without the `@` (e.g. `property`, `x.setter`,
    /// `functools.wraps(f)`).
    pub decorators: Vec<String>,
    /// The parameters, in order (for a class: empty; see its `__init__`).
    pub parameters: Vec<Parameter>,
    /// The return annotation's source text.
    pub returns_annotation: Option<String>,
    /// Base classes and keywords of a class, as source text.
    pub bases: Vec<String>,
    /// The docstring.
    pub docstring: Option<Docstring>,
    /// A `return` with a value other than `None` somewhere in the body, outside nested
    /// functions (`async` nested functions are looked into, as numpydoc does).
    pub returns_value: bool,
    /// A `yield` or `yield from` anywhere in the body, outside nested definitions and lambdas.
    pub yields: bool,
    /// A bare `yield …` statement directly in the body (numpydoc's test for a generator).
    pub yields_at_top_level: bool,
    /// Whether this definition is a statement of its parent's body itself (not inside an `if`,
    /// `try`, … of that body).
    pub direct_child: bool,
    /// Definitions in the body, in source order.
    pub children: Vec<Definition>,
    /// Names assigned in a class body (class attributes), in source order; empty for functions.
    pub attributes: Vec<Binding>,
}

impl Definition {
    /// Whether a decorator with this name (or ending in `.name`) is applied.
    pub fn has_decorator(&self, name: &str) -> bool {
        self.decorators.iter().any(|decorator| {
            let head = decorator.split('(').next().unwrap_or_default();
            head == name || head.ends_with(&format!(".{name}"))
        })
    }

    /// The class's `__init__` as numpydoc finds it: the last plain `def __init__` directly in
    /// the class body.
    pub fn init_method(&self) -> Option<&Definition> {
        self.children.iter().rev().find(|child| {
            child.direct_child
                && child.kind == DefinitionKind::Function
                && !child.is_async
                && child.name == "__init__"
        })
    }
}

/// How a parameter is passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterKind {
    /// Before `/`.
    PositionalOnly,
    /// A plain parameter.
    PositionalOrKeyword,
    /// `*args`.
    VarPositional,
    /// After `*` or `*args`.
    KeywordOnly,
    /// `**kwargs`.
    VarKeyword,
}

/// One parameter of a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    /// The name, without stars.
    pub name: String,
    /// How it is passed.
    pub kind: ParameterKind,
    /// The default's source text.
    pub default: Option<String>,
    /// The annotation's source text.
    pub annotation: Option<String>,
}

impl Parameter {
    /// The name as numpydoc writes it in a signature: `*args`, `**kwargs`, or the plain name.
    pub fn starred_name(&self) -> String {
        match self.kind {
            ParameterKind::VarPositional => format!("*{}", self.name),
            ParameterKind::VarKeyword => format!("**{}", self.name),
            _ => self.name.clone(),
        }
    }
}
