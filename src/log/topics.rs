//! Topics: which days, learnings and problems mention CORS, CloudFront, … computed once.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::Day;
use crate::markdown;
use crate::text::{self, fold};

/// One topic and where it is mentioned.
#[derive(Clone, Debug)]
pub struct Topic {
    /// As configured or tagged (`CloudFront`, `キャッシュ`).
    pub name: String,
    /// File-name key: the folded name, Japanese kept.
    pub slug: String,
    /// Indices into `Log::days` of days that mention it, in date order.
    pub days: Vec<usize>,
    /// (day index, learning index) pairs.
    pub learnings: Vec<(usize, usize)>,
    /// (day index, problem index) pairs.
    pub problems: Vec<(usize, usize)>,
}

impl Topic {
    pub fn url(&self) -> String {
        format!("topics/{}.html", self.slug)
    }
}

/// True when `haystack` (folded) mentions `word` (folded) as a word: an ASCII word
/// must not continue into more ASCII letters or digits (`S3` is not in `S3x`), while a
/// neighbouring Japanese character is a boundary (`ECSタスク` mentions ECS).
pub fn mentions(haystack: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(i) = haystack[from..].find(word) {
        let start = from + i;
        if is_mention(haystack, start..start + word.len()) {
            return true;
        }
        from = start + word.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Whether the word found at `at` in `haystack` is one in the sense of [`mentions`].
fn is_mention(haystack: &str, at: std::ops::Range<usize>) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let word = &haystack[at.clone()];
    let before = haystack[..at.start].chars().next_back();
    let after = haystack[at.end..].chars().next();
    let left_ok = !word.starts_with(is_word) || !before.is_some_and(is_word);
    let right_ok = !word.ends_with(is_word) || !after.is_some_and(is_word);
    left_ok && right_ok
}

/// [`mentions`] for many words at once: one pass over a text finds every word, where
/// asking word by word reads the text once per topic name or explainer term.
pub struct WordFinder {
    /// Over the distinct non-empty words; `None` when there are none.
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each distinct word, the indices of the words given that equal it.
    positions: Vec<Vec<usize>>,
    /// Each distinct word's index into `positions`: a day's tags are looked up, not
    /// compared with every topic's name.
    distinct: HashMap<String, usize>,
    /// The indices of the empty words given, which the automaton leaves out.
    empty: Vec<usize>,
}

impl WordFinder {
    /// A finder for the folded `words`.
    pub fn new(words: &[String]) -> WordFinder {
        let mut distinct: Vec<&str> = Vec::new();
        let mut positions: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut empty = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if word.is_empty() {
                empty.push(i);
                continue;
            }
            let d = *index.entry(word.clone()).or_insert_with(|| {
                distinct.push(word);
                positions.push(Vec::new());
                distinct.len() - 1
            });
            positions[d].push(i);
        }
        // Standard matching, so that every occurrence of every word is reported,
        // overlapping ones too: `mentions` looks at each occurrence in turn.
        let automaton = (!distinct.is_empty()).then(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(&distinct)
                .expect("a few thousand words fit the automaton's limits")
        });
        WordFinder {
            automaton,
            positions,
            distinct: index,
            empty,
        }
    }

    /// The indices of the words given that equal `word`.
    pub fn positions_of(&self, word: &str) -> &[usize] {
        if word.is_empty() {
            return &self.empty;
        }
        self.distinct.get(word).map_or(&[], |&d| &self.positions[d])
    }

    /// For each word given to [`WordFinder::new`], whether folded `haystack`
    /// [`mentions`] it.
    #[cfg(test)]
    pub fn find(&self, haystack: &str) -> Vec<bool> {
        let words = self.empty.len() + self.positions.iter().map(Vec::len).sum::<usize>();
        let mut found = vec![false; words];
        let Some(automaton) = &self.automaton else {
            return found;
        };
        let mut seen = vec![false; self.positions.len()];
        for m in automaton.find_overlapping_iter(haystack) {
            let d = m.pattern().as_usize();
            if !seen[d] && is_mention(haystack, m.range()) {
                seen[d] = true;
                for &i in &self.positions[d] {
                    found[i] = true;
                }
            }
        }
        found
    }

    /// The indices of the words folded `haystack` [`mentions`], ascending: in time
    /// of the text and what it mentions, not of all the words (a log tagging each day
    /// differently has as many topics as days, and each day was checked against all).
    pub fn found(&self, haystack: &str) -> Vec<usize> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut distinct: Vec<usize> = (automaton.find_overlapping_iter(haystack))
            .filter(|m| is_mention(haystack, m.range()))
            .map(|m| m.pattern().as_usize())
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut found: Vec<usize> = (distinct.iter())
            .flat_map(|&d| self.positions[d].iter().copied())
            .collect();
        found.sort_unstable();
        found
    }
}

