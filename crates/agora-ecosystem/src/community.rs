//! The community's part of the portal: the practices manual, governance documents, the
//! content folder's collections, the calendars and the bug days.
//!
//! [`content`] reads the `content/` folder beside `agora.toml` (the built-in ecosystem has
//! none); [`post_changes`] makes its news posts entries of the portal's feed and "recent"
//! list. [`pages`] reviews each project's checkout (the same review, with the same SPEC 0
//! data, as the project's own pages: [`crate::summary::review_checkout`]) and makes the
//! manual of it; lists each documentation or bug day's issues from the mirror; gathers the
//! calendars' entries — every project's releases (first upload of each version on PyPI),
//! planned releases (open milestones with a due date), SPEC 0's drop dates, and the content's
//! events, grant deadlines and proposal decisions — into one combined `.ics` and one per
//! project; and hands it all to `agora-site` for the pages. Making them reads a few
//! configuration files, the stored items of the events' projects, and the releases only of PyPI pages that changed since the last build (the
//! others' are kept, per page digest, in the portal's manifest). [`digest`] tells the portal
//! build when none of that changed, and the pages of the last build stand.

use std::collections::BTreeMap;

use agora_config::Ecosystem;
use agora_content::Content;
use agora_content::bugday::{self, ProjectItems};
use agora_content::calendar::{self, Calendar, Entry};
use agora_schedule::{PackageReleases, Schedule};
use agora_site::portal::Page;
use agora_site::portal::community::{CalendarLink, CommunityView};
use agora_site::portal::model::{Change, Tile};
use agora_store::Store;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use sha2::{Digest, Sha256};

use crate::EcosystemError;
use crate::releases::PageReleases;
use crate::releases::start_of;
use crate::summary::Fingerprints;

/// The content folder of `ecosystem` (beside its `agora.toml`), read and validated; empty
/// for the built-in ecosystem or without a folder.
pub fn content(ecosystem: &Ecosystem) -> Content {
    match &ecosystem.source {
        Some(config) => agora_content::load(&agora_content::folder_beside(config)),
        None => Content::default(),
    }
}

/// The digest of everything the community pages are made from: agora's version and the day,
/// the content folder, the projects' names and folders, the feed's changes, SPEC 0's
/// releases, per project the digests of its review (the manual) and PyPI page (the calendars'
/// releases) and its open milestones, and the activity of the projects whose documentation or
/// bug days list issues. A build whose digest equals the last one keeps the pages.
pub fn digest(
    store: &Store,
    ecosystem: &Ecosystem,
    inputs: &CommunityInputs<'_>,
    fingerprints: &BTreeMap<String, Fingerprints>,
) -> Result<String, EcosystemError> {
    let mut hash = Sha256::new();
    hash.update(inputs.generator);
    hash.update(inputs.as_of.to_string());
    hash.update(format!("{:?}", inputs.content));
    hash.update(format!("{:?}", inputs.changes));
    hash.update(format!("{:?}", inputs.packages));
    let listed: Vec<&String> = inputs
        .content
        .events
        .iter()
        .filter(|e| e.lists_issues())
        .flat_map(|e| e.projects.iter())
        .collect();
    for tile in inputs.tiles {
        hash.update(&tile.name);
        hash.update(&tile.slug);
    }
    for project in &ecosystem.projects {
        hash.update(&project.name);
        if let Some(parts) = fingerprints.get(&project.name) {
            hash.update(&parts.review);
            hash.update(&parts.pypi);
            if listed.contains(&&project.name) {
                hash.update(&parts.health);
            }
        }
        if let Some(repo) = &project.repo {
            hash.update(format!("{:?}", store.github_milestones(repo)?));
        }
    }
    Ok(crate::summary::hex(&hash.finalize()))
}

/// The news posts as changes for the feed and the home page's recent list.
pub fn post_changes(content: &Content) -> Vec<Change> {
    content
        .news
        .iter()
        .map(|post| Change {
            kind: "post".into(),
            project: post.slug.clone(),
            title: post.title.clone(),
            at: start_of(post.date),
            page: format!("community/news/{}.html", post.slug),
        })
        .collect()
}

