//! `agora new NAME` and `agora new <document>`: arguments in, agora-scaffold's files out.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agora_scaffold::{Backend, Document, Project};
use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use jiff::civil::Date;

use crate::commands::schedule::parse_date;
use crate::context::Context;

/// The long help of `agora new`.
pub const LONG_ABOUT: &str = "\
Start a new project following the community's practices, or write one community document \
into a project.

`agora new NAME` creates the folder NAME (a path: its last part is the project's name) with \
a pyproject.toml (hatchling, or meson-python with a C extension: --backend, asked on a \
terminal), the src/ layout, tests, Sphinx docs, asv benchmarks, .pre-commit-config.yaml, \
GitHub workflows (tests on the CPython versions SPEC 0 supports and the free-threaded build; \
wheels, with cibuildwheel for meson-python; publishing with Trusted Publishing), Dependabot, \
Read the Docs, a nox file, a BSD-3-Clause LICENSE and the five community documents. The \
result passes `agora review` with no failure.

`agora new governance|conduct|security|citation|contributing` writes GOVERNANCE.md, \
CODE_OF_CONDUCT.md, SECURITY.md, CITATION.cff or CONTRIBUTING.md into --dir (default: the \
working directory), to adapt: the project's name, contacts and links come from the options, \
else from the folder's pyproject.toml. Each passes its review check (AG103, AG102, AG104, \
AG105). A project named like a document is made with a path: `agora new ./security`.

Nothing is ever overwritten: when a file to write exists, nothing is written and the exit \
code is 2.";

/// `agora new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new project's folder, or a document: governance, conduct, security, citation,
    /// contributing
    #[arg(value_name = "NAME|DOCUMENT")]
    pub what: String,
    /// The project's name on PyPI [default: the folder's name for a project; for a document,
    /// `project.name` of --dir's pyproject.toml]
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// The build backend of a new project [default: asked on a terminal, else hatchling]
    #[arg(long, value_enum)]
    pub backend: Option<BackendArg>,
    /// One sentence saying what the project does
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Who holds the copyright and is cited [default: from pyproject.toml, else "The NAME
    /// developers"]
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// The contact address for conduct and security reports [default: from pyproject.toml;
    /// without one the documents point to GitHub's private reporting and the steering council]
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
    /// The GitHub repository [default: from pyproject.toml's URLs, else NAME/NAME]
    #[arg(long, value_name = "OWNER/REPO")]
    pub github: Option<String>,
    /// Where the documentation lives [default: from pyproject.toml, else
    /// https://NAME.readthedocs.io]
    #[arg(long, value_name = "URL")]
    pub docs_url: Option<String>,
    /// The folder a document is written into (a project is written into NAME)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The oldest CPython the project supports, `3.12` [default: SPEC 0's minimum on --date,
    /// from agora.toml's CPython release dates]
    #[arg(long, value_name = "X.Y")]
    pub python: Option<String>,
    /// The day SPEC 0's minimum is taken on, and the copyright year [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Output format: text (the files written), json (the same as an object)
    #[arg(long, value_enum, default_value_t = NewFormat::Text)]
    pub format: NewFormat,
}

/// `--backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    /// Pure Python, built with hatchling
    Hatchling,
    /// A C extension built with meson-python; wheels with cibuildwheel, free-threaded included
    MesonPython,
}

/// Formats of `agora new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewFormat {
    /// The files written, one a line
    Text,
    /// `{"kind", "name", "root", "backend", "python_versions", "files"}`
    Json,
}

/// `agora new …`.
pub fn run(context: &Context, args: &NewArgs) -> anyhow::Result<ExitCode> {
    let date = parse_date(args.date.as_deref())?;
    if let Some(document) = Document::from_keyword(&args.what) {
        return new_document(context, args, document, date);
    }
    new_project(context, args, date)
}

/// The CPython versions to support: from `--python` (or SPEC 0's minimum on `date`) up to the
/// newest released by `date`.
fn python_versions(context: &Context, args: &NewArgs, date: Date) -> anyhow::Result<Vec<String>> {
    let python = agora_ecosystem::releases::python_releases(&context.ecosystem);
    let floor = match &args.python {
        Some(text) => {
            let floor: pep440_rs::Version = text
                .parse()
                .ok()
                .filter(|v: &pep440_rs::Version| v.release().len() == 2)
                .with_context(|| format!("--python `{text}` is not a version like 3.12"))?;
            floor
        }
        None => python.minimum_in_force(date).context(
            "agora.toml's [python] release dates give no SPEC 0 minimum on this date; pass --python X.Y",
        )?,
    };
    let released_by = agora_ecosystem::releases::start_of(date);
    let mut versions: Vec<&agora_schedule::Release> = python
        .releases
        .iter()
        .filter(|r| r.version >= floor && r.released <= released_by)
        .collect();
    versions.sort_by(|a, b| a.version.cmp(&b.version));
    let mut versions: Vec<String> = versions.iter().map(|r| r.version.to_string()).collect();
    if versions.first() != Some(&floor.to_string()) {
        // A floor newer than the known releases (or not among them) is still the floor.
        versions.insert(0, floor.to_string());
    }
    Ok(versions)
}

