//! A week's report as Markdown (Slack, esa) or plain text.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::{ReportStep, WeekReport};
use crate::log::steps::StepState;
use crate::note::duration::format as hours;

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Headings, lists and links in Markdown.
    Markdown,
    /// Plain lines, URLs in parentheses.
    Text,
}

/// The words of the report in each language.
struct Words {
    title: &'static str,
    hours: &'static str,
    goal: &'static str,
    per_day: &'static str,
    per_area: &'static str,
    tasks: &'static str,
    days: &'static str,
    problems: &'static str,
    opened: &'static str,
    resolved: &'static str,
    still_open: &'static str,
    learnings: &'static str,
    next: &'static str,
    due: &'static str,
    overdue: &'static str,
    done_on: &'static str,
    probably_done_on: &'static str,
    dropped: &'static str,
    none: &'static str,
}

const JA: Words = Words {
    title: "週報",
    hours: "学習時間",
    goal: "目標",
    per_day: "日別",
    per_area: "分野別",
    tasks: "取り組んだ課題",
    days: "日",
    problems: "問題",
    opened: "発生",
    resolved: "解決",
    still_open: "未解決",
    learnings: "わかったこと",
    next: "次やること",
    due: "期限",
    overdue: "期限切れ",
    done_on: "完了",
    probably_done_on: "たぶん完了",
    dropped: "取りやめ",
    none: "なし",
};

const EN: Words = Words {
    title: "Weekly report",
    hours: "Study time",
    goal: "goal",
    per_day: "Per day",
    per_area: "Per area",
    tasks: "Tasks",
    days: "days",
    problems: "Problems",
    opened: "Opened",
    resolved: "Resolved",
    still_open: "Still open",
    learnings: "Learnings",
    next: "Next steps",
    due: "due",
    overdue: "overdue",
    done_on: "done",
    probably_done_on: "probably done",
    dropped: "dropped",
    none: "none",
};

pub(super) fn write(r: &WeekReport, format: Format, lang: &str, site_url: Option<&str>) -> String {
    let en = lang == "en";
    let w = if en { &EN } else { &JA };
    let md = format == Format::Markdown;
    let date = |d: NaiveDate| short_date(d, en);
    let heading = |out: &mut String, level: usize, text: &str| {
        if md {
            let _ = writeln!(out, "\n{} {text}", "#".repeat(level));
        } else if level == 2 {
            let _ = writeln!(out, "{text}");
        } else {
            let _ = writeln!(out, "\n【{text}】");
        }
    };
    let link = |label: String, url: &str| match site_url {
        Some(base) if md => format!("[{label}]({base}{url})"),
        Some(base) => format!("{label} ({base}{url})"),
        None => label,
    };
    let mut out = String::new();
    heading(
        &mut out,
        2,
        &format!(
            "{} {}（{} – {}）",
            w.title,
            r.id,
            date(r.start),
            date(r.end)
        ),
    );
    let mut total = format!("{}: {}", w.hours, hours(r.minutes));
    if let (Some(goal), Some(pct)) = (r.goal_minutes, r.goal_percent()) {
        let _ = write!(total, " / {} {}（{pct}%）", w.goal, hours(goal));
    }
    // Plain, not bold: Slack and esa disagree on bold, and a line reads the same.
    let _ = writeln!(out, "{}{total}", if md { "\n" } else { "" });

    heading(&mut out, 3, w.per_day);
    for (d, minutes, url) in &r.days {
        let _ = writeln!(out, "- {}: {}", link(date(*d), url), hours(*minutes));
    }
    heading(&mut out, 3, w.per_area);
    list(
        &mut out,
        r.areas.iter().map(|(a, m)| format!("{a}: {}", hours(*m))),
        w.none,
    );
    heading(&mut out, 3, w.tasks);
    list(
        &mut out,
        r.tasks.iter().map(|(t, m, n)| {
            if en {
                format!("{t}: {} ({n} {})", hours(*m), w.days)
            } else {
                format!("{t}: {}（{n}{}）", hours(*m), w.days)
            }
        }),
        w.none,
    );
    heading(&mut out, 3, w.problems);
    for (label, items) in [
        (w.opened, &r.problems_opened),
        (w.resolved, &r.problems_resolved),
        (w.still_open, &r.problems_open),
    ] {
        let items = if items.is_empty() {
            w.none.to_string()
        } else {
            items.join(" / ")
        };
        let _ = writeln!(out, "- {label}: {items}");
    }
    heading(&mut out, 3, w.learnings);
    list(
        &mut out,
        r.learnings
            .iter()
            .map(|(d, l)| format!("{l}（{}）", date(*d))),
        w.none,
    );
    heading(&mut out, 3, w.next);
    list(
        &mut out,
        r.steps.iter().map(|s| step_line(s, w, &date)),
        w.none,
    );
    out.trim_start().to_string()
}

fn list(out: &mut String, items: impl Iterator<Item = String>, none: &str) {
    let mut any = false;
    for item in items {
        let _ = writeln!(out, "- {item}");
        any = true;
    }
    if !any {
        let _ = writeln!(out, "- {none}");
    }
}

fn step_line(s: &ReportStep, w: &Words, date: &dyn Fn(NaiveDate) -> String) -> String {
    let mut line = String::new();
    line.push_str(match s.state {
        StepState::Done { .. } => "[x] ",
        _ => "[ ] ",
    });
    if let Some(area) = &s.area {
        let _ = write!(line, "{area}: ");
    }
    line.push_str(&s.text);
    let mut notes = Vec::new();
    if let Some(due) = s.due {
        notes.push(format!("{} {}", w.due, date(due)));
    }
    match (s.state, s.closed_on) {
        (StepState::Open { overdue: true }, _) => notes.push(w.overdue.to_string()),
        (StepState::Done { .. }, Some(on)) if s.state.probable() => {
            notes.push(format!("{} {}", w.probably_done_on, date(on)))
        }
        (StepState::Done { .. }, Some(on)) => notes.push(format!("{} {}", w.done_on, date(on))),
        (StepState::Dropped { .. }, _) => notes.push(w.dropped.to_string()),
        _ => {}
    }
    if !notes.is_empty() {
        let _ = write!(line, " — {}", notes.join(", "));
    }
    line
}

/// `5/12(月)` or `12 May`: the report reads the log, not the site, so it has its own.
fn short_date(d: NaiveDate, en: bool) -> String {
    if en {
        d.format("%-d %b").to_string()
    } else {
        let weekday =
            ["月", "火", "水", "木", "金", "土", "日"][d.weekday().num_days_from_monday() as usize];
        format!("{}/{}({weekday})", d.month(), d.day())
    }
}
