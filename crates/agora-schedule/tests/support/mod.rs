//! The release data the `agora-schedule` tests share: real release dates of Python 3.10 to
//! 3.13, numpy and scipy (drop dates worked out in `check.rs`'s header).

use std::str::FromStr;

use agora_schedule::{PackageReleases, Release};
use jiff::Timestamp;
use pep440_rs::Version;

/// A release of `version` at midnight UTC of `day`.
pub fn release(version: &str, day: &str) -> Release {
    Release {
        version: Version::from_str(version).expect("test version"),
        released: Timestamp::from_str(&format!("{day}T00:00:00Z")).expect("test date"),
    }
}

/// Python 3.10.0 to 3.13.0.
pub fn python() -> Vec<Release> {
    vec![
        release("3.10", "2021-10-04"),
        release("3.11", "2022-10-24"),
        release("3.12", "2023-10-02"),
        release("3.13", "2024-10-07"),
    ]
}

/// `python`'s releases, then numpy's and scipy's.
pub fn packages_with(python: Vec<Release>) -> Vec<PackageReleases> {
    vec![
        PackageReleases::python(python),
        PackageReleases::package(
            "numpy",
            vec![
                release("1.26.0", "2023-09-16"),
                release("2.0.0", "2024-06-16"),
                release("2.1.0", "2024-08-18"),
                release("2.2.0", "2024-12-08"),
            ],
        ),
        PackageReleases::package(
            "scipy",
            vec![
                release("1.11.0", "2023-06-25"),
                release("1.12.0", "2024-01-20"),
                release("1.13.0", "2024-04-02"),
                release("1.14.0", "2024-06-24"),
                release("1.15.0", "2025-01-03"),
            ],
        ),
    ]
}
