//! New scientific-Python projects and community documents, as a tree of files to write.
//!
//! `agora new NAME` and `agora new governance|conduct|security|citation|contributing` both come
//! here. A [`Project`] says what is being scaffolded (its name, authors, links, build backend
//! and the CPython versions it supports); [`project_tree`] renders every file of a new project
//! and [`document`] one community document, from the same templates (files in this crate's
//! `templates/` folder, compiled in with `include_str!` and rendered with minijinja), so the
//! governance file of a new project and the one `agora new governance` writes are the same.
//! [`write_tree`] writes the files under a folder, refusing to overwrite anything: every path
//! is checked before the first file is written, and each file is created with `create_new`.
//!
//! The templates use `<< … >>` for values and `<% … %>` for blocks instead of Jinja's braces,
//! so the `${{ … }}` expressions of GitHub workflows need no escaping.

mod templates;
mod tree;

pub use templates::RenderError;
pub use tree::{WriteError, write_tree};

use serde::Serialize;

/// The build backend of a new project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Backend {
    /// Pure Python, built with hatchling.
    #[serde(rename = "hatchling")]
    Hatchling,
    /// A compiled extension (C) built with meson-python, wheels with cibuildwheel.
    #[serde(rename = "meson-python")]
    MesonPython,
}

impl Backend {
    /// The backend's name as `--backend` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Hatchling => "hatchling",
            Backend::MesonPython => "meson-python",
        }
    }
}

/// A community document that `agora new <document>` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Document {
    /// `GOVERNANCE.md`: roles and how decisions are made (review check AG103).
    Governance,
    /// `CODE_OF_CONDUCT.md`: expected behaviour and how reports are handled (AG102).
    Conduct,
    /// `SECURITY.md`: how to report a vulnerability privately (AG104).
    Security,
    /// `CITATION.cff`: how to cite the project (AG105).
    Citation,
    /// `CONTRIBUTING.md`: how to report problems and make pull requests.
    Contributing,
}

impl Document {
    /// Every document, in the order a new project lists them.
    pub const ALL: [Document; 5] = [
        Document::Governance,
        Document::Conduct,
        Document::Security,
        Document::Citation,
        Document::Contributing,
    ];

    /// The word that names it on the command line (`agora new governance`).
    pub fn keyword(self) -> &'static str {
        match self {
            Document::Governance => "governance",
            Document::Conduct => "conduct",
            Document::Security => "security",
            Document::Citation => "citation",
            Document::Contributing => "contributing",
        }
    }

    /// The document named by a command-line word, if it is one.
    pub fn from_keyword(word: &str) -> Option<Document> {
        Document::ALL.into_iter().find(|d| d.keyword() == word)
    }

    /// The file it is written to, relative to the project's root.
    pub fn file_name(self) -> &'static str {
        match self {
            Document::Governance => "GOVERNANCE.md",
            Document::Conduct => "CODE_OF_CONDUCT.md",
            Document::Security => "SECURITY.md",
            Document::Citation => "CITATION.cff",
            Document::Contributing => "CONTRIBUTING.md",
        }
    }

    /// The agora review check that looks for it, if there is one.
    pub fn review_check(self) -> Option<&'static str> {
        match self {
            Document::Governance => Some("AG103"),
            Document::Conduct => Some("AG102"),
            Document::Security => Some("AG104"),
            Document::Citation => Some("AG105"),
            Document::Contributing => None,
        }
    }
}

/// What is being scaffolded: the values the templates fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    /// The distribution name (`my-project`), as on PyPI.
    pub name: String,
    /// The import name (`my_project`).
    pub module: String,
    /// One sentence saying what the project does.
    pub description: String,
    /// Who holds the copyright and is cited: a person or `The NAME developers`.
    pub author: String,
    /// The contact address for conduct and security reports, if any.
    pub email: Option<String>,
    /// The GitHub repository, `owner/name`.
    pub repository: String,
    /// Where the documentation is published.
    pub docs_url: String,
    /// The build backend.
    pub backend: Backend,
    /// The CPython feature versions supported, oldest first (`["3.12", "3.13", "3.14"]`).
    pub python_versions: Vec<String>,
    /// The year for the copyright line.
    pub year: i16,
    /// The agora release whose pre-commit hook a new project uses.
    pub agora_version: String,
}

