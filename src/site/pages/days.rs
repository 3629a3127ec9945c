//! The day page and the week page (a 週報 built from the dailies).

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::json;

use super::day_page::{DayHead, DayView, KbLink, Link, Neighbour, SectionView, TallyRow};
use super::*;

pub(super) fn day(site: &Site, i: usize) -> Result<Vec<u8>> {
    let view = day_view(site, i)?;
    if let Some(frame) = site.day_frame() {
        return Ok(super::super::markup_safe(frame.page(&view)));
    }
    let log = site.log;
    let mut ctx = site.context(1);
    ctx.insert("day", &view.head);
    ctx.insert("sections", &view.sections);
    ctx.insert("tasks", &view.tasks);
    ctx.insert("tally", &view.tally);
    ctx.insert("prev", &(i > 0).then(|| day_link(site, &log.days[i - 1])));
    ctx.insert("next", &log.days.get(i + 1).map(|d| day_link(site, d)));
    site.render_template("day.html", &ctx)
}

/// What the `i`th day's page shows.
fn day_view<'s>(site: &'s Site, i: usize) -> Result<DayView<'s>> {
    let log = site.log;
    let day = &log.days[i];
    let note = &day.note;
    let text = site.note_text(note)?;
    let mut pctx = day_ctx(site, day, "../", true);
    // The task tree comes first on the page, so it takes the first mention of a term.
    let tasks: Vec<TaskView> = note
        .tasks
        .iter()
        .map(|t| task_view(site, (t, &text), &mut pctx))
        .collect();
    let mut sections = Vec::new();
    for section in &note.sections {
        let html = match section.role {
            // The task tree and the tally are drawn from computed data; only the rest
            // of those sections (the ※ line) is rendered as written.
            Some(Role::Tasks) => site
                .renderer
                .html(&without_lists(section.markdown(&text)), &mut pctx),
            Some(Role::Hours) => String::new(),
            _ => site.renderer.html(section.markdown(&text), &mut pctx),
        };
        let kb = if section.role == Some(Role::Problems) {
            note.problems
                .iter()
                .filter_map(|p| site.kb_entry(&p.key))
                .map(|e| KbLink {
                    title: &e.title,
                    url: href(&e.url()),
                })
                .collect()
        } else {
            Vec::new()
        };
        sections.push(SectionView {
            heading: &section.heading,
            role: section.role,
            html,
            kb,
        });
    }
    let declared = &note.declared;
    let tally = [
        ("today", declared.today.as_ref(), day.minutes),
        ("this_week", declared.week.as_ref(), day.week_minutes),
        ("total", declared.total.as_ref(), day.total_minutes),
    ]
    .into_iter()
    .map(|(key, d, computed)| TallyRow {
        key,
        declared: d.map(|f| i18n::hours(f.minutes)),
        computed: i18n::hours(computed),
        ok: d.is_none_or(|f| f.minutes == computed),
    })
    .collect();
    let week = &log.weeks[day.week];
    let neighbour = |d: &Day| Neighbour {
        url: href(&d.url()),
        label: i18n::long_date(d.date(), &site.lang),
    };
    Ok(DayView {
        head: DayHead {
            date: note.date.to_string(),
            label: i18n::long_date(note.date, &site.lang),
            title: &note.title,
            tags: &note.tags,
            hours: i18n::hours(day.minutes),
            week: Link {
                text: &week.id,
                url: href(&week.url()),
            },
            has_tasks_section: note.sections.iter().any(|s| s.role == Some(Role::Tasks)),
        },
        tasks,
        sections,
        tally,
        prev: i.checked_sub(1).map(|p| neighbour(&log.days[p])),
        next: log.days.get(i + 1).map(neighbour),
    })
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

pub(super) fn week(site: &Site, w: usize) -> Result<Vec<u8>> {
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
    for &i in &week.days {
        let day = &log.days[i];
        let text = site.note_text(&day.note)?;
        let mut pctx = day_ctx(site, day, "../", false);
        for t in day.note.tasks.iter().filter(|t| t.counted) {
            let title = t.title(&text);
            if let Some(m) = t.minutes {
                let e = merged.entry(title.clone()).or_default();
                e.0 += m;
                e.1 += 1;
            }
            for c in t.children.iter().filter(|c| c.counted) {
                if let Some(m) = c.minutes {
                    let e = merged
                        .entry(format!("{} › {}", title, c.title(&text)))
                        .or_default();
                    e.0 += m;
                    e.1 += 1;
                }
            }
        }
        for l in &day.note.learnings {
            learnings.push(learning_view(site, day, (l, &text), &mut pctx));
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
            steps = (0..day.note.next.len())
                .map(|s| step_view(site, (i, s), &text, &mut pctx))
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
            "days": crate::log::stats::active_days(log, week),
        }),
    );
    ctx.insert("chart", &charts::bars(rows));
    // The 週報 of `logsite report`, behind the page's "copy as Markdown" button.
    let report = crate::report::WeekReport::new(log, w).map_err(|d| anyhow::anyhow!("{d}"))?;
    ctx.insert(
        "report_markdown",
        &report.write(
            crate::report::Format::Markdown,
            &site.lang,
            site.site_url.as_deref(),
        ),
    );
    ctx.insert("goal", &goal_view(log, week.minutes));
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
