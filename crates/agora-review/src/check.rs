//! The check framework: what a check is, what it returns, and the families it belongs to.
//!
//! A [`Check`] is static data (code, family, one-line description, guide URL, the codes it
//! requires) plus a plain function from the shared [`Repo`] (and the caller's [`Options`]) to
//! an [`Outcome`]. A check
//! function returns `Result<Outcome, InputError>` so it can use `?` on the inputs it needs;
//! the runner ([`crate::review`]) turns an input error into a failure whose message names the
//! file and line. Checks that need nothing unreadable are unaffected.
//!
//! Families ([`FamilyInfo`]) group checks for display; some only apply when their input is
//! present (see [`FamilyInfo::applies`]), exactly like sp-repo-review's conditional families.

use crate::error::InputError;
use crate::repo::Repo;
use crate::select::Options;
use crate::value;

/// What a check function returns: an outcome, or the input error that prevented it.
pub type CheckResult = Result<Outcome, InputError>;

/// The signature of a check's function: the shared inputs and the caller's options (most
/// checks only look at the repository; AG100 needs the release data in [`Options::spec0`]).
pub type CheckFn = fn(&Repo, &Options) -> CheckResult;

/// One best-practice check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// The code, e.g. `PY001`.
    pub code: &'static str,
    /// The family key, e.g. `general` (see [`FAMILIES`]).
    pub family: &'static str,
    /// A one-line description of what is checked.
    pub description: &'static str,
    /// The guide URL (with `#CODE`), or empty.
    pub url: &'static str,
    /// Codes that must pass for this check to run; otherwise it is skipped.
    pub requires: &'static [&'static str],
    /// The check itself.
    pub run: CheckFn,
}

/// Why a check was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Some required checks did not pass (listed).
    Requires(Vec<String>),
    /// The check does not apply to this repository (why).
    NotApplicable(String),
    /// The user ignored the check and gave a reason (`[tool.repo-review] ignore` table).
    Ignored(String),
}

impl SkipReason {
    /// A one-line, human-readable explanation (markdown).
    pub fn message(&self) -> String {
        match self {
            SkipReason::Requires(codes) => {
                let codes: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
                format!("requires {} to pass", codes.join(", "))
            }
            SkipReason::NotApplicable(why) => why.clone(),
            SkipReason::Ignored(why) => why.clone(),
        }
    }
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The repository follows the practice.
    Pass,
    /// It does not; the message (markdown) says what to do.
    Fail(String),
    /// The check did not run or does not apply.
    Skip(SkipReason),
}

impl Outcome {
    /// `Pass` when `ok`, else `Fail(message)` (trimmed of the blank lines around it).
    pub fn from_bool(ok: bool, message: &str) -> Self {
        if ok {
            Outcome::Pass
        } else {
            Outcome::fail(message)
        }
    }

    /// A failure with `message`, trimmed of the blank lines around it (so that messages can
    /// be written as constants starting on their own line).
    pub fn fail(message: &str) -> Self {
        Outcome::Fail(message.trim_matches('\n').to_string())
    }

    /// A pass for an empty message, a failure otherwise (sp-repo-review's string returns).
    pub fn from_message(message: String) -> Self {
        if message.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail(message)
        }
    }

    /// A skip because the check does not apply.
    pub fn not_applicable(why: &str) -> Self {
        Outcome::Skip(SkipReason::NotApplicable(why.to_string()))
    }

    /// `Some(true)` pass, `Some(false)` fail, `None` skip: repo-review's `result` field.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Outcome::Pass => Some(true),
            Outcome::Fail(_) => Some(false),
            Outcome::Skip(_) => None,
        }
    }
}

/// Display information about a family of checks.
#[derive(Debug, Clone, Copy)]
pub struct FamilyInfo {
    /// The key used in [`Check::family`] and in the JSON output.
    pub key: &'static str,
    /// The display name.
    pub name: &'static str,
    /// Sort order (lower first); families with equal order sort by key.
    pub order: i32,
    /// A note on when the family shows up, if it is conditional.
    pub readme_note: Option<&'static str>,
}

