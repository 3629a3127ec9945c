//! The knowledge-base entry page written without Tera: the same bytes `kb_entry.html`
//! renders, inside the frame `base.html` renders once per build (see
//! [`super::frame`]).
//!
//! Tera spent ~0.6 M instructions on each entry page (a fifth of a 365-note build's
//! pages), most of it looking the timeline's variables up by name. This path is used
//! only while the log has neither `base.html` nor `kb_entry.html` of its own
//! ([`super::super::templates::KB_ENTRY_TEMPLATES`]): a log with its own theme gets
//! Tera. It reads the very values the template is given ([`KbEntryView`]), and
//! `tests/kb_page.rs` builds logs both ways and compares every entry page byte for
//! byte, so an edit of `kb_entry.html` that is not made here too fails the tests.

use serde::Serialize;
use serde_json::Value;

use super::super::content::escape_into;
use super::frame::{self, items, text, truthy, Frame};

/// What an entry page shows: the values `kb_entry.html` is given, by their names there
/// (serialised, they are its Tera context).
#[derive(Serialize)]
pub(super) struct KbEntryView {
    pub entry: Value,
    pub earlier_days: usize,
    pub all_learnings: usize,
    pub timeline: Vec<Value>,
    pub symptoms: Vec<Value>,
    pub analyses: Vec<Value>,
    pub fix: Vec<Value>,
    pub learnings: Vec<Value>,
}

/// The frame of an entry page (see [`Frame`]), the labels `kb_entry.html` prints and
/// the language its sentences are in.
pub struct KbFrame {
    frame: Frame,
    labels: Labels,
    english: bool,
}

/// The entries of `t` that `kb_entry.html` uses.
struct Labels {
    kb: &'static str,
    status: &'static str,
    resolved: &'static str,
    open: &'static str,
    first_seen: &'static str,
    last_seen: &'static str,
    days_open: &'static str,
    topics: &'static str,
    symptoms: &'static str,
    analysis: &'static str,
    learned: &'static str,
    fix: &'static str,
    verified: &'static str,
    timeline: &'static str,
}

impl KbFrame {
    /// None when the shell cannot be cut (see [`Frame::new`]): the entry page then goes
    /// through Tera.
    pub fn new(shell: String, lang: &str, site_title: &str) -> Option<KbFrame> {
        let label = frame::labels(lang);
        Some(KbFrame {
            frame: Frame::new(shell, site_title)?,
            labels: Labels {
                kb: label("kb")?,
                status: label("status")?,
                resolved: label("resolved")?,
                open: label("open")?,
                first_seen: label("first_seen")?,
                last_seen: label("last_seen")?,
                days_open: label("days_open")?,
                topics: label("topics")?,
                symptoms: label("symptoms")?,
                analysis: label("analysis")?,
                learned: label("learned")?,
                fix: label("fix")?,
                verified: label("verified")?,
                timeline: label("timeline")?,
            },
            english: lang == "en",
        })
    }

    /// The whole page, as Tera would render `kb_entry.html` (before `markup_safe`).
    pub(super) fn page(&self, view: &KbEntryView) -> Vec<u8> {
        self.frame.page(
            // {% block title %}
            |out| {
                escape_into(out, &text(&view.entry["title"]));
                out.push_str(" · ");
                escape_into(out, self.labels.kb);
                out.push_str(" · ");
                escape_into(out, &self.frame.site_title);
            },
            |out| self.main(out, view),
        )
    }

