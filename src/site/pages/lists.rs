//! Pages over every day: the dashboard, archive, topics, next steps, feed, sitemap, 404.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Result;
use chrono::Datelike;
use serde_json::json;

use super::super::content::escape_into;
use super::topic_page::TopicView;
use super::*;
use crate::log::steps::StepState;

/// How many of the newest note's learnings and feelings the home page shows.
const NEWEST_ITEMS: usize = 3;

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
    ctx.insert("goal", &goal_view(log, summary.this_week_minutes));
    let raw_html = RawHtml::of_notes(log.config.output.html.allow_html);
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
        // The newest note's plan: open steps due within a week, or overdue, soonest
        // first; the same states as next.html.
        let d = log.days.len() - 1;
        let soon = now + Days::new(7);
        let text = site.note_text(&log.days[d].note)?;
        let mut due: Vec<(NaiveDate, usize)> = (0..log.days[d].note.next.len())
            .filter_map(|s| {
                let record = log.step_record(d, s);
                let open = matches!(record.state, StepState::Open { .. });
                let due = record.due.filter(|&due| open && due <= soon)?;
                (record.last == (d, s)).then_some((due, s))
            })
            .collect();
        due.sort_by_key(|&(due, _)| due);
        let mut pctx = PageCtx {
            refs: &log.days[d].note.link_refs,
            ..page_ctx("", Path::new(""), raw_html, false)
        };
        let due: Vec<serde_json::Value> = due
            .into_iter()
            .map(|(_, s)| step_view(site, (d, s), &text, &mut pctx))
            .collect();
        ctx.insert("due", &due);
        // The newest note's first learnings and feelings: what the learner is on.
        let newest = &log.days[d];
        let mut nctx = day_ctx(site, newest, "", false);
        let first =
            |items: &[crate::note::Learning], nctx: &mut PageCtx| -> Vec<serde_json::Value> {
                items
                    .iter()
                    .filter(|l| !l.text(&text, &newest.note.link_refs).is_empty())
                    .take(NEWEST_ITEMS)
                    .map(|l| learning_view(site, newest, (l, &text), nctx))
                    .collect()
            };
        ctx.insert(
            "newest_learnings",
            &first(&newest.note.learnings, &mut nctx),
        );
        ctx.insert("newest_feelings", &first(&newest.note.feelings, &mut nctx));
        ctx.insert("newest_day", &day_link(site, newest));
        // Hours per area this week, from the task tree (as in the week's report).
        let week = crate::report::WeekReport::new(log, log.weeks.len() - 1)
            .map_err(|d| anyhow::anyhow!("{d}"))?;
        let most = week.areas.iter().map(|a| a.1).max().unwrap_or(0).max(1);
        let areas: Vec<serde_json::Value> = week
            .areas
            .iter()
            .map(|(name, m)| json!({"name": name, "hours": i18n::hours(*m), "percent": u64::from(*m) * 100 / u64::from(most)}))
            .collect();
        ctx.insert("areas", &areas);
        ctx.insert("step_counts", &log.step_counts());
    }
    let open: Vec<serde_json::Value> = site
        .kb
        .iter()
        .filter(|e| !e.resolved())
        .map(|e| json!({"title": e.title, "url": href(&e.url()), "since": i18n::short_date(e.first_seen, &site.lang), "days_open": e.days_open(), "span": i18n::span(e.notes(), e.days_open(), &site.lang)}))
        .collect();
    ctx.insert("open_problems", &open);
    let latest: Vec<serde_json::Value> = log
        .days
        .iter()
        .rev()
        .take(7)
        .map(|d| {
            let mut link = day_link(site, d);
            link["declared_differs"] = json!(d.declared_differs());
            link
        })
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
    let view = TopicView {
        topic: json!({"name": topic.name, "days": topic.days.len(), "learnings": topic.learnings.len()}),
        years: topic_years(site, i, "../"),
        learnings,
        problems,
        explainer,
    };
    let framed = site.topic_frame().map(|frame| frame.page(&view));
    site.framed_or_rendered(framed, &view, "topic.html")
}

