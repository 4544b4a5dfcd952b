//! Markdown and reStructuredText views of [`ReleaseNotes`], line for line as changelist 0.5
//! writes them.
//!
//! The layout: the title (`#` / `=` underline), a blank line, the intro's lines, each section
//! with notes (`##` / `-` underline, a blank line, `- TEXT (LINK).` items, a blank line), the
//! contributors section (a count line, a blank line, one line per person sorted ignoring case,
//! a blank line; for authors, then reviewers) and the outro's lines. Every text line is
//! stripped and has its newlines turned into spaces; reST also doubles backquotes, so that
//! markdown's `code` becomes reST's ``code``. An item's trailing full stops are dropped before
//! its link. What agora adds (new contributors, what it could not know) comes after the outro,
//! only when asked or when something was not known, so that complete notes stay identical to
//! changelist's.

use crate::notes::{ChangeNote, Contributor, ReleaseNotes};

/// The text formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown.
    Markdown,
    /// reStructuredText.
    Rst,
}

/// What to add beyond changelist's layout.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// A "New contributors" list.
    pub new_contributors: bool,
}

impl Format {
    fn sanitize(self, text: &str) -> String {
        let text = text.trim().replace("\r\n", " ").replace('\n', " ");
        match self {
            Format::Markdown => text,
            Format::Rst => text.replace('`', "``"),
        }
    }

    fn link(self, name: &str, target: &str) -> String {
        match self {
            Format::Markdown => format!("[{name}]({target})"),
            Format::Rst => format!("`{name} <{target}>`_"),
        }
    }

    fn heading(self, out: &mut String, title: &str, level: usize) {
        match self {
            Format::Markdown => {
                out.push_str(&"#".repeat(level));
                out.push(' ');
                out.push_str(title);
                out.push('\n');
            }
            Format::Rst => {
                out.push_str(title);
                out.push('\n');
                let mark = match level {
                    1 => "=",
                    2 => "-",
                    _ => "~",
                };
                out.push_str(&mark.repeat(title.chars().count()));
                out.push('\n');
            }
        }
    }

    fn lines(self, out: &mut String, text: &str) {
        for line in text.split('\n') {
            out.push_str(&self.sanitize(line));
            out.push('\n');
        }
    }

    fn note(self, note: &ChangeNote) -> String {
        let text = self.sanitize(&note.content);
        let link = self.link(&format!("#{}", note.number), &note.url);
        format!("- {} ({link}).\n", text.trim_end_matches('.'))
    }

    fn person(self, person: &Contributor) -> String {
        let line = match (&person.login, &person.url) {
            (Some(login), Some(url)) => self.link(&format!("@{login}"), url),
            (Some(login), None) => format!("@{login}"),
            (None, _) => String::new(),
        };
        let line = match (&person.name, line.is_empty()) {
            (Some(name), false) => format!("{name} ({line})"),
            (Some(name), true) => name.clone(),
            (None, _) => line,
        };
        format!("- {line}\n")
    }

    fn people(self, out: &mut String, people: &[Contributor]) {
        let mut lines: Vec<String> = people.iter().map(|p| self.person(p)).collect();
        lines.sort_by_cached_key(|l| l.to_lowercase());
        for line in lines {
            out.push_str(&line);
        }
    }
}

/// The notes in `format`.
pub fn render(notes: &ReleaseNotes, format: Format, extras: Extras) -> String {
    let mut out = String::new();
    format.heading(&mut out, &notes.title, 1);
    out.push('\n');
    format.lines(&mut out, &notes.intro);
    for section in &notes.sections {
        if section.notes.is_empty() {
            continue;
        }
        format.heading(&mut out, &section.title, 2);
        out.push('\n');
        for note in &section.notes {
            out.push_str(&format.note(note));
        }
        out.push('\n');
    }
    format.heading(&mut out, "Contributors", 2);
    out.push('\n');
    out.push_str(&format!(
        "{} authors added to this release (alphabetically):\n\n",
        notes.authors.len()
    ));
    format.people(&mut out, &notes.authors);
    out.push('\n');
    out.push_str(&format!(
        "{} reviewers added to this release (alphabetically):\n\n",
        notes.reviewers.len()
    ));
    format.people(&mut out, &notes.reviewers);
    out.push('\n');
    format.lines(&mut out, &notes.outro);
    if extras.new_contributors {
        out.push('\n');
        format.heading(&mut out, "New contributors", 2);
        out.push('\n');
        out.push_str(&format!(
            "{} people contributed for the first time:\n\n",
            notes.new_contributors.len()
        ));
        format.people(&mut out, &notes.new_contributors);
    }
    if !notes.unknown.is_empty() {
        out.push('\n');
        format.heading(&mut out, "What agora could not know", 2);
        out.push('\n');
        for line in &notes.unknown {
            out.push_str("- ");
            out.push_str(&format.sanitize(line));
            out.push('\n');
        }
    }
    out
}
