//! Atomic output: a build is written beside the output folder and swapped in only
//! when it succeeded, so a failed build leaves the previous site as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A build in progress: a temp folder next to the output (a rename across filesystems
/// would fail), renamed into place by [`Staging::commit`], removed if dropped.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
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
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The folder to write into.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file (creating folders) under the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        write_file(&self.dir.path().join(rel), bytes)
    }

    /// Swaps the finished build in: old output renamed aside, new renamed in, old removed.
    pub fn commit(self) -> Result<()> {
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

/// A file every build writes, so a later build knows the folder is its own to replace.
pub const MARKER: &str = ".logsite-build";

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
