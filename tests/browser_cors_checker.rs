//! The CORS explainer's interactive checker, run in headless Chromium over
//! HTTP: it builds its form, blames the seed's phone setup, and passes the
//! fixed one. Assertions read what a reader sees: text and attributes.

mod common;

use std::path::Path;
use std::time::Duration;

use common::browser::{serve_dir, Browser};
use serde_json::Value;

const VERDICT: &str = "document.querySelector('#cors-checker .cors-checker-verdict')";

/// The bundled sample log, built into a temp dir and served on loopback: its
/// base URL, and what keeps both alive.
fn sample_site() -> (String, (common::browser::Server, tempfile::TempDir)) {
    let out = tempfile::tempdir().expect("temp dir");
    let mut options =
        logsite::site::BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2025, 5, 20).unwrap());
    options.out_dir = Some(out.path().to_path_buf());
    if let Err(failure) = logsite::site::build(Path::new(env!("CARGO_MANIFEST_DIR")), &options) {
        panic!("the sample log does not build: {failure:?}");
    }
    let (base, server) = serve_dir(out.path());
    // The server is dropped (stopped) before the folder it serves.
    (base, (server, out))
}

#[test]
fn cors_checker_blocks_the_seed_phone_setup_and_allows_the_fixed_one() {
    let (base, _site) = sample_site();
    let mut browser = Browser::launch();
    browser.set_viewport(390, 844, true);
    browser.navigate(&format!("{base}explainers/cors.html"));

    // The script replaces the placeholder with a form and a result section.
    browser.wait_for(
        "document.querySelector('#cors-checker form.cors-checker-form')",
        Duration::from_secs(5),
    );
    let presets = browser.eval(
        "[...document.querySelectorAll('#cors-checker button[data-preset]')]\
         .map(b => b.dataset.preset)",
    );
    for id in ["seed-phone", "fixed"] {
        assert!(
            presets.as_array().unwrap().contains(&Value::from(id)),
            "no preset button {id}: {presets}"
        );
    }

    // It opens on the seed's failure: an https page fetching http://localhost:8000/.
    assert_eq!(
        browser.eval("document.querySelector('#cors-checker-request_url').value"),
        "http://localhost:8000/"
    );
    let verdict = text(&mut browser, VERDICT);
    assert!(verdict.contains("blocked"), "seed phone verdict: {verdict}");
    assert!(
        verdict.contains("ブロック"),
        "seed phone verdict: {verdict}"
    );
    assert_eq!(
        browser.eval(&format!("{VERDICT}.classList.contains('fail')")),
        true
    );
    let failed = browser
        .eval("[...document.querySelectorAll('#cors-checker .cors-checker-steps li.fail')].length");
    assert!(
        failed.as_u64().unwrap_or(0) >= 1,
        "a blocked verdict names the failing step: {failed}"
    );

    // The fixed setup: api.saburo.xyz answering with the page's origin.
    browser.eval("document.querySelector('#cors-checker button[data-preset=\"fixed\"]').click()");
    browser.wait_for(
        &format!("{VERDICT}.textContent.includes('allowed')"),
        Duration::from_secs(5),
    );
    let verdict = text(&mut browser, VERDICT);
    assert!(verdict.contains("許可"), "fixed verdict: {verdict}");
    assert_eq!(
        browser.eval("document.querySelector('#cors-checker-request_url').value"),
        "https://api.saburo.xyz/"
    );
    assert_eq!(
        browser.eval(
            "[...document.querySelectorAll('#cors-checker .cors-checker-steps li.fail')].length"
        ),
        0
    );

    // From the keyboard: credentials "include" needs Access-Control-Allow-Credentials.
    browser.eval("document.querySelector('#cors-checker-credentials').focus()");
    browser.press_key("ArrowDown");
    assert_eq!(
        browser.eval("document.querySelector('#cors-checker-credentials').value"),
        "include"
    );
    browser.wait_for(
        &format!("{VERDICT}.textContent.includes('blocked')"),
        Duration::from_secs(5),
    );
    browser.press_key("ArrowUp");
    browser.wait_for(
        &format!("{VERDICT}.textContent.includes('allowed')"),
        Duration::from_secs(5),
    );

    // Typing into a field re-judges: a wrong origin in the answer blocks again.
    browser.eval("document.querySelector('#cors-checker-actual_response').focus()");
    browser.eval("document.querySelector('#cors-checker-actual_response').select()");
    browser.type_text("access-control-allow-origin: https://例え.jp");
    browser.wait_for(
        &format!("{VERDICT}.textContent.includes('blocked')"),
        Duration::from_secs(5),
    );

    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
}

/// The visible text of the element `js` finds.
fn text(browser: &mut Browser, js: &str) -> String {
    match browser.eval(&format!("{js}?.innerText")) {
        Value::String(s) => s,
        other => panic!("{js} has no text: {other}"),
    }
}

/// Contrast ratio (WCAG) of the element's text colour on its background.
const CONTRAST: &str = r#"(el => {
  const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const s = getComputedStyle(el);
  const [a, b] = [lum(rgb(s.color)), lum(rgb(s.backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})"#;

/// The smallest text of the sequence diagram as drawn: its font size in
/// SVG units times the SVG's scale on screen.
const SMALLEST_DIAGRAM_TEXT: &str = r#"(() => {
  const svg = document.querySelector('figure.cors-seq svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return sizes.length ? Math.min(...sizes) : 0;
})()"#;

