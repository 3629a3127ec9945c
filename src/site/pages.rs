//! One function per kind of page: builds the page's view (small, only what it shows)
//! and renders its template. URLs are relative to the page, so the site works from
//! `file://`, at a domain root and under a GitHub Pages subpath alike.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use serde_json::json;

use super::content::PageCtx;
use super::{charts, i18n, Site};
use crate::load::{Source, SourceKind};
use crate::log::stats::Summary;
use crate::log::Day;
use crate::note::{Role, Task};

/// One output file to render.
pub enum Job {
    Index,
    Day(usize),
    Week(usize),
    Archive,
    Topics,
    Topic(usize),
    Next,
    KbIndex,
    Kb(usize),
    Page(usize),
    NotFound,
    Feed,
    Sitemap,
}

/// Every page of the site.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Index,
        Job::Archive,
        Job::Topics,
        Job::Next,
        Job::KbIndex,
        Job::NotFound,
        Job::Feed,
    ];
    if site.site_url.is_some() {
        jobs.push(Job::Sitemap);
    }
    jobs.extend((0..site.log.days.len()).map(Job::Day));
    jobs.extend((0..site.log.weeks.len()).map(Job::Week));
    jobs.extend((0..site.topics.len()).map(Job::Topic));
    jobs.extend((0..site.kb.len()).map(Job::Kb));
    jobs.extend(
        site.explainers
            .iter()
            .chain(&site.kb_pages)
            .chain(&site.free_pages)
            .map(|&i| Job::Page(i)),
    );
    jobs
}

/// Renders one job: (path relative to the output folder, bytes).
pub fn render(site: &Site, job: &Job) -> Result<(String, Vec<u8>)> {
    match job {
        Job::Index => Ok(("index.html".into(), index(site)?)),
        Job::Day(i) => Ok((site.log.days[*i].url(), day(site, *i)?)),
        Job::Week(i) => Ok((site.log.weeks[*i].url(), week(site, *i)?)),
        Job::Archive => Ok(("archive.html".into(), archive(site)?)),
        Job::Topics => Ok(("topics/index.html".into(), topics(site)?)),
        Job::Topic(i) => Ok((site.topics[*i].url(), topic(site, *i)?)),
        Job::Next => Ok(("next.html".into(), next(site)?)),
        Job::KbIndex => Ok(("kb/index.html".into(), kb_index(site)?)),
        Job::Kb(i) => Ok((site.kb[*i].url(), kb_entry(site, *i)?)),
        Job::Page(i) => Ok((page_url(&site.log.pages[*i]), page(site, *i)?)),
        Job::NotFound => Ok(("404.html".into(), not_found(site)?)),
        Job::Feed => Ok(("atom.xml".into(), feed(site)?)),
        Job::Sitemap => Ok(("sitemap.xml".into(), sitemap(site)?)),
    }
}

