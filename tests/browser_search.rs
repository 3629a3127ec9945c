//! The header search box in headless Chromium, over HTTP, from a day page (a
//! subfolder, so the index is fetched through `data-root`): Japanese queries find
//! exactly the right day, full-width letters are folded, the keyboard works, and a
//! page opened from `file://` says why it cannot search instead of failing silently.
//! Each result is labelled with its kind (日報, a knowledge-base article…).

mod common;

use std::time::Duration;

use common::browser::{serve_dir, Browser};
use common::{build_into, TempLog};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);
const SEED_DAY: &str = "days/2025-04-28.html";
/// The note holding `東京都` (and `キャッシュ`).
const TOCHO_DAY: &str = "days/2025-05-01.html";

const TOCHO: &str = "# 今日学んだこと

## 取り組んだ課題一覧
- 調査（1h）
    - 東京都庁の近くでキャッシュ無効化を試した
";

/// `東京` and `京都`, never `東京都`.
const TRIP: &str = "# 今日学んだこと

## 取り組んだ課題一覧
- 移動（3h）
    - 東京から京都へ移動した
";

/// What a path needs escaped to be a `file://` URL (`/` stays).
const FILE_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

const LINKS: &str = "[...document.querySelectorAll('#search-results a.search-result')]";
const BOX: &str = "document.getElementById('search-results')";

/// A hand-written knowledge-base article: its results are labelled as such.
const KB_ARTICLE: &str = "---
title: デプロイが反映されない
---
デプロイ手順書どおりに進めても古い画面が出る。
";

fn log() -> TempLog {
    TempLog::with_seed(&[
        ("content/2025/05/2025-05-01.md", TOCHO.as_bytes()),
        ("content/2025/05/2025-05-02.md", TRIP.as_bytes()),
        ("content/kb/deploy.md", KB_ARTICLE.as_bytes()),
    ])
}

/// The kind label shown on every result.
fn result_kinds(browser: &mut Browser) -> Vec<String> {
    let kinds = browser.eval(&format!(
        "{LINKS}.map(a => a.querySelector('.result-kind').textContent)"
    ));
    serde_json::from_value(kinds).expect("a list of labels")
}

/// Replaces the search box's text with `query`, as a reader typing it would.
fn search(browser: &mut Browser, query: &str) {
    browser.eval(
        "(() => { const i = document.getElementById('search-input'); i.focus(); i.select(); })()",
    );
    browser.type_text(query);
    // Results render after a short debounce; wait until they are for this query.
    browser.wait_for(
        &format!(
            "document.getElementById('search-input').value === {q} && !{BOX}.hidden \
             && {BOX}.querySelector('[data-status=results], [data-status=none]') \
             && [...{BOX}.querySelectorAll('mark')].every(m => \
                  m.textContent.normalize('NFKC').toLowerCase() === {q}.normalize('NFKC').toLowerCase())",
            q = Value::from(query)
        ),
        WAIT,
    );
}

/// The `data-url` of every result shown.
fn result_urls(browser: &mut Browser) -> Vec<String> {
    let urls = browser.eval(&format!("{LINKS}.map(a => a.dataset.url)"));
    serde_json::from_value(urls).expect("a list of URLs")
}

