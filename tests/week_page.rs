//! Week pages are written without Tera while the log keeps the built-in theme
//! (`site::pages::week_page`). These tests hold that path to the templates: the same
//! log built with a copy of `week.html` of its own (which sends every week page
//! through Tera) must give the same site byte for byte; a change of that copy must
//! show in every week page; and a log's own `base.html` or `macros.html` must still
//! shape its week pages.

mod common;

use std::path::Path;

use common::{build_both_ways, build_into, html, text_of, texts_of, TempLog};

const WEEK_HTML: &str = include_str!("../templates/week.html");
const MACROS_HTML: &str = include_str!("../templates/macros.html");

/// Builds `root` as it is and again with the built-in `week.html` as its own, with and
/// without a site URL (the 週報 links its days when it has one); asserts every file of
/// the two sites is the same, and returns the week pages.
fn same_site_through_tera(root: &Path) -> Vec<String> {
    let mut weeks = Vec::new();
    for base_url in [Some("https://example.github.io/log/"), None] {
        weeks = common::same_site_both_ways(root, "week.html", WEEK_HTML, base_url)
            .into_iter()
            .filter(|rel| rel.starts_with("weeks/"))
            .collect();
    }
    weeks.sort();
    weeks
}

#[test]
fn the_sample_week_pages_are_the_bytes_the_templates_give() {
    let log = common::sample_copy();
    assert!(same_site_through_tera(log.path()).len() >= 3);
}

/// The first week of the odd log: tasks merged over two days (one of them with a
/// child that is not counted), a problem opened, one resolved the day it was written
/// and one still open; learnings with and without details; the last day's steps in
/// areas, done by a check, by the same task, probably by a similar task, and dropped.
const MONDAY: &str = r#"+++
title = "Day <one> & \"two\" 'three'"
tags = ["a&b"]
+++
## Tasks
- study 1 < 2 & `code` (2h)
    - meeting with the mentor (1h)
    - reading & "notes" 'quoted' (30m)
- untimed <task>

## Problems
- **CORS <error> & "quotes"** (10:00)
    - the header was missing
- **Build & 'link' fails** (resolved 11:00)

## Learnings
- learned `code` & <things> "quoted" 'single'
    - a detail & <b>bold</b>
    - another 'detail'
- a learning without details
"#;

const WEDNESDAY: &str = r#"## Tasks
- study 1 < 2 & `code` (1h 30m)
- set up Redis cache (30m)

## Problems
- **CORS <error> & "quotes"**
    - still failing

## Learnings
- second & last <learning>

## Next steps
- api < db & "x" 'y'
    - write the <parser> & "tests" (due 2026-01-09)
    - set up Redis cache for sessions
- infra
    - read the preflight spec
- clean up <old> notes & 'drafts'
"#;

/// A week without tasks: the problem resolved, a step checked, one copied forward.
const NO_TASKS: &str = r#"+++
title = "Nothing & <timed>"
+++
## Problems
- **CORS <error> & "quotes"** ✅ resolved

## Learnings
- only this

## Next steps
- [x] write the <parser> & "tests" (due 2026-01-09)
- deploy & "verify" (due 2026-01-21)
"#;

const TUESDAY: &str = r#"## Tasks
- set up Redis cache for sessions (1h)
- read the CORS preflight spec chapter (30m)
"#;

/// The newest note: its steps are open, one overdue, one due later, one without a
/// deadline.
const NEWEST: &str = r#"+++
title = ""
+++
## Tasks
- write the report (2h)

## Next steps
- deploy & "verify" (due 2026-01-21)
- write the <final> report (due 2026-02-01)
- a step without a deadline
"#;

const ODD_BOOK: &str = "[book]\nlanguage = \"en\"\ntitle = \"A <b>&\\\"'</b> log\"\nauthors = [\"<me>\"]\n[hours]\nweekly-goal = \"3h\"\nexclude = [\"meeting\"]\n";

fn odd_log(book: &str) -> TempLog {
    TempLog::new(&[
        ("book.toml", book.as_bytes()),
        ("content/2026/01/2026-01-05.md", MONDAY.as_bytes()),
        ("content/2026/01/2026-01-07.md", WEDNESDAY.as_bytes()),
        ("content/2026/01/2026-01-13.md", NO_TASKS.as_bytes()),
        ("content/2026/01/2026-01-20.md", TUESDAY.as_bytes()),
        ("content/2026/01/2026-01-22.md", NEWEST.as_bytes()),
    ])
}

