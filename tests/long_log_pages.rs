//! Pages over the whole log stay readable as the log grows: `next.html` lists the
//! plan and the newest closed steps and counts every step by month; a topic page shows its
//! newest learnings, one row per problem and every mentioning day by year; a
//! knowledge-base entry draws on the newest days its problem was written on.

mod common;

use common::{build_into, html, texts_of, TempLog};

/// Builds a log of `notes` (path, text); the log is kept while the site is read.
fn build_notes(notes: &[(String, String)]) -> (TempLog, tempfile::TempDir) {
    let files: Vec<(&str, &[u8])> = notes
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let log = TempLog::new(&files);
    let out = build_into(log.path(), None);
    (log, out)
}

fn note(learning: &str, problem: Option<&str>, steps: &[&str]) -> String {
    let mut text = format!(
        "+++\ntags = [\"Docker\"]\n+++\n## 取り組んだ課題一覧\n- 作業（1h）\n\n## わかったこと\n- {learning}\n"
    );
    if let Some(p) = problem {
        text.push_str(&format!("\n## 現在発生している問題\n- **{p}**\n"));
    }
    if !steps.is_empty() {
        text.push_str("\n## 次やること\n");
        for s in steps {
            text.push_str(&format!("- {s}\n"));
        }
    }
    text
}

#[test]
fn next_steps_lists_the_plan_the_newest_closed_steps_and_counts_all_by_month() {
    // 40 days in 2024 and 2025, each planning one step the next note no longer lists.
    let mut notes = Vec::new();
    for i in 0..40u32 {
        let (year, day) = if i < 20 {
            (2024, i + 1)
        } else {
            (2025, i - 19)
        };
        let step = format!("計画{i}（{year}/03/{day:02}まで）");
        notes.push((
            format!("content/{year}-03-{day:02}.md"),
            note("学び", None, &[step.as_str()]),
        ));
    }
    notes.push((
        "content/2025-06-30.md".to_string(),
        note(
            "最新の学び",
            None,
            &[
                "これからの作業（2025/07/03まで）",
                "期限のない作業",
                "[x] 終わった作業",
            ],
        ),
    ));
    let (_log, out) = build_notes(&notes);
    let site = out.path().join("site");
    let next = html(&site, "next.html");
    assert!(
        texts_of(&next, "#overdue .step-text").is_empty(),
        "a step no longer listed is never overdue"
    );
    assert_eq!(
        texts_of(&next, "#upcoming .step-text"),
        ["これからの作業（2025/07/03まで）"]
    );
    assert_eq!(texts_of(&next, "#undated .step-text"), ["期限のない作業"]);
    assert_eq!(texts_of(&next, "#done .step-text"), ["終わった作業"]);
    // The newest 30 dropped steps, newest closed first.
    let dropped = texts_of(&next, "#dropped .step-text");
    assert_eq!(dropped.len(), 30);
    assert_eq!(dropped[0], "計画39（2025/03/20まで）");
    assert_eq!(dropped[29], "計画10（2024/03/11まで）");
    // Every step by the month it was written, newest first: written, done, dropped.
    let cells = texts_of(&next, "#earlier tbody td");
    let rows: Vec<String> = cells.chunks(4).map(|row| row.join(" ")).collect();
    assert_eq!(
        rows,
        ["2025年6月 3 1 0", "2025年3月 20 0 20", "2024年3月 20 0 20"]
    );
    // Each month links to its section of the archive.
    let archive = std::fs::read_to_string(site.join("archive.html")).unwrap();
    let sel = scraper::Selector::parse("#earlier a").unwrap();
    for a in next.select(&sel) {
        let href = a.value().attr("href").unwrap();
        let (page, anchor) = href.split_once('#').unwrap();
        assert_eq!(page, "archive.html");
        assert!(archive.contains(&format!("id=\"{anchor}\"")), "{href}");
    }
}

