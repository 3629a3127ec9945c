//! Dates: a note's own date from its file name or path, and due dates in next steps.

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::text;

/// The date in a note's file name: `2025-04-28.md`, `20250428.md`, `2025-04-28-anything.md`.
pub fn from_file_name(path: &Path) -> Option<NaiveDate> {
    let stem = path.file_stem()?.to_str()?;
    let bytes = stem.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        bytes
            .get(r)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    if digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && (bytes.len() == 10 || matches!(bytes[10], b'-' | b'_' | b'.'))
    {
        return NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d").ok();
    }
    if digits(0..8) && (bytes.len() == 8 || matches!(bytes[8], b'-' | b'_')) {
        return NaiveDate::parse_from_str(&stem[..8], "%Y%m%d").ok();
    }
    None
}

/// The date in a note's path: `2025/04/28.md` (year and month folders, day file).
pub fn from_path(path: &Path) -> Option<NaiveDate> {
    let day = path.file_stem()?.to_str()?;
    let mut parents = path.parent()?.iter().rev();
    let month = parents.next()?.to_str()?;
    let year = parents.next()?.to_str()?;
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(
        number(year, 4..=4)? as i32,
        number(month, 1..=2)?,
        number(day, 1..=2)?,
    )
}

/// The first due date written in `line`: `2025/04/29`, `2025-04-29`, `2025年4月29日`,
/// `5/7` or `5月7日`. A month/day without a year takes the year that puts it at most 60
/// days before the note's date and less than a year after that: a December note due
/// `1/10` means next January, a January note carrying `12/30` forward last December.
pub fn find_due(line: &str, note_date: NaiveDate) -> Option<NaiveDate> {
    dates_in(&text::nfkc(line), note_date)
        .next()
        .map(|(date, _)| date)
}

/// Every due date written in `s` (already NFKC), with the byte range it is written in.
pub fn dates_in(
    s: &str,
    note_date: NaiveDate,
) -> impl Iterator<Item = (NaiveDate, std::ops::Range<usize>)> + '_ {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let only: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < only.len() {
            let at = i;
            i += 1;
            if only[at].is_ascii_digit() && (at == 0 || !is_date_char(only[at - 1])) {
                if let Some((date, len)) = date_at(&only[at..], note_date) {
                    i = at + len;
                    let end = chars.get(at + len).map_or(s.len(), |&(b, _)| b);
                    return Some((date, chars[at].0..end));
                }
            }
        }
        None
    })
}

fn is_date_char(c: char) -> bool {
    c.is_ascii_digit() || c == '/' || c == '-' || c == '.'
}

/// Reads a run of digits; returns (value, digit count).
fn number(chars: &[char]) -> Option<(u32, usize)> {
    let n = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 4 {
        return None;
    }
    let value = chars[..n].iter().collect::<String>().parse().ok()?;
    Some((value, n))
}

/// How many days before the note's date a month/day may fall and still be read in
/// the note's year (a passed deadline); earlier, it is next year's.
const PASSED_DEADLINE_DAYS: u64 = 60;

