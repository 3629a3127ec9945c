//! CJK-friendly emphasis on top of a CommonMark parser that lacks it.
//!
//! CommonMark won't close `**` between `」` and kana, nor open it between kana
//! and `「`: see CJK.md. The commonmark-cjk-friendly amendment fixes exactly
//! those cases. pulldown-cmark has the rule (`ENABLE_CJK_FRIENDLY_EMPHASIS`)
//! but no release carries it yet, so this module gets the same result with
//! the released parser: an empty HTML comment is put beside each `*`, `_` and
//! `~~` run the amendment makes flank where CommonMark does not, in a copy of
//! the source. The comment is punctuation to the parser, so the run then
//! flanks; the caller drops the comments again from its parse. Which runs are
//! inline text (not code, not a link destination) is guessed from the raw text
//! where that is safe and confirmed by the caller's parse; otherwise, or when
//! the guess is refuted, a first parse finds them. Everything lives behind
//! [`separate`], which the flag will replace.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::chars::{
    is_cjk, is_ideographic_variation_selector, is_punctuation, is_text_variation_selector,
};

/// The invisible separator: an empty HTML comment (valid since CommonMark 0.31).
const SEPARATOR: &str = "<!---->";

/// The source as the parser must read it, and where the separators went.
#[derive(Debug)]
pub(crate) struct Separated<'a> {
    /// The source, with a separator beside each run that needs one.
    pub(crate) text: Cow<'a, str>,
    /// Where each separator starts in `text`, ascending.
    separators: Vec<usize>,
    /// Whether the separators were placed by the raw scan alone, without the parse
    /// that tells inline text from code and link destinations: the parse of `text`
    /// must then find every one as raw HTML of its own ([`Separated::confirmed`]).
    guessed: bool,
    /// How many separators the parse of `text` met as raw HTML events.
    met: Cell<usize>,
}

impl Separated<'_> {
    /// Whether an event with `range` (in `text`) is one of our separators,
    /// not an author's own comment.
    ///
    /// Counts it, for [`Separated::confirmed`]: call it once per raw HTML event.
    pub(crate) fn is_separator(&self, range: &Range<usize>) -> bool {
        let is =
            range.len() == SEPARATOR.len() && self.separators.binary_search(&range.start).is_ok();
        if is {
            self.met.set(self.met.get() + 1);
        }
        is
    }

    /// After one whole parse of `text`: false when the separators were guessed and
    /// one of them was not raw HTML of its own (it fell in code, a code block, a link
    /// destination or title), so [`separate_exactly`] must place them instead.
    pub(crate) fn confirmed(&self) -> bool {
        !self.guessed || self.met.get() == self.separators.len()
    }

    /// Whether `text` differs from the source at all.
    pub(crate) fn is_changed(&self) -> bool {
        !self.separators.is_empty()
    }

    /// Maps an offset in `text` to the offset in the original source; an
    /// offset inside a separator maps to where the separator was put.
    pub(crate) fn to_source(&self, offset: usize) -> usize {
        let before = self.separators.partition_point(|&s| s < offset);
        if before > 0 {
            let last = self.separators[before - 1];
            if offset < last + SEPARATOR.len() {
                return last - (before - 1) * SEPARATOR.len();
            }
        }
        offset - before * SEPARATOR.len()
    }
}

/// Where a run needs a separator so that CommonMark flanking agrees with the
/// CJK-friendly rule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Fix {
    /// Makes the run left-flanking (it can open).
    before: bool,
    /// Makes the run right-flanking (it can close).
    after: bool,
}

