//! `agora portal build`: the whole ecosystem's website from the store and `agora.toml`.
//!
//! A build reads the manifest the previous build left in the output folder
//! (`.agora-portal.json`): for each project, the fingerprints of its inputs (one per part:
//! PyPI, review, health, benchmarks), its tile, the files of each part and their search
//! entries. A project whose fingerprints are all unchanged (and whose files are all still
//! there) keeps its pages and its tile without its data being read again; for the others only
//! the parts whose inputs changed are gathered ([`crate::summary::gather`]) and rendered, with
//! the project's index page, and the other parts keep their pages and their tile sections. The shared
//! pages (home, the ecosystem's tables, the feed, the search index) are rendered from the
//! tiles every time; the wheels page, the costliest (every project's wheels against every
//! CPython), is made from the few files of each project it reads, kept in the manifest and
//! read again from the store only for the PyPI pages that changed; likewise the core
//! projects' releases (SPEC 0) are read again only from PyPI pages that changed. Every file is compared with what is on disk and written only when its
//! bytes differ; files of the previous build that no page produces any more are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use agora_config::Ecosystem;
use agora_schedule::Schedule;
use agora_site::portal::model::{Change, Medians, PortalView, ProjectDetail, Section, Tile};
use agora_site::portal::{Page, PartKind, SearchEntry};
use agora_store::Store;
use agora_wheels::{ProjectFiles, Selection, WheelsReport};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::EcosystemError;
use crate::summary::{self, Fingerprints, Gathered, Previous, Stale};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = ".agora-portal.json";

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder.
    pub out: PathBuf,
    /// The day to build for (SPEC 0's minimums, the health window's end).
    pub as_of: Date,
    /// Rebuild every project even when its inputs did not change.
    pub full: bool,
}

/// What a build did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildSummary {
    /// Projects whose pages were rendered.
    pub projects_rebuilt: Vec<String>,
    /// Projects whose inputs had not changed: their pages were kept.
    pub projects_kept: Vec<String>,
    /// Per rebuilt project, the parts whose inputs changed and were gathered and rendered (the
    /// others kept their pages).
    pub parts_rebuilt: BTreeMap<String, Vec<PartKind>>,
    /// Whether the community pages were made again (else their inputs had not changed).
    pub community_rebuilt: bool,
    /// Files written (new or changed).
    pub written: usize,
    /// Files whose bytes were already right.
    pub unchanged: usize,
    /// Files of the previous build no page produces any more, removed.
    pub removed: usize,
    /// Pages in the site.
    pub pages: usize,
    /// What the site lacks and why, one line per capability and project.
    pub missing: Vec<String>,
}

/// A progress event of a build.
#[derive(Debug, Clone)]
pub enum BuildEvent<'a> {
    /// A project is being gathered and rendered.
    Project(&'a str),
    /// A project's inputs did not change.
    Kept(&'a str),
    /// The shared pages are being rendered.
    Shared,
}

/// The manifest of a build, kept in the output folder for the next one.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// agora's version that wrote it; another version rebuilds everything.
    generator: String,
    /// Per project (by name).
    projects: BTreeMap<String, ProjectRecord>,
    /// The shared pages' files.
    shared: Vec<String>,
    /// The core projects' feature releases, with the PyPI page each was read from.
    #[serde(default)]
    releases: BTreeMap<String, crate::releases::PageReleases>,
    /// Per project (by name): the PyPI files its part of the wheels page is made from
    /// ([`agora_wheels::latest_report_files`]), with the page they were read from.
    #[serde(default)]
    wheel_files: BTreeMap<String, PageWheelFiles>,
    /// Per project (by name): every release (first upload per version) the calendars show,
    /// with the PyPI page it was read from.
    #[serde(default)]
    calendar_releases: BTreeMap<String, crate::releases::PageReleases>,
    /// The community pages: kept while [`crate::community::digest`] is unchanged.
    #[serde(default)]
    community: Option<KeptPages>,
}

/// Pages made from inputs whose digest is kept: the files and their search entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeptPages {
    digest: String,
    files: Vec<String>,
    search: Vec<SearchEntry>,
}

/// The files of one project that the ecosystem's wheels page reads, and their page's digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PageWheelFiles {
    page: String,
    files: Vec<agora_store::pypi::PypiFile>,
}

/// What the manifest keeps of one project.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ProjectRecord {
    /// The digests of its inputs, per part.
    fingerprints: Fingerprints,
    tile: Tile,
    /// Every file of the project's folder.
    files: Vec<String>,
    /// The files of each part (the rest is the project's index page).
    parts: BTreeMap<PartKind, Vec<String>>,
    search: Vec<SearchEntry>,
}

