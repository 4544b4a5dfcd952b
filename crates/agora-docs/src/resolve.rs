//! Resolving a package's public API from its source, without importing it.
//!
//! Every module is parsed once (its `.py` and its `.pyi`). A name in a module is resolved the
//! way Python would bind it, statically: the last `def`/`class`/assignment/import of that name
//! in the body wins; `from .x import y` follows `y` into `.x`; `from .x import *` provides the
//! names `.x` exports; `alias = Other` follows `Other`; a name not found in the `.py` (a star
//! import from a compiled module) is looked up in the `.pyi`; a name that is a submodule is that
//! module. Chains are followed to a fixed depth, so import cycles end.
//!
//! A module's public names are its `__all__` (literals plus the `X.__all__` of the modules it
//! folds in), or, without one, the names it binds that do not start with `_` and do not come
//! from outside the package. Each public module (no `_` part, no `tests`) is documented with
//! its public names; a class with its members, inherited ones included (from bases inside the
//! package), and, for a class defined in Python, the members its stub declares.
//!
//! Docstrings come from the source, else from numpy-style `add_newdoc` calls (with `$NAME`
//! filled from a static dict of the file that makes the calls), else from the stub. What
//! cannot be resolved becomes a [`Problem`] and the build goes on.
//!
//! Kinds follow what the object is at run time where the source can tell: a stub's `def` for
//! a name imported from compiled code that the C code generator's table (a dict literal of
//! `Ufunc(...)` calls) lists is a ufunc instance, so data; a generic type specialised to a
//! fixed bit width (`int8 = signedinteger[_8Bit]`) is a sized alias, an attribute of its
//! module. A class documented under another name than where it is defined, whose source does
//! not set its `__module__`, keeps that path as its canonical name (autodoc's `:canonical:`).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use agora_python::{
    Binding, BindingKind, Definition, DefinitionKind, Module, NewDoc, Parameter, ParameterKind,
    StaticValue,
};

use crate::model::{ApiObject, ApiReference, ObjectKind, Problem, SourceSpan};
use crate::package::PackageSource;

/// How deep import and alias chains, base classes and module aliases are followed.
const MAX_DEPTH: usize = 24;

/// One parsed file.
struct Parsed {
    path: String,
    module: Module,
    stub: bool,
}

/// The parsed `.py` and `.pyi` of a module.
#[derive(Default)]
struct ModuleEntry {
    py: Option<Parsed>,
    pyi: Option<Parsed>,
    is_package: bool,
}

impl ModuleEntry {
    fn files(&self) -> impl Iterator<Item = &Parsed> {
        self.py.iter().chain(self.pyi.iter())
    }
}

/// What a name resolves to.
#[derive(Clone)]
enum Target<'r> {
    /// A module of the package.
    Module(String),
    /// A module-level `def` or `class`.
    Def {
        module: String,
        parsed: &'r Parsed,
        def: &'r Definition,
    },
    /// A module-level assignment (data).
    Data {
        module: String,
        parsed: &'r Parsed,
        binding: &'r Binding,
    },
    /// Something from outside the package.
    External,
}

/// A docstring given by `add_newdoc`, with where it was found.
struct NewDocEntry {
    text: String,
    location: String,
}

/// The package, parsed, with the indexes resolution needs.
pub struct Resolver {
    package: String,
    modules: BTreeMap<String, ModuleEntry>,
    new_docs: HashMap<String, NewDocEntry>,
    /// `name` or `name.member` → keys of `new_docs` ending so.
    new_doc_tails: HashMap<String, Vec<String>>,
    /// Names the package's C code generator makes ufunc instances of: the keys of a dict
    /// literal whose values are `Ufunc(...)` calls (numpy's `generate_umath.defdict`).
    generated_ufuncs: HashSet<String>,
    exports: RefCell<HashMap<String, Vec<String>>>,
    /// `(module, name)` lookups under way.
    visiting: RefCell<HashSet<(String, String)>>,
    problems: RefCell<Vec<Problem>>,
}

impl Resolver {
    /// Parses every module of the package; files that do not parse become problems.
    pub fn new(source: &PackageSource) -> Resolver {
        let mut problems = Vec::new();
        for (path, message) in &source.unreadable {
            problems.push(Problem {
                object: path.clone(),
                location: Some(path.clone()),
                cause: "unreadable file".to_string(),
                message: message.clone(),
            });
        }
        let mut modules = BTreeMap::new();
        for (name, files) in &source.modules {
            let mut entry = ModuleEntry {
                is_package: files.is_package,
                ..ModuleEntry::default()
            };
            for (file, stub) in [(&files.py, false), (&files.pyi, true)] {
                let Some(file) = file else { continue };
                let stem = name.rsplit('.').next().unwrap_or(name);
                match agora_python::parse_module(stem, &file.text) {
                    Ok(module) => {
                        let parsed = Parsed {
                            path: file.path.clone(),
                            module,
                            stub,
                        };
                        if stub {
                            entry.pyi = Some(parsed);
                        } else {
                            entry.py = Some(parsed);
                        }
                    }
                    Err(error) => problems.push(Problem {
                        object: name.clone(),
                        location: Some(format!("{}:{}", file.path, error.line)),
                        cause: "syntax error".to_string(),
                        message: error.message,
                    }),
                }
            }
            modules.insert(name.clone(), entry);
        }
        let mut new_docs = HashMap::new();
        let mut new_doc_tails: HashMap<String, Vec<String>> = HashMap::new();
        let mut generated_ufuncs = HashSet::new();
        for entry in modules.values() {
            for parsed in entry.files() {
                generated_ufuncs.extend(ufunc_table(&parsed.module));
                let fills = static_dicts(&parsed.module);
                for doc in &parsed.module.bindings.new_docs {
                    let key = new_doc_key(doc);
                    let tail = match &doc.member {
                        Some(member) => format!("{}.{member}", doc.name),
                        None => doc.name.clone(),
                    };
                    new_doc_tails.entry(tail).or_default().push(key.clone());
                    let text = fill(&doc.text, &fills);
                    new_docs.insert(
                        key,
                        NewDocEntry {
                            text,
                            location: format!("{}:{}", parsed.path, doc.line),
                        },
                    );
                }
            }
        }
        Resolver {
            package: source.name.clone(),
            modules,
            new_docs,
            new_doc_tails,
            generated_ufuncs,
            exports: RefCell::new(HashMap::new()),
            visiting: RefCell::new(HashSet::new()),
            problems: RefCell::new(problems),
        }
    }

