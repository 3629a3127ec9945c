//! No Markdown anywhere in a log publishes a script URL as a link (issue 12): a
//! link or image with a scheme outside http, https, mailto, tel and ftp is written
//! as its text, on every kind of page, and `check` warns at its line.

mod common;

use std::path::Path;

use common::{run_logsite, TempLog};

/// Each hostile destination, as an author could write it in a Markdown link.
const HOSTILE: [&str; 9] = [
    "javascript:alert(1)",
    "JavaScript:alert(2)",
    "  javascript:alert(3)",
    "&#x01;javascript:alert(4)",
    "java&#9;script:alert(5)",
    "vbscript:msgbox(6)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==",
    "jav&#x0A;ascript:alert(8)",
    "&#32;JAVASCRIPT&colon;alert(9)",
];

/// One list item per hostile form: inline link, image, reference link and autolink.
fn hostile_items(indent: &str) -> String {
    let mut out = String::new();
    for (i, url) in HOSTILE.iter().enumerate() {
        out.push_str(&format!(
            "{indent}- リンク{i} [押す{i}](<{url}>) と ![画像{i}](<{url}>)\n"
        ));
    }
    out.push_str(&format!(
        "{indent}- 参照 [ref] と <javascript:alert(10)> と <VBSCRIPT:x>\n"
    ));
    out
}

fn hostile_note() -> String {
    let items = hostile_items("");
    format!(
        "+++\ntitle = \"危険な[リンク](javascript:alert(14))\"\ntags = [\"[t](javascript:alert(15))\"]\n+++\n# 今日学んだこと\n\n\
         ## 取り組んだ課題一覧\n- ハッカソン（2h）\n{tasks}\n\
         ## 現在発生している問題\n- **[問題](javascript:alert(11))が起きた**\n    - 原因は [不明](vbscript:x)\n\n\
         ## わかったこと\n{items}\n\
         ## 次やること\n- infra\n    - [手順](javascript:alert(12))を書く（2025-05-09まで）\n{next}\n\
         [ref]: javascript:alert(13)\n",
        tasks = hostile_items("    "),
        next = hostile_items("    "),
    )
}

/// A page whose body and front matter (title, tags) hold every hostile form.
fn hostile_page(title: &str, extra_front: &str) -> String {
    format!(
        "+++\ntitle = \"{title} [t](javascript:alert(22))\"\n{extra_front}+++\n# {title}\n\n段落の [リンク](javascript:alert(20)) と ![画像](data:image/svg+xml,x)\n\n{}\n[ref]: javascript:alert(21)\n",
        hostile_items("")
    )
}

fn hostile_log() -> TempLog {
    let note = hostile_note();
    let page = hostile_page("危険なページ", "");
    let kb = hostile_page("危険なKB", "tags = [\"CORS\"]\nstatus = \"open\"\n");
    let explainer = hostile_page("危険な解説", "terms = [\"危険語\"]\n");
    TempLog::with_seed(&[
        ("content/2025/04/2025-04-29.md", note.as_bytes()),
        ("content/pages/danger.md", page.as_bytes()),
        ("content/kb/danger.md", kb.as_bytes()),
        ("content/explainers/danger.md", explainer.as_bytes()),
    ])
}

