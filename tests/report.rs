//! The week's report (週報): `logsite report` on the sample's first week gives its
//! figures, the week page's "copy as Markdown" carries the same text, and the weekly
//! goal shows in log.json.

mod common;

use common::{build_into, html, run_logsite, sample_root, text_of};

fn report(args: &[&str]) -> String {
    let root = sample_root().to_str().unwrap();
    let mut all = vec!["report", root];
    all.extend_from_slice(args);
    let (code, out, err) = run_logsite(&all);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn the_report_of_the_seed_week_gives_its_hours_tasks_problems_and_steps() {
    let out = report(&["--week", "2025-W18"]);
    assert!(
        out.starts_with("## 週報 2025-W18（4/28(月) – 5/4(日)）"),
        "{out}"
    );
    // Six notes, 28h, against the sample's goal of 15h.
    assert!(
        out.lines().any(|l| l == "学習時間: 28h / 目標 15h（186%）"),
        "{out}"
    );
    for line in [
        "- 4/28(月): 6h",
        "- 4/29(火): 5h 30m",
        "- 5/4(日): 6h 30m",
        "- infra: 15h 30m",
        "- backend: 9h 45m",
        "- frontend: 1h 15m",
        "- ハッカソン: 26h 30m（6日）",
        "- 個人学習: 1h 30m（1日）",
        "- 発生: ドメインアクセス時のレスポンスについて",
        "- 未解決: なし",
        "- [x] infra: RDS（MySQL）をプライベートサブネットに作成する（2025年5月5日） — 期限 5/5(月), たぶん完了 5/5(月)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
    // The seed's first learning, with its day.
    assert!(out.contains("frontend側の設定ミス"), "{out}");
    // The day hours add up to the week's.
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("- 4/") || l.starts_with("- 5/"))
            .count(),
        6
    );
}

#[test]
fn the_report_links_day_pages_when_the_site_url_is_known_and_reads_as_text() {
    let out = report(&[
        "--week",
        "2025-w18",
        "--format",
        "text",
        "--base-url",
        "https://example.org/log",
    ]);
    assert!(out.contains("【日別】"), "{out}");
    assert!(!out.contains("##"), "{out}");
    assert!(
        out.contains("- 4/28(月) (https://example.org/log/days/2025-04-28.html): 6h"),
        "{out}"
    );
    let md = report(&[
        "--week",
        "2025-W18",
        "--base-url",
        "https://example.org/log/",
    ]);
    assert!(
        md.contains("- [4/28(月)](https://example.org/log/days/2025-04-28.html): 6h"),
        "{md}"
    );
    // No site URL: no links.
    assert!(!report(&["--week", "2025-W18"]).contains("]("));
}

#[test]
fn an_unknown_week_is_an_error_naming_it() {
    let (code, _, err) = run_logsite(&[
        "report",
        sample_root().to_str().unwrap(),
        "--week",
        "2031-W01",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("2031-W01"), "{err}");
}

#[test]
fn each_week_page_embeds_its_report_and_the_goal() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    for week in ["2025-W18", "2025-W20"] {
        let page = html(&site, &format!("weeks/{week}.html"));
        let sel = scraper::Selector::parse("textarea#week-report").unwrap();
        let embedded: String = page
            .select(&sel)
            .next()
            .expect("the report")
            .text()
            .collect();
        assert_eq!(embedded, report(&["--week", week]), "{week}");
        assert!(page
            .select(&scraper::Selector::parse("button.copy-report").unwrap())
            .next()
            .is_some());
    }
    let w18 = html(&site, "weeks/2025-W18.html");
    assert_eq!(text_of(&w18, "#goal .goal-percent"), "186%");
    let home = html(&site, "index.html");
    assert!(text_of(&home, "#goal").starts_with("目標 15h: 19h 30m"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/log.json")).unwrap())
            .unwrap();
    assert_eq!(json["weekly_goal_minutes"], 900);
    assert_eq!(json["weeks"][0]["goal_percent"], 186);
}

#[test]
fn a_weekly_goal_that_is_not_a_duration_is_an_error_naming_the_key() {
    let err = logsite::config::Config::from_toml("[hours]\nweekly-goal = \"lots\"\n").unwrap_err();
    assert!(format!("{err:#}").contains("weekly-goal"), "{err:#}");
    let config = logsite::config::Config::from_toml("[hours]\nweekly-goal = \"1.5h\"\n").unwrap();
    assert_eq!(config.weekly_goal_minutes(), Some(90));
    assert_eq!(
        logsite::config::Config::from_toml("")
            .unwrap()
            .weekly_goal_minutes(),
        None
    );
}
