//! The wheel matrix of the ten core projects from the real PEP 691 pages in the corpus
//! (`$AGORA_CORPUS/pypi/simple`, as PyPI served them on 2026-11-24), snapshot in every format.

use std::collections::BTreeMap;
use std::path::PathBuf;

use agora_wheels::matrix::Readiness;
use agora_wheels::tags::{CPython, Floor, Kind, Platform};
use agora_wheels::{ProjectFiles, Selection, WheelsReport, render};
use jiff::civil::Date;

const CORE: [&str; 10] = [
    "numpy",
    "scipy",
    "matplotlib",
    "pandas",
    "scikit-image",
    "networkx",
    "scikit-learn",
    "xarray",
    "ipython",
    "zarr",
];

fn corpus() -> Option<PathBuf> {
    agora_corpus::folder("pypi/simple")
}

fn projects(names: &[&str]) -> Option<Vec<ProjectFiles>> {
    let folder = corpus()?;
    Some(
        names
            .iter()
            .map(|name| {
                let path = folder.join(format!("{name}.json"));
                let body = std::fs::read(&path).expect("corpus page");
                let page =
                    agora_pypi::simple::parse_project_page(&body, "https://pypi.org/simple/")
                        .expect("a PEP 691 page");
                ProjectFiles {
                    project: (*name).to_string(),
                    files: page.files,
                }
            })
            .collect(),
    )
}

fn python_releases() -> BTreeMap<String, Date> {
    agora_config::Ecosystem::builtin()
        .python
        .into_iter()
        .map(|p| (p.version, p.released))
        .collect()
}

fn report(names: &[&str], selection: Selection) -> Option<WheelsReport> {
    Some(WheelsReport::compute(
        &projects(names)?,
        &selection,
        &python_releases(),
    ))
}

#[test]
fn latest_releases_of_the_core_projects() {
    let Some(report) = report(&CORE, Selection::Latest) else {
        return;
    };
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let versions: Vec<(&str, &str)> = report
        .releases
        .iter()
        .map(|m| (m.project.as_str(), m.version.as_str()))
        .collect();
    insta::assert_debug_snapshot!("latest_versions", versions);
    insta::assert_snapshot!("latest_text", render::text(&report));
    insta::assert_snapshot!("latest_markdown", render::markdown(&report));
    insta::assert_snapshot!("latest_json", render::json(&report));
}

/// Cells checked against the file names themselves rather than the snapshot.
#[test]
fn cells_agree_with_the_file_names() {
    let Some(projects) = projects(&CORE) else {
        return;
    };
    let report = WheelsReport::compute(&projects, &Selection::Latest, &python_releases());
    for (project, matrix) in projects.iter().zip(&report.releases) {
        let files: Vec<&str> = project
            .files
            .iter()
            .filter(|f| f.version.as_deref() == Some(matrix.version.as_str()) && !f.yanked)
            .map(|f| f.filename.as_str())
            .filter(|f| f.ends_with(".whl"))
            .collect();
        for python in CPython::ROWS {
            let abi = python.abi_tag();
            let specific = format!("-cp3{}-{abi}-", python.minor);
            let has = |platform: &str| {
                files
                    .iter()
                    .any(|f| f.contains(&specific) && f.contains(platform))
            };
            let row = matrix.row(python).expect("row");
            for (platform, needle) in [
                (Platform::WinAmd64, "win_amd64"),
                (Platform::WinArm64, "win_arm64"),
                (Platform::ManylinuxAarch64, "aarch64"),
                (Platform::MusllinuxX86_64, "musllinux"),
            ] {
                let cell = row.cell(platform);
                let specific_cell = cell.is_some_and(|c| c.kind == Kind::Specific);
                let expected =
                    has(needle) && (platform != Platform::MusllinuxX86_64 || has("x86_64"));
                if platform != Platform::MusllinuxX86_64 {
                    assert_eq!(
                        specific_cell, expected,
                        "{} {} {python} {platform:?}: {cell:?}",
                        project.project, matrix.version
                    );
                }
            }
        }
    }
    // numpy's newest release builds for the free-threaded 3.14 on glibc x86_64 from glibc 2.27
    // (`manylinux_2_27_x86_64.manylinux_2_28_x86_64`); pure projects cover every cell.
    let numpy = &report.releases[0];
    let cell = numpy
        .row(CPython::free_threaded_build(14))
        .and_then(|r| r.cell(Platform::ManylinuxX86_64))
        .expect("numpy cp314t linux");
    assert_eq!(cell.kind, Kind::Specific);
    assert!(matches!(cell.floor, Some(Floor::Glibc(2, _))));
    let networkx = report
        .releases
        .iter()
        .find(|m| m.project == "networkx")
        .expect("networkx");
    assert!(networkx.pure);
}

#[test]
fn readiness_of_the_core_projects() {
    let Some(report) = report(&CORE, Selection::Latest) else {
        return;
    };
    let row = |label: &str| {
        report
            .readiness
            .iter()
            .find(|r| r.python.label() == label)
            .expect("row")
    };
    // Pure projects need no wheels; compiled ones all have 3.13 wheels by now.
    let r313 = row("3.13");
    assert_eq!(r313.ready(), 10, "{r313:?}");
    for p in &r313.projects {
        let pure = ["networkx", "xarray", "ipython", "zarr"].contains(&p.project.as_str());
        assert_eq!(matches!(p.readiness, Readiness::Pure), pure, "{p:?}");
    }
    insta::assert_debug_snapshot!(
        "readiness_curves",
        report
            .readiness
            .iter()
            .map(|r| (r.python.label(), r.ready(), r.curve(), r.all_major_curve()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn history_of_the_core_projects() {
    let Some(report) = report(&CORE, Selection::History) else {
        return;
    };
    insta::assert_snapshot!("history_text", render::text(&report));
    insta::assert_snapshot!("history_markdown", render::markdown(&report));
    // Releases appear in upload order within each project.
    for window in report.releases.windows(2) {
        if window[0].project == window[1].project {
            assert!(
                window[0].released <= window[1].released,
                "{} {}",
                window[0].version,
                window[1].version
            );
        }
    }
}

#[test]
fn history_json_of_one_project() {
    let Some(report) = report(&["scikit-image"], Selection::History) else {
        return;
    };
    insta::assert_snapshot!("history_json_scikit_image", render::json(&report));
}

/// What the portal keeps per project: the latest report from those files is the report from
/// all of them, for every core project and the ten together.
#[test]
fn the_latest_report_from_its_files_alone_is_the_same() {
    let Some(all) = projects(&CORE) else { return };
    let kept: Vec<ProjectFiles> = all
        .iter()
        .map(|p| ProjectFiles {
            project: p.project.clone(),
            files: agora_wheels::latest_report_files(&p.files),
        })
        .collect();
    for (whole, part) in all.iter().zip(&kept) {
        assert!(
            part.files.len() * 4 < whole.files.len(),
            "{}: kept {} of {} files",
            whole.project,
            part.files.len(),
            whole.files.len()
        );
    }
    let releases = python_releases();
    let from_all = WheelsReport::compute(&all, &Selection::Latest, &releases);
    let from_kept = WheelsReport::compute(&kept, &Selection::Latest, &releases);
    assert!(from_all.readiness.iter().any(|r| r.ready() > 0));
    assert_eq!(
        serde_json::to_value(&from_kept).expect("json"),
        serde_json::to_value(&from_all).expect("json")
    );
}
