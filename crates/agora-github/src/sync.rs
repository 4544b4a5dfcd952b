//! The incremental sync of one repository into the store.
//!
//! Three listings carry everything that changes often, each asked oldest change first
//! (`sort=updated&direction=asc`, `per_page=100`) from the stored cursor (`since`):
//! `/issues?state=all` (issues and PRs), `/issues/comments` and `/pulls/comments` (review
//! comments). Pages are followed through their `Link` headers. Each page is written in one
//! transaction together with its cursor, advanced to the newest `updated_at` on the page, so a
//! sync stopped anywhere resumes from the last written page; `since` is inclusive, so the
//! items at the cursor come again and are recognized as unchanged. An issue-list item whose
//! `updated_at` equals the stored one is not written again and its PR details are not fetched:
//! only PRs that changed cost their `/pulls/N` and `/pulls/N/reviews` requests, which are
//! written in the same transaction as their page.
//!
//! When a listing is done, it is asked once more from the new cursor to learn that URL's
//! ETag (and catch anything that changed meanwhile); the ETag is stored with the cursor. The
//! next sync sends it as `If-None-Match`, so an unchanged repository costs three requests, all
//! answered 304 (which GitHub does not count against the rate limit).
//!
//! The catalog (labels, milestones, releases) is revalidated with its ETags when the issue
//! listing brought changes or when it was last checked more than
//! [`SyncOptions::catalog_max_age`] ago.

use std::collections::{BTreeMap, HashSet};

use agora_store::Store;
use agora_store::github::{GhItem, GithubPage, ItemKind, Source, SyncCursor};
use jiff::{SignedDuration, Timestamp};
use serde::de::DeserializeOwned;

use crate::client::{GithubClient, Page, RateBudget};
use crate::rest::{self, Issue, IssueComment, Pull, Review, ReviewComment};
use crate::{GithubError, check_repo};

/// What a sync does besides the listings.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Fetch `/pulls/N` and its reviews for every PR that changed.
    pub pr_details: bool,
    /// Revalidate labels, milestones and releases at least this often.
    pub catalog_max_age: SignedDuration,
    /// Also mirror what release notes need: the default branch's commits (newest first, down
    /// to a page of commits already stored) and the display names of the users that PRs,
    /// reviews and commits name and the store does not know yet.
    pub release_notes: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            pr_details: true,
            catalog_max_age: SignedDuration::from_hours(1),
            release_notes: false,
        }
    }
}

/// Progress of a sync, for a progress bar or a log.
#[derive(Debug, Clone)]
pub enum SyncEvent {
    /// A page was written.
    Page {
        /// The endpoint (`issues`, `issue_comments`, …).
        endpoint: &'static str,
        /// Items of the endpoint written so far in this sync.
        written: usize,
        /// The budget after the page.
        budget: RateBudget,
    },
    /// The rate limit is used up: the sync waits until `reset`.
    Waiting {
        /// When the budget comes back.
        reset: Timestamp,
    },
}

/// What a sync of one repository did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// `owner/name`.
    pub repo: String,
    /// Issues and PRs written (new or changed).
    pub items: usize,
    /// Comments written.
    pub comments: usize,
    /// Reviews written.
    pub reviews: usize,
    /// PRs whose details were fetched.
    pub pr_details: Vec<u64>,
    /// Requests sent (retries included).
    pub requests: u64,
    /// Listing requests answered 304.
    pub not_modified: usize,
    /// Commits written (with `release_notes`).
    pub commits: usize,
    /// Users written (with `release_notes`).
    pub users: usize,
}

/// The listings kept incrementally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Issues,
    IssueComments,
    ReviewComments,
}

impl Listing {
    fn endpoint(self) -> &'static str {
        match self {
            Listing::Issues => "issues",
            Listing::IssueComments => "issue_comments",
            Listing::ReviewComments => "review_comments",
        }
    }

    fn url(self, repo: &str, since: Option<Timestamp>) -> String {
        let path = match self {
            Listing::Issues => "issues?state=all&",
            Listing::IssueComments => "issues/comments?",
            Listing::ReviewComments => "pulls/comments?",
        };
        let mut url = format!("/repos/{repo}/{path}sort=updated&direction=asc&per_page=100");
        if let Some(since) = since {
            url.push_str(&format!("&since={since}"));
        }
        url
    }
}

