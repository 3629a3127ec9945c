//! Pages over every day: the dashboard, archive, topics, next steps, feed, sitemap, 404.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Result;
use chrono::Datelike;
use serde_json::json;

use super::*;

pub(super) fn index(site: &Site) -> Result<Vec<u8>> {
    let log = site.log;
    let mut ctx = site.context(0);
    let summary = Summary::new(log);
    ctx.insert("summary", &summary);
    ctx.insert(
        "figures",
        &json!({
            "total": i18n::hours(summary.total_minutes),
            "this_week": i18n::hours(summary.this_week_minutes),
            "last_week": i18n::hours(summary.last_week_minutes),
            "last_7_days": i18n::hours(summary.last_7_days_minutes),
        }),
    );
    ctx.insert("show_streak", &log.config.output.html.show_streak);
    let mut pctx = page_ctx("", Path::new(""), log.config.output.html.allow_html, false);
    if let Some(now) = log.newest_date() {
        ctx.insert("now_label", &i18n::long_date(now, &site.lang));
        ctx.insert("week_chart", &charts::last_weeks(log, now, &site.lang));
        ctx.insert("heatmap", &charts::heatmap(log, now, &site.lang));
        // Active days per week, for the last 12 weeks shown in the chart.
        let active: Vec<serde_json::Value> = log
            .weeks
            .iter()
            .rev()
            .take(12)
            .map(|w| json!({"id": w.id, "url": href(&w.url()), "days": crate::log::stats::active_days(log, w), "hours": i18n::hours(w.minutes)}))
            .collect();
        ctx.insert("active_weeks", &active);
        // The newest note's plan: steps due within a week, or overdue.
        let newest = log.days.last().expect("newest_date implies a day");
        let soon = now + Days::new(7);
        let text = site.note_text(&newest.note)?;
        let due: Vec<serde_json::Value> = newest
            .note
            .next
            .iter()
            .filter(|s| s.due.is_some_and(|d| d <= soon) && !s.done)
            .map(|s| step_view(site, newest, (s, &text), now, &mut pctx))
            .collect();
        ctx.insert("due", &due);
    }
    let open: Vec<serde_json::Value> = site
        .kb
        .iter()
        .filter(|e| !e.resolved())
        .map(|e| json!({"title": e.title, "url": href(&e.url()), "since": i18n::short_date(e.first_seen, &site.lang), "days_open": e.days_open()}))
        .collect();
    ctx.insert("open_problems", &open);
    let latest: Vec<serde_json::Value> = log
        .days
        .iter()
        .rev()
        .take(7)
        .map(|d| day_link(site, d))
        .collect();
    ctx.insert("latest", &latest);
    site.render_template("index.html", &ctx)
}

pub(super) fn archive(site: &Site) -> Result<Vec<u8>> {
    let mut months: Vec<(NaiveDate, Vec<serde_json::Value>)> = Vec::new();
    for day in site.log.days.iter().rev() {
        let month = first_of_month(day.date());
        match months.last_mut() {
            Some((m, days)) if *m == month => days.push(day_link(site, day)),
            _ => months.push((month, vec![day_link(site, day)])),
        }
    }
    let mut ctx = site.context(0);
    let months: Vec<serde_json::Value> = months
        .into_iter()
        .map(|(month, days)| json!({"id": month_id(month), "label": i18n::month(month, &site.lang), "days": days}))
        .collect();
    ctx.insert("months", &months);
    let weeks: Vec<serde_json::Value> = site
        .log
        .weeks
        .iter()
        .rev()
        .map(|w| json!({"id": w.id, "url": href(&w.url()), "hours": i18n::hours(w.minutes), "days": w.days.len(), "start": i18n::short_date(w.start, &site.lang)}))
        .collect();
    ctx.insert("weeks", &weeks);
    site.render_template("archive.html", &ctx)
}

pub(super) fn topics(site: &Site) -> Result<Vec<u8>> {
    let mut ctx = site.context(1);
    let list: Vec<serde_json::Value> = site
        .topics
        .iter()
        .map(|t| json!({"name": t.name, "url": href(&t.url()), "days": t.days.len()}))
        .collect();
    ctx.insert("topics", &list);
    site.render_template("topics.html", &ctx)
}

/// Learnings a topic page shows in full, newest first. The rest are on their days,
/// which the page lists by year: a topic mentioned on most of ten years' days would
/// otherwise be a page of thousands of items (half a megabyte).
const TOPIC_LEARNINGS: usize = 30;

