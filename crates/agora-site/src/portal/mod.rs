//! The portal's pages: `agora portal build` hands this module its [`model`] and gets back
//! every file of the site as a [`Page`] (a path relative to the site's root and its bytes).
//!
//! [`project_pages`] renders one project's folder (`projects/<slug>/`: its page with a
//! section per capability, and its health, review, wheels and benchmark pages, reusing the
//! capabilities' own renderers inside the portal's [`Frame`]); [`shared_pages`] renders the
//! pages made from every project's tile (home, SPEC 0, wheels, review, health, regressions,
//! the Atom feed, the search page) and the shared `assets/` (stylesheet, site script, uPlot);
//! [`search_entry`] and [`search_index`] make the static search index the search page reads.
//! Every link is relative, so the site works from `file://` and under any sub-path. Missing
//! data is said once, in words: a capability without data for a project is one sentence.

pub mod community;
pub mod model;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::page::{self, Frame, RenderError};
use model::{Change, Part, PortalView, ProjectDetail, Section, Tile};

/// Which of a project's capabilities a page of its folder belongs to (the project's own index
/// page belongs to none: it shows them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// `review.html`: the best-practice review.
    Review,
    /// From the PyPI page: `wheels.html` (the wheel matrix), and the release and SPEC 0
    /// sections.
    Pypi,
    /// `bench/`: the benchmark dashboard.
    Bench,
    /// `health.html`: the health report.
    Health,
}

/// One file of the site: its path relative to the site's root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The path, with `/` between folders (`projects/scipy/index.html`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// One page in the search index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchEntry {
    /// The page, relative to the site's root.
    pub path: String,
    /// Its title.
    pub title: String,
    /// Its text, without markup, shortened.
    pub text: String,
}

/// How much of a page's text the search index keeps.
const SEARCH_TEXT: usize = 1_500;

/// The vendored uPlot (MIT; see `assets/vendor/uplot/LICENSE`) and the site's script.
const ASSETS: [(&str, &[u8]); 4] = [
    (
        "assets/uPlot.iife.min.js",
        include_bytes!("../../assets/vendor/uplot/uPlot.iife.min.js"),
    ),
    (
        "assets/uPlot.min.css",
        include_bytes!("../../assets/vendor/uplot/uPlot.min.css"),
    ),
    (
        "assets/uPlot.LICENSE",
        include_bytes!("../../assets/vendor/uplot/LICENSE"),
    ),
    ("assets/site.js", include_bytes!("../../assets/site.js")),
];

/// A labelled value on a tile or in a section; `why` instead of a value when there is none.
#[derive(Debug, Serialize)]
struct Fact {
    label: String,
    value: Option<String>,
    why: Option<String>,
    /// `good`, `bad` or empty.
    tone: &'static str,
    href: Option<String>,
}

impl Fact {
    fn new(label: &str, value: String, tone: &'static str) -> Fact {
        Fact {
            label: label.into(),
            value: Some(value),
            why: None,
            tone,
            href: None,
        }
    }

    fn link(mut self, href: String) -> Fact {
        self.href = Some(href);
        self
    }

    fn of<T>(label: &str, section: &Section<T>, known: impl FnOnce(&T) -> Fact) -> Fact {
        match section {
            Section::Known { value } => Fact {
                label: label.into(),
                ..known(value)
            },
            Section::Missing { why } => Fact {
                label: label.into(),
                value: None,
                why: Some(why.clone()),
                tone: "",
                href: None,
            },
        }
    }
}

/// A table cell: its text, a link, a class.
#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    href: Option<String>,
    class: &'static str,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        href: None,
        class: "",
    }
}

fn num(text: impl Into<String>) -> Cell {
    Cell {
        class: "num",
        ..cell(text)
    }
}

fn linked(text: impl Into<String>, href: impl Into<String>) -> Cell {
    Cell {
        href: Some(href.into()),
        ..cell(text)
    }
}

/// A table of a section.
#[derive(Debug, Serialize)]
struct TableView {
    caption: String,
    header: Vec<(String, bool)>,
    rows: Vec<Vec<Cell>>,
}

impl TableView {
    fn new(caption: &str, header: &[&str]) -> TableView {
        TableView {
            caption: caption.into(),
            header: header
                .iter()
                .map(|h| (h.trim_start_matches('#').to_string(), h.starts_with('#')))
                .collect(),
            rows: Vec::new(),
        }
    }
}

