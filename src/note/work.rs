//! What a next step or a task is about: the identity that tells a step carried from
//! note to note is one step, and the words that tell a later task did it.

use chrono::NaiveDate;

use super::date;
use crate::text;

/// A step's or a task's identity and words, from its plain text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// A hash of its identity: its folded text without parentheses, dates and
    /// punctuation; equal for the same work written again with another deadline,
    /// other punctuation or full-width letters.
    pub key: u64,
    /// Hashes of its words outside parentheses, sorted: see [`Work::matches`].
    pub words: Box<[u32]>,
}

/// How a later task matches a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Match {
    /// The same identity: the step's text is the task's title.
    Same,
    /// One's words are all among the other's ([`Work::matches`]): probably the work.
    Similar,
}

impl Work {
    /// The work written as `plain` in a note of `note_date` (dates without a year are
    /// read against it).
    pub fn of(plain: &str, note_date: NaiveDate) -> Work {
        Work::of_folded(&text::fold(plain), note_date)
    }

    /// As [`Work::of`], given `text::fold` of the plain text (a task has it already).
    pub fn of_folded(folded: &str, note_date: NaiveDate) -> Work {
        let undated = without_dates(folded, note_date);
        Work {
            key: identity_hash(&identity_of(&undated)),
            words: words(&undated),
        }
    }

    /// How `task` matches this step, if it does. Conservative: a task is similar only
    /// when all the words of one are among the other's, they share at least two, and
    /// one of those is a name (Latin letters or katakana: `RDS`, `サブネット`) or they
    /// share three. "RDS（MySQL 8.0）作成" is then similar to "RDS（MySQL）をプライベート
    /// サブネットに作成する", while "作成" alone or "ECSサービス作成" against "ALB・ECSサービス・
    /// クラスターを作る" is not.
    pub fn matches(&self, task: &Work) -> Option<Match> {
        if self.key == task.key {
            return Some(Match::Same);
        }
        let shared: Vec<u32> = self
            .words
            .iter()
            .copied()
            .filter(|w| task.words.binary_search(w).is_ok())
            .collect();
        let contained = shared.len() == self.words.len().min(task.words.len());
        let names = shared.iter().any(|w| w & 1 == 1);
        (contained && shared.len() >= 2 && (names || shared.len() >= 3)).then_some(Match::Similar)
    }
}

/// The identity of folded text without its dates: letters and digits only, with a
/// trailing する/した cut (`作成する` and `作成` name the same work).
fn identity_of(undated: &str) -> String {
    // Runs of letters and digits are copied whole: a title is mostly such runs.
    let mut kept = String::with_capacity(undated.len());
    let mut run = 0;
    for (i, c) in undated.char_indices() {
        if !is_alphanumeric(c) {
            kept.push_str(&undated[run..i]);
            run = i + c.len_utf8();
        }
    }
    kept.push_str(&undated[run..]);
    for suffix in ["する", "した"] {
        if kept.ends_with(suffix) {
            kept.truncate(kept.len() - suffix.len());
            break;
        }
    }
    kept
}

/// `char::is_alphanumeric`, answered without its table lookup for ASCII, kana and
/// the common kanji, which are nearly all a note's letters: the lookup was a quarter
/// of the time a build spent on the work of tasks and steps.
fn is_alphanumeric(c: char) -> bool {
    match c {
        '\0'..='\x7f' => c.is_ascii_alphanumeric(),
        _ if text::is_kana_or_common_kanji(c) => true,
        _ => c.is_alphanumeric(),
    }
}

/// Folded text without its deadline and asides: a parenthesis goes whole (the
/// deadline `（2025/04/29までにメンバーへ共有）`, `（5/2の朝会で）`, or an aside such as
/// `(Datadogは2週間無料)`, which authors add and drop as they copy a step forward),
/// and a date outside one goes with a following `まで`/`までに` (`5/9までに終える`).
fn without_dates(folded: &str, note_date: NaiveDate) -> String {
    let out = outside_parentheses(folded);
    // A date starts with a digit, and folding made every digit ASCII: most titles
    // have none, and need no search.
    if !out.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    let mut bare = String::with_capacity(out.len());
    let mut from = 0;
    for (_, range) in date::dates_in(&out, note_date) {
        bare.push_str(&out[from..range.start]);
        let after = &out[range.end..];
        from = range.end
            + ["までに", "まで"]
                .iter()
                .find(|m| after.starts_with(*m))
                .map_or(0, |m| m.len());
    }
    bare.push_str(&out[from..]);
    bare
}

/// `folded` without its parenthesised parts (nested ones whole, an unclosed one to the
/// end); a `)` with none open stays. Parentheses are ASCII (folding made full-width
/// ones so), so the text outside them is copied by the run, found from the bytes.
fn outside_parentheses(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut depth = 0usize;
    let mut run = 0;
    for (i, b) in folded.bytes().enumerate() {
        match b {
            b'(' => {
                if depth == 0 {
                    out.push_str(&folded[run..i]);
                }
                depth += 1;
            }
            b')' if depth > 0 => {
                depth -= 1;
                run = i + 1;
            }
            _ => {}
        }
    }
    if depth == 0 {
        out.push_str(&folded[run..]);
    }
    out
}

