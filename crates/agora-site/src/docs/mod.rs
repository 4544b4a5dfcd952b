//! The pages of an API reference (`agora docs build`): one page per public object, a page per
//! module listing its members, and the project's index.
//!
//! Pages follow numpydoc's section order (summary, extended summary, parameters, attributes,
//! methods, returns, yields, receives, other parameters, raises, warns, warnings, see also,
//! notes, references, examples). The signature carries a `[source]` link to the repository at
//! the release tag with the line range; See Also entries link to their targets and show the
//! target's one-line summary when the entry has no description; types in parameter tables
//! link to the objects they name. Navigation is a breadcrumb trail and the object's own
//! members, never the whole tree, so a page's size does not grow with the project. Docstring
//! text goes through [`rst`]. Pages are rendered on all cores (rayon) and handed to a sink as
//! each is made, so memory does not grow with the number of pages; every object's one-line
//! summary is rendered once up front ([`Summaries`]), as many pages show it. A standalone
//! site links one shared stylesheet instead of inlining it in every page.

pub mod rst;

use agora_docs::xref::{self, Resolution};
use agora_docs::{ApiObject, ApiReference, ObjectKind};
use agora_numpydoc::Docstring;
use rayon::prelude::*;
use serde::Serialize;

use crate::page::{Frame, RenderError, render_in, safe};

/// What the pages need besides the reference.
#[derive(Debug, Clone, Default)]
pub struct DocsOptions {
    /// The project's display name (`NumPy`).
    pub project: String,
    /// The version documented.
    pub version: String,
    /// The `[source]` link: a URL with `{path}`, `{line}` and `{end_line}` to fill in.
    pub source_url: Option<String>,
}

#[derive(Serialize)]
struct Crumb {
    name: String,
    href: Option<String>,
}

#[derive(Serialize)]
struct ParamRow {
    name: String,
    kind: minijinja::Value,
    description: minijinja::Value,
}

#[derive(Serialize)]
struct SeeAlsoRow {
    links: Vec<minijinja::Value>,
    description: minijinja::Value,
}

#[derive(Serialize)]
struct Section {
    title: &'static str,
    id: &'static str,
    params: Vec<ParamRow>,
    see_also: Vec<SeeAlsoRow>,
    html: Option<minijinja::Value>,
}

#[derive(Serialize)]
struct MemberRow {
    name: String,
    href: String,
    summary: minijinja::Value,
}

#[derive(Serialize)]
struct MemberGroup {
    title: &'static str,
    rows: Vec<MemberRow>,
}

#[derive(Serialize)]
struct ObjectPage {
    title: String,
    project: String,
    version: String,
    index_href: String,
    name: String,
    short_name: String,
    prefix: String,
    kind: &'static str,
    signature: Option<String>,
    source_href: Option<String>,
    crumbs: Vec<Crumb>,
    deprecated: Option<minijinja::Value>,
    summary: minijinja::Value,
    extended: minijinja::Value,
    sections: Vec<Section>,
    members: Vec<MemberGroup>,
    docstring_origin: Option<String>,
    stylesheet: Option<String>,
}

#[derive(Serialize)]
struct IndexPage {
    title: String,
    project: String,
    version: String,
    modules: Vec<MemberRow>,
    objects: usize,
    stylesheet: Option<String>,
}

/// The file name of an object's page inside `api/`.
fn page_file(name: &str) -> String {
    format!("{name}.html")
}

/// The reference with each object's one-line summary rendered once: member tables and See
/// Also rows show the summaries of other objects (a module page lists hundreds), so parsing
/// each docstring again for every page that shows it would dominate the build.
pub struct Summaries<'a> {
    reference: &'a ApiReference,
    /// Inline HTML, in the order of `reference.objects`.
    html: Vec<String>,
}

