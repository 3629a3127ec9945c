//! Text normalisation shared by every stage: the one place NFKC and case folding happen.

use std::borrow::Cow;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC, then lower case, then trimmed: how headings, keys and titles are compared
/// (`ＣＯＲＳ` and `cors` are the same word; `１．５ｈ` reads as `1.5h`).
pub fn fold(s: &str) -> String {
    lowercase(normalized(s).trim())
}

/// `s.to_lowercase()`, faster on Japanese: kana, kanji and the commonest punctuation
/// have no case, and are copied without the table search std makes for every
/// character beyond ASCII (a twentieth of a build's instructions went to it).
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    // Σ lowers to ς at the end of a word, by its neighbours: std knows that rule.
    if s.contains('Σ') {
        return s.to_lowercase();
    }
    // Characters lower-casing leaves alone (most of a Japanese text) are copied a run at
    // a time; ASCII is read by bytes, without decoding.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_uppercase() {
                out.push_str(&s[copied..i]);
                out.push(char::from(b.to_ascii_lowercase()));
                copied = i + 1;
            }
            i += 1;
            continue;
        }
        let run = common_japanese_run(bytes, i);
        if run > i {
            i = run;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let next = i + c.len_utf8();
        if !c.to_lowercase().eq([c]) {
            out.push_str(&s[copied..i]);
            out.extend(c.to_lowercase());
            copied = next;
        }
        i = next;
    }
    out.push_str(&s[copied..]);
    out
}

/// A reader of [`lowercase`]`(s)` that needs no copy of it: see [`read_lowercase`].
pub trait LowercaseReader {
    fn char(&mut self, c: char);

    /// A run of kana, kanji and common Japanese marks: each its own lower case, none
    /// ASCII or whitespace, each three bytes. Handed over whole, for a reader that can
    /// take them faster than a character at a time.
    fn japanese_run(&mut self, run: &str) {
        run.chars().for_each(|c| self.char(c));
    }
}

