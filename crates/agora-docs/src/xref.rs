//! Cross-references: resolving a name written in a docstring (See Also entries, `:func:`
//! roles, backticked names) to an object of the reference, as Sphinx's Python domain searches:
//! the name as written, then relative to the object's class, module and their parents, then
//! relative to the package (`np.` is read as the package, numpy's convention).
//!
//! A name whose first part is another top-level module (`scipy.special.xlogy`, `int`) is
//! external: it resolves through another project's inventory, not this one.

use serde::Serialize;

use crate::model::{ApiObject, ApiReference};

/// Python's builtins and standard exceptions: names that resolve through Python's own
/// inventory when the package has no object of that name.
const PYTHON_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "Exception",
    "BaseException",
    "ValueError",
    "TypeError",
    "KeyError",
    "IndexError",
    "AttributeError",
    "RuntimeError",
    "Warning",
    "DeprecationWarning",
    "UserWarning",
    "RuntimeWarning",
    "FutureWarning",
    "NotImplemented",
    "Ellipsis",
    "None",
    "True",
    "False",
];

/// The outcome of resolving one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// An object of this reference.
    Found(&'a ApiObject),
    /// A name outside the package (another project's or Python's).
    External,
    /// A name inside the package that is not in the reference.
    Unresolved,
}

/// Resolves `target` written in the docstring of `context` (a public name).
pub fn resolve<'a>(reference: &'a ApiReference, context: &str, target: &str) -> Resolution<'a> {
    let target = target
        .trim()
        .trim_start_matches('~')
        .trim_start_matches('.')
        .trim_end_matches("()");
    if target.is_empty() {
        return Resolution::Unresolved;
    }
    let package = reference.package.as_str();
    let target = match target.strip_prefix("np.") {
        Some(rest) if package == "numpy" => format!("numpy.{rest}"),
        _ => target.to_string(),
    };
    if let Some(object) = reference.get(&target) {
        return Resolution::Found(object);
    }
    // Relative to the context and each of its parents: `numpy.ma.MaskedArray.sum` looks in
    // the class, `numpy.ma`, `numpy`.
    let mut scope = context;
    loop {
        if let Some(object) = reference.get(&format!("{scope}.{target}")) {
            return Resolution::Found(object);
        }
        match scope.rfind('.') {
            Some(dot) => scope = &scope[..dot],
            None => break,
        }
    }
    let head = target.split('.').next().unwrap_or_default();
    let dotted = target.contains('.');
    if PYTHON_BUILTINS.contains(&head)
        || (dotted && head != package && reference.get(&format!("{package}.{head}")).is_none())
    {
        return Resolution::External;
    }
    Resolution::Unresolved
}

/// A See Also name that did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedReference {
    /// The object whose docstring has it.
    pub object: String,
    /// `path:line` of the object.
    pub location: Option<String>,
    /// The name as written.
    pub target: String,
}

/// How the See Also names of a reference resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SeeAlsoReport {
    /// Names inside the package (or unqualified).
    pub internal: usize,
    /// Of those, resolved.
    pub resolved: usize,
    /// Names of other projects (resolved through their inventories, not counted above).
    pub external: Vec<String>,
    /// Internal names that did not resolve, each listed.
    pub unresolved: Vec<UnresolvedReference>,
}

/// Resolves every See Also name of every documented object.
pub fn see_also_report(reference: &ApiReference) -> SeeAlsoReport {
    let mut report = SeeAlsoReport::default();
    for object in &reference.objects {
        let Some(docstring) = &object.docstring else {
            continue;
        };
        let parsed = agora_numpydoc::Docstring::parse(docstring);
        for entry in &parsed.see_also {
            for (name, role) in &entry.names {
                // `:ref:`, `:doc:`, `:pep:`… point to prose, not to objects.
                if role.as_deref().is_some_and(|r| !is_object_role(r)) {
                    continue;
                }
                match resolve(reference, &object.name, name) {
                    Resolution::Found(_) => {
                        report.internal += 1;
                        report.resolved += 1;
                    }
                    Resolution::External => report.external.push(name.clone()),
                    Resolution::Unresolved => {
                        report.internal += 1;
                        report.unresolved.push(UnresolvedReference {
                            object: object.name.clone(),
                            location: object
                                .source
                                .as_ref()
                                .map(|s| format!("{}:{}", s.path, s.line)),
                            target: name.clone(),
                        });
                    }
                }
            }
        }
    }
    report.external.sort();
    report.external.dedup();
    report
}

/// Whether a Sphinx role names a Python object (`func`, `py:meth`, `class`, `obj`…).
pub fn is_object_role(role: &str) -> bool {
    let role = role.strip_prefix("py:").unwrap_or(role);
    matches!(
        role,
        "func"
            | "meth"
            | "class"
            | "attr"
            | "mod"
            | "data"
            | "obj"
            | "exc"
            | "const"
            | "property"
            | "type"
    )
}
