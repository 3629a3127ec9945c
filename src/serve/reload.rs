//! The reload channel: the state of the last build, sent to every open tab over
//! server-sent events, and the script that acts on it (reload, or show the overlay).

use std::convert::Infallible;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde::Serialize;
use tokio::sync::watch;

use crate::diagnostic::Diagnostic;
use crate::site::BuildFailure;

/// The script served at [`super::SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("live.js");

/// What the tabs are told: which build is current, and whether the last one failed.
#[derive(Clone, Debug, Serialize)]
pub struct SiteState {
    /// Changes with every good build; unique to this server process, so that a tab
    /// that outlived a restart reloads too.
    pub generation: String,
    /// The last build failed: the site served is the one before it.
    pub failure: Option<Failure>,
    #[serde(skip)]
    session: u128,
    #[serde(skip)]
    builds: u64,
}

impl SiteState {
    pub fn start() -> SiteState {
        let session = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        SiteState {
            generation: format!("{session:x}-0"),
            failure: None,
            session,
            builds: 0,
        }
    }

    /// A build finished: a good one makes a new generation; a failed one keeps the
    /// generation (the old site is still served) and records why.
    pub fn advance(&mut self, failure: Option<Failure>) {
        match failure {
            None => {
                self.builds += 1;
                self.generation = format!("{:x}-{}", self.session, self.builds);
                self.failure = None;
            }
            Some(f) => self.failure = Some(f),
        }
    }

    /// `reload` (tabs on another generation reload, the others clear their overlay) or
    /// `failure` (tabs show the overlay).
    fn event(&self) -> Event {
        let name = if self.failure.is_some() {
            "failure"
        } else {
            "reload"
        };
        Event::default()
            .event(name)
            .data(serde_json::to_string(self).unwrap_or_default())
    }
}

/// Why the last build failed, for the overlay.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    /// The notes that could not be read, with file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Anything else (a template, book.toml, a folder that cannot be written).
    pub error: Option<String>,
}

impl Failure {
    pub fn from_build(failure: &BuildFailure) -> Failure {
        Failure {
            diagnostics: failure.diagnostics.clone(),
            error: failure.error.as_ref().map(|e| format!("{e:#}")),
        }
    }

    pub fn from_message(message: String) -> Failure {
        Failure {
            diagnostics: Vec::new(),
            error: Some(message),
        }
    }
}

/// The `<script>` put before `</body>` of every served page (never into the built files).
pub fn snippet(state: &SiteState) -> String {
    format!(
        "<script src=\"{}\" data-generation=\"{}\"></script>",
        super::SCRIPT_PATH,
        state.generation
    )
}

/// The event stream of one tab: the current state at once, then every change, until
/// the server shuts down (the state sender is dropped).
pub fn events(
    state: watch::Receiver<SiteState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = stream::unfold((state, true), |(mut state, first)| async move {
        if !first && state.changed().await.is_err() {
            return None;
        }
        let event = state.borrow_and_update().event();
        Some((Ok(event), (state, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
