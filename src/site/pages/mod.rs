//! One function per kind of page: builds the page's view (small, only what it shows)
//! and renders its template. URLs are relative to the page, so the site works from
//! `file://`, at a domain root and under a GitHub Pages subpath alike.

use std::path::Path;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use serde_json::json;

use super::content::PageCtx;
use super::{charts, i18n, Site};
use crate::load::{Source, SourceKind};
use crate::log::stats::Summary;
use crate::log::Day;
use crate::markdown::RawHtml;
use crate::note::{Role, Task};

mod day_page;
mod days;
mod frame;
mod kb;
mod kb_page;
mod lists;
mod topic_page;
mod week_page;

pub use day_page::DayFrame;
use days::{day, week};
pub(crate) use kb::strip_h1;
use kb::{kb_entry, kb_index, page};
pub use kb_page::KbFrame;
use lists::{archive, feed, index, next, not_found, sitemap, topic, topics};
pub use topic_page::TopicFrame;
pub use week_page::WeekFrame;

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
    let bytes = match job {
        Job::Index => index(site)?,
        Job::Day(i) => day(site, *i)?,
        Job::Week(i) => week(site, *i)?,
        Job::Archive => archive(site)?,
        Job::Topics => topics(site)?,
        Job::Topic(i) => topic(site, *i)?,
        Job::Next => next(site)?,
        Job::KbIndex => kb_index(site)?,
        Job::Kb(i) => kb_entry(site, *i)?,
        Job::Page(i) => page(site, *i)?,
        Job::NotFound => not_found(site)?,
        Job::Feed => feed(site)?,
        Job::Sitemap => sitemap(site)?,
    };
    Ok((render_path(site, job), bytes))
}