/// `agora X.Y.Z`.
fn generator() -> String {
    format!("agora {}", env!("CARGO_PKG_VERSION"))
}

/// Builds the portal of `ecosystem` from `store` into `options.out`.
pub fn build(
    store: &mut Store,
    ecosystem: &Ecosystem,
    options: &BuildOptions,
    progress: &mut dyn FnMut(BuildEvent<'_>),
) -> Result<BuildSummary, EcosystemError> {
    let out = &options.out;
    std::fs::create_dir_all(out).map_err(|source| EcosystemError::Write {
        path: out.clone(),
        source,
    })?;
    let previous = read_manifest(out);
    let generator = generator();
    let reuse = !options.full && previous.generator == generator;

    // The core projects' releases: a page unchanged since the last build is not read again.
    let no_releases = BTreeMap::new();
    let read = crate::releases::stored_reusing(
        store,
        ecosystem,
        if reuse {
            &previous.releases
        } else {
            &no_releases
        },
    )?;
    let (packages, missing_core) = (read.packages, read.missing);
    let releases_digest = {
        let mut hash = Sha256::new();
        hash.update(format!("{packages:?}"));
        summary::hex(&hash.finalize())
    };

    let mut summary = BuildSummary::default();
    let mut manifest = Manifest {
        generator: generator.clone(),
        releases: read.pages,
        ..Manifest::default()
    };
    let mut tiles = Vec::new();
    let mut search = Vec::new();
    for project in &ecosystem.projects {
        let fingerprints =
            summary::fingerprints(store, ecosystem, project, &releases_digest, options.as_of)?;
        // The previous build's record, when its files are all still there.
        let before = previous
            .projects
            .get(&project.name)
            .filter(|_| reuse)
            .filter(|r| r.files.iter().all(|f| out.join(f).is_file()));
        let record = match before {
            Some(record) if record.fingerprints == fingerprints => {
                progress(BuildEvent::Kept(&project.name));
                summary.projects_kept.push(project.name.clone());
                summary.unchanged += record.files.len();
                record.clone()
            }
            _ => {
                progress(BuildEvent::Project(&project.name));
                // Only the parts whose inputs changed are gathered and rendered; the others
                // keep their pages and their sections of the tile.
                let stale = before.map_or(Stale::ALL, |r| {
                    Stale::between(&fingerprints, &r.fingerprints)
                });
                let kept_parts = before.map(|r| r.parts.keys().copied().collect());
                let previous_parts = before.zip(kept_parts.as_ref()).map(|(r, parts)| Previous {
                    tile: &r.tile,
                    parts,
                });
                let mut gathered = summary::gather(
                    store,
                    ecosystem,
                    project,
                    &packages,
                    options.as_of,
                    stale,
                    previous_parts.as_ref(),
                )?;
                let pages = project_pages(&mut gathered, ecosystem, options.as_of, &generator)?;
                let mut parts: BTreeMap<PartKind, Vec<String>> = BTreeMap::new();
                let mut search: Vec<SearchEntry> = Vec::new();
                if let Some(record) = before {
                    // The kept parts' files and search entries.
                    let rendered = stale.kinds();
                    for (part, files) in &record.parts {
                        if !rendered.contains(part) {
                            parts.insert(*part, files.clone());
                            summary.unchanged += files.len();
                            search.extend(
                                record
                                    .search
                                    .iter()
                                    .filter(|e| files.contains(&e.path))
                                    .cloned(),
                            );
                        }
                    }
                }
                let written = write_pages(out, pages.iter().map(|(_, page)| page), &mut summary)?;
                for ((part, page), path) in pages.iter().zip(&written) {
                    if let Some(part) = part {
                        parts.entry(*part).or_default().push(path.clone());
                    }
                    search.extend(agora_site::portal::search_entry(page));
                }
                // In path order, whichever parts were kept: a rebuild's index equals a full
                // build's.
                search.sort_by(|a, b| a.path.cmp(&b.path));
                let mut files = written;
                for kept in parts.values().flatten() {
                    if !files.contains(kept) {
                        files.push(kept.clone());
                    }
                }
                summary.projects_rebuilt.push(project.name.clone());
                summary
                    .parts_rebuilt
                    .insert(project.name.clone(), stale.kinds());
                ProjectRecord {
                    fingerprints,
                    tile: gathered.tile,
                    files,
                    parts,
                    search,
                }
            }
        };
        tiles.push(record.tile.clone());
        search.extend(record.search.iter().cloned());
        summary.pages += record.files.iter().filter(|f| f.ends_with(".html")).count();
        manifest.projects.insert(project.name.clone(), record);
    }

    progress(BuildEvent::Shared);
    let schedule = (packages.len() > 1).then(|| Schedule::compute(&packages, options.as_of));
    // The wheels page reads a few files of each project, kept in the manifest per PyPI page:
    // only the pages that changed are read from the store again.
    let no_files = BTreeMap::new();
    let known = if reuse {
        &previous.wheel_files
    } else {
        &no_files
    };
    let (wheels, wheel_files) = ecosystem_wheels(store, ecosystem, known)?;
    manifest.wheel_files = wheel_files;
    let medians = medians(&tiles);
    let content = crate::community::content(ecosystem);
    let mut changes = changes(&tiles, schedule.as_ref(), options.as_of);
    changes.extend(crate::community::post_changes(&content));
    changes.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.title.cmp(&b.title)));
    let view = PortalView {
        ecosystem: &ecosystem.name,
        as_of: options.as_of,
        generator: &generator,
        tiles: &tiles,
        medians: &medians,
        schedule: schedule.as_ref(),
        wheels: wheels.as_ref(),
        changes: &changes,
    };
    let mut shared = agora_site::portal::shared_pages(&view)?;
    // The community's pages, kept while their inputs' digest is unchanged; their calendars'
    // releases, like the wheels page's files, are kept per PyPI page.
    let community_inputs = crate::community::CommunityInputs {
        tiles: &tiles,
        packages: &packages,
        schedule: schedule.as_ref(),
        content: &content,
        changes: &changes,
        as_of: options.as_of,
        generator: &generator,
    };
    let fingerprints: BTreeMap<String, Fingerprints> = manifest
        .projects
        .iter()
        .map(|(name, record)| (name.clone(), record.fingerprints.clone()))
        .collect();
    let community_digest =
        crate::community::digest(store, ecosystem, &community_inputs, &fingerprints)?;
    let kept_community = previous
        .community
        .as_ref()
        .filter(|c| reuse && c.digest == community_digest)
        .filter(|c| c.files.iter().all(|f| out.join(f).is_file()));
    let community = match kept_community {
        Some(kept) => {
            summary.unchanged += kept.files.len();
            manifest.calendar_releases = previous.calendar_releases.clone();
            kept.clone()
        }
        None => {
            let mut calendar_releases = if reuse {
                previous.calendar_releases.clone()
            } else {
                BTreeMap::new()
            };
            let pages = crate::community::pages(
                store,
                ecosystem,
                &community_inputs,
                &mut calendar_releases,
            )?;
            manifest.calendar_releases = calendar_releases;
            summary.community_rebuilt = true;
            KeptPages {
                digest: community_digest,
                files: write_pages(out, &pages, &mut summary)?,
                search: pages
                    .iter()
                    .filter_map(agora_site::portal::search_entry)
                    .collect(),
            }
        }
    };
    search.extend(community.search.iter().cloned());
    summary.pages += community
        .files
        .iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    search.extend(shared.iter().filter_map(agora_site::portal::search_entry));
    shared.extend(agora_site::portal::search_index(&search)?);
    manifest.shared = write_pages(out, &shared, &mut summary)?;
    summary.pages += manifest
        .shared
        .iter()
        .filter(|f| f.ends_with(".html"))
        .count();

    manifest.community = Some(community);
    // What the previous build wrote and nothing produces now.
    let now: BTreeSet<&String> = manifest
        .projects
        .values()
        .flat_map(|r| r.files.iter())
        .chain(manifest.shared.iter())
        .chain(manifest.community.iter().flat_map(|c| c.files.iter()))
        .collect();
    let before: BTreeSet<&String> = previous
        .projects
        .values()
        .flat_map(|r| r.files.iter())
        .chain(previous.shared.iter())
        .chain(previous.community.iter().flat_map(|c| c.files.iter()))
        .collect();
    for stale in before.difference(&now) {
        if let Ok(path) = inside(out, stale)
            && std::fs::remove_file(&path).is_ok()
        {
            summary.removed += 1;
        }
    }

    for name in missing_core {
        summary
            .missing
            .push(format!("{name}: no PyPI data (SPEC 0 leaves it out)"));
    }
    for problem in &content.problems {
        summary
            .missing
            .push(format!("content: {problem} (left out)"));
    }
    for tile in &tiles {
        for (capability, why) in tile_gaps(tile) {
            summary
                .missing
                .push(format!("{}: {capability}: {why}", tile.name));
        }
    }
    let text = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    write_if_changed(out, MANIFEST, &text)?;
    Ok(summary)
}

