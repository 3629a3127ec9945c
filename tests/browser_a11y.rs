//! axe-core (tests/a11y/package-lock.json pins the version) run inside headless
//! Chromium on every kind of page of the bundled sample, at a 390 px phone and a
//! 1280 px desktop, in light and dark: no violation of a WCAG 2.0/2.1 A or AA rule.
//! A violation is reported with its rule, impact, the elements it found and the
//! page, screen and colour scheme, so the failure explains itself.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use common::browser::{serve_dir, Browser};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

/// Every rule axe tags as WCAG 2.0 or 2.1, level A or AA; none is switched off.
const RUN_AXE: &str = r#"axe.run(document, {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  resultTypes: ["violations"],
}).then(r => ({
  passed: r.passes.length,
  violations: r.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  })),
}))"#;

/// axe-core, from where `npm ci --prefix tests/a11y` puts it. It is installed here
/// when missing (the version pinned in `tests/a11y/package-lock.json`), so that
/// `cargo test` in a fresh clone needs no step of its own.
fn axe_source() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/a11y");
    let path = dir.join("node_modules/axe-core/axe.min.js");
    if !path.is_file() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .status();
        assert!(
            status.as_ref().is_ok_and(|s| s.success()),
            "could not install axe-core with npm ci --prefix {}: {status:?}",
            dir.display()
        );
    }
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no axe-core at {}: install it with: npm ci --prefix tests/a11y",
            path.display()
        )
    })
}

/// A page to check: its name, its path, and what to do once it has loaded.
struct Page {
    name: &'static str,
    path: String,
    prepare: fn(&mut Browser),
}

fn nothing(_: &mut Browser) {}

/// A page checked as it loads.
fn page(name: &'static str, path: impl Into<String>) -> Page {
    Page {
        name,
        path: path.into(),
        prepare: nothing,
    }
}

/// The checker replaces its placeholder with a form and opens on the seed's verdict.
fn checker_ready(browser: &mut Browser) {
    browser.wait_for(
        "document.querySelector('#cors-checker .cors-checker-verdict')",
        WAIT,
    );
}

/// Results of a query that finds day notes and the explainer, the list open.
fn search_open(browser: &mut Browser) {
    browser.wait_for("window.LogsiteSearch", WAIT);
    browser.eval("document.getElementById('search-input').focus()");
    browser.type_text("CORS");
    browser.wait_for(
        "!document.getElementById('search-results').hidden \
         && document.querySelectorAll('#search-results a.search-result').length > 0",
        WAIT,
    );
}

/// The first link of `list` on `page`, relative to the site root.
fn first_link(site: &std::path::Path, page: &str, list: &str) -> String {
    let doc = common::html(site, page);
    let sel = scraper::Selector::parse(list).unwrap();
    let href = doc
        .select(&sel)
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("{page} has no link matching {list}"));
    // Links on pages one folder down start with ../.
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let rel = href.trim_start_matches("../");
    if href.starts_with("../") || folder.is_empty() {
        rel.to_string()
    } else {
        format!("{folder}/{rel}")
    }
}

/// A log of `n` notes from scripts/gen-notes: a full year's calendar, every
/// colour level, twelve full weeks, many problems and steps.
fn generated_log(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new("python3")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-notes"))
        .arg(n.to_string())
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): install Python 3 to run scripts/gen-notes")
        });
    assert!(status.success(), "scripts/gen-notes failed");
    dir
}

/// The newest day and week pages, from data/log.json.
fn newest_day_and_week(site: &std::path::Path) -> (String, String) {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/log.json")).unwrap())
            .unwrap();
    let day = json["days"]
        .as_array()
        .and_then(|d| d.last())
        .expect("a day");
    let week = json["weeks"]
        .as_array()
        .and_then(|w| w.last())
        .expect("a week");
    (
        format!("days/{}.html", str_of(&day["date"])),
        format!("weeks/{}.html", str_of(&week["week"])),
    )
}

/// Violations found so far, and how many runs broke each rule.
#[derive(Default)]
struct Findings {
    failures: Vec<String>,
    by_rule: BTreeMap<String, usize>,
}

