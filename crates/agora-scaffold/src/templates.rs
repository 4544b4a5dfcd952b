//! The templates, compiled in, and their rendering.
//!
//! [`PROJECT_FILES`] lists every file of a new project: its path (where `{module}` stands for
//! the import name), its template and the backends it belongs to. The documents' templates
//! are looked up by [`Document::file_name`]. All share one minijinja environment with
//! `<< >>`/`<% %>`/`<# #>` delimiters, block trimming, and the templates' final newline kept.

use minijinja::{Environment, context, syntax::SyntaxConfig};

use crate::{Backend, Document, File, Project};

/// A template that could not be rendered (a bug in a template, never the user's input).
#[derive(Debug, thiserror::Error)]
#[error("template {name} could not be rendered: {source}")]
pub struct RenderError {
    /// The template's name.
    name: String,
    /// minijinja's error.
    #[source]
    source: minijinja::Error,
}

/// Which backends a file belongs to.
#[derive(Clone, Copy)]
enum For {
    /// Every project.
    All,
    /// Only meson-python projects (the compiled extension).
    Meson,
}

/// The files of a new project: (path, template name, template, backends).
const PROJECT_FILES: &[(&str, &str, &str, For)] = &[
    (
        "pyproject.toml",
        "project/pyproject.toml",
        include_str!("../templates/project/pyproject.toml"),
        For::All,
    ),
    (
        "README.md",
        "project/README.md",
        include_str!("../templates/project/README.md"),
        For::All,
    ),
    (
        "LICENSE",
        "project/LICENSE",
        include_str!("../templates/project/LICENSE"),
        For::All,
    ),
    (
        ".gitignore",
        "project/gitignore",
        include_str!("../templates/project/gitignore"),
        For::All,
    ),
    (
        ".pre-commit-config.yaml",
        "project/pre-commit-config.yaml",
        include_str!("../templates/project/pre-commit-config.yaml"),
        For::All,
    ),
    (
        ".github/workflows/ci.yml",
        "project/ci.yml",
        include_str!("../templates/project/ci.yml"),
        For::All,
    ),
    (
        ".github/workflows/cd.yml",
        "project/cd.yml",
        include_str!("../templates/project/cd.yml"),
        For::All,
    ),
    (
        ".github/dependabot.yml",
        "project/dependabot.yml",
        include_str!("../templates/project/dependabot.yml"),
        For::All,
    ),
    (
        ".readthedocs.yaml",
        "project/readthedocs.yaml",
        include_str!("../templates/project/readthedocs.yaml"),
        For::All,
    ),
    (
        "noxfile.py",
        "project/noxfile.py",
        include_str!("../templates/project/noxfile.py"),
        For::All,
    ),
    (
        "docs/conf.py",
        "project/conf.py",
        include_str!("../templates/project/conf.py"),
        For::All,
    ),
    (
        "docs/index.md",
        "project/index.md",
        include_str!("../templates/project/index.md"),
        For::All,
    ),
    (
        "asv.conf.json",
        "project/asv.conf.json",
        include_str!("../templates/project/asv.conf.json"),
        For::All,
    ),
    (
        "benchmarks/__init__.py",
        "project/benchmarks_init.py",
        include_str!("../templates/project/benchmarks_init.py"),
        For::All,
    ),
    (
        "benchmarks/benchmarks.py",
        "project/benchmarks.py",
        include_str!("../templates/project/benchmarks.py"),
        For::All,
    ),
    (
        "src/{module}/__init__.py",
        "project/init.py",
        include_str!("../templates/project/init.py"),
        For::All,
    ),
    ("src/{module}/py.typed", "project/py.typed", "", For::All),
    (
        "tests/test_{module}.py",
        "project/test.py",
        include_str!("../templates/project/test.py"),
        For::All,
    ),
    (
        "meson.build",
        "meson/meson.build",
        include_str!("../templates/meson/meson.build"),
        For::Meson,
    ),
    (
        "src/{module}/_core.c",
        "meson/core.c",
        include_str!("../templates/meson/core.c"),
        For::Meson,
    ),
    (
        "src/{module}/_core.pyi",
        "meson/core.pyi",
        include_str!("../templates/meson/core.pyi"),
        For::Meson,
    ),
];

/// The documents' templates, by file name.
const DOCUMENTS: &[(&str, &str)] = &[
    (
        "GOVERNANCE.md",
        include_str!("../templates/documents/GOVERNANCE.md"),
    ),
    (
        "CODE_OF_CONDUCT.md",
        include_str!("../templates/documents/CODE_OF_CONDUCT.md"),
    ),
    (
        "SECURITY.md",
        include_str!("../templates/documents/SECURITY.md"),
    ),
    (
        "CITATION.cff",
        include_str!("../templates/documents/CITATION.cff"),
    ),
    (
        "CONTRIBUTING.md",
        include_str!("../templates/documents/CONTRIBUTING.md"),
    ),
];

/// The environment with every template added.
fn environment() -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .block_delimiters("<%", "%>")
        .variable_delimiters("<<", ">>")
        .comment_delimiters("<#", "#>")
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|source| RenderError {
            name: "(syntax)".into(),
            source,
        })?;
    env.set_syntax(syntax);
    // Nothing here is HTML: never escape.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let templates = PROJECT_FILES
        .iter()
        .map(|(_, name, source, _)| (*name, *source))
        .chain(DOCUMENTS.iter().copied());
    for (name, source) in templates {
        env.add_template(name, source)
            .map_err(|source| RenderError {
                name: name.to_string(),
                source,
            })?;
    }
    Ok(env)
}

/// The values every template sees: the project's fields and the links made from them.
fn values(project: &Project) -> minijinja::Value {
    let repository_url = format!("https://github.com/{}", project.repository);
    let repository_name = project
        .repository
        .rsplit('/')
        .next()
        .unwrap_or(&project.repository)
        .to_string();
    let python_floor = project.python_versions.first().cloned().unwrap_or_default();
    context! {
        name => &project.name,
        module => &project.module,
        description => &project.description,
        author => &project.author,
        email => &project.email,
        repository => &project.repository,
        repository_url,
        repository_name,
        docs_url => &project.docs_url,
        backend => project.backend.as_str(),
        python_versions => &project.python_versions,
        python_floor,
        year => project.year,
        agora_version => &project.agora_version,
    }
}

/// Renders one template.
fn render(env: &Environment, name: &str, values: &minijinja::Value) -> Result<String, RenderError> {
    env.get_template(name)
        .and_then(|t| t.render(values))
        .map_err(|source| RenderError {
            name: name.to_string(),
            source,
        })
}

/// The project's own files (without the documents), in [`PROJECT_FILES`] order.
pub(crate) fn project_files(project: &Project) -> Result<Vec<File>, RenderError> {
    let env = environment()?;
    let values = values(project);
    let mut files = Vec::new();
    for (path, name, _, backends) in PROJECT_FILES {
        if matches!(backends, For::Meson) && project.backend != Backend::MesonPython {
            continue;
        }
        files.push(File {
            path: path.replace("{module}", &project.module),
            contents: render(&env, name, &values)?,
        });
    }
    Ok(files)
}

/// One document's text.
pub(crate) fn render_document(
    document: Document,
    project: &Project,
) -> Result<String, RenderError> {
    let env = environment()?;
    render(&env, document.file_name(), &values(project))
}
