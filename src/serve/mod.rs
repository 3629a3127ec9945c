//! The live-reload server behind `logsite serve`: build, serve the output folder over
//! HTTP, watch the inputs, rebuild on change and tell every open tab to reload.
//!
//! ```text
//! watch (notify, debounced) → rebuild loop (site::build_cached_edited_first)
//!     → reload state (tokio watch) → SSE /__logsite/events → tabs
//! files (ServeDir confined to the output) + the reload script injected into HTML
//! ```
//!
//! A rebuild after an edit writes the edited day's page first and announces it at once
//! (tabs showing it reload), then finishes the rest and announces what else changed;
//! a tab reloads only when its page is among the changed ones (or anything a page
//! uses, such as a stylesheet, changed).
//!
//! A failed rebuild leaves the previous site in place (the build is atomic) and turns
//! the reload state into a failure; each tab shows it as an overlay naming file and
//! line until the next good build reloads it (as Zola does).

mod files;
mod host;
mod reload;
mod watch;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::cohort::CohortOptions;
use crate::config::Config;
use crate::site::{self, BuildOptions};
pub use reload::{Failure, SiteState};
use watch::{Inputs, Watcher};

/// The URL path of the reload channel (server-sent events).
pub const EVENTS_PATH: &str = "/__logsite/events";
/// The URL path of the reload script injected into served HTML.
pub const SCRIPT_PATH: &str = "/__logsite/live.js";