    fn in_package(&self, module: &str) -> bool {
        module == self.package || module.starts_with(&format!("{}.", self.package))
    }

    /// The absolute module of a relative import in `module`.
    fn absolute(&self, module: &str, relative: &str, level: u32) -> String {
        if level == 0 {
            return relative.to_string();
        }
        let is_package = self.modules.get(module).is_some_and(|m| m.is_package);
        let mut base: Vec<&str> = module.split('.').collect();
        if !is_package {
            base.pop();
        }
        for _ in 1..level {
            base.pop();
        }
        let mut out = base.join(".");
        if !relative.is_empty() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(relative);
        }
        out
    }

    /// Resolves `name` as bound in `module`.
    fn resolve(&self, module: &str, name: &str, depth: usize) -> Option<Target<'_>> {
        if depth > MAX_DEPTH {
            return None;
        }
        if !self.in_package(module) {
            return Some(Target::External);
        }
        // A lookup that comes back to itself (numpy → _core → numerictypes → numpy) fails at
        // once, so the caller tries its next source (the stub) instead of exhausting depth.
        let key = (module.to_string(), name.to_string());
        if !self.visiting.borrow_mut().insert(key.clone()) {
            return None;
        }
        let found = self.resolve_unvisited(module, name, depth);
        self.visiting.borrow_mut().remove(&key);
        found
    }

    fn resolve_unvisited(&self, module: &str, name: &str, depth: usize) -> Option<Target<'_>> {
        let entry = self.modules.get(module)?;
        for parsed in entry.files() {
            if let Some(target) = self.resolve_in(parsed, module, name, depth) {
                // `generic = allTypes['generic']`: data the source computes, that the stub
                // declares as the class or function it is (or as a sized alias).
                let computed = match &target {
                    Target::Data {
                        parsed: data_file, ..
                    } => !data_file.stub,
                    Target::External => !parsed.stub,
                    _ => false,
                };
                if computed
                    && let Some(stub) = &entry.pyi
                    && let Some(declared) = self.resolve_in(stub, module, name, depth + 1)
                    && match &declared {
                        Target::Def { .. } | Target::Module(_) => true,
                        Target::Data { binding, .. } => {
                            matches!(&binding.kind, BindingKind::Assign { value: Some(value), .. } if is_sized_alias(value))
                        }
                        Target::External => false,
                    }
                {
                    return Some(declared);
                }
                return Some(target);
            }
        }
        let submodule = format!("{module}.{name}");
        self.modules
            .contains_key(&submodule)
            .then_some(Target::Module(submodule))
    }

    fn resolve_in<'r>(
        &'r self,
        parsed: &'r Parsed,
        module: &str,
        name: &str,
        depth: usize,
    ) -> Option<Target<'r>> {
        let def = parsed.module.definitions.iter().rfind(|d| d.name == name);
        let binding = parsed
            .module
            .bindings
            .bindings
            .iter()
            .rfind(|b| b.name == name);
        let use_def = match (def, binding) {
            (Some(def), Some(binding)) => def.line >= binding.line,
            (Some(_), None) => true,
            _ => false,
        };
        if use_def && let Some(def) = def {
            // In a stub, overloads repeat a name: the first carries the signature we show.
            let def = if parsed.stub {
                parsed
                    .module
                    .definitions
                    .iter()
                    .find(|d| d.name == name)
                    .unwrap_or(def)
            } else {
                def
            };
            return Some(Target::Def {
                module: module.to_string(),
                parsed,
                def,
            });
        }
        if let Some(binding) = binding {
            match &binding.kind {
                BindingKind::ImportModule { module: target } => {
                    return Some(
                        if self.in_package(target) && self.modules.contains_key(target) {
                            Target::Module(target.clone())
                        } else {
                            Target::External
                        },
                    );
                }
                BindingKind::ImportFrom {
                    module: from,
                    level,
                    name: imported,
                } => {
                    let absolute = self.absolute(module, from, *level);
                    if !self.in_package(&absolute) {
                        return Some(Target::External);
                    }
                    let submodule = format!("{absolute}.{imported}");
                    // `from . import x`: the submodule (looking `x` up in the package itself
                    // would go round in circles first).
                    if from.is_empty() && self.modules.contains_key(&submodule) {
                        return Some(Target::Module(submodule));
                    }
                    if let Some(target) = self.resolve(&absolute, imported, depth + 1) {
                        return Some(target);
                    }
                    // Imported from a compiled module: the stub may know it.
                }
                BindingKind::Assign {
                    alias_of: Some(alias),
                    ..
                } if alias != name => {
                    match self.resolve_dotted(module, alias, depth + 1) {
                        // `half = float16`: another name for the type of that width, a C
                        // type's name, so the class the sized alias specialises.
                        Some(Target::Data {
                            module: sized_module,
                            binding:
                                Binding {
                                    kind:
                                        BindingKind::Assign {
                                            value: Some(value), ..
                                        },
                                    ..
                                },
                            ..
                        }) if is_sized_alias(value) => {
                            let head = value.split('[').next().unwrap_or_default().trim();
                            if let Some(target @ Target::Def { .. }) =
                                self.resolve_dotted(&sized_module, head, depth + 1)
                            {
                                return Some(target);
                            }
                        }
                        Some(Target::External) | None => {}
                        Some(target) => return Some(target),
                    }
                    return Some(Target::Data {
                        module: module.to_string(),
                        parsed,
                        binding,
                    });
                }
                BindingKind::Assign {
                    value: Some(value), ..
                } if parsed.stub && value.contains('[') && !is_sized_alias(value) => {
                    // A stub's `byte = signedinteger[_NBitByte]`: the class it specialises.
                    let head = value.split('[').next().unwrap_or_default().trim();
                    if let Some(
                        target @ Target::Def {
                            def:
                                Definition {
                                    kind: DefinitionKind::Class,
                                    ..
                                },
                            ..
                        },
                    ) = self.resolve_dotted(module, head, depth + 1)
                    {
                        return Some(target);
                    }
                    return Some(Target::Data {
                        module: module.to_string(),
                        parsed,
                        binding,
                    });
                }
                BindingKind::Assign { .. } => {
                    return Some(Target::Data {
                        module: module.to_string(),
                        parsed,
                        binding,
                    });
                }
                BindingKind::ImportStar { .. } => {}
            }
        }
        for star in parsed.module.bindings.bindings.iter().rev() {
            let BindingKind::ImportStar {
                module: from,
                level,
            } = &star.kind
            else {
                continue;
            };
            let absolute = self.absolute(module, from, *level);
            if !self.in_package(&absolute) || !self.modules.contains_key(&absolute) {
                continue;
            }
            if self.exports(&absolute, depth + 1).iter().any(|n| n == name)
                && let Some(target) = self.resolve(&absolute, name, depth + 1)
            {
                return Some(target);
            }
        }
        None
    }

    /// Resolves `a.b.c` in `module`, through modules.
    fn resolve_dotted(&self, module: &str, dotted: &str, depth: usize) -> Option<Target<'_>> {
        let mut parts = dotted.split('.');
        let mut target = self.resolve(module, parts.next()?, depth)?;
        for part in parts {
            target = match target {
                Target::Module(inner) => self.resolve(&inner, part, depth + 1)?,
                Target::External => return Some(Target::External),
                _ => return None,
            };
        }
        Some(target)
    }

    /// Whether the `.py` of `module` binds `name` by importing it from where no source or
    /// stub defines it (compiled code): what a stub then says of it is all there is.
    fn imported_from_compiled(&self, module: &str, name: &str) -> bool {
        let Some(py) = self.modules.get(module).and_then(|m| m.py.as_ref()) else {
            return false;
        };
        let binding = py.module.bindings.bindings.iter().rfind(|b| b.name == name);
        match binding.map(|b| &b.kind) {
            Some(BindingKind::ImportFrom {
                module: from,
                level,
                name: imported,
            }) => {
                let absolute = self.absolute(module, from, *level);
                self.in_package(&absolute) && self.resolve(&absolute, imported, 0).is_none()
            }
            _ => false,
        }
    }

    /// The public names of a module (see the module documentation).
    fn exports(&self, module: &str, depth: usize) -> Vec<String> {
        if let Some(names) = self.exports.borrow().get(module) {
            return names.clone();
        }
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        // A cycle sees the module as empty while it is being computed.
        self.exports
            .borrow_mut()
            .insert(module.to_string(), Vec::new());
        let names = self.compute_exports(module, depth);
        self.exports
            .borrow_mut()
            .insert(module.to_string(), names.clone());
        names
    }

    fn compute_exports(&self, module: &str, depth: usize) -> Vec<String> {
        let Some(entry) = self.modules.get(module) else {
            return Vec::new();
        };
        let declares_all = |parsed: &Parsed| {
            parsed.module.all.is_some()
                || !parsed.module.bindings.all_names.is_empty()
                || !parsed.module.bindings.all_sources.is_empty()
        };
        let mut names: Vec<String> = Vec::new();
        if entry.files().any(declares_all) {
            // The `.py`'s and the stub's `__all__` together: a name made at run time
            // (`globals()[key] = …`) is often listed only in the stub.
            for parsed in entry.files().filter(|p| declares_all(p)) {
                names.extend(parsed.module.all.iter().flatten().cloned());
                names.extend(parsed.module.bindings.all_names.iter().cloned());
                for source in &parsed.module.bindings.all_sources {
                    if let Some(Target::Module(inner)) =
                        self.resolve_dotted(module, source, depth + 1)
                    {
                        names.extend(self.exports(&inner, depth + 1));
                    }
                }
            }
        } else {
            for parsed in entry.files() {
                names.extend(parsed.module.definitions.iter().map(|d| d.name.clone()));
                for binding in &parsed.module.bindings.bindings {
                    match &binding.kind {
                        BindingKind::ImportStar {
                            module: from,
                            level,
                        } => {
                            let absolute = self.absolute(module, from, *level);
                            if self.in_package(&absolute) {
                                names.extend(self.exports(&absolute, depth + 1));
                            }
                        }
                        BindingKind::ImportModule { .. } => {}
                        BindingKind::ImportFrom {
                            module: from,
                            level,
                            ..
                        } => {
                            if self.in_package(&self.absolute(module, from, *level)) {
                                names.push(binding.name.clone());
                            }
                        }
                        BindingKind::Assign { .. } => names.push(binding.name.clone()),
                    }
                }
            }
            names.retain(|name| !name.starts_with('_'));
        }
        let mut seen = HashSet::new();
        names.retain(|name| seen.insert(name.clone()));
        names
    }

    /// The docstring `add_newdoc` gives `module.qualname[.member]`.
    fn new_doc(&self, modules: &[&str], qualname: &str) -> Option<&NewDocEntry> {
        for module in modules {
            if let Some(entry) = self.new_docs.get(&format!("{module}.{qualname}")) {
                return Some(entry);
            }
        }
        let keys = self.new_doc_tails.get(qualname)?;
        let key = keys
            .iter()
            .find(|key| modules.iter().any(|m| key.starts_with(&format!("{m}."))))
            .or_else(|| keys.iter().min())?;
        self.new_docs.get(key)
    }

    /// Builds the reference: every public module and the objects it exports.
    pub fn build(self) -> ApiReference {
        let mut builder = Builder {
            resolver: &self,
            objects: BTreeMap::new(),
            aliased_modules: HashSet::new(),
        };
        let public: Vec<String> = self
            .modules
            .keys()
            .filter(|name| is_public_module(name))
            .cloned()
            .collect();
        for module in &public {
            builder.document_module(module, module, 0);
        }
        let objects = builder.objects.into_values().collect();
        ApiReference {
            package: self.package.clone(),
            objects,
            problems: self.problems.into_inner(),
        }
    }
}