/// The output path of a job and a hash of everything its page shows, or `None` for a
/// page that is rendered on every build (the dashboard, the lists, the feed: they
/// depend on every day). `keys` are the days' note-text hashes.
pub fn fingerprint(site: &Site, job: &Job, keys: &[u64]) -> (String, Option<u64>) {
    use crate::log::hash_of;
    let log = site.log;
    let day_sig = |i: usize| {
        (
            keys.get(i).copied().unwrap_or(0),
            log.days[i].minutes,
            log.days[i].date(),
        )
    };
    let kb_sig = |p: &crate::note::Problem| {
        site.kb_entry(&p.key)
            .map(|e| (e.slug.clone(), e.first_seen))
    };
    match job {
        Job::Day(i) => {
            let day = &log.days[*i];
            let neighbour = |j: Option<usize>| {
                j.map(|j| {
                    (
                        log.days[j].date(),
                        log.days[j].note.title.clone(),
                        log.days[j].minutes,
                    )
                })
            };
            let kb: Vec<_> = day.note.problems.iter().map(kb_sig).collect();
            let fp = hash_of(&(
                day_sig(*i),
                day.week_minutes,
                day.total_minutes,
                neighbour(i.checked_sub(1)),
                neighbour(Some(i + 1).filter(|&j| j < log.days.len())),
                &log.weeks[day.week].id,
                kb,
            ));
            (day.url(), Some(fp))
        }
        Job::Week(w) => {
            let week = &log.weeks[*w];
            let days: Vec<_> = week.days.iter().map(|&i| day_sig(i)).collect();
            let kb: Vec<_> = week
                .days
                .iter()
                .flat_map(|&i| log.days[i].note.problems.iter().map(kb_sig))
                .collect();
            let around = (
                w.checked_sub(1).map(|v| &log.weeks[v].id),
                log.weeks.get(w + 1).map(|v| &v.id),
            );
            (
                week.url(),
                Some(hash_of(&(&week.id, week.minutes, days, kb, around))),
            )
        }
        Job::Topic(t) => {
            let topic = &site.topics[*t];
            let days: Vec<_> = topic.days.iter().map(|&i| day_sig(i)).collect();
            let kb: Vec<_> = topic
                .problems
                .iter()
                .map(|&(d, p)| kb_sig(&log.days[d].note.problems[p]))
                .collect();
            (
                topic.url(),
                Some(hash_of(&(
                    &topic.name,
                    days,
                    &topic.learnings,
                    &topic.problems,
                    kb,
                ))),
            )
        }
        Job::Kb(k) => {
            let entry = &site.kb[*k];
            let days: Vec<_> = entry
                .occurrences
                .iter()
                .chain(&entry.learnings)
                .map(|&(d, _)| day_sig(d))
                .collect();
            let fp = hash_of(&(
                &entry.title,
                &entry.slug,
                &entry.occurrences,
                &entry.learnings,
                &entry.topics,
                days,
            ));
            (entry.url(), Some(fp))
        }
        Job::Page(i) => {
            let page = &log.pages[*i];
            // An explainer lists the days that mention it: any day may change that.
            let fp = (page.kind != SourceKind::Explainer)
                .then(|| hash_of(&(&page.rel_path, &page.text)));
            (page_url(page), fp)
        }
        other => (render_path(site, other), None),
    }
}

fn render_path(site: &Site, job: &Job) -> String {
    match job {
        Job::Index => "index.html".into(),
        Job::Day(i) => site.log.days[*i].url(),
        Job::Week(i) => site.log.weeks[*i].url(),
        Job::Archive => "archive.html".into(),
        Job::Topics => "topics/index.html".into(),
        Job::Topic(i) => site.topics[*i].url(),
        Job::Next => "next.html".into(),
        Job::KbIndex => "kb/index.html".into(),
        Job::Kb(i) => site.kb[*i].url(),
        Job::Page(i) => page_url(&site.log.pages[*i]),
        Job::NotFound => "404.html".into(),
        Job::Feed => "atom.xml".into(),
        Job::Sitemap => "sitemap.xml".into(),
    }
}

/// The URL of an explainer, knowledge-base entry or free page.
pub fn page_url(page: &Source) -> String {
    let stem = page
        .rel_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = match page.kind {
        SourceKind::Explainer => "explainers",
        SourceKind::Kb => "kb",
        _ => "pages",
    };
    format!("{folder}/{}.html", crate::text::slug(&stem))
}

