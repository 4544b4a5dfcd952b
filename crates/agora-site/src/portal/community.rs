//! The community's pages of the portal: the practices manual (`manual/`), the governance
//! documents each project has, the collections of the content folder (plan, news, videos,
//! grants and proposals, events with their bug-day lists) and the list of calendars
//! (`community/`).
//!
//! Everything comes ready from [`CommunityView`]: the manual's topics with each project's
//! result ([`agora_review::manual`]), the accepted content ([`agora_content::Content`]), the
//! bug days' lists ([`agora_content::bugday`]) and the calendar files the build wrote. Every
//! page is a [`SectionsPage`] in `portal_sections.html`, Markdown from the model shown
//! through [`page::markdown`] (raw HTML in it is shown as text). These pages always exist,
//! so the site's navigation never points at nothing; without data they say what would bring
//! it.

use agora_content::Content;
use agora_content::bugday::{BugDay, ItemLine};
use agora_review::manual::{ManualCheck, Topic};
use jiff::civil::Date;

use super::model::{Change, Tile};
use super::{
    Cell, Fact, Page, SectionView, SectionsPage, TableView, cell, footer, linked, num, rendered,
};
use crate::page::{self, Frame, RenderError};

/// A calendar file the build wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarLink {
    /// Its path from the site's root (`calendars/all.ics`).
    pub path: String,
    /// What it holds.
    pub name: String,
    /// How many entries.
    pub entries: usize,
}

/// What the community's pages show.
pub struct CommunityView<'a> {
    /// The ecosystem's name.
    pub ecosystem: &'a str,
    /// The build's date.
    pub as_of: Date,
    /// `agora X.Y.Z`.
    pub generator: &'a str,
    /// Every project's tile (for names and page folders).
    pub tiles: &'a [Tile],
    /// The manual's topics, with the results of `reviewed`.
    pub manual: &'a [Topic],
    /// The projects the manual's results cover (those with a checkout).
    pub reviewed: &'a [String],
    /// The accepted content.
    pub content: &'a Content,
    /// The lists of each event that lists issues.
    pub bug_days: &'a [BugDay],
    /// The calendar files.
    pub calendars: &'a [CalendarLink],
    /// What changed (releases, regressions, SPEC 0 drops, posts), newest first.
    pub changes: &'a [Change],
}

impl CommunityView<'_> {
    fn page(
        &self,
        path: &str,
        section: &str,
        title: &str,
        lead: String,
        sections: Vec<SectionView>,
    ) -> Result<Page, RenderError> {
        let depth = path.matches('/').count();
        rendered(
            path,
            "portal_sections.html",
            &SectionsPage {
                title: format!("{title} — {}", self.ecosystem),
                lead,
                links: Vec::new(),
                sections,
                footer: footer(self.generator, self.ecosystem, self.as_of),
            },
            &Frame::at_depth(depth, section),
        )
    }

    /// The page folder of project `name`, when it has a tile.
    fn slug(&self, name: &str) -> Option<&str> {
        self.tiles
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.slug.as_str())
    }

    /// A cell naming `project`, linked to its page from a page `root` below the site root.
    fn project_cell(&self, project: &str, root: &str, anchor: &str) -> Cell {
        match self.slug(project) {
            Some(slug) => linked(project, format!("{root}projects/{slug}/index.html{anchor}")),
            None => cell(project),
        }
    }
}

/// Every page of the manual and of the community.
pub fn community_pages(view: &CommunityView<'_>) -> Result<Vec<Page>, RenderError> {
    let mut pages = manual_pages(view)?;
    pages.push(governance(view)?);
    pages.extend(collections(view)?);
    pages.push(digest(view)?);
    Ok(pages)
}

