//! Watching the inputs: `content/` (book.toml `[book] src`), `templates/`, `static/` and
//! `book.toml`, debounced, with the build's own output and editors' litter ignored so
//! that a build never triggers another.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer_opt, Config as DebounceConfig, Debouncer};
use tokio::sync::mpsc::UnboundedSender;

use crate::config::Config;

/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The paths a change matters in, all absolute.
#[derive(Debug)]
pub struct Inputs {
    root: PathBuf,
    book_toml: PathBuf,
    /// content/, templates/, static/: watched recursively where they exist.
    dirs: Vec<PathBuf>,
    /// Single files elsewhere (a cohort's data files, its members' book.toml): their
    /// folders are watched, not recursively.
    files: Vec<PathBuf>,
    out: PathBuf,
}

impl Inputs {
    pub fn new(root: &Path, config: &Config, out: &Path) -> Inputs {
        let root = real(root);
        Inputs {
            book_toml: root.join("book.toml"),
            dirs: vec![
                real(&root.join(&config.book.src)),
                root.join("templates"),
                root.join("static"),
            ],
            files: Vec::new(),
            out: real(out),
            root,
        }
    }

    /// A cohort's inputs: `cohort.toml`, each `log` member's inputs as `serve` watches
    /// them (`logs`: each member's folder and config) and each `data` file.
    pub fn cohort(dir: &Path, logs: &[(PathBuf, Config)], data: &[PathBuf], out: &Path) -> Inputs {
        let root = real(dir);
        let mut dirs = Vec::new();
        let mut files: Vec<PathBuf> = data.iter().map(|f| real(f)).collect();
        for (log, config) in logs {
            let member = Inputs::new(log, config, out);
            dirs.extend(member.dirs);
            files.push(member.book_toml);
        }
        Inputs {
            book_toml: root.join("cohort.toml"),
            dirs,
            files,
            out: real(out),
            root,
        }
    }

    /// True when a change at `path` should rebuild the site.
    pub fn wants(&self, path: &Path) -> bool {
        if path.starts_with(&self.out) {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.root) else {
            // A content folder outside the log folder (`src = "../notes"`).
            return self.files.iter().any(|f| f == path)
                || self
                    .dirs
                    .iter()
                    .any(|d| path.strip_prefix(d).is_ok_and(|rel| !is_litter(rel)));
        };
        if is_litter(rel) {
            return false;
        }
        path == self.book_toml
            || self.files.iter().any(|f| f == path)
            || self.dirs.iter().any(|d| path.starts_with(d))
    }
}

/// Dotfiles and dot-folders (the build's `.public.building-*` and `.public.old-*`, `.git`,
/// editor locks) and editor swap and backup files.
fn is_litter(rel: &Path) -> bool {
    rel.iter().any(|part| {
        let part = part.to_string_lossy();
        part.starts_with('.')
            || part.ends_with('~')
            || part.ends_with(".swp")
            || part.ends_with(".swo")
            || part.ends_with(".swx")
            // Vim probes whether it may write a folder with a file named 4913.
            || part == "4913"
            || (part.starts_with('#') && part.ends_with('#'))
    })
}

/// The canonical path where it exists (notify reports real paths), else as given.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

enum Backend {
    Native(Debouncer<Writes<RecommendedWatcher>>),
    Poll(Debouncer<Writes<PollWatcher>>),
}

/// A notify watcher that passes on changes only, not reads. notify 8 watches inotify's
/// IN_OPEN and the debouncer drops the event kind, so without this each build's own
/// reading of the notes would be seen as a change and start the next build, forever.
struct Writes<W>(W);

impl<W: notify::Watcher> notify::Watcher for Writes<W> {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<Self> {
        use notify::event::{AccessKind, AccessMode, EventKind};
        W::new(
            move |event: notify::Result<notify::Event>| {
                let read = matches!(&event, Ok(e) if e.kind.is_access()
                    && e.kind != EventKind::Access(AccessKind::Close(AccessMode::Write)));
                if !read {
                    handler.handle_event(event);
                }
            },
            config,
        )
        .map(Writes)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn configure(&mut self, option: notify::Config) -> notify::Result<bool> {
        self.0.configure(option)
    }

    fn kind() -> notify::WatcherKind {
        W::kind()
    }
}

/// The debounced watcher and what it currently watches.
pub struct Watcher {
    backend: Backend,
    /// Folders watched, each on its own (never recursively).
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching nothing yet; each debounced batch of paths goes to `changes`.
    pub fn start(
        poll: bool,
        debounce: Duration,
        changes: UnboundedSender<Vec<PathBuf>>,
    ) -> Result<Watcher> {
        let handler = move |result: notify_debouncer_mini::DebounceEventResult| match result {
            Ok(events) => {
                let _ = changes.send(events.into_iter().map(|e| e.path).collect());
            }
            Err(e) => eprintln!("warning: watching files: {e}"),
        };
        let config = DebounceConfig::default()
            .with_timeout(debounce)
            .with_notify_config(notify::Config::default().with_poll_interval(POLL_INTERVAL));
        let backend = if poll {
            Backend::Poll(new_debouncer_opt(config, handler)?)
        } else {
            Backend::Native(
                new_debouncer_opt(config, handler).context("cannot watch files (try --poll)")?,
            )
        };
        Ok(Watcher {
            backend,
            watched: BTreeSet::new(),
        })
    }

