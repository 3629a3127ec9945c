//! The note stage: one Markdown file → a typed [`Note`].
//!
//! The types here are plain data: no Markdown parsing (that is `outline` and `parse`),
//! no HTML (that is `site`). Items say where their Markdown is in the note's text
//! ([`Span`]); what they are is read from the text again when a page needs it, so the
//! log holds numbers and ranges, not a second copy of every note.

pub mod date;
pub mod duration;
pub mod outline;
mod parse;
pub mod private;
pub mod roles;
pub mod work;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::markdown::LinkRefs;

pub use parse::{parse, NoteContext};
pub use roles::{Role, Roles};

/// One daily note, read.
#[derive(Clone, Debug)]
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
    /// 感じたこと: items read like learnings (the home page shows the newest note's).
    pub feelings: Vec<Learning>,
    pub next: Vec<Step>,
    pub declared: Declared,
    /// Images as written, in order, with their place in the file.
    pub image_refs: Vec<ImageRef>,
    /// Task-title words this note excludes with `※…は学習時間に含めません`.
    pub excluded_words: Vec<String>,
    /// Warnings and errors about this note (fatal ones stop it from being a Note).
    pub diagnostics: Vec<Diagnostic>,
    /// [`text_hash`] of the file's text when it was parsed, private parts blanked.
    pub text_hash: u64,
    /// The byte ranges blanked as private ([`private`]): blanked again when the file is
    /// read again.
    pub private: Vec<Range<usize>>,
    /// The text it was parsed from, where the log keeps it (the newest notes, up to a
    /// budget: see `log::KEPT_TEXT_BYTES`); otherwise [`Note::read_text`] reads the file.
    pub text: Option<Arc<str>>,
    /// Each of `sections`' plain text where the text is kept, made from the parse that
    /// read the note ([`crate::markdown::to_plain_text`] of each section's Markdown):
    /// topics and search read it, and would otherwise parse every section again.
    pub section_plain: Option<Vec<String>>,
    /// The note's link reference definitions, for each piece of it rendered alone.
    pub link_refs: LinkRefs,
    /// Where the text is kept: the plain title of each task whose title holds markup,
    /// made by the parse that read the note, by where the task's first line starts
    /// (ascending). Making it again means parsing the line again, for `log.json`, week
    /// pages and reports alike.
    pub parsed_titles: Vec<(u32, Box<str>)>,
    /// The outermost lists of its tasks sections, as the parse that read the note found
    /// them: the day page draws the task tree from `tasks` and renders the rest of such
    /// a section (a `※` line) without them, which took a parse of its own.
    pub task_lists: Vec<Span>,
}

impl Note {
    /// The note's text, read again from `root.join(&self.path)`.
    ///
    /// The log keeps every note's items but not all notes' text: at 100,000 notes that
    /// text alone is ~390 MiB held through the whole build, for pages and search
    /// records that each need one note at a time. The newest notes' text is kept (up to
    /// a budget); for the others the file is read again from the page cache. A file
    /// that changed since it was parsed is an error (the ranges no longer fit it);
    /// building again reads it afresh.
    pub fn read_text(&self, root: &Path) -> Result<Arc<str>, Diagnostic> {
        if let Some(text) = &self.text {
            return Ok(text.clone());
        }
        let path = root.join(&self.path);
        let changed = || {
            Diagnostic::new(
                &self.path,
                crate::diagnostic::Severity::Fatal,
                "the file changed while the site was being built: build again",
            )
        };
        let bytes = std::fs::read(&path).map_err(|_| changed())?;
        let mut text = crate::load::normalized_text(&self.path, &bytes).map_err(|d| *d)?;
        private::blank(&mut text, &self.private);
        if text_hash(&text) != self.text_hash {
            return Err(changed());
        }
        Ok(text.into())
    }

    /// [`Task::title`] of one of this note's tasks, as the parse kept it where it did.
    pub fn task_title(&self, task: &Task, text: &str) -> String {
        let at = task.first_line.start;
        match self
            .parsed_titles
            .binary_search_by_key(&at, |(start, _)| *start)
        {
            Ok(i) => self.parsed_titles[i].1.to_string(),
            Err(_) => task.title(text, &self.link_refs),
        }
    }

    /// Image destinations as written, in order.
    pub fn images(&self) -> impl Iterator<Item = &str> {
        self.image_refs.iter().map(|i| i.url.as_str())
    }

