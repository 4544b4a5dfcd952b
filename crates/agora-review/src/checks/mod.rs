//! The checks, one module per family (sp-repo-review's, and agora's own [`agora`]), and the
//! registry of all of them.
//!
//! Each module exports a `CHECKS` slice of [`Check`]s; [`all`] concatenates them. The order
//! here does not matter: reports sort by family order, family key, then code.

use crate::check::Check;

pub mod agora;
pub mod general;
pub mod github;
pub mod mypy;
pub mod noxfile;
pub mod precommit;
pub mod pyproject;
pub mod rtd;
pub mod ruff;
pub mod security;
pub mod setupcfg;

/// Every check agora knows.
pub fn all() -> Vec<&'static Check> {
    [
        general::CHECKS,
        pyproject::CHECKS,
        github::CHECKS,
        mypy::CHECKS,
        noxfile::CHECKS,
        precommit::CHECKS,
        rtd::CHECKS,
        ruff::CHECKS,
        security::CHECKS,
        setupcfg::CHECKS,
        agora::CHECKS,
    ]
    .into_iter()
    .flatten()
    .collect()
}