#[test]
fn a_topic_page_shows_its_newest_learnings_one_row_per_problem_and_days_by_year() {
    let mut notes = Vec::new();
    for i in 0..40u32 {
        let (year, day) = if i < 10 { (2024, i + 1) } else { (2025, i - 9) };
        let problem = (i % 10 == 0).then_some("Dockerのコンテナが起動しない");
        notes.push((
            format!("content/{year}-01-{day:02}.md"),
            note(&format!("Dockerの学び{i}"), problem, &[]),
        ));
    }
    let (_log, out) = build_notes(&notes);
    let site = out.path().join("site");
    let topic = html(&site, "topics/docker.html");
    let learnings = texts_of(&topic, "ul.learnings > li");
    assert_eq!(learnings.len(), 30);
    assert!(learnings[0].starts_with("Dockerの学び39"), "{learnings:?}");
    assert!(learnings[29].starts_with("Dockerの学び10"), "{learnings:?}");
    // Four days had the problem: one row, newest day, counted.
    let problems = texts_of(&topic, "ul.problems > li");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("2025年1月21日"), "{problems:?}");
    assert!(problems[0].ends_with("×4"), "{problems:?}");
    // Every mentioning day, by year, newest first.
    let years: Vec<String> = texts_of(&topic, "details.topic-year summary")
        .iter()
        .map(|s| s.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(years, ["2025", "2024"]);
    let sel = scraper::Selector::parse("details.topic-year a").unwrap();
    let mut linked: Vec<&str> = topic
        .select(&sel)
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(linked.len(), 40);
    linked.sort();
    linked.dedup();
    assert_eq!(linked.len(), 40);
    assert!(linked.iter().all(|h| site.join("topics").join(h).is_file()));
}

/// A step carried forward from note to note is one step: listed once, and the newest
/// copy says whether it is done.
#[test]
fn a_step_carried_forward_is_listed_once_and_its_newest_copy_decides() {
    let older = note(
        "学び",
        None,
        &["運ぶ作業（2025/06/25まで）", "済んだ作業（2025/06/26まで）"],
    );
    let newer = note(
        "学び",
        None,
        &[
            "運ぶ作業（2025/06/25まで）",
            "[x] 済んだ作業（2025/06/26まで）",
        ],
    );
    let log = TempLog::new(&[
        ("content/2025-06-20.md", older.as_bytes()),
        ("content/2025-06-28.md", newer.as_bytes()),
    ]);
    let out = build_into(log.path(), None);
    let next = html(&out.path().join("site"), "next.html");
    assert_eq!(
        texts_of(&next, "#overdue .step-text"),
        ["運ぶ作業（2025/06/25まで）"]
    );
    assert!(texts_of(&next, "#upcoming .step-text").is_empty());
    // Both copies stay on their own day pages.
    let day = std::fs::read_to_string(out.path().join("site/days/2025-06-20.html")).unwrap();
    assert!(day.contains("済んだ作業"));
}

/// A problem carried for 40 days: its entry's timeline (and the symptoms, analyses and
/// fix drawn from it) covers the newest 30 days and says how many earlier days there
/// are; its learnings are the newest 30.
#[test]
fn a_knowledge_base_entry_draws_on_the_newest_days_and_counts_the_earlier_ones() {
    let notes: Vec<(String, String)> = (1..=40u32)
        .map(|day| {
            let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
                + chrono::Days::new(u64::from(day - 1));
            (
                format!("content/{date}.md"),
                note(
                    &format!("Dockerの学び{day}"),
                    Some("Dockerのコンテナが起動しない"),
                    &[],
                ),
            )
        })
        .collect();
    let (_log, out) = build_notes(&notes);
    let site = out.path().join("site");
    let entry_file = std::fs::read_dir(site.join("kb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name != "index.html")
        .expect("one knowledge-base entry");
    let entry = html(&site, &format!("kb/{entry_file}"));
    let timeline = texts_of(&entry, "ol.timeline > li");
    assert_eq!(timeline.len(), 30, "{timeline:?}");
    assert!(timeline[0].starts_with("2025年1月11日"), "{timeline:?}");
    assert!(timeline[29].starts_with("2025年2月9日"), "{timeline:?}");
    let notes = texts_of(&entry, "article > p.meta");
    assert!(
        notes.iter().any(|n| n.contains("残り10日分")),
        "the earlier days are counted: {notes:?}"
    );
    let learnings: Vec<String> = texts_of(&entry, "section ul > li")
        .into_iter()
        .filter(|l| l.starts_with("Dockerの学び"))
        .collect();
    assert_eq!(learnings.len(), 30, "{learnings:?}");
    assert!(learnings[0].starts_with("Dockerの学び11"), "{learnings:?}");
    assert!(learnings[29].starts_with("Dockerの学び40"), "{learnings:?}");
    assert!(texts_of(&entry, "section p.meta")
        .iter()
        .any(|n| n.contains("40件のうち新しい30件")));
}
