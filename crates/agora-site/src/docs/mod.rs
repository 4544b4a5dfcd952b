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
//! text goes through [`rst`]. Pages are handed to a sink one at a time, so memory does not
//! grow with the number of pages.

pub mod rst;

use agora_docs::xref::{self, Resolution};
use agora_docs::{ApiObject, ApiReference, ObjectKind};
use agora_numpydoc::Docstring;
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
}

#[derive(Serialize)]
struct IndexPage {
    title: String,
    project: String,
    version: String,
    modules: Vec<MemberRow>,
    objects: usize,
}

/// The file name of an object's page inside `api/`.
fn page_file(name: &str) -> String {
    format!("{name}.html")
}

/// The one-line summary of an object: its docstring's summary paragraph, as inline HTML.
fn one_line_summary(reference: &ApiReference, object: &ApiObject) -> minijinja::Value {
    let Some(text) = &object.docstring else {
        return safe(String::new());
    };
    let parsed = Docstring::parse(text);
    let summary = parsed
        .summary
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let link = |target: &str| linker(reference, &object.name, target);
    safe(rst::inline(&summary, &link))
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

/// Renders the page of one object.
pub fn object_page(
    reference: &ApiReference,
    object: &ApiObject,
    options: &DocsOptions,
    frame: Option<&Frame>,
) -> Result<String, RenderError> {
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
                            Resolution::Found(target) => Some(one_line_summary(reference, target)),
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
    let members = member_groups(reference, object);
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

fn member_groups(reference: &ApiReference, object: &ApiObject) -> Vec<MemberGroup> {
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
                summary: one_line_summary(reference, m),
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        if !rows.is_empty() {
            groups.push(MemberGroup { title, rows });
        }
    }
    groups
}

/// Renders the project's index page (the list of public modules), for the site's root.
pub fn index_page(
    reference: &ApiReference,
    options: &DocsOptions,
    frame: Option<&Frame>,
) -> Result<String, RenderError> {
    let modules = reference
        .objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Module)
        .map(|o| MemberRow {
            name: o.name.clone(),
            href: format!("api/{}", page_file(&o.name)),
            summary: one_line_summary(reference, o),
        })
        .collect();
    let page = IndexPage {
        title: format!("{} {} API reference", options.project, options.version),
        project: options.project.clone(),
        version: options.version.clone(),
        modules,
        objects: reference.objects.len(),
    };
    render_in("docs_index.html", &page, frame)
}

/// Renders every page, handing each to `sink` with its path relative to the site's root
/// (`index.html`, `api/numpy.mean.html`); stops at the sink's first error.
pub fn render_site<E: From<RenderError>>(
    reference: &ApiReference,
    options: &DocsOptions,
    frame: Option<&Frame>,
    sink: &mut dyn FnMut(&str, String) -> Result<(), E>,
) -> Result<usize, E> {
    sink("index.html", index_page(reference, options, frame)?)?;
    let deeper = frame.map(Frame::deeper);
    let mut pages = 1;
    for object in &reference.objects {
        let html = object_page(reference, object, options, deeper.as_ref())?;
        sink(&format!("api/{}", page_file(&object.name)), html)?;
        pages += 1;
    }
    Ok(pages)
}
