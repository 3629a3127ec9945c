//! The day page and the week page (a 週報 built from the dailies).

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::json;

use super::day_page::{DayHead, DayView, KbLink, Link, Neighbour, SectionView, TallyRow};
use super::week_page::{LearningRow, ProblemRow, StepRow, TaskRow, WeekDay, WeekHead, WeekView};
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
                .html(&section.body.without(&text, &note.task_lists), &mut pctx),
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

pub(super) fn week(site: &Site, w: usize) -> Result<Vec<u8>> {
    let view = week_view(site, w)?;
    if let Some(frame) = site.week_frame() {
        return Ok(super::super::markup_safe(frame.page(&view)));
    }
    site.render_template("week.html", &week_context(site, w, &view)?)
}

/// The context of `week.html` for a theme of the log's own: the view as the template
/// has always had it, each day link whole (`day_link`), each step with the fields of
/// `next.html`'s.
pub(super) fn week_context(site: &Site, w: usize, view: &WeekView) -> Result<tera::Context> {
    let log = site.log;
    let week = &log.weeks[w];
    let links: Vec<serde_json::Value> = week
        .days
        .iter()
        .map(|&i| day_link(site, &log.days[i]))
        .collect();
    let mut ctx = site.context(1);
    ctx.insert("week", &view.head);
    ctx.insert("chart", &view.chart);
    ctx.insert("report_markdown", &view.report_markdown);
    ctx.insert("goal", &view.goal);
    ctx.insert("tasks", &view.tasks);
    let learnings: Vec<serde_json::Value> = view
        .learnings
        .iter()
        .map(|l| json!({"html": l.html, "details": l.details, "day": links[l.day]}))
        .collect();
    ctx.insert("learnings", &learnings);
    let problems: Vec<serde_json::Value> = view
        .problems
        .iter()
        .map(|p| {
            json!({
                "title": p.title,
                "resolved": p.resolved,
                "opened": p.opened,
                "url": p.url,
                "day": links[p.day],
            })
        })
        .collect();
    ctx.insert("problems", &problems);
    let last = *week.days.last().expect("non-empty");
    let text = site.note_text(&log.days[last].note)?;
    let steps: Vec<serde_json::Value> = view
        .steps
        .iter()
        .map(|r| r.step.json(site, &text))
        .collect();
    ctx.insert("steps", &steps);
    ctx.insert("prev", &view.prev);
    ctx.insert("next", &view.next);
    ctx.insert("day_links", &links);
    Ok(ctx)
}

/// What the `w`th week's page shows.
pub(super) fn week_view<'s>(site: &'s Site, w: usize) -> Result<WeekView<'s>> {
    let log = site.log;
    let week = &log.weeks[w];
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
    for (k, &i) in week.days.iter().enumerate() {
        let day = &log.days[i];
        let text = site.note_text(&day.note)?;
        let mut pctx = day_ctx(site, day, "../", false);
        for t in day.note.tasks.iter().filter(|t| t.counted) {
            let title = day.note.task_title(t, &text);
            if let Some(m) = t.minutes {
                let e = merged.entry(title.clone()).or_default();
                e.0 = e.0.saturating_add(m);
                e.1 += 1;
            }
            for c in t.children.iter().filter(|c| c.counted) {
                if let Some(m) = c.minutes {
                    let e = merged
                        .entry(format!("{title} › {}", day.note.task_title(c, &text)))
                        .or_default();
                    e.0 = e.0.saturating_add(m);
                    e.1 += 1;
                }
            }
        }
        for l in &day.note.learnings {
            let (html, details) = learning_html(site, (l, &text), &mut pctx);
            learnings.push(LearningRow {
                html,
                details,
                day: k,
            });
        }
        for p in &day.note.problems {
            let entry = site.kb_entry(&p.key);
            problems.push(ProblemRow {
                title: &p.title,
                resolved: p.resolved,
                opened: entry.is_some_and(|e| e.first_seen == day.date()),
                url: entry.map(|e| href(&e.url())),
                day: k,
            });
        }
        if k + 1 == week.days.len() {
            steps = (0..day.note.next.len())
                .map(|s| {
                    let step = StepView::new(site, (i, s), &text, &mut pctx);
                    let closed = step.state.closed_on().map(|c| {
                        let d = &log.days[c];
                        (href(&d.url()), i18n::long_date(d.date(), &site.lang))
                    });
                    StepRow { step, closed }
                })
                .collect();
        }
    }
    let tasks = merged
        .into_iter()
        .map(|(title, (minutes, days))| TaskRow {
            title,
            hours: i18n::hours(minutes),
            minutes,
            days,
        })
        .collect();
    // The 週報 of `logsite report`, behind the page's "copy as Markdown" button.
    let report = crate::report::WeekReport::new(log, w).map_err(|d| anyhow::anyhow!("{d}"))?;
    let week_link = |v: &'s crate::log::Week| Link {
        text: &v.id,
        url: href(&v.url()),
    };
    Ok(WeekView {
        head: WeekHead {
            id: &week.id,
            start: i18n::long_date(week.start, &site.lang),
            end: i18n::long_date(week.end(), &site.lang),
            hours: i18n::hours(week.minutes),
            active_days: crate::log::stats::active_days(log, week),
        },
        goal: goal_view(log, week.minutes),
        chart: charts::bars(rows),
        tasks,
        learnings,
        problems,
        steps,
        report_markdown: report.write(
            crate::report::Format::Markdown,
            &site.lang,
            site.site_url.as_deref(),
        ),
        days: week
            .days
            .iter()
            .map(|&i| {
                let day = &log.days[i];
                WeekDay {
                    url: href(&day.url()),
                    label: i18n::long_date(day.date(), &site.lang),
                    title: &day.note.title,
                    hours: i18n::hours(day.minutes),
                }
            })
            .collect(),
        prev: w.checked_sub(1).map(|p| week_link(&log.weeks[p])),
        next: log.weeks.get(w + 1).map(week_link),
    })
}