    /// `{% block main %}` of `kb_entry.html`, line for line.
    fn main(&self, out: &mut String, view: &KbEntryView) {
        let (t, entry, root) = (&self.labels, &view.entry, "../");
        let put = |out: &mut String, v: &Value| escape_into(out, &text(v));
        out.push_str("\n<article class=\"kb-entry\">\n<h1>");
        put(out, &entry["title"]);
        out.push_str("</h1>\n<dl class=\"facts\">\n  <dt>");
        escape_into(out, t.status);
        out.push_str("</dt><dd>");
        if truthy(&entry["resolved"]) {
            out.push_str("<span class=\"badge ok\">");
            escape_into(out, t.resolved);
            out.push_str("</span> ");
            put(out, &entry["resolved_on"]);
        } else {
            out.push_str("<span class=\"badge warn\">");
            escape_into(out, t.open);
            out.push_str("</span>");
        }
        for (label, key) in [
            (t.first_seen, "first_seen"),
            (t.last_seen, "last_seen"),
            (t.days_open, "span"),
        ] {
            out.push_str("</dd>\n  <dt>");
            escape_into(out, label);
            out.push_str("</dt><dd>");
            put(out, &entry[key]);
        }
        out.push_str("</dd>\n  ");
        if truthy(&entry["topics"]) {
            out.push_str("<dt>");
            escape_into(out, t.topics);
            out.push_str("</dt><dd>");
            for (i, topic) in items(&entry["topics"]).iter().enumerate() {
                out.push_str("<a class=\"tag\" href=\"");
                escape_into(out, root);
                put(out, &entry["topic_urls"][i]);
                out.push_str("\">");
                put(out, topic);
                out.push_str("</a> ");
            }
            out.push_str("</dd>");
        }
        out.push_str("\n</dl>\n");
        if view.earlier_days > 0 {
            out.push_str("<p class=\"meta\">");
            let (shown, earlier) = (view.timeline.len(), view.earlier_days);
            if self.english {
                out.push_str(&format!("Drawn from the newest {shown} days it was written on; the {earlier} earlier days since "));
                put(out, &entry["first_seen"]);
                out.push_str(" are on their own pages.");
            } else {
                out.push_str(&format!("記入された新しい{shown}日分から。"));
                put(out, &entry["first_seen"]);
                out.push_str(&format!("からの残り{earlier}日分は各日の日報にあります。"));
            }
            out.push_str("</p>");
        }
        out.push('\n');
        self.linked_items(out, t.symptoms, "ul", &view.symptoms);
        out.push('\n');
        self.linked_items(out, t.analysis, "ol", &view.analyses);
        out.push_str("\n<section><h2>");
        escape_into(out, t.learned);
        out.push_str("</h2>");
        let (shown, all) = (view.learnings.len(), view.all_learnings);
        if shown < all {
            out.push_str("<p class=\"meta\">");
            if self.english {
                out.push_str(&format!("The newest {shown} of {all}."));
            } else {
                out.push_str(&format!("{all}件のうち新しい{shown}件。"));
            }
            out.push_str("</p>");
        }
        if view.learnings.is_empty() {
            out.push_str("<p>—</p>");
        } else {
            out.push_str("<ul>");
            frame::learning_items(out, root, &view.learnings);
            out.push_str("</ul>");
        }
        out.push_str("</section>\n");
        let fix_heading = format!("{} / {}", t.fix, t.verified);
        self.linked_items(out, &fix_heading, "ul", &view.fix);
        out.push_str("\n<section><h2>");
        escape_into(out, t.timeline);
        out.push_str("</h2>\n<ol class=\"timeline\">");
        for seen in &view.timeline {
            out.push_str("\n  <li><a href=\"");
            escape_into(out, root);
            put(out, &seen["day"]["url"]);
            out.push_str("\">");
            put(out, &seen["day"]["label"]);
            out.push_str("</a>");
            if truthy(&seen["time"]) {
                out.push_str(" <time>");
                put(out, &seen["time"]);
                out.push_str("</time>");
            }
            out.push(' ');
            if truthy(&seen["resolved"]) {
                out.push_str("<span class=\"badge ok\">");
                escape_into(out, t.resolved);
                out.push_str("</span>");
            }
            out.push_str("\n  <ul>");
            for detail in items(&seen["details"]) {
                out.push_str("<li");
                if truthy(&detail["analysis"]) {
                    out.push_str(" class=\"analysis\"");
                }
                out.push('>');
                out.push_str(&text(&detail["html"]));
                out.push_str("</li>");
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ol>\n</section>\n</article>\n");
    }

    /// A section of the items of one kind (symptoms, analyses, fixes), each linking its
    /// day: `<section><h2>…</h2><ul>…</ul></section>`, or a dash when there are none.
    /// `heading` is escaped as Tera escapes each label.
    fn linked_items(&self, out: &mut String, heading: &str, list: &str, items: &[Value]) {
        out.push_str("<section><h2>");
        escape_into(out, heading);
        out.push_str("</h2>");
        if items.is_empty() {
            out.push_str("<p>—</p>");
        } else {
            out.push_str(&format!("<{list}>"));
            for item in items {
                out.push_str("<li>");
                out.push_str(&text(&item["html"]));
                frame::meta_day_link(out, "../", &item["day"]);
                out.push_str("</li>");
            }
            out.push_str(&format!("</{list}>"));
        }
        out.push_str("</section>");
    }
}
