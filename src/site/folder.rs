//! Whose the site folder is: a build replaces only a folder logsite wrote (never a
//! file, a symlink, or the notes), and clears away what killed builds left beside it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::output::MARKER;

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
    if let Ok(meta) = std::fs::symlink_metadata(out) {
        if !meta.is_dir() {
            anyhow::bail!(
                "refusing to write the site to {}: it is {}, not a folder (choose a folder for the site; logsite leaves this one as it is)",
                out.display(),
                if meta.is_symlink() { "a symbolic link" } else { "a file" }
            );
        }
    }
    if out.is_dir() && !out.join(MARKER).exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!(
            "refusing to replace {}: it is not empty and was not written by logsite (move its files away, or choose another build-dir)",
            out.display()
        );
    }
    Ok(())
}

/// Removes what killed builds of the site `name` left in `parent`: the folders named
/// `.{name}.building-{pid}-…` and `.{name}.old-{pid}` that hold logsite's marker, and
/// whose process is gone. Anything else, an author's file above all, stays.
pub(super) fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (building, old) = (format!(".{name}.building-"), format!(".{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        // This process's own staging folder may be in use; its own `.old-` one is a
        // leftover of a killed process that had the same id, and would block the swap.
        let (pid, live): (Option<&str>, fn(u32) -> bool) = match (
            file_name.strip_prefix(&building),
            file_name.strip_prefix(&old),
        ) {
            (Some(rest), _) => (rest.split('-').next(), process_running),
            (_, Some(rest)) => (Some(rest), other_process_running),
            _ => continue,
        };
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let path = entry.path();
        let ours = entry.file_type().is_ok_and(|t| t.is_dir()) && path.join(MARKER).is_file();
        if ours && !live(pid) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// True when process `pid` may still be running its build. Where there is no `/proc`
/// to ask, every process is taken to be running: a leftover stays rather than a
/// running build losing its folder.
fn process_running(pid: u32) -> bool {
    pid == std::process::id() || other_process_running(pid)
}

fn other_process_running(pid: u32) -> bool {
    pid != std::process::id()
        && (!Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists())
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