/// Whether a dotted module name is public: no part starts with `_`, no test or build module.
fn is_public_module(name: &str) -> bool {
    name.split('.').all(|part| {
        !part.starts_with('_') && !matches!(part, "tests" | "conftest" | "setup" | "testing_utils")
    })
}

/// Key of an `add_newdoc` entry.
fn new_doc_key(doc: &NewDoc) -> String {
    match &doc.member {
        Some(member) => format!("{}.{}.{member}", doc.module, doc.name),
        None => format!("{}.{}", doc.module, doc.name),
    }
}

/// The module-level static dicts of strings of a file (docfiller tables).
fn static_dicts(module: &Module) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for binding in &module.bindings.bindings {
        if let BindingKind::Assign {
            static_value: Some(StaticValue::Dict(pairs)),
            ..
        } = &binding.kind
        {
            out.extend(pairs.iter().cloned());
        }
    }
    out
}

/// Whether an assigned value specialises a generic type to a fixed bit width
/// (`signedinteger[_8Bit]`, `np.complexfloating[_96Bit, _96Bit]`): a sized alias, which names
/// whichever type has that width on the platform, so an attribute of its module rather than
/// a class of its own (`signedinteger[_NBitByte]`, a C type's width, is the class `byte`).
fn is_sized_alias(value: &str) -> bool {
    let Some((head, arguments)) = value.split_once('[') else {
        return false;
    };
    let is_name = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    };
    is_name(head.trim())
        && arguments.trim_end().ends_with(']')
        && arguments
            .trim_end()
            .trim_end_matches(']')
            .split(',')
            .all(|argument| {
                argument
                    .trim()
                    .strip_prefix('_')
                    .and_then(|a| a.strip_suffix("Bit"))
                    .is_some_and(|digits| {
                        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
                    })
            })
}