/// The pages of one project, from its gathered models.
fn project_pages(
    gathered: &mut Gathered,
    ecosystem: &Ecosystem,
    as_of: Date,
    generator: &str,
) -> Result<Vec<(Option<PartKind>, Page)>, EcosystemError> {
    let bench = gathered
        .bench
        .as_mut()
        .map(agora_bench_hosting::analysis::site);
    let detail = ProjectDetail {
        tile: &gathered.tile,
        health: gathered.health.as_ref(),
        review: gathered.review.as_ref(),
        wheels: gathered.wheels.as_ref(),
        bench,
    };
    Ok(agora_site::portal::project_pages(
        &detail,
        &ecosystem.name,
        as_of,
        generator,
    )?)
}

/// Wheel coverage of every project's newest release, from the stored PyPI pages: a project
/// whose page digest is in `known` is read from there, the others from the store (and kept,
/// reduced to the files the report reads, for the next build).
fn ecosystem_wheels(
    store: &Store,
    ecosystem: &Ecosystem,
    known: &BTreeMap<String, PageWheelFiles>,
) -> Result<(Option<WheelsReport>, BTreeMap<String, PageWheelFiles>), EcosystemError> {
    let mut files = Vec::new();
    let mut kept = BTreeMap::new();
    for project in &ecosystem.projects {
        let name = agora_config::normalize(&project.pypi);
        let Some(page) = store.pypi_project(&name)? else {
            continue;
        };
        let page = crate::releases::page_digest(&page);
        let wheel_files = match known.get(&project.name).filter(|k| k.page == page) {
            Some(known) => known.clone(),
            None => PageWheelFiles {
                page,
                files: agora_wheels::latest_report_files(&store.pypi_files(&name)?),
            },
        };
        files.push(ProjectFiles {
            project: project.name.clone(),
            files: wheel_files.files.clone(),
        });
        kept.insert(project.name.clone(), wheel_files);
    }
    if files.is_empty() {
        return Ok((None, kept));
    }
    let python_releases: BTreeMap<String, Date> = ecosystem
        .python
        .iter()
        .map(|p| (p.version.clone(), p.released))
        .collect();
    let report = WheelsReport::compute(&files, &Selection::Latest, &python_releases);
    Ok((Some(report), kept))
}