/// A day's published text, folded once for every matcher (topics, knowledge base,
/// explainer mentions, search) instead of once per topic.
#[derive(Clone, Debug)]
pub struct FoldedDay {
    /// Every published section. A cold build empties it once the day's topic mentions
    /// and explainer terms are found (`Site::relate_streamed`); only serve's cache keeps it.
    pub text: String,
    /// Each learning with its details.
    pub learnings: Vec<String>,
    /// Each problem's title with its details.
    pub problems: Vec<String>,
}

impl FoldedDay {
    /// `text` is the day's note text ([`crate::note::Note::read_text`]).
    pub fn new(day: &Day, text: &str) -> FoldedDay {
        FoldedDay::of_sections(day, text, &section_texts(day, text))
    }

    /// As [`FoldedDay::new`], given the day's [`section_texts`].
    pub fn of_sections(day: &Day, text: &str, sections: &SectionTexts) -> FoldedDay {
        FoldedDay {
            text: day_text(day, sections),
            learnings: day
                .note
                .learnings
                .iter()
                .map(|l| {
                    let own = l.text(text, &day.note.link_refs);
                    fold(&format!("{own}\n{}", l.details(text).join("\n")))
                })
                .collect(),
            problems: day
                .note
                .problems
                .iter()
                .map(|p| {
                    let details: Vec<&str> = p.details.iter().map(|d| d.line.of(text)).collect();
                    fold(&format!("{}\n{}", p.title, details.join("\n")))
                })
                .collect(),
        }
    }
}

/// The plain text of each of a day's sections (parallel to its sections) and its NFKC:
/// what topics and search read. Parsing the Markdown and normalising the text are most
/// of what either costs, so a build makes these once for both where it can.
pub struct SectionTexts<'d> {
    pub plain: Cow<'d, [String]>,
    /// NFKC of each of `plain`; `None` where that is the plain text itself.
    nfkc: Vec<Option<String>>,
}

impl SectionTexts<'_> {
    /// NFKC of the `i`th section's plain text.
    pub fn nfkc(&self, i: usize) -> &str {
        self.nfkc[i].as_deref().unwrap_or(&self.plain[i])
    }
}

/// The [`SectionTexts`] of a day, from the day's note text.
pub fn section_texts<'d>(day: &'d Day, note_text: &str) -> SectionTexts<'d> {
    let plain = match &day.note.section_plain {
        Some(plain) => Cow::Borrowed(plain.as_slice()),
        None => Cow::Owned(
            day.note
                .sections
                .iter()
                .map(|section| {
                    markdown::to_plain_text(section.markdown(note_text), &day.note.link_refs)
                })
                .collect(),
        ),
    };
    let nfkc = plain
        .iter()
        .map(|p| match text::normalized(p) {
            Cow::Borrowed(_) => None,
            Cow::Owned(changed) => Some(changed),
        })
        .collect();
    SectionTexts { plain, nfkc }
}

