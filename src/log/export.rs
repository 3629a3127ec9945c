//! The data export, `data/log.json` and `logsite stats --json`: FORMAT.md's contract.
//! Fields may be added, never renamed.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{Day, Log};
use crate::diagnostic::Diagnostic;
use crate::note::{Note, Task};

/// The whole document.
#[derive(Serialize)]
pub struct Export {
    pub schema: u32,
    pub baseline_minutes: u32,
    pub total_minutes: u32,
    /// `[hours] weekly-goal` in minutes; null when unset.
    pub weekly_goal_minutes: Option<u32>,
    /// How many steps are in each state, as of the newest note.
    pub steps: ExportStepCounts,
    pub days: Vec<ExportDay>,
    pub weeks: Vec<ExportWeek>,
    /// Topic names: `[topics] list` of book.toml, then front-matter tags (added in
    /// schema 1; a cohort groups shared problems by them).
    pub topics: Vec<String>,
}

#[derive(Serialize)]
pub struct ExportStepCounts {
    /// The newest note's date: what "overdue" is measured from.
    pub as_of: Option<String>,
    #[serde(flatten)]
    pub counts: super::steps::StepCounts,
}

#[derive(Serialize)]
pub struct ExportDay {
    pub date: String,
    pub url: String,
    pub title: Option<String>,
    pub minutes: u32,
    pub week_minutes: u32,
    pub total_minutes: u32,
    pub declared: ExportDeclared,
    pub tasks: Vec<ExportTask>,
    pub problems: Vec<ExportProblem>,
    pub next: Vec<ExportStep>,
    pub images: Vec<String>,
    pub warnings: Vec<String>,
    /// Front-matter tags.
    pub tags: Vec<String>,
    /// Each わかったこと item's own text, plain.
    pub learnings: Vec<String>,
}

#[derive(Serialize)]
pub struct ExportDeclared {
    pub today: Option<u32>,
    pub week: Option<u32>,
    pub total: Option<u32>,
}

#[derive(Serialize)]
pub struct ExportTask {
    pub title: String,
    pub minutes: Option<u32>,
    pub counted: bool,
    pub children: Vec<ExportTask>,
}

#[derive(Serialize)]
pub struct ExportProblem {
    pub title: String,
    pub time: Option<String>,
    pub resolved: bool,
    /// The folded title the knowledge base groups the same problem by across days.
    pub key: String,
    /// Its detail lines, plain; the author's analyses start with `→`.
    pub details: Vec<String>,
}

#[derive(Serialize)]
pub struct ExportStep {
    pub text: String,
    pub area: Option<String>,
    pub due: Option<String>,
    pub done: bool,
    /// What became of the step as of the newest note (`log::steps`).
    #[serde(flatten)]
    pub state: ExportStepState,
}

/// A step's state in the export: the same on every day that lists it.
#[derive(Serialize, Hash)]
pub struct ExportStepState {
    /// `open`, `done` or `dropped`.
    pub state: &'static str,
    pub overdue: bool,
    /// The note that closed it: checked it, did it as a task, or no longer listed it.
    pub closed: Option<ExportClosing>,
}

#[derive(Serialize, Hash)]
pub struct ExportClosing {
    pub date: String,
    pub url: String,
    /// `checked`, `task` (a later task with the same text), `similar-task` (probably
    /// done) or `not-listed` (dropped).
    pub how: &'static str,
}

/// The export's view of the state of the step record `r`.
fn step_state(log: &Log, r: u32) -> ExportStepState {
    use super::steps::{Closing, StepState};
    let state = log.steps[r as usize].state;
    ExportStepState {
        state: state.name(),
        overdue: state.overdue(),
        closed: state.closed_on().map(|d| {
            let how = match state {
                StepState::Done {
                    how: Closing::Checked,
                    ..
                } => "checked",
                StepState::Done { .. } if state.probable() => "similar-task",
                StepState::Done { .. } => "task",
                _ => "not-listed",
            };
            ExportClosing {
                date: log.days[d].date().to_string(),
                url: log.days[d].url(),
                how,
            }
        }),
    }
}

#[derive(Serialize)]
pub struct ExportWeek {
    pub week: String,
    pub start: String,
    pub minutes: u32,
    pub days: usize,
    /// The week's minutes as a share of the weekly goal, in percent (rounded down);
    /// null without a goal.
    pub goal_percent: Option<u32>,
}

impl Export {
    /// The export of a computed log (each note is read again for its items' text).
    pub fn new(log: &Log) -> Result<Export, Diagnostic> {
        Ok(Export {
            days: log
                .days
                .iter()
                .map(|day| Ok(export_day(log, day, &log.note_text(&day.note)?)))
                .collect::<Result<_, Diagnostic>>()?,
            ..Export::new_without_days(log)
        })
    }

