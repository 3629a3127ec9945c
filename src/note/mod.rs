//! The note stage: one Markdown file → a typed [`Note`].
//!
//! The types here are plain data: no Markdown parsing (that is `outline` and `parse`),
//! no HTML (that is `site`). Markdown fragments are kept as source text so that the
//! site can render them, and as plain text so that the log can count and match them.

pub mod date;
pub mod duration;
pub mod outline;
mod parse;
pub mod roles;

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::Diagnostic;

pub use parse::{parse, NoteContext};
pub use roles::{Role, Roles};

/// One daily note, read.
#[derive(Clone, Debug, Serialize)]
pub struct Note {
    pub date: NaiveDate,
    /// Path relative to the log folder, for messages.
    pub path: PathBuf,
    /// Path relative to the content folder: images are found beside it.
    pub rel_path: PathBuf,
    /// Front-matter title, where given (a day page is otherwise titled by its date).
    pub title: Option<String>,
    pub draft: bool,
    pub tags: Vec<String>,
    /// Every published section in order; private sections are never stored. Sections
    /// say where their text is, not what it is: see [`Note::read_text`].
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    pub problems: Vec<Problem>,
    pub learnings: Vec<Learning>,
    pub next: Vec<Step>,
    pub declared: Declared,
    /// Image destinations as written, in order.
    pub images: Vec<String>,
    /// The same images with their place in the file, for the log stage's existence check.
    #[serde(skip)]
    pub image_refs: Vec<ImageRef>,
    /// Task-title words this note excludes with `※…は学習時間に含めません`.
    pub excluded_words: Vec<String>,
    /// Warnings and errors about this note (fatal ones stop it from being a Note).
    pub diagnostics: Vec<Diagnostic>,
    /// [`text_hash`] of the file's text when it was parsed.
    #[serde(skip)]
    pub text_hash: u64,
}

impl Note {
    /// The note's text, read again from `root.join(&self.path)`.
    ///
    /// The log keeps every note's items but not its sections' text: at ten thousand
    /// notes that text alone is tens of MiB held through the whole build, for pages and
    /// search records that each need one note at a time. Reading a small file again
    /// from the page cache costs microseconds. A file that changed since it was parsed
    /// is an error (the ranges no longer fit it); building again reads it afresh.
    pub fn read_text(&self, root: &Path) -> Result<String, Diagnostic> {
        let path = root.join(&self.path);
        let changed = || {
            Diagnostic::new(
                &self.path,
                crate::diagnostic::Severity::Fatal,
                "the file changed while the site was being built: build again",
            )
        };
        let bytes = std::fs::read(&path).map_err(|_| changed())?;
        let text = crate::load::normalized_text(&self.path, &bytes).map_err(|d| *d)?;
        if text_hash(&text) != self.text_hash {
            return Err(changed());
        }
        Ok(text)
    }

    /// The day's own minutes from its tasks: the sum of counted top-level items;
    /// `None` when no item carries a duration at all.
    pub fn task_minutes(&self) -> Option<u32> {
        if !self.tasks.iter().any(Task::has_duration) {
            return None;
        }
        Some(
            self.tasks
                .iter()
                .filter(|t| t.counted)
                .filter_map(|t| t.minutes)
                .sum(),
        )
    }
}

/// An image link and where it is written.
#[derive(Clone, Debug)]
pub struct ImageRef {
    pub url: String,
    pub line: usize,
    pub column: usize,
    pub source_line: String,
}

/// A hash of a note's whole text (after BOM and line-end normalisation).
pub fn text_hash(text: &str) -> u64 {
    crate::log::hash_of(text)
}

/// A `##` section, kept for rendering in its place.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// The heading as written (plain text); `None` for text before the first `##`.
    pub heading: Option<String>,
    pub role: Option<Role>,
    /// Where the section body's Markdown source is in the file's text.
    pub body: Range<usize>,
    /// 1-based line of the heading.
    pub line: usize,
}

impl Section {
    /// The section body as Markdown source, out of the note's text
    /// ([`Note::read_text`], or the source it was parsed from).
    pub fn markdown<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.body.clone()).unwrap_or("")
    }
}

/// A task item with its hours.
#[derive(Clone, Debug, Serialize)]
pub struct Task {
    /// Plain-text title, duration removed.
    pub title: String,
    /// The title as Markdown, for rendering.
    pub title_markdown: String,
    /// Further lines of the item's own text (continuations), as Markdown.
    pub more_markdown: Vec<String>,
    /// The duration written on the item itself.
    pub own_minutes: Option<u32>,
    /// Own duration, else the sum of counted children that have minutes.
    pub minutes: Option<u32>,
    /// False when excluded (meetings…) or under an excluded item.
    pub counted: bool,
    pub children: Vec<Task>,
    pub line: usize,
}

impl Task {
    /// True when this item or any below it has a written duration.
    pub fn has_duration(&self) -> bool {
        self.own_minutes.is_some() || self.children.iter().any(Task::has_duration)
    }
}

/// An open (or resolved) problem as written on one day.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// Plain-text title: the bold text of the first line, else the line without parentheses.
    pub title: String,
    /// Folded title: the same problem on later days has the same key.
    pub key: String,
    /// The first line as Markdown.
    pub first_line_markdown: String,
    /// When it was seen (`21:20`), from a clock time in parentheses.
    pub time: Option<String>,
    pub resolved: bool,
    /// Details in order, as Markdown; analyses (`→ …`) marked.
    pub details: Vec<Detail>,
    pub line: usize,
}

/// One line under a problem.
#[derive(Clone, Debug, Serialize)]
pub struct Detail {
    pub markdown: String,
    /// The author's analysis: a line beginning with `→`.
    pub analysis: bool,
}

/// One thing learned, with its sub-points.
#[derive(Clone, Debug, Serialize)]
pub struct Learning {
    pub text: String,
    pub markdown: String,
    pub details: Vec<String>,
    pub line: usize,
}

/// A next step.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub text: String,
    pub markdown: String,
    /// The area it sits under (`backend`, `infra`), where it has one.
    pub area: Option<String>,
    pub due: Option<NaiveDate>,
    /// Sub-items, as Markdown.
    pub details: Vec<String>,
    /// `- [x]`: done already.
    pub done: bool,
    pub line: usize,
}

/// The author's hand-kept tally in the 学習時間 section.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Declared {
    pub today: Option<Figure>,
    pub week: Option<Figure>,
    pub total: Option<Figure>,
}

/// One declared figure, with its line quoted for warnings.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub minutes: u32,
    /// 1-based line in the file.
    pub line: usize,
    pub source_line: String,
}
