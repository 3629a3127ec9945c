//! The site folder belongs to logsite and nothing else does: a build never takes over
//! an author's file, cleans up after killed builds, and never trusts a record of the
//! previous site that a killed rebuild left out of step.

mod common;

use std::path::Path;

use common::{html, run_logsite, text_of, TempLog};
use logsite::site::{build, build_cached, build_cached_edited_first, BuildOptions, SiteCache};

fn options(out: &Path) -> BuildOptions {
    let mut options = BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    options.out_dir = Some(out.to_path_buf());
    options
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn build_refuses_a_file_as_its_destination_and_leaves_it_untouched() {
    let log = TempLog::with_seed(&[("notes.txt", b"an author's file\n")]);
    let file = log.path().join("notes.txt");
    std::os::unix::fs::symlink(&file, log.path().join("link")).unwrap();
    let before = names_in(log.path());
    for dest in ["notes.txt", "link"] {
        let (code, stdout, stderr) = run_logsite(&[
            "build",
            log.path().to_str().unwrap(),
            "-d",
            log.path().join(dest).to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{dest}: {stdout}{stderr}");
        assert!(stderr.contains("refusing to write the site to"), "{stderr}");
        assert!(stderr.contains("not a folder"), "{stderr}");
        assert_eq!(std::fs::read(&file).unwrap(), b"an author's file\n");
        assert!(std::fs::symlink_metadata(log.path().join("link"))
            .unwrap()
            .is_symlink());
        assert_eq!(names_in(log.path()), before, "nothing moved or added");
    }
}

#[test]
fn the_next_build_removes_what_killed_builds_left_and_nothing_else() {
    let log = TempLog::with_seed(&[]);
    let out = log.path().join("public");
    // The id of a process that has ended, as a killed build's has.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let marked = |name: &str| {
        let dir = log.path().join(name);
        std::fs::create_dir_all(dir.join("days")).unwrap();
        std::fs::write(dir.join(".logsite-build"), "# written by logsite\n").unwrap();
        std::fs::write(dir.join("days/page.html"), "<p>half a site</p>").unwrap();
    };
    marked(&format!(".public.building-{pid}-aB3xYz"));
    marked(&format!(".public.old-{pid}"));
    // Look-alikes that are not a killed build's: no marker, another site, a live process.
    std::fs::create_dir(log.path().join(format!(".public.old-{pid}x"))).unwrap();
    std::fs::create_dir(log.path().join(format!(".public.building-{pid}-mine"))).unwrap();
    marked(&format!(".other.building-{pid}-aB3xYz"));
    marked(&format!(".public.building-{}-live", std::process::id()));
    std::fs::write(log.path().join(format!(".public.old-{pid}0")), "a file").unwrap();

    build(log.path(), &options(&out)).expect("build");
    let left = names_in(log.path());
    assert!(
        !left.contains(&format!(".public.building-{pid}-aB3xYz")),
        "{left:?}"
    );
    assert!(!left.contains(&format!(".public.old-{pid}")), "{left:?}");
    for kept in [
        format!(".public.old-{pid}x"),
        format!(".public.building-{pid}-mine"),
        format!(".other.building-{pid}-aB3xYz"),
        format!(".public.building-{}-live", std::process::id()),
        format!(".public.old-{pid}0"),
    ] {
        assert!(left.contains(&kept), "{kept} was removed: {left:?}");
    }
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_rebuild_killed_after_the_edited_page_never_leaves_it_stale() {
    let log = TempLog::with_seed(&[]);
    let note = "content/2025/04/2025-04-28.md";
    let seed = common::seed_text();
    let out = log.path().join("public");
    let mut cache = SiteCache::default();
    build_cached(log.path(), &options(&out), &mut cache).expect("first build");
    let page = "days/2025-04-28.html";
    let original = std::fs::read(out.join(page)).unwrap();

    // serve's rebuild writes the edited day first; the process dies right after.
    log.write(
        note,
        &seed.replacen("ハッカソン（6h）", "ハッカソン編集中の見出し（6h）", 1),
    );
    let killed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = build_cached_edited_first(log.path(), &options(&out), &mut cache, &mut |_| {
            panic!("killed after the edited page was written")
        });
    }));
    assert!(killed.is_err());
    let edited = std::fs::read_to_string(out.join(page)).unwrap();
    assert!(
        edited.contains("編集中の見出し"),
        "the edit was written first"
    );

    // The author undoes the edit; the next build must show the note as it is.
    log.write(note, &seed);
    build(log.path(), &options(&out)).expect("build after the kill");
    let rebuilt = std::fs::read(out.join(page)).unwrap();
    assert_eq!(rebuilt, original, "the page matches the note again");
    let doc = html(&out, page);
    assert!(!text_of(&doc, "main").contains("編集中の見出し"));
}
