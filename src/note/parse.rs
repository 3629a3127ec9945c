//! Gives the outline of a note its meaning: tasks with hours, problems, learnings,
//! next steps and the declared tally. Collects diagnostics; never prints, never panics.

use super::outline::{self, Item, OutlineSection};
use super::work::Work;
use super::{
    date, duration, Declared, Detail, Figure, ImageRef, Learning, Note, Problem, Role, Roles,
    Section, Span, Step, Task,
};
use super::{plain_line, title_without};
use std::ops::Range;

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::load::Source;
use crate::markdown::{self, Event, LinkRefs, Tag, TagEnd};
use crate::text::fold;

/// What parsing a note needs to know beyond the note itself.
pub struct NoteContext<'a> {
    pub roles: &'a Roles,
    /// `[hours] exclude` words.
    pub exclude: &'a [String],
}

/// Reads one note. `source.date` must be set (the load stage guarantees it for notes).
/// With `keep_text`, the note keeps its text and its sections' plain text.
pub fn parse(source: &Source, ctx: &NoteContext, keep_text: bool) -> Note {
    let body = source.body();
    let base = source.body_start;
    let mut note = Note {
        date: source.date.unwrap_or_default(),
        path: source.path.clone(),
        rel_path: source.rel_path.clone(),
        title: source.front.title.clone(),
        draft: source.front.draft,
        tags: source.front.tags.clone(),
        sections: Vec::new(),
        tasks: Vec::new(),
        problems: Vec::new(),
        learnings: Vec::new(),
        feelings: Vec::new(),
        next: Vec::new(),
        declared: Declared::default(),
        image_refs: Vec::new(),
        excluded_words: Vec::new(),
        diagnostics: Vec::new(),
        text_hash: super::text_hash(&source.text),
        private: source.private.clone(),
        text: keep_text.then(|| source.text.as_str().into()),
        section_plain: None,
        link_refs: LinkRefs::default(),
        parsed_titles: Vec::new(),
        task_lists: Vec::new(),
    };
    // Every piece of the note (a section, a task, a step) is parsed alone, and may use
    // a link reference another defines.
    let refs = LinkRefs::of(body);
    let mut diags = Diags {
        source,
        lines: LineIndex::new(&source.text),
        out: Vec::new(),
        uncounted: Vec::new(),
    };
    if body.trim().is_empty() {
        diags.warn(base, "the note is empty: nothing to publish or count");
    }

    let mut sections = outline::outline(body, keep_text, &refs);
    // Each section's plain text is moved into the note, not copied.
    let mut plains: Vec<Option<String>> = sections.iter_mut().map(|s| s.plain.take()).collect();
    let roles: Vec<Option<Role>> = sections
        .iter()
        .map(|s| s.heading.as_deref().and_then(|h| ctx.roles.of(h)))
        .collect();
    let public = || {
        sections
            .iter()
            .zip(&roles)
            .enumerate()
            .filter(|(_, (_, r))| **r != Some(Role::Private))
    };

    note.excluded_words = exclusion_words(public().map(|(_, (s, _))| &body[s.body.clone()]), &refs);
    let exclude: Vec<String> = ctx
        .exclude
        .iter()
        .chain(&note.excluded_words)
        .map(|w| fold(w))
        .collect();

    // Where the (last) tasks section starts, for the warning about a day over 24 h.
    let mut tasks_at = None;
    for (k, (section, role)) in public() {
        if let Some((name, near)) = (section.heading.as_deref())
            .filter(|_| role.is_none())
            .and_then(|h| ctx.roles.near_miss(h))
        {
            diags.warn(
                base + section.start,
                format!(
                    "`{}` is not read as the {} section: write `## {name}` alone (an aside in parentheses may follow), or add this heading to [sections] in book.toml",
                    section.heading.as_deref().unwrap_or_default(),
                    near.name()
                ),
            );
        }
        let markdown = &body[section.body.clone()];
        let is_preamble_title_only = section.heading.is_none() && is_only_h1(markdown);
        if !is_preamble_title_only {
            if let Some(plain) = plains[k].take() {
                note.section_plain.get_or_insert_with(Vec::new).push(plain);
            }
            note.sections.push(Section {
                heading: section.heading.clone(),
                role: *role,
                body: Span::new(base + section.body.start..base + section.body.end),
                line: diags.line_of(base + section.start),
            });
        }
        match role {
            Some(Role::Tasks) => {
                tasks_at = Some(base + section.start);
                (note.task_lists).extend(
                    (section.lists.iter()).map(|l| Span::new(base + l.start..base + l.end)),
                );
                let titles = keep_text.then_some(&mut note.parsed_titles);
                let mut reading = TaskReading {
                    exclude: &exclude,
                    base,
                    note_date: note.date,
                    refs: &refs,
                    titles,
                };
                note.tasks.extend(
                    non_empty(&section.items).map(|i| task(i, false, &mut reading, &mut diags)),
                )
            }
            Some(Role::Problems) => note
                .problems
                .extend(non_empty(&section.items).map(|i| problem(i, base, &refs))),
            Some(Role::Learnings) => note
                .learnings
                .extend(non_empty(&section.items).map(|i| learning(i, base))),
            Some(Role::Feelings) => note
                .feelings
                .extend(non_empty(&section.items).map(|i| learning(i, base))),
            Some(Role::Next) => next_steps(
                section,
                note.date,
                (&source.text, base),
                &refs,
                &mut note.next,
            ),
            Some(Role::Hours) => note.declared = declared(section, (body, base), &refs, &mut diags),
            _ => {}
        }
        images(section, base, &mut note.image_refs, &diags);
        for (url, offset) in &section.blocked {
            diags.warn(base + offset, markdown::blocked_url_message(url));
        }
        if let Some(offset) = section.too_deep {
            diags.push(
                base + offset,
                Severity::Error,
                format!(
                    "this list is nested deeper than {} levels: logsite reads the items below level {} as level {}",
                    outline::MAX_DEPTH, outline::MAX_DEPTH, outline::MAX_DEPTH
                ),
            );
        }
    }
    if let (Some(at), Some(minutes)) = (tasks_at, note.task_minutes()) {
        if minutes > duration::DAY_MINUTES {
            diags.warn(
                at,
                format!(
                    "the tasks of this day add up to {}, more than 24h: logsite counts them, but check the figures",
                    duration::format(minutes)
                ),
            );
        }
    }
    if note.sections.iter().all(|s| s.heading.is_none()) && !body.trim().is_empty() {
        diags.warn(base, "no `##` sections: write 取り組んだ課題一覧 / 学習時間 … headings so hours can be counted");
    }
    note.declared.uncounted_lines = diags.uncounted.iter().map(|&o| diags.line_of(o)).collect();
    note.diagnostics = diags.out;
    // Offsets were stored where lines are wanted; turn them into lines now that the table exists.
    fix_lines(&mut note, diags.lines.starts());
    note.link_refs = refs;
    // Pushed in the note's order already (tasks sections in order, a task's title
    // before its children's); sorted all the same, as `Note::task_title` searches them
    // by halves, which costs next to nothing on sorted input.
    note.parsed_titles.sort_unstable_by_key(|(start, _)| *start);
    shrink(&mut note);
    note
}

