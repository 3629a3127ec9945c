//! Markdown of notes and pages → HTML for one output page: image URLs rewritten to
//! the copied files with their size, and an explainer's terms linked on first mention.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::markdown::{self, CowStr, Event, Tag, TagEnd};

/// A term and the explainer page it links to (URL relative to the site root).
#[derive(Clone, Debug)]
pub struct Term {
    pub word: String,
    /// The word, ASCII-lower-cased, for matching (offsets stay the same).
    pub key: String,
    pub url: String,
}

/// What rendering needs from the site: shared by every page, read-only but for the cache.
pub struct Renderer {
    pub content_dir: PathBuf,
    /// Explainer terms, longest first so `CORS設定` is not cut at `CORS` by a shorter term.
    pub terms: Vec<Term>,
    /// Where images may come from.
    folders: crate::load::Folders,
    /// Images by (folder of the page's source, destination as written), resolved and
    /// measured once per build.
    images: Mutex<HashMap<(PathBuf, String), Resolved>>,
    /// The words of the notice shown where an image cannot be: missing, refused.
    notices: (&'static str, &'static str),
}

/// An image resolved, with its size when it is a local file.
#[derive(Clone)]
pub struct Resolved {
    pub image: crate::load::Image,
    size: Option<(usize, usize)>,
}

/// Per-page state: where the page is and which terms it has linked already.
pub struct PageCtx<'a> {
    /// `../` for a page one folder deep, `` at the root.
    pub root: &'a str,
    /// Content-relative folder of the source file, for relative image paths.
    pub source_dir: &'a Path,
    pub raw_html: markdown::RawHtml,
    /// The link reference definitions of the note the Markdown is part of.
    pub refs: &'a markdown::LinkRefs,
    pub link_terms: bool,
    pub linked: Vec<String>,
}

impl Renderer {
    pub fn new(root: &Path, content_dir: PathBuf, mut terms: Vec<Term>, lang: &str) -> Renderer {
        terms.sort_by_key(|t| std::cmp::Reverse(t.key.len()));
        Renderer {
            folders: crate::load::Folders::new(root, &content_dir),
            content_dir,
            terms,
            images: Mutex::new(HashMap::new()),
            notices: if lang == "en" {
                ("Image not found", "Image not published")
            } else {
                ("画像が見つかりません", "公開できない画像です")
            },
        }
    }

    /// An image destination written in a file of `source_dir`, resolved (see
    /// [`crate::load::image`]) once per build.
    pub fn image(&self, dest: &str, source_dir: &Path) -> Resolved {
        let key = (source_dir.to_path_buf(), dest.to_string());
        if let Some(found) = self.images.lock().expect("image cache lock").get(&key) {
            return found.clone();
        }
        let image = crate::load::image(dest, source_dir, &self.folders);
        let size = match &image {
            crate::load::Image::Local { real, .. } => image_size(real),
            _ => None,
        };
        let resolved = Resolved { image, size };
        self.images
            .lock()
            .expect("image cache lock")
            .insert(key, resolved.clone());
        resolved
    }