/// How many ports above the requested one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// What to serve and how.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The log folder.
    pub root: PathBuf,
    /// How each build runs; `out_dir` `None` means book.toml's build-dir.
    pub build: BuildOptions,
    /// Interface and port; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Poll the files instead of OS notifications (WSL, network drives).
    pub poll: bool,
    /// Quiet time after the last change before rebuilding.
    pub debounce: Duration,
    /// Print each rebuild's stage times (`logsite serve --timings`).
    pub timings: bool,
}

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (libmimalloc-sys has no
/// constant for it): how long freed memory is kept before it goes back to the OS.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a program whose allocator is mimalloc (the `logsite` binary), running `serve`:
/// a server rebuilds with much the same memory after every save. By default mimalloc
/// hands what a rebuild freed back to the OS once it has been idle for a second, and the
/// rebuild after the author's next save faults it all in again: about 100 ms of a
/// rebuild at 3,650 notes. A server keeps it.
pub fn keep_freed_memory() {
    // SAFETY: sets one of the allocator's options to a value it documents (-1: never).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// A server bound to its socket, its first build done, ready to [`run`](Server::run).
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    requested_port: u16,
    app: Arc<files::App>,
    rebuilds: Rebuilds,
}

impl Server {
    /// Builds the site once (a failure is kept and shown, not returned), binds the socket
    /// (the next free port when the requested one is taken) and starts watching.
    pub async fn start(options: ServeOptions) -> Result<Server> {
        let root = std::path::absolute(&options.root)
            .with_context(|| format!("cannot resolve {}", options.root.display()))?;
        let config = Config::load(&root)?;
        let out_dir = std::path::absolute(
            options
                .build
                .out_dir
                .clone()
                .unwrap_or_else(|| root.join(&config.build.build_dir)),
        )
        .context("cannot resolve the output folder")?;
        let inputs = Inputs::new(&root, &config, &out_dir);
        Server::launch(&options, root, out_dir, inputs, None).await
    }

    /// As [`Server::start`] for a cohort folder (`options.root` holds `cohort.toml`):
    /// rebuilt when `cohort.toml`, a `data` file or a `log` member's inputs change.
    pub async fn start_cohort(options: ServeOptions, cohort: CohortOptions) -> Result<Server> {
        let root = std::path::absolute(&options.root)
            .with_context(|| format!("cannot resolve {}", options.root.display()))?;
        let config = crate::cohort::config::CohortConfig::load(&root)?;
        let out_dir = std::path::absolute(
            cohort
                .out_dir
                .clone()
                .unwrap_or_else(|| root.join(&config.cohort.build_dir)),
        )
        .context("cannot resolve the output folder")?;
        let inputs = Inputs::cohort(&root, &[], &[], &out_dir);
        let cohort = CohortOptions {
            out_dir: Some(out_dir.clone()),
            ..cohort
        };
        Server::launch(&options, root, out_dir, inputs, Some(cohort)).await
    }

    /// Binds the socket, starts watching `inputs` and runs the first build.
    async fn launch(
        options: &ServeOptions,
        root: PathBuf,
        out_dir: PathBuf,
        inputs: Inputs,
        cohort: Option<CohortOptions>,
    ) -> Result<Server> {
        let mut build = options.build.clone();
        build.out_dir = Some(out_dir.clone());
        let (listener, addr) = bind(options.addr).await?;
        let (state_tx, state_rx) = tokio::sync::watch::channel(SiteState::start());
        let (change_tx, changes) = mpsc::unbounded_channel();
        let watcher = Watcher::start(options.poll, options.debounce, change_tx)?;
        let mut rebuilds = Rebuilds {
            root,
            build,
            inputs,
            watcher,
            changes,
            state: Arc::new(state_tx),
            building: Arc::new(AtomicBool::new(false)),
            cache: site::SiteCache::default(),
            cohort,
            timings: options.timings,
        };
        rebuilds.watcher.sync(&rebuilds.inputs);
        rebuilds.rebuild().await;
        Ok(Server {
            listener,
            addr,
            requested_port: options.addr.port(),
            app: Arc::new(files::App::new(out_dir, state_rx)),
            rebuilds,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port asked for, when it was taken and another one is used instead.
    pub fn port_taken(&self) -> Option<u16> {
        (self.requested_port != 0 && self.requested_port != self.addr.port())
            .then_some(self.requested_port)
    }

    /// `http://127.0.0.1:3000/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The folder being served.
    pub fn out_dir(&self) -> &Path {
        self.app.out_dir()
    }

    /// Serves until `shutdown` completes, then stops rebuilding, ends the reload streams
    /// and lets open requests finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let building = self.rebuilds.building.clone();
        let rebuilds = tokio::spawn(self.rebuilds.run());
        let abort = rebuilds.abort_handle();
        let hosts = Arc::new(host::Hosts::new(self.addr.ip()));
        let router =
            files::router(self.app).layer(axum::middleware::from_fn_with_state(hosts, host::guard));
        axum::serve(self.listener, router)
            .with_graceful_shutdown(async move {
                shutdown.await;
                // Dropping the rebuild loop drops the state sender, which ends every
                // reload stream: without that, open tabs would hold the shutdown forever.
                abort.abort();
            })
            .await
            .context("the server stopped")?;
        if building.load(Ordering::SeqCst) {
            // The runtime waits for it, so that no half-written staging folder is left.
            eprintln!("Letting the build in progress finish…");
        }
        Ok(())
    }
}

/// Binds `addr`, or the next free port above it when it is taken.
async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr)> {
    let tries = if addr.port() == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for i in 0..tries {
        let Some(port) = addr.port().checked_add(i) else {
            break;
        };
        let candidate = SocketAddr::new(addr.ip(), port);
        match TcpListener::bind(candidate).await {
            Ok(listener) => {
                let bound = listener.local_addr()?;
                return Ok((listener, bound));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {candidate}")),
        }
    }
    Err(last.map_or_else(|| anyhow::anyhow!("no port to try"), anyhow::Error::from)).with_context(
        || {
            format!(
                "ports {}–{} on {} are all in use (choose one with --port)",
                addr.port(),
                addr.port().saturating_add(tries - 1),
                addr.ip()
            )
        },
    )
}

/// The rebuild loop: owns the watcher and the sender of the reload state.
struct Rebuilds {
    root: PathBuf,
    build: BuildOptions,
    inputs: Inputs,
    watcher: Watcher,
    changes: mpsc::UnboundedReceiver<Vec<PathBuf>>,
    /// Shared with the build, which announces the edited pages it writes first.
    state: Arc<tokio::sync::watch::Sender<SiteState>>,
    /// True while a build runs (it cannot be cancelled).
    building: Arc<AtomicBool>,
    /// What the previous build computed: a save re-renders only what it changed.
    cache: site::SiteCache,
    /// Set when serving a cohort: each rebuild is a whole `logsite cohort`.
    cohort: Option<CohortOptions>,
    timings: bool,
}

impl Rebuilds {
    async fn run(mut self) {
        while let Some(mut paths) = self.changes.recv().await {
            // What was saved while the last build ran: one build for all of it.
            while let Ok(more) = self.changes.try_recv() {
                paths.extend(more);
            }
            let changed: Vec<PathBuf> =
                paths.into_iter().filter(|p| self.inputs.wants(p)).collect();
            let Some(first) = changed.first() else {
                continue;
            };
            let shown = first.strip_prefix(&self.root).unwrap_or(first).display();
            match changed.len() {
                1 => eprintln!("Changed: {shown}"),
                n => eprintln!("Changed: {shown} and {} more", n - 1),
            }
            // A new folder (content/2025/05/) is watched before its notes are read.
            self.watcher.sync(&self.inputs);
            self.rebuild().await;
        }
    }

    /// Builds, reports, and publishes the outcome to every tab: the edited days' pages
    /// as soon as they are written, then the rest of what changed.
    async fn rebuild(&mut self) {
        if let Some(options) = self.cohort.clone() {
            return self.rebuild_cohort(options).await;
        }
        let root = self.root.clone();
        let mut options = self.build.clone();
        // A server left running over midnight still knows what "today" is.
        options.today = chrono::Local::now().date_naive();
        self.building.store(true, Ordering::SeqCst);
        let building = self.building.clone();
        let state = self.state.clone();
        let mut cache = std::mem::take(&mut self.cache);
        let outcome = tokio::task::spawn_blocking(move || {
            let mut first = Vec::new();
            let outcome =
                site::build_cached_edited_first(&root, &options, &mut cache, &mut |pages| {
                    first = pages.to_vec();
                    state.send_modify(|s| s.advance(Some(first.clone())));
                });
            building.store(false, Ordering::SeqCst);
            (outcome, first, cache)
        })
        .await
        .map(|(outcome, first, cache)| {
            self.cache = cache;
            (outcome, first)
        });
        // Also after a panic, which skipped the store above.
        self.building.store(false, Ordering::SeqCst);
        match outcome {
            Ok((Ok(summary), _)) => {
                // Errors that did not stop the build, each with file and line (warnings
                // are `logsite check`'s: printed on every save they would bury these).
                let problems: Vec<_> = summary
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity >= crate::diagnostic::Severity::Error)
                    .cloned()
                    .collect();
                for d in &problems {
                    eprintln!("{d}\n");
                }
                eprintln!("{summary}");
                if self.timings {
                    for (stage, took) in &summary.stages {
                        eprintln!("  {:>6} ms  {stage}", took.as_millis());
                    }
                }
                let pages = reload::changed_pages(summary.changed.as_deref());
                self.state.send_modify(|s| s.finish(pages, problems));
            }
            Ok((Err(failure), first)) => {
                eprintln!("{failure}");
                let failure = Failure::from_build(&failure);
                self.state.send_modify(|s| {
                    // The pages written first were put back: a change for their tabs.
                    if !first.is_empty() {
                        s.advance(Some(first));
                    }
                    s.fail(failure);
                });
            }
            Err(panic) => {
                let message = format!("the build panicked: {panic}");
                eprintln!("error: {message}");
                self.state
                    .send_modify(|s| s.fail(Failure::from_message(message)));
            }
        }
        // book.toml may have moved the content folder, or templates/ may have appeared.
        if let Ok(config) = Config::load(&self.root) {
            let out = self.build.out_dir.clone().unwrap_or_default();
            self.inputs = Inputs::new(&self.root, &config, &out);
        }
        self.watcher.sync(&self.inputs);
    }
}

impl Rebuilds {
    /// Builds the cohort (atomically: a failure leaves the previous one served and
    /// shown with the error) and watches what it was built from.
    async fn rebuild_cohort(&mut self, mut options: CohortOptions) {
        options.today = chrono::Local::now().date_naive();
        let root = self.root.clone();
        self.building.store(true, Ordering::SeqCst);
        let outcome =
            tokio::task::spawn_blocking(move || crate::cohort::build(&root, &options)).await;
        self.building.store(false, Ordering::SeqCst);
        match outcome {
            Ok(Ok(summary)) => {
                eprintln!(
                    "Built the cohort of {} learners in {} ms",
                    summary.members,
                    summary.elapsed.as_millis()
                );
                let logs: Vec<(PathBuf, Config)> = summary
                    .logs
                    .iter()
                    .filter_map(|p| Some((p.clone(), Config::load(p).ok()?)))
                    .collect();
                self.inputs =
                    Inputs::cohort(&self.root, &logs, &summary.data_files, &summary.out_dir);
                self.state.send_modify(|s| s.advance(None));
            }
            Ok(Err(e)) => {
                let message = format!("{e:#}");
                eprintln!("error: {message}\nThe cohort was not built; the previous site is still served.");
                self.state
                    .send_modify(|s| s.fail(Failure::from_message(message)));
            }
            Err(panic) => {
                let message = format!("the build panicked: {panic}");
                eprintln!("error: {message}");
                self.state
                    .send_modify(|s| s.fail(Failure::from_message(message)));
            }
        }
        self.watcher.sync(&self.inputs);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_is_the_option_mimalloc_documents() {
        // mimalloc v3 purges after 1000 ms unless told otherwise; no neighbouring option
        // has that default, so this catches an index that moved in a mimalloc update.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