/// A topic's days by year, newest first, with the year's counts of days, learnings
/// and problems: every day that mentions it stays one link away. A year holds its
/// days as the HTML of their links (`links_html`): a topic can be on thousands of
/// days, and Tera's loop over them cost more than the rest of the page. A log with a
/// `topic.html` of its own gets them as a list too (`days`, each `url` and `label`).
fn topic_years(site: &Site, i: usize, root: &str) -> Vec<serde_json::Value> {
    let with_days = site.has_own_template("topic.html");
    let topic = &site.topics[i];
    let days = &site.log.days;
    let year_of = |d: usize| days[d].date().year();
    #[derive(Default)]
    struct Year {
        days: Vec<serde_json::Value>,
        links_html: String,
        count: usize,
        learnings: usize,
        problems: usize,
    }
    let mut years: BTreeMap<i32, Year> = BTreeMap::new();
    for &d in topic.days.iter().rev() {
        let date = days[d].date();
        let url = href(&days[d].url());
        let year = years.entry(date.year()).or_default();
        let html = &mut year.links_html;
        html.push_str("<a href=\"");
        escape_into(html, root);
        escape_into(html, &url);
        html.push_str("\">");
        // A bare month/day: the year is the heading, and a year holds hundreds. Digits
        // and a slash: nothing to escape.
        let label_at = html.len();
        crate::text::push_decimal(html, i64::from(date.month()));
        html.push('/');
        crate::text::push_decimal(html, i64::from(date.day()));
        if with_days {
            let label = html[label_at..].to_string();
            year.days.push(json!({"url": url, "label": label}));
        }
        html.push_str("</a> ");
        year.count += 1;
    }
    for &(d, _) in &topic.learnings {
        years.entry(year_of(d)).or_default().learnings += 1;
    }
    for &(d, _) in &topic.problems {
        years.entry(year_of(d)).or_default().problems += 1;
    }
    years
        .into_iter()
        .rev()
        .map(|(number, year)| {
            let mut view = json!({
                "year": number, "count": year.count, "links_html": year.links_html,
                "learnings": year.learnings, "problems": year.problems,
            });
            if with_days {
                view["days"] = json!(year.days);
            }
            view
        })
        .collect()
}

/// How many done and how many dropped steps `next.html` lists, newest closed first.
/// A log of years holds tens of thousands of steps; the rest stay on their day pages,
/// and the page counts every step by the month it was written, with a link to that
/// month in the archive.
const CLOSED_LISTED: usize = 30;

/// Every step once (`log::steps`): open ones by deadline, overdue first; then done
/// ones with the day they were done; then dropped ones. Each links to the note that
/// wrote it and the one that closed it.
pub(super) fn next(site: &Site) -> Result<Vec<u8>> {
    let log = site.log;
    let now = log.newest_date().unwrap_or(log.today);
    let (mut overdue, mut upcoming, mut undated) = (Vec::new(), Vec::new(), Vec::new());
    let (mut done, mut dropped) = (Vec::new(), Vec::new());
    // Steps by the month they were first written: (month, steps, done, dropped).
    let mut months: BTreeMap<NaiveDate, (usize, usize, usize)> = BTreeMap::new();
    for (r, record) in log.steps.iter().enumerate() {
        let month = months
            .entry(first_of_month(log.days[record.first.0].date()))
            .or_default();
        month.0 += 1;
        match record.state {
            StepState::Open { overdue: true } => overdue.push((record.due, r)),
            StepState::Open { .. } if record.due.is_some() => upcoming.push((record.due, r)),
            StepState::Open { .. } => undated.push(((), r)),
            StepState::Done { day, .. } => {
                month.1 += 1;
                done.push((day, r));
            }
            StepState::Dropped { day } => {
                month.2 += 1;
                dropped.push((day, r));
            }
        }
    }
    overdue.sort_by_key(|&(due, _)| due);
    upcoming.sort_by_key(|&(due, _)| due);
    // Newest closed first; the sort is stable, so in the order first written on a tie.
    done.sort_by_key(|&(day, _)| std::cmp::Reverse(day));
    dropped.sort_by_key(|&(day, _)| std::cmp::Reverse(day));
    let some_left_out = done.len() > CLOSED_LISTED || dropped.len() > CLOSED_LISTED;
    done.truncate(CLOSED_LISTED);
    dropped.truncate(CLOSED_LISTED);
    // Each step as its newest listing writes it, read from that note's text.
    let mut texts = DayText::default();
    let mut views = |records: Vec<usize>| -> Result<Vec<serde_json::Value>> {
        records
            .into_iter()
            .map(|r| {
                let (d, s) = log.steps[r].last;
                let text = texts.of(site, d)?;
                let mut pctx = day_ctx(site, &log.days[d], "", false);
                Ok(step_view(site, (d, s), text, &mut pctx))
            })
            .collect()
    };
    let counts = log.step_counts();
    let mut ctx = site.context(0);
    ctx.insert("overdue", &views(second(overdue))?);
    ctx.insert("upcoming", &views(second(upcoming))?);
    ctx.insert("undated", &views(second(undated))?);
    ctx.insert("done", &views(second(done))?);
    ctx.insert("dropped", &views(second(dropped))?);
    ctx.insert("counts", &counts);
    ctx.insert("closed_listed", &CLOSED_LISTED);
    let months: Vec<serde_json::Value> = if some_left_out {
        months
            .into_iter()
            .rev()
            .map(|(month, (steps, done, dropped))| {
                json!({"id": month_id(month), "label": i18n::month(month, &site.lang), "steps": steps, "done": done, "dropped": dropped})
            })
            .collect()
    } else {
        Vec::new()
    };
    ctx.insert("months", &months);
    ctx.insert("now_label", &i18n::long_date(now, &site.lang));
    site.render_template("next.html", &ctx)
}

/// The second of each pair: record indices from (sort key, record) pairs.
fn second<K>(pairs: Vec<(K, usize)>) -> Vec<usize> {
    pairs.into_iter().map(|(_, r)| r).collect()
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
            let learned: Vec<String> = (d.note.learnings.iter())
                .map(|l| l.text(&text, &d.note.link_refs))
                .collect();
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
