//! The knowledge base and the written pages (explainers, hand-written entries, about).

use std::path::Path;

use anyhow::Result;
use serde_json::json;

use super::kb_page::KbEntryView;
use super::*;

pub(super) fn kb_index(site: &Site) -> Result<Vec<u8>> {
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
                "days_open": e.days_open(), "span": i18n::span(e.notes(), e.days_open(), &site.lang), "handwritten": false,
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

/// How many of the days a problem was written on its entry page draws on (timeline,
/// symptoms, analyses, fix), newest last, and how many learnings it lists: a problem
/// carried for years would otherwise make a page of megabytes. The days left out stay
/// on their own pages; the entry says how many there are.
const KB_DAYS: usize = 30;
const KB_LEARNINGS: usize = 30;

pub(super) fn kb_entry(site: &Site, k: usize) -> Result<Vec<u8>> {
    let log = site.log;
    let entry = &site.kb[k];
    let mut timeline = Vec::new();
    let mut symptoms = Vec::new();
    let mut analyses = Vec::new();
    let mut fix = Vec::new();
    let mut texts = DayText::default();
    let shown = &entry.occurrences[entry.occurrences.len().saturating_sub(KB_DAYS)..];
    for &(d, p) in shown {
        let day = &log.days[d];
        let problem = &day.note.problems[p];
        let text = texts.of(site, d)?;
        let mut pctx = day_ctx(site, day, "../", false);
        let link = day_link(site, day);
        let mut details = Vec::with_capacity(problem.details.len());
        for dt in &problem.details {
            let line = dt.line.of(text);
            let html = site.renderer.inline_html(line, &mut pctx);
            // Symptoms and analyses are listed without the line's leading arrow.
            let bare = line
                .trim_start_matches(['→', '⇒'])
                .trim_start_matches("->")
                .trim();
            let bare_html = if bare == line {
                html.clone()
            } else {
                site.renderer.inline_html(bare, &mut pctx)
            };
            details.push(json!({"html": html, "analysis": dt.analysis}));
            let item = json!({"html": bare_html, "day": link});
            if problem.resolved {
                fix.push(item);
            } else if dt.analysis {
                analyses.push(item);
            } else {
                symptoms.push(item);
            }
        }
        timeline.push(json!({
            "day": link, "time": problem.time, "resolved": problem.resolved, "details": details,
        }));
    }
    let learnings: Vec<serde_json::Value> = entry.learnings
        [entry.learnings.len().saturating_sub(KB_LEARNINGS)..]
        .iter()
        .map(|&(d, l)| {
            let day = &log.days[d];
            let text = texts.of(site, d)?;
            let mut pctx = day_ctx(site, day, "../", false);
            Ok(learning_view(
                site,
                day,
                (&day.note.learnings[l], text),
                &mut pctx,
            ))
        })
        .collect::<Result<_>>()?;
    let view = KbEntryView {
        entry: json!({
            "title": entry.title, "resolved": entry.resolved(), "topics": entry.topics,
            "topic_urls": entry.topics.iter().map(|t| href(&topic_url(site, t))).collect::<Vec<_>>(),
            "first_seen": i18n::long_date(entry.first_seen, &site.lang),
            "last_seen": i18n::long_date(entry.last_seen, &site.lang),
            "resolved_on": entry.resolved_on.map(|d| i18n::long_date(d, &site.lang)),
            "days_open": entry.days_open(),
            "span": i18n::span(entry.notes(), entry.days_open(), &site.lang),
        }),
        earlier_days: entry.occurrences.len() - shown.len(),
        all_learnings: entry.learnings.len(),
        timeline,
        symptoms,
        analyses,
        fix,
        learnings,
    };
    let framed = site.kb_frame().map(|frame| frame.page(&view));
    site.framed_or_rendered(framed, &view, "kb_entry.html")
}

pub(super) fn page(site: &Site, i: usize) -> Result<Vec<u8>> {
    let log = site.log;
    let page = &log.pages[i];
    let mut ctx = site.context(1);
    // Pages are the site owner's own writing (explainers carry SVG and a form), so raw
    // HTML is kept there; notes escape it unless book.toml opts in.
    let mut pctx = page_ctx(
        "../",
        page.rel_path.parent().unwrap_or(Path::new("")),
        RawHtml::Kept,
        false,
    );
    let body = strip_h1(page.body());
    let html = site.renderer.html(body, &mut pctx);
    let mentions: Vec<serde_json::Value> = site.explainer_days[i]
        .iter()
        .rev()
        .map(|&d| day_link(site, &log.days[d]))
        .collect();
    let title = page_title(page);
    ctx.insert("page", &json!({
        "title": title, "kind": page.kind, "html": html, "terms": page.front.terms,
        "scripts": page.front.scripts.iter().map(|s| href(&format!("static/{s}"))).collect::<Vec<_>>(),
    }));
    ctx.insert("mentions", &mentions);
    site.render_template("page.html", &ctx)
}

pub(crate) fn strip_h1(body: &str) -> &str {
    let trimmed = body.trim_start();
    if trimmed.starts_with("# ") {
        trimmed.find('\n').map_or("", |i| &trimmed[i + 1..])
    } else {
        body
    }
}

/// The page of the topic named `name` (its slug may have had to change: see
/// `log::topics::compute`).
fn topic_url(site: &Site, name: &str) -> String {
    match site.topics.iter().find(|t| t.name == name) {
        Some(topic) => topic.url(),
        None => format!("topics/{}.html", crate::text::slug(name)),
    }
}
