//! The kinds of content and their schemas: one folder of `content/` per kind, one Markdown
//! file per item, its fields in TOML front matter.
//!
//! | folder | kind | fields (`?` optional) |
//! |---|---|---|
//! | `news/` | [`Post`] | title, date, authors, summary? |
//! | `plan/` | [`PlanSection`] | title, order, status, `[[revisions]]` (date, note) |
//! | `videos/` | [`Video`] | title, speakers, event, date, link, duration |
//! | `grants/` | [`Grant`] | title, funder, programme, deadline, amount, eligibility, link |
//! | `proposals/` | [`Proposal`] | title, pis, projects, funder, submitted, decision?, amount, status, link? |
//! | `events/` | [`Event`] | title, kind, start, end?, place? / link? (one at least), projects, labels?, `[project_labels]`? |
//!
//! Each `read_*` function takes a file's parsed front matter and returns the item, or nothing
//! when a field is missing or wrong; the problems (with lines) go to the caller either way.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::Problem;
use crate::front_matter::{Fields, Split};

/// A news post.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Post {
    /// The file's stem: its page's name.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The day it was published.
    pub date: Date,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// One or two sentences for lists and the feed.
    pub summary: Option<String>,
    /// The text (Markdown).
    pub body: String,
}

/// Where a section of the strategic plan stands.
pub const PLAN_STATUSES: [&str; 4] = ["draft", "proposed", "adopted", "retired"];

/// One section of the community's strategic plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSection {
    /// The file's stem: the section's anchor.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its place in the plan (lower first).
    pub order: i64,
    /// One of [`PLAN_STATUSES`].
    pub status: String,
    /// Its revisions, oldest first.
    pub revisions: Vec<Revision>,
    /// The text (Markdown).
    pub body: String,
}

/// One revision of a plan section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// When it was made.
    pub date: Date,
    /// What changed.
    pub note: String,
}

/// A recorded talk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Video {
    /// The file's stem.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Who speaks.
    pub speakers: Vec<String>,
    /// The event it was given at.
    pub event: String,
    /// The day it was given.
    pub date: Date,
    /// Where to watch it.
    pub link: String,
    /// Its length in seconds.
    pub duration_seconds: u32,
    /// Notes (Markdown).
    pub body: String,
}

/// A grant programme the community can apply to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grant {
    /// The file's stem.
    pub slug: String,
    /// A short title.
    pub title: String,
    /// Who funds it.
    pub funder: String,
    /// The funder's programme.
    pub programme: String,
    /// The next deadline.
    pub deadline: Date,
    /// How much, in the funder's words ("up to USD 400,000 over two years").
    pub amount: String,
    /// Who may apply.
    pub eligibility: String,
    /// The call.
    pub link: String,
    /// Notes (Markdown).
    pub body: String,
}

/// Where a proposal stands.
pub const PROPOSAL_STATUSES: [&str; 5] = ["draft", "submitted", "funded", "declined", "withdrawn"];

/// A proposal the community wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// The file's stem.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its principal investigators.
    pub pis: Vec<String>,
    /// The projects it funds.
    pub projects: Vec<String>,
    /// Who it was sent to.
    pub funder: String,
    /// When it was submitted.
    pub submitted: Date,
    /// When the funder decided, once it has.
    pub decision: Option<Date>,
    /// How much was asked (or granted), in words.
    pub amount: String,
    /// One of [`PROPOSAL_STATUSES`].
    pub status: String,
    /// The proposal's text, when public.
    pub link: Option<String>,
    /// Notes (Markdown).
    pub body: String,
}

/// The kinds of event.
pub const EVENT_KINDS: [&str; 6] = [
    "summit",
    "sprint",
    "documentation-day",
    "bug-day",
    "meeting",
    "conference",
];

/// The labels a bug or documentation day lists issues by, unless the event names its own.
pub const DEFAULT_LABELS: [&str; 3] = ["good first issue", "sprint", "documentation"];

