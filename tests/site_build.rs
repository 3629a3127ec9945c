//! `logsite build` on real logs: the HTML a mentor reads, parsed, not grepped.

mod common;

use std::path::Path;

use common::{build_into, files_below, html, sample_root, text_of, texts_of, TempLog};

#[test]
fn dashboard_shows_the_sample_totals() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let home = html(&site, "index.html");
    // Independently recomputed from the sample notes' task trees (42h 55m baseline + 16 days).
    assert_eq!(text_of(&home, "#fig-total"), "112h 25m");
    assert_eq!(text_of(&home, "#fig-week"), "19h 30m");
    assert_eq!(text_of(&home, "#fig-7days"), "19h 30m");
    assert_eq!(text_of(&home, "#fig-streak"), "1日");
    // The open problem of the sample links to its knowledge-base entry.
    let open = texts_of(&home, "ul.problems li a");
    assert_eq!(open, ["DatadogにECSのログが届かない"]);
    // The log is three weeks old: three weekly bars, not nine empty ones before them.
    let bars = texts_of(&home, ".chart .bar title");
    assert_eq!(bars.len(), 3);
    assert!(bars[2].ends_with("19h 30m"), "{bars:?}");
    assert!(bars[0].ends_with("28h"), "{bars:?}");
    // Calendar cells that have a note link to it.
    let sel = scraper::Selector::parse(".heatmap a").unwrap();
    assert_eq!(home.select(&sel).count(), 16);
    assert_eq!(
        html(&site, "index.html")
            .root_element()
            .value()
            .attr("lang"),
        Some("ja")
    );
}

#[test]
fn seed_day_page_shows_the_task_tree_and_the_tally() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let day = html(&site, "days/2025-04-28.html");
    assert_eq!(text_of(&day, "#day-hours"), "6h");
    assert_eq!(text_of(&day, "h1"), "2025年4月28日(月)");
    let top = texts_of(&day, "ul.tasks > li.task > .task-title");
    assert_eq!(
        &top[..4],
        [
            "ハッカソン",
            "ミーティング",
            "各担当の進捗確認",
            "AWSアーキテクチャ図の変更点を共有"
        ]
    );
    let hours = texts_of(&day, "li.task > .hours");
    assert_eq!(hours, ["6h", "2h", "4h", "2h"]);
    let excluded = texts_of(&day, "li.task.excluded > .task-title");
    assert_eq!(excluded[0], "ミーティング");
    assert_eq!(
        texts_of(&day, "li.task.excluded > .badge")[0],
        "学習時間に含めない"
    );
    assert_eq!(
        texts_of(&day, "table.tally tbody th"),
        ["今日", "今週", "累計"]
    );
    assert_eq!(
        texts_of(&day, "table.tally tbody td"),
        ["6h", "6h", "6h", "6h", "48h 55m", "48h 55m"]
    );
    assert!(texts_of(&day, "table.tally tr.mismatch").is_empty());
    // Images have their size and load lazily from the copied media.
    let sel = scraper::Selector::parse("img").unwrap();
    let imgs: Vec<_> = day.select(&sel).collect();
    assert_eq!(imgs.len(), 2);
    for img in imgs {
        let src = img.value().attr("src").unwrap();
        assert!(src.starts_with("../media/2025/04/2025042"), "{src}");
        assert!(site.join("days").join(src).exists(), "{src}");
        assert_eq!(img.value().attr("loading"), Some("lazy"));
        assert!(img.value().attr("width").unwrap().parse::<u32>().unwrap() > 100);
    }
    assert_eq!(texts_of(&day, "a[rel=next]"), ["2025年4月29日(火) →"]);
    assert_eq!(texts_of(&day, ".day-header .meta a"), ["2025-W18"]);
}

#[test]
fn seed_renders_right_for_japanese() {
    let log = TempLog::with_seed(&[]);
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    for file in files_below(&site).iter().filter(|f| f.ends_with(".html")) {
        let doc = html(&site, file);
        let body = texts_of(&doc, "body").join(" ");
        assert!(!body.contains("**"), "literal ** on {file}");
    }
    let day = html(&site, "days/2025-04-28.html");
    let strong = texts_of(&day, "strong");
    assert!(
        strong
            .iter()
            .any(|s| s == "\"Hello from FastAPI + MySQL in Docker!\""),
        "{strong:?}"
    );
    assert!(
        strong
            .iter()
            .any(|s| s == "「それらを組み合わせたシステム全体のつながり」"),
        "{strong:?}"
    );
    let body = texts_of(&day, "main").join("");
    assert!(body.contains("CloudFrontのディストリビューション名で設定"));
    let sel = scraper::Selector::parse("a[href='https://saburo.xyz/']").unwrap();
    assert!(day.select(&sel).next().is_some());
    let sel = scraper::Selector::parse("a[href='https://api.saburo.xyz/']").unwrap();
    assert!(day.select(&sel).count() >= 2);
    let sel = scraper::Selector::parse("a[href^='http://localhost']").unwrap();
    assert_eq!(
        day.select(&sel).count(),
        0,
        "localhost has no dot: never a link"
    );
}

