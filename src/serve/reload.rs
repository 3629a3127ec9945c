//! The reload channel: the state of the last build, sent to every open tab over
//! server-sent events, and the script that acts on it (reload if its page changed, or
//! show the overlay).

use std::convert::Infallible;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde::Serialize;
use tokio::sync::watch;

use crate::diagnostic::Diagnostic;
use crate::site::BuildFailure;

/// The script served at [`super::SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("live.js");

/// What the tabs are told: which build is current, which pages it changed, and whether
/// the last build failed.
#[derive(Clone, Debug, Serialize)]
pub struct SiteState {
    /// Changes with every good build (and with the edited pages a build writes first);
    /// unique to this server process, so that a tab that outlived a restart reloads too.
    pub generation: String,
    /// The generation before this one.
    pub since: String,
    /// The pages (paths from the site root, `days/2025-04-28.html`) that changed from
    /// `since` to `generation`; `None` when any page may have. A tab on `since` whose
    /// page is not listed is current and need not reload.
    pub pages: Option<Vec<String>>,
    /// The last build failed: the site served is the one before it.
    pub failure: Option<Failure>,
    /// Errors of the last good build that did not stop it (a missing screenshot): the
    /// site is served, and each tab shows them in a panel the author can close.
    pub problems: Vec<Diagnostic>,
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
            since: String::new(),
            pages: None,
            failure: None,
            problems: Vec::new(),
            session,
            builds: 0,
        }
    }

    /// Files were written: a new generation, which changed `pages` (`None`: maybe all).
    /// A failure shown until now is over.
    pub fn advance(&mut self, pages: Option<Vec<String>>) {
        self.builds += 1;
        self.since = std::mem::replace(
            &mut self.generation,
            format!("{:x}-{}", self.session, self.builds),
        );
        self.pages = pages;
        self.failure = None;
    }

    /// A good build ended with `problems` (errors that did not stop it).
    pub fn finish(&mut self, pages: Option<Vec<String>>, problems: Vec<Diagnostic>) {
        self.advance(pages);
        self.problems = problems;
    }

    /// A build failed: the generation stays (the site is as it was) and the failure is
    /// recorded.
    pub fn fail(&mut self, failure: Failure) {
        self.failure = Some(failure);
    }

    /// `reload` (tabs showing a changed page reload, the others clear their overlay) or
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

/// The pages that open tabs may show stale after a build changed the files `changed`
/// (`None`: the whole site was replaced): its HTML pages, or `None` when a file every
/// page may use changed (a stylesheet, a script, an image). The data export, the feed,
/// the sitemap and the search index are no page's content.
pub fn changed_pages(changed: Option<&[String]>) -> Option<Vec<String>> {
    let not_shown = |f: &str| {
        f.starts_with("data/")
            || f.starts_with("search/")
            || matches!(f, "atom.xml" | "sitemap.xml" | ".nojekyll")
    };
    let mut pages = Vec::new();
    for file in changed? {
        if file.ends_with(".html") {
            pages.push(file.clone());
        } else if !not_shown(file) {
            return None;
        }
    }
    Some(pages)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn changed_pages_leave_out_the_export_feed_and_search_index() {
        let changed = files(&[
            ".nojekyll",
            "atom.xml",
            "data/log.json",
            "days/2025-04-28.html",
            "index.html",
            "search/index/3.json",
            "sitemap.xml",
        ]);
        assert_eq!(
            changed_pages(Some(&changed)),
            Some(files(&["days/2025-04-28.html", "index.html"]))
        );
    }

    #[test]
    fn a_changed_stylesheet_or_image_or_a_whole_new_site_changes_every_page() {
        for other in ["style.css", "search.js", "media/2025/04/20250428-pc.png"] {
            let changed = files(&["index.html", other]);
            assert_eq!(changed_pages(Some(&changed)), None, "{other}");
        }
        assert_eq!(changed_pages(None), None);
    }

    #[test]
    fn each_good_build_is_a_generation_after_the_last_and_a_failure_keeps_it() {
        let mut state = SiteState::start();
        let start = state.generation.clone();
        state.advance(Some(files(&["days/2025-04-28.html"])));
        assert_eq!(state.since, start);
        let first = state.generation.clone();
        assert_ne!(first, start);
        state.fail(Failure::from_message("broken".into()));
        assert_eq!(state.generation, first);
        state.advance(None);
        assert_eq!(
            (state.since.as_str(), state.pages.as_ref()),
            (first.as_str(), None)
        );
        assert!(state.failure.is_none());
    }
}
