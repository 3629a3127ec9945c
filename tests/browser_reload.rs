//! `logsite serve` with a real browser tab: editing a note reloads the open day page
//! by itself, a broken note shows the error overlay naming the file, and fixing it
//! clears the overlay and shows the new text; a tab on a page the edit did not change
//! is not reloaded. The server runs in-process on a free port and is shut down, with
//! the tab still connected, at the end.
//!
//! Every wait is bounded, so a regression fails instead of hanging CI.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use common::browser::Browser;
use common::serving::Serving;
use common::TempLog;
use serde_json::Value;

/// How long a change on disk may take to reach the open page.
const RELOAD_WAIT: Duration = Duration::from_secs(15);
const WAIT: Duration = Duration::from_secs(10);
const DAY: &str = "days/2025-04-28.html";
const NOTE: &str = "content/2025/04/2025-04-28.md";

/// The seed note with one more learning, `line`, under `## わかったこと`.
fn seed_with(line: &str) -> String {
    let text = common::seed_text();
    assert!(
        text.contains("## わかったこと\n"),
        "the seed has a learnings section"
    );
    text.replacen(
        "## わかったこと\n",
        &format!("## わかったこと\n- {line}\n"),
        1,
    )
}

/// Evaluates `js`, or `None` when the page was navigating away at that moment
/// (the live-reload script reloads whenever it likes, and an evaluation racing
/// that reload fails with "Execution context was destroyed").
fn try_eval(browser: &mut Browser, js: &str) -> Option<Value> {
    catch_unwind(AssertUnwindSafe(|| browser.eval(js))).ok()
}