/// Plain, folded text of everything a day publishes, from its [`section_texts`]: `fold`
/// of the sections' headings and text a line each, with each section's NFKC made once
/// (a line break is an NFKC boundary, so the lines normalise apart as together).
fn day_text(day: &Day, sections: &SectionTexts) -> String {
    let mut text = String::new();
    for (i, section) in day.note.sections.iter().enumerate() {
        if let Some(h) = &section.heading {
            text.push_str(&text::normalized(h));
            text.push('\n');
        }
        text.push_str(sections.nfkc(i));
        text.push('\n');
    }
    text::lowercase(text.trim())
}

/// Which topics one day mentions, by index into the topic names it was found for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayMentions {
    /// Topics the day's text mentions or its tags name, ascending.
    topics: Vec<usize>,
    /// (topic, learning index) for each learning mentioning a topic the day mentions.
    learnings: Vec<(usize, usize)>,
    /// (topic, problem index), likewise.
    problems: Vec<(usize, usize)>,
}

impl DayMentions {
    /// Finds the folded topic words of `finder` in `day` (folded as `folded`), or named
    /// by its tags.
    pub fn new(day: &Day, folded: &FoldedDay, finder: &WordFinder) -> DayMentions {
        DayMentions::of(&day.note.tags, folded, finder)
    }

    /// [`DayMentions::new`] of a day tagged `tags`.
    fn of(tags: &[String], folded: &FoldedDay, finder: &WordFinder) -> DayMentions {
        let mut topics = finder.found(&folded.text);
        for tag in tags {
            topics.extend_from_slice(finder.positions_of(&fold(tag)));
        }
        topics.sort_unstable();
        topics.dedup();
        // (topic, text index) for each text mentioning a topic the day mentions, by
        // topic and then text.
        let mentioning = |texts: &[String]| -> Vec<(usize, usize)> {
            let mut pairs: Vec<(usize, usize)> = (texts.iter().enumerate())
                .flat_map(|(j, text)| finder.found(text).into_iter().map(move |t| (t, j)))
                .filter(|(t, _)| topics.binary_search(t).is_ok())
                .collect();
            pairs.sort_unstable();
            pairs
        };
        DayMentions {
            learnings: mentioning(&folded.learnings),
            problems: mentioning(&folded.problems),
            topics,
        }
    }

    /// [`DayMentions::new`] as it was written first: each topic word in turn, against
    /// the day's tags and what the finder found. The reference for the tests.
    #[cfg(test)]
    fn word_by_word(
        tags: &[String],
        folded: &FoldedDay,
        words: &[String],
        finder: &WordFinder,
    ) -> DayMentions {
        let mut found = DayMentions::default();
        let tags: Vec<String> = tags.iter().map(|tag| fold(tag)).collect();
        let in_text = finder.find(&folded.text);
        let in_learnings: Vec<Vec<bool>> =
            folded.learnings.iter().map(|l| finder.find(l)).collect();
        let in_problems: Vec<Vec<bool>> = folded.problems.iter().map(|p| finder.find(p)).collect();
        for (t, word) in words.iter().enumerate() {
            if !in_text[t] && !tags.contains(word) {
                continue;
            }
            found.topics.push(t);
            let matching = |texts: &[Vec<bool>]| -> Vec<(usize, usize)> {
                texts
                    .iter()
                    .enumerate()
                    .filter(|(_, found)| found[t])
                    .map(|(j, _)| (t, j))
                    .collect()
            };
            found.learnings.extend(matching(&in_learnings));
            found.problems.extend(matching(&in_problems));
        }
        found
    }
}

/// Each day's [`DayMentions`] by its note key, for one list of topic names: `serve`
/// keeps one across rebuilds, so an edit finds the topics of the edited day only.
#[derive(Default)]
pub struct MentionCache {
    /// The hash of the topic names the days were searched for.
    names: u64,
    days: HashMap<u64, Arc<DayMentions>>,
}

