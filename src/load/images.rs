//! Where an image a note or page links is: a remote URL, a file of the log (its real
//! path resolved, links followed, never outside the log folder), or refused; with the
//! folders' listings and real paths read once per build.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What an image destination names before the file system is asked: a remote URL, a
/// content-relative path, or something that is never a file of the log.
enum Lexical {
    Remote,
    File(PathBuf),
    Refused(String),
}

fn lexical(dest: &str, source_dir: &Path) -> Lexical {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return Lexical::Remote;
    }
    if let Some(scheme) = scheme_of(dest) {
        return if scheme.eq_ignore_ascii_case("file") {
            Lexical::Refused("a file: URL names a file on the reader's own disk, not in the site: put the image beside the note and write its relative path".into())
        } else {
            Lexical::Remote
        };
    }
    if dest.starts_with('/') || dest.starts_with('\\') {
        return Lexical::Refused("an absolute path is not a file of the log: put the image beside the note and write its relative path (e.g. images/shot.png)".into());
    }
    let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    let mut path = source_dir.to_path_buf();
    for part in Path::new(decoded.as_ref()).components() {
        match part {
            std::path::Component::Normal(p) => path.push(p),
            std::path::Component::ParentDir => {
                // Never outside the content folder.
                if !path.pop() {
                    return Lexical::Refused(
                        "the path leaves the content folder: only images inside it are published".into(),
                    );
                }
            }
            std::path::Component::CurDir => {}
            _ => {
                return Lexical::Refused(
                    "an absolute path is not a file of the log: write the image's path relative to the note".into(),
                )
            }
        }
    }
    Lexical::File(path)
}

/// The scheme of an absolute URL (`https`, `file`), per RFC 3986: a letter, then
/// letters, digits, `+`, `-` or `.`, then `:`.
fn scheme_of(dest: &str) -> Option<&str> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// The folders a published file may come from, resolved once: the log folder and the
/// content folder (which book.toml may put elsewhere).
#[derive(Clone, Debug)]
pub struct Folders {
    content: PathBuf,
    real_root: Option<PathBuf>,
    real_content: Option<PathBuf>,
    /// Real paths of the folders images were found in, resolved once each: a log has
    /// thousands of screenshots in a few hundred folders.
    real_dirs: Arc<Mutex<HashMap<PathBuf, Option<PathBuf>>>>,
    /// The regular files of each such folder, read once: one directory read instead of
    /// a `stat` per image.
    listings: Arc<Mutex<HashMap<PathBuf, Arc<HashSet<std::ffi::OsString>>>>>,
}

impl Folders {
    pub fn new(root: &Path, content: &Path) -> Folders {
        Folders {
            content: content.to_path_buf(),
            real_root: root.canonicalize().ok(),
            real_content: content.canonicalize().ok(),
            real_dirs: Arc::default(),
            listings: Arc::default(),
        }
    }

    /// Whether `dir` holds a regular file (not a link) named `name`, from one reading of
    /// the folder. `false` may also mean "not known": the caller asks the file itself.
    fn lists_regular_file(&self, dir: &Path, name: &std::ffi::OsStr) -> bool {
        let listing = remembered(&self.listings, dir, || {
            let files = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name())
                .collect();
            Arc::new(files)
        });
        listing.contains(name)
    }

    /// The real path of the folder `dir`, or `None` when it cannot be resolved.
    fn real_dir(&self, dir: &Path) -> Option<PathBuf> {
        remembered(&self.real_dirs, dir, || dir.canonicalize().ok())
    }

    /// The log folder alone, for files that are not under content/.
    pub fn log(root: &Path) -> Folders {
        Folders::new(root, root)
    }

    /// The real path of `path` (symlinks resolved) when it lies inside the log or the
    /// content folder; an error naming where it leads otherwise. For the log's own
    /// `templates/` and `static/`, whose files go into the site.
    pub fn inside(&self, path: &Path) -> anyhow::Result<PathBuf> {
        let real = path
            .canonicalize()
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        if !self.holds(&real) {
            anyhow::bail!(
                "{} is a link to {}, outside the log folder: nothing outside the log is published (copy the file into the log instead)",
                path.display(),
                real.display()
            );
        }
        Ok(real)
    }

    /// True when `real` (a canonical path) is inside the log or the content folder.
    pub fn holds(&self, real: &Path) -> bool {
        [&self.real_root, &self.real_content]
            .into_iter()
            .flatten()
            .any(|folder| real.starts_with(folder))
    }
}

/// What `memo` holds for `dir`, computed by `compute` (outside the lock) the first time.
fn remembered<V: Clone>(
    memo: &Mutex<HashMap<PathBuf, V>>,
    dir: &Path,
    compute: impl FnOnce() -> V,
) -> V {
    if let Some(known) = memo.lock().expect("folders lock").get(dir) {
        return known.clone();
    }
    let value = compute();
    memo.lock()
        .expect("folders lock")
        .insert(dir.to_path_buf(), value.clone());
    value
}

/// Where an image a note or page links is, once resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Image {
    /// Not a file of the log: a remote URL, `data:`, an anchor.
    Remote,
    /// A regular file inside the log folder: its content-relative path (its place under
    /// `media/`) and its real path, symlinks resolved, which is what is read.
    Local { rel: PathBuf, real: PathBuf },
    /// Written as a file of the log, but there is no such file.
    Missing { rel: PathBuf },
    /// Never published: a `file:` URL, an absolute path, a path out of the content
    /// folder, or a link that resolves outside the log folder; the reason says which.
    Refused(String),
}

/// Resolves an image destination written in a file of `source_dir` (content-relative).
/// Symlinks are followed to see where the file really is: an image is published only
/// when its real path lies inside the log folder, so a link to `/etc/passwd` or into
/// a linked folder outside the log is never copied into the site.
pub fn image(dest: &str, source_dir: &Path, folders: &Folders) -> Image {
    let rel = match lexical(dest, source_dir) {
        Lexical::Remote => return Image::Remote,
        Lexical::Refused(reason) => return Image::Refused(reason),
        Lexical::File(rel) => rel,
    };
    let path = folders.content.join(&rel);
    // A regular file's real path is its folder's real path and its name; anything else
    // (a symlink above all) is resolved whole. Whether it is a regular file is read from
    // its folder's listing, or, for a name the listing lacks (a case-insensitive disk
    // finds `Shot.PNG` as `shot.png`), from the file itself.
    let folder = path.parent().zip(path.file_name());
    let regular = folder.is_some_and(|(dir, name)| folders.lists_regular_file(dir, name))
        || std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file());
    let real = if regular {
        folder.and_then(|(dir, name)| Some(folders.real_dir(dir)?.join(name)))
    } else {
        path.canonicalize().ok()
    };
    let Some(real) = real else {
        return Image::Missing { rel };
    };
    if !folders.holds(&real) {
        return Image::Refused(format!(
            "it is a link to {}, outside the log folder: only files inside the log are published",
            real.display()
        ));
    }
    if regular {
        return Image::Local { rel, real };
    }
    match std::fs::metadata(&real) {
        Ok(meta) if meta.is_file() => Image::Local { rel, real },
        Ok(_) => Image::Refused("it is not a regular file".into()),
        Err(_) => Image::Missing { rel },
    }
}
