//! Linting one Python file as numpydoc's hook does: every module, class and function
//! (methods and nested definitions included) is validated, in source order, depth first.
//! Like numpydoc, only definitions standing directly in a module, class or function body are
//! visited; those inside compound statements (`if`, `try`, `with`, loops) are not.
//!
//! An object's dotted name is the file stem followed by the names of the enclosing classes
//! and functions. Its signature is its own parameters (for a class, those of the last plain
//! `def __init__` directly in its body), less a leading `self` or `cls` when the enclosing
//! object is a class. An undocumented `__init__` nested at least two objects below the module
//! is excused from GL08 when its class's docstring documents the parameters without
//! mismatch (numpydoc's rule, applied only at that depth). Findings are then filtered: by the
//! `# numpydoc ignore=CODE,…` comment attributed to the object's `def`/`class` line (a comment
//! belongs to the last `def`/`class` keyword before it, or to line 1), by the configured
//! checks, and by the `override_<CODE>` regexes on the cleaned docstring.

use std::collections::HashMap;
use std::sync::LazyLock;

use agora_python::{Definition, DefinitionKind, Module, SyntaxError};
use regex::Regex;
use serde::Serialize;

use crate::config::Config;
use crate::pytext::cleandoc;
use crate::validate::{Object, ObjectKind, parameter_mismatches, validate};

/// One finding in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file, as given.
    pub path: String,
    /// The line of the object's `def`/`class` (1 for the module).
    pub line: u32,
    /// The object's dotted name (`module.Class.method`).
    pub name: String,
    /// The numpydoc code.
    pub code: &'static str,
    /// numpydoc's message.
    pub message: String,
}

static IGNORE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.* numpydoc ignore[=|:] ?)(.+)").unwrap_or_else(|_| unreachable!())
});

/// The `# numpydoc ignore=` rules by the line of the declaration they belong to.
fn ignore_comments(module: &Module) -> HashMap<u32, Vec<String>> {
    let mut rules = HashMap::new();
    for comment in &module.comments {
        let Some(found) = IGNORE_COMMENT.captures(&comment.text) else {
            continue;
        };
        let owner = module
            .declaration_lines
            .iter()
            .take_while(|line| **line <= comment.line)
            .last()
            .copied()
            .unwrap_or(1);
        let codes = found
            .get(1)
            .map(|m| {
                m.as_str()
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        rules.insert(owner, codes);
    }
    rules
}

/// One object on the walk: what it is and where it sits.
#[derive(Clone, Copy)]
enum Node<'a> {
    Module(&'a Module),
    Definition(&'a Definition),
}

impl<'a> Node<'a> {
    fn kind(&self) -> ObjectKind {
        match self {
            Node::Module(_) => ObjectKind::Module,
            Node::Definition(d) if d.kind == DefinitionKind::Class => ObjectKind::Class,
            Node::Definition(_) => ObjectKind::Function,
        }
    }

    fn docstring(&self) -> Option<&'a str> {
        match self {
            Node::Module(m) => m.docstring.as_ref().map(|d| d.text.as_str()),
            Node::Definition(d) => d.docstring.as_ref().map(|d| d.text.as_str()),
        }
    }

    fn name(&self) -> &'a str {
        match self {
            Node::Module(m) => &m.name,
            Node::Definition(d) => &d.name,
        }
    }

    fn line(&self) -> u32 {
        match self {
            Node::Module(_) => 1,
            Node::Definition(d) => d.line,
        }
    }

    fn children(&self) -> &'a [Definition] {
        match self {
            Node::Module(m) => &m.definitions,
            Node::Definition(d) => &d.children,
        }
    }

    /// numpydoc's signature parameters, given the enclosing object.
    fn signature(&self, parent: Option<Node<'_>>) -> Vec<String> {
        let from = |function: &Definition, in_class: bool| -> Vec<String> {
            let mut names: Vec<String> = function
                .parameters
                .iter()
                .map(|p| p.starred_name())
                .collect();
            if in_class && names.first().is_some_and(|n| n == "self" || n == "cls") {
                names.remove(0);
            }
            names
        };
        match self {
            Node::Module(_) => Vec::new(),
            Node::Definition(d) if d.kind == DefinitionKind::Class => d
                .init_method()
                .map(|init| from(init, true))
                .unwrap_or_default(),
            Node::Definition(d) => {
                let in_class = parent.is_some_and(|p| p.kind() == ObjectKind::Class);
                from(d, in_class)
            }
        }
    }
}

/// Walks a module and collects the findings.
struct Walker<'a> {
    path: &'a str,
    config: &'a Config,
    ignores: HashMap<u32, Vec<String>>,
    stack: Vec<Node<'a>>,
    findings: Vec<Finding>,
}