struct Run<'a> {
    client: &'a GithubClient,
    store: &'a mut Store,
    repo: &'a str,
    options: SyncOptions,
    on_event: &'a mut dyn FnMut(SyncEvent),
    report: SyncReport,
    versions: BTreeMap<u64, (Source, Option<Timestamp>)>,
}

/// The pages of one listing walk, to stop a `Link: next` that comes back to a page already
/// read (which would otherwise loop for ever).
#[derive(Debug, Default)]
struct Walk {
    seen: HashSet<String>,
}

impl Walk {
    /// A walk starting at `first`.
    fn from(first: &str) -> Walk {
        let mut walk = Walk::default();
        walk.seen.insert(first.to_string());
        walk
    }

    /// Checks that `next` was not read yet in this walk, and remembers it.
    fn step(&mut self, next: &str) -> Result<(), GithubError> {
        if self.seen.insert(next.to_string()) {
            Ok(())
        } else {
            Err(GithubError::PaginationLoop {
                url: agora_http::redact_url(next),
            })
        }
    }
}

fn parse<T: DeserializeOwned>(page: &Page) -> Result<T, GithubError> {
    serde_json::from_value(page.body.clone()).map_err(|e| GithubError::Response {
        url: page.url.clone(),
        message: e.to_string(),
    })
}

/// The logins in the GitHub private addresses (`ID+LOGIN@users.noreply.github.com`) of a
/// message's `Co-authored-by:` trailers: co-authors whose names release notes show.
fn noreply_co_authors(message: &str) -> Vec<String> {
    message
        .lines()
        .filter_map(|line| {
            let (key, value) = line.trim().split_once(':')?;
            if !key.eq_ignore_ascii_case("co-authored-by") {
                return None;
            }
            let email = value.rsplit_once('<')?.1.split('>').next()?.trim();
            let local = email
                .to_ascii_lowercase()
                .ends_with("@users.noreply.github.com")
                .then(|| email.split('@').next())??;
            let login = local.split_once('+').map_or(local, |(_, login)| login);
            (!login.is_empty()).then(|| login.to_string())
        })
        .collect()
}

