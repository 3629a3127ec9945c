//! The week page written without Tera: the same bytes `week.html` (with the
//! `bar_chart`, `steps` and `day_list` macros of `macros.html`) renders, inside the
//! frame `base.html` renders once per build (see [`super::frame`]).
//!
//! Week pages took ~11% of a 3,650-note build through Tera, most of it building the
//! context's JSON and looking variables up by name. This path is used only while the
//! log has none of `base.html`, `week.html` and `macros.html` of its own
//! ([`super::super::templates::WEEK_PAGE_TEMPLATES`]): a log with its own theme gets
//! Tera. `tests/week_page.rs` builds logs both ways and compares every week page byte
//! for byte, so an edit of `week.html` or of those macros that is not made here too
//! fails the tests.

use std::fmt::Write;

use serde::Serialize;

use super::super::charts::BarChart;
use super::super::content::escape_into;
use super::day_page::Link;
use super::frame::{self, non_empty, Frame};
use super::{Goal, StepView};

/// The week's own fields (`week` in `week.html`).
#[derive(Serialize)]
pub(super) struct WeekHead<'a> {
    pub id: &'a str,
    pub start: String,
    pub end: String,
    pub hours: String,
    /// Days with study time.
    #[serde(rename = "days")]
    pub active_days: usize,
}

/// A task merged over the week by title (`tasks` in `week.html`).
#[derive(Serialize)]
pub(super) struct TaskRow {
    pub title: String,
    pub hours: String,
    pub minutes: u32,
    /// On how many days it was written with time.
    pub days: usize,
}

/// One of the week's days, for the links of the learnings, problems and day list.
pub(super) struct WeekDay<'a> {
    pub url: String,
    pub label: String,
    pub title: &'a Option<String>,
    pub hours: String,
}

/// A learning and its sub-points, rendered; `day` indexes [`WeekView::days`].
pub(super) struct LearningRow {
    pub html: String,
    pub details: Vec<String>,
    pub day: usize,
}

/// A problem as written on a day of the week; `day` indexes [`WeekView::days`].
pub(super) struct ProblemRow<'a> {
    pub title: &'a str,
    pub resolved: bool,
    /// First written on that day.
    pub opened: bool,
    /// Its knowledge-base entry.
    pub url: Option<String>,
    pub day: usize,
}

/// A next step of the week's last note, and the page of the note that closed it
/// (URL, label) where one did.
pub(super) struct StepRow<'a> {
    pub step: StepView<'a>,
    pub closed: Option<(String, String)>,
}

/// Everything a week page shows.
pub(super) struct WeekView<'a> {
    pub head: WeekHead<'a>,
    pub goal: Option<Goal>,
    pub chart: BarChart,
    pub tasks: Vec<TaskRow>,
    pub learnings: Vec<LearningRow>,
    pub problems: Vec<ProblemRow<'a>>,
    /// The next steps of the week's last note.
    pub steps: Vec<StepRow<'a>>,
    /// The 週報 of `logsite report`, behind the "copy as Markdown" button.
    pub report_markdown: String,
    /// The days with a note, in order.
    pub days: Vec<WeekDay<'a>>,
    pub prev: Option<Link<'a>>,
    pub next: Option<Link<'a>>,
}

/// The frame of a week page (see [`Frame`]) and the labels `week.html` and its
/// macros print.
pub struct WeekFrame {
    frame: Frame,
    labels: Labels,
}

/// The entries of `t` that `week.html` and its macros use.
struct Labels {
    weeks: &'static str,
    active_days: &'static str,
    goal_of_week: &'static str,
    weekly_goal: &'static str,
    goal_reached: &'static str,
    minutes_of_day: &'static str,
    tasks: &'static str,
    hours: &'static str,
    learnings: &'static str,
    problems: &'static str,
    resolved: &'static str,
    opened: &'static str,
    open: &'static str,
    next: &'static str,
    due: &'static str,
    overdue: &'static str,
    probably_done_on: &'static str,
    done_on: &'static str,
    closed_by_check: &'static str,
    closed_by_task: &'static str,
    steps_dropped: &'static str,
    dropped_on: &'static str,
    week_report: &'static str,
    copied: &'static str,
    copy_markdown: &'static str,
    show_markdown: &'static str,
    archive: &'static str,
}

/// Where the page is: one folder deep (`weeks/`).
const ROOT: &str = "../";

