//! The day page written without Tera: the same bytes `day.html` (with the task tree of
//! `macros.html`) renders, inside the frame `base.html` renders once per build (see
//! [`super::frame`]).
//!
//! Day pages are nearly all of a site's pages, and Tera spent ~0.7 M instructions on
//! each one, most of it looking variables up by name; this costs a few per cent of
//! that. It is used only while the log has none of `base.html`, `day.html` and
//! `macros.html` of its own ([`super::super::templates::DAY_PAGE_TEMPLATES`]): a log
//! with its own theme gets Tera. `tests/day_page.rs` builds logs both ways and
//! compares every day page byte for byte, so an edit of `day.html` or of the task
//! tree that is not made here too fails the tests.

use serde::Serialize;

use super::super::content::escape_into;
use super::frame::{self, non_empty, Frame};
use super::TaskView;
use crate::note::Role;

/// The day page's own fields (`day` in `day.html`).
#[derive(Serialize)]
pub(super) struct DayHead<'a> {
    pub date: String,
    pub label: String,
    pub title: &'a Option<String>,
    pub tags: &'a [String],
    pub hours: String,
    pub week: Link<'a>,
    pub has_tasks_section: bool,
}

/// A link to another page: its title or label, and its URL relative to the site root.
#[derive(Serialize)]
pub(super) struct Link<'a> {
    #[serde(rename = "id")]
    pub text: &'a str,
    pub url: String,
}

/// One section of the note (`sections` in `day.html`).
#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    pub heading: &'a Option<String>,
    pub role: Option<Role>,
    pub html: String,
    /// The knowledge-base entries of the section's problems.
    pub kb: Vec<KbLink<'a>>,
}

#[derive(Serialize)]
pub(super) struct KbLink<'a> {
    pub title: &'a str,
    pub url: String,
}

/// One row of the hours table (`tally` in `day.html`): the author's figure beside
/// logsite's.
#[derive(Serialize)]
pub(super) struct TallyRow {
    pub key: &'static str,
    pub declared: Option<String>,
    pub computed: String,
    pub ok: bool,
}

/// The previous or next day, for the pagers.
pub(super) struct Neighbour {
    pub url: String,
    pub label: String,
}

/// Everything a day page shows.
pub(super) struct DayView<'a> {
    pub head: DayHead<'a>,
    pub tasks: Vec<TaskView>,
    pub sections: Vec<SectionView<'a>>,
    pub tally: Vec<TallyRow>,
    pub prev: Option<Neighbour>,
    pub next: Option<Neighbour>,
}

/// The frame of a day page (see [`Frame`]) and the labels `day.html` prints.
pub struct DayFrame {
    frame: Frame,
    labels: Labels,
}

/// The entries of `t` that `day.html` and the task tree use.
struct Labels {
    prev_day: &'static str,
    next_day: &'static str,
    top_of_page: &'static str,
    hours: &'static str,
    declared: &'static str,
    computed: &'static str,
    today: &'static str,
    this_week: &'static str,
    total: &'static str,
    kb_link: &'static str,
    excluded: &'static str,
}

impl DayFrame {
    /// None when the shell cannot be cut (see [`Frame::new`]): the day page then goes
    /// through Tera.
    pub fn new(shell: String, lang: &str, site_title: &str) -> Option<DayFrame> {
        let label = frame::labels(lang);
        Some(DayFrame {
            frame: Frame::new(shell, site_title)?,
            labels: Labels {
                prev_day: label("prev_day")?,
                next_day: label("next_day")?,
                top_of_page: label("top_of_page")?,
                hours: label("hours")?,
                declared: label("declared")?,
                computed: label("computed")?,
                today: label("today")?,
                this_week: label("this_week")?,
                total: label("total")?,
                kb_link: label("kb_link")?,
                excluded: label("excluded")?,
            },
        })
    }

    /// The whole page, as Tera would render `day.html` (before `markup_safe`).
    pub(super) fn page(&self, view: &DayView) -> Vec<u8> {
        let head = &view.head;
        self.frame.page(
            // {% block title %}
            |out| {
                escape_into(out, &head.label);
                if let Some(title) = non_empty(head.title) {
                    out.push(' ');
                    escape_into(out, title);
                }
                out.push_str(" · ");
                escape_into(out, &self.frame.site_title);
            },
            |out| self.main(out, view),
        )
    }

