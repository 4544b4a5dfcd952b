//! The columns of the GitHub mirror that activity metrics (`agora health`, the portal's health
//! pages) read, and nothing else.
//!
//! [`Store::github_items`] and [`Store::github_comments`] give whole rows: titles, bodies,
//! labels and reactions as JSON, which a health report never looks at and which are most of a
//! large repository's bytes. [`Store::github_activity`] reads one repository's items and its
//! conversation comments in two queries of a dozen narrow columns each, so the cost of a
//! report grows with the number of items, not with the length of what people wrote. **NULL
//! means unknown** here as in the rest of the mirror: every column a source may lack stays an
//! `Option`.

use crate::db::{OptionalExtension, params};
use jiff::Timestamp;

use crate::github::{ItemKind, Source, read_time};
use crate::{Store, StoreError};

/// One issue or PR, reduced to what activity metrics read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityItem {
    /// Its number.
    pub number: u64,
    /// Issue or PR.
    pub kind: ItemKind,
    /// `open` or `closed`.
    pub state: Option<String>,
    /// Who opened it.
    pub author: Option<String>,
    /// When it was opened.
    pub created_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// The number of conversation comments GitHub counts.
    pub comments: Option<i64>,
    /// Whether the PR was merged.
    pub merged: Option<bool>,
    /// When the PR was merged.
    pub merged_at: Option<Timestamp>,
    /// The branch the PR targets.
    pub base_ref: Option<String>,
    /// GitHub's mergeability word.
    pub mergeable: Option<String>,
    /// How many people took part.
    pub participants: Option<i64>,
    /// How many approving reviews it had.
    pub approved_reviews: Option<i64>,
    /// Where the row came from.
    pub source: Source,
}

impl ActivityItem {
    /// Whether it is open (`None` when the state is unknown), as [`crate::github::GhItem::is_open`].
    pub fn is_open(&self) -> Option<bool> {
        crate::github::open_state(self.state.as_deref())
    }
}

/// One conversation comment, reduced to what activity metrics read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityComment {
    /// The issue or PR it belongs to.
    pub number: u64,
    /// Who wrote it.
    pub author: Option<String>,
    /// When.
    pub created_at: Timestamp,
    /// Where the row came from.
    pub source: Source,
}

/// One repository's items and conversation comments, by number (comments by number, then time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// `owner/name` as the store spells it.
    pub repo: String,
    /// Issues and PRs.
    pub items: Vec<ActivityItem>,
    /// Conversation comments (`kind` = `issue`; diff comments are left out).
    pub comments: Vec<ActivityComment>,
}

/// How far one repository's mirror has been written: enough to tell, without reading the rows,
/// whether anything derived from its activity may have changed since the mark was taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ActivityMark {
    /// Items, comments and reviews stored.
    pub rows: i64,
    /// The newest change counter among them (every write stamps the rows it writes).
    pub last_change: i64,
}

type RawActivityItem = (
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<bool>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    String,
);