/// What the community's pages are made from, besides the store.
pub struct CommunityInputs<'a> {
    /// The projects' tiles.
    pub tiles: &'a [Tile],
    /// Python's and the core projects' feature releases (for AG100 and SPEC 0's drops).
    pub packages: &'a [PackageReleases],
    /// The SPEC 0 schedule, when the store has release data.
    pub schedule: Option<&'a Schedule>,
    /// The accepted content.
    pub content: &'a Content,
    /// What changed (releases, regressions, SPEC 0 drops, posts), newest first.
    pub changes: &'a [Change],
    /// The build's date.
    pub as_of: Date,
    /// `agora X.Y.Z`.
    pub generator: &'a str,
}

/// Every release of `project` (first upload per version), from `cache` when its PyPI page
/// did not change, else from the store (and put in `cache`); `None` without PyPI data.
fn releases_of(
    store: &Store,
    project: &agora_config::Project,
    cache: &mut BTreeMap<String, PageReleases>,
) -> Result<Option<Vec<(String, jiff::Timestamp)>>, EcosystemError> {
    let pypi = agora_config::normalize(&project.pypi);
    let Some(page) = store.pypi_project(&pypi)? else {
        cache.remove(&project.name);
        return Ok(None);
    };
    let digest = crate::releases::page_digest(&page);
    if let Some(cached) = cache.get(&project.name).filter(|c| c.page == digest) {
        return Ok(Some(cached.releases.clone()));
    }
    let releases: Vec<(String, jiff::Timestamp)> =
        agora_pypi::releases::first_uploads(&store.pypi_files(&pypi)?)
            .into_iter()
            .map(|(version, at)| (version.to_string(), at))
            .collect();
    cache.insert(
        project.name.clone(),
        PageReleases {
            page: digest,
            releases: releases.clone(),
        },
    );
    Ok(Some(releases))
}

/// The manual's, the community's and the calendars' files; `releases` holds every project's
/// releases by PyPI page digest from the last build, and leaves holding this build's.
pub fn pages(
    store: &Store,
    ecosystem: &Ecosystem,
    inputs: &CommunityInputs<'_>,
    releases: &mut BTreeMap<String, PageReleases>,
) -> Result<Vec<Page>, EcosystemError> {
    let as_of = inputs.as_of;
    let mut reviews = Vec::new();
    for project in &ecosystem.projects {
        if let Some(report) = crate::summary::review_checkout(project, inputs.packages, as_of) {
            reviews.push((project.name.clone(), report));
        }
    }
    let borrowed: Vec<(&str, &agora_review::Report)> =
        reviews.iter().map(|(n, r)| (n.as_str(), r)).collect();
    let manual = agora_review::manual::manual(&borrowed);
    let reviewed: Vec<String> = reviews.iter().map(|(n, _)| n.clone()).collect();

    let bug_days = bug_days(store, ecosystem, inputs.content, as_of)?;

    let entries = calendar_entries(store, ecosystem, inputs, releases)?;
    let mut files = Vec::new();
    let mut links = Vec::new();
    let mut write = |path: String, name: String, entries: Vec<Entry>| {
        links.push(CalendarLink {
            path: path.clone(),
            name: name.clone(),
            entries: entries.len(),
        });
        files.push(Page {
            path,
            bytes: Calendar { name, entries }.ics(as_of).into_bytes(),
        });
    };
    write(
        "calendars/all.ics".into(),
        format!("{}: releases, SPEC 0, deadlines and events", ecosystem.name),
        entries.clone(),
    );
    for tile in inputs.tiles {
        let own: Vec<Entry> = entries
            .iter()
            .filter(|e| e.projects.contains(&tile.name))
            .cloned()
            .collect();
        write(
            format!("calendars/{}.ics", tile.slug),
            format!("{}: releases, SPEC 0 and events", tile.name),
            own,
        );
    }

    let view = CommunityView {
        ecosystem: &ecosystem.name,
        as_of,
        generator: inputs.generator,
        tiles: inputs.tiles,
        manual: &manual,
        reviewed: &reviewed,
        content: inputs.content,
        bug_days: &bug_days,
        calendars: &links,
        changes: inputs.changes,
    };
    let mut pages = agora_site::portal::community::community_pages(&view)?;
    pages.extend(files);
    Ok(pages)
}

