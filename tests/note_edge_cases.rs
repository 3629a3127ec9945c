//! The format's rules at their edges: weeks, gaps, drafts, baselines, bad input.

mod common;

use common::{run_logsite, TempLog};
use logsite::diagnostic::Severity;

fn note(tasks: &str, hours: &str) -> String {
    format!("# 今日学んだこと\n\n## 取り組んだ課題一覧\n{tasks}\n\n## 学習時間\n{hours}\n")
}

#[test]
fn weeks_start_on_monday_and_survive_gaps() {
    let log = TempLog::new(&[
        ("content/2025-04-27.md", note("- a(1h)", "").as_bytes()), // Sunday: week 17
        ("content/2025-04-28.md", note("- a(2h)", "").as_bytes()), // Monday: week 18
        ("content/2025-04-30.md", note("- a(30m)", "").as_bytes()),
        ("content/2025-05-06.md", note("- a(1h)", "").as_bytes()), // Tuesday of week 19
    ])
    .open(false);
    let weeks: Vec<(&str, u32, usize)> = log
        .weeks
        .iter()
        .map(|w| (w.id.as_str(), w.minutes, w.days.len()))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2025-W17", 60, 1),
            ("2025-W18", 150, 2),
            ("2025-W19", 60, 1)
        ]
    );
    let week_minutes: Vec<u32> = log.days.iter().map(|d| d.week_minutes).collect();
    assert_eq!(week_minutes, [60, 120, 150, 60]);
    let totals: Vec<u32> = log.days.iter().map(|d| d.total_minutes).collect();
    assert_eq!(totals, [60, 180, 210, 270]);
}

#[test]
fn week_start_is_configurable() {
    let log = TempLog::new(&[
        ("book.toml", b"[hours]\nweek-start = \"sunday\"\n"),
        ("content/2025-04-26.md", note("- a(1h)", "").as_bytes()), // Saturday
        ("content/2025-04-27.md", note("- a(2h)", "").as_bytes()), // Sunday starts a week
    ])
    .open(false);
    assert_eq!(log.weeks.len(), 2);
    assert_eq!(log.days[1].week_minutes, 120);
}

#[test]
fn baseline_is_inferred_from_the_first_declared_total() {
    let log = TempLog::new(&[
        ("content/2025-05-01.md", note("- a(1h)", "").as_bytes()),
        (
            "content/2025-05-02.md",
            note("- a(2h)", "- Total: 10h").as_bytes(),
        ),
        (
            "content/2025-05-03.md",
            note("- a(1h)", "- Total: 11h").as_bytes(),
        ),
    ])
    .open(false);
    assert_eq!(log.baseline_minutes, 7 * 60);
    assert_eq!(log.days[2].total_minutes, 11 * 60);
    assert!(
        log.all_diagnostics().is_empty(),
        "{:#?}",
        log.all_diagnostics()
    );
}

#[test]
fn configured_baseline_wins_and_mismatches_warn_with_the_computed_value() {
    let log = TempLog::new(&[
        ("book.toml", b"[hours]\nbaseline = \"10h\"\n"),
        (
            "content/2025-05-02.md",
            note("- a(2h)", "- Today: 3h\n- week : 2h\n- Total: 10h").as_bytes(),
        ),
    ])
    .open(false);
    assert_eq!(log.days[0].total_minutes, 12 * 60);
    let messages: Vec<String> = log
        .all_diagnostics()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].contains("declared Today 3h but logsite computes 2h (write `Today: 2h`)"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("2025-05-02.md:7:1"), "{}", messages[0]);
    assert!(messages[1].contains("declared Total 10h but logsite computes 12h"));
}