#[test]
fn odd_weeks_give_the_same_bytes_with_and_without_tera() {
    let log = odd_log(ODD_BOOK);
    assert_eq!(
        same_site_through_tera(log.path()),
        [
            "weeks/2026-W02.html",
            "weeks/2026-W03.html",
            "weeks/2026-W04.html"
        ]
    );
    // And the pages say what the notes say (the comparison alone would pass if both
    // paths printed nothing, or the notes did not reach the branches).
    let built = build_into(log.path(), None);
    let site = built.path().join("site");
    let first = html(&site, "weeks/2026-W02.html");
    assert_eq!(
        text_of(&first, "title"),
        "2026-W02 · A <b>&\"'</b> log",
        "the title escaped"
    );
    assert!(text_of(&first, "#goal").ends_with("% reached"));
    assert_eq!(
        texts_of(&first, "table.compact tbody td:first-child"),
        [
            "set up Redis cache",
            "study 1 < 2 & code",
            "study 1 < 2 & code › reading & \"notes\" 'quoted'"
        ]
    );
    assert_eq!(
        texts_of(&first, "table.compact tbody td:last-child"),
        ["1", "2", "1"]
    );
    assert_eq!(
        texts_of(&first, ".problems .badge"),
        ["Opened", "Resolved", "Open"]
    );
    assert_eq!(texts_of(&first, ".problems li > a:first-child").len(), 3);
    assert_eq!(texts_of(&first, ".learnings > li > ul > li").len(), 2);
    assert!(text_of(&first, ".learnings > li").starts_with("learned code & <things>"));
    let states: Vec<String> = first
        .select(&scraper::Selector::parse(".steps li").unwrap())
        .map(|li| li.value().attr("class").unwrap().to_string())
        .collect();
    assert_eq!(
        states,
        [
            "step state-done done",
            "step state-done done",
            "step state-done done probable",
            "step state-dropped"
        ]
    );
    assert_eq!(texts_of(&first, ".steps .area")[0], "api < db & \"x\" 'y'");
    assert_eq!(texts_of(&first, ".steps .due").len(), 1);
    assert_eq!(texts_of(&first, ".pager a"), ["2026-W03 →"]);
    let none = html(&site, "weeks/2026-W03.html");
    assert!(texts_of(&none, "table.compact tbody tr").is_empty());
    assert!(text_of(&none, "#goal").starts_with("Goal 3h: 0m"));
    assert!(texts_of(&none, "#goal .badge").is_empty());
    assert_eq!(texts_of(&none, ".bar.empty").len(), 7);
    assert_eq!(text_of(&none, ".day-list .day-title"), "Nothing & <timed>");
    let last = html(&site, "weeks/2026-W04.html");
    assert_eq!(texts_of(&last, ".pager a"), ["← 2026-W03"]);
    assert_eq!(texts_of(&last, ".steps .overdue").len(), 1);
    assert_eq!(texts_of(&last, ".steps .due").len(), 2);
    assert!(texts_of(&last, ".day-list .day-title").is_empty());
}

#[test]
fn weeks_without_a_goal_give_the_same_bytes() {
    let log = odd_log("[book]\nlanguage = \"en\"\n");
    assert_eq!(same_site_through_tera(log.path()).len(), 3);
    let site = build_into(log.path(), None);
    let week = html(&site.path().join("site"), "weeks/2026-W02.html");
    assert!(texts_of(&week, "#goal").is_empty());
}

#[test]
fn a_single_week_has_no_pager_links() {
    let log = TempLog::with_seed(&[]);
    assert_eq!(same_site_through_tera(log.path()).len(), 1);
    let site = build_into(log.path(), None);
    let week = html(&site.path().join("site"), "weeks/2025-W18.html");
    assert!(texts_of(&week, ".pager a").is_empty());
}

/// The comparison is of the pages' every byte: a `week.html` of the log's own that
/// differs from the built-in one by a character shows in every week page and in no
/// other page (the build's list of what it wrote, with each file's hash, changes
/// with them).
#[test]
fn a_changed_week_html_shows_in_every_week_page() {
    let log = odd_log(ODD_BOOK);
    let changed = WEEK_HTML.replacen("<h1>", "<h1 >", 1);
    let (_, differing) = build_both_ways(log.path(), "week.html", &changed, None);
    let mut differing: Vec<&str> = differing
        .iter()
        .map(|d| d.path.as_str())
        .filter(|&rel| rel != ".logsite-build")
        .collect();
    differing.sort_unstable();
    assert_eq!(
        differing,
        [
            "weeks/2026-W02.html",
            "weeks/2026-W03.html",
            "weeks/2026-W04.html"
        ]
    );
}

#[test]
fn a_logs_own_base_and_macros_shape_its_week_pages() {
    let own_macros = MACROS_HTML.replace("<ul class=\"steps\">", "<ul class=\"steps own-steps\">");
    let log = common::seed_with_own_theme(&own_macros);
    let site = build_into(log.path(), None);
    let week = html(&site.path().join("site"), "weeks/2025-W18.html");
    assert_eq!(text_of(&week, "#own-base"), "学習日報");
    assert_eq!(texts_of(&week, "ul.own-steps").len(), 1);
    assert_eq!(text_of(&week, "title"), "2025-W18 · 学習日報");
}
