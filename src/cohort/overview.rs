//! The overview's figures, computed once from every member's data: one row per
//! learner, the cohort's hours per week and who wrote when.

use chrono::{Days, NaiveDate, Weekday};
use serde::Serialize;

use super::members::{DayData, Member};
use super::problems::MemberProblem;
use crate::log::week_start_of;
use crate::note::duration;

/// Weeks in each learner's small chart.
pub const CHART_WEEKS: usize = 8;
/// Days without a note from which a learner is flagged.
pub const STALE_DAYS: i64 = 3;
/// Weeks in the cohort's hours-per-week chart.
pub const TOTAL_WEEKS: usize = 26;

/// One learner's row.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub link: Option<String>,
    pub notes: usize,
    pub last_date: Option<NaiveDate>,
    /// Days from the last note to the reference date.
    pub days_since: Option<i64>,
    /// No note for [`STALE_DAYS`] days or more (or none at all).
    pub stale: bool,
    pub this_week_minutes: u32,
    pub goal_minutes: Option<u32>,
    /// Minutes in each of the last [`CHART_WEEKS`] weeks, oldest first.
    pub weeks: Vec<u32>,
    pub total_minutes: u32,
    /// Consecutive days with a note ending at their newest note (as `logsite stats`).
    pub streak_days: usize,
    pub open_problems: usize,
    pub oldest_open: Option<OpenProblem>,
    pub overdue_steps: Vec<String>,
    /// The first item of their newest わかったこと, and its day.
    pub newest_learning: Option<(String, NaiveDate)>,
}

#[derive(Debug, Serialize)]
pub struct OpenProblem {
    pub title: String,
    pub since: NaiveDate,
    /// Days from first seen to the reference date.
    pub days_open: i64,
    pub url: Option<String>,
}

/// Everything the overview shows.
#[derive(Debug, Serialize)]
pub struct Overview {
    /// "Now": the newest note of the whole cohort (see [`reference_date`]).
    pub reference: NaiveDate,
    pub rows: Vec<Row>,
    /// Monday of each of the last [`CHART_WEEKS`] weeks.
    pub chart_weeks: Vec<NaiveDate>,
    /// (week's Monday, the cohort's minutes, learners who wrote), the last
    /// [`TOTAL_WEEKS`] from the first in which anyone wrote.
    pub totals: Vec<(NaiveDate, u32, usize)>,
}

/// The date figures are measured from: the newest note of any member, so a cohort
/// rebuilt later (or from day-old data in CI) still compares learners with each
/// other rather than with a calendar; today when no one has a note.
pub fn reference_date(members: &[Member], today: NaiveDate) -> NaiveDate {
    members
        .iter()
        .filter_map(|m| m.data.days.last().map(|d| d.date))
        .max()
        .unwrap_or(today)
}

impl Overview {
    /// `problems` is [`super::problems::of_member`] of each member, in order.
    pub fn new(
        members: &[Member],
        problems: &[Vec<MemberProblem>],
        goal: Option<u32>,
        reference: NaiveDate,
    ) -> Overview {
        let this_week = week_start_of(reference, Weekday::Mon);
        let weeks_back = |n: usize| this_week - Days::new(7 * n as u64);
        let chart_weeks: Vec<NaiveDate> = (0..CHART_WEEKS).rev().map(weeks_back).collect();
        let rows = members
            .iter()
            .zip(problems)
            .map(|(m, p)| row(m, p, goal, reference, &chart_weeks))
            .collect();
        let mut totals: Vec<(NaiveDate, u32, usize)> = (0..TOTAL_WEEKS)
            .rev()
            .map(weeks_back)
            .map(|start| {
                let end = start + Days::new(6);
                let (mut minutes, mut writers) = (0u32, 0);
                for m in members {
                    let week = days_between(&m.data.days, start, end);
                    let in_week = duration::add_up(week.iter().map(|d| d.minutes));
                    minutes = minutes.saturating_add(in_week);
                    writers += usize::from(!week.is_empty());
                }
                (start, minutes, writers)
            })
            .collect();
        // Weeks before anyone wrote are not part of the cohort's story.
        let first = totals.iter().position(|t| t.2 > 0).unwrap_or(totals.len());
        totals.drain(..first);
        Overview {
            reference,
            rows,
            chart_weeks,
            totals,
        }
    }
}

/// The days dated `from..=to` of days sorted by date.
pub fn days_between(days: &[DayData], from: NaiveDate, to: NaiveDate) -> &[DayData] {
    let start = days.partition_point(|d| d.date < from);
    let end = days.partition_point(|d| d.date <= to);
    &days[start..end.max(start)]
}

fn row(
    m: &Member,
    problems: &[MemberProblem],
    goal: Option<u32>,
    reference: NaiveDate,
    chart_weeks: &[NaiveDate],
) -> Row {
    let days = &m.data.days;
    let last_date = days.last().map(|d| d.date);
    let days_since = last_date.map(|d| (reference - d).num_days());
    let sum = |from: NaiveDate, to: NaiveDate| -> u32 {
        duration::add_up(days_between(days, from, to).iter().map(|d| d.minutes))
    };
    let mut streak = 0;
    if let Some(mut expect) = last_date {
        for day in days.iter().rev() {
            if day.date != expect {
                break;
            }
            streak += 1;
            expect = expect - Days::new(1);
        }
    }
    let open: Vec<_> = problems
        .iter()
        .filter(|p| p.resolved_on.is_none())
        .collect();
    let oldest_open = open
        .iter()
        .min_by_key(|p| p.first_seen)
        .map(|p| OpenProblem {
            title: p.title.clone(),
            since: p.first_seen,
            days_open: (reference - p.first_seen).num_days(),
            url: p.seen.first().and_then(|&i| day_link(m, i)),
        });
    Row {
        name: m.name.clone(),
        link: m.link.clone(),
        notes: days.len(),
        last_date,
        days_since,
        stale: days_since.is_none_or(|d| d >= STALE_DAYS),
        this_week_minutes: sum(chart_weeks[CHART_WEEKS - 1], reference),
        goal_minutes: m.data.weekly_goal_minutes.or(goal),
        weeks: chart_weeks
            .iter()
            .map(|&start| sum(start, start + Days::new(6)))
            .collect(),
        total_minutes: m.data.total_minutes,
        streak_days: streak,
        open_problems: open.len(),
        oldest_open,
        overdue_steps: overdue_steps(days.last(), reference),
        newest_learning: days
            .iter()
            .rev()
            .find_map(|d| d.learnings.first().map(|l| (l.clone(), d.date))),
    }
}

/// The open steps of the newest note whose due date is before the reference date. An
/// export that states each step's state is believed; else a step is open unless
/// checked.
fn overdue_steps(newest: Option<&DayData>, reference: NaiveDate) -> Vec<String> {
    let Some(day) = newest else {
        return Vec::new();
    };
    day.next
        .iter()
        .filter(|s| match s.state.as_deref() {
            Some(state) => {
                state == "overdue" || (state == "open" && s.due.is_some_and(|d| d < reference))
            }
            None => !s.done && s.due.is_some_and(|d| d < reference),
        })
        .map(|s| s.text.clone())
        .collect()
}

/// The link to one of a member's day pages (`i` indexes their days).
pub fn day_link(m: &Member, i: usize) -> Option<String> {
    Some(format!("{}{}", m.link.as_ref()?, m.data.days.get(i)?.url))
}
