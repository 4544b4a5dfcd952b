//! `agora docs build`'s domain: the public API of a Python package resolved from its source
//! (never imported), cross-references between its objects, and the Sphinx `objects.inv` that
//! lets other projects link to it.
//!
//! How it works: [`package::load`] reads the `.py`/`.pyi` files of the package from a tree or
//! an sdist; [`resolve::Resolver`] parses each once with [`agora_python`] and resolves public
//! names through imports, star imports, `__all__`, aliases and stubs into an
//! [`model::ApiReference`]; [`xref`] resolves names written in docstrings; [`inventory`]
//! writes and reads inventories. Rendering pages is `agora-site`'s job.

pub mod inventory;
pub mod model;
pub mod package;
pub mod resolve;
pub mod xref;

use std::path::Path;

pub use inventory::{Inventory, InventoryEntry};
pub use model::{ApiObject, ApiReference, ObjectKind, Problem, SourceSpan};
pub use package::{LoadError, PackageSource};

/// Loads the package at `path` (a tree or an sdist) and resolves its public API.
pub fn build_reference(path: &Path, package: Option<&str>) -> Result<ApiReference, LoadError> {
    let source = package::load(path, package)?;
    Ok(resolve::Resolver::new(&source).build())
}

/// The page (relative to the documentation root) that documents a public name.
pub fn page_path(name: &str) -> String {
    format!("api/{name}.html")
}

/// The inventory entries of a reference: one `py:ROLE` per object, linking to its page.
pub fn inventory(reference: &ApiReference, project: &str, version: &str) -> Inventory {
    let entries = reference
        .objects
        .iter()
        .map(|object| {
            let anchor = if object.kind == ObjectKind::Module {
                format!("module-{}", object.name)
            } else {
                object.name.clone()
            };
            InventoryEntry {
                name: object.name.clone(),
                domain: "py".to_string(),
                role: object.kind.role().to_string(),
                priority: if object.kind == ObjectKind::Module {
                    0
                } else {
                    1
                },
                uri: format!("{}#{anchor}", page_path(&object.name)),
                display_name: object.name.clone(),
            }
        })
        .collect();
    Inventory {
        project: project.to_string(),
        version: version.to_string(),
        entries,
    }
}
