//! The on-disk index: a tantivy index of [`Document`]s, kept up to date item by item.
//!
//! Every item is one tantivy document keyed by lowercase `owner/name#number`; an update deletes
//! the key and adds the new version in the same commit, so re-indexing an item never duplicates
//! it. Filter fields (repository, owner, kind, state, labels, author, commenters) are indexed
//! lowercase and untokenized; title, body and comments go through one analyzer (split at
//! non-alphanumeric characters, lowercased, accents folded, tokens over 40 bytes dropped) with
//! positions, for phrases, and are stored, for snippets. Dates and the comment count are fast
//! fields, for ranges and sorting. What is shown of a hit besides the texts is stored as one
//! small JSON value.
//!
//! Each commit carries a payload: the index format and the caller's watermark (an opaque
//! string, e.g. the newest store change indexed), so the next update asks the store only for
//! what changed since. An index of another format, or one tantivy cannot open, is derived data:
//! [`SearchIndex::open`] rebuilds it empty and says so, and the caller feeds it everything again.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::document::{Document, Kind, State, item_key};

/// The version of the index layout; an index with another one is rebuilt.
/// 2: the comment count is absent (not 0) when unknown.
const FORMAT: u32 = 2;

/// The name of the text analyzer of title, body and comments.
pub(crate) const TEXT_ANALYZER: &str = "agora_text";

/// Why the index could not be opened, updated or searched.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The folder exists, holds files, and is not a search index.
    #[error(
        "{path} is not an agora search index (no meta.json); move it away or pick another folder"
    )]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
    },
    /// Another process is writing the index.
    #[error("the search index {path} is being updated by another agora; try again when it is done")]
    Locked {
        /// The folder.
        path: PathBuf,
    },
    /// The folder could not be created or cleared.
    #[error("cannot prepare the search index folder {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// tantivy failed.
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] agora_store::StoreError),
    /// The query was refused.
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub repo: Field,
    pub owner: Field,
    pub number: Field,
    pub kind: Field,
    pub state: Field,
    pub label: Field,
    pub author: Field,
    pub commenter: Field,
    pub person: Field,
    pub created: Field,
    pub updated: Field,
    pub closed: Field,
    pub comments: Field,
    pub title: Field,
    pub body: Field,
    pub comment_text: Field,
    pub meta: Field,
}

/// Builds the schema and the handles of its fields.
fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let date = DateOptions::default().set_fast();
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        repo: builder.add_text_field("repo", STRING),
        owner: builder.add_text_field("owner", STRING),
        number: builder.add_u64_field("number", NumericOptions::default().set_indexed()),
        kind: builder.add_text_field("kind", STRING),
        state: builder.add_text_field("state", STRING),
        label: builder.add_text_field("label", STRING),
        author: builder.add_text_field("author", STRING),
        commenter: builder.add_text_field("commenter", STRING),
        person: builder.add_text_field("person", STRING),
        created: builder.add_date_field("created", date.clone()),
        updated: builder.add_date_field("updated", date.clone()),
        closed: builder.add_date_field("closed", date),
        comments: builder.add_u64_field("comments", NumericOptions::default().set_fast()),
        title: builder.add_text_field("title", text.clone()),
        body: builder.add_text_field("body", text.clone()),
        comment_text: builder.add_text_field("comment_text", text),
        meta: builder.add_text_field("meta", STORED),
    };
    (builder.build(), fields)
}

/// The analyzer of title, body and comments (and of query text).
pub(crate) fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// What is kept of an item for display, besides its texts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub repo: String,
    pub number: u64,
    pub kind: String,
    pub state: Option<String>,
    pub labels: Vec<String>,
    pub author: Option<String>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub closed: Option<Timestamp>,
    /// `None` when unknown.
    #[serde(default)]
    pub comments: Option<u64>,
}

/// The commit payload.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: u32,
    watermark: Option<String>,
}

