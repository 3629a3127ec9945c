//! Figures a mentor asks for first: this week, the last 7 days, the streak.

use chrono::{Days, NaiveDate};

use super::{week_start_of, Log};

/// The dashboard's headline figures, measured from a reference date
/// (the newest note's date: a log read months later still shows its last week).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub reference_date: Option<NaiveDate>,
    pub total_minutes: u32,
    pub this_week_minutes: u32,
    pub last_week_minutes: u32,
    pub last_7_days_minutes: u32,
    /// Days with a note in the last 7 days.
    pub last_7_days_active: usize,
    /// Consecutive days with a note, ending at the reference date.
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
        for day in log.days.iter().rev() {
            if day.date() != expect {
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
                .filter(|d| d.date() >= seven_ago && d.date() <= now)
                .count(),
            streak_days: streak,
            days: log.days.len(),
            weeks: log.weeks.len(),
        }
    }
}