/// The names a module-level dict literal maps to `Ufunc(...)` calls: the table a C code
/// generator makes ufunc instances from (numpy's `code_generators/generate_umath.py`).
fn ufunc_table(module: &Module) -> impl Iterator<Item = String> + '_ {
    module
        .bindings
        .bindings
        .iter()
        .filter_map(|binding| match &binding.kind {
            BindingKind::Assign {
                static_value: Some(StaticValue::CallDict(pairs)),
                ..
            } => Some(pairs),
            _ => None,
        })
        .flatten()
        .filter(|(_, callee)| callee.rsplit('.').next() == Some("Ufunc"))
        .map(|(name, _)| name.clone())
}

/// Fills `$NAME` and `%(NAME)s` placeholders of a docstring from a static table. A docstring
/// that uses `$NAME` is dedented and stripped first, as the fill-in values are flush left.
fn fill(text: &str, table: &[(String, String)]) -> String {
    if table.is_empty() || !(text.contains('$') || text.contains("%(")) {
        return text.to_string();
    }
    let mut out = if text.contains('$') {
        agora_python::bindings::dedent(text).trim().to_string()
    } else {
        text.to_string()
    };
    // Longer keys first so `$PARAMS_X` is not filled as `$PARAMS` + `_X`.
    let mut table: Vec<&(String, String)> = table.iter().collect();
    table.sort_by_key(|(key, _)| std::cmp::Reverse(key.len()));
    for (key, value) in table {
        out = out
            .replace(&format!("${key}"), value)
            .replace(&format!("%({key})s"), value);
    }
    out
}

/// A class member found while collecting members.
struct Member<'r> {
    name: String,
    kind: ObjectKind,
    parsed: &'r Parsed,
    def: Option<&'r Definition>,
    binding: Option<&'r Binding>,
    /// `module.qualname` of the class that defines it, and its plain qualname.
    owner_module: String,
    owner_qualname: String,
}

/// Members never documented even with a docstring.
const HIDDEN_MEMBERS: &[&str] = &[
    "__init__",
    "__slots__",
    "__module__",
    "__doc__",
    "__dict__",
    "__weakref__",
    "__annotations__",
    "__match_args__",
    "__init_subclass__",
    "__all__",
];

/// Accumulates objects while walking the public modules.
struct Builder<'r> {
    resolver: &'r Resolver,
    objects: BTreeMap<String, ApiObject>,
    aliased_modules: HashSet<String>,
}

