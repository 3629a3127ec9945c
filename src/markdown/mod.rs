//! Markdown to HTML with the fixes Japanese text needs (see CJK.md):
//! CJK-friendly emphasis, no space for a line break between Japanese
//! characters, and bare URLs linked. This module is the only place that
//! knows about them; everything else renders Markdown through it.

mod autolink;
pub(crate) mod chars;
mod cjk_emphasis;
mod punctuation;
mod soft_break;
mod url;

use std::ops::Range;

pub use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
pub use url::{blocked_url_message, is_allowed_url, ALLOWED_SCHEMES};

use cjk_emphasis::Separated;

/// Rendering options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'r> {
    pub raw_html: RawHtml,
    pub bare_urls: BareUrls,
    /// The link reference definitions of the document the text is part of.
    pub refs: Option<&'r LinkRefs>,
}

/// A note's link reference definitions (`[mdn]: https://developer.mozilla.org/`).
/// CommonMark makes a definition good for the whole document, and authors put them at
/// the end; but a note is rendered a section, a task or a step at a time, and each
/// piece is given the note's definitions for the references it does not define itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkRefs(Vec<LinkRef>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct LinkRef {
    /// As the parser normalises it (white space collapsed); compared case-folded.
    label: String,
    dest: String,
    title: String,
}

impl LinkRefs {
    /// No definitions: text that is a document of its own (a page).
    pub const NONE: &'static LinkRefs = &LinkRefs(Vec::new());

    /// The definitions in `src`, a whole document, as the parser finds them (the first
    /// definition of a label wins).
    pub fn of(src: &str) -> LinkRefs {
        // A definition is `[label]:`: most notes have none, and are spared the parse.
        if memchr::memmem::find(src.as_bytes(), b"]:").is_none() {
            return LinkRefs::default();
        }
        let parser = pulldown_cmark::Parser::new_ext(src, cmark_options());
        let mut refs: Vec<LinkRef> = (parser.reference_definitions().iter())
            .map(|(label, def)| LinkRef {
                label: label.to_string(),
                dest: def.dest.to_string(),
                title: def.title.as_deref().unwrap_or("").to_string(),
            })
            .collect();
        // The parser keeps them in a hash map: sorted, a note's refs compare equal
        // however they were found.
        refs.sort_by(|a, b| a.label.cmp(&b.label));
        LinkRefs(refs)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The destination and title defined for `label` (normalised by the parser).
    fn get(&self, label: &str) -> Option<(&str, &str)> {
        let label = unicase::UniCase::new(label);
        (self.0.iter())
            .find(|r| unicase::UniCase::new(r.label.as_str()) == label)
            .map(|r| (r.dest.as_str(), r.title.as_str()))
    }
}

/// What becomes of bare URLs and e-mail addresses in text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BareUrls {
    /// Linked, as GFM's extended autolinks are: everything shown.
    #[default]
    Linked,
    /// Left as the text they are: for readers of the text and the structure only (a
    /// link adds no text, and a bare URL is never a blocked one), which are spared the
    /// search for them.
    Text,
}

/// What becomes of raw HTML in Markdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RawHtml {
    /// Shown as text, escaped: notes, by default.
    #[default]
    Escaped,
    /// Published, through GFM's tag filter ([`tag_filter`]): notes, with
    /// `allow-html = true`.
    Filtered,
    /// Published as written: the site owner's pages (explainers carry SVG with its
    /// `<title>`, and forms), and readers that only look at the structure.
    Kept,
}

impl RawHtml {
    /// The raw HTML of notes, as book.toml's `allow-html` says.
    pub fn of_notes(allow_html: bool) -> RawHtml {
        if allow_html {
            RawHtml::Filtered
        } else {
            RawHtml::Escaped
        }
    }
}

/// The CommonMark extensions notes use: GFM tables, strikethrough, task
/// lists and footnotes.
fn cmark_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES | O::ENABLE_STRIKETHROUGH | O::ENABLE_TASKLISTS | O::ENABLE_FOOTNOTES
}

