//! The seed note, read as it is: the reference for the whole format.

mod common;

use common::TempLog;
use logsite::diagnostic::Severity;

#[test]
fn seed_note_counts_six_hours_with_no_warning() {
    let log = TempLog::with_seed(&[]).open(false);
    assert_eq!(log.days.len(), 1);
    let day = &log.days[0];
    assert_eq!(day.minutes, 360);
    assert_eq!(day.week_minutes, 360);
    assert_eq!(day.total_minutes, 2935);
    assert_eq!(log.baseline_minutes, 2575);
    assert!(
        day.note.diagnostics.is_empty(),
        "{:#?}",
        day.note.diagnostics
    );
    assert!(log.all_diagnostics().is_empty());
    let d = &day.note.declared;
    assert_eq!(d.today.as_ref().map(|f| f.minutes), Some(360));
    assert_eq!(d.week.as_ref().map(|f| f.minutes), Some(360));
    assert_eq!(d.total.as_ref().map(|f| f.minutes), Some(2935));
}

#[test]
fn seed_task_tree_excludes_the_meeting() {
    // Kept until the end: the notes are read again from it.
    let temp = TempLog::with_seed(&[]);
    let log = temp.open(false);
    let tasks = &log.days[0].note.tasks;
    let text = log
        .note_text(&log.days[0].note)
        .expect("the note is unchanged");
    let refs = &log.days[0].note.link_refs;
    assert_eq!(tasks.len(), 1);
    let hackathon = &tasks[0];
    assert_eq!(hackathon.title(&text, refs), "ハッカソン");
    assert_eq!(hackathon.own_minutes, Some(360));
    assert!(hackathon.counted);
    let children: Vec<(String, Option<u32>, bool)> = hackathon
        .children
        .iter()
        .map(|t| (t.title(&text, refs), t.minutes, t.counted))
        .collect();
    assert_eq!(
        children,
        [
            ("ミーティング".to_string(), Some(120), false),
            ("backend".to_string(), Some(240), true),
            ("infra".to_string(), Some(120), true)
        ]
    );
    // The meeting's agenda is shown under it, and counts for nothing.
    assert_eq!(hackathon.children[0].children.len(), 5);
    assert!(hackathon.children[0]
        .children
        .iter()
        .all(|t| !t.counted && t.minutes.is_none()));
    // `(13:25時点)` is a clock time, not hours: the progress item has no duration.
    let infra = &hackathon.children[2];
    let progress = infra
        .children
        .iter()
        .find(|t| t.title(&text, refs).contains("進捗"))
        .expect("progress item");
    assert_eq!(progress.title(&text, refs), "進捗(13:25時点)");
    assert_eq!(progress.own_minutes, None);
    assert_eq!(log.days[0].note.excluded_words, ["ミーティング"]);
}

#[test]
fn seed_problem_is_open_with_its_time_and_analysis() {
    // Kept until the end: the notes are read again from it.
    let temp = TempLog::with_seed(&[]);
    let log = temp.open(false);
    let problems = &log.days[0].note.problems;
    let text = log
        .note_text(&log.days[0].note)
        .expect("the note is unchanged");
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    assert_eq!(p.title, "ドメインアクセス時のレスポンスについて");
    assert_eq!(p.time.as_deref(), Some("21:20"));
    assert!(!p.resolved);
    assert!(p
        .details
        .iter()
        .any(|d| d.analysis && d.line.of(&text).starts_with("→ backend側は問題なし")));
    assert!(p
        .details
        .iter()
        .any(|d| !d.analysis && d.line.of(&text).starts_with("特定の一人が")));
}