    /// HTML of a Markdown fragment on a page.
    pub fn html(&self, src: &str, page: &mut PageCtx) -> String {
        let events = markdown::parse(
            src,
            markdown::Options {
                raw_html: page.raw_html,
                refs: Some(page.refs),
                ..markdown::Options::default()
            },
        );
        let mut out = String::with_capacity(src.len() * 3 / 2);
        let mut transformed = Vec::with_capacity(events.len());
        let mut iter = events.into_iter().map(|(e, _)| e);
        let mut in_link = 0usize;
        let mut in_heading = false;
        while let Some(event) = iter.next() {
            match event {
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let mut alt = String::new();
                    for inner in iter.by_ref() {
                        match inner {
                            Event::End(TagEnd::Image) => break,
                            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                            _ => {}
                        }
                    }
                    transformed.push(Event::Html(CowStr::from(
                        self.img_tag(&dest_url, &title, &alt, page),
                    )));
                }
                Event::Start(Tag::Link { .. }) => {
                    in_link += 1;
                    transformed.push(event);
                }
                Event::End(TagEnd::Link) => {
                    in_link = in_link.saturating_sub(1);
                    transformed.push(event);
                }
                Event::Start(Tag::Heading { .. }) => {
                    in_heading = true;
                    transformed.push(event);
                }
                Event::End(TagEnd::Heading(_)) => {
                    in_heading = false;
                    transformed.push(event);
                }
                Event::Text(text)
                    if page.link_terms && in_link == 0 && !in_heading && !self.terms.is_empty() =>
                {
                    self.link_terms(text, page, &mut transformed);
                }
                other => transformed.push(other),
            }
        }
        markdown::push_html(&mut out, transformed.into_iter());
        out
    }

    /// HTML of one inline line (a task title), without `<p>`.
    pub fn inline_html(&self, src: &str, page: &mut PageCtx) -> String {
        let html = self.html(src, page);
        let trimmed = html.trim_end();
        trimmed
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .unwrap_or(trimmed)
            .to_string()
    }

    fn img_tag(&self, dest: &str, title: &str, alt: &str, page: &PageCtx) -> String {
        let resolved = self.image(dest, page.source_dir);
        let src = match &resolved.image {
            crate::load::Image::Local { rel, .. } => format!("{}{}", page.root, media_url(rel)),
            // A `javascript:`, `data:`… source (however disguised): the description, as text.
            crate::load::Image::Remote | crate::load::Image::Missing { .. }
                if !markdown::is_allowed_url(dest) =>
            {
                return escape(alt)
            }
            crate::load::Image::Remote => dest.to_string(),
            // A visible notice naming the file, not a broken image: the author sees
            // what is wrong on the page itself (`check` says why).
            crate::load::Image::Missing { .. } => return self.notice(self.notices.0, dest),
            crate::load::Image::Refused(_) => return self.notice(self.notices.1, dest),
        };
        let mut tag = format!("<img src=\"{}\" alt=\"{}\"", escape(&src), escape(alt));
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape(title)));
        }
        if let Some((w, h)) = resolved.size {
            tag.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        tag.push_str(" loading=\"lazy\" decoding=\"async\">");
        tag
    }

    fn notice(&self, words: &str, dest: &str) -> String {
        format!(
            "<span class=\"missing-image\" role=\"note\">{}: <code>{}</code></span>",
            escape(words),
            escape(dest)
        )
    }

    fn link_terms<'a>(&self, text: CowStr<'a>, page: &mut PageCtx, out: &mut Vec<Event<'a>>) {
        let lower = text.to_ascii_lowercase();
        // The earliest mention of a term not yet linked on this page.
        let found = self
            .terms
            .iter()
            .filter(|t| !page.linked.contains(&t.key))
            .filter_map(|t| lower.find(&t.key).map(|i| (i, t)))
            .min_by_key(|(i, t)| (*i, usize::MAX - t.key.len()));
        let Some((i, term)) = found else {
            out.push(Event::Text(text));
            return;
        };
        page.linked.push(term.key.clone());
        let end = i + term.key.len();
        let (before, word, after) = (&text[..i], &text[i..end], &text[end..]);
        if !before.is_empty() {
            out.push(Event::Text(CowStr::from(before.to_string())));
        }
        out.push(Event::Html(CowStr::from(format!(
            "<a class=\"term\" href=\"{}{}\">{}</a>",
            page.root,
            escape(&term.url),
            escape(word)
        ))));
        if !after.is_empty() {
            self.link_terms(CowStr::from(after.to_string()), page, out);
        }
    }
}

/// Where a content file is copied in the site, as a URL relative to the root.
pub fn media_url(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    super::pages::href(&format!("media/{}", parts.join("/")))
}

/// HTML-escapes text for an attribute or element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out`. Read eight bytes at a time and copied by runs: every
/// page's text passes through here, and the five characters are ASCII, which in UTF-8
/// is never part of another character, so the runs between them are whole characters.
pub fn escape_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Most words of text hold none of the five: they are passed over whole.
        if let Some(word) = bytes
            .get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if !has_markup_byte(u64::from_le_bytes(word)) {
                at += 8;
                continue;
            }
        }
        let end = (at + 8).min(bytes.len());
        for (i, &b) in bytes.iter().enumerate().take(end).skip(at) {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            out.push_str(&s[copied..i]);
            out.push_str(entity);
            copied = i + 1;
        }
        at = end;
    }
    out.push_str(&s[copied..]);
}