/// A note's lists without room to grow: the log holds every note's for the whole
/// build, and lists grown item by item keep up to half their room unused (at 100,000
/// notes, tens of MiB of a peak that must stay under 1 GiB).
fn shrink(note: &mut Note) {
    note.sections.shrink_to_fit();
    note.tasks.shrink_to_fit();
    note.problems.shrink_to_fit();
    note.learnings.shrink_to_fit();
    note.feelings.shrink_to_fit();
    note.next.shrink_to_fit();
    note.image_refs.shrink_to_fit();
    note.excluded_words.shrink_to_fit();
    note.diagnostics.shrink_to_fit();
    note.private.shrink_to_fit();
    note.parsed_titles.shrink_to_fit();
}

fn shrunk<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

struct Diags<'a> {
    source: &'a Source,
    lines: LineIndex<'a>,
    out: Vec<Diagnostic>,
    /// Offsets of task lines with hours outside parentheses.
    uncounted: Vec<usize>,
}

impl Diags<'_> {
    fn push(&mut self, offset: usize, severity: Severity, message: impl Into<String>) {
        (self.out).push(
            self.lines
                .diagnostic(&self.source.path, offset, severity, message),
        );
    }
    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        self.push(offset, Severity::Warning, message);
    }

    /// The 1-based line of a byte offset of the source's text.
    fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let (line, column, _) = self.lines.position(offset);
        (line, column)
    }
}