/// Feeds `reader` [`lowercase`]`(s)`: ASCII and other characters one at a time, runs of
/// kana and kanji whole, found from the bytes.
pub fn read_lowercase(s: &str, reader: &mut impl LowercaseReader) {
    // Σ lowers to ς at the end of a word, by its neighbours: std knows that rule.
    if s.contains('Σ') {
        return s.to_lowercase().chars().for_each(|c| reader.char(c));
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            reader.char(char::from(b.to_ascii_lowercase()));
            i += 1;
            continue;
        }
        let run = common_japanese_run(bytes, i);
        if run > i {
            reader.japanese_run(&s[i..run]);
            i = run;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        c.to_lowercase().for_each(|c| reader.char(c));
        i += c.len_utf8();
    }
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
    if !has_forbidden_in_markup(s.as_bytes()) {
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

/// [`markup_safe`] of UTF-8 `bytes` (a rendered page).
pub fn markup_safe_bytes(bytes: Vec<u8>) -> Vec<u8> {
    if !has_forbidden_in_markup(&bytes) {
        return bytes;
    }
    markup_safe(String::from_utf8_lossy(&bytes).into_owned()).into_bytes()
}

/// Whether UTF-8 `bytes` hold a character [`markup_safe`] replaces, from the bytes
/// alone: every page passes through here, and a Japanese page has a lead byte 0xEF
/// (full-width forms) on every line, so testing characters was most of its cost.
fn has_forbidden_in_markup(bytes: &[u8]) -> bool {
    // C0 controls and DEL: one pass without branches, which the compiler vectorises.
    let control = bytes.iter().fold(false, |any, &b| {
        any | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7F)
    });
    // C1 controls U+0080..=U+009F are C2 80..=C2 9F, and U+FFFE and U+FFFF are EF BF BE
    // and EF BF BF: their first bytes are searched for (memchr's vector search), and
    // are rare in a page (EF BF also starts ￥, EF BF A5).
    control
        || memchr::memchr_iter(0xC2, bytes).any(|i| matches!(bytes.get(i + 1), Some(0x80..=0x9F)))
        || memchr::memmem::find_iter(bytes, b"\xEF\xBF")
            .any(|i| matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
}

fn is_forbidden_in_markup(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// NFKC, borrowing the text when it is normalised already. Most text is (plain kana,
/// kanji, ASCII); where it is not, only the pieces that need it are decomposed. A note
/// that fails the quick check usually does so for a few full-width brackets in pages
/// of kana and kanji: normalising all of it was a sixth of a build's instructions.
pub fn normalized(s: &str) -> Cow<'_, str> {
    // s[..copied] is in `out`; `piece` is the last boundary at or after it; `dirty`
    // when something from `piece` on needs normalising. `out` is allocated only then.
    let mut out = String::new();
    let (mut copied, mut piece, mut dirty) = (0, 0, false);
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII is a run of boundaries, found by bytes without decoding.
        let japanese = || common_japanese_run(bytes, i);
        let (boundary, next, last) = if bytes[i].is_ascii() {
            let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
            (true, i + run, i + run - 1)
        } else if let run @ 1.. = japanese() - i {
            // So is a run of kana and kanji, found without decoding through `chars`.
            (true, i + run, i + run - 3)
        } else {
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            (is_boundary(c), i + c.len_utf8(), i)
        };
        if !boundary {
            dirty = true;
            i = next;
            continue;
        }
        if dirty {
            if out.capacity() == 0 {
                out.reserve(s.len());
            }
            out.push_str(&s[copied..piece]);
            push_nfkc(&mut out, &s[piece..i]);
            (copied, dirty) = (i, false);
        }
        piece = last;
        i = next;
    }
    if dirty {
        out.push_str(&s[copied..piece]);
        push_nfkc(&mut out, &s[piece..]);
    } else if copied == 0 {
        return Cow::Borrowed(s);
    } else {
        out.push_str(&s[copied..]);
    }
    Cow::Owned(out)
}

/// Appends NFKC of `piece`: a boundary (but at the start of a text) and the characters
/// after it that are not.
fn push_nfkc(out: &mut String, piece: &str) {
    let mut chars = piece.chars();
    match chars.next_back() {
        // The usual case, a full-width ASCII character (（, ？, ：) after a boundary, is
        // that ASCII character, which joins nothing before it: no decomposition.
        Some(c) if is_fullwidth_ascii(c) && chars.clone().all(is_boundary) => {
            out.push_str(chars.as_str());
            out.push(char::from((c as u32 - 0xfee0) as u8));
        }
        _ => out.extend(piece.nfkc()),
    }
}

/// U+FF01..=U+FF5E, whose NFKC is U+0021..=U+007E.
fn is_fullwidth_ascii(c: char) -> bool {
    matches!(c, '\u{ff01}'..='\u{ff5e}')
}

/// A character NFKC keeps as it is and never joins to what comes before it (quick
/// check Yes, combining class 0): the text before it and the text from it on normalise
/// apart as they would together (UAX #15, stable code points).
fn is_boundary(c: char) -> bool {
    c.is_ascii()
        || is_common_japanese(c)
        || (!is_fullwidth_ascii(c)
            && canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Kana, kanji and the commonest Japanese punctuation: all boundaries (a test checks
/// every one), answered without the quick check's table searches, which were an eighth
/// of a build's instructions.
#[inline]
fn is_common_japanese(c: char) -> bool {
    // Kanji by one range; the kana and marks, all in U+3000..=U+30FF, by one bit of a
    // table (eight range tests were 1.6% of a build's instructions).
    let code = c as u32;
    (0x4e00..=0x9fff).contains(&code)
        || code.wrapping_sub(0x3000) < 256 && in_kana_table(code - 0x3000)
}

/// Whether U+3000 + `offset` (below 256) is kana or one of the marks of
/// [`is_common_japanese`].
#[inline]
fn in_kana_table(offset: u32) -> bool {
    KANA_TABLE[(offset / 64) as usize] >> (offset % 64) & 1 == 1
}

/// Bit `n % 64` of word `n / 64` is set when U+3000 + `n` is hiragana (U+3041..=U+3096),
/// katakana (U+30A1..=U+30FA), ー, 、, 。, 「 or 」.
const KANA_TABLE: [u64; 4] = {
    let mut table = [0u64; 4];
    let mut n = 0;
    while n < 256 {
        let code = 0x3000 + n;
        if matches!(code, 0x3041..=0x3096 | 0x30a1..=0x30fa | 0x30fc | 0x3001 | 0x3002 | 0x300c | 0x300d)
        {
            table[(n / 64) as usize] |= 1 << (n % 64);
        }
        n += 1;
    }
    table
};

/// The end of the run of [`is_common_japanese`] characters from byte `i` of UTF-8
/// `bytes` (`i` when there is none). Each is three bytes, read here from the bytes
/// without decoding: they are most of a Japanese note, and NFKC and lower-casing pass
/// them by, so reading them was most of what those two cost.
#[inline]
fn common_japanese_run(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&[lead, second, third]) = bytes.get(i..i + 3) {
        let common = match lead {
            // U+5000..=U+9FFF: kanji.
            0xE5..=0xE9 => true,
            // U+4000..=U+4FFF: kanji from U+4E00, E4 B8 80.
            0xE4 => second >= 0xB8,
            // U+3000..=U+3FFF: kana and marks below U+3100 (second byte 80..=83).
            0xE3 => {
                let offset = u32::from(second & 0x3F) << 6 | u32::from(third & 0x3F);
                offset < 256 && in_kana_table(offset)
            }
            _ => false,
        };
        if !common {
            break;
        }
        i += 3;
    }
    i
}

/// Hiragana, katakana and the CJK unified ideographs of the basic block: nearly all a
/// note's Japanese letters. Each is a letter (Lo), has no case, and is its own NFKC
/// (kana may compose with a following sound mark, into kana), so readers of folded
/// text can answer for them without Unicode's tables.
#[inline]
pub fn is_kana_or_common_kanji(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fff}')
}

/// The longest slug in bytes: a file name may have 255 bytes, and 84 Japanese
/// characters already have 252.
pub const SLUG_MAX_BYTES: usize = 100;

/// Slugs that name a folder's own list page (`topics/index.html`, `kb/index.html`).
const RESERVED_SLUGS: [&str; 1] = ["index"];

/// A URL- and file-name-safe key for a title: folded, spaces and slashes to `-`.
/// Japanese is kept as it is (percent-encoding is the link's job), not romanised.
/// A slug longer than [`SLUG_MAX_BYTES`] is cut on a character boundary, and one that
/// would be a reserved name (`index`) kept whole: either way followed by `-` and a
/// short hash of the whole slug, so two long titles that share a beginning stay apart.
pub fn slug(s: &str) -> String {
    let plain = plain_slug(s);
    if !slug_is_changed(&plain) {
        return plain;
    }
    let mut cut = plain.len().min(SLUG_MAX_BYTES - 9);
    while !plain.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = plain[..cut].trim_end_matches(['-', '.']);
    format!("{head}-{:08x}", stable_hash(plain.as_bytes()) as u32)
}

/// True when [`slug`] gives `s` a hashed name rather than its plain one: a reserved
/// name (worth a warning) or a long one.
pub fn slug_is_reserved(s: &str) -> bool {
    RESERVED_SLUGS.contains(&plain_slug(s).as_str())
}

fn slug_is_changed(plain: &str) -> bool {
    plain.len() > SLUG_MAX_BYTES || RESERVED_SLUGS.contains(&plain)
}

/// FNV-1a: the same on every machine and every Rust release, since it names files
/// and URLs that readers bookmark.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn plain_slug(s: &str) -> String {
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

/// `s.lines()`, each line's end found by memchr: std's line search reads a character
/// at a time, about 200 instructions for a short line of a note, and notes are read by
/// lines in several places.
pub fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) else {
            // The last line, without a line end: a `\r` here is its own.
            return Some(std::mem::take(&mut rest));
        };
        let line = &rest[..end];
        rest = &rest[end + 1..];
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// `s` trimmed in place, without copying it: most text is trimmed already.
#[inline]
pub fn trimmed(mut s: String) -> String {
    s.truncate(s.trim_end().len());
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

/// Writes `n` in decimal, as `{}` does, without the formatting machinery: for
/// figures written by the ten thousand (dates in links, ids in the search index).
pub fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_in_place_is_what_trim_copies() {
        for s in [
            "",
            " ",
            "a",
            "  a b  ",
            "\u{3000}学習\u{3000}",
            "\n\t x\u{a0}",
            "é ",
        ] {
            assert_eq!(trimmed(s.to_string()), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn markup_safe_byte_test_agrees_with_the_characters() {
        // Every character the rule names, its neighbours, and the full-width forms
        // sharing their lead bytes, alone and among Japanese text.
        let edges = [
            0x00u32, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xBF,
            0xFF08, 0xFF5E, 0xFFBF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000,
        ];
        for c in edges.iter().filter_map(|&u| char::from_u32(u)) {
            let long = |at: usize| format!("{}{c}{}", "あ".repeat(at), "い".repeat(700));
            for text in [
                c.to_string(),
                format!("学習（{c}）です"),
                long(341),
                long(340),
                long(1000),
            ] {
                let expected = text.chars().any(is_forbidden_in_markup);
                assert_eq!(has_forbidden_in_markup(text.as_bytes()), expected, "{c:?}");
                assert_eq!(
                    markup_safe(text.clone()).contains('\u{FFFD}'),
                    expected || c == '\u{FFFD}'
                );
            }
        }
    }

    #[test]
    fn long_slugs_are_cut_on_a_character_boundary_and_stay_apart() {
        let title = "長".repeat(84);
        let (a, b) = (slug(&format!("{title}あ")), slug(&format!("{title}い")));
        assert!(
            a.len() <= SLUG_MAX_BYTES && b.len() <= SLUG_MAX_BYTES,
            "{a}"
        );
        assert_ne!(a, b);
        assert!(a.starts_with("長長長"));
        assert_eq!(slug("short title"), "short-title");
    }

    #[test]
    fn reserved_names_get_a_hashed_slug() {
        assert!(slug_is_reserved("Index"));
        assert_ne!(slug("index"), "index");
        assert!(slug("index").starts_with("index-"));
        assert_eq!(slug("indexes"), "indexes");
    }

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
    fn fullwidth_ascii_normalises_to_ascii() {
        for c in '\u{ff01}'..='\u{ff5e}' {
            let ascii = char::from((c as u32 - 0xfee0) as u8);
            assert_eq!(c.to_string().nfkc().collect::<String>(), ascii.to_string());
            assert_eq!(nfkc(&format!("学{c}習")), format!("学{ascii}習"));
        }
    }

    #[test]
    fn common_japanese_characters_have_no_case() {
        for c in ('\u{3000}'..='\u{a000}').filter(|&c| is_common_japanese(c)) {
            assert!(c.to_lowercase().eq([c]), "{c}");
        }
    }

    /// The table and the byte reading agree with the ranges, for every character.
    #[test]
    fn common_japanese_is_read_alike_from_characters_and_bytes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let listed = matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | 'ー' | '、' | '。' | '「' | '」' | '\u{4e00}'..='\u{9fff}');
            assert_eq!(is_common_japanese(c), listed, "{c:?}");
            let mut bytes = c.to_string().into_bytes();
            let run = if listed { bytes.len() } else { 0 };
            assert_eq!(common_japanese_run(&bytes, 0), run, "{c:?}");
            bytes.extend_from_slice("あ".as_bytes());
            assert_eq!(
                common_japanese_run(&bytes, 0),
                if listed { 6 } else { 0 },
                "{c:?}"
            );
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
            prop::char::range('A', 'Z'),
            prop::char::range(' ', '~'),
            prop::char::range('\u{4e00}', '\u{4e10}'),
            // The edges of the runs read by bytes: CJK symbols, the end of the kanji.
            prop::char::range('\u{3000}', '\u{303f}'),
            prop::char::range('\u{9ff0}', '\u{a00f}'),
            Just('ー'),
            Just('。'),
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

        /// What lets a day's text be normalised a section at a time: a line break is a
        /// boundary, whatever follows it.
        #[test]
        fn normalising_lines_apart_is_normalising_them_together(
            first in proptest::collection::vec(tricky_char(), 0..12),
            second in proptest::collection::vec(tricky_char(), 0..12),
        ) {
            let (a, b): (String, String) = (first.into_iter().collect(), second.into_iter().collect());
            let apart = format!("{}\n{}", normalized(&a), normalized(&b));
            let together = format!("{a}\n{b}");
            proptest::prop_assert_eq!(normalized(&together), apart);
        }

        #[test]
        fn lines_are_what_std_gives(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "\n", "\r", "\r\n", "a", "日本", " ", "- ", "#",
            ]), 0..24)
        ) {
            let s: String = pieces.concat();
            proptest::prop_assert_eq!(lines(&s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>());
        }

        #[test]
        fn lowercase_is_what_std_gives(
            chars in proptest::collection::vec(tricky_char(), 0..24)
        ) {
            let s: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(lowercase(&s), s.to_lowercase());
        }
    }
}
