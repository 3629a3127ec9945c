//! Where a build's files go.
//!
//! `build` writes into a staging folder beside the output and swaps it in only when
//! every page rendered, so a failed build leaves the previous site as it was. A file
//! whose hash matches the previous build's manifest (kept in [`MARKER`]) is hard-linked
//! from the previous site instead of written: unchanged pages keep their inode and
//! mtime, and a one-note edit rewrites a handful of files.
//!
//! `serve`'s rebuilds render every changed page in memory first and then write only
//! those into the output folder itself ([`InPlace`]): a failure still writes nothing.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};

pub use super::folder::check_target;
use super::folder::remove_stale;

/// A destination for a build's files, relative to the site root.
pub trait Output: Sync {
    /// Writes one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Keeps the previous build's file as it is: its inputs did not change, and `has`
    /// found it.
    fn keep(&self, rel: &str) -> Result<()>;
    /// True when the previous build's file is there to keep.
    fn has(&self, rel: &str) -> bool;
    /// Writes one large file whose bytes `fill` produces. Outputs that can write it as it
    /// comes (the staging folder) never hold it whole; the default collects it.
    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes).with_context(|| format!("cannot make {rel}"))?;
        self.write(rel, &bytes)
    }
    /// Copies a file as it is (an image).
    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.write(rel, &bytes)
    }
}

/// The files written so far and their hashes: the next build's manifest.
#[derive(Default)]
struct Manifest {
    previous: HashMap<String, u64>,
    current: Mutex<Vec<(String, u64)>>,
    reused: AtomicUsize,
}

impl Manifest {
    fn load(target: &Path) -> Manifest {
        Manifest {
            previous: read_manifest(&target.join(MARKER)),
            ..Manifest::default()
        }
    }

    fn record(&self, rel: &str, hash: u64) {
        self.current
            .lock()
            .expect("manifest lock")
            .push((rel.to_string(), hash));
    }

    fn unchanged(&self, rel: &str, hash: u64) -> bool {
        self.previous.get(rel) == Some(&hash)
    }

    /// Records the previous hash of a kept file; false when there was none.
    fn keep(&self, rel: &str) -> bool {
        match self.previous.get(rel) {
            Some(&hash) => {
                self.record(rel, hash);
                self.reused.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    fn text(&self) -> (String, Vec<String>) {
        let mut current = std::mem::take(&mut *self.current.lock().expect("manifest lock"));
        current.sort();
        current.dedup();
        let text = manifest_text(current.iter().map(|(rel, hash)| (rel.as_str(), *hash)));
        (text, current.into_iter().map(|(rel, _)| rel).collect())
    }
}

/// A build in progress: a temp folder next to the output (a rename across filesystems
/// would fail), renamed into place by [`Staging::commit`], removed if dropped.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    manifest: Manifest,
    /// Folders made in `dir` so far: a build writes some 13,000 files into a few dozen
    /// folders, and `create_dir_all` costs a failing mkdir and a stat for each.
    made: Mutex<HashSet<PathBuf>>,
    /// Set when linking a content file failed because the output is on another
    /// filesystem: every other image would fail the same way, so they are copied at once.
    links_cross_devices: AtomicBool,
}

impl Staging {
    /// Starts a build that will replace `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("public");
        remove_stale(&parent, name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-{}-", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
        // Marks the folder as logsite's from the start, so that if this build is killed
        // the next one knows the leftover is its own to remove.
        write_file(&dir.path().join(MARKER), MARKER_HEADER.as_bytes())?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            manifest: Manifest::load(target),
            made: Mutex::default(),
            links_cross_devices: AtomicBool::new(false),
        })
    }

    /// Makes the folder `path` goes in, unless this build made it already.
    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if self.made.lock().expect("folders lock").contains(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        self.made
            .lock()
            .expect("folders lock")
            .insert(parent.to_path_buf());
        Ok(())
    }

    /// The staging folder itself, to read back what was written into it.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Files linked from the previous build because they were unchanged.
    pub fn reused(&self) -> usize {
        self.manifest.reused.load(Ordering::Relaxed)
    }