    /// `{% block main %}` of `day.html`, line for line.
    fn main(&self, out: &mut String, view: &DayView) {
        let (t, head, root) = (&self.labels, &view.head, "../");
        out.push_str(
            "\n<article class=\"day\">\n<header class=\"day-header\">\n  <h1><time datetime=\"",
        );
        escape_into(out, &head.date);
        out.push_str("\">");
        escape_into(out, &head.label);
        out.push_str("</time>");
        if let Some(title) = non_empty(head.title) {
            out.push_str("<span class=\"day-title\"> ");
            escape_into(out, title);
            out.push_str("</span>");
        }
        out.push_str("</h1>\n  <p class=\"meta\"><span class=\"hours\" id=\"day-hours\">");
        escape_into(out, &head.hours);
        out.push_str("</span> · <a href=\"");
        out.push_str(root);
        escape_into(out, &head.week.url);
        out.push_str("\">");
        escape_into(out, head.week.text);
        out.push_str("</a>");
        for tag in head.tags {
            out.push_str(" · <span class=\"tag\">");
            escape_into(out, tag);
            out.push_str("</span>");
        }
        out.push_str("</p>\n</header>\n");
        if view.prev.is_some() || view.next.is_some() {
            self.pager(out, view, Pager::Top);
        }
        out.push('\n');
        if !view.tasks.is_empty() && !head.has_tasks_section {
            self.task_tree(out, &view.tasks, false);
        }
        out.push('\n');
        for s in &view.sections {
            out.push_str("\n<section class=\"section");
            if let Some(role) = s.role {
                out.push_str(" role-");
                out.push_str(role.name());
            }
            out.push_str("\">\n  ");
            if let Some(heading) = non_empty(s.heading) {
                out.push_str("<h2>");
                escape_into(out, heading);
                out.push_str("</h2>");
            }
            out.push_str("\n  ");
            if s.role == Some(Role::Tasks) {
                self.task_tree(out, &view.tasks, false);
            }
            out.push_str("\n  ");
            if s.role == Some(Role::Hours) {
                self.tally(out, &view.tally);
            }
            out.push_str("\n  ");
            out.push_str(&s.html);
            out.push_str("\n  ");
            if !s.kb.is_empty() {
                out.push_str("<p class=\"kb-links\">");
                for e in &s.kb {
                    out.push_str("<a href=\"");
                    out.push_str(root);
                    escape_into(out, &e.url);
                    out.push_str("\">");
                    escape_into(out, t.kb_link);
                    out.push_str(": ");
                    escape_into(out, e.title);
                    out.push_str("</a> ");
                }
                out.push_str("</p>");
            }
            out.push_str("\n</section>\n");
        }
        out.push_str("\n</article>\n");
        self.pager(out, view, Pager::Bottom);
        out.push('\n');
    }

    /// The `<nav>` of the previous and next day, at the top of the page or at its
    /// bottom (whose links carry `rel="prev"`/`rel="next"`).
    fn pager(&self, out: &mut String, view: &DayView, at: Pager) {
        let t = &self.labels;
        out.push_str(match at {
            Pager::Top => "<nav class=\"pager pager-top\" aria-label=\"",
            Pager::Bottom => "<nav class=\"pager\" aria-label=\"",
        });
        escape_into(out, t.prev_day);
        out.push_str(" / ");
        escape_into(out, t.next_day);
        if at == Pager::Top {
            out.push_str(" (");
            escape_into(out, t.top_of_page);
            out.push(')');
        }
        out.push_str("\">\n  ");
        let rel_attr = |out: &mut String, which: &str| {
            if at == Pager::Bottom {
                out.push_str(" rel=\"");
                out.push_str(which);
                out.push('"');
            }
        };
        match &view.prev {
            Some(prev) => {
                out.push_str("<a");
                rel_attr(out, "prev");
                out.push_str(" href=\"../");
                escape_into(out, &prev.url);
                out.push_str("\">← ");
                escape_into(out, &prev.label);
                out.push_str("</a>");
            }
            None => out.push_str("<span></span>"),
        }
        out.push_str("\n  ");
        if let Some(next) = &view.next {
            out.push_str("<a");
            rel_attr(out, "next");
            out.push_str(" href=\"../");
            escape_into(out, &next.url);
            out.push_str("\">");
            escape_into(out, &next.label);
            out.push_str(" →</a>");
        }
        out.push_str("\n</nav>");
    }

