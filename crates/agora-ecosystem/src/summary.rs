//! One project's summary (its [`Tile`]) and the full models behind its pages, read from the
//! store and its checkout; and the fingerprints of those inputs, one per part of its pages
//! (PyPI, review, health, benchmarks), that tell a rebuild which parts changed.

use std::collections::BTreeMap;

use agora_bench_hosting::{Analysis, Reading};
use agora_config::{Ecosystem, Project};
use agora_health::report::{HealthReport, Options as HealthOptions};
use agora_review::Report;
use agora_schedule::PackageReleases;
use agora_site::portal::PartKind;
use agora_site::portal::model::{
    BenchSummary, HealthSummary, Part, RegressionSummary, ReleaseSummary, ReviewSummary, Section,
    Spec0Finding, Spec0Summary, Tile, WheelPython, WheelSummary,
};
use agora_store::Store;
use agora_wheels::{ProjectFiles, Selection, WheelsReport};
use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::EcosystemError;

/// A project's tile and, for its own pages, the models it was made from ([`Part::Kept`] for
/// the parts taken from an earlier build).
pub struct Gathered {
    /// The summary.
    pub tile: Tile,
    /// Its health report, when the store has its GitHub data.
    pub health: Part<HealthReport>,
    /// Its review, when `agora.toml` names a checkout.
    pub review: Part<Report>,
    /// Its wheel coverage (newest release).
    pub wheels: Part<WheelsReport>,
    /// Its benchmark analysis, when results have been ingested.
    pub bench: Part<Analysis>,
}

/// The digests of a project's inputs, one per part of its pages: a part whose digest is the
/// same as in the previous build keeps its pages and its sections of the tile.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprints {
    /// The PyPI page, the core projects' releases and the checkout's floors: the release,
    /// SPEC 0 and wheels sections and `wheels.html`.
    pub pypi: String,
    /// The checkout's files and the core projects' releases (AG100): `review.html`.
    pub review: String,
    /// The repository's mirrored activity: `health.html`.
    pub health: String,
    /// The benchmark inputs: `bench/`.
    pub bench: String,
}

/// What an earlier build left of a project: its tile and the parts it wrote pages for.
pub struct Previous<'a> {
    /// The tile.
    pub tile: &'a Tile,
    /// The parts with pages.
    pub parts: &'a std::collections::BTreeSet<PartKind>,
}

impl Previous<'_> {
    /// [`Part::Kept`] when the earlier build wrote pages for `part`, else [`Part::Absent`].
    fn kept<T>(&self, part: PartKind) -> Part<T> {
        if self.parts.contains(&part) {
            Part::Kept
        } else {
            Part::Absent
        }
    }
}

/// Which parts a gather must compute afresh; the others come from the previous tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale {
    /// Release, SPEC 0 and wheels.
    pub pypi: bool,
    /// The review.
    pub review: bool,
    /// The health report.
    pub health: bool,
    /// The benchmark analysis.
    pub bench: bool,
}

impl Stale {
    /// Every part.
    pub const ALL: Stale = Stale {
        pypi: true,
        review: true,
        health: true,
        bench: true,
    };

    /// The parts it names.
    pub fn kinds(&self) -> Vec<PartKind> {
        [
            (self.pypi, PartKind::Pypi),
            (self.review, PartKind::Review),
            (self.health, PartKind::Health),
            (self.bench, PartKind::Bench),
        ]
        .into_iter()
        .filter_map(|(stale, kind)| stale.then_some(kind))
        .collect()
    }

    /// The parts whose digests differ between `now` and `before`.
    pub fn between(now: &Fingerprints, before: &Fingerprints) -> Stale {
        Stale {
            pypi: now.pypi != before.pypi,
            review: now.review != before.review,
            health: now.health != before.health,
            bench: now.bench != before.bench,
        }
    }
}