/// The output path of a job and a hash of everything its page shows, or `None` for a
/// page that is rendered on every build (the dashboard, the feed).
/// `keys` are the days' note-text hashes. A page over many days hashes only what it
/// shows of each (the topic pages and the lists in `lists.rs`: a change there must be
/// reflected here), so that an edit of one day does not render them all again.
pub fn fingerprint(site: &Site, job: &Job, keys: &[u64]) -> (String, Option<u64>) {
    use crate::log::hash_of;
    let log = site.log;
    let day_sig = |i: usize| {
        // An image that appears or goes changes the page (an image or a notice) though
        // the note does not: its error diagnostics stand for the images' state.
        let images: Vec<&str> = log.days[i]
            .note
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .map(|d| d.message.as_str())
            .collect();
        (
            keys.get(i).copied().unwrap_or(0),
            log.days[i].minutes,
            log.days[i].date(),
            images,
        )
    };
    let kb_sig = |p: &crate::note::Problem| {
        site.kb_entry(&p.key)
            .map(|e| (e.slug.clone(), e.first_seen))
    };
    // What a day link (`day_link`) shows.
    let link_sig = |i: usize| {
        let day = &log.days[i];
        (day.date(), day.note.title.as_deref(), day.minutes)
    };
    let fp = match job {
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
            Some(fp)
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
            // The last day's steps show what became of them (`log::steps`).
            let last = *week.days.last().expect("a week has a day");
            let steps: Vec<_> = log.days[last]
                .steps
                .iter()
                .map(|&r| {
                    let r = &log.steps[r as usize];
                    let closed = r.state.closed_on().map(link_sig);
                    (r.state, closed, r.due, r.first.0, link_sig(r.first.0))
                })
                .collect();
            Some(hash_of(&(&week.id, week.minutes, days, kb, around, steps)))
        }
        Job::Topic(t) => {
            // lists::topic: the days as links, each learning as rendered in its note's
            // folder, each problem's title, state and knowledge-base link.
            let topic = &site.topics[*t];
            let days: Vec<_> = topic.days.iter().map(|&i| link_sig(i)).collect();
            let learnings: Vec<_> = topic
                .learnings
                .iter()
                .map(|&(d, l)| {
                    // The learning's text is in its note: the note's key stands for it.
                    let note = &log.days[d].note;
                    (link_sig(d), note.rel_path.parent(), keys.get(d), l)
                })
                .collect();
            let problems: Vec<_> = topic
                .problems
                .iter()
                .map(|&(d, p)| {
                    let problem = &log.days[d].note.problems[p];
                    let kb = kb_sig(problem);
                    (link_sig(d), &problem.title, problem.resolved, kb)
                })
                .collect();
            Some(hash_of(&(&topic.name, days, learnings, problems)))
        }
        // lists::topics: each topic's name, page and number of days.
        Job::Topics => Some(hash_of(
            &site
                .topics
                .iter()
                .map(|t| (&t.name, &t.slug, t.days.len()))
                .collect::<Vec<_>>(),
        )),
        // lists::next: every day's steps as rendered in its note's folder, with the
        // day's link, measured from the newest day (or today).
        Job::Next => {
            let steps: Vec<_> = (0..log.days.len())
                .filter(|&i| !log.days[i].note.next.is_empty())
                .map(|i| {
                    // The steps' text is in the note: the note's key stands for it.
                    let note = &log.days[i].note;
                    (link_sig(i), note.rel_path.parent(), keys.get(i))
                })
                .collect();
            let records: Vec<_> = log
                .steps
                .iter()
                .map(|r| (r.first, r.last, r.due, r.listed, r.state))
                .collect();
            Some(hash_of(&(
                log.newest_date().unwrap_or(log.today),
                steps,
                records,
            )))
        }
        // lists::archive: every day as a link, and every week.
        Job::Archive => {
            let days: Vec<_> = (0..log.days.len()).map(link_sig).collect();
            let weeks: Vec<_> = log
                .weeks
                .iter()
                .map(|w| (&w.id, w.minutes, w.days.len(), w.start))
                .collect();
            Some(hash_of(&(days, weeks)))
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
            Some(fp)
        }
        Job::Page(i) => {
            let page = &log.pages[*i];
            // An explainer lists the days that mention it: any day may change that.
            (page.kind != SourceKind::Explainer).then(|| hash_of(&(&page.rel_path, &page.text)))
        }
        _ => None,
    };
    (render_path(site, job), fp)
}

/// Where a job's page is written, relative to the site root.
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
    let folder = match page.kind {
        SourceKind::Explainer => "explainers",
        SourceKind::Kb => "kb",
        _ => "pages",
    };
    format!("{folder}/{}.html", page.slug())
}

/// An explainer's, knowledge-base entry's or free page's title: its front matter's,
/// else its first `# ` heading, else its URL.
pub fn page_title(page: &Source) -> String {
    page.front
        .title
        .clone()
        .or_else(|| {
            page.body()
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .map(|t| t.trim().to_string())
        })
        .unwrap_or_else(|| page_url(page))
}

/// A URL written into an href: Japanese path segments percent-encoded, the `/`
/// between segments kept. One pass with the segment set less `/`, which encodes every
/// other byte as the segments encoded apart would; a URL with nothing to encode (most
/// links: pages link hundreds of days) is copied as it is.
pub fn href(url: &str) -> String {
    const PATH: &percent_encoding::AsciiSet = &super::PATH_SEGMENT.remove(b'/');
    std::borrow::Cow::from(percent_encoding::utf8_percent_encode(url, PATH)).into_owned()
}

/// The rendering state for Markdown of `day`'s note on a page at `root`.
pub(super) fn day_ctx<'a>(
    site: &Site,
    day: &'a Day,
    root: &'a str,
    link_terms: bool,
) -> PageCtx<'a> {
    let source_dir = day.note.rel_path.parent().unwrap_or(Path::new(""));
    PageCtx {
        refs: &day.note.link_refs,
        ..page_ctx(
            root,
            source_dir,
            RawHtml::of_notes(site.log.config.output.html.allow_html),
            link_terms,
        )
    }
}

