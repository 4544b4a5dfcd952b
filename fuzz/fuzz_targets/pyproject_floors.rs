//! `pyproject.toml` dependency floors (agora-schedule), read and checked against a small SPEC 0
//! schedule, as `agora schedule check` does.
#![no_main]

use std::path::Path;

use agora_schedule::{PackageReleases, Release};
use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use pep440_rs::Version;

fn releases(list: &[(&str, &str)]) -> Vec<Release> {
    list.iter()
        .filter_map(|(version, at)| {
            Some(Release {
                version: version.parse::<Version>().ok()?,
                released: at.parse::<Timestamp>().ok()?,
            })
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(declared) = agora_schedule::pyproject::parse(Path::new("pyproject.toml"), text) else {
        return;
    };
    let packages = [
        PackageReleases::python(releases(&[
            ("3.11", "2022-10-24T00:00:00Z"),
            ("3.12", "2023-10-02T00:00:00Z"),
            ("3.13", "2024-10-07T00:00:00Z"),
        ])),
        PackageReleases::package(
            "numpy",
            releases(&[
                ("1.26.0", "2023-09-16T00:00:00Z"),
                ("2.0.0", "2024-06-16T00:00:00Z"),
                ("2.1.0", "2024-08-18T00:00:00Z"),
            ]),
        ),
    ];
    let at: Timestamp = "2025-06-01T00:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let report = agora_schedule::check::check(&declared, &packages, at);
    let _ = agora_schedule::check::render_text(&report);
    let _ = agora_schedule::check::render_json(&report);
    let _ = agora_schedule::check::render_github(&report);
});