/// Returns `src` ready for a CommonMark parse that gives CJK-friendly
/// emphasis, with `options` being the options of that parse. The separators may be
/// guessed: the caller parses `text` and, unless [`Separated::confirmed`], parses
/// again what [`separate_exactly`] gives.
///
/// The guess puts a separator at every run of the raw text that needs one. It is
/// what the exact way gives whenever every run is in inline text, which the parse
/// confirms by meeting each separator as raw HTML of its own. Without `<` and `]:`
/// in the note, a separator cannot end an autolink, raw HTML or a pointy
/// destination, nor push a link label past its length limit: the constructs a
/// separator could break, turning a run that was not inline text into text. Every
/// other place that is not inline text (code, code blocks, fences' info strings,
/// link destinations and titles) keeps the separator inside it, and the parse then
/// does not meet it. Most notes hold neither `<` nor `]:`, and the guess spares the
/// parse that finds the inline runs: a third of a note's parsing.
pub(crate) fn separate(src: &str, options: pulldown_cmark::Options) -> Separated<'_> {
    if !may_need_separators(src) {
        return Separated::unchanged(src);
    }
    // The guess, made in the one pass over the runs that also tells whether any run
    // needs a separator at all.
    let inserts: Vec<usize> = raw_runs(src)
        .flat_map(|run| {
            let fix = fix_for(src, run.clone());
            [
                fix.before.then_some(run.start),
                fix.after.then_some(run.end),
            ]
        })
        .flatten()
        .collect();
    if inserts.is_empty() {
        return Separated::unchanged(src);
    }
    if src.contains('<') || src.contains("]:") {
        return place_exactly(src, options);
    }
    Separated::with(src, inserts, true)
}

/// [`separate`] with the inline runs found by a parse of `src`: never guessed.
pub(crate) fn separate_exactly(src: &str, options: pulldown_cmark::Options) -> Separated<'_> {
    if !needs_separators(src) {
        return Separated::unchanged(src);
    }
    place_exactly(src, options)
}

/// [`separate_exactly`] for a `src` that [`needs_separators`].
fn place_exactly(src: &str, options: pulldown_cmark::Options) -> Separated<'_> {
    let mut inserts: Vec<usize> = Vec::new();
    for run in inline_runs(src, options) {
        let fix = fix_for(src, run.clone());
        if fix.before {
            inserts.push(run.start);
        }
        if fix.after {
            inserts.push(run.end);
        }
    }
    Separated::with(src, inserts, false)
}

/// Whether any run in `src` might need a separator. Every fix needs a CJK character
/// (or a variation selector) beside a run, so pure-ASCII notes and notes without
/// runs are ruled out before any parse.
fn needs_separators(src: &str) -> bool {
    may_need_separators(src) && raw_runs(src).any(|run| fix_for(src, run) != Fix::default())
}

/// Whether `src` holds a CJK character and a run at all: the quick part of
/// [`needs_separators`].
fn may_need_separators(src: &str) -> bool {
    !src.is_ascii() && next_delimiter(src.as_bytes(), 0).is_some()
}

impl<'a> Separated<'a> {
    fn unchanged(src: &'a str) -> Separated<'a> {
        Separated::with(src, Vec::new(), false)
    }

    /// `src` with a separator at each offset of `inserts` (in any order, repeats
    /// allowed).
    fn with(src: &'a str, mut inserts: Vec<usize>, guessed: bool) -> Separated<'a> {
        if inserts.is_empty() {
            return Separated {
                text: Cow::Borrowed(src),
                separators: inserts,
                guessed: false,
                met: Cell::new(0),
            };
        }
        inserts.sort_unstable();
        inserts.dedup();
        let mut text = String::with_capacity(src.len() + inserts.len() * SEPARATOR.len());
        let mut separators = Vec::with_capacity(inserts.len());
        let mut from = 0;
        for at in inserts {
            text.push_str(&src[from..at]);
            separators.push(text.len());
            text.push_str(SEPARATOR);
            from = at;
        }
        text.push_str(&src[from..]);
        Separated {
            text: Cow::Owned(text),
            separators,
            guessed,
            met: Cell::new(0),
        }
    }
}

/// The delimiters whose runs the amendment changes: emphasis and strikethrough.
fn is_delimiter(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'~')
}

/// Where the next `*`, `_` or `~` at or after `from` is: searched many bytes at a
/// time, since every Markdown parse of every note scans its whole text for them.
fn next_delimiter(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr3(b'*', b'_', b'~', &bytes[from..]).map(|at| from + at)
}

/// Whether the byte at `i` is backslash-escaped.
fn is_escaped(bytes: &[u8], i: usize) -> bool {
    bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// The whole delimiter run containing the unescaped `*`, `_` or `~` at `i`.
fn run_at(src: &str, i: usize) -> Option<Range<usize>> {
    let bytes = src.as_bytes();
    let b = bytes[i];
    if !is_delimiter(b) || is_escaped(bytes, i) {
        return None;
    }
    let mut start = i;
    while start > 0 && bytes[start - 1] == b && !is_escaped(bytes, start - 1) {
        start -= 1;
    }
    let mut end = i + 1;
    while end < bytes.len() && bytes[end] == b {
        end += 1;
    }
    Some(start..end)
}

/// Every unescaped run of `*`, `_` or `~` in the raw source, wherever it is: a
/// cheap over-approximation that rules most notes out before any parse.
fn raw_runs(src: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = src.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(at) = next_delimiter(bytes, i) {
            if let Some(run) = run_at(src, at) {
                i = run.end;
                return Some(run);
            }
            i = at + 1;
        }
        None
    })
}

