//! The pages of `agora review`: one repository's checks, or several side by side.
//!
//! [`html`] shows a repository's report as the text and Markdown views do (a section per
//! family, a row per check with its status, its code linked to the guide, its description and
//! its failure message or skip reason); messages are Markdown from the checks and are turned
//! into HTML here, with any raw HTML in them shown as text. [`matrix_html`] is the table of
//! several reports: a row per check, a column per repository. Which families and rows to show
//! comes from `agora_review::render`, so every view lists the same checks.

use agora_review::check::Outcome;
use agora_review::{Report, render};
use minijinja::Value;
use serde::Serialize;

use crate::page::Frame;
use crate::page::{self, RenderError};

/// A check as the page shows it.
#[derive(Serialize)]
struct CheckView {
    word: &'static str,
    symbol: &'static str,
    code: &'static str,
    url: &'static str,
    description: &'static str,
    details: Value,
}

/// A family as the page shows it.
#[derive(Serialize)]
struct FamilyView {
    key: &'static str,
    name: &'static str,
    description: Value,
    checks: Vec<CheckView>,
}

/// One report's page.
#[derive(Serialize)]
struct ReviewPage {
    title: String,
    name: String,
    passed: usize,
    failed: usize,
    skipped: usize,
    families: Vec<FamilyView>,
}

/// One repository's review as a page.
pub fn html(report: &Report) -> Result<String, RenderError> {
    html_in(report, None)
}

/// Like [`html`], inside the portal's `frame` when given.
pub fn html_in(report: &Report, frame: Option<&Frame>) -> Result<String, RenderError> {
    let (passed, failed, skipped) = report.counts();
    let families = render::shown_families(report)
        .map(|(family, checks)| FamilyView {
            key: family.key,
            name: family.name,
            description: family
                .description
                .as_deref()
                .filter(|d| !d.is_empty())
                .map_or(Value::from(()), page::markdown),
            checks: checks
                .iter()
                .map(|c| CheckView {
                    word: render::word(&c.outcome),
                    symbol: render::symbol(&c.outcome),
                    code: c.code,
                    url: c.url,
                    description: c.description,
                    details: match &c.outcome {
                        Outcome::Pass => Value::from(""),
                        Outcome::Fail(message) => page::markdown(message),
                        Outcome::Skip(reason) => page::safe(format!(
                            "<em>skipped: {}</em>",
                            page::inline_markdown(&reason.message())
                        )),
                    },
                })
                .collect(),
        })
        .collect();
    page::render_in(
        "review.html",
        &ReviewPage {
            title: format!("Review of {}", report.name),
            name: report.name.clone(),
            passed,
            failed,
            skipped,
            families,
        },
        frame,
    )
}

/// A cell of the matrix.
#[derive(Serialize)]
struct CellView {
    word: &'static str,
    symbol: &'static str,
}

/// A row of the matrix.
#[derive(Serialize)]
struct RowView {
    code: &'static str,
    url: &'static str,
    description: &'static str,
    cells: Vec<CellView>,
}

/// The matrix page.
#[derive(Serialize)]
struct MatrixPage {
    title: &'static str,
    names: Vec<String>,
    rows: Vec<RowView>,
}

/// Several reviews as one table: a row per check, a column per repository; each cell's
/// `title` says pass, fail, skip or not reported.
pub fn matrix_html(reports: &[Report]) -> Result<String, RenderError> {
    let rows = render::matrix_rows(reports)
        .into_iter()
        .map(|row| RowView {
            code: row.code,
            url: row.url,
            description: row.description,
            cells: row
                .cells
                .iter()
                .map(|o| CellView {
                    word: o.map_or("not reported", render::word),
                    symbol: o.map_or("—", render::symbol),
                })
                .collect(),
        })
        .collect();
    page::render(
        "review_matrix.html",
        &MatrixPage {
            title: "Best-practice review",
            names: reports.iter().map(|r| r.name.clone()).collect(),
            rows,
        },
    )
}
