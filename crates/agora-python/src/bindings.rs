//! The names a module or class body binds, and the statically known values behind them.
//!
//! One walk over a body's statements (descending into `if`, `try`, `with`, `for`… but not into
//! nested definitions) records each import (`import a.b as c`, `from .x import y`,
//! `from .x import *`), each assignment to a plain name (with its source text, its annotation,
//! the string that documents it on the next line and, when it is a string, list of strings or
//! dict of strings that can be computed without running anything, that value), the modules
//! whose `__all__` is folded into this module's `__all__` (`__all__ += numeric.__all__`,
//! `set(_core.__all__) | …`), and numpy-style `add_newdoc(module, name, doc)` calls, whose
//! docstrings are attached to compiled objects at import time.
//!
//! Static values cover string literals, `+` of strings, `textwrap.dedent(…)`, `.strip()`
//! and friends, and `dict(...)`/`{...}` literals of such strings; anything else is left as
//! source text only.

use ruff_python_ast::statement_visitor::{self, StatementVisitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;
use serde::Serialize;

/// How a name came to be bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BindingKind {
    /// `import a.b` (binds `a`, module `a`) or `import a.b as c` (binds `c`, module `a.b`).
    ImportModule {
        /// The dotted module the name stands for.
        module: String,
    },
    /// `from module import name [as other]`; `level` counts the leading dots.
    ImportFrom {
        /// The module part after the dots (may be empty: `from . import x`).
        module: String,
        /// How many leading dots.
        level: u32,
        /// The name imported from it.
        name: String,
    },
    /// `from module import *`.
    ImportStar {
        /// The module part after the dots.
        module: String,
        /// How many leading dots.
        level: u32,
    },
    /// `name = value` or `name: annotation = value`.
    Assign {
        /// The value's source text (`None` for a bare annotation `name: int`).
        value: Option<String>,
        /// The annotation's source text.
        annotation: Option<String>,
        /// The value when it is a plain name or dotted name (`masked_array = MaskedArray`).
        alias_of: Option<String>,
        /// The value when it can be computed statically.
        static_value: Option<StaticValue>,
        /// The callee's source when the value is a call (`property(...)`, `_frommethod('all')`).
        call: Option<String>,
    },
}

/// A value computed from source without running it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum StaticValue {
    /// A string.
    Str(String),
    /// A dict whose keys and values are strings.
    Dict(Vec<(String, String)>),
    /// A dict whose keys are strings and values calls, each key with its callee: numpy's
    /// ufunc table `{'add': Ufunc(2, 1, ...), ...}` is `[("add", "Ufunc"), ...]`.
    CallDict(Vec<(String, String)>),
}

/// One name bound by a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Binding {
    /// The bound name (`*` for a star import).
    pub name: String,
    /// How it was bound.
    pub kind: BindingKind,
    /// The 1-based first line of the statement.
    pub line: u32,
    /// The last line of the statement.
    pub end_line: u32,
    /// A string literal statement right after an assignment (an attribute docstring).
    pub docstring: Option<String>,
}

/// A numpy-style `add_newdoc("module", "name", doc)` or
/// `add_newdoc("module", "class", ("attribute", doc))` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDoc {
    /// The module argument (`numpy._core.multiarray`).
    pub module: String,
    /// The object's name in that module.
    pub name: String,
    /// The member of the object, for the tuple form.
    pub member: Option<String>,
    /// The docstring as written (escapes processed).
    pub text: String,
    /// The 1-based line of the call.
    pub line: u32,
}

/// What a body binds: the result of [`collect`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BodyBindings {
    /// Bindings in source order.
    pub bindings: Vec<Binding>,
    /// Dotted names `X` whose `X.__all__` is folded into `__all__` (`numeric`, `lib._npyio_impl`).
    pub all_sources: Vec<String>,
    /// String literals of `__all__` assignments that are not plain list literals.
    pub all_names: Vec<String>,
    /// `add_newdoc` calls.
    pub new_docs: Vec<NewDoc>,
}

