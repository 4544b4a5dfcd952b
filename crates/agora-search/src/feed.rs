//! Feeding the index from the store: what changed since the last update, and only that.
//!
//! The store stamps every item and comment it writes with a store-wide change counter
//! (`change_seq`). The index remembers, as its watermark, the store it was fed from and the
//! counter it reached. [`refresh`] asks the store for items and comments written after that
//! counter, rebuilds the documents of the items they belong to (an item with its comments,
//! from the store's current rows) and upserts them in one commit. An unchanged store costs one
//! query. A new, rebuilt or foreign index (another store, or a counter that went backwards
//! because the store was recreated) is fed everything.
//!
//! The index is derived data: one that tantivy cannot read (damaged files) is deleted and built
//! again from the store, and one whose folder cannot be written (a read-only checkout) is built
//! in memory for the run ([`open_beside`]).
//!
//! What the store does not know stays unknown in the documents, with one exception made for
//! ordering: an item without an `updated_at` (devstats' PR dumps have none) is sorted and
//! filtered by its latest known activity instead (opened, closed, merged, or last comment).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use agora_store::Store;
use agora_store::github::{ItemKind, StoredComment, StoredItem};
use serde::Serialize;

use crate::document::{Document, Kind, State};
use crate::index::{SearchError, SearchIndex};

/// Where the index of the store at `db` lives: the folder `index` beside it
/// (`.agora/index/` for the default `.agora/agora.db`).
///
/// A PostgreSQL store (`postgres://…`) has no folder: each process keeps an index of its own
/// in the system's temporary folder, named by a digest of the URL and the process id, so every
/// `agora serve` replica brings its own index up to date from the store's change counter.
pub fn index_dir_for(db: &Path) -> PathBuf {
    if agora_store::is_postgres_url(db) {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = std::hash::DefaultHasher::new();
        db.hash(&mut hasher);
        return std::env::temp_dir().join("agora-index").join(format!(
            "{:016x}-{}",
            hasher.finish(),
            std::process::id()
        ));
    }
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("index"), |p| p.join("index"))
}

/// What one refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RefreshSummary {
    /// Whether every item was indexed anew (new, rebuilt or foreign index).
    pub full: bool,
    /// Items (re-)indexed.
    pub indexed: usize,
    /// Items in the index afterwards.
    pub total: u64,
    /// The store's change counter the index now reflects.
    pub change_seq: i64,
}

/// The watermark: which store, and how far into its changes.
#[derive(Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
struct Watermark {
    store: String,
    change_seq: i64,
}

/// Opens (or creates) the index beside the store at `store.path()` and brings it up to date.
pub fn refresh_beside(store: &Store) -> Result<(SearchIndex, RefreshSummary), SearchError> {
    let mut index = SearchIndex::open(&index_dir_for(store.path()))?;
    let summary = refresh(&mut index, store)?;
    Ok((index, summary))
}

/// An index beside a store, brought up to date, and what it took.
#[derive(Debug)]
pub struct OpenedIndex {
    /// The index (on disk, or in memory when its folder cannot be used).
    pub index: SearchIndex,
    /// What the refresh did.
    pub summary: RefreshSummary,
    /// What had to be done besides (a rebuild, an index in memory), for the user.
    pub notice: Option<String>,
}

/// Like [`refresh_beside`], but an index that tantivy cannot read or update (damaged files,
/// a folder that cannot be written) does not stop the answer: see [`recover_beside`].
/// A busy index ([`SearchError::Locked`]), a folder that is not an index and store errors are
/// returned as they are.
pub fn open_beside(store: &Store) -> Result<OpenedIndex, SearchError> {
    match refresh_beside(store) {
        Ok((index, summary)) => Ok(OpenedIndex {
            index,
            summary,
            notice: None,
        }),
        Err(error @ (SearchError::Tantivy(_) | SearchError::Io { .. })) => {
            recover_beside(store, &error)
        }
        Err(other) => Err(other),
    }
}

/// After `error` from the index beside `store`: deletes it and builds it again from the store
/// (the index is derived data); when its folder cannot be written, builds the index in memory
/// for this run instead. The notice says which, and why.
pub fn recover_beside(store: &Store, error: &SearchError) -> Result<OpenedIndex, SearchError> {
    let dir = index_dir_for(store.path());
    let rebuilt = std::fs::remove_dir_all(&dir)
        .or_else(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Ok(())
            } else {
                Err(e)
            }
        })
        .map_err(|source| SearchError::Io {
            path: dir.clone(),
            source,
        })
        .and_then(|()| refresh_beside(store));
    match rebuilt {
        Ok((index, summary)) => Ok(OpenedIndex {
            notice: Some(format!(
                "the search index in {} could not be used ({error}); rebuilt it from the store ({} items)",
                dir.display(),
                summary.total
            )),
            index,
            summary,
        }),
        Err(second) => {
            let mut index = SearchIndex::in_memory()?;
            let summary = refresh(&mut index, store)?;
            Ok(OpenedIndex {
                notice: Some(format!(
                    "the search index in {} could not be used ({error}) nor rebuilt there ({second}); searched an index built in memory from the store for this run",
                    dir.display()
                )),
                index,
                summary,
            })
        }
    }
}