/// A section of a portal page.
#[derive(Debug, Serialize, Default)]
struct SectionView {
    id: String,
    title: String,
    missing: Option<String>,
    lead: Option<String>,
    facts: Vec<Fact>,
    figure: Option<minijinja::Value>,
    /// Markdown from the model, as HTML (a check's remedy, a plan section, a post).
    body: Option<minijinja::Value>,
    tables: Vec<TableView>,
    more: Vec<(String, String)>,
}

/// A page of sections (a project's page, the ecosystem's tables).
#[derive(Debug, Serialize)]
struct SectionsPage {
    title: String,
    lead: String,
    links: Vec<(String, String)>,
    sections: Vec<SectionView>,
    footer: String,
}

/// A tile on the home page.
#[derive(Debug, Serialize)]
struct TileView {
    name: String,
    href: String,
    role: String,
    facts: Vec<Fact>,
}

/// A change in a list, with its link.
#[derive(Debug, Serialize)]
struct ChangeView {
    kind: String,
    title: String,
    date: String,
    href: String,
}

/// The home page.
#[derive(Debug, Serialize)]
struct HomePage {
    title: String,
    lead: String,
    glance: Vec<(String, String)>,
    tiles: Vec<TileView>,
    changes: Vec<ChangeView>,
    footer: String,
}

/// An entry of the Atom feed.
#[derive(Debug, Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    updated: String,
    href: String,
    kind: String,
}

/// The Atom feed.
#[derive(Debug, Serialize)]
struct Feed {
    title: String,
    id: String,
    updated: String,
    generator: String,
    entries: Vec<FeedEntry>,
}