/// The fixed events of `text` pushed onto `out` as `emit` makes them (given ranges in
/// `text`, raw HTML kept); `sep` says which comments in `text` are separators to drop.
/// The fixes are stages each event is pushed through, not a chain of iterators: an
/// event and its range are about 100 bytes, and moving each through every link of a
/// chain cost more than the parser's own work.
fn push_fixed_events<'t, T>(
    text: &'t str,
    sep: Option<&'t Separated<'_>>,
    opts: Options<'_>,
    out: &mut Vec<T>,
    mut emit: impl FnMut(Event<'t>, Range<usize>) -> T,
) {
    // A reference the text does not define may be defined elsewhere in its note.
    let refs = opts.refs.filter(|refs| !refs.is_empty());
    let defined_elsewhere = move |link: pulldown_cmark::BrokenLink<'t>| {
        let (dest, title) = refs?.get(&link.reference)?;
        Some((
            CowStr::from(dest.to_string()),
            CowStr::from(title.to_string()),
        ))
    };
    let events = pulldown_cmark::Parser::new_with_broken_link_callback(
        text,
        cmark_options(),
        Some(defined_elsewhere),
    )
    .into_offset_iter()
    .filter(move |(event, range)| {
        !(matches!(event, Event::InlineHtml(_)) && sep.is_some_and(|s| s.is_separator(range)))
    });
    let mut lines = soft_break::JoinCjkLines::default();
    let mut join = |event, range| lines.push(event, range, out, &mut emit);
    match opts.bare_urls {
        BareUrls::Linked if autolink::may_hold_urls(text) => {
            autolink::link_bare_urls(events, &mut join)
        }
        // Most sections hold no URL: their text needs no holding back.
        _ => events.for_each(|(event, range)| join(event, range)),
    }
}

/// The fixed events of `text` as [`push_fixed_events`] gives them, raw HTML guarded
/// as `opts` says, without their ranges.
fn fixed_events<'t>(
    text: &'t str,
    sep: Option<&'t Separated<'_>>,
    opts: Options<'_>,
) -> Vec<Event<'t>> {
    let mut events = Vec::with_capacity(text.len() / EVENT_BYTES + 4);
    push_fixed_events(text, sep, opts, &mut events, |event, _| {
        guard_html(event, opts)
    });
    events
}

/// Raw HTML as `opts` says ([`RawHtml`]): turned into text, so that it is escaped on
/// output, or filtered, or kept.
fn guard_html<'e>(event: Event<'e>, opts: Options) -> Event<'e> {
    match (event, opts.raw_html) {
        (Event::Html(html) | Event::InlineHtml(html), RawHtml::Escaped) => Event::Text(html),
        (Event::Html(html), RawHtml::Filtered) => Event::Html(tag_filter(html)),
        (Event::InlineHtml(html), RawHtml::Filtered) => Event::InlineHtml(tag_filter(html)),
        (other, _) => other,
    }
}

/// The tags GFM's "Disallowed Raw HTML" extension filters: they change how a browser
/// reads the rest of the page (a `<textarea>` or `<xmp>` swallows it as text, a
/// `<script>` runs).
const FILTERED_TAGS: [&str; 9] = [
    "title",
    "textarea",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "script",
    "plaintext",
];

