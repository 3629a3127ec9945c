//! Text normalisation shared by every stage: the one place NFKC and case folding happen.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// NFKC, then lower case, then trimmed: how headings, keys and titles are compared
/// (`ＣＯＲＳ` and `cors` are the same word; `１．５ｈ` reads as `1.5h`).
pub fn fold(s: &str) -> String {
    normalized(s).trim().to_lowercase()
}

/// NFKC only: for reading numbers and units without losing case.
pub fn nfkc(s: &str) -> String {
    normalized(s).into_owned()
}

/// NFKC, borrowing the text when it is normalised already.
fn normalized(s: &str) -> Cow<'_, str> {
    // Most text is already NFKC (plain kana, kanji, ASCII); the quick check skips
    // the decomposition that would otherwise dominate a large build.
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    }
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
}
