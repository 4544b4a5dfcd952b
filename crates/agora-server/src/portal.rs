//! The portal rebuilt in the background: after an upload or a webhook sync changed the store,
//! one worker thread runs `agora_ecosystem::portal::build` over the site folder (incremental:
//! only the projects whose inputs changed are rendered again, each page written beside and
//! renamed, so a reader never sees half a page). Requests made while a build runs coalesce
//! into one more build. Only a folder that `agora portal build` wrote (its manifest is there)
//! is rebuilt; another site (`agora bench publish`'s) is served as it is.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, Weak};

use agora_ecosystem::portal::{BuildOptions, MANIFEST, build};
use agora_store::Store;

use crate::log::Field;
use crate::{AppState, lock};

/// The channel to the rebuild worker (none when the site is not a portal).
#[derive(Default)]
pub(crate) struct Rebuilds(Mutex<Option<Sender<()>>>);

impl Rebuilds {
    /// Asks for a rebuild of the portal; a no-op without a portal.
    pub(crate) fn request(&self) {
        if let Some(sender) = lock(&self.0).as_ref() {
            let _ = sender.send(());
        }
    }
}

/// Starts the rebuild worker when the site folder holds a portal.
pub(crate) fn start_worker(state: &Arc<AppState>) {
    let Some(site) = state.config.settings.site.clone() else {
        return;
    };
    if !site.join(MANIFEST).is_file() {
        return;
    }
    let (sender, receiver) = std::sync::mpsc::channel::<()>();
    *lock(&state.rebuilds.0) = Some(sender);
    let weak: Weak<AppState> = Arc::downgrade(state);
    let spawned = std::thread::Builder::new()
        .name("agora-portal".into())
        .spawn(move || run(&weak, &receiver, site));
    if let Err(error) = spawned {
        let error = error.to_string();
        state.log.event(
            "error",
            "cannot start the portal worker",
            &[("error", Field::Str(&error))],
        );
    }
}

/// Builds once per wake-up, taking every request queued meanwhile as served by that build.
fn run(weak: &Weak<AppState>, receiver: &Receiver<()>, site: std::path::PathBuf) {
    while receiver.recv().is_ok() {
        while receiver.try_recv().is_ok() {}
        let Some(state) = weak.upgrade() else { break };
        let options = BuildOptions {
            out: site.clone(),
            as_of: jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
            full: false,
        };
        let built = Store::open(&state.config.db)
            .map_err(|e| e.to_string())
            .and_then(|mut store| {
                build(&mut store, &state.config.ecosystem, &options, &mut |_| {})
                    .map_err(|e| e.to_string())
            });
        match built {
            Ok(summary) => {
                state.metrics.portal_builds.fetch_add(1, Ordering::Relaxed);
                state.log.event(
                    "info",
                    "portal rebuilt",
                    &[
                        ("rebuilt", Field::Str(&summary.projects_rebuilt.join(","))),
                        ("written", Field::Int(summary.written as u64)),
                        ("removed", Field::Int(summary.removed as u64)),
                    ],
                );
            }
            Err(error) => {
                state
                    .metrics
                    .portal_build_failures
                    .fetch_add(1, Ordering::Relaxed);
                state.log.event(
                    "error",
                    "portal rebuild failed",
                    &[("error", Field::Str(&error))],
                );
            }
        }
    }
}
