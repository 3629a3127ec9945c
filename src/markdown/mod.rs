//! PROVISIONAL: plain pulldown-cmark behind the interface the CJK-fixed renderer
//! (branch `markdown`) provides; replaced when that lands.

use std::ops::Range;

pub use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Rendering options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub allow_raw_html: bool,
}

fn cmark_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES | O::ENABLE_STRIKETHROUGH | O::ENABLE_TASKLISTS | O::ENABLE_FOOTNOTES
}

/// Events with byte ranges into `src`.
pub fn parse(src: &str, opts: Options) -> Vec<(Event<'_>, Range<usize>)> {
    pulldown_cmark::Parser::new_ext(src, cmark_options())
        .into_offset_iter()
        .map(|(ev, r)| match ev {
            Event::Html(h) | Event::InlineHtml(h) if !opts.allow_raw_html => (Event::Text(h), r),
            ev => (ev, r),
        })
        .collect()
}

/// HTML of `src`.
pub fn to_html(src: &str, opts: Options) -> String {
    let mut out = String::new();
    push_html(&mut out, parse(src, opts).into_iter().map(|(e, _)| e));
    out
}

/// HTML of one line of inline Markdown, without the `<p>` wrapper.
pub fn inline_to_html(src: &str, opts: Options) -> String {
    let html = to_html(src, opts);
    let trimmed = html.trim_end();
    trimmed
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

/// Plain text of inline Markdown.
pub fn to_plain_text(src: &str) -> String {
    let mut out = String::new();
    for (ev, _) in parse(src, Options::default()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// HTML of an event stream.
pub fn push_html<'a>(out: &mut String, events: impl Iterator<Item = Event<'a>>) {
    pulldown_cmark::html::push_html(out, events);
}
