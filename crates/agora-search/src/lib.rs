//! Offline full-text search of mirrored GitHub issues and pull requests.
//!
//! [`document`] is the searchable model (one [`Document`] per issue or pull request, comments
//! folded in); [`query`] parses GitHub's search syntax into a [`Query`]; [`index`] keeps a
//! tantivy index of documents on disk, updated item by item with a watermark of what it has
//! seen, and answers queries with highlighted snippets. Nothing here fetches or reads the store.

pub mod document;
pub mod query;

pub use document::{Document, Kind, State};
pub use query::{Query, QueryError};
