//! The troubleshooting knowledge base: every problem grouped by title across days,
//! with its timeline and the learnings of the days it was open.

use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::{topics, Day};
use crate::text::fold;

/// One problem across the days it appears.
#[derive(Clone, Debug)]
pub struct KbEntry {
    pub title: String,
    /// The folded title every day's problem is matched by.
    pub key: String,
    pub slug: String,
    /// (day index, problem index) in date order.
    pub occurrences: Vec<(usize, usize)>,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
    /// The date it was marked resolved, if it was.
    pub resolved_on: Option<NaiveDate>,
    /// Topic names the problem mentions.
    pub topics: Vec<String>,
    /// (day index, learning index): learnings of the days it was open or resolved
    /// that share one of its topics (all of that day's learnings when it has no topic).
    pub learnings: Vec<(usize, usize)>,
}

impl KbEntry {
    pub fn url(&self) -> String {
        format!("kb/{}.html", self.slug)
    }
    pub fn resolved(&self) -> bool {
        self.resolved_on.is_some()
    }
    /// Days from first seen to resolved (or to last seen while still open), inclusive.
    /// How many notes write it (a note that lists it twice counts once).
    pub fn notes(&self) -> usize {
        let mut days: Vec<usize> = self.occurrences.iter().map(|&(d, _)| d).collect();
        days.dedup();
        days.len()
    }

    pub fn days_open(&self) -> i64 {
        (self.resolved_on.unwrap_or(self.last_seen) - self.first_seen).num_days() + 1
    }
}

/// Groups every problem of every day by its folded title: titles, slugs, occurrences
/// and dates, everything but `topics` and `learnings` (left empty). A day page needs
/// only this, so `serve` can write an edited day before the topics are computed.
/// `taken` are the file names of hand-written entries (`content/kb/`), which a
/// problem's entry must not overwrite.
pub fn group(days: &[Day], taken: &[String]) -> Vec<KbEntry> {
    let mut entries: Vec<KbEntry> = Vec::new();
    let mut by_key: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, day) in days.iter().enumerate() {
        for (j, problem) in day.note.problems.iter().enumerate() {
            let entry = match by_key.get(problem.key.as_str()) {
                Some(&k) => &mut entries[k],
                None => {
                    by_key.insert(&problem.key, entries.len());
                    entries.push(KbEntry {
                        key: problem.key.clone(),
                        title: problem.title.clone(),
                        slug: crate::text::slug(&problem.title),
                        occurrences: Vec::new(),
                        first_seen: day.date(),
                        last_seen: day.date(),
                        resolved_on: None,
                        topics: Vec::new(),
                        learnings: Vec::new(),
                    });
                    entries.last_mut().expect("just pushed")
                }
            };
            entry.occurrences.push((i, j));
            entry.last_seen = day.date();
            // A problem seen open again after being resolved is open again.
            entry.resolved_on = problem.resolved.then(|| day.date());
        }
    }
    dedupe_slugs(&mut entries, taken);
    entries
}

/// Fills each grouped entry's `topics` (the topic names its problem text mentions) and
/// `learnings` (of the days it was seen, those sharing one of its topics).
pub fn relate(entries: &mut [KbEntry], folded: &[Arc<topics::FoldedDay>], topic_names: &[String]) {
    let folded_names: Vec<String> = topic_names.iter().map(|t| fold(t)).collect();
    let finder = topics::WordFinder::new(&folded_names);
    // Each learning's topics, found once: an entry looks at every learning of each day
    // it was seen, and a day holds several problems, so entries shared the same texts
    // and searched them again each (and the entries of many days held up one core).
    // Only a day with a problem is ever seen by an entry.
    let learning_topics: Vec<Vec<Vec<usize>>> = folded
        .par_iter()
        .map(|day| {
            if day.problems.is_empty() {
                return Vec::new();
            }
            (day.learnings.iter())
                .map(|learning| finder.found(learning))
                .collect()
        })
        .collect();
    entries.par_iter_mut().for_each(|entry| {
        let text: String = entry
            .occurrences
            .iter()
            .map(|&(i, j)| folded[i].problems[j].as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let matched = finder.found(&text);
        entry.topics = matched.iter().map(|&t| topic_names[t].clone()).collect();
        let mut seen_days: Vec<usize> = entry.occurrences.iter().map(|&(i, _)| i).collect();
        seen_days.dedup();
        for i in seen_days {
            for (j, topics) in learning_topics[i].iter().enumerate() {
                if matched.is_empty() || topics.iter().any(|t| matched.contains(t)) {
                    entry.learnings.push((i, j));
                }
            }
        }
    });
}

/// Two titles that fold to one slug get `-2`, `-3`…
fn dedupe_slugs(entries: &mut [KbEntry], hand_written: &[String]) {
    // The slugs taken so far: a set, not a scan of the earlier entries (thousands of
    // problems in a long log).
    let mut taken: std::collections::HashSet<String> = hand_written.iter().cloned().collect();
    for entry in entries {
        let base = entry.slug.clone();
        let mut n = 2;
        while taken.contains(&entry.slug) {
            entry.slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(entry.slug.clone());
    }
}
