//! GitHub REST objects, read with serde and turned into the store's model.
//!
//! Only the fields agora keeps are declared; unknown fields are ignored, and a field GitHub
//! leaves out or sends as `null` stays `None`. An issue from `/issues` is a PR when it has a
//! `pull_request` key; its PR details come from `/pulls/N` ([`apply_pull`]) and its approvals
//! from `/pulls/N/reviews`.

use agora_store::github::{
    CommentKind, GhComment, GhItem, GhLabel, GhMilestone, GhRelease, GhReview, ItemKind, Reactions,
};
use jiff::Timestamp;
use serde::Deserialize;

/// A user, as REST embeds one.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    /// The login.
    pub login: String,
}

/// A team, as `requested_teams` lists one.
#[derive(Debug, Clone, Deserialize)]
pub struct Team {
    /// The team's slug.
    pub slug: String,
}

/// A label as an issue embeds it or `/labels` lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    /// The name.
    pub name: String,
    /// The colour.
    pub color: Option<String>,
    /// The description.
    pub description: Option<String>,
}

/// A milestone as an issue embeds it or `/milestones` lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct Milestone {
    /// Its number.
    pub number: i64,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// `open` or `closed`.
    pub state: Option<String>,
    /// Open issues.
    pub open_issues: Option<i64>,
    /// Closed issues.
    pub closed_issues: Option<i64>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Updated.
    pub updated_at: Option<Timestamp>,
    /// Closed.
    pub closed_at: Option<Timestamp>,
    /// Due.
    pub due_on: Option<Timestamp>,
}

/// The `reactions` rollup of an issue or comment.
#[derive(Debug, Clone, Deserialize)]
pub struct ReactionRollup {
    #[serde(rename = "+1", default)]
    plus_one: i64,
    #[serde(rename = "-1", default)]
    minus_one: i64,
    #[serde(default)]
    laugh: i64,
    #[serde(default)]
    hooray: i64,
    #[serde(default)]
    confused: i64,
    #[serde(default)]
    heart: i64,
    #[serde(default)]
    rocket: i64,
    #[serde(default)]
    eyes: i64,
}