    fn link_previous(&self, rel: &str) -> bool {
        let dest = self.dir.path().join(rel);
        self.make_parent(&dest).is_ok() && std::fs::hard_link(self.target.join(rel), dest).is_ok()
    }

    /// Swaps the finished build in: old output renamed aside, new renamed in, old removed.
    pub fn commit(self) -> Result<()> {
        let (manifest, _) = self.manifest.text();
        write_file(&self.dir.path().join(MARKER), manifest.as_bytes())?;
        let new = self.dir.keep();
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("public"),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).with_context(|| {
                format!(
                    "cannot move the previous site {} aside",
                    self.target.display()
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&new, &self.target) {
            if had_old {
                // Put the previous site back: a failed swap must not lose it.
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&new);
            return Err(e).with_context(|| {
                format!("cannot move the new site into {}", self.target.display())
            });
        }
        if had_old {
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }
}

impl Output for Staging {
    fn has(&self, rel: &str) -> bool {
        self.manifest.previous.contains_key(rel) && self.target.join(rel).is_file()
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let hash = content_hash(bytes);
        self.manifest.record(rel, hash);
        if self.manifest.unchanged(rel, hash) && self.link_previous(rel) {
            self.manifest.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let dest = self.dir.path().join(rel);
        self.make_parent(&dest)?;
        std::fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))
    }

    fn keep(&self, rel: &str) -> Result<()> {
        if self.link_previous(rel) && self.manifest.keep(rel) {
            return Ok(());
        }
        anyhow::bail!("{rel} was to be kept from the previous build, but it is not there")
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let dest = self.dir.path().join(rel);
        self.make_parent(&dest)?;
        let file = std::fs::File::create(&dest)
            .with_context(|| format!("cannot write {}", dest.display()))?;
        let mut out = HashingWriter {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            hash: ContentHash::default(),
        };
        fill(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", dest.display()))?;
        let hash = out.hash.finish();
        self.manifest.record(rel, hash);
        // Unchanged: the previous build's file is linked in its place, as `write` does,
        // so an unchanged file keeps its identity; if that fails the new copy stays.
        if self.manifest.unchanged(rel, hash) {
            let linked = dest.with_extension("logsite-link");
            if std::fs::hard_link(self.target.join(rel), &linked).is_ok() {
                if std::fs::rename(&linked, &dest).is_ok() {
                    self.manifest.reused.fetch_add(1, Ordering::Relaxed);
                } else {
                    let _ = std::fs::remove_file(&linked);
                }
            }
        }
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        // Screenshots are most of a log's bytes: link them from content/ rather than
        // copy (same filesystem), identified by size and mtime rather than read.
        let meta =
            std::fs::metadata(from).with_context(|| format!("cannot read {}", from.display()))?;
        let identity = crate::log::hash_of(&(meta.len(), meta.modified().ok()));
        self.manifest.record(rel, identity);
        // A symlink left in the previous site by an older logsite is never linked again.
        let previous_is_file = || {
            std::fs::symlink_metadata(self.target.join(rel)).is_ok_and(|m| m.file_type().is_file())
        };
        if self.manifest.unchanged(rel, identity) && previous_is_file() && self.link_previous(rel) {
            self.manifest.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let dest = self.dir.path().join(rel);
        self.make_parent(&dest)?;
        if !self.links_cross_devices.load(Ordering::Relaxed) {
            match std::fs::hard_link(from, &dest) {
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {
                    self.links_cross_devices.store(true, Ordering::Relaxed)
                }
                Err(_) => {}
            }
        }
        std::fs::copy(from, &dest)
            .with_context(|| format!("cannot copy {} to {}", from.display(), dest.display()))?;
        Ok(())
    }
}

/// Another output's subfolder: a site built inside another one (a cohort's copy of a
/// learner's site under `NAME/`), swapped in with it.
pub struct Under<'o> {
    inner: &'o dyn Output,
    prefix: String,
}

impl<'o> Under<'o> {
    /// `folder` is one path segment.
    pub fn new(inner: &'o dyn Output, folder: &str) -> Under<'o> {
        Under {
            inner,
            prefix: format!("{folder}/"),
        }
    }

    fn rel(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }
}

impl Output for Under<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(&self.rel(rel), bytes)
    }
    fn keep(&self, rel: &str) -> Result<()> {
        self.inner.keep(&self.rel(rel))
    }
    fn has(&self, rel: &str) -> bool {
        self.inner.has(&self.rel(rel))
    }
    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.inner.write_with(&self.rel(rel), fill)
    }
    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        self.inner.copy(&self.rel(rel), from)
    }
}