/// Why a project name cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameError {
    /// Not a valid distribution name (PEP 508: letters, digits, `.`, `_`, `-`).
    #[error(
        "`{0}` is not a valid project name: use letters, digits, `.`, `_` and `-`, starting and ending with a letter or digit"
    )]
    Invalid(String),
    /// The import name it gives is not a Python identifier or is a keyword.
    #[error(
        "`{name}` would be imported as `{module}`, which Python does not accept as a module name"
    )]
    NotImportable {
        /// The project name.
        name: String,
        /// The import name derived from it.
        module: String,
    },
}

/// Python's keywords, which cannot name a module.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The import name of a distribution name (`My.Project-x` → `my_project_x`), checked to be a
/// module name Python accepts.
pub fn module_name(name: &str) -> Result<String, NameError> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        return Err(NameError::Invalid(name.to_string()));
    }
    let module: String = name
        .chars()
        .map(|c| match c {
            '.' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if module.starts_with(|c: char| c.is_ascii_digit()) || PYTHON_KEYWORDS.contains(&&*module) {
        return Err(NameError::NotImportable {
            name: name.to_string(),
            module,
        });
    }
    Ok(module)
}

/// One file to write: its path relative to the root (with `/`) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct File {
    /// The path relative to the folder written into, `/`-separated.
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// Why a project's files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// A value that cannot go into the files as it is.
    #[error(
        "the {field} `{value}` cannot be used: it goes into TOML, YAML and Python strings, so no quotes, backslashes or line breaks"
    )]
    Invalid {
        /// Which value (`description`, `author`, …).
        field: &'static str,
        /// The value.
        value: String,
    },
    /// A template failed (a bug).
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Checks that every free-text value can be written inside the files' quoted strings.
pub fn validate(project: &Project) -> Result<(), ScaffoldError> {
    let fields = [
        ("project name", Some(&project.name)),
        ("description", Some(&project.description)),
        ("author", Some(&project.author)),
        ("email", project.email.as_ref()),
        ("repository", Some(&project.repository)),
        ("documentation URL", Some(&project.docs_url)),
    ];
    for (field, value) in fields {
        if let Some(value) = value
            && (value.trim().is_empty()
                || value
                    .chars()
                    .any(|c| matches!(c, '"' | '\\' | '`') || c.is_control()))
        {
            return Err(ScaffoldError::Invalid {
                field,
                value: value.escape_debug().to_string(),
            });
        }
    }
    Ok(())
}

