//! The report stage: one week of the computed log as a 週報 (weekly report), ready to
//! paste into Slack or esa. `logsite report` prints it; each week page embeds the
//! same Markdown behind a "copy" button.

mod write;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::log::steps::StepState;
use crate::log::Log;
use crate::note::{duration, Note, Task};

pub use write::Format;

/// A week's figures and items, read from the log.
#[derive(Clone, Debug)]
pub struct WeekReport {
    /// `2025-W18`.
    pub id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub minutes: u32,
    /// `[hours] weekly-goal`, where set.
    pub goal_minutes: Option<u32>,
    /// Each day with a note: (date, minutes, day page URL relative to the site root).
    pub days: Vec<(NaiveDate, u32, String)>,
    /// Minutes per area, most first ([`area_minutes`]).
    pub areas: Vec<(String, u32)>,
    /// Top-level counted tasks merged by title, most minutes first: (title, minutes,
    /// days).
    pub tasks: Vec<(String, u32, usize)>,
    /// Problems first written this week, resolved this week, and written this week
    /// and not resolved by its end.
    pub problems_opened: Vec<String>,
    pub problems_resolved: Vec<String>,
    pub problems_open: Vec<String>,
    /// Each learning's plain text, with its day.
    pub learnings: Vec<(NaiveDate, String)>,
    /// The plan written by the week's last note, with what became of each step.
    pub steps: Vec<ReportStep>,
}

/// A next step in the report.
#[derive(Clone, Debug)]
pub struct ReportStep {
    pub text: String,
    pub area: Option<String>,
    pub due: Option<NaiveDate>,
    pub state: StepState,
    /// The date of the note that closed it, where one did.
    pub closed_on: Option<NaiveDate>,
}

impl WeekReport {
    /// The report of the week `w` (index into `log.weeks`). Notes are read again for
    /// their items' text.
    pub fn new(log: &Log, w: usize) -> Result<WeekReport, Diagnostic> {
        let week = &log.weeks[w];
        let first_day = week.days[0];
        // Whether a problem was written before this week.
        let first_days = log.problem_first_days();
        let seen_before = |key: &str| first_days.get(key).is_some_and(|&i| i < first_day);
        let mut report = WeekReport {
            id: week.id.clone(),
            start: week.start,
            end: week.end(),
            minutes: week.minutes,
            goal_minutes: log.config.weekly_goal_minutes(),
            days: Vec::new(),
            areas: Vec::new(),
            tasks: Vec::new(),
            problems_opened: Vec::new(),
            problems_resolved: Vec::new(),
            problems_open: Vec::new(),
            learnings: Vec::new(),
            steps: Vec::new(),
        };
        let mut areas: Vec<(String, String, u32)> = Vec::new();
        let mut tasks: Vec<Merged> = Vec::new();
        // Each problem's title and whether it was resolved on the newest day it was
        // written this week, in the order first written.
        let mut problems: Vec<(String, String, bool)> = Vec::new();
        for &d in &week.days {
            let day = &log.days[d];
            let text = log.note_text(&day.note)?;
            report.days.push((day.date(), day.minutes, day.url()));
            for task in day.note.tasks.iter().filter(|t| t.counted) {
                let Some(minutes) = task.minutes else {
                    continue;
                };
                let title = day.note.task_title(task, &text);
                add(&mut tasks, &title, minutes, d);
                for (area, m) in area_minutes(task, &text, &day.note) {
                    add_area(&mut areas, &area, m);
                }
            }
            for p in &day.note.problems {
                if p.resolved && !report.problems_resolved.contains(&p.title) {
                    report.problems_resolved.push(p.title.clone());
                }
                if !seen_before(&p.key) && !report.problems_opened.contains(&p.title) {
                    report.problems_opened.push(p.title.clone());
                }
                match problems.iter_mut().find(|(k, _, _)| *k == p.key) {
                    Some(entry) => entry.2 = p.resolved,
                    None => problems.push((p.key.clone(), p.title.clone(), p.resolved)),
                }
            }
            for l in &day.note.learnings {
                report
                    .learnings
                    .push((day.date(), l.text(&text, &day.note.link_refs)));
            }
        }
        report.problems_open = problems
            .into_iter()
            .filter(|(_, _, resolved)| !resolved)
            .map(|(_, title, _)| title)
            .collect();
        areas.sort_by_key(|a| std::cmp::Reverse(a.2));
        report.areas = areas.into_iter().map(|(_, name, m)| (name, m)).collect();
        tasks.sort_by_key(|t| std::cmp::Reverse(t.2));
        report.tasks = tasks.into_iter().map(|(_, t, m, n, _)| (t, m, n)).collect();
        let last = *week.days.last().expect("a week has a day");
        let day = &log.days[last];
        let text = log.note_text(&day.note)?;
        report.steps = day
            .note
            .next
            .iter()
            .enumerate()
            .map(|(s, step)| {
                let record = log.step_record(last, s);
                ReportStep {
                    text: step.text(&text, &day.note.link_refs),
                    area: step.area.clone(),
                    due: step.due.or(record.due),
                    state: record.state,
                    closed_on: record.state.closed_on().map(|c| log.days[c].date()),
                }
            })
            .collect();
        Ok(report)
    }

