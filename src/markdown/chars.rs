//! Character classes the Japanese fixes need: which code points count as CJK
//! (the commonmark-cjk-friendly definition) and which count as punctuation for
//! pulldown-cmark's flanking rules.

/// Whether `c` is a CJK character in the sense of the commonmark-cjk-friendly
/// specification (East Asian Width W, F or H and not an emoji, or Hangul),
/// as of Unicode 16.
pub(crate) fn is_cjk(c: char) -> bool {
    // Ranges from the specification's ranges.md (Unicode 16 snapshot).
    matches!(
        c as u32,
        0x1100..=0x11ff
            | 0x20a9
            | 0x2329..=0x232a
            | 0x2630..=0x2637
            | 0x268a..=0x268f
            | 0x2e80..=0x2e99
            | 0x2e9b..=0x2ef3
            | 0x2f00..=0x2fd5
            | 0x2ff0..=0x303e
            | 0x3041..=0x3096
            | 0x3099..=0x30ff
            | 0x3105..=0x312f
            | 0x3131..=0x318e
            | 0x3190..=0x31e5
            | 0x31ef..=0x321e
            | 0x3220..=0x3247
            | 0x3250..=0xa48c
            | 0xa490..=0xa4c6
            | 0xa960..=0xa97c
            | 0xac00..=0xd7a3
            | 0xd7b0..=0xd7c6
            | 0xd7cb..=0xd7fb
            | 0xf900..=0xfaff
            | 0xfe10..=0xfe19
            | 0xfe30..=0xfe52
            | 0xfe54..=0xfe66
            | 0xfe68..=0xfe6b
            | 0xff01..=0xffbe
            | 0xffc2..=0xffc7
            | 0xffca..=0xffcf
            | 0xffd2..=0xffd7
            | 0xffda..=0xffdc
            | 0xffe0..=0xffe6
            | 0xffe8..=0xffee
            | 0x16fe0..=0x16fe4
            | 0x16ff0..=0x16ff6
            | 0x17000..=0x18cd5
            | 0x18cff..=0x18d1e
            | 0x18d80..=0x18df2
            | 0x1aff0..=0x1aff3
            | 0x1aff5..=0x1affb
            | 0x1affd..=0x1affe
            | 0x1b000..=0x1b122
            | 0x1b132
            | 0x1b150..=0x1b152
            | 0x1b155
            | 0x1b164..=0x1b167
            | 0x1b170..=0x1b2fb
            | 0x1d300..=0x1d356
            | 0x1d360..=0x1d376
            | 0x1f200
            | 0x1f202
            | 0x1f210..=0x1f219
            | 0x1f21b..=0x1f22e
            | 0x1f230..=0x1f231
            | 0x1f237
            | 0x1f23b
            | 0x1f240..=0x1f248
            | 0x1f260..=0x1f265
            | 0x20000..=0x3fffd
    )
}

/// Whether `c` is Hangul (jamo, compatibility jamo, syllables, half-width
/// forms, or the won sign). Korean separates words with spaces, so a line
/// break between Hangul must stay a space.
fn is_hangul(c: char) -> bool {
    matches!(
        c as u32,
        0x1100..=0x11ff
            | 0x20a9
            | 0x3131..=0x318e
            | 0xa960..=0xa97c
            | 0xac00..=0xd7a3
            | 0xd7b0..=0xd7c6
            | 0xd7cb..=0xd7fb
            | 0xffa0..=0xffdc
    )
}

/// Whether a line break between two characters like `c` is no space in the
/// text: Chinese and Japanese (wide, full-width or half-width East Asian), not
/// Hangul.
pub(crate) fn joins_lines(c: char) -> bool {
    is_cjk(c) && !is_hangul(c)
}

/// A variation selector other than U+FE0F (the emoji one): the
/// specification lets `X` + selector count as `X` itself.
pub(crate) fn is_text_variation_selector(c: char) -> bool {
    matches!(c as u32, 0xfe00..=0xfe0e)
}

/// An ideographic variation selector (U+E0100–U+E01EF).
pub(crate) fn is_ideographic_variation_selector(c: char) -> bool {
    matches!(c as u32, 0xe0100..=0xe01ef)
}