    /// The export with an empty list of days.
    fn new_without_days(log: &Log) -> Export {
        Export {
            schema: 1,
            baseline_minutes: log.baseline_minutes,
            total_minutes: log.total_minutes(),
            weekly_goal_minutes: log.config.weekly_goal_minutes(),
            steps: ExportStepCounts {
                as_of: log.newest_date().map(|d| d.to_string()),
                counts: log.step_counts(),
            },
            days: Vec::new(),
            weeks: log
                .weeks
                .iter()
                .map(|w| ExportWeek {
                    week: w.id.clone(),
                    start: w.start.to_string(),
                    minutes: w.minutes,
                    days: w.days.len(),
                    goal_percent: log.goal_percent(w.minutes),
                })
                .collect(),
            topics: super::topics::names(&log.days, &log.config.topics.list),
        }
    }

    /// Pretty JSON text, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("export types always serialise");
        s.push('\n');
        s
    }
}

/// Each day's pretty JSON by what it is made of, kept between builds of one process.
#[derive(Default)]
pub struct ExportCache {
    days: HashMap<u64, Arc<[u8]>>,
}

/// As `Export::new(log).to_json()`, taking each day from `cache` when the day's note
/// key (`keys`, parallel to `log.days`), hours and warnings are those of a day it
/// holds, and serialising the others in parallel (`serve`; a cold build streams the
/// document with [`write_json`]).
pub fn to_json_cached(
    log: &Log,
    (cache, keys): (&mut ExportCache, &[u64]),
) -> Result<String, Diagnostic> {
    let day_keys: Vec<u64> = log
        .days
        .par_iter()
        .zip(keys)
        .map(|(day, key)| {
            let warnings: Vec<String> = day.note.diagnostics.iter().map(|d| d.one_line()).collect();
            let hours = (day.minutes, day.week_minutes, day.total_minutes);
            let steps: Vec<ExportStepState> =
                day.steps.iter().map(|&r| step_state(log, r)).collect();
            super::hash_of(&(key, hours, warnings, steps))
        })
        .collect();
    let fresh: Vec<(u64, Arc<[u8]>)> = log
        .days
        .par_iter()
        .zip(&day_keys)
        .filter(|(_, k)| !cache.days.contains_key(k))
        .map(|(day, k)| Ok((*k, day_json(log, day)?.into())))
        .collect::<Result<_, Diagnostic>>()?;
    cache.days.extend(fresh);
    let live: HashSet<&u64> = day_keys.iter().collect();
    cache.days.retain(|k, _| live.contains(k));
    let days: Vec<Arc<[u8]>> = day_keys.iter().map(|k| cache.days[k].clone()).collect();
    let mut out = Vec::with_capacity(days.iter().map(|d| d.len() + 2).sum::<usize>() + 4096);
    write_document(log, &mut out, |w| {
        for day in &days {
            w(day)?;
        }
        Ok(())
    })
    .expect("writing to memory does not fail");
    Ok(String::from_utf8(out).expect("JSON is UTF-8"))
}

/// Writes `Export::new(log).to_json()` to `w` a few hundred days at a time (each batch
/// serialised in parallel), so that a cold build never holds the whole document: at
/// ten thousand notes it is ~45 MB.
pub fn write_json(log: &Log, w: &mut dyn Write) -> std::io::Result<()> {
    write_json_in_batches(log, w, 256)
}

fn write_json_in_batches(log: &Log, w: &mut dyn Write, batch: usize) -> std::io::Result<()> {
    write_document(log, w, |put| {
        for batch in log.days.chunks(batch) {
            let days: Vec<Vec<u8>> = batch
                .par_iter()
                .map(|day| day_json(log, day))
                .collect::<Result<_, Diagnostic>>()
                .map_err(|d| std::io::Error::other(d.to_string()))?;
            for day in &days {
                put(day)?;
            }
        }
        Ok(())
    })
}

/// One day as serde_json's pretty printer writes it inside the document: at two levels
/// of two-space indentation. Bytes, as serde_json writes them (UTF-8 by its making),
/// not checked again into a `String`: the whole export passes through here.
fn day_json(log: &Log, day: &Day) -> Result<Vec<u8>, Diagnostic> {
    let text = log.note_text(&day.note)?;
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, pretty_at_depth(2));
    export_day(log, day, &text)
        .serialize(&mut serializer)
        .expect("export types always serialise");
    Ok(out)
}

