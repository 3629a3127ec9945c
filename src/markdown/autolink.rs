//! GFM extended autolinks: bare `http://`, `https://`, `ftp://` and `www.`
//! URLs and e-mail addresses in text become links, as the GFM spec's autolink
//! extension says, with the end of a URL found the Japanese way (see CJK.md,
//! defect 3): a URL ends at the first non-ASCII character, and may follow
//! Japanese text or a quote directly (GFM wants a space, `*`, `_`, `~` or `(`).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

type Item<'a> = (Event<'a>, Range<usize>);

/// Passes `events` on to `next` with the bare URLs in their text linked.
pub(crate) fn link_bare_urls<'a>(
    events: impl IntoIterator<Item = Item<'a>>,
    next: &mut impl FnMut(Event<'a>, Range<usize>),
) {
    let mut links = Autolinks::default();
    for (event, range) in events {
        links.push(event, range, next);
    }
    links.finish(next);
}

/// Turns bare URLs in text into links; text in code blocks, links and image
/// descriptions is left as it is. Events are pushed through it to the next stage; a
/// run of text is held until it ends.
#[derive(Default)]
struct Autolinks<'a> {
    /// The current run of adjacent text events: pulldown-cmark splits text at
    /// `_`, `*`, entities and escapes, and a URL may cross those splits.
    pieces: Vec<(CowStr<'a>, Range<usize>)>,
    /// The events of a run with URLs in it, kept for the next run.
    linked: Vec<Item<'a>>,
    in_code_block: bool,
    link_depth: usize,
}

impl<'a> Autolinks<'a> {
    /// Passes `event` on to `next`, after the text run it ends.
    fn push(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        next: &mut impl FnMut(Event<'a>, Range<usize>),
    ) {
        match event {
            Event::Text(text) if !self.in_code_block && self.link_depth == 0 => {
                self.pieces.push((text, range));
            }
            event => {
                self.observe(&event);
                self.finish(next);
                next(event, range);
            }
        }
    }

    /// Passes on the text run held, with its URLs linked.
    fn finish(&mut self, next: &mut impl FnMut(Event<'a>, Range<usize>)) {
        if self.pieces.is_empty() {
            return;
        }
        if !self.pieces.iter().any(|(t, _)| may_hold_url(t)) {
            for (text, range) in self.pieces.drain(..) {
                next(Event::Text(text), range);
            }
            return;
        }
        self.link_run();
        for (event, range) in self.linked.drain(..) {
            next(event, range);
        }
    }

    fn observe(&mut self, event: &Event<'a>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.link_depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.link_depth = self.link_depth.saturating_sub(1)
            }
            _ => {}
        }
    }

    /// Moves the held text run to `linked`, with its URLs linked.
    fn link_run(&mut self) {
        if self.pieces.len() == 1 {
            let (text, range) = self.pieces.pop().expect("one piece");
            if let CowStr::Borrowed(s) = text {
                // Zero-copy: every piece is a slice of the borrowed text.
                let exact = s.len() == range.len();
                let map = |x: usize| {
                    if exact {
                        range.start + x
                    } else if x == 0 {
                        range.start
                    } else {
                        range.end
                    }
                };
                link_into(s, &mut self.linked, |a, b| CowStr::Borrowed(&s[a..b]), map);
                return;
            }
            self.pieces.push((text, range));
        }
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(self.pieces.len());
        for (text, _) in &self.pieces {
            starts.push(joined.len());
            joined.push_str(text);
        }
        let pieces = std::mem::take(&mut self.pieces);
        let map = |x: usize| {
            let k = starts.partition_point(|&s| s <= x).saturating_sub(1);
            let (text, range) = &pieces[k];
            let into = x - starts[k];
            if text.len() == range.len() {
                range.start + into
            } else if into == 0 {
                range.start
            } else {
                range.end
            }
        };
        link_into(
            &joined,
            &mut self.linked,
            |a, b| CowStr::from(joined[a..b].to_owned()),
            map,
        );
    }
}

/// Whether any text event of the parse of `text` may hold an extended autolink. The
/// parser's text is a slice of `text` unless an entity (`&#64;`) or a backslash escape
/// made it: without those, a text event holds `://`, `www.` or `@` only where `text`
/// does.
pub(super) fn may_hold_urls(text: &str) -> bool {
    may_hold_url(text) || memchr::memchr2(b'&', b'\\', text.as_bytes()).is_some()
}

