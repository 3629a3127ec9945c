//! Durations as authors write them: `6h`, `1.5h`, `6 hours`, `45分`, `1時間30分`,
//! `48h 55m`, `90min`, full-width forms included. A clock time (`21:20`) never is one.

use crate::text;

/// Minutes in a written duration, or `None` when the whole string is not one.
///
/// The text is NFKC-normalised and lower-cased first, so `１．５ｈ` reads as `1.5h`.
/// Hours may have decimals (rounded to the nearest minute); minutes must be whole.
/// An hour part, if any, comes before a minute part. `1時間半` is 90.
pub fn parse(s: &str) -> Option<u32> {
    if cannot_start_with_a_digit(s) {
        return None;
    }
    parse_folded(&text::fold(s))
}

/// True when `s` folded cannot start with an ASCII digit, told from its first
/// character: one of ASCII other than a digit, kana or the common kanji is still that
/// after NFKC (with or without the marks after it). A task line is tried for hours at
/// each space, and nearly every tail starts so; folding each cost more than the rest
/// of reading the task.
fn cannot_start_with_a_digit(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(|c| (c.is_ascii() && !c.is_ascii_digit()) || text::is_kana_or_common_kanji(c))
}

/// [`parse`] of text already folded.
fn parse_folded(norm: &str) -> Option<u32> {
    let mut rest = norm;
    let mut hours: Option<f64> = None;
    let mut minutes: Option<u32> = None;
    while !rest.is_empty() {
        let (number, after) = take_number(rest)?;
        let after = after.trim_start();
        let (unit, after) = take_unit(after)?;
        match unit {
            Unit::Hours if hours.is_none() && minutes.is_none() => {
                hours = Some(number.parse().ok()?);
                // `1時間半`: half an hour, only straight after hours.
                if let Some(tail) = after.strip_prefix('半') {
                    minutes = Some(30);
                    rest = tail.trim_start();
                    continue;
                }
            }
            Unit::Minutes if minutes.is_none() && !number.contains('.') => {
                minutes = Some(number.parse().ok()?);
            }
            _ => return None,
        }
        rest = after.trim_start();
    }
    if hours.is_none() && minutes.is_none() {
        return None;
    }
    let from_hours = (hours.unwrap_or(0.0) * 60.0).round();
    if !from_hours.is_finite() || from_hours > u32::MAX as f64 / 2.0 {
        return None;
    }
    (from_hours as u32).checked_add(minutes.unwrap_or(0))
}

/// A day's minutes: more than this in one note is worth a warning.
pub const DAY_MINUTES: u32 = 24 * 60;

/// Adds minutes up without wrapping: a sum too large for `u32` stays at `u32::MAX`
/// (some 8,000 years), which the warnings about days over 24 h will already have named.
pub fn add_up(minutes: impl IntoIterator<Item = u32>) -> u32 {
    minutes.into_iter().fold(0, u32::saturating_add)
}

/// `minutes` as a share of `goal`, in percent rounded down, held at `u32::MAX`.
pub fn percent_of(minutes: u32, goal: u32) -> u32 {
    (u64::from(minutes) * 100 / u64::from(goal.max(1))).min(u64::from(u32::MAX)) as u32
}

/// True when `s` starts like a duration (a number then a time unit) without being one:
/// worth a warning, since the author meant hours that logsite cannot count. A sign
/// (`-3h`), an exponent (`1e9m`), more digits than logsite reads (`99999999999h`), an
/// approximation (`約1h`, `~1h`) or a range (`1〜2h`, `1-2h`) look like one.
pub fn looks_like_duration(s: &str) -> bool {
    let norm = text::fold(s);
    let approximate = norm.trim_start().trim_start_matches(['約', '~', '〜']);
    let approximate = approximate.strip_prefix("およそ").unwrap_or(approximate);
    let unsigned = approximate.trim_start().trim_start_matches(['-', '+', '−']);
    let number_end = |s: &str| {
        s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_' | 'e')))
            .unwrap_or(s.len())
    };
    if !unsigned.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut after = unsigned[number_end(unsigned)..].trim_start();
    // A range: the unit comes after its second number.
    if let Some(rest) = after.strip_prefix(['-', '~', '〜', '–', '−']) {
        let rest = rest.trim_start();
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            after = rest[number_end(rest)..].trim_start();
        }
    }
    take_unit(after).is_some() || after.starts_with("hrs") || after.starts_with('時')
}

enum Unit {
    Hours,
    Minutes,
}

fn take_number(s: &str) -> Option<(&str, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let number = &s[..end];
    let valid = !number.is_empty()
        && number.starts_with(|c: char| c.is_ascii_digit())
        && !number.ends_with('.')
        && number.matches('.').count() <= 1
        && number.len() <= 9;
    valid.then(|| (number, &s[end..]))
}