/// serde_json's pretty printer (two spaces an indent, as `to_string_pretty`) as it
/// stands `depth` lists deep: a day is written straight at its place in the document
/// instead of indenting a copy of its lines afterwards.
fn pretty_at_depth(depth: usize) -> serde_json::ser::PrettyFormatter<'static> {
    use serde_json::ser::Formatter;
    let mut formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    for _ in 0..depth {
        formatter
            .begin_array(&mut std::io::sink())
            .expect("writing to a sink does not fail");
    }
    formatter
}

/// The document without its days, with the days `each_day` hands to its writer put
/// where the empty list is: byte for byte what `Export::to_json` writes.
fn write_document(
    log: &Log,
    w: &mut dyn Write,
    each_day: impl FnOnce(&mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let json = Export::new_without_days(log).to_json();
    const EMPTY: &str = "\"days\": []";
    if log.days.is_empty() {
        return w.write_all(json.as_bytes());
    }
    let at = json.find(EMPTY).expect("the export has a list of days");
    w.write_all(&json.as_bytes()[..at])?;
    w.write_all(b"\"days\": [\n")?;
    let mut first = true;
    each_day(&mut |day| {
        if !first {
            w.write_all(b",\n")?;
        }
        first = false;
        w.write_all(day)
    })?;
    w.write_all(b"\n  ]")?;
    w.write_all(&json.as_bytes()[at + EMPTY.len()..])
}

/// `text` is the day's note's text.
fn export_day(log: &Log, day: &Day, text: &str) -> ExportDay {
    let note = &day.note;
    ExportDay {
        date: note.date.to_string(),
        url: day.url(),
        title: note.title.clone(),
        minutes: day.minutes,
        week_minutes: day.week_minutes,
        total_minutes: day.total_minutes,
        declared: ExportDeclared {
            today: note.declared.today.as_ref().map(|f| f.minutes),
            week: note.declared.week.as_ref().map(|f| f.minutes),
            total: note.declared.total.as_ref().map(|f| f.minutes),
        },
        tasks: (note.tasks.iter())
            .map(|t| export_task(t, text, note))
            .collect(),
        problems: note
            .problems
            .iter()
            .map(|p| ExportProblem {
                title: p.title.clone(),
                time: p.time.clone(),
                resolved: p.resolved,
                key: p.key.clone(),
                details: p
                    .details
                    .iter()
                    .map(|d| crate::note::plain_line(d.line.of(text), &note.link_refs))
                    .collect(),
            })
            .collect(),
        next: note
            .next
            .iter()
            .zip(day.steps.iter())
            .map(|(s, &r)| ExportStep {
                text: s.text(text, &note.link_refs),
                area: s.area.clone(),
                due: s.due.map(|d| d.to_string()),
                done: s.done,
                state: step_state(log, r),
            })
            .collect(),
        images: note.images().map(str::to_string).collect(),
        warnings: note.diagnostics.iter().map(|d| d.one_line()).collect(),
        tags: note.tags.clone(),
        learnings: (note.learnings.iter())
            .map(|l| l.text(text, &note.link_refs))
            .collect(),
    }
}

fn export_task(task: &Task, text: &str, note: &Note) -> ExportTask {
    ExportTask {
        title: note.task_title(task, text),
        minutes: task.minutes,
        counted: task.counted,
        children: (task.children.iter())
            .map(|t| export_task(t, text, note))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_serialised_apart_make_the_same_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::Config::load(root).expect("book.toml");
        let options = super::super::LogOptions {
            include_drafts: false,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            check_images: true,
        };
        let log = Log::open(root, config, &options);
        assert!(log.days.len() > 1, "the sample log has days");
        let whole = Export::new(&log).unwrap().to_json();
        for batch in [1, 3, 256] {
            let mut streamed = Vec::new();
            write_json_in_batches(&log, &mut streamed, batch).expect("writes to memory");
            assert_eq!(String::from_utf8(streamed).unwrap(), whole, "batch {batch}");
        }
        let keys: Vec<u64> = (0..log.days.len() as u64).collect();
        let mut cache = ExportCache::default();
        for _ in 0..2 {
            assert_eq!(to_json_cached(&log, (&mut cache, &keys)).unwrap(), whole);
        }
        let no_days = Log {
            days: Vec::new(),
            weeks: Vec::new(),
            steps: Vec::new(),
            ..log
        };
        assert_eq!(
            to_json_cached(&no_days, (&mut ExportCache::default(), &[])).unwrap(),
            Export::new(&no_days).unwrap().to_json()
        );
        let mut streamed = Vec::new();
        write_json(&no_days, &mut streamed).expect("writes to memory");
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            Export::new(&no_days).unwrap().to_json()
        );
    }
}
