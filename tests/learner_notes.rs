//! Notes as a learner starts writing them: hours written beside a task instead of in
//! parentheses, and a note fresh from the template that is not filled in yet.

mod common;

use common::TempLog;
use logsite::diagnostic::{Diagnostic, Severity};
use logsite::log::stats::Summary;

fn warnings(log: &TempLog) -> Vec<Diagnostic> {
    log.open(false)
        .all_diagnostics()
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect()
}

#[test]
fn hours_outside_parentheses_are_warned_at_their_line_with_the_way_to_write_them() {
    let note = "## 取り組んだ課題一覧\n- infra 1h\n- backend: 2h\n- 作業 2時間\n- 設計 1時間30分\n- review(1h)\n- read chapter 3\n- 10:00 standup\n- 2h\n";
    let log = TempLog::new(&[("content/2025-05-01.md", note.as_bytes())]);
    let found: Vec<(Option<usize>, String)> = warnings(&log)
        .into_iter()
        .map(|d| (d.line, d.message))
        .collect();
    let expected = [
        (2, "`1h`", "`- infra(1h)`"),
        (3, "`2h`", "`- backend(2h)`"),
        (4, "`2時間`", "`- 作業(2時間)`"),
        (5, "`1時間30分`", "`- 設計(1時間30分)`"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((line, message), (want_line, hours, fix)) in found.iter().zip(expected) {
        assert_eq!(*line, Some(want_line));
        assert!(
            message.starts_with(hours) && message.ends_with(&format!("write {fix}")),
            "{message}"
        );
    }
    // Not counted: the day has the hour in parentheses only.
    assert_eq!(log.open(false).days[0].minutes, 60);
}

#[test]
fn a_declared_total_is_not_given_a_value_while_hours_are_left_uncounted() {
    let first = "## 取り組んだ課題一覧\n- infra 1h\n- review(1h)\n\n## 学習時間\n- Today: 2h\n- Total: 2h\n";
    let second = "## 取り組んだ課題一覧\n- docs(1h)\n\n## 学習時間\n- Today: 1h\n- Total: 3h\n";
    let log = TempLog::new(&[
        ("book.toml", b"[hours]\nbaseline = \"0h\"\n"),
        ("content/2025-05-01.md", first.as_bytes()),
        ("content/2025-05-02.md", second.as_bytes()),
    ]);
    let declared: Vec<Diagnostic> = warnings(&log)
        .into_iter()
        .filter(|d| d.message.starts_with("declared"))
        .collect();
    assert_eq!(declared.len(), 3, "{declared:#?}");
    for d in &declared {
        assert!(
            !d.message.contains("(write `"),
            "no value is advised: {}",
            d.message
        );
    }
    assert!(declared[0]
        .message
        .ends_with("(the hours at line 2 are outside parentheses and not counted: put them in parentheses first)"));
    // The next day's Total names where the hours were left out.
    assert!(
        declared[2]
            .message
            .starts_with("declared Total 3h but logsite computes 2h")
            && declared[2].message.contains("content/2025-05-01.md:2"),
        "{}",
        declared[2].message
    );
}

#[test]
fn a_note_fresh_from_the_template_is_not_a_day_of_study_and_has_no_warning() {
    let template = logsite::cmd::new::DEFAULT_TEMPLATE
        .replace("{{carried_tasks}}", "- 続きのタスク")
        .replace("{{previous}}", "2025-05-01")
        .replace("{{week}}", "4h")
        .replace("{{total}}", "4h");
    let studied = "## 取り組んだ課題一覧\n- study(2h)\n";
    let log = TempLog::new(&[
        ("content/2025-04-30.md", studied.as_bytes()),
        ("content/2025-05-01.md", studied.as_bytes()),
        ("content/2025-05-02.md", template.as_bytes()),
    ]);
    assert_eq!(
        warnings(&log),
        Vec::new(),
        "an empty `- Today: ` is not read"
    );
    let opened = log.open(false);
    let summary = Summary::new(&opened);
    assert_eq!(
        summary.last_7_days_active, 2,
        "today's empty note is not active"
    );
    assert_eq!(
        summary.streak_days, 2,
        "nor does it end the streak: the day is not over"
    );
    // The week page counts two active days of its three notes.
    let site = common::build_into(log.path(), None);
    let week = common::html(&site.path().join("site"), "weeks/2025-W18.html");
    let meta = common::text_of(&week, "p.meta");
    assert!(meta.ends_with(" 2/7"), "{meta}");
}
