//! A documentation or bug day's lists, from the mirrored GitHub items of its projects.
//!
//! For each project of the [`Event`]: the issues (not pull requests) open now that carry one
//! of the event's labels for it (compared without case: scipy's `Documentation` is the
//! `documentation` label); and, once the event has begun, what happened during it — the
//! issues closed and the pull requests merged between the first day's start and the last
//! day's end (UTC), with who closed or merged them and who wrote the pull request. Items are
//! sorted by number; an item whose state or dates are unknown is left out of the lists that
//! need them.

use agora_store::github::{GhItem, ItemKind};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::Event;

/// One project's items, as the store holds them.
pub struct ProjectItems<'a> {
    /// The project's name.
    pub project: &'a str,
    /// `owner/name`, when known.
    pub repo: Option<&'a str>,
    /// Its issues and pull requests.
    pub items: &'a [GhItem],
}

/// A bug day's lists for every project taking part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BugDay {
    /// The event's file name.
    pub slug: String,
    /// From the first day's start (UTC)…
    pub from: Timestamp,
    /// …to the day after the last day (UTC).
    pub until: Timestamp,
    /// Whether the event has begun on the build date (what happened during it is listed).
    pub begun: bool,
    /// Per project, in the event's order.
    pub projects: Vec<ProjectDay>,
}

/// One project's part of a bug day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectDay {
    /// The project.
    pub project: String,
    /// `owner/name`, when known.
    pub repo: Option<String>,
    /// The labels its issues are listed by.
    pub labels: Vec<String>,
    /// Whether the store has GitHub items for it.
    pub mirrored: bool,
    /// Open issues with one of the labels.
    pub open: Vec<ItemLine>,
    /// Issues closed during the event.
    pub closed: Vec<ItemLine>,
    /// Pull requests merged during the event.
    pub merged: Vec<ItemLine>,
}

/// An issue or pull request in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLine {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// Its page on GitHub.
    pub url: Option<String>,
    /// Its labels that the event lists by.
    pub labels: Vec<String>,
    /// Who closed or merged it.
    pub by: Option<String>,
    /// Who opened it.
    pub author: Option<String>,
    /// When it was closed or merged.
    pub at: Option<Timestamp>,
}

fn start_of(date: Date) -> Timestamp {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The lists of `event` over `projects` (those the event names, in its order), on `as_of`.
pub fn bug_day(event: &Event, projects: &[ProjectItems<'_>], as_of: Date) -> BugDay {
    let from = start_of(event.start);
    let until = start_of(event.end.tomorrow().unwrap_or(event.end));
    let begun = as_of >= event.start;
    let days = event
        .projects
        .iter()
        .map(|name| {
            let found = projects.iter().find(|p| p.project == name);
            let labels = event.labels_for(name).to_vec();
            let wanted: Vec<String> = labels.iter().map(|l| l.to_lowercase()).collect();
            let mut day = ProjectDay {
                project: name.clone(),
                repo: found.and_then(|p| p.repo.map(str::to_string)),
                labels,
                mirrored: found.is_some_and(|p| !p.items.is_empty()),
                open: Vec::new(),
                closed: Vec::new(),
                merged: Vec::new(),
            };
            let items = found.map_or(&[][..], |p| p.items);
            for item in items {
                let matching: Vec<String> = item
                    .labels
                    .iter()
                    .flatten()
                    .filter(|l| wanted.contains(&l.to_lowercase()))
                    .cloned()
                    .collect();
                let line = |by: Option<&String>, at: Option<Timestamp>| ItemLine {
                    number: item.number,
                    title: item.title.clone().unwrap_or_default(),
                    url: item.html_url.clone(),
                    labels: matching.clone(),
                    by: by.cloned(),
                    author: item.author.clone(),
                    at,
                };
                let during = |at: Option<Timestamp>| at.is_some_and(|t| t >= from && t < until);
                match item.kind {
                    ItemKind::Issue => {
                        if item.is_open() == Some(true) && !matching.is_empty() {
                            day.open.push(line(None, None));
                        }
                        if begun && during(item.closed_at) {
                            day.closed
                                .push(line(item.closed_by.as_ref(), item.closed_at));
                        }
                    }
                    ItemKind::Pr => {
                        if begun && during(item.merged_at) {
                            day.merged
                                .push(line(item.merged_by.as_ref(), item.merged_at));
                        }
                    }
                }
            }
            for list in [&mut day.open, &mut day.closed, &mut day.merged] {
                list.sort_by_key(|l| l.number);
            }
            day
        })
        .collect();
    BugDay {
        slug: event.slug.clone(),
        from,
        until,
        begun,
        projects: days,
    }
}
