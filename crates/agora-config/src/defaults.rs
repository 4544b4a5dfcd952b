//! The built-in ecosystem and the commented `agora.toml` that `agora init` writes.
//!
//! Both come from one table, so the starter file always says what the defaults are.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::{Ecosystem, Project, PythonRelease, Role};

/// PyPI's simple index, the default `index-url` (as pip's).
pub const DEFAULT_INDEX_URL: &str = "https://pypi.org/simple";

/// The SPEC 0 core projects: name (= PyPI name), GitHub repository, documentation.
const CORE_PROJECTS: [(&str, &str, &str); 10] = [
    ("numpy", "numpy/numpy", "https://numpy.org/doc/stable/"),
    ("scipy", "scipy/scipy", "https://docs.scipy.org/doc/scipy/"),
    (
        "matplotlib",
        "matplotlib/matplotlib",
        "https://matplotlib.org/stable/",
    ),
    (
        "pandas",
        "pandas-dev/pandas",
        "https://pandas.pydata.org/docs/",
    ),
    (
        "scikit-image",
        "scikit-image/scikit-image",
        "https://scikit-image.org/docs/stable/",
    ),
    (
        "networkx",
        "networkx/networkx",
        "https://networkx.org/documentation/stable/",
    ),
    (
        "scikit-learn",
        "scikit-learn/scikit-learn",
        "https://scikit-learn.org/stable/",
    ),
    (
        "xarray",
        "pydata/xarray",
        "https://docs.xarray.dev/en/stable/",
    ),
    (
        "ipython",
        "ipython/ipython",
        "https://ipython.readthedocs.io/en/stable/",
    ),
    (
        "zarr",
        "zarr-developers/zarr-python",
        "https://zarr.readthedocs.io/en/stable/",
    ),
];

/// CPython X.Y.0 release dates (3.15's as planned in PEP 790).
///
/// Sources: the release schedule PEPs, which record the final dates: PEP 569 (3.8), 596 (3.9),
/// 619 (3.10), 664 (3.11), 693 (3.12), 719 (3.13.0 on 2024-10-07), 745 (3.14.0 on
/// 2025-10-07) and 790 (3.15). The free-threaded builds (3.13t, …) ship with the same release.
const PYTHON_RELEASES: [(&str, (i16, i8, i8)); 8] = [
    ("3.8", (2019, 10, 14)),
    ("3.9", (2020, 10, 5)),
    ("3.10", (2021, 10, 4)),
    ("3.11", (2022, 10, 24)),
    ("3.12", (2023, 10, 2)),
    ("3.13", (2024, 10, 7)),
    ("3.14", (2025, 10, 7)),
    ("3.15", (2026, 10, 1)),
];

pub(crate) fn builtin() -> Ecosystem {
    Ecosystem {
        name: "scientific-python".into(),
        index_url: DEFAULT_INDEX_URL.into(),
        projects: CORE_PROJECTS
            .iter()
            .map(|(name, repo, docs)| Project {
                name: (*name).into(),
                pypi: (*name).into(),
                repo: Some((*repo).into()),
                docs: Some((*docs).into()),
                role: Role::Core,
                checkout: None,
            })
            .collect(),
        python: PYTHON_RELEASES
            .iter()
            .map(|(version, (y, m, d))| PythonRelease {
                version: (*version).into(),
                released: Date::new(*y, *m, *d).unwrap_or(Date::MIN),
            })
            .collect(),
        source: None,
        serve: crate::ServeSettings::default(),
    }
}

/// The commented `agora.toml` that `agora init` writes: the built-in ecosystem, spelled out.
pub fn starter_toml() -> String {
    let mut out = String::from(
        "# agora.toml: the ecosystem agora works on.\n\
         #\n\
         # Without this file agora uses the built-in default, which is what is written below.\n\
         # A [[project]] whose name matches a default project replaces its fields; a new name adds\n\
         # a project. [python] dates replace or add CPython release dates. Set\n\
         # include-defaults = false to start from an empty ecosystem instead.\n\
         \n\
         [ecosystem]\n\
         name = \"scientific-python\"\n\
         # The PyPI simple index (PEP 691 JSON), like pip's --index-url.\n",
    );
    let _ = writeln!(out, "index-url = \"{DEFAULT_INDEX_URL}\"");
    out.push_str("include-defaults = true\n\n");
    out.push_str(
        "# CPython X.Y.0 release dates. SPEC 0 supports each Python for 3 years (365 x 3 days)\n\
         # after its release; 3.15's date is the one planned in PEP 790.\n[python]\n",
    );
    for (version, (y, m, d)) in PYTHON_RELEASES {
        let _ = writeln!(out, "\"{version}\" = {y:04}-{m:02}-{d:02}");
    }
    out.push_str(
        "\n# The projects. role = \"core\" marks SPEC 0 core projects: each of their feature\n\
         # releases is supported for 2 years (365 x 2 days). Other projects are \"member\".\n\
         # pypi is the distribution name on PyPI (default: name), repo the GitHub repository,\n\
         # docs the published documentation, checkout a local clone (relative to this file)\n\
         # that `agora review` reads when run without paths.\n",
    );
    for (name, repo, docs) in CORE_PROJECTS {
        let _ = write!(
            out,
            "\n[[project]]\nname = \"{name}\"\npypi = \"{name}\"\nrepo = \"{repo}\"\ndocs = \"{docs}\"\nrole = \"core\"\n"
        );
    }
    out
}
