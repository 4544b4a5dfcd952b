//! devstats dumps: the GraphQL edges that `devstats query` writes, read into the store's model.
//!
//! A dump is a JSON list of `{"cursor": …, "node": {…}}`. An issues dump (`*_issues.json`) has
//! number, title, state, created/updated/closed times, url, labels, reactionGroups and up to
//! 100 timelineItems, of which `IssueComment` (author, createdAt) become comments with an
//! unknown body and the last `ClosedEvent` gives `closed_by`. A PR dump (`*_PRs.json`) has
//! state (`MERGED` is stored as `closed` + merged), base branch, mergeable, author and
//! association, mergedBy/mergedAt, the count of approving reviews and of participants. What a
//! dump does not carry stays `None` — nothing is derived that the dump does not say.
//!
//! Each edge is read on its own: a bad edge is reported (file and position) and skipped, the
//! rest is imported. An item that several edges carry is imported once (the last edge wins)
//! and counted in [`Dump::duplicates`]; a `closedAt` or `mergedAt` before the item's
//! `createdAt` is stored as unknown and reported in [`Dump::warnings`]. [`read_dump`] gives the items in chunks that the caller writes one
//! transaction each.

use std::path::{Path, PathBuf};

use agora_store::github::{CommentKind, GhComment, GhItem, ItemKind, Reactions};
use jiff::Timestamp;
use serde::Deserialize;

use crate::GithubError;

/// Which kind of dump a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpKind {
    /// `*_issues.json`.
    Issues,
    /// `*_PRs.json`.
    Prs,
}

/// One dump, read.
#[derive(Debug, Clone)]
pub struct Dump {
    /// The file.
    pub path: PathBuf,
    /// Issues or PRs.
    pub kind: DumpKind,
    /// `owner/name`, when the nodes' URLs tell.
    pub repo_from_urls: Option<String>,
    /// The items with their comments, in file order.
    pub items: Vec<(GhItem, Vec<GhComment>)>,
    /// Edges that could not be read: (position in the list, why).
    pub skipped: Vec<(usize, String)>,
    /// Numbers that more than one edge carried (once per extra edge); the last edge is kept.
    pub duplicates: Vec<u64>,
    /// Values refused as inconsistent and stored as unknown: (item number, why).
    pub warnings: Vec<(u64, String)>,
}

