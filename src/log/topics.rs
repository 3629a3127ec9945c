//! Topics: which days, learnings and problems mention CORS, CloudFront, … computed once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::Day;
use crate::markdown;
use crate::text::fold;

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
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let mut from = 0;
    while let Some(i) = haystack[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        let first = word.chars().next().expect("non-empty");
        let last = word.chars().next_back().expect("non-empty");
        let left_ok = !is_word(first) || !before.is_some_and(is_word);
        let right_ok = !is_word(last) || !after.is_some_and(is_word);
        if left_ok && right_ok {
            return true;
        }
        from = start + first.len_utf8();
    }
    false
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
        FoldedDay {
            text: day_text(day, text),
            learnings: day
                .note
                .learnings
                .iter()
                .map(|l| fold(&format!("{}\n{}", l.text(text), l.details(text).join("\n"))))
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

/// Plain, folded text of everything a day publishes: what topics and search read.
pub fn day_text(day: &Day, note_text: &str) -> String {
    let mut text = String::new();
    for section in &day.note.sections {
        if let Some(h) = &section.heading {
            text.push_str(h);
            text.push('\n');
        }
        text.push_str(&markdown::to_plain_text(section.markdown(note_text)));
        text.push('\n');
    }
    fold(&text)
}

/// Which topics one day mentions, by index into the topic names it was found for.
#[derive(Clone, Debug, Default)]
pub struct DayMentions {
    /// Topics the day's text mentions or its tags name, ascending.
    topics: Vec<usize>,
    /// (topic, learning index) for each learning mentioning a topic the day mentions.
    learnings: Vec<(usize, usize)>,
    /// (topic, problem index), likewise.
    problems: Vec<(usize, usize)>,
}

impl DayMentions {
    /// Finds the folded topic `words` in `day` (folded as `folded`).
    pub fn new(day: &Day, folded: &FoldedDay, words: &[String]) -> DayMentions {
        let mut found = DayMentions::default();
        for (t, word) in words.iter().enumerate() {
            let tagged = day.note.tags.iter().any(|tag| fold(tag) == *word);
            if !tagged && !mentions(&folded.text, word) {
                continue;
            }
            found.topics.push(t);
            let matching = |texts: &[String]| -> Vec<(usize, usize)> {
                texts
                    .iter()
                    .enumerate()
                    .filter(|(_, text)| mentions(text, word))
                    .map(|(j, _)| (t, j))
                    .collect()
            };
            found.learnings.extend(matching(&folded.learnings));
            found.problems.extend(matching(&folded.problems));
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
    let fresh: Vec<(u64, Arc<DayMentions>)> = (0..days.len())
        .into_par_iter()
        .filter(|&i| !cache.days.contains_key(&keys[i]))
        .map(|i| {
            let found = DayMentions::new(&days[i], &folded[i], &words);
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
    use super::mentions;

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
