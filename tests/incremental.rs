//! `serve`'s rebuilds reuse what the previous build computed; their output must be
//! exactly what a fresh build writes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{files_below, TempLog};
use logsite::site::{build, build_cached, BuildOptions, SiteCache};

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

fn note(hours: &str, learning: &str) -> String {
    format!("## 取り組んだ課題一覧\n- 学習({hours})\n\n## わかったこと\n- {learning}\n\n## 現在発生している問題\n- **CORSエラー**（10:00頃）\n")
}

#[test]
fn cached_rebuilds_write_what_a_fresh_build_writes() {
    let log = TempLog::with_seed(&[
        (
            "content/2025/04/2025-04-29.md",
            note("2h", "CORSはブラウザが守る").as_bytes(),
        ),
        (
            "content/2025/04/2025-04-30.md",
            note("1h", "S3の設定").as_bytes(),
        ),
    ]);
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

    let fresh = tempfile::tempdir().unwrap();
    build(log.path(), &options(&fresh.path().join("site"))).expect("fresh build");
    let (a, b) = (snapshot(&incremental), snapshot(&fresh.path().join("site")));
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "stale {only_a:?}, missing {only_b:?}"
    );
    let differ: Vec<_> = a
        .iter()
        .filter(|(k, v)| b[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(differ.is_empty(), "differ from a fresh build: {differ:?}");
    assert!(!incremental.join("days/2025-04-30.html").exists());
    let page = std::fs::read_to_string(incremental.join("days/2025-04-29.html")).unwrap();
    assert!(page.contains("サーバーが許可し"));
}

#[test]
fn a_cached_rebuild_that_fails_writes_nothing() {
    let log = TempLog::with_seed(&[("content/2025/04/2025-04-29.md", note("2h", "a").as_bytes())]);
    let out = log.path().join("public");
    let mut cache = SiteCache::default();
    build_cached(log.path(), &options(&out), &mut cache).expect("first build");
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
    let log = TempLog::with_seed(&[("content/2025/04/2025-04-29.md", note("2h", "a").as_bytes())]);
    let out = log.path().join("public");
    let mut cache = SiteCache::default();
    build_cached(log.path(), &options(&out), &mut cache).expect("first build");
    std::fs::remove_file(out.join("days/2025-04-28.html")).unwrap();
    log.write("content/2025/04/2025-04-29.md", &note("2h", "b"));
    build_cached(log.path(), &options(&out), &mut cache)
        .expect("the rebuild renders what is missing");
    assert!(out.join("days/2025-04-28.html").is_file());
}
