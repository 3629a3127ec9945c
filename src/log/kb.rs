//! The troubleshooting knowledge base: every problem grouped by title across days,
//! with its timeline and the learnings of the days it was open.

use chrono::NaiveDate;

use super::{topics, Day};
use crate::text::fold;

/// One problem across the days it appears.
#[derive(Clone, Debug)]
pub struct KbEntry {
    pub title: String,
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
    pub fn days_open(&self) -> i64 {
        (self.resolved_on.unwrap_or(self.last_seen) - self.first_seen).num_days() + 1
    }
}

/// Groups every problem of every day by its folded title.
pub fn compute(days: &[Day], topic_names: &[String]) -> Vec<KbEntry> {
    let mut entries: Vec<KbEntry> = Vec::new();
    for (i, day) in days.iter().enumerate() {
        for (j, problem) in day.note.problems.iter().enumerate() {
            let entry = match entries
                .iter_mut()
                .position(|e| fold(&e.title) == problem.key)
            {
                Some(k) => &mut entries[k],
                None => {
                    entries.push(KbEntry {
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
    dedupe_slugs(&mut entries);
    for entry in &mut entries {
        let text: String = entry
            .occurrences
            .iter()
            .map(|&(i, j)| {
                let p = &days[i].note.problems[j];
                let details: Vec<&str> = p.details.iter().map(|d| d.markdown.as_str()).collect();
                format!("{}\n{}\n", p.title, details.join("\n"))
            })
            .collect();
        let text = fold(&text);
        entry.topics = topic_names
            .iter()
            .filter(|t| topics::mentions(&text, &fold(t)))
            .cloned()
            .collect();
        let mut seen_days: Vec<usize> = entry.occurrences.iter().map(|&(i, _)| i).collect();
        seen_days.dedup();
        for i in seen_days {
            for (j, l) in days[i].note.learnings.iter().enumerate() {
                let ltext = fold(&format!("{}\n{}", l.text, l.details.join("\n")));
                if entry.topics.is_empty()
                    || entry
                        .topics
                        .iter()
                        .any(|t| topics::mentions(&ltext, &fold(t)))
                {
                    entry.learnings.push((i, j));
                }
            }
        }
    }
    entries
}

/// Two titles that fold to one slug get `-2`, `-3`…
fn dedupe_slugs(entries: &mut [KbEntry]) {
    for k in 1..entries.len() {
        let mut n = 2;
        let base = entries[k].slug.clone();
        while entries[..k].iter().any(|e| e.slug == entries[k].slug) {
            entries[k].slug = format!("{base}-{n}");
            n += 1;
        }
    }
}
