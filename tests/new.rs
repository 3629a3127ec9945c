//! `logsite new`: where the note goes, what it carries over, and that it never overwrites.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{files_below, run_logsite, TempLog};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Runs `logsite new DIR --date DATE`; returns (exit code, stdout, stderr).
fn new_note(log: &TempLog, day: &str) -> (i32, String, String) {
    run_logsite(&["new", log.path().to_str().unwrap(), "--date", day])
}

#[test]
fn nested_log_gets_year_month_folders() {
    let log = TempLog::with_seed(&[]);
    let (code, stdout, stderr) = new_note(&log, "2025-05-01");
    assert_eq!(code, 0, "{stderr}");
    let expected = log.path().join("content/2025/05/2025-05-01.md");
    assert_eq!(stdout, format!("{}\n", expected.display()));
    assert!(expected.is_file());
}

#[test]
fn flat_log_stays_flat() {
    let seed = common::seed_text();
    let log = TempLog::new(&[("content/2025-04-28.md", seed.as_bytes())]);
    let (code, stdout, stderr) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0, "{stderr}");
    let expected = log.path().join("content/2025-04-29.md");
    assert_eq!(stdout.trim_end(), expected.display().to_string());
    assert!(expected.is_file());
}

#[test]
fn compact_file_names_keep_their_form() {
    let seed = common::seed_text();
    let log = TempLog::new(&[("content/notes/2025/20250428.md", seed.as_bytes())]);
    let (code, stdout, stderr) = new_note(&log, "2026-01-02");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.trim_end(),
        log.path()
            .join("content/notes/2026/20260102.md")
            .display()
            .to_string()
    );
}

#[test]
fn empty_log_gets_year_month_folders() {
    let log = TempLog::new(&[("book.toml", b"[book]\ntitle = \"t\"\n")]);
    std::fs::create_dir(log.path().join("content")).unwrap();
    let (code, stdout, stderr) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.trim_end(),
        log.path()
            .join("content/2025/04/2025-04-29.md")
            .display()
            .to_string()
    );
}

#[test]
fn stdout_is_exactly_the_path() {
    let log = TempLog::with_seed(&[]);
    let (code, stdout, _) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 1);
    let path = Path::new(stdout.strip_suffix('\n').expect("one line"));
    assert!(path.is_file(), "{stdout:?} names the new note");
}

#[test]
fn seed_next_day_carries_six_undone_steps_grouped_by_area() {
    let log = TempLog::with_seed(&[]);
    let (code, _, stderr) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0, "{stderr}");
    let read = log.open(false);
    let day = &read.days[read
        .day_index(date("2025-04-29"))
        .expect("the new note is read")];
    let text = read.note_text(&day.note).expect("the note is unchanged");
    let refs = &day.note.link_refs;
    let areas: Vec<(String, usize)> = day
        .note
        .tasks
        .iter()
        .map(|t| (t.title(&text, refs), t.children.len()))
        .collect();
    assert_eq!(areas, [("backend".into(), 1), ("infra".into(), 5)]);
    assert!(day.note.tasks[1].children[0]
        .title(&text, refs)
        .starts_with("AWSアーキテクチャ図を修正する"));
    // The step's details come along under it.
    assert_eq!(day.note.tasks[1].children[0].children.len(), 2);
}

#[test]
fn done_steps_are_not_carried() {
    let note =
        "# 今日学んだこと\n\n## 次やること\n- [x] 終わったこと\n- [ ] まだのこと\n- 普通のこと\n";
    let log = TempLog::new(&[("content/2025/04/2025-04-28.md", note.as_bytes())]);
    let (code, stdout, stderr) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(stdout.trim_end()).unwrap();
    assert!(!text.contains("終わったこと"), "{text}");
    assert!(text.contains("- まだのこと\n- 普通のこと\n"), "{text}");
}

#[test]
fn seed_next_day_declares_week_and_total_so_far() {
    let log = TempLog::with_seed(&[]);
    let (code, _, stderr) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0, "{stderr}");
    let read = log.open(false);
    let day = &read.days[read.day_index(date("2025-04-29")).unwrap()];
    let declared = &day.note.declared;
    assert!(declared.today.is_none(), "Today is left for the author");
    assert_eq!(declared.week.as_ref().map(|f| f.minutes), Some(6 * 60));
    assert_eq!(
        declared.total.as_ref().map(|f| f.minutes),
        Some(48 * 60 + 55)
    );
}

