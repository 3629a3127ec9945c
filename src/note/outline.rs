//! The shape of a note's Markdown: `##` sections and their nested list items, with
//! source positions. Roles (tasks, problems…) are given meaning in `parse`; this
//! file only reads structure from pulldown-cmark events, never with regexes.

use std::ops::Range;

use crate::markdown::{self, Event, Tag, TagEnd};

/// One `##` section (or the part before the first `##`, with no heading).
#[derive(Debug, Default)]
pub struct OutlineSection {
    /// Heading as plain text.
    pub heading: Option<String>,
    /// Byte offset of the heading line (or of the section's start).
    pub start: usize,
    /// Byte range of the body, after the heading line, up to the next `##`.
    pub body: Range<usize>,
    /// Top-level list items of every list in the section.
    pub items: Vec<Item>,
    /// Byte ranges of the section's outermost lists.
    pub lists: Vec<Range<usize>>,
    /// Images as (destination, byte offset).
    pub images: Vec<(String, usize)>,
    /// Byte offset of the first list item nested deeper than [`MAX_DEPTH`], if any.
    pub too_deep: Option<usize>,
    /// Links and images whose destination is published as text (`javascript:`…),
    /// as (destination, byte offset).
    pub blocked: Vec<(String, usize)>,
    /// The body's plain text, as [`markdown::to_plain_text`] of the body gives it, when
    /// asked for (see [`outline`]).
    pub plain: Option<String>,
}

/// How deeply list items nest in a note's outline. An item deeper than this is read
/// at this depth, as a child of its ancestor one level up: every walk over items and tasks (hours,
/// pages, templates' recursive macros, log.json) then stays within a bounded stack,
/// whatever a note holds. Real notes nest a handful of levels.
pub const MAX_DEPTH: usize = 20;

/// A list item: its own text (without nested lists) as lines, and its children.
#[derive(Debug, Default)]
pub struct Item {
    /// Byte offset of the item's marker.
    pub start: usize,
    /// The item's own Markdown lines, indentation removed, with their byte offsets.
    pub lines: Vec<(String, usize)>,
    /// The byte range its own lines are split from (empty for an empty item).
    pub text: Range<usize>,
    /// `Some(true)` for `- [x]`, `Some(false)` for `- [ ]`.
    pub checked: Option<bool>,
    pub children: Vec<Item>,
}

impl Item {
    /// The first line's Markdown ("" for an empty item).
    pub fn first_line(&self) -> &str {
        self.lines.first().map_or("", |(l, _)| l.as_str())
    }

    /// Byte offset of the first line, for diagnostics.
    pub fn offset(&self) -> usize {
        self.lines.first().map_or(self.start, |(_, o)| *o)
    }
}

struct OpenItem {
    item: Item,
    text: Option<Range<usize>>,
    /// List depth at which the item was opened; deeper events belong to children.
    depth: usize,
}

/// Reads the sections of a note body. Offsets are relative to `body`. With
/// `with_plain`, each section's plain text comes too, made from this one parse: what
/// parsing each section body on its own gives, unless the note defines link references
/// or footnotes (`]:`), which one section may use and another define; each section is
/// then parsed on its own.
/// `refs` are the note's link reference definitions.
pub fn outline(body: &str, with_plain: bool, refs: &markdown::LinkRefs) -> Vec<OutlineSection> {
    // Bare URLs are left unlinked: a link adds no text and is never blocked.
    outline_with(body, with_plain, markdown::BareUrls::Text, refs)
}

