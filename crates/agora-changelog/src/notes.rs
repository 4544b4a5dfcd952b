//! The release notes model and how it is built from a range of commits and the mirror.
//!
//! [`build`] maps every commit of the range to its PRs, in this order: the mirror's
//! `merge_commit_sha` (a squash, rebase or merge commit GitHub made), the message (`(#N)` at
//! the end of a squash commit's subject, `Merge pull request #N`), the history (a commit a
//! merge brought in belongs to that merge's PR), and what the store holds of
//! `/commits/SHA/pulls` (migration 9 keeps those answers, but no sync asks that endpoint yet,
//! so today this last step finds nothing). Each PR then gives one change note per release-note block of
//! its description (`pr_summary_regex`; a block's `{label="…"}` replaces the PR's labels), or
//! one note with its title when it has none, exactly as changelist 0.5 does. Notes go to every
//! section whose label regex matches (from the start of a label, ignoring case) one of their
//! labels, else to "Other"; within a section they are ordered by merge time.
//!
//! Contributors follow changelist: authors are the GitHub accounts of every commit's author
//! and of the co-authors its `Co-authored-by:` trailers name; reviewers are every commit's
//! committer account and every review's author; the configured logins are left out.
//! Co-authors are matched to accounts by GitHub's private addresses or by the emails of
//! commits whose author GitHub matched (changelist asks GraphQL instead).
//!
//! Without a mirror, the notes come from git alone: PR numbers and titles from messages, no
//! labels (everything under "Other"), authors by their git names, no reviewers; the model says
//! so in [`ReleaseNotes::unknown`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use regex::Regex;
use serde::Serialize;

use crate::config::{Config, ConfigError, format_template, python_regex};
use crate::git::{GitCommit, Range, merged_by};
use crate::mirror::{Mirror, PullRequest};
use crate::refs::{co_authors, login_of_noreply, pr_of_message, title_of_message};

/// The most "could not know" lines kept (the rest are counted).
const MAX_UNKNOWN: usize = 50;

/// Where the notes' facts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The GitHub mirror and git.
    Mirror,
    /// Git alone.
    Git,
}

/// How a commit was matched to its PRs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// A PR's `merge_commit_sha` in the mirror.
    MergeCommit,
    /// `(#N)` or `Merge pull request #N` in the message.
    Message,
    /// A merge brought it in; the merge's PR.
    History,
    /// GitHub's `/commits/SHA/pulls`, as synced.
    Endpoint,
}

/// One commit of the range and the PRs it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitLink {
    /// The hash.
    pub sha: String,
    /// The subject.
    pub subject: String,
    /// Its PRs (none for a direct push).
    pub prs: Vec<u64>,
    /// How they were found.
    pub link: Option<Link>,
}

/// A person in the contributor lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Contributor {
    /// The GitHub login, when known.
    pub login: Option<String>,
    /// The display name, when known.
    pub name: Option<String>,
    /// The profile page.
    pub url: Option<String>,
}

/// One item of a section.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ChangeNote {
    /// When its PR was merged.
    pub merged_at: Option<Timestamp>,
    /// Its PR.
    pub number: u64,
    /// The text, as written (the renderers tidy it).
    pub content: String,
    /// The PR's page.
    pub url: String,
    /// The labels that place it.
    pub labels: Vec<String>,
}

/// A titled list of change notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The title.
    pub title: String,
    /// Its notes, by merge time.
    pub notes: Vec<ChangeNote>,
}

/// A PR of the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullSummary {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// Its labels (`None`: unknown).
    pub labels: Option<Vec<String>>,
    /// When it was merged.
    pub merged_at: Option<Timestamp>,
    /// Its author's login.
    pub author: Option<String>,
    /// Whether the mirror knows it.
    pub in_mirror: bool,
}

/// A problem `--check` reports about a PR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The PR.
    pub number: u64,
    /// Its page.
    pub url: String,
    /// What is wrong.
    pub problem: String,
}