/// Whether any of the eight bytes of `word` is `&`, `<`, `>`, `"` or `'`: a byte equal
/// to one of them is a zero byte of the word xor that byte repeated, which the
/// borrow of a subtraction finds without false alarms.
#[inline]
fn has_markup_byte(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    has_zero(word ^ (ONES * u64::from(b'&')))
        | has_zero(word ^ (ONES * u64::from(b'<')))
        | has_zero(word ^ (ONES * u64::from(b'>')))
        | has_zero(word ^ (ONES * u64::from(b'"')))
        | has_zero(word ^ (ONES * u64::from(b'\'')))
}

/// An image's width and height, from the first bytes of its file: one read, where
/// `imagesize::size` reads a header field at a time (a syscall each, for every
/// screenshot of every day page). A header that needs more (a JPEG whose size comes
/// after a large EXIF block), or a read that stopped short, is read by
/// `imagesize::size` itself.
fn image_size(path: &std::path::Path) -> Option<(usize, usize)> {
    use std::io::Read;
    // One `read`, not `read_to_end`: that asks again to be told of the end, a second
    // syscall for each of a log's thousands of small screenshots.
    let mut head = [0u8; HEADER_BYTES];
    let len = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    imagesize::blob_size(&head[..len])
        .or_else(|_| imagesize::size(path))
        .ok()
        .map(|s| (s.width, s.height))
}

/// Enough for PNG, GIF, WebP and most JPEG headers.
const HEADER_BYTES: usize = 4096;

#[cfg(test)]
mod tests {
    use super::{escape, image_size, HEADER_BYTES};
    use proptest::prelude::*;

    /// A PNG's signature and header chunk: all `image_size` reads of it.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    /// A JPEG whose size (its SOF0 segment) comes after an EXIF-sized APP1 segment of
    /// `exif` bytes.
    fn jpeg(width: u16, height: u16, exif: u16) -> Vec<u8> {
        let mut bytes = vec![0xff, 0xd8, 0xff, 0xe1];
        bytes.extend((exif + 2).to_be_bytes());
        bytes.extend(std::iter::repeat_n(0, usize::from(exif)));
        bytes.extend([0xff, 0xc0, 0, 17, 8]);
        bytes.extend(height.to_be_bytes());
        bytes.extend(width.to_be_bytes());
        bytes.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
        bytes
    }

    #[test]
    fn an_image_size_comes_from_its_header_however_far_in_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: Vec<u8>| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        // A screenshot: read whole in one go.
        assert_eq!(
            image_size(&file("shot.png", png(1280, 720))),
            Some((1280, 720))
        );
        // Its size within the first read, and past it (read again by the fallback).
        assert_eq!(
            image_size(&file("near.jpg", jpeg(640, 480, 100))),
            Some((640, 480))
        );
        let far = jpeg(800, 600, 3 * HEADER_BYTES as u16);
        assert!(far.len() > HEADER_BYTES);
        assert_eq!(image_size(&file("far.jpg", far)), Some((800, 600)));
        // Not an image, or not there: no size, and no panic.
        assert_eq!(image_size(&file("notes.png", b"<html>".to_vec())), None);
        assert_eq!(image_size(&dir.path().join("missing.png")), None);
    }

    /// The escape as HTML defines it, a character at a time: what `escape` must equal.
    fn escaped_by_chars(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn the_five_characters_become_entities_and_the_rest_stays() {
        assert_eq!(
            escape("<a href=\"x\">'学習' & ＆</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;学習&#39; &amp; ＆&lt;/a&gt;"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("&"), "&amp;");
    }

    proptest! {
        #[test]
        fn escaping_by_bytes_equals_escaping_by_characters(s in any::<String>()) {
            prop_assert_eq!(escape(&s), escaped_by_chars(&s));
        }

        #[test]
        fn escaping_japanese_and_markup_equals_escaping_by_characters(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "<", ">", "&", "\"", "'", "学習", "。", "＜", "＆", "a", " ", "\u{1F600}", "é",
            ]), 0..20)
        ) {
            let s = pieces.concat();
            prop_assert_eq!(escape(&s), escaped_by_chars(&s));
        }
    }
}