    /// The day's own minutes from its tasks: the sum of counted top-level items;
    /// `None` when no item carries a duration at all.
    pub fn task_minutes(&self) -> Option<u32> {
        if !self.tasks.iter().any(Task::has_duration) {
            return None;
        }
        Some(duration::add_up(
            self.tasks
                .iter()
                .filter(|t| t.counted)
                .filter_map(|t| t.minutes),
        ))
    }
}

/// An image link and where it is written.
#[derive(Clone, Debug)]
pub struct ImageRef {
    pub url: String,
    pub line: usize,
    pub column: usize,
}

/// A hash of a note's whole text (after BOM and line-end normalisation), for telling
/// within one process whether the text changed. XXH3: SipHash over every note's text,
/// twice a build, was a third of a percent of a build's instructions.
pub fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// A `##` section, kept for rendering in its place.
#[derive(Clone, Debug)]
pub struct Section {
    /// The heading as written (plain text); `None` for text before the first `##`.
    pub heading: Option<String>,
    pub role: Option<Role>,
    /// Where the section body's Markdown source is in the file's text.
    pub body: Span,
    /// 1-based line of the heading.
    pub line: usize,
}

impl Section {
    /// The section body as Markdown source, out of the note's text
    /// ([`Note::read_text`], or the source it was parsed from).
    pub fn markdown<'t>(&self, text: &'t str) -> &'t str {
        self.body.of(text)
    }
}

/// A piece of a note's text: a byte range of what [`Note::read_text`] returns.
///
/// Items keep spans, not strings: at 100,000 notes their text held as strings (plain
/// and Markdown) was ~1 GiB, for pages that each need a handful of notes at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// `range` of a note's text (a note over 4 GiB reads as empty spans, never a panic).
    pub fn new(range: Range<usize>) -> Span {
        let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        Span {
            start: at(range.start),
            end: at(range.end),
        }
    }

    /// True when the span covers nothing (an empty list item).
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// The text this span covers ("" if `text` is not the text it was made for).
    pub fn of(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    /// The span's trimmed, non-empty lines: an item's own lines (its Markdown without
    /// indentation), the same split [`outline`] makes while parsing.
    pub fn lines(self, text: &str) -> impl Iterator<Item = &str> {
        item_lines(self.of(text))
    }

    /// The text this span covers with the spans `cuts` (ascending) that lie within it
    /// left out.
    pub fn without(self, text: &str, cuts: &[Span]) -> String {
        let piece = |from: u32, to: u32| text.get(from as usize..to as usize).unwrap_or("");
        let mut kept = String::new();
        let mut last = self.start;
        for cut in cuts {
            if cut.start < last || cut.end > self.end {
                continue;
            }
            kept.push_str(piece(last, cut.start));
            last = cut.end;
        }
        kept.push_str(piece(last, self.end));
        kept
    }

    /// The lines joined with `\n`: an item's own Markdown.
    pub fn markdown(self, text: &str) -> String {
        self.lines(text).collect::<Vec<_>>().join("\n")
    }
}

/// A task's title as Markdown: its first `line` with the duration group at `cut` (a
/// byte range of the line) removed, trimmed. The parser and [`Task::title_markdown`]
/// both cut titles with it.
pub(crate) fn title_without(line: &str, cut: Option<Range<usize>>) -> String {
    match cut.and_then(|c| Some((line.get(..c.start)?, line.get(c.end..)?))) {
        Some((before, after)) => {
            let mut title = String::with_capacity(before.len() + after.len());
            title.push_str(before);
            title.push_str(after);
            crate::text::trimmed(title)
        }
        None => line.trim().to_string(),
    }
}

/// The plain text of one line of Markdown, trimmed: a task's title, a step's text.
/// `refs`: the note's link reference definitions.
pub(crate) fn plain_line(markdown: &str, refs: &LinkRefs) -> String {
    crate::text::trimmed(crate::markdown::to_plain_text(markdown, refs))
}

