//! Topic pages are written without Tera while the log keeps the built-in theme
//! (`site::pages::topic_page`). These tests hold that path to the template: the same
//! log built with a copy of `topic.html` of its own (which sends every topic page
//! through Tera) must give the same site byte for byte, in both languages, with the
//! template's branches reached; and a log's own `topic.html` must still shape them.

mod common;

use common::{build_into, html, text_of, texts_of, TempLog};

const TOPIC_HTML: &str = include_str!("../templates/topic.html");

#[test]
fn the_sample_topic_pages_are_the_bytes_the_template_gives() {
    let log = common::sample_copy();
    assert!(
        common::same_pages_both_ways(log.path(), "topic.html", TOPIC_HTML, "topics").len() > 10
    );
}

/// 35 days over two years, each tagged with two topics and with a learning about the
/// first (more than a topic page lists), some with details; a problem carried over the
/// days and resolved on the last, and one written once; an explainer of the first
/// topic. Markup characters everywhere they can be.
fn topic_log(book: &str) -> TempLog {
    let explainer =
        b"+++\ntitle = \"CORS <&> \\\"explained\\\"\"\nterms = [\"CORS\"]\n+++\nWhat CORS is.\n";
    let files: [(&str, &[u8]); 2] = [
        ("book.toml", book.as_bytes()),
        ("content/explainers/cors.md", explainer),
    ];
    let first = chrono::NaiveDate::from_ymd_opt(2025, 12, 15).unwrap();
    TempLog::daily(&files, first, 35, |n| {
        let problem = match n {
            34 => "- **CORS <error> & \"quotes\"** (resolved 11:00)\n    - fixed\n".to_string(),
            3 => "- **Redis & CORS 'once'**\n".to_string(),
            _ => format!("- **CORS <error> & \"quotes\"**\n    - still failing {n}\n"),
        };
        let details = if n % 2 == 0 {
            format!("    - a detail & <i>'{n}'</i>\n")
        } else {
            String::new()
        };
        format!(
            "+++\ntags = [\"CORS\", \"Redis <&>\"]\n+++\n## Tasks\n- study (1h)\n\n## Problems\n{problem}\n## Learnings\n- learned CORS & <things> on day {n}\n{details}"
        )
    })
}

const ENGLISH_BOOK: &str = common::MARKUP_TITLED_BOOKS[0];

#[test]
fn topics_give_the_same_bytes_with_and_without_tera_in_both_languages() {
    for book in common::MARKUP_TITLED_BOOKS {
        let log = topic_log(book);
        assert!(
            common::same_pages_both_ways(log.path(), "topic.html", TOPIC_HTML, "topics").len() >= 2,
            "{book}"
        );
    }
    // And the English page says what the notes say (the comparison alone would pass if
    // both paths printed nothing, or the notes did not reach the branches).
    let log = topic_log(ENGLISH_BOOK);
    let built = build_into(log.path(), None);
    let site = built.path().join("site");
    let cors = html(&site, "topics/cors.html");
    assert_eq!(text_of(&cors, "title"), "CORS · A <b>&\"'</b> log");
    assert_eq!(
        text_of(&cors, ".callout"),
        "Read the explainer: CORS <&> \"explained\""
    );
    assert_eq!(
        text_of(&cors, "p.meta"),
        "The newest 30; the rest are on the days listed below."
    );
    assert_eq!(texts_of(&cors, ".learnings > li").len(), 30);
    assert!(texts_of(&cors, ".learnings li li")
        .iter()
        .any(|t| t == "a detail & <i>'34'</i>"));
    let problems = texts_of(&cors, ".problems > li");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("CORS <error> & \"quotes\" Resolved"),
        "{problems:?}"
    );
    assert!(problems[0].ends_with("×34"), "{problems:?}");
    assert!(!problems[1].contains('×'), "{problems:?}");
    assert_eq!(texts_of(&cors, ".problems .badge"), ["Resolved"]);
    let years: Vec<String> = texts_of(&cors, "details.topic-year summary");
    assert_eq!(
        years,
        [
            "2026 18days · Learnings 18 · Problems 18",
            "2025 17days · Learnings 17 · Problems 17"
        ]
    );
    assert_eq!(texts_of(&cors, "details[open]").len(), 1);
    assert_eq!(texts_of(&cors, ".day-links a").len(), 35);
}

#[test]
fn an_own_topic_template_still_shapes_the_topic_pages() {
    let log = topic_log(ENGLISH_BOOK);
    log.write(
        "templates/topic.html",
        &TOPIC_HTML.replace("<h1>", "<p id=own-topic>mine</p><h1>"),
    );
    let built = build_into(log.path(), None);
    let site = built.path().join("site");
    let cors = html(&site, "topics/cors.html");
    assert_eq!(text_of(&cors, "#own-topic"), "mine");
    assert_eq!(texts_of(&cors, ".day-links a").len(), 35);
}