/// Writes into the output folder itself: only files whose bytes changed, each through
/// a temporary file and a rename, so a reader never sees half a page. Each file's
/// previous bytes are kept until the build is done, so a build failing halfway
/// [reverts](InPlace::revert) to the previous site.
pub struct InPlace {
    target: PathBuf,
    manifest: Manifest,
    /// Each file written, with the bytes it replaced (`None`: it did not exist).
    replaced: Mutex<Vec<(String, Option<Vec<u8>>)>>,
    /// Files written ahead of the rest by [`InPlace::write_first`].
    first: Vec<String>,
}

impl InPlace {
    /// Starts a rebuild of `target`. The manifest is read, then emptied on disk before
    /// any file changes: a rebuild killed halfway leaves files the manifest does not
    /// describe, and the next build must not take them for the previous build's.
    /// [`InPlace::finish`] writes it again last, [`InPlace::revert`] puts it back.
    pub fn new(target: &Path) -> Result<InPlace> {
        let manifest = Manifest::load(target);
        write_file(&target.join(MARKER), MARKER_HEADER.as_bytes())?;
        Ok(InPlace {
            target: target.to_path_buf(),
            manifest,
            replaced: Mutex::default(),
            first: Vec::new(),
        })
    }

    /// Writes a file ahead of the rest of the build (the page being edited, so it can be
    /// shown at once). It is not among the files [`InPlace::finish`] returns.
    pub fn write_first(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write(rel, bytes)?;
        self.first.push(rel.to_string());
        Ok(())
    }

    /// Abandons the build: every file it wrote gets its previous bytes back (or is
    /// removed if it is new), so the site is the previous build's again.
    pub fn revert(self) -> Result<()> {
        let replaced = self.replaced.into_inner().expect("replaced lock");
        for (rel, before) in replaced.into_iter().rev() {
            let dest = self.target.join(&rel);
            match before {
                Some(bytes) => replace_file(&dest, &bytes)?,
                None => std::fs::remove_file(&dest)
                    .with_context(|| format!("cannot remove {}", dest.display()))?,
            }
        }
        // Every file is the previous build's again: so is its manifest.
        let mut previous: Vec<(&str, u64)> = (self.manifest.previous.iter())
            .map(|(rel, hash)| (rel.as_str(), *hash))
            .collect();
        previous.sort();
        write_file(
            &self.target.join(MARKER),
            manifest_text(previous).as_bytes(),
        )
    }

    /// Files left as they were.
    pub fn reused(&self) -> usize {
        self.manifest.reused.load(Ordering::Relaxed)
    }

    /// Removes files of the previous build that this one did not produce (a deleted
    /// note's page) and writes the manifest. Returns the files written (except those
    /// written first) and removed, sorted.
    pub fn finish(self) -> Result<Vec<String>> {
        let (manifest, current) = self.manifest.text();
        let current: std::collections::HashSet<&String> = current.iter().collect();
        let mut changed: Vec<String> = self
            .replaced
            .into_inner()
            .expect("replaced lock")
            .into_iter()
            .map(|(rel, _)| rel)
            .filter(|rel| !self.first.contains(rel))
            .collect();
        for rel in self
            .manifest
            .previous
            .keys()
            .filter(|rel| !current.contains(rel))
        {
            let _ = std::fs::remove_file(self.target.join(rel));
            changed.push(rel.clone());
        }
        write_file(&self.target.join(MARKER), manifest.as_bytes())?;
        changed.sort();
        changed.dedup();
        Ok(changed)
    }
}

