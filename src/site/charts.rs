//! Chart geometry for the templates: weekly bars and the calendar heatmap.
//! Computed here, drawn as inline SVG by the templates (no chart library in the page).

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::i18n;
use crate::log::{day_url, week_start_of, Log};

/// One bar of a bar chart, in SVG units (the chart is 100 units high).
#[derive(Serialize)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
    pub value: String,
    pub minutes: u32,
    pub url: Option<String>,
}

/// A bar chart: bars and the view box width.
#[derive(Serialize)]
pub struct BarChart {
    pub bars: Vec<Bar>,
    pub width: f64,
    pub max_label: String,
}

const CHART_HEIGHT: f64 = 100.0;

/// Bars from (label, minutes, link) rows.
pub fn bars(rows: Vec<(String, u32, Option<String>)>) -> BarChart {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(60);
    let slot = 24.0;
    let bars =
        rows.into_iter()
            .enumerate()
            .map(|(i, (label, minutes, url))| {
                let height = (f64::from(minutes) / f64::from(max) * CHART_HEIGHT)
                    .max(if minutes > 0 { 1.0 } else { 0.0 });
                Bar {
                    x: i as f64 * slot + 4.0,
                    y: CHART_HEIGHT - height,
                    width: slot - 8.0,
                    height,
                    value: i18n::hours(minutes),
                    label,
                    minutes,
                    url,
                }
            })
            .collect::<Vec<_>>();
    BarChart {
        width: bars.len() as f64 * slot,
        bars,
        max_label: i18n::hours(max),
    }
}

/// The last 12 weeks (empty weeks included) up to the week of `now`.
pub fn last_weeks(log: &Log, now: NaiveDate, lang: &str) -> BarChart {
    let this_week = week_start_of(now, log.config.hours.week_start);
    let rows = (0..12u64)
        .rev()
        .map(|back| {
            let start = this_week - Days::new(7 * back);
            let week = log.weeks.iter().find(|w| w.start == start);
            (
                i18n::short_date(start, lang),
                week.map_or(0, |w| w.minutes),
                week.map(|w| w.url()),
            )
        })
        .collect();
    bars(rows)
}

/// One cell of the heatmap.
#[derive(Serialize)]
pub struct Cell {
    pub x: u32,
    pub y: u32,
    /// 0 (no note) … 4 (the top quarter of studied days).
    pub level: u8,
    pub title: String,
    pub url: Option<String>,
    /// Week column counted from the right: phones show only the recent columns.
    pub age: u32,
}

/// A GitHub-style calendar of the last year, ending at `now`.
#[derive(Serialize)]
pub struct Heatmap {
    pub cells: Vec<Cell>,
    pub columns: u32,
    pub months: Vec<(u32, String)>,
}

/// Colour levels are by quartiles of the studied days, so an ordinary day is not
/// drawn as idle next to one long hackathon day.
pub fn heatmap(log: &Log, now: NaiveDate, lang: &str) -> Heatmap {
    let start = week_start_of(now - Days::new(364), log.config.hours.week_start);
    let in_range: Vec<(NaiveDate, u32)> = log
        .days
        .iter()
        .filter(|d| d.date() >= start && d.date() <= now)
        .map(|d| (d.date(), d.minutes))
        .collect();
    let mut studied: Vec<u32> = in_range.iter().map(|d| d.1).filter(|&m| m > 0).collect();
    studied.sort_unstable();
    let quantile = |q: f64| {
        studied
            .get(((studied.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    let (q1, q2, q3) = (quantile(0.25), quantile(0.5), quantile(0.75));
    let total_days = (now - start).num_days() as u32 + 1;
    let columns = total_days.div_ceil(7);
    let mut cells = Vec::with_capacity(total_days as usize);
    let mut months = Vec::new();
    let mut k = 0;
    for offset in 0..total_days {
        let date = start + Days::new(u64::from(offset));
        let (x, y) = (offset / 7, offset % 7);
        // A partial first month gets a label only when it has room before the next one.
        if date.day() == 1 || (offset == 0 && date.day() <= 14) {
            // The year only where it changes (and on the first label): labels are narrow.
            let label = if months.is_empty() || date.month() == 1 {
                i18n::month(date, lang)
            } else if lang == "en" {
                date.format("%b").to_string()
            } else {
                format!("{}月", date.month())
            };
            months.push((x, label));
        }
        while k < in_range.len() && in_range[k].0 < date {
            k += 1;
        }
        let minutes = in_range.get(k).filter(|d| d.0 == date).map(|d| d.1);
        let level = match minutes {
            None => 0,
            Some(m) if m == 0 || m <= q1 => 1,
            Some(m) if m <= q2 => 2,
            Some(m) if m <= q3 => 3,
            Some(_) => 4,
        };
        let title = match minutes {
            Some(m) => format!("{} {}", i18n::short_date(date, lang), i18n::hours(m)),
            None => i18n::short_date(date, lang),
        };
        cells.push(Cell {
            x,
            y,
            level,
            title,
            url: minutes.map(|_| day_url(date)),
            age: columns - 1 - x,
        });
    }
    Heatmap {
        cells,
        columns,
        months,
    }
}
