//! Text normalisation shared by every stage: the one place NFKC and case folding happen.

use std::borrow::Cow;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC, then lower case, then trimmed: how headings, keys and titles are compared
/// (`ＣＯＲＳ` and `cors` are the same word; `１．５ｈ` reads as `1.5h`).
pub fn fold(s: &str) -> String {
    normalized(s).trim().to_lowercase()
}

/// NFKC only: for reading numbers and units without losing case.
pub fn nfkc(s: &str) -> String {
    normalized(s).into_owned()
}

/// `s` with every character XML 1.0 forbids (C0 controls but tab, line feed and
/// carriage return; U+FFFE, U+FFFF) and every control HTML calls a parse error (DEL,
/// C1) replaced by U+FFFD: a colour code pasted from a terminal (`ESC[31m`) would
/// otherwise make the feed invalid XML, which feed readers drop whole. Replaced, not
/// dropped, so the reader sees that something was there.
pub fn markup_safe(s: String) -> String {
    // Bytes first (most pages have no byte that could start one), then characters.
    let maybe = |b: &u8| {
        (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7F | 0xC2 | 0xEF)
    };
    if !s.as_bytes().iter().any(maybe) || !s.chars().any(is_forbidden_in_markup) {
        return s;
    }
    s.chars()
        .map(|c| {
            if is_forbidden_in_markup(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn is_forbidden_in_markup(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// NFKC, borrowing the text when it is normalised already.
fn normalized(s: &str) -> Cow<'_, str> {
    // Most text is already NFKC (plain kana, kanji, ASCII); the quick check skips
    // the decomposition that would otherwise dominate a large build.
    if s.chars().all(is_boundary) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalize_pieces(s))
    }
}

/// A character NFKC keeps as it is and never joins to what comes before it (quick
/// check Yes, combining class 0): the text before it and the text from it on normalise
/// apart as they would together (UAX #15, stable code points).
fn is_boundary(c: char) -> bool {
    c.is_ascii()
        || is_common_japanese(c)
        || (canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Kana, kanji and the commonest Japanese punctuation: all boundaries (a test checks
/// every one), answered without the quick check's table searches, which were an eighth
/// of a build's instructions.
fn is_common_japanese(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | 'ー' | '、' | '。' | '「' | '」' | '\u{4e00}'..='\u{9fff}')
}

/// NFKC of `s`, decomposing only the pieces that need it. A note that fails the quick
/// check usually does so for a few full-width brackets in pages of kana and kanji;
/// normalising all of it was a sixth of a build's instructions.
fn normalize_pieces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // s[..copied] is in `out`; `piece` is the last boundary at or after it; `dirty`
    // when something from `piece` on needs normalising.
    let (mut copied, mut piece, mut dirty) = (0, 0, false);
    for (i, c) in s.char_indices() {
        if !is_boundary(c) {
            dirty = true;
            continue;
        }
        if dirty {
            out.push_str(&s[copied..piece]);
            out.extend(s[piece..i].nfkc());
            (copied, dirty) = (i, false);
        }
        piece = i;
    }
    if dirty {
        out.push_str(&s[copied..piece]);
        out.extend(s[piece..].nfkc());
    } else {
        out.push_str(&s[copied..]);
    }
    out
}

/// A URL- and file-name-safe key for a title: folded, spaces and slashes to `-`.
/// Japanese is kept as it is (percent-encoding is the link's job), not romanised.
pub fn slug(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_alphanumeric() || crate::markdown::chars::is_cjk(c) || c == '_' || c == '.' {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with(['-', '.']) {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_check_gives_what_full_nfkc_gives() {
        for s in [
            "ＣＯＲＳ設定",
            " ¨x ",
            "ÅΣ ΣΑΣ",
            "ｶﾞｷﾞ①㍻",
            "\u{3000}東京\u{3000}",
            "plain",
            "１．５ｈ",
        ] {
            let full: String = s.nfkc().collect();
            assert_eq!(nfkc(s), full, "{s}");
            assert_eq!(fold(s), full.trim().to_lowercase(), "{s}");
        }
    }

    #[test]
    fn common_japanese_characters_are_boundaries() {
        let all = ('\u{3000}'..='\u{a000}').filter(|&c| is_common_japanese(c));
        let mut n = 0;
        for c in all {
            assert_eq!(canonical_combining_class(c), 0, "{c}");
            assert_eq!(is_nfkc_quick(std::iter::once(c)), IsNormalized::Yes, "{c}");
            n += 1;
        }
        assert!(n > 20_000, "{n}");
    }

    /// Characters where NFKC is subtle: half-width kana and their sound marks,
    /// combining marks out of order, Hangul jamo, Tibetan vowels that decompose into
    /// non-starters, compatibility forms, final sigma.
    fn tricky_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            prop::char::range('a', 'z'),
            prop::char::range('\u{3040}', '\u{30ff}'),
            prop::char::range('\u{ff01}', '\u{ffef}'),
            prop::char::range('\u{0300}', '\u{036f}'),
            prop::char::range('\u{3099}', '\u{309c}'),
            prop::char::range('\u{1100}', '\u{11ff}'),
            prop::char::range('\u{ac00}', '\u{ac40}'),
            prop::char::range('\u{0f71}', '\u{0f81}'),
            prop::char::range('\u{2460}', '\u{24ff}'),
            prop::char::range('\u{3300}', '\u{33ff}'),
            Just('Σ'),
            Just('Å'),
            Just('\u{3000}'),
            any::<char>(),
        ]
    }

    proptest::proptest! {
        #[test]
        fn normalising_in_pieces_is_normalising_the_whole(
            chars in proptest::collection::vec(tricky_char(), 0..24)
        ) {
            let s: String = chars.into_iter().collect();
            let full: String = s.nfkc().collect();
            proptest::prop_assert_eq!(nfkc(&s), full);
        }
    }
}