impl Output for InPlace {
    fn has(&self, rel: &str) -> bool {
        self.manifest.previous.contains_key(rel) && self.target.join(rel).is_file()
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let hash = content_hash(bytes);
        self.manifest.record(rel, hash);
        let dest = self.target.join(rel);
        if self.manifest.unchanged(rel, hash) && dest.is_file() {
            self.manifest.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let before = std::fs::read(&dest).ok();
        replace_file(&dest, bytes)?;
        self.replaced
            .lock()
            .expect("replaced lock")
            .push((rel.to_string(), before));
        Ok(())
    }

    fn keep(&self, rel: &str) -> Result<()> {
        // Asked only after `has` found the file: it is not looked for a second time.
        if self.manifest.keep(rel) {
            return Ok(());
        }
        anyhow::bail!("{rel} was to be kept from the previous build, but it is not in its manifest")
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        // Screenshots are large and many: an image already copied and not modified
        // since is kept without reading it.
        let dest = self.target.join(rel);
        let (Ok(src), Ok(dst)) = (std::fs::metadata(from), std::fs::metadata(&dest)) else {
            let bytes =
                std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
            return self.write(rel, &bytes);
        };
        let newer = match (src.modified(), dst.modified()) {
            (Ok(s), Ok(d)) => s > d,
            _ => true,
        };
        if src.len() == dst.len() && !newer && self.manifest.keep(rel) {
            return Ok(());
        }
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.write(rel, &bytes)
    }
}

/// Writes a file through a temporary file and a rename, so a reader never sees half
/// of it.
fn replace_file(dest: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = dest.with_file_name(format!(
        ".{}.tmp",
        dest.file_name().and_then(|n| n.to_str()).unwrap_or("file")
    ));
    write_file(&tmp, bytes)?;
    std::fs::rename(&tmp, dest).or_else(|e| {
        let _ = std::fs::remove_file(&tmp);
        Err(e).with_context(|| format!("cannot replace {}", dest.display()))
    })
}

/// Writes a file, creating its folder.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// A file every build writes, so a later build knows the folder is its own to replace;
/// it lists each file's content hash for the next build.
pub const MARKER: &str = ".logsite-build";
const MARKER_HEADER: &str = "# written by logsite: this folder is replaced on every build\n";

fn content_hash(bytes: &[u8]) -> u64 {
    let mut hash = ContentHash::default();
    hash.add(bytes);
    hash.finish()
}

/// A hash of bytes that may arrive in pieces ([`Output::write_with`]): the same for
/// the same bytes however they are cut (XXH3's streaming state hashes pieces as their
/// concatenation). Only compared with the previous build's manifest: a hash that
/// changes with a new version costs that build one full rewrite.
#[derive(Default)]
struct ContentHash {
    hasher: xxhash_rust::xxh3::Xxh3Default,
}

impl ContentHash {
    fn add(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    fn finish(self) -> u64 {
        self.hasher.digest()
    }
}

/// A file being written, hashed as it goes.
struct HashingWriter<W> {
    inner: W,
    hash: ContentHash,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.add(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The manifest of files and hashes, in the order given.
fn manifest_text<'a>(entries: impl IntoIterator<Item = (&'a str, u64)>) -> String {
    let mut text = String::from(MARKER_HEADER);
    for (rel, hash) in entries {
        text.push_str(&format!("{hash:016x} {rel}\n"));
    }
    text
}

fn read_manifest(path: &Path) -> HashMap<String, u64> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (hash, rel) = l.split_once(' ')?;
            Some((rel.to_string(), u64::from_str_radix(hash, 16).ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{content_hash, ContentHash};

    /// A page streamed in pieces (`write_with`) is found unchanged against the same page
    /// written whole, wherever the pieces are cut.
    #[test]
    fn a_hash_is_the_same_however_the_bytes_are_cut() {
        let page = "<p>学習ログ: CORS の設定</p>\n".repeat(300);
        let whole = content_hash(page.as_bytes());
        for cut in [0, 1, 7, 64, 250, 4000, page.len()] {
            let mut pieces = ContentHash::default();
            pieces.add(&page.as_bytes()[..cut]);
            pieces.add(&page.as_bytes()[cut..]);
            assert_eq!(pieces.finish(), whole, "cut at {cut}");
        }
        assert_ne!(content_hash(b"<p>a</p>"), content_hash(b"<p>b</p>"));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
    }
}