impl WeekFrame {
    /// None when the shell cannot be cut (see [`Frame::new`]): the week page then goes
    /// through Tera.
    pub fn new(shell: String, lang: &str, site_title: &str) -> Option<WeekFrame> {
        let label = frame::labels(lang);
        Some(WeekFrame {
            frame: Frame::new(shell, site_title)?,
            labels: Labels {
                weeks: label("weeks")?,
                active_days: label("active_days")?,
                goal_of_week: label("goal_of_week")?,
                weekly_goal: label("weekly_goal")?,
                goal_reached: label("goal_reached")?,
                minutes_of_day: label("minutes_of_day")?,
                tasks: label("tasks")?,
                hours: label("hours")?,
                learnings: label("learnings")?,
                problems: label("problems")?,
                resolved: label("resolved")?,
                opened: label("opened")?,
                open: label("open")?,
                next: label("next")?,
                due: label("due")?,
                overdue: label("overdue")?,
                probably_done_on: label("probably_done_on")?,
                done_on: label("done_on")?,
                closed_by_check: label("closed_by_check")?,
                closed_by_task: label("closed_by_task")?,
                steps_dropped: label("steps_dropped")?,
                dropped_on: label("dropped_on")?,
                week_report: label("week_report")?,
                copied: label("copied")?,
                copy_markdown: label("copy_markdown")?,
                show_markdown: label("show_markdown")?,
                archive: label("archive")?,
            },
        })
    }

    /// The whole page, as Tera would render `week.html` (before `markup_safe`).
    pub(super) fn page(&self, view: &WeekView) -> Vec<u8> {
        self.frame.page(
            // {% block title %}
            |out| {
                escape_into(out, view.head.id);
                out.push_str(" · ");
                escape_into(out, &self.frame.site_title);
            },
            |out| self.main(out, view),
        )
    }

