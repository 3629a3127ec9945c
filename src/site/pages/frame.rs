//! `base.html` as rendered around a page one folder deep, cut where the title and the
//! main block go: the frame of the pages written without Tera (`day_page`,
//! `week_page`, `kb_page`, `topic_page`). Tera renders it once per build from an
//! internal shell template (`templates::PAGE_SHELL`), so `base.html` is not written
//! again in Rust. The last helpers here read a template's JSON values as Tera does.

use std::borrow::Cow;

use serde_json::Value;

use super::super::content::escape_into;
use super::super::i18n;

pub struct Frame {
    pub(super) before_title: String,
    pub(super) before_main: String,
    pub(super) after_main: String,
    pub(super) site_title: String,
}

impl Frame {
    /// Cuts the rendered shell at its two markers; None when they are not there once
    /// each and in order, which a `base.html` that puts a block elsewhere could cause:
    /// the page then goes through Tera.
    pub fn new(shell: String, site_title: &str) -> Option<Frame> {
        let (before_title, rest) = shell.split_once('\u{1}')?;
        let (before_main, after_main) = rest.split_once('\u{2}')?;
        if after_main.contains(['\u{1}', '\u{2}']) {
            return None;
        }
        Some(Frame {
            before_title: before_title.to_string(),
            before_main: before_main.to_string(),
            after_main: after_main.to_string(),
            site_title: site_title.to_string(),
        })
    }

    /// The whole page (before `markup_safe`): the frame around what `title` and `main`
    /// write, as Tera renders a template's `{% block title %}` and `{% block main %}`.
    pub(super) fn page(
        &self,
        title: impl FnOnce(&mut String),
        main: impl FnOnce(&mut String),
    ) -> Vec<u8> {
        let mut out = String::with_capacity(32 << 10);
        out.push_str(&self.before_title);
        title(&mut out);
        out.push_str(&self.before_main);
        main(&mut out);
        out.push_str(&self.after_main);
        out.into_bytes()
    }
}

/// The built-in label of `key` (`t.key` in a template) in `lang`.
pub(super) fn labels(lang: &str) -> impl Fn(&str) -> Option<&'static str> {
    let all = i18n::labels(lang);
    move |key| all.iter().find(|(k, _)| *k == key).map(|&(_, v)| v)
}

/// A Tera `{% if x %}` of an optional string: false for none and for "".
pub(super) fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// A value as Tera prints it, before escaping: a string as it is, a number or a boolean
/// written out, nothing for null.
pub(super) fn text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

/// A value as Tera's `{% if %}` reads it: false for null, false, zero and anything empty.
pub(super) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The items of a list value (none for anything else).
pub(super) fn items(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// `{% for l in learnings %}<li>…</li>{% endfor %}` of `kb_entry.html` and `topic.html`:
/// each learning's HTML, the link to its day, and its details' HTML in a list.
pub(super) fn learning_items(out: &mut String, root: &str, learnings: &[Value]) {
    for learning in learnings {
        out.push_str("<li>");
        out.push_str(&text(&learning["html"]));
        meta_day_link(out, root, &learning["day"]);
        if truthy(&learning["details"]) {
            out.push_str("<ul>");
            for detail in items(&learning["details"]) {
                out.push_str("<li>");
                out.push_str(&text(detail));
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
}

/// ` <a class="meta" href="{{ root }}{{ day.url }}">{{ day.label }}</a>`.
pub(super) fn meta_day_link(out: &mut String, root: &str, day: &Value) {
    out.push_str(" <a class=\"meta\" href=\"");
    escape_into(out, root);
    escape_into(out, &text(&day["url"]));
    out.push_str("\">");
    escape_into(out, &text(&day["label"]));
    out.push_str("</a>");
}
