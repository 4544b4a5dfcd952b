//! The templates, the stylesheet and the one function that renders them.
//!
//! Every page and every chart comes from a minijinja template in `templates/`, embedded in the
//! binary with `include_str!` so an `agora` build needs no files beside it. Autoescaping is on
//! for every template but the stylesheet: any text from a model is escaped where it lands,
//! and only markup this crate made itself (a rendered chart, Markdown turned into HTML) is
//! passed through, marked safe with [`Value::from_safe_string`]. Pages extend `base.html`, one
//! layout around `style.css` (light and dark, responsive, printable): a portal page links the
//! site's copy, a page given a `stylesheet` path links that file (the docs pages, thousands of
//! them), any other page inlines it and is one self-contained file.

use std::sync::LazyLock;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

/// Each template's name and text.
const TEMPLATES: [(&str, &str); 17] = [
    ("style.css", include_str!("../templates/style.css")),
    ("base.html", include_str!("../templates/base.html")),
    ("health.html", include_str!("../templates/health.html")),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    ("review.html", include_str!("../templates/review.html")),
    (
        "review_matrix.html",
        include_str!("../templates/review_matrix.html"),
    ),
    ("wheels.html", include_str!("../templates/wheels.html")),
    (
        "bench_index.html",
        include_str!("../templates/bench_index.html"),
    ),
    (
        "bench_module.html",
        include_str!("../templates/bench_module.html"),
    ),
    (
        "bench_projects.html",
        include_str!("../templates/bench_projects.html"),
    ),
    (
        "portal_facts.html",
        include_str!("../templates/portal_facts.html"),
    ),
    (
        "portal_home.html",
        include_str!("../templates/portal_home.html"),
    ),
    (
        "portal_sections.html",
        include_str!("../templates/portal_sections.html"),
    ),
    (
        "portal_search.html",
        include_str!("../templates/portal_search.html"),
    ),
    ("feed.atom", include_str!("../templates/feed.atom")),
    (
        "docs_object.html",
        include_str!("../templates/docs_object.html"),
    ),
    (
        "docs_index.html",
        include_str!("../templates/docs_index.html"),
    ),
];

/// A page or chart could not be rendered (a mistake in a template, not in the data).
#[derive(Debug)]
pub struct RenderError(String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot render the page: {}", self.0)
    }
}

impl std::error::Error for RenderError {}

impl From<minijinja::Error> for RenderError {
    fn from(error: minijinja::Error) -> RenderError {
        RenderError(format!("{error:#}"))
    }
}

/// The environment with every template loaded, built once: templates are immutable.
static TEMPLATE_SET: LazyLock<Result<Environment<'static>, minijinja::Error>> =
    LazyLock::new(environment);

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".css") {
            AutoEscape::None
        } else {
            AutoEscape::Html
        }
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

/// Where a page sits in the portal: the way back to the site's root (`../../`), for the
/// shared stylesheet, the site script and the site navigation, and the navigation entry it
/// belongs to. A page rendered without one is standalone: its stylesheet inline, no navigation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Frame {
    /// The relative path from the page's folder to the site's root, empty or ending in `/`.
    pub root: String,
    /// The navigation entry shown as current (`home`, `spec0`, `wheels`, …), or empty.
    pub section: String,
    /// Whether the page draws interactive charts (loads uPlot).
    pub charts: bool,
}

impl Frame {
    /// The frame of a page `depth` folders below the site's root, in navigation `section`.
    pub fn at_depth(depth: usize, section: &str) -> Frame {
        Frame {
            root: "../".repeat(depth),
            section: section.to_string(),
            charts: false,
        }
    }

    /// The same frame one folder deeper.
    pub fn deeper(&self) -> Frame {
        Frame {
            root: format!("../{}", self.root),
            ..self.clone()
        }
    }
}

/// Renders template `name` with `context` (any serializable model or view), standalone.
pub fn render<T: Serialize>(name: &str, context: &T) -> Result<String, RenderError> {
    render_in(name, context, None)
}

/// Renders template `name` with `context`, inside the portal's `frame` when given.
pub fn render_in<T: Serialize>(
    name: &str,
    context: &T,
    frame: Option<&Frame>,
) -> Result<String, RenderError> {
    let env = TEMPLATE_SET
        .as_ref()
        .map_err(|e| RenderError(format!("{e:#}")))?;
    let context = minijinja::context! {
        frame => frame.map(|f| Value::from(Serde(f))),
        ..Value::from(Serde(context))
    };
    Ok(env.get_template(name)?.render(context)?)
}

/// Markup this crate made (a chart), to pass through a template unescaped.
pub fn safe(markup: String) -> Value {
    Value::from_safe_string(markup)
}

/// Markdown from a model (a check's message) as HTML: raw HTML in it is shown as text, never
/// passed through; tables are allowed.
pub fn markdown(text: &str) -> Value {
    use pulldown_cmark::{Event, Options, Parser};
    let parser =
        Parser::new_ext(text.trim_matches('\n'), Options::ENABLE_TABLES).map(|event| match event {
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            other => other,
        });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    Value::from_safe_string(out.trim_end_matches('\n').to_string())
}

/// Like [`markdown`] for one line: no paragraph around it.
pub fn inline_markdown(text: &str) -> Value {
    let html = markdown(text).to_string();
    let inner = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .map_or(html.clone(), str::to_string);
    Value::from_safe_string(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        assert!(TEMPLATE_SET.is_ok(), "{:?}", TEMPLATE_SET.as_ref().err());
    }

    #[test]
    fn markdown_never_passes_html_through() {
        let html = markdown("a <script>x</script> **b**").to_string();
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<strong>b</strong>"), "{html}");
        assert_eq!(inline_markdown("*x*").to_string(), "<em>x</em>");
    }
}
