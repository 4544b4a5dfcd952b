//! What `agora repos` keeps: its campaigns, how far each repository of a campaign got, and a
//! log of every step.
//!
//! A campaign is named by its branch. Its [`Target`] rows hold, per repository, the facts a
//! rerun needs so that it neither repeats nor loses a step: the commit made, where it was
//! pushed, the PR opened (number and URL), whether labels and reviewers were added. Each step
//! is recorded by [`Store::record_repo_step`] in one transaction that updates the row (only
//! the fields the step sets) and appends an [`Event`], so a crash leaves either both or
//! neither.

use crate::db::{OptionalExtension, params};

use crate::{Store, StoreError};

/// A campaign.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Campaign {
    /// Its branch, which names it.
    pub branch: String,
    /// The commit message.
    pub message: String,
    /// When it was first recorded (RFC 3339).
    pub created_at: String,
    /// When it was withdrawn (RFC 3339).
    pub closed_at: Option<String>,
}

/// How far one repository of a campaign got.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Target {
    /// `owner/name`.
    pub repo: String,
    /// The default branch the change was made on.
    pub base: Option<String>,
    /// The campaign branch's commit.
    pub commit_sha: Option<String>,
    /// The change made no diff here.
    pub skipped: bool,
    /// Where the branch was pushed (`owner/name`: the repository or a fork).
    pub head_repo: Option<String>,
    /// The commit pushed.
    pub pushed_sha: Option<String>,
    /// The PR's number.
    pub pr_number: Option<u64>,
    /// The PR's page.
    pub pr_url: Option<String>,
    /// `open`, `closed` or `merged`, as last seen.
    pub pr_state: Option<String>,
    /// Labels were added.
    pub labels_done: bool,
    /// Reviewers were requested.
    pub reviewers_done: bool,
    /// The last step's failure; cleared by the next step that succeeds.
    pub last_error: Option<String>,
    /// When the row last changed (RFC 3339).
    pub updated_at: String,
}

/// The fields a step sets; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepUpdate {
    /// The default branch.
    pub base: Option<String>,
    /// The branch's commit.
    pub commit_sha: Option<String>,
    /// Whether the change made no diff.
    pub skipped: Option<bool>,
    /// Where the branch was pushed.
    pub head_repo: Option<String>,
    /// The commit pushed.
    pub pushed_sha: Option<String>,
    /// The PR's number.
    pub pr_number: Option<u64>,
    /// The PR's page.
    pub pr_url: Option<String>,
    /// The PR's state.
    pub pr_state: Option<String>,
    /// Labels were added.
    pub labels_done: Option<bool>,
    /// Reviewers were requested.
    pub reviewers_done: Option<bool>,
    /// The step failed with this message (`None`: it succeeded, clearing an older failure).
    pub error: Option<String>,
}

/// One step as logged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    /// `owner/name`.
    pub repo: String,
    /// What was done (`applied`, `pushed`, `opened`, `found`, `failed`, …).
    pub step: String,
    /// The particulars (a commit, a URL, an error).
    pub detail: String,
    /// When (RFC 3339).
    pub at: String,
}

const TARGET_COLUMNS: &str = "repo, base, commit_sha, skipped, head_repo, pushed_sha, pr_number, \
     pr_url, pr_state, labels_done, reviewers_done, last_error, updated_at";

fn target(row: &crate::db::Row<'_>) -> crate::db::Result<Target> {
    Ok(Target {
        repo: row.get(0)?,
        base: row.get(1)?,
        commit_sha: row.get(2)?,
        skipped: row.get::<_, i64>(3)? != 0,
        head_repo: row.get(4)?,
        pushed_sha: row.get(5)?,
        pr_number: row
            .get::<_, Option<i64>>(6)?
            .and_then(|n| u64::try_from(n).ok()),
        pr_url: row.get(7)?,
        pr_state: row.get(8)?,
        labels_done: row.get::<_, i64>(9)? != 0,
        reviewers_done: row.get::<_, i64>(10)? != 0,
        last_error: row.get(11)?,
        updated_at: row.get(12)?,
    })
}

impl Store {
    /// Records campaign `branch` with its commit `message`, unless it is known already;
    /// returns the campaign as stored (a known one keeps its first message).
    pub fn ensure_campaign(
        &self,
        branch: &str,
        message: &str,
        now: &str,
    ) -> Result<Campaign, StoreError> {
        self.conn.execute(
            "INSERT INTO repos_campaign (branch, message, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (branch) DO NOTHING",
            params![branch, message, now],
        )?;
        self.campaign(branch)?.ok_or(StoreError::Corrupt {
            column: "repos_campaign.branch",
            message: format!("campaign {branch} vanished after it was written"),
        })
    }

