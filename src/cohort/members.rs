//! Each member's `data/log.json`, read from a file, fetched over HTTP(S), or taken from
//! the copy of their site the cohort build made. Only the fields the cohort shows are
//! kept; fields this version does not know are skipped, so a newer export still reads.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The export schema this reader understands (FORMAT.md: fields are added, never
/// renamed, within one schema).
pub const SCHEMA: u32 = 1;

/// The years a note's date can have (four digits), and a deadline a year after.
const NOTE_YEARS: std::ops::RangeInclusive<i32> = 0..=10_000;

/// How long a member's URL may take, connection and body together.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The most a `log.json` may weigh: ten years of daily notes are ~60 MB.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// One learner as the cohort sees them.
#[derive(Debug)]
pub struct Member {
    pub name: String,
    /// Their site's root (ending in `/`): their own `site`, the cohort's copy `NAME/`,
    /// or the site a `data` URL ending in `data/log.json` belongs to.
    pub link: Option<String>,
    pub data: LogData,
}

/// What the cohort reads of a `log.json`.
#[derive(Debug, Deserialize)]
pub struct LogData {
    pub schema: u32,
    pub total_minutes: u32,
    pub days: Vec<DayData>,
    /// Topic names (added to schema 1 for cohorts; absent in older exports).
    #[serde(default)]
    pub topics: Vec<String>,
    /// The learner's own weekly goal, where their export carries one.
    #[serde(default)]
    pub weekly_goal_minutes: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct DayData {
    pub date: NaiveDate,
    pub url: String,
    pub minutes: u32,
    #[serde(default)]
    pub problems: Vec<ProblemData>,
    #[serde(default)]
    pub next: Vec<StepData>,
    #[serde(default)]
    pub learnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ProblemData {
    pub title: String,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub resolved: bool,
    /// The folded title; older exports lack it and the title is folded here.
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub details: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct StepData {
    pub text: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
    /// `open`, `done` or `dropped` where the export says (a logsite that tracks steps
    /// across notes); a step not `open` is never overdue.
    #[serde(default)]
    pub state: Option<String>,
}

impl LogData {
    /// Parses a `log.json`, refusing another schema by name.
    pub fn parse(bytes: &[u8]) -> Result<LogData> {
        match serde_json::from_slice::<LogData>(bytes) {
            Ok(data) if data.schema == SCHEMA => Ok(data.checked_dates()?.trimmed()),
            Ok(data) => bail!(wrong_schema(data.schema)),
            Err(e) => {
                // A document of another schema may not have this one's shape: say so
                // rather than name the first field that differs.
                #[derive(Deserialize)]
                struct Version {
                    schema: u32,
                }
                match serde_json::from_slice::<Version>(bytes) {
                    Ok(v) if v.schema != SCHEMA => bail!(wrong_schema(v.schema)),
                    _ => Err(e).context("not a logsite data/log.json"),
                }
            }
        }
    }

    /// Refuses a date no note can give: the cohort counts weeks and days around each
    /// date, and chrono's own range ends some 262,000 years out, where such sums fail.
    fn checked_dates(self) -> Result<LogData> {
        let dates = self
            .days
            .iter()
            .flat_map(|d| std::iter::once(d.date).chain(d.next.iter().filter_map(|s| s.due)));
        for date in dates {
            if !NOTE_YEARS.contains(&date.year()) {
                bail!(
                    "the date {date} is outside the years {}–{} that notes and their deadlines can name",
                    NOTE_YEARS.start(),
                    NOTE_YEARS.end()
                );
            }
        }
        Ok(self)
    }

    /// Drops what the cohort never shows: next steps of every day but the newest
    /// (the newest note's list is the current plan).
    fn trimmed(mut self) -> LogData {
        self.days.sort_by_key(|d| d.date);
        let n = self.days.len();
        for day in self.days.iter_mut().take(n.saturating_sub(1)) {
            day.next = Vec::new();
        }
        self
    }
}

fn wrong_schema(found: u32) -> String {
    format!("its log.json has schema {found}; this logsite reads schema {SCHEMA} (build it with a logsite of the same version)")
}

/// Reads a `log.json` file.
pub fn read_file(path: &Path) -> Result<LogData> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    LogData::parse(&bytes).with_context(|| format!("in {}", path.display()))
}

/// Fetches a `log.json` over HTTP(S), giving up after [`FETCH_TIMEOUT`].
pub fn fetch(url: &str) -> Result<LogData> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .with_context(|| format!("cannot fetch {url}"))?;
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .with_context(|| format!("cannot read {url}"))?;
    LogData::parse(&bytes).with_context(|| format!("in {url}"))
}

/// The site a published `…/data/log.json` URL belongs to.
pub fn site_of_data_url(url: &str) -> Option<String> {
    url.strip_suffix("data/log.json")
        .filter(|base| base.ends_with('/'))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_schema_is_named() {
        let e = format!(
            "{:#}",
            LogData::parse(br#"{"schema": 2, "days": 3}"#).unwrap_err()
        );
        assert!(e.contains("schema 2") && e.contains("schema 1"), "{e}");
    }

    #[test]
    fn unknown_fields_are_skipped() {
        let doc = br#"{"schema": 1, "total_minutes": 60, "new_field": {"x": 1},
            "days": [{"date": "2025-04-28", "url": "days/2025-04-28.html", "minutes": 60,
                      "problems": [{"title": "T", "resolved": false, "since": "x"}]}]}"#;
        let data = LogData::parse(doc).unwrap();
        assert_eq!(data.days[0].problems[0].title, "T");
    }

    #[test]
    fn a_data_url_names_its_site() {
        assert_eq!(
            site_of_data_url("https://a.test/log/data/log.json").as_deref(),
            Some("https://a.test/log/")
        );
        assert_eq!(site_of_data_url("https://a.test/x.json"), None);
    }
}
