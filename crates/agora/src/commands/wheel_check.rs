//! `agora wheel check`: checks wheel files, URLs and releases on the index.
//!
//! Targets are resolved first (a `PROJECT==VERSION` becomes the release's wheels, from the
//! index page through the HTTP cache), then the wheels are loaded and checked on a few threads,
//! each download going through the same cache. A target that cannot be loaded is reported and
//! the others go on.

use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use agora_http::{ClientOptions, HttpClient};
use agora_wheel_check::fetch::{self, Target};
use agora_wheel_check::render::{self, Failure, Run};
use agora_wheel_check::settings::find_pyproject;
use agora_wheel_check::{Options, Report, Settings, check_bytes_with, check_path_with};

use crate::cli::{WheelCheckArgs, WheelCheckFormat};
use crate::context::Context;
use crate::progress;

/// One wheel to load and check.
enum Job {
    File(std::path::PathBuf),
    Url {
        label: String,
        url: String,
        sha256: Option<String>,
        /// The file name the index gives (`None` for a bare URL).
        filename: Option<String>,
    },
}

impl Job {
    fn label(&self) -> String {
        match self {
            Job::File(path) => path.display().to_string(),
            Job::Url { label, .. } => label.clone(),
        }
    }

    fn run(&self, http: &HttpClient, options: &Options) -> Result<Report, String> {
        match self {
            Job::File(path) => check_path_with(path, options).map_err(|error| error.to_string()),
            Job::Url {
                url,
                sha256,
                filename,
                ..
            } => {
                let fetched = fetch::download(http, url, sha256.as_deref(), filename.as_deref())
                    .map_err(|e| e.to_string())?;
                Ok(check_bytes_with(
                    &fetched.filename,
                    &fetched.url,
                    &fetched.bytes,
                    options,
                ))
            }
        }
    }
}

/// `agora wheel check TARGET…`.
pub fn run(context: &Context, args: &WheelCheckArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let settings = match find_pyproject(&cwd) {
        Some(path) => Settings::from_pyproject(&path)?,
        None => Settings::default(),
    };
    let options = Options {
        settings: settings.with_command_line(&args.select, &args.ignore)?,
        ..Options::default()
    };
    let targets: Vec<Target> = args.targets.iter().map(|t| Target::parse(t)).collect();
    let needs_http = targets.iter().any(|t| !matches!(t, Target::File(_)));
    let http = if needs_http {
        Some(HttpClient::new(ClientOptions {
            cache_dir: Some(context.paths.http_cache.clone()),
            offline: context.offline,
            // Wheels run to hundreds of megabytes.
            timeout: Duration::from_secs(600),
            heuristic_max_age: Some(Duration::from_secs(600)),
            ..ClientOptions::default()
        })?)
    } else {
        None
    };
    let mut run = Run::default();
    let mut jobs = Vec::new();
    for (target, argument) in targets.into_iter().zip(&args.targets) {
        match (target, &http) {
            (Target::File(path), _) => jobs.push(Job::File(path)),
            (Target::Url(url), Some(_)) => jobs.push(Job::Url {
                label: url.clone(),
                url,
                sha256: None,
                filename: None,
            }),
            (Target::Release { project, version }, Some(http)) => {
                match fetch::release_wheels(http, &context.index_url, &project, &version) {
                    Ok(wheels) => {
                        let before = jobs.len();
                        for (filename, url, sha256) in wheels {
                            if args.only.is_empty()
                                || args
                                    .only
                                    .iter()
                                    .any(|text| filename.contains(text.as_str()))
                            {
                                jobs.push(Job::Url {
                                    label: filename.clone(),
                                    url,
                                    sha256,
                                    filename: Some(filename),
                                });
                            }
                        }
                        if jobs.len() == before {
                            run.failures.push(Failure {
                                target: argument.clone(),
                                error: format!(
                                    "no wheel of the release matches --only {}",
                                    args.only.join(", ")
                                ),
                            });
                        }
                    }
                    Err(error) => run.failures.push(Failure {
                        target: argument.clone(),
                        error: error.to_string(),
                    }),
                }
            }
            (_, None) => {}
        }
    }
    let bar = progress::bar(jobs.len(), "checking", context.quiet);
    let results: Mutex<Vec<Option<Result<Report, String>>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4)
        .min(jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(index) else { break };
                    bar.set_message(job.label());
                    let result = match &http {
                        Some(http) => job.run(http, &options),
                        None => match job {
                            Job::File(path) => {
                                check_path_with(path, &options).map_err(|e| e.to_string())
                            }
                            Job::Url { .. } => Err("no HTTP client".to_string()),
                        },
                    };
                    if let Ok(mut results) = results.lock()
                        && let Some(slot) = results.get_mut(index)
                    {
                        *slot = Some(result);
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    let results = results.into_inner().unwrap_or_default();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Some(Ok(report)) => run.wheels.push(report),
            Some(Err(error)) => run.failures.push(Failure {
                target: job.label(),
                error,
            }),
            None => run.failures.push(Failure {
                target: job.label(),
                error: "the check never reported back".to_string(),
            }),
        }
    }
    let out = match args.format {
        WheelCheckFormat::Text => render::text(&run),
        WheelCheckFormat::Json => render::json(&run),
    };
    crate::output::print(&out)?;
    Ok(ExitCode::from(run.exit_code()))
}
