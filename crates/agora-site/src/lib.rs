//! Every HTML page agora writes, and the text, Markdown and JSON views of the health reports.
//!
//! Domain crates compute models (the serde structs `--format json` prints) and never write a
//! tag; this crate turns them into pages. [`page`] holds the minijinja templates (embedded in
//! the binary, autoescaped), the one stylesheet and the one base layout; [`chart`] lays out
//! every chart (scales, round and calendar ticks, units, legends) as SVG without JavaScript.
//! One module per capability builds its page from its model: [`health`] and [`dashboard`]
//! (one project's health and the ecosystem's), [`review`] (best-practice checks), [`wheels`]
//! (wheel coverage) and [`bench`] (a project's benchmark dashboard); [`portal`] assembles
//! them into the ecosystem's website. Renderers only format:
//! every number comes from the model they are given; tick and scale math is presentation and
//! lives in [`chart`].

pub mod bench;
pub mod chart;
pub mod dashboard;
pub mod docs;
pub mod health;
pub mod page;
pub mod portal;
pub mod review;
pub mod wheels;

pub use page::RenderError;