/// Raw HTML with the `<` of each filtered tag, opening or closing, written `&lt;`
/// (GFM spec 0.29, section 6.11): the tag is then shown as text.
pub fn tag_filter(html: CowStr<'_>) -> CowStr<'_> {
    let filtered_at = |i: usize| {
        let rest = &html.as_bytes()[i + 1..];
        let name = rest.strip_prefix(b"/").unwrap_or(rest);
        FILTERED_TAGS.iter().any(|tag| {
            name.len() > tag.len()
                && name[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
                && match name[tag.len()] {
                    b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b'>' => true,
                    b'/' => name.get(tag.len() + 1) == Some(&b'>'),
                    _ => false,
                }
        })
    };
    let mut starts = memchr::memchr_iter(b'<', html.as_bytes()).filter(|&i| filtered_at(i));
    let Some(first) = starts.next() else {
        return html;
    };
    let mut out = String::with_capacity(html.len() + 8);
    let mut copied = 0;
    for i in std::iter::once(first).chain(starts) {
        out.push_str(&html[copied..i]);
        out.push_str("&lt;");
        copied = i + 1;
    }
    out.push_str(&html[copied..]);
    CowStr::from(out)
}

/// Parses `src` with tables, strikethrough, task lists and footnotes on, and
/// with the three Japanese fixes of CJK.md applied. Ranges are byte ranges
/// into `src` itself. Raw HTML (`Html`/`InlineHtml` events) comes back as
/// `Text` events (so it is escaped on output) unless `opts.raw_html` says otherwise.
pub fn parse<'s>(src: &'s str, opts: Options) -> Vec<(Event<'s>, Range<usize>)> {
    // Task titles, steps and detail lines are mostly such lines, rendered by the
    // thousand; the parser's set-up costs more than the line.
    if is_plain_line(src) {
        let paragraph = plain_paragraph(src);
        if opts.bare_urls == BareUrls::Text || !autolink::may_hold_url(src) {
            return paragraph;
        }
        // The parser would give this one text event too: only its bare URLs to link.
        let mut linked = Vec::with_capacity(paragraph.len());
        autolink::link_bare_urls(paragraph, &mut |event, range| linked.push((event, range)));
        return linked;
    }
    parse_fully(src, opts)
}

/// What the parser makes of a line [`is_plain_line`] accepts, before bare URLs are
/// linked: one paragraph of its text, final spaces and tabs stripped.
fn plain_paragraph(src: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let text = src.trim_end_matches([' ', '\t']);
    vec![
        (Event::Start(Tag::Paragraph), 0..src.len()),
        (Event::Text(CowStr::Borrowed(text)), 0..text.len()),
        (Event::End(TagEnd::Paragraph), 0..src.len()),
    ]
}

/// [`parse`] by the parser, whatever `src` is.
fn parse_fully<'s>(src: &'s str, opts: Options) -> Vec<(Event<'s>, Range<usize>)> {
    with_separated(src, |sep| source_events(src, sep, opts))
}

/// The fixed events of `sep`'s text moved onto `src`, which `sep` was made from:
/// ranges and strings in `src`.
fn source_events<'s>(
    src: &'s str,
    sep: &Separated<'s>,
    opts: Options,
) -> Vec<(Event<'s>, Range<usize>)> {
    // The parser cannot say how many events it will give, so collecting them grew the
    // list by doubling, copying it each time. Room for an event per EVENT_BYTES of text
    // is reserved instead: the seed note has one per 22 bytes, generated notes one per
    // 17, so the list rarely grows and is short-lived.
    let mut events = Vec::with_capacity(src.len() / EVENT_BYTES + 4);
    if !sep.is_changed() {
        // The text is `src` itself: events borrow it as they are.
        push_fixed_events(src, None, opts, &mut events, |event, range| {
            (guard_html(event, opts), range)
        });
        return events;
    }
    let text: &str = &sep.text;
    push_fixed_events(text, Some(sep), opts, &mut events, |event, range| {
        let range = sep.to_source(range.start)..sep.to_source(range.end);
        (guard_html(rebase_event(event, text, src, sep), opts), range)
    });
    events
}

/// Bytes of Markdown per event reserved for by [`source_events`].
const EVENT_BYTES: usize = 12;

/// What `read` makes of `src` made ready for the CJK-friendly parse: `read` must
/// parse the separated text through [`fixed_events`] to its end. When that parse
/// shows a guessed separator out of place, `read` runs again on separators placed
/// exactly (see [`cjk_emphasis::separate`]).
fn with_separated<'s, R>(src: &'s str, mut read: impl FnMut(&Separated<'s>) -> R) -> R {
    let sep = cjk_emphasis::separate(src, cmark_options());
    let made = read(&sep);
    if sep.confirmed() {
        return made;
    }
    read(&cjk_emphasis::separate_exactly(src, cmark_options()))
}

