//! `serve`'s rebuilds reuse what the previous build computed; their output must be
//! exactly what a fresh build writes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{files_below, TempLog};
use logsite::site::{build, build_cached, build_cached_edited_first, BuildOptions, SiteCache};

fn options(out: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    o.out_dir = Some(out.to_path_buf());
    o
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .filter(|f| f != ".logsite-build")
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// The files that are in only one of `a` and `b`, and those whose bytes differ.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn note(hours: &str, learning: &str) -> String {
    format!("## 取り組んだ課題一覧\n- 学習({hours})\n\n## わかったこと\n- {learning}\n\n## 現在発生している問題\n- **CORSエラー**（10:00頃）\n")
}

/// The seed and two days after it.
fn three_days() -> TempLog {
    TempLog::with_seed(&[
        (
            "content/2025/04/2025-04-29.md",
            note("2h", "CORSはブラウザが守る").as_bytes(),
        ),
        (
            "content/2025/04/2025-04-30.md",
            note("1h", "S3の設定").as_bytes(),
        ),
    ])
}

/// The files of a fresh build of `log` (not cached) into a temp folder.
fn fresh_build(log: &TempLog) -> BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().unwrap();
    build(log.path(), &options(&fresh.path().join("site"))).expect("fresh build");
    snapshot(&fresh.path().join("site"))
}

/// The seed and a day after it, built once with a cache into `public/`.
fn built_once() -> (TempLog, std::path::PathBuf, SiteCache) {
    let log = TempLog::with_seed(&[("content/2025/04/2025-04-29.md", note("2h", "a").as_bytes())]);
    let out = log.path().join("public");
    let mut cache = SiteCache::default();
    build_cached(log.path(), &options(&out), &mut cache).expect("first build");
    (log, out, cache)
}

#[test]
fn cached_rebuilds_write_what_a_fresh_build_writes() {
    let log = three_days();
    let incremental = log.path().join("public");
    let mut cache = SiteCache::default();
    let first = build_cached(log.path(), &options(&incremental), &mut cache).expect("first build");
    assert_eq!(first.days, 3);

    // An edit of hours and text, a new note, and a deleted one.
    log.write(
        "content/2025/04/2025-04-29.md",
        &note("3h", "CORSはサーバーが許可し、ブラウザが守る"),
    );
    log.write(
        "content/2025/05/2025-05-01.md",
        &note("30m", "Route53の設定"),
    );
    std::fs::remove_file(log.path().join("content/2025/04/2025-04-30.md")).unwrap();
    let second =
        build_cached(log.path(), &options(&incremental), &mut cache).expect("second build");
    assert!(second.reused > 0, "unchanged pages are kept");

    assert_eq!(
        differences(&snapshot(&incremental), &fresh_build(&log)),
        Vec::<String>::new(),
        "stale, missing or different from a fresh build"
    );
    assert!(!incremental.join("days/2025-04-30.html").exists());
    let page = std::fs::read_to_string(incremental.join("days/2025-04-29.html")).unwrap();
    assert!(page.contains("サーバーが許可し"));

    // A tag is a new topic (every day is searched for it again), a title shows in the
    // lists and a next step in the next steps, then all are gone.
    let tagged = format!(
        "---\ntitle: 計画の日\ntags: [学習計画]\n---\n{}\n## 次やること\n- Route53のレコードを確認\n",
        note("30m", "Route53の設定")
    );
    for (text, topic_page) in [
        (tagged.as_str(), true),
        (&note("30m", "Route53の設定"), false),
    ] {
        log.write("content/2025/05/2025-05-01.md", text);
        build_cached(log.path(), &options(&incremental), &mut cache).expect("rebuild");
        assert_eq!(
            differences(&snapshot(&incremental), &fresh_build(&log)),
            Vec::<String>::new(),
            "after writing {text}"
        );
        assert_eq!(
            incremental.join("topics/学習計画.html").exists(),
            topic_page,
            "{text}"
        );
    }
}