/// The runs the parser treats as inline delimiters: in text, or the edges of
/// emphasis it matched; never in code, code blocks, raw HTML, link
/// destinations or autolinks, whose source events are not `Text`.
fn inline_runs(src: &str, options: pulldown_cmark::Options) -> Vec<Range<usize>> {
    let bytes = src.as_bytes();
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut in_code_block = false;
    let mut in_autolink = false;
    // A `<!` left open in the text before a separator could be closed by the
    // separator's `>` or `-->` and swallow the text between: no separators
    // after one, until the block ends.
    let mut open_markup = false;
    let take = |runs: &mut Vec<Range<usize>>, i: usize, open_markup: bool| {
        if open_markup || i >= bytes.len() {
            return;
        }
        if let Some(run) = run_at(src, i) {
            if runs.last() != Some(&run) {
                runs.push(run);
            }
        }
    };
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { link_type, .. }) => {
                in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email)
            }
            Event::End(TagEnd::Link) => in_autolink = false,
            Event::Text(text) if !in_code_block && !in_autolink => {
                open_markup |= text.contains("<!");
                let mut i = range.start;
                while let Some(at) = next_delimiter(&bytes[..range.end], i) {
                    take(&mut runs, at, open_markup);
                    i = at + 1;
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                take(&mut runs, range.start, open_markup)
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                take(&mut runs, range.end.saturating_sub(1), open_markup)
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
            ) => open_markup = false,
            _ => {}
        }
    }
    runs.sort_unstable_by_key(|r| r.start);
    runs.dedup();
    runs
}

