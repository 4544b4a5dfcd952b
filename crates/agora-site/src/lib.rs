//! Rendering for agora's reports: self-contained HTML pages with inline SVG charts, and the
//! text, Markdown and JSON views of the same models.
//!
//! [`svg`] draws charts (bars, lines, quartile ranges, sparklines) as plain SVG with axes,
//! labels and `<title>` hover values; [`health`] renders one project's health report and
//! [`dashboard`] the ecosystem page that compares them. Renderers only format: every number
//! comes from the model they are given.

pub mod dashboard;
pub mod health;
pub mod svg;