/// Every href/src in every page points at a file of the site (or outside it).
fn crawl(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    let sel = scraper::Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    for file in files_below(site)
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
    {
        let doc = html(site, &file);
        let dir = Path::new(&file).parent().unwrap().to_path_buf();
        for el in doc.select(&sel) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.contains("://")
                || url.starts_with("mailto:")
                || url.starts_with('#')
                || url.starts_with("data:")
            {
                continue;
            }
            if url.starts_with('/') {
                broken.push(format!(
                    "{file}: root-absolute link {url} breaks under a subpath"
                ));
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let decoded = percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .unwrap()
                .into_owned();
            let target = site.join(&dir).join(&decoded);
            if !target.is_file() {
                broken.push(format!("{file}: {url}"));
            }
        }
    }
    broken
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let out = build_into(sample_root(), Some("https://example.github.io/repo/"));
    let site = out.path().join("site");
    let broken = crawl(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The crawl saw the whole site.
    let pages = files_below(&site)
        .iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    assert!(pages > 40, "{pages}");
}

#[test]
fn private_sections_and_drafts_never_reach_any_output_file() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    for file in files_below(&site) {
        let bytes = std::fs::read(site.join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("PRIVATE-MARKER-7f3a"),
            "private text leaked into {file}"
        );
        assert!(
            !text.contains("（書きかけ）Datadogのログ"),
            "draft leaked into {file}"
        );
        assert!(
            !text.contains("2025-05-19"),
            "draft date leaked into {file}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("data/log.json")).unwrap()).unwrap();
    assert_eq!(json["total_minutes"], 112 * 60 + 25);
    assert_eq!(json["days"].as_array().unwrap().len(), 16);
}

#[test]
fn feed_sitemap_and_404_use_the_site_url() {
    let out = build_into(sample_root(), Some("https://example.github.io/repo"));
    let site = out.path().join("site");
    let feed = std::fs::read_to_string(site.join("atom.xml")).unwrap();
    assert!(feed.contains(
        "<link rel=\"alternate\" href=\"https://example.github.io/repo/days/2025-05-18.html\"/>"
    ));
    assert_eq!(feed.matches("<entry>").count(), 16);
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.github.io/repo/days/2025-04-28.html</loc>"));
    assert!(!sitemap.contains("2025-05-19"));
    let not_found = html(&site, "404.html");
    let sel = scraper::Selector::parse("link[rel=stylesheet]").unwrap();
    assert_eq!(
        not_found.select(&sel).next().unwrap().value().attr("href"),
        Some("https://example.github.io/repo/static/style.css")
    );
    assert!(site.join(".nojekyll").exists());
    // Without a site URL there is no sitemap, and pages never need one.
    let plain = build_into(sample_root(), None);
    assert!(!plain.path().join("site/sitemap.xml").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let log = TempLog::with_seed(&[]);
    let mut options =
        logsite::site::BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    options.out_dir = Some(log.path().join("public"));
    logsite::site::build(log.path(), &options).expect("first build");
    let before = std::fs::read(log.path().join("public/index.html")).unwrap();
    std::fs::write(
        log.path().join("content/2025/04/2025-04-29.md"),
        b"## Tasks\n\xFF\xFE\n",
    )
    .unwrap();
    let failure =
        logsite::site::build(log.path(), &options).expect_err("a non-UTF-8 note is fatal");
    let message = failure.to_string();
    assert!(message.contains("2025-04-29.md"), "{message}");
    assert!(message.contains("not UTF-8"), "{message}");
    assert_eq!(
        std::fs::read(log.path().join("public/index.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(log.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The author's note is untouched.
    assert_eq!(
        std::fs::read(log.path().join("content/2025/04/2025-04-29.md")).unwrap(),
        b"## Tasks\n\xFF\xFE\n"
    );
}

#[test]
fn build_refuses_an_output_folder_that_would_replace_notes() {
    let log = TempLog::with_seed(&[("book.toml", b"[build]\nbuild-dir = \"content\"\n")]);
    let (code, _, stderr) = common::run_logsite(&["build", log.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("refusing"), "{stderr}");
    assert!(log.path().join("content/2025/04/2025-04-28.md").exists());
    let foreign = TempLog::with_seed(&[("public/keep.txt", b"mine")]);
    let (code, _, stderr) = common::run_logsite(&["build", foreign.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not written by logsite"), "{stderr}");
    assert_eq!(
        std::fs::read(foreign.path().join("public/keep.txt")).unwrap(),
        b"mine"
    );
    // `.` as the build dir would replace the whole log folder.
    let dot = TempLog::with_seed(&[("book.toml", b"[build]\nbuild-dir = \".\"\n")]);
    let (code, _, _) = common::run_logsite(&["build", dot.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(dot.path().join("content/2025/04/2025-04-28.md").exists());
}

#[test]
fn a_folder_with_only_content_builds_and_a_log_template_overrides_the_theme() {
    let log = TempLog::with_seed(&[]);
    let (code, stdout, stderr) = common::run_logsite(&["build", log.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Built "), "{stdout}");
    assert!(
        stdout.contains("from 1 days (48h 55m of study)"),
        "{stdout}"
    );
    assert!(log.path().join("public/static/style.css").exists());
    assert!(log.path().join("public/data/log.json").exists());
    log.write(
        "templates/day.html",
        "<!DOCTYPE html><html><body><p id=own>{{ day.label }} {{ day.hours }}</p></body></html>",
    );
    let (code, _, stderr) = common::run_logsite(&["build", log.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let day = html(&log.path().join("public"), "days/2025-04-28.html");
    assert_eq!(text_of(&day, "#own"), "2025年4月28日(月) 6h");
}

#[test]
fn english_sites_speak_english_and_japanese_topics_keep_their_names() {
    let note = "+++\ntags = [\"キャッシュ\"]\n+++\n## Tasks\n- study (1h)\n\n## Learnings\n- キャッシュ無効化 matters\n";
    let log = TempLog::new(&[
        (
            "book.toml",
            b"[book]\nlanguage = \"en\"\ntitle = \"My log\"\n",
        ),
        ("content/2025-05-02.md", note.as_bytes()),
    ]);
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    let home = html(&site, "index.html");
    assert_eq!(home.root_element().value().attr("lang"), Some("en"));
    assert!(texts_of(&home, "nav a").contains(&"Archive".to_string()));
    assert!(site.join("topics/キャッシュ.html").is_file());
    let topics = html(&site, "topics/index.html");
    let sel = scraper::Selector::parse("a[href*='%E3%82%AD%E3%83%A3%E3%83%83%E3%82%B7%E3%83%A5']")
        .unwrap();
    assert!(
        topics.select(&sel).next().is_some(),
        "the link is percent-encoded Japanese, not romanised"
    );
}

#[test]
fn raw_html_in_a_note_is_escaped_unless_allowed() {
    let note = "## Tasks\n- study (1h) <script>alert(1)</script>\n\n## Learnings\n- <b>bold</b>\n- <IFRAME src=\"https://evil.example/\"></iframe> frame\n\n<style>body{display:none}</style>\n";
    let log = TempLog::new(&[("content/2025-05-02.md", note.as_bytes())]);
    let out = build_into(log.path(), None);
    let page = std::fs::read_to_string(out.path().join("site/days/2025-05-02.html")).unwrap();
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"));
    log.write("book.toml", "[output.html]\nallow-html = true\n");
    let out = build_into(log.path(), None);
    let page = std::fs::read_to_string(out.path().join("site/days/2025-05-02.html")).unwrap();
    assert!(page.contains("<b>bold</b>"));
    // Allowed raw HTML still goes through GFM's tag filter: these tags are text.
    for (tag, filtered) in [
        ("<script>alert(1)", "&lt;script>alert(1)&lt;/script>"),
        (
            "<IFRAME",
            "&lt;IFRAME src=\"https://evil.example/\">&lt;/iframe>",
        ),
        ("<style>body", "&lt;style>body{display:none}&lt;/style>"),
    ] {
        assert!(!page.contains(tag), "{tag} is published as a tag");
        assert!(page.contains(filtered), "{filtered} is missing");
    }
    // The owner's pages keep their HTML as written: an explainer's SVG has a <title>.
    log.write(
        "content/explainers/diagram.md",
        "# Diagram\n\n<svg role=\"img\"><title>the diagram</title></svg>\n",
    );
    let out = build_into(log.path(), None);
    let page = std::fs::read_to_string(out.path().join("site/explainers/diagram.html")).unwrap();
    assert!(page.contains("<svg role=\"img\"><title>the diagram</title></svg>"));
}

#[test]
fn week_page_merges_tasks_and_knowledge_base_tracks_the_cors_problem() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let week = html(&site, "weeks/2025-W18.html");
    assert_eq!(text_of(&week, "#week-hours"), "28h");
    let rows = texts_of(&week, "table.compact tbody tr");
    assert!(
        rows.iter().any(|r| r.starts_with("ハッカソン ")),
        "{rows:?}"
    );
    let kb = html(&site, "kb/index.html");
    let items = texts_of(&kb, ".kb-item");
    assert_eq!(items.len(), 5, "{items:?}"); // four from the notes, one hand-written
    let cors = html(&site, "kb/ドメインアクセス時のレスポンスについて.html");
    assert_eq!(texts_of(&cors, "ol.timeline > li").len(), 5);
    assert!(text_of(&cors, ".facts").contains("解決済み"));
    assert!(text_of(&cors, ".facts").contains("5日"));
    assert!(
        !texts_of(&cors, "section:nth-of-type(2) li").is_empty(),
        "the → analyses are listed"
    );
}

#[test]
fn log_json_in_the_site_equals_stats_json() {
    let out = build_into(sample_root(), None);
    let built = std::fs::read_to_string(out.path().join("site/data/log.json")).unwrap();
    let (code, printed, _) =
        common::run_logsite(&["stats", "--json", sample_root().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(built, printed);
}

#[cfg(unix)]
#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_changed() {
    use std::os::unix::fs::MetadataExt;
    let log = TempLog::with_seed(&[(
        "content/2025/04/2025-04-29.md",
        "## Tasks\n- study (1h)\n".as_bytes(),
    )]);
    let mut options =
        logsite::site::BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    options.out_dir = Some(log.path().join("public"));
    logsite::site::build(log.path(), &options).expect("first build");
    let inode = |rel: &str| {
        std::fs::metadata(log.path().join("public").join(rel))
            .unwrap()
            .ino()
    };
    // The first build's files stay open to the end: a file replaced by a rebuild is
    // freed when the old site is removed, and a later file may then get its inode
    // number (ext4 does reuse them), which would pass for "kept".
    let _held: Vec<std::fs::File> = [
        "days/2025-04-28.html",
        "days/2025-04-29.html",
        "static/style.css",
        "data/log.json",
    ]
    .iter()
    .map(|rel| std::fs::File::open(log.path().join("public").join(rel)).unwrap())
    .collect();
    let (seed_page, other_page, css, export) = (
        inode("days/2025-04-28.html"),
        inode("days/2025-04-29.html"),
        inode("static/style.css"),
        // Written as it is serialised (never whole in memory), and still linked when
        // unchanged.
        inode("data/log.json"),
    );
    let second = logsite::site::build(log.path(), &options).expect("second build");
    assert_eq!(
        second.reused,
        files_below(&log.path().join("public")).len() - 1,
        "all but the manifest reused"
    );
    assert_eq!(inode("days/2025-04-29.html"), other_page);
    assert_eq!(inode("data/log.json"), export);
    // A learning added to the second note changes its page, not the seed's.
    log.write(
        "content/2025/04/2025-04-29.md",
        "## Tasks\n- study (1h)\n\n## Learnings\n- 新しい学び\n",
    );
    logsite::site::build(log.path(), &options).expect("third build");
    assert_ne!(inode("days/2025-04-29.html"), other_page);
    assert_eq!(inode("days/2025-04-28.html"), seed_page);
    assert_eq!(inode("static/style.css"), css);
    let page = std::fs::read_to_string(log.path().join("public/days/2025-04-29.html")).unwrap();
    assert!(page.contains("新しい学び"));
    // Hours are in the export: it is written anew.
    log.write("content/2025/04/2025-04-29.md", "## Tasks\n- study (2h)\n");
    logsite::site::build(log.path(), &options).expect("fourth build");
    assert_ne!(inode("data/log.json"), export);
    let json = std::fs::read_to_string(log.path().join("public/data/log.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(json["days"][1]["minutes"], 120, "{}", json["days"][1]);
}

#[test]
fn a_logs_own_topic_template_may_still_list_each_years_days() {
    // The built-in topic.html prints a year's links from `links_html`; a template of the
    // log's own written against `days` must keep working.
    let note = "+++\ntags = [\"CORS\"]\n+++\n## わかったこと\n- CORSを学んだ\n";
    let log = TempLog::new(&[
        ("content/2026/01/2026-01-05.md", note.as_bytes()),
        ("content/2026/01/2026-01-06.md", note.as_bytes()),
        (
            "templates/topic.html",
            b"{% for y in years %}{% for d in y.days %}<a class=own href=\"{{ root }}{{ d.url }}\">{{ d.label }}</a>{% endfor %}{% endfor %}",
        ),
    ]);
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    let topic = files_below(&site)
        .into_iter()
        .find(|f| f.starts_with("topics/") && f != "topics/index.html")
        .expect("a topic page");
    assert_eq!(texts_of(&html(&site, &topic), "a.own"), ["1/6", "1/5"]);
}
