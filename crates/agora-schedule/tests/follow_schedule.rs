//! A project that follows the published schedule passes `check`: the schedule's new minimums
//! and the floors `check` (and AG100) compare with come from one rule.
//!
//! The follower does what scientific-python/spec0-action does: at each run it reads the
//! `schedule.json` published that day, takes per package the newest entry whose `start_date`
//! has passed, and raises the pyproject's lower bounds to it (never lowering one). It runs on
//! the first day of every quarter, as the action's cron does, and once more on the day of the
//! check. Release histories are generated (with older lines released after newer ones, as
//! ipython 8.38.0 after 9.0.0) and, with `AGORA_CORPUS`, the real ones of the ten core
//! projects.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use agora_schedule::check::{self, Status};
use agora_schedule::{PackageReleases, Quarter, Release, Schedule, pyproject, render};
use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use pep440_rs::Version;
use proptest::prelude::*;

fn v(text: &str) -> Version {
    Version::from_str(text).expect("version")
}

fn midnight(day: Date) -> Timestamp {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .expect("a representable day")
        .timestamp()
}

/// The floors a spec0-action user has on `on` after running the action on the first day of
/// every quarter since `since` and on `on` itself.
fn followed_floors(
    packages: &[PackageReleases],
    since: Date,
    on: Date,
) -> BTreeMap<String, Version> {
    let mut runs = Vec::new();
    let mut quarter_start = Quarter::of_date(since).start();
    while quarter_start <= on {
        runs.push(quarter_start);
        quarter_start = quarter_start
            .checked_add(3.months())
            .expect("a representable day");
    }
    runs.push(on);
    let mut floors: BTreeMap<String, Version> = BTreeMap::new();
    for run in runs {
        let schedule = Schedule::compute(packages, run);
        let published = render::json_quarters(&schedule);
        // spec0-action: entries sorted by start date, newer entries overwrite older ones.
        let mut newest: BTreeMap<String, Version> = BTreeMap::new();
        for entry in &published {
            let start = Timestamp::from_str(&entry.start_date).expect("start_date");
            if start > midnight(run) {
                continue;
            }
            for (package, version) in &entry.packages {
                newest.insert(package.clone(), v(version));
            }
        }
        // The action only tightens lower bounds.
        for (package, version) in newest {
            let floor = floors.entry(package).or_insert_with(|| version.clone());
            if version > *floor {
                *floor = version;
            }
        }
    }
    floors
}

/// A pyproject.toml declaring `floors` (Python as `requires-python`) and every other package
/// without a lower bound.
fn pyproject_text(packages: &[PackageReleases], floors: &BTreeMap<String, Version>) -> String {
    let mut text = String::from("[project]\nname = \"follower\"\n");
    if let Some(python) = floors.get("python") {
        text.push_str(&format!("requires-python = \">={python}\"\n"));
    }
    text.push_str("dependencies = [\n");
    for package in packages.iter().filter(|p| p.name != "python") {
        match floors.get(&package.name) {
            Some(floor) => text.push_str(&format!("  \"{}>={floor}\",\n", package.name)),
            None => text.push_str(&format!("  \"{}\",\n", package.name)),
        }
    }
    text.push_str("]\n");
    text
}

/// Checks the follower's pyproject on `on`; returns the messages of what needs action.
fn check_follower(packages: &[PackageReleases], since: Date, on: Date) -> Vec<String> {
    let floors = followed_floors(packages, since, on);
    let text = pyproject_text(packages, &floors);
    let declared = pyproject::parse(Path::new("pyproject.toml"), &text).expect("valid pyproject");
    let report = check::check(&declared, packages, midnight(on));
    let mut problems: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Fine)
        .map(|f| format!("{on}: {}", f.message))
        .collect();
    problems.extend(report.problems.iter().map(ToString::to_string));
    problems
}

/// CPython 3.2 (2011) to 3.22 (2031), one X.Y.0 a year in October, as in reality.
fn python() -> PackageReleases {
    PackageReleases::python(
        (0..21)
            .map(|i| Release {
                version: v(&format!("3.{}", i + 2)),
                released: midnight(date(2011 + i as i16, 10, 1 + (i % 20) as i8)),
            })
            .collect(),
    )
}

/// One generated package: `gaps` are the days between releases, `swaps` which neighbours
/// trade dates (an older line released after a newer one).
fn generated(name: &str, gaps: &[u16], swaps: &[bool]) -> PackageReleases {
    let mut day = date(2018, 1, 1);
    let mut dates = Vec::new();
    for gap in gaps {
        day = day.checked_add(i32::from(*gap).days()).expect("day");
        dates.push(day);
    }
    for (i, swap) in swaps.iter().enumerate() {
        if *swap && i + 1 < dates.len() {
            dates.swap(i, i + 1);
        }
    }
    PackageReleases::package(
        name,
        dates
            .into_iter()
            .enumerate()
            .map(|(i, day)| Release {
                version: v(&format!("{}.{}.0", 1 + i / 7, i % 7)),
                released: midnight(day),
            })
            .collect(),
    )
}

