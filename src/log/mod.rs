//! The log stage: all notes → days, weeks and totals, computed once.
//!
//! Templates and the export only read what is computed here; nothing downstream sums
//! hours again.

mod cache;
pub mod export;
pub mod kb;
pub mod names;
pub mod stats;
pub mod steps;
pub mod topics;

pub use cache::NoteCache;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::load::{Loaded, Source, SourceKind};
use crate::note::private::{redact_remembering, HeadingMemo};
use crate::note::{self, duration, Note, NoteContext, Roles};

/// One published day: a note and the hours computed for it.
#[derive(Clone, Debug)]
pub struct Day {
    pub note: Note,
    /// The day's own minutes.
    pub minutes: u32,
    /// Minutes from the week's first day up to and including this day.
    pub week_minutes: u32,
    /// Baseline plus every day up to and including this one.
    pub total_minutes: u32,
    /// Index into `Log::weeks`.
    pub week: usize,
    /// For each of the note's next steps, its index into `Log::steps`.
    pub steps: Box<[u32]>,
}

impl Day {
    pub fn date(&self) -> NaiveDate {
        self.note.date
    }

    /// The day page's URL relative to the site root.
    pub fn url(&self) -> String {
        day_url(self.note.date)
    }

    /// True when a figure the note declares (Today, week, Total) differs from the
    /// computed one (`check` warns about each).
    pub fn declared_differs(&self) -> bool {
        let d = &self.note.declared;
        [
            (&d.today, self.minutes),
            (&d.week, self.week_minutes),
            (&d.total, self.total_minutes),
        ]
        .iter()
        .any(|(figure, computed)| figure.as_ref().is_some_and(|f| f.minutes != *computed))
    }
}

/// The URL of a day page, relative to the site root. Flat `.html` files, so links work
/// from `file://` as well as under any subpath.
pub fn day_url(date: NaiveDate) -> String {
    // `NaiveDate`'s own Display writes `%Y-%m-%d` without parsing a format string at
    // each call, which was most of the cost of the tens of thousands of links a
    // build writes.
    format!("days/{date}.html")
}

/// A week that has at least one day.
#[derive(Clone, Debug)]
pub struct Week {
    /// `2025-W18`: the ISO week of the week's Monday.
    pub id: String,
    pub start: NaiveDate,
    pub minutes: u32,
    /// Indices into `Log::days`, in date order.
    pub days: Vec<usize>,
}

impl Week {
    pub fn url(&self) -> String {
        format!("weeks/{}.html", self.id)
    }
    pub fn end(&self) -> NaiveDate {
        self.start + Days::new(6)
    }
}

/// Everything the site is built from.
#[derive(Debug)]
pub struct Log {
    /// The log folder: notes are read again from it (see [`Log::note_text`]).
    pub root: PathBuf,
    pub config: Config,
    /// Published days in date order (drafts only with `--drafts`).
    pub days: Vec<Day>,
    pub weeks: Vec<Week>,
    /// Every next step once, with what became of it as of the newest note.
    pub steps: Vec<steps::StepRecord>,
    pub baseline_minutes: u32,
    /// Explainers, knowledge-base entries and free pages.
    pub pages: Vec<Source>,
    /// Drafts left out of the site, kept so `check` can still read them.
    pub drafts: Vec<Note>,
    /// Findings not tied to one day (unreadable files, two notes on one date).
    pub diagnostics: Vec<Diagnostic>,
    /// The date "now" is measured from: today.
    pub today: NaiveDate,
    /// See [`Log::problem_first_days`].
    first_problem_days: std::sync::OnceLock<HashMap<String, usize>>,
}

/// How to build a log.
#[derive(Clone, Debug)]
pub struct LogOptions {
    pub include_drafts: bool,
    /// Notes dated after this get a warning (they are still built).
    pub today: NaiveDate,
    /// Check that linked images exist.
    pub check_images: bool,
}

impl Log {
    /// Reads and computes the whole log of the folder `root`.
    pub fn open(root: &Path, config: Config, options: &LogOptions) -> Log {
        let loaded = crate::load::load(root, &config);
        Log::build(root, config, loaded, options)
    }

    /// Computes the log from loaded sources.
    pub fn build(root: &Path, config: Config, loaded: Loaded, options: &LogOptions) -> Log {
        let roles = Roles::new(&config.sections);
        let ctx = NoteContext {
            roles: &roles,
            exclude: &config.hours.exclude,
        };
        let (note_sources, pages) = redacted_sources(loaded.sources, &roles);
        // Each source is dropped as soon as its note is read, its text kept only within
        // the budget: the text is never held twice.
        let kept = kept_from(&note_sources);
        let notes: Vec<Note> = note_sources
            .into_par_iter()
            .enumerate()
            .map(|(i, s)| note::parse(&s, &ctx, i >= kept))
            .collect();
        Log::assemble(root, config, notes, pages, loaded.diagnostics, options)
    }

