//! Text normalisation shared by every stage: the one place NFKC and case folding happen.

use unicode_normalization::UnicodeNormalization;

/// NFKC, then lower case, then trimmed: how headings, keys and titles are compared
/// (`ＣＯＲＳ` and `cors` are the same word; `１．５ｈ` reads as `1.5h`).
pub fn fold(s: &str) -> String {
    // Most text is already NFKC (plain kana, kanji, ASCII); the quick check skips
    // the decomposition that would otherwise dominate a large build.
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.trim().to_lowercase();
    }
    let nfkc: String = s.nfkc().collect();
    nfkc.trim().to_lowercase()
}

/// NFKC only: for reading numbers and units without losing case.
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
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