/// Moves an event borrowing `text` onto `src`: a string that is a slice of
/// `text` without a separator in it is the same slice of `src`, so only
/// strings that cross a separator (or were built) are copied.
fn rebase_event<'s>(event: Event<'_>, text: &str, src: &'s str, sep: &Separated<'_>) -> Event<'s> {
    let rebase = |s: CowStr<'_>| rebase_str(s, text, src, sep);
    match event {
        Event::Text(s) => Event::Text(rebase(s)),
        Event::Code(s) => Event::Code(rebase(s)),
        Event::Html(s) => Event::Html(rebase(s)),
        Event::InlineHtml(s) => Event::InlineHtml(rebase(s)),
        other => other.into_static(),
    }
}

fn rebase_str<'s>(s: CowStr<'_>, text: &str, src: &'s str, sep: &Separated<'_>) -> CowStr<'s> {
    let CowStr::Borrowed(slice) = s else {
        return s.into_static();
    };
    let at = (slice.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    if at <= text.len() && at + slice.len() <= text.len() {
        let from = sep.to_source(at);
        if let Some(same) = src.get(from..from + slice.len()) {
            if same == slice {
                return CowStr::Borrowed(same);
            }
        }
    }
    CowStr::from(slice.to_owned())
}

/// Renders `src` to HTML with the fixes of [`parse`].
pub fn to_html(src: &str, opts: Options) -> String {
    with_separated(src, |sep| {
        let mut out = String::with_capacity(src.len() + src.len() / 2);
        push_html(
            &mut out,
            fixed_events(&sep.text, Some(sep), opts).into_iter(),
        );
        out
    })
}

/// Renders one line of inline Markdown (e.g. a list item's first line)
/// without the `<p>` wrapper. Block syntax at its start is still block
/// syntax: callers pass the text after a list marker, not the marker.
pub fn inline_to_html(src: &str, opts: Options) -> String {
    with_separated(src, |sep| {
        let mut out = String::with_capacity(src.len() + src.len() / 2);
        let events = (fixed_events(&sep.text, Some(sep), opts).into_iter()).filter(|event| {
            !matches!(
                event,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        push_html(&mut out, events);
        // A multi-paragraph input keeps the line breaks between its paragraphs.
        out.truncate(out.trim_end().len());
        out
    })
}

/// Plain text of inline Markdown: markup gone (the `**` of the CJK cases
/// too), code as its text, links as their text, raw HTML dropped, soft breaks
/// between Japanese characters dropped and other soft breaks a space.
/// `refs`: the definitions of the note `src` is part of.
pub fn to_plain_text(src: &str, refs: &LinkRefs) -> String {
    if is_plain_line(src) {
        return src.trim_end().to_string();
    }
    parsed_plain_text(src, refs)
}

/// [`to_plain_text`] by parsing, whatever `src` is.
fn parsed_plain_text(src: &str, refs: &LinkRefs) -> String {
    with_separated(src, |sep| {
        let mut plain = PlainText::default();
        // Plain text is the same with bare URLs linked or not; raw HTML must come as
        // `Html` events to be dropped.
        let opts = Options {
            bare_urls: BareUrls::Text,
            raw_html: RawHtml::Kept,
            refs: Some(refs),
        };
        for event in fixed_events(&sep.text, Some(sep), opts) {
            plain.push(&event);
        }
        plain.finish()
    })
}

/// [`to_plain_text`] of a run of events from [`parse`] with raw HTML allowed (raw HTML
/// must come as `Html` events to be dropped): a note's outline makes each section's
/// plain text from the one parse of the note.
#[derive(Default)]
pub struct PlainText {
    out: String,
}

impl PlainText {
    pub fn push(&mut self, event: &Event<'_>) {
        let out = &mut self.out;
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            // A tight item's text has no paragraph: end it where its sub-list starts,
            // or `ハッカソン(6h)` runs into `ミーティング` (and a search matches across).
            Event::Start(Tag::List(_)) if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }

    pub fn finish(mut self) -> String {
        self.out.truncate(self.out.trim_end().len());
        self.out
    }
}

/// Whether `src` is one line that Markdown reads as a paragraph of its own text, with
/// nothing to parse: no character that starts inline markup, an entity or an escape,
/// and no block marker at its start. Most task titles and tally lines are such lines,
/// and [`to_plain_text`] is asked for thousands of them in a build. (Bare URLs and
/// e-mail addresses are linked with their own text, so they may stay.)
pub(crate) fn is_plain_line(src: &str) -> bool {
    let bytes = src.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    // A space or tab first may be indentation (code); these start blocks.
    if matches!(
        first,
        b' ' | b'\t' | b'#' | b'>' | b'-' | b'+' | b'=' | b'|' | b':'
    ) {
        return false;
    }
    // An ordered list marker: digits, then `.` or `)`.
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && matches!(bytes.get(digits), Some(b'.' | b')')) {
        return false;
    }
    // More than one line is never one: found at once by memchr in a section's text.
    if memchr::memchr(b'\n', bytes).is_some() {
        return false;
    }
    // Over the whole line without a branch, which the compiler vectorises: a title
    // is nearly always plain, so stopping early saved nothing. Neighbouring markup
    // bytes are tested as ranges, which also take `=` and `^`: a line holding one
    // goes to the parser, which reads it the same.
    !bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20)
            | (b == b'!')
            | (b == b'&')
            | (b == b'*')
            // `<` `=` `>`
            | (b.wrapping_sub(b'<') < 3)
            // `[` `\` `]` `^` `_` `` ` ``
            | (b.wrapping_sub(b'[') < 6)
            // `~` and DEL
            | (b.wrapping_sub(b'~') < 2)
    })
}

