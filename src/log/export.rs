//! The data export, `data/log.json` and `logsite stats --json`: FORMAT.md's contract.
//! Fields may be added, never renamed.

use serde::Serialize;

use super::{Day, Log};
use crate::note::Task;

/// The whole document.
#[derive(Serialize)]
pub struct Export {
    pub schema: u32,
    pub baseline_minutes: u32,
    pub total_minutes: u32,
    pub days: Vec<ExportDay>,
    pub weeks: Vec<ExportWeek>,
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
}

#[derive(Serialize)]
pub struct ExportStep {
    pub text: String,
    pub area: Option<String>,
    pub due: Option<String>,
    pub done: bool,
}

#[derive(Serialize)]
pub struct ExportWeek {
    pub week: String,
    pub start: String,
    pub minutes: u32,
    pub days: usize,
}

impl Export {
    /// The export of a computed log.
    pub fn new(log: &Log) -> Export {
        Export {
            schema: 1,
            baseline_minutes: log.baseline_minutes,
            total_minutes: log.total_minutes(),
            days: log.days.iter().map(export_day).collect(),
            weeks: log
                .weeks
                .iter()
                .map(|w| ExportWeek {
                    week: w.id.clone(),
                    start: w.start.to_string(),
                    minutes: w.minutes,
                    days: w.days.len(),
                })
                .collect(),
        }
    }

    /// Pretty JSON text, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("export types always serialise");
        s.push('\n');
        s
    }
}

fn export_day(day: &Day) -> ExportDay {
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
        tasks: note.tasks.iter().map(export_task).collect(),
        problems: note
            .problems
            .iter()
            .map(|p| ExportProblem {
                title: p.title.clone(),
                time: p.time.clone(),
                resolved: p.resolved,
            })
            .collect(),
        next: note
            .next
            .iter()
            .map(|s| ExportStep {
                text: s.text.clone(),
                area: s.area.clone(),
                due: s.due.map(|d| d.to_string()),
                done: s.done,
            })
            .collect(),
        images: note.images.clone(),
        warnings: note.diagnostics.iter().map(|d| d.one_line()).collect(),
    }
}

fn export_task(task: &Task) -> ExportTask {
    ExportTask {
        title: task.title.clone(),
        minutes: task.minutes,
        counted: task.counted,
        children: task.children.iter().map(export_task).collect(),
    }
}