    /// Campaign `branch`, if recorded.
    pub fn campaign(&self, branch: &str) -> Result<Option<Campaign>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT branch, message, created_at, closed_at FROM repos_campaign WHERE branch = ?1",
                params![branch],
                |row| {
                    Ok(Campaign {
                        branch: row.get(0)?,
                        message: row.get(1)?,
                        created_at: row.get(2)?,
                        closed_at: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every campaign, newest first.
    pub fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT branch, message, created_at, closed_at FROM repos_campaign
             ORDER BY created_at DESC, branch",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Campaign {
                branch: row.get(0)?,
                message: row.get(1)?,
                created_at: row.get(2)?,
                closed_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks campaign `branch` withdrawn at `now`.
    pub fn close_campaign(&self, branch: &str, now: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE repos_campaign SET closed_at = ?2 WHERE branch = ?1",
            params![branch, now],
        )?;
        Ok(())
    }

    /// The repositories of campaign `branch`, by name.
    pub fn campaign_targets(&self, branch: &str) -> Result<Vec<Target>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {TARGET_COLUMNS} FROM repos_target WHERE campaign = ?1 ORDER BY repo"
        ))?;
        let rows = statement.query_map(params![branch], target)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Repository `repo` of campaign `branch`, if a step was recorded for it.
    pub fn campaign_target(&self, branch: &str, repo: &str) -> Result<Option<Target>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {TARGET_COLUMNS} FROM repos_target WHERE campaign = ?1 AND repo = ?2"
                ),
                params![branch, repo],
                target,
            )
            .optional()?)
    }

    /// Records one step of `repo` in campaign `branch`: sets the fields `update` gives and logs
    /// `step` with `detail`, in one transaction.
    pub fn record_repo_step(
        &mut self,
        branch: &str,
        repo: &str,
        step: &str,
        detail: &str,
        update: &StepUpdate,
        now: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO repos_target (campaign, repo, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (campaign, repo) DO NOTHING",
            params![branch, repo, now],
        )?;
        let pr_number = update.pr_number.and_then(|n| i64::try_from(n).ok());
        tx.execute(
            "UPDATE repos_target SET
                base = COALESCE(?3, base),
                commit_sha = COALESCE(?4, commit_sha),
                skipped = COALESCE(?5, skipped),
                head_repo = COALESCE(?6, head_repo),
                pushed_sha = COALESCE(?7, pushed_sha),
                pr_number = COALESCE(?8, pr_number),
                pr_url = COALESCE(?9, pr_url),
                pr_state = COALESCE(?10, pr_state),
                labels_done = COALESCE(?11, labels_done),
                reviewers_done = COALESCE(?12, reviewers_done),
                last_error = ?13,
                updated_at = ?14
             WHERE campaign = ?1 AND repo = ?2",
            params![
                branch,
                repo,
                update.base,
                update.commit_sha,
                update.skipped.map(i64::from),
                update.head_repo,
                update.pushed_sha,
                pr_number,
                update.pr_url,
                update.pr_state,
                update.labels_done.map(i64::from),
                update.reviewers_done.map(i64::from),
                update.error,
                now
            ],
        )?;
        tx.execute(
            "INSERT INTO repos_event (campaign, repo, step, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![branch, repo, step, detail, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The logged steps of campaign `branch`, oldest first.
    pub fn campaign_events(&self, branch: &str) -> Result<Vec<Event>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT repo, step, detail, at FROM repos_event WHERE campaign = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map(params![branch], |row| {
            Ok(Event {
                repo: row.get(0)?,
                step: row.get(1)?,
                detail: row.get(2)?,
                at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_update_only_what_they_set_and_are_logged() {
        for mut store in crate::test_stores("steps_update_only_what_they_set_and_are_logged") {
            let campaign = store
                .ensure_campaign("agora/bump", "Bump things", "2026-01-01T00:00:00Z")
                .expect("campaign");
            assert_eq!(campaign.message, "Bump things");
            // A second call keeps the first message.
            let again = store
                .ensure_campaign("agora/bump", "Other", "2026-01-02T00:00:00Z")
                .expect("campaign");
            assert_eq!(again.message, "Bump things");
            let applied = StepUpdate {
                base: Some("main".into()),
                commit_sha: Some("abc".into()),
                skipped: Some(false),
                ..StepUpdate::default()
            };
            store
                .record_repo_step("agora/bump", "o/a", "applied", "abc", &applied, "t1")
                .expect("step");
            let failed = StepUpdate {
                error: Some("push refused".into()),
                ..StepUpdate::default()
            };
            store
                .record_repo_step("agora/bump", "o/a", "failed", "push refused", &failed, "t2")
                .expect("step");
            let target = store
                .campaign_target("agora/bump", "o/a")
                .expect("read")
                .expect("row");
            assert_eq!(target.base.as_deref(), Some("main"));
            assert_eq!(target.commit_sha.as_deref(), Some("abc"));
            assert_eq!(target.last_error.as_deref(), Some("push refused"));
            let opened = StepUpdate {
                pr_number: Some(7),
                pr_url: Some("u".into()),
                ..StepUpdate::default()
            };
            store
                .record_repo_step("agora/bump", "o/a", "opened", "#7", &opened, "t3")
                .expect("step");
            let target = store
                .campaign_target("agora/bump", "o/a")
                .expect("read")
                .expect("row");
            assert_eq!(target.pr_number, Some(7));
            assert_eq!(target.commit_sha.as_deref(), Some("abc"));
            assert_eq!(target.last_error, None);
            let steps: Vec<String> = store
                .campaign_events("agora/bump")
                .expect("events")
                .into_iter()
                .map(|e| e.step)
                .collect();
            assert_eq!(steps, ["applied", "failed", "opened"]);
            store.close_campaign("agora/bump", "t4").expect("close");
            assert_eq!(
                store.campaigns().expect("list")[0].closed_at.as_deref(),
                Some("t4")
            );
        }
    }
}