/// The date that starts `chars`, and how many chars it takes.
fn date_at(chars: &[char], note_date: NaiveDate) -> Option<(NaiveDate, usize)> {
    let (first, n1) = number(chars)?;
    let sep = *chars.get(n1)?;
    let rest = &chars[n1 + 1..];
    let ends_clean = |end: usize| chars.get(end).is_none_or(|&c| !is_date_char(c));
    if n1 == 4 {
        // Year first.
        let (month, n2) = number(rest)?;
        let sep2 = *rest.get(n2)?;
        let (day, n3) = number(&rest[n2 + 1..])?;
        let end = n1 + 1 + n2 + 1 + n3;
        let len = match sep {
            '/' | '-' if sep2 == sep && n2 <= 2 && n3 <= 2 && ends_clean(end) => end,
            '年' if sep2 == '月' && chars.get(end) == Some(&'日') => end + 1,
            _ => return None,
        };
        return NaiveDate::from_ymd_opt(first as i32, month, day).map(|d| (d, len));
    }
    if n1 > 2 {
        return None;
    }
    let (day, n2) = number(rest)?;
    let end = n1 + 1 + n2;
    let len = match sep {
        '/' if n2 <= 2 && ends_clean(end) => end,
        '月' if n2 <= 2 && chars.get(end) == Some(&'日') => end + 1,
        _ => return None,
    };
    // The year that puts the date at most PASSED_DEADLINE_DAYS before the note and
    // less than a year after that: a deadline a few weeks past is one copied forward
    // with its step (`（5/3まで）` in the note of 5/10, `（12/30まで）` in the note of
    // 1/5), not one for next year; one further back is next year's (`1/10` in
    // December).
    let earliest = note_date - chrono::Days::new(PASSED_DEADLINE_DAYS);
    let date = [0, 1, -1]
        .into_iter()
        .filter_map(|years| NaiveDate::from_ymd_opt(note_date.year() + years, first, day))
        .find(|date| *date >= earliest && *date < earliest + chrono::Days::new(366))?;
    Some((date, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn file_names_carry_dates() {
        for (name, date) in [
            ("2025-04-28.md", "2025-04-28"),
            ("20250428.md", "2025-04-28"),
            ("2025-04-28-hackathon.md", "2025-04-28"),
            ("notes/2025-04-28.md", "2025-04-28"),
        ] {
            assert_eq!(
                from_file_name(&PathBuf::from(name)),
                Some(d(date)),
                "{name}"
            );
        }
        for name in [
            "2025-4-28.md",
            "diary.md",
            "2025-13-01.md",
            "202504281.md",
            "2025-02-30.md",
        ] {
            assert_eq!(from_file_name(&PathBuf::from(name)), None, "{name}");
        }
    }

    #[test]
    fn paths_carry_dates() {
        assert_eq!(
            from_path(&PathBuf::from("2025/04/28.md")),
            Some(d("2025-04-28"))
        );
        assert_eq!(
            from_path(&PathBuf::from("log/2025/4/8.md")),
            Some(d("2025-04-08"))
        );
        assert_eq!(from_path(&PathBuf::from("2025/04/notes.md")), None);
        assert_eq!(from_path(&PathBuf::from("28.md")), None);
    }

    #[test]
    fn due_dates_in_every_form() {
        let note = d("2025-04-28");
        for (line, due) in [
            (
                "API設計の修正をして最終版を完成させる（2025/04/29までにメンバーへ共有）",
                "2025-04-29",
            ),
            ("図を修正する（2025-04-30まで）", "2025-04-30"),
            ("2025年5月9日までに", "2025-05-09"),
            ("5/7までに", "2025-05-07"),
            ("5月7日まで", "2025-05-07"),
            ("１２／２４まで", "2025-12-24"),
            ("1/10まで", "2026-01-10"),
            ("4/1まで（書き写し）", "2025-04-01"),
            ("2/20まで", "2026-02-20"),
        ] {
            assert_eq!(find_due(line, note), Some(d(due)), "{line}");
        }
        // Across the new year, both ways: a step carried forward into January keeps
        // December's deadline (overdue), a December note's January one is next year's.
        for (note, line, due) in [
            ("2026-01-05", "12/30まで", "2025-12-30"),
            ("2026-02-20", "12/31まで", "2025-12-31"),
            ("2025-12-20", "1/10まで", "2026-01-10"),
            ("2025-12-20", "12/1まで", "2025-12-01"),
            ("2025-10-01", "9/1まで", "2025-09-01"),
            ("2025-10-01", "7/1まで", "2026-07-01"),
        ] {
            assert_eq!(find_due(line, d(note)), Some(d(due)), "{line} in {note}");
        }
    }

    #[test]
    fn numbers_that_are_not_dates() {
        let note = d("2025-04-28");
        for line in [
            "Datadogは2週間無料",
            "models/admin.py を修正",
            "13:25時点",
            "24/7で監視",
            "http://localhost:8000/",
            "v1.2.3",
            "2025/4",
            "3/4/5",
        ] {
            assert_eq!(find_due(line, note), None, "{line}");
        }
    }
}