#[derive(Deserialize)]
struct Edge {
    node: Node,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Node {
    number: Option<u64>,
    title: Option<String>,
    state: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    closed_at: Option<String>,
    url: Option<String>,
    labels: Option<Connection<Named>>,
    reaction_groups: Option<Vec<ReactionGroup>>,
    timeline_items: Option<Connection<TimelineItem>>,
    author: Option<Login>,
    author_association: Option<String>,
    base_ref_name: Option<String>,
    mergeable: Option<String>,
    merged_by: Option<Login>,
    merged_at: Option<String>,
    reviews: Option<Total>,
    participants: Option<Total>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection<T> {
    total_count: Option<u64>,
    #[serde(default = "Vec::new")]
    edges: Vec<InnerEdge<T>>,
}

#[derive(Deserialize)]
struct InnerEdge<T> {
    node: Option<T>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct Login {
    login: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Total {
    total_count: Option<i64>,
}

#[derive(Deserialize)]
struct ReactionGroup {
    content: String,
    users: Option<Total>,
    reactors: Option<Total>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimelineItem {
    #[serde(rename = "__typename")]
    typename: String,
    author: Option<Login>,
    actor: Option<Login>,
    created_at: Option<String>,
}

/// The kind of dump a file name says (`scipy_issues.json`, `scipy_PRs.json`), if it says.
pub fn kind_from_name(path: &Path) -> Option<DumpKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with("_issues.json") {
        Some(DumpKind::Issues)
    } else if name.ends_with("_prs.json") {
        Some(DumpKind::Prs)
    } else {
        None
    }
}

/// The project part of a dump's file name (`scipy` for `scipy_PRs.json`).
pub fn name_prefix(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let cut = lower
        .strip_suffix("_issues.json")
        .or_else(|| lower.strip_suffix("_prs.json"))?
        .len();
    Some(name[..cut].to_string())
}

/// `owner/name` from a GitHub issue or PR URL.
pub fn repo_from_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("http://github.com/"))?;
    let mut parts = rest.split('/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{owner}/{name}"))
}

fn timestamp(field: &str, value: Option<String>) -> Result<Option<Timestamp>, String> {
    value
        .map(|v| {
            v.parse::<Timestamp>()
                .map_err(|e| format!("{field} {v:?} is not a timestamp: {e}"))
        })
        .transpose()
}

fn reaction_name(content: &str) -> String {
    match content {
        "THUMBS_UP" => "+1".into(),
        "THUMBS_DOWN" => "-1".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// `at` (a closing or merge time) if it is not before `created_at`; otherwise `None`, with the
/// reason pushed to `warnings`. GitHub never closes an item before it is opened, so such a
/// time is an error of the dump, and storing it would give negative lifetimes.
fn not_before_creation(
    field: &str,
    at: Option<Timestamp>,
    created_at: Option<Timestamp>,
    number: u64,
    warnings: &mut Vec<(u64, String)>,
) -> Option<Timestamp> {
    match (at, created_at) {
        (Some(at), Some(created)) if at < created => {
            warnings.push((
                number,
                format!("#{number}: {field} {at} is before createdAt {created}; stored as unknown"),
            ));
            None
        }
        (at, _) => at,
    }
}

fn convert(
    node: Node,
    kind: DumpKind,
    warnings: &mut Vec<(u64, String)>,
) -> Result<(GhItem, Vec<GhComment>), String> {
    let number = node.number.ok_or("the node has no number")?;
    let item_kind = match kind {
        DumpKind::Issues => ItemKind::Issue,
        DumpKind::Prs => ItemKind::Pr,
    };
    let mut item = GhItem::new(number, item_kind);
    item.title = node.title;
    item.created_at = timestamp("createdAt", node.created_at)?;
    item.updated_at = timestamp("updatedAt", node.updated_at)?;
    item.closed_at = not_before_creation(
        "closedAt",
        timestamp("closedAt", node.closed_at)?,
        item.created_at,
        number,
        warnings,
    );
    item.html_url = node.url;
    item.author = node.author.map(|a| a.login);
    item.author_association = node.author_association;
    if let Some(state) = node.state {
        let (state, merged) = match state.to_ascii_uppercase().as_str() {
            "OPEN" => ("open", Some(false)),
            "CLOSED" => ("closed", Some(false)),
            "MERGED" => ("closed", Some(true)),
            _ => return Err(format!("unknown state {state:?}")),
        };
        item.state = Some(state.into());
        if item_kind == ItemKind::Pr {
            item.merged = merged;
        }
    }
    if let Some(labels) = node.labels {
        item.labels = Some(
            labels
                .edges
                .into_iter()
                .filter_map(|e| e.node.map(|n| n.name))
                .collect(),
        );
    }
    if let Some(groups) = node.reaction_groups {
        let mut reactions = Reactions::new();
        for group in groups {
            let count = group
                .users
                .or(group.reactors)
                .and_then(|t| t.total_count)
                .unwrap_or(0);
            reactions.insert(reaction_name(&group.content), count);
        }
        item.reactions = Some(reactions);
    }
    if item_kind == ItemKind::Pr {
        item.base_ref = node.base_ref_name;
        item.mergeable = node.mergeable;
        item.merged_by = node.merged_by.map(|m| m.login);
        item.merged_at = not_before_creation(
            "mergedAt",
            timestamp("mergedAt", node.merged_at)?,
            item.created_at,
            number,
            warnings,
        );
        item.approved_reviews = node.reviews.and_then(|r| r.total_count);
        item.participants = node.participants.and_then(|p| p.total_count);
    }
    let mut comments = Vec::new();
    if let Some(timeline) = node.timeline_items {
        let complete = timeline
            .total_count
            .is_some_and(|total| total as usize <= timeline.edges.len());
        for entry in timeline.edges.into_iter().filter_map(|e| e.node) {
            match entry.typename.as_str() {
                "IssueComment" => {
                    let Some(created_at) = timestamp("createdAt", entry.created_at)? else {
                        return Err("an IssueComment has no createdAt".into());
                    };
                    comments.push(GhComment {
                        kind: CommentKind::Issue,
                        github_id: None,
                        number,
                        author: entry.author.map(|a| a.login),
                        author_association: None,
                        body: None,
                        created_at,
                        updated_at: None,
                        review_id: None,
                        path: None,
                        in_reply_to: None,
                        reactions: None,
                        html_url: None,
                    });
                }
                "ClosedEvent" => {
                    if let Some(actor) = entry.actor {
                        item.closed_by = Some(actor.login);
                    }
                }
                _ => {}
            }
        }
        if complete {
            item.comments = Some(comments.len() as i64);
        }
    }
    Ok((item, comments))
}

/// Reads the dump at `path`; the kind comes from the file name, else from the nodes.
pub fn read_dump(path: &Path) -> Result<Dump, GithubError> {
    let bytes = std::fs::read(path).map_err(|source| GithubError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_dump(path, &bytes)
}

/// Parses the bytes of a dump read from `path` (named in errors).
pub fn parse_dump(path: &Path, bytes: &[u8]) -> Result<Dump, GithubError> {
    let bad = |message: String| GithubError::Dump {
        path: path.to_path_buf(),
        message,
    };
    let edges: Vec<serde_json::Value> = serde_json::from_slice(bytes).map_err(|e| {
        bad(format!(
            "not a devstats dump (a JSON list of {{\"cursor\", \"node\"}} edges): {e}"
        ))
    })?;
    let kind = kind_from_name(path)
        .or_else(|| {
            let node = edges.first()?.get("node")?;
            if node.get("baseRefName").is_some() || node.get("mergedAt").is_some() {
                Some(DumpKind::Prs)
            } else {
                Some(DumpKind::Issues)
            }
        })
        .unwrap_or(DumpKind::Issues);
    let mut dump = Dump {
        path: path.to_path_buf(),
        kind,
        repo_from_urls: None,
        items: Vec::with_capacity(edges.len()),
        skipped: Vec::new(),
        duplicates: Vec::new(),
        warnings: Vec::new(),
    };
    // Where each number's item is in `dump.items`: an edge repeated (devstats pages that
    // overlap) replaces the earlier one instead of importing its comments twice.
    let mut position: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for (index, value) in edges.into_iter().enumerate() {
        let edge: Edge = match serde_json::from_value(value) {
            Ok(edge) => edge,
            Err(e) => {
                dump.skipped.push((index, e.to_string()));
                continue;
            }
        };
        if dump.repo_from_urls.is_none() {
            dump.repo_from_urls = edge.node.url.as_deref().and_then(repo_from_url);
        }
        let mut warnings = Vec::new();
        match convert(edge.node, kind, &mut warnings) {
            Ok(entry) => {
                let number = entry.0.number;
                if let Some(&at) = position.get(&number) {
                    dump.duplicates.push(number);
                    dump.warnings.retain(|(n, _)| *n != number);
                    dump.items[at] = entry;
                } else {
                    position.insert(number, dump.items.len());
                    dump.items.push(entry);
                }
                dump.warnings.extend(warnings);
            }
            Err(message) => dump.skipped.push((index, message)),
        }
    }
    Ok(dump)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issue_edge_becomes_an_item_with_comments() {
        let text = r#"[{"cursor": "x", "node": {"number": 5, "title": "T", "state": "CLOSED",
            "createdAt": "2020-01-01T00:00:00Z", "updatedAt": "2020-01-03T00:00:00Z",
            "closedAt": "2020-01-02T00:00:00Z", "url": "https://github.com/o/r/issues/5",
            "labels": {"edges": [{"node": {"name": "bug"}}]},
            "reactionGroups": [{"content": "THUMBS_UP", "users": {"totalCount": 2}}],
            "timelineItems": {"totalCount": 2, "edges": [
              {"node": {"__typename": "IssueComment", "author": null, "createdAt": "2020-01-01T01:00:00Z"}},
              {"node": {"__typename": "ClosedEvent", "actor": {"login": "me"}}}]}}}]"#;
        let dump = parse_dump(Path::new("x_issues.json"), text.as_bytes()).expect("dump");
        assert_eq!(dump.repo_from_urls.as_deref(), Some("o/r"));
        let (item, comments) = &dump.items[0];
        assert_eq!(item.state.as_deref(), Some("closed"));
        assert_eq!(item.labels, Some(vec!["bug".to_string()]));
        assert_eq!(item.closed_by.as_deref(), Some("me"));
        assert_eq!(item.comments, Some(1));
        assert_eq!(item.author, None);
        assert_eq!(item.reactions.as_ref().and_then(|r| r.get("+1")), Some(&2));
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0].author, None);
        assert_eq!(comments[0].body, None);
    }

    #[test]
    fn a_bad_edge_is_skipped_and_the_rest_kept() {
        let text = r#"[{"node": {"title": "no number"}},
            {"node": {"number": 2, "state": "MERGED", "createdAt": "2020-01-01T00:00:00Z",
             "mergedAt": "2020-01-02T00:00:00Z", "baseRefName": "main", "author": null,
             "reviews": {"totalCount": 1}}},
            {"node": {"number": 3, "createdAt": "yesterday"}}]"#;
        let dump = parse_dump(Path::new("x_PRs.json"), text.as_bytes()).expect("dump");
        assert_eq!(dump.kind, DumpKind::Prs);
        assert_eq!(dump.items.len(), 1);
        assert_eq!(dump.skipped.len(), 2);
        assert!(
            dump.skipped[1].1.contains("yesterday"),
            "{:?}",
            dump.skipped
        );
        let pr = &dump.items[0].0;
        assert_eq!(
            (pr.state.as_deref(), pr.merged),
            (Some("closed"), Some(true))
        );
        assert_eq!(pr.labels, None);
        assert_eq!(pr.approved_reviews, Some(1));
    }