impl<'r> Builder<'r> {
    fn problem(&self, object: &str, location: Option<String>, cause: &str, message: String) {
        self.resolver.problems.borrow_mut().push(Problem {
            object: object.to_string(),
            location,
            cause: cause.to_string(),
            message,
        });
    }

    /// Documents `module` under the public name `public` (itself, or an alias like
    /// `numpy.emath` for `numpy.lib.scimath`).
    fn document_module(&mut self, module: &str, public: &str, depth: usize) {
        let resolver = self.resolver;
        let Some(entry) = resolver.modules.get(module) else {
            return;
        };
        let docstring = entry
            .files()
            .find_map(|p| p.module.docstring.as_ref())
            .map(|d| d.text.clone());
        let names = resolver.exports(module, 0);
        let mut members = Vec::new();
        for name in &names {
            let full = format!("{public}.{name}");
            match resolver.resolve(module, name, 0) {
                None => {
                    let location = entry.files().next().map(|p| p.path.clone());
                    self.problem(
                        &full,
                        location,
                        "unresolved name",
                        format!("`{name}` is public in {module} but no definition was found (a compiled module without a stub?)"),
                    );
                }
                Some(Target::External) => {}
                Some(Target::Module(inner)) => {
                    if inner != full && depth < 3 && self.aliased_modules.insert(full.clone()) {
                        self.document_module(&inner, &full, depth + 1);
                        members.push(full);
                    }
                }
                Some(Target::Def {
                    module: defined_in,
                    parsed,
                    def,
                }) => {
                    match def.kind {
                        DefinitionKind::Class => {
                            self.document_class(&full, public, &defined_in, parsed, def)
                        }
                        DefinitionKind::Function => {
                            // A stub's `def isalnum(a)` for a name the module imports from
                            // compiled code that the ufunc table makes: a ufunc instance,
                            // data (as numpy documents `numpy.add`), not a function.
                            let kind = if parsed.stub
                                && resolver.generated_ufuncs.contains(&def.name)
                                && resolver.imported_from_compiled(&defined_in, &def.name)
                            {
                                ObjectKind::Data
                            } else {
                                ObjectKind::Function
                            };
                            let object = self.function_object(
                                &full,
                                public,
                                &defined_in,
                                parsed,
                                def,
                                kind,
                                &[&defined_in, module],
                                &def.name,
                            );
                            self.insert(object);
                        }
                    }
                    members.push(full);
                }
                Some(Target::Data {
                    module: defined_in,
                    parsed,
                    binding,
                }) => {
                    let kind = match &binding.kind {
                        BindingKind::Assign {
                            value: Some(value), ..
                        } if is_sized_alias(value) => ObjectKind::Attribute,
                        _ if self.is_callable_value(&defined_in, binding) => ObjectKind::Function,
                        _ => ObjectKind::Data,
                    };
                    let object = self.data_object(
                        &full,
                        public,
                        &defined_in,
                        parsed,
                        binding,
                        &[&defined_in, module],
                        &binding.name,
                        kind,
                    );
                    self.insert(object);
                    members.push(full);
                }
            }
        }
        let source = entry.py.as_ref().map(|p| SourceSpan {
            path: p.path.clone(),
            line: 1,
            end_line: 1,
        });
        self.insert(ApiObject {
            name: public.to_string(),
            kind: ObjectKind::Module,
            module: public.to_string(),
            defined_as: module.to_string(),
            signature: None,
            docstring_origin: docstring.as_ref().map(|_| "source".to_string()),
            docstring,
            source,
            members,
            canonical: None,
        });
    }

    fn insert(&mut self, object: ApiObject) {
        self.objects.entry(object.name.clone()).or_insert(object);
    }

