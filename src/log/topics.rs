//! Topics: which days, learnings and problems mention CORS, CloudFront, … computed once.

use std::collections::BTreeMap;

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
    /// Every published section.
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
                .map(|l| fold(&format!("{}\n{}", l.text, l.details.join("\n"))))
                .collect(),
            problems: day
                .note
                .problems
                .iter()
                .map(|p| {
                    let details: Vec<&str> =
                        p.details.iter().map(|d| d.markdown.as_str()).collect();
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

/// Every topic that is mentioned at least once: configured words plus front-matter tags.
pub fn compute(days: &[Day], folded: &[FoldedDay], configured: &[String]) -> Vec<Topic> {
    let mut names: Vec<String> = configured.to_vec();
    for day in days {
        for tag in &day.note.tags {
            if !names.iter().any(|n| fold(n) == fold(tag)) {
                names.push(tag.clone());
            }
        }
    }
    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for name in names {
        let word = fold(&name);
        let slug = crate::text::slug(&name);
        let mut topic = Topic {
            name: name.clone(),
            slug: slug.clone(),
            days: Vec::new(),
            learnings: Vec::new(),
            problems: Vec::new(),
        };
        for (i, (day, f)) in days.iter().zip(folded).enumerate() {
            let tagged = day.note.tags.iter().any(|t| fold(t) == word);
            if !tagged && !mentions(&f.text, &word) {
                continue;
            }
            topic.days.push(i);
            topic.learnings.extend(
                f.learnings
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| mentions(l, &word))
                    .map(|(j, _)| (i, j)),
            );
            topic.problems.extend(
                f.problems
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| mentions(p, &word))
                    .map(|(j, _)| (i, j)),
            );
        }
        if !topic.days.is_empty() {
            topics.entry(slug).or_insert(topic);
        }
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