/// Brings `index` up to date with `store`: re-indexes the items written since its watermark.
pub fn refresh(index: &mut SearchIndex, store: &Store) -> Result<RefreshSummary, SearchError> {
    let store_id = std::fs::canonicalize(store.path())
        .unwrap_or_else(|_| store.path().to_path_buf())
        .display()
        .to_string();
    let current = store.github_change_seq()?;
    let known = index
        .watermark()?
        .and_then(|w| serde_json::from_str::<Watermark>(&w).ok())
        .filter(|w| w.store == store_id && w.change_seq <= current);
    if let Some(known) = &known
        && known.change_seq == current
    {
        return Ok(RefreshSummary {
            full: false,
            indexed: 0,
            total: index.len(),
            change_seq: current,
        });
    }
    let full = known.is_none();
    let since = known.map_or(0, |w| w.change_seq);
    // The items to rebuild, by repository.
    let mut wanted: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    let mut items: BTreeMap<(String, u64), StoredItem> = BTreeMap::new();
    for item in store.github_items_changed_since(since)? {
        wanted
            .entry(item.repo.clone())
            .or_default()
            .insert(item.item.number);
        items.insert((item.repo.clone(), item.item.number), item);
    }
    for comment in store.github_comments_changed_since(since)? {
        wanted
            .entry(comment.repo.clone())
            .or_default()
            .insert(comment.comment.number);
    }
    let expected = wanted.values().map(BTreeSet::len).sum();
    let watermark = serde_json::to_string(&Watermark {
        store: store_id,
        change_seq: current,
    })
    .unwrap_or_default();
    let mut update = index.update(Some(expected))?;
    if full {
        update.clear()?;
    }
    for (repo, numbers) in &wanted {
        let mut comments: BTreeMap<u64, Vec<StoredComment>> = BTreeMap::new();
        for comment in store.github_comments(repo)? {
            if numbers.contains(&comment.comment.number) {
                comments
                    .entry(comment.comment.number)
                    .or_default()
                    .push(comment);
            }
        }
        for &number in numbers {
            let item = match items.remove(&(repo.clone(), number)) {
                Some(item) => Some(item),
                None => store.github_item(repo, number)?,
            };
            // Comments of an item the store does not have (yet) wait for the item.
            let Some(item) = item else { continue };
            let comments = comments.remove(&number).unwrap_or_default();
            update.upsert(&document(&item, &comments))?;
        }
    }
    let indexed = update.commit(Some(&watermark))?;
    Ok(RefreshSummary {
        full,
        indexed,
        total: index.len(),
        change_seq: current,
    })
}

/// The number of conversation comments when the stored rows are all of them: comments that
/// came from GitHub's REST API are every comment of the item, while a dump's are a sample
/// (its timeline is cut at 100 entries, and a PR dump carries none), so an item from a dump
/// without a count has an unknown number of comments.
fn complete_conversation(stored: &StoredItem, conversation: u64) -> Option<u64> {
    (stored.source == agora_store::github::Source::Rest).then_some(conversation)
}

/// The document of a stored item and its comments (oldest first).
pub fn document(stored: &StoredItem, comments: &[StoredComment]) -> Document {
    let item = &stored.item;
    let state = match (item.state.as_deref(), item.merged) {
        (_, Some(true)) => Some(State::Merged),
        (Some("open"), _) => Some(State::Open),
        (Some("closed"), _) => Some(State::Closed),
        _ => None,
    };
    let mut commenters: Vec<String> = comments
        .iter()
        .filter_map(|c| c.comment.author.clone())
        .collect();
    commenters.sort_by_key(|a| a.to_lowercase());
    commenters.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let closed = item.closed_at.or(item.merged_at);
    let updated = item.updated_at.or_else(|| {
        [item.created_at, closed, item.merged_at]
            .into_iter()
            .flatten()
            .chain(comments.iter().map(|c| c.comment.created_at))
            .max()
    });
    let conversation = comments
        .iter()
        .filter(|c| c.comment.kind == agora_store::github::CommentKind::Issue)
        .count() as u64;
    Document {
        repo: stored.repo.clone(),
        number: item.number,
        kind: match item.kind {
            ItemKind::Issue => Kind::Issue,
            ItemKind::Pr => Kind::PullRequest,
        },
        title: item.title.clone().unwrap_or_default(),
        body: item.body.clone().unwrap_or_default(),
        state,
        labels: item.labels.clone().unwrap_or_default(),
        author: item.author.clone(),
        commenters,
        created: item.created_at,
        updated,
        closed,
        comment_count: item
            .comments
            .and_then(|n| u64::try_from(n).ok())
            .or_else(|| complete_conversation(stored, conversation)),
        comments: comments
            .iter()
            .filter_map(|c| c.comment.body.clone())
            .filter(|b| !b.trim().is_empty())
            .collect(),
    }
}