    #[allow(clippy::too_many_arguments)]
    fn function_object(
        &self,
        full: &str,
        public_module: &str,
        defined_in: &str,
        parsed: &Parsed,
        def: &Definition,
        kind: ObjectKind,
        lookup_modules: &[&str],
        qualname: &str,
    ) -> ApiObject {
        let (docstring, origin) = self.docstring_for(
            def.docstring.as_ref().map(|d| d.text.as_str()),
            parsed,
            lookup_modules,
            qualname,
        );
        let drop_first = kind == ObjectKind::Method && !def.has_decorator("staticmethod");
        let signature = if parsed.stub {
            docstring_signature(docstring.as_deref())
                .or_else(|| Some(format_signature(&def.parameters, drop_first, false)))
        } else {
            Some(format_signature(&def.parameters, drop_first, true))
        };
        if docstring.is_none() && !qualname.ends_with("__") {
            self.problem(full, Some(format!("{}:{}", parsed.path, def.line)), "no docstring", format!("{defined_in}.{qualname} has no docstring in the source, the stub or an add_newdoc call"));
        }
        ApiObject {
            name: full.to_string(),
            kind,
            module: public_module.to_string(),
            defined_as: format!("{defined_in}.{qualname}"),
            signature,
            docstring,
            docstring_origin: origin,
            source: def_span(parsed, def),
            members: Vec::new(),
            canonical: None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn data_object(
        &self,
        full: &str,
        public_module: &str,
        defined_in: &str,
        parsed: &Parsed,
        binding: &Binding,
        lookup_modules: &[&str],
        qualname: &str,
        kind: ObjectKind,
    ) -> ApiObject {
        let (docstring, origin) = self.docstring_for(
            binding.docstring.as_deref(),
            parsed,
            lookup_modules,
            qualname,
        );
        ApiObject {
            name: full.to_string(),
            kind,
            module: public_module.to_string(),
            defined_as: format!("{defined_in}.{qualname}"),
            signature: docstring_signature(docstring.as_deref()),
            docstring,
            docstring_origin: origin,
            source: (!parsed.stub).then(|| SourceSpan {
                path: parsed.path.clone(),
                line: binding.line,
                end_line: binding.end_line,
            }),
            members: Vec::new(),
            canonical: None,
        }
    }

    /// The docstring: the source's (unless it is a stub's and `add_newdoc` has one), else
    /// `add_newdoc`'s, else none.
    fn docstring_for(
        &self,
        own: Option<&str>,
        parsed: &Parsed,
        modules: &[&str],
        qualname: &str,
    ) -> (Option<String>, Option<String>) {
        if let Some(own) = own
            && !parsed.stub
        {
            return (Some(own.to_string()), Some("source".to_string()));
        }
        if let Some(entry) = self.resolver.new_doc(modules, qualname) {
            return (
                Some(entry.text.clone()),
                Some(format!("add_newdoc at {}", entry.location)),
            );
        }
        match own {
            Some(own) => (Some(own.to_string()), Some("stub".to_string())),
            None => (None, None),
        }
    }

    fn document_class(
        &mut self,
        full: &str,
        public_module: &str,
        defined_in: &str,
        parsed: &'r Parsed,
        def: &'r Definition,
    ) {
        let resolver = self.resolver;
        let kind = if self.is_exception(defined_in, def, 0) {
            ObjectKind::Exception
        } else {
            ObjectKind::Class
        };
        let (docstring, origin) = self.docstring_for(
            def.docstring.as_ref().map(|d| d.text.as_str()),
            parsed,
            &[defined_in],
            &def.name,
        );
        if docstring.is_none() {
            self.problem(full, Some(format!("{}:{}", parsed.path, def.line)), "no docstring", format!("{defined_in}.{} has no docstring in the source, the stub or an add_newdoc call", def.name));
        }
        let init = def.init_method().or_else(|| {
            self.stub_twin(defined_in, parsed, def)
                .and_then(Definition::init_method)
        });
        let signature = match init {
            Some(init) if !parsed.stub => Some(format_signature(&init.parameters, true, true)),
            _ => docstring_signature(docstring.as_deref())
                .or_else(|| init.map(|i| format_signature(&i.parameters, true, false))),
        };
        let mut members_found = Vec::new();
        let mut seen = HashSet::new();
        self.collect_members(defined_in, parsed, def, &mut members_found, &mut seen, 0);
        let mut members = Vec::new();
        for member in members_found {
            let member_full = format!("{full}.{}", member.name);
            let qualname = format!("{}.{}", member.owner_qualname, member.name);
            let lookup = [member.owner_module.as_str(), defined_in];
            let object = if let Some(member_def) = member.def {
                self.function_object(
                    &member_full,
                    public_module,
                    &member.owner_module,
                    member.parsed,
                    member_def,
                    member.kind,
                    &lookup,
                    &qualname,
                )
            } else if let Some(binding) = member.binding {
                self.data_object(
                    &member_full,
                    public_module,
                    &member.owner_module,
                    member.parsed,
                    binding,
                    &lookup,
                    &qualname,
                    member.kind,
                )
            } else {
                continue;
            };
            members.push(member_full);
            self.insert(object);
        }
        // Members only an `add_newdoc` call declares (`ndarray.__reduce__`): a method when
        // the docstring opens with a call, else an attribute.
        let prefix = format!("{}.", def.name);
        let mut declared: Vec<(&String, &NewDocEntry)> = resolver
            .new_doc_tails
            .iter()
            .filter_map(|(tail, keys)| {
                let member = tail.strip_prefix(&prefix)?;
                let key = keys
                    .iter()
                    .find(|k| k.starts_with(&format!("{defined_in}.")) || keys.len() == 1)?;
                (!member.contains('.')).then_some(())?;
                Some((tail, resolver.new_docs.get(key)?))
            })
            .collect();
        declared.sort_by(|a, b| a.0.cmp(b.0));
        for (tail, entry) in declared {
            let member = &tail[prefix.len()..];
            let member_full = format!("{full}.{member}");
            if !keep_member(member) || members.contains(&member_full) {
                continue;
            }
            let signature = docstring_signature(Some(&entry.text));
            let kind = if signature.is_some() {
                ObjectKind::Method
            } else {
                ObjectKind::Attribute
            };
            members.push(member_full.clone());
            self.insert(ApiObject {
                name: member_full,
                kind,
                module: public_module.to_string(),
                defined_as: format!("{defined_in}.{}.{member}", def.name),
                signature,
                docstring: Some(entry.text.clone()),
                docstring_origin: Some(format!("add_newdoc at {}", entry.location)),
                source: None,
                members: Vec::new(),
                canonical: None,
            });
        }
        let defined_as = format!("{defined_in}.{}", def.name);
        // `@set_module('numpy')` or `__module__ = 'numpy'` in the body: the class says where
        // it belongs, and autodoc gives no other name.
        let sets_module = def.has_decorator("set_module")
            || def.attributes.iter().any(|a| a.name == "__module__");
        let canonical = (defined_as != full && !sets_module).then(|| defined_as.clone());
        self.insert(ApiObject {
            name: full.to_string(),
            kind,
            module: public_module.to_string(),
            defined_as,
            signature,
            docstring,
            docstring_origin: origin,
            source: def_span(parsed, def),
            members,
            canonical,
        });
    }

    /// The class of the same name in the module's stub, for a class defined in its `.py`.
    fn stub_twin(&self, module: &str, parsed: &Parsed, def: &Definition) -> Option<&'r Definition> {
        if parsed.stub {
            return None;
        }
        let stub = self.resolver.modules.get(module)?.pyi.as_ref()?;
        stub.module
            .definitions
            .iter()
            .find(|d| d.name == def.name && d.kind == DefinitionKind::Class)
    }

    /// Own members, the stub's, then the bases' (inside the package), each name once.
    fn collect_members(
        &self,
        module: &str,
        parsed: &'r Parsed,
        def: &'r Definition,
        out: &mut Vec<Member<'r>>,
        seen: &mut HashSet<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let twin = self.stub_twin(module, parsed, def);
        let stub_parsed = twin.and_then(|_| self.resolver.modules.get(module)?.pyi.as_ref());
        let compiled = parsed.stub;
        let sources: Vec<(&'r Parsed, &'r Definition)> = std::iter::once((parsed, def))
            .chain(twin.zip(stub_parsed).map(|(d, p)| (p, d)))
            .collect();
        for (file, class) in sources {
            for child in &class.children {
                if child.kind != DefinitionKind::Function || !keep_member(&child.name) {
                    continue;
                }
                if child
                    .decorators
                    .iter()
                    .any(|d| d.ends_with(".setter") || d.ends_with(".deleter"))
                {
                    continue;
                }
                if !seen.insert(child.name.clone()) {
                    continue;
                }
                let is_property =
                    child.has_decorator("property") || child.has_decorator("cached_property");
                let kind = match (is_property, compiled || file.stub) {
                    (true, true) => ObjectKind::Attribute,
                    (true, false) => ObjectKind::Property,
                    (false, _) => ObjectKind::Method,
                };
                out.push(Member {
                    name: child.name.clone(),
                    kind,
                    parsed: file,
                    def: Some(child),
                    binding: None,
                    owner_module: module.to_string(),
                    owner_qualname: def.name.clone(),
                });
            }
            for binding in &class.attributes {
                if !keep_member(&binding.name) || !seen.insert(binding.name.clone()) {
                    continue;
                }
                let is_property = matches!(&binding.kind, BindingKind::Assign { call: Some(call), .. } if call == "property" || call.ends_with("cached_property"));
                let sibling = match &binding.kind {
                    BindingKind::Assign {
                        alias_of: Some(alias),
                        ..
                    } => {
                        let (head, accessor) = match alias.rsplit_once('.') {
                            Some((head, "fget" | "fset" | "fdel")) => (head, true),
                            _ => (alias.as_str(), false),
                        };
                        class
                            .children
                            .iter()
                            .find(|c| c.name == head && c.kind == DefinitionKind::Function)
                            .map(|c| {
                                if !accessor
                                    && (c.has_decorator("property")
                                        || c.has_decorator("cached_property"))
                                {
                                    ObjectKind::Property
                                } else {
                                    ObjectKind::Method
                                }
                            })
                    }
                    _ => None,
                };
                let kind = if let Some(kind) = sibling {
                    if kind == ObjectKind::Property && (compiled || file.stub) {
                        ObjectKind::Attribute
                    } else {
                        kind
                    }
                } else if is_property && !(compiled || file.stub) {
                    ObjectKind::Property
                } else if self.is_callable_value(module, binding) {
                    ObjectKind::Method
                } else {
                    ObjectKind::Attribute
                };
                out.push(Member {
                    name: binding.name.clone(),
                    kind,
                    parsed: file,
                    def: None,
                    binding: Some(binding),
                    owner_module: module.to_string(),
                    owner_qualname: def.name.clone(),
                });
            }
        }
        for base in &def.bases {
            if base.contains('=') {
                continue;
            }
            let base = base.split('[').next().unwrap_or(base).trim();
            if let Some(Target::Def {
                module: base_module,
                parsed: base_parsed,
                def: base_def,
            }) = self.resolver.resolve_dotted(module, base, 0)
                && base_def.kind == DefinitionKind::Class
                && !std::ptr::eq(base_def, def)
            {
                self.collect_members(&base_module, base_parsed, base_def, out, seen, depth + 1);
            }
        }
    }

    /// Whether an assigned value is a function in all but form: an instance of a class of the
    /// package that defines `__call__` (numpy.ma's `all = _frommethod('all')`, a stub's
    /// `empty: Final[_ConstructorEmpty]`), or what a function factory of the package returns
    /// (`copy = _arraymethod('copy')`). Ufunc-typed values stay data, as numpy documents them.
    fn is_callable_value(&self, module: &str, binding: &Binding) -> bool {
        let BindingKind::Assign {
            call,
            annotation,
            alias_of,
            ..
        } = &binding.kind
        else {
            return false;
        };
        // `beta = _rand.beta`: a method of a module-level instance.
        if let Some((head, member)) = alias_of.as_deref().and_then(|a| a.rsplit_once('.'))
            && let Some(Target::Data {
                module: instance_module,
                binding: instance,
                ..
            }) = self.resolver.resolve_dotted(module, head, 0)
            && let Some(class) = instance_class(instance)
            && let Some(Target::Def {
                module: class_module,
                parsed,
                def,
            }) = self.resolver.resolve_dotted(&instance_module, &class, 0)
            && def.kind == DefinitionKind::Class
        {
            let mut members = Vec::new();
            self.collect_members(
                &class_module,
                parsed,
                def,
                &mut members,
                &mut HashSet::new(),
                0,
            );
            return members
                .iter()
                .any(|m| m.name == member && m.kind == ObjectKind::Method);
        }
        let type_name = match (call, annotation) {
            (Some(callee), _) => callee.clone(),
            (None, Some(annotation)) => {
                let inner = annotation
                    .strip_prefix("Final[")
                    .and_then(|a| a.strip_suffix(']'))
                    .unwrap_or(annotation);
                inner.split('[').next().unwrap_or(inner).trim().to_string()
            }
            _ => return false,
        };
        if type_name.to_lowercase().contains("ufunc") || type_name.is_empty() {
            return false;
        }
        match self.resolver.resolve_dotted(module, &type_name, 0) {
            Some(Target::Def {
                module: class_module,
                parsed,
                def,
            }) => match def.kind {
                DefinitionKind::Class => {
                    let mut members = Vec::new();
                    self.collect_members(
                        &class_module,
                        parsed,
                        def,
                        &mut members,
                        &mut HashSet::new(),
                        0,
                    );
                    members.iter().any(|m| m.name == "__call__")
                }
                DefinitionKind::Function => {
                    call.is_some()
                        && def
                            .children
                            .iter()
                            .any(|c| c.kind == DefinitionKind::Function)
                }
            },
            _ => false,
        }
    }

    /// Whether a class derives from an exception or warning.
    fn is_exception(&self, module: &str, def: &Definition, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        def.bases.iter().filter(|b| !b.contains('=')).any(|base| {
            let last = base.rsplit('.').next().unwrap_or(base);
            if last.ends_with("Error") || last.ends_with("Exception") || last.ends_with("Warning") {
                return true;
            }
            matches!(self.resolver.resolve_dotted(module, base, 0), Some(Target::Def { module: m, def: d, .. }) if d.kind == DefinitionKind::Class && !std::ptr::eq(d, def) && self.is_exception(&m, d, depth + 1))
        })
    }
}

/// The class an instance is made from: `x = Cls(...)` or `x: Cls`.
fn instance_class(binding: &Binding) -> Option<String> {
    let BindingKind::Assign {
        call, annotation, ..
    } = &binding.kind
    else {
        return None;
    };
    call.clone().or_else(|| {
        annotation
            .as_ref()
            .map(|a| a.split('[').next().unwrap_or(a).trim().to_string())
    })
}

/// Whether a member name may be documented (public, or a dunder).
fn keep_member(name: &str) -> bool {
    if HIDDEN_MEMBERS.contains(&name) {
        return false;
    }
    !name.starts_with('_') || (name.starts_with("__") && name.ends_with("__"))
}

/// Where a definition of a `.py` file stands (a stub's is not the source).
fn def_span(parsed: &Parsed, def: &Definition) -> Option<SourceSpan> {
    (!parsed.stub).then(|| SourceSpan {
        path: parsed.path.clone(),
        line: first_line(def),
        end_line: def.end_line,
    })
}

/// The first line of a definition, decorators included (for the `[source]` range).
fn first_line(def: &Definition) -> u32 {
    def.line
        .saturating_sub(u32::try_from(def.decorators.len()).unwrap_or(0))
        .max(1)
}

/// A leading `name(args)` line of a docstring, as the parenthesised part.
fn docstring_signature(docstring: Option<&str>) -> Option<String> {
    let first = docstring?.trim_start().lines().next()?.trim();
    let open = first.find('(')?;
    let head = &first[..open];
    if head.is_empty()
        || !head
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        || !first.contains(')')
    {
        return None;
    }
    let close = first.rfind(')').filter(|close| *close > open)?;
    Some(first[open..=close].to_string())
}

/// `(a, /, b=1, *args, c, **kw)`; `drop_first` drops `self`/`cls`.
pub fn format_signature(parameters: &[Parameter], drop_first: bool, annotations: bool) -> String {
    let parameters = if drop_first
        && parameters.first().is_some_and(|p| {
            matches!(
                p.kind,
                ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword
            )
        }) {
        &parameters[1..]
    } else {
        parameters
    };
    let mut parts: Vec<String> = Vec::new();
    let mut star_written = false;
    for (index, parameter) in parameters.iter().enumerate() {
        if parameter.kind == ParameterKind::KeywordOnly && !star_written {
            parts.push("*".to_string());
            star_written = true;
        }
        if parameter.kind == ParameterKind::VarPositional {
            star_written = true;
        }
        let mut text = parameter.starred_name();
        if annotations && let Some(annotation) = &parameter.annotation {
            text.push_str(": ");
            text.push_str(annotation);
        }
        if let Some(default) = &parameter.default {
            text.push_str(if annotations && parameter.annotation.is_some() {
                " = "
            } else {
                "="
            });
            text.push_str(default);
        }
        parts.push(text);
        let next_is_positional_only = parameters
            .get(index + 1)
            .is_some_and(|p| p.kind == ParameterKind::PositionalOnly);
        if parameter.kind == ParameterKind::PositionalOnly && !next_is_positional_only {
            parts.push("/".to_string());
        }
    }
    format!("({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::docstring_signature;

    #[test]
    fn sized_aliases() {
        use super::is_sized_alias;
        assert!(is_sized_alias("signedinteger[_8Bit]"));
        assert!(is_sized_alias("np.complexfloating[_96Bit, _96Bit]"));
        assert!(!is_sized_alias("signedinteger[_NBitByte]"));
        assert!(!is_sized_alias("floating[_64Bit, Any]"));
        assert!(!is_sized_alias("dict[str, int]"));
        assert!(!is_sized_alias("f(x)[_8Bit]"));
        assert!(!is_sized_alias("signedinteger[_Bit]"));
    }

    #[test]
    fn docstring_signatures() {
        assert_eq!(
            docstring_signature(Some("\n    a.all(axis=None)\n\n    Doc.")),
            Some("(axis=None)".to_string())
        );
        assert_eq!(
            docstring_signature(Some("absolute(x, /, out=None)")),
            Some("(x, /, out=None)".to_string())
        );
        assert_eq!(docstring_signature(Some("Returns a) value (b")), None);
        assert_eq!(docstring_signature(Some("x) f(")), None);
        assert_eq!(docstring_signature(None), None);
    }
}