impl Store {
    /// The [`ActivityMark`] of `repo` (all zero when nothing of it is stored): one aggregate
    /// per table, so a build can skip a repository whose mark is unchanged.
    pub fn github_activity_mark(&self, repo: &str) -> Result<ActivityMark, StoreError> {
        // The greatest of three values: SQLite's scalar MAX is PostgreSQL's GREATEST.
        let greatest = self.conn.dialect("MAX", "GREATEST");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT
                (SELECT COUNT(*) FROM gh_item WHERE repo_id = r.id)
                  + (SELECT COUNT(*) FROM gh_comment WHERE repo_id = r.id)
                  + (SELECT COUNT(*) FROM gh_review WHERE repo_id = r.id),
                {greatest}(COALESCE((SELECT MAX(change_seq) FROM gh_item WHERE repo_id = r.id), 0),
                    COALESCE((SELECT MAX(change_seq) FROM gh_comment WHERE repo_id = r.id), 0),
                    COALESCE((SELECT MAX(change_seq) FROM gh_review WHERE repo_id = r.id), 0))
             FROM gh_repo r WHERE r.full_name = ?1"
        ))?;
        let mark = stmt
            .query_row(params![repo], |r| {
                Ok(ActivityMark {
                    rows: r.get(0)?,
                    last_change: r.get(1)?,
                })
            })
            .optional()?;
        Ok(mark.unwrap_or_default())
    }

    /// `repo`'s issues, PRs and conversation comments with only the columns activity metrics
    /// read; `None` when the store has no item of it.
    pub fn github_activity(&self, repo: &str) -> Result<Option<Activity>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.full_name, i.number, i.kind, i.state, i.author, i.created_at, i.closed_at,
                    i.comments, i.merged, i.merged_at, i.base_ref, i.mergeable, i.participants,
                    i.approved_reviews, i.source
             FROM gh_item i JOIN gh_repo r ON r.id = i.repo_id
             WHERE r.full_name = ?1 ORDER BY i.number",
        )?;
        let raws = stmt
            .query_map(params![repo], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                ))
            })?
            .collect::<crate::db::Result<Vec<RawActivityItem>>>()?;
        let Some(first) = raws.first() else {
            return Ok(None);
        };
        let mut activity = Activity {
            repo: first.0.clone(),
            ..Activity::default()
        };
        activity.items.reserve(raws.len());
        for raw in raws {
            let (
                _,
                number,
                kind,
                state,
                author,
                created_at,
                closed_at,
                comments,
                merged,
                merged_at,
                base_ref,
                mergeable,
                participants,
                approved_reviews,
                source,
            ) = raw;
            activity.items.push(ActivityItem {
                number: number.max(0) as u64,
                kind: ItemKind::parse(&kind),
                state,
                author,
                created_at: read_time("gh_item.created_at", created_at)?,
                closed_at: read_time("gh_item.closed_at", closed_at)?,
                comments,
                merged,
                merged_at: read_time("gh_item.merged_at", merged_at)?,
                base_ref,
                mergeable,
                participants,
                approved_reviews,
                source: Source::parse(&source),
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.number, c.author, c.created_at, c.source
             FROM gh_comment c JOIN gh_repo r ON r.id = c.repo_id
             WHERE r.full_name = ?1 AND c.kind = 'issue'
             ORDER BY c.number, c.created_at, c.id",
        )?;
        let raws = stmt
            .query_map(params![repo], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<crate::db::Result<Vec<(i64, Option<String>, String, String)>>>()?;
        activity.comments.reserve(raws.len());
        for (number, author, created_at, source) in raws {
            activity.comments.push(ActivityComment {
                number: number.max(0) as u64,
                author,
                created_at: read_time("gh_comment.created_at", Some(created_at))?
                    .unwrap_or(Timestamp::UNIX_EPOCH),
                source: Source::parse(&source),
            });
        }
        Ok(Some(activity))
    }
}

#[cfg(test)]
mod tests {

    use crate::github::{CommentKind, GhComment, GhItem, GithubPage, ItemKind, Source};

    fn at(text: &str) -> jiff::Timestamp {
        text.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn activity_holds_the_same_facts_as_the_whole_rows() {
        for mut store in crate::test_stores("activity_holds_the_same_facts_as_the_whole_rows") {
            let mut page = GithubPage::new(Source::Rest, at("2024-01-01T00:00:00Z"));
            let mut pr = GhItem::new(7, ItemKind::Pr);
            pr.state = Some("closed".into());
            pr.author = Some("alice".into());
            pr.body = Some("a long body that activity never reads".into());
            pr.created_at = Some(at("2023-01-01T00:00:00Z"));
            pr.closed_at = Some(at("2023-01-03T00:00:00Z"));
            pr.merged = Some(true);
            pr.merged_at = Some(at("2023-01-03T00:00:00Z"));
            pr.base_ref = Some("main".into());
            pr.mergeable = Some("MERGEABLE".into());
            pr.participants = Some(4);
            pr.approved_reviews = Some(2);
            let mut issue = GhItem::new(3, ItemKind::Issue);
            issue.state = Some("open".into());
            issue.created_at = Some(at("2023-02-01T00:00:00Z"));
            issue.comments = Some(1);
            page.items = vec![pr, issue];
            let comment = |kind, number, when: &str| GhComment {
                kind,
                github_id: Some(number as i64 * 100 + i64::from(kind == CommentKind::Review)),
                number,
                author: Some("bob".into()),
                author_association: None,
                body: Some("text".into()),
                created_at: at(when),
                updated_at: None,
                review_id: None,
                path: None,
                in_reply_to: None,
                reactions: None,
                html_url: None,
            };
            page.comments = vec![
                comment(CommentKind::Issue, 3, "2023-02-02T00:00:00Z"),
                comment(CommentKind::Review, 7, "2023-01-02T00:00:00Z"),
            ];
            store.save_github_page("o/r", &page).expect("saved");

            let activity = store.github_activity("o/r").expect("reads").expect("data");
            let whole = store.github_items("o/r").expect("items");
            assert_eq!(activity.repo, "o/r");
            assert_eq!(activity.items.len(), whole.len());
            for (slim, full) in activity.items.iter().zip(&whole) {
                let item = &full.item;
                assert_eq!(
                    (slim.number, slim.kind, &slim.state, &slim.author),
                    (item.number, item.kind, &item.state, &item.author)
                );
                assert_eq!(
                    (slim.created_at, slim.closed_at, slim.merged_at),
                    (item.created_at, item.closed_at, item.merged_at)
                );
                assert_eq!(
                    (slim.merged, &slim.base_ref, &slim.mergeable),
                    (item.merged, &item.base_ref, &item.mergeable)
                );
                assert_eq!(
                    (slim.participants, slim.approved_reviews, slim.comments),
                    (item.participants, item.approved_reviews, item.comments)
                );
                assert_eq!(slim.source, full.source);
                assert_eq!(slim.is_open(), item.is_open());
            }
            // Only the conversation comment: the diff comment is not activity.
            assert_eq!(activity.comments.len(), 1);
            assert_eq!(activity.comments[0].number, 3);
            assert_eq!(activity.comments[0].author.as_deref(), Some("bob"));
            assert_eq!(store.github_activity("o/none").expect("reads"), None);

            // The mark moves with every write of the repository, and only with its writes.
            let mark = store.github_activity_mark("o/r").expect("mark");
            assert_eq!(mark.rows, 4);
            assert!(mark.last_change > 0);
            assert_eq!(
                store.github_activity_mark("o/none").expect("mark"),
                super::ActivityMark::default()
            );
            let mut other = GithubPage::new(Source::Rest, at("2024-01-02T00:00:00Z"));
            other.items = vec![GhItem::new(1, ItemKind::Issue)];
            store.save_github_page("o/other", &other).expect("saved");
            assert_eq!(store.github_activity_mark("o/r").expect("mark"), mark);
            let mut again = GithubPage::new(Source::Rest, at("2024-01-03T00:00:00Z"));
            let mut edited = GhItem::new(3, ItemKind::Issue);
            edited.state = Some("closed".into());
            edited.created_at = Some(at("2023-02-01T00:00:00Z"));
            again.items = vec![edited];
            store.save_github_page("o/r", &again).expect("saved");
            let moved = store.github_activity_mark("o/r").expect("mark");
            assert_eq!(moved.rows, 4);
            assert!(moved.last_change > mark.last_change);
        }
    }
}