/// `2026-12-07`.
fn day(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

/// `1.82×`.
fn factor(value: Option<f64>) -> String {
    value.map_or_else(|| "?".into(), |f| format!("{f:.2}×"))
}

/// A number with at most one decimal.
fn short(value: f64) -> String {
    if value >= 100.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn footer(generator: &str, ecosystem: &str, as_of: Date) -> String {
    format!("Generated by {generator} for {ecosystem}, as of {as_of}.")
}

/// The facts of a tile; links are relative to `root` (the way to the site's root).
fn tile_facts(tile: &Tile, root: &str) -> Vec<Fact> {
    let project = format!("{root}projects/{}/", tile.slug);
    vec![
        Fact::of("Latest release", &tile.release, |r| {
            let date = r.released.map(day).unwrap_or_default();
            Fact::new("", format!("{} ({date})", r.version).replace(" ()", ""), "")
        }),
        Fact::of("SPEC 0", &tile.spec0, |s| {
            let behind = s.findings.iter().filter(|f| f.needs_action).count();
            if s.follows {
                Fact::new("", "follows".into(), "good")
            } else {
                Fact::new("", format!("{behind} floor(s) below policy"), "bad")
            }
            .link(format!("{project}index.html#spec0"))
        }),
        Fact::of("Review", &tile.review, |r| {
            Fact::new(
                "",
                format!("{} failed, {} passed", r.failed, r.passed),
                if r.failed == 0 { "good" } else { "bad" },
            )
            .link(format!("{project}review.html"))
        }),
        Fact::of("Wheels", &tile.wheels, |w| {
            let text = if w.pure {
                "pure Python: every CPython".to_string()
            } else if w.pythons.is_empty() {
                "no wheel for the newest CPython".to_string()
            } else {
                w.pythons
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {}/{}",
                            p.python,
                            p.covered.len(),
                            p.covered.len() + p.missing.len()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let complete = w.pure || w.pythons.iter().all(|p| p.missing.is_empty());
            Fact::new("", text, if complete { "good" } else { "" })
                .link(format!("{project}wheels.html"))
        }),
        Fact::of("Benchmarks", &tile.bench, |b| {
            let n = b.regressions.len();
            Fact::new(
                "",
                format!("{n} open regression{}", if n == 1 { "" } else { "s" }),
                if n == 0 { "good" } else { "bad" },
            )
            .link(format!("{project}bench/index.html"))
        }),
        Fact::of("Health", &tile.health, |h| {
            let mut parts = Vec::new();
            if let Some(m) = h.merged {
                parts.push(format!("{m} PRs merged"));
            }
            if let Some(r) = h.response_median_hours {
                parts.push(format!("first response {} h", short(r)));
            }
            if parts.is_empty() {
                parts.push("no activity in the window".into());
            }
            Fact::new("", parts.join(", "), "").link(format!("{project}health.html"))
        }),
    ]
}

/// The home page.
fn home(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let tiles = view.tiles;
    let count = |f: &dyn Fn(&Tile) -> bool| tiles.iter().filter(|t| f(t)).count();
    let regressions: usize = tiles
        .iter()
        .filter_map(|t| t.bench.known())
        .map(|b| b.regressions.len())
        .sum();
    let failures: usize = tiles
        .iter()
        .filter_map(|t| t.review.known())
        .map(|r| r.failed)
        .sum();
    let glance = vec![
        (
            tiles.len().to_string(),
            if tiles.len() == 1 {
                "project"
            } else {
                "projects"
            }
            .to_string(),
        ),
        (
            count(&|t| t.spec0.known().is_some_and(|s| s.follows)).to_string(),
            format!(
                "follow SPEC 0 (of {})",
                count(&|t| t.spec0.known().is_some())
            ),
        ),
        (failures.to_string(), "failed review checks".to_string()),
        (
            regressions.to_string(),
            "open benchmark regressions".to_string(),
        ),
    ];
    let home = HomePage {
        title: format!("{} — the ecosystem at a glance", view.ecosystem),
        lead: format!(
            "{} project{} as of {}: releases, SPEC 0, best practices, wheels, benchmarks and health.",
            tiles.len(),
            if tiles.len() == 1 { "" } else { "s" },
            view.as_of
        ),
        glance,
        tiles: tiles
            .iter()
            .map(|t| TileView {
                name: t.name.clone(),
                href: format!("projects/{}/index.html", t.slug),
                role: t.role.clone(),
                facts: tile_facts(t, ""),
            })
            .collect(),
        changes: changes(view.changes, "").into_iter().take(12).collect(),
        footer: footer(view.generator, view.ecosystem, view.as_of),
    };
    rendered(
        "index.html",
        "portal_home.html",
        &home,
        &Frame::at_depth(0, "home"),
    )
}

fn changes(changes: &[Change], root: &str) -> Vec<ChangeView> {
    changes
        .iter()
        .map(|c| ChangeView {
            kind: c.kind.clone(),
            title: c.title.clone(),
            date: day(c.at),
            href: format!("{root}{}", c.page),
        })
        .collect()
}

/// Renders `template` with `context` in `frame` as the page at `path`.
fn rendered<T: Serialize>(
    path: &str,
    template: &str,
    context: &T,
    frame: &Frame,
) -> Result<Page, RenderError> {
    Ok(Page {
        path: path.into(),
        bytes: page::render_in(template, context, Some(frame))?.into_bytes(),
    })
}

/// Names of the tiles whose `section` is missing, as one sentence, or `None`.
fn without<T>(
    tiles: &[Tile],
    what: &str,
    section: impl Fn(&Tile) -> &Section<T>,
) -> Option<String> {
    let names: Vec<&str> = tiles
        .iter()
        .filter(|t| section(t).known().is_none())
        .map(|t| t.name.as_str())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "No {what} for {}; each project's page says why.",
            names.join(", ")
        )
    })
}