    #[test]
    fn a_repeated_edge_is_imported_once_and_counted() {
        let edge = r#"{"node": {"number": 7, "state": "OPEN", "createdAt": "2020-01-01T00:00:00Z",
            "timelineItems": {"totalCount": 2, "edges": [
              {"node": {"__typename": "IssueComment", "author": {"login": "a"}, "createdAt": "2020-01-01T01:00:00Z"}},
              {"node": {"__typename": "IssueComment", "author": {"login": "b"}, "createdAt": "2020-01-01T02:00:00Z"}}]}}}"#;
        let other =
            r#"{"node": {"number": 8, "state": "OPEN", "createdAt": "2020-01-01T00:00:00Z"}}"#;
        let text = format!("[{edge}, {other}, {edge}]");
        let dump = parse_dump(Path::new("x_issues.json"), text.as_bytes()).expect("dump");
        let numbers: Vec<u64> = dump.items.iter().map(|(item, _)| item.number).collect();
        assert_eq!(numbers, vec![7, 8]);
        assert_eq!(dump.duplicates, vec![7]);
        let comments: usize = dump.items.iter().map(|(_, c)| c.len()).sum();
        assert_eq!(comments, 2);
    }

    #[test]
    fn a_close_before_the_creation_is_stored_as_unknown_and_named() {
        let text = r#"[{"node": {"number": 9, "state": "CLOSED",
            "createdAt": "2020-05-01T00:00:00Z", "closedAt": "2019-05-01T00:00:00Z"}},
            {"node": {"number": 10, "state": "CLOSED",
            "createdAt": "2020-05-01T00:00:00Z", "closedAt": "2020-05-02T00:00:00Z"}}]"#;
        let dump = parse_dump(Path::new("x_issues.json"), text.as_bytes()).expect("dump");
        assert_eq!(dump.items.len(), 2);
        assert_eq!(dump.items[0].0.closed_at, None);
        assert_eq!(dump.items[0].0.state.as_deref(), Some("closed"));
        assert_eq!(
            dump.items[1].0.closed_at,
            Some("2020-05-02T00:00:00Z".parse().expect("t"))
        );
        assert_eq!(dump.warnings.len(), 1);
        assert_eq!(dump.warnings[0].0, 9);
        assert!(dump.warnings[0].1.contains("#9"), "{:?}", dump.warnings);
    }

    #[test]
    fn not_a_dump_is_an_error_naming_the_file() {
        let err = parse_dump(Path::new("a_issues.json"), b"{").expect_err("bad");
        assert!(err.to_string().contains("a_issues.json"), "{err}");
    }

    #[test]
    fn names_and_urls() {
        assert_eq!(
            name_prefix(Path::new("d/scipy_PRs.json")).as_deref(),
            Some("scipy")
        );
        assert_eq!(
            kind_from_name(Path::new("numpy_issues.json")),
            Some(DumpKind::Issues)
        );
        assert_eq!(
            repo_from_url("https://github.com/scipy/scipy/issues/1").as_deref(),
            Some("scipy/scipy")
        );
        assert_eq!(repo_from_url("https://example.com/x"), None);
    }
}
