//! Private parts of a file, blanked before anything reads it: a heading named for the
//! private role (`## 非公開`, `Private`, book.toml's `[sections] private`), at any level
//! and at any depth (inside a list item, a block quote, a footnote), and everything
//! under it up to the next heading of the same or a higher level in the same container,
//! or the container's end.
//!
//! Blanking (every byte but `\n` becomes a space) keeps every offset and line number
//! of the file, so nothing downstream needs to know: day, week, topic, knowledge-base
//! and next-step pages, the search index, the feed and `log.json` are all made from the
//! blanked text, and private text is never in the log at all.

use std::ops::Range;

use crate::load::Source;
use crate::markdown::{self, Event, Tag, TagEnd};
use crate::text::fold;

use super::{Role, Roles};

/// Blanks the private parts of `source` and records where they were (a note read again
/// from disk is blanked the same way: [`blank`]).
pub fn redact(source: &mut Source, roles: &Roles) {
    redact_remembering(source, roles, &mut HeadingMemo::default());
}

/// What [`redact`] found of each line it looked at, for the next file: every note has
/// the same few headings (`## わかったこと`…), and folding them was most of its time.
#[derive(Default)]
pub struct HeadingMemo(std::collections::HashMap<String, bool>);

/// As [`redact`], remembering its verdict on each line in `memo`.
pub fn redact_remembering(source: &mut Source, roles: &Roles, memo: &mut HeadingMemo) {
    let body = source.body();
    if !might_have_private_heading(body, roles, memo) {
        return;
    }
    let base = source.body_start;
    let ranges: Vec<Range<usize>> = ranges(body, roles)
        .into_iter()
        .map(|r| base + r.start..base + r.end)
        .collect();
    blank(&mut source.text, &ranges);
    source.private = ranges;
}

/// Replaces every byte of `ranges` but line ends with a space: the text keeps its
/// length, offsets and lines, and stays UTF-8 (whole characters become spaces).
pub fn blank(text: &mut String, ranges: &[Range<usize>]) {
    if ranges.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for range in ranges {
        let end = range.end.min(bytes.len());
        for b in &mut bytes[range.start.min(end)..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Ranges start and end on event boundaries, and ASCII spaces replace whole
    // characters; a range that cut a character would leave invalid bytes, made
    // visible rather than trusted.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// A cheap test that rules out almost every note: only a line holding `#`, or a line
/// above a setext underline (`===`, `---`), can be a heading, and a private heading
/// holds a private name once folded.
fn might_have_private_heading(body: &str, roles: &Roles, memo: &mut HeadingMemo) -> bool {
    let names = roles.names_of(Role::Private);
    // An entity or an escape (`非&#x516C;開`) could spell a name the line does not hold.
    let mut spelled = |line: &str| {
        if let Some(&known) = memo.0.get(line) {
            return known;
        }
        let folded = fold(line);
        let found = names.iter().any(|n| folded.contains(n)) || line.contains(['&', '\\']);
        memo.0.insert(line.to_string(), found);
        found
    };
    let mut previous = "";
    for line in crate::text::lines(body) {
        let underline = {
            let t = line.trim_start_matches(['>', ' ', '\t']).trim_end();
            !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
        };
        let has_hash = memchr::memchr(b'#', line.as_bytes()).is_some();
        if (has_hash && spelled(line)) || (underline && spelled(previous)) {
            return true;
        }
        previous = line;
    }
    false
}

/// A private part being read: its heading's level and where it starts.
struct Open {
    level: u32,
    start: usize,
}

/// The private byte ranges of `body`, in order.
fn ranges(body: &str, roles: &Roles) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // One slot per open container (the document first): the private part open in it.
    let mut containers: Vec<Option<Open>> = vec![None];
    let mut heading: Option<(u32, usize, String)> = None;
    for (event, range) in markdown::parse(body, markdown::Options::default()) {
        if let Some((_, _, text)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let (level, start, text) = heading.take().expect("a heading is open");
                    let private = roles.of(&text) == Some(Role::Private);
                    let slot = containers.last_mut().expect("the document is a container");
                    match slot {
                        // A heading under a private one stays private; one of the same or
                        // a higher level ends it (and may open another).
                        Some(open) if level > open.level => {}
                        Some(open) => {
                            out.push(open.start..line_start(body, start).max(open.start));
                            *slot = private.then_some(Open { level, start });
                        }
                        None if private => *slot = Some(Open { level, start }),
                        None => {}
                    }
                }
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u32, range.start, String::new()));
            }
            Event::Start(tag) if is_container(&tag) => containers.push(None),
            Event::End(end) if is_container_end(&end) => {
                if let Some(Some(open)) = containers.pop() {
                    out.push(open.start..range.end.max(open.start));
                }
            }
            _ => {}
        }
    }
    for open in containers.into_iter().flatten() {
        out.push(open.start..body.len());
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Block containers that can hold a heading.
fn is_container(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)
    )
}