/// Whether pulldown-cmark counts `c` as punctuation when it decides flanking.
///
/// Exact for ASCII and for every CJK character (checked against
/// pulldown-cmark in the tests); for other scripts it covers the common
/// blocks and errs towards "not punctuation", which at worst leaves a run as
/// CommonMark has it: a wrong "punctuation" could move a separator where it
/// changes a run CommonMark already got right.
pub(crate) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(
        c as u32,
        // Latin-1
        0xa1..=0xa9
            | 0xab..=0xac
            | 0xae..=0xb1
            | 0xb4
            | 0xb6..=0xb8
            | 0xbb
            | 0xbf
            | 0xd7
            | 0xf7
            // General punctuation, currency, arrows, maths, box drawing, dingbats
            | 0x2010..=0x2027
            | 0x2030..=0x205e
            | 0x20a0..=0x20c0
            | 0x2190..=0x2328
            | 0x2329..=0x232a
            | 0x232b..=0x2426
            | 0x2500..=0x2775
            | 0x2794..=0x2b73
            | 0x2e00..=0x2e2e
            | 0x2e30..=0x2e5d
            // CJK punctuation and symbols
            | 0x2e80..=0x2e99
            | 0x2e9b..=0x2ef3
            | 0x2f00..=0x2fd5
            | 0x2ff0..=0x3004
            | 0x3008..=0x3020
            | 0x3030
            | 0x3036..=0x3037
            | 0x303d..=0x303e
            | 0x309b..=0x309c
            | 0x30a0
            | 0x30fb
            | 0x3190..=0x3191
            | 0x3196..=0x319f
            | 0x31c0..=0x31e3
            | 0x31ef
            | 0x3200..=0x321e
            | 0x322a..=0x3247
            | 0x3250
            | 0x3260..=0x327f
            | 0x328a..=0x32b0
            | 0x32c0..=0x33ff
            | 0x4dc0..=0x4dff
            | 0xa490..=0xa4c6
            | 0xfe10..=0xfe19
            | 0xfe30..=0xfe52
            | 0xfe54..=0xfe66
            | 0xfe68..=0xfe6b
            | 0xff01..=0xff0f
            | 0xff1a..=0xff20
            | 0xff3b..=0xff40
            | 0xff5b..=0xff65
            | 0xffe0..=0xffe6
            | 0xffe8..=0xffee
            | 0x16fe2
            | 0x1d300..=0x1d356
            | 0x1f200
            | 0x1f202
            | 0x1f210..=0x1f219
            | 0x1f21b..=0x1f22e
            | 0x1f230..=0x1f231
            | 0x1f237
            | 0x1f23b
            | 0x1f240..=0x1f248
            | 0x1f260..=0x1f265
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether pulldown-cmark itself takes `c` as punctuation: `*` before a
    /// punctuation character after a letter is not left-flanking.
    fn pulldown_says_punctuation(c: char) -> bool {
        let src = format!("x*{c}y*");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&src));
        !html.contains("<em>")
    }

    #[test]
    fn punctuation_agrees_with_pulldown_cmark() {
        for cp in (0x80..0x3_0000).chain(0x3_0000..0x3_0010) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if c.is_whitespace() {
                continue;
            }
            let ours = is_punctuation(c);
            if ours || is_cjk(c) {
                // Never punctuation where pulldown-cmark disagrees, and exact for CJK.
                assert_eq!(ours, pulldown_says_punctuation(c), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn ascii_punctuation_is_exact() {
        for c in (0x21u8..0x7f)
            .map(char::from)
            .filter(|c| !matches!(c, '*' | '\\' | '`' | '<' | '[' | '!' | '&' | '_' | '~'))
        {
            assert_eq!(is_punctuation(c), pulldown_says_punctuation(c), "{c:?}");
        }
    }

    #[test]
    fn kana_and_kanji_join_lines_hangul_does_not() {
        assert!(joins_lines('の') && joins_lines('デ') && joins_lines('漢') && joins_lines('、'));
        assert!(!joins_lines('한') && !joins_lines('a') && !joins_lines('é'));
    }
}
