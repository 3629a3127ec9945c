//! Day pages are written without Tera while the log keeps the built-in theme
//! (`site::pages::day_page`). These tests hold that path to the templates: the same
//! log built with a copy of `day.html` of its own (which sends every day page through
//! Tera) must give the same site byte for byte; and a log's own `base.html`,
//! `day.html` or `macros.html` must still shape its day pages.

mod common;

use std::path::Path;

use common::{build_into, html, text_of, texts_of, TempLog};

const DAY_HTML: &str = include_str!("../templates/day.html");
const MACROS_HTML: &str = include_str!("../templates/macros.html");

/// Builds `root` as it is and again with the built-in `day.html` as its own; asserts
/// every file of the two sites is the same, and returns how many day pages there were.
fn same_site_through_tera(root: &Path) -> usize {
    common::same_site_both_ways(
        root,
        "day.html",
        DAY_HTML,
        Some("https://example.github.io/log/"),
    )
    .iter()
    .filter(|rel| rel.starts_with("days/"))
    .count()
}

#[test]
fn the_sample_day_pages_are_the_bytes_the_templates_give() {
    let log = common::sample_copy();
    assert!(same_site_through_tera(log.path()) >= 10);
}

/// Everything a day page prints conditionally, and text that must be escaped.
const ODD_NOTE: &str = r#"+++
title = "Day <one> & \"two\" 'three'"
tags = ["a&b", "<tag>"]
+++
Text before any heading, with <em>inline HTML</em> & an ampersand.

## Tasks
- study <x> & `code` (2h)
    - meeting with the mentor (1h)
        - agenda (30m)
    - reading
- untimed task

※ meetings are not counted

## Problems
- **CORS <error> & "quotes"** (10:00)
    - the header was missing

## Learnings
- learned `code` & <things>

## Feelings
- tired

## My own section
text

## Hours
- Today: 3h
- week: 9h
- Total: 1h
"#;

#[test]
fn odd_notes_give_the_same_bytes_with_and_without_tera() {
    let log = TempLog::new(&[
        (
            "book.toml",
            b"[book]\nlanguage = \"en\"\ntitle = \"A <b>&\\\"'</b> log\"\nauthors = [\"<me>\"]\n[hours]\nexclude = [\"meeting\"]\n".as_slice(),
        ),
        ("content/2026/01/2026-01-05.md", ODD_NOTE.as_bytes()),
        (
            "content/2026/01/2026-01-06.md",
            b"## Tasks\n- a (1h)\n\n## Hours\n- Today:\n- Total: 2h\n",
        ),
        (
            "content/2026/01/2026-01-08.md",
            b"+++\ntitle = \"\"\ntags = []\n+++\n## Learnings\n- only this\n",
        ),
        ("content/kb/cors-error.md", b"# CORS <error> & \"quotes\"\n\nfix it\n"),
    ]);
    assert_eq!(same_site_through_tera(log.path()), 3);
    // And the page says what the note says (the comparison alone would pass if both
    // paths printed nothing).
    let site = build_into(log.path(), None);
    let day = html(&site.path().join("site"), "days/2026-01-05.html");
    assert_eq!(
        text_of(&day, "h1 .day-title"),
        "Day <one> & \"two\" 'three'"
    );
    assert_eq!(texts_of(&day, ".meta .tag"), ["a&b", "<tag>"]);
    assert_eq!(text_of(&day, ".tasks .task-title"), "study <x> & code");
    assert_eq!(
        texts_of(&day, ".pager a").len(),
        2,
        "a next link, top and bottom"
    );
}

#[test]
fn a_single_day_has_no_pager_links() {
    let log = TempLog::with_seed(&[]);
    assert_eq!(same_site_through_tera(log.path()), 1);
    let site = build_into(log.path(), None);
    let day = html(&site.path().join("site"), "days/2025-04-28.html");
    assert!(texts_of(&day, ".pager a").is_empty());
    assert!(texts_of(&day, ".pager-top").is_empty());
}

#[test]
fn a_logs_own_base_and_macros_shape_its_day_pages() {
    let own_macros = MACROS_HTML.replace("<ul class=\"tasks\">", "<ul class=\"tasks own-tree\">");
    let log = common::seed_with_own_theme(&own_macros);
    let site = build_into(log.path(), None);
    let day = html(&site.path().join("site"), "days/2025-04-28.html");
    assert_eq!(text_of(&day, "#own-base"), "学習日報");
    assert!(!texts_of(&day, "ul.own-tree .task-title").is_empty());
    assert!(text_of(&day, "title").starts_with("2025年4月28日(月)"));
}