/// The scheme of a URL as a browser reads it, lower-cased, or None for a relative one.
fn browser_scheme(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Every (file, attribute, value) in the site's HTML whose URL attribute has a scheme
/// outside the allow-list.
fn unsafe_urls(site: &Path) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let all = scraper::Selector::parse("*").unwrap();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if entry.path().extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let doc = scraper::Html::parse_document(&text);
        for el in doc.select(&all) {
            for (name, value) in el.value().attrs() {
                if !matches!(
                    name,
                    "href" | "src" | "action" | "formaction" | "srcset" | "data" | "poster"
                ) {
                    continue;
                }
                if let Some(scheme) = browser_scheme(value) {
                    if !["http", "https", "mailto", "tel", "ftp"].contains(&scheme.as_str()) {
                        found.push((
                            entry.path().display().to_string(),
                            name.to_string(),
                            value.to_string(),
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_page_of_the_site_links_a_script_url() {
    let log = hostile_log();
    let out = common::build_into(log.path(), Some("https://example.com/log/"));
    let site = out.path().join("site");
    // The hostile pages were built (so the assertion below inspected them).
    for page in [
        "days/2025-04-29.html",
        "pages/danger.html",
        "kb/danger.html",
        "explainers/danger.html",
    ] {
        let doc = common::html(&site, page);
        let text = doc.root_element().text().collect::<String>();
        assert!(text.contains("押す0"), "{page} lacks the link text");
        assert!(text.contains("画像1"), "{page} lacks the image description");
    }
    let bad = unsafe_urls(&site);
    assert!(bad.is_empty(), "script URLs published: {bad:#?}");
}

#[test]
fn links_with_refused_schemes_keep_their_text_and_images_their_description() {
    let log = hostile_log();
    let out = common::build_into(log.path(), None);
    let site = out.path().join("site");
    let doc = common::html(&site, "pages/danger.html");
    let sel = scraper::Selector::parse("main li").unwrap();
    let first = doc.select(&sel).next().expect("a list item");
    assert_eq!(first.text().collect::<String>(), "リンク0 押す0 と 画像0");
    // An allowed link beside them is still a link.
    let log = TempLog::with_seed(&[(
        "content/pages/ok.md",
        "+++\ntitle = \"ok\"\n+++\n[a](https://a.example/) [b](mailto:b@b.example) [c](tel:+8100) [d](../x.html) [e](#top) [f](javascript:x)\n".as_bytes(),
    )]);
    let out = common::build_into(log.path(), None);
    let doc = common::html(&out.path().join("site"), "pages/ok.html");
    let sel = scraper::Selector::parse("main p a").unwrap();
    let hrefs: Vec<&str> = doc
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "https://a.example/",
            "mailto:b@b.example",
            "tel:+8100",
            "../x.html",
            "#top"
        ]
    );
}

/// `check`'s diagnostics, one string each (they are printed a blank line apart).
fn diagnostics(output: &str) -> Vec<&str> {
    output
        .split("\n\n")
        .filter(|d| d.contains("  --> "))
        .collect()
}

#[test]
fn check_warns_at_each_script_url_with_file_and_line() {
    let log = hostile_log();
    let (code, stdout, stderr) = run_logsite(&["check", log.path().to_str().unwrap()]);
    assert_eq!(code, 0, "warnings only: {stdout}{stderr}");
    let diags = diagnostics(&stderr);
    let at = |file: &str, line: usize, url: &str| {
        diags.iter().any(|d| {
            d.starts_with("warning: ")
                && d.contains(&format!("{file}:{line}:"))
                && d.contains(url)
                && d.contains("written as text")
        })
    };
    let note = hostile_note();
    let line_of =
        |text: &str, marker: &str| text.lines().position(|l| l.contains(marker)).unwrap() + 1;
    for marker in ["alert(11)", "vbscript:x", "alert(12)"] {
        let line = line_of(&note, marker);
        assert!(
            at("2025-04-29.md", line, marker),
            "no warning at 2025-04-29.md:{line} for {marker}: {stderr}"
        );
    }
    let page = hostile_page("x", "");
    for (file, extra_lines) in [
        ("pages/danger.md", 0),
        ("kb/danger.md", 2),
        ("explainers/danger.md", 1),
    ] {
        let line = line_of(&page, "alert(20)") + extra_lines;
        assert!(
            at(file, line, "javascript:alert(20)"),
            "no warning at {file}:{line}: {stderr}"
        );
    }
    // Every hostile link and image of the note's three lists is named, once each.
    let in_note = diags
        .iter()
        .filter(|d| d.contains("2025-04-29.md:") && d.contains("written as text"))
        .count();
    assert_eq!(in_note, 3 * (2 * HOSTILE.len() + 3) + 3, "{stderr}");
}

#[test]
fn hostile_links_reach_every_kind_of_page_the_check_inspects() {
    let log = hostile_log();
    let out = common::build_into(log.path(), None);
    let site = out.path().join("site");
    let mut pages: Vec<String> = walkdir::WalkDir::new(&site)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| std::fs::read_to_string(e.path()).unwrap().contains("押す"))
        .map(|e| e.path().strip_prefix(&site).unwrap().display().to_string())
        .collect();
    pages.sort();
    // Day, week, an automatic KB entry (the problem), the next-steps page, and the
    // hand-written page, KB entry and explainer.
    for page in [
        "days/2025-04-29.html",
        "weeks/2025-W18.html",
        "kb/問題が起きた.html",
        "next.html",
        "pages/danger.html",
        "kb/danger.html",
        "explainers/danger.html",
    ] {
        assert!(
            pages.contains(&page.to_string()),
            "{page} not in {pages:#?}"
        );
    }
}

#[test]
fn with_allow_html_markdown_links_are_still_filtered_and_raw_html_is_the_authors() {
    let log = hostile_log();
    log.write("book.toml", "[output.html]\nallow-html = true\n");
    log.write(
        "content/pages/raw.md",
        "+++\ntitle = \"raw\"\n+++\n<b class=\"raw\">生のHTML</b> と [x](javascript:alert(1))\n",
    );
    let out = common::build_into(log.path(), None);
    let site = out.path().join("site");
    let doc = common::html(&site, "pages/raw.html");
    assert_eq!(common::text_of(&doc, "main b.raw"), "生のHTML");
    let bad = unsafe_urls(&site);
    assert!(bad.is_empty(), "script URLs published: {bad:#?}");
}