/// The words of `undated`: runs of Latin letters and digits, of katakana, of kanji;
/// kana particles and punctuation separate them. Numbers and one-character words say
/// too little to count. A name's hash is odd, any other word's even.
fn words(undated: &str) -> Box<[u32]> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Latin,
        Katakana,
        Kanji,
        Other,
    }
    let class = |c: char| match c {
        'a'..='z' | '0'..='9' | '_' => Class::Latin,
        '\u{30a1}'..='\u{30fa}' | 'ー' => Class::Katakana,
        '\u{4e00}'..='\u{9fff}' | '々' => Class::Kanji,
        _ => Class::Other,
    };
    let mut out: Vec<u32> = Vec::new();
    // A word is a run of characters of one class, so it is a slice of `undated`:
    // (where it starts, its class).
    let mut word: (usize, Class) = (0, Class::Other);
    let mut flush = |(start, class): (usize, Class), end: usize| {
        if class == Class::Other {
            return;
        }
        let word = &undated[start..end];
        // More than one character, and not all digits.
        let informative =
            word.chars().nth(1).is_some() && !word.bytes().all(|b| b.is_ascii_digit());
        if informative {
            let name = matches!(class, Class::Latin | Class::Katakana);
            let hash = identity_hash(word) as u32;
            out.push((hash & !1) | u32::from(name));
        }
    };
    for (i, c) in undated.char_indices() {
        let c_class = class(c);
        if c_class != word.1 {
            flush(word, i);
            word = (i, c_class);
        }
    }
    flush(word, undated.len());
    out.sort_unstable();
    out.dedup();
    out.into_boxed_slice()
}

/// The hash that names a piece of work or a word. Only compared within one process, so
/// it need not be SipHash, which set up and finished for every word of every task and
/// step was most of the time spent finding a task's words.
fn identity_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_alphanumeric_test_agrees_with_the_standard_library_on_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{:?}", c);
        }
    }

    fn work(s: &str) -> Work {
        Work::of(s, NaiveDate::from_ymd_opt(2025, 5, 4).unwrap())
    }

    #[test]
    fn a_step_with_another_deadline_is_the_same_step() {
        let a = work("DB Migration用のタスク定義を作成する（5/9まで）");
        for other in [
            "DB Migration用のタスク定義を作成する（2025年5月9日まで）",
            "DB Migration用のタスク定義を作成する（2025-05-09）",
            "ＤＢ　Ｍｉｇｒａｔｉｏｎ用のタスク定義を作成する",
            "DB Migration用のタスク定義を作成する。",
            "DB Migration用のタスク定義を5/9までに作成する",
        ] {
            assert_eq!(a.key, work(other).key, "{other}");
        }
        assert_ne!(
            a.key,
            work("DB Migration用のLambdaを作成する（5/9まで）").key
        );
    }

    #[test]
    fn an_aside_in_parentheses_is_not_part_of_the_step() {
        assert_eq!(
            work("prod-vpc(本番環境用のVPC)を使用して構築する").key,
            work("prod-vpcを使用して構築する").key
        );
    }

    #[test]
    fn a_later_task_that_did_the_step_matches_it() {
        let step = work("RDS（MySQL）をプライベートサブネットに作成する（2025年5月5日）");
        assert_eq!(
            step.matches(&work("RDS（MySQL 8.0）作成")),
            Some(Match::Similar)
        );
        assert_eq!(
            work("デモデータ投入スクリプトを完成させる（5月23日まで）")
                .matches(&work("デモデータ投入スクリプトを完成させる")),
            Some(Match::Same)
        );
        assert_eq!(
            work("DB Migration用のタスク定義を作成する（2025年5月9日まで）")
                .matches(&work("DB Migration用のタスク定義（saburo-migrate）を作成")),
            Some(Match::Same),
            "an aside in the task does not make it another piece of work"
        );
    }

    #[test]
    fn a_task_sharing_a_verb_or_one_name_does_not_match() {
        let step = work("ALB・ACM（api.saburo.xyz用、東京リージョン）・ECSサービスを作成する（2025年5月7日まで）");
        for task in [
            "ECSクラスター・サービス作成",
            "作成",
            "ALB",
            "ミーティング",
            "infra",
        ] {
            assert_eq!(step.matches(&work(task)), None, "{task}");
        }
        assert_eq!(
            work("本番環境を作成する").matches(&work("本番環境の確認")),
            None,
            "one kanji word and no name"
        );
    }

    /// What `outside_parentheses` and `identity_of` did char by char before they
    /// copied runs.
    fn by_chars(folded: &str) -> (String, String) {
        let mut out = String::new();
        let mut depth = 0usize;
        for c in folded.chars() {
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        let mut kept: String = out.chars().filter(|c| c.is_alphanumeric()).collect();
        for suffix in ["する", "した"] {
            if kept.ends_with(suffix) {
                kept.truncate(kept.len() - suffix.len());
                break;
            }
        }
        (out, kept)
    }

    proptest::proptest! {
        #[test]
        fn copying_runs_keeps_what_the_char_by_char_walk_kept(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    '(', ')', '(', ')', 'a', 'Z', '7', ' ', '・', '、', 'す', 'る', 'し', 'た',
                    'ア', '作', '成', 'é', '\u{301}', '😀', '-', '/', '_',
                ]),
                0..40,
            )
        ) {
            let s: String = chars.into_iter().collect();
            let (out, kept) = by_chars(&s);
            let ours = outside_parentheses(&s);
            proptest::prop_assert_eq!(&ours, &out);
            proptest::prop_assert_eq!(identity_of(&ours), kept);
        }
    }
}
