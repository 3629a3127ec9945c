//! Scale: notes from scripts/gen-notes, whose expected hours are computed by
//! the generator itself, come out with the same day, week and total minutes.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn generated_notes_match_their_expected_hours() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-notes");
    let status = Command::new("python3")
        .arg(&generator)
        .args(["400", dir.path().to_str().unwrap(), "--seed", "7"])
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): install Python 3 to run scripts/gen-notes")
        });
    assert!(status.success());
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("expected.json")).unwrap())
            .unwrap();
    let log = common::TempLog { dir }.open(false);
    assert_eq!(log.days.len(), 400);
    assert_eq!(log.baseline_minutes, 0);
    for day in &log.days {
        let want = &expected[day.date().to_string()];
        assert_eq!(
            u64::from(day.minutes),
            want["today"].as_u64().unwrap(),
            "{} today",
            day.date()
        );
        assert_eq!(
            u64::from(day.week_minutes),
            want["week"].as_u64().unwrap(),
            "{} week",
            day.date()
        );
        assert_eq!(
            u64::from(day.total_minutes),
            want["total"].as_u64().unwrap(),
            "{} total",
            day.date()
        );
        assert!(
            day.note.diagnostics.is_empty(),
            "{}: {:#?}",
            day.date(),
            day.note.diagnostics
        );
    }
}