/// The lists of every event that lists issues, from the stored items of its projects.
pub fn bug_days(
    store: &Store,
    ecosystem: &Ecosystem,
    content: &Content,
    as_of: Date,
) -> Result<Vec<bugday::BugDay>, EcosystemError> {
    let mut days = Vec::new();
    for event in content.events.iter().filter(|e| e.lists_issues()) {
        let mut held = Vec::new();
        for name in &event.projects {
            let repo = ecosystem
                .projects
                .iter()
                .find(|p| &p.name == name)
                .and_then(|p| p.repo.clone());
            let items = match &repo {
                Some(repo) => store
                    .github_items(repo)?
                    .into_iter()
                    .map(|stored| stored.item)
                    .collect(),
                None => Vec::new(),
            };
            held.push((name.clone(), repo, items));
        }
        let projects: Vec<ProjectItems<'_>> = held
            .iter()
            .map(|(name, repo, items)| ProjectItems {
                project: name,
                repo: repo.as_deref(),
                items,
            })
            .collect();
        days.push(bugday::bug_day(event, &projects, as_of));
    }
    Ok(days)
}

/// The UTC day of a moment.
fn day_of(at: jiff::Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}

/// Every dated thing of the calendars; `cache` as in [`pages`].
pub fn calendar_entries(
    store: &Store,
    ecosystem: &Ecosystem,
    inputs: &CommunityInputs<'_>,
    cache: &mut BTreeMap<String, PageReleases>,
) -> Result<Vec<Entry>, EcosystemError> {
    let mut entries = Vec::new();
    for project in &ecosystem.projects {
        for (version, at) in releases_of(store, project, cache)?.unwrap_or_default() {
            let mut entry = Entry::day(
                "release",
                &format!("{}-{version}", project.name),
                format!("{} {version} released", project.name),
                day_of(at),
            );
            entry.url = Some(format!(
                "https://pypi.org/project/{}/{version}/",
                project.pypi
            ));
            entry.projects = vec![project.name.clone()];
            entries.push(entry);
        }
        if let Some(repo) = &project.repo {
            for milestone in store.github_milestones(repo)? {
                let (Some(due), true) = (
                    milestone.due_on,
                    milestone.state.as_deref() != Some("closed"),
                ) else {
                    continue;
                };
                let mut entry = Entry::day(
                    "planned-release",
                    &format!("{repo}-{}", milestone.number),
                    format!(
                        "{} {} planned (milestone due)",
                        project.name, milestone.title
                    ),
                    day_of(due),
                );
                entry.url = Some(format!(
                    "https://github.com/{repo}/milestone/{}",
                    milestone.number
                ));
                entry.projects = vec![project.name.clone()];
                entries.push(entry);
            }
        }
    }
    if let Some(schedule) = inputs.schedule {
        for window in schedule.windows.iter().flatten() {
            let mut entry = Entry::day(
                "spec0",
                &format!("{}-{}", window.package, window.version),
                format!(
                    "SPEC 0: support for {} {} ends",
                    window.package, window.version
                ),
                day_of(window.drops),
            );
            entry.url = Some("https://scientific-python.org/specs/spec-0000/".into());
            // A package's drop concerns that project, and Python's every project.
            entry.projects = if window.package.eq_ignore_ascii_case("python") {
                ecosystem.projects.iter().map(|p| p.name.clone()).collect()
            } else {
                vec![window.package.clone()]
            };
            entries.push(entry);
        }
    }
    entries.extend(calendar::content_entries(inputs.content));
    cache.retain(|name, _| ecosystem.projects.iter().any(|p| &p.name == name));
    Ok(entries)
}