pub(super) fn topic(site: &Site, i: usize) -> Result<Vec<u8>> {
    let topic = &site.topics[i];
    let log = site.log;
    let mut ctx = site.context(1);
    let mut learnings = Vec::new();
    let mut texts = DayText::default();
    for &(d, l) in topic.learnings.iter().rev().take(TOPIC_LEARNINGS) {
        let day = &log.days[d];
        let text = texts.of(site, d)?;
        let mut pctx = day_ctx(site, day, "../", false);
        learnings.push(learning_view(
            site,
            day,
            (&day.note.learnings[l], text),
            &mut pctx,
        ));
    }
    // One row per problem (the same problem recurs on many days), newest first: its
    // state on the newest day it was written and on how many days it was.
    let mut problems: Vec<serde_json::Value> = Vec::new();
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    for &(d, p) in topic.problems.iter().rev() {
        let problem = &log.days[d].note.problems[p];
        if let Some(&row) = row_of.get(problem.key.as_str()) {
            let times = problems[row]["times"].as_u64().unwrap_or(1);
            problems[row]["times"] = json!(times + 1);
            continue;
        }
        row_of.insert(&problem.key, problems.len());
        let entry = site.kb_entry(&problem.key);
        problems.push(json!({"title": problem.title, "resolved": problem.resolved, "url": entry.map(|e| href(&e.url())), "day": day_link(site, &log.days[d]), "times": 1}));
    }
    let explainer = site
        .explainers
        .iter()
        .map(|&i| &log.pages[i])
        .find(|p| {
            p.front
                .terms
                .iter()
                .any(|t| crate::text::fold(t) == crate::text::fold(&topic.name))
        })
        .map(|p| json!({"title": p.front.title, "url": href(&page_url(p))}));
    ctx.insert(
        "topic",
        &json!({"name": topic.name, "days": topic.days.len(), "learnings": topic.learnings.len()}),
    );
    ctx.insert("years", &topic_years(site, i));
    ctx.insert("learnings", &learnings);
    ctx.insert("problems", &problems);
    ctx.insert("explainer", &explainer);
    site.render_template("topic.html", &ctx)
}

/// A topic's days by year, newest first, with the year's counts of learnings and
/// problems: every day that mentions it stays one link away.
fn topic_years(site: &Site, i: usize) -> Vec<serde_json::Value> {
    let topic = &site.topics[i];
    let days = &site.log.days;
    let year_of = |d: usize| days[d].date().year();
    let mut years: BTreeMap<i32, (Vec<serde_json::Value>, usize, usize)> = BTreeMap::new();
    for &d in topic.days.iter().rev() {
        let date = days[d].date();
        // A bare month/day: the year is the heading, and a year holds hundreds.
        years.entry(date.year()).or_default().0.push(json!({
            "url": href(&days[d].url()),
            "label": format!("{}/{}", date.month(), date.day()),
        }));
    }
    for &(d, _) in &topic.learnings {
        years.entry(year_of(d)).or_default().1 += 1;
    }
    for &(d, _) in &topic.problems {
        years.entry(year_of(d)).or_default().2 += 1;
    }
    years
        .into_iter()
        .rev()
        .map(|(year, (days, learnings, problems))| {
            json!({"year": year, "days": days, "learnings": learnings, "problems": problems})
        })
        .collect()
}

/// How far back `next.html` lists open steps, in days before the newest note: overdue
/// steps due since then, and steps with no deadline written since then. A log of years
/// holds tens of thousands of steps, most long stale; they stay on their day pages,
/// and the page counts them by month with a link to that month in the archive.
const NEXT_WINDOW_DAYS: u64 = 14;