/// The SPEC 0 page: minimums in force, drops by quarter, projects' floors.
fn spec0(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let mut sections = Vec::new();
    match view.schedule {
        Some(schedule) => {
            let mut in_force = TableView::new(
                "Minimum versions in force",
                &["package", "minimum", "since"],
            );
            for m in &schedule.in_force {
                in_force.rows.push(vec![
                    cell(&m.package),
                    cell(
                        m.version
                            .as_ref()
                            .map_or("none".into(), ToString::to_string),
                    ),
                    cell(m.since.map_or("—".into(), |q| q.to_string())),
                ]);
            }
            let mut drops = TableView::new(
                "Support ends, by quarter",
                &["quarter", "package", "versions", "new minimum"],
            );
            for q in &schedule.quarters {
                for p in &q.packages {
                    drops.rows.push(vec![
                        cell(q.quarter.to_string()),
                        cell(&p.package),
                        cell(
                            p.versions
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                        cell(
                            p.new_minimum
                                .as_ref()
                                .map_or("not released yet".into(), ToString::to_string),
                        ),
                    ]);
                }
            }
            sections.push(SectionView {
                id: "schedule".into(),
                title: "The schedule".into(),
                lead: Some(format!(
                    "SPEC 0 on {}: Python releases are supported for 36 months, core packages for 24.",
                    schedule.date
                )),
                tables: vec![in_force, drops],
                ..SectionView::default()
            });
        }
        None => sections.push(SectionView {
            id: "schedule".into(),
            title: "The schedule".into(),
            missing: Some(
                "No release data for the core projects: run `agora pypi sync` to compute SPEC 0."
                    .into(),
            ),
            ..SectionView::default()
        }),
    }
    let mut projects = TableView::new(
        "Projects' floors",
        &["project", "read from", "status", "below policy"],
    );
    for t in view.tiles {
        if let Some(s) = t.spec0.known() {
            projects.rows.push(vec![
                linked(&t.name, format!("projects/{}/index.html#spec0", t.slug)),
                cell(&s.source),
                Cell {
                    class: if s.follows { "good" } else { "bad" },
                    ..cell(if s.follows { "follows" } else { "needs action" })
                },
                cell(
                    s.findings
                        .iter()
                        .filter(|f| f.needs_action)
                        .map(|f| format!("{} {} (SPEC 0: {})", f.package, f.declared, f.minimum))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ]);
        }
    }
    sections.push(SectionView {
        id: "projects".into(),
        title: "Projects".into(),
        missing: without(view.tiles, "SPEC 0 comparison", |t| &t.spec0),
        tables: if projects.rows.is_empty() {
            Vec::new()
        } else {
            vec![projects]
        },
        ..SectionView::default()
    });
    sections_page("spec0.html", "spec0", view, "SPEC 0", sections)
}

fn sections_page(
    path: &str,
    section: &str,
    view: &PortalView<'_>,
    title: &str,
    sections: Vec<SectionView>,
) -> Result<Page, RenderError> {
    rendered(
        path,
        "portal_sections.html",
        &SectionsPage {
            title: format!("{title} — {}", view.ecosystem),
            lead: String::new(),
            links: Vec::new(),
            sections,
            footer: footer(view.generator, view.ecosystem, view.as_of),
        },
        &Frame::at_depth(0, section),
    )
}

/// The review table across projects.
fn review(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let mut table = TableView::new(
        "Best-practice checks per project",
        &["project", "#passed", "#failed", "#skipped", "failed checks"],
    );
    for t in view.tiles {
        if let Some(r) = t.review.known() {
            table.rows.push(vec![
                linked(&t.name, format!("projects/{}/review.html", t.slug)),
                num(r.passed.to_string()),
                Cell {
                    class: if r.failed > 0 { "num bad" } else { "num" },
                    ..cell(r.failed.to_string())
                },
                num(r.skipped.to_string()),
                cell(
                    r.failures
                        .iter()
                        .map(|(code, _)| code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ]);
        }
    }
    let section = SectionView {
        id: "review".into(),
        title: "Review".into(),
        missing: without(view.tiles, "review", |t| &t.review),
        tables: if table.rows.is_empty() {
            Vec::new()
        } else {
            vec![table]
        },
        ..SectionView::default()
    };
    sections_page(
        "review.html",
        "review",
        view,
        "Best practices",
        vec![section],
    )
}

/// The health dashboard: each project's headline, and medians over three or more projects.
fn health(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let mut table = TableView::new(
        "Health headlines",
        &[
            "project",
            "#PRs merged",
            "#PRs open",
            "#first response (median h)",
            "#merge (median days)",
            "#pony factor",
            "#authors",
        ],
    );
    let opt = |v: Option<f64>| num(v.map_or("—".into(), short));
    let opt_n = |v: Option<usize>| num(v.map_or("—".into(), |n| n.to_string()));
    for t in view.tiles {
        if let Some(h) = t.health.known() {
            table.rows.push(vec![
                linked(&t.name, format!("projects/{}/health.html", t.slug)),
                opt_n(h.merged),
                opt_n(h.open),
                opt(h.response_median_hours),
                opt(h.merge_median_days),
                opt_n(h.pony_factor),
                opt_n(h.unique_authors),
            ]);
        }
    }
    let m = view.medians;
    let has_medians = m.merged.is_some()
        || m.response_median_hours.is_some()
        || m.merge_median_days.is_some()
        || m.pony_factor.is_some();
    if has_medians {
        table.rows.push(vec![
            cell("median of the projects"),
            opt(m.merged),
            num(""),
            opt(m.response_median_hours),
            opt(m.merge_median_days),
            opt(m.pony_factor),
            num(""),
        ]);
    }
    let section = SectionView {
        id: "health".into(),
        title: "Health".into(),
        lead: (!has_medians && !table.rows.is_empty()).then(|| {
            "Medians across projects are shown from three projects with data on.".to_string()
        }),
        missing: without(view.tiles, "GitHub data", |t| &t.health),
        tables: if table.rows.is_empty() {
            Vec::new()
        } else {
            vec![table]
        },
        ..SectionView::default()
    };
    sections_page("health.html", "health", view, "Health", vec![section])
}

/// A regressions table; links relative to `root`.
fn regressions_table(tiles: &[&Tile], root: &str) -> TableView {
    let mut table = TableView::new(
        "Open benchmark regressions, worst first",
        &[
            "project",
            "benchmark",
            "parameters",
            "#slower",
            "commit",
            "date",
        ],
    );
    for t in tiles {
        let Some(b) = t.bench.known() else { continue };
        for r in &b.regressions {
            let short: String = r.commit.as_deref().unwrap_or("?").chars().take(8).collect();
            let mut params: Vec<String> =
                r.params.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            if let Some(machine) = &r.machine
                && !r.params.iter().any(|(k, _)| k == "machine")
            {
                params.insert(0, format!("machine = {machine}"));
            }
            table.rows.push(vec![
                cell(&t.name),
                linked(&r.benchmark, format!("{root}{}", r.page)),
                cell(params.join(", ")),
                Cell {
                    class: "num bad",
                    ..cell(factor(r.factor))
                },
                match &r.commit_url {
                    Some(url) => linked(short, url),
                    None => cell(short),
                },
                cell(r.at.map(day).unwrap_or_default()),
            ]);
        }
    }
    table
}

/// Benchmark regressions across projects.
fn regressions(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let tiles: Vec<&Tile> = view.tiles.iter().collect();
    let table = regressions_table(&tiles, "");
    let section = SectionView {
        id: "regressions".into(),
        title: "Regressions".into(),
        lead: table
            .rows
            .is_empty()
            .then(|| "No open regressions.".to_string()),
        missing: without(view.tiles, "benchmark results", |t| &t.bench),
        tables: if table.rows.is_empty() {
            Vec::new()
        } else {
            vec![table]
        },
        ..SectionView::default()
    };
    sections_page(
        "regressions.html",
        "regressions",
        view,
        "Benchmark regressions",
        vec![section],
    )
}

/// Wheel readiness across projects and CPythons.
fn wheels(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let frame = Frame::at_depth(0, "wheels");
    match view.wheels {
        Some(report) => Ok(Page {
            path: "wheels.html".into(),
            bytes: crate::wheels::html_in(report, Some(&frame))?.into_bytes(),
        }),
        None => sections_page(
            "wheels.html",
            "wheels",
            view,
            "Wheels",
            vec![SectionView {
                id: "wheels".into(),
                title: "Wheel coverage".into(),
                missing: Some("No project has PyPI data: run `agora pypi sync`.".into()),
                ..SectionView::default()
            }],
        ),
    }
}

/// The Atom feed of the changes.
fn feed(view: &PortalView<'_>) -> Result<Page, RenderError> {
    let start = view
        .as_of
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let updated = view.changes.iter().map(|c| c.at).max().unwrap_or(start);
    let feed = Feed {
        title: format!("{}: what changed", view.ecosystem),
        id: format!(
            "tag:scientific-python.org,2026:agora/{}",
            slug_of(view.ecosystem)
        ),
        updated: updated.to_string(),
        generator: view.generator.to_string(),
        entries: view
            .changes
            .iter()
            .map(|c| FeedEntry {
                // Stable across builds (a reader must not see an entry twice when newer ones
                // arrive): what changed, where, when, and a digest of the title.
                id: format!(
                    "tag:scientific-python.org,2026:agora/{}/{}/{}/{}",
                    c.kind,
                    slug_of(&c.project),
                    c.at.as_second(),
                    title_digest(&c.title)
                ),
                title: c.title.clone(),
                updated: c.at.to_string(),
                href: c.page.clone(),
                kind: c.kind.clone(),
            })
            .collect(),
    };
    Ok(Page {
        path: "feed.atom".into(),
        bytes: page::render("feed.atom", &feed)?.into_bytes(),
    })
}

/// The first 12 hex digits of the SHA-256 of `title`: tells apart two changes of one
/// project at the same second.
fn title_digest(title: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(title.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Lower-case letters and digits of `name`, others as `-`.
fn slug_of(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Every shared page of the portal and its assets: home, the ecosystem pages, the feed, the
/// search page, the stylesheet, the site script and uPlot.
pub fn shared_pages(view: &PortalView<'_>) -> Result<Vec<Page>, RenderError> {
    let mut pages = vec![
        home(view)?,
        spec0(view)?,
        wheels(view)?,
        review(view)?,
        health(view)?,
        regressions(view)?,
        feed(view)?,
        rendered(
            "search.html",
            "portal_search.html",
            &serde_json::json!({
                "title": format!("Search — {}", view.ecosystem),
                "footer": footer(view.generator, view.ecosystem, view.as_of),
            }),
            &Frame::at_depth(0, "search"),
        )?,
        Page {
            path: "assets/style.css".into(),
            bytes: page::render("style.css", &())?.into_bytes(),
        },
    ];
    pages.extend(ASSETS.iter().map(|(path, bytes)| Page {
        path: (*path).into(),
        bytes: bytes.to_vec(),
    }));
    Ok(pages)
}

/// Every page of one project: `projects/<slug>/index.html` (a section per capability) and,
/// where there is data, its health, review, wheels and benchmark pages.
///
/// Each page comes with the part it belongs to (`None` for the index page); a part that is
/// [`Part::Kept`] is linked from the index page and renders nothing.
pub fn project_pages(
    detail: &ProjectDetail<'_>,
    ecosystem: &str,
    as_of: Date,
    generator: &str,
) -> Result<Vec<(Option<PartKind>, Page)>, RenderError> {
    let tile = detail.tile;
    let folder = format!("projects/{}", tile.slug);
    let frame = Frame::at_depth(2, "");
    let mut pages = Vec::new();
    let mut sections = Vec::new();

    let mut release = SectionView {
        id: "release".into(),
        title: "Releases".into(),
        ..SectionView::default()
    };
    match &tile.release {
        Section::Known { value } => {
            release
                .facts
                .push(Fact::new("latest", value.version.clone(), ""));
            if let Some(at) = value.released {
                release.facts.push(Fact::new("released", day(at), ""));
            }
            if let Some(requires) = &value.requires_python {
                release
                    .facts
                    .push(Fact::new("Requires-Python", requires.clone(), ""));
            }
            release.facts.push(Fact::new(
                "releases on PyPI",
                value.releases.to_string(),
                "",
            ));
        }
        Section::Missing { why } => release.missing = Some(why.clone()),
    }
    sections.push(release);

    let mut spec0 = SectionView {
        id: "spec0".into(),
        title: "SPEC 0".into(),
        more: vec![("../../spec0.html".into(), "the ecosystem's schedule".into())],
        ..SectionView::default()
    };
    match &tile.spec0 {
        Section::Known { value } => {
            spec0.lead = Some(format!(
                "{} on {as_of}, read from the {}.",
                if value.follows {
                    "Follows SPEC 0"
                } else {
                    "Does not follow SPEC 0"
                },
                value.source
            ));
            let mut table = TableView::new(
                "Floors against SPEC 0",
                &["package", "declared", "SPEC 0 minimum", "status"],
            );
            for f in &value.findings {
                table.rows.push(vec![
                    cell(&f.package),
                    cell(&f.declared),
                    cell(&f.minimum),
                    Cell {
                        class: if f.needs_action { "bad" } else { "" },
                        ..cell(&f.status)
                    },
                ]);
            }
            spec0.tables.push(table);
        }
        Section::Missing { why } => spec0.missing = Some(why.clone()),
    }
    sections.push(spec0);

    let mut review = SectionView {
        id: "review".into(),
        title: "Best practices".into(),
        ..SectionView::default()
    };
    match (&tile.review, &detail.review) {
        (Section::Known { value }, part @ (Part::Render(_) | Part::Kept)) => {
            review.lead = Some(format!(
                "{} checks passed, {} failed, {} skipped.",
                value.passed, value.failed, value.skipped
            ));
            if !value.failures.is_empty() {
                let mut table =
                    TableView::new("Failed checks", &["code", "check", "how to comply"]);
                for (code, name) in &value.failures {
                    table.rows.push(vec![
                        linked(code, format!("review.html#{code}")),
                        cell(name),
                        linked(
                            format!("{code} in the manual"),
                            format!("../../manual/{code}.html"),
                        ),
                    ]);
                }
                review.tables.push(table);
            }
            review
                .more
                .push(("review.html".into(), "every check".into()));
            if let Part::Render(report) = part {
                pages.push((
                    Some(PartKind::Review),
                    Page {
                        path: format!("{folder}/review.html"),
                        bytes: crate::review::html_in(report, Some(&frame))?.into_bytes(),
                    },
                ));
            }
        }
        (Section::Missing { why }, _) => review.missing = Some(why.clone()),
        (Section::Known { .. }, Part::Absent) => {
            review.missing = Some("the review's details were not kept".into());
        }
    }
    sections.push(review);

    let mut wheels = SectionView {
        id: "wheels".into(),
        title: "Wheels".into(),
        ..SectionView::default()
    };
    match &tile.wheels {
        Section::Known { value } => {
            wheels.lead = Some(if value.pure {
                format!(
                    "{} is pure Python: one wheel for every CPython.",
                    value.version
                )
            } else {
                format!("Wheels of {} for the newest CPython.", value.version)
            });
            if !value.pure {
                let mut table = TableView::new(
                    "Newest CPython",
                    &["CPython", "platforms with a wheel", "without"],
                );
                for p in &value.pythons {
                    table.rows.push(vec![
                        cell(&p.python),
                        cell(p.covered.join(", ")),
                        cell(if p.missing.is_empty() {
                            "—".to_string()
                        } else {
                            p.missing.join(", ")
                        }),
                    ]);
                }
                wheels.tables.push(table);
            }
        }
        Section::Missing { why } => wheels.missing = Some(why.clone()),
    }
    if detail.wheels.is_present() {
        wheels
            .more
            .push(("wheels.html".into(), "the full wheel matrix".into()));
    }
    if let Part::Render(report) = detail.wheels {
        pages.push((
            Some(PartKind::Pypi),
            Page {
                path: format!("{folder}/wheels.html"),
                bytes: crate::wheels::html_in(report, Some(&frame))?.into_bytes(),
            },
        ));
    }
    sections.push(wheels);

    let mut bench = SectionView {
        id: "benchmarks".into(),
        title: "Benchmarks".into(),
        ..SectionView::default()
    };
    match (&tile.bench, &detail.bench) {
        (Section::Known { value }, part @ (Part::Render(_) | Part::Kept)) => {
            bench.lead = Some(format!(
                "{} series analysed, {} open regression{}.",
                value.series,
                value.regressions.len(),
                if value.regressions.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
            let table = regressions_table(&[tile], "../../");
            if !table.rows.is_empty() {
                bench.tables.push(table);
            }
            bench
                .more
                .push(("bench/index.html".into(), "the benchmark dashboard".into()));
            if let Part::Render(site) = part {
                let bench_frame = Frame::at_depth(3, "");
                for (path, bytes) in
                    site.render_in(crate::bench::XOrder::Dates, Some(&bench_frame))?
                {
                    pages.push((
                        Some(PartKind::Bench),
                        Page {
                            path: format!("{folder}/bench/{path}"),
                            bytes,
                        },
                    ));
                }
            }
        }
        (Section::Missing { why }, _) => bench.missing = Some(why.clone()),
        (Section::Known { .. }, Part::Absent) => {
            bench.missing = Some("the benchmark analysis was not kept".into());
        }
    }
    sections.push(bench);

    let mut health = SectionView {
        id: "health".into(),
        title: "Health".into(),
        ..SectionView::default()
    };
    match (&tile.health, &detail.health) {
        (Section::Known { value }, part @ (Part::Render(_) | Part::Kept)) => {
            let opt = |v: Option<f64>, unit: &str| {
                v.map_or_else(|| "—".to_string(), |v| format!("{} {unit}", short(v)))
            };
            if let (Some(since), Some(until)) = (value.since, value.until) {
                health.lead = Some(format!("From {} to {}.", day(since), day(until)));
            }
            health.facts = vec![
                Fact::new(
                    "PRs merged",
                    value.merged.map_or("—".into(), |n| n.to_string()),
                    "",
                ),
                Fact::new(
                    "PRs open",
                    value.open.map_or("—".into(), |n| n.to_string()),
                    "",
                ),
                Fact::new(
                    "first response to an issue (median)",
                    opt(value.response_median_hours, "h"),
                    "",
                ),
                Fact::new(
                    "time to merge (median)",
                    opt(value.merge_median_days, "days"),
                    "",
                ),
                Fact::new(
                    "pony factor",
                    value.pony_factor.map_or("—".into(), |n| n.to_string()),
                    "",
                ),
            ];
            if !value.sparkline.is_empty() {
                health.figure = Some(page::safe(
                    crate::chart::sparkline("PRs merged per 30 days", &value.sparkline).svg(),
                ));
            }
            health
                .more
                .push(("health.html".into(), "the health report".into()));
            if let Part::Render(report) = part {
                pages.push((
                    Some(PartKind::Health),
                    Page {
                        path: format!("{folder}/health.html"),
                        bytes: crate::health::html_in(report, Some(&frame))?.into_bytes(),
                    },
                ));
            }
        }
        (Section::Missing { why }, _) => health.missing = Some(why.clone()),
        (Section::Known { .. }, Part::Absent) => {
            health.missing = Some("the health report was not kept".into());
        }
    }
    sections.push(health);

    let mut links = vec![(
        format!("https://pypi.org/project/{}/", tile.pypi),
        "PyPI".to_string(),
    )];
    if let Some(repo) = &tile.repo {
        links.push((format!("https://github.com/{repo}"), "GitHub".into()));
    }
    if let Some(docs) = &tile.docs {
        links.push((docs.clone(), "documentation".into()));
    }
    let index = SectionsPage {
        title: tile.name.clone(),
        lead: format!("{} project of {ecosystem}.", capitalised(&tile.role)),
        links,
        sections,
        footer: footer(generator, ecosystem, as_of),
    };
    pages.insert(
        0,
        (
            None,
            rendered(
                &format!("{folder}/index.html"),
                "portal_sections.html",
                &index,
                &frame,
            )?,
        ),
    );
    Ok(pages)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The search entry of an HTML page: its title and the text of its `<main>`, shortened;
/// `None` for other files.
pub fn search_entry(page: &Page) -> Option<SearchEntry> {
    if !page.path.ends_with(".html") {
        return None;
    }
    let html = std::str::from_utf8(&page.bytes).ok()?;
    let title = between(html, "<title>", "</title>").unwrap_or(&page.path);
    let main = between(html, "<main", "</main>").unwrap_or(html);
    // Text between tags; a tag counts as a space; `<script>` and `<svg>` elements are skipped
    // whole, by a search for their end rather than a walk through their (large) contents.
    let mut text = String::new();
    let mut rest = main;
    while text.len() <= SEARCH_TEXT * 2 {
        let Some(open) = rest.find('<') else {
            text.push_str(rest);
            break;
        };
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        for (start, end) in [("<script", "</script"), ("<svg", "</svg")] {
            if rest.starts_with(start) {
                rest = rest.find(end).map_or("", |at| &rest[at..]);
            }
        }
        let Some(close) = rest.find('>') else { break };
        rest = &rest[close + 1..];
        text.push(' ');
    }
    let text = unescape(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    let cut = text
        .char_indices()
        .nth(SEARCH_TEXT)
        .map_or(text.len(), |(i, _)| i);
    Some(SearchEntry {
        path: page.path.clone(),
        title: unescape(title.trim()),
        text: text[..cut].to_string(),
    })
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let from = if start.ends_with('>') {
        from
    } else {
        from + text[from..].find('>')? + 1
    };
    let to = from + text[from..].find(end)?;
    Some(&text[from..to])
}

/// The entities minijinja's escaping writes, back to characters.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// The search index: `search-index.json` for machines and `assets/search-index.js` (the same
/// JSON assigned to `AGORA_SEARCH`) that the search page loads, from `file://` too.
pub fn search_index(entries: &[SearchEntry]) -> Result<Vec<Page>, RenderError> {
    let json = serde_json::to_string(entries)
        .map_err(|e| {
            RenderError::from(minijinja::Error::new(
                minijinja::ErrorKind::BadSerialization,
                e.to_string(),
            ))
        })?
        .replace('<', "\\u003c");
    Ok(vec![
        Page {
            path: "search-index.json".into(),
            bytes: json.clone().into_bytes(),
        },
        Page {
            path: "assets/search-index.js".into(),
            bytes: format!("window.AGORA_SEARCH = {json};\n").into_bytes(),
        },
    ])
}

#[cfg(test)]
mod tests;
