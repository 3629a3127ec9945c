//! Line breaks inside Japanese paragraphs: a soft break between two CJK
//! characters is no space in the text (CJK.md, defect 2).

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::chars::joins_lines;

type Item<'a> = (Event<'a>, Range<usize>);

/// Drops each soft break that has a Chinese or Japanese character (not
/// Hangul) on both sides, looking through inline tags
/// (`**太字の行**` ⏎ `続く行`).
pub(crate) struct JoinCjkLines<'a, I> {
    inner: I,
    /// The last visible character of the current paragraph, if any.
    last: Option<char>,
    /// Events read ahead to decide on a soft break, already observed.
    ahead: VecDeque<Item<'a>>,
    /// The event that ended a look-ahead, not yet observed.
    held: Option<Item<'a>>,
}

impl<'a, I: Iterator<Item = Item<'a>>> JoinCjkLines<'a, I> {
    pub(crate) fn new(inner: I) -> Self {
        JoinCjkLines {
            inner,
            last: None,
            ahead: VecDeque::new(),
            held: None,
        }
    }

    fn observe(&mut self, event: &Event<'a>) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = t.chars().next_back() {
                    self.last = Some(c);
                }
            }
            Event::Start(tag) if is_inline_wrapper(tag) => {}
            Event::End(tag) if is_inline_wrapper_end(tag) => {}
            _ => self.last = None,
        }
    }

    /// Reads ahead past inline tags to the first visible character after a
    /// soft break; whether the break joins two CJK characters.
    fn joins_next(&mut self) -> bool {
        while let Some(item) = self.inner.next() {
            match &item.0 {
                Event::Text(t) | Event::Code(t) => {
                    let first = t.chars().next();
                    self.observe(&item.0);
                    self.ahead.push_back(item);
                    if let Some(c) = first {
                        return joins_lines(c);
                    }
                }
                Event::Start(tag) if is_inline_wrapper(tag) => self.ahead.push_back(item),
                Event::End(tag) if is_inline_wrapper_end(tag) => self.ahead.push_back(item),
                _ => {
                    self.held = Some(item);
                    return false;
                }
            }
        }
        false
    }
}

fn is_inline_wrapper(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
    )
}

fn is_inline_wrapper_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
    )
}

impl<'a, I: Iterator<Item = Item<'a>>> Iterator for JoinCjkLines<'a, I> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if let Some(item) = self.ahead.pop_front() {
            return Some(item);
        }
        let item = self.held.take().or_else(|| self.inner.next())?;
        if matches!(item.0, Event::SoftBreak) && self.last.is_some_and(joins_lines) {
            self.last = None;
            if self.joins_next() {
                return self.ahead.pop_front();
            }
            return Some(item);
        }
        self.observe(&item.0);
        Some(item)
    }
}