/// Release notes for a range: one model, rendered as markdown, reST or JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseNotes {
    /// `owner/name`.
    pub repo: String,
    /// The version announced.
    pub version: String,
    /// START, resolved.
    pub start: String,
    /// STOP, resolved.
    pub stop: String,
    /// Where the facts came from.
    pub origin: Origin,
    /// The title.
    pub title: String,
    /// The text after the title.
    pub intro: String,
    /// The text at the end.
    pub outro: String,
    /// The sections with notes, in the configured order, "Other" last.
    pub sections: Vec<Section>,
    /// Authors (ignored logins left out).
    pub authors: Vec<Contributor>,
    /// Reviewers (ignored logins left out).
    pub reviewers: Vec<Contributor>,
    /// Authors whose first merged PR (or, from git alone, first commit) is in this range.
    pub new_contributors: Vec<Contributor>,
    /// The PRs of the range, by number.
    pub pull_requests: Vec<PullSummary>,
    /// Every commit of the range with its PRs.
    pub commits: Vec<CommitLink>,
    /// What `--check` reports.
    pub findings: Vec<Finding>,
    /// What agora could not know, in words.
    pub unknown: Vec<String>,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// `owner/name`.
    pub repo: &'a str,
    /// The version announced.
    pub version: &'a str,
    /// changelist's configuration.
    pub config: &'a Config,
}

struct Unknown(Vec<String>, usize);

impl Unknown {
    fn push(&mut self, line: String) {
        if self.0.contains(&line) {
            return;
        }
        if self.0.len() < MAX_UNKNOWN {
            self.0.push(line);
        } else {
            self.1 += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.1 > 0 {
            self.0.push(format!("… and {} more such gaps", self.1));
        }
        self.0
    }
}

/// Compiled regexes of a configuration.
struct Rules {
    summary: Regex,
    label: Regex,
    sections: Vec<(Regex, String)>,
}

impl Rules {
    fn new(config: &Config) -> Result<Rules, ConfigError> {
        let regex = |key: &str, pattern: String, ci: bool| {
            python_regex(&pattern, ci).map_err(|message| ConfigError::Regex {
                origin: "configuration".into(),
                key: key.into(),
                message,
            })
        };
        Ok(Rules {
            summary: regex(
                "pr_summary_regex",
                format!("(?m){}", config.pr_summary_regex),
                false,
            )?,
            label: regex(
                "pr_summary_label_regex",
                config.pr_summary_label_regex.clone(),
                false,
            )?,
            sections: config
                .label_section_map
                .iter()
                .map(|(pattern, title)| {
                    Ok((
                        regex("label_section_map", format!(r"\A(?:{pattern})"), true)?,
                        title.clone(),
                    ))
                })
                .collect::<Result<_, ConfigError>>()?,
        })
    }

    fn sections_of(&self, labels: &[String]) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|(regex, _)| labels.iter().any(|l| regex.is_match(l)))
            .map(|(_, title)| title.as_str())
            .collect()
    }

    /// The notes of one PR: its release-note blocks, or its title.
    fn notes_of(
        &self,
        title: &str,
        body: Option<&str>,
        labels: &[String],
    ) -> Vec<(String, Vec<String>)> {
        let mut notes = Vec::new();
        if let Some(body) = body.filter(|b| !b.is_empty()) {
            for found in self.summary.captures_iter(body) {
                let Some(summary) = found.name("summary") else {
                    continue;
                };
                let summary = summary.as_str();
                match self.label.captures(summary) {
                    Some(label) => {
                        let named = label.name("label").map_or("", |m| m.as_str());
                        let labels = named.split(',').map(|l| l.trim().to_string()).collect();
                        let text = self.label.replace_all(summary, "");
                        notes.push((text.trim().to_string(), labels));
                    }
                    None => notes.push((summary.trim().to_string(), labels.to_vec())),
                }
            }
        }
        if notes.is_empty() {
            notes.push((title.trim().to_string(), labels.to_vec()));
        }
        notes
    }

    /// How many release-note fences a body opens (to spot blocks the regex did not read).
    fn malformed_blocks(&self, body: &str) -> bool {
        let opened = body
            .lines()
            .filter(|l| l.trim_start().starts_with("```release-note"))
            .count();
        let read = self.summary.captures_iter(body).count();
        opened > read
    }
}