impl<'a> Walker<'a> {
    fn visit(&mut self, node: Node<'a>) {
        self.stack.push(node);
        let name = self
            .stack
            .iter()
            .map(|n| n.name())
            .collect::<Vec<_>>()
            .join(".");
        let excluded = self
            .config
            .exclude
            .as_ref()
            .is_some_and(|regex| regex.is_match(&name));
        if !excluded {
            self.check(node, name);
        }
        // numpydoc's visitor only descends into the bodies of modules, classes and functions:
        // a definition inside an `if`, `try`, `with`, `for`… is never checked.
        for child in node.children().iter().filter(|c| c.direct_child) {
            self.visit(Node::Definition(child));
        }
        self.stack.pop();
    }

    fn check(&mut self, node: Node<'a>, name: String) {
        let depth = self.stack.len();
        let parent = depth
            .checked_sub(2)
            .and_then(|i| self.stack.get(i))
            .copied();
        let (returns_value, is_generator) = match node {
            Node::Definition(d) => (d.returns_value, d.yields_at_top_level),
            Node::Module(_) => (false, false),
        };
        let docstring = node.docstring();
        let documented = docstring.is_some_and(|d| !d.is_empty());
        let object = Object {
            kind: node.kind(),
            docstring,
            // Only a docstring is checked against the signature.
            signature: if documented {
                node.signature(parent)
            } else {
                Vec::new()
            },
            returns_value,
            is_generator,
        };
        let mut issues = validate(&object);
        if !documented && object.kind == ObjectKind::Function && name.ends_with(".__init__") {
            // numpydoc excuses the constructor when the class documents its parameters, but
            // its ancestry test only passes for classes nested below the module's top level.
            let ancestry = depth - 1;
            if ancestry > 2
                && let Some(class) = parent
            {
                let grandparent = depth
                    .checked_sub(3)
                    .and_then(|i| self.stack.get(i))
                    .copied();
                let class_doc = class.docstring().unwrap_or_default();
                let mismatches = parameter_mismatches(class_doc, &class.signature(grandparent));
                if mismatches.is_empty() {
                    issues.retain(|issue| issue.code != "GL08");
                }
            }
        }
        let ignored = self.ignores.get(&node.line());
        let cleaned = if self.config.overrides.is_empty() {
            None
        } else {
            object.docstring.map(cleandoc)
        };
        for issue in issues {
            if ignored.is_some_and(|codes| codes.iter().any(|c| c == issue.code)) {
                continue;
            }
            if !self.config.checks.contains(issue.code) {
                continue;
            }
            if let Some(regex) = self.config.overrides.get(issue.code)
                && cleaned.as_deref().is_some_and(|doc| regex.is_match(doc))
            {
                continue;
            }
            self.findings.push(Finding {
                path: self.path.to_string(),
                line: node.line(),
                name: name.clone(),
                code: issue.code,
                message: issue.message,
            });
        }
    }
}

/// Lints a parsed module; `path` is how findings name the file.
pub fn lint_module(path: &str, module: &Module, config: &Config) -> Vec<Finding> {
    let mut walker = Walker {
        path,
        config,
        ignores: ignore_comments(module),
        stack: Vec::new(),
        findings: Vec::new(),
    };
    walker.visit(Node::Module(module));
    walker.findings
}

/// Parses and lints Python source; `path` is how findings name the file (its stem is the
/// module name).
pub fn lint_source(path: &str, source: &str, config: &Config) -> Result<Vec<Finding>, SyntaxError> {
    let stem = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path);
    let module = agora_python::parse_module(stem, source)?;
    Ok(lint_module(path, &module, config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(source: &str) -> Vec<(u32, String, &'static str)> {
        lint_source("pkg/mod.py", source, &Config::default())
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.line, f.name, f.code))
            .collect()
    }

    #[test]
    fn names_lines_and_ignore_comments() {
        let found = codes(
            "\"\"\"Mod.\"\"\"\n\nclass A:  # numpydoc ignore=GL08\n    def __init__(self, x):\n        pass\n\n    @property\n    def f(self):\n        pass\n",
        );
        assert_eq!(
            found,
            [
                (4, "mod.A.__init__".to_string(), "GL08"),
                (8, "mod.A.f".to_string(), "GL08"),
            ]
        );
    }

    #[test]
    fn nested_init_is_excused_when_the_class_documents_it() {
        let source = "\"\"\"Mod.\"\"\"\ndef outer():  # numpydoc ignore=GL08\n    class B:  # numpydoc ignore=ES01,SA01,EX01\n        \"\"\"\n        B.\n\n        Parameters\n        ----------\n        x : int\n            X.\n        \"\"\"\n        def __init__(self, x):\n            pass\n";
        assert_eq!(codes(source), []);
    }
}