#[test]
fn a_parent_that_disagrees_with_its_children_keeps_its_own_and_warns() {
    let log = TempLog::new(&[(
        "content/2025-05-02.md",
        note("- project（3h）\n    - backend(1h)\n    - infra(1h)", "").as_bytes(),
    )])
    .open(false);
    assert_eq!(log.days[0].minutes, 180);
    let diags = log.all_diagnostics();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].line, Some(4));
    assert!(
        diags[0]
            .message
            .contains("add up to 2h (backend 1h + infra 1h)"),
        "{}",
        diags[0].message
    );
}

#[test]
fn without_any_task_duration_the_declared_today_stands_in() {
    let log = TempLog::new(&[(
        "content/2025-05-02.md",
        note("- reading", "- 今日：１．５ｈ").as_bytes(),
    )])
    .open(false);
    assert_eq!(log.days[0].minutes, 90);
    assert!(log.all_diagnostics().is_empty());
}

#[test]
fn excluded_words_come_from_book_toml_and_from_the_note() {
    let log = TempLog::new(&[
        ("book.toml", "[hours]\nexclude = [\"休憩\"]\n".as_bytes()),
        (
            "content/2025-05-02.md",
            note("- 休憩(1h)\n- 雑談(30m)\n- 朝会(15m)\n- study(2h)\n\n※雑談・朝会は学習時間に含めません", "").as_bytes(),
        ),
    ])
    .open(false);
    assert_eq!(log.days[0].minutes, 120);
    let counted: Vec<bool> = log.days[0].note.tasks.iter().map(|t| t.counted).collect();
    assert_eq!(counted, [false, false, false, true]);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let draft = format!("+++\ndraft = true\n+++\n{}", note("- a(5h)", ""));
    let temp = TempLog::new(&[
        ("content/2025-05-01.md", note("- a(1h)", "").as_bytes()),
        ("content/2025-05-02.md", draft.as_bytes()),
    ]);
    let log = temp.open(false);
    assert_eq!(log.days.len(), 1);
    assert_eq!(log.total_minutes(), 60);
    assert_eq!(log.drafts.len(), 1);
    let with = temp.open(true);
    assert_eq!(with.days.len(), 2);
    assert_eq!(with.total_minutes(), 360);
}

#[test]
fn two_notes_on_one_date_is_fatal_naming_both_files() {
    let log = TempLog::new(&[
        ("content/2025-05-02.md", note("- a(1h)", "").as_bytes()),
        ("content/2025/05/02.md", note("- a(1h)", "").as_bytes()),
    ])
    .open(false);
    let fatal: Vec<_> = log
        .all_diagnostics()
        .into_iter()
        .filter(|d| d.severity == Severity::Fatal)
        .collect();
    assert_eq!(fatal.len(), 1);
    assert!(
        fatal[0].message.contains("content/2025-05-02.md"),
        "{}",
        fatal[0].message
    );
    assert!(
        fatal[0].message.contains("content/2025/05/02.md"),
        "{}",
        fatal[0].message
    );
    assert!(log.has_fatal());
}

#[test]
fn empty_files_and_files_without_sections_are_read_with_a_warning() {
    let log = TempLog::new(&[
        ("content/2025-05-01.md", b""),
        (
            "content/2025-05-02.md",
            b"just some text\nwith no headings\n",
        ),
        (
            "content/2025-05-03.md",
            b"\xEF\xBB\xBF## Tasks\r\n- study (1h 30m)\r\n",
        ),
    ])
    .open(false);
    assert_eq!(log.days.len(), 3);
    assert_eq!(log.days[2].minutes, 90);
    let warnings: Vec<_> = log
        .all_diagnostics()
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].message.contains("empty"));
    assert!(warnings[1].message.contains("no `##` sections"));
}