#[test]
fn a_cached_rebuild_that_fails_writes_nothing() {
    let (log, out, mut cache) = built_once();
    let before = snapshot(&out);
    log.write("content/2025/04/2025-04-29.md", &note("2h", "b"));
    log.write("templates/day.html", "{% broken");
    assert!(build_cached(log.path(), &options(&out), &mut cache).is_err());
    std::fs::remove_file(log.path().join("templates/day.html")).unwrap();
    std::fs::write(
        log.path().join("content/2025/04/2025-04-29.md"),
        b"\xFF\xFE",
    )
    .unwrap();
    assert!(build_cached(log.path(), &options(&out), &mut cache).is_err());
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_page_deleted_from_the_output_is_written_again() {
    let (log, out, mut cache) = built_once();
    std::fs::remove_file(out.join("days/2025-04-28.html")).unwrap();
    log.write("content/2025/04/2025-04-29.md", &note("2h", "b"));
    build_cached(log.path(), &options(&out), &mut cache)
        .expect("the rebuild renders what is missing");
    assert!(out.join("days/2025-04-28.html").is_file());
}

#[test]
fn edited_days_are_written_first_as_a_fresh_build_writes_them() {
    let log = three_days();
    let out = log.path().join("public");
    let mut cache = SiteCache::default();
    build_cached(log.path(), &options(&out), &mut cache).expect("first build");

    // An edit that changes the day's hours (so the totals of the next day too) and its
    // problem's knowledge-base link, and a new note.
    log.write(
        "content/2025/04/2025-04-29.md",
        &note("3h", "CORSはサーバーが許可し、ブラウザが守る").replace("CORSエラー", "S3の403"),
    );
    log.write("content/2025/05/2025-05-01.md", &note("30m", "Route53"));
    let mut seen_first = Vec::new();
    let summary = build_cached_edited_first(log.path(), &options(&out), &mut cache, &mut |pages| {
        // What is on disk when serve tells the tabs: the edited pages, and nothing else yet.
        seen_first = pages
            .iter()
            .map(|p| (p.clone(), std::fs::read(out.join(p)).ok()))
            .collect();
        assert!(
            std::fs::read_to_string(out.join("index.html"))
                .unwrap()
                .contains("2025-04-30"),
            "the dashboard is not written yet"
        );
    })
    .expect("rebuild");
    assert_eq!(
        summary.first,
        ["days/2025-04-29.html", "days/2025-05-01.html"]
    );
    let changed = summary.changed.expect("an incremental rebuild");
    assert!(
        changed.contains(&"days/2025-04-30.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"days/2025-04-29.html".to_string()),
        "{changed:?}"
    );

    let fresh = fresh_build(&log);
    assert_eq!(seen_first.len(), 2);
    for (page, bytes) in &seen_first {
        assert_eq!(bytes.as_ref(), fresh.get(page), "{page} written first");
    }
    assert_eq!(differences(&snapshot(&out), &fresh), Vec::<String>::new());
}

#[test]
fn a_rebuild_failing_after_the_edited_day_was_written_puts_it_back() {
    let (log, out, mut cache) = built_once();
    // The week page cannot be written: a folder stands where it goes.
    let week = out.join("weeks/2025-W18.html");
    std::fs::remove_file(&week).unwrap();
    std::fs::create_dir_all(week.join("in-the-way")).unwrap();
    let before = snapshot(&out);

    log.write("content/2025/04/2025-04-29.md", &note("2h", "b"));
    let mut first = Vec::new();
    let failed = build_cached_edited_first(log.path(), &options(&out), &mut cache, &mut |pages| {
        first = pages.to_vec()
    });
    assert!(failed.is_err(), "the week page cannot be written");
    assert_eq!(first, ["days/2025-04-29.html"], "the day was written first");
    assert_eq!(differences(&snapshot(&out), &before), Vec::<String>::new());

    std::fs::remove_dir_all(&week).unwrap();
    build_cached(log.path(), &options(&out), &mut cache).expect("the next rebuild");
    assert_eq!(
        differences(&snapshot(&out), &fresh_build(&log)),
        Vec::<String>::new()
    );
}

#[test]
fn a_cached_rebuild_after_book_toml_renames_a_section_matches_a_fresh_build() {
    let (log, out, mut cache) = built_once();
    log.write(
        "content/2025/04/2025-04-30.md",
        "## 取り組んだ課題一覧\n- 学習(1h)\n\n## 学んだこと\n- CORSはプリフライトで確かめる\n",
    );
    build_cached(log.path(), &options(&out), &mut cache).expect("rebuild");
    // Now 学んだこと is a learnings section: the topic CORS lists the learning.
    let book = std::fs::read_to_string(log.path().join("book.toml")).unwrap_or_default();
    log.write(
        "book.toml",
        &format!("{book}\n[sections]\nlearnings = [\"学んだこと\"]\n"),
    );
    build_cached(log.path(), &options(&out), &mut cache).expect("rebuild");
    assert_eq!(
        differences(&snapshot(&out), &fresh_build(&log)),
        Vec::<String>::new()
    );
    let topic = std::fs::read_to_string(out.join("topics/cors.html")).unwrap();
    assert!(topic.contains("プリフライトで確かめる"), "{topic}");
}

#[test]
fn cached_rebuilds_report_each_problem_once_as_a_fresh_build_does() {
    // A missing screenshot (an error the log stage adds to the note) and a declared
    // total logsite computes otherwise (a warning added with the hours): a rebuild
    // reuses the parsed note, and must not carry the last build's findings into it.
    let log = TempLog::with_seed(&[(
        "content/2025/04/2025-04-29.md",
        "## 取り組んだ課題一覧\n- 学習(2h)\n\n![画面](gone.png)\n\n## 学習時間\nTotal: 999h\n"
            .as_bytes(),
    )]);
    let fresh_messages = || {
        let fresh = tempfile::tempdir().unwrap();
        let summary = build(log.path(), &options(&fresh.path().join("site"))).expect("fresh");
        messages(&summary.diagnostics)
    };
    let out = log.path().join("public");
    let mut cache = SiteCache::default();
    for round in 0..4 {
        if round == 2 {
            // An edit of the other note: this one is reused from the cache.
            log.write("content/2025/04/2025-04-28.md", &note("1h", "edited"));
        }
        let expected = fresh_messages();
        assert!(
            expected.iter().any(|m| m.contains("gone.png")),
            "{expected:?}"
        );
        let summary = build_cached(log.path(), &options(&out), &mut cache).expect("build");
        assert_eq!(messages(&summary.diagnostics), expected, "round {round}");
    }
    assert!(
        fresh_messages().iter().all(|m| !m.contains("999")),
        "the edit made the declared total right: the warning must be gone"
    );
}

fn messages(diagnostics: &[logsite::diagnostic::Diagnostic]) -> Vec<String> {
    let mut all: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    all.sort();
    all
}