fn is_only_h1(markdown: &str) -> bool {
    markdown
        .lines()
        .all(|l| l.trim().is_empty() || (l.starts_with("# ") || l.trim() == "#"))
}

fn fix_lines(note: &mut Note, starts: &[usize]) {
    fn tasks(note_lines: &[usize], list: &mut [Task]) {
        for t in list {
            t.line = note_lines.partition_point(|&s| s <= t.line);
            tasks(note_lines, &mut t.children);
        }
    }
    tasks(starts, &mut note.tasks);
    for p in &mut note.problems {
        p.line = starts.partition_point(|&s| s <= p.line);
    }
    for l in &mut note.learnings {
        l.line = starts.partition_point(|&s| s <= l.line);
    }
    for s in &mut note.next {
        s.line = starts.partition_point(|&o| o <= s.line);
    }
}

/// Words named by `※ミーティングは学習時間に含めません` lines (split on 、・,/と).
fn exclusion_words<'a>(bodies: impl Iterator<Item = &'a str>, refs: &LinkRefs) -> Vec<String> {
    let mut words = Vec::new();
    for line in bodies.flat_map(str::lines) {
        let line = line.trim().trim_start_matches(['-', '*', ' ']);
        let Some(rest) = line.strip_prefix('※') else {
            continue;
        };
        let Some(end) = rest.find("は学習時間に含め") else {
            continue;
        };
        let plain = markdown::to_plain_text(&rest[..end], refs);
        words.extend(
            plain
                .split(['、', '・', ',', '，', '/', '／', 'と'])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    words
}

/// A duration written on an item's first line.
struct OwnDuration {
    minutes: u32,
    /// Where its parenthesised group is in the line.
    group: Range<usize>,
}

/// Finds the duration of an item's first line: (own duration, a group that looks like
/// hours but is not). The duration is a parenthesised group (half- or full-width)
/// holding nothing but a duration.
fn find_duration(line: &str) -> (Option<OwnDuration>, Option<String>) {
    let mut near_miss = None;
    for (start, end, inner) in paren_groups(line) {
        if let Some(minutes) = duration::parse(inner) {
            let own = OwnDuration {
                minutes,
                group: start..end,
            };
            return (Some(own), None);
        }
        if near_miss.is_none() && duration::looks_like_duration(inner) {
            near_miss = Some(inner.to_string());
        }
    }
    (None, near_miss)
}

/// Hours in parentheses on a later line of an item's own text (a title wrapped onto a
/// second line, hours and all): the group and the line's offset.
fn hours_below_first_line(item: &Item) -> Option<(&str, usize)> {
    item.lines.iter().skip(1).find_map(|(line, at)| {
        let (own, _) = find_duration(line);
        own.map(|d| (&line[d.group], *at))
    })
}

/// A task line that ends in hours written without parentheses (`infra 1h`,
/// `backend: 2h`, `作業 2時間`): (the title before them, the hours). The hours are
/// the longest tail after a space or colon that reads as a duration.
fn hours_outside_parentheses(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end();
    line.char_indices()
        .filter(|(_, c)| matches!(c, ' ' | '\u{3000}' | '\t' | ':' | '：'))
        .map(|(i, c)| {
            (
                line[..i].trim_end_matches([' ', '\u{3000}', '\t', ':', '：']),
                line[i + c.len_utf8()..].trim(),
            )
        })
        .find(|(title, hours)| !title.is_empty() && duration::parse(hours).is_some())
}

/// Every parenthesised group of a line: (start, end, inner), `(…)` and `（…）` alike.
/// A parenthesis inside a code span is code, not one of the line's (`` `sleep(2h)` ``
/// is not two hours).
fn paren_groups(line: &str) -> Vec<(usize, usize, &str)> {
    let mut groups = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let code = markdown::code_spans(line);
    for (i, c) in line.char_indices() {
        if code.iter().any(|span| span.contains(&i)) {
            continue;
        }
        match c {
            '(' | '（' => open = Some((i, i + c.len_utf8())),
            ')' | '）' => {
                if let Some((start, inner)) = open.take() {
                    groups.push((start, i + c.len_utf8(), &line[inner..i]));
                }
            }
            _ => {}
        }
    }
    groups
}

/// What reading a tasks section needs besides the item.
struct TaskReading<'a> {
    /// Folded words that exclude a task from the hours (`※…は学習時間に含めません`).
    exclude: &'a [String],
    /// Where the note's body starts in its text.
    base: usize,
    /// Reads dates in a title ([`Work::of`]).
    note_date: chrono::NaiveDate,
    refs: &'a LinkRefs,
    /// Where the note keeps its text: the plain titles made by parsing (see
    /// `Note::parsed_titles`).
    titles: Option<&'a mut Vec<(u32, Box<str>)>>,
}

fn task(item: &Item, under_excluded: bool, reading: &mut TaskReading, diags: &mut Diags) -> Task {
    let &mut TaskReading {
        exclude,
        base,
        note_date,
        refs,
        ..
    } = reading;
    let (duration, near_miss) = find_duration(item.first_line());
    let title_markdown = title_without(
        item.first_line(),
        duration.as_ref().map(|d| d.group.clone()),
    );
    let offset = base + item.offset();
    let own_minutes = duration.as_ref().map(|d| d.minutes);
    let first_line = Span::new(offset..offset + item.first_line().len());
    if let Some(d) = duration
        .as_ref()
        .filter(|d| d.minutes > duration::DAY_MINUTES)
    {
        diags.warn(
            offset,
            format!(
                "`{}` is more than a day: logsite counts it, but check the figure",
                &item.first_line()[d.group.clone()]
            ),
        );
    }
    if let Some(text) = near_miss {
        diags.warn(offset, format!("`{text}` looks like hours but is not a duration logsite can read (write e.g. 1.5h, 1h 30m, 90分)"));
    }
    let title = plain_line(&title_markdown, refs);
    if let Some(titles) = reading.titles.as_deref_mut() {
        if !markdown::is_plain_line(&title_markdown) {
            titles.push((first_line.start, title.as_str().into()));
        }
    }
    let folded = fold(&title);
    let excluded = exclude
        .iter()
        .any(|w| !w.is_empty() && folded.contains(w.as_str()));
    let counted = !under_excluded && !excluded;
    let mut children: Vec<Task> = non_empty(&item.children)
        .map(|c| task(c, !counted, reading, diags))
        .collect();
    children.shrink_to_fit();
    let has_children_hours = children.iter().any(|c| c.minutes.is_some());
    if own_minutes.is_none() && !has_children_hours && counted {
        if let Some((title, hours)) = hours_outside_parentheses(item.first_line()) {
            diags.uncounted.push(offset);
            diags.warn(
                offset,
                format!("`{hours}` is outside parentheses, so it is not read as the task's hours: write `- {title}({hours})`"),
            );
        } else if let Some((hours, at)) = hours_below_first_line(item) {
            diags.warn(
                base + at,
                format!("`{hours}` is not on the task's first line, so it is not read as its hours: move it to the end of the first line"),
            );
        }
    }
    let counted_children: Vec<&Task> = children
        .iter()
        .filter(|c| c.counted && c.minutes.is_some())
        .collect();
    let children_sum = (!counted_children.is_empty())
        .then(|| duration::add_up(counted_children.iter().filter_map(|c| c.minutes)));
    if let (Some(own), Some(sum)) = (own_minutes, children_sum) {
        if own != sum && counted {
            let parts: Vec<String> = counted_children
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        c.title(&diags.source.text, refs),
                        duration::format(c.minutes.unwrap_or(0))
                    )
                })
                .collect();
            diags.warn(
                offset,
                format!(
                    "`{title}` says {} but its counted sub-tasks add up to {} ({}); logsite keeps {}",
                    duration::format(own),
                    duration::format(sum),
                    parts.join(" + "),
                    duration::format(own)
                ),
            );
        }
    }
    Task {
        own: own_span(item, base),
        first_line,
        duration: duration.map(|d| Span::new(offset + d.group.start..offset + d.group.end)),
        own_minutes,
        minutes: own_minutes.or(children_sum),
        counted,
        work: Work::of_folded(&folded, note_date),
        children,
        line: offset,
    }
}