fn is_container_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition
    )
}

/// The start of the line holding `offset`: a private part ends before the next
/// heading's line, so the container markers on it (`> `) stay and the heading stays
/// where it was.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(body: &str) -> String {
        let mut text = body.to_string();
        blank(&mut text, &ranges(body, &Roles::default()));
        text
    }

    #[test]
    fn a_top_level_private_section_ends_at_the_next_h2() {
        let out = redacted(
            "## 感じたこと\n- fun\n\n## 非公開\nsecret\n### deeper\nalso\n## 次やること\n- go\n",
        );
        assert!(!out.contains("secret") && !out.contains("also") && !out.contains("非公開"));
        assert!(
            out.contains("## 次やること\n- go") && out.contains("- fun"),
            "{out}"
        );
    }

    #[test]
    fn a_private_heading_in_a_list_item_hides_the_rest_of_the_item() {
        let body = "## 取り組んだ課題一覧\n- task (1h)\n  ## 非公開\n  secret\n  - nested secret\n- next task (1h)\n";
        let out = redacted(body);
        assert_eq!(out.len(), body.len());
        assert!(!out.contains("secret"), "{out}");
        assert!(out.contains("- task (1h)") && out.contains("- next task (1h)"));
    }

    #[test]
    fn a_private_heading_in_a_quote_ends_at_a_sibling_heading() {
        let out = redacted("> ## Private\n> secret\n> ## Public\n> shown\n");
        assert!(!out.contains("secret"), "{out}");
        assert!(out.contains("> ## Public\n> shown"), "{out}");
    }

    #[test]
    fn setext_and_other_levels_count() {
        let out = redacted("intro\n\n非公開\n---\nsecret\n\n# Title\nshown\n");
        assert!(!out.contains("secret") && out.contains("shown"), "{out}");
        let out = redacted("#### 非公開\nsecret\n");
        assert!(!out.contains("secret"));
    }

    #[test]
    fn the_cheap_test_finds_every_kind_of_private_heading() {
        let roles = Roles::default();
        // One memo for every body, as a build shares one between notes: a line's verdict
        // remembered from one body holds in the next.
        let memo = &mut HeadingMemo::default();
        for body in [
            "- a\n  ## 非公開\n",
            "> ### ＰＲＩＶＡＴＥ\n",
            "非公開\n===\n",
            "- 非公開\n  ---\n",
        ] {
            assert!(might_have_private_heading(body, &roles, memo), "{body}");
            assert!(
                might_have_private_heading(body, &roles, memo),
                "{body}, again"
            );
        }
        assert!(might_have_private_heading(
            "## 非&#x516C;開\n",
            &roles,
            memo
        ));
        for _ in 0..2 {
            assert!(!might_have_private_heading(
                "## 感じたこと\n- 非公開にしたい\n",
                &roles,
                memo
            ));
        }
    }
}