#[test]
fn searching_from_a_day_page_finds_japanese_and_full_width_text_by_keyboard() {
    let log = log();
    let out = build_into(log.path(), None);
    let site = out.path().join("site");
    let (base, _server) = serve_dir(&site);
    let mut browser = Browser::launch();
    browser.set_viewport(1280, 800, false);
    browser.navigate(&format!("{base}{SEED_DAY}"));
    browser.wait_for("window.LogsiteSearch", WAIT);

    // 東京都: only the note that has it, not the one with 東京 and 京都 apart.
    search(&mut browser, "東京都");
    assert_eq!(result_urls(&mut browser), [TOCHO_DAY]);
    assert_eq!(result_kinds(&mut browser), ["日報"]);
    let marks = browser.eval(&format!("{LINKS}[0].querySelectorAll('mark').length"));
    assert!(marks.as_u64().unwrap_or(0) >= 1, "no <mark> in the result");
    assert_eq!(
        browser.eval(&format!("{LINKS}[0].querySelector('mark').textContent")),
        "東京都"
    );
    // The link leads to the day from where the reader is (one folder down).
    assert_eq!(
        browser.eval(&format!("{LINKS}[0].href")),
        Value::from(format!("{base}{TOCHO_DAY}"))
    );
    assert_eq!(
        browser.eval(&format!("{LINKS}[0].getAttribute('role')")),
        "option"
    );

    search(&mut browser, "キャッシュ");
    assert_eq!(result_urls(&mut browser), [TOCHO_DAY]);
    assert_eq!(
        browser.eval(&format!("{LINKS}[0].querySelector('mark').textContent")),
        "キャッシュ"
    );

    // Full-width ＣＯＲＳ folds to cors: the seed, several of its sections.
    search(&mut browser, "ＣＯＲＳ");
    let urls = result_urls(&mut browser);
    assert!(!urls.is_empty(), "ＣＯＲＳ found nothing");
    assert!(
        urls.iter().all(|u| u == SEED_DAY),
        "ＣＯＲＳ found {urls:?}"
    );
    let marked = browser.eval(&format!("{LINKS}[0].querySelector('mark').textContent"));
    assert_eq!(
        marked.as_str().map(str::to_lowercase).as_deref(),
        Some("cors")
    );

    // A knowledge-base article is found too, labelled in the site's words, and titled.
    search(&mut browser, "デプロイ手順書");
    assert_eq!(result_urls(&mut browser), ["kb/deploy.html"]);
    assert_eq!(result_kinds(&mut browser), ["トラブルシューティング"]);
    assert_eq!(
        browser.eval(&format!(
            "{LINKS}[0].querySelector('.result-day').textContent"
        )),
        "デプロイが反映されない"
    );

    // The keyboard: ArrowDown selects, Escape closes, ArrowDown reopens, Enter goes.
    search(&mut browser, "東京都");
    browser.press_key("ArrowDown");
    assert_eq!(
        browser.eval(&format!(
            "{LINKS}.map(a => a.getAttribute('aria-selected'))"
        )),
        serde_json::json!(["true"])
    );
    assert_eq!(
        browser
            .eval("document.getElementById('search-input').getAttribute('aria-activedescendant')"),
        browser.eval(&format!("{LINKS}[0].id"))
    );
    browser.press_key("Escape");
    browser.wait_for(&format!("{BOX}.hidden"), WAIT);
    assert_eq!(
        browser.eval("document.getElementById('search-input').getAttribute('aria-expanded')"),
        "false"
    );
    assert_eq!(
        browser.eval(&format!(
            "{LINKS}.filter(a => a.getAttribute('aria-selected') === 'true').length"
        )),
        0
    );
    browser.press_key("ArrowDown");
    browser.wait_for(
        &format!("!{BOX}.hidden && {LINKS}[0].getAttribute('aria-selected') === 'true'"),
        WAIT,
    );
    browser.press_key("Enter");
    browser.wait_for(
        &format!(
            "location.pathname.endsWith('/{TOCHO_DAY}') && document.readyState === 'complete'"
        ),
        WAIT,
    );
    let text = browser.eval("document.body.innerText");
    assert!(
        text.as_str().unwrap_or("").contains("東京都庁"),
        "the day page did not load: {text}"
    );

    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
}

#[test]
fn a_page_opened_from_a_file_says_search_needs_http() {
    let log = log();
    let out = build_into(log.path(), None);
    let page = out.path().join("site").join(SEED_DAY);
    let path = page.to_str().expect("a UTF-8 temp path");
    let url = format!(
        "file://{}",
        percent_encoding::utf8_percent_encode(path, FILE_PATH)
    );
    let mut browser = Browser::launch();
    browser.navigate(&url);
    browser.wait_for("window.LogsiteSearch", WAIT);
    browser.eval("document.getElementById('search-input').focus()");
    browser.type_text("東京都");
    browser.wait_for(
        &format!("!{BOX}.hidden && {BOX}.querySelector('[data-status=file-protocol]')"),
        WAIT,
    );
    let message = browser.eval(&format!(
        "{BOX}.querySelector('[data-status=file-protocol]').innerText"
    ));
    assert!(
        message.as_str().is_some_and(|m| m.contains("http")),
        "file-protocol message: {message}"
    );
    assert_eq!(browser.eval(&format!("{LINKS}.length")), 0);
    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
}
