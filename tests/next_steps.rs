//! Next steps tell the truth: the newest note's list is the plan, a step is one step
//! whatever its deadline's spelling, a step is done when a later note checks it or a
//! later task did it, dropped when it just stops being listed, and `next.html`, the
//! home page, week pages and `data/log.json` agree.

mod common;

use common::{build_into, html, sample_root, text_of, texts_of, TempLog};

fn note(tasks: &[&str], steps: &[&str]) -> String {
    let mut text = String::from("## 取り組んだ課題一覧\n");
    for t in tasks {
        text.push_str(&format!("- {t}\n"));
    }
    text.push_str("\n## 次やること\n");
    for s in steps {
        text.push_str(&format!("- {s}\n"));
    }
    text
}

fn log_json(site: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(site.join("data/log.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The `next` entries of the day `date` in log.json.
fn steps_of(json: &serde_json::Value, date: &str) -> Vec<serde_json::Value> {
    json["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no day {date}"))["next"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_sample_counts_the_same_overdue_steps_on_every_page_and_in_the_export() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let next = html(&site, "next.html");
    let index = html(&site, "index.html");
    let json = log_json(&site);
    // As of the newest note (5/18): two steps on its plan have passed their deadline.
    assert_eq!(text_of(&next, "#overdue-count"), "2");
    assert_eq!(text_of(&index, "#overdue-count"), "2");
    assert_eq!(texts_of(&next, "#overdue .step-text").len(), 2);
    assert_eq!(json["steps"]["overdue"], 2);
    assert_eq!(json["steps"]["as_of"], "2025-05-18");
    assert_eq!(
        index
            .select(&scraper::Selector::parse(".steps .badge.warn").unwrap())
            .count(),
        2,
        "the home page marks the same two"
    );
    // Every overdue step is on the newest note's plan.
    let newest: Vec<String> = steps_of(&json, "2025-05-18")
        .iter()
        .filter(|s| s["overdue"] == true)
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(newest, texts_of(&next, "#overdue .step-text"));
}

#[test]
fn the_rds_step_of_may_4_is_probably_done_by_the_task_of_may_5() {
    let out = build_into(sample_root(), None);
    let site = out.path().join("site");
    let next = html(&site, "next.html");
    let sel = scraper::Selector::parse("#done li.step").unwrap();
    let rds = next
        .select(&sel)
        .find(|li| {
            li.text()
                .collect::<String>()
                .contains("RDS（MySQL）をプライベートサブネットに作成する")
        })
        .expect("the RDS step is among the done ones");
    assert!(rds.value().classes().any(|c| c == "probable"));
    let text: String = rds.text().collect();
    assert!(text.contains("たぶん完了"), "{text}");
    let links: Vec<&str> = rds
        .select(&scraper::Selector::parse("a").unwrap())
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        ["days/2025-05-05.html", "days/2025-05-04.html"],
        "closed by the note of 5/5, written in the note of 5/4"
    );
    let json = log_json(&site);
    let step = &steps_of(&json, "2025-05-04")[0];
    assert_eq!(step["state"], "done");
    assert_eq!(step["overdue"], false);
    assert_eq!(step["closed"]["date"], "2025-05-05");
    assert_eq!(step["closed"]["how"], "similar-task");
}

#[test]
fn a_later_checked_item_closes_a_step_written_with_a_deadline() {
    let log = TempLog::new(&[
        (
            "content/2025-05-18.md",
            note(
                &["作業（1h）"],
                &["デモデータ投入スクリプトを完成させる（5月23日まで）"],
            )
            .as_bytes(),
        ),
        (
            "content/2025-05-25.md",
            note(
                &["作業（1h）"],
                &["[x] デモデータ投入スクリプトを完成させる", "次の作業"],
            )
            .as_bytes(),
        ),
    ]);
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    let next = html(&site, "next.html");
    assert_eq!(text_of(&next, "#overdue-count"), "0");
    assert_eq!(
        texts_of(&next, "#done .step-text"),
        ["デモデータ投入スクリプトを完成させる"],
        "listed once, as its newest copy writes it"
    );
    let closed = text_of(&next, "#done .closed");
    assert!(closed.contains("2025年5月25日"), "{closed}");
    assert!(closed.contains("チェック済み"), "{closed}");
    let json = log_json(&site);
    let first = &steps_of(&json, "2025-05-18")[0];
    assert_eq!(first["state"], "done");
    assert_eq!(first["closed"]["how"], "checked");
    assert_eq!(first["closed"]["url"], "days/2025-05-25.html");
}

#[test]
fn a_step_written_with_two_deadline_spellings_is_one_step() {
    let log = TempLog::new(&[
        (
            "content/2025-05-07.md",
            note(
                &[],
                &["infra\n    - DB Migration用のタスク定義を作成する（5/9まで）"],
            )
            .as_bytes(),
        ),
        (
            "content/2025-05-08.md",
            note(
                &[],
                &["backend\n    - DB Migration用のタスク定義を作成する（2025年5月9日）"],
            )
            .as_bytes(),
        ),
        (
            "content/2025-05-12.md",
            note(&["作業（1h）"], &["別の作業"]).as_bytes(),
        ),
    ]);
    let out = build_into(log.path(), None);
    let next = html(&out.path().join("site"), "next.html");
    let dropped = texts_of(&next, "#dropped .step-text");
    assert_eq!(
        dropped,
        ["DB Migration用のタスク定義を作成する（2025年5月9日）"],
        "one step, as its newest copy writes it"
    );
    assert!(text_of(&next, "#dropped .written").contains("×2"));
}

#[test]
fn a_step_that_stops_being_listed_is_dropped_never_overdue() {
    let log = TempLog::new(&[
        (
            "content/2025-05-01.md",
            note(
                &["作業（1h）"],
                &["古い計画（5/2まで）", "続く計画（5/3まで）"],
            )
            .as_bytes(),
        ),
        (
            "content/2025-05-10.md",
            note(
                &["別のこと（1h）"],
                &["続く計画（5/3まで）", "新しい計画（5/20まで）"],
            )
            .as_bytes(),
        ),
    ]);
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    let next = html(&site, "next.html");
    assert_eq!(
        texts_of(&next, "#overdue .step-text"),
        ["続く計画（5/3まで）"]
    );
    assert_eq!(
        texts_of(&next, "#upcoming .step-text"),
        ["新しい計画（5/20まで）"]
    );
    assert_eq!(
        texts_of(&next, "#dropped .step-text"),
        ["古い計画（5/2まで）"]
    );
    let dropped = text_of(&next, "#dropped .closed");
    assert!(
        dropped.contains("2025年5月10日"),
        "the note that no longer lists it: {dropped}"
    );
    let json = log_json(&site);
    assert_eq!(json["steps"]["open"], 2);
    assert_eq!(json["steps"]["overdue"], 1);
    assert_eq!(json["steps"]["dropped"], 1);
    let old = &steps_of(&json, "2025-05-01")[0];
    assert_eq!(
        (&old["state"], &old["overdue"]),
        (&"dropped".into(), &false.into())
    );
}

#[test]
fn a_later_task_with_the_same_text_closes_a_step_for_sure() {
    let log = TempLog::new(&[
        (
            "content/2025-05-01.md",
            note(&["作業（1h）"], &["ＡＰＩ設計書を更新する（5/2まで）"]).as_bytes(),
        ),
        (
            "content/2025-05-02.md",
            note(&["API設計書を更新（1h）"], &["次のこと"]).as_bytes(),
        ),
    ]);
    let out = build_into(log.path(), None);
    let next = html(&out.path().join("site"), "next.html");
    let sel = scraper::Selector::parse("#done li.step").unwrap();
    let done: Vec<_> = next.select(&sel).collect();
    assert_eq!(done.len(), 1);
    assert!(!done[0].value().classes().any(|c| c == "probable"));
    let text: String = done[0].text().collect();
    assert!(text.contains("課題として記録"), "{text}");
}

#[test]
fn a_task_that_only_shares_a_verb_does_not_close_a_step() {
    let log = TempLog::new(&[
        (
            "content/2025-05-01.md",
            note(&["作業（1h）"], &["ALBを作成する（5/2まで）"]).as_bytes(),
        ),
        (
            "content/2025-05-02.md",
            note(&["ECSクラスター作成（1h）"], &["次のこと"]).as_bytes(),
        ),
    ]);
    let out = build_into(log.path(), None);
    let next = html(&out.path().join("site"), "next.html");
    assert_eq!(
        texts_of(&next, "#dropped .step-text"),
        ["ALBを作成する（5/2まで）"]
    );
    assert!(texts_of(&next, "#done .step-text").is_empty());
}