/// Mirrors `repo` into `store` incrementally (see the module docs).
pub fn sync_repo(
    client: &GithubClient,
    store: &mut Store,
    repo: &str,
    options: SyncOptions,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<SyncReport, GithubError> {
    check_repo(repo)?;
    let start = client.requests();
    let versions = store.github_item_versions(repo)?;
    let mut run = Run {
        client,
        store,
        repo,
        options,
        on_event,
        report: SyncReport {
            repo: repo.to_string(),
            ..SyncReport::default()
        },
        versions,
    };
    let issues_changed = run.listing(Listing::Issues)?;
    run.listing(Listing::IssueComments)?;
    run.listing(Listing::ReviewComments)?;
    run.catalog(issues_changed)?;
    if options.release_notes {
        run.backfill_merge_commits()?;
        run.commits()?;
        run.users()?;
    }
    let mut report = run.report;
    report.requests = client.requests().saturating_sub(start);
    Ok(report)
}

impl Run<'_> {
    fn get(&mut self, url: &str, etag: Option<&str>) -> Result<Page, GithubError> {
        let on_event = &mut *self.on_event;
        self.client.get_page(url, etag, &mut |reset| {
            on_event(SyncEvent::Waiting { reset })
        })
    }

    /// Syncs one listing; returns whether it wrote anything.
    fn listing(&mut self, listing: Listing) -> Result<bool, GithubError> {
        let endpoint = listing.endpoint();
        let cursor = self.store.github_cursor(self.repo, endpoint)?;
        let mut since = cursor.as_ref().and_then(|c| c.since);
        let mut stored_etag = cursor
            .as_ref()
            .and_then(|c| Some((c.etag_url.clone()?, c.etag.clone()?)));
        let mut written = 0usize;
        loop {
            let first_url = listing.url(self.repo, since);
            let etag = stored_etag
                .as_ref()
                .filter(|(url, _)| *url == first_url)
                .map(|(_, etag)| etag.clone());
            let first = self.get(&first_url, etag.as_deref())?;
            if !first.modified {
                self.report.not_modified += 1;
                let mut page = GithubPage::new(Source::Rest, Timestamp::now());
                page.cursors.push(SyncCursor {
                    endpoint: endpoint.into(),
                    since,
                    etag,
                    etag_url: Some(first_url),
                    checked_at: Timestamp::now(),
                });
                self.store.save_github_page(self.repo, &page)?;
                return Ok(written > 0);
            }
            let round_start = since;
            let first_etag = first.etag.clone();
            let single_page = first.next.is_none();
            let mut walk = Walk::from(&first.url);
            let mut current = first;
            loop {
                let (mut page, newest, count) = self.read_page(listing, &current)?;
                since = since.max(newest);
                // The ETag belongs to the first URL of a round that changed nothing more.
                let settled = single_page && since == round_start;
                page.cursors.push(SyncCursor {
                    endpoint: endpoint.into(),
                    since,
                    etag: if settled { first_etag.clone() } else { None },
                    etag_url: settled.then(|| first_url.clone()),
                    checked_at: Timestamp::now(),
                });
                let counts = self.store.save_github_page(self.repo, &page)?;
                for item in &page.items {
                    self.versions
                        .insert(item.number, (Source::Rest, item.updated_at));
                }
                written += count;
                self.report.items += counts.items_added + counts.items_updated;
                self.report.comments += counts.comments;
                self.report.reviews += counts.reviews;
                (self.on_event)(SyncEvent::Page {
                    endpoint,
                    written,
                    budget: self.client.budget(),
                });
                let Some(next) = current.next.clone() else {
                    break;
                };
                walk.step(&next)?;
                current = self.get(&next, None)?;
            }
            if since == round_start {
                return Ok(written > 0);
            }
            // Ask again from the new cursor, to learn its ETag; the items at the cursor come
            // back unchanged and are not written again.
            stored_etag = None;
        }
    }

    /// Reads one listing page into a store page; returns it, the newest `updated_at` on it
    /// and how many rows it writes.
    fn read_page(
        &mut self,
        listing: Listing,
        page: &Page,
    ) -> Result<(GithubPage, Option<Timestamp>, usize), GithubError> {
        let mut out = GithubPage::new(Source::Rest, Timestamp::now());
        let mut newest = None;
        match listing {
            Listing::Issues => {
                let issues: Vec<Issue> = parse(page)?;
                for issue in &issues {
                    newest = newest.max(issue.updated_at);
                    let mut item = issue.to_item();
                    let known = self.versions.get(&item.number);
                    if known == Some(&(Source::Rest, item.updated_at)) {
                        continue;
                    }
                    if item.kind == ItemKind::Pr && self.options.pr_details {
                        self.pr_details(&mut item, &mut out)?;
                    }
                    out.items.push(item);
                }
                let count = out.items.len();
                Ok((out, newest, count))
            }
            Listing::IssueComments => {
                let comments: Vec<IssueComment> = parse(page)?;
                for c in &comments {
                    newest = newest.max(c.updated_at.or(Some(c.created_at)));
                    out.comments.extend(c.to_comment());
                }
                let count = out.comments.len();
                Ok((out, newest, count))
            }
            Listing::ReviewComments => {
                let comments: Vec<ReviewComment> = parse(page)?;
                for c in &comments {
                    newest = newest.max(c.updated_at.or(Some(c.created_at)));
                    out.comments.extend(c.to_comment());
                }
                let count = out.comments.len();
                Ok((out, newest, count))
            }
        }
    }

    /// Fetches `/pulls/N` and its reviews into `item` and `out`.
    fn pr_details(&mut self, item: &mut GhItem, out: &mut GithubPage) -> Result<(), GithubError> {
        let number = item.number;
        let page = self.get(&format!("/repos/{}/pulls/{number}", self.repo), None)?;
        let pull: Pull = parse(&page)?;
        rest::apply_pull(item, &pull);
        let mut url = Some(format!(
            "/repos/{}/pulls/{number}/reviews?per_page=100",
            self.repo
        ));
        let mut approved = 0;
        let mut walk = Walk::default();
        while let Some(next) = url {
            walk.step(&next)?;
            let page = self.get(&next, None)?;
            let reviews: Vec<Review> = parse(&page)?;
            for review in &reviews {
                if review.state.as_deref() == Some("APPROVED") {
                    approved += 1;
                }
                out.reviews.push(review.to_review(number));
            }
            url = page.next.clone();
        }
        item.approved_reviews = Some(approved);
        self.report.pr_details.push(number);
        Ok(())
    }

    /// Mirrors the default branch's commits, newest first, until a page brings nothing new;
    /// the first page is asked with the stored ETag, so an unchanged branch costs one 304.
    fn commits(&mut self) -> Result<(), GithubError> {
        const ENDPOINT: &str = "commits";
        let first_url = format!("/repos/{}/commits?per_page=100", self.repo);
        let cursor = self.store.github_cursor(self.repo, ENDPOINT)?;
        let etag = cursor
            .as_ref()
            .filter(|c| c.etag_url.as_deref() == Some(first_url.as_str()))
            .and_then(|c| c.etag.clone());
        let known = self.store.github_commits(self.repo)?;
        let mut current = self.get(&first_url, etag.as_deref())?;
        if !current.modified {
            self.report.not_modified += 1;
            return Ok(());
        }
        let first_etag = current.etag.clone();
        let mut walk = Walk::from(&current.url);
        loop {
            let commits: Vec<rest::Commit> = parse(&current)?;
            let mut page = GithubPage::new(Source::Rest, Timestamp::now());
            page.commits = commits
                .iter()
                .filter(|c| !known.contains_key(&c.sha))
                .map(rest::Commit::to_commit)
                .collect();
            let done = page.commits.is_empty() || current.next.is_none();
            if done {
                // The ETag is recorded once the walk reached what was stored: an interrupted
                // walk starts again from the top.
                page.cursors.push(SyncCursor {
                    endpoint: ENDPOINT.into(),
                    since: None,
                    etag: first_etag.clone(),
                    etag_url: Some(first_url.clone()),
                    checked_at: Timestamp::now(),
                });
            }
            self.report.commits += page.commits.len();
            self.store.save_github_page(self.repo, &page)?;
            let Some(next) = current.next.clone().filter(|_| !done) else {
                return Ok(());
            };
            walk.step(&next)?;
            current = self.get(&next, None)?;
        }
    }

    /// Fetches `/pulls/N` again for merged PRs stored before the mirror kept merge commits
    /// (their `updated_at` has not changed, so the listing would not bring them).
    fn backfill_merge_commits(&mut self) -> Result<(), GithubError> {
        if !self.options.pr_details {
            return Ok(());
        }
        let stale: Vec<GhItem> = self
            .store
            .github_items(self.repo)?
            .into_iter()
            .filter(|s| {
                s.source == Source::Rest
                    && s.item.kind == ItemKind::Pr
                    && s.item.merged == Some(true)
                    && s.item.merge_commit_sha.is_none()
            })
            .map(|s| s.item)
            .collect();
        for mut item in stale {
            let mut page = GithubPage::new(Source::Rest, Timestamp::now());
            self.pr_details(&mut item, &mut page)?;
            page.items.push(item);
            self.store.save_github_page(self.repo, &page)?;
        }
        Ok(())
    }

    /// Fetches `/users/LOGIN` for every login that the repository's PRs, reviews and commits
    /// name and the store has no row of.
    fn users(&mut self) -> Result<(), GithubError> {
        let known = self.store.github_users()?;
        let known: HashSet<String> = known.keys().map(|k| k.to_lowercase()).collect();
        let mut wanted: BTreeMap<String, String> = BTreeMap::new();
        let mut want = |login: &str| {
            if !login.is_empty() && !known.contains(&login.to_lowercase()) {
                wanted
                    .entry(login.to_lowercase())
                    .or_insert_with(|| login.to_string());
            }
        };
        for item in self.store.github_items(self.repo)? {
            if item.item.kind == ItemKind::Pr
                && let Some(author) = &item.item.author
            {
                want(author);
            }
        }
        for review in self.store.github_reviews(self.repo)? {
            if let Some(author) = &review.author {
                want(author);
            }
        }
        for commit in self.store.github_commits(self.repo)?.values() {
            for login in [&commit.author_login, &commit.committer_login]
                .into_iter()
                .flatten()
            {
                want(login);
            }
            for login in noreply_co_authors(commit.message.as_deref().unwrap_or("")) {
                want(&login);
            }
        }
        for login in wanted.into_values() {
            if !login
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_[]".contains(c))
            {
                continue;
            }
            let page = self.get(&format!("/users/{login}"), None)?;
            let user: rest::FullUser = parse(&page)?;
            let mut out = GithubPage::new(Source::Rest, Timestamp::now());
            out.users.push(user.to_user());
            self.store.save_github_page(self.repo, &out)?;
            self.report.users += 1;
        }
        Ok(())
    }

    /// Revalidates labels, milestones and releases when due.
    fn catalog(&mut self, issues_changed: bool) -> Result<(), GithubError> {
        for (endpoint, path) in [
            ("labels", "labels?per_page=100"),
            ("milestones", "milestones?state=all&per_page=100"),
            ("releases", "releases?per_page=100"),
        ] {
            let cursor = self.store.github_cursor(self.repo, endpoint)?;
            let due = match &cursor {
                None => true,
                Some(c) => {
                    issues_changed
                        || Timestamp::now().duration_since(c.checked_at)
                            > self.options.catalog_max_age
                }
            };
            if !due {
                continue;
            }
            let first_url = format!("/repos/{}/{path}", self.repo);
            let etag = cursor
                .as_ref()
                .filter(|c| c.etag_url.as_deref() == Some(first_url.as_str()))
                .and_then(|c| c.etag.clone());
            let mut current = self.get(&first_url, etag.as_deref())?;
            let mut walk = Walk::from(&current.url);
            let new_etag = if current.modified {
                current.etag.clone()
            } else {
                etag
            };
            let mut pages = Vec::new();
            if current.modified {
                loop {
                    let mut page = GithubPage::new(Source::Rest, Timestamp::now());
                    match endpoint {
                        "labels" => {
                            let labels: Vec<rest::Label> = parse(&current)?;
                            page.labels = labels.iter().map(rest::Label::to_label).collect();
                        }
                        "milestones" => {
                            let milestones: Vec<rest::Milestone> = parse(&current)?;
                            page.milestones = milestones
                                .iter()
                                .map(rest::Milestone::to_milestone)
                                .collect();
                        }
                        _ => {
                            let releases: Vec<rest::Release> = parse(&current)?;
                            page.releases =
                                releases.iter().map(rest::Release::to_release).collect();
                        }
                    }
                    pages.push(page);
                    let Some(next) = current.next.clone() else {
                        break;
                    };
                    walk.step(&next)?;
                    current = self.get(&next, None)?;
                }
            } else {
                self.report.not_modified += 1;
            }
            // The ETag is recorded with the last page, so an interrupted catalog is fetched
            // again in full next time.
            let mut last = pages
                .pop()
                .unwrap_or_else(|| GithubPage::new(Source::Rest, Timestamp::now()));
            for page in &pages {
                self.store.save_github_page(self.repo, page)?;
            }
            last.cursors.push(SyncCursor {
                endpoint: endpoint.into(),
                since: None,
                etag: new_etag,
                etag_url: Some(first_url),
                checked_at: Timestamp::now(),
            });
            self.store.save_github_page(self.repo, &last)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::noreply_co_authors;

    #[test]
    fn co_authors_private_addresses_name_their_accounts() {
        let message = "Fix (#1)\n\nCo-authored-by: M <32012898+Schwarf@users.noreply.github.com>\nco-authored-by: X <x@example.org>\nCo-authored-by: broken <\nCo-authored-by: Y <y@users.noreply.github.com>";
        assert_eq!(noreply_co_authors(message), vec!["Schwarf", "y"]);
    }
}