pub(super) fn page_ctx<'a>(
    root: &'a str,
    source_dir: &'a Path,
    raw_html: RawHtml,
    link_terms: bool,
) -> PageCtx<'a> {
    PageCtx {
        root,
        source_dir,
        raw_html,
        refs: crate::markdown::LinkRefs::NONE,
        link_terms,
        linked: Vec::new(),
    }
}

// ----- views ---------------------------------------------------------------------

/// The note text of the day read last: a page going through many items in day order
/// (a knowledge-base entry's occurrences and learnings, a topic's learnings) reads each
/// day once, not once per item.
#[derive(Default)]
pub(super) struct DayText(Option<(usize, std::sync::Arc<str>)>);

impl DayText {
    pub(super) fn of(&mut self, site: &Site, d: usize) -> Result<&str> {
        if self.0.as_ref().map(|(day, _)| *day) != Some(d) {
            self.0 = Some((d, site.note_text(&site.log.days[d].note)?));
        }
        Ok(self.0.as_ref().map_or("", |(_, text)| text))
    }
}

#[derive(Serialize)]
pub(super) struct TaskView {
    html: String,
    hours: Option<String>,
    counted: bool,
    children: Vec<TaskView>,
}

/// `text` is the task's note's text.
pub(super) fn task_view(site: &Site, (task, text): (&Task, &str), ctx: &mut PageCtx) -> TaskView {
    // Continuation lines render with the title, so a line broken between two Japanese
    // characters joins up again (the seed's `CloudFrontの` / `ディストリビューション名`).
    let mut markdown = task.title_markdown(text);
    for more in task.more_markdown(text) {
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
            .map(|c| task_view(site, (c, text), ctx))
            .collect(),
    }
}

/// Progress of `minutes` against `[hours] weekly-goal` (`goal` in `index.html` and
/// `week.html`; null without a goal).
#[derive(Serialize)]
pub(super) struct Goal {
    pub hours: String,
    pub done: String,
    pub percent: u32,
    /// The progress bar's value: the percentage up to 100.
    pub bar: u32,
    pub reached: bool,
}

/// The week's progress against the goal; none without a goal.
pub(super) fn goal_view(log: &crate::log::Log, minutes: u32) -> Option<Goal> {
    let goal = log.config.weekly_goal_minutes()?;
    let percent = log.goal_percent(minutes)?;
    Some(Goal {
        hours: i18n::hours(goal),
        done: i18n::hours(minutes),
        percent,
        bar: percent.min(100),
        reached: percent >= 100,
    })
}

/// A link to a day, for lists.
pub(super) fn day_link(site: &Site, day: &Day) -> serde_json::Value {
    json!({
        "url": href(&day.url()),
        "date": day.date().to_string(),
        "label": i18n::long_date(day.date(), &site.lang),
        "title": day.note.title,
        "hours": i18n::hours(day.minutes),
        "minutes": day.minutes,
    })
}

/// The `s`th next step of the `d`th day, with what became of it (`log::steps`), as
/// the `steps` macro of `macros.html` shows it.
pub(super) struct StepView<'a> {
    d: usize,
    s: usize,
    pub html: String,
    pub area: &'a Option<String>,
    /// The step's deadline, else the one written most recently.
    pub due: Option<NaiveDate>,
    pub due_label: Option<String>,
    pub state: crate::log::steps::StepState,
}

