//! `base.html` as rendered around a page one folder deep, cut where the title and the
//! main block go: the frame of the pages written without Tera (`day_page`,
//! `week_page`). Tera renders it once per build from an internal shell template
//! (`templates::PAGE_SHELL`), so `base.html` is not written again in Rust.

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
