//! PyPI for agora: the PEP 691 JSON simple API, PEP 440 versions, distribution file names,
//! and the sync that mirrors an ecosystem's projects into the store.
//!
//! [`simple`] reads project pages, [`filename`] splits file names into name, version and tags,
//! [`releases`] turns stored files into release dates, [`requirement`] screens PEP 508 strings
//! before they are parsed, and [`sync`] fetches pages through
//! `agora-http` (cached, revalidated with ETags) and saves them.

pub mod filename;
pub mod releases;
pub mod requirement;
pub mod simple;
pub mod sync;