/// Markers that say a problem is solved, removed from its title so days match. Each is
/// folded already (a test checks), so a folded title is searched for them as they are.
const RESOLVED_MARKERS: [&str; 5] = ["解決済み", "解決済", "✅", "resolved", "[解決]"];

fn problem(item: &Item, base: usize, refs: &LinkRefs) -> Problem {
    let first = item.first_line();
    let folded_first = fold(first);
    let resolved =
        item.checked == Some(true) || RESOLVED_MARKERS.iter().any(|m| folded_first.contains(m));
    let groups = paren_groups(first);
    let time = groups.iter().find_map(|(_, _, inner)| clock_time(inner));
    let title = match first_strong_text(first, refs) {
        // A time may be inside the bold (`**CORSエラー（21:20頃）**`): it is no part of
        // the title either way.
        Some(bold) => {
            let times = paren_groups(&bold).into_iter();
            without_groups(
                &bold,
                times.filter(|(_, _, inner)| clock_time(inner).is_some()),
            )
            .trim()
            .to_string()
        }
        None => markdown::to_plain_text(&without_groups(first, groups.iter().copied()), refs),
    };
    let title = strip_markers(&title);
    let mut details = Vec::new();
    for line in item.lines.iter().skip(1) {
        details.push(detail(line, base));
    }
    collect_details(&item.children, base, &mut details);
    let offset = base + item.offset();
    Problem {
        key: fold(&title),
        title,
        first_line: Span::new(offset..offset + first.len()),
        time,
        resolved,
        details: shrunk(details),
        line: base + item.offset(),
    }
}

