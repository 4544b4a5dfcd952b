//! The API reference as plain data: what `agora docs build` resolved, handed to the page
//! renderer and written out as JSON and as an `objects.inv`.

use serde::Serialize;

/// What kind of object, with its Sphinx role in the `py` domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    /// A module or package.
    Module,
    /// A class.
    Class,
    /// A class deriving from an exception or warning.
    Exception,
    /// A module-level function.
    Function,
    /// A function in a class body (also class and static methods).
    Method,
    /// A Python `property` (or cached property).
    Property,
    /// A class attribute, a data descriptor of a compiled class, or a module's sized alias of
    /// a generic type (`numpy.int8 = signedinteger[_8Bit]`).
    Attribute,
    /// Module-level data (constants, ufuncs, type aliases).
    Data,
}

impl ObjectKind {
    /// The Sphinx role name (`function`, `class`, …).
    pub fn role(self) -> &'static str {
        match self {
            ObjectKind::Module => "module",
            ObjectKind::Class => "class",
            ObjectKind::Exception => "exception",
            ObjectKind::Function => "function",
            ObjectKind::Method => "method",
            ObjectKind::Property => "property",
            ObjectKind::Attribute => "attribute",
            ObjectKind::Data => "data",
        }
    }

    /// Whether the kind is a member of a class.
    pub fn is_member(self) -> bool {
        matches!(
            self,
            ObjectKind::Method | ObjectKind::Property | ObjectKind::Attribute
        )
    }
}

/// Where an object is defined: file (relative to the project root) and line range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceSpan {
    /// `numpy/_core/fromnumeric.py`.
    pub path: String,
    /// First line (1-based).
    pub line: u32,
    /// Last line.
    pub end_line: u32,
}

/// One documented object, under its public dotted name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiObject {
    /// The public dotted name (`numpy.mean`, `numpy.ndarray.T`).
    pub name: String,
    /// What it is.
    pub kind: ObjectKind,
    /// The public module it is documented in (`numpy`).
    pub module: String,
    /// Where it is defined, as `module.qualname` (`numpy._core.fromnumeric.mean`).
    pub defined_as: String,
    /// The signature, parenthesised (`(a, axis=None)`), when known.
    pub signature: Option<String>,
    /// The raw docstring (before parsing), when found.
    pub docstring: Option<String>,
    /// Where the docstring came from (`source`, `add_newdoc at FILE:LINE`, `stub`).
    pub docstring_origin: Option<String>,
    /// Where the object is defined.
    pub source: Option<SourceSpan>,
    /// Public names of members (for classes and modules), full dotted names.
    pub members: Vec<String>,
    /// For a class, the name Sphinx's autodoc would give as `:canonical:` (its module's path
    /// and qualname, `numpy.random._generator.Generator`) when that is not its public name
    /// and the source does not set its `__module__`; the inventory lists it too, so links
    /// written with that path resolve.
    pub canonical: Option<String>,
}

/// Something that could not be resolved, per object; the build goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The public name concerned (or module).
    pub object: String,
    /// `path:line` of the statement concerned, when known.
    pub location: Option<String>,
    /// The cause, a short fixed phrase usable for grouping (`unresolved import`,
    /// `no docstring`, …).
    pub cause: String,
    /// Detail.
    pub message: String,
}

/// The whole reference of one package.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiReference {
    /// The import name of the top-level package.
    pub package: String,
    /// Objects, sorted by name.
    pub objects: Vec<ApiObject>,
    /// What could not be resolved.
    pub problems: Vec<Problem>,
}

impl ApiReference {
    /// The object with this public name.
    pub fn get(&self, name: &str) -> Option<&ApiObject> {
        self.objects
            .binary_search_by(|object| object.name.as_str().cmp(name))
            .ok()
            .and_then(|index| self.objects.get(index))
    }
}