/// Collects the bindings of a body; `line` maps a node to its 1-based line.
pub(crate) fn collect(
    body: &[Stmt],
    text: &str,
    line: &dyn Fn(ruff_text_size::TextSize) -> u32,
) -> BodyBindings {
    let mut walker = Walker {
        text,
        line,
        out: BodyBindings::default(),
        all_extenders: all_extenders(body),
    };
    walker.visit_body(body);
    walker.attach_docstrings(body);
    walker.out
}

struct Walker<'a> {
    text: &'a str,
    line: &'a dyn Fn(ruff_text_size::TextSize) -> u32,
    out: BodyBindings,
    /// Functions of this body that fold their argument's `__all__` into `__all__`
    /// (numpy's `extend_all(module)`).
    all_extenders: Vec<String>,
}

/// The module-level functions that read `PARAM.__all__` of their first parameter and touch
/// `__all__`: a call `f(module)` folds `module.__all__` in.
fn all_extenders(body: &[Stmt]) -> Vec<String> {
    struct Reads {
        parameter: String,
        reads_parameter_all: bool,
        touches_all: bool,
    }
    impl<'s> ruff_python_ast::visitor::Visitor<'s> for Reads {
        fn visit_expr(&mut self, expr: &'s Expr) {
            match expr {
                Expr::Attribute(attribute) if attribute.attr.id.as_str() == "__all__" => {
                    if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.parameter)
                    {
                        self.reads_parameter_all = true;
                    }
                }
                Expr::Name(name) if name.id.as_str() == "__all__" => self.touches_all = true,
                _ => {}
            }
            ruff_python_ast::visitor::walk_expr(self, expr);
        }
    }
    body.iter()
        .filter_map(|stmt| {
            let Stmt::FunctionDef(function) = stmt else {
                return None;
            };
            let parameter = function
                .parameters
                .args
                .first()?
                .parameter
                .name
                .id
                .to_string();
            let mut reads = Reads {
                parameter,
                reads_parameter_all: false,
                touches_all: false,
            };
            ruff_python_ast::visitor::Visitor::visit_body(&mut reads, &function.body);
            (reads.reads_parameter_all && reads.touches_all).then(|| function.name.id.to_string())
        })
        .collect()
}

impl Walker<'_> {
    fn push(&mut self, name: String, kind: BindingKind, node: &impl Ranged) {
        self.out.bindings.push(Binding {
            name,
            kind,
            line: (self.line)(node.start()),
            end_line: (self.line)(node.end()),
            docstring: None,
        });
    }

    fn assign(
        &mut self,
        target: &Expr,
        value: Option<&Expr>,
        annotation: Option<&Expr>,
        stmt: &Stmt,
    ) {
        let Expr::Name(name) = target else {
            return;
        };
        if name.id.as_str() == "__all__" {
            if let Some(value) = value {
                self.fold_all(value);
            }
            return;
        }
        let kind = BindingKind::Assign {
            value: value.map(|v| self.text[v.range()].to_string()),
            annotation: annotation.map(|a| self.text[a.range()].to_string()),
            alias_of: value.and_then(dotted_name),
            static_value: value.and_then(static_value),
            call: value.and_then(|v| match v {
                Expr::Call(call) => Some(self.text[call.func.range()].to_string()),
                _ => None,
            }),
        };
        self.push(name.id.to_string(), kind, stmt);
    }

    /// Records the string literals and `X.__all__` references of an `__all__` expression.
    fn fold_all(&mut self, value: &Expr) {
        let mut finder = AllFinder {
            names: Vec::new(),
            sources: Vec::new(),
        };
        ruff_python_ast::visitor::Visitor::visit_expr(&mut finder, value);
        self.out.all_names.extend(finder.names);
        self.out.all_sources.extend(finder.sources);
    }

    fn new_doc(&mut self, call: &ast::ExprCall) {
        let callee = match call.func.as_ref() {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attribute) => attribute.attr.id.as_str(),
            _ => return,
        };
        if callee != "add_newdoc" {
            return;
        }
        let args = &call.arguments.args;
        let (Some(module), Some(name), Some(doc)) = (
            args.first().and_then(string_literal),
            args.get(1).and_then(string_literal),
            args.get(2),
        ) else {
            return;
        };
        let line = (self.line)(call.start());
        let mut push = |member: Option<String>, text: String| {
            self.out.new_docs.push(NewDoc {
                module: module.clone(),
                name: name.clone(),
                member,
                text,
                line,
            });
        };
        match doc {
            Expr::Tuple(tuple) => {
                if let (Some(member), Some(text)) = (
                    tuple.elts.first().and_then(string_literal),
                    tuple.elts.get(1).and_then(string_literal),
                ) {
                    push(Some(member), text);
                }
            }
            Expr::List(list) => {
                for element in &list.elts {
                    if let Expr::Tuple(tuple) = element
                        && let (Some(member), Some(text)) = (
                            tuple.elts.first().and_then(string_literal),
                            tuple.elts.get(1).and_then(string_literal),
                        )
                    {
                        push(Some(member), text);
                    }
                }
            }
            other => {
                if let Some(text) = string_literal(other) {
                    push(None, text);
                }
            }
        }
    }

    /// Gives an assignment the string literal statement that follows it directly.
    fn attach_docstrings(&mut self, body: &[Stmt]) {
        for pair in body.windows(2) {
            let (Stmt::Assign(_) | Stmt::AnnAssign(_), Stmt::Expr(expr)) = (&pair[0], &pair[1])
            else {
                continue;
            };
            let Expr::StringLiteral(literal) = expr.value.as_ref() else {
                continue;
            };
            let line = (self.line)(pair[0].start());
            if let Some(binding) = self
                .out
                .bindings
                .iter_mut()
                .rev()
                .find(|b| b.line == line && matches!(b.kind, BindingKind::Assign { .. }))
            {
                binding.docstring = Some(literal.value.to_str().to_string());
            }
        }
    }
}

