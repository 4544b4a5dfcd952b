//! numpydoc docstrings: a parser into a typed model and the validator, a drop-in for
//! numpydoc 1.11.0's `numpydoc lint` hook (same codes, same messages, same configuration).
//!
//! How it works: [`agora_python`] turns a file into its API model; [`lint::lint_module`] walks
//! it as numpydoc's hook walks Python's AST, builds for each module, class and function the
//! [`validate::Object`] the checks need, and runs [`validate::validate`], which parses the
//! docstring ([`docstring::Docstring`]) and applies numpydoc's checks in numpydoc's order.
//! [`config::Config`] holds `[tool.numpydoc_validation]`. Python's own text semantics that the
//! results depend on (`textwrap.dedent`, `str.strip`, reprs) live in [`pytext`].
//!
//! Docstrings numpydoc cannot parse (it raises and the hook aborts) are checked as far as they
//! can be and get an extra `GL90` finding saying what is wrong.

/// The numpydoc release whose `numpydoc lint` this crate matches (codes, messages,
/// configuration): what agora suggests as numpydoc's version wherever it names one.
pub const NUMPYDOC_VERSION: &str = "1.11.0";

pub mod config;
pub mod decode;
pub mod docstring;
pub mod lint;
pub mod pytext;
pub mod report;
pub mod validate;

pub use config::{Config, ConfigError, find_project_root};
pub use decode::{DecodeError, decode_python};
pub use docstring::Docstring;
pub use lint::{Finding, lint_module, lint_source};
pub use report::{FileError, Report};
