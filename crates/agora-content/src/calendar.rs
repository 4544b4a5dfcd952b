//! Calendars: dated things as all-day iCalendar events (RFC 5545), with UIDs that stay the
//! same from one build to the next.
//!
//! An [`Entry`] is one dated thing — a release, a planned release (a milestone's due date), a
//! SPEC 0 drop, a grant deadline, an event — with a UID made only from what it is (kind,
//! project, version or file name), never from the build: a subscriber's calendar application
//! updates the entry it has instead of adding a second one. [`Calendar::ics`] writes the
//! file: CRLF line ends, text escaped and lines folded at 75 bytes as `agora schedule --format
//! ics` does, `DTSTAMP` from the build's date so that the same data gives the same
//! bytes. [`content_entries`] makes the entries of the content folder (events, grant
//! deadlines, proposal decisions); the store's entries (releases, milestones, SPEC 0) are
//! made by the portal's build, which reads the store.

use jiff::civil::Date;
use serde::Serialize;

use agora_schedule::render::{fold_ics_line as fold, ics_escape as escape};

use crate::Content;

/// The domain of every UID: they are only unique within it.
pub const UID_DOMAIN: &str = "agora.scientific-python.org";

/// One dated thing in a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable identity (`release-numpy-2.4.0@agora.scientific-python.org`).
    pub uid: String,
    /// `release`, `planned-release`, `spec0`, `deadline`, `event`, `decision`.
    pub category: String,
    /// One line.
    pub summary: String,
    /// The first day.
    pub start: Date,
    /// The last day (inclusive).
    pub end: Date,
    /// Where it takes place.
    pub location: Option<String>,
    /// More about it.
    pub url: Option<String>,
    /// A few lines.
    pub description: Option<String>,
    /// The projects it concerns (for the per-project calendars).
    pub projects: Vec<String>,
}

impl Entry {
    /// A one-day entry; `key` makes its UID (`{category}-{key}@…`).
    pub fn day(category: &str, key: &str, summary: String, date: Date) -> Entry {
        Entry {
            uid: uid(category, key),
            category: category.to_string(),
            summary,
            start: date,
            end: date,
            location: None,
            url: None,
            description: None,
            projects: Vec::new(),
        }
    }
}

/// `{category}-{key}@UID_DOMAIN`, with anything but letters, digits, `.`, `_` and `-` in
/// `key` as `-`.
pub fn uid(category: &str, key: &str) -> String {
    let key: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{category}-{key}@{UID_DOMAIN}")
}

/// A calendar: a name and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calendar {
    /// Shown by calendar applications (`X-WR-CALNAME`).
    pub name: String,
    /// Its entries, by date.
    pub entries: Vec<Entry>,
}

impl Calendar {
    /// The `.ics` text; `stamp` (the build's date) is every entry's `DTSTAMP`.
    pub fn ics(&self, stamp: Date) -> String {
        let mut out = String::new();
        let mut line = |text: String| {
            fold(&text, &mut out);
        };
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line("PRODID:-//scientific-python//agora//EN".into());
        line("CALSCALE:GREGORIAN".into());
        line("METHOD:PUBLISH".into());
        line(format!("X-WR-CALNAME:{}", escape(&self.name)));
        let stamp = format!("{}T000000Z", compact(stamp));
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        entries.sort_by(|a, b| a.start.cmp(&b.start).then(a.uid.cmp(&b.uid)));
        for entry in entries {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}", escape(&entry.uid)));
            line(format!("DTSTAMP:{stamp}"));
            line(format!("DTSTART;VALUE=DATE:{}", compact(entry.start)));
            let after = entry.end.max(entry.start).tomorrow().unwrap_or(entry.end);
            line(format!("DTEND;VALUE=DATE:{}", compact(after)));
            line(format!("SUMMARY:{}", escape(&entry.summary)));
            line(format!("CATEGORIES:{}", escape(&entry.category)));
            if let Some(location) = &entry.location {
                line(format!("LOCATION:{}", escape(location)));
            }
            if let Some(url) = &entry.url {
                line(format!("URL:{url}"));
            }
            if let Some(description) = &entry.description {
                line(format!("DESCRIPTION:{}", escape(description)));
            }
            line("TRANSP:TRANSPARENT".into());
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }
}

/// `20260314`.
fn compact(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// The entries of the content folder: events, grant deadlines, and proposal decisions.
pub fn content_entries(content: &Content) -> Vec<Entry> {
    let mut entries = Vec::new();
    for event in &content.events {
        let mut entry = Entry::day("event", &event.slug, event.title.clone(), event.start);
        entry.end = event.end;
        entry.location = event.place.clone();
        entry.url = event.link.clone();
        entry.projects = event.projects.clone();
        entry.description = Some(format!(
            "{} for {}.",
            event.kind.replace('-', " "),
            event.projects.join(", ")
        ));
        entries.push(entry);
    }
    for grant in &content.grants {
        let mut entry = Entry::day(
            "deadline",
            &grant.slug,
            format!("Deadline: {} ({})", grant.title, grant.funder),
            grant.deadline,
        );
        entry.url = Some(grant.link.clone());
        entry.description = Some(format!("{}. {}", grant.amount, grant.eligibility));
        entries.push(entry);
    }
    for proposal in &content.proposals {
        if let Some(decision) = proposal.decision {
            let mut entry = Entry::day(
                "decision",
                &proposal.slug,
                format!("Decision: {} ({})", proposal.title, proposal.status),
                decision,
            );
            entry.projects = proposal.projects.clone();
            entry.url = proposal.link.clone();
            entries.push(entry);
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn lines_are_folded_escaped_and_crlf() {
        let mut entry = Entry::day(
            "event",
            "Bug Day",
            format!("a, b; c\\ {}", "é".repeat(60)),
            date(2026, 3, 14),
        );
        entry.end = date(2026, 3, 15);
        let ics = Calendar {
            name: "x".into(),
            entries: vec![entry],
        }
        .ics(date(2026, 12, 7));
        assert!(ics.contains("UID:event-bug-day@agora.scientific-python.org\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20260316\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:a\\, b\\; c\\\\ "));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }
}