/// The byte ranges of `src`'s outermost lists, in order: where [`parse`] starts and ends
/// them. Read by the parser alone: the Japanese fixes change inline text (emphasis, soft
/// breaks, links), never where a block starts or ends. The reference the lists a note's
/// parse records for its tasks sections (`Note::task_lists`) are tested against.
#[cfg(test)]
pub(crate) fn outer_lists(src: &str) -> Vec<Range<usize>> {
    let mut lists = Vec::new();
    let mut depth = 0usize;
    for (event, range) in pulldown_cmark::Parser::new_ext(src, cmark_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => {
                if depth == 0 {
                    lists.push(range);
                }
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    lists
}

/// The byte ranges of the code spans of a line of inline Markdown, backticks included.
pub fn code_spans(line: &str) -> Vec<Range<usize>> {
    // Most lines have no backtick, and need no parse.
    if memchr::memchr(b'`', line.as_bytes()).is_none() {
        return Vec::new();
    }
    pulldown_cmark::Parser::new_ext(line, cmark_options())
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_)))
        .map(|(_, range)| range)
        .collect()
}

/// Writes the HTML of an already-fixed event stream (from [`parse`]) to
/// `out`, so callers may rewrite events (images, say) before rendering. Every
/// HTML page is written here: a link or image whose destination
/// [`is_allowed_url`] refuses is written as its text (an image as its
/// description), never as an `href` or `src`.
pub fn push_html<'a>(out: &mut String, events: impl Iterator<Item = Event<'a>>) {
    pulldown_cmark::html::push_html(out, url::unwrap_blocked(events));
}