fn take_unit(s: &str) -> Option<(Unit, &str)> {
    // Longest spellings first, so `hours` is not read as `h` + `ours`.
    const UNITS: [(&str, bool); 12] = [
        ("hours", true),
        ("hour", true),
        ("hrs", true),
        ("hr", true),
        ("h", true),
        ("時間", true),
        ("minutes", false),
        ("minute", false),
        ("mins", false),
        ("min", false),
        ("m", false),
        ("分", false),
    ];
    for (name, is_hours) in UNITS {
        if let Some(rest) = s.strip_prefix(name) {
            // A unit must end the word: `6hx` is not a duration.
            if rest.starts_with(|c: char| c.is_alphabetic() && c.is_ascii()) {
                continue;
            }
            return Some((if is_hours { Unit::Hours } else { Unit::Minutes }, rest));
        }
    }
    None
}

/// Writes minutes the way the seed does: `6h`, `45m`, `48h 55m`.
pub fn format(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The early answer for text that cannot start with a digit is the one the
        /// whole reading gives.
        #[test]
        fn the_first_character_test_agrees_with_folding_and_reading(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    '1', '５', '.', 'h', 'm', ' ', '\u{3000}', '\u{a0}', '時', '間', '分', '半', 'か',
                    '\u{3099}', '\u{309b}', 'ア', 'ｱ', '①', '²', '㍱', 'Ｈ', 'a', '(', ')', '-', '\u{301}',
                ]),
                0..4,
            ),
            tail in proptest::sample::select(vec!["", "h", "5h", "時間", "分", ".5h", "0m", " 30m", "h 5m"]),
        ) {
            let s: String = chars.into_iter().chain(tail.chars()).collect();
            proptest::prop_assert_eq!(parse(&s), parse_folded(&text::fold(&s)), "{:?}", s);
        }
    }

    #[test]
    fn every_form_of_format_md_reads() {
        let cases = [
            ("6h", 360),
            ("1.5h", 90),
            ("6 hours", 360),
            ("6hr", 360),
            ("45m", 45),
            ("45 min", 45),
            ("45分", 45),
            ("1時間", 60),
            ("1時間30分", 90),
            ("1h30m", 90),
            ("1h 30m", 90),
            ("48h 55m", 2935),
            ("90min", 90),
            ("１．５ｈ", 90),
            ("６ｈ", 360),
            ("４５分", 45),
            ("2H", 120),
            ("1 hour", 60),
            ("30 minutes", 30),
            ("1時間半", 90),
            ("2hrs", 120),
            (" 3h ", 180),
            ("0.25h", 15),
        ];
        for (input, minutes) in cases {
            assert_eq!(parse(input), Some(minutes), "{input}");
        }
    }

    #[test]
    fn clock_times_and_prose_are_not_durations() {
        for input in [
            "21:20",
            "13:25",
            "13:25時点",
            "21:20頃",
            "Datadogは2週間無料",
            "",
            "h",
            "6",
            "1.5m",
            "30m 1h",
            "6h 6h",
            "6hx",
            "1..5h",
            ".5h",
            "5.h",
            "about 6h",
            "6h!",
            "2週間",
        ] {
            assert_eq!(parse(input), None, "{input:?}");
        }
    }

    #[test]
    fn near_misses_are_recognised_for_warnings() {
        assert!(looks_like_duration("2時間半くらい"));
        assert!(looks_like_duration("3hくらい"));
        assert!(!looks_like_duration("13:25時点"));
        assert!(!looks_like_duration("Datadogは2週間無料"));
        assert!(!looks_like_duration("5/9まで"));
        assert!(!looks_like_duration("1-2章"));
        for unreadable in [
            "-3h",
            "−3h",
            "1e9m",
            "12345678901234567890h",
            "1,5h",
            "約1h",
            "~1h",
            "〜30分",
            "およそ2時間",
            "1〜2h",
            "1-2h",
            "1 ~ 2 時間",
            "30-45min",
        ] {
            assert_eq!(parse(unreadable), None, "{unreadable}");
            assert!(looks_like_duration(unreadable), "{unreadable}");
        }
    }

    #[test]
    fn sums_of_huge_durations_stay_at_the_top() {
        let huge = parse("35791394h").expect("within the limit");
        assert_eq!(add_up([huge, huge, huge]), u32::MAX);
        assert_eq!(add_up([60, 30]), 90);
    }

    #[test]
    fn format_matches_the_seed() {
        assert_eq!(format(360), "6h");
        assert_eq!(format(2935), "48h 55m");
        assert_eq!(format(45), "45m");
        assert_eq!(format(0), "0m");
    }
}
