//! Offline full-text search of mirrored GitHub issues and pull requests.
//!
//! [`document`] is the searchable model (one [`Document`] per issue or pull request, comments
//! folded in); [`query`] parses GitHub's search syntax into a [`Query`]; [`index`] keeps a
//! tantivy index of documents on disk, updated item by item with a watermark of what it has
//! seen; [`feed`] brings it up to date with the store's GitHub mirror (only what changed since
//! the last update); [`search`] answers queries with highlighted snippets, and [`render`] shows
//! the answer as text or JSON. Nothing here fetches: the index is derived from the store.

pub mod document;
pub mod feed;
pub mod index;
pub mod query;
pub mod render;
pub mod search;

pub use document::{Document, Kind, State};
pub use index::{IndexUpdate, SearchError, SearchIndex};
pub use query::{Query, QueryError};
pub use search::{Highlight, Hit, SearchOptions, SearchResults, Sort, TextMatch};