    /// The week's minutes as a share of the goal, in percent rounded down.
    pub fn goal_percent(&self) -> Option<u32> {
        self.goal_minutes
            .map(|g| duration::percent_of(self.minutes, g))
    }

    /// The report as `format`, in the site's language; links to day pages under
    /// `site_url` where given.
    pub fn write(&self, format: Format, lang: &str, site_url: Option<&str>) -> String {
        write::write(self, format, lang, site_url)
    }
}

/// Minutes of a top-level counted task by area: its counted children with minutes
/// (`ハッカソン` → `backend 4h`, `infra 2h`), with what the parent's own duration holds
/// beyond them under its own title; a task without such children is its own area.
/// `task` is one of `note`'s, whose text is `text`.
pub fn area_minutes(task: &Task, text: &str, note: &Note) -> Vec<(String, u32)> {
    let Some(total) = task.minutes else {
        return Vec::new();
    };
    let children: Vec<(String, u32)> = task
        .children
        .iter()
        .filter(|c| c.counted)
        .filter_map(|c| Some((note.task_title(c, text), c.minutes?)))
        .collect();
    let in_children = duration::add_up(children.iter().map(|(_, m)| *m));
    let mut areas = children;
    if total > in_children {
        areas.push((note.task_title(task, text), total - in_children));
    }
    areas
}

/// A task merged by folded title: (key, first spelling, minutes, days, last day).
type Merged = (String, String, u32, usize, usize);

/// Adds the minutes of a task written on the day `day` to its merged entry.
fn add(tasks: &mut Vec<Merged>, title: &str, minutes: u32, day: usize) {
    let key = crate::text::fold(title);
    match tasks.iter_mut().find(|t| t.0 == key) {
        Some(t) => {
            t.2 = t.2.saturating_add(minutes);
            t.3 += usize::from(t.4 != day);
            t.4 = day;
        }
        None => tasks.push((key, title.to_string(), minutes, 1, day)),
    }
}

fn add_area(areas: &mut Vec<(String, String, u32)>, name: &str, minutes: u32) {
    let key = crate::text::fold(name);
    match areas.iter_mut().find(|a| a.0 == key) {
        Some(a) => a.2 = a.2.saturating_add(minutes),
        None => areas.push((key, name.to_string(), minutes)),
    }
}

/// The index of the week `id` (`2025-W18`) in the log, or the newest week when `id` is
/// none.
pub fn find_week(log: &Log, id: Option<&str>) -> Option<usize> {
    match id {
        None => log.weeks.len().checked_sub(1),
        Some(id) => log.weeks.iter().position(|w| w.id.eq_ignore_ascii_case(id)),
    }
}