/// A URL written into an href: Japanese path segments percent-encoded.
pub fn href(url: &str) -> String {
    url.split('/')
        .map(|seg| percent_encoding::utf8_percent_encode(seg, super::PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The rendering state for Markdown of `day`'s note on a page at `root`.
fn day_ctx<'a>(site: &Site, day: &'a Day, root: &'a str, link_terms: bool) -> PageCtx<'a> {
    let source_dir = day.note.rel_path.parent().unwrap_or(Path::new(""));
    page_ctx(
        root,
        source_dir,
        site.log.config.output.html.allow_html,
        link_terms,
    )
}

fn page_ctx<'a>(
    root: &'a str,
    source_dir: &'a Path,
    allow_html: bool,
    link_terms: bool,
) -> PageCtx<'a> {
    PageCtx {
        root,
        source_dir,
        allow_html,
        link_terms,
        linked: Vec::new(),
    }
}

// ----- views ---------------------------------------------------------------------

#[derive(Serialize)]
struct TaskView {
    html: String,
    hours: Option<String>,
    counted: bool,
    children: Vec<TaskView>,
}

fn task_view(site: &Site, task: &Task, ctx: &mut PageCtx) -> TaskView {
    // Continuation lines render with the title, so a line broken between two Japanese
    // characters joins up again (the seed's `CloudFrontの` / `ディストリビューション名`).
    let mut markdown = task.title_markdown.clone();
    for more in &task.more_markdown {
        markdown.push('\n');
        markdown.push_str(more);
    }
    TaskView {
        html: site.renderer.inline_html(&markdown, ctx),
        hours: task.minutes.map(i18n::hours),
        counted: task.counted,
        children: task
            .children
            .iter()
            .map(|c| task_view(site, c, ctx))
            .collect(),
    }
}

/// A link to a day, for lists.
fn day_link(site: &Site, day: &Day) -> serde_json::Value {
    json!({
        "url": href(&day.url()),
        "date": day.date().to_string(),
        "label": i18n::long_date(day.date(), &site.lang),
        "title": day.note.title,
        "hours": i18n::hours(day.minutes),
        "minutes": day.minutes,
    })
}

fn step_view(
    site: &Site,
    day: &Day,
    step: &crate::note::Step,
    now: NaiveDate,
    ctx: &mut PageCtx,
) -> serde_json::Value {
    json!({
        "html": site.renderer.inline_html(&step.markdown, ctx),
        "text": step.text,
        "area": step.area,
        "due": step.due.map(|d| d.to_string()),
        "due_label": step.due.map(|d| i18n::short_date(d, &site.lang)),
        "overdue": step.due.is_some_and(|d| d < now) && !step.done,
        "done": step.done,
        "day": day_link(site, day),
    })
}

/// A learning with its sub-points, for the week, topic and knowledge-base pages.
fn learning_view(
    site: &Site,
    day: &Day,
    learning: &crate::note::Learning,
    ctx: &mut PageCtx,
) -> serde_json::Value {
    json!({
        "html": site.renderer.inline_html(&learning.markdown, ctx),
        "details": learning.details.iter().map(|d| site.renderer.inline_html(d, ctx)).collect::<Vec<_>>(),
        "day": day_link(site, day),
    })
}

// ----- pages ---------------------------------------------------------------------

fn index(site: &Site) -> Result<Vec<u8>> {
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
            .map(|w| json!({"id": w.id, "url": href(&w.url()), "days": w.days.len(), "hours": i18n::hours(w.minutes)}))
            .collect();
        ctx.insert("active_weeks", &active);
        // The newest note's plan: steps due within a week, or overdue.
        let newest = log.days.last().expect("newest_date implies a day");
        let soon = now + Days::new(7);
        let due: Vec<serde_json::Value> = newest
            .note
            .next
            .iter()
            .filter(|s| s.due.is_some_and(|d| d <= soon) && !s.done)
            .map(|s| step_view(site, newest, s, now, &mut pctx))
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

fn day(site: &Site, i: usize) -> Result<Vec<u8>> {
    let log = site.log;
    let day = &log.days[i];
    let note = &day.note;
    let mut ctx = site.context(1);
    let mut pctx = day_ctx(site, day, "../", true);
    // The task tree comes first on the page, so it takes the first mention of a term.
    let tasks: Vec<TaskView> = note
        .tasks
        .iter()
        .map(|t| task_view(site, t, &mut pctx))
        .collect();
    let mut sections = Vec::new();
    for section in &note.sections {
        let html = match section.role {
            // The task tree and the tally are drawn from computed data; only the rest
            // of those sections (the ※ line) is rendered as written.
            Some(Role::Tasks) => site
                .renderer
                .html(&without_lists(&section.markdown), &mut pctx),
            Some(Role::Hours) => String::new(),
            _ => site.renderer.html(&section.markdown, &mut pctx),
        };
        let kb: Vec<serde_json::Value> = if section.role == Some(Role::Problems) {
            note.problems
                .iter()
                .filter_map(|p| site.kb_entry(&p.key))
                .map(|e| json!({"title": e.title, "url": href(&e.url())}))
                .collect()
        } else {
            Vec::new()
        };
        sections.push(json!({
            "heading": section.heading,
            "role": section.role,
            "html": html,
            "kb": kb,
        }));
    }
    let declared = &note.declared;
    let tally: Vec<serde_json::Value> = [
        ("today", declared.today.as_ref(), day.minutes),
        ("this_week", declared.week.as_ref(), day.week_minutes),
        ("total", declared.total.as_ref(), day.total_minutes),
    ]
    .into_iter()
    .map(|(key, d, computed)| {
        json!({
            "key": key,
            "declared": d.map(|f| i18n::hours(f.minutes)),
            "computed": i18n::hours(computed),
            "ok": d.is_none_or(|f| f.minutes == computed),
        })
    })
    .collect();
    let week = &log.weeks[day.week];
    ctx.insert(
        "day",
        &json!({
            "date": note.date.to_string(),
            "label": i18n::long_date(note.date, &site.lang),
            "title": note.title,
            "tags": note.tags,
            "hours": i18n::hours(day.minutes),
            "week": {"id": week.id, "url": href(&week.url())},
            "has_tasks_section": note.sections.iter().any(|s| s.role == Some(Role::Tasks)),
        }),
    );
    ctx.insert("sections", &sections);
    ctx.insert("tasks", &tasks);
    ctx.insert("tally", &tally);
    ctx.insert("prev", &(i > 0).then(|| day_link(site, &log.days[i - 1])));
    ctx.insert("next", &log.days.get(i + 1).map(|d| day_link(site, d)));
    site.render_template("day.html", &ctx)
}

/// The section's Markdown with its lists removed (the task tree is drawn separately).
fn without_lists(markdown: &str) -> String {
    let mut keep = String::new();
    let mut depth = 0usize;
    let mut last = 0usize;
    for (event, range) in crate::markdown::parse(markdown, crate::markdown::Options::default()) {
        match event {
            crate::markdown::Event::Start(crate::markdown::Tag::List(_)) => {
                if depth == 0 {
                    keep.push_str(&markdown[last..range.start]);
                }
                depth += 1;
            }
            crate::markdown::Event::End(crate::markdown::TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    last = range.end;
                }
            }
            _ => {}
        }
    }
    keep.push_str(&markdown[last.min(markdown.len())..]);
    keep
}

fn week(site: &Site, w: usize) -> Result<Vec<u8>> {
    let log = site.log;
    let week = &log.weeks[w];
    let mut ctx = site.context(1);
    let rows = (0..7u64)
        .map(|k| {
            let date = week.start + Days::new(k);
            let day = log.day_index(date).map(|i| &log.days[i]);
            (
                i18n::short_date(date, &site.lang),
                day.map_or(0, |d| d.minutes),
                day.map(|d| d.url()),
            )
        })
        .collect();
    // Tasks merged by title (top level, and "parent › child" one level down).
    let mut merged: BTreeMap<String, (u32, usize)> = BTreeMap::new();
    let mut learnings = Vec::new();
    let mut problems = Vec::new();
    let mut steps = Vec::new();
    let now = log.days[*week.days.last().expect("a week has a day")].date();
    for &i in &week.days {
        let day = &log.days[i];
        let mut pctx = day_ctx(site, day, "../", false);
        for t in day.note.tasks.iter().filter(|t| t.counted) {
            if let Some(m) = t.minutes {
                let e = merged.entry(t.title.clone()).or_default();
                e.0 += m;
                e.1 += 1;
            }
            for c in t.children.iter().filter(|c| c.counted) {
                if let Some(m) = c.minutes {
                    let e = merged
                        .entry(format!("{} › {}", t.title, c.title))
                        .or_default();
                    e.0 += m;
                    e.1 += 1;
                }
            }
        }
        for l in &day.note.learnings {
            learnings.push(learning_view(site, day, l, &mut pctx));
        }
        for p in &day.note.problems {
            let entry = site.kb_entry(&p.key);
            problems.push(json!({
                "title": p.title,
                "resolved": p.resolved,
                "opened": entry.is_some_and(|e| e.first_seen == day.date()),
                "url": entry.map(|e| href(&e.url())),
                "day": day_link(site, day),
            }));
        }
        if i == *week.days.last().expect("non-empty") {
            steps = day
                .note
                .next
                .iter()
                .map(|s| step_view(site, day, s, now, &mut pctx))
                .collect();
        }
    }
    let tasks: Vec<serde_json::Value> = merged
        .into_iter()
        .map(|(title, (m, days))| json!({"title": title, "hours": i18n::hours(m), "minutes": m, "days": days}))
        .collect();
    ctx.insert(
        "week",
        &json!({
            "id": week.id,
            "start": i18n::long_date(week.start, &site.lang),
            "end": i18n::long_date(week.end(), &site.lang),
            "hours": i18n::hours(week.minutes),
            "days": week.days.len(),
        }),
    );
    ctx.insert("chart", &charts::bars(rows));
    ctx.insert("tasks", &tasks);
    ctx.insert("learnings", &learnings);
    ctx.insert("problems", &problems);
    ctx.insert("steps", &steps);
    ctx.insert(
        "prev",
        &(w > 0).then(|| json!({"id": log.weeks[w - 1].id, "url": href(&log.weeks[w - 1].url())})),
    );
    ctx.insert(
        "next",
        &log.weeks
            .get(w + 1)
            .map(|n| json!({"id": n.id, "url": href(&n.url())})),
    );
    ctx.insert(
        "day_links",
        &week
            .days
            .iter()
            .map(|&i| day_link(site, &log.days[i]))
            .collect::<Vec<_>>(),
    );
    site.render_template("week.html", &ctx)
}

fn archive(site: &Site) -> Result<Vec<u8>> {
    let mut months: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for day in site.log.days.iter().rev() {
        let label = i18n::month(day.date(), &site.lang);
        match months.last_mut() {
            Some((l, days)) if *l == label => days.push(day_link(site, day)),
            _ => months.push((label, vec![day_link(site, day)])),
        }
    }
    let mut ctx = site.context(0);
    let months: Vec<serde_json::Value> = months
        .into_iter()
        .map(|(label, days)| json!({"label": label, "days": days}))
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

fn topics(site: &Site) -> Result<Vec<u8>> {
    let mut ctx = site.context(1);
    let list: Vec<serde_json::Value> = site
        .topics
        .iter()
        .map(|t| json!({"name": t.name, "url": href(&t.url()), "days": t.days.len()}))
        .collect();
    ctx.insert("topics", &list);
    site.render_template("topics.html", &ctx)
}

fn topic(site: &Site, i: usize) -> Result<Vec<u8>> {
    let topic = &site.topics[i];
    let log = site.log;
    let mut ctx = site.context(1);
    let mut learnings = Vec::new();
    for &(d, l) in &topic.learnings {
        let day = &log.days[d];
        let mut pctx = day_ctx(site, day, "../", false);
        learnings.push(learning_view(site, day, &day.note.learnings[l], &mut pctx));
    }
    let problems: Vec<serde_json::Value> = topic
        .problems
        .iter()
        .map(|&(d, p)| {
            let problem = &log.days[d].note.problems[p];
            let entry = site.kb_entry(&problem.key);
            json!({"title": problem.title, "resolved": problem.resolved, "url": entry.map(|e| href(&e.url())), "day": day_link(site, &log.days[d])})
        })
        .collect();
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
        &json!({"name": topic.name, "days": topic.days.len()}),
    );
    ctx.insert(
        "days",
        &topic
            .days
            .iter()
            .rev()
            .map(|&d| day_link(site, &log.days[d]))
            .collect::<Vec<_>>(),
    );
    ctx.insert("learnings", &learnings);
    ctx.insert("problems", &problems);
    ctx.insert("explainer", &explainer);
    site.render_template("topic.html", &ctx)
}

fn next(site: &Site) -> Result<Vec<u8>> {
    let log = site.log;
    let now = log.newest_date().unwrap_or(log.today);
    let mut steps = Vec::new();
    for day in log.days.iter().rev() {
        let mut pctx = day_ctx(site, day, "", false);
        for s in &day.note.next {
            steps.push(step_view(site, day, s, now, &mut pctx));
        }
    }
    let mut ctx = site.context(0);
    ctx.insert("steps", &steps);
    ctx.insert("now_label", &i18n::long_date(now, &site.lang));
    site.render_template("next.html", &ctx)
}

fn kb_index(site: &Site) -> Result<Vec<u8>> {
    let mut ctx = site.context(1);
    let entries: Vec<serde_json::Value> = site
        .kb
        .iter()
        .map(|e| {
            json!({
                "title": e.title, "url": href(e.url().trim_start_matches("kb/")),
                "resolved": e.resolved(), "topics": e.topics,
                "first_seen": i18n::short_date(e.first_seen, &site.lang),
                "last_seen": i18n::short_date(e.last_seen, &site.lang),
                "days_open": e.days_open(), "handwritten": false,
            })
        })
        .chain(site.kb_pages.iter().map(|&i| {
            let p = &site.log.pages[i];
            json!({
                "title": p.front.title.clone().unwrap_or_else(|| page_url(p)),
                "url": href(page_url(p).trim_start_matches("kb/")),
                "resolved": p.front.status.as_deref() != Some("open"),
                "topics": p.front.tags, "handwritten": true,
            })
        }))
        .collect();
    let mut topics: Vec<&String> = site.kb.iter().flat_map(|e| &e.topics).collect();
    topics.sort();
    topics.dedup();
    ctx.insert("entries", &entries);
    ctx.insert("topics", &topics);
    site.render_template("kb_index.html", &ctx)
}

fn kb_entry(site: &Site, k: usize) -> Result<Vec<u8>> {
    let log = site.log;
    let entry = &site.kb[k];
    let mut ctx = site.context(1);
    let mut timeline = Vec::new();
    let mut symptoms = Vec::new();
    let mut analyses = Vec::new();
    let mut fix = Vec::new();
    for &(d, p) in &entry.occurrences {
        let day = &log.days[d];
        let problem = &day.note.problems[p];
        let mut pctx = day_ctx(site, day, "../", false);
        let details: Vec<serde_json::Value> = problem
            .details
            .iter()
            .map(|dt| json!({"html": site.renderer.inline_html(&dt.markdown, &mut pctx), "analysis": dt.analysis}))
            .collect();
        for dt in &problem.details {
            let html = site.renderer.inline_html(
                dt.markdown
                    .trim_start_matches(['→', '⇒'])
                    .trim_start_matches("->")
                    .trim(),
                &mut pctx,
            );
            let item = json!({"html": html, "day": day_link(site, day)});
            if problem.resolved {
                fix.push(item);
            } else if dt.analysis {
                analyses.push(item);
            } else {
                symptoms.push(item);
            }
        }
        timeline.push(json!({
            "day": day_link(site, day), "time": problem.time, "resolved": problem.resolved, "details": details,
        }));
    }
    let learnings: Vec<serde_json::Value> = entry
        .learnings
        .iter()
        .map(|&(d, l)| {
            let day = &log.days[d];
            let mut pctx = day_ctx(site, day, "../", false);
            learning_view(site, day, &day.note.learnings[l], &mut pctx)
        })
        .collect();
    ctx.insert("entry", &json!({
        "title": entry.title, "resolved": entry.resolved(), "topics": entry.topics,
        "topic_urls": entry.topics.iter().map(|t| href(&format!("topics/{}.html", crate::text::slug(t)))).collect::<Vec<_>>(),
        "first_seen": i18n::long_date(entry.first_seen, &site.lang),
        "last_seen": i18n::long_date(entry.last_seen, &site.lang),
        "resolved_on": entry.resolved_on.map(|d| i18n::long_date(d, &site.lang)),
        "days_open": entry.days_open(),
    }));
    ctx.insert("timeline", &timeline);
    ctx.insert("symptoms", &symptoms);
    ctx.insert("analyses", &analyses);
    ctx.insert("fix", &fix);
    ctx.insert("learnings", &learnings);
    site.render_template("kb_entry.html", &ctx)
}

fn page(site: &Site, i: usize) -> Result<Vec<u8>> {
    let log = site.log;
    let page = &log.pages[i];
    let mut ctx = site.context(1);
    // Pages are the site owner's own writing (explainers carry SVG and a form), so raw
    // HTML is kept there; notes escape it unless book.toml opts in.
    let mut pctx = page_ctx(
        "../",
        page.rel_path.parent().unwrap_or(Path::new("")),
        true,
        false,
    );
    let body = strip_h1(page.body());
    let html = site.renderer.html(body, &mut pctx);
    let mentions: Vec<serde_json::Value> = if page.kind == SourceKind::Explainer {
        let terms: Vec<String> = page
            .front
            .terms
            .iter()
            .map(|t| crate::text::fold(t))
            .collect();
        log.days
            .iter()
            .zip(&site.folded)
            .rev()
            .filter(|(_, f)| {
                terms
                    .iter()
                    .any(|t| crate::log::topics::mentions(&f.text, t))
            })
            .map(|(d, _)| day_link(site, d))
            .collect()
    } else {
        Vec::new()
    };
    let title = page
        .front
        .title
        .clone()
        .or_else(|| first_h1(page.body()))
        .unwrap_or_else(|| page_url(page));
    ctx.insert("page", &json!({
        "title": title, "kind": page.kind, "html": html, "terms": page.front.terms,
        "scripts": page.front.scripts.iter().map(|s| href(&format!("static/{s}"))).collect::<Vec<_>>(),
    }));
    ctx.insert("mentions", &mentions);
    site.render_template("page.html", &ctx)
}

fn first_h1(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}

fn strip_h1(body: &str) -> &str {
    let trimmed = body.trim_start();
    if trimmed.starts_with("# ") {
        trimmed.find('\n').map_or("", |i| &trimmed[i + 1..])
    } else {
        body
    }
}

fn not_found(site: &Site) -> Result<Vec<u8>> {
    // Served at any depth, so links must be absolute: the site URL's path, else `/`.
    let mut ctx = site.context(0);
    let root = match &site.site_url {
        Some(url) => url.clone(),
        None => "/".to_string(),
    };
    ctx.insert("root", &root);
    site.render_template("404.html", &ctx)
}

fn feed(site: &Site) -> Result<Vec<u8>> {
    let base = site.site_url.clone().unwrap_or_default();
    let entries: Vec<serde_json::Value> = site
        .log
        .days
        .iter()
        .rev()
        .take(20)
        .map(|d| {
            let learned: Vec<&str> = d.note.learnings.iter().map(|l| l.text.as_str()).collect();
            json!({
                "title": d.note.title.clone().unwrap_or_else(|| i18n::long_date(d.date(), &site.lang)),
                "url": format!("{base}{}", href(&d.url())),
                "id": match &site.site_url { Some(_) => format!("{base}{}", href(&d.url())), None => format!("urn:logsite:day:{}", d.date()) },
                "updated": format!("{}T00:00:00Z", d.date()),
                "summary": format!("{} {} / {}", i18n::hours(d.minutes), if site.lang == "en" { "studied" } else { "学習" }, learned.join(" / ")),
            })
        })
        .collect();
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

fn sitemap(site: &Site) -> Result<Vec<u8>> {
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

#[allow(dead_code)]
fn year_of(d: NaiveDate) -> i32 {
    d.year()
}