/// The folder name of a project's pages: lower-case letters, digits, `-` and `_`.
pub fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    if slug.trim_matches('-').is_empty() {
        "project".into()
    } else {
        slug
    }
}

/// The digests of everything a project's pages are made from, per part: its PyPI page, its
/// GitHub activity mark, its benchmark inputs, its checkout's review and floors, the core
/// projects' releases (SPEC 0), the build date and agora's version.
pub fn fingerprints(
    store: &Store,
    ecosystem: &Ecosystem,
    project: &Project,
    releases_digest: &str,
    as_of: Date,
) -> Result<Fingerprints, EcosystemError> {
    // What every part depends on: agora's version, the day, the project's settings.
    let base = || {
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION"));
        hash.update(as_of.to_string());
        hash.update(format!("{project:?}"));
        hash
    };
    // The review and the floors read the checkout's configuration files; their bytes stand
    // for them.
    let mut config_files = Vec::new();
    if let Some(checkout) = &project.checkout {
        for name in [
            "pyproject.toml",
            "setup.cfg",
            ".pre-commit-config.yaml",
            "noxfile.py",
            ".readthedocs.yaml",
        ] {
            config_files.push((name, std::fs::read(checkout.join(name)).unwrap_or_default()));
        }
    }

    let mut pypi = base();
    pypi.update(releases_digest);
    pypi.update(format!("{:?}", ecosystem.python));
    let page = store.pypi_project(&agora_config::normalize(&project.pypi))?;
    pypi.update(format!(
        "{:?}",
        page.map(|p| (p.content_sha256, p.last_serial))
    ));
    for (name, bytes) in &config_files {
        pypi.update(name);
        pypi.update(bytes);
    }

    let mut review = base();
    review.update(releases_digest);
    if let Some(checkout) = &project.checkout {
        for (name, bytes) in &config_files {
            review.update(name);
            review.update(bytes);
        }
        review.update(format!("{:?}", walk_signature(checkout)));
    }

    let mut health = base();
    if let Some(repo) = &project.repo {
        // The repository's row count and newest change counter: any write to its items,
        // comments or reviews moves them, and reading them costs one aggregate per table.
        health.update(format!("{:?}", store.github_activity_mark(repo)?));
    }

    let mut bench = base();
    bench.update(format!("{:?}", store.bench_analysis_inputs(&project.name)?));

    Ok(Fingerprints {
        pypi: hex(&pypi.finalize()),
        review: hex(&review.finalize()),
        health: hex(&health.finalize()),
        bench: hex(&bench.finalize()),
    })
}