/// Evaluates `js`, retrying (bounded) while a reload is in progress.
fn eval_settled(browser: &mut Browser, js: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(value) = try_eval(browser, js) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "`{js}` kept failing for {WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Polls `condition` through reloads until it is truthy; panics after `timeout`.
fn wait_through_reloads(browser: &mut Browser, condition: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    let js =
        format!("(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()");
    while try_eval(browser, &js) != Some(Value::Bool(true)) {
        if Instant::now() > deadline {
            let state = try_eval(
                browser,
                "({reloads: window.__logsiteReloads, generation: window.__logsiteGeneration, \
                  overlay: document.getElementById('logsite-overlay')?.innerText ?? null, \
                  path: location.pathname})",
            );
            panic!("waited {timeout:?} for `{condition}`; page state: {state:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `window.__logsiteReloads`, read once the page is settled.
fn reloads(browser: &mut Browser) -> u64 {
    wait_through_reloads(
        browser,
        "document.readyState === 'complete' && typeof window.__logsiteReloads === 'number'",
        WAIT,
    );
    let value = eval_settled(browser, "window.__logsiteReloads");
    value
        .as_u64()
        .unwrap_or_else(|| panic!("__logsiteReloads: {value}"))
}

/// Waits until the page's reload script has run; returns the generation the page came
/// from and the reloads so far.
fn opened(browser: &mut Browser) -> (Value, u64) {
    wait_through_reloads(
        browser,
        "typeof window.__logsiteGeneration === 'string' && window.__logsiteGeneration !== ''",
        WAIT,
    );
    let generation = eval_settled(browser, "window.__logsiteGeneration");
    (generation, reloads(browser))
}

#[test]
fn an_open_day_page_reloads_on_edits_and_shows_then_clears_the_error_overlay() {
    let log = TempLog::with_seed(&[]);
    let server = Serving::start(&log);
    let mut browser = Browser::launch();
    browser.set_viewport(1280, 800, false);
    browser.navigate(&server.url(DAY));
    // The reload script is on the page.
    let (first, reloads_before) = opened(&mut browser);
    assert_eq!(
        eval_settled(&mut browser, "document.getElementById('logsite-overlay')"),
        Value::Null
    );
    // No need to wait for the reload channel to connect: on connect it is told the
    // current generation, so a tab that connects after the edit still reloads.

    // 1. An edit on disk: the page reloads by itself and shows the new line.
    let marker = "自動再読み込みの確認-7c1e";
    log.write(NOTE, &seed_with(marker));
    wait_through_reloads(
        &mut browser,
        &format!(
            "window.__logsiteReloads > {reloads_before} \
             && document.body.innerText.includes({})",
            Value::from(marker)
        ),
        RELOAD_WAIT,
    );
    let second = eval_settled(&mut browser, "window.__logsiteGeneration");
    assert_ne!(second, first, "the reloaded page comes from a new build");
    assert_eq!(
        eval_settled(&mut browser, "location.pathname"),
        Value::from(format!("/{DAY}")),
        "the reload stays on the same page"
    );

    // 2. A note that is not UTF-8: the build fails, the overlay names the file,
    // and the last good page stays underneath.
    let reloads_at_failure = reloads(&mut browser);
    std::fs::write(log.path().join(NOTE), b"# \xff\xfe broken\n").unwrap();
    wait_through_reloads(
        &mut browser,
        "document.getElementById('logsite-overlay')?.innerText.includes('2025-04-28.md')",
        RELOAD_WAIT,
    );
    assert_eq!(
        eval_settled(
            &mut browser,
            "document.getElementById('logsite-overlay').getAttribute('role')"
        ),
        "alertdialog"
    );
    assert_eq!(
        eval_settled(
            &mut browser,
            &format!("document.body.innerText.includes({})", Value::from(marker))
        ),
        true,
        "the last good page stays under the overlay"
    );
    assert_eq!(
        eval_settled(&mut browser, "window.__logsiteReloads"),
        Value::from(reloads_at_failure),
        "a failed build does not reload the page"
    );

    // 3. Fixed: the page reloads, the overlay is gone, the new text is there.
    let fixed = "直した後の行-7c1e";
    log.write(NOTE, &seed_with(fixed));
    wait_through_reloads(
        &mut browser,
        &format!(
            "window.__logsiteReloads > {reloads_at_failure} \
             && !document.getElementById('logsite-overlay') \
             && document.body.innerText.includes({})",
            Value::from(fixed)
        ),
        RELOAD_WAIT,
    );
    assert_ne!(
        eval_settled(&mut browser, "window.__logsiteGeneration"),
        second
    );

    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");

    // The tab is still connected to the reload channel: stopping must not wait for it.
    server.shut_down();
    drop(browser);
}

#[test]
fn a_tab_on_a_page_the_edit_did_not_change_is_not_reloaded() {
    let other_note = "content/2025/04/2025-04-29.md";
    let other_text = |learning: &str| {
        format!("## 取り組んだ課題一覧\n- 学習(2h)\n\n## わかったこと\n- {learning}\n")
    };
    let log = TempLog::with_seed(&[(other_note, other_text("最初の行").as_bytes())]);
    let server = Serving::start(&log);
    let mut browser = Browser::launch();
    // The seed's day: a learning added to the next day changes neither its text nor
    // its links (the next day's date, title and hours stay).
    browser.navigate(&server.url(DAY));
    let (first, reloads_before) = opened(&mut browser);

    let marker = "翌日に足した行-3b9d";
    log.write(other_note, &other_text(marker));
    // Done when the whole rebuild is served (the week page lists the new learning) and
    // the tab is current with the generation pages are served with now.
    let current = format!(
        "(async () => {{
            const get = async (path) => (await fetch(path, {{cache: 'no-store'}})).text();
            const week = await get('/weeks/2025-W18.html');
            const served = new DOMParser().parseFromString(await get('/index.html'), 'text/html')
                .querySelector('script[data-generation]').dataset.generation;
            return week.includes({}) && served !== {first}
                && window.__logsiteGeneration === served;
        }})()",
        Value::from(marker)
    );
    let deadline = Instant::now() + RELOAD_WAIT;
    while try_eval(&mut browser, &current) != Some(Value::Bool(true)) {
        assert!(
            Instant::now() < deadline,
            "the tab did not follow the rebuild within {RELOAD_WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Still so a moment later: no event was left that would reload it.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(eval_settled(&mut browser, &current), true);
    assert_eq!(
        reloads(&mut browser),
        reloads_before,
        "the tab on an unchanged page is not reloaded"
    );
    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
    server.shut_down();
    drop(browser);
}

#[test]
fn errors_that_do_not_stop_the_build_show_in_a_panel_the_author_can_close() {
    // The seed links two screenshots; one is missing: an error, but the site is built.
    let seed = common::seed_text();
    let png = common::tiny_png();
    let log = TempLog::new(&[
        (NOTE, seed.as_bytes()),
        ("content/2025/04/20250428-pc.png", &png),
    ]);
    let server = Serving::start(&log);
    let mut browser = Browser::launch();
    browser.set_viewport(1280, 800, false);
    browser.navigate(&server.url(DAY));
    opened(&mut browser);
    wait_through_reloads(
        &mut browser,
        "document.getElementById('logsite-problems')",
        WAIT,
    );
    let panel = eval_settled(
        &mut browser,
        "document.getElementById('logsite-problems').innerText",
    );
    let panel = panel.as_str().unwrap_or_default().to_string();
    assert!(
        panel.contains("2025-04-28.md:68") && panel.contains("20250428-smartphone.png"),
        "the panel names the file, the line and the missing image: {panel}"
    );
    assert_eq!(
        eval_settled(&mut browser, "document.getElementById('logsite-overlay')"),
        Value::Null,
        "an error that did not stop the build covers nothing: the page is readable"
    );
    assert_eq!(
        eval_settled(
            &mut browser,
            "document.body.innerText.includes('今日学んだこと') || document.querySelector('main') !== null"
        ),
        true
    );

    // Closed, it stays closed on this page and after a reload, while the problems are
    // the same.
    eval_settled(
        &mut browser,
        "document.getElementById('logsite-problems-close').click()",
    );
    assert_eq!(
        eval_settled(&mut browser, "document.getElementById('logsite-problems')"),
        Value::Null
    );
    browser.navigate(&server.url(DAY));
    opened(&mut browser);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        eval_settled(&mut browser, "document.getElementById('logsite-problems')"),
        Value::Null,
        "a closed panel does not come back for the same problems"
    );

    // The screenshot added: the tab reloads onto a build without problems.
    let reloads_before = reloads(&mut browser);
    std::fs::write(
        log.path().join("content/2025/04/20250428-smartphone.png"),
        &png,
    )
    .unwrap();
    wait_through_reloads(
        &mut browser,
        &format!(
            "window.__logsiteReloads > {reloads_before} && !document.getElementById('logsite-problems')"
        ),
        RELOAD_WAIT,
    );
    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
    server.shut_down();
    drop(browser);
}
