//! The topic page written without Tera: the same bytes `topic.html` renders, inside the
//! frame `base.html` renders once per build (see [`super::frame`]).
//!
//! A topic of a long log lists hundreds of problems, and Tera looked up each one's
//! five variables by name. This path is used only while the log has none of
//! `base.html`, `topic.html` and `macros.html` (which `topic.html` imports) of its own
//! ([`super::super::templates::TOPIC_PAGE_TEMPLATES`]): a log with its own theme gets
//! Tera. It reads the very values the template is given ([`TopicView`]), and
//! `tests/topic_page.rs` builds logs both ways and compares every topic page byte for
//! byte, so an edit of `topic.html` that is not made here too fails the tests.

use serde::Serialize;
use serde_json::Value;

use super::super::content::escape_into;
use super::frame::{self, text, truthy, Frame};

/// What a topic page shows: the values `topic.html` is given, by their names there
/// (serialised, they are its Tera context).
#[derive(Serialize)]
pub(super) struct TopicView {
    pub topic: Value,
    pub years: Vec<Value>,
    pub learnings: Vec<Value>,
    pub problems: Vec<Value>,
    pub explainer: Option<Value>,
}

/// The frame of a topic page (see [`Frame`]), the labels `topic.html` prints and the
/// language its sentences are in.
pub struct TopicFrame {
    frame: Frame,
    labels: Labels,
    english: bool,
}

/// The entries of `t` that `topic.html` uses.
struct Labels {
    explainer_link: &'static str,
    learnings: &'static str,
    problems: &'static str,
    resolved: &'static str,
    mentions: &'static str,
    days_unit: &'static str,
}

impl TopicFrame {
    /// None when the shell cannot be cut (see [`Frame::new`]): the topic page then goes
    /// through Tera.
    pub fn new(shell: String, lang: &str, site_title: &str) -> Option<TopicFrame> {
        let label = frame::labels(lang);
        Some(TopicFrame {
            frame: Frame::new(shell, site_title)?,
            labels: Labels {
                explainer_link: label("explainer_link")?,
                learnings: label("learnings")?,
                problems: label("problems")?,
                resolved: label("resolved")?,
                mentions: label("mentions")?,
                days_unit: label("days_unit")?,
            },
            english: lang == "en",
        })
    }

    /// The whole page, as Tera would render `topic.html` (before `markup_safe`).
    pub(super) fn page(&self, view: &TopicView) -> Vec<u8> {
        self.frame.page(
            // {% block title %}
            |out| {
                escape_into(out, &text(&view.topic["name"]));
                out.push_str(" · ");
                escape_into(out, &self.frame.site_title);
            },
            |out| self.main(out, view),
        )
    }

    /// `{% block main %}` of `topic.html`, line for line.
    fn main(&self, out: &mut String, view: &TopicView) {
        let (t, topic, root) = (&self.labels, &view.topic, "../");
        let put = |out: &mut String, v: &Value| escape_into(out, &text(v));
        out.push_str("\n<h1>");
        put(out, &topic["name"]);
        out.push_str("</h1>\n");
        if let Some(explainer) = view.explainer.as_ref().filter(|e| truthy(e)) {
            out.push_str("<p class=\"callout\"><a href=\"");
            escape_into(out, root);
            put(out, &explainer["url"]);
            out.push_str("\">");
            escape_into(out, t.explainer_link);
            out.push_str(": ");
            put(out, &explainer["title"]);
            out.push_str("</a></p>");
        }
        out.push('\n');
        counted_heading(out, t.learnings, &topic["learnings"]);
        let shown = view.learnings.len();
        if topic["learnings"]
            .as_u64()
            .is_some_and(|all| (shown as u64) < all)
        {
            out.push_str("<p class=\"meta\">");
            if self.english {
                out.push_str(&format!(
                    "The newest {shown}; the rest are on the days listed below."
                ));
            } else {
                out.push_str(&format!(
                    "新しい{shown}件。ほかは下の日付の日報にあります。"
                ));
            }
            out.push_str("</p>");
        }
        out.push_str("\n<ul class=\"learnings\">");
        frame::learning_items(out, root, &view.learnings);
        out.push_str("</ul>\n</section>\n");
        if !view.problems.is_empty() {
            out.push_str("<section><h2>");
            escape_into(out, t.problems);
            out.push_str(&format!(
                " ({})</h2>\n<ul class=\"problems\">",
                view.problems.len()
            ));
            for problem in &view.problems {
                out.push_str("<li>");
                if truthy(&problem["url"]) {
                    out.push_str("<a href=\"");
                    escape_into(out, root);
                    put(out, &problem["url"]);
                    out.push_str("\">");
                    put(out, &problem["title"]);
                    out.push_str("</a>");
                } else {
                    put(out, &problem["title"]);
                }
                out.push(' ');
                if truthy(&problem["resolved"]) {
                    out.push_str("<span class=\"badge ok\">");
                    escape_into(out, t.resolved);
                    out.push_str("</span>");
                }
                frame::meta_day_link(out, root, &problem["day"]);
                if problem["times"].as_u64().is_some_and(|times| times > 1) {
                    out.push_str(" <span class=\"meta\">×");
                    put(out, &problem["times"]);
                    out.push_str("</span>");
                }
                out.push_str("</li>");
            }
            out.push_str("</ul>\n</section>");
        }
        out.push('\n');
        counted_heading(out, t.mentions, &topic["days"]);
        for (i, year) in view.years.iter().enumerate() {
            out.push_str("<details class=\"topic-year\"");
            if i == 0 {
                out.push_str(" open");
            }
            out.push_str("><summary>");
            put(out, &year["year"]);
            out.push_str(" <span class=\"meta\">");
            put(out, &year["count"]);
            escape_into(out, t.days_unit);
            out.push_str(" · ");
            escape_into(out, t.learnings);
            out.push(' ');
            put(out, &year["learnings"]);
            out.push_str(" · ");
            escape_into(out, t.problems);
            out.push(' ');
            put(out, &year["problems"]);
            out.push_str("</span></summary>\n<p class=\"day-links\">");
            out.push_str(&text(&year["links_html"]));
            out.push_str("</p></details>\n");
        }
        out.push_str("</section>\n");
    }
}

/// `<section><h2>{{ label }} ({{ count }})</h2>` and its line break, as `topic.html` opens
/// its learnings and its days.
fn counted_heading(out: &mut String, label: &str, count: &Value) {
    out.push_str("<section><h2>");
    escape_into(out, label);
    out.push_str(" (");
    escape_into(out, &text(count));
    out.push_str(")</h2>\n");
}
