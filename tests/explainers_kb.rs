//! The CORS explainer and the troubleshooting knowledge base, as built from the sample
//! (and, for how an entry picks its learnings, from a log of two days).

mod common;

use common::{build_into, html, sample_root, text_of, texts_of, TempLog};

#[test]
fn the_first_mention_of_a_term_on_a_day_page_links_to_its_explainer() {
    let out = build_into(sample_root(), None);
    let day = html(&out.path().join("site"), "days/2025-04-28.html");
    let links = texts_of(&day, "main a.term");
    // CORS appears a dozen times on the seed's page; only its first mention is a link,
    // and it is the one in the task list (the top of the page).
    assert_eq!(
        links.iter().filter(|t| t.as_str() == "CORS").count(),
        1,
        "{links:?}"
    );
    let first = texts_of(&day, "ul.tasks a.term");
    assert_eq!(first, ["CORS"]);
    let sel = scraper::Selector::parse("main a.term").unwrap();
    assert!(day
        .select(&sel)
        .all(|a| a.value().attr("href") == Some("../explainers/cors.html")));
}

#[test]
fn the_cors_explainer_lists_the_days_that_mention_it_and_carries_its_checker() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let page = html(&site, "explainers/cors.html");
    assert_eq!(text_of(&page, "h1"), "CORS（オリジン間リソース共有）とは");
    let days = texts_of(&page, "ul.day-list li a");
    assert!(days.iter().any(|d| d == "2025年4月28日(月)"), "{days:?}");
    assert!(days.iter().any(|d| d == "2025年5月2日(金)"), "{days:?}");
    // The sequence diagram is inline SVG with a title, and the checker's scripts load.
    let sel = scraper::Selector::parse("article svg title").unwrap();
    assert!(page.select(&sel).next().is_some());
    let sel = scraper::Selector::parse("#cors-checker").unwrap();
    assert!(page.select(&sel).next().is_some());
    let sel = scraper::Selector::parse("script[src]").unwrap();
    let scripts: Vec<&str> = page
        .select(&sel)
        .filter_map(|s| s.value().attr("src"))
        .collect();
    // The rules' three files load in dependency order, then the form.
    let order = [
        "../static/cors-safelist.js",
        "../static/cors-checks.js",
        "../static/cors-check.js",
        "../static/cors-checker.js",
    ];
    let found: Vec<&str> = scripts
        .iter()
        .copied()
        .filter(|s| order.contains(s))
        .collect();
    assert_eq!(found, order, "{scripts:?}");
    assert!(site.join("static/cors-check.js").is_file());
    // Every page's navigation leads to it.
    let home = html(&site, "index.html");
    assert!(texts_of(&home, "nav a").contains(&"CORSとは".to_string()));
}

#[test]
fn the_knowledge_base_groups_problems_across_days_beside_hand_written_entries() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let index = html(&site, "kb/index.html");
    let items = texts_of(&index, ".kb-item > a");
    assert_eq!(items.len(), 5, "{items:?}");
    assert!(items.contains(&"CloudFront経由で古いビルドが表示される".to_string()));
    assert!(texts_of(&index, ".kb-item .badge").contains(&"手書きの記事".to_string()));
    let sel = scraper::Selector::parse(".kb-item[data-status=open]").unwrap();
    assert_eq!(
        index.select(&sel).count(),
        1,
        "one problem is still open at the end of the sample"
    );
    assert!(
        index
            .select(&scraper::Selector::parse("#kb-topic option").unwrap())
            .count()
            > 3
    );

    let entry = html(&site, "kb/ドメインアクセス時のレスポンスについて.html");
    let headings = texts_of(&entry, "section h2");
    assert_eq!(
        headings,
        [
            "症状",
            "原因の推測",
            "わかったこと",
            "解決方法 / 確認",
            "経過"
        ]
    );
    let causes = texts_of(&entry, "section:nth-of-type(2) li");
    assert!(
        causes.iter().any(|c| c.starts_with("backend側は問題なし")),
        "{causes:?}"
    );
    let fix = texts_of(&entry, "section:nth-of-type(4) li");
    assert!(
        fix.iter().any(|c| c.contains("curlのプリフライト")),
        "{fix:?}"
    );
    let learned = texts_of(&entry, "section:nth-of-type(3) li li");
    assert!(
        learned
            .iter()
            .any(|c| c.contains("実際にブロックするのはブラウザ")),
        "{learned:?}"
    );
    // The dashboard links the open problem to its entry.
    let home = html(&site, "index.html");
    let sel = scraper::Selector::parse("ul.problems a").unwrap();
    let href = home
        .select(&sel)
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(href.starts_with("kb/"), "{href}");
}

/// An entry shows the learnings of the days its problem was written on that share one
/// of its topics; an entry whose problem names no topic shows all of them.
#[test]
fn an_entry_shows_its_days_learnings_that_share_its_topics() {
    let day = |learnings: &str, problems: &str| {
        format!(
            "+++\ntags = [\"Docker\", \"CSS\"]\n+++\n## 取り組んだ課題一覧\n- 作業（1h）\n\n\
             ## わかったこと\n{learnings}\n## 現在発生している問題\n{problems}"
        )
    };
    let first = day(
        "- Dockerのキャッシュを学んだ\n- CSSのgridを学んだ\n",
        "- **Dockerのビルドが遅い**\n- **手順書が見つからない**\n",
    );
    let second = day(
        "- Dockerのマルチステージを学んだ\n- CSSのflexを学んだ\n",
        "- **Dockerのビルドが遅い**\n",
    );
    let log = TempLog::new(&[
        ("content/2025-01-01.md", first.as_bytes()),
        ("content/2025-01-02.md", second.as_bytes()),
    ]);
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    let learned = |entry: &str| -> Vec<String> {
        texts_of(&html(&site, entry), "li")
            .into_iter()
            .filter(|text| text.contains("学んだ"))
            .map(|text| text.trim().to_string())
            .collect()
    };
    assert_eq!(
        learned("kb/dockerのビルドが遅い.html"),
        [
            "Dockerのキャッシュを学んだ 2025年1月1日(水)",
            "Dockerのマルチステージを学んだ 2025年1月2日(木)"
        ]
    );
    assert_eq!(
        learned("kb/手順書が見つからない.html"),
        [
            "Dockerのキャッシュを学んだ 2025年1月1日(水)",
            "CSSのgridを学んだ 2025年1月1日(水)"
        ]
    );
}