    fn watcher(&mut self) -> &mut dyn notify::Watcher {
        match &mut self.backend {
            Backend::Native(d) => d.watcher(),
            Backend::Poll(d) => d.watcher(),
        }
    }

    /// Watches the log folder itself (book.toml, folders appearing) and every folder
    /// of each input folder that exists, one by one; forgets folders that are gone.
    /// Failures are printed, not fatal: the server is still useful without live reload.
    ///
    /// Folders are walked here without following symlinks (notify's recursive mode
    /// follows them: a link to /usr took 17,000 inotify watches), skipping dot-folders
    /// and the output: what is watched is what `build` reads, nothing else. A folder
    /// created later is seen in its parent, whose change rebuilds and syncs again.
    pub fn sync(&mut self, inputs: &Inputs) {
        let mut wanted = BTreeSet::from([inputs.root.clone()]);
        for dir in inputs.dirs.iter().filter(|d| d.is_dir()) {
            let walk = walkdir::WalkDir::new(real(dir))
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || (e.file_type().is_dir()
                            && !e.file_name().to_string_lossy().starts_with('.'))
                });
            wanted.extend(
                walk.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_dir() && !e.path().starts_with(&inputs.out))
                    .map(walkdir::DirEntry::into_path),
            );
        }
        // Single files' folders (a cohort's data files), not recursively.
        for folder in inputs.files.iter().filter_map(|f| f.parent()) {
            if folder.is_dir() {
                wanted.insert(real(folder));
            }
        }
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|w| !wanted.contains(*w) || !w.exists())
            .cloned()
            .collect();
        for path in &stale {
            let _ = self.watcher().unwatch(path);
            self.watched.remove(path);
        }
        for path in wanted {
            if self.watched.contains(&path) {
                continue;
            }
            match self.watcher().watch(&path, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.watched.insert(path);
                }
                Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
            }
        }
    }

    /// How many folders are watched (each one inotify watch).
    #[cfg(test)]
    pub fn watched(&self) -> usize {
        self.watched.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Inputs {
        let root = PathBuf::from("/log");
        Inputs {
            book_toml: root.join("book.toml"),
            dirs: vec![
                root.join("content"),
                root.join("templates"),
                root.join("static"),
            ],
            files: Vec::new(),
            out: root.join("public"),
            root,
        }
    }

    #[test]
    fn notes_templates_static_and_book_toml_rebuild() {
        let i = inputs();
        for p in [
            "/log/content/2025/04/2025-04-28.md",
            "/log/content/2025/04/20250428-pc.png",
            "/log/templates/day.html",
            "/log/static/style.css",
            "/log/book.toml",
        ] {
            assert!(i.wants(Path::new(p)), "{p}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_big_folder_is_not_watched() {
        let log = tempfile::tempdir().unwrap();
        let big = tempfile::tempdir().unwrap();
        for i in 0..200 {
            std::fs::create_dir_all(big.path().join(format!("d{i}/sub"))).unwrap();
        }
        std::fs::create_dir_all(log.path().join("content/2025/04")).unwrap();
        std::fs::create_dir_all(log.path().join("content/.git/objects")).unwrap();
        std::fs::create_dir_all(log.path().join("templates")).unwrap();
        std::os::unix::fs::symlink(big.path(), log.path().join("content/usr")).unwrap();
        std::os::unix::fs::symlink(big.path(), log.path().join("templates/linked")).unwrap();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let mut watcher = Watcher::start(false, Duration::from_millis(50), tx).unwrap();
        let inputs = Inputs::new(log.path(), &Config::default(), &log.path().join("public"));
        watcher.sync(&inputs);
        // The log folder, content/, content/2025, content/2025/04 and templates/.
        assert_eq!(watcher.watched(), 5);
        // A folder made later is watched at the next sync; a removed one is forgotten.
        std::fs::create_dir_all(log.path().join("content/2025/05")).unwrap();
        std::fs::remove_dir(log.path().join("content/2025/04")).unwrap();
        watcher.sync(&inputs);
        assert_eq!(watcher.watched(), 5);
    }

    #[test]
    fn output_staging_dotfiles_and_swap_files_do_not_rebuild() {
        let i = inputs();
        for p in [
            "/log/public/index.html",
            "/log/public",
            "/log/.public.building-abc123/index.html",
            "/log/.public.old-42",
            "/log/.git/index",
            "/log/content/2025/04/.2025-04-28.md.swp",
            "/log/content/2025/04/2025-04-28.md~",
            "/log/content/2025/04/4913",
            "/log/content/2025/04/#2025-04-28.md#",
            "/log/README.md",
            "/log/target/debug/logsite",
        ] {
            assert!(!i.wants(Path::new(p)), "{p}");
        }
    }
}