/// Whether `text` has anything that starts an extended autolink: `://`, `www.` or `@`.
/// One pass over the bytes that can begin one (three `contains` each set up a
/// substring search, for every text run of every parse).
pub(super) fn may_hold_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b':', b'w', b'@', bytes).any(|i| match bytes[i] {
        b'@' => true,
        b':' => bytes[i + 1..].starts_with(b"//"),
        _ => bytes[i + 1..].starts_with(b"ww."),
    })
}

/// Pushes `text` to `out` as text and links; `slice(a, b)` makes the string
/// of `text[a..b]`, `map` turns an offset in `text` into a source offset.
fn link_into<'a>(
    text: &str,
    out: &mut Vec<Item<'a>>,
    slice: impl Fn(usize, usize) -> CowStr<'a>,
    map: impl Fn(usize) -> usize,
) {
    let mut done = 0;
    let mut from = 0;
    while let Some(url) = find_url(text, from) {
        if url.start > done {
            out.push((
                Event::Text(slice(done, url.start)),
                map(done)..map(url.start),
            ));
        }
        let range = map(url.start)..map(url.end);
        let shown = slice(url.start, url.end);
        let found = &text[url.start..url.end];
        // A `www.` link is one whatever its path holds (`www.a.example/https://b`).
        let dest_url = if found.starts_with("www.") {
            CowStr::from(format!("http://{found}"))
        } else if found.contains("://") {
            shown.clone()
        } else {
            CowStr::from(format!("mailto:{found}"))
        };
        let link = Tag::Link {
            link_type: LinkType::Autolink,
            dest_url,
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        };
        out.push((Event::Start(link), range.clone()));
        out.push((Event::Text(shown), range.clone()));
        out.push((Event::End(TagEnd::Link), range));
        done = url.end;
        from = url.end;
    }
    if done < text.len() {
        out.push((
            Event::Text(slice(done, text.len())),
            map(done)..map(text.len()),
        ));
    }
}

/// The next extended autolink (URL or e-mail address) in `text` at or after `from`.
pub(crate) fn find_url(text: &str, from: usize) -> Option<Range<usize>> {
    let url = find_web_url(text, from);
    let mut at = from;
    // An address that a URL holds (`https://host.example/~me@x.y`) is part of the URL.
    while let Some(email) = find_email(text, at) {
        match &url {
            Some(u) if u.start <= email.start => return url,
            Some(u) if email.end > u.start => at = u.end,
            _ => return Some(email),
        }
    }
    url
}

/// The next e-mail address in `text` at or after `from`: letters, digits and
/// `.-_+` before an `@`, then dot-separated labels of letters, digits, `-`
/// and `_`, at least one dot, a trailing dot left out, not ending in `-` or `_`.
fn find_email(text: &str, mut from: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    // The local part starts at `from` at the earliest: what is before was linked
    // already (`a@b.coa@b.co` is one address, then `@b.co`).
    let floor = from;
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._-+".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b"._-".contains(&b);
    while from < bytes.len() {
        let at = from + bytes[from..].iter().position(|&b| b == b'@')?;
        from = at + 1;
        let start = at
            - bytes[floor..at]
                .iter()
                .rev()
                .take_while(|&&b| local(b))
                .count();
        let mut end = from + bytes[from..].iter().take_while(|&&b| domain(b)).count();
        while end > from && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let host = &text[from..end];
        if start == at || !host.contains('.') || host.split('.').any(str::is_empty) {
            continue;
        }
        if host.ends_with(['-', '_']) {
            continue;
        }
        return Some(start..end);
    }
    None
}

/// The next `http://`, `https://`, `ftp://` or `www.` URL in `text` at or after `from`.
fn find_web_url(text: &str, mut from: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    while from < bytes.len() {
        let i = from
            + bytes[from..]
                .iter()
                .position(|&b| matches!(b, b'h' | b'w' | b'f'))?;
        from = i + 1;
        let rest = &text[i..];
        let prev = if i == 0 { None } else { Some(bytes[i - 1]) };
        let host_start = if rest.starts_with("https://") {
            i + 8
        } else if rest.starts_with("http://") {
            i + 7
        } else if rest.starts_with("ftp://") {
            i + 6
        } else if rest.starts_with("www.") {
            // A `www.` inside a word or a path is not the start of a link.
            if prev.is_some_and(|b| b.is_ascii_alphanumeric() || b"./-@:&=?#%+".contains(&b)) {
                continue;
            }
            i
        } else {
            continue;
        };
        // `xhttp://` is no scheme GFM links.
        if prev.is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let host_end = host_start
            + bytes[host_start..]
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'))
                .unwrap_or(bytes.len() - host_start);
        // The path ends at whitespace, `<`, or any non-ASCII character: in
        // Japanese the sentence goes on right after a URL, with no space.
        let mut end = host_end
            + bytes[host_end..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'<' || !b.is_ascii())
                .unwrap_or(bytes.len() - host_end);
        end = trim_trailing(text, i, end);
        if end <= host_start || !is_valid_host(&text[host_start..host_end.min(end)]) {
            continue;
        }
        return Some(i..end);
    }
    None
}

