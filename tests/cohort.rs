//! `logsite cohort`, run as the real binary on cohorts in temp folders: the overview's
//! figures against each member's own `logsite stats`, members from a file and over
//! loopback HTTP, each bad configuration, and nothing a learner keeps private.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Datelike, Days, NaiveDate};
use common::browser::serve_dir;
use common::TempLog;
use scraper::{Html, Selector};
use serde_json::Value;

fn logsite(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_logsite"))
        .args(args)
        .output()
        .expect("the logsite binary runs")
}

fn stdout_of(args: &[&Path]) -> String {
    let out = logsite(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A log of `n` generated notes from `start`.
fn generated(dir: &Path, n: usize, seed: u32, start: &str) {
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-notes"))
        .arg(n.to_string())
        .arg(dir)
        .args(["--seed", &seed.to_string(), "--start", start])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs scripts/gen-notes");
    assert!(status.success());
}

/// Runs `logsite cohort DIR`.
fn cohort(dir: &Path) -> Output {
    logsite(&[Path::new("cohort"), dir])
}

fn built_cohort(dir: &Path) -> Html {
    let out = cohort(dir);
    assert!(
        out.status.success(),
        "cohort failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    page(&dir.join("public/index.html"))
}

fn page(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).expect("page written"))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Each learner's row: name → the row's data attributes.
fn rows(html: &Html) -> Vec<(String, scraper::ElementRef<'_>)> {
    html.select(&sel("tr.learner"))
        .map(|r| (r.value().attr("data-name").unwrap().to_string(), r))
        .collect()
}

fn attr_num(row: &scraper::ElementRef, name: &str) -> i64 {
    row.value()
        .attr(name)
        .unwrap_or_else(|| panic!("{name}"))
        .parse()
        .unwrap()
}

/// The bundled sample's `log.json`, as `logsite stats --json` prints it.
fn sample_data() -> String {
    stdout_of(&[
        Path::new("stats"),
        Path::new("--json"),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    ])
}

/// Three generated learners ending on different days, and the bundled sample log.
fn three_learners(dir: &Path) {
    generated(&dir.join("ken"), 30, 11, "2025-04-10");
    generated(&dir.join("mio"), 24, 12, "2025-04-14");
    generated(&dir.join("sora"), 40, 13, "2025-03-20");
    let sample = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.join("cohort.toml"),
        format!(
            "[cohort]\ntitle = \"Test cohort\"\nweekly-goal = \"10h\"\n\n\
             [[member]]\nname = \"saburo\"\nlog = \"{sample}\"\n\n\
             [[member]]\nname = \"ken\"\nlog = \"ken\"\n\n\
             [[member]]\nname = \"mio\"\nlog = \"mio\"\n\n\
             [[member]]\nname = \"sora\"\nlog = \"sora\"\n"
        ),
    )
    .unwrap();
}

#[test]
fn overview_figures_equal_each_members_own_stats() {
    let dir = tempfile::tempdir().unwrap();
    three_learners(dir.path());
    let html = built_cohort(dir.path());
    let rows = rows(&html);
    assert_eq!(rows.len(), 4);
    let roots: Vec<(String, PathBuf)> = vec![
        ("saburo".into(), PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ("ken".into(), dir.path().join("ken")),
        ("mio".into(), dir.path().join("mio")),
        ("sora".into(), dir.path().join("sora")),
    ];
    let exports: Vec<Value> = roots
        .iter()
        .map(|(_, root)| {
            serde_json::from_str(&stdout_of(&[Path::new("stats"), Path::new("--json"), root]))
                .unwrap()
        })
        .collect();
    let last_date = |doc: &Value| -> NaiveDate {
        doc["days"].as_array().unwrap().last().unwrap()["date"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    // The cohort's "now" is the newest note of anyone.
    let reference = exports.iter().map(last_date).max().unwrap();
    let monday = reference - Days::new(reference.weekday().num_days_from_monday().into());
    for ((name, root), doc) in roots.iter().zip(&exports) {
        let row = &rows.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(
            attr_num(row, "data-total"),
            doc["total_minutes"].as_i64().unwrap(),
            "{name}: total"
        );
        let week: i64 = doc["days"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                let date: NaiveDate = d["date"].as_str().unwrap().parse().unwrap();
                date >= monday && date <= reference
            })
            .map(|d| d["minutes"].as_i64().unwrap())
            .sum();
        assert_eq!(attr_num(row, "data-week"), week, "{name}: this week");
        let time = row
            .select(&sel("td.last time"))
            .next()
            .unwrap()
            .value()
            .attr("datetime")
            .unwrap();
        assert_eq!(time, last_date(doc).to_string(), "{name}: last note");
        let stale = (reference - last_date(doc)).num_days() >= 3;
        assert_eq!(
            row.value().attr("data-stale") == Some("1"),
            stale,
            "{name}: flag"
        );
        // The streak as `logsite stats` prints it.
        let text = stdout_of(&[Path::new("stats"), root]);
        let streak: i64 = text
            .lines()
            .find(|l| l.trim_start().starts_with("Streak"))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(attr_num(row, "data-streak"), streak, "{name}: streak");
        // The total as shown, as `logsite stats` shows it.
        let total_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("Total"))
            .unwrap();
        let shown = row
            .select(&sel("td.total"))
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert!(
            total_line.contains(shown.trim()),
            "{name}: {shown} vs {total_line}"
        );
        // Open problems: the problems whose last mention is not resolved.
        let mut last: std::collections::HashMap<String, bool> = Default::default();
        for d in doc["days"].as_array().unwrap() {
            for p in d["problems"].as_array().unwrap() {
                last.insert(
                    p["key"].as_str().unwrap().into(),
                    p["resolved"].as_bool().unwrap(),
                );
            }
        }
        let open = last.values().filter(|r| !**r).count() as i64;
        assert_eq!(attr_num(row, "data-open"), open, "{name}: open problems");
        // Overdue: the newest note's unchecked steps due before the reference date.
        let newest = doc["days"].as_array().unwrap().last().unwrap();
        let overdue = newest["next"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                s["done"] != true
                    && s["state"].as_str().is_none_or(|st| st == "open")
                    && s["due"]
                        .as_str()
                        .is_some_and(|d| d.parse::<NaiveDate>().unwrap() < reference)
            })
            .count() as i64;
        assert_eq!(
            attr_num(row, "data-overdue"),
            overdue,
            "{name}: overdue steps"
        );
        // The name links to the cohort's copy of their site, which links back.
        let link = row
            .select(&sel("a.name"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        assert_eq!(link, format!("{name}/"));
        let their = page(&dir.path().join("public").join(name).join("index.html"));
        let back = their.select(&sel("a.parent")).next().expect("a link back");
        assert_eq!(back.value().attr("href"), Some("../index.html"));
    }
}

/// A tiny log with a draft and a private section, each carrying a marker.
fn private_log() -> TempLog {
    TempLog::new(&[
        (
            "content/2025/05/2025-05-01.md",
            "# 今日学んだこと\n\n## 取り組んだ課題一覧\n- 調査（1h）\n\n## 現在発生している問題\n- **CORSエラーが出る**（21:00頃）\n    - → サーバー側の設定\n\n## わかったこと\n- CORSはサーバー側で設定する\n\n## 非公開\n- PRIVATEMARKER 給料のこと\n".as_bytes(),
        ),
        (
            "content/2025/05/2025-05-02.md",
            "---\ndraft: true\n---\n# 今日学んだこと\n\n## 取り組んだ課題一覧\n- 下書き（1h）\n    - DRAFTMARKER 東京都\n\n## 現在発生している問題\n- **DRAFTPROBLEM**\n".as_bytes(),
        ),
    ])
}

#[test]
fn no_draft_or_private_text_of_any_member_reaches_the_cohort() {
    let log = private_log();
    let dir = tempfile::tempdir().unwrap();
    // The same learner twice: as a log folder, and as the log.json they publish.
    let json = stdout_of(&[Path::new("stats"), Path::new("--json"), log.path()]);
    std::fs::write(dir.path().join("aiko.json"), json).unwrap();
    std::fs::write(
        dir.path().join("cohort.toml"),
        format!(
            "[[member]]\nname = \"aiko\"\nlog = \"{}\"\n\n[[member]]\nname = \"aiko-data\"\ndata = \"aiko.json\"\n",
            log.path().display()
        ),
    )
    .unwrap();
    built_cohort(dir.path());
    // A second build replaces the first, the member's copy included.
    built_cohort(dir.path());
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir.path().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files += 1;
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for marker in ["PRIVATEMARKER", "DRAFTMARKER", "DRAFTPROBLEM"] {
                assert!(
                    !text.contains(marker),
                    "{marker} in {}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(
        files > 10,
        "the cohort and aiko's site were written ({files} files)"
    );
    // What is published does arrive: the problem both entries share, side by side,
    // under its topic, with the resolution lines and a link to the day page.
    let problems = page(&dir.path().join("public/problems.html"));
    let group = problems
        .select(&sel("article.group"))
        .next()
        .expect("a shared problem");
    let text = |e: scraper::ElementRef, s: &str| -> Vec<String> {
        e.select(&sel(s))
            .map(|x| x.text().collect::<String>().trim().to_string())
            .collect()
    };
    assert_eq!(text(group, "h3"), ["CORSエラーが出る"]);
    assert_eq!(text(group, ".tag"), ["CORS"]);
    assert_eq!(text(group, ".hit h4"), ["aiko", "aiko-data"]);
    assert!(text(group, ".resolution li")
        .iter()
        .all(|l| l == "→ サーバー側の設定"));
    assert_eq!(
        text(group, ".learnings li")[0],
        "CORSはサーバー側で設定する"
    );
    let day_link = group
        .select(&sel(".hit a[href$='days/2025-05-01.html']"))
        .next()
        .expect("a link to aiko's day page");
    assert_eq!(
        day_link.value().attr("href"),
        Some("aiko/days/2025-05-01.html")
    );
    assert!(dir
        .path()
        .join("public/aiko/days/2025-05-01.html")
        .is_file());
}

#[test]
fn members_given_as_a_file_and_over_loopback_http_are_read() {
    let a = tempfile::tempdir().unwrap();
    generated(a.path(), 12, 21, "2025-05-01");
    let b = tempfile::tempdir().unwrap();
    generated(b.path(), 9, 22, "2025-05-03");
    let site = tempfile::tempdir().unwrap();
    let json_b = stdout_of(&[Path::new("stats"), Path::new("--json"), b.path()]);
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    std::fs::write(site.path().join("data/log.json"), &json_b).unwrap();
    let (base, _server) = serve_dir(site.path());
    assert!(base.starts_with("http://127.0.0.1:"));
    let dir = tempfile::tempdir().unwrap();
    let json_a = stdout_of(&[Path::new("stats"), Path::new("--json"), a.path()]);
    std::fs::write(dir.path().join("a.json"), &json_a).unwrap();
    std::fs::write(
        dir.path().join("cohort.toml"),
        format!(
            "[[member]]\nname = \"file\"\ndata = \"a.json\"\nsite = \"https://file.example/log\"\n\n\
             [[member]]\nname = \"http\"\ndata = \"{base}data/log.json\"\n"
        ),
    )
    .unwrap();
    let html = built_cohort(dir.path());
    let rows = rows(&html);
    for (name, json) in [("file", &json_a), ("http", &json_b)] {
        let doc: Value = serde_json::from_str(json).unwrap();
        let row = &rows.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(
            attr_num(row, "data-total"),
            doc["total_minutes"].as_i64().unwrap()
        );
    }
    let link = |name: &str| {
        let row = &rows.iter().find(|(n, _)| n == name).unwrap().1;
        row.select(&sel("a.name"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_string()
    };
    assert_eq!(link("file"), "https://file.example/log/");
    // A published log.json's site is the folder above data/.
    assert_eq!(link("http"), base);
}

/// Each bad cohort.toml: exit 1, an error naming the member, the previous site intact.
#[test]
fn each_bad_configuration_names_the_member_and_keeps_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let good = sample_data();
    std::fs::write(dir.path().join("good.json"), &good).unwrap();
    let other_schema = good.replacen("\"schema\": 1", "\"schema\": 2", 1);
    std::fs::write(dir.path().join("v2.json"), other_schema).unwrap();
    // The last date chrono can hold: weeks counted from it would leave chrono's range.
    let mut far: Value = serde_json::from_str(&good).unwrap();
    far["days"][0]["date"] = Value::from("+262142-12-31");
    std::fs::write(dir.path().join("far.json"), far.to_string()).unwrap();
    let good_toml = "[[member]]\nname = \"good\"\ndata = \"good.json\"\n";
    std::fs::write(dir.path().join("cohort.toml"), good_toml).unwrap();
    built_cohort(dir.path());
    let index = dir.path().join("public/index.html");
    let before = std::fs::read(&index).unwrap();
    // A port nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cases = [
        ("unknown key", "[[member]]\nname = \"typo\"\ndata = \"good.json\"\nsit = \"x\"\n", "member \"typo\"", "sit"),
        ("no source", "[[member]]\nname = \"nosource\"\n", "member \"nosource\"", "no source"),
        ("two sources", "[[member]]\nname = \"both\"\ndata = \"good.json\"\nlog = \".\"\n", "member \"both\"", "two sources"),
        ("other schema", "[[member]]\nname = \"newer\"\ndata = \"v2.json\"\n", "member \"newer\"", "schema 2"),
        ("unreachable", &format!("[[member]]\nname = \"far\"\ndata = \"http://127.0.0.1:{closed}/data/log.json\"\n"), "member \"far\"", "cannot fetch"),
        ("duplicate", "[[member]]\nname = \"twin\"\ndata = \"good.json\"\n\n[[member]]\nname = \"twin\"\ndata = \"good.json\"\n", "member \"twin\"", "twice"),
        ("date out of range", "[[member]]\nname = \"future\"\ndata = \"far.json\"\n", "member \"future\"", "+262142-12-31 is outside the years 0–10000"),
        ("missing file", "[[member]]\nname = \"gone\"\ndata = \"gone.json\"\n", "member \"gone\"", "cannot read"),
    ];
    for (what, toml, member, why) in cases {
        std::fs::write(
            dir.path().join("cohort.toml"),
            format!("{good_toml}\n{toml}"),
        )
        .unwrap();
        let out = cohort(dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains(member) && stderr.contains(why),
            "{what}: {stderr}"
        );
        assert_eq!(
            std::fs::read(&index).unwrap(),
            before,
            "{what}: the previous site changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("building") || n.contains(".old-"))
            .collect();
        assert!(leftovers.is_empty(), "{what}: {leftovers:?}");
    }
}

/// Members' data is somebody else's file: minutes at the top of `u32` in every day
/// add up to the top, in each row and in the cohort's weekly totals, never wrap.
#[test]
fn huge_minutes_in_members_data_are_held_at_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_data();
    let mut doc: Value = serde_json::from_str(&sample).unwrap();
    for day in doc["days"].as_array_mut().unwrap() {
        day["minutes"] = Value::from(u32::MAX);
    }
    std::fs::write(dir.path().join("huge.json"), doc.to_string()).unwrap();
    std::fs::write(
        dir.path().join("cohort.toml"),
        "[[member]]\nname = \"a\"\ndata = \"huge.json\"\n\n\
         [[member]]\nname = \"b\"\ndata = \"huge.json\"\n",
    )
    .unwrap();
    let html = built_cohort(dir.path());
    for (name, row) in rows(&html) {
        assert_eq!(attr_num(&row, "data-week"), i64::from(u32::MAX), "{name}");
    }
    let most = logsite::note::duration::format(u32::MAX);
    let index = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    let bars = index.matches(&format!(": {most}</title>")).count();
    assert!(bars > 0, "no week of the totals chart at {most}");
}

/// GETs a page from the server as text.
fn get(url: &str) -> String {
    ureq::get(url)
        .call()
        .and_then(|mut r| r.body_mut().read_to_string())
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

#[test]
fn cohort_serve_rebuilds_when_a_members_data_changes() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let json = stdout_of(&[
        Path::new("stats"),
        Path::new("--json"),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    ]);
    std::fs::write(dir.path().join("a.json"), &json).unwrap();
    std::fs::write(
        dir.path().join("cohort.toml"),
        "[[member]]\nname = \"a\"\ndata = \"a.json\"\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_logsite"))
        .args(["cohort", "serve", "--port", "0"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let total = |page: &str| -> i64 {
        let html = Html::parse_document(page);
        let row = html.select(&sel("tr.learner")).next().expect("a row");
        attr_num(&row, "data-total")
    };
    let doc: Value = serde_json::from_str(&json).unwrap();
    let before = doc["total_minutes"].as_i64().unwrap();
    let page = get(&format!("{url}index.html"));
    assert_eq!(total(&page), before);
    assert!(
        page.contains("/__logsite/live.js"),
        "the reload script is injected"
    );
    std::fs::write(
        dir.path().join("a.json"),
        json.replacen(
            &format!("\"total_minutes\": {before}"),
            "\"total_minutes\": 12345",
            1,
        ),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut now = before;
    while now != 12345 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
        now = total(&get(&format!("{url}index.html")));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(now, 12345, "the overview was rebuilt from the changed data");
}