/// A summit, sprint, documentation or bug day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The file's stem: its page's name.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// One of [`EVENT_KINDS`].
    pub kind: String,
    /// Its first day.
    pub start: Date,
    /// Its last day (the first when it lasts one day).
    pub end: Date,
    /// Where it takes place.
    pub place: Option<String>,
    /// Where to join or read more.
    pub link: Option<String>,
    /// The projects taking part (names in `agora.toml`).
    pub projects: Vec<String>,
    /// The labels its issues are listed by, for every project.
    pub labels: Vec<String>,
    /// Per project, labels that replace [`Event::labels`].
    pub project_labels: BTreeMap<String, Vec<String>>,
    /// The text (Markdown).
    pub body: String,
}

impl Event {
    /// Whether the event lists issues (documentation and bug days, sprints).
    pub fn lists_issues(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "bug-day" | "documentation-day" | "sprint"
        )
    }

    /// The labels issues of `project` are listed by.
    pub fn labels_for(&self, project: &str) -> &[String] {
        self.project_labels
            .get(project)
            .map_or(self.labels.as_slice(), Vec::as_slice)
    }
}

/// What one file gave: its item when every field was right, and its problems.
pub(crate) type Read<T> = (Option<T>, Vec<Problem>);

fn done<T>(fields: Fields<'_>, item: Option<T>, extra: Vec<Problem>) -> Read<T> {
    let mut problems = fields.finish();
    problems.extend(extra);
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        (item, problems)
    } else {
        (None, problems)
    }
}

/// A news post from a file.
pub(crate) fn read_post(file: &str, slug: &str, split: &Split) -> Read<Post> {
    let mut f = Fields::top(file, split);
    let title = f.string("title");
    let date = f.date("date");
    let authors = f.list("authors");
    let summary = f.optional_string("summary");
    let item = (|| {
        Some(Post {
            slug: slug.into(),
            title: title?,
            date: date?,
            authors: authors?,
            summary,
            body: split.body.clone(),
        })
    })();
    done(f, item, Vec::new())
}

/// A plan section from a file.
pub(crate) fn read_plan(file: &str, slug: &str, split: &Split) -> Read<PlanSection> {
    let mut f = Fields::top(file, split);
    let title = f.string("title");
    let order = f.optional_integer("order");
    if order.is_none() && !f.problems.iter().any(|p| p.mentions("order")) {
        f.refuse(
            "order",
            "missing field `order` (an integer: the section's place)".into(),
        );
    }
    let status = f.choice("status", &PLAN_STATUSES);
    let mut extra = Vec::new();
    let revisions = match f.tables("revisions") {
        Some(tables) => {
            let mut out = Vec::new();
            for mut t in tables {
                let date = t.date("date");
                let note = t.string("note");
                extra.extend(t.finish());
                if let (Some(date), Some(note)) = (date, note) {
                    out.push(Revision { date, note });
                }
            }
            if out.is_empty() && extra.is_empty() {
                f.refuse(
                    "revisions",
                    "`revisions` is empty: a section has at least one".into(),
                );
            }
            out.sort_by_key(|r| r.date);
            Some(out)
        }
        None => {
            f.refuse(
                "revisions",
                "missing field `revisions` (a list of tables with `date` and `note`)".into(),
            );
            None
        }
    };
    let item = (|| {
        Some(PlanSection {
            slug: slug.into(),
            title: title?,
            order: order?,
            status: status?.to_string(),
            revisions: revisions?,
            body: split.body.clone(),
        })
    })();
    done(f, item, extra)
}

/// A video from a file.
pub(crate) fn read_video(file: &str, slug: &str, split: &Split) -> Read<Video> {
    let mut f = Fields::top(file, split);
    let title = f.string("title");
    let speakers = f.list("speakers");
    let event = f.string("event");
    let date = f.date("date");
    let link = f.link("link");
    let duration = f
        .string("duration")
        .and_then(|d| match duration_seconds(&d) {
            Some(seconds) => Some(seconds),
            None => {
                f.refuse(
                    "duration",
                    format!("`duration` is {d:?}; expected h:mm:ss or mm:ss, such as 42:10"),
                );
                None
            }
        });
    let item = (|| {
        Some(Video {
            slug: slug.into(),
            title: title?,
            speakers: speakers?,
            event: event?,
            date: date?,
            link: link?,
            duration_seconds: duration?,
            body: split.body.clone(),
        })
    })();
    done(f, item, Vec::new())
}

