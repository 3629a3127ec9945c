//! Nothing unsafe is published (issue 12): files from outside the log folder, private
//! text, characters XML forbids, and a missing screenshot. Each test builds a real log
//! into a temp folder and inspects the whole output tree.

mod common;

#[cfg(unix)]
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::{build_into, html, run_logsite, tiny_png, TempLog};

/// Every path below `dir` (files, folders and links), not following links.
fn everything_below(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The output files whose bytes hold `marker`.
fn files_holding(dir: &Path, marker: &str) -> Vec<PathBuf> {
    everything_below(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .filter(|p| {
            std::fs::read(p).is_ok_and(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
        })
        .collect()
}

/// `check`'s errors, each as its message and its `--> file:line:column` line.
fn check_errors(root: &Path) -> (i32, Vec<String>) {
    let (code, out, err) = run_logsite(&["check", root.to_str().unwrap()]);
    let text = format!("{out}\n{err}");
    let errors = text
        .split("\n\n")
        .filter(|block| block.trim_start().starts_with("error"))
        .map(|block| block.lines().take(2).collect::<Vec<_>>().join(" "))
        .collect();
    (code, errors)
}

/// `logsite build ROOT -d DEST` with the binary: its exit code and stderr.
fn build_with_binary(root: &Path, dest: &Path) -> (i32, String) {
    let (code, _, err) = run_logsite(&[
        "build",
        root.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
    ]);
    (code, err)
}

const OUTSIDE: &str = "OUTSIDE-THE-LOG-7d41";

#[cfg(unix)]
#[test]
fn images_that_resolve_outside_the_log_are_never_published_and_check_reports_each() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), OUTSIDE).unwrap();
    std::fs::create_dir(outside.path().join("shots")).unwrap();
    std::fs::write(outside.path().join("shots/shot.png"), OUTSIDE).unwrap();
    let note = "## わかったこと\n\
                - linked file ![a](leak.png)\n\
                - linked folder ![b](shots/shot.png)\n\
                - climbing out ![c](../../../../../../../../etc/passwd)\n\
                - absolute ![d](/etc/passwd)\n\
                - file URL ![e](file:///etc/passwd)\n\
                - to the password file ![f](passwd.png)\n\
                - a real one ![g](ok.png)\n";
    let png = tiny_png();
    let log = TempLog::new(&[
        ("content/2025/05/2025-05-01.md", note.as_bytes()),
        ("content/2025/05/ok.png", &png),
    ]);
    let notes = log.path().join("content/2025/05");
    std::os::unix::fs::symlink(outside.path().join("secret.png"), notes.join("leak.png")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("shots"), notes.join("shots")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", notes.join("passwd.png")).unwrap();

    // Into a folder beside the log, and where it exists into /dev/shm, another
    // filesystem, where images are copied rather than linked.
    let mut sites = vec![build_into(log.path(), None)];
    if Path::new("/dev/shm").is_dir() {
        let shm = tempfile::tempdir_in("/dev/shm").unwrap();
        let mut options = logsite::site::BuildOptions::new(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        );
        options.out_dir = Some(shm.path().join("site"));
        logsite::site::build(log.path(), &options).expect("the build succeeds");
        sites.push(shm);
    }
    let outside_inodes: Vec<(u64, u64)> = [
        outside.path().join("secret.png"),
        outside.path().join("shots/shot.png"),
        PathBuf::from("/etc/passwd"),
    ]
    .iter()
    .map(|p| std::fs::metadata(p).map(|m| (m.dev(), m.ino())).unwrap())
    .collect();
    let log_inodes: Vec<(u64, u64)> = everything_below(log.path())
        .iter()
        .filter_map(|p| std::fs::symlink_metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| (m.dev(), m.ino()))
        .collect();
    for out in &sites {
        let site = out.path().join("site");
        for path in everything_below(&site) {
            let meta = std::fs::symlink_metadata(&path).unwrap();
            assert!(
                !meta.file_type().is_symlink(),
                "a symlink in the site: {path:?}"
            );
            // A file with other names is one of the log's own files, linked, never
            // a file from elsewhere.
            if meta.is_file() && meta.nlink() > 1 {
                assert!(
                    log_inodes.contains(&(meta.dev(), meta.ino())),
                    "{path:?} has {} names, not all in the log",
                    meta.nlink()
                );
            }
            assert!(
                !outside_inodes.contains(&(meta.dev(), meta.ino())),
                "{path:?} is a hard link to a file outside the log"
            );
        }
        assert_eq!(files_holding(&site, OUTSIDE), Vec::<PathBuf>::new());
        assert_eq!(files_holding(&site, "root:x:0:0"), Vec::<PathBuf>::new());
        // The image inside the log is published, as a regular file.
        let ok = site.join("media/2025/05/ok.png");
        assert!(std::fs::symlink_metadata(&ok).unwrap().is_file());
        // Each refused image is a notice on the page, not an <img>.
        let day = html(&site, "days/2025-05-01.html");
        let sel = scraper::Selector::parse("main img").unwrap();
        let srcs: Vec<&str> = day
            .select(&sel)
            .filter_map(|i| i.value().attr("src"))
            .collect();
        assert_eq!(srcs, ["../media/2025/05/ok.png"]);
        let notices = common::texts_of(&day, ".missing-image");
        assert_eq!(notices.len(), 6, "{notices:?}");
        assert!(
            notices.iter().any(|n| n.contains("shots/shot.png")),
            "{notices:?}"
        );
    }

    let (code, errors) = check_errors(log.path());
    assert_eq!(code, 1);
    for line in 2..=7 {
        let at = format!("2025-05-01.md:{line}:");
        assert!(
            errors.iter().any(|e| e.contains(&at)),
            "no error at line {line}: {errors:#?}"
        );
    }
    assert!(
        !errors.iter().any(|e| e.contains("2025-05-01.md:8:")),
        "{errors:#?}"
    );
}

#[cfg(unix)]
#[test]
fn static_and_template_links_out_of_the_log_fail_the_build_and_linked_folders_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.css"), OUTSIDE).unwrap();
    std::fs::create_dir(outside.path().join("pages")).unwrap();
    std::fs::write(
        outside.path().join("pages/about.md"),
        format!("# About\n{OUTSIDE}\n"),
    )
    .unwrap();
    std::fs::write(outside.path().join("day.html"), OUTSIDE).unwrap();
    let log = TempLog::with_seed(&[("static/own.css", b"body{}")]);
    // A linked folder of pages outside the log is not read at all.
    std::fs::create_dir_all(log.path().join("content/kb")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("pages"),
        log.path().join("content/kb/more"),
    )
    .unwrap();
    let site = build_into(log.path(), None);
    assert!(site.path().join("site/static/own.css").is_file());
    assert_eq!(files_holding(site.path(), OUTSIDE), Vec::<PathBuf>::new());

    for (link, target) in [
        ("static/leak.css", outside.path().join("x.css")),
        ("templates/day.html", outside.path().join("day.html")),
    ] {
        let path = log.path().join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("site");
        let (code, err) = build_with_binary(log.path(), &dest);
        assert_eq!(code, 1, "{link}: {err}");
        assert!(
            err.contains("outside the log folder") && err.contains(link),
            "{err}"
        );
        assert_eq!(files_holding(out.path(), OUTSIDE), Vec::<PathBuf>::new());
        std::fs::remove_file(&path).unwrap();
    }
}

