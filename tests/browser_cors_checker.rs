//! The CORS explainer's interactive checker, run in headless Chromium over
//! HTTP: it builds its form, blames the seed's phone setup, and passes the
//! fixed one. Assertions read what a reader sees: text and attributes.

mod common;

use std::path::Path;
use std::time::Duration;

use common::browser::{serve_dir, Browser};
use serde_json::Value;

const VERDICT: &str = "document.querySelector('#cors-checker .cors-checker-verdict')";

#[test]
fn cors_checker_blocks_the_seed_phone_setup_and_allows_the_fixed_one() {
    let out = tempfile::tempdir().expect("temp dir");
    let mut options =
        logsite::site::BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2025, 5, 20).unwrap());
    options.out_dir = Some(out.path().to_path_buf());
    if let Err(failure) = logsite::site::build(Path::new(env!("CARGO_MANIFEST_DIR")), &options) {
        panic!("the sample log does not build: {failure:?}");
    }
    let (base, _server) = serve_dir(out.path());
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