/// The project's values: options first, then what `declared` (a pyproject.toml) says, then
/// defaults made from the name.
fn project(
    context: &Context,
    args: &NewArgs,
    name: String,
    declared: &agora_scaffold::Declared,
    backend: Backend,
    date: Date,
) -> anyhow::Result<Project> {
    let module = agora_scaffold::module_name(&name)?;
    if let Some(repo) = &args.github {
        let parts: Vec<&str> = repo.split('/').collect();
        let plain = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if parts.len() != 2 || !parts.iter().all(|p| plain(p)) {
            bail!("--github `{repo}` is not a repository like owner/name");
        }
    }
    Ok(Project {
        description: args
            .description
            .clone()
            .or_else(|| declared.description.clone())
            .unwrap_or_else(|| "A scientific Python package.".to_string()),
        author: args
            .author
            .clone()
            .or_else(|| declared.author.clone())
            .unwrap_or_else(|| format!("The {name} developers")),
        email: args.email.clone().or_else(|| declared.email.clone()),
        repository: args
            .github
            .clone()
            .or_else(|| declared.repository.clone())
            .unwrap_or_else(|| format!("{name}/{name}")),
        docs_url: args
            .docs_url
            .clone()
            .or_else(|| declared.docs_url.clone())
            .unwrap_or_else(|| format!("https://{}.readthedocs.io", name.to_lowercase())),
        backend,
        python_versions: python_versions(context, args, date)?,
        year: date.year(),
        agora_version: env!("CARGO_PKG_VERSION").to_string(),
        module,
        name,
    })
}

/// The backend from `--backend`, else asked on a terminal, else hatchling.
fn backend(args: &NewArgs) -> anyhow::Result<Backend> {
    if let Some(arg) = args.backend {
        return Ok(match arg {
            BackendArg::Hatchling => Backend::Hatchling,
            BackendArg::MesonPython => Backend::MesonPython,
        });
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(Backend::Hatchling);
    }
    let mut stderr = std::io::stderr();
    let mut line = String::new();
    loop {
        write!(
            stderr,
            "Build backend: 1) hatchling (pure Python)  2) meson-python (C extension) [1]: "
        )?;
        stderr.flush()?;
        line.clear();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            return Ok(Backend::Hatchling);
        }
        match line.trim() {
            "" | "1" | "hatchling" => return Ok(Backend::Hatchling),
            "2" | "meson-python" => return Ok(Backend::MesonPython),
            other => writeln!(stderr, "`{other}`: answer 1 or 2")?,
        }
    }
}

/// What the pyproject.toml in `dir` declares; nothing when there is none.
fn declared_in(dir: &Path) -> anyhow::Result<agora_scaffold::Declared> {
    let path = dir.join("pyproject.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => agora_scaffold::declared(&text)
            .with_context(|| format!("{} is not valid TOML", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Default::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// `agora new NAME`.
fn new_project(context: &Context, args: &NewArgs, date: Date) -> anyhow::Result<ExitCode> {
    let root = PathBuf::from(&args.what);
    let folder_name = root
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` does not end in a folder name", args.what))?;
    let name = args
        .project
        .clone()
        .unwrap_or_else(|| folder_name.to_string());
    let backend = backend(args)?;
    let project = project(context, args, name, &Default::default(), backend, date)?;
    let files = agora_scaffold::project_tree(&project)?;
    let written = agora_scaffold::write_tree(&root, &files)?;
    report(args, "project", &project, &root, &written)?;
    if args.format == NewFormat::Text && !context.quiet {
        eprintln!(
            "next: cd {} && git init && pre-commit install && pip install -e \".[test]\" && pytest",
            root.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `agora new <document>`.
fn new_document(
    context: &Context,
    args: &NewArgs,
    document: Document,
    date: Date,
) -> anyhow::Result<ExitCode> {
    let declared = declared_in(&args.dir)?;
    let Some(name) = args.project.clone().or_else(|| declared.name.clone()) else {
        bail!(
            "which project is {} for? Pass --project NAME (there is no pyproject.toml with a project.name in {})",
            document.file_name(),
            args.dir.display()
        );
    };
    let backend = Backend::Hatchling; // documents do not depend on it
    let project = project(context, args, name, &declared, backend, date)?;
    let file = agora_scaffold::document(document, &project)?;
    let written = agora_scaffold::write_tree(&args.dir, std::slice::from_ref(&file))?;
    report(args, document.keyword(), &project, &args.dir, &written)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints what was written.
fn report(
    args: &NewArgs,
    kind: &str,
    project: &Project,
    root: &Path,
    written: &[PathBuf],
) -> anyhow::Result<()> {
    let out = match args.format {
        NewFormat::Json => {
            let value = serde_json::json!({
                "kind": kind,
                "name": project.name,
                "root": root,
                "backend": (kind == "project").then(|| project.backend.as_str()),
                "python_versions": project.python_versions,
                "files": written,
            });
            serde_json::to_string_pretty(&value)? + "\n"
        }
        NewFormat::Text => {
            let mut out = if kind == "project" {
                format!(
                    "created {} ({}, CPython {}): {} files\n",
                    root.display(),
                    project.backend.as_str(),
                    project.python_versions.join(", "),
                    written.len()
                )
            } else {
                String::new()
            };
            for path in written {
                out.push_str(&format!("wrote {}\n", path.display()));
            }
            out
        }
    };
    crate::output::print(&out)?;
    Ok(())
}
