//! Diagnostics in the shapes machines read: GitHub workflow commands (annotations on
//! a commit) and JSON lines (editors, scripts). The human shape is `Display`.

use std::path::{Component, Path, PathBuf};

use super::{Diagnostic, Severity};

/// Turns the log folder's relative paths into paths from the repository root, which
/// is what GitHub needs to put an annotation on a file.
#[derive(Clone, Debug)]
pub struct RepositoryPaths {
    /// The git top-level holding the log folder, or the log folder when it is in none.
    top: PathBuf,
    /// The log folder, absolute.
    log_dir: PathBuf,
}

impl RepositoryPaths {
    /// Finds the repository of the log folder `dir`: the nearest folder above it (or
    /// itself) holding `.git` (a folder, or a file in a worktree or submodule).
    pub fn find(dir: &Path) -> RepositoryPaths {
        let log_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let top = log_dir
            .ancestors()
            .find(|a| a.join(".git").exists())
            .unwrap_or(&log_dir)
            .to_path_buf();
        RepositoryPaths { top, log_dir }
    }

    /// `path` (relative to the log folder, or absolute) from the repository root, with
    /// `/` between parts on every system.
    pub fn relative(&self, path: &Path) -> String {
        let absolute = self.log_dir.join(path);
        let rel = absolute.strip_prefix(&self.top).unwrap_or(path);
        let parts: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
                Component::ParentDir => Some("..".to_string()),
                _ => None,
            })
            .collect();
        parts.join("/")
    }
}

/// One GitHub workflow command: `::error file=…,line=…,col=…,title=…::message`
/// (`::warning` for warnings). A fatal problem is an error there: GitHub has no more.
pub fn github(d: &Diagnostic, paths: &RepositoryPaths) -> String {
    let command = match d.severity {
        Severity::Warning => "warning",
        Severity::Error | Severity::Fatal => "error",
    };
    let mut props = vec![format!(
        "file={}",
        escape_property(&paths.relative(&d.path))
    )];
    if let Some(line) = d.line {
        props.push(format!("line={line}"));
    }
    if let Some(col) = d.column {
        props.push(format!("col={col}"));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("logsite {}", d.severity))
    ));
    format!(
        "::{command} {}::{}",
        props.join(","),
        escape_data(&d.message)
    )
}

/// One JSON object on one line: path (from the log folder), line, column (null when
/// the problem is about the whole file), severity and message.
pub fn json(d: &Diagnostic) -> String {
    let path: Vec<String> = d
        .path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    serde_json::json!({
        "path": path.join("/"),
        "line": d.line,
        "column": d.column,
        "severity": d.severity,
        "message": d.message,
    })
    .to_string()
}

/// A workflow command's message: `%`, CR and LF are percent-encoded (GitHub's
/// `escapeData` in @actions/core), so a message stays one command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,`, which
/// would end the value (`escapeProperty` in @actions/core).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // Data keeps `:` and `,`: only properties end at them.
        assert_eq!(escape_data("a:b,c"), "a:b,c");
    }
}