    /// Drafts, date order, duplicate dates, missing images, then the hours.
    fn assemble(
        root: &Path,
        config: Config,
        mut notes: Vec<Note>,
        mut pages: Vec<Source>,
        mut diagnostics: Vec<Diagnostic>,
        options: &LogOptions,
    ) -> Log {
        let drafts: Vec<Note>;
        if options.include_drafts {
            drafts = Vec::new();
        } else {
            let (d, published): (Vec<Note>, Vec<Note>) = notes.into_iter().partition(|n| n.draft);
            drafts = d;
            notes = published;
        }
        notes.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));
        duplicate_dates(&notes, &mut diagnostics);
        names::name_pages(&mut pages, &mut diagnostics);
        names::reserved_names(&notes, &mut diagnostics);
        diagnostics.extend(pages.iter().flat_map(blocked_urls));
        if options.check_images {
            let folders = crate::load::Folders::new(root, &crate::load::content_dir(root, &config));
            notes
                .par_iter_mut()
                .for_each(|n| check_images(n, root, &folders));
            let published = pages
                .iter()
                .filter(|p| !p.front.draft || options.include_drafts);
            diagnostics.extend(published.flat_map(|p| check_page_images(p, &folders)));
        }

        let mut log = Log {
            root: root.to_path_buf(),
            config,
            days: Vec::new(),
            weeks: Vec::new(),
            steps: Vec::new(),
            baseline_minutes: 0,
            pages,
            drafts,
            diagnostics,
            today: options.today,
            first_problem_days: Default::default(),
        };
        log.compute_hours(notes);
        log
    }

    fn compute_hours(&mut self, notes: Vec<Note>) {
        let week_start = self.config.hours.week_start;
        let mut running: u64 = 0;
        let mut days: Vec<Day> = Vec::with_capacity(notes.len());
        let mut first_declared_total: Option<(u64, u32)> = None;
        for note in notes {
            let minutes = note
                .task_minutes()
                .or(note.declared.today.as_ref().map(|f| f.minutes))
                .unwrap_or(0);
            running += u64::from(minutes);
            if first_declared_total.is_none() {
                if let Some(total) = &note.declared.total {
                    first_declared_total = Some((running, total.minutes));
                }
            }
            let start = week_start_of(note.date, week_start);
            let week = match self.weeks.last_mut() {
                Some(w) if w.start == start => w,
                _ => {
                    self.weeks.push(Week {
                        id: week_id(start),
                        start,
                        minutes: 0,
                        days: Vec::new(),
                    });
                    self.weeks.last_mut().expect("just pushed")
                }
            };
            week.minutes = week.minutes.saturating_add(minutes);
            week.days.push(days.len());
            let week_minutes = week.minutes;
            days.push(Day {
                note,
                minutes,
                week_minutes,
                total_minutes: 0,
                week: self.weeks.len() - 1,
                steps: Box::default(),
            });
        }
        self.baseline_minutes = match self.config.baseline_minutes() {
            Some(b) => b,
            None => first_declared_total.map_or(0, |(sum, declared)| {
                u64::from(declared).saturating_sub(sum) as u32
            }),
        };
        let mut total = u64::from(self.baseline_minutes);
        // The latest task line so far with hours outside parentheses (its week, and
        // where it is): a declared week or Total after it likely counts those hours.
        let mut uncounted: Option<(usize, String)> = None;
        for day in &mut days {
            total += u64::from(day.minutes);
            day.total_minutes = total.min(u64::from(u32::MAX)) as u32;
            if let Some(line) = day.note.declared.uncounted_lines.last() {
                uncounted = Some((day.week, format!("{}:{line}", day.note.path.display())));
            }
            let in_week = uncounted.as_ref().filter(|(w, _)| *w == day.week);
            let uncounted_before = Uncounted {
                week: in_week.map(|(_, at)| at.as_str()),
                total: uncounted.as_ref().map(|(_, at)| at.as_str()),
            };
            compare_declared(day, &self.root, &uncounted_before);
        }
        self.diagnostics.extend(future_days(&mut days, self.today));
        let (records, per_day) = steps::track(&days);
        for (day, of_day) in days.iter_mut().zip(per_day) {
            day.steps = of_day;
        }
        self.steps = records;
        self.days = days;
    }

    /// For each problem (by key), the index of the first day that wrote it: computed
    /// once, not scanned again for each week's report (which made 100,000 notes take
    /// minutes: every week read every day before it).
    pub fn problem_first_days(&self) -> &HashMap<String, usize> {
        self.first_problem_days.get_or_init(|| {
            let mut first = HashMap::new();
            for (i, day) in self.days.iter().enumerate() {
                for p in &day.note.problems {
                    first.entry(p.key.clone()).or_insert(i);
                }
            }
            first
        })
    }

    /// A note's text (kept, or read again): items and sections keep only
    /// [`note::Span`]s into it.
    pub fn note_text(&self, note: &Note) -> Result<Arc<str>, Diagnostic> {
        note.read_text(&self.root)
    }

    /// The total of the last day (the baseline where there is none).
    pub fn total_minutes(&self) -> u32 {
        self.days
            .last()
            .map_or(self.baseline_minutes, |d| d.total_minutes)
    }

    /// Every diagnostic: global ones, each day's and each draft's, by file and line.
    pub fn all_diagnostics(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .chain(self.days.iter().flat_map(|d| &d.note.diagnostics))
            .chain(self.drafts.iter().flat_map(|n| &n.diagnostics))
            .collect();
        all.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
        all
    }

    /// True when the log has a fatal diagnostic: `build` must not write a site.
    pub fn has_fatal(&self) -> bool {
        self.all_diagnostics()
            .iter()
            .any(|d| d.severity == Severity::Fatal)
    }

    /// The date the dashboard measures "this week" and "due soon" from: the newest note's.
    pub fn newest_date(&self) -> Option<NaiveDate> {
        self.days.last().map(Day::date)
    }

    /// The record of the `s`th next step of the `d`th day.
    pub fn step_record(&self, d: usize, s: usize) -> &steps::StepRecord {
        &self.steps[self.days[d].steps[s] as usize]
    }

    /// How many steps are open, overdue, done and dropped as of the newest note.
    pub fn step_counts(&self) -> steps::StepCounts {
        steps::counts(&self.steps)
    }

    /// `minutes` as a share of the weekly goal, in percent rounded down; none without
    /// a goal.
    pub fn goal_percent(&self, minutes: u32) -> Option<u32> {
        let goal = self.config.weekly_goal_minutes()?;
        Some(crate::note::duration::percent_of(minutes, goal))
    }

    /// Index of the day with this date.
    pub fn day_index(&self, date: NaiveDate) -> Option<usize> {
        self.days.binary_search_by(|d| d.date().cmp(&date)).ok()
    }
}