    /// The hours table of the hours section.
    fn tally(&self, out: &mut String, rows: &[TallyRow]) {
        let t = &self.labels;
        out.push_str("\n  <table class=\"tally\">\n    <caption class=\"visually-hidden\">");
        escape_into(out, t.hours);
        out.push_str("</caption>\n    <thead><tr><th scope=\"col\"></th><th scope=\"col\">");
        escape_into(out, t.declared);
        out.push_str("</th><th scope=\"col\">");
        escape_into(out, t.computed);
        out.push_str("</th></tr></thead>\n    <tbody>\n    ");
        for row in rows {
            out.push_str("<tr class=\"");
            if !row.ok {
                out.push_str("mismatch");
            }
            out.push_str("\"><th scope=\"row\">");
            escape_into(
                out,
                match row.key {
                    "today" => t.today,
                    "this_week" => t.this_week,
                    _ => t.total,
                },
            );
            out.push_str("</th><td>");
            escape_into(out, row.declared.as_deref().unwrap_or("—"));
            out.push_str("</td><td>");
            escape_into(out, &row.computed);
            if !row.ok {
                out.push_str(" ⚠");
            }
            out.push_str("</td></tr>");
        }
        out.push_str("\n    </tbody>\n  </table>\n  ");
    }

    /// `task_tree` of `macros.html`.
    fn task_tree(&self, out: &mut String, tasks: &[TaskView], under_excluded: bool) {
        out.push_str("\n<ul class=\"tasks\">\n");
        for task in tasks {
            out.push_str("\n  <li class=\"task");
            if !task.counted {
                out.push_str(" excluded");
            }
            out.push_str("\">\n    <span class=\"task-title\">");
            out.push_str(&task.html);
            out.push_str("</span>\n    ");
            if let Some(hours) = task.hours.as_deref().filter(|h| !h.is_empty()) {
                out.push_str("<span class=\"hours");
                if !task.counted {
                    out.push_str(" not-counted");
                }
                out.push_str("\">");
                escape_into(out, hours);
                out.push_str("</span>");
            }
            out.push_str("\n    ");
            if !task.counted && !under_excluded {
                out.push_str("<span class=\"badge\">");
                escape_into(out, self.labels.excluded);
                out.push_str("</span>");
            }
            out.push_str("\n    ");
            if !task.children.is_empty() {
                self.task_tree(out, &task.children, !task.counted);
            }
            out.push_str("\n  </li>\n");
        }
        out.push_str("\n</ul>\n");
    }
}

/// Which of the day page's two pagers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pager {
    Top,
    Bottom,
}

#[cfg(test)]
mod tests {
    use crate::site::{BuildOptions, Site};

    /// `tests/day_page.rs` compares this path with Tera's; this is what says the path
    /// is taken at all.
    #[test]
    fn the_builtin_theme_frames_day_pages_and_an_own_base_does_not() {
        let log_dir = tempfile::tempdir().unwrap();
        let root = log_dir.path();
        std::fs::create_dir_all(root.join("content/2026/01")).unwrap();
        std::fs::write(
            root.join("content/2026/01/2026-01-05.md"),
            "## Tasks\n- a (1h)\n",
        )
        .unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let open = || {
            let config = crate::config::Config::load(root).unwrap();
            let options = crate::log::LogOptions {
                include_drafts: false,
                today,
                check_images: false,
            };
            crate::log::Log::open(root, config, &options)
        };
        let log = open();
        let site = Site::new(root, &log, &BuildOptions::new(today)).unwrap();
        let frame = site.day_frame().expect("a frame for the built-in theme");
        let frame = &frame.frame;
        assert!(frame.before_title.ends_with("<title>"));
        assert!(frame.before_main.starts_with("</title>"));
        assert!(frame.before_main.ends_with("<main id=\"main\">\n"));
        assert!(frame.after_main.starts_with("\n</main>"));

        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(
            root.join("templates/base.html"),
            "<title>{% block title %}{% endblock title %}</title>{% block main %}{% endblock main %}",
        )
        .unwrap();
        let log = open();
        let site = Site::new(root, &log, &BuildOptions::new(today)).unwrap();
        assert!(site.day_frame().is_none());
    }
}