impl MentionCache {
    /// A cache holding `found` (parallel to the days) for the topic `names`, and the
    /// keys to look them up by: for a build that found every day's mentions as it
    /// folded it, so [`compute`] searches nothing again.
    pub fn prefilled(names: &[String], found: Vec<DayMentions>) -> (MentionCache, Vec<u64>) {
        let keys: Vec<u64> = (0..found.len() as u64).collect();
        let cache = MentionCache {
            names: crate::log::hash_of(names),
            days: keys
                .iter()
                .copied()
                .zip(found.into_iter().map(Arc::new))
                .collect(),
        };
        (cache, keys)
    }
}

/// The topic names: configured words, then each front-matter tag that folds to none
/// of the names before it.
pub fn names(days: &[Day], configured: &[String]) -> Vec<String> {
    let mut names: Vec<String> = configured.to_vec();
    let mut folded: HashSet<String> = names.iter().map(|n| fold(n)).collect();
    for day in days {
        for tag in &day.note.tags {
            if folded.insert(fold(tag)) {
                names.push(tag.clone());
            }
        }
    }
    names
}

/// Every topic that is mentioned at least once: configured words plus front-matter
/// tags. Only the days whose note key (`keys`, parallel to `days`) `cache` does not
/// hold are searched: serve's cache holds the days it has seen, a cold build's
/// ([`MentionCache::prefilled`]) every day.
pub fn compute(
    days: &[Day],
    folded: &[Arc<FoldedDay>],
    configured: &[String],
    (cache, keys): (&mut MentionCache, &[u64]),
) -> Vec<Topic> {
    let names = names(days, configured);
    let words: Vec<String> = names.iter().map(|n| fold(n)).collect();
    let names_key = crate::log::hash_of(&names);
    if cache.names != names_key {
        cache.days.clear();
        cache.names = names_key;
    }
    let finder = WordFinder::new(&words);
    let fresh: Vec<(u64, Arc<DayMentions>)> = (0..days.len())
        .into_par_iter()
        .filter(|&i| !cache.days.contains_key(&keys[i]))
        .map(|i| {
            let found = DayMentions::new(&days[i], &folded[i], &finder);
            (keys[i], Arc::new(found))
        })
        .collect();
    cache.days.extend(fresh);
    let live: HashSet<&u64> = keys.iter().collect();
    cache.days.retain(|k, _| live.contains(k));
    let found: Vec<Arc<DayMentions>> = keys.iter().map(|k| cache.days[k].clone()).collect();
    let mut per_name: Vec<Topic> = names
        .iter()
        .map(|name| Topic {
            name: name.clone(),
            slug: crate::text::slug(name),
            days: Vec::new(),
            learnings: Vec::new(),
            problems: Vec::new(),
        })
        .collect();
    for (i, day) in found.iter().enumerate() {
        for &t in &day.topics {
            per_name[t].days.push(i);
        }
        for &(t, j) in &day.learnings {
            per_name[t].learnings.push((i, j));
        }
        for &(t, j) in &day.problems {
            per_name[t].problems.push((i, j));
        }
    }
    // Two names with one slug (`a b`, `a-b`): the first one named keeps it, the next
    // get `-2`, `-3`… (log::names warns about them).
    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for mut topic in per_name.into_iter().filter(|t| !t.days.is_empty()) {
        let base = topic.slug.clone();
        let mut n = 2;
        while topics.contains_key(&topic.slug) {
            topic.slug = format!("{base}-{n}");
            n += 1;
        }
        topics.insert(topic.slug.clone(), topic);
    }
    let mut list: Vec<Topic> = topics.into_values().collect();
    list.sort_by(|a, b| {
        b.days
            .len()
            .cmp(&a.days.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    list
}

#[cfg(test)]
mod tests {
    use super::{fold, mentions, DayMentions, FoldedDay, WordFinder};
    use proptest::prelude::*;

    proptest! {
        /// A day's mentions, found from what the texts mention and a lookup of its
        /// tags, are those of checking every topic word in turn: the same topics, and
        /// the same learnings and problems in the same order. Words repeat, some are
        /// empty, tags fold to them or not.
        #[test]
        fn a_days_mentions_are_those_of_every_word_in_turn(
            words in prop::collection::vec(prop::sample::select(vec!["s3", "ecs", "タスク", "キャッシュ", "", "next.js", "S3", "rds"]), 0..8),
            tags in prop::collection::vec(prop::sample::select(vec!["S3", "ECS", "rds", "", "ＲＤＳ", "other"]), 0..4),
            text in prop::collection::vec(prop::sample::select(vec!["s3", "ecs", "タスク", "キャッシュ", " ", "next.js", "rdsx", "\n"]), 0..12),
            learnings in prop::collection::vec(prop::collection::vec(prop::sample::select(vec!["s3", "ecs", "タスク", " ", "x"]), 0..5), 0..4),
            problems in prop::collection::vec(prop::collection::vec(prop::sample::select(vec!["キャッシュ", "ecs", "rds", " "]), 0..5), 0..4),
        ) {
            let words: Vec<String> = words.into_iter().map(fold).collect();
            let tags: Vec<String> = tags.into_iter().map(String::from).collect();
            let folded = FoldedDay {
                text: text.concat(),
                learnings: learnings.iter().map(|l| l.concat()).collect(),
                problems: problems.iter().map(|p| p.concat()).collect(),
            };
            let finder = WordFinder::new(&words);
            prop_assert_eq!(
                DayMentions::of(&tags, &folded, &finder),
                DayMentions::word_by_word(&tags, &folded, &words, &finder)
            );
        }

        /// `found` lists the words `find` marks.
        #[test]
        fn found_lists_what_find_marks(
            text in prop::collection::vec(prop::sample::select(vec!["s3", "s", "3", "x", "ecs", "タスク", " ", ".", "next.js"]), 0..16),
            words in prop::collection::vec(prop::sample::select(vec!["s3", "s", "ecs", "タスク", "", "next.js", "s3x"]), 0..8),
        ) {
            let text = text.concat();
            let words: Vec<String> = words.into_iter().map(String::from).collect();
            let finder = WordFinder::new(&words);
            let marked = finder.find(&text);
            let expected: Vec<usize> = (0..words.len()).filter(|&i| marked[i]).collect();
            prop_assert_eq!(finder.found(&text), expected);
        }

        /// The one-pass finder agrees with asking [`mentions`] word by word, on texts
        /// and words made of ASCII words, digits, CJK and the boundaries between them,
        /// with repeated, overlapping and empty words.
        #[test]
        fn the_finder_finds_what_mentions_finds(
            text in prop::collection::vec(prop::sample::select(vec!["s3", "s", "3", "x", "ecs", "タスク", "キャッシュ", " ", ".", "next.js", "-", "無効化"]), 0..16),
            words in prop::collection::vec(prop::sample::select(vec!["s3", "s", "ecs", "タスク", "キャッシュ無効化", "ュ", "next.js", "", "s3x", "x s"]), 0..8),
        ) {
            let text = text.concat();
            let words: Vec<String> = words.into_iter().map(String::from).collect();
            let expected: Vec<bool> = words.iter().map(|w| mentions(&text, w)).collect();
            prop_assert_eq!(WordFinder::new(&words).find(&text), expected);
        }
    }

    #[test]
    fn words_match_at_boundaries_only() {
        assert!(mentions("ecsタスクを起動", "ecs"));
        assert!(mentions("use s3, cloudfront", "s3"));
        assert!(!mentions("s3x bucket", "s3"));
        assert!(!mentions("accessible", "acm"));
        assert!(mentions("next.jsの環境変数", "next.js"));
        assert!(mentions("キャッシュ無効化", "キャッシュ"));
    }
}