/// The trimmed, non-empty lines of an item's own text.
pub fn item_lines(own: &str) -> impl Iterator<Item = &str> {
    crate::text::lines(own)
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// A task item with its hours.
#[derive(Clone, Debug)]
pub struct Task {
    /// The item's own text: its first line is the title, the rest continuations.
    pub own: Span,
    /// The first line.
    pub first_line: Span,
    /// The duration written on the first line (`（1h）`), cut out of the title.
    pub duration: Option<Span>,
    /// The duration written on the item itself.
    pub own_minutes: Option<u32>,
    /// Own duration, else the sum of counted children that have minutes.
    pub minutes: Option<u32>,
    /// False when excluded (meetings…) or under an excluded item.
    pub counted: bool,
    /// What its title is about: a later task may be the work of an earlier step.
    pub work: work::Work,
    pub children: Vec<Task>,
    pub line: usize,
}

impl Task {
    /// True when this item or any below it has a written duration.
    pub fn has_duration(&self) -> bool {
        self.own_minutes.is_some() || self.children.iter().any(Task::has_duration)
    }

    /// The title as Markdown: the first line without its duration.
    pub fn title_markdown(&self, text: &str) -> String {
        let line = self.first_line.of(text);
        // The duration's place in the line; none if the spans do not nest (they
        // always do for a note parsed from this text).
        let cut = self.duration.and_then(|d| {
            let start = d.start.checked_sub(self.first_line.start)?;
            let end = d.end.checked_sub(self.first_line.start)?;
            Some(start as usize..end as usize)
        });
        title_without(line, cut)
    }

    /// Plain-text title, duration removed; `refs` are the note's.
    pub fn title(&self, text: &str, refs: &LinkRefs) -> String {
        plain_line(&self.title_markdown(text), refs)
    }

    /// Further lines of the item's own text (continuations), as Markdown.
    pub fn more_markdown<'t>(&self, text: &'t str) -> impl Iterator<Item = &'t str> {
        self.own.lines(text).skip(1)
    }
}

/// An open (or resolved) problem as written on one day.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Plain-text title: the bold text of the first line, else the line without
    /// parentheses. Kept (short) because the knowledge base groups and lists problems
    /// of every day by it.
    pub title: String,
    /// Folded title: the same problem on later days has the same key.
    pub key: String,
    /// The first line.
    pub first_line: Span,
    /// When it was seen (`21:20`), from a clock time in parentheses.
    pub time: Option<String>,
    pub resolved: bool,
    /// Details in order; analyses (`→ …`) marked.
    pub details: Vec<Detail>,
    pub line: usize,
}

/// One line under a problem.
#[derive(Clone, Debug)]
pub struct Detail {
    pub line: Span,
    /// The author's analysis: a line beginning with `→`.
    pub analysis: bool,
}

/// One thing learned, with its sub-points.
#[derive(Clone, Debug)]
pub struct Learning {
    /// The item's own text.
    pub own: Span,
    /// Each sub-item's own text, depth first.
    pub details: Vec<Span>,
    pub line: usize,
}

impl Learning {
    pub fn markdown(&self, text: &str) -> String {
        self.own.markdown(text)
    }
    /// Plain text of the learning itself; `refs` are the note's.
    pub fn text(&self, text: &str, refs: &LinkRefs) -> String {
        crate::markdown::to_plain_text(&self.markdown(text), refs)
    }
    /// Each sub-point as Markdown.
    pub fn details(&self, text: &str) -> Vec<String> {
        self.details.iter().map(|d| d.markdown(text)).collect()
    }
}

/// A next step.
#[derive(Clone, Debug)]
pub struct Step {
    /// The item's own text.
    pub own: Span,
    /// The area it sits under (`backend`, `infra`), where it has one.
    pub area: Option<String>,
    /// What it is about: a step carried forward from note to note, whatever its
    /// deadline, is the same work on every day (see `log::steps`).
    pub work: work::Work,
    pub due: Option<NaiveDate>,
    /// Each sub-item's own text, depth first.
    pub details: Vec<Span>,
    /// `- [x]`: done already.
    pub done: bool,
    pub line: usize,
}

impl Step {
    pub fn markdown(&self, text: &str) -> String {
        self.own.markdown(text)
    }
    /// Plain text of the step itself; `refs` are the note's.
    pub fn text(&self, text: &str, refs: &LinkRefs) -> String {
        plain_line(&self.markdown(text), refs)
    }
    /// Each sub-item as Markdown.
    pub fn details(&self, text: &str) -> Vec<String> {
        self.details.iter().map(|d| d.markdown(text)).collect()
    }
}

/// The author's hand-kept tally in the 学習時間 section.
#[derive(Clone, Debug, Default)]
pub struct Declared {
    pub today: Option<Figure>,
    pub week: Option<Figure>,
    pub total: Option<Figure>,
    /// Lines of task items whose hours are written outside parentheses (`- infra 1h`):
    /// logsite does not count them, but the author's tally likely does.
    pub uncounted_lines: Vec<usize>,
}

/// One declared figure, with its line quoted for warnings.
#[derive(Clone, Debug)]
pub struct Figure {
    pub minutes: u32,
    /// 1-based line in the file.
    pub line: usize,
}