fn pr_url(repo: &str, number: u64) -> String {
    format!("https://github.com/{repo}/pull/{number}")
}

/// Finds the account behind an email: GitHub's private address, or an email GitHub matched
/// on another synced commit.
fn login_of_email(email: &str, emails: &HashMap<String, String>) -> Option<String> {
    login_of_noreply(email).or_else(|| emails.get(&email.to_lowercase()).cloned())
}

struct People<'a> {
    mirror: &'a Mirror,
    ignored: &'a [String],
}

impl People<'_> {
    fn person(&self, login: &str, unknown: &mut Unknown) -> Contributor {
        match self.mirror.user(login) {
            Some(user) => Contributor {
                login: Some(user.login.clone()),
                name: user.name.clone(),
                url: Some(
                    user.html_url
                        .clone()
                        .unwrap_or_else(|| format!("https://github.com/{}", user.login)),
                ),
            },
            None => {
                unknown.push(format!("the display name of @{login} (not synced)"));
                Contributor {
                    login: Some(login.to_string()),
                    name: None,
                    url: Some(format!("https://github.com/{login}")),
                }
            }
        }
    }

    fn keep(&self, login: &str) -> bool {
        !self.ignored.iter().any(|i| i == login)
    }
}

/// Builds the notes of `range` from `mirror` (or from git alone when it is `None` or knows no
/// PR of the repository).
pub fn build(
    range: &Range,
    mirror: Option<&Mirror>,
    options: &Options<'_>,
) -> Result<ReleaseNotes, ConfigError> {
    let config = options.config;
    let rules = Rules::new(config)?;
    let mirror = mirror.filter(|m| !m.is_empty());
    let origin = if mirror.is_some() {
        Origin::Mirror
    } else {
        Origin::Git
    };
    let empty = Mirror::default();
    let m = mirror.unwrap_or(&empty);
    let mut unknown = Unknown(Vec::new(), 0);
    if mirror.is_none() {
        unknown.push(
            "the mirror has no PR of this repository: written from git alone (run `agora github sync --release-notes`)"
                .into(),
        );
        unknown.push("labels: every change is under Other".into());
        unknown.push("reviewers".into());
        unknown.push("authors' GitHub accounts: authors are listed by their git names".into());
    }

    // Commits to PRs.
    let mut by_merge: HashMap<&str, Vec<u64>> = HashMap::new();
    for pr in m.prs.values() {
        if let (Some(true), Some(sha)) = (pr.merged, pr.merge_commit_sha.as_deref()) {
            by_merge.entry(sha).or_default().push(pr.number);
        }
    }
    let mut links: Vec<CommitLink> = Vec::with_capacity(range.commits.len());
    for commit in &range.commits {
        let mut prs = Vec::new();
        let mut link = None;
        if let Some(found) = by_merge.get(commit.sha.as_str()) {
            prs = found.clone();
            link = Some(Link::MergeCommit);
        } else if let Some(n) = pr_of_message(&commit.message) {
            if m.issues.contains(&n) {
                unknown.push(format!(
                    "commit {} names #{n}, which the mirror knows as an issue",
                    short(&commit.sha)
                ));
            } else {
                prs = vec![n];
                link = Some(Link::Message);
            }
        }
        links.push(CommitLink {
            sha: commit.sha.clone(),
            subject: commit.subject().to_string(),
            prs,
            link,
        });
    }
    let owners = merged_by(range);
    let direct: HashMap<String, Vec<u64>> = links
        .iter()
        .filter(|l| !l.prs.is_empty())
        .map(|l| (l.sha.clone(), l.prs.clone()))
        .collect();
    for l in links.iter_mut().filter(|l| l.prs.is_empty()) {
        if let Some(prs) = owners.get(&l.sha).and_then(|merge| direct.get(merge)) {
            l.prs = prs.clone();
            l.link = Some(Link::History);
        } else if let Some(prs) = m.commit_pulls.get(&l.sha).filter(|p| !p.is_empty()) {
            l.prs = prs.clone();
            l.link = Some(Link::Endpoint);
        }
    }

    // The PRs and the commit that names each (for what git alone knows of it).
    let commits: HashMap<&str, &GitCommit> =
        range.commits.iter().map(|c| (c.sha.as_str(), c)).collect();
    let mut numbers: BTreeMap<u64, &GitCommit> = BTreeMap::new();
    for l in &links {
        for n in &l.prs {
            if let Some(commit) = commits.get(l.sha.as_str()) {
                numbers.entry(*n).or_insert(commit);
            }
        }
    }

    let mut notes: BTreeSet<ChangeNote> = BTreeSet::new();
    let mut summaries = Vec::new();
    let mut findings = Vec::new();
    for (&number, commit) in &numbers {
        let git_title = title_of_message(&commit.message);
        let pr: Option<&PullRequest> = m.prs.get(&number);
        if mirror.is_some() && pr.is_none() {
            unknown.push(format!(
                "#{number} is not in the mirror: its title comes from commit {}, without labels",
                short(&commit.sha)
            ));
        }
        if let Some(pr) = pr {
            if pr.merged == Some(false) {
                unknown.push(format!(
                    "#{number} is listed for a commit but was not merged"
                ));
            }
            if pr.labels.is_none() {
                unknown.push(format!("the labels of #{number} (not synced)"));
            }
        }
        let title = pr.and_then(|p| p.title.clone()).unwrap_or(git_title);
        let labels = pr.and_then(|p| p.labels.clone());
        let body = pr.and_then(|p| p.body.as_deref());
        let url = pr
            .and_then(|p| p.html_url.clone())
            .unwrap_or_else(|| pr_url(options.repo, number));
        let merged_at = pr.and_then(|p| p.merged_at).or(Some(commit.committed_at));
        let pr_labels = labels.clone().unwrap_or_default();
        let pr_notes = rules.notes_of(&title, body, &pr_labels);
        // --check: where would this PR's notes land, and are its blocks well formed?
        let placed = pr_notes
            .iter()
            .all(|(_, labels)| !rules.sections_of(labels).is_empty());
        if labels.is_none() {
            findings.push(Finding {
                number,
                url: url.clone(),
                problem: "its labels are unknown (not in the mirror)".into(),
            });
        } else if !placed {
            findings.push(Finding {
                number,
                url: url.clone(),
                problem: "no label maps to a section: it would be listed under Other".into(),
            });
        }
        if body.is_some_and(|b| rules.malformed_blocks(b)) {
            findings.push(Finding {
                number,
                url: url.clone(),
                problem: "a ```release-note block is not closed or has no text".into(),
            });
        }
        for (content, labels) in pr_notes {
            notes.insert(ChangeNote {
                merged_at,
                number,
                content,
                url: url.clone(),
                labels,
            });
        }
        summaries.push(PullSummary {
            number,
            title,
            labels,
            merged_at: pr.and_then(|p| p.merged_at),
            author: pr.and_then(|p| p.author.clone()),
            in_mirror: pr.is_some(),
        });
    }

    // Sections, in the configured order, then Other.
    let mut order: Vec<String> = Vec::new();
    for (_, title) in &config.label_section_map {
        if !order.contains(title) {
            order.push(title.clone());
        }
    }
    order.push("Other".into());
    let mut placed: BTreeMap<&str, BTreeSet<&ChangeNote>> = BTreeMap::new();
    for note in &notes {
        let sections = rules.sections_of(&note.labels);
        if sections.is_empty() {
            placed.entry("Other").or_default().insert(note);
        }
        for s in sections {
            placed.entry(s).or_default().insert(note);
        }
    }
    let sections: Vec<Section> = order
        .iter()
        .filter_map(|title| {
            let notes = placed.get(title.as_str())?;
            let mut notes: Vec<ChangeNote> = notes.iter().map(|n| (*n).clone()).collect();
            notes.sort_by_key(|n| n.merged_at);
            Some(Section {
                title: title.clone(),
                notes,
            })
        })
        .collect();

    // Contributors.
    let people = People {
        mirror: m,
        ignored: &config.ignored_user_logins,
    };
    let mut authors: BTreeSet<Contributor> = BTreeSet::new();
    let mut reviewers: BTreeSet<Contributor> = BTreeSet::new();
    let mut new_contributors: BTreeSet<Contributor> = BTreeSet::new();
    if mirror.is_some() {
        let emails: HashMap<String, String> = m
            .commits
            .values()
            .filter_map(|c| {
                Some((
                    c.author_email.as_ref()?.to_lowercase(),
                    c.author_login.clone()?,
                ))
            })
            .collect();
        for commit in &range.commits {
            match m.commits.get(&commit.sha) {
                Some(synced) => {
                    if let Some(login) = &synced.author_login {
                        authors.insert(people.person(login, &mut unknown));
                    }
                    if let Some(login) = &synced.committer_login {
                        reviewers.insert(people.person(login, &mut unknown));
                    }
                }
                None => {
                    unknown.push(format!(
                        "the GitHub accounts of commit {}'s author and committer (commit not synced)",
                        short(&commit.sha)
                    ));
                    if let Some(login) = login_of_email(&commit.author.email, &emails) {
                        authors.insert(people.person(&login, &mut unknown));
                    }
                }
            }
            if commit.message.contains("Co-authored-by:") {
                for co in co_authors(&commit.message) {
                    match login_of_email(&co.email, &emails) {
                        Some(login) => {
                            authors.insert(people.person(&login, &mut unknown));
                        }
                        None => unknown.push(format!(
                            "the GitHub account of co-author {} <{}>",
                            co.name, co.email
                        )),
                    }
                }
            }
        }
        for summary in &summaries {
            if let Some(pr) = m.prs.get(&summary.number) {
                for login in &pr.reviewers {
                    reviewers.insert(people.person(login, &mut unknown));
                }
            }
        }
        // New contributors: PR authors whose first merged PR is in the range.
        let mut first: HashMap<String, (Timestamp, u64)> = HashMap::new();
        for pr in m.prs.values() {
            if let (Some(author), Some(at), Some(true)) = (&pr.author, pr.merged_at, pr.merged) {
                let entry = first
                    .entry(author.to_lowercase())
                    .or_insert((at, pr.number));
                if (at, pr.number) < *entry {
                    *entry = (at, pr.number);
                }
            }
        }
        for summary in &summaries {
            if let Some(author) = &summary.author
                && first.get(&author.to_lowercase()).map(|f| f.1) == Some(summary.number)
            {
                new_contributors.insert(people.person(author, &mut unknown));
            }
        }
    } else {
        let mut seen = BTreeSet::new();
        for commit in &range.commits {
            let mut people_of: Vec<(String, String)> =
                vec![(commit.author.name.clone(), commit.author.email.clone())];
            if commit.message.contains("Co-authored-by:") {
                people_of.extend(
                    co_authors(&commit.message)
                        .into_iter()
                        .map(|c| (c.name, c.email)),
                );
            }
            for (name, email) in people_of {
                let key = email.to_lowercase();
                if !seen.insert(key.clone()) {
                    continue;
                }
                let login = login_of_noreply(&email);
                let person = Contributor {
                    url: login.as_ref().map(|l| format!("https://github.com/{l}")),
                    login,
                    name: Some(name),
                };
                if !range.earlier_emails.contains(&key) {
                    new_contributors.insert(person.clone());
                }
                authors.insert(person);
            }
        }
    }
    let keep = |c: &Contributor| c.login.as_deref().is_none_or(|l| people.keep(l));
    let authors: Vec<Contributor> = authors.into_iter().filter(keep).collect();
    let reviewers: Vec<Contributor> = reviewers.into_iter().filter(keep).collect();
    let new_contributors: Vec<Contributor> = new_contributors.into_iter().filter(keep).collect();

    let repo_name = options.repo.rsplit('/').next().unwrap_or(options.repo);
    Ok(ReleaseNotes {
        repo: options.repo.to_string(),
        version: options.version.to_string(),
        start: range.start.clone(),
        stop: range.stop.clone(),
        origin,
        title: format_template(&config.title_template, repo_name, options.version)?,
        intro: format_template(&config.intro_template, repo_name, options.version)?,
        outro: format_template(&config.outro_template, repo_name, options.version)?,
        sections,
        authors,
        reviewers,
        new_contributors,
        pull_requests: summaries,
        commits: links,
        findings,
        unknown: unknown.finish(),
    })
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(10)]
}