/// How much note text the log keeps in memory, newest notes first: pages, search
/// records, the export and folding each need a note's text again, and reading a file
/// costs an open and two reads (~10 µs and more on this machine's VM; ten reads a note
/// in a build). 16 MiB holds ten years of real notes (3,650 generated ones take 14
/// MiB) and is what a log of 100,000 notes (~390 MiB of text) keeps of its newest.
pub const KEPT_TEXT_BYTES: usize = 16 << 20;

/// The index of the first note source whose text is kept: the newest ones (sources
/// are in path order, which is date order) whose texts fit in [`KEPT_TEXT_BYTES`].
fn kept_from(sources: &[Source]) -> usize {
    let mut bytes = 0;
    for (i, s) in sources.iter().enumerate().rev() {
        bytes += s.text.len();
        if bytes > KEPT_TEXT_BYTES {
            return i + 1;
        }
    }
    0
}

/// Notes and pages apart, their private parts blanked: nothing after this sees them.
fn redacted_sources(sources: Vec<Source>, roles: &Roles) -> (Vec<Source>, Vec<Source>) {
    let (mut notes, mut pages) = by_kind(sources);
    notes
        .par_iter_mut()
        .for_each_init(HeadingMemo::default, |memo, s| {
            redact_remembering(s, roles, memo)
        });
    redact_pages(&mut pages, roles);
    (notes, pages)
}

/// Notes, then pages.
fn by_kind(sources: Vec<Source>) -> (Vec<Source>, Vec<Source>) {
    sources
        .into_iter()
        .partition(|s| s.kind == SourceKind::Note)
}

fn redact_pages(pages: &mut [Source], roles: &Roles) {
    let mut memo = HeadingMemo::default();
    pages
        .iter_mut()
        .for_each(|p| redact_remembering(p, roles, &mut memo));
}