#[test]
fn seed_has_six_next_steps_with_areas_and_due_dates() {
    // Kept until the end: the notes are read again from it.
    let temp = TempLog::with_seed(&[]);
    let log = temp.open(false);
    let steps = &log.days[0].note.next;
    let text = log
        .note_text(&log.days[0].note)
        .expect("the note is unchanged");
    let refs = &log.days[0].note.link_refs;
    let shape: Vec<(Option<&str>, Option<String>)> = steps
        .iter()
        .map(|s| (s.area.as_deref(), s.due.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        shape,
        [
            (Some("backend"), Some("2025-04-29".into())),
            (Some("infra"), Some("2025-04-30".into())),
            (Some("infra"), None),
            (Some("infra"), None),
            (Some("infra"), None),
            (Some("infra"), None),
        ]
    );
    assert!(steps[0]
        .text(&text, refs)
        .starts_with("管理者機能に変更が生じたため"));
    // `(Datadogは2週間無料)` is neither a duration nor a date.
    assert!(steps[5].text(&text, refs).starts_with("Datadog APIキー"));
    // Details of a step stay with it.
    assert_eq!(
        steps[1].details(&text),
        [
            "RDSパラメータ設計を追加",
            "計画メンテナンスや一時的な障害が発生した際の対応を追加（それに伴い、S3も追加する）"
        ]
    );
    assert_eq!(steps[4].details.len(), 1);
}

#[test]
fn seed_learnings_sections_and_images() {
    // Kept until the end: the notes are read again from it.
    let temp = TempLog::with_seed(&[]);
    let log = temp.open(false);
    let note = &log.days[0].note;
    let text = log.note_text(note).expect("the note is unchanged");
    let refs = &note.link_refs;
    assert_eq!(note.learnings.len(), 3);
    let learned = note.learnings[1].text(&text, refs);
    assert!(learned.contains("「それらを組み合わせたシステム全体のつながり」"));
    assert!(!learned.contains("**"), "{learned}");
    assert_eq!(
        note.images().collect::<Vec<_>>(),
        ["20250428-pc.png", "20250428-smartphone.png"]
    );
    let headings: Vec<&str> = note
        .sections
        .iter()
        .filter_map(|s| s.heading.as_deref())
        .collect();
    assert_eq!(
        headings,
        [
            "取り組んだ課題一覧",
            "現在発生している問題",
            "わかったこと",
            "感じたこと",
            "次やること",
            "学習時間"
        ]
    );
}

#[test]
fn seed_export_matches_format_md() {
    // Kept until the end: the notes are read again from it.
    let temp = TempLog::with_seed(&[]);
    let log = temp.open(false);
    let json: serde_json::Value = serde_json::from_str(
        &logsite::log::export::Export::new(&log)
            .expect("notes unchanged")
            .to_json(),
    )
    .expect("valid JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(json["baseline_minutes"], 2575);
    assert_eq!(json["total_minutes"], 2935);
    let day = &json["days"][0];
    assert_eq!(day["date"], "2025-04-28");
    assert_eq!(day["minutes"], 360);
    assert_eq!(
        day["declared"],
        serde_json::json!({"today": 360, "week": 360, "total": 2935})
    );
    assert_eq!(day["tasks"][0]["title"], "ハッカソン");
    assert_eq!(day["tasks"][0]["children"][0]["counted"], false);
    let problem = &day["problems"][0];
    assert_eq!(problem["title"], "ドメインアクセス時のレスポンスについて");
    assert_eq!(problem["time"], "21:20");
    assert_eq!(problem["resolved"], false);
    // Added for cohorts: the folded key the knowledge base groups by, and its lines.
    assert_eq!(
        problem["key"],
        logsite::text::fold("ドメインアクセス時のレスポンスについて")
    );
    assert!(problem["details"][0]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    assert_eq!(day["next"][0]["due"], "2025-04-29");
    assert_eq!(day["next"][0]["area"], "backend");
    assert_eq!(day["next"][3]["text"], "CI/CDで自動デプロイで、想定通りのレスポンス \"Hello from FastAPI + MySQL in Docker!\"が返ってくるかを確認する");
    assert_eq!(day["warnings"], serde_json::json!([]));
    assert_eq!(
        json["weeks"][0],
        serde_json::json!({"week": "2025-W18", "start": "2025-04-28", "minutes": 360, "days": 1, "goal_percent": null})
    );
    // Added for the mentor: a lone note's plan is all open, as of its own date.
    assert_eq!(day["next"][0]["state"], "open");
    assert_eq!(json["steps"]["as_of"], "2025-04-28");
    assert_eq!(json["weekly_goal_minutes"], serde_json::Value::Null);
}

#[test]
fn a_missing_screenshot_is_an_error_naming_file_and_line() {
    let seed = common::seed_text();
    let log = TempLog::new(&[("content/2025-04-28.md", seed.as_bytes())]).open(false);
    let diags = log.all_diagnostics();
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(diags[0].line, Some(66));
    assert!(diags[0].message.contains("20250428-pc.png"));
}
