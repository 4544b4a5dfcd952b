//! Python source → an API model: the module, its classes, functions and methods (nested ones
//! too), their signatures, decorators, docstrings and the lines they start on.
//!
//! The source is parsed once with `ruff_python_parser` (Python 3.8–3.14 syntax). The model is
//! built by walking every statement, compound ones included (`if`, `try`, `with`, `for`,
//! `match`…), so a definition inside an `if TYPE_CHECKING:` block is found as Python's
//! `ast.NodeVisitor` would find it. Line numbers are 1-based and counted as Python counts them
//! (`\n`, `\r\n` and a lone `\r` each end a line). A definition's line is the line of its `def`
//! or `class` keyword (not of its first decorator), as `ast` reports `lineno`. The comments of
//! the file are kept with their lines, for tools that honour inline directives.
//!
//! A module nested deeper than CPython accepts (indentation, brackets, expressions; see
//! [`nesting`]) is refused as a syntax error before it is parsed, so a hostile file cannot
//! overflow the stack.

pub mod bindings;
mod model;
pub mod nesting;
mod parse;
mod source_file;

pub use bindings::{Binding, BindingKind, BodyBindings, NewDoc, StaticValue};
pub use model::{
    Definition, DefinitionKind, Docstring, LineComment, Module, Parameter, ParameterKind,
};
pub use nesting::STACK_BYTES;
pub use parse::{SyntaxError, parse_module, parse_module_on_this_stack};
pub use source_file::{MAX_SOURCE_BYTES, ReadError, read_source};
