//! Figures a mentor asks for first: this week, the last 7 days, the streak.

use chrono::{Days, NaiveDate};

use super::{week_start_of, Day, Log, Week};

/// The dashboard's headline figures, measured from a reference date
/// (the newest note's date: a log read months later still shows its last week).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub reference_date: Option<NaiveDate>,
    pub total_minutes: u32,
    pub this_week_minutes: u32,
    pub last_week_minutes: u32,
    pub last_7_days_minutes: u32,
    /// Days studied (see [`studied`]) in the last 7 days.
    pub last_7_days_active: usize,
    /// Consecutive days studied, ending at the reference date.
    pub streak_days: usize,
    pub days: usize,
    pub weeks: usize,
}

impl Summary {
    /// Computes the summary of a log.
    pub fn new(log: &Log) -> Summary {
        let Some(now) = log.newest_date() else {
            return Summary {
                total_minutes: log.total_minutes(),
                ..Summary::default()
            };
        };
        let week_start = log.config.hours.week_start;
        let this_week = week_start_of(now, week_start);
        let last_week = this_week - Days::new(7);
        let seven_ago = now - Days::new(6);
        let sum_between = |from: NaiveDate, to: NaiveDate| -> u32 {
            crate::note::duration::add_up(
                log.days
                    .iter()
                    .filter(|d| d.date() >= from && d.date() <= to)
                    .map(|d| d.minutes),
            )
        };
        let mut streak = 0;
        let mut expect = now;
        let mut newest_first = log.days.iter().rev().peekable();
        // Today's note not written yet keeps yesterday's streak: the day is not over.
        if newest_first.next_if(|d| !studied(d)).is_some() {
            expect = now - Days::new(1);
        }
        for day in newest_first {
            if day.date() != expect || !studied(day) {
                break;
            }
            streak += 1;
            expect = expect - Days::new(1);
        }
        Summary {
            reference_date: Some(now),
            total_minutes: log.total_minutes(),
            this_week_minutes: sum_between(this_week, now),
            last_week_minutes: sum_between(last_week, this_week - Days::new(1)),
            last_7_days_minutes: sum_between(seven_ago, now),
            last_7_days_active: log
                .days
                .iter()
                .filter(|d| d.date() >= seven_ago && d.date() <= now && studied(d))
                .count(),
            streak_days: streak,
            days: log.days.len(),
            weeks: log.weeks.len(),
        }
    }
}

/// A day the author studied: counted hours, a declared Today, or something learned or
/// run into. A note fresh from the template (`logsite new`, `logsite init`) is none of
/// these: it is not an active day and neither makes nor breaks a streak until written.
pub fn studied(day: &Day) -> bool {
    day.minutes > 0
        || day
            .note
            .declared
            .today
            .as_ref()
            .is_some_and(|f| f.minutes > 0)
        || day.note.learnings.iter().any(|l| !l.own.is_empty())
        || day.note.problems.iter().any(|p| !p.first_line.is_empty())
}

/// The days of `week` that were [`studied`]: the "active days" of a week.
pub fn active_days(log: &Log, week: &Week) -> usize {
    week.days.iter().filter(|&&i| studied(&log.days[i])).count()
}