impl<'a> StepView<'a> {
    /// `text` is the day's note's text.
    pub(super) fn new(
        site: &'a Site,
        (d, s): (usize, usize),
        text: &str,
        ctx: &mut PageCtx,
    ) -> StepView<'a> {
        let log = site.log;
        let step = &log.days[d].note.next[s];
        let record = log.step_record(d, s);
        let due = step.due.or(record.due);
        StepView {
            d,
            s,
            html: site.renderer.inline_html(&step.markdown(text), ctx),
            area: &step.area,
            due,
            due_label: due.map(|d| i18n::short_date(d, &site.lang)),
            state: record.state,
        }
    }

    /// `checked` or `task`: what says a done step was done; none for the others.
    pub(super) fn how(&self) -> Option<&'static str> {
        use crate::log::steps::{Closing, StepState};
        match self.state {
            StepState::Done {
                how: Closing::Checked,
                ..
            } => Some("checked"),
            StepState::Done { .. } => Some("task"),
            _ => None,
        }
    }

    pub(super) fn done(&self) -> bool {
        matches!(self.state, crate::log::steps::StepState::Done { .. })
    }

    /// The step as a template's context holds it. `text` is the day's note's text.
    fn json(&self, site: &Site, text: &str) -> serde_json::Value {
        let log = site.log;
        let day = &log.days[self.d];
        let record = log.step_record(self.d, self.s);
        let state = self.state;
        json!({
            "html": self.html,
            "text": day.note.next[self.s].text(text, &day.note.link_refs),
            "area": self.area,
            "due": self.due.map(|d| d.to_string()),
            "due_label": self.due_label,
            "state": state.name(),
            "overdue": state.overdue(),
            "done": self.done(),
            "probable": state.probable(),
            "how": self.how(),
            "closed": state.closed_on().map(|c| day_link(site, &log.days[c])),
            "written": day_link(site, &log.days[record.first.0]),
            "listed": record.listed,
            "day": day_link(site, day),
        })
    }
}

/// The `s`th next step of the `d`th day, with what became of it, for a template's
/// context. `text` is the day's note's text.
pub(super) fn step_view(
    site: &Site,
    (d, s): (usize, usize),
    text: &str,
    ctx: &mut PageCtx,
) -> serde_json::Value {
    StepView::new(site, (d, s), text, ctx).json(site, text)
}

/// A learning with its sub-points, for the week, topic and knowledge-base pages.
/// `text` is the learning's note's text.
pub(super) fn learning_view(
    site: &Site,
    day: &Day,
    (learning, text): (&crate::note::Learning, &str),
    ctx: &mut PageCtx,
) -> serde_json::Value {
    let (html, details) = learning_html(site, (learning, text), ctx);
    json!({
        "html": html,
        "details": details,
        "day": day_link(site, day),
    })
}

/// A learning's HTML and its sub-points'. `text` is the learning's note's text.
pub(super) fn learning_html(
    site: &Site,
    (learning, text): (&crate::note::Learning, &str),
    ctx: &mut PageCtx,
) -> (String, Vec<String>) {
    let html = site.renderer.inline_html(&learning.markdown(text), ctx);
    let details = learning
        .details(text)
        .iter()
        .map(|d| site.renderer.inline_html(d, ctx))
        .collect();
    (html, details)
}

#[cfg(test)]
mod tests {
    use super::href;
    use proptest::prelude::*;

    #[test]
    fn links_encode_each_segment_and_keep_the_slashes() {
        assert_eq!(href("days/2025-04-28.html"), "days/2025-04-28.html");
        assert_eq!(
            href("topics/キャッシュ.html"),
            "topics/%E3%82%AD%E3%83%A3%E3%83%83%E3%82%B7%E3%83%A5.html"
        );
        assert_eq!(href("kb/a b?#%.html"), "kb/a%20b%3F%23%25.html");
        assert_eq!(href(""), "");
        assert_eq!(href("/"), "/");
    }

    proptest! {
        /// One string written as the segments encoded apart and joined.
        #[test]
        fn a_link_is_its_segments_encoded_and_joined(url in "[a-zキャ/ ?#%\\\\.\u{0}-\u{1f}]{0,16}") {
            let joined = url
                .split('/')
                .map(|seg| percent_encoding::utf8_percent_encode(seg, super::super::PATH_SEGMENT).to_string())
                .collect::<Vec<_>>()
                .join("/");
            prop_assert_eq!(href(&url), joined);
        }
    }
}