/// A hash for telling whether something changed between two builds of one process.
pub fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A warning at each link or image of a published page (pages, KB entries,
/// explainers) that is written as text for its scheme; notes get theirs in `note`.
fn blocked_urls(page: &Source) -> Vec<Diagnostic> {
    if page.front.draft {
        return Vec::new();
    }
    let lines = LineIndex::new(&page.text);
    crate::markdown::blocked_urls(page.body())
        .into_iter()
        .map(|(url, offset)| {
            lines.diagnostic(
                &page.path,
                page.body_start + offset,
                Severity::Warning,
                crate::markdown::blocked_url_message(&url),
            )
        })
        .collect()
}

/// Linked images that do not exist, or that would not be published (outside the log
/// folder, `file:`, absolute), are errors: the day page shows a notice in their place.
fn check_images(note: &mut Note, root: &Path, folders: &crate::load::Folders) {
    let dir = note
        .rel_path
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let errors: Vec<(&crate::note::ImageRef, String)> = (note.image_refs.iter())
        .filter_map(|image| Some((image, image_error(&image.url, &dir, folders)?)))
        .collect();
    if errors.is_empty() {
        return;
    }
    // The note's lines are read once for all the errors it quotes.
    let text = note.read_text(root).ok();
    let lines = text.as_deref().map(LineIndex::new);
    let found: Vec<Diagnostic> = errors
        .into_iter()
        .map(|(image, message)| Diagnostic {
            line: Some(image.line),
            column: Some(image.column),
            source_line: (lines.as_ref())
                .and_then(|l| l.line(image.line))
                .map(str::to_string),
            ..Diagnostic::new(&note.path, Severity::Error, message)
        })
        .collect();
    note.diagnostics.extend(found);
}

/// The same for hand-written pages (`content/pages/`, `kb/`, `explainers/`).
fn check_page_images(page: &Source, folders: &crate::load::Folders) -> Vec<Diagnostic> {
    let dir = page.rel_path.parent().unwrap_or(Path::new(""));
    let lines = LineIndex::new(&page.text);
    crate::markdown::parse(page.body(), crate::markdown::Options::default())
        .into_iter()
        .filter_map(|(event, range)| match event {
            crate::markdown::Event::Start(crate::markdown::Tag::Image { dest_url, .. }) => {
                let message = image_error(&dest_url, dir, folders)?;
                Some(lines.diagnostic(
                    &page.path,
                    page.body_start + range.start,
                    Severity::Error,
                    message,
                ))
            }
            _ => None,
        })
        .collect()
}

/// Why an image destination will not show as an image, if it will not.
fn image_error(url: &str, dir: &Path, folders: &crate::load::Folders) -> Option<String> {
    match crate::load::image(url, dir, folders) {
        crate::load::Image::Remote | crate::load::Image::Local { .. } => None,
        // `  javascript:…` is no file name: it is written as text, and warned about
        // as a refused scheme.
        crate::load::Image::Missing { .. } if !crate::markdown::is_allowed_url(url) => None,
        crate::load::Image::Missing { rel } => Some(format!(
            "image `{url}` does not exist (looked for {})",
            rel.display()
        )),
        crate::load::Image::Refused(reason) => {
            Some(format!("image `{url}` is not published: {reason}"))
        }
    }
}

/// The first day of the week that holds `date`.
pub fn week_start_of(date: NaiveDate, week_start: Weekday) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
    date - Days::new(u64::from(back))
}

/// `2025-W18`: the ISO week of the Monday inside the week that starts on `start`.
fn week_id(start: NaiveDate) -> String {
    let to_monday = (7 - start.weekday().num_days_from_monday()) % 7;
    let iso = (start + Days::new(u64::from(to_monday))).iso_week();
    format!("{}-W{:02}", iso.year(), iso.week())
}

fn duplicate_dates(notes: &[Note], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<NaiveDate, &PathBuf> = HashMap::new();
    for note in notes {
        if let Some(first) = seen.get(&note.date) {
            diagnostics.push(Diagnostic::new(
                &note.path,
                Severity::Fatal,
                format!(
                    "two notes for {}: {} and {} (keep one note per day, or fix the date of one)",
                    note.date,
                    first.display(),
                    note.path.display()
                ),
            ));
        } else {
            seen.insert(note.date, &note.path);
        }
    }
}

/// Where hours written outside parentheses were left uncounted, up to a day.
struct Uncounted<'a> {
    /// The latest such task line in the day's week (`path:line`).
    week: Option<&'a str>,
    /// The latest anywhere up to the day.
    total: Option<&'a str>,
}