const PRIVATE: &str = "PRIVATE-MARKER";

#[test]
fn private_sections_are_never_published_at_any_depth_or_in_any_page() {
    let p = |n: u32| format!("{PRIVATE}-{n}");
    let note = format!(
        "+++\ntags = [\"CORS\"]\n+++\n\
         ## 取り組んだ課題一覧\n\
         - CORS調査 (2h)\n  ## 非公開\n  {}\n  - {}\n- 実装 (1h)\n\n\
         ## 現在発生している問題\n\
         - CORSエラーが出る\n  > ### Private\n  > {}\n  > ## 公開\n  > PUBLIC-QUOTE\n\n\
         ## わかったこと\n\
         - CORSはブラウザが守る\n  #### 非公開\n  {}\n\n\
         ## 次やること\n\
         - CORSを調べる（2025/05/10まで）\n\n  非公開\n  ---\n  {}\n\n\
         ## 非公開\n{}\n\n\
         ## 感じたこと\n- PUBLIC-AFTER\n",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6)
    );
    let page = |n: u32| format!("# Page\nPUBLIC-PAGE\n\n## 非公開\n{}\n", p(n));
    let (about, kb, explainer) = (page(7), page(8), page(9));
    let explainer = format!("+++\ntitle = \"CORS\"\nterms = [\"CORS\"]\n+++\n{explainer}");
    let log = TempLog::new(&[
        ("content/2025/05/2025-05-01.md", note.as_bytes()),
        ("content/pages/about.md", about.as_bytes()),
        ("content/kb/cors-error.md", kb.as_bytes()),
        ("content/explainers/cors.md", explainer.as_bytes()),
    ]);
    let site = build_into(log.path(), Some("https://example.com/log/"));
    assert_eq!(files_holding(site.path(), PRIVATE), Vec::<PathBuf>::new());
    // What is around the private parts is still published.
    let site = site.path().join("site");
    let day = std::fs::read_to_string(site.join("days/2025-05-01.html")).unwrap();
    for public in ["PUBLIC-AFTER", "PUBLIC-QUOTE", "実装"] {
        assert!(
            day.contains(public),
            "{public} is missing from the day page"
        );
    }
    assert!(!files_holding(&site, "PUBLIC-PAGE").is_empty());
    // The two tasks still count: the private part took nothing with it.
    let log_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/log.json")).unwrap())
            .unwrap();
    assert_eq!(log_json["days"][0]["minutes"], 180, "2 h + 1 h");
    assert_eq!(log_json["days"][0]["tasks"].as_array().unwrap().len(), 2);
}