impl<'a> Summaries<'a> {
    /// Renders every object's one-line summary, on all cores.
    pub fn new(reference: &'a ApiReference) -> Summaries<'a> {
        let html = reference
            .objects
            .par_iter()
            .map(|object| one_line_summary(reference, object))
            .collect();
        Summaries { reference, html }
    }

    /// The summary of one object of the reference, as markup for a template.
    fn of(&self, object: &ApiObject) -> minijinja::Value {
        let index = self
            .reference
            .objects
            .binary_search_by(|o| o.name.as_str().cmp(&object.name));
        match index.ok().and_then(|i| self.html.get(i)) {
            Some(html) => safe(html.clone()),
            None => safe(one_line_summary(self.reference, object)),
        }
    }
}

/// The one-line summary of an object: its docstring's summary paragraph, as inline HTML.
fn one_line_summary(reference: &ApiReference, object: &ApiObject) -> String {
    let Some(text) = &object.docstring else {
        return String::new();
    };
    let parsed = Docstring::parse(text);
    let summary = parsed
        .summary
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let link = |target: &str| linker(reference, &object.name, target);
    rst::inline(&summary, &link)
}

/// The page of `target` as seen from the page of `context`, when it resolves.
fn linker(reference: &ApiReference, context: &str, target: &str) -> Option<String> {
    match xref::resolve(reference, context, target) {
        Resolution::Found(object) => Some(page_file(&object.name)),
        _ => None,
    }
}

/// A type description with the names in it linked.
fn linked_type(text: &str, link: rst::Linker<'_>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let trimmed = word.trim_end_matches('.');
        let looks = trimmed
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && !matches!(
                trimmed,
                "or" | "of" | "optional" | "default" | "and" | "None" | "True" | "False"
            );
        match looks.then(|| link(trimmed)).flatten() {
            Some(url) => {
                out.push_str(&format!(
                    "<a class=\"reference\" href=\"{}\">{}</a>",
                    rst::escape(&url),
                    rst::escape(trimmed)
                ));
                out.push_str(&rst::escape(&word[trimmed.len()..]));
            }
            None => out.push_str(&rst::escape(word)),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push_str(&rst::escape(&c.to_string()));
        }
    }
    flush(&mut word, &mut out);
    out
}

fn params(rows: &[agora_numpydoc::docstring::Param], link: rst::Linker<'_>) -> Vec<ParamRow> {
    rows.iter()
        .map(|p| ParamRow {
            name: p.name.clone(),
            kind: safe(linked_type(&p.kind, link)),
            description: safe(rst::to_html(&p.description, link)),
        })
        .collect()
}