/// A note written without any `##` heading is still published: its text is the day
/// page's one section, and searchable, not only a warning.
#[test]
fn a_note_without_sections_shows_its_text() {
    let log = TempLog::new(&[(
        "content/2025-05-02.md",
        "---\ntitle: 見出しなし\n---\nただの本文です。**強調**も。\n\n- 項目ひとつ\n".as_bytes(),
    )]);
    let out = common::build_into(log.path(), None);
    let site = out.path().join("site");
    let day = common::html(&site, "days/2025-05-02.html");
    let article = common::text_of(&day, "article.day");
    assert!(article.contains("ただの本文です。強調も。"), "{article}");
    assert!(article.contains("項目ひとつ"), "{article}");
    let docs = common::files_below(&site.join("search/docs"));
    assert!(
        docs.iter().any(|doc| {
            let text = std::fs::read_to_string(site.join("search/docs").join(doc)).unwrap();
            text.contains("ただの本文です。")
        }),
        "the text is searchable"
    );
}

#[test]
fn unreadable_durations_are_warned_about() {
    let log = TempLog::new(&[(
        "content/2025-05-02.md",
        note(
            "- a(2時間くらい)\n- b(1h)\n- 英語（約1h）\n- 読書（1〜2h）",
            "- Today: lots",
        )
        .as_bytes(),
    )])
    .open(false);
    let messages: Vec<&str> = log
        .all_diagnostics()
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(messages[0].contains("`2時間くらい` looks like hours"));
    assert!(messages[1].contains("`約1h` looks like hours"));
    assert!(messages[2].contains("`1〜2h` looks like hours"));
    assert!(messages[3].contains("`lots` is not a duration"));
}

