//! A fake GitHub serving networkx 3.4.2..3.5 (the corpus' `changelog/`) for
//! `bench/changelog.sh`: the imported history, one PR per item of the published notes (its
//! section(s) as labels, its text as title, the commit naming it as merge commit, merged at
//! that commit's time), users made from the commit authors (a noreply address gives the
//! login; otherwise a login made from the name), and one approving review per PR by the
//! committer of the release. Every request is appended to a log so the benchmark can count
//! what each client asked.
//!
//! Usage: `fake_github_networkx GIT_DIR NOTES.rst PORT_FILE REQUEST_LOG` — serves until its
//! standard input closes.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::PathBuf;

use agora_changelog::git::{read_history, read_range};
use agora_changelog::refs::{co_authors, login_of_noreply, pr_of_message};
use agora_fake_server::scripted::{
    Script, ScriptedCommit, ScriptedGithub, ScriptedPr, ScriptedReview, ScriptedUser,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [git_dir, notes, port_file, log] = args.as_slice() else {
        return Err("usage: fake_github_networkx GIT_DIR NOTES.rst PORT_FILE REQUEST_LOG".into());
    };
    let git_dir = PathBuf::from(git_dir);
    // The whole imported history (the range and the 3.4.2 side), for compare and /commits.
    let range = read_range(&git_dir, "networkx-3.4.2", "networkx-3.5")?;
    let before = read_history(&git_dir, "networkx-3.4.2")?;
    let notes = std::fs::read_to_string(notes)?;
    // Items: (number, title, sections).
    let mut prs: BTreeMap<u64, (String, Vec<String>)> = BTreeMap::new();
    let lines: Vec<&str> = notes.lines().collect();
    let mut section = String::new();
    for (i, line) in lines.iter().enumerate() {
        let under = lines.get(i + 1).copied().unwrap_or("");
        if !under.is_empty() && under.chars().all(|c| c == '-') {
            section = line.to_string();
        } else if let Some(item) = line.strip_prefix("- ")
            && let Some(open) = item.rfind(" (`#")
            && let Some(number) = item[open + 4..]
                .split(' ')
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        {
            let entry = prs
                .entry(number)
                .or_insert_with(|| (item[..open].replace("``", "`"), Vec::new()));
            entry.1.push(section.clone());
        }
    }
    let mut users: BTreeMap<String, ScriptedUser> = BTreeMap::new();
    let mut login_of_email: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |name: &str, email: &str| -> String {
        let key = email.to_lowercase();
        if let Some(login) = login_of_email.get(&key) {
            return login.clone();
        }
        let login = login_of_noreply(email).unwrap_or_else(|| {
            name.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        });
        let login = if login.is_empty() {
            format!("user{}", users.len())
        } else {
            login
        };
        let next_id = 1000 + users.len() as u64;
        let user = users
            .entry(login.to_lowercase())
            .or_insert_with(|| ScriptedUser {
                login: login.clone(),
                id: next_id,
                name: Some(name.to_string()),
                emails: Vec::new(),
            });
        user.emails.push(email.to_string());
        login_of_email.insert(key, user.login.clone());
        user.login.clone()
    };
    let mut commits = Vec::new();
    let mut merge_of: BTreeMap<u64, (String, String, String)> = BTreeMap::new();
    for c in range.commits.iter().chain(&before) {
        let author = add(&c.author.name, &c.author.email);
        if c.committer.email != "noreply@github.com" {
            add(&c.committer.name, &c.committer.email);
        }
        for co in co_authors(&c.message) {
            add(&co.name, &co.email);
        }
        if let Some(n) = pr_of_message(&c.message) {
            merge_of
                .entry(n)
                .or_insert((c.sha.clone(), c.committed_at.to_string(), author));
        }
        commits.push(ScriptedCommit {
            sha: c.sha.clone(),
            parents: c.parents.clone(),
            message: c.message.clone(),
            author_name: c.author.name.clone(),
            author_email: c.author.email.clone(),
            author_date: c.authored_at.to_string(),
            committer_name: c.committer.name.clone(),
            committer_email: c.committer.email.clone(),
            committer_date: c.committed_at.to_string(),
        });
    }
    users.insert(
        "web-flow".into(),
        ScriptedUser {
            login: "web-flow".into(),
            id: 19_864_447,
            name: Some("GitHub Web Flow".into()),
            emails: vec!["noreply@github.com".into()],
        },
    );
    let scripted_prs = prs
        .into_iter()
        .filter_map(|(number, (title, labels))| {
            let (sha, at, author) = merge_of.get(&number)?.clone();
            Some(ScriptedPr {
                number,
                title,
                body: None,
                labels,
                user: author,
                created_at: at.clone(),
                merged_at: Some(at.clone()),
                merge_commit_sha: Some(sha),
                commits: Vec::new(),
                reviews: vec![ScriptedReview {
                    id: number * 10,
                    login: "jarrodmillman".into(),
                    state: "APPROVED".into(),
                    submitted_at: at,
                }],
            })
        })
        .collect();
    // The range's start: a commit the fake knows as the tag (its own history is not served).
    let mut refs = BTreeMap::new();
    refs.insert("main".to_string(), range.stop.clone());
    refs.insert("networkx-3.5".to_string(), range.stop.clone());
    refs.insert("networkx-3.4.2".to_string(), range.start.clone());
    let script = Script {
        repo: "networkx/networkx".into(),
        default_branch: "main".into(),
        refs,
        commits,
        prs: scripted_prs,
        users: users.into_values().collect(),
        pyproject: None,
    };
    let fake = ScriptedGithub::start_logged(script, PathBuf::from(log));
    std::fs::write(port_file, fake.server().addr().port().to_string())?;
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}