/// Renders the page of one object; `stylesheet` links a shared stylesheet when the page is
/// rendered without a portal frame (else the style is inlined).
pub fn object_page(
    summaries: &Summaries<'_>,
    object: &ApiObject,
    options: &DocsOptions,
    frame: Option<&Frame>,
    stylesheet: Option<&str>,
) -> Result<String, RenderError> {
    let reference = summaries.reference;
    let link = |target: &str| linker(reference, &object.name, target);
    let parsed = object
        .docstring
        .as_deref()
        .map(Docstring::parse)
        .unwrap_or_default();
    let mut sections = Vec::new();
    let param_sections: [(
        &'static str,
        &'static str,
        &[agora_numpydoc::docstring::Param],
    ); 9] = [
        ("Parameters", "parameters", &parsed.parameters),
        ("Attributes", "attributes", &parsed.attributes),
        ("Methods", "methods", &parsed.methods),
        ("Returns", "returns", &parsed.returns),
        ("Yields", "yields", &parsed.yields),
        ("Receives", "receives", &parsed.receives),
        (
            "Other Parameters",
            "other-parameters",
            &parsed.other_parameters,
        ),
        ("Raises", "raises", &parsed.raises),
        ("Warns", "warns", &parsed.warns),
    ];
    for (title, id, rows) in param_sections {
        if !rows.is_empty() {
            sections.push(Section {
                title,
                id,
                params: params(rows, &link),
                see_also: Vec::new(),
                html: None,
            });
        }
    }
    let text_section = |title: &'static str, id: &'static str, lines: &[String]| Section {
        title,
        id,
        params: Vec::new(),
        see_also: Vec::new(),
        html: Some(safe(rst::to_html(lines, &link))),
    };
    if !parsed.warnings.is_empty() {
        sections.push(text_section("Warnings", "warnings", &parsed.warnings));
    }
    if !parsed.see_also.is_empty() {
        let rows = parsed
            .see_also
            .iter()
            .map(|entry| {
                let links = entry
                    .names
                    .iter()
                    .map(|(name, _)| match xref::resolve(reference, &object.name, name) {
                        Resolution::Found(target) => safe(format!(
                            "<a class=\"reference\" href=\"{}\"><code class=\"xref\">{}</code></a>",
                            rst::escape(&page_file(&target.name)),
                            rst::escape(name)
                        )),
                        _ => safe(format!("<code class=\"xref unresolved\">{}</code>", rst::escape(name))),
                    })
                    .collect();
                let description = if entry.description.is_empty() {
                    entry
                        .names
                        .first()
                        .and_then(|(name, _)| match xref::resolve(reference, &object.name, name) {
                            Resolution::Found(target) => Some(summaries.of(target)),
                            _ => None,
                        })
                        .unwrap_or_else(|| safe(String::new()))
                } else {
                    let text = entry.description.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                    safe(rst::inline(&text, &link))
                };
                SeeAlsoRow { links, description }
            })
            .collect();
        sections.push(Section {
            title: "See Also",
            id: "see-also",
            params: Vec::new(),
            see_also: rows,
            html: None,
        });
    }
    for (title, id, lines) in [
        ("Notes", "notes", &parsed.notes),
        ("References", "references", &parsed.references),
        ("Examples", "examples", &parsed.examples),
    ] {
        if !lines.is_empty() {
            sections.push(text_section(title, id, lines));
        }
    }
    for (title, lines) in &parsed.unknown_sections {
        let _ = title;
        if !lines.is_empty() {
            sections.push(text_section("Notes", "more-notes", lines));
        }
    }
    let members = member_groups(summaries, object);
    let crumbs = crumbs(reference, &object.name);
    let (prefix, short_name) = match object.name.rsplit_once('.') {
        Some((prefix, short)) if object.kind != ObjectKind::Module => {
            (format!("{prefix}."), short.to_string())
        }
        _ => (String::new(), object.name.clone()),
    };
    let source_href = match (&options.source_url, &object.source) {
        (Some(template), Some(span)) => Some(
            template
                .replace("{path}", &span.path)
                .replace("{line}", &span.line.to_string())
                .replace("{end_line}", &span.end_line.to_string()),
        ),
        _ => None,
    };
    let signature = object.signature.clone().or_else(|| {
        parsed
            .signature
            .as_ref()
            .and_then(|s| s.find('(').map(|i| s[i..].to_string()))
    });
    let page = ObjectPage {
        title: format!("{} — {} {}", object.name, options.project, options.version),
        project: options.project.clone(),
        version: options.version.clone(),
        index_href: "../index.html".to_string(),
        name: object.name.clone(),
        short_name,
        prefix,
        kind: object.kind.role(),
        signature: signature.filter(|_| {
            !matches!(
                object.kind,
                ObjectKind::Module | ObjectKind::Property | ObjectKind::Attribute
            ) || object.signature.is_some()
        }),
        source_href,
        crumbs,
        deprecated: parsed.deprecated.as_ref().map(|version| {
            safe(format!(
                "Deprecated since version {}.",
                rst::escape(version)
            ))
        }),
        summary: safe(rst::to_html(&parsed.summary, &link)),
        extended: safe(rst::to_html(&parsed.extended_summary, &link)),
        sections,
        members,
        docstring_origin: object.docstring_origin.clone(),
        stylesheet: stylesheet.map(str::to_string),
    };
    render_in("docs_object.html", &page, frame)
}