/// The median of `values`, or `None` over fewer than three projects.
fn median_of_three_or_more(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let known: Vec<f64> = values.flatten().filter(|v| v.is_finite()).collect();
    if known.len() < 3 {
        return None;
    }
    agora_health::measure::quantile(&known, 0.5)
}

/// The ecosystem's medians of the health headlines.
fn medians(tiles: &[Tile]) -> Medians {
    let health = || tiles.iter().filter_map(|t| t.health.known());
    Medians {
        merged: median_of_three_or_more(health().map(|h| h.merged.map(|v| v as f64))),
        response_median_hours: median_of_three_or_more(health().map(|h| h.response_median_hours)),
        merge_median_days: median_of_three_or_more(health().map(|h| h.merge_median_days)),
        pony_factor: median_of_three_or_more(health().map(|h| h.pony_factor.map(|v| v as f64))),
    }
}

/// Releases of the last 90 days, open regressions, and SPEC 0 drops of the current quarter,
/// newest first.
fn changes(tiles: &[Tile], schedule: Option<&Schedule>, as_of: Date) -> Vec<Change> {
    let end = crate::releases::start_of(as_of.tomorrow().unwrap_or(as_of));
    let since = end
        .checked_sub(jiff::SignedDuration::from_hours(24 * 90))
        .unwrap_or(end);
    let mut changes = Vec::new();
    for tile in tiles {
        if let Some(release) = tile.release.known()
            && let Some(at) = release.released
            && at >= since
            && at < end
        {
            changes.push(Change {
                kind: "release".into(),
                project: tile.name.clone(),
                title: format!("{} {} released", tile.name, release.version),
                at,
                page: format!("projects/{}/index.html", tile.slug),
            });
        }
        if let Some(bench) = tile.bench.known() {
            for regression in &bench.regressions {
                if let Some(at) = regression.at {
                    let factor = regression
                        .factor
                        .map_or(String::new(), |f| format!(" {f:.2}×"));
                    changes.push(Change {
                        kind: "regression".into(),
                        project: tile.name.clone(),
                        title: format!("{}: {}{factor} slower", tile.name, regression.benchmark),
                        at,
                        page: regression.page.clone(),
                    });
                }
            }
        }
    }
    if let Some(schedule) = schedule {
        changes.extend(quarter_drops(schedule, as_of));
    }
    changes.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.title.cmp(&b.title)));
    changes
}