/// `text` without the parenthesised `groups` (from [`paren_groups`] of `text`).
fn without_groups<'g>(text: &str, groups: impl Iterator<Item = (usize, usize, &'g str)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end, _) in groups {
        out.push_str(&text[copied..start]);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

fn strip_markers(title: &str) -> String {
    let mut t = title.to_string();
    let mut marked = false;
    for m in RESOLVED_MARKERS {
        // ASCII case-insensitively, for `Resolved`; the other markers have no case. A
        // match begins and ends where `m`'s characters do, so the range cuts no
        // character (unlike a position found in a lower-cased copy, which can be longer).
        while let Some(i) = t
            .as_bytes()
            .windows(m.len())
            .position(|w| w.eq_ignore_ascii_case(m.as_bytes()))
        {
            t.replace_range(i..i + m.len(), "");
            marked = true;
        }
    }
    let t = t
        .trim()
        .trim_matches(['：', ':', '-', '】', '【', '[', ']']);
    // `ECRへのpushが失敗する → 解決済み`: the arrow led to the marker, and goes with it,
    // so the title is the one the problem had on the days before.
    let t = if marked {
        t.trim_end_matches(['→', '⇒', '>', '=', '-', ' ', '\u{3000}', '、', '。'])
    } else {
        t
    };
    t.trim().to_string()
}

fn detail((line, offset): &(String, usize), base: usize) -> Detail {
    let analysis = line.starts_with('→') || line.starts_with("->") || line.starts_with('⇒');
    Detail {
        line: Span::new(base + offset..base + offset + line.len()),
        analysis,
    }
}

fn collect_details(items: &[Item], base: usize, out: &mut Vec<Detail>) {
    for item in items {
        for line in &item.lines {
            out.push(detail(line, base));
        }
        collect_details(&item.children, base, out);
    }
}

/// Where an item's own lines are in the note's text.
fn own_span(item: &Item, base: usize) -> Span {
    Span::new(base + item.text.start..base + item.text.end)
}

/// `21:20` out of `21:20頃` or `13:25時点`, or of `21時20分頃`, `9時半`, `10時頃`;
/// hours zero-padded. `3時間` is hours, not a time.
fn clock_time(s: &str) -> Option<String> {
    let s = crate::text::nfkc(s);
    let Some(colon) = s.find(':') else {
        return japanese_clock_time(&s);
    };
    let hours: String = s[..colon]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let minutes: String = s[colon + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (h, m): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours.len() <= 2 && minutes.len() == 2 && h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// `21:20` out of `21時20分`, `9時半` or `10時` (NFKC'd text), not out of `3時間`.
fn japanese_clock_time(s: &str) -> Option<String> {
    let (at, _) = s
        .match_indices('時')
        .find(|(i, _)| !s[i + '時'.len_utf8()..].starts_with('間'))?;
    let before = &s.as_bytes()[..at];
    let digits = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let h: u32 = s[at - digits..at].parse().ok()?;
    let after = &s[at + '時'.len_utf8()..];
    let minute_digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let m = if after.starts_with('半') {
        30
    } else if minute_digits > 0 && after[minute_digits..].starts_with('分') {
        after[..minute_digits].parse().ok()?
    } else {
        0
    };
    (digits <= 2 && h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// The plain text of the first `**bold**` span of an inline Markdown line.
/// `refs` are the note's link reference definitions.
fn first_strong_text(line: &str, refs: &LinkRefs) -> Option<String> {
    let mut depth = 0;
    let mut text = String::new();
    let opts = markdown::Options {
        refs: Some(refs),
        ..markdown::Options::default()
    };
    for (event, _) in markdown::parse(line, opts) {
        match event {
            Event::Start(Tag::Strong) => depth += 1,
            Event::End(TagEnd::Strong) => {
                depth -= 1;
                if depth == 0 {
                    let t = text.trim().to_string();
                    return (!t.is_empty()).then_some(t);
                }
            }
            Event::Text(t) | Event::Code(t) if depth > 0 => text.push_str(&t),
            _ => {}
        }
    }
    None
}

fn learning(item: &Item, base: usize) -> Learning {
    let mut details = Vec::new();
    flatten_items(&item.children, base, &mut details);
    Learning {
        own: own_span(item, base),
        details: shrunk(details),
        line: base + item.offset(),
    }
}

/// Each item's own text below `items`, depth first.
fn flatten_items(items: &[Item], base: usize, out: &mut Vec<Span>) {
    for item in items {
        out.push(own_span(item, base));
        flatten_items(&item.children, base, out);
    }
}

/// The items that say something: the empty `- ` that `logsite new` leaves in every
/// section (and an empty `- [ ]`) is no task, problem, learning or step.
fn non_empty(items: &[Item]) -> impl Iterator<Item = &Item> {
    items
        .iter()
        .filter(|i| !i.first_line().trim().is_empty() || !i.children.is_empty())
}

/// `text` is the note's whole text (`base` is where the body starts in it).
fn next_steps(
    section: &OutlineSection,
    note_date: chrono::NaiveDate,
    (text, base): (&str, usize),
    refs: &LinkRefs,
    out: &mut Vec<Step>,
) {
    for item in non_empty(&section.items) {
        let own_due = date::find_due(item.first_line(), note_date);
        if !item.children.is_empty() && own_due.is_none() {
            let area = Some(plain_line(item.first_line(), refs)).filter(|a| !a.is_empty());
            for child in non_empty(&item.children) {
                out.push(step(child, area.clone(), note_date, (text, base), refs));
            }
        } else {
            out.push(step(item, None, note_date, (text, base), refs));
        }
    }
}

fn step(
    item: &Item,
    area: Option<String>,
    note_date: chrono::NaiveDate,
    (text, base): (&str, usize),
    refs: &LinkRefs,
) -> Step {
    let mut details = Vec::new();
    flatten_items(&item.children, base, &mut details);
    let mut step = Step {
        own: own_span(item, base),
        work: Work::default(),
        due: date::find_due(item.first_line(), note_date),
        area,
        details: shrunk(details),
        done: item.checked == Some(true),
        // An offset for now; `parse` turns it into a line.
        line: base + item.offset(),
    };
    step.work = Work::of(&step.text(text, refs), note_date);
    step
}

fn declared(
    section: &OutlineSection,
    (body, base): (&str, usize),
    refs: &LinkRefs,
    diags: &mut Diags,
) -> Declared {
    let mut declared = Declared::default();
    let mut offset = section.body.start;
    for raw in body[section.body.clone()].split_inclusive('\n') {
        let line_offset = base + offset;
        offset += raw.len();
        let line = raw.trim().trim_start_matches(['-', '*', '+']).trim();
        let figure = |key: &str| tally_figure(&fold(&markdown::to_plain_text(key, refs)));
        // `今日: 2h`, or without a colon `今日 2時間`, `This week 6h`: the words before
        // the figure name it (and without a colon, only a readable figure is one).
        let split = line.split_once([':', '：']).or_else(|| {
            line.match_indices(char::is_whitespace)
                .map(|(i, _)| (&line[..i], &line[i..]))
                .find(|(key, value)| {
                    figure(key).is_some()
                        && duration::parse(&markdown::to_plain_text(value, refs)).is_some()
                })
        });
        let Some((key, value)) = split else {
            continue;
        };
        let slot = match figure(key) {
            Some(Tally::Today) => &mut declared.today,
            Some(Tally::Week) => &mut declared.week,
            Some(Tally::Total) => &mut declared.total,
            None => continue,
        };
        let value = markdown::to_plain_text(value, refs);
        // `- Today: ` as the note template leaves it: not filled in yet, nothing to read.
        if value.trim().is_empty() {
            continue;
        }
        match duration::parse(&value) {
            Some(minutes) => {
                let (line, _) = diags.line_column(line_offset);
                *slot = Some(Figure { minutes, line });
            }
            None => diags.warn(
                line_offset,
                format!(
                    "`{}` is not a duration logsite can read (write e.g. 6h, 48h 55m)",
                    value.trim()
                ),
            ),
        }
    }
    declared
}

/// The figures of the 学習時間 block.
enum Tally {
    Today,
    Week,
    Total,
}

/// Which figure a folded key names.
fn tally_figure(key: &str) -> Option<Tally> {
    match key {
        "today" | "今日" | "本日" => Some(Tally::Today),
        "week" | "this week" | "今週" => Some(Tally::Week),
        "total" | "合計" | "累計" | "総計" => Some(Tally::Total),
        _ => None,
    }
}

fn images(section: &OutlineSection, base: usize, out: &mut Vec<ImageRef>, diags: &Diags) {
    for (url, offset) in &section.images {
        let (line, column) = diags.line_column(base + offset);
        out.push(ImageRef {
            url: url.clone(),
            line,
            column,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn clock_times_with_a_colon_or_in_japanese() {
        for (text, time) in [
            ("21:20頃", Some("21:20")),
            ("13:25時点", Some("13:25")),
            ("２１：２０", Some("21:20")),
            ("21時30分頃", Some("21:30")),
            ("9時半", Some("09:30")),
            ("10時頃", Some("10:00")),
            ("朝9時から", Some("09:00")),
            ("3時間", None),
            ("1時間30分", None),
            ("25時", None),
            ("9時75分", None),
            ("123時", None),
            ("時々", None),
        ] {
            assert_eq!(clock_time(text).as_deref(), time, "{text}");
        }
    }

    #[test]
    fn resolved_markers_are_folded_already() {
        for m in RESOLVED_MARKERS {
            assert_eq!(fold(m), m);
        }
    }

    #[test]
    fn resolved_markers_leave_the_title() {
        for (title, left) in [
            ("CORS error 解決済み", "CORS error"),
            ("【解決済】ビルドが通らない", "ビルドが通らない"),
            ("RESOLVED: CORS", "CORS"),
            ("CORS ✅ Resolved", "CORS"),
            ("[解決] 画像が出ない", "画像が出ない"),
            // A character that lower-cases longer (İ to i and a dot) before the
            // marker: the marker is still found where it is.
            ("İ 解決済み", "İ"),
            ("resolve the build", "resolve the build"),
        ] {
            assert_eq!(strip_markers(title), left, "{title}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The day page renders a tasks section without its lists, cut where the note's
        /// one parse found them: what it renders is what cutting the lists a parse of the
        /// section alone finds gives. One arrangement differs and is left out here (a
        /// definition comes with a blank line after it): a link reference definition
        /// after a list and right before a setext underline (`===`), which the parser
        /// counts in the list when it reads the whole note and not when it reads the
        /// section alone.
        #[test]
        fn a_tasks_sections_lists_are_those_of_the_section_parsed_alone(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "- 課題A（2h）\n", "  - 下位（30m）\n", "    - さらに下\n", "* 星\n", "+ 足し\n",
                "1. 一\n", "2) 二\n", "- [ ] 未\n", "- [x] 済\n", "\n", "\n\n", "※ メモ\n",
                "段落\n", "    字下げ\n", "> 引用\n", "> - 引用の中\n", "```\n", "~~~\n",
                "<!-- c -->\n", "<div>\n", "| a | b |\n|---|---|\n", "---\n", "===\n",
                "[r]: https://example.com/\n\n", "## 取り組んだ課題一覧\n", "## 学んだこと\n",
                "# 見出し\n", "### 小見出し\n", "- **「強調」**を\n", "\t- タブ\n",
            ]), 0..30)
        ) {
            let text = format!("# 2025-04-28\n## 取り組んだ課題一覧\n{}", parts.concat());
            let source = crate::load::read_source(
                PathBuf::from("content/2025/04/2025-04-28.md"),
                PathBuf::from("2025/04/2025-04-28.md"),
                text.as_bytes(),
            )
            .expect("readable");
            let roles = Roles::default();
            let note = parse(&source, &NoteContext { roles: &roles, exclude: &[] }, true);
            for section in note.sections.iter().filter(|s| s.role == Some(Role::Tasks)) {
                let markdown = section.markdown(&source.text);
                let mut alone = String::new();
                let mut last = 0;
                for list in markdown::outer_lists(markdown) {
                    alone.push_str(&markdown[last..list.start]);
                    last = list.end;
                }
                alone.push_str(&markdown[last..]);
                let html = |src: &str| {
                    let opts = markdown::Options { refs: Some(&note.link_refs), ..Default::default() };
                    markdown::to_html(src, opts)
                };
                proptest::prop_assert_eq!(
                    html(&section.body.without(&source.text, &note.task_lists)),
                    html(&alone),
                    "{:?}",
                    text
                );
            }
        }
    }
}