/// An open search index.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// The folder, or `None` for an index in memory.
    path: Option<PathBuf>,
    rebuilt: bool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.path)
            .field("rebuilt", &self.rebuilt)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing and rebuilding it (empty) when it has
    /// another format or cannot be read; [`SearchIndex::rebuilt`] tells which.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let io = |source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = schema();
        let has_meta = dir.join("meta.json").exists();
        if !has_meta && std::fs::read_dir(dir).map_err(io)?.next().is_some() {
            return Err(SearchError::NotAnIndex {
                path: dir.to_path_buf(),
            });
        }
        let mut rebuilt = false;
        let existing = if has_meta {
            match Index::open_in_dir(dir) {
                Ok(index) if index.schema() == schema && format_of(&index) == Some(FORMAT) => {
                    Some(index)
                }
                Ok(_) | Err(_) => None,
            }
        } else {
            None
        };
        let index = match existing {
            Some(index) => index,
            None => {
                if has_meta {
                    rebuilt = true;
                    std::fs::remove_dir_all(dir).map_err(io)?;
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::with_index(index, fields, Some(dir.to_path_buf()), rebuilt)
    }

    /// An index in memory, for tests and one-off searches.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, None, false)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        path: Option<PathBuf>,
        rebuilt: bool,
    ) -> Result<SearchIndex, SearchError> {
        index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            path,
            rebuilt,
        })
    }

    /// Whether [`SearchIndex::open`] found an index it could not use and started it anew.
    pub fn rebuilt(&self) -> bool {
        self.rebuilt
    }

    /// The watermark of the last update, `None` for a new (or rebuilt) index.
    pub fn watermark(&self) -> Result<Option<String>, SearchError> {
        Ok(payload_of(&self.index.load_metas()?.payload).and_then(|p| p.watermark))
    }

    /// How many items the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts an update: upsert or delete items, then [`IndexUpdate::commit`] with the new
    /// watermark. `expected` (the number of items about to come, if known) sizes the writer:
    /// large updates get more threads and memory.
    pub fn update(&mut self, expected: Option<usize>) -> Result<IndexUpdate<'_>, SearchError> {
        let large = expected.is_some_and(|n| n > 20_000);
        let threads = if large {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        } else {
            1
        };
        let budget = if large { 128 } else { 32 } * 1024 * 1024 * threads;
        let writer = self
            .index
            .writer_with_num_threads::<TantivyDocument>(threads, budget)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked {
                    path: self.path.clone().unwrap_or_default(),
                },
                other => SearchError::Tantivy(other),
            })?;
        Ok(IndexUpdate {
            index: self,
            writer,
            changed: 0,
        })
    }
}

/// The format recorded in an index's last commit.
fn format_of(index: &Index) -> Option<u32> {
    let metas = index.load_metas().ok()?;
    match payload_of(&metas.payload) {
        Some(payload) => Some(payload.format),
        // A fresh index that never committed has no payload yet.
        None if metas.segments.is_empty() => Some(FORMAT),
        None => None,
    }
}

fn payload_of(payload: &Option<String>) -> Option<Payload> {
    payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<Payload>(p).ok())
}

/// An update in progress; nothing is visible until [`IndexUpdate::commit`], and dropping it
/// without committing discards it.
pub struct IndexUpdate<'a> {
    index: &'a mut SearchIndex,
    writer: IndexWriter<TantivyDocument>,
    changed: usize,
}

impl std::fmt::Debug for IndexUpdate<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexUpdate")
            .field("index", &self.index)
            .field("changed", &self.changed)
            .finish_non_exhaustive()
    }
}