pub(super) fn next(site: &Site) -> Result<Vec<u8>> {
    let log = site.log;
    let now = log.newest_date().unwrap_or(log.today);
    let since = now - Days::new(NEXT_WINDOW_DAYS);
    let (mut overdue, mut upcoming, mut undated) = (Vec::new(), Vec::new(), Vec::new());
    // The steps not listed, by the month they were written: (month, steps, done).
    let mut months: Vec<(NaiveDate, usize, usize)> = Vec::new();
    // A step carried forward from note to note (as 日報 do) is one step: its newest
    // copy is listed and says whether it is done; the older copies stay on their days.
    let mut seen: std::collections::HashSet<(Option<&str>, u64)> = std::collections::HashSet::new();
    for day in log.days.iter().rev() {
        let mut pctx = day_ctx(site, day, "", false);
        // Read only for a day with a step to show: most days' steps are only counted.
        let mut text: Option<std::sync::Arc<str>> = None;
        for s in &day.note.next {
            if !seen.insert((s.area.as_deref(), s.key)) {
                continue;
            }
            if s.done || s.due.unwrap_or(day.date()) < since {
                let month = first_of_month(day.date());
                let done = usize::from(s.done);
                match months.last_mut() {
                    Some(m) if m.0 == month => (m.1, m.2) = (m.1 + 1, m.2 + done),
                    _ => months.push((month, 1, done)),
                }
                continue;
            }
            let text = match &mut text {
                Some(text) => text,
                None => text.insert(site.note_text(&day.note)?),
            };
            let view = step_view(site, day, (s, text), now, &mut pctx);
            match s.due {
                Some(due) if due < now => overdue.push((due, view)),
                Some(due) => upcoming.push((due, view)),
                None => undated.push(view),
            }
        }
    }
    // Soonest deadline first; the sort is stable, so newest written first on a tie.
    overdue.sort_by_key(|(due, _)| *due);
    upcoming.sort_by_key(|(due, _)| *due);
    let steps = |v: Vec<(NaiveDate, serde_json::Value)>| -> Vec<serde_json::Value> {
        v.into_iter().map(|(_, s)| s).collect()
    };
    let months: Vec<serde_json::Value> = months
        .into_iter()
        .map(|(month, steps, done)| {
            json!({"id": month_id(month), "label": i18n::month(month, &site.lang), "steps": steps, "done": done})
        })
        .collect();
    let mut ctx = site.context(0);
    ctx.insert("overdue", &steps(overdue));
    ctx.insert("upcoming", &steps(upcoming));
    ctx.insert("undated", &undated);
    ctx.insert("months", &months);
    ctx.insert("window_days", &NEXT_WINDOW_DAYS);
    ctx.insert("now_label", &i18n::long_date(now, &site.lang));
    site.render_template("next.html", &ctx)
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

/// The archive's anchor for a month: `month-2025-04`.
fn month_id(date: NaiveDate) -> String {
    format!("month-{}", date.format("%Y-%m"))
}

pub(super) fn not_found(site: &Site) -> Result<Vec<u8>> {
    // Served at any depth, so links must be absolute: the site URL's path, else `/`.
    let mut ctx = site.context(0);
    let root = match &site.site_url {
        Some(url) => url.clone(),
        None => "/".to_string(),
    };
    ctx.insert("root", &root);
    site.render_template("404.html", &ctx)
}

pub(super) fn feed(site: &Site) -> Result<Vec<u8>> {
    let base = site.site_url.clone().unwrap_or_default();
    let entries: Vec<serde_json::Value> = site
        .log
        .days
        .iter()
        .rev()
        .take(20)
        .map(|d| {
            let text = site.note_text(&d.note)?;
            let learned: Vec<String> = d.note.learnings.iter().map(|l| l.text(&text)).collect();
            Ok(json!({
                "title": d.note.title.clone().unwrap_or_else(|| i18n::long_date(d.date(), &site.lang)),
                "url": format!("{base}{}", href(&d.url())),
                "id": match &site.site_url { Some(_) => format!("{base}{}", href(&d.url())), None => format!("urn:logsite:day:{}", d.date()) },
                "updated": format!("{}T00:00:00Z", d.date()),
                "summary": format!("{} {} / {}", i18n::hours(d.minutes), if site.lang == "en" { "studied" } else { "学習" }, learned.join(" / ")),
            }))
        })
        .collect::<Result<_>>()?;
    let mut ctx = site.context(0);
    ctx.insert("base", &base);
    ctx.insert(
        "updated",
        &site
            .log
            .newest_date()
            .map_or("1970-01-01T00:00:00Z".to_string(), |d| {
                format!("{d}T00:00:00Z")
            }),
    );
    ctx.insert("entries", &entries);
    site.render_template("atom.xml", &ctx)
}

pub(super) fn sitemap(site: &Site) -> Result<Vec<u8>> {
    let base = site.site_url.clone().unwrap_or_default();
    let mut urls: Vec<(String, Option<String>)> =
        vec![(base.clone(), site.log.newest_date().map(|d| d.to_string()))];
    for name in [
        "archive.html",
        "next.html",
        "topics/index.html",
        "kb/index.html",
    ] {
        urls.push((format!("{base}{name}"), None));
    }
    for d in &site.log.days {
        urls.push((
            format!("{base}{}", href(&d.url())),
            Some(d.date().to_string()),
        ));
    }
    for w in &site.log.weeks {
        urls.push((
            format!("{base}{}", href(&w.url())),
            Some(
                w.end()
                    .min(site.log.newest_date().unwrap_or(w.end()))
                    .to_string(),
            ),
        ));
    }
    for t in &site.topics {
        urls.push((format!("{base}{}", href(&t.url())), None));
    }
    for e in &site.kb {
        urls.push((
            format!("{base}{}", href(&e.url())),
            Some(e.last_seen.to_string()),
        ));
    }
    for &i in site
        .explainers
        .iter()
        .chain(&site.kb_pages)
        .chain(&site.free_pages)
    {
        urls.push((
            format!("{base}{}", href(&page_url(&site.log.pages[i]))),
            None,
        ));
    }
    let mut ctx = site.context(0);
    let urls: Vec<serde_json::Value> = urls
        .into_iter()
        .map(|(loc, lastmod)| json!({"loc": loc, "lastmod": lastmod}))
        .collect();
    ctx.insert("urls", &urls);
    site.render_template("sitemap.xml", &ctx)
}