#[test]
fn check_reports_every_problem_in_one_run_and_exits_1_on_errors() {
    let temp = TempLog::new(&[
        ("content/2025-05-01.md", b"## ok\n\xFF bad byte\n"),
        ("content/notes.md", b"## Tasks\n- a(1h)\n"),
        (
            "content/2025-05-02.md",
            note("- a(1h)", "- Today: 2h").as_bytes(),
        ),
        ("content/2025-05-03.md", b"## Tasks\n![shot](missing.png)\n"),
    ]);
    let (code, stdout, stderr) = run_logsite(&["check", temp.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("content/2025-05-01.md:2"), "{stderr}");
    assert!(
        stderr.contains("not UTF-8: invalid byte 0xFF at byte offset 6"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/notes.md") && stderr.contains("no date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("declared Today 2h but logsite computes 1h"),
        "{stderr}"
    );
    assert!(stderr.contains("missing.png"), "{stderr}");
    assert!(
        stdout.contains("2 fatal, 1 error(s), 1 warning(s)"),
        "{stdout}"
    );
}

#[test]
fn check_passes_warnings_only_with_exit_0() {
    let temp = TempLog::new(&[(
        "content/2025-05-02.md",
        note("- a(1h)", "- Today: 2h").as_bytes(),
    )]);
    let (code, stdout, _) = run_logsite(&["check", temp.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("0 fatal, 0 error(s), 1 warning(s)"));
}

#[test]
fn a_typo_in_book_toml_names_the_key() {
    let temp = TempLog::new(&[
        ("book.toml", b"[hours]\nexlude = [\"x\"]\n"),
        ("content/2025-05-02.md", b""),
    ]);
    let (code, _, stderr) = run_logsite(&["check", temp.path().to_str().unwrap()]);
    assert_eq!(
        code, 1,
        "a book.toml that cannot be read is a problem in the log, not wrong usage"
    );
    assert!(stderr.contains("exlude"), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
}

#[test]
fn stats_json_prints_the_export() {
    let temp = TempLog::with_seed(&[]);
    let (code, stdout, _) = run_logsite(&["stats", "--json", temp.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["total_minutes"], 2935);
    let (_, summary, _) = run_logsite(&["stats", temp.path().to_str().unwrap()]);
    assert!(summary.contains("48h 55m"), "{summary}");
    assert!(summary.contains("2025-W18"), "{summary}");
}

/// The log keeps where each section is; the text of notes past its memory budget is
/// read again from the file, and a file edited since it was parsed is refused rather
/// than cut at stale offsets.
#[test]
fn sections_are_read_again_from_the_file_and_an_edit_in_between_is_refused() {
    let temp = TempLog::with_seed(&[]);
    let log = temp.open(false);
    assert!(
        log.days[0].note.text.is_some(),
        "a small log keeps its text"
    );
    // As a note of a log too large for all its text to be kept.
    let mut note = log.days[0].note.clone();
    note.text = None;
    let note = &note;
    let text = note.read_text(temp.path()).expect("unchanged file reads");
    let learned = note
        .sections
        .iter()
        .find(|s| s.heading.as_deref() == Some("わかったこと"))
        .expect("a learnings section");
    assert!(
        learned
            .markdown(&text)
            .contains("組み合わせたシステム全体のつながり"),
        "{}",
        learned.markdown(&text)
    );

    let path = temp.path().join(&note.path);
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("## わかったこと", "## わかったこと\n- 追記");
    std::fs::write(&path, edited).unwrap();
    let err = note
        .read_text(temp.path())
        .expect_err("an edited file is refused");
    assert_eq!(err.severity, Severity::Fatal);
    assert!(
        err.to_string().contains(&note.path.display().to_string()),
        "{err}"
    );
    assert!(
        err.message
            .contains("changed while the site was being built"),
        "{err}"
    );
}

/// Notes after today are built; the first few are warned about by name, the rest in
/// one line (a generated log of ten years would otherwise print thousands).
#[test]
fn future_notes_are_built_and_warned_about_the_first_few_by_name_then_summed_up() {
    let dates = [
        "2026-11-29",
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
        "2027-01-05",
        "2027-02-10",
    ];
    let files: Vec<(String, String)> = dates
        .iter()
        .map(|d| (format!("content/{d}.md"), note("- a(1h)", "")))
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let log = TempLog::new(&refs).open(false);
    assert_eq!(log.days.len(), 6, "every future note is built");
    let future: Vec<String> = log
        .all_diagnostics()
        .into_iter()
        .filter(|d| d.message.contains("after today"))
        .map(|d| format!("{}: {}", d.path.display(), d.message))
        .collect();
    assert_eq!(future.len(), 4, "{future:#?}");
    for (line, date) in future
        .iter()
        .zip(["2026-11-30", "2026-12-01", "2026-12-02"])
    {
        assert!(
            line.starts_with(&format!("content/{date}.md: dated {date}")),
            "{line}"
        );
    }
    assert!(
        future[3].starts_with("content/2027-01-05.md: and 2 more notes dated after today (2026-11-29), from 2027-01-05 to 2027-02-10"),
        "{}",
        future[3]
    );
}

/// Items keep ranges of the file, not strings: what they say is cut out of the text
/// read again, which must give what was written whatever comes before it (a BOM, CRLF
/// line ends, front matter) and wherever the duration sits in a title.
#[test]
fn items_read_from_ranges_give_their_markdown_under_bom_crlf_and_front_matter() {
    let body = "\u{feff}---\r\ntitle: 範囲\r\n---\r\n# 今日学んだこと\r\n\r\n\
## 取り組んだ課題一覧\r\n- **CORS**調査（1.5h）の続き\r\n  2行目の説明\r\n    - 子タスク(30m)\r\n\r\n\
## 現在発生している問題\r\n- **ログイン不可**（9:10頃）\r\n    - 症状 `401`\r\n    → 原因はCookie？\r\n\r\n\
## わかったこと\r\n- CORSは*ブラウザ*の仕組み\r\n    - preflight は OPTIONS\r\n        - 204 を返す\r\n\r\n\
## 次やること\r\n- infra\r\n    - [ ] ALBを直す（5/1までに）\r\n        - 手順書\r\n";
    let temp = TempLog::new(&[("content/2025-04-30.md", body.as_bytes())]);
    let log = temp.open(false);
    let note = &log.days[0].note;
    let text = log.note_text(note).expect("unchanged file reads");
    let refs = &note.link_refs;

    let task = &note.tasks[0];
    assert_eq!(task.own_minutes, Some(90));
    assert_eq!(task.title_markdown(&text), "**CORS**調査の続き");
    assert_eq!(task.title(&text, refs), "CORS調査の続き");
    assert_eq!(
        task.more_markdown(&text).collect::<Vec<_>>(),
        ["2行目の説明"]
    );
    assert_eq!(task.children[0].title(&text, refs), "子タスク");

    let problem = &note.problems[0];
    assert_eq!(problem.title, "ログイン不可");
    assert_eq!(problem.first_line.of(&text), "**ログイン不可**（9:10頃）");
    let details: Vec<(&str, bool)> = problem
        .details
        .iter()
        .map(|d| (d.line.of(&text), d.analysis))
        .collect();
    assert_eq!(details, [("症状 `401`", false), ("→ 原因はCookie？", true)]);

    let learning = &note.learnings[0];
    assert_eq!(learning.markdown(&text), "CORSは*ブラウザ*の仕組み");
    assert_eq!(learning.text(&text, refs), "CORSはブラウザの仕組み");
    assert_eq!(
        learning.details(&text),
        ["preflight は OPTIONS", "204 を返す"]
    );

    let step = &note.next[0];
    assert_eq!(step.area.as_deref(), Some("infra"));
    assert_eq!(step.text(&text, refs), "ALBを直す（5/1までに）");
    assert_eq!(step.details(&text), ["手順書"]);
    assert!(!step.done);
}

#[test]
fn link_references_defined_at_the_end_work_in_every_section() {
    // CommonMark makes a definition good for the whole document, and authors put them
    // last; logsite renders a note a section, a task and a step at a time.
    let note = "## 取り組んだ課題一覧\n- CORSを調べた（1h）\n  - [MDN][mdn]を読んだ（1h）\n\n\
        ## 現在発生している問題\n- **[The  Spec][]が読めない**（21:00）\n\n\
        ## わかったこと\n- プリフライトは[仕様][FETCH]に書いてある\n- [危ない][js]リンク\n\n\
        ## 次やること\n- [ẞ]をまとめる（5/9まで）\n\n\
        [mdn]: https://developer.mozilla.org/ \"MDN Web Docs\"\n\
        [fetch]: https://fetch.spec.whatwg.org/\n\
        [the spec]: https://fetch.spec.whatwg.org/#http-cors-protocol\n\
        [SS]: https://example.com/ss\n\
        [js]: javascript:alert(1)\n";
    let log = TempLog::new(&[("content/2025-05-02.md", note.as_bytes())]);
    let out = common::build_into(log.path(), None);
    let site = out.path().join("site");
    let day = common::html(&site, "days/2025-05-02.html");
    let links: Vec<(String, String)> = day
        .select(&scraper::Selector::parse("article.day a[href^='http']").unwrap())
        .map(|a| {
            let href = a.value().attr("href").unwrap().to_string();
            (a.text().collect(), href)
        })
        .collect();
    for (text, href) in [
        ("MDN", "https://developer.mozilla.org/"),
        // The label is matched with its white space collapsed; the text keeps it.
        (
            "The  Spec",
            "https://fetch.spec.whatwg.org/#http-cors-protocol",
        ),
        ("仕様", "https://fetch.spec.whatwg.org/"),
        ("ẞ", "https://example.com/ss"),
    ] {
        assert!(
            links.iter().any(|(t, h)| t == text && h == href),
            "{text} links to {href}: {links:?}"
        );
    }
    let mdn = day
        .select(&scraper::Selector::parse("a[href='https://developer.mozilla.org/']").unwrap())
        .next()
        .unwrap();
    assert_eq!(mdn.value().attr("title"), Some("MDN Web Docs"));
    // A reference to a refused scheme is its text, as an inline link would be.
    let article = common::text_of(&day, "article.day");
    assert!(article.contains("危ないリンク"), "{article}");
    assert!(!std::fs::read_to_string(site.join("days/2025-05-02.html"))
        .unwrap()
        .contains("javascript:"));
    // The export's titles and texts are plain: the reference is its text there too.
    let json = common::log_json(&site);
    let day = &json["days"][0];
    assert_eq!(day["tasks"][0]["children"][0]["title"], "MDNを読んだ");
    assert_eq!(day["problems"][0]["title"], "The  Specが読めない");
    assert_eq!(day["learnings"][0], "プリフライトは仕様に書いてある");
    assert_eq!(day["next"][0]["text"], "ẞをまとめる（5/9まで）");
}

#[test]
fn a_reference_defined_in_a_private_section_is_not_published() {
    let note = "## わかったこと\n- [社内wiki][wiki]を読んだ\n\n\
        ## 非公開\n[wiki]: https://wiki.internal.example/secret\n";
    let log = TempLog::new(&[("content/2025-05-02.md", note.as_bytes())]);
    let out = common::build_into(log.path(), None);
    let page = std::fs::read_to_string(out.path().join("site/days/2025-05-02.html")).unwrap();
    assert!(!page.contains("wiki.internal.example"), "{page}");
    assert!(page.contains("[社内wiki][wiki]を読んだ"), "{page}");
}

#[test]
fn a_parenthesis_inside_code_is_not_hours_or_a_time() {
    let body = "## 取り組んだ課題一覧\n- `sleep(2h)`の挙動を確認（30m）\n- `setTimeout(fn, 1h)`と`(45m)`\n\n\
        ## 現在発生している問題\n- `cron(21:20)`が動かない（9:10）\n";
    let log = TempLog::new(&[("content/2025-05-02.md", body.as_bytes())]);
    let out = common::build_into(log.path(), None);
    let json = common::log_json(&out.path().join("site"));
    let day = &json["days"][0];
    assert_eq!(day["tasks"][0]["title"], "sleep(2h)の挙動を確認");
    assert_eq!(day["tasks"][0]["minutes"], 30);
    assert_eq!(day["tasks"][1]["title"], "setTimeout(fn, 1h)と(45m)");
    assert_eq!(day["tasks"][1]["minutes"], serde_json::Value::Null);
    assert_eq!(day["minutes"], 30);
    assert_eq!(day["problems"][0]["title"], "cron(21:20)が動かない");
    assert_eq!(day["problems"][0]["time"], "09:10");
}

#[test]
fn hours_wrapped_onto_a_tasks_second_line_are_warned_about() {
    let body = "## 取り組んだ課題一覧\n- **CORSの\n  調査**（1h）\n- 読書（30m）\n  - メモ(30m)\n";
    let log = TempLog::new(&[("content/2025-05-02.md", body.as_bytes())]).open(false);
    let (warning, line) = the_one_warning(&log);
    assert!(
        warning.starts_with("`（1h）` is not on the task's first line"),
        "{warning}"
    );
    assert_eq!(line, 3, "at the line holding the hours");
    assert_eq!(log.days[0].minutes, 30);
}

#[test]
fn headings_with_a_colon_an_aside_or_more_words_keep_their_sections() {
    let body = "## 取り組んだ課題一覧：\n- 作業（2h）\n\n## 現在発生している問題点\n- ビルドが落ちる\n\n\
        ## わかったこと・学び\n- CORSはブラウザの仕組み\n\n## 次やること（明日）\n- テストを書く（5/9まで）\n\n\
        ## 非公開メモ\n- 秘密のURL\n\n## 学習時間：\n- Today: 2h\n";
    let temp = TempLog::new(&[("content/2025-05-05.md", body.as_bytes())]);
    let out = common::build_into(temp.path(), None);
    let site = out.path().join("site");
    let json = common::log_json(&site);
    let day = &json["days"][0];
    assert_eq!(day["minutes"], 120);
    assert_eq!(day["declared"]["today"], 120);
    assert_eq!(day["next"][0]["due"], "2025-05-09");
    assert_eq!(day["learnings"][0], "CORSはブラウザの仕組み");
    // Not a problems section: warned about, at its line.
    assert_eq!(day["problems"], serde_json::json!([]));
    let (warning, line) = the_one_warning(&temp.open(false));
    assert!(
        warning.starts_with("`現在発生している問題点` is not read as the problems section"),
        "{warning}"
    );
    assert_eq!(line, 4);
    // 非公開メモ is private: in no file of the site.
    for file in common::files_below(&site) {
        let bytes = std::fs::read(site.join(&file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("秘密のURL"),
            "{file} holds the private text"
        );
    }
}

/// The log's only diagnostic: its message and line.
fn the_one_warning(log: &logsite::log::Log) -> (String, usize) {
    let all = log.all_diagnostics();
    assert_eq!(all.len(), 1, "{all:#?}");
    (all[0].message.clone(), all[0].line.unwrap_or(0))
}

#[test]
fn a_deadline_carried_into_january_is_overdue_not_next_december() {
    let note = "## 取り組んだ課題一覧\n- 作業（1h）\n\n## 次やること\n- ポートフォリオを公開する（12/30まで）\n";
    let temp = TempLog::new(&[
        ("content/2025/12/2025-12-28.md", note.as_bytes()),
        ("content/2026/01/2026-01-05.md", note.as_bytes()),
    ]);
    let out = common::build_into(temp.path(), None);
    let json = common::log_json(&out.path().join("site"));
    for day in 0..2 {
        let step = &json["days"][day]["next"][0];
        assert_eq!(step["due"], "2025-12-30", "{step}");
        assert_eq!(step["state"], "open");
        assert_eq!(step["overdue"], true);
    }
    assert_eq!(json["steps"]["overdue"], 1);
}

#[test]
fn a_problems_time_in_japanese_and_a_tally_without_colons_are_read() {
    let body = "## 取り組んだ課題一覧\n- 作業（2h）\n\n## 現在発生している問題\n- **ビルドエラー**（21時30分頃）\n\n\
        ## 学習時間\n- 今日 2時間\n- This week　2h\n- 合計 12時間\n- 今日はよく進んだ\n";
    let temp = TempLog::new(&[("content/2025-05-05.md", body.as_bytes())]);
    let out = common::build_into(temp.path(), None);
    let json = common::log_json(&out.path().join("site"));
    let day = &json["days"][0];
    assert_eq!(day["problems"][0]["title"], "ビルドエラー");
    assert_eq!(day["problems"][0]["time"], "21:30");
    assert_eq!(
        day["declared"],
        serde_json::json!({"today": 120, "week": 120, "total": 720})
    );
    assert_eq!(
        day["warnings"],
        serde_json::json!([]),
        "prose is not a figure"
    );
}

#[test]
fn a_level_one_heading_after_the_sections_starts_one() {
    // `# 振り返り` ends the tasks above it; a setext `===` heading names a section.
    let body = "# 5/5の日報\n\n## 取り組んだ課題一覧\n- 作業（1h）\n\n# 振り返り\n- 雑談（2h）\n\n\
        次やること\n=====\n- テストを書く（5/9まで）\n";
    let temp = TempLog::new(&[("content/2025-05-05.md", body.as_bytes())]);
    let out = common::build_into(temp.path(), None);
    let site = out.path().join("site");
    let day = &common::log_json(&site)["days"][0];
    assert_eq!(day["minutes"], 60);
    assert_eq!(day["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(day["next"][0]["due"], "2025-05-09");
    let page = common::html(&site, "days/2025-05-05.html");
    let headings = common::texts_of(&page, "article.day h2");
    assert!(
        headings.iter().any(|h| h == "振り返り") && headings.iter().any(|h| h == "次やること"),
        "{headings:?}"
    );
}

#[test]
fn empty_items_left_by_the_template_are_nothing() {
    // `logsite new` leaves `- ` in every section; an empty `- [ ]` says nothing either.
    let body = "## 取り組んだ課題一覧\n- 実装（2h）\n- \n\n## 現在発生している問題\n- \n\n\
        ## わかったこと\n- Rustの所有権\n- \n\n## 次やること\n- \n- [ ] \n";
    let temp = TempLog::new(&[("content/2025/05/2025-05-05.md", body.as_bytes())]);
    let out = common::build_into(temp.path(), None);
    let site = out.path().join("site");
    let json = common::log_json(&site);
    let day = &json["days"][0];
    assert_eq!(day["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(day["problems"], serde_json::json!([]));
    assert_eq!(day["learnings"], serde_json::json!(["Rustの所有権"]));
    assert_eq!(day["next"], serde_json::json!([]));
    assert_eq!(json["steps"]["open"], 0);
    assert_eq!(common::files_below(&site.join("kb")), ["index.html"]);
}

#[test]
fn a_note_fresh_from_new_closes_no_step() {
    let yesterday = "## 取り組んだ課題一覧\n- 実装（2h）\n\n## 次やること\n\
        - ALBのヘルスチェックを設定する\n- デプロイ手順書を書く\n";
    let temp = TempLog::new(&[("content/2025/05/2025-05-07.md", yesterday.as_bytes())]);
    let root = temp.path().to_str().unwrap();
    let (code, _, err) = run_logsite(&["new", root, "--date", "2025-05-08"]);
    assert_eq!(code, 0, "{err}");
    let states = |site: &std::path::Path| {
        let json = common::log_json(site);
        (json["steps"]["open"].clone(), json["steps"]["done"].clone())
    };
    let out = common::build_into(temp.path(), None);
    assert_eq!(
        states(&out.path().join("site")),
        (2.into(), 0.into()),
        "the new note's copied plan is no work done"
    );
    // Once written (hours on a task), its tasks are the work, as the format says.
    let new_note = temp.path().join("content/2025/05/2025-05-08.md");
    let text = std::fs::read_to_string(&new_note).unwrap();
    let written = text.replacen(
        "- ALBのヘルスチェックを設定する",
        "- ALBのヘルスチェックを設定する（1h）",
        1,
    );
    assert_ne!(written, text, "new copies the plan into the tasks:\n{text}");
    std::fs::write(&new_note, written).unwrap();
    let out = common::build_into(temp.path(), None);
    assert_eq!(states(&out.path().join("site")), (0.into(), 2.into()));
}

#[test]
fn a_problem_resolved_with_an_arrow_or_timed_in_bold_stays_one_problem() {
    let day1 =
        "## 現在発生している問題\n- ECRへのpushが失敗する\n- **CORSエラーが出る（21:20頃）**\n";
    let day2 =
        "## 現在発生している問題\n- ECRへのpushが失敗する → 解決済み\n- [x] CORSエラーが出る\n";
    let temp = TempLog::new(&[
        ("content/2025/05/2025-05-05.md", day1.as_bytes()),
        ("content/2025/05/2025-05-06.md", day2.as_bytes()),
    ]);
    let out = common::build_into(temp.path(), None);
    let site = out.path().join("site");
    let json = common::log_json(&site);
    let problems = |d: usize| -> Vec<(String, bool)> {
        (json["days"][d]["problems"].as_array().unwrap().iter())
            .map(|p| {
                (
                    p["title"].as_str().unwrap().to_string(),
                    p["resolved"] == true,
                )
            })
            .collect()
    };
    assert_eq!(
        problems(0),
        [
            ("ECRへのpushが失敗する".into(), false),
            ("CORSエラーが出る".into(), false)
        ]
    );
    assert_eq!(
        problems(1),
        [
            ("ECRへのpushが失敗する".into(), true),
            ("CORSエラーが出る".into(), true)
        ]
    );
    assert_eq!(json["days"][0]["problems"][1]["time"], "21:20");
    assert_eq!(
        common::files_below(&site.join("kb")).len(),
        3,
        "two entries and the index"
    );
}
