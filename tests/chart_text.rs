//! Every chart of the built sample has a text equivalent whose figures are the
//! hours of `data/log.json`, and where colour means something there is also
//! size, a symbol or a word.

mod common;

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use logsite::site::i18n;
use scraper::{Html, Selector};
use serde_json::Value;

/// (row header, cells) of each body row of the table `#id`.
fn table_rows(doc: &Html, id: &str) -> Vec<(String, Vec<String>)> {
    let table = Selector::parse(&format!("table#{id}")).unwrap();
    let table = doc
        .select(&table)
        .next()
        .unwrap_or_else(|| panic!("no table#{id}"));
    let (tr, th, td) = (
        Selector::parse("tbody tr").unwrap(),
        Selector::parse("th").unwrap(),
        Selector::parse("td").unwrap(),
    );
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    table
        .select(&tr)
        .map(|row| {
            let head = row.select(&th).next().map(text).unwrap_or_default();
            (head, row.select(&td).map(text).collect())
        })
        .collect()
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().and_then(|s| s.parse().ok()).expect("a date")
}

fn minutes(v: &Value) -> u32 {
    v.as_u64().expect("minutes") as u32
}

struct Export {
    /// Day → minutes.
    days: BTreeMap<NaiveDate, u32>,
    /// (week id, first day, minutes), oldest first.
    weeks: Vec<(String, NaiveDate, u32)>,
}

fn export(site: &std::path::Path) -> Export {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/log.json")).unwrap())
            .unwrap();
    Export {
        days: json["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (date(&d["date"]), minutes(&d["minutes"])))
            .collect(),
        weeks: json["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                let id = w["week"].as_str().unwrap().to_string();
                (id, date(&w["start"]), minutes(&w["minutes"]))
            })
            .collect(),
    }
}

#[test]
fn chart_tables_give_the_hours_of_log_json() {
    let out = common::build_into(common::sample_root(), None);
    let site = out.path().join("site");
    let log = export(&site);
    let home = common::html(&site, "index.html");

    // The 12-week chart: the newest note's week and up to 11 before it, not before
    // the first week; a week without notes is 0.
    let (first, newest) = (log.weeks[0].1, log.weeks.last().unwrap().1);
    let mut expected = Vec::new();
    let mut start = newest;
    while start >= first && expected.len() < 12 {
        let m = log.weeks.iter().find(|w| w.1 == start).map_or(0, |w| w.2);
        expected.push((i18n::short_date(start, "ja"), vec![i18n::hours(m)]));
        start = start - Days::new(7);
    }
    expected.reverse();
    assert_eq!(table_rows(&home, "chart-data-weeks"), expected);

    // Each week page's chart: its seven days.
    for (id, start, _) in &log.weeks {
        let page = common::html(&site, &format!("weeks/{id}.html"));
        let expected: Vec<(String, Vec<String>)> = (0..7)
            .map(|i| {
                let day = *start + Days::new(i);
                let m = log.days.get(&day).copied().unwrap_or(0);
                (i18n::short_date(day, "ja"), vec![i18n::hours(m)])
            })
            .collect();
        assert_eq!(table_rows(&page, "chart-data-days"), expected, "{id}");
    }

    // The calendar: each month with notes, its days with a note and their hours.
    let mut months: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    for (day, m) in &log.days {
        let month =
            NaiveDate::from_ymd_opt(chrono::Datelike::year(day), chrono::Datelike::month(day), 1)
                .unwrap();
        let e = months.entry(month).or_default();
        e.0 += 1;
        e.1 += m;
    }
    let expected: Vec<(String, Vec<String>)> = months
        .iter()
        .map(|(month, (days, m))| {
            (
                i18n::month(*month, "ja"),
                vec![format!("{days}日"), i18n::hours(*m)],
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(table_rows(&home, "calendar-data"), expected);
}

/// Two hours of work, declared as three.
const WRONG_TALLY: &str = "## 取り組んだ課題一覧
- 調査（2h）

## 学習時間
- Today: 3h
";

#[test]
fn colour_is_never_the_only_signal() {
    let out = common::build_into(common::sample_root(), None);
    let site = out.path().join("site");
    let home = common::html(&site, "index.html");

    // Calendar levels (0 = no note) are drawn by growing squares too: one size per level.
    let rect = Selector::parse(".heatmap svg rect").unwrap();
    let mut sizes: BTreeMap<u8, Vec<String>> = BTreeMap::new();
    for r in home.select(&rect) {
        let class = r.value().attr("class").unwrap_or("");
        let level = class
            .split_whitespace()
            .find_map(|c| c.strip_prefix("level-"))
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("a calendar square without a level: {class}"));
        sizes
            .entry(level)
            .or_default()
            .push(r.value().attr("width").unwrap().to_string());
    }
    let drawn: Vec<f64> = (0..=4u8)
        .filter_map(|level| {
            let widths = sizes.get(&level)?;
            assert!(
                widths.iter().all(|w| w == &widths[0]),
                "level {level} squares differ in size: {widths:?}"
            );
            Some(widths[0].parse().unwrap())
        })
        .collect();
    assert!(
        drawn.len() >= 4,
        "the sample draws only levels {:?}",
        sizes.keys()
    );
    assert!(
        drawn.windows(2).all(|w| w[0] < w[1]),
        "squares do not grow with the level: {drawn:?}"
    );

    // A day whose declared hours differ: a ⚠ and words in the latest list, a ⚠ in
    // the day's tally.
    let log =
        common::TempLog::with_seed(&[("content/2025/04/2025-04-29.md", WRONG_TALLY.as_bytes())]);
    let wrong = common::build_into(log.path(), None);
    let wrong = wrong.path().join("site");
    let home = common::html(&wrong, "index.html");
    let differs = common::texts_of(&home, ".day-list .declared-differs");
    assert_eq!(differs.len(), 1, "{differs:?}");
    assert!(
        differs[0].starts_with('⚠') && differs[0].chars().count() > 2,
        "{differs:?}"
    );
    let day = common::html(&wrong, "days/2025-04-29.html");
    let mismatches = common::texts_of(&day, ".tally tr.mismatch td:last-child");
    assert!(!mismatches.is_empty(), "no mismatch row in the tally");
    assert!(mismatches.iter().all(|t| t.contains('⚠')), "{mismatches:?}");

    // Overdue steps say so in words.
    let next = common::html(&site, "next.html");
    let overdue = Selector::parse("li.step.overdue").unwrap();
    let badge = Selector::parse(".badge").unwrap();
    let steps: Vec<_> = next.select(&overdue).collect();
    assert!(!steps.is_empty(), "the sample has no overdue step");
    for step in steps {
        let words: Vec<String> = step.select(&badge).map(|b| b.text().collect()).collect();
        assert!(words.iter().any(|w| w == "期限切れ"), "{words:?}");
    }
}
