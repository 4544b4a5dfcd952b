//! What can stop a portal build or a read of the ecosystem's data.

use std::path::PathBuf;

/// An error of this crate's use cases.
#[derive(Debug, thiserror::Error)]
pub enum EcosystemError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] agora_store::StoreError),
    /// A project's benchmark analysis could not be read back.
    #[error("{0}: cannot read the benchmark analysis: {1}")]
    Bench(String, String),
    /// A page could not be rendered (a template mistake, not the data's).
    #[error(transparent)]
    Render(#[from] agora_site::RenderError),
    /// The output folder or a file in it could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A page path that would land outside the output folder.
    #[error("refusing to write `{0}`: not a relative path inside the output folder")]
    UnsafePath(String),
}