/// The link and image destinations in `src` that [`push_html`] writes as text,
/// with the byte offset in `src` of the link or image, for a warning at its line.
pub fn blocked_urls(src: &str) -> Vec<(String, usize)> {
    // A scheme ends in a colon, written as itself, an entity or after a backslash.
    if !src.contains([':', '&', '\\']) {
        return Vec::new();
    }
    parse(src, Options::default())
        .into_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !is_allowed_url(&dest_url) =>
            {
                Some((dest_url.into_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_tag_filter_takes_only_whole_tag_names_of_its_list() {
        let filter = |s: &str| tag_filter(CowStr::Borrowed(s)).to_string();
        for (html, want) in [
            ("<script>x</script>", "&lt;script>x&lt;/script>"),
            ("<SCRIPT\tsrc=a>", "&lt;SCRIPT\tsrc=a>"),
            ("<style/>", "&lt;style/>"),
            ("<textarea\n>", "&lt;textarea\n>"),
            ("</plaintext >", "&lt;/plaintext >"),
            // Longer names, a slash not closing the tag, a name at the very end.
            ("<scripts>", "<scripts>"),
            ("<titles> <xmp/x>", "<titles> <xmp/x>"),
            ("<iframe", "<iframe"),
            ("<b>bold</b> <details>", "<b>bold</b> <details>"),
        ] {
            assert_eq!(filter(html), want, "{html:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The shortcut gives what the parser gives, on lines made of everything that
        /// could make a difference: markup, entities, escapes, list and block markers,
        /// URLs, e-mail addresses, spaces of both widths, CJK text and punctuation.
        #[test]
        fn plain_lines_read_as_the_parser_reads_them(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "a", "Z", "1", "12", ".", ")", "(", " ", "  ", "\t", "\u{3000}", "学習", "。", "「", "」", "（", "）",
                "*", "**", "_", "~", "~~", "`", "[", "]", "!", "<", ">", "&", "&amp;", "\\", "#", "-", "+",
                "=", "|", ":", "@", "/", "https://example.com", "www.example.com", "a@b.co", "ftp://x.org",
                "%", "\"", "'", "?", "$", "^", "{", "}", "\u{0}", "\u{7f}", "\r", "\u{fffd}",
            ]), 0..12)
        ) {
            let line: String = pieces.concat();
            if is_plain_line(&line) {
                prop_assert_eq!(line.trim_end(), parsed_plain_text(&line, LinkRefs::NONE));
                prop_assert_eq!(parse(&line, Options::default()), parse_fully(&line, Options::default()));
                let text = Options { bare_urls: BareUrls::Text, ..Options::default() };
                prop_assert_eq!(parse(&line, text), parse_fully(&line, text));
            }
        }
    }

    #[test]
    fn a_notes_link_references_are_found_as_the_parser_finds_them() {
        let refs = LinkRefs::of(
            "- [a][]\n\n```\n[code]: /not-a-definition\n```\n\n\
             > [Quoted  Label]: /quoted \"Title\"\n\n[A]: /first\n[a]: /second\n",
        );
        assert_eq!(
            refs.get("a"),
            Some(("/first", "")),
            "the first definition wins"
        );
        assert_eq!(refs.get("QUOTED LABEL"), Some(("/quoted", "Title")));
        assert_eq!(refs.get("code"), None, "a code block defines nothing");
        assert!(LinkRefs::of("本文だけ [x] です").is_empty());
    }

    #[test]
    fn a_piece_of_a_note_links_the_references_defined_elsewhere_in_it() {
        let refs = LinkRefs::of("[ẞ]: /ss\n");
        let opts = Options {
            refs: Some(&refs),
            ..Options::default()
        };
        // Labels match by Unicode case folding (CommonMark's example with ẞ and SS).
        assert_eq!(
            inline_to_html("[ss]と[SS][]", opts),
            r#"<a href="/ss">ss</a>と<a href="/ss">SS</a>"#
        );
        assert_eq!(inline_to_html("[ss]", Options::default()), "[ss]");
        assert_eq!(to_plain_text("[見る][SS]", &refs), "見る");
    }

    /// [`parse`] with the separators always placed by the parse that finds the inline
    /// runs, never guessed.
    fn parse_exactly<'s>(src: &'s str, opts: Options) -> Vec<(Event<'s>, Range<usize>)> {
        source_events(
            src,
            &cjk_emphasis::separate_exactly(src, cmark_options()),
            opts,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Guessed separators give what exactly placed ones give, on texts where runs
        /// beside CJK punctuation fall in text, emphasis, code spans, code blocks and
        /// their info strings, link text, destinations and titles, images, tables,
        /// lists and quotes, and escapes.
        #[test]
        fn guessed_separators_parse_as_exact_ones(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "**「重要」**を", "これは**「重要」**", "_「a」_を", "を__（a）__", "~~「a」~~を",
                "**。**", "*「a」*b", "「a」**",
                "**", "*", "_", "__", "~~", "~", "「", "」", "。", "、", "重要", "を", "a", " ",
                "（", "）", "？", "\"", "`", "``", "\n", "\n\n", "    ", "```", "~~~", "- ", "> ",
                "| ", " |", "|---|", "[", "]", "](", ")", "](/a", "](http://x.jp/", " \"", "![",
                "(", "\\", "&amp;", "\u{fe0e}", "https://example.com/", "a@b.jp", "# ",
                "[^1]", "<", "]:", "<!--",
            ]), 0..40)
        ) {
            let text: String = pieces.concat();
            for raw_html in [RawHtml::Escaped, RawHtml::Filtered, RawHtml::Kept] {
                let opts = Options { raw_html, ..Options::default() };
                prop_assert_eq!(parse(&text, opts), parse_exactly(&text, opts), "{:?}", text);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The parser alone finds the outermost lists where the fixed parse has them,
        /// whatever the fixes do inside.
        #[test]
        fn outer_lists_are_where_the_fixed_parse_has_them(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "**「重要」**を", "_「a」_を", "~~「a」~~を", "**", "*", "_", "~~", "「", "」", "。",
                "重要", "a", " ", "\n", "\n\n", "    ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "```",
                "| ", "|---|", "[", "](", ")", "https://example.com/", "a@b.jp", "# ", "<", "<!--",
                "\\", "`", "（1h）", "- [ ] ", "---",
            ]), 0..40)
        ) {
            let text: String = pieces.concat();
            let mut fixed = Vec::new();
            let mut depth = 0usize;
            for (event, range) in parse(&text, Options::default()) {
                match event {
                    Event::Start(Tag::List(_)) => {
                        if depth == 0 {
                            fixed.push(range);
                        }
                        depth += 1;
                    }
                    Event::End(TagEnd::List(_)) => depth -= 1,
                    _ => {}
                }
            }
            prop_assert_eq!(outer_lists(&text), fixed, "{:?}", text);
        }
    }

    #[test]
    fn a_guessed_separator_out_of_inline_text_is_placed_again() {
        for src in [
            "`**「a」**を`",
            "```**「a」**を\nb\n```",
            "    **「a」**を",
            "[x](/a**「b」**を)",
            "[x](/a \"**「b」**を\")",
            "![**「b」**を](/a**「b」**を.png)",
        ] {
            let sep = cjk_emphasis::separate(src, cmark_options());
            assert!(sep.is_changed(), "{src}");
            fixed_events(&sep.text, Some(&sep), Options::default());
            assert!(!sep.confirmed(), "{src}");
            let opts = Options::default();
            assert_eq!(parse(src, opts), parse_exactly(src, opts), "{src}");
            assert!(!to_html(src, opts).contains("&lt;!----&gt;"), "{src}");
        }
        let link = parse("[x](/a**「b」**を)", Options::default());
        assert!(link.iter().any(|(event, _)| matches!(event,
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == "/a**「b」**を")));
    }

    #[test]
    fn a_guessed_separator_in_inline_text_is_kept() {
        let src = "これは**「重要」**です";
        let sep = cjk_emphasis::separate(src, cmark_options());
        fixed_events(&sep.text, Some(&sep), Options::default());
        assert!(sep.is_changed() && sep.confirmed());
        assert_eq!(
            to_html(src, Options::default()),
            "<p>これは<strong>「重要」</strong>です</p>\n"
        );
    }

    #[test]
    fn typical_task_titles_take_the_shortcut() {
        for line in [
            "RDS（MySQL 8.0）作成",
            "CORS の設定を調べる (2h)",
            "2025年5月9日まで",
        ] {
            assert!(is_plain_line(line), "{line}");
            assert_eq!(
                to_plain_text(line, LinkRefs::NONE),
                parsed_plain_text(line, LinkRefs::NONE)
            );
        }
        for line in ["作成  ", "作成\t", "作成\u{3000}", "a (1h) \t "] {
            let opts = Options::default();
            assert_eq!(parse(line, opts), parse_fully(line, opts), "{line:?}");
        }
        for line in [
            "1. 番号",
            "- 項目",
            "**強調**",
            "a_b",
            "# 見出し",
            " 字下げ",
            "&amp;",
        ] {
            assert!(!is_plain_line(line), "{line}");
        }
    }
}
