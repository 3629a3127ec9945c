//! Notes written as a careless or hostile author would: each still builds, with a
//! warning or error naming file and line, and never crashes or overwrites a page.

mod common;

use std::path::Path;

use common::{files_below, html, run_logsite, text_of, texts_of, TempLog};

const NOTE: &str = "content/2025/04/2025-04-29.md";

/// Runs `logsite build DIR -d DIR/public`; returns (exit code, stderr).
fn build(log: &TempLog) -> (i32, String) {
    let root = log.path().to_str().unwrap();
    let out = log.path().join("public");
    let (code, _, stderr) = run_logsite(&["build", root, "-d", out.to_str().unwrap()]);
    (code, stderr)
}

/// Names in the log folder that a build left beside its site.
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".building-") || n.contains(".old-"))
        .collect()
}

#[test]
fn deeply_nested_lists_build_with_an_error_at_their_line() {
    // 600 levels of tasks (the crash of issue 12), 10,000 of `>` and of `- `.
    let mut note = String::from("---\ntitle: deep\n---\n## 取り組んだ課題一覧\n");
    for i in 0..600 {
        note.push_str(&format!("{}- task{i} (1m)\n", "  ".repeat(i)));
    }
    // On another day, so that the page the test parses stays small.
    let deep = format!("{} q\n\n{}l\n", ">".repeat(10_000), "- ".repeat(10_000));
    let other = format!("## わかったこと\n{deep}\n## 取り組んだ課題一覧\n{deep}");
    let page = format!("# deep\n\n{deep}");
    let log = TempLog::with_seed(&[
        (NOTE, note.as_bytes()),
        ("content/2025/04/2025-04-30.md", other.as_bytes()),
        ("content/pages/deep.md", page.as_bytes()),
        ("content/kb/deep.md", page.as_bytes()),
    ]);
    let (code, stderr) = build(&log);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("nested deeper than 20 levels"), "{stderr}");
    // task20 is the first item below level 20: line 4 + 21.
    assert!(stderr.contains(&format!("{NOTE}:25:")), "{stderr}");
    assert!(leftovers(log.path()).is_empty());

    let day = html(&log.path().join("public"), "days/2025-04-29.html");
    let titles = texts_of(&day, "ul.tasks > li > .task-title");
    assert_eq!(titles.first().map(String::as_str), Some("task0"));
    // Every task is on the page, the deep ones at level 20, in the note's order.
    let all = texts_of(&day, ".task-title");
    assert_eq!(all.len(), 600);
    let task = scraper::Selector::parse(".task-title").unwrap();
    let depth = |el: scraper::ElementRef| {
        el.ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .filter(|a| {
                a.value().name() == "ul"
                    && a.value()
                        .has_class("tasks", scraper::CaseSensitivity::CaseSensitive)
            })
            .count()
    };
    assert_eq!(day.select(&task).map(depth).max(), Some(20));
    assert_eq!(all[599], "task599");

    // `check` fails on the error, naming the same place.
    let (code, stdout, stderr) = run_logsite(&["check", log.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(format!("{stdout}{stderr}").contains(&format!("{NOTE}:25:")));
}

#[test]
fn serve_survives_saving_a_deeply_nested_note() {
    let log = TempLog::with_seed(&[]);
    let server = common::serving::Serving::start(&log);
    let mut note = String::from("## 取り組んだ課題一覧\n");
    for i in 0..600 {
        note.push_str(&format!("{}- task{i} (1m)\n", "  ".repeat(i)));
    }
    log.write(NOTE, &note);
    let page = server.out.join("days/2025-04-29.html");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !page.is_file() {
        assert!(
            std::time::Instant::now() < deadline,
            "the edit was never built"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let reply = ureq::get(&server.url("/days/2025-04-29.html"))
        .call()
        .unwrap();
    assert_eq!(reply.status(), 200);
    server.shut_down();
}

#[test]
fn long_japanese_titles_get_short_distinct_file_names() {
    let long = "とても長い問題のタイトル".repeat(8); // 96 characters, 288 bytes
    let note = format!(
        "---\ntitle: long\ntags: [\"{long}\"]\n---\n## 取り組んだ課題一覧\n- {long} (1h)\n\n## 現在発生している問題\n- **{long}その一**\n- **{long}その二**\n"
    );
    let page_name = format!("content/pages/{}.md", "ページ".repeat(27)); // 243 bytes
    let log = TempLog::with_seed(&[(NOTE, note.as_bytes()), (&page_name, b"# p\n")]);
    let (code, stderr) = build(&log);
    assert_eq!(code, 0, "{stderr}");
    let site = log.path().join("public");
    let files = files_below(&site);
    for folder in ["kb/", "topics/", "pages/"] {
        let named: Vec<&String> = files
            .iter()
            .filter(|f| {
                f.starts_with(folder) && f.contains("とても長い")
                    || f.starts_with(folder) && f.contains("ページ")
            })
            .collect();
        for f in &named {
            let name = Path::new(f).file_name().unwrap().len();
            assert!(name <= 105, "{f}: {name} bytes");
        }
        if folder == "kb/" {
            assert_eq!(named.len(), 2, "two problems, two entries: {files:?}");
        } else {
            assert!(!named.is_empty(), "{folder}: {files:?}");
        }
    }
    // The day page links each problem to its own entry.
    let day = html(&site, "days/2025-04-29.html");
    let links: Vec<String> = day
        .select(&scraper::Selector::parse("a[href*='kb/']").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(links.len() >= 2, "{links:?}");
    for link in &links {
        assert!(
            resolve(&site, "days/2025-04-29.html", link).is_file(),
            "{link}"
        );
    }
}

#[test]
fn reserved_and_colliding_names_get_their_own_pages_and_a_warning() {
    let note = "---\ntitle: names\ntags: [index, \"a b\"]\n---\n## 取り組んだ課題一覧\n- index の作業 (1h)\n- a b の作業 (1h)\n\n## 現在発生している問題\n- **index**\n";
    let next = "---\ntitle: dash\ntags: [a-b]\n---\n## 取り組んだ課題一覧\n- a-b の作業 (1h)\n";
    let log = TempLog::with_seed(&[
        (NOTE, note.as_bytes()),
        ("content/2025/04/2025-04-30.md", next.as_bytes()),
        ("content/pages/a b.md", b"# space\n"),
        ("content/pages/a-b.md", b"# dash\n"),
        ("content/pages/A-B.md", b"# upper\n"),
        ("content/kb/index.md", b"# hand-written index\n"),
    ]);
    let (code, stderr) = build(&log);
    assert_eq!(code, 0, "{stderr}");
    let site = log.path().join("public");
    // The list pages are still the lists, linking the entries named `index` elsewhere.
    let to_index_entry = scraper::Selector::parse("main a[href*='index-']").unwrap();
    for (list, entries) in [("topics/index.html", 1), ("kb/index.html", 2)] {
        let doc = html(&site, list);
        let hrefs: Vec<&str> = doc
            .select(&to_index_entry)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(hrefs.len(), entries, "{list}: {hrefs:?}");
        for href in hrefs {
            assert!(resolve(&site, list, href).is_file(), "{list}: {href}");
        }
    }
    // Three pages, three files, each with its own heading.
    let mut headings: Vec<String> = ["pages/a-b.html", "pages/a-b-2.html", "pages/a-b-3.html"]
        .iter()
        .map(|p| texts_of(&html(&site, p), "main h1").join(" "))
        .collect();
    headings.sort();
    assert_eq!(headings, ["dash", "space", "upper"]);
    for warned in [
        "content/pages/a b.md",
        "content/pages/a-b.md",
        "content/kb/index.md",
        NOTE,
    ] {
        assert!(
            stderr.contains(warned),
            "no warning names {warned}: {stderr}"
        );
    }
    assert!(stderr.contains("the tag `index`"), "{stderr}");
    // Tags `a b` and `a-b`: two topics, two pages.
    let mut topics: Vec<String> = ["topics/a-b.html", "topics/a-b-2.html"]
        .iter()
        .map(|p| texts_of(&html(&site, p), "main h1").join(" "))
        .collect();
    topics.sort();
    assert_eq!(topics.len(), 2);
    assert_ne!(topics[0], topics[1], "{topics:?}");
    assert!(
        stderr.contains("the tag `a-b` and the tag `a b`"),
        "{stderr}"
    );
    assert!(stderr.contains("the problem `index`"), "{stderr}");
}

/// The file a relative link on the page `from` leads to.
fn resolve(site: &Path, from: &str, href: &str) -> std::path::PathBuf {
    let mut path = site.join(from);
    path.pop();
    let decoded = percent_encoding::percent_decode_str(href)
        .decode_utf8()
        .unwrap();
    for part in decoded.split('/') {
        match part {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            name => path.push(name),
        }
    }
    path
}

#[test]
fn huge_negative_and_unreadable_hours_are_warned_and_never_wrap() {
    let note = "---\ntitle: hours\n---\n## 取り組んだ課題一覧\n- a (35791394h)\n- b (35791394h)\n- c (35791394h)\n- d (-3h)\n- e (1e9m)\n- f (12345678901234567890h)\n";
    let other = "---\ntitle: big day\n---\n## 取り組んだ課題一覧\n- g（99999h）\n";
    let log = TempLog::with_seed(&[
        (NOTE, note.as_bytes()),
        ("content/2025/04/2025-04-30.md", other.as_bytes()),
    ]);
    let (code, stderr) = build(&log);
    assert_eq!(code, 0, "{stderr}");
    for (line, what) in [
        (5, "more than a day"),
        (8, "`-3h` looks like hours"),
        (9, "`1e9m` looks like hours"),
        (10, "`12345678901234567890h` looks like hours"),
    ] {
        let at = format!("{NOTE}:{line}:");
        let found = stderr
            .split("\n\n")
            .any(|block| block.contains(&at) && block.contains(what));
        assert!(found, "no `{what}` at {at}: {stderr}");
    }
    assert!(stderr.contains("more than 24h"), "{stderr}");
    assert!(
        stderr.contains("content/2025/04/2025-04-30.md:5:"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(log.path().join("public/data/log.json")).unwrap(),
    )
    .unwrap();
    let day = json["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2025-04-29")
        .unwrap();
    // Three times 2,147,483,640 minutes: held at the top, never wrapped to a small sum.
    assert_eq!(day["minutes"].as_u64(), Some(u64::from(u32::MAX)));
    let totals: Vec<u64> = json["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["total_minutes"].as_u64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
}

#[test]
fn huge_hours_in_subtasks_and_repeated_tasks_are_held_at_the_top_on_the_week_page() {
    // A parent whose four children each hold 2,147,483,640 minutes, and the same task
    // on three days of one week: the week's tables and its report add them up.
    let huge = "(35791394h)";
    let note = format!(
        "---\ntitle: hack\n---\n## 取り組んだ課題一覧\n- hack {huge}\n  - a {huge}\n  - b {huge}\n  - c {huge}\n  - d {huge}\n"
    );
    let log = TempLog::with_seed(&[
        ("book.toml", b"[hours]\nweekly-goal = \"1m\"\n"),
        (NOTE, note.as_bytes()),
        ("content/2025/04/2025-04-30.md", note.as_bytes()),
        ("content/2025/05/2025-05-01.md", note.as_bytes()),
    ]);
    let (code, stderr) = build(&log);
    assert_eq!(code, 0, "{stderr}");
    let top = html(&log.path().join("public"), "weeks/2025-W18.html");
    let most = logsite::note::duration::format(u32::MAX);
    assert_eq!(text_of(&top, "#week-hours"), most);
    let rows = texts_of(&top, "table.compact tbody tr");
    let hack = rows
        .iter()
        .find(|r| r.starts_with("hack"))
        .expect("the task row");
    assert!(hack.contains(&most), "{rows:?}");
    let report = text_of(&top, "textarea#week-report");
    assert!(report.contains(&most), "{report}");
    // 4,294,967,295 minutes of a 1-minute goal: the percentage is held, not wrapped.
    let percent = text_of(&top, "#goal .goal-percent");
    assert_eq!(percent, format!("{}%", u32::MAX), "{percent}");
    assert!(report.contains(&percent), "{report}");
}

#[test]
fn new_refuses_a_date_that_any_note_file_names() {
    let log = TempLog::with_seed(&[
        ("content/2025/04/2025-04-29.md", b"\xff\xfe not UTF-8"),
        ("content/2025/04/2025-04-30.md", b"---\ntitle: [\n---\n"),
        ("content/old/2025/05/01.md", b"\xff"),
        ("content/2025/05/2025-05-02.MD", b"# upper case\n"),
    ]);
    let before = files_below(log.path());
    for (date, named) in [
        ("2025-04-29", "2025-04-29.md"),
        ("2025-04-30", "2025-04-30.md"),
        ("2025-05-01", "old/2025/05/01.md"),
        ("2025-05-02", "2025-05-02.MD"),
    ] {
        let (code, stdout, stderr) =
            run_logsite(&["new", log.path().to_str().unwrap(), "--date", date]);
        assert_eq!(code, 1, "{date}: {stdout}{stderr}");
        assert!(stderr.contains(named), "{date}: {stderr}");
    }
    assert_eq!(files_below(log.path()), before, "nothing was created");
}

#[test]
fn a_date_disagreement_symlinks_and_upper_case_md_are_warned() {
    let note = "---\ntitle: copied\ndate: 2025-04-20\n---\n## 取り組んだ課題一覧\n- a (1h)\n";
    let log = TempLog::with_seed(&[
        (NOTE, note.as_bytes()),
        ("content/2025/05/2025-05-01.MD", b"## a\n"),
        ("outside/2025-05-02.md", b"## outside\n"),
    ]);
    std::os::unix::fs::symlink(
        log.path().join("outside/2025-05-02.md"),
        log.path().join("content/2025/05/2025-05-02.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        log.path().join("outside"),
        log.path().join("content/linked"),
    )
    .unwrap();
    let (code, stderr) = build(&log);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("{NOTE}:3:"))
            && stderr.contains("logsite uses the front matter's 2025-04-20"),
        "{stderr}"
    );
    for skipped in [
        "content/2025/05/2025-05-01.MD",
        "content/2025/05/2025-05-02.md",
        "content/linked",
    ] {
        assert!(
            stderr.contains(skipped),
            "no warning names {skipped}: {stderr}"
        );
    }
    let site = log.path().join("public");
    assert!(site.join("days/2025-04-20.html").is_file());
    assert!(!site.join("days/2025-05-02.html").exists());
}
