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
/// A log younger than 12 weeks starts at its first week: no empty bars before it.
pub fn last_weeks(log: &Log, now: NaiveDate, lang: &str) -> BarChart {
    let this_week = week_start_of(now, log.config.hours.week_start);
    let age = log
        .weeks
        .first()
        .map_or(0, |w| ((this_week - w.start).num_days().max(0) / 7) as u64);
    let rows = (0..=age.min(11))
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
    /// Side of the drawn square (of a 10-unit cell), growing with `level`, so
    /// the level is told by size as well as by colour.
    pub size: f64,
}

/// One month of the calendar in words: the heatmap's text equivalent.
#[derive(Serialize)]
pub struct MonthRow {
    pub label: String,
    /// Days with a note.
    pub days: u32,
    pub hours: String,
}

/// A GitHub-style calendar of the last year, ending at `now`.
#[derive(Serialize)]
pub struct Heatmap {
    pub cells: Vec<Cell>,
    pub columns: u32,
    pub months: Vec<(u32, String)>,
    /// Every month of the calendar that has a note, oldest first.
    pub table: Vec<MonthRow>,
}

/// The square's side for each level: a day without a note is a small dot, a
/// studied day a square that grows with the level (as it darkens).
const LEVEL_SIZE: [f64; 5] = [3.0, 5.5, 7.0, 8.5, 10.0];

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
            size: LEVEL_SIZE[usize::from(level)],
        });
    }
    Heatmap {
        cells,
        columns,
        months: without_overlaps(months, lang),
        table: month_rows(&in_range, lang),
    }
}

/// Days with a note and hours per month, for the months from the first note on.
fn month_rows(days: &[(NaiveDate, u32)], lang: &str) -> Vec<MonthRow> {
    let mut rows: Vec<(NaiveDate, u32, u32)> = Vec::new();
    for &(date, minutes) in days {
        let month = date.with_day(1).expect("day 1 exists");
        match rows.last_mut() {
            Some(row) if row.0 == month => {
                row.1 += 1;
                // Hostile notes reach u32::MAX: saturate as the week totals do.
                row.2 = row.2.saturating_add(minutes);
            }
            _ => rows.push((month, 1, minutes)),
        }
    }
    rows.into_iter()
        .map(|(month, days, minutes)| MonthRow {
            label: i18n::month(month, lang),
            days,
            hours: i18n::hours(minutes),
        })
        .collect()
}

/// Width of a cell column and of a month label's character, in SVG units (the
/// label is drawn at 9 units; a CJK character is about one em, Latin about 0.6).
const COLUMN: f64 = 12.0;
const LABEL_EM: f64 = 9.0;

/// Month labels that fit before the next one: a label too wide for its gap is dropped
/// (`2024年5月` over `6月`), and the year it carried moves to the next label.
fn without_overlaps(months: Vec<(u32, String)>, lang: &str) -> Vec<(u32, String)> {
    let width = |label: &str| -> f64 {
        label
            .chars()
            .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
            .sum::<f64>()
            * LABEL_EM
    };
    let mut out: Vec<(u32, String)> = Vec::with_capacity(months.len());
    let mut months = months.into_iter().peekable();
    while let Some((x, label)) = months.next() {
        if let Some((next_x, next_label)) = months.peek_mut() {
            let room = f64::from(*next_x - x) * COLUMN - 2.0;
            if width(&label) > room {
                // A year on the dropped label moves to the next one.
                *next_label = year_label(&label, next_label, lang);
                continue;
            }
        }
        out.push((x, label));
    }
    out
}

/// `6月` → `2024年6月` (or `Jun` → `Jun 2024`), the year taken from `dropped`.
fn year_label(dropped: &str, next: &str, lang: &str) -> String {
    let year: String = dropped
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    if year.len() != 4 || next.contains(&year) {
        return next.to_string();
    }
    if lang == "en" {
        format!("{next} {year}")
    } else {
        format!("{year}年{next}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_label_too_wide_for_its_gap_gives_way_and_passes_on_its_year() {
        let months = vec![
            (0, "2024年5月".to_string()),
            (3, "6月".to_string()),
            (8, "7月".to_string()),
        ];
        assert_eq!(
            without_overlaps(months, "ja"),
            [(3, "2024年6月".to_string()), (8, "7月".to_string())]
        );
        let roomy = vec![(0, "2024年5月".to_string()), (8, "6月".to_string())];
        assert_eq!(without_overlaps(roomy.clone(), "ja"), roomy);
    }
}