    /// `{% block main %}` of `week.html`, line for line.
    fn main(&self, out: &mut String, view: &WeekView) {
        let (t, head) = (&self.labels, &view.head);
        out.push_str("\n<h1>");
        escape_into(out, t.weeks);
        out.push(' ');
        escape_into(out, head.id);
        out.push_str("</h1>\n<p class=\"meta\">");
        escape_into(out, &head.start);
        out.push_str(" – ");
        escape_into(out, &head.end);
        out.push_str(" · <span class=\"hours\" id=\"week-hours\">");
        escape_into(out, &head.hours);
        out.push_str("</span> · ");
        escape_into(out, t.active_days);
        let _ = writeln!(out, " {}/7</p>", head.active_days);
        if let Some(goal) = &view.goal {
            out.push_str("<p class=\"goal\" id=\"goal\">");
            escape_into(out, t.goal_of_week);
            out.push(' ');
            escape_into(out, &goal.hours);
            out.push_str(": ");
            escape_into(out, &goal.done);
            let _ = write!(
                out,
                " <progress max=\"100\" value=\"{}\" aria-label=\"",
                goal.bar
            );
            escape_into(out, t.weekly_goal);
            let _ = write!(
                out,
                " {p}%\">{p}%</progress> <span class=\"goal-percent\">{p}%</span>",
                p = goal.percent
            );
            if goal.reached {
                out.push_str(" <span class=\"badge ok\">");
                escape_into(out, t.goal_reached);
                out.push_str("</span>");
            }
            out.push_str("</p>");
        }
        out.push('\n');
        bar_chart(out, &view.chart, t.minutes_of_day, "days");
        out.push_str("\n<section><h2>");
        escape_into(out, t.tasks);
        out.push_str("</h2>\n<table class=\"compact\"><thead><tr><th scope=\"col\">");
        escape_into(out, t.tasks);
        out.push_str("</th><th scope=\"col\">");
        escape_into(out, t.hours);
        out.push_str("</th><th scope=\"col\">");
        escape_into(out, t.active_days);
        out.push_str("</th></tr></thead>\n<tbody>");
        for task in &view.tasks {
            out.push_str("<tr><td>");
            escape_into(out, &task.title);
            out.push_str("</td><td>");
            escape_into(out, &task.hours);
            let _ = write!(out, "</td><td>{}</td></tr>", task.days);
        }
        out.push_str("</tbody></table>\n</section>\n<section><h2>");
        escape_into(out, t.learnings);
        out.push_str("</h2>\n<ul class=\"learnings\">");
        for l in &view.learnings {
            out.push_str("<li>");
            out.push_str(&l.html);
            out.push(' ');
            meta_link(out, &view.days[l.day]);
            if !l.details.is_empty() {
                out.push_str("<ul>");
                for d in &l.details {
                    out.push_str("<li>");
                    out.push_str(d);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>\n</section>\n<section><h2>");
        escape_into(out, t.problems);
        out.push_str("</h2>\n<ul class=\"problems\">");
        for p in &view.problems {
            out.push_str("<li>");
            match p.url.as_deref().filter(|u| !u.is_empty()) {
                Some(url) => link(out, "<a href=\"", url, p.title),
                None => escape_into(out, p.title),
            }
            let (class, label) = if p.resolved {
                ("badge ok", t.resolved)
            } else if p.opened {
                ("badge warn", t.opened)
            } else {
                ("badge", t.open)
            };
            out.push_str("\n <span class=\"");
            out.push_str(class);
            out.push_str("\">");
            escape_into(out, label);
            out.push_str("</span>\n ");
            meta_link(out, &view.days[p.day]);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n</section>\n<section><h2>");
        escape_into(out, t.next);
        out.push_str("</h2>");
        self.steps(out, &view.steps);
        out.push_str("</section>\n<section class=\"week-report\"><h2>");
        escape_into(out, t.week_report);
        out.push_str("</h2>\n<p><button type=\"button\" class=\"copy-report\" data-target=\"week-report\" data-done=\"");
        escape_into(out, t.copied);
        out.push_str("\" hidden>");
        escape_into(out, t.copy_markdown);
        out.push_str(
            "</button> <span class=\"copy-status\" role=\"status\"></span></p>\n<details><summary>",
        );
        escape_into(out, t.show_markdown);
        out.push_str("</summary><textarea id=\"week-report\" readonly rows=\"14\" aria-label=\"");
        escape_into(out, t.week_report);
        out.push_str(" (Markdown)\">");
        escape_into(out, &view.report_markdown);
        out.push_str("</textarea></details>\n</section>\n<section><h2>");
        escape_into(out, t.archive);
        out.push_str("</h2>");
        day_list(out, &view.days);
        out.push_str("</section>\n<nav class=\"pager\">");
        match &view.prev {
            Some(prev) => {
                out.push_str("<a rel=\"prev\" href=\"");
                out.push_str(ROOT);
                escape_into(out, &prev.url);
                out.push_str("\">← ");
                escape_into(out, prev.text);
                out.push_str("</a>");
            }
            None => out.push_str("<span></span>"),
        }
        if let Some(next) = &view.next {
            out.push_str("<a rel=\"next\" href=\"");
            out.push_str(ROOT);
            escape_into(out, &next.url);
            out.push_str("\">");
            escape_into(out, next.text);
            out.push_str(" →</a>");
        }
        out.push_str("</nav>\n");
    }

    /// `steps` of `macros.html`, without the day each step was written on
    /// (`show_day=false`).
    fn steps(&self, out: &mut String, steps: &[StepRow]) {
        let t = &self.labels;
        out.push_str("\n<ul class=\"steps\">\n");
        for StepRow { step: s, closed } in steps {
            let (state, done, probable) = (s.state, s.done(), s.state.probable());
            out.push_str("\n  <li class=\"step state-");
            escape_into(out, state.name());
            if state.overdue() {
                out.push_str(" overdue");
            }
            if done {
                out.push_str(" done");
            }
            if probable {
                out.push_str(" probable");
            }
            out.push_str("\">\n    ");
            if let Some(area) = non_empty(s.area) {
                out.push_str("<span class=\"area\">");
                escape_into(out, area);
                out.push_str("</span>");
            }
            out.push_str("\n    <span class=\"step-text\">");
            out.push_str(&s.html);
            out.push_str("</span>\n    ");
            if let (Some(due), Some(due_label)) = (s.due, &s.due_label) {
                let _ = write!(out, "<span class=\"due\"><time datetime=\"{due}\">");
                escape_into(out, t.due);
                out.push(' ');
                escape_into(out, due_label);
                out.push_str("</time>");
                if state.overdue() {
                    out.push_str(" <strong class=\"badge warn\">");
                    escape_into(out, t.overdue);
                    out.push_str("</strong>");
                }
                out.push_str("</span>");
            }
            out.push_str("\n    ");
            if let Some(closed) = closed {
                out.push_str("<span class=\"closed\">");
                if done {
                    out.push_str("<strong class=\"badge");
                    if !probable {
                        out.push_str(" ok");
                    }
                    out.push_str("\">");
                    escape_into(
                        out,
                        if probable {
                            t.probably_done_on
                        } else {
                            t.done_on
                        },
                    );
                    out.push_str("</strong> ");
                    link(out, "<a href=\"", &closed.0, &closed.1);
                    if !probable {
                        out.push_str(" (");
                        escape_into(
                            out,
                            if s.how() == Some("checked") {
                                t.closed_by_check
                            } else {
                                t.closed_by_task
                            },
                        );
                        out.push(')');
                    }
                } else {
                    out.push_str("<span class=\"badge\">");
                    escape_into(out, t.steps_dropped);
                    out.push_str("</span> ");
                    escape_into(out, t.dropped_on);
                    out.push(' ');
                    link(out, "<a href=\"", &closed.0, &closed.1);
                }
                out.push_str("</span>");
            }
            out.push_str("\n    \n  </li>\n");
        }
        out.push_str("\n</ul>\n");
    }
}

/// `<a href="…">label</a>` to a page from the site root, `open` being the tag up to
/// its `href="`.
fn link(out: &mut String, open: &str, url: &str, label: &str) {
    out.push_str(open);
    out.push_str(ROOT);
    escape_into(out, url);
    out.push_str("\">");
    escape_into(out, label);
    out.push_str("</a>");
}

/// The day a learning or problem was written on, after it.
fn meta_link(out: &mut String, day: &WeekDay) {
    link(out, "<a class=\"meta\" href=\"", &day.url, &day.label);
}

/// `bar_chart` of `macros.html`. The numbers are printed as Tera prints them: a
/// float by `Display` (`4` for 4.0), `bar.x + bar.width / 2` and `bar.y - 3` as
/// floats.
fn bar_chart(out: &mut String, chart: &BarChart, label: &str, id: &str) {
    let _ = write!(
        out,
        "\n<figure class=\"chart\">\n\n<svg viewBox=\"0 -14 {w} 134\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\" preserveAspectRatio=\"xMidYMid meet\">\n  <line x1=\"0\" y1=\"100\" x2=\"{w}\" y2=\"100\" class=\"axis\"/>\n  ",
        w = chart.width
    );
    for bar in &chart.bars {
        out.push_str("\n  <g class=\"bar");
        if bar.minutes == 0 {
            out.push_str(" empty");
        }
        out.push_str("\">\n    <title>");
        escape_into(out, &bar.label);
        out.push_str(": ");
        escape_into(out, &bar.value);
        out.push_str("</title>\n    ");
        let url = bar.url.as_deref().filter(|u| !u.is_empty());
        if let Some(url) = url {
            out.push_str("<a href=\"");
            out.push_str(ROOT);
            escape_into(out, url);
            out.push_str("\" tabindex=\"-1\">");
        }
        let _ = write!(
            out,
            "\n    <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\"/>\n    ",
            bar.x, bar.y, bar.width, bar.height
        );
        if url.is_some() {
            out.push_str("</a>");
        }
        out.push_str("\n    ");
        let middle = bar.x + bar.width / 2.0;
        if bar.minutes > 0 {
            let _ = write!(
                out,
                "<text x=\"{middle}\" y=\"{}\" class=\"value\">",
                bar.y - 3.0
            );
            escape_into(out, &bar.value);
            out.push_str("</text>");
        }
        let _ = write!(out, "\n    <text x=\"{middle}\" y=\"114\" class=\"label\">");
        escape_into(out, &bar.label);
        out.push_str("</text>\n  </g>\n  ");
    }
    out.push_str("\n</svg>\n<table class=\"visually-hidden chart-data\" id=\"chart-data-");
    escape_into(out, id);
    out.push_str("\">\n<caption>");
    escape_into(out, label);
    out.push_str("</caption>\n<tbody>");
    for bar in &chart.bars {
        out.push_str("<tr><th scope=\"row\">");
        escape_into(out, &bar.label);
        out.push_str("</th><td>");
        escape_into(out, &bar.value);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody>\n</table>\n</figure>\n");
}

/// `day_list` of `macros.html` (a week's day links never say a declared total
/// differs).
fn day_list(out: &mut String, days: &[WeekDay]) {
    out.push_str("\n<ul class=\"day-list\">\n");
    for d in days {
        link(out, "\n  <li><a href=\"", &d.url, &d.label);
        if let Some(title) = non_empty(d.title) {
            out.push_str(" <span class=\"day-title\">");
            escape_into(out, title);
            out.push_str("</span>");
        }
        out.push_str(" <span class=\"hours\">");
        escape_into(out, &d.hours);
        out.push_str("</span></li>\n");
    }
    out.push_str("\n</ul>\n");
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::site::{BuildOptions, Site};

    fn log_of(root: &Path) -> crate::log::Log {
        let config = crate::config::Config::load(root).unwrap();
        let options = crate::log::LogOptions {
            include_drafts: false,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            check_images: false,
        };
        crate::log::Log::open(root, config, &options)
    }

    fn site<'a>(root: &'a Path, log: &'a crate::log::Log) -> Site<'a> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        Site::new(root, log, &BuildOptions::new(today)).unwrap()
    }

    /// A log of one note with a problem and a step.
    fn one_note() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/2026/01")).unwrap();
        std::fs::write(
            root.join("content/2026/01/2026-01-05.md"),
            "## Tasks\n- a (1h)\n\n## Problems\n- **b <&> c**\n\n## Next steps\n- d (1/9)\n",
        )
        .unwrap();
        dir
    }

    /// `tests/week_page.rs` (`kb_page.rs`, `topic_page.rs`) compare this path with Tera's;
    /// this is what says the path is taken at all, and only while none of the page's
    /// templates is the log's.
    #[test]
    fn the_builtin_theme_frames_week_pages_and_an_own_template_of_theirs_does_not() {
        let dir = one_note();
        let root = dir.path();
        let log = log_of(root);
        assert!(site(root, &log).week_frame().is_some());
        assert!(site(root, &log).kb_frame().is_some());
        assert!(site(root, &log).topic_frame().is_some());
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let builtin = |name: &str| {
            super::super::super::templates::EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1
        };
        // Which frames stay: week, day, knowledge-base entry, topic.
        for (name, week, day, kb, topic) in [
            ("day.html", true, false, true, true),
            ("week.html", false, true, true, true),
            ("macros.html", false, false, true, false),
            ("kb_entry.html", true, true, false, true),
            ("topic.html", true, true, true, false),
            ("base.html", false, false, false, false),
        ] {
            let own = root.join("templates").join(name);
            std::fs::write(&own, builtin(name)).unwrap();
            let log = log_of(root);
            let site = site(root, &log);
            assert_eq!(site.week_frame().is_some(), week, "{name}");
            assert_eq!(site.day_frame().is_some(), day, "{name}");
            assert_eq!(site.kb_frame().is_some(), kb, "{name}");
            assert_eq!(site.topic_frame().is_some(), topic, "{name}");
            std::fs::remove_file(&own).unwrap();
        }
    }

    /// Every knowledge-base entry comes from a problem, so a built page always links
    /// each problem; the template's other branches are held here, on a changed view.
    #[test]
    fn every_problem_badge_and_link_gives_the_bytes_of_the_template() {
        let dir = one_note();
        let root = dir.path();
        let log = log_of(root);
        let site = site(root, &log);
        let frame = site.week_frame().unwrap();
        let mut view = super::super::days::week_view(&site, 0).unwrap();
        assert!(view.problems[0].url.is_some());
        for url in [None, Some(String::new()), view.problems[0].url.clone()] {
            for (resolved, opened) in [(false, false), (false, true), (true, false), (true, true)] {
                let p = &mut view.problems[0];
                (p.url, p.resolved, p.opened) = (url.clone(), resolved, opened);
                let ctx = super::super::days::week_context(&site, 0, &view).unwrap();
                let through_tera = site.render_template("week.html", &ctx).unwrap();
                let direct = crate::site::markup_safe(frame.page(&view));
                assert!(
                    direct == through_tera,
                    "url {url:?}, resolved {resolved}, opened {opened}:\n{}\n---\n{}",
                    String::from_utf8_lossy(&direct),
                    String::from_utf8_lossy(&through_tera)
                );
            }
        }
    }
}
