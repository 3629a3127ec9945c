//! Problems across learners: each learner's problems grouped by the folded title the
//! knowledge base uses, then the same key across learners, and each group's topics.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::members::Member;
use super::overview::day_link;
use crate::log::topics::mentions;
use crate::text::fold;

/// One learner's problem across the days they wrote it.
#[derive(Debug)]
pub struct MemberProblem {
    pub title: String,
    pub key: String,
    /// Indices into the member's days, in date order.
    pub seen: Vec<usize>,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
    /// Resolved on its last day, as the knowledge base decides.
    pub resolved_on: Option<NaiveDate>,
}

/// A member's problems, grouped by key as the knowledge base groups them: the last
/// day a problem is written decides whether it is resolved.
pub fn of_member(m: &Member) -> Vec<MemberProblem> {
    let mut out: Vec<MemberProblem> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, day) in m.data.days.iter().enumerate() {
        for p in &day.problems {
            let key = p.key.clone().unwrap_or_else(|| fold(&p.title));
            let at = *by_key.entry(key.clone()).or_insert_with(|| {
                out.push(MemberProblem {
                    title: p.title.clone(),
                    key,
                    seen: Vec::new(),
                    first_seen: day.date,
                    last_seen: day.date,
                    resolved_on: None,
                });
                out.len() - 1
            });
            let entry = &mut out[at];
            if entry.seen.last() != Some(&i) {
                entry.seen.push(i);
            }
            entry.last_seen = day.date;
            entry.resolved_on = p.resolved.then_some(day.date);
        }
    }
    out
}

/// One learner's side of a shared problem.
#[derive(Debug, Serialize)]
pub struct Hit {
    pub member: String,
    pub member_link: Option<String>,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
    /// Days from first seen to resolved, or to the reference date while open.
    pub days_open: i64,
    pub days: usize,
    /// The problem's lines on its last day (how it was resolved, or where it stands).
    pub resolution: Vec<String>,
    /// わかったこと of that day.
    pub learnings: Vec<String>,
    pub first_url: Option<String>,
    pub last_url: Option<String>,
}

/// A problem more than one learner hit.
#[derive(Debug, Serialize)]
pub struct Group {
    pub title: String,
    pub anchor: String,
    pub topics: Vec<String>,
    pub learners: usize,
    pub open: usize,
    pub hits: Vec<Hit>,
}

/// The shared-problems page.
#[derive(Debug, Serialize)]
pub struct Shared {
    /// The groups with two learners or more, most learners first, at most `limit`.
    pub groups: Vec<Group>,
    /// How many groups there were in all, and how many problems only one learner had.
    pub shared_total: usize,
    pub single: usize,
    /// (topic, indices into `groups`), topics with at least one group.
    pub by_topic: Vec<(String, Vec<usize>)>,
}

/// Groups every member's problems by key across members. `per_member` is
/// [`of_member`] of each member, in order.
pub fn share(
    members: &[Member],
    per_member: &[Vec<MemberProblem>],
    reference: NaiveDate,
    limit: usize,
) -> Shared {
    let mut by_key: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (mi, problems) in per_member.iter().enumerate() {
        for (pi, p) in problems.iter().enumerate() {
            by_key.entry(p.key.as_str()).or_default().push((mi, pi));
        }
    }
    let single = by_key.values().filter(|v| v.len() == 1).count();
    let mut keys: Vec<(&str, Vec<(usize, usize)>)> =
        by_key.into_iter().filter(|(_, v)| v.len() > 1).collect();
    let shared_total = keys.len();
    // Most learners first; then the most recently seen; then by key, so the page is
    // the same on every build.
    let last_seen =
        |v: &[(usize, usize)]| v.iter().map(|&(mi, pi)| per_member[mi][pi].last_seen).max();
    keys.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(last_seen(&b.1).cmp(&last_seen(&a.1)))
            .then(a.0.cmp(b.0))
    });
    keys.truncate(limit);
    let topic_names = topic_names(members);
    let folded_topics: Vec<String> = topic_names.iter().map(|t| fold(t)).collect();
    let groups: Vec<Group> = keys
        .into_iter()
        .enumerate()
        .map(|(n, (key, mut at))| {
            at.sort_by_key(|&(mi, pi)| (per_member[mi][pi].first_seen, mi));
            let hits: Vec<Hit> = at
                .iter()
                .map(|&(mi, pi)| hit(&members[mi], &per_member[mi][pi], reference))
                .collect();
            let (mi, pi) = at[0];
            let title = &per_member[mi][pi].title;
            let lines: Vec<&str> = hits
                .iter()
                .flat_map(|h| h.resolution.iter().map(String::as_str))
                .collect();
            Group {
                title: title.clone(),
                anchor: format!("p{}-{}", n + 1, crate::text::slug(key)),
                topics: topics_of(title, &lines, &topic_names, &folded_topics),
                learners: hits.len(),
                open: hits.iter().filter(|h| h.resolved_on.is_none()).count(),
                hits,
            }
        })
        .collect();
    let by_topic = topic_names
        .iter()
        .map(|t| {
            let at: Vec<usize> = (0..groups.len())
                .filter(|&g| groups[g].topics.contains(t))
                .collect();
            (t.clone(), at)
        })
        .filter(|(_, at)| !at.is_empty())
        .collect();
    Shared {
        groups,
        shared_total,
        single,
        by_topic,
    }
}

fn hit(m: &Member, p: &MemberProblem, reference: NaiveDate) -> Hit {
    let last = *p.seen.last().expect("a problem is seen on some day");
    let day = &m.data.days[last];
    let resolution = day
        .problems
        .iter()
        .find(|q| q.key.clone().unwrap_or_else(|| fold(&q.title)) == p.key)
        .map(|q| q.details.clone())
        .unwrap_or_default();
    Hit {
        member: m.name.clone(),
        member_link: m.link.clone(),
        first_seen: p.first_seen,
        last_seen: p.last_seen,
        resolved_on: p.resolved_on,
        days_open: (p.resolved_on.unwrap_or(reference) - p.first_seen).num_days() + 1,
        days: p.seen.len(),
        resolution,
        learnings: day.learnings.clone(),
        first_url: day_link(m, p.seen[0]),
        last_url: day_link(m, last),
    }
}

/// The topics a problem's title mentions; where it mentions none, those its learners'
/// lines mention (a title names the problem, the lines wander).
fn topics_of(title: &str, lines: &[&str], names: &[String], folded: &[String]) -> Vec<String> {
    let matching = |text: &str| -> Vec<String> {
        names
            .iter()
            .zip(folded)
            .filter(|(_, f)| mentions(text, f))
            .map(|(t, _)| t.clone())
            .collect()
    };
    let in_title = matching(&fold(title));
    if in_title.is_empty() {
        matching(&fold(&lines.join("\n")))
    } else {
        in_title
    }
}

/// Every member's topic names, the first spelling of each folded name kept.
fn topic_names(members: &[Member]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut names = Vec::new();
    for m in members {
        for t in &m.data.topics {
            if seen.insert(fold(t)) {
                names.push(t.clone());
            }
        }
    }
    names.sort();
    names
}