#[test]
fn a_new_week_starts_at_zero() {
    let log = TempLog::with_seed(&[]);
    // 2025-05-05 is the Monday after the seed's week.
    let (code, stdout, stderr) = new_note(&log, "2025-05-05");
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(stdout.trim_end()).unwrap();
    assert!(text.contains("- week : 0m\n"), "{text}");
    assert!(text.contains("- Total: 48h 55m\n"), "{text}");
}

#[test]
fn existing_note_is_never_overwritten() {
    let log = TempLog::with_seed(&[]);
    let path = log.path().join("content/2025/04/2025-04-28.md");
    let before = std::fs::read(&path).unwrap();
    let (code, stdout, stderr) = new_note(&log, "2025-04-28");
    assert_ne!(code, 0);
    assert_eq!(stdout, "");
    assert!(stderr.contains("content/2025/04/2025-04-28.md"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn another_file_with_the_date_is_refused() {
    let log = TempLog::with_seed(&[("content/2025/04/2025-04-29-foo.md", b"\xff\xfe broken")]);
    let (code, stdout, stderr) = new_note(&log, "2025-04-29");
    assert_ne!(code, 0);
    assert_eq!(stdout, "");
    assert!(stderr.contains("2025-04-29-foo.md"), "{stderr}");
    assert!(!log.path().join("content/2025/04/2025-04-29.md").exists());
}

#[test]
fn the_log_own_template_wins() {
    let log = TempLog::with_seed(&[(
        "templates/note.md",
        b"# {{ date }}\n\n## Tasks\n{{carried_tasks}}\n\n## Hours\n- week: {{week}}\n- total: {{total}} (since {{previous}})\n",
    )]);
    let (code, stdout, stderr) = new_note(&log, "2025-04-29");
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(stdout.trim_end()).unwrap();
    assert!(
        text.starts_with("# 2025-04-29\n\n## Tasks\n- backend\n"),
        "{text}"
    );
    assert!(
        text.ends_with("- week: 6h\n- total: 48h 55m (since 2025-04-28)\n"),
        "{text}"
    );
}

#[test]
fn an_unknown_placeholder_is_an_error_naming_it() {
    let log = TempLog::with_seed(&[("templates/note.md", b"# {{dat}}\n")]);
    let (code, stdout, stderr) = new_note(&log, "2025-04-29");
    assert_ne!(code, 0);
    assert_eq!(stdout, "");
    assert!(stderr.contains("{{dat}}"), "{stderr}");
    assert!(!log.path().join("content/2025/04/2025-04-29.md").exists());
}

#[test]
fn a_date_a_note_file_name_cannot_hold_is_refused() {
    // chrono reads `+262142-12-31` and `-0001-01-01`, but no note file name holds them:
    // the note written would not be read back with its date.
    let log = TempLog::new(&[]);
    let dir = log.path().to_str().unwrap();
    for day in [
        "+262142-12-31",
        "-0001-01-01",
        "10000-01-01",
        "2025-4-1",
        "2025-02-30",
    ] {
        let (code, _, stderr) = run_logsite(&["new", dir, &format!("--date={day}")]);
        assert_eq!(code, 2, "{day}: {stderr}");
        assert!(stderr.contains("four-digit year"), "{day}: {stderr}");
    }
    assert!(files_below(log.path()).is_empty());
    let (code, out, stderr) = new_note(&log, "0000-01-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(out.trim_end().ends_with("0000-01-01.md"), "{out}");
}

#[test]
fn a_day_left_unwritten_does_not_lose_the_plan() {
    // 5/8 made by `new` and never written: its 次やること is empty, and the plan of 5/7
    // is still the plan for 5/9.
    let plan = "## 取り組んだ課題一覧\n- 実装（2h）\n\n## 次やること\n- ALBのヘルスチェックを設定する\n- デプロイ手順書を書く\n";
    let log = TempLog::new(&[("content/2025/05/2025-05-07.md", plan.as_bytes())]);
    for day in ["2025-05-08", "2025-05-09"] {
        let (code, _, stderr) = new_note(&log, day);
        assert_eq!(code, 0, "{stderr}");
    }
    let text = std::fs::read_to_string(log.path().join("content/2025/05/2025-05-09.md")).unwrap();
    let tasks = text.split("## 現在発生している問題").next().unwrap();
    assert!(
        tasks.contains("- ALBのヘルスチェックを設定する\n- デプロイ手順書を書く\n"),
        "{text}"
    );
}