/// Paths, sizes and modification times of a checkout's files (not `.git`), up to 20,000.
fn walk_signature(root: &std::path::Path) -> Vec<(String, u64, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if out.len() >= 20_000 {
                return out;
            }
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(path);
                }
            } else {
                out.push((
                    path.strip_prefix(root)
                        .unwrap_or(&path)
                        .display()
                        .to_string(),
                    meta.len(),
                    meta.modified().ok(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The review of `project`'s checkout (when `agora.toml` names one that exists), with the
/// SPEC 0 data of `packages` on `as_of` for AG100.
pub fn review_checkout(
    project: &Project,
    packages: &[PackageReleases],
    as_of: Date,
) -> Option<Report> {
    let at = crate::releases::start_of(as_of);
    project
        .checkout
        .as_ref()
        .filter(|p| p.is_dir())
        .map(|checkout| {
            let options = agora_review::Options {
                spec0: (packages.len() > 1).then(|| agora_review::Spec0Data {
                    packages: packages.to_vec(),
                    at,
                }),
                ..agora_review::Options::default()
            };
            agora_review::review(checkout, &options)
        })
}

/// Gathers `project`'s summary and models as of `as_of`; `packages` are Python's and the
/// core projects' feature releases (SPEC 0). With a `previous` tile, the parts that `stale`
/// does not name are taken from it and not read again ([`Part::Kept`]).
pub fn gather(
    store: &mut Store,
    ecosystem: &Ecosystem,
    project: &Project,
    packages: &[PackageReleases],
    as_of: Date,
    stale: Stale,
    previous: Option<&Previous<'_>>,
) -> Result<Gathered, EcosystemError> {
    let at = crate::releases::start_of(as_of);
    let kept = |stale: bool| if stale { None } else { previous };

    let (release, spec0, wheels_section, wheels) = match kept(stale.pypi) {
        Some(prev) => (
            prev.tile.release.clone(),
            prev.tile.spec0.clone(),
            prev.tile.wheels.clone(),
            prev.kept(PartKind::Pypi),
        ),
        None => {
            let normalized = agora_config::normalize(&project.pypi);
            let files = if store.pypi_project(&normalized)?.is_some() {
                Some(store.pypi_files(&normalized)?)
            } else {
                None
            };
            let release = match &files {
                None => Section::missing(format!(
                    "no PyPI data for {}: run `agora pypi sync {}`",
                    project.pypi, project.pypi
                )),
                Some(files) => latest_release(files),
            };
            let spec0 = spec0_summary(project, &release, packages, at);
            let wheels = files.map(|files| {
                let python_releases: BTreeMap<String, Date> = ecosystem
                    .python
                    .iter()
                    .map(|p| (p.version.clone(), p.released))
                    .collect();
                WheelsReport::compute(
                    &[ProjectFiles {
                        project: project.name.clone(),
                        files,
                    }],
                    &Selection::Latest,
                    &python_releases,
                )
            });
            let section = match &wheels {
                Some(report) => wheel_summary(report, ecosystem, as_of),
                None => Section::missing("no PyPI data to read wheels from"),
            };
            (release, spec0, section, Part::from_option(wheels))
        }
    };

    let (review_section, review) = match kept(stale.review) {
        Some(prev) => (prev.tile.review.clone(), prev.kept(PartKind::Review)),
        None => {
            let review = review_checkout(project, packages, as_of);
            let section = match &review {
                Some(report) => Section::Known {
                    value: review_summary(report),
                },
                None => Section::missing(match &project.checkout {
                    Some(path) => format!(
                        "the checkout {} named in agora.toml is not a folder",
                        path.display()
                    ),
                    None => "no checkout in agora.toml (checkout = \"PATH\") to review".into(),
                }),
            };
            (section, Part::from_option(review))
        }
    };

    let (health_section, health) = match kept(stale.health) {
        Some(prev) => (prev.tile.health.clone(), prev.kept(PartKind::Health)),
        None => {
            let health = match &project.repo {
                Some(repo) => agora_health::load::from_store(store, repo)?
                    .map(|loaded| HealthReport::compute(&loaded.data, &HealthOptions::default())),
                None => None,
            };
            let section = match (&health, &project.repo) {
                (Some(report), _) => Section::Known {
                    value: health_summary(report),
                },
                (None, Some(repo)) => Section::missing(format!(
                    "no GitHub data for {repo}: run `agora github sync {repo}` or import devstats dumps"
                )),
                (None, None) => {
                    Section::missing("no GitHub repository in agora.toml (repo = \"OWNER/NAME\")")
                }
            };
            (section, Part::from_option(health))
        }
    };

    let (bench_section, bench) = match kept(stale.bench) {
        Some(prev) => (prev.tile.bench.clone(), prev.kept(PartKind::Bench)),
        None => {
            let bench = if store.bench_project(&project.name)?.is_some() {
                Some(
                    agora_bench_hosting::analyse(store, &project.name, Reading::Everything)
                        .map_err(|e| EcosystemError::Bench(project.name.clone(), e.to_string()))?,
                )
            } else {
                None
            };
            let section = match &bench {
                Some(analysis) => Section::Known {
                    value: bench_summary(analysis, project),
                },
                None => Section::missing(
                    "no benchmark results have been ingested (`agora bench ingest`)",
                ),
            };
            (section, Part::from_option(bench))
        }
    };

    let tile = Tile {
        name: project.name.clone(),
        slug: slug(&project.name),
        pypi: project.pypi.clone(),
        repo: project.repo.clone(),
        docs: project.docs.clone(),
        role: format!("{:?}", project.role).to_lowercase(),
        release,
        spec0,
        review: review_section,
        wheels: wheels_section,
        bench: bench_section,
        health: health_section,
    };
    Ok(Gathered {
        tile,
        health,
        review,
        wheels,
        bench,
    })
}

/// The newest release by version among the files (pre-releases only when nothing else).
fn latest_release(files: &[agora_store::pypi::PypiFile]) -> Section<ReleaseSummary> {
    let firsts = agora_pypi::releases::first_uploads(files);
    let newest = firsts
        .iter()
        .rev()
        .find(|(v, _)| !v.any_prerelease())
        .or_else(|| firsts.iter().next_back());
    let Some((version, released)) = newest else {
        return Section::missing("the index lists no release with upload times");
    };
    let text = version.to_string();
    let requires_python = files
        .iter()
        .filter(|f| {
            f.version
                .as_deref()
                .is_some_and(|v| v.parse::<pep440_rs::Version>().ok().as_ref() == Some(version))
        })
        .find_map(|f| f.requires_python.clone())
        .filter(|r| !r.trim().is_empty());
    Section::Known {
        value: ReleaseSummary {
            version: text,
            released: Some(*released),
            requires_python,
            releases: firsts.len(),
        },
    }
}

/// The project's floors against SPEC 0: its checkout's `pyproject.toml` when it has one,
/// else the newest release's `Requires-Python`.
fn spec0_summary(
    project: &Project,
    release: &Section<ReleaseSummary>,
    packages: &[PackageReleases],
    at: Timestamp,
) -> Section<Spec0Summary> {
    if packages.len() < 2 {
        return Section::missing("no release data for the core projects to compute SPEC 0 from");
    }
    let from_checkout = project
        .checkout
        .as_ref()
        .map(|c| c.join("pyproject.toml"))
        .filter(|p| p.is_file())
        .and_then(|p| agora_schedule::pyproject::read(&p).ok().map(|d| (p, d)));
    let (source, declared) = match from_checkout {
        Some((_, declared)) => (
            "pyproject.toml of the checkout".to_string(),
            declared.declarations,
        ),
        None => {
            let Some(ReleaseSummary {
                version,
                requires_python: Some(requires),
                ..
            }) = release.known()
            else {
                return Section::missing(
                    "neither a checkout's pyproject.toml nor a Requires-Python to compare with SPEC 0",
                );
            };
            match agora_schedule::pyproject::requires_python_declaration(requires) {
                Some(declaration) => (format!("Requires-Python of {version}"), vec![declaration]),
                None => {
                    return Section::missing(format!(
                        "Requires-Python `{requires}` of {version} is not a version specifier"
                    ));
                }
            }
        }
    };
    let findings = agora_schedule::check::findings(&declared, packages, at);
    let rows: Vec<Spec0Finding> = findings
        .iter()
        .map(|f| Spec0Finding {
            package: f.package.clone(),
            declared: if f.declared.is_empty() {
                "none".into()
            } else {
                f.declared.clone()
            },
            minimum: f
                .allowed
                .as_ref()
                .map_or_else(|| "none".into(), |v| format!(">={v}")),
            status: f.status.label().into(),
            needs_action: f.status == agora_schedule::check::Status::BelowPolicy,
        })
        .collect();
    Section::Known {
        value: Spec0Summary {
            source,
            follows: rows.iter().all(|r| !r.needs_action),
            findings: rows,
        },
    }
}

fn review_summary(report: &Report) -> ReviewSummary {
    use agora_review::Outcome;
    let mut summary = ReviewSummary {
        passed: 0,
        failed: 0,
        skipped: 0,
        failures: Vec::new(),
    };
    for check in &report.checks {
        match &check.outcome {
            Outcome::Pass => summary.passed += 1,
            Outcome::Fail(_) => {
                summary.failed += 1;
                summary
                    .failures
                    .push((check.code.to_string(), check.description.to_string()));
            }
            Outcome::Skip(_) => summary.skipped += 1,
        }
    }
    summary
}

/// Coverage of the newest CPython released by `as_of`, regular and free-threaded.
fn wheel_summary(
    report: &WheelsReport,
    ecosystem: &Ecosystem,
    as_of: Date,
) -> Section<WheelSummary> {
    let Some(matrix) = report.releases.first() else {
        return Section::missing("the newest release has no files");
    };
    let newest_minor = ecosystem
        .python
        .iter()
        .filter(|p| p.released <= as_of)
        .filter_map(|p| {
            p.version
                .strip_prefix("3.")?
                .split('.')
                .next()?
                .parse::<u8>()
                .ok()
        })
        .max();
    let pythons = matrix
        .rows
        .iter()
        .filter(|row| Some(row.python.minor) == newest_minor)
        .map(|row| {
            let (mut covered, mut missing) = (Vec::new(), Vec::new());
            for platform in &report.platforms {
                let has = row.cell(*platform).is_some_and(|cell| cell.wheels > 0);
                if has {
                    covered.push(platform.label().to_string());
                } else {
                    missing.push(platform.label().to_string());
                }
            }
            WheelPython {
                python: row.python.label(),
                covered,
                missing,
            }
        })
        .collect();
    Section::Known {
        value: WheelSummary {
            version: matrix.version.clone(),
            pure: matrix.pure,
            pythons,
        },
    }
}

fn bench_summary(analysis: &Analysis, project: &Project) -> BenchSummary {
    let report = &analysis.found.report;
    let mut regressions: Vec<RegressionSummary> = report
        .regressions
        .iter()
        .map(|r| {
            let jump = r.jumps.last();
            let commit = jump
                .and_then(|j| analysis.history.sha(j.after))
                .map(str::to_string);
            RegressionSummary {
                benchmark: r.benchmark.clone(),
                params: r
                    .graph_params
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
                    .collect(),
                machine: r.machine.clone(),
                factor: r.factor(),
                commit_url: match (&commit, &project.repo) {
                    (Some(hash), Some(repo)) => {
                        Some(format!("https://github.com/{repo}/commit/{hash}"))
                    }
                    _ => None,
                },
                at: jump
                    .and_then(|j| analysis.history.commits.get(j.after as usize))
                    .and_then(|c| Timestamp::from_second(c.time).ok()),
                commit,
                page: format!(
                    "projects/{}/bench/{}",
                    slug(&project.name),
                    agora_site::bench::series_page(&r.benchmark)
                ),
            }
        })
        .collect();
    regressions.sort_by(|a, b| {
        b.factor
            .unwrap_or(0.0)
            .partial_cmp(&a.factor.unwrap_or(0.0))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    BenchSummary {
        series: analysis.found.graphs.len(),
        regressions,
    }
}

fn health_summary(report: &HealthReport) -> HealthSummary {
    let row = agora_health::ProjectSummary::from_report(report);
    HealthSummary {
        since: report.window.since,
        until: report.window.until.or(report.window.as_of),
        merged: row.merged.value().copied(),
        open: Some(report.pulls.open),
        response_median_hours: row.response_median_hours.value().copied(),
        merge_median_days: row.merge_median_days.value().copied(),
        issue_close_median_days: row.issue_close_median_days.value().copied(),
        pony_factor: row.pony_factor.value().copied(),
        unique_authors: row.unique_authors.value().copied(),
        sparkline: row.sparkline,
    }
}
