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

/// Whether pulldown-cmark counts `c` as punctuation when it decides flanking:
/// CommonMark 0.31.2's Unicode punctuation (general categories P and S), as the
/// parser's own table has it. Exact for every code point (tested against the
/// parser): the emphasis fix must foresee what the parser will do, and a symbol it
/// missed (an emoji after `**`, as in `**最高😀**でした`) left that run unfixed.
pub(crate) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    let cp = c as u32;
    super::punctuation::RANGES
        .binary_search_by(|&(first, last)| {
            if last < cp {
                std::cmp::Ordering::Less
            } else if first > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
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

    /// Every code point that can be assigned: the Basic Multilingual Plane, the
    /// supplementary planes in use (1–3), and plane 14's variation selectors and tags.
    fn non_ascii_code_points() -> impl Iterator<Item = char> {
        (0x80..0x4_0000)
            .chain(0xe_0000..0xe_1000)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_whitespace())
    }

    #[test]
    fn punctuation_is_pulldown_cmarks_at_every_code_point() {
        let wrong: Vec<String> = non_ascii_code_points()
            .filter(|&c| is_punctuation(c) != pulldown_says_punctuation(c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(
            wrong.is_empty(),
            "pulldown-cmark disagrees at {} code points ({}…): regenerate src/markdown/punctuation.rs with \
             `cargo test --lib print_punctuation_table -- --ignored --nocapture`",
            wrong.len(),
            wrong[..wrong.len().min(10)].join(", ")
        );
    }

    /// Prints src/markdown/punctuation.rs from the parser's own answers, under the
    /// file's own heading.
    #[test]
    #[ignore = "a generator: run it by hand after upgrading pulldown-cmark"]
    fn print_punctuation_table() {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for c in non_ascii_code_points().filter(|&c| pulldown_says_punctuation(c)) {
            let cp = c as u32;
            match ranges.last_mut() {
                Some(last) if last.1 + 1 == cp => last.1 = cp,
                _ => ranges.push((cp, cp)),
            }
        }
        let file = include_str!("punctuation.rs");
        let heading = &file[..file.find("pub(crate) static").unwrap_or(0)];
        print!("{heading}");
        println!(
            "pub(crate) static RANGES: [(u32, u32); {}] = [",
            ranges.len()
        );
        for (first, last) in ranges {
            println!("    (0x{first:04x}, 0x{last:04x}),");
        }
        println!("];");
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
