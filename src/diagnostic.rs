//! Diagnostics: what is wrong with a note, collected by the stages, shown by the commands.

pub mod format;

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. The same three levels in every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The note disagrees with itself (declared vs computed hours…): printed, never fails.
    Warning,
    /// The site would be wrong for a reader (a missing image): `build` goes on, `check` fails.
    Error,
    /// The note cannot be read as a note: `build` stops and changes nothing.
    Fatal,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Fatal => "fatal",
        })
    }
}

/// One finding about one file, with its position where it has one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file, relative to the log folder where possible.
    pub path: PathBuf,
    /// 1-based line, where the finding has a place in the file.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub column: Option<usize>,
    pub severity: Severity,
    pub message: String,
    /// The quoted source line, so the author sees what was read.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn new(path: &Path, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: None,
            column: None,
            severity,
            message: message.into(),
            source_line: None,
        }
    }

    /// A diagnostic at a byte offset of `text`: line, column and the quoted line are
    /// derived. For many in one text, make one [`LineIndex`] and ask it.
    pub fn at(
        path: &Path,
        text: &str,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        LineIndex::new(text).diagnostic(path, offset, severity, message)
    }

    /// The short form used in `log.json`: `file:line: warning: message`.
    pub fn one_line(&self) -> String {
        match self.line {
            Some(line) => format!(
                "{}:{}: {}: {}",
                self.path.display(),
                line,
                self.severity,
                self.message
            ),
            None => format!(
                "{}: {}: {}",
                self.path.display(),
                self.severity,
                self.message
            ),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.message)?;
        write!(f, "\n  --> {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let (Some(line), Some(src)) = (self.line, &self.source_line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |\n{line} | {}", "", quoted(src.trim_end()))?;
        }
        Ok(())
    }
}

/// The longest quote of a source line, in characters: a 20 KB line of `- `
/// would otherwise flood the terminal.
const QUOTE_CHARS: usize = 160;

/// A source line as a terminal may show it: cut at [`QUOTE_CHARS`], and
/// control characters (an escape sequence pasted into a note) shown as `\u{..}`
/// instead of acting on the terminal.
fn quoted(line: &str) -> String {
    let mut out = String::with_capacity(line.len().min(QUOTE_CHARS * 4));
    for (i, c) in line.chars().enumerate() {
        if i == QUOTE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Where each line of a text starts, found once, for many diagnostics in one text:
/// counting the lines from the start of the text for each one, a note with 20,000
/// warnings took 2 s.
pub struct LineIndex<'t> {
    text: &'t str,
    /// 0, then the offset after each line feed.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// Where each line starts: 0, then after each line feed.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// Line `line` (1-based) without its line feed, as `text.split('\n')` gives it.
    pub fn line(&self, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = (self.starts.get(line)).map_or(self.text.len(), |next| next - 1);
        Some(&self.text[start..end])
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// 1-based line, 1-based column (in characters) and the line's text at a byte
    /// offset (the last character boundary at or before it; the end past the end).
    pub fn position(&self, offset: usize) -> (usize, usize, &'t str) {
        let text = self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        (line, column, self.line(line).unwrap_or_default())
    }

    /// A diagnostic at a byte offset of the text: see [`Diagnostic::at`].
    pub fn diagnostic(
        &self,
        path: &Path,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column, source_line) = self.position(offset);
        Diagnostic {
            line: Some(line),
            column: Some(column),
            source_line: Some(source_line.to_string()),
            ..Diagnostic::new(path, severity, message)
        }
    }
}

pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`LineIndex::position`] must give, found by scanning from the start.
    fn position(text: &str, offset: usize) -> (usize, usize, &str) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        (line, column, &text[line_start..line_end])
    }

    #[test]
    fn a_line_index_gives_the_positions_of_a_scan_from_the_start() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "# 題\n\n- 今日: 6h\r\n\n![画像](a.png)\nlast line without newline é",
            "ends with a newline\n",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            for line in 0..6usize {
                let split = line.checked_sub(1).and_then(|k| text.split('\n').nth(k));
                assert_eq!(index.line(line), split, "line {line} of {text:?}");
            }
            // Every offset, inside a character and past the end too.
            for offset in 0..text.len() + 3 {
                assert_eq!(
                    index.position(offset),
                    position(text, offset),
                    "{text:?} at {offset}"
                );
                let path = Path::new("n.md");
                let (line, column, quoted) = position(text, offset);
                assert_eq!(
                    index.diagnostic(path, offset, Severity::Warning, "w"),
                    Diagnostic {
                        line: Some(line),
                        column: Some(column),
                        source_line: Some(quoted.to_string()),
                        ..Diagnostic::new(path, Severity::Warning, "w")
                    },
                );
            }
        }
    }

    #[test]
    fn a_long_line_with_an_escape_sequence_is_quoted_short_and_inert() {
        let text = format!("- \u{1b}[2J{}", "- ".repeat(10_000));
        let d = Diagnostic::at(Path::new("n.md"), &text, 0, Severity::Error, "too deep");
        let shown = d.to_string();
        assert!(shown.contains("\\u{1b}[2J"), "{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert!(shown.ends_with('…'), "{shown}");
    }
}