impl IndexUpdate<'_> {
    /// Adds an item, replacing any earlier version of it.
    pub fn upsert(&mut self, document: &Document) -> Result<(), SearchError> {
        let f = &self.index.fields;
        let key = document.key();
        self.writer.delete_term(Term::from_field_text(f.key, &key));
        let mut doc = TantivyDocument::new();
        doc.add_text(f.key, &key);
        let repo = document.repo.to_lowercase();
        if let Some((owner, _)) = repo.split_once('/') {
            doc.add_text(f.owner, owner);
        }
        doc.add_text(f.repo, &repo);
        doc.add_u64(f.number, document.number);
        doc.add_text(f.kind, document.kind.as_str());
        match document.state {
            Some(State::Open) => doc.add_text(f.state, "open"),
            Some(State::Closed) => doc.add_text(f.state, "closed"),
            Some(State::Merged) => {
                doc.add_text(f.state, "closed");
                doc.add_text(f.state, "merged");
            }
            None => {}
        }
        for label in &document.labels {
            doc.add_text(f.label, label.to_lowercase());
        }
        if let Some(author) = &document.author {
            let author = author.to_lowercase();
            doc.add_text(f.person, &author);
            doc.add_text(f.author, author);
        }
        for commenter in &document.commenters {
            let commenter = commenter.to_lowercase();
            doc.add_text(f.person, &commenter);
            doc.add_text(f.commenter, commenter);
        }
        if let Some(created) = document.created {
            doc.add_date(f.created, date(created));
        }
        if let Some(updated) = document.updated {
            doc.add_date(f.updated, date(updated));
        }
        if let Some(closed) = document.closed {
            doc.add_date(f.closed, date(closed));
        }
        // An unknown count has no value, so no `comments:` range matches it.
        if let Some(count) = document.comment_count {
            doc.add_u64(f.comments, count);
        }
        doc.add_text(f.title, &document.title);
        doc.add_text(f.body, &document.body);
        for comment in &document.comments {
            doc.add_text(f.comment_text, comment);
        }
        let meta = Meta {
            repo: document.repo.clone(),
            number: document.number,
            kind: document.kind.as_str().to_string(),
            state: document.state.map(|s| s.as_str().to_string()),
            labels: document.labels.clone(),
            author: document.author.clone(),
            created: document.created,
            updated: document.updated,
            closed: document.closed,
            comments: document.comment_count,
        };
        // Serializing plain strings, numbers and timestamps cannot fail.
        let meta = serde_json::to_string(&meta).unwrap_or_default();
        doc.add_text(f.meta, meta);
        self.writer.add_document(doc)?;
        self.changed += 1;
        Ok(())
    }

    /// Removes an item, if indexed.
    pub fn delete(&mut self, repo: &str, number: u64) {
        let key = item_key(repo, number);
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.key, &key));
        self.changed += 1;
    }

    /// Removes every item (for a rebuild from scratch).
    pub fn clear(&mut self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the update visible and durable with `watermark` recorded; returns how many items
    /// were upserted or deleted. Waits for background merges, so the folder is tidy after.
    pub fn commit(mut self, watermark: Option<&str>) -> Result<usize, SearchError> {
        let payload = Payload {
            format: FORMAT,
            watermark: watermark.map(str::to_string),
        };
        let payload = serde_json::to_string(&payload).unwrap_or_default();
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.writer.wait_merging_threads()?;
        self.index.reader.reload()?;
        Ok(self.changed)
    }
}

/// A timestamp as tantivy stores it (whole seconds, as GitHub gives them).
pub(crate) fn date(t: Timestamp) -> DateTime {
    DateTime::from_timestamp_secs(t.as_second())
}

/// Whether `kind` is `issue` or `pr` (as stored in [`Meta`]).
pub(crate) fn kind_from(name: &str) -> Kind {
    if name == "pr" {
        Kind::PullRequest
    } else {
        Kind::Issue
    }
}

/// The state named as stored in [`Meta`].
pub(crate) fn state_from(name: Option<&str>) -> Option<State> {
    match name? {
        "merged" => Some(State::Merged),
        "closed" => Some(State::Closed),
        "open" => Some(State::Open),
        _ => None,
    }
}