#[test]
fn diagram_text_is_legible_and_the_seed_case_shows_a_styled_verdict_on_phone_and_desktop() {
    let (base, _site) = sample_site();
    let mut browser = Browser::launch();
    for (width, height, mobile) in [(390, 844, true), (1280, 900, false)] {
        for dark in [false, true] {
            browser.set_viewport(width, height, mobile);
            browser.set_dark_mode(dark);
            browser.navigate(&format!("{base}explainers/cors.html"));
            browser.wait_for(
                "document.querySelector('#cors-checker form.cors-checker-form')",
                Duration::from_secs(5),
            );
            let smallest = browser.eval(SMALLEST_DIAGRAM_TEXT).as_f64().unwrap();
            assert!(
                smallest >= 12.0,
                "{width} px: smallest diagram text is {smallest:.1} px"
            );
            // Wide content scrolls inside the figure, not the page.
            let overflow = browser.eval(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            );
            assert!(
                overflow.as_f64().unwrap() <= 1.0,
                "{width} px: the page scrolls sideways by {overflow} px"
            );

            // Start from the fixed setup, then type the seed's URL.
            browser.eval(
                "document.querySelector('#cors-checker button[data-preset=\"fixed\"]').click()",
            );
            browser.wait_for(
                &format!("{VERDICT}.classList.contains('ok')"),
                Duration::from_secs(5),
            );
            let allowed_colour = browser.eval(&format!("getComputedStyle({VERDICT}).color"));
            browser.eval("document.querySelector('#cors-checker-request_url').focus()");
            browser.eval("document.querySelector('#cors-checker-request_url').select()");
            browser.type_text("http://localhost:8000/");
            browser.wait_for(
                &format!("{VERDICT}.classList.contains('fail')"),
                Duration::from_secs(5),
            );
            let verdict = text(&mut browser, VERDICT);
            assert!(
                verdict.starts_with('✗') && verdict.contains("blocked"),
                "{width} px dark={dark}: {verdict}"
            );
            let blocked_colour = browser.eval(&format!("getComputedStyle({VERDICT}).color"));
            assert_ne!(
                allowed_colour, blocked_colour,
                "allowed and blocked look alike"
            );
            for target in [
                VERDICT.to_string(),
                "document.querySelector('#cors-checker .cors-checker-steps li.fail')".to_string(),
            ] {
                let ratio = browser.eval(&format!("{CONTRAST}({target})"));
                assert!(
                    ratio.as_f64().unwrap() >= 4.5,
                    "{width} px dark={dark}: contrast {ratio} for {target}"
                );
            }
            assert_eq!(
                browser.eval(
                    "document.querySelector('#cors-checker .cors-checker-steps li.fail').dataset.rule"
                ),
                "localhost"
            );
            // The verdict comes first: no scrolling past the steps to find it.
            assert_eq!(
                browser.eval(&format!(
                    "{VERDICT}.compareDocumentPosition(document.querySelector('#cors-checker .cors-checker-steps')) & Node.DOCUMENT_POSITION_FOLLOWING"
                )),
                4
            );
        }
    }
    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
}

#[test]
fn a_redirect_chain_typed_into_the_checker_is_judged_hop_by_hop() {
    let (base, _site) = sample_site();
    let mut browser = Browser::launch();
    browser.set_viewport(390, 844, true);
    browser.navigate(&format!("{base}explainers/cors.html"));
    browser.wait_for(
        "document.querySelector('#cors-checker button[data-preset=\"redirect-null\"]')",
        Duration::from_secs(5),
    );
    // The preset: api → api2 (another origin) with the page's origin echoed
    // at the end, where only `null` (or *) would do.
    browser.eval(
        "document.querySelector('#cors-checker button[data-preset=\"redirect-null\"]').click()",
    );
    browser.wait_for(
        &format!("{VERDICT}.classList.contains('fail')"),
        Duration::from_secs(5),
    );
    let rules = browser.eval(
        "[...document.querySelectorAll('#cors-checker .cors-checker-steps li')].map(li => li.dataset.rule + ':' + li.className)",
    );
    let rules: Vec<String> = serde_json::from_value(rules).unwrap();
    assert!(rules.contains(&"redirect:ok".to_string()), "{rules:?}");
    assert_eq!(rules.last().unwrap(), "allow-origin:fail", "{rules:?}");
    let missing = text(
        &mut browser,
        "document.querySelector('#cors-checker .cors-checker-missing')",
    );
    assert_eq!(missing.trim(), "Access-Control-Allow-Origin: null");

    // Typing `null` as the final answer lets it through.
    browser.eval("document.querySelector('#cors-checker-actual_response').focus()");
    browser.eval("document.querySelector('#cors-checker-actual_response').select()");
    browser.type_text("access-control-allow-origin: null");
    browser.wait_for(
        &format!("{VERDICT}.classList.contains('ok')"),
        Duration::from_secs(5),
    );
    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
}
