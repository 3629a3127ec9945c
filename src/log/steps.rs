//! Next steps over time: what became of each step, as of the newest note.
//!
//! A 日報 author rewrites 次やること every day, so the newest note's list is the current
//! plan. A step is one piece of work however often it is written and whatever its
//! deadline ([`crate::note::work`]): open while the newest note lists it unchecked,
//! done when a later note checks it or a later task is the work, dropped otherwise.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use super::Day;
use crate::note::work::{Match, Work};
use crate::note::Task;

/// How long after a step was last listed a task may still be its work, in days: a
/// step that left the plan and was done shows up in the next notes' tasks, and a task
/// months later that shares two words with it is a different piece of work.
pub const DONE_WITHIN_DAYS: u64 = 14;

/// One step as it went from note to note.
#[derive(Clone, Debug)]
pub struct StepRecord {
    /// Where it was first and last listed: (index into `Log::days`, index into that
    /// note's `next`).
    pub first: (usize, usize),
    pub last: (usize, usize),
    /// How many notes list it.
    pub listed: usize,
    /// Its deadline as written most recently.
    pub due: Option<NaiveDate>,
    pub state: StepState,
}

/// What became of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepState {
    /// On the newest note's list, not checked; overdue when its deadline is before
    /// the newest note's date.
    Open { overdue: bool },
    /// Done on the day `day` (index into `Log::days`), as that note says.
    Done { day: usize, how: Closing },
    /// No longer listed and not found done: `day` is the first note without it.
    Dropped { day: usize },
}

/// What says a step was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Closing {
    /// A later note lists it checked (`- [x]`).
    Checked,
    /// A later task is the work: the same text ([`Match::Same`]) or probably
    /// ([`Match::Similar`]).
    Task(Match),
}

impl StepState {
    /// `open`, `done` or `dropped`: the export's and the pages' name for it.
    pub fn name(&self) -> &'static str {
        match self {
            StepState::Open { .. } => "open",
            StepState::Done { .. } => "done",
            StepState::Dropped { .. } => "dropped",
        }
    }
    pub fn overdue(&self) -> bool {
        matches!(self, StepState::Open { overdue: true })
    }
    /// The note that closed it, where one did.
    pub fn closed_on(&self) -> Option<usize> {
        match *self {
            StepState::Open { .. } => None,
            StepState::Done { day, .. } | StepState::Dropped { day } => Some(day),
        }
    }
    /// True when the note that closed it shows it only probably done.
    pub fn probable(&self) -> bool {
        matches!(
            self,
            StepState::Done {
                how: Closing::Task(Match::Similar),
                ..
            }
        )
    }
}

/// How many steps are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StepCounts {
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
    pub dropped: usize,
}

/// Every step of `days` (in date order) with its state, and for each day the index
/// of the record of each of its steps.
pub fn track(days: &[Day]) -> (Vec<StepRecord>, Vec<Box<[u32]>>) {
    let mut records: Vec<StepRecord> = Vec::new();
    // The day a trailing run of checked listings began, per record.
    let mut checked_since: Vec<Option<usize>> = Vec::new();
    let mut by_key: HashMap<u64, usize> = HashMap::new();
    let mut per_day: Vec<Box<[u32]>> = Vec::with_capacity(days.len());
    for (d, day) in days.iter().enumerate() {
        let mut of_day = Vec::with_capacity(day.note.next.len());
        for (s, step) in day.note.next.iter().enumerate() {
            let r = *by_key.entry(step.work.key).or_insert_with(|| {
                records.push(StepRecord {
                    first: (d, s),
                    last: (d, s),
                    listed: 0,
                    due: None,
                    state: StepState::Open { overdue: false },
                });
                checked_since.push(None);
                records.len() - 1
            });
            let record = &mut records[r];
            if record.listed == 0 || record.last.0 != d {
                record.listed += 1;
            }
            record.last = (d, s);
            record.due = step.due.or(record.due);
            checked_since[r] = match (step.done, checked_since[r]) {
                (true, since) => since.or(Some(d)),
                (false, _) => None,
            };
            of_day.push(r as u32);
        }
        per_day.push(of_day.into_boxed_slice());
    }
    // A note fresh from the template (`logsite new` moves the plan into its tasks and
    // leaves 次やること empty) says nothing yet: the plan is the newest written note's.
    let Some(newest) = (0..days.len())
        .rev()
        .find(|&d| is_written(&days[d]))
        .or(days.len().checked_sub(1))
    else {
        return (records, per_day);
    };
    // Overdue as of the newest note, written or not: its date has come.
    let as_of = days[days.len() - 1].date();
    for (record, checked) in records.iter_mut().zip(checked_since) {
        record.state = if let Some(day) = checked {
            StepState::Done {
                day,
                how: Closing::Checked,
            }
        } else if record.last.0 == newest {
            StepState::Open {
                overdue: record.due.is_some_and(|due| due < as_of),
            }
        } else {
            let (d, s) = record.last;
            let work = &days[d].note.next[s].work;
            done_by_task(days, d, work).unwrap_or_else(|| StepState::Dropped {
                // The first written note without it.
                day: (d + 1..days.len())
                    .find(|&i| is_written(&days[i]))
                    .unwrap_or(d + 1),
            })
        };
    }
    (records, per_day)
}

/// True when a note says something about the plan: it was studied (hours, a Today,
/// something learned or run into) or it lists steps. A note fresh from the template
/// is neither, and closes no step until it is written.
pub fn is_written(day: &Day) -> bool {
    super::stats::studied(day) || !day.note.next.is_empty()
}

/// The first studied note after `last` (within [`DONE_WITHIN_DAYS`]) with a task that
/// is the work of the step `work`; a task with the same text wins over a similar one
/// there. A task copied from the plan into a note not yet written is no work done.
fn done_by_task(days: &[Day], last: usize, work: &Work) -> Option<StepState> {
    let until = days[last].date() + Days::new(DONE_WITHIN_DAYS);
    days[last + 1..]
        .iter()
        .take_while(|day| day.date() <= until)
        .enumerate()
        .filter(|(_, day)| super::stats::studied(day))
        .find_map(|(i, day)| {
            let best = best_match(&day.note.tasks, work)?;
            Some(StepState::Done {
                day: last + 1 + i,
                how: Closing::Task(best),
            })
        })
}

fn best_match(tasks: &[Task], work: &Work) -> Option<Match> {
    let mut best = None;
    for task in tasks {
        let found = work
            .matches(&task.work)
            .into_iter()
            .chain(best_match(&task.children, work));
        for m in found {
            if m == Match::Same {
                return Some(m);
            }
            best = Some(m);
        }
    }
    best
}

/// How many of `records` are in each state.
pub fn counts(records: &[StepRecord]) -> StepCounts {
    let mut counts = StepCounts::default();
    for r in records {
        match r.state {
            StepState::Open { overdue } => {
                counts.open += 1;
                counts.overdue += usize::from(overdue);
            }
            StepState::Done { .. } => counts.done += 1,
            StepState::Dropped { .. } => counts.dropped += 1,
        }
    }
    counts
}
