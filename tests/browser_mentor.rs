//! The mentor's pages in headless Chromium on a 390 px phone and a 1280 px desktop:
//! chart text is legible (at least 11 px), calendar month labels never overlap, day
//! pages have previous / next at the top, the week page's copy button is shown, and
//! next.html fits the screen.
//! Screenshots go to `<target>/screenshots/mentor-*.png` for a human to look at.

mod common;

use common::browser::{serve_dir, Browser};
use serde_json::Value;

/// The smallest rendered font size of the chart and calendar text, in CSS px.
const SMALLEST_CHART_TEXT: &str = r#"(() => {
  const texts = [...document.querySelectorAll(".chart text, .heatmap text.month")]
    .filter(t => getComputedStyle(t).display !== "none" && t.getBoundingClientRect().width > 0);
  return Math.min(...texts.map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  }));
})()"#;

/// Pairs of calendar month labels whose boxes overlap.
const OVERLAPPING_MONTHS: &str = r#"(() => {
  const r = [...document.querySelectorAll(".heatmap text.month")].map(t => [t.textContent, t.getBoundingClientRect()]);
  const out = [];
  for (let i = 1; i < r.length; i++) if (r[i - 1][1].right > r[i][1].left + 0.5) out.push(r[i - 1][0] + " / " + r[i][0]);
  return out;
})()"#;

#[test]
fn charts_are_legible_and_day_pages_have_a_pager_at_the_top() {
    let out = common::build_into(common::sample_root(), None);
    let site = out.path().join("site");
    let (base, _server) = serve_dir(&site);
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut browser = Browser::launch();
    let mut failures = Vec::new();
    for (name, width, height, mobile) in [("phone", 390, 844, true), ("desktop", 1280, 800, false)]
    {
        browser.set_viewport(width, height, mobile);
        browser.navigate(&format!("{base}index.html"));
        let smallest = browser.eval(SMALLEST_CHART_TEXT).as_f64().unwrap_or(0.0);
        if smallest < 11.0 {
            failures.push(format!("{name}: chart text {smallest:.1} px"));
        }
        let overlaps = browser.eval(OVERLAPPING_MONTHS);
        if overlaps.as_array().is_none_or(|a| !a.is_empty()) {
            failures.push(format!("{name}: month labels overlap: {overlaps}"));
        }
        // The header and menu take one compact band of a phone's screen.
        let top = browser.eval("document.querySelector('main').getBoundingClientRect().top");
        if mobile && top.as_f64().is_none_or(|t| t > 100.0) {
            failures.push(format!("{name}: the header takes {top} px"));
        }
        browser.screenshot_png(&shots.join(format!("mentor-home-{name}.png")));
        browser.navigate(&format!("{base}days/2025-04-29.html"));
        // Previous and next are on the first screen.
        let top = browser.eval(
            r#"(() => { const n = document.querySelector("nav.pager-top"); return n ? [n.querySelectorAll("a").length, n.getBoundingClientRect().bottom] : null; })()"#,
        );
        match top.as_array().map(|a| (a[0].as_u64(), a[1].as_f64())) {
            Some((Some(2), Some(bottom))) if bottom < f64::from(height) => {}
            _ => failures.push(format!("{name}: no pager on the first screen: {top}")),
        }
        browser.screenshot_png(&shots.join(format!("mentor-day-{name}.png")));
        browser.navigate(&format!("{base}weeks/2025-W18.html"));
        let button = browser.eval(r#"(() => { const b = document.querySelector("button.copy-report"); return b && !b.hidden && b.getBoundingClientRect().width > 0; })()"#);
        if button != Value::Bool(true) {
            failures.push(format!("{name}: the copy button is not shown"));
        }
        browser.navigate(&format!("{base}next.html"));
        let wide = browser
            .eval("document.documentElement.scrollWidth > document.documentElement.clientWidth");
        if wide != Value::Bool(false) {
            failures.push(format!("{name}: next.html is wider than the screen"));
        }
        browser.screenshot_png(&shots.join(format!("mentor-next-{name}.png")));
    }
    assert!(browser.take_js_errors().is_empty());
    assert!(failures.is_empty(), "{failures:#?}");
}