/// `h:mm:ss` or `mm:ss` in seconds; `None` for anything else (or zero).
pub fn duration_seconds(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return None;
    }
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = match numbers.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if s >= 60 || (parts.len() == 3 && m >= 60) {
        return None;
    }
    let total = h * 3600 + m * 60 + s;
    (total > 0).then_some(total)
}

/// A grant opportunity from a file.
pub(crate) fn read_grant(file: &str, slug: &str, split: &Split) -> Read<Grant> {
    let mut f = Fields::top(file, split);
    let title = f.string("title");
    let funder = f.string("funder");
    let programme = f.string("programme");
    let deadline = f.date("deadline");
    let amount = f.string("amount");
    let eligibility = f.string("eligibility");
    let link = f.link("link");
    let item = (|| {
        Some(Grant {
            slug: slug.into(),
            title: title?,
            funder: funder?,
            programme: programme?,
            deadline: deadline?,
            amount: amount?,
            eligibility: eligibility?,
            link: link?,
            body: split.body.clone(),
        })
    })();
    done(f, item, Vec::new())
}

/// A proposal from a file.
pub(crate) fn read_proposal(file: &str, slug: &str, split: &Split) -> Read<Proposal> {
    let mut f = Fields::top(file, split);
    let title = f.string("title");
    let pis = f.list("pis");
    let projects = f.list("projects");
    let funder = f.string("funder");
    let submitted = f.date("submitted");
    let decision = f.optional_date("decision");
    let amount = f.string("amount");
    let status = f.choice("status", &PROPOSAL_STATUSES);
    let link = f.optional_link("link");
    if let (Some(submitted), Some(decision)) = (submitted, decision)
        && decision < submitted
    {
        f.refuse(
            "decision",
            format!("`decision` ({decision}) is before `submitted` ({submitted})"),
        );
    }
    if matches!(status, Some("funded" | "declined")) && decision.is_none() {
        f.refuse(
            "status",
            format!(
                "a {} proposal needs its `decision` date",
                status.unwrap_or_default()
            ),
        );
    }
    let item = (|| {
        Some(Proposal {
            slug: slug.into(),
            title: title?,
            pis: pis?,
            projects: projects?,
            funder: funder?,
            submitted: submitted?,
            decision,
            amount: amount?,
            status: status?.to_string(),
            link,
            body: split.body.clone(),
        })
    })();
    done(f, item, Vec::new())
}

/// An event from a file.
pub(crate) fn read_event(file: &str, slug: &str, split: &Split) -> Read<Event> {
    let mut f = Fields::top(file, split);
    let title = f.string("title");
    let kind = f.choice("kind", &EVENT_KINDS);
    let start = f.date("start");
    let end = f.optional_date("end");
    let place = f.optional_string("place");
    let link = f.optional_link("link");
    let projects = f.list("projects");
    let labels = f.optional_list("labels");
    let project_labels = f.list_map("project_labels").unwrap_or_default();
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        f.refuse("end", format!("`end` ({end}) is before `start` ({start})"));
    }
    if place.is_none() && link.is_none() && !f.problems.iter().any(|p| p.mentions("link")) {
        f.refuse(
            "place",
            "missing field `place` or `link` (where the event happens)".into(),
        );
    }
    let item = (|| {
        let start = start?;
        Some(Event {
            slug: slug.into(),
            title: title?,
            kind: kind?.to_string(),
            start,
            end: end.unwrap_or(start),
            place,
            link,
            projects: projects?,
            labels: labels.unwrap_or_else(|| DEFAULT_LABELS.map(String::from).to_vec()),
            project_labels,
            body: split.body.clone(),
        })
    })();
    done(f, item, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_seconds("42:10"), Some(2530));
        assert_eq!(duration_seconds("1:05:00"), Some(3900));
        for bad in [
            "", "42", "1:60:00", "0:00", "a:b", "1:2:3:4", "-1:00", "100:00",
        ] {
            assert_eq!(duration_seconds(bad), None, "{bad}");
        }
    }
}
