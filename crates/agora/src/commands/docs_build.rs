//! `agora docs build`: the API reference of a package from its source.
//!
//! The package is read and resolved by `agora-docs`, the pages rendered by `agora-site` (on
//! all cores) and written here as each is made, then the inventory; the summary goes to stdout and each
//! unresolved See Also name to stderr as `path:line: warning: …`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use agora_docs::xref::see_also_report;
use agora_site::docs::{DocsOptions, render_site};
use anyhow::Context as _;
use serde::Serialize;

use crate::cli::{DocsBuildArgs, DocsBuildFormat};

/// The summary printed at the end.
#[derive(Serialize)]
struct Summary<'a> {
    project: &'a str,
    version: &'a str,
    package: &'a str,
    objects: usize,
    objects_by_kind: BTreeMap<&'static str, usize>,
    pages: usize,
    inventory: String,
    problems_by_cause: BTreeMap<&'a str, usize>,
    problems: &'a [agora_docs::Problem],
    see_also: &'a agora_docs::xref::SeeAlsoReport,
    seconds: f64,
}

/// `version = "…"` and `[project.urls]` repository-like URL from pyproject text.
fn pyproject_facts(pyproject: &str) -> (Option<String>, Option<String>, Option<String>) {
    let mut section = String::new();
    let (mut name, mut version, mut repository) = (None, None, None);
    for line in pyproject.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"').to_lowercase();
        let value = value.trim().trim_matches(['"', '\'']).to_string();
        match section.as_str() {
            "[project]" if key == "name" => name = Some(value),
            "[project]" if key == "version" => version = Some(value),
            "[project.urls]"
                if matches!(
                    key.as_str(),
                    "source" | "repository" | "source code" | "code"
                ) && value.starts_with("https://") =>
            {
                repository.get_or_insert(value);
            }
            _ => {}
        }
    }
    (name, version, repository)
}

/// The version in an sdist's file name (`numpy-2.4.6.tar.gz` → `2.4.6`).
fn sdist_version(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".tar.gz")
        .or_else(|| name.strip_suffix(".tgz"))?;
    Some(stem.rsplit_once('-')?.1.to_string())
}

/// `agora docs build PATH --out DIR`.
pub fn build(args: &DocsBuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let source = match agora_docs::package::load(&args.path, args.package.as_deref()) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    let (py_name, py_version, repository) = source
        .pyproject
        .as_deref()
        .map(pyproject_facts)
        .unwrap_or_default();
    let project = args
        .project
        .clone()
        .or(py_name)
        .unwrap_or_else(|| source.name.clone());
    let version = args
        .version
        .clone()
        .or(py_version)
        .or_else(|| sdist_version(&args.path))
        .unwrap_or_else(|| "0".to_string());
    let source_url = args
        .source_url
        .clone()
        .or_else(|| {
            repository.map(|url| {
                format!(
                    "{}/blob/v{{version}}/{{path}}#L{{line}}-L{{end_line}}",
                    url.trim_end_matches('/')
                )
            })
        })
        .map(|template| template.replace("{version}", &version));
    let reference = agora_docs::resolve::Resolver::new(&source).build();
    drop(source);
    let see_also = see_also_report(&reference);

    for folder in ["api", "assets"] {
        std::fs::create_dir_all(args.out.join(folder))
            .with_context(|| format!("cannot create {}", args.out.display()))?;
    }
    let mut pages = 0;
    if !args.no_pages {
        let options = DocsOptions {
            project: project.clone(),
            version: version.clone(),
            source_url,
        };
        let write = |relative: &str, html: String| -> anyhow::Result<()> {
            let path = args.out.join(relative);
            std::fs::write(&path, html).with_context(|| format!("cannot write {}", path.display()))
        };
        pages = render_site(&reference, &options, None, &write)?;
    }
    let inventory = agora_docs::inventory(&reference, &project, &version);
    let inventory_path = args.out.join("objects.inv");
    std::fs::write(&inventory_path, inventory.to_v2())
        .with_context(|| format!("cannot write {}", inventory_path.display()))?;

    for unresolved in &see_also.unresolved {
        eprintln!(
            "{}: warning: {}: See Also `{}` does not resolve",
            unresolved.location.as_deref().unwrap_or("?"),
            unresolved.object,
            unresolved.target
        );
    }
    let mut objects_by_kind = BTreeMap::new();
    for object in &reference.objects {
        *objects_by_kind.entry(object.kind.role()).or_insert(0) += 1;
    }
    let mut problems_by_cause = BTreeMap::new();
    for problem in &reference.problems {
        *problems_by_cause.entry(problem.cause.as_str()).or_insert(0) += 1;
    }
    let summary = Summary {
        project: &project,
        version: &version,
        package: &reference.package,
        objects: reference.objects.len(),
        objects_by_kind,
        pages,
        inventory: inventory_path.display().to_string(),
        problems_by_cause,
        problems: &reference.problems,
        see_also: &see_also,
        seconds: started.elapsed().as_secs_f64(),
    };
    let text = match args.format {
        DocsBuildFormat::Json => serde_json::to_string_pretty(&summary)? + "\n",
        DocsBuildFormat::Text => text_summary(&summary),
    };
    crate::output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn text_summary(summary: &Summary<'_>) -> String {
    let kinds: Vec<String> = summary
        .objects_by_kind
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let mut out = format!(
        "{} {} ({}): {} objects ({}), {} pages, {} in {:.2} s\n",
        summary.project,
        summary.version,
        summary.package,
        summary.objects,
        kinds.join(", "),
        summary.pages,
        summary.inventory,
        summary.seconds
    );
    let internal = summary.see_also.internal.max(1);
    out.push_str(&format!(
        "See Also: {} of {} references to the package resolved ({:.1} %), {} unresolved (listed on stderr), {} to other projects\n",
        summary.see_also.resolved,
        summary.see_also.internal,
        100.0 * summary.see_also.resolved as f64 / internal as f64,
        summary.see_also.unresolved.len(),
        summary.see_also.external.len()
    ));
    if summary.problems_by_cause.is_empty() {
        out.push_str("Everything resolved.\n");
    } else {
        let causes: Vec<String> = summary
            .problems_by_cause
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect();
        out.push_str(&format!(
            "Not resolved ({}); --format json lists each one\n",
            causes.join(", ")
        ));
    }
    out
}