impl<'s> StatementVisitor<'s> for Walker<'_> {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.id.to_string();
                    match &alias.asname {
                        Some(asname) => {
                            self.push(
                                asname.id.to_string(),
                                BindingKind::ImportModule { module: full },
                                stmt,
                            );
                        }
                        None => {
                            let head = full.split('.').next().unwrap_or_default().to_string();
                            self.push(
                                head.clone(),
                                BindingKind::ImportModule { module: head },
                                stmt,
                            );
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import
                    .module
                    .as_ref()
                    .map(|m| m.id.to_string())
                    .unwrap_or_default();
                for alias in &import.names {
                    let name = alias.name.id.to_string();
                    if name == "*" {
                        let kind = BindingKind::ImportStar {
                            module: module.clone(),
                            level: import.level,
                        };
                        self.push("*".to_string(), kind, stmt);
                        continue;
                    }
                    let bound = alias
                        .asname
                        .as_ref()
                        .map_or_else(|| name.clone(), |a| a.id.to_string());
                    let kind = BindingKind::ImportFrom {
                        module: module.clone(),
                        level: import.level,
                        name,
                    };
                    self.push(bound, kind, stmt);
                }
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    match target {
                        Expr::Tuple(tuple) => {
                            for element in &tuple.elts {
                                self.assign(element, None, None, stmt);
                            }
                        }
                        _ => self.assign(target, Some(&assign.value), None, stmt),
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                self.assign(
                    &assign.target,
                    assign.value.as_deref(),
                    Some(&assign.annotation),
                    stmt,
                );
            }
            Stmt::AugAssign(assign) => {
                if matches!(assign.target.as_ref(), Expr::Name(n) if n.id.as_str() == "__all__") {
                    self.fold_all(&assign.value);
                }
            }
            Stmt::Expr(ast::StmtExpr { value, .. }) => {
                if let Expr::Call(call) = value.as_ref() {
                    self.new_doc(call);
                    if let Expr::Name(callee) = call.func.as_ref()
                        && self.all_extenders.iter().any(|f| f == callee.id.as_str())
                        && let Some(module) = call.arguments.args.first().and_then(dotted_name)
                    {
                        self.out.all_sources.push(module);
                    }
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "__all__")
                        && matches!(attribute.attr.id.as_str(), "extend" | "append")
                    {
                        for arg in &call.arguments.args {
                            self.fold_all(arg);
                        }
                    }
                }
            }
            _ => statement_visitor::walk_stmt(self, stmt),
        }
    }
}

