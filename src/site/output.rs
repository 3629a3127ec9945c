//! Atomic output: a build is written beside the output folder and swapped in only
//! when it succeeded, so a failed build leaves the previous site as it was.
//!
//! A rebuild writes only the files whose bytes changed: a file whose hash matches the
//! previous build's manifest is hard-linked from the previous site into the new one
//! (same inode, same mtime, no data written), so a one-note edit rewrites a handful of
//! files and tools that watch mtimes (rsync, browsers' caches) see only those.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

/// A build in progress: a temp folder next to the output (a rename across filesystems
/// would fail), renamed into place by [`Staging::commit`], removed if dropped.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// The previous build's files and their hashes.
    previous: HashMap<String, u64>,
    /// This build's files and their hashes, written into the marker on commit.
    written: Mutex<Vec<(String, u64)>>,
    /// How many files were linked unchanged rather than written.
    reused: std::sync::atomic::AtomicUsize,
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
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-"))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
        let previous = read_manifest(&target.join(MARKER));
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            previous,
            written: Mutex::new(Vec::new()),
            reused: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// Files linked from the previous build because their bytes were unchanged.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The folder to write into.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file (creating folders) under the staging folder, or links the
    /// previous build's file when its bytes are the same.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let hash = content_hash(bytes);
        let dest = self.dir.path().join(rel);
        self.written
            .lock()
            .expect("manifest lock")
            .push((rel.to_string(), hash));
        if self.previous.get(rel) == Some(&hash) {
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            if std::fs::hard_link(self.target.join(rel), &dest).is_ok() {
                self.reused
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
        }
        write_file(&dest, bytes)
    }

    /// Swaps the finished build in: old output renamed aside, new renamed in, old removed.
    pub fn commit(self) -> Result<()> {
        let mut manifest = String::from(MARKER_HEADER);
        let mut written = self.written.into_inner().expect("manifest lock");
        written.sort();
        for (rel, hash) in &written {
            manifest.push_str(&format!("{hash:016x} {rel}\n"));
        }
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
    // Only compared with the previous build of the same binary: a hash that changes
    // between Rust releases costs one full rewrite, nothing more.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
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

/// Refuses an output folder whose replacement could lose an author's files: the log
/// folder itself, a folder holding it or the notes, a folder inside the notes, or an
/// existing folder that no logsite build wrote.
pub fn check_target(root: &Path, content: &Path, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> Result<PathBuf> {
        let a =
            std::path::absolute(p).with_context(|| format!("cannot resolve {}", p.display()))?;
        Ok(normalize(&a))
    };
    let (root, content, out_abs) = (abs(root)?, abs(content)?, abs(out)?);
    if root.starts_with(&out_abs) || content.starts_with(&out_abs) || out_abs.starts_with(&content)
    {
        anyhow::bail!(
            "refusing to write the site to {}: it would replace the notes in {} (set [build] build-dir to a separate folder such as \"public\")",
            out.display(),
            content.display()
        );
    }
    if out.is_dir() && !out.join(MARKER).exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!(
            "refusing to replace {}: it is not empty and was not written by logsite (move its files away, or choose another build-dir)",
            out.display()
        );
    }
    Ok(())
}

/// Removes `.` and `..` lexically (the folders may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
