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

/// The inventory entries of a reference: one `py:ROLE` per object, linking to its page, and
/// for a class documented under another name than where it is defined, that canonical name
/// too (as Sphinx's autodoc lists it), linking to the same page.
pub fn inventory(reference: &ApiReference, project: &str, version: &str) -> Inventory {
    let entry = |object: &ApiObject, name: &str| {
        let anchor = if object.kind == ObjectKind::Module {
            format!("module-{}", object.name)
        } else {
            object.name.clone()
        };
        InventoryEntry {
            name: name.to_string(),
            domain: "py".to_string(),
            role: object.kind.role().to_string(),
            priority: if object.kind == ObjectKind::Module {
                0
            } else {
                1
            },
            uri: format!("{}#{anchor}", page_path(&object.name)),
            display_name: name.to_string(),
        }
    };
    let mut entries: Vec<InventoryEntry> = reference
        .objects
        .iter()
        .map(|object| entry(object, &object.name))
        .collect();
    let mut canonical_names = std::collections::HashSet::new();
    for object in &reference.objects {
        if let Some(canonical) = &object.canonical
            && reference.get(canonical).is_none()
            && canonical_names.insert(canonical.as_str())
        {
            entries.push(entry(object, canonical));
        }
    }
    Inventory {
        project: project.to_string(),
        version: version.to_string(),
        entries,
    }
}
