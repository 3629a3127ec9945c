//! Knowledge-base entry pages are written without Tera while the log keeps the built-in
//! theme (`site::pages::kb_page`). These tests hold that path to the template: the same
//! log built with a copy of `kb_entry.html` of its own (which sends every entry page
//! through Tera) must give the same site byte for byte, in both languages, with every
//! branch of the template reached; and a log's own `kb_entry.html` or `base.html` must
//! still shape its entry pages.

mod common;

use std::path::Path;

use common::{build_into, html, text_of, texts_of, TempLog};

const KB_ENTRY_HTML: &str = include_str!("../templates/kb_entry.html");

#[test]
fn the_sample_entry_pages_are_the_bytes_the_template_gives() {
    let log = common::sample_copy();
    assert!(
        !common::same_pages_both_ways(log.path(), "kb_entry.html", KB_ENTRY_HTML, "kb").is_empty()
    );
}

/// A problem carried over 35 days (more than an entry page draws on), with a clock
/// time, a symptom and a suspected cause each day, resolved on the last day with how
/// it was fixed; a learning on each of its days (more than an entry lists), with a
/// detail; and a second problem with nothing but its title. Markup characters
/// everywhere they can be.
fn carried_problem_log(book: &str) -> TempLog {
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    TempLog::daily(&[("book.toml", book.as_bytes())], first, 35, |n| {
        let problem = if n == 34 {
            "- **CORS <error> & \"quotes\" 'x'** (resolved 11:00)\n    - fixed by adding the <header> & \"Vary\"\n".to_string()
        } else {
            format!(
                "- **CORS <error> & \"quotes\" 'x'** (10:{:02})\n    - the header was missing & <b>{n}</b>\n    - → the preflight & \"OPTIONS\" fails\n",
                n % 60
            )
        };
        let other = if n == 0 {
            "- **disk <full> again**\n"
        } else {
            ""
        };
        format!(
            "+++\ntags = [\"CORS\"]\n+++\n## Tasks\n- study (1h)\n\n## Problems\n{problem}{other}\n## Learnings\n- learned CORS & <things> on day {n}\n    - a detail & <i>'{n}'</i>\n"
        )
    })
}

/// The file names of a built site's entry pages (in `kb/`, but its index).
fn entry_pages(site: &Path) -> Vec<String> {
    std::fs::read_dir(site.join("kb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html")
        .collect()
}

const ENGLISH_BOOK: &str = common::MARKUP_TITLED_BOOKS[0];

#[test]
fn carried_problems_give_the_same_bytes_with_and_without_tera_in_both_languages() {
    for book in common::MARKUP_TITLED_BOOKS {
        let log = carried_problem_log(book);
        assert_eq!(
            common::same_pages_both_ways(log.path(), "kb_entry.html", KB_ENTRY_HTML, "kb").len(),
            2,
            "{book}"
        );
    }
    // And the English pages say what the notes say (the comparison alone would pass if
    // both paths printed nothing, or the notes did not reach the branches).
    let log = carried_problem_log(ENGLISH_BOOK);
    let built = build_into(log.path(), None);
    let site = built.path().join("site");
    let entries = entry_pages(&site);
    let page_of = |title: &str| {
        entries
            .iter()
            .map(|name| html(&site, &format!("kb/{name}")))
            .find(|doc| text_of(doc, "h1") == title)
            .unwrap_or_else(|| panic!("no entry titled {title} in {entries:?}"))
    };
    let carried = page_of("CORS <error> & \"quotes\" 'x'");
    assert_eq!(
        text_of(&carried, "title"),
        "CORS <error> & \"quotes\" 'x' · Troubleshooting · A <b>&\"'</b> log"
    );
    assert_eq!(text_of(&carried, ".facts .badge"), "Resolved");
    assert_eq!(texts_of(&carried, ".facts .tag"), ["CORS"]);
    let meta = texts_of(&carried, "p.meta");
    assert!(
        meta[0].starts_with("Drawn from the newest 30 days"),
        "{meta:?}"
    );
    assert!(meta[0].contains("the 5 earlier days"), "{meta:?}");
    assert_eq!(meta[1], "The newest 30 of 35.");
    assert_eq!(texts_of(&carried, ".timeline > li").len(), 30);
    assert_eq!(texts_of(&carried, ".timeline time").len(), 30);
    assert_eq!(texts_of(&carried, ".timeline li.analysis").len(), 29);
    assert_eq!(texts_of(&carried, ".timeline .badge"), ["Resolved"]);
    assert!(texts_of(&carried, "section li")
        .iter()
        .any(|t| t.starts_with("the header was missing & <b>33</b>")));
    assert!(texts_of(&carried, "section li")
        .iter()
        .any(|t| t.starts_with("fixed by adding the <header> & \"Vary\"")));
    assert!(texts_of(&carried, "section li li")
        .iter()
        .any(|t| t == "a detail & <i>'34'</i>"));
    let bare = page_of("disk <full> again");
    assert_eq!(text_of(&bare, ".facts .badge"), "Open");
    assert!(texts_of(&bare, "p.meta").is_empty());
    assert_eq!(texts_of(&bare, "section > p"), ["—", "—", "—"]);
    assert_eq!(texts_of(&bare, ".timeline > li").len(), 1);
}

#[test]
fn an_own_entry_template_or_base_still_shapes_the_entry_pages() {
    let log = carried_problem_log(ENGLISH_BOOK);
    log.write(
        "templates/kb_entry.html",
        &KB_ENTRY_HTML.replace(
            "<article class=\"kb-entry\">",
            "<article class=\"kb-entry\"><p id=own-entry>mine</p>",
        ),
    );
    let built = build_into(log.path(), None);
    let site = built.path().join("site");
    let kb = entry_pages(&site);
    assert_eq!(kb.len(), 2);
    for name in &kb {
        assert_eq!(
            text_of(&html(&site, &format!("kb/{name}")), "#own-entry"),
            "mine"
        );
    }
    std::fs::remove_file(log.path().join("templates/kb_entry.html")).unwrap();
    log.write(
        "templates/base.html",
        "<!DOCTYPE html><html><head><title>{% block title %}{% endblock title %}</title></head><body><p id=own-base>{{ site_title }}</p>{% block main %}{% endblock main %}</body></html>",
    );
    let built = build_into(log.path(), None);
    let site = built.path().join("site");
    for name in &kb {
        let page = html(&site, &format!("kb/{name}"));
        assert_eq!(text_of(&page, "#own-base"), "A <b>&\"'</b> log");
        assert!(!texts_of(&page, ".timeline > li").is_empty());
    }
}
