//! Reviews a repository and prints the report:
//! `cargo run -p agora-review --example review -- PATH [text|json|markdown]` (the HTML page
//! comes from `agora-site`: `agora review --format html`).

use std::io::Write as _;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| ".".to_string());
    let format = args.next().unwrap_or_else(|| "text".to_string());
    let options = agora_review::Options::default();
    let report = agora_review::review(std::path::Path::new(&path), &options);
    let out = match format.as_str() {
        "json" => agora_review::render::json(&report),
        "markdown" => agora_review::render::markdown(&report),
        _ => agora_review::render::text(&report),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{out}");
    std::process::exit(report.exit_code());
}