#[test]
fn characters_xml_forbids_never_reach_the_feed_sitemap_or_pages() {
    // TOML cannot hold a raw control character; its escapes make one.
    let note = "+++\ntitle = \"赤\\u001b[31m字\\u0001\"\n+++\n\
                ## 取り組んだ課題一覧\n- ログ\u{1b}[0m確認 (1h)\n\n\
                ## わかったこと\n- 端末の色\u{1b}[31mコード\u{7}と\u{1}制御文字\u{b}\n";
    let log = TempLog::new(&[("content/2025/05/2025-05-01.md", note.as_bytes())]);
    let out = build_into(log.path(), Some("https://example.com/log/"));
    let site = out.path().join("site");
    for xml in ["atom.xml", "sitemap.xml"] {
        let text = std::fs::read_to_string(site.join(xml)).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{xml} is not XML: {e}"));
    }
    let feed = std::fs::read_to_string(site.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .and_then(|e| e.children().find(|n| n.has_tag_name("title")))
        .and_then(|t| t.text())
        .unwrap();
    assert_eq!(title, "赤\u{FFFD}[31m字\u{FFFD}");
    let forbidden = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    for path in everything_below(&site) {
        let is_markup = path.extension().is_some_and(|x| x == "html" || x == "xml");
        if is_markup {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains(forbidden),
                "{path:?} holds a control character"
            );
        }
    }
    let day = std::fs::read_to_string(site.join("days/2025-05-01.html")).unwrap();
    assert!(day.contains("端末の色\u{FFFD}[31mコード\u{FFFD}と\u{FFFD}制御文字"));
}

#[test]
fn a_missing_screenshot_is_a_notice_naming_the_file_and_the_build_succeeds() {
    let note = "## わかったこと\n- 画面 ![スクリーンショット](shots/20250501-pc.png)\n";
    let log = TempLog::new(&[("content/2025/05/2025-05-01.md", note.as_bytes())]);
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let (code, err) = build_with_binary(log.path(), &dest);
    assert_eq!(code, 0, "{err}");
    let day = html(&dest, "days/2025-05-01.html");
    let notice = common::text_of(&day, "main .missing-image");
    assert!(notice.contains("shots/20250501-pc.png"), "{notice}");
    let sel = scraper::Selector::parse("main img").unwrap();
    assert_eq!(day.select(&sel).count(), 0, "no broken <img>");
    let (code, errors) = check_errors(log.path());
    assert_eq!(code, 1);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("2025-05-01.md:2:") && e.contains("shots/20250501-pc.png")),
        "{errors:#?}"
    );

    // Once the file is there, the page shows it (the page is rendered again).
    let shot = log.path().join("content/2025/05/shots/20250501-pc.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    std::fs::write(&shot, tiny_png()).unwrap();
    let (code, err) = build_with_binary(log.path(), &dest);
    assert_eq!(code, 0, "{err}");
    let day = html(&dest, "days/2025-05-01.html");
    assert_eq!(day.select(&sel).count(), 1);
    assert!(dest.join("media/2025/05/shots/20250501-pc.png").is_file());
}
