//! Which link and image destinations are published as links: a note is untrusted
//! input and its site is opened by mentors, so `javascript:`, `vbscript:`, `data:`
//! and every other scheme not on the allow-list is written as text, never as an
//! `href` or `src`.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The schemes a link or image may have: the web, mail and phone, and `ftp`
/// (GFM links bare `ftp://` URLs). A URL without a scheme (relative, `#fragment`,
/// `//host/path`) is always allowed.
pub const ALLOWED_SCHEMES: [&str; 5] = ["http", "https", "mailto", "tel", "ftp"];

/// Whether `url` (as it will be written into `href`/`src`) may be published as a
/// link. The scheme is read as a browser reads it: leading and trailing control
/// characters and spaces stripped, tabs and line breaks inside removed, any case,
/// so `\u{1}  Java\tScript:alert(1)` is `javascript:`.
pub fn is_allowed_url(url: &str) -> bool {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match scheme(&cleaned) {
        None => true,
        Some(s) => ALLOWED_SCHEMES.iter().any(|a| s.eq_ignore_ascii_case(a)),
    }
}

/// What `check` says about a link or image whose destination is written as text.
pub fn blocked_url_message(url: &str) -> String {
    // Escaped and cut: the destination may hold control characters or be long.
    let shown: String = url
        .chars()
        .take(40)
        .flat_map(char::escape_default)
        .collect();
    format!(
        "link to `{shown}` is written as text, not as a link: only {} and relative URLs are linked",
        ALLOWED_SCHEMES.join(", ")
    )
}

/// The scheme of `url` if it starts with one (`letter (letter | digit | + - .)* :`).
fn scheme(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let s = &url[..end];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(s)
}

/// `events` with every link and image whose destination is not allowed unwrapped:
/// a link's text stays as text, an image's description becomes text.
pub(crate) fn unwrap_blocked<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    // One entry per open link or image: whether its start was dropped.
    let mut dropped: Vec<bool> = Vec::new();
    events.filter(move |event| match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let blocked = !is_allowed_url(dest_url);
            dropped.push(blocked);
            !blocked
        }
        Event::End(TagEnd::Link | TagEnd::Image) => !dropped.pop().unwrap_or(false),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::is_allowed_url;

    #[test]
    fn script_schemes_are_blocked_in_any_disguise() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}\u{1f} javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml,x",
            "file:///etc/passwd",
        ] {
            assert!(!is_allowed_url(url), "{url:?}");
        }
    }

    #[test]
    fn web_mail_phone_and_relative_urls_are_allowed() {
        for url in [
            "https://example.com/",
            "HTTP://example.com/",
            "mailto:a@b.example",
            "tel:+81-3-0000-0000",
            "ftp://foo.bar.baz",
            "../2025/05/01/",
            "#top",
            "",
            "//cdn.example/x.png",
            "a/b:c",
            "?q=javascript:x",
        ] {
            assert!(is_allowed_url(url), "{url:?}");
        }
    }
}
