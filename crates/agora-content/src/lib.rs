//! The community's collections — news, the strategic plan, videos, grant opportunities,
//! proposals and events — read and validated from a `content/` folder beside `agora.toml`;
//! and what the portal makes of them with the store: calendars and bug days.
//!
//! How it works: [`load`] walks `content/<kind>/*.md` (the folders are listed in
//! [`collections`]), splits each file into TOML front matter and a Markdown body
//! ([`front_matter`]), and reads the front matter against its kind's schema. A file with a
//! missing field, a bad date, an unknown key or a value of the wrong type is left out and
//! each of its mistakes becomes a [`Problem`] naming `file:line`; every other item goes on
//! into [`Content`]. `agora content check` prints the problems, and `agora portal build`
//! builds the pages of what was accepted and says what was refused. [`calendar`] turns dated
//! things (releases, SPEC 0 drops, deadlines, events) into iCalendar files with stable UIDs;
//! [`bugday`] lists, for a documentation or bug day, the labelled open issues of its
//! projects and what was closed and merged during it, from the mirrored GitHub items.

use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod bugday;
pub mod calendar;
pub mod collections;
mod front_matter;

pub use collections::{Event, Grant, PlanSection, Post, Proposal, Revision, Video};

/// One mistake in a content file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file, relative to the content folder's parent (`content/videos/scipy-2025.md`).
    pub file: String,
    /// Its line (1-based).
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem at `file:line`.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_string(),
            line: line.max(1),
            message: message.into(),
        }
    }

    /// Whether the message is about field `key`.
    pub(crate) fn mentions(&self, key: &str) -> bool {
        self.message.contains(&format!("`{key}`"))
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Everything accepted from a content folder, and what was refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Content {
    /// News posts, newest first.
    pub news: Vec<Post>,
    /// The strategic plan's sections, in their order.
    pub plan: Vec<PlanSection>,
    /// Videos, newest first.
    pub videos: Vec<Video>,
    /// Grant opportunities, by deadline.
    pub grants: Vec<Grant>,
    /// Proposals, newest submission first.
    pub proposals: Vec<Proposal>,
    /// Events, by start date.
    pub events: Vec<Event>,
    /// Files refused or partly wrong, with the line of each mistake, by file and line.
    pub problems: Vec<Problem>,
    /// Files read.
    pub files: usize,
}

impl Content {
    /// How many items were accepted.
    pub fn items(&self) -> usize {
        self.news.len()
            + self.plan.len()
            + self.videos.len()
            + self.grants.len()
            + self.proposals.len()
            + self.events.len()
    }

    /// Files with at least one problem (each was left out).
    pub fn refused(&self) -> usize {
        let mut files: Vec<&str> = self.problems.iter().map(|p| p.file.as_str()).collect();
        files.dedup();
        files.len()
    }
}

/// The folders of a content folder, one per kind.
pub const KINDS: [&str; 6] = ["news", "plan", "videos", "grants", "proposals", "events"];

/// The largest content file read (a post is a few kilobytes).
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The content folder that belongs to the `agora.toml` at `config`: `content/` beside it.
pub fn folder_beside(config: &Path) -> PathBuf {
    config
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("content")
}

/// Reads and validates every item under `dir`; a missing folder is empty content. Files
/// are named in problems relative to `dir`'s parent (`content/news/x.md`).
pub fn load(dir: &Path) -> Content {
    let mut content = Content::default();
    let label = dir.file_name().map_or_else(
        || "content".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        return content;
    };
    let mut top: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    top.sort();
    for path in top {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if !KINDS.contains(&name.as_str()) {
                content.problems.push(Problem::new(
                    &format!("{label}/{name}/"),
                    1,
                    format!(
                        "unknown collection `{name}`: its files are not read (the folders are {})",
                        KINDS.join(", ")
                    ),
                ));
                continue;
            }
            read_kind(&path, &format!("{label}/{name}"), &name, &mut content);
        }
        // Files at the top (a README) are not items.
    }
    content
        .news
        .sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    content
        .plan
        .sort_by(|a, b| a.order.cmp(&b.order).then(a.slug.cmp(&b.slug)));
    content
        .videos
        .sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    content
        .grants
        .sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.slug.cmp(&b.slug)));
    content
        .proposals
        .sort_by(|a, b| b.submitted.cmp(&a.submitted).then(a.slug.cmp(&b.slug)));
    content
        .events
        .sort_by(|a, b| a.start.cmp(&b.start).then(a.slug.cmp(&b.slug)));
    content
        .problems
        .sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    content
}

/// Reads the `.md` files of one kind's folder.
fn read_kind(dir: &Path, label: &str, kind: &str, content: &mut Content) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        content.problems.push(Problem::new(
            &format!("{label}/"),
            1,
            "the folder cannot be read",
        ));
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
        .collect();
    files.sort();
    for path in files {
        let Some(slug) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let file = format!("{label}/{slug}.md");
        content.files += 1;
        if !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            content.problems.push(Problem::new(
                &file,
                1,
                "the file name must be lower-case letters, digits and `-` (it is the page's address)",
            ));
            continue;
        }
        let text = match read_capped(&path) {
            Ok(text) => text,
            Err(why) => {
                content.problems.push(Problem::new(&file, 1, why));
                continue;
            }
        };
        read_file(kind, &file, &slug, &text, content);
    }
}

/// Reads one file of folder `kind` (its text, named `file` in problems, `slug` its page's
/// name) into `content`: its item when every field is right, its problems either way.
pub fn read_file(kind: &str, file: &str, slug: &str, text: &str, content: &mut Content) {
    let split = match front_matter::split(file, text) {
        Ok(split) => split,
        Err(problem) => {
            content.problems.push(problem);
            return;
        }
    };
    let problems = match kind {
        "news" => keep(
            collections::read_post(file, slug, &split),
            &mut content.news,
        ),
        "plan" => keep(
            collections::read_plan(file, slug, &split),
            &mut content.plan,
        ),
        "videos" => keep(
            collections::read_video(file, slug, &split),
            &mut content.videos,
        ),
        "grants" => keep(
            collections::read_grant(file, slug, &split),
            &mut content.grants,
        ),
        "proposals" => keep(
            collections::read_proposal(file, slug, &split),
            &mut content.proposals,
        ),
        "events" => keep(
            collections::read_event(file, slug, &split),
            &mut content.events,
        ),
        other => vec![Problem::new(
            file,
            1,
            format!(
                "unknown collection `{other}` (the folders are {})",
                KINDS.join(", ")
            ),
        )],
    };
    content.problems.extend(problems);
}

fn keep<T>((item, problems): collections::Read<T>, into: &mut Vec<T>) -> Vec<Problem> {
    into.extend(item);
    problems
}

/// A file's text, refused when larger than [`MAX_FILE_BYTES`] or not UTF-8.
fn read_capped(path: &Path) -> Result<String, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "larger than the {} KiB a content file may have",
            MAX_FILE_BYTES / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8 text".to_string())
}