/// The families, in display order.
pub const FAMILIES: &[FamilyInfo] = &[
    FamilyInfo {
        key: "general",
        name: "General",
        order: -3,
        readme_note: None,
    },
    FamilyInfo {
        key: "pyproject",
        name: "PyProject",
        order: -2,
        readme_note: None,
    },
    FamilyInfo {
        key: "github",
        name: "GitHub Actions",
        order: 0,
        readme_note: None,
    },
    FamilyInfo {
        key: "mypy",
        name: "MyPy",
        order: 0,
        readme_note: None,
    },
    FamilyInfo {
        key: "noxfile",
        name: "Nox",
        order: 0,
        readme_note: Some("Shown only when a `noxfile.py` exists."),
    },
    FamilyInfo {
        key: "pre-commit",
        name: "Pre-commit",
        order: 0,
        readme_note: Some(
            "Not shown for projects that use lefthook rather than pre-commit or prek.",
        ),
    },
    FamilyInfo {
        key: "rtd",
        name: "ReadTheDocs",
        order: 0,
        readme_note: Some("Shown only when a `.readthedocs.yml` or `.readthedocs.yaml` exists."),
    },
    FamilyInfo {
        key: "ruff",
        name: "Ruff",
        order: 0,
        readme_note: None,
    },
    FamilyInfo {
        key: "security",
        name: "Security",
        order: 0,
        readme_note: None,
    },
    FamilyInfo {
        key: "setupcfg",
        name: "Setuptools Config",
        order: 0,
        readme_note: Some("Shown only when a `setup.cfg` exists."),
    },
    FamilyInfo {
        key: "agora",
        name: "agora: scientific-Python ecosystem practices",
        order: 10,
        readme_note: None,
    },
];

impl FamilyInfo {
    /// The family with this key.
    pub fn get(key: &str) -> Option<&'static FamilyInfo> {
        FAMILIES.iter().find(|f| f.key == key)
    }

    /// Whether this family's checks run on `repo` (conditional families need their input).
    pub fn applies(&self, repo: &Repo) -> bool {
        match self.key {
            "noxfile" => repo.noxfile.is_some(),
            "setupcfg" => repo.setupcfg.is_some(),
            "rtd" => match &repo.readthedocs {
                Ok(doc) => value::truthy(doc),
                Err(_) => true,
            },
            "pre-commit" => {
                repo.is_file(".pre-commit-config.yaml") || !repo.is_file("lefthook.yml")
            }
            _ => true,
        }
    }
}

/// Builds a [`Check`]: `check!(CODE, family, page, "description", [requires], run)`; `page`
/// is the guide page (the URL gets `#CODE`), or `""` for no URL. `run` takes only the
/// [`Repo`]; it is wrapped into a [`CheckFn`] that ignores the options.
macro_rules! check {
    ($code:literal, $family:literal, "", $desc:literal, [$($req:literal),*], $run:expr) => {
        $crate::check::Check {
            code: $code,
            family: $family,
            description: $desc,
            url: "",
            requires: &[$($req),*],
            run: |repo, _options| ($run)(repo),
        }
    };
    ($code:literal, $family:literal, $page:literal, $desc:literal, [$($req:literal),*], $run:expr) => {
        $crate::check::Check {
            code: $code,
            family: $family,
            description: $desc,
            url: concat!(
                "https://learn.scientific-python.org/development/guides/",
                $page,
                "#",
                $code
            ),
            requires: &[$($req),*],
            run: |repo, _options| ($run)(repo),
        }
    };
}
pub(crate) use check;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_are_sorted_for_display() {
        let keys: Vec<(i32, &str)> = FAMILIES.iter().map(|f| (f.order, f.key)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn skip_messages() {
        let r = SkipReason::Requires(vec!["PY001".into(), "GH100".into()]);
        assert_eq!(r.message(), "requires `PY001`, `GH100` to pass");
        assert_eq!(Outcome::from_message(String::new()), Outcome::Pass);
        assert_eq!(Outcome::from_bool(false, "m").as_bool(), Some(false));
    }
}