fn section(id: &str, title: &str) -> SectionView {
    SectionView {
        id: id.into(),
        title: title.into(),
        ..SectionView::default()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first line of a Markdown note, without its code marks (a table cell's text).
fn first_line(note: &str) -> String {
    let line = note.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.replace('`', "");
    let cut = line.char_indices().nth(160).map_or(line.len(), |(i, _)| i);
    if cut < line.len() {
        format!("{}…", &line[..cut])
    } else {
        line
    }
}

fn manual_pages(view: &CommunityView<'_>) -> Result<Vec<Page>, RenderError> {
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    for topic in view.manual {
        let mut table = TableView::new(
            &topic.name,
            &[
                "code",
                "what it asks",
                "family",
                "#pass",
                "#fail",
                "failing",
            ],
        );
        for check in &topic.checks {
            let failing = check.with("fail");
            table.rows.push(vec![
                linked(&check.code, format!("{}.html", check.code)),
                cell(&check.description),
                cell(&check.family_name),
                num(check.with("pass").len().to_string()),
                Cell {
                    class: if failing.is_empty() { "num" } else { "num bad" },
                    ..cell(failing.len().to_string())
                },
                cell(
                    failing
                        .iter()
                        .map(|r| r.project.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ]);
            pages.push(check_page(view, topic, check)?);
        }
        sections.push(SectionView {
            tables: vec![table],
            ..section(&topic.key, &topic.name)
        });
    }
    let lead = if view.reviewed.is_empty() {
        "Every practice agora review checks, by topic. No project names a checkout in agora.toml \
         (checkout = \"PATH\"), so no results are shown."
            .to_string()
    } else {
        format!(
            "Every practice agora review checks, by topic, with the results of {} as of {}.",
            view.reviewed.join(", "),
            view.as_of
        )
    };
    pages.insert(
        0,
        view.page(
            "manual/index.html",
            "manual",
            "The practices manual",
            lead,
            sections,
        )?,
    );
    Ok(pages)
}

fn check_page(
    view: &CommunityView<'_>,
    topic: &Topic,
    check: &ManualCheck,
) -> Result<Page, RenderError> {
    let mut asks = SectionView {
        lead: Some(check.description.clone()),
        ..section("asks", "What it asks")
    };
    asks.facts
        .push(Fact::new("family", check.family_name.clone(), ""));
    asks.facts
        .push(Fact::new("topic", topic.name.clone(), "").link(format!("index.html#{}", topic.key)));
    for code in &check.requires {
        asks.facts.push(
            Fact::new("runs after", format!("{code} passes"), "").link(format!("{code}.html")),
        );
    }
    if let Some(note) = &check.family_note {
        asks.facts.push(Fact::new("reviewed", note.clone(), ""));
    }
    if let Some(url) = &check.url {
        asks.more.push((url.clone(), "why: the guide".into()));
    }

    let mut comply = section("comply", "How to comply");
    match &check.remedy {
        Some(remedy) => {
            comply.lead = Some("What agora review says to a repository without it:".into());
            comply.body = Some(page::markdown(remedy));
        }
        None => {
            comply.missing = Some(
                "This check has nothing to say to an empty repository (it needs release data or \
                 an input to judge); the failures below and the guide say what it expects."
                    .into(),
            );
        }
    }

    let mut now = section("projects", "The projects now");
    if view.reviewed.is_empty() {
        now.missing = Some("No project names a checkout in agora.toml to review.".into());
    } else {
        let (pass, fail, skip) = (
            check.with("pass").len(),
            check.with("fail").len(),
            check.with("skip").len(),
        );
        now.lead = Some(format!(
            "{} pass, {} fail, {} skipped, of {} reviewed.",
            pass,
            fail,
            skip,
            plural(view.reviewed.len(), "project", "projects")
        ));
        let mut table = TableView::new("Results", &["project", "result", "what the check said"]);
        for result in &check.results {
            table.rows.push(vec![
                view.project_cell(&result.project, "../", "#review"),
                Cell {
                    class: match result.result {
                        "pass" => "good",
                        "fail" => "bad",
                        _ => "",
                    },
                    ..cell(match result.result {
                        "absent" => "not reviewed (family does not apply)",
                        other => other,
                    })
                },
                cell(result.note.as_deref().map(first_line).unwrap_or_default()),
            ]);
        }
        now.tables.push(table);
    }
    now.more.push(("index.html".into(), "every check".into()));
    view.page(
        &format!("manual/{}.html", check.code),
        "manual",
        &format!("{}: {}", check.code, check.description),
        format!("{} · {}", check.family_name, topic.name),
        vec![asks, comply, now],
    )
}

/// The governance documents each reviewed project has, from the community topic's checks.
fn governance(view: &CommunityView<'_>) -> Result<Page, RenderError> {
    let checks: Vec<&ManualCheck> = view
        .manual
        .iter()
        .filter(|t| t.key == "community")
        .flat_map(|t| t.checks.iter())
        .collect();
    let documents: Vec<String> = checks
        .iter()
        .map(|c| {
            let name = c
                .description
                .trim_start_matches("Has a ")
                .trim_start_matches("Has ");
            super::capitalised(name)
        })
        .collect();
    let mut header = vec!["project".to_string()];
    header.extend(documents.iter().cloned());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = TableView::new("Documents per project", &header);
    for project in view.reviewed {
        let mut row = vec![view.project_cell(project, "../", "#review")];
        for check in &checks {
            let result = check
                .results
                .iter()
                .find(|r| &r.project == project)
                .map_or("absent", |r| r.result);
            row.push(match result {
                "pass" => Cell {
                    class: "good",
                    ..cell("yes")
                },
                "fail" => Cell {
                    class: "bad",
                    ..linked("missing", format!("../manual/{}.html", check.code))
                },
                _ => cell("not checked"),
            });
        }
        table.rows.push(row);
    }
    let mut documents_section = section("documents", "Who has what");
    if view.reviewed.is_empty() {
        documents_section.missing =
            Some("No project names a checkout in agora.toml to review.".into());
    } else {
        documents_section.lead = Some(format!(
            "From the review of each project's checkout on {}: a missing document links to its \
             manual page, which says where the file goes.",
            view.as_of
        ));
        documents_section.tables.push(table);
    }
    view.page(
        "community/governance.html",
        "community",
        "Governance documents",
        "Code of conduct, governance, security policy and citation, project by project.".into(),
        vec![documents_section],
    )
}

fn collections(view: &CommunityView<'_>) -> Result<Vec<Page>, RenderError> {
    let content = view.content;
    let mut pages = Vec::new();

    // The strategic plan: one section per file, with its status and history.
    let mut plan_sections = Vec::new();
    for part in &content.plan {
        let mut s = section(&part.slug, &part.title);
        s.facts.push(Fact::new(
            "status",
            part.status.clone(),
            if part.status == "adopted" { "good" } else { "" },
        ));
        if let Some(last) = part.revisions.last() {
            s.facts
                .push(Fact::new("last revised", last.date.to_string(), ""));
        }
        s.body = Some(page::markdown(&part.body));
        let mut history = TableView::new("Revision history", &["date", "change"]);
        for revision in part.revisions.iter().rev() {
            history
                .rows
                .push(vec![cell(revision.date.to_string()), cell(&revision.note)]);
        }
        s.tables.push(history);
        plan_sections.push(s);
    }
    if plan_sections.is_empty() {
        plan_sections.push(SectionView {
            missing: Some(empty("plan")),
            ..section("plan", "The plan")
        });
    }
    pages.push(view.page(
        "community/plan.html",
        "community",
        "The strategic plan",
        "The community's plan, section by section, with where each stands.".into(),
        plan_sections,
    )?);

    // News: a list and a page per post.
    let mut list = TableView::new("Posts", &["date", "post", "by"]);
    for post in &content.news {
        list.rows.push(vec![
            cell(post.date.to_string()),
            linked(&post.title, format!("news/{}.html", post.slug)),
            cell(post.authors.join(", ")),
        ]);
        let mut s = section("post", &post.title);
        s.facts
            .push(Fact::new("published", post.date.to_string(), ""));
        s.facts.push(Fact::new("by", post.authors.join(", "), ""));
        s.body = Some(page::markdown(&post.body));
        s.more.push(("../news.html".into(), "every post".into()));
        pages.push(view.page(
            &format!("community/news/{}.html", post.slug),
            "community",
            &post.title,
            post.summary.clone().unwrap_or_default(),
            vec![s],
        )?);
    }
    pages.push(view.page(
        "community/news.html",
        "community",
        "News",
        "Posts across the ecosystem; the Atom feed carries them too.".into(),
        vec![with_table(section("news", "Posts"), list, "news")],
    )?);

    // Videos.
    let mut videos = TableView::new("Talks", &["date", "talk", "speakers", "event", "#length"]);
    for video in &content.videos {
        videos.rows.push(vec![
            cell(video.date.to_string()),
            linked(&video.title, &video.link),
            cell(video.speakers.join(", ")),
            cell(&video.event),
            num(length(video.duration_seconds)),
        ]);
    }
    pages.push(view.page(
        "community/videos.html",
        "community",
        "Videos",
        "Recorded talks of the community's events, newest first.".into(),
        vec![with_table(section("videos", "Talks"), videos, "videos")],
    )?);

    // Grants and proposals.
    let mut open = TableView::new(
        "Grant opportunities",
        &[
            "deadline",
            "call",
            "funder",
            "programme",
            "amount",
            "who may apply",
        ],
    );
    for grant in &content.grants {
        open.rows.push(vec![
            Cell {
                class: if grant.deadline < view.as_of {
                    "unknown"
                } else {
                    ""
                },
                ..cell(grant.deadline.to_string())
            },
            linked(&grant.title, &grant.link),
            cell(&grant.funder),
            cell(&grant.programme),
            cell(&grant.amount),
            cell(&grant.eligibility),
        ]);
    }
    let mut proposals = TableView::new(
        "Proposals",
        &[
            "submitted",
            "proposal",
            "PIs",
            "projects",
            "funder",
            "amount",
            "status",
            "decision",
        ],
    );
    for p in &content.proposals {
        proposals.rows.push(vec![
            cell(p.submitted.to_string()),
            match &p.link {
                Some(link) => linked(&p.title, link),
                None => cell(&p.title),
            },
            cell(p.pis.join(", ")),
            cell(p.projects.join(", ")),
            cell(&p.funder),
            cell(&p.amount),
            Cell {
                class: match p.status.as_str() {
                    "funded" => "good",
                    "declined" => "bad",
                    _ => "",
                },
                ..cell(&p.status)
            },
            cell(p.decision.map(|d| d.to_string()).unwrap_or_default()),
        ]);
    }
    let funded: Vec<&agora_content::Proposal> = content
        .proposals
        .iter()
        .filter(|p| p.status == "funded")
        .collect();
    let mut proposals_section = with_table(
        section("proposals", "Submitted proposals"),
        proposals,
        "proposals",
    );
    if !funded.is_empty() {
        proposals_section.lead = Some(format!(
            "{} funded: {}.",
            plural(funded.len(), "proposal", "proposals"),
            funded
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    pages.push(view.page(
        "community/grants.html",
        "community",
        "Grants",
        "Calls the community can apply to, by deadline, and the proposals it sent.".into(),
        vec![
            with_table(section("opportunities", "Opportunities"), open, "grants"),
            proposals_section,
        ],
    )?);

    // Events, and a page per event (with the bug day's lists).
    let mut events = TableView::new("Events", &["dates", "event", "kind", "where", "projects"]);
    for event in &content.events {
        events.rows.push(vec![
            cell(dates(event.start, event.end)),
            linked(&event.title, format!("events/{}.html", event.slug)),
            cell(event.kind.replace('-', " ")),
            cell(event.place.clone().unwrap_or_else(|| "online".into())),
            cell(event.projects.join(", ")),
        ]);
        pages.push(event_page(view, event)?);
    }
    pages.push(view.page(
        "community/events.html",
        "community",
        "Events",
        "Summits, sprints, documentation and bug days; subscribe to the calendars to follow them."
            .into(),
        vec![with_table(section("events", "Events"), events, "events")],
    )?);

    // Calendars.
    let mut calendars = TableView::new("Calendars (iCalendar)", &["calendar", "#entries"]);
    for calendar in view.calendars {
        calendars.rows.push(vec![
            linked(&calendar.name, format!("../{}", calendar.path)),
            num(calendar.entries.to_string()),
        ]);
    }
    pages.push(
        view.page(
            "community/calendars.html",
            "community",
            "Calendars",
            "Releases (past from PyPI, planned from milestones' due dates), SPEC 0 drops, grant \
         deadlines and events, as .ics files to subscribe to: one for everything, one per project."
                .into(),
            vec![with_table(
                section("calendars", "Calendars"),
                calendars,
                "calendars",
            )],
        )?,
    );

    // The hub.
    let upcoming: Vec<&agora_content::Event> = content
        .events
        .iter()
        .filter(|e| e.end >= view.as_of)
        .collect();
    let mut hub = section("community", "The community");
    for (label, href, count) in [
        (
            "The strategic plan",
            "plan.html",
            plural(content.plan.len(), "section", "sections"),
        ),
        (
            "News",
            "news.html",
            plural(content.news.len(), "post", "posts"),
        ),
        (
            "The week's digest",
            "digest.html",
            format!("to {}", view.as_of),
        ),
        (
            "Events",
            "events.html",
            format!("{} upcoming", upcoming.len()),
        ),
        (
            "Videos",
            "videos.html",
            plural(content.videos.len(), "talk", "talks"),
        ),
        (
            "Grants",
            "grants.html",
            format!(
                "{}, {}",
                plural(content.grants.len(), "opportunity", "opportunities"),
                plural(content.proposals.len(), "proposal", "proposals")
            ),
        ),
        (
            "Calendars",
            "calendars.html",
            plural(view.calendars.len(), "calendar", "calendars"),
        ),
        (
            "Governance documents",
            "governance.html",
            plural(view.reviewed.len(), "project reviewed", "projects reviewed"),
        ),
        (
            "The practices manual",
            "../manual/index.html",
            plural(
                view.manual.iter().map(|t| t.checks.len()).sum(),
                "check",
                "checks",
            ),
        ),
    ] {
        hub.facts
            .push(Fact::new(label, count, "").link(href.to_string()));
    }
    let mut next = TableView::new("Coming up", &["dates", "event", "kind"]);
    for event in upcoming.iter().take(5) {
        next.rows.push(vec![
            cell(dates(event.start, event.end)),
            linked(&event.title, format!("events/{}.html", event.slug)),
            cell(event.kind.replace('-', " ")),
        ]);
    }
    if !next.rows.is_empty() {
        hub.tables.push(next);
    }
    pages.push(view.page(
        "community/index.html",
        "community",
        "Community",
        format!(
            "The plan, news, events, videos and grants of {}, from its content folder.",
            view.ecosystem
        ),
        vec![hub],
    )?);
    Ok(pages)
}

/// The weekly digest: the last seven days' changes, this quarter's SPEC 0 drops, and the
/// deadlines and events of the next eight weeks.
fn digest(view: &CommunityView<'_>) -> Result<Page, RenderError> {
    let end = view.as_of.tomorrow().unwrap_or(view.as_of);
    let start = view
        .as_of
        .checked_sub(jiff::Span::new().days(6))
        .unwrap_or(view.as_of);
    let horizon = view
        .as_of
        .checked_add(jiff::Span::new().days(56))
        .unwrap_or(view.as_of);
    let day_of = |at: jiff::Timestamp| at.to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut week = TableView::new("Changes of the week", &["date", "what", "kind"]);
    for change in view
        .changes
        .iter()
        .filter(|c| c.kind != "spec0")
        .filter(|c| day_of(c.at) >= start && day_of(c.at) < end)
    {
        week.rows.push(vec![
            cell(day_of(change.at).to_string()),
            linked(&change.title, format!("../{}", change.page)),
            cell(&change.kind),
        ]);
    }
    let mut drops = TableView::new("SPEC 0 drops this quarter", &["what"]);
    for change in view.changes.iter().filter(|c| c.kind == "spec0") {
        drops
            .rows
            .push(vec![linked(&change.title, format!("../{}", change.page))]);
    }
    let mut ahead = TableView::new("Coming up", &["date", "what"]);
    let mut upcoming: Vec<(Date, String, String)> = Vec::new();
    for grant in &view.content.grants {
        if grant.deadline >= view.as_of && grant.deadline <= horizon {
            upcoming.push((
                grant.deadline,
                format!("Deadline: {} ({})", grant.title, grant.funder),
                "grants.html".into(),
            ));
        }
    }
    for event in &view.content.events {
        if event.start >= view.as_of && event.start <= horizon {
            upcoming.push((
                event.start,
                event.title.clone(),
                format!("events/{}.html", event.slug),
            ));
        }
    }
    upcoming.sort();
    for (date, title, href) in upcoming {
        ahead
            .rows
            .push(vec![cell(date.to_string()), linked(title, href)]);
    }
    let mut sections = vec![
        with_table(section("week", "The week"), week, "news"),
        with_table(section("spec0", "SPEC 0"), drops, "events"),
        with_table(section("ahead", "The next eight weeks"), ahead, "events"),
    ];
    sections[0].missing = sections[0]
        .missing
        .as_ref()
        .map(|_| format!("Nothing changed from {start} to {}.", view.as_of));
    sections[1].missing = sections[1]
        .missing
        .as_ref()
        .map(|_| "No SPEC 0 drop this quarter, or no release data to compute it.".to_string());
    sections[2].missing = sections[2]
        .missing
        .as_ref()
        .map(|_| format!("No deadline or event until {horizon}."));
    view.page(
        "community/digest.html",
        "community",
        &format!("The week to {}", view.as_of),
        "New releases, benchmark regressions and posts of the last seven days, this quarter's \
         SPEC 0 drops, and the deadlines and events ahead."
            .into(),
        sections,
    )
}

/// A section with `table`, or a sentence when it has no rows.
fn with_table(mut s: SectionView, table: TableView, kind: &str) -> SectionView {
    if table.rows.is_empty() {
        s.missing = Some(empty(kind));
    } else {
        s.tables.push(table);
    }
    s
}

fn empty(kind: &str) -> String {
    format!(
        "Nothing yet: add Markdown files with TOML front matter to content/{kind}/ beside agora.toml \
         (agora content check says what each needs)."
    )
}

/// `42:10` or `1:02:45`.
fn length(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn dates(start: Date, end: Date) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} – {end}")
    }
}

fn event_page(view: &CommunityView<'_>, event: &agora_content::Event) -> Result<Page, RenderError> {
    let mut about = section("about", "About");
    about
        .facts
        .push(Fact::new("dates", dates(event.start, event.end), ""));
    about
        .facts
        .push(Fact::new("kind", event.kind.replace('-', " "), ""));
    if let Some(place) = &event.place {
        about.facts.push(Fact::new("where", place.clone(), ""));
    }
    if let Some(link) = &event.link {
        about
            .facts
            .push(Fact::new("link", link.clone(), "").link(link.clone()));
    }
    about
        .facts
        .push(Fact::new("projects", event.projects.join(", "), ""));
    about.body = Some(page::markdown(&event.body));
    about
        .more
        .push(("../events.html".into(), "every event".into()));
    let mut sections = vec![about];
    if let Some(day) = view.bug_days.iter().find(|d| d.slug == event.slug) {
        for project in &day.projects {
            let mut s = section(&format!("project-{}", project.project), &project.project);
            if !project.mirrored {
                s.missing = Some(format!(
                    "No GitHub data for {} in the store: run `agora github sync {}` (or import its dumps).",
                    project.project,
                    project.repo.as_deref().unwrap_or("OWNER/NAME")
                ));
                sections.push(s);
                continue;
            }
            s.lead = Some(format!(
                "{} labelled {}{}.",
                plural(project.open.len(), "open issue", "open issues"),
                project
                    .labels
                    .iter()
                    .map(|l| format!("“{l}”"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                if day.begun {
                    format!(
                        "; during the event, {} closed and {} merged",
                        plural(project.closed.len(), "issue", "issues"),
                        plural(project.merged.len(), "pull request", "pull requests")
                    )
                } else {
                    String::new()
                }
            ));
            let mut open = TableView::new("Open issues to work on", &["#issue", "title", "labels"]);
            for line in &project.open {
                open.rows.push(vec![
                    number(line),
                    cell(&line.title),
                    cell(line.labels.join(", ")),
                ]);
            }
            if !open.rows.is_empty() {
                s.tables.push(open);
            }
            if day.begun {
                let mut closed = TableView::new(
                    "Issues closed during the event",
                    &["#issue", "title", "closed by"],
                );
                for line in &project.closed {
                    closed.rows.push(vec![
                        number(line),
                        cell(&line.title),
                        cell(line.by.clone().unwrap_or_else(|| "—".into())),
                    ]);
                }
                if !closed.rows.is_empty() {
                    s.tables.push(closed);
                }
                let mut merged = TableView::new(
                    "Pull requests merged during the event",
                    &["#PR", "title", "author", "merged by"],
                );
                for line in &project.merged {
                    merged.rows.push(vec![
                        number(line),
                        cell(&line.title),
                        cell(line.author.clone().unwrap_or_else(|| "—".into())),
                        cell(line.by.clone().unwrap_or_else(|| "—".into())),
                    ]);
                }
                if !merged.rows.is_empty() {
                    s.tables.push(merged);
                }
            }
            sections.push(s);
        }
    }
    view.page(
        &format!("community/events/{}.html", event.slug),
        "community",
        &event.title,
        format!(
            "{}, {}.",
            event.kind.replace('-', " "),
            dates(event.start, event.end)
        ),
        sections,
    )
}

fn number(line: &ItemLine) -> Cell {
    let text = format!("#{}", line.number);
    match &line.url {
        Some(url) => Cell {
            class: "num",
            ..linked(text, url)
        },
        None => num(text),
    }
}