/// SPEC 0's drops of the quarter holding `as_of`, one change per package, dated the
/// quarter's first day.
fn quarter_drops(schedule: &Schedule, as_of: Date) -> Vec<Change> {
    let quarter = agora_schedule::Quarter::of_date(as_of);
    let at = crate::releases::start_of(quarter.start());
    schedule
        .quarters
        .iter()
        .chain(schedule.cutoff_quarter.iter())
        .filter(|q| q.quarter == quarter)
        .flat_map(|q| q.packages.iter())
        .map(|drop| {
            let minimum = drop
                .new_minimum
                .as_ref()
                .map_or(String::new(), |v| format!("; new minimum {v}"));
            Change {
                kind: "spec0".into(),
                project: drop.package.clone(),
                title: format!(
                    "SPEC 0: {} support for {} ends{minimum}",
                    drop.package,
                    drop.versions
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                at,
                page: "spec0.html".into(),
            }
        })
        .collect()
}

/// The capabilities a tile has no data for, with the reason.
fn tile_gaps(tile: &Tile) -> Vec<(&'static str, String)> {
    fn gap<T>(name: &'static str, section: &Section<T>) -> Option<(&'static str, String)> {
        match section {
            Section::Missing { why } => Some((name, why.clone())),
            Section::Known { .. } => None,
        }
    }
    [
        gap("release", &tile.release),
        gap("SPEC 0", &tile.spec0),
        gap("review", &tile.review),
        gap("wheels", &tile.wheels),
        gap("benchmarks", &tile.bench),
        gap("health", &tile.health),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The manifest of the previous build, or an empty one.
fn read_manifest(out: &Path) -> Manifest {
    std::fs::read(out.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// `relative` under `out`, refused when it is absolute or climbs out.
fn inside(out: &Path, relative: &str) -> Result<PathBuf, EcosystemError> {
    let path = Path::new(relative);
    let plain =
        !relative.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(out.join(path))
    } else {
        Err(EcosystemError::UnsafePath(relative.to_string()))
    }
}

/// Writes `bytes` to `relative` under `out` unless the file already holds them; `true` when
/// written.
fn write_if_changed(out: &Path, relative: &str, bytes: &[u8]) -> Result<bool, EcosystemError> {
    let path = inside(out, relative)?;
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| EcosystemError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    // Write beside, then rename: a reader (or a server) never sees half a page.
    let partial = path.with_extension("agora-partial");
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|source| EcosystemError::Write {
            path: path.clone(),
            source,
        })?;
    Ok(true)
}

/// Writes `pages`, counting; returns their paths.
fn write_pages<'p>(
    out: &Path,
    pages: impl IntoIterator<Item = &'p Page>,
    summary: &mut BuildSummary,
) -> Result<Vec<String>, EcosystemError> {
    let mut files = Vec::new();
    for page in pages {
        if write_if_changed(out, &page.path, &page.bytes)? {
            summary.written += 1;
        } else {
            summary.unchanged += 1;
        }
        files.push(page.path.clone());
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_or_are_absolute_are_refused() {
        let out = Path::new("/srv/site");
        assert!(inside(out, "projects/numpy/index.html").is_ok());
        for bad in ["../etc/passwd", "/etc/passwd", "a/../../b", "", "./x"] {
            assert!(inside(out, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_median_needs_three_projects() {
        assert_eq!(
            median_of_three_or_more([Some(1.0), Some(3.0)].into_iter()),
            None
        );
        assert_eq!(
            median_of_three_or_more([Some(1.0), None, Some(3.0), Some(2.0)].into_iter()),
            Some(2.0)
        );
        assert_eq!(
            median_of_three_or_more([Some(f64::NAN), Some(1.0), Some(2.0)].into_iter()),
            None
        );
    }

    #[test]
    fn a_file_with_the_same_bytes_is_not_touched() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(write_if_changed(dir.path(), "a/b.html", b"x").expect("write"));
        let before = std::fs::metadata(dir.path().join("a/b.html"))
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!write_if_changed(dir.path(), "a/b.html", b"x").expect("write"));
        let after = std::fs::metadata(dir.path().join("a/b.html"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(before, after);
        assert!(write_if_changed(dir.path(), "a/b.html", b"y").expect("write"));
        assert_eq!(
            std::fs::read(dir.path().join("a/b.html")).expect("read"),
            b"y"
        );
    }
}