fn outline_with(
    body: &str,
    with_plain: bool,
    bare_urls: markdown::BareUrls,
    refs: &markdown::LinkRefs,
) -> Vec<OutlineSection> {
    // The text before the first `##` (all of a note without one) is a section too.
    let mut sections = vec![OutlineSection {
        body: 0..body.len(),
        ..Default::default()
    }];
    let mut stack: Vec<OpenItem> = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<String> = None;
    let mut image: Option<String> = None;
    let plain_here = with_plain && !body.contains("]:");
    let mut plain = plain_here.then(markdown::PlainText::default);

    // Raw HTML comes as `Html` events, for the plain text to drop; the heading keeps it
    // as text, as the page shows it.
    let opts = markdown::Options {
        raw_html: markdown::RawHtml::Kept,
        bare_urls,
        refs: None,
    };
    for (event, range) in markdown::parse(body, opts) {
        if let Some(text) = heading.as_mut() {
            match &event {
                Event::End(TagEnd::Heading(_)) => {
                    let title = heading.take();
                    // The heading's range may or may not hold its newline; the body starts on the next line.
                    let line_end = if body[..range.end].ends_with('\n') {
                        range.end
                    } else {
                        body[range.end..]
                            .find('\n')
                            .map_or(body.len(), |i| range.end + i + 1)
                    };
                    let prev = sections.last_mut().expect("sections start non-empty");
                    prev.body.end = range.start;
                    plain = plain_here.then(markdown::PlainText::default);
                    sections.push(OutlineSection {
                        heading: title.map(|t| t.trim().to_string()),
                        start: range.start,
                        body: line_end.min(body.len())..body.len(),
                        ..Default::default()
                    });
                }
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    text.push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
            continue;
        }
        match &event {
            // A `##` starts a section; so does a `#` after the first one (`# 振り返り`
            // must end the tasks above it), while a `#` before any is the note's title.
            Event::Start(Tag::Heading { level, .. })
                if stack.is_empty()
                    && (*level == pulldown_cmark::HeadingLevel::H2
                        || (*level == pulldown_cmark::HeadingLevel::H1 && sections.len() > 1)) =>
            {
                heading = Some(String::new());
                let section = sections.last_mut().expect("non-empty");
                section.plain = plain.take().map(markdown::PlainText::finish);
                continue;
            }
            _ => {}
        }
        if let Some(plain) = plain.as_mut() {
            plain.push(&event);
        }
        match &event {
            Event::Start(Tag::List(_)) => {
                if depth == 0 {
                    let section = sections.last_mut().expect("non-empty");
                    section.lists.push(range.clone());
                }
                depth += 1
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                stack.push(OpenItem {
                    item: Item {
                        start: range.start,
                        ..Default::default()
                    },
                    text: None,
                    depth,
                });
                continue;
            }
            Event::End(TagEnd::Item) => {
                if let Some(open) = stack.pop() {
                    let mut item = open.item;
                    if let Some(text) = open.text {
                        item.lines = lines_of(body, text.clone());
                        item.text = text;
                    }
                    if stack.len() == MAX_DEPTH - 2 {
                        // Deeper items were attached here as they ended, innermost
                        // first: put them back in the note's order.
                        item.children.sort_by_key(|c| c.start);
                    }
                    if stack.len() >= MAX_DEPTH {
                        let section = sections.last_mut().expect("non-empty");
                        section.too_deep =
                            Some(section.too_deep.map_or(item.start, |o| o.min(item.start)));
                        stack[MAX_DEPTH - 2].item.children.push(item);
                    } else {
                        match stack.last_mut() {
                            Some(parent) => parent.item.children.push(item),
                            None => sections.last_mut().expect("non-empty").items.push(item),
                        }
                    }
                }
                continue;
            }
            Event::TaskListMarker(checked) => {
                if let Some(open) = stack.last_mut() {
                    open.item.checked = Some(*checked);
                }
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) if !markdown::is_allowed_url(dest_url) => {
                let section = sections.last_mut().expect("non-empty");
                section.blocked.push((dest_url.to_string(), range.start));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                if !markdown::is_allowed_url(dest_url) {
                    let section = sections.last_mut().expect("non-empty");
                    section.blocked.push((dest_url.to_string(), range.start));
                }
                image = Some(dest_url.to_string())
            }
            Event::End(TagEnd::Image) => {
                if let Some(url) = image.take() {
                    sections
                        .last_mut()
                        .expect("non-empty")
                        .images
                        .push((url, range.start));
                }
            }
            _ => {}
        }
        // Own text of the innermost item: everything at its list depth.
        if let Some(open) = stack.last_mut() {
            if depth == open.depth && !matches!(event, Event::End(TagEnd::List(_))) {
                open.text = Some(match open.text.take() {
                    Some(t) => t.start.min(range.start)..t.end.max(range.end),
                    None => range.clone(),
                });
            }
        }
    }
    let last = sections.last_mut().expect("non-empty");
    last.body.end = last.body.end.max(last.body.start);
    last.plain = plain.take().map(markdown::PlainText::finish);
    if with_plain && !plain_here {
        for section in &mut sections {
            section.plain = Some(markdown::to_plain_text(&body[section.body.clone()], refs));
        }
    }
    sections
}

/// Splits a byte range of `src` into trimmed lines with their offsets: the lines
/// [`super::item_lines`] gives for the same range, which is what a note keeps.
fn lines_of(src: &str, range: Range<usize>) -> Vec<(String, usize)> {
    let own = &src[range.clone()];
    super::item_lines(own)
        .map(|line| {
            let offset = range.start + (line.as_ptr() as usize - own.as_ptr() as usize);
            (line.to_string(), offset)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_nested_items() {
        let body = "# 今日学んだこと\n\n## 取り組んだ課題一覧\n- ハッカソン（6h）\n    - ミーティング(2h)\n         - 進捗確認\n    - backend(4h)\n\n## わかったこと\n- A\n  続き\n";
        let sections = outline(body, false, markdown::LinkRefs::NONE);
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[0].heading, None);
        assert_eq!(sections[1].heading.as_deref(), Some("取り組んだ課題一覧"));
        let top = &sections[1].items;
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].first_line(), "ハッカソン（6h）");
        assert_eq!(top[0].children.len(), 2);
        assert_eq!(top[0].children[0].children[0].first_line(), "進捗確認");
        let learn = &sections[2].items[0];
        assert_eq!(
            learn
                .lines
                .iter()
                .map(|(l, _)| l.as_str())
                .collect::<Vec<_>>(),
            ["A", "続き"]
        );
        assert_eq!(&body[sections[2].body.clone()], "- A\n  続き\n");
    }

    #[test]
    fn items_deeper_than_the_limit_are_read_at_the_limit_in_order() {
        let body: String = (0..30)
            .map(|i| format!("{}- item{i}\n", "  ".repeat(i)))
            .collect();
        let sections = outline(&body, false, markdown::LinkRefs::NONE);
        let mut item = &sections[0].items[0];
        for _ in 1..MAX_DEPTH - 1 {
            item = &item.children[0];
        }
        let last: Vec<&str> = item.children.iter().map(Item::first_line).collect();
        let expected: Vec<String> = (MAX_DEPTH - 1..30).map(|i| format!("item{i}")).collect();
        assert_eq!(last, expected);
        assert!(item.children.iter().all(|c| c.children.is_empty()));
        assert_eq!(sections[0].too_deep, body.find("- item20"));
    }

    #[test]
    fn task_markers_and_images() {
        let sections = outline(
            "## 問題\n- [x] done\n- [ ] open\n\n![alt](a.png)\n",
            false,
            markdown::LinkRefs::NONE,
        );
        assert_eq!(sections[1].items[0].checked, Some(true));
        assert_eq!(sections[1].items[1].checked, Some(false));
        assert_eq!(sections[1].items[0].first_line(), "done");
        assert_eq!(sections[1].images[0].0, "a.png");
    }

    proptest::proptest! {
        /// The outline is the same whether bare URLs are linked or not: sections,
        /// items and their text ranges, images, blocked links and the plain text.
        #[test]
        fn bare_urls_left_as_text_change_nothing_in_the_outline(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "## 課題\n", "## わかったこと\n", "- ", "    - ", "\n", "\n\n", "1. ", "> ",
                    "https://example.com/パス", "www.example.com", "ftp://f.example/x_y",
                    "a@b.example", "http://x.example/a_b_c", "日本語", "です。", "text", " ",
                    "**強調**", "_x_", "[link](https://l.example)", "[bad](javascript:x)",
                    "![画像](a.png)", "`code http://c.example`", "<https://angle.example>",
                    "```\nhttp://in.code\n```\n", "[ref]: https://r.example\n", "[x] ", "\\_",
                ]),
                0..24,
            )
        ) {
            let body: String = parts.concat();
            let linked = outline_with(&body, true, markdown::BareUrls::Linked, markdown::LinkRefs::NONE);
            let text = outline_with(&body, true, markdown::BareUrls::Text, markdown::LinkRefs::NONE);
            proptest::prop_assert_eq!(format!("{linked:?}"), format!("{text:?}"), "{:?}", body);
        }
    }
}