/// Warns where the author's hand-kept tally differs from what logsite computed.
fn compare_declared(day: &mut Day, root: &Path, uncounted: &Uncounted) {
    let note = &mut day.note;
    let own_lines = note
        .declared
        .uncounted_lines
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>();
    let today_at = (!own_lines.is_empty()).then(|| {
        let word = if own_lines.len() == 1 {
            "line"
        } else {
            "lines"
        };
        format!("{word} {}", own_lines.join(", "))
    });
    // Read at the first figure that differs, once for all three.
    let text = std::cell::OnceCell::new();
    for (name, declared, computed, uncounted_at) in [
        ("Today", &note.declared.today, day.minutes, today_at),
        (
            "week",
            &note.declared.week,
            day.week_minutes,
            uncounted.week.map(str::to_string),
        ),
        (
            "Total",
            &note.declared.total,
            day.total_minutes,
            uncounted.total.map(str::to_string),
        ),
    ] {
        let Some(figure) = declared else { continue };
        if figure.minutes != computed {
            // Hours logsite could not count are likely in the author's figure: advise
            // fixing those lines, not a value that would be wrong once they are fixed.
            let advice = match uncounted_at {
                None => format!("write `{name}: {}`", duration::format(computed)),
                Some(at) => format!(
                    "the hours at {at} are outside parentheses and not counted: put them in parentheses first"
                ),
            };
            note.diagnostics.push(Diagnostic {
                line: Some(figure.line),
                column: Some(1),
                source_line: (text.get_or_init(|| note.read_text(root).ok()))
                    .as_deref()
                    .and_then(|text| LineIndex::new(text).line(figure.line))
                    .map(str::to_string),
                ..Diagnostic::new(
                    &note.path,
                    Severity::Warning,
                    format!(
                        "declared {name} {} but logsite computes {} ({advice})",
                        duration::format(figure.minutes),
                        duration::format(computed),
                    ),
                )
            });
        }
    }
}

/// How many notes dated after today are warned about one by one; the rest are summed up
/// in one warning (a generated or imported log can hold years of them).
const FUTURE_DAYS_LISTED: usize = 3;

/// Notes dated after `today` are built like any other day, with a warning: on the
/// first few notes themselves, then one for the rest.
fn future_days(days: &mut [Day], today: NaiveDate) -> Option<Diagnostic> {
    let after_today = |note: &Note| {
        Diagnostic::new(
            &note.path,
            Severity::Warning,
            format!(
                "dated {} which is after today ({today}); it is built like any other day",
                note.date
            ),
        )
    };
    let mut future: Vec<&mut Day> = days.iter_mut().filter(|d| d.date() > today).collect();
    let listed = future.len().min(FUTURE_DAYS_LISTED);
    let (named, rest) = future.split_at_mut(listed);
    for day in named {
        let warning = after_today(&day.note);
        day.note.diagnostics.push(warning);
    }
    let more = rest.len();
    match rest {
        [] => None,
        [only] => Some(after_today(&only.note)),
        [first, .., last] => Some(Diagnostic::new(
            &first.note.path,
            Severity::Warning,
            format!(
                "and {} more notes dated after today ({today}), from {} to {}; they are built like any other day",
                more,
                first.date(),
                last.date()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_day_url_writes_the_date_as_the_year_month_day_format_does() {
        let dates = [
            (0, 1, 1),
            (1, 2, 3),
            (999, 12, 31),
            (2025, 4, 28),
            (9999, 12, 31),
        ]
        .into_iter()
        .chain([(10000, 1, 1), (-1, 6, 9), (262142, 12, 31), (-262143, 1, 1)]);
        for (y, m, d) in dates {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date chrono holds");
            assert_eq!(
                day_url(date),
                format!("days/{}.html", date.format("%Y-%m-%d")),
                "{y}-{m}-{d}"
            );
        }
    }

    use super::*;

    fn source(bytes: usize) -> Source {
        Source {
            path: PathBuf::new(),
            rel_path: PathBuf::new(),
            kind: SourceKind::Note,
            text: "x".repeat(bytes),
            body_start: 0,
            front: Default::default(),
            date: None,
            slug: None,
            private: Vec::new(),
            text_hash: None,
        }
    }

    #[test]
    fn the_newest_notes_text_is_kept_up_to_the_budget() {
        let small: Vec<Source> = (0..3).map(|_| source(10)).collect();
        assert_eq!(kept_from(&small), 0, "all of a small log");
        let third = KEPT_TEXT_BYTES / 3 + 1;
        let large: Vec<Source> = (0..5).map(|_| source(third)).collect();
        assert_eq!(
            kept_from(&large),
            3,
            "the two newest fit, the third does not"
        );
        assert_eq!(kept_from(&[]), 0);
    }
}