/// Finds string literals and `X.__all__` references in an `__all__` expression.
struct AllFinder {
    names: Vec<String>,
    sources: Vec<String>,
}

impl<'s> ruff_python_ast::visitor::Visitor<'s> for AllFinder {
    fn visit_expr(&mut self, expr: &'s Expr) {
        match expr {
            Expr::StringLiteral(literal) => self.names.push(literal.value.to_str().to_string()),
            Expr::Attribute(attribute) if attribute.attr.id.as_str() == "__all__" => {
                if let Some(name) = dotted_name(&attribute.value) {
                    self.sources.push(name);
                }
            }
            // A comprehension filters or rewrites names: its strings are not members.
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::Generator(_) => {}
            _ => ruff_python_ast::visitor::walk_expr(self, expr),
        }
    }
}

/// `a` or `a.b.c` as text.
fn dotted_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attribute) => {
            dotted_name(&attribute.value).map(|head| format!("{head}.{}", attribute.attr.id))
        }
        _ => None,
    }
}

fn string_literal(expr: &Expr) -> Option<String> {
    match static_value(expr)? {
        StaticValue::Str(text) => Some(text),
        StaticValue::Dict(_) | StaticValue::CallDict(_) => None,
    }
}

/// The value of an expression when it is computable without running code.
fn static_value(expr: &Expr) -> Option<StaticValue> {
    match expr {
        Expr::StringLiteral(literal) => Some(StaticValue::Str(literal.value.to_str().to_string())),
        Expr::BinOp(binop) if binop.op == ast::Operator::Add => {
            let left = string_literal(&binop.left)?;
            let right = string_literal(&binop.right)?;
            Some(StaticValue::Str(left + &right))
        }
        Expr::Call(call) => {
            if let Expr::Attribute(attribute) = call.func.as_ref()
                && call.arguments.args.is_empty()
            {
                let inner = string_literal(&attribute.value)?;
                return match attribute.attr.id.as_str() {
                    "strip" => Some(StaticValue::Str(inner.trim().to_string())),
                    "lstrip" => Some(StaticValue::Str(inner.trim_start().to_string())),
                    "rstrip" => Some(StaticValue::Str(inner.trim_end().to_string())),
                    _ => None,
                };
            }
            let callee = dotted_name(&call.func)?;
            match callee.as_str() {
                "textwrap.dedent" | "dedent" if call.arguments.args.len() == 1 => {
                    let inner = string_literal(call.arguments.args.first()?)?;
                    Some(StaticValue::Str(dedent(&inner)))
                }
                "dict" if call.arguments.args.is_empty() => {
                    let mut pairs = Vec::new();
                    for keyword in &call.arguments.keywords {
                        let key = keyword.arg.as_ref()?.id.to_string();
                        pairs.push((key, string_literal(&keyword.value)?));
                    }
                    Some(StaticValue::Dict(pairs))
                }
                _ => None,
            }
        }
        Expr::Dict(dict) => {
            let keys: Vec<String> = dict
                .items
                .iter()
                .map(|item| string_literal(item.key.as_ref()?))
                .collect::<Option<_>>()?;
            let strings: Option<Vec<String>> = dict
                .items
                .iter()
                .map(|item| string_literal(&item.value))
                .collect();
            if let Some(values) = strings {
                return Some(StaticValue::Dict(keys.into_iter().zip(values).collect()));
            }
            let callees: Vec<String> = dict
                .items
                .iter()
                .map(|item| match &item.value {
                    Expr::Call(call) => dotted_name(&call.func),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            Some(StaticValue::CallDict(
                keys.into_iter().zip(callees).collect(),
            ))
        }
        _ => None,
    }
}

/// Python's `textwrap.dedent`: removes the whitespace prefix common to all non-blank lines,
/// and turns whitespace-only lines into empty ones.
pub fn dedent(text: &str) -> String {
    let margin = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() {
            continue;
        }
        out.push_str(line.get(margin..).unwrap_or(line.trim_start()));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::parse_module;

    use super::*;

    #[test]
    fn imports_assignments_all_and_newdocs() {
        let source = "import os\nimport numpy.linalg as la\nfrom . import lib\nfrom ._core import (a, b as c)\nfrom .x import *\ntry:\n    from .y import z\nexcept ImportError:\n    pass\nalias = pkg.Thing\n\"\"\"Alias doc.\"\"\"\nT: int\nsubst = {'A': textwrap.dedent('''\n    one\n      two\n    ''').strip(), 'B': 'x' + 'y'}\n__all__ = ['q'] + numeric.__all__\n__all__ += lib._npyio_impl.__all__\n__all__ = list(set(_core.__all__) | {'w'})\nadd_newdoc('m', 'C', 'Doc of C.')\nadd_newdoc('m', 'C', ('T', 'Doc of T.'))\nadd_newdoc('m', 'C', [('a', 'A.'), ('b', 'B.')])\n";
        let module = parse_module("m", source).expect("parses");
        let names: Vec<&str> = module
            .bindings
            .bindings
            .iter()
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["os", "la", "lib", "a", "c", "*", "z", "alias", "T", "subst"]
        );
        assert_eq!(
            module.bindings.bindings[4].kind,
            BindingKind::ImportFrom {
                module: "_core".into(),
                level: 1,
                name: "b".into()
            }
        );
        let alias = &module.bindings.bindings[7];
        assert_eq!(alias.docstring.as_deref(), Some("Alias doc."));
        assert!(
            matches!(&alias.kind, BindingKind::Assign { alias_of: Some(a), .. } if a == "pkg.Thing")
        );
        let BindingKind::Assign {
            static_value: Some(StaticValue::Dict(pairs)),
            ..
        } = &module.bindings.bindings[9].kind
        else {
            panic!("subst is a static dict");
        };
        assert_eq!(pairs[0], ("A".to_string(), "one\n  two".to_string()));
        assert_eq!(pairs[1], ("B".to_string(), "xy".to_string()));
        assert_eq!(
            module.bindings.all_sources,
            ["numeric", "lib._npyio_impl", "_core"]
        );
        assert_eq!(module.bindings.all_names, ["q", "w"]);
        let extended = parse_module("m", "__all__ = []\ndef extend_all(module):\n    for a in module.__all__:\n        __all__.append(a)\nextend_all(fromnumeric)\nprint(x)\n").expect("parses");
        assert_eq!(extended.bindings.all_sources, ["fromnumeric"]);
        let docs: Vec<(Option<&str>, &str)> = module
            .bindings
            .new_docs
            .iter()
            .map(|d| (d.member.as_deref(), d.text.as_str()))
            .collect();
        assert_eq!(
            docs,
            [
                (None, "Doc of C."),
                (Some("T"), "Doc of T."),
                (Some("a"), "A."),
                (Some("b"), "B.")
            ]
        );
    }

    #[test]
    fn class_attributes() {
        let module = parse_module(
            "m",
            "class C:\n    x = 1\n    '''X.'''\n    T = property(_t)\n",
        )
        .expect("parses");
        let class = &module.definitions[0];
        let names: Vec<&str> = class.attributes.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["x", "T"]);
        assert_eq!(class.attributes[0].docstring.as_deref(), Some("X."));
        assert!(
            matches!(&class.attributes[1].kind, BindingKind::Assign { call: Some(c), .. } if c == "property")
        );
    }

    #[test]
    fn dicts_of_calls() {
        let module = parse_module(
            "m",
            "defdict = {\n'add': Ufunc(2, 1, None),\n'sin': gen.Ufunc(1, 1)}\nmixed = {'a': f(), 'b': 1}\n",
        )
        .expect("parses");
        let values: Vec<Option<&StaticValue>> = module
            .bindings
            .bindings
            .iter()
            .map(|b| match &b.kind {
                BindingKind::Assign { static_value, .. } => static_value.as_ref(),
                _ => None,
            })
            .collect();
        assert_eq!(
            values,
            [
                Some(&StaticValue::CallDict(vec![
                    ("add".to_string(), "Ufunc".to_string()),
                    ("sin".to_string(), "gen.Ufunc".to_string())
                ])),
                None
            ]
        );
    }

    #[test]
    fn dedent_like_python() {
        assert_eq!(dedent("  a\n    b\n \n  c"), "a\n  b\n\nc");
    }
}