/// Runs axe on each of `pages` of the site at `base`, at a phone and a desktop
/// width, in light and dark.
fn check_pages(browser: &mut Browser, base: &str, log: &str, pages: &[Page], found: &mut Findings) {
    for dark in [false, true] {
        browser.set_dark_mode(dark);
        let scheme = if dark { "dark" } else { "light" };
        for (width, height, mobile) in [(390, 844, true), (1280, 800, false)] {
            browser.set_viewport(width, height, mobile);
            for page in pages {
                browser.navigate(&format!("{base}{}", page.path));
                (page.prepare)(browser);
                let at = format!(
                    "{log}: {} ({}) at {width} px, {scheme}",
                    page.name, page.path
                );
                let result = browser.eval(RUN_AXE);
                // A page where no rule applied was not checked at all.
                if result["passed"].as_u64().unwrap_or(0) < 10 {
                    found
                        .failures
                        .push(format!("{at}: axe passed only {} rules", result["passed"]));
                }
                for v in result["violations"].as_array().expect("axe returns a list") {
                    *found.by_rule.entry(str_of(&v["id"])).or_default() += 1;
                    let targets: Vec<String> = v["targets"]
                        .as_array()
                        .map(|t| t.iter().take(6).map(str_of).collect())
                        .unwrap_or_default();
                    let more = match v["targets"].as_array().map_or(0, Vec::len) {
                        n if n > 6 => format!(" (and {} more)", n - 6),
                        _ => String::new(),
                    };
                    found.failures.push(format!(
                        "{at}: {} [{}] {}: {}{more}",
                        str_of(&v["id"]),
                        str_of(&v["impact"]),
                        str_of(&v["help"]),
                        targets.join(", "),
                    ));
                }
            }
        }
    }
}

#[test]
fn every_kind_of_page_has_no_wcag_a_or_aa_violation_on_phone_and_desktop_light_and_dark() {
    let axe = axe_source();
    let out = common::build_into(common::sample_root(), None);
    let site = out.path().join("site");
    let pages = [
        page("home", "index.html"),
        page("day", "days/2025-04-28.html"),
        page("week", "weeks/2025-W18.html"),
        page("archive", "archive.html"),
        page("topics", "topics/index.html"),
        page(
            "topic",
            first_link(&site, "topics/index.html", "main a[href$='.html']"),
        ),
        page("kb list", "kb/index.html"),
        page(
            "kb entry",
            first_link(&site, "kb/index.html", "main .kb-item a"),
        ),
        Page {
            name: "explainer with the CORS checker",
            path: "explainers/cors.html".into(),
            prepare: checker_ready,
        },
        page("next steps", "next.html"),
        page("404", "404.html"),
        Page {
            name: "search results open",
            path: "days/2025-04-28.html".into(),
            prepare: search_open,
        },
    ];
    // A year of generated notes: the calendar and charts full, every colour level.
    let generated = generated_log(400);
    let generated_out = common::build_into(generated.path(), None);
    let generated_site = generated_out.path().join("site");
    let (newest_day, newest_week) = newest_day_and_week(&generated_site);
    let generated_pages = [
        page("home", "index.html"),
        page("day", newest_day),
        page("week", newest_week),
        page("next steps", "next.html"),
        page(
            "kb entry",
            first_link(&generated_site, "kb/index.html", "main .kb-item a"),
        ),
    ];

    let mut browser = Browser::launch();
    // Injected before each page's own scripts, into every page loaded from now on.
    browser.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": axe}),
    );
    let mut found = Findings::default();
    let (base, _server) = serve_dir(&site);
    check_pages(&mut browser, &base, "sample", &pages, &mut found);
    let (base, _generated_server) = serve_dir(&generated_site);
    check_pages(
        &mut browser,
        &base,
        "generated",
        &generated_pages,
        &mut found,
    );

    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
    assert!(
        found.failures.is_empty(),
        "{} axe violations; runs breaking each rule: {:?}\n{}",
        found.failures.len(),
        found.by_rule,
        found.failures.join("\n")
    );
}

fn str_of(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}