impl ReactionRollup {
    fn counts(&self) -> Reactions {
        [
            ("+1", self.plus_one),
            ("-1", self.minus_one),
            ("laugh", self.laugh),
            ("hooray", self.hooray),
            ("confused", self.confused),
            ("heart", self.heart),
            ("rocket", self.rocket),
            ("eyes", self.eyes),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// The `pull_request` stub of an issue that is a PR.
#[derive(Debug, Clone, Deserialize)]
pub struct PullStub {
    /// When it was merged.
    pub merged_at: Option<Timestamp>,
}

/// An item of `/repos/O/R/issues`.
#[derive(Debug, Clone, Deserialize)]
pub struct Issue {
    /// Database id.
    pub id: Option<i64>,
    /// Number.
    pub number: u64,
    /// Title.
    pub title: Option<String>,
    /// Body.
    pub body: Option<String>,
    /// `open` or `closed`.
    pub state: Option<String>,
    /// Why it is in its state.
    pub state_reason: Option<String>,
    /// Locked.
    pub locked: Option<bool>,
    /// Why locked.
    pub active_lock_reason: Option<String>,
    /// Author.
    pub user: Option<User>,
    /// Author's association.
    pub author_association: Option<String>,
    /// Labels.
    pub labels: Option<Vec<Label>>,
    /// Milestone.
    pub milestone: Option<Milestone>,
    /// Assignees.
    pub assignees: Option<Vec<User>>,
    /// Comment count.
    pub comments: Option<i64>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Updated.
    pub updated_at: Option<Timestamp>,
    /// Closed.
    pub closed_at: Option<Timestamp>,
    /// Who closed it (single-issue endpoint only).
    pub closed_by: Option<User>,
    /// Reactions.
    pub reactions: Option<ReactionRollup>,
    /// Page on GitHub.
    pub html_url: Option<String>,
    /// Present when the issue is a PR.
    pub pull_request: Option<PullStub>,
    /// Draft (PRs).
    pub draft: Option<bool>,
}

impl Issue {
    /// The store's item for it (PR details not yet applied).
    pub fn to_item(&self) -> GhItem {
        let kind = if self.pull_request.is_some() {
            ItemKind::Pr
        } else {
            ItemKind::Issue
        };
        let mut item = GhItem::new(self.number, kind);
        item.github_id = self.id;
        item.title = self.title.clone();
        item.body = self.body.clone();
        item.state = self.state.clone();
        item.state_reason = self.state_reason.clone();
        item.locked = self.locked;
        item.active_lock_reason = self.active_lock_reason.clone();
        item.author = self.user.as_ref().map(|u| u.login.clone());
        item.author_association = self.author_association.clone();
        item.labels = self
            .labels
            .as_ref()
            .map(|l| l.iter().map(|l| l.name.clone()).collect());
        item.milestone = self.milestone.as_ref().map(|m| m.title.clone());
        item.milestone_number = self.milestone.as_ref().map(|m| m.number);
        item.assignees = self
            .assignees
            .as_ref()
            .map(|a| a.iter().map(|u| u.login.clone()).collect());
        item.comments = self.comments;
        item.created_at = self.created_at;
        item.updated_at = self.updated_at;
        item.closed_at = self.closed_at;
        item.closed_by = self.closed_by.as_ref().map(|u| u.login.clone());
        item.reactions = self.reactions.as_ref().map(ReactionRollup::counts);
        item.html_url = self.html_url.clone();
        if let Some(stub) = &self.pull_request {
            item.merged_at = stub.merged_at;
            item.merged = Some(stub.merged_at.is_some());
            item.draft = self.draft;
        }
        item
    }
}

/// A branch end of a PR.
#[derive(Debug, Clone, Deserialize)]
pub struct Ref {
    /// The branch name.
    #[serde(rename = "ref")]
    pub name: String,
}

/// `/repos/O/R/pulls/N`.
#[derive(Debug, Clone, Deserialize)]
pub struct Pull {
    /// Number.
    pub number: u64,
    /// Draft.
    pub draft: Option<bool>,
    /// Target branch.
    pub base: Option<Ref>,
    /// Source branch.
    pub head: Option<Ref>,
    /// Merged.
    pub merged: Option<bool>,
    /// When merged.
    pub merged_at: Option<Timestamp>,
    /// Who merged.
    pub merged_by: Option<User>,
    /// Mergeability; `null` while GitHub computes it.
    pub mergeable: Option<bool>,
    /// Requested reviewers.
    pub requested_reviewers: Option<Vec<User>>,
    /// Requested teams.
    pub requested_teams: Option<Vec<Team>>,
    /// Lines added.
    pub additions: Option<i64>,
    /// Lines deleted.
    pub deletions: Option<i64>,
    /// Files changed.
    pub changed_files: Option<i64>,
    /// Commits.
    pub commits: Option<i64>,
    /// Review comments.
    pub review_comments: Option<i64>,
    /// The commit the merge made (GitHub also fills it for an open PR's test merge, which is
    /// kept only once the PR is merged).
    pub merge_commit_sha: Option<String>,
}

/// Adds the details of `/pulls/N` to the PR `item`.
pub fn apply_pull(item: &mut GhItem, pull: &Pull) {
    item.draft = pull.draft.or(item.draft);
    item.base_ref = pull.base.as_ref().map(|r| r.name.clone());
    item.head_ref = pull.head.as_ref().map(|r| r.name.clone());
    item.merged = pull.merged.or(item.merged);
    item.merged_at = pull.merged_at.or(item.merged_at);
    item.merged_by = pull.merged_by.as_ref().map(|u| u.login.clone());
    item.mergeable = Some(
        match pull.mergeable {
            Some(true) => "MERGEABLE",
            Some(false) => "CONFLICTING",
            None => "UNKNOWN",
        }
        .into(),
    );
    let mut reviewers: Option<Vec<String>> = pull
        .requested_reviewers
        .as_ref()
        .map(|r| r.iter().map(|u| u.login.clone()).collect());
    if let Some(teams) = &pull.requested_teams {
        reviewers
            .get_or_insert_with(Vec::new)
            .extend(teams.iter().map(|t| format!("team:{}", t.slug)));
    }
    item.requested_reviewers = reviewers;
    item.additions = pull.additions;
    item.deletions = pull.deletions;
    item.changed_files = pull.changed_files;
    item.commits = pull.commits;
    item.review_comments = pull.review_comments;
    item.merge_commit_sha = pull
        .merge_commit_sha
        .clone()
        .filter(|_| item.merged == Some(true));
}

/// The git identity of a commit's author or committer.
#[derive(Debug, Clone, Deserialize)]
pub struct GitPerson {
    /// The name.
    pub name: Option<String>,
    /// The email.
    pub email: Option<String>,
    /// The date.
    pub date: Option<Timestamp>,
}

/// The git part of a listed commit.
#[derive(Debug, Clone, Deserialize)]
pub struct GitPart {
    /// The message.
    pub message: Option<String>,
    /// The author.
    pub author: Option<GitPerson>,
}

/// An item of `/repos/O/R/commits`.
#[derive(Debug, Clone, Deserialize)]
pub struct Commit {
    /// The hash.
    pub sha: String,
    /// The git part.
    pub commit: Option<GitPart>,
    /// The account GitHub matched to the author's email.
    pub author: Option<User>,
    /// The account GitHub matched to the committer's email.
    pub committer: Option<User>,
}

impl Commit {
    /// The store's commit.
    pub fn to_commit(&self) -> agora_store::github_commits::GhCommit {
        let git = self.commit.as_ref();
        let author = git.and_then(|g| g.author.as_ref());
        agora_store::github_commits::GhCommit {
            sha: self.sha.clone(),
            author_login: self.author.as_ref().map(|u| u.login.clone()),
            author_name: author.and_then(|a| a.name.clone()),
            author_email: author.and_then(|a| a.email.clone()),
            committer_login: self.committer.as_ref().map(|u| u.login.clone()),
            message: git
                .and_then(|g| g.message.as_deref())
                .map(agora_store::github_commits::bounded_message),
            authored_at: author.and_then(|a| a.date),
        }
    }
}

/// `/users/LOGIN`.
#[derive(Debug, Clone, Deserialize)]
pub struct FullUser {
    /// The login.
    pub login: String,
    /// The id.
    pub id: Option<i64>,
    /// The display name.
    pub name: Option<String>,
    /// The profile page.
    pub html_url: Option<String>,
}

impl FullUser {
    /// The store's user.
    pub fn to_user(&self) -> agora_store::github_commits::GhUser {
        agora_store::github_commits::GhUser {
            login: self.login.clone(),
            github_id: self.id,
            name: self.name.clone(),
            html_url: self.html_url.clone(),
        }
    }
}

/// An item of `/repos/O/R/commits/SHA/pulls`.
#[derive(Debug, Clone, Deserialize)]
pub struct PullNumber {
    /// The PR's number.
    pub number: u64,
}

/// The number at the end of an API URL (`…/issues/42` → 42).
fn trailing_number(url: &str) -> Option<u64> {
    url.rsplit('/').next()?.parse().ok()
}

/// An item of `/repos/O/R/issues/comments`.
#[derive(Debug, Clone, Deserialize)]
pub struct IssueComment {
    /// Id.
    pub id: i64,
    /// The issue's API URL.
    pub issue_url: String,
    /// Author.
    pub user: Option<User>,
    /// Author's association.
    pub author_association: Option<String>,
    /// Text.
    pub body: Option<String>,
    /// Created.
    pub created_at: Timestamp,
    /// Updated.
    pub updated_at: Option<Timestamp>,
    /// Reactions.
    pub reactions: Option<ReactionRollup>,
    /// Page on GitHub.
    pub html_url: Option<String>,
}

impl IssueComment {
    /// The store's comment, or `None` when the issue URL has no number.
    pub fn to_comment(&self) -> Option<GhComment> {
        Some(GhComment {
            kind: CommentKind::Issue,
            github_id: Some(self.id),
            number: trailing_number(&self.issue_url)?,
            author: self.user.as_ref().map(|u| u.login.clone()),
            author_association: self.author_association.clone(),
            body: self.body.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            review_id: None,
            path: None,
            in_reply_to: None,
            reactions: self.reactions.as_ref().map(ReactionRollup::counts),
            html_url: self.html_url.clone(),
        })
    }
}

/// An item of `/repos/O/R/pulls/comments`.
#[derive(Debug, Clone, Deserialize)]
pub struct ReviewComment {
    /// Id.
    pub id: i64,
    /// The PR's API URL.
    pub pull_request_url: String,
    /// The review it belongs to.
    pub pull_request_review_id: Option<i64>,
    /// Author.
    pub user: Option<User>,
    /// Author's association.
    pub author_association: Option<String>,
    /// Text.
    pub body: Option<String>,
    /// The file.
    pub path: Option<String>,
    /// The comment answered.
    pub in_reply_to_id: Option<i64>,
    /// Created.
    pub created_at: Timestamp,
    /// Updated.
    pub updated_at: Option<Timestamp>,
    /// Reactions.
    pub reactions: Option<ReactionRollup>,
    /// Page on GitHub.
    pub html_url: Option<String>,
}

impl ReviewComment {
    /// The store's comment, or `None` when the PR URL has no number.
    pub fn to_comment(&self) -> Option<GhComment> {
        Some(GhComment {
            kind: CommentKind::Review,
            github_id: Some(self.id),
            number: trailing_number(&self.pull_request_url)?,
            author: self.user.as_ref().map(|u| u.login.clone()),
            author_association: self.author_association.clone(),
            body: self.body.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            review_id: self.pull_request_review_id,
            path: self.path.clone(),
            in_reply_to: self.in_reply_to_id,
            reactions: self.reactions.as_ref().map(ReactionRollup::counts),
            html_url: self.html_url.clone(),
        })
    }
}

/// An item of `/repos/O/R/pulls/N/reviews`.
#[derive(Debug, Clone, Deserialize)]
pub struct Review {
    /// Id.
    pub id: i64,
    /// Reviewer.
    pub user: Option<User>,
    /// Reviewer's association.
    pub author_association: Option<String>,
    /// `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, …
    pub state: Option<String>,
    /// Text.
    pub body: Option<String>,
    /// Submitted.
    pub submitted_at: Option<Timestamp>,
    /// Commit reviewed.
    pub commit_id: Option<String>,
}

impl Review {
    /// The store's review of PR `number`.
    pub fn to_review(&self, number: u64) -> GhReview {
        GhReview {
            github_id: self.id,
            number,
            author: self.user.as_ref().map(|u| u.login.clone()),
            author_association: self.author_association.clone(),
            state: self.state.clone(),
            body: self.body.clone(),
            submitted_at: self.submitted_at,
            commit_id: self.commit_id.clone(),
        }
    }
}

/// An item of `/repos/O/R/releases`.
#[derive(Debug, Clone, Deserialize)]
pub struct Release {
    /// Id.
    pub id: i64,
    /// Tag.
    pub tag_name: String,
    /// Title.
    pub name: Option<String>,
    /// Notes.
    pub body: Option<String>,
    /// Draft.
    pub draft: Option<bool>,
    /// Pre-release.
    pub prerelease: Option<bool>,
    /// Author.
    pub author: Option<User>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Published.
    pub published_at: Option<Timestamp>,
}

impl Release {
    /// The store's release.
    pub fn to_release(&self) -> GhRelease {
        GhRelease {
            github_id: self.id,
            tag_name: self.tag_name.clone(),
            name: self.name.clone(),
            body: self.body.clone(),
            draft: self.draft,
            prerelease: self.prerelease,
            author: self.author.as_ref().map(|u| u.login.clone()),
            created_at: self.created_at,
            published_at: self.published_at,
        }
    }
}

impl Label {
    /// The store's label.
    pub fn to_label(&self) -> GhLabel {
        GhLabel {
            name: self.name.clone(),
            color: self.color.clone(),
            description: self.description.clone(),
        }
    }
}

impl Milestone {
    /// The store's milestone.
    pub fn to_milestone(&self) -> GhMilestone {
        GhMilestone {
            number: self.number,
            title: self.title.clone(),
            description: self.description.clone(),
            state: self.state.clone(),
            open_issues: self.open_issues,
            closed_issues: self.closed_issues,
            created_at: self.created_at,
            updated_at: self.updated_at,
            closed_at: self.closed_at,
            due_on: self.due_on,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_sample(name: &str) -> Option<serde_json::Value> {
        let dir = agora_corpus::folder("github/rest-samples")?;
        let bytes = std::fs::read(dir.join(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    #[test]
    fn recorded_rest_objects_read_into_the_model() {
        let (Some(issues), Some(pulls), Some(comments), Some(releases)) = (
            corpus_sample("gh2sqlite-issues.json"),
            corpus_sample("gh2sqlite-pull_requests.json"),
            corpus_sample("gh2sqlite-issue-comments.json"),
            corpus_sample("gh2sqlite-releases.json"),
        ) else {
            eprintln!("note: AGORA_CORPUS is not set; skipping a corpus test");
            return;
        };
        let issues: Vec<Issue> = serde_json::from_value(issues).expect("issues");
        let item = issues[0].to_item();
        assert_eq!(item.number, 572);
        assert_eq!(item.kind, ItemKind::Issue);
        assert_eq!(item.milestone.as_deref(), Some("Custom templates edition"));
        assert_eq!(item.author_association.as_deref(), Some("OWNER"));
        let pulls: Vec<Pull> = serde_json::from_value(pulls).expect("pulls");
        let mut pr = GhItem::new(571, ItemKind::Pr);
        apply_pull(&mut pr, &pulls[0]);
        assert_eq!(pr.merged, Some(true));
        assert_eq!(pr.merged_by.as_deref(), Some("simonw"));
        assert_eq!((pr.additions, pr.deletions), (Some(7), Some(3)));
        assert_eq!(pr.mergeable.as_deref(), Some("UNKNOWN"));
        let comments: Vec<IssueComment> = serde_json::from_value(comments).expect("comments");
        let comment = comments[0].to_comment().expect("number");
        assert_eq!(comment.number, 3);
        assert!(comment.body.is_some());
        let releases: Vec<Release> = serde_json::from_value(releases).expect("releases");
        assert_eq!(releases[0].to_release().tag_name, "0.5");
    }
}