fn crumbs(reference: &ApiReference, name: &str) -> Vec<Crumb> {
    let parts: Vec<&str> = name.split('.').collect();
    (1..parts.len())
        .map(|n| {
            let prefix = parts[..n].join(".");
            let href = reference.get(&prefix).map(|o| page_file(&o.name));
            Crumb {
                name: parts[n - 1].to_string(),
                href,
            }
        })
        .collect()
}

fn member_groups(summaries: &Summaries<'_>, object: &ApiObject) -> Vec<MemberGroup> {
    let reference = summaries.reference;
    let order: [(&'static str, &[ObjectKind]); 7] = [
        ("Submodules", &[ObjectKind::Module]),
        ("Classes", &[ObjectKind::Class]),
        ("Exceptions", &[ObjectKind::Exception]),
        ("Functions", &[ObjectKind::Function]),
        ("Methods", &[ObjectKind::Method]),
        (
            "Attributes and properties",
            &[ObjectKind::Property, ObjectKind::Attribute],
        ),
        ("Data", &[ObjectKind::Data]),
    ];
    let members: Vec<&ApiObject> = object
        .members
        .iter()
        .filter_map(|m| reference.get(m))
        .collect();
    let mut groups = Vec::new();
    for (title, kinds) in order {
        let mut rows: Vec<MemberRow> = members
            .iter()
            .filter(|m| kinds.contains(&m.kind))
            .map(|m| MemberRow {
                name: m.name.rsplit('.').next().unwrap_or(&m.name).to_string(),
                href: page_file(&m.name),
                summary: summaries.of(m),
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        if !rows.is_empty() {
            groups.push(MemberGroup { title, rows });
        }
    }
    groups
}

/// Renders the project's index page (the list of public modules), for the site's root;
/// `stylesheet` as for [`object_page`].
pub fn index_page(
    summaries: &Summaries<'_>,
    options: &DocsOptions,
    frame: Option<&Frame>,
    stylesheet: Option<&str>,
) -> Result<String, RenderError> {
    let reference = summaries.reference;
    let modules = reference
        .objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Module)
        .map(|o| MemberRow {
            name: o.name.clone(),
            href: format!("api/{}", page_file(&o.name)),
            summary: summaries.of(o),
        })
        .collect();
    let page = IndexPage {
        title: format!("{} {} API reference", options.project, options.version),
        project: options.project.clone(),
        version: options.version.clone(),
        modules,
        objects: reference.objects.len(),
        stylesheet: stylesheet.map(str::to_string),
    };
    render_in("docs_index.html", &page, frame)
}

/// Where the standalone site's shared stylesheet goes, relative to the site's root.
pub const STYLESHEET: &str = "assets/style.css";

/// Renders every page, handing each to `sink` with its path relative to the site's root
/// (`index.html`, `api/numpy.mean.html`, and without a frame the shared stylesheet
/// [`STYLESHEET`] every page links to); stops at the sink's first error. Pages are rendered
/// on all cores, each handed to the sink as soon as it is made, so memory holds one page per
/// thread, not the site.
pub fn render_site<E: From<RenderError> + Send>(
    reference: &ApiReference,
    options: &DocsOptions,
    frame: Option<&Frame>,
    sink: &(dyn Fn(&str, String) -> Result<(), E> + Sync),
) -> Result<usize, E> {
    let summaries = Summaries::new(reference);
    let (root_css, api_css) = match frame {
        Some(_) => (None, None),
        None => {
            sink(STYLESHEET, crate::page::render("style.css", &())?)?;
            (
                Some(STYLESHEET.to_string()),
                Some(format!("../{STYLESHEET}")),
            )
        }
    };
    sink(
        "index.html",
        index_page(&summaries, options, frame, root_css.as_deref())?,
    )?;
    let deeper = frame.map(Frame::deeper);
    reference.objects.par_iter().try_for_each(|object| {
        let html = object_page(
            &summaries,
            object,
            options,
            deeper.as_ref(),
            api_css.as_deref(),
        )?;
        sink(&format!("api/{}", page_file(&object.name)), html)
    })?;
    Ok(reference.objects.len() + 1)
}