/// The separators `run` needs for CommonMark to flank it as the CJK-friendly
/// rule does. Both rules are judged on the characters around the run in the
/// source, as pulldown-cmark judges them; a separator only ever adds
/// flanking, and only where the amendment adds it.
fn fix_for(src: &str, run: Range<usize>) -> Fix {
    let delim = src.as_bytes()[run.start];
    let len = run.len();
    // pulldown-cmark takes only `~~` as strikethrough worth fixing: a single
    // `~` may not be intraword and `~~~` is not a delimiter at all.
    if delim == b'~' && len != 2 {
        return Fix::default();
    }
    let before = &src[..run.start];
    let mut back = before.chars().rev();
    let prev = back.next();
    // The amendment reads "X + variation selector" as X.
    let prev_base = match prev {
        Some(c) if is_text_variation_selector(c) => back.next(),
        other => other,
    };
    let next = src[run.end..].chars().next();

    let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| c.is_some_and(is_punctuation);
    let cjk = |c: Option<char>| c.is_some_and(is_cjk);
    let non_cjk_punct = |c: Option<char>| punct(c) && !cjk(c);

    let (p_ws, p_punct, n_ws, n_punct) = (ws(prev), punct(prev), ws(next), punct(next));
    let commonmark_left = !n_ws && (!n_punct || p_ws || p_punct);
    let commonmark_right = !p_ws && (!p_punct || n_ws || n_punct);

    let prev_is_seq_non_cjk_punct = non_cjk_punct(prev_base);
    let prev_is_cjk_seq = cjk(prev_base);
    let prev_is_ivs = prev.is_some_and(is_ideographic_variation_selector);
    let cjk_left = !n_ws
        && (!non_cjk_punct(next)
            || p_ws
            || prev_is_seq_non_cjk_punct
            || prev_is_cjk_seq
            || prev_is_ivs);
    let cjk_right =
        !p_ws && (!prev_is_seq_non_cjk_punct || n_ws || non_cjk_punct(next) || cjk(next));

    if delim == b'_' {
        // `_` opens only where it cannot close, or after punctuation, and closes
        // only where it cannot open, or before punctuation; the amendment counts
        // "punctuation + variation selector" as punctuation on the left.
        let want = (
            cjk_left && (!cjk_right || punct(prev_base)),
            cjk_right && (!cjk_left || n_punct),
        );
        return underscore_fix(prev, next, want);
    }
    Fix {
        // pulldown-cmark lets `~~` open whenever it is not before a space.
        before: delim == b'*' && cjk_left && !commonmark_left,
        after: cjk_right && !commonmark_right,
    }
}

/// The separators that make CommonMark let an `_` run between `prev` and `next`
/// open and close as `want` says, the fewest first; none when no choice does.
/// A separator is punctuation (`>` before the run, `<` after it).
fn underscore_fix(prev: Option<char>, next: Option<char>, want: (bool, bool)) -> Fix {
    let commonmark = |p: Option<char>, n: Option<char>| {
        let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let punct = |c: Option<char>| c.is_some_and(is_punctuation);
        let left = !ws(n) && (!punct(n) || ws(p) || punct(p));
        let right = !ws(p) && (!punct(p) || ws(n) || punct(n));
        (left && (!right || punct(p)), right && (!left || punct(n)))
    };
    let choices = [(false, false), (true, false), (false, true), (true, true)];
    choices
        .into_iter()
        .find(|&(before, after)| {
            let p = if before { Some('>') } else { prev };
            let n = if after { Some('<') } else { next };
            commonmark(p, n) == want
        })
        .map_or(Fix::default(), |(before, after)| Fix { before, after })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(src: &str) -> String {
        separate_exactly(src, pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
            .text
            .into_owned()
    }

    #[test]
    fn closing_run_after_cjk_punctuation_gets_separator_after() {
        assert_eq!(fixed("**「それら」**を"), "**「それら」**<!---->を");
    }

    #[test]
    fn opening_run_before_cjk_punctuation_gets_separator_before() {
        assert_eq!(
            fixed("これは**「重要」**です"),
            "これは<!---->**「重要」**<!---->です"
        );
    }

    #[test]
    fn ascii_quote_then_kana_closes() {
        assert_eq!(fixed("**\"Hi!\"**と"), "**\"Hi!\"**<!---->と");
    }

    #[test]
    fn code_and_escapes_are_left_alone() {
        assert_eq!(fixed("`**「a」**を`"), "`**「a」**を`");
        assert_eq!(fixed("\\*\\*「a」\\*\\*を"), "\\*\\*「a」\\*\\*を");
    }

    #[test]
    fn open_comment_stops_separators() {
        assert_eq!(fixed("<!-- **「a」**を"), "<!-- **「a」**を");
    }

    #[test]
    fn offsets_map_back() {
        let s = separate("これは**「重要」**です", pulldown_cmark::Options::empty());
        assert!(s.is_changed());
        // これは = 9 bytes, separator at 9; ** at 16..18 in text → 9..11
        assert_eq!(s.to_source(9), 9);
        assert_eq!(s.to_source(12), 9);
        assert_eq!(s.to_source(16), 9);
        assert_eq!(s.to_source(18), 11);
    }
}
