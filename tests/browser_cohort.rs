//! The sample cohort's overview in headless Chromium: sorting and filtering the
//! learners, and the phone layout (a card per learner, nothing wider than the screen).

mod common;

use std::path::Path;
use std::process::Command;

use common::browser::{serve_dir, Browser};
use serde_json::Value;

/// The learners' names in the order shown, visible rows only.
const SHOWN: &str =
    "[...document.querySelectorAll('tr.learner')].filter(r => !r.hidden).map(r => r.dataset.name)";

fn click_sort(browser: &mut Browser, key: &str) {
    browser.eval(&format!(
        "document.querySelector('th[data-key={key}] button').click(); true"
    ));
}

fn names(v: Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn learners_sort_filter_and_become_cards_on_a_phone() {
    let out = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cohort");
    let built = Command::new(env!("CARGO_BIN_EXE_logsite"))
        .arg("cohort")
        .arg(&sample)
        .arg("--dest-dir")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let (base, _server) = serve_dir(out.path());
    let mut browser = Browser::launch();
    browser.set_viewport(1280, 800, false);
    browser.navigate(&format!("{base}index.html"));
    let totals: Vec<(String, u64)> = serde_json::from_value::<Vec<(String, String)>>(browser.eval(
        "[...document.querySelectorAll('tr.learner')].map(r => [r.dataset.name, r.dataset.total])",
    ))
    .unwrap()
    .into_iter()
    .map(|(n, t)| (n, t.parse().unwrap()))
    .collect();
    assert_eq!(totals.len(), 3);

    // First click on a figure: largest first; second click: smallest first.
    click_sort(&mut browser, "total");
    let mut by_total = totals.clone();
    by_total.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let expected: Vec<String> = by_total.iter().map(|t| t.0.clone()).collect();
    assert_eq!(names(browser.eval(SHOWN)), expected);
    assert_eq!(
        browser.eval("document.querySelector('th[data-key=total]').getAttribute('aria-sort')"),
        "descending"
    );
    click_sort(&mut browser, "total");
    let mut reversed = by_total.clone();
    reversed.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let expected: Vec<String> = reversed.iter().map(|t| t.0.clone()).collect();
    assert_eq!(names(browser.eval(SHOWN)), expected);
    click_sort(&mut browser, "name");
    assert_eq!(names(browser.eval(SHOWN)), ["ken", "mio", "saburo"]);

    // Filtering by a word keeps the rows that contain it.
    browser.eval("document.getElementById('filter').focus(); true");
    browser.type_text("mio");
    assert_eq!(names(browser.eval(SHOWN)), ["mio"]);
    assert_eq!(
        browser.eval("document.getElementById('shown').textContent"),
        "1 / 3"
    );
    browser.eval("const f = document.getElementById('filter'); f.value = ''; f.dispatchEvent(new Event('input')); true");
    assert_eq!(names(browser.eval(SHOWN)).len(), 3);
    assert!(browser.take_js_errors().is_empty());
    browser.screenshot_png(&screenshot_dir().join("cohort-desktop.png"));

    // A phone: no sideways scrolling, each learner a card with labelled figures, and
    // the sort buttons still there.
    browser.set_viewport(390, 844, true);
    browser.navigate(&format!("{base}index.html"));
    browser.eval("document.fonts.ready.then(() => true)");
    let scroll = browser
        .eval("document.documentElement.scrollWidth")
        .as_u64()
        .unwrap();
    assert!(
        scroll <= 390,
        "the overview is {scroll} px wide on a 390 px phone"
    );
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('tr.learner')).display"),
        "block"
    );
    let label = browser.eval(
        "getComputedStyle(document.querySelector('tr.learner td.total'), '::before').content",
    );
    assert!(label.as_str().unwrap().contains("合計"), "{label}");
    let card_width = browser
        .eval("document.querySelector('tr.learner').getBoundingClientRect().width")
        .as_f64()
        .unwrap();
    assert!(
        card_width <= 390.0 && card_width > 300.0,
        "card {card_width} px"
    );
    browser.screenshot_png(&screenshot_dir().join("cohort-phone.png"));
    click_sort(&mut browser, "streak");
    assert_eq!(names(browser.eval(SHOWN)).len(), 3);
    assert!(browser.take_js_errors().is_empty());
}

/// Screenshots for a human to look at: `<target>/screenshots/`.
fn screenshot_dir() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(target)
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
