//! `agora content check`: reads a content folder with `agora-content` and prints what was
//! accepted and each mistake as FILE:LINE.

use std::process::ExitCode;

use crate::cli::{ContentCheckArgs, ContentFormat};
use crate::context::Context;

/// `agora content check`.
pub fn check(context: &Context, args: &ContentCheckArgs) -> anyhow::Result<ExitCode> {
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => match &context.ecosystem.source {
            Some(config) => agora_content::folder_beside(config),
            None => "content".into(),
        },
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: no content folder (create it beside agora.toml, with news/, plan/, videos/, \
             grants/, proposals/ and events/ in it)",
            dir.display()
        );
    }
    let content = agora_content::load(&dir);
    match args.format {
        ContentFormat::Json => {
            let report = serde_json::json!({
                "folder": dir.display().to_string(),
                "files": content.files,
                "accepted": {
                    "news": content.news.len(),
                    "plan": content.plan.len(),
                    "videos": content.videos.len(),
                    "grants": content.grants.len(),
                    "proposals": content.proposals.len(),
                    "events": content.events.len(),
                },
                "refused": content.refused(),
                "problems": content.problems,
            });
            crate::output::println(&serde_json::to_string_pretty(&report).unwrap_or_default())?;
        }
        ContentFormat::Text => {
            for problem in &content.problems {
                crate::output::println(&problem.to_string())?;
            }
            crate::output::println(&format!(
                "{}: {} files, {} items accepted (news {}, plan {}, videos {}, grants {}, \
                 proposals {}, events {}), {} refused",
                dir.display(),
                content.files,
                content.items(),
                content.news.len(),
                content.plan.len(),
                content.videos.len(),
                content.grants.len(),
                content.proposals.len(),
                content.events.len(),
                content.refused(),
            ))?;
        }
    }
    Ok(if content.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