/// Where a URL candidate `text[start..end]` really ends: without trailing
/// punctuation, an unbalanced `)`, or a trailing entity reference.
fn trim_trailing(text: &str, start: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    while end > start {
        let last = bytes[end - 1];
        if b"?!.,:*_~'\"".contains(&last) {
            end -= 1;
        } else if last == b')' {
            let url = &bytes[start..end];
            let open = url.iter().filter(|&&b| b == b'(').count();
            let close = url.iter().filter(|&&b| b == b')').count();
            if close > open {
                end -= 1;
            } else {
                break;
            }
        } else if last == b';' {
            let name = bytes[start..end - 1]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let amp = end - 1 - name;
            if name > 0 && amp > start && bytes[amp - 1] == b'&' {
                end = amp - 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    end
}

/// A GFM valid domain: dot-separated labels, at least one dot, and no
/// underscore in the last two labels.
fn is_valid_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && labels.iter().rev().take(2).all(|l| !l.contains('_'))
}

#[cfg(test)]
mod tests {
    use super::{find_url, may_hold_url};

    proptest::proptest! {
        #[test]
        fn may_hold_url_is_the_three_contains(s in "[:/w.@Wa あ]{0,12}") {
            let expected = s.contains("://") || s.contains("www.") || s.contains('@');
            proptest::prop_assert_eq!(may_hold_url(&s), expected);
        }
    }

    fn urls(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(r) = find_url(text, from) {
            found.push(&text[r.clone()]);
            from = r.end;
        }
        found
    }

    #[test]
    fn url_ends_at_japanese_text_and_trailing_punctuation() {
        assert_eq!(
            urls("両方で、https://api.saburo.xyz/、に"),
            ["https://api.saburo.xyz/"]
        );
        assert_eq!(
            urls("fetch(\"https://api.saburo.xyz/\")に"),
            ["https://api.saburo.xyz/"]
        );
        assert_eq!(
            urls("(https://example.com/a_(b))を"),
            ["https://example.com/a_(b)"]
        );
        assert_eq!(
            urls("詳細はwww.example.com/path?q=1。"),
            ["www.example.com/path?q=1"]
        );
        assert_eq!(
            urls("see https://a.example/x&amp; now"),
            ["https://a.example/x"]
        );
    }

    #[test]
    fn an_address_right_after_another_does_not_reuse_its_text() {
        assert_eq!(urls("a@b.coa@b.co"), ["a@b.coa"]);
        assert_eq!(urls("x a@b.co c@d.co"), ["a@b.co", "c@d.co"]);
    }

    #[test]
    fn email_addresses_and_ftp_urls() {
        assert_eq!(urls("連絡はfoo@bar.baz。"), ["foo@bar.baz"]);
        assert_eq!(
            urls("hello@mail+xyz.example isn't, hello+xyz@mail.example is"),
            ["hello+xyz@mail.example"]
        );
        assert_eq!(urls("a.b-c_d@a.b. a@b.c- a@b.c_"), ["a.b-c_d@a.b"]);
        assert_eq!(
            urls("https://host.example/~user@x.y a@b.cd"),
            ["https://host.example/~user@x.y", "a@b.cd"]
        );
        assert_eq!(urls("ftp://foo.bar.baz."), ["ftp://foo.bar.baz"]);
        assert!(urls("@b.c a@ a@b a@.c").is_empty());
    }

    #[test]
    fn an_address_an_entity_or_escape_makes_is_linked_like_a_written_one() {
        let opts = crate::markdown::Options::default();
        for src in ["連絡はa&#64;b.jpへ", "連絡はa\\@b.jpへ", "連絡はa@b.jpへ"] {
            assert!(super::may_hold_urls(src), "{src}");
            assert_eq!(
                crate::markdown::to_html(src, opts),
                "<p>連絡は<a href=\"mailto:a@b.jp\">a@b.jp</a>へ</p>\n",
                "{src}"
            );
        }
        assert!(!super::may_hold_urls("進捗(12:15時点)を共有 before_after"));
    }

    #[test]
    fn host_without_dot_is_no_link() {
        assert!(urls("http://localhost:8000/ は対象外").is_empty());
        assert!(urls("xhttps://a.example/ awww.b.example").is_empty());
        assert!(urls("https://a_b.exa_mple/").is_empty());
    }
}