/// Every file of a new project, sorted by path.
pub fn project_tree(project: &Project) -> Result<Vec<File>, ScaffoldError> {
    validate(project)?;
    let mut files = templates::project_files(project)?;
    for doc in Document::ALL {
        files.push(document(doc, project)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// One community document for `project`.
pub fn document(document: Document, project: &Project) -> Result<File, ScaffoldError> {
    validate(project)?;
    Ok(File {
        path: document.file_name().to_string(),
        contents: templates::render_document(document, project)?,
    })
}

/// What an existing `pyproject.toml` says about its project, to fill in a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// `project.name`.
    pub name: Option<String>,
    /// `project.description`.
    pub description: Option<String>,
    /// The first of `project.authors` (or maintainers) with a name.
    pub author: Option<String>,
    /// The first email of `project.authors` or `project.maintainers`.
    pub email: Option<String>,
    /// A GitHub repository (`owner/name`) from `project.urls`.
    pub repository: Option<String>,
    /// `project.urls.Documentation` (any case).
    pub docs_url: Option<String>,
}

/// Reads what a `pyproject.toml` declares about its project; `None` when it is not valid TOML.
pub fn declared(pyproject: &str) -> Option<Declared> {
    let doc: toml::Table = pyproject.parse().ok()?;
    let Some(project) = doc.get("project").and_then(|p| p.as_table()) else {
        return Some(Declared::default());
    };
    let text = |key: &str| project.get(key).and_then(|v| v.as_str()).map(String::from);
    let people: Vec<&toml::Table> = ["authors", "maintainers"]
        .iter()
        .filter_map(|key| project.get(*key).and_then(|v| v.as_array()))
        .flatten()
        .filter_map(|person| person.as_table())
        .collect();
    let field = |key: &str| {
        people
            .iter()
            .find_map(|p| p.get(key).and_then(|v| v.as_str()).map(String::from))
    };
    let urls: Vec<(String, String)> = project
        .get("urls")
        .and_then(|u| u.as_table())
        .map(|urls| {
            urls.iter()
                .filter_map(|(k, v)| Some((k.to_lowercase(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let repository = urls.iter().find_map(|(_, url)| github_repository(url));
    let docs_url = urls
        .iter()
        .find(|(key, _)| key == "documentation" || key == "docs")
        .map(|(_, url)| url.clone());
    Some(Declared {
        name: text("name"),
        description: text("description"),
        author: field("name"),
        email: field("email"),
        repository,
        docs_url,
    })
}

/// `owner/name` of a `https://github.com/owner/name[/…]` URL.
fn github_repository(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("http://github.com/"))?;
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let owner = parts.next()?;
    let name = parts.next()?.trim_end_matches(".git");
    Some(format!("{owner}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name("My.Project-x"), Ok("my_project_x".into()));
        assert_eq!(module_name("demo"), Ok("demo".into()));
        assert!(matches!(module_name("-demo"), Err(NameError::Invalid(_))));
        assert!(matches!(module_name("de mo"), Err(NameError::Invalid(_))));
        assert!(matches!(module_name("../x"), Err(NameError::Invalid(_))));
        assert!(matches!(
            module_name("3d"),
            Err(NameError::NotImportable { .. })
        ));
        assert!(matches!(
            module_name("class"),
            Err(NameError::NotImportable { .. })
        ));
    }

    #[test]
    fn refuses_values_that_break_the_files() {
        let project = Project {
            name: "demo".into(),
            module: "demo".into(),
            description: "Says \"hi\".".into(),
            author: "A".into(),
            email: None,
            repository: "a/b".into(),
            docs_url: "https://b".into(),
            backend: Backend::Hatchling,
            python_versions: vec!["3.13".into()],
            year: 2026,
            agora_version: "0.1.0".into(),
        };
        let error = project_tree(&project).expect_err("refused");
        assert!(error.to_string().contains("the description"), "{error}");
        let fine = Project {
            description: "Says hi.".into(),
            ..project.clone()
        };
        assert!(project_tree(&fine).is_ok());
        let error = document(
            Document::Citation,
            &Project {
                author: "Ada\nLovelace".into(),
                ..fine
            },
        )
        .expect_err("refused");
        assert!(
            error.to_string().contains("the author `Ada\\nLovelace`"),
            "{error}"
        );
    }

    #[test]
    fn reads_a_pyproject() {
        let found = declared(
            r#"
[project]
name = "skimage-x"
description = "Images."
authors = [{ name = "Ada" }, { email = "ada@example.org" }]
[project.urls]
Source = "https://github.com/scikit-image/skimage-x.git"
documentation = "https://skimage-x.readthedocs.io"
"#,
        )
        .expect("valid TOML");
        assert_eq!(found.name.as_deref(), Some("skimage-x"));
        assert_eq!(found.author.as_deref(), Some("Ada"));
        assert_eq!(found.email.as_deref(), Some("ada@example.org"));
        assert_eq!(found.repository.as_deref(), Some("scikit-image/skimage-x"));
        assert_eq!(
            found.docs_url.as_deref(),
            Some("https://skimage-x.readthedocs.io")
        );
        assert_eq!(declared("not [toml"), None);
    }
}
