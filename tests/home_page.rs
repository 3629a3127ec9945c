//! The home page shows the learner: the newest note's learnings and feelings, hours
//! per area this week, a mark where declared hours differ, a chart that starts at the
//! log's first week, and problem spans in notes and days.

mod common;

use common::{build_into, html, sample_root, text_of, texts_of, TempLog};

#[test]
fn the_home_page_shows_the_newest_notes_learnings_feelings_and_areas() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let home = html(&site, "index.html");
    let learnings = texts_of(&home, "#newest-learnings > li");
    assert_eq!(learnings.len(), 3, "{learnings:?}");
    assert!(
        learnings[0].starts_with("ECSの secretOptions"),
        "{learnings:?}"
    );
    let feelings = texts_of(&home, "#newest-feelings > li");
    assert_eq!(feelings.len(), 3, "{feelings:?}");
    assert!(
        feelings[1].starts_with("Datadogだけはまだ解決できていない"),
        "{feelings:?}"
    );
    // The week of 5/12: areas from the task tree, most first.
    let names = texts_of(&home, "#areas tbody td:first-child");
    let hours = texts_of(&home, "#areas .area-hours");
    let rows: Vec<String> = names
        .iter()
        .zip(&hours)
        .map(|(n, h)| format!("{n} {h}"))
        .collect();
    assert_eq!(rows[0], "infra 11h 30m", "{rows:?}");
    assert!(rows.contains(&"backend 4h 15m".to_string()), "{rows:?}");
    assert!(rows.contains(&"frontend 45m".to_string()), "{rows:?}");
}

#[test]
fn the_week_chart_starts_at_the_first_week_of_a_young_log() {
    let out = build_into(sample_root(), None);
    let home = html(&out.path().join("site"), "index.html");
    let bars = texts_of(&home, ".chart g.bar > title");
    assert_eq!(bars, ["4/28(月): 28h", "5/5(月): 22h", "5/12(月): 19h 30m"]);
    // Month labels of the calendar: the partial first month gave way to June.
    let months = texts_of(&home, ".heatmap text.month");
    assert_eq!(months[0], "2024年6月", "{months:?}");
}

#[test]
fn a_problem_span_counts_notes_and_days() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let kb = html(&site, "kb/index.html");
    let spans = texts_of(&kb, ".kb-item .meta");
    assert!(
        spans.iter().any(|s| s.ends_with("5日分の日報・5日間")),
        "{spans:?}"
    );
    let entry = html(&site, "kb/ドメインアクセス時のレスポンスについて.html");
    assert!(text_of(&entry, ".facts").contains("5日分の日報・5日間"));
}

#[test]
fn a_day_whose_declared_hours_differ_is_marked_on_the_home_page() {
    let log = TempLog::new(&[
        (
            "content/2025-05-01.md",
            "## 取り組んだ課題一覧\n- 作業（2h）\n\n## 学習時間\n- Today: 2h\n".as_bytes(),
        ),
        (
            "content/2025-05-02.md",
            "## 取り組んだ課題一覧\n- 作業（2h）\n\n## 学習時間\n- Today: 3h\n".as_bytes(),
        ),
    ]);
    let out = build_into(log.path(), None);
    let home = html(&out.path().join("site"), "index.html");
    let days = texts_of(&home, ".day-list li");
    assert_eq!(days.len(), 2);
    assert!(
        days[0].contains("申告と計算が違う"),
        "5/2 declares 3h: {days:?}"
    );
    assert!(!days[1].contains("申告と計算が違う"), "{days:?}");
}

#[test]
fn an_excluded_task_is_marked_once_not_on_each_child() {
    let out = build_into(sample_root(), None);
    let day = html(&out.path().join("site"), "days/2025-04-28.html");
    let badges: Vec<String> = texts_of(&day, ".tasks .badge")
        .into_iter()
        .filter(|b| b == "学習時間に含めない")
        .collect();
    assert_eq!(badges.len(), 1, "the seed's meeting has five children");
    assert_eq!(
        texts_of(&day, "li.task.excluded").len(),
        6,
        "all six are still marked excluded"
    );
}

#[test]
fn a_day_page_has_previous_and_next_at_the_top() {
    let out = build_into(sample_root(), None);
    let day = html(&out.path().join("site"), "days/2025-04-29.html");
    let sel = scraper::Selector::parse("nav.pager-top a").unwrap();
    let links: Vec<&str> = day
        .select(&sel)
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        ["../days/2025-04-28.html", "../days/2025-04-30.html"]
    );
}
