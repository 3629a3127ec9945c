//! `logsite new`: today's note, at the path the log already uses, from a template,
//! with yesterday's unfinished next steps carried over and the hours so far filled in.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;

use super::{display_path, LogArgs};
use crate::config::Config;
use crate::log::{week_start_of, Day, Log, LogOptions};
use crate::note::duration;

/// The default note template; `templates/note.md` in the log folder wins.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/note.md");
/// The default note template of a log whose `[book] language` is `en`.
pub const DEFAULT_TEMPLATE_EN: &str = include_str!("../../templates/note.en.md");

/// The placeholders a note template may use, each `{{name}}`.
pub const PLACEHOLDERS: &[&str] = &["date", "previous", "carried_tasks", "week", "total"];

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub log: LogArgs,
    /// The note's date (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = note_date)]
    pub date: Option<NaiveDate>,
}

/// A date as a note's file name holds it: a four-digit year, so the note written for
/// it is read back with that date (chrono alone also takes `+262142-12-31`).
fn note_date(s: &str) -> Result<NaiveDate, String> {
    let four_digit_year = s.len() == 10 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(date) if four_digit_year => Ok(date),
        _ => Err("write the date as YYYY-MM-DD, with a four-digit year".to_string()),
    }
}

/// Creates the note and prints its path (only that, so `$EDITOR "$(logsite new)"` works).
/// Exits 1 without touching anything when a note for the date exists.
pub fn execute(args: NewArgs) -> Result<ExitCode> {
    let root = &args.log.dir;
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    match create(root, date, args.log.drafts)? {
        Created::Written(path) => {
            println!("{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Created::Exists(existing) => {
            eprintln!(
                "a note for {date} already exists: {} (logsite new never overwrites a note)",
                display_path(root, &existing)
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// What [`create`] did.
#[derive(Debug)]
pub enum Created {
    /// The note was written at this path.
    Written(PathBuf),
    /// A note for the date was already there: nothing was written.
    Exists(PathBuf),
}

/// Writes the note for `date` into the log at `root` from its note template (the
/// log's `templates/note.md`, else the built-in one), where the log puts notes.
/// Never overwrites a file.
pub fn create(root: &Path, date: NaiveDate, include_drafts: bool) -> Result<Created> {
    let config = Config::load(root)?;
    let content = crate::load::content_dir(root, &config);
    let template = load_template(root, &config.book.language)?;
    let options = LogOptions {
        include_drafts,
        today: date,
        check_images: false,
    };
    let log = Log::open(root, config, &options);
    if let Some(existing) = existing_note(&log, &content, date) {
        return Ok(Created::Exists(existing));
    }
    let path = content.join(note_rel_path(&log, date));
    let values = Fill::new(&log, date).map_err(|d| anyhow::anyhow!("{d}"))?;
    let text = fill(&template, &values)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // create_new: a note written between the check above and now is never overwritten.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Ok(Created::Exists(path));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Created::Written(path))
}

fn load_template(root: &Path, language: &str) -> Result<String> {
    let own = root.join("templates").join("note.md");
    let default = if language == "en" {
        DEFAULT_TEMPLATE_EN
    } else {
        DEFAULT_TEMPLATE
    };
    match std::fs::read_to_string(&own) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(default.to_string()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", own.display())),
    }
}

/// A note already dated `date`: a read note (drafts included), or any Markdown file
/// whose name or path gives the date (`.md` in any case, `.markdown`), read or not: a
/// note too broken to read, unreadable or symlinked still blocks a second one.
fn existing_note(log: &Log, content: &Path, date: NaiveDate) -> Option<PathBuf> {
    let read = log
        .days
        .iter()
        .map(|d| &d.note)
        .chain(&log.drafts)
        .find(|n| n.date == date)
        .map(|n| n.path.clone());
    if read.is_some() {
        return read;
    }
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .find(|e| {
            let is_markdown = e.path().extension().is_some_and(|x| {
                x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown")
            });
            let rel = e.path().strip_prefix(content).unwrap_or(e.path());
            is_markdown
                && (crate::note::date::from_file_name(rel)
                    .or_else(|| crate::note::date::from_path(rel))
                    == Some(date))
        })
        .map(|e| e.into_path())
}

/// Where the note for `date` goes, relative to the content folder: the layout of the
/// nearest existing note (the latest before the date, else the first after), with its
/// date parts replaced; `YYYY/MM/YYYY-MM-DD.md` for an empty log or an unknown layout.
pub fn note_rel_path(log: &Log, date: NaiveDate) -> PathBuf {
    let nearest = log
        .days
        .iter()
        .rev()
        .find(|d| d.date() < date)
        .or_else(|| log.days.first())
        .map(|d| (&d.note.rel_path, d.date()));
    nearest
        .and_then(|(rel, example)| same_layout(rel, example, date))
        .unwrap_or_else(|| PathBuf::from(date.format("%Y/%m/%Y-%m-%d.md").to_string()))
}

/// `rel` (the note of `example`) with every date part moved to `date`; `None` when the
/// file name holds no date to replace.
fn same_layout(rel: &Path, example: NaiveDate, date: NaiveDate) -> Option<PathBuf> {
    let stem = rel.file_stem()?.to_str()?;
    let name = ["%Y-%m-%d", "%Y%m%d"]
        .into_iter()
        .find(|f| stem.starts_with(&example.format(f).to_string()))
        .map(|f| date.format(f).to_string())
        .or_else(|| {
            (stem == example.format("%d").to_string()).then(|| date.format("%d").to_string())
        })?;
    let mut out = PathBuf::new();
    if let Some(parent) = rel.parent() {
        for part in parent.iter() {
            let part = part.to_string_lossy();
            let moved = ["%Y", "%m", "%Y-%m", "%Y%m"]
                .into_iter()
                .find(|f| part == example.format(f).to_string())
                .map_or_else(|| part.to_string(), |f| date.format(f).to_string());
            out.push(moved);
        }
    }
    out.push(format!("{name}.md"));
    Some(out)
}

/// The values the placeholders stand for.
#[derive(Debug)]
pub struct Fill {
    pub date: NaiveDate,
    /// The latest note before the date.
    pub previous: Option<NaiveDate>,
    /// The next steps not done of the newest written note before the date, as a
    /// Markdown list grouped by area.
    pub carried_tasks: String,
    /// The week so far: the days of the date's week before it.
    pub week_minutes: u32,
    /// The total up to the previous note (the baseline where there is none).
    pub total_minutes: u32,
}

impl Fill {
    /// Fails when the previous note changed while it was being read.
    pub fn new(log: &Log, date: NaiveDate) -> Result<Fill, crate::diagnostic::Diagnostic> {
        let previous: Option<&Day> = log.days.iter().rev().find(|d| d.date() < date);
        let week_start = log.config.hours.week_start;
        let week_minutes = previous
            .filter(|d| week_start_of(d.date(), week_start) == week_start_of(date, week_start))
            .map_or(0, |d| d.week_minutes);
        // The plan is the newest written note's: a note left as `new` made it (its
        // 次やること empty) must not lose the plan for the next day.
        let plan = (log.days.iter().rev())
            .filter(|d| d.date() < date)
            .find(|d| crate::log::steps::is_written(d));
        let carried_tasks = match plan {
            Some(day) => carried_tasks(day, &log.note_text(&day.note)?),
            None => String::new(),
        };
        Ok(Fill {
            date,
            previous: previous.map(Day::date),
            carried_tasks,
            week_minutes,
            total_minutes: previous.map_or(log.baseline_minutes, |d| d.total_minutes),
        })
    }

    fn value(&self, name: &str) -> Option<String> {
        Some(match name {
            "date" => self.date.format("%Y-%m-%d").to_string(),
            "previous" => self
                .previous
                .map_or_else(|| "—".to_string(), |d| d.format("%Y-%m-%d").to_string()),
            // An empty item, so the section still reads as a list to fill in.
            "carried_tasks" if self.carried_tasks.is_empty() => "- ".to_string(),
            "carried_tasks" => self.carried_tasks.trim_end().to_string(),
            "week" => duration::format(self.week_minutes),
            "total" => duration::format(self.total_minutes),
            _ => return None,
        })
    }
}

/// The steps of `day` (whose note's text is `text`) not done, under their areas in the
/// order they first appear.
fn carried_tasks(day: &Day, text: &str) -> String {
    let mut areas: Vec<(Option<&str>, Vec<&crate::note::Step>)> = Vec::new();
    for step in day.note.next.iter().filter(|s| !s.done) {
        let area = step.area.as_deref();
        match areas.iter_mut().find(|(a, _)| *a == area) {
            Some((_, steps)) => steps.push(step),
            None => areas.push((area, vec![step])),
        }
    }
    let mut out = String::new();
    for (area, steps) in areas {
        let depth = match area {
            Some(area) => {
                list_item(&mut out, 0, area);
                1
            }
            None => 0,
        };
        for step in steps {
            list_item(&mut out, depth, &step.markdown(text));
            for detail in step.details(text) {
                list_item(&mut out, depth + 1, &detail);
            }
        }
    }
    out
}

/// `- text` at `depth` (four spaces a level), further lines indented under the text.
fn list_item(out: &mut String, depth: usize, markdown: &str) {
    let indent = "    ".repeat(depth);
    for (i, line) in markdown.lines().enumerate() {
        let marker = if i == 0 { "- " } else { "  " };
        out.push_str(&format!("{indent}{marker}{line}\n"));
    }
}

/// The template with each `{{name}}` replaced; an unknown name is an error naming it.
pub fn fill(template: &str, values: &Fill) -> Result<String> {
    let mut out = String::with_capacity(template.len() + values.carried_tasks.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim();
        let Some(value) = values.value(name) else {
            bail!(
                "templates/note.md: unknown placeholder {{{{{name}}}}} (known: {})",
                PLACEHOLDERS.join(", ")
            );
        };
        out.push_str(&rest[..start]);
        out.push_str(&value);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}