fn package_strategy() -> impl Strategy<Value = (Vec<u16>, Vec<bool>)> {
    (
        prop::collection::vec(1u16..240, 1..30),
        prop::collection::vec(prop::bool::weighted(0.15), 0..30),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_pyproject_built_from_the_schedule_passes_check(
        histories in prop::collection::vec(package_strategy(), 1..4),
        offset in 0i32..(365 * 11),
    ) {
        let mut packages = vec![python()];
        for (i, (gaps, swaps)) in histories.iter().enumerate() {
            packages.push(generated(&format!("pkg-{i}"), gaps, swaps));
        }
        let on = date(2020, 1, 1).checked_add(offset.days()).expect("day");
        let since = on.checked_sub(3.years()).expect("day");
        let problems = check_follower(&packages, since, on);
        prop_assert!(problems.is_empty(), "{problems:#?}");
    }
}

/// Python and the ten core projects as the corpus pages of 2026-11-24 give them.
fn corpus_packages() -> Option<Vec<PackageReleases>> {
    let folder = agora_corpus::folder("pypi/simple")?;
    let ecosystem = agora_config::Ecosystem::builtin();
    let mut packages = vec![PackageReleases::python(
        ecosystem
            .python
            .iter()
            .map(|p| Release {
                version: v(&p.version),
                released: midnight(p.released),
            })
            .collect(),
    )];
    for project in ecosystem.core_projects() {
        let path = folder.join(format!("{}.json", project.pypi));
        let body = std::fs::read(&path).expect("a corpus page");
        let page = agora_pypi::simple::parse_project_page(&body, &path.display().to_string())
            .expect("a PEP 691 page");
        let releases = agora_pypi::releases::first_uploads(&page.files)
            .into_iter()
            .filter(|(version, _)| agora_schedule::is_feature_release(version))
            .map(|(version, released)| Release { version, released })
            .collect();
        packages.push(PackageReleases::package(project.name.clone(), releases));
    }
    Some(packages)
}

#[test]
fn numpy_2_3_and_ipython_8_32_pass_on_2026_12_07() {
    let Some(packages) = corpus_packages() else {
        return;
    };
    let on = date(2026, 12, 7);
    // The schedule of that day: 2026 Q4 (from 2026-10-01) drops numpy 2.2.0 (2024-12-08,
    // support ends 2026-12-08) and ipython 8.28.0 to 8.31.0; the new minimums are numpy
    // 2.3.0, ipython 8.32.0 and Python 3.13.
    let schedule = Schedule::compute(&packages, on);
    let q4 = schedule
        .quarters
        .iter()
        .find(|q| q.quarter == Quarter::of_date(on))
        .expect("2026 Q4");
    let minimum = |name: &str| {
        q4.packages
            .iter()
            .find(|p| p.package == name)
            .and_then(|p| p.new_minimum.clone())
    };
    assert_eq!(minimum("numpy"), Some(v("2.3.0")));
    assert_eq!(minimum("ipython"), Some(v("8.32.0")));
    assert_eq!(minimum("python"), Some(v("3.13")));
    let text = "[project]\nname = \"p\"\nrequires-python = \">=3.13\"\ndependencies = [\"numpy>=2.3\", \"ipython>=8.32\"]\n";
    let declared = pyproject::parse(Path::new("pyproject.toml"), text).expect("valid");
    let report = check::check(&declared, &packages, midnight(on));
    assert!(!report.needs_action(), "{}", check::render_text(&report));
    assert_eq!(report.count(Status::Fine), 3);
    // A day before the quarter, 2.2.0 may not be dropped yet: numpy>=2.3 is below policy.
    let report = check::check(&declared, &packages, midnight(date(2026, 9, 30)));
    let numpy = report
        .findings
        .iter()
        .find(|f| f.package == "numpy")
        .expect("numpy");
    assert_eq!(numpy.status, Status::BelowPolicy);
    assert_eq!(numpy.allowed, Some(v("2.2.0")));
}

#[test]
fn a_follower_of_the_real_schedule_passes_on_every_day_from_2026_to_2028() {
    let Some(packages) = corpus_packages() else {
        return;
    };
    // Every 9th day, so every quarter is hit at several points, its first day included.
    let mut problems = Vec::new();
    let mut on = date(2026, 1, 1);
    while on < date(2029, 1, 1) {
        let since = on.checked_sub(3.years()).expect("day");
        problems.extend(check_follower(&packages, since, on));
        on = on.checked_add(9.days()).expect("day");
    }
    for first_day in [date(2026, 10, 1), date(2027, 4, 1), date(2028, 7, 1)] {
        problems.extend(check_follower(
            &packages,
            first_day.checked_sub(3.years()).expect("day"),
            first_day,
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
