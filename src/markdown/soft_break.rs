//! Line breaks inside Japanese paragraphs: a soft break between two CJK
//! characters is no space in the text (CJK.md, defect 2).

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::chars::joins_lines;

/// Drops each soft break that has a Chinese or Japanese character (not
/// Hangul) on both sides, looking through inline tags
/// (`**太字の行**` ⏎ `続く行`). Events are pushed through it onto a list: a soft
/// break after such a character is pushed and waits there until the next visible
/// character says whether it goes.
#[derive(Default)]
pub(crate) struct JoinCjkLines {
    /// The last visible character of the current paragraph, if any.
    last: Option<char>,
    /// Where in the list a soft break waits for the next visible character.
    waiting: Option<usize>,
}

impl JoinCjkLines {
    /// Pushes `event` onto `out` as `emit` makes it; takes the waiting soft break out
    /// again when `event` begins with a character that joins it to the line before.
    pub(crate) fn push<'a, T>(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        out: &mut Vec<T>,
        emit: &mut impl FnMut(Event<'a>, Range<usize>) -> T,
    ) {
        if let Some(at) = self.waiting {
            match &event {
                Event::Text(t) | Event::Code(t) => {
                    let first = t.chars().next();
                    self.observe(&event);
                    out.push(emit(event, range));
                    if let Some(c) = first {
                        self.waiting = None;
                        if joins_lines(c) {
                            // Only the tags and text after it are moved.
                            out.remove(at);
                        }
                    }
                    return;
                }
                Event::Start(tag) if is_inline_wrapper(tag) => return out.push(emit(event, range)),
                Event::End(tag) if is_inline_wrapper_end(tag) => {
                    return out.push(emit(event, range))
                }
                _ => self.waiting = None,
            }
        }
        if matches!(event, Event::SoftBreak) && self.last.is_some_and(joins_lines) {
            self.last = None;
            self.waiting = Some(out.len());
        } else {
            self.observe(&event);
        }
        out.push(emit(event, range));
    }

    fn observe(&mut self, event: &Event<'_>) {
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
