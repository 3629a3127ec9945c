//! The site header on a 390×844 phone: one compact row (brand, menu button,
//! search box) whose menu opens by mouse and keyboard, in light and dark; on a
//! 1280 px desktop the whole menu is shown and there is no button; without
//! JavaScript the phone shows the menu. Screenshots of the phone header, closed
//! and open, go to `<target>/screenshots/header-*.png`.

mod common;

use common::browser::{serve_dir, Browser};
use serde_json::{json, Value};

const TOGGLE: &str = ".site-header .menu-toggle";
const LINKS: &str = "[...document.querySelectorAll('#site-menu a')]";

/// Menu links that can be seen and clicked: a box inside the screen, and the
/// link itself (not something drawn over it) at its middle.
const CLICKABLE_LINKS: &str = r#"[...document.querySelectorAll('#site-menu a')].filter(a => {
  const r = a.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || r.right > document.documentElement.clientWidth) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit === a || a.contains(hit);
}).length"#;

/// Bottom edges of brand, button and search box, and the header's height.
const HEADER_BOXES: &str = r#"(() => {
  const box = s => { const e = document.querySelector(s); const r = e && e.getBoundingClientRect();
                     return r && r.width > 0 ? { top: r.top, bottom: r.bottom, width: r.width } : null; };
  return { header: document.querySelector('.site-header').getBoundingClientRect().height,
           brand: box('.site-header .brand'), toggle: box('.site-header .menu-toggle'),
           search: box('#search-input') };
})()"#;

/// The menu button's aria-expanded.
fn expanded(browser: &mut Browser) -> Value {
    browser.eval(&format!(
        "document.querySelector('{TOGGLE}').getAttribute('aria-expanded')"
    ))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

#[test]
fn phone_header_is_one_row_whose_menu_opens_by_mouse_and_keyboard() {
    let out = common::build_into(common::sample_root(), None);
    let site = out.path().join("site");
    let (base, _server) = serve_dir(&site);
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    let mut browser = Browser::launch();
    let menu_links = menu_link_count(&site);
    let mut failures = Vec::new();

    for dark in [false, true] {
        let scheme = if dark { "dark" } else { "light" };
        browser.set_dark_mode(dark);
        // The home page and a page one folder down, on a 390 px phone and the
        // narrowest still sold (360 px).
        for (page, width) in [
            ("index.html", 390),
            ("days/2025-04-28.html", 390),
            ("index.html", 360),
        ] {
            browser.set_viewport(width, 844, true);
            let at = format!("{page} at {width} px ({scheme})");
            browser.navigate(&format!("{base}{page}"));
            browser.eval("document.fonts.ready.then(() => true)");
            let boxes = browser.eval(HEADER_BOXES);
            eprintln!(
                "{at}: header {:.0} px tall, menu closed; search box {:.0} px wide",
                num(&boxes["header"]),
                num(&boxes["search"]["width"])
            );
            // Wide enough to see what one types (about eight characters).
            if num(&boxes["search"]["width"]) < 120.0 {
                failures.push(format!(
                    "{at}: the search box is only {} px wide",
                    boxes["search"]["width"]
                ));
            }
            if num(&boxes["header"]) > 100.0 {
                failures.push(format!("{at}: header {} px tall (> 100)", boxes["header"]));
            }
            // One row: brand, button and search box side by side.
            let parts = ["brand", "toggle", "search"].map(|k| &boxes[k]);
            if parts.iter().any(|b| b.is_null()) {
                failures.push(format!(
                    "{at}: brand, menu button or search not shown: {boxes}"
                ));
            } else {
                let tops = parts.map(|b| num(&b["top"]));
                let bottoms = parts.map(|b| num(&b["bottom"]));
                let lowest_top = tops.iter().cloned().fold(f64::MIN, f64::max);
                let highest_bottom = bottoms.iter().cloned().fold(f64::MAX, f64::min);
                if lowest_top >= highest_bottom {
                    failures.push(format!(
                        "{at}: brand, button and search are not on one row: {boxes}"
                    ));
                }
            }
            if expanded(&mut browser) != "false" {
                failures.push(format!(
                    "{at}: the closed menu's button does not say aria-expanded=false"
                ));
            }
            if browser.eval(CLICKABLE_LINKS) != json!(0) {
                failures.push(format!(
                    "{at}: menu links are shown before the menu is opened"
                ));
            }
            if page == "index.html" {
                browser.screenshot_png(&shots.join(format!("header-{width}-closed-{scheme}.png")));
            }

            // The mouse opens it: every link shown and clickable.
            browser.click(TOGGLE);
            if expanded(&mut browser) != "true" {
                failures.push(format!("{at}: after a click aria-expanded is not true"));
            }
            let clickable = browser.eval(CLICKABLE_LINKS);
            if clickable != json!(menu_links) {
                failures.push(format!(
                    "{at}: {clickable} of {menu_links} menu links are visible and clickable once opened"
                ));
            }
            let open_height = browser
                .eval("document.querySelector('.site-header').getBoundingClientRect().height");
            eprintln!("{at}: header {:.0} px tall, menu open", num(&open_height));
            if page == "index.html" {
                browser.screenshot_png(&shots.join(format!("header-{width}-open-{scheme}.png")));
            }
            // A second click closes it.
            browser.click(TOGGLE);
            if browser.eval(CLICKABLE_LINKS) != json!(0) || expanded(&mut browser) != "false" {
                failures.push(format!("{at}: a second click does not close the menu"));
            }

            // The keyboard: Enter on the button opens, Tab reaches the first link,
            // Escape closes and gives focus back to the button.
            browser.eval(&format!("document.querySelector('{TOGGLE}').focus()"));
            browser.press_key("Enter");
            browser.press_key("Tab");
            let focused = browser.eval(&format!("{LINKS}.indexOf(document.activeElement)"));
            if focused != json!(0) {
                failures.push(format!(
                    "{at}: Enter then Tab from the menu button focuses menu link {focused}, not the first"
                ));
            }
            browser.press_key("Escape");
            let closed = browser.eval(&format!(
                "document.activeElement === document.querySelector('{TOGGLE}') \
                 && document.activeElement.getAttribute('aria-expanded') === 'false'"
            ));
            if closed != Value::Bool(true) || browser.eval(CLICKABLE_LINKS) != json!(0) {
                failures.push(format!(
                    "{at}: Escape does not close the menu back to its button"
                ));
            }
        }

        // A desktop shows the whole menu and no button.
        browser.set_viewport(1280, 800, false);
        browser.navigate(&format!("{base}index.html"));
        let at = format!("index.html at 1280 px ({scheme})");
        let clickable = browser.eval(CLICKABLE_LINKS);
        if clickable != json!(menu_links) {
            failures.push(format!(
                "{at}: {clickable} of {menu_links} menu links shown"
            ));
        }
        if browser.eval(HEADER_BOXES)["toggle"] != Value::Null {
            failures.push(format!("{at}: the menu button is shown"));
        }
    }

    // Without JavaScript the phone shows the menu (a button that cannot work is hidden).
    browser.set_dark_mode(false);
    browser.set_viewport(390, 844, true);
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    browser.navigate(&format!("{base}index.html"));
    let clickable = browser.eval(CLICKABLE_LINKS);
    let toggle = browser.eval(HEADER_BOXES)["toggle"].clone();
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    );
    if clickable != json!(menu_links) || toggle != Value::Null {
        failures.push(format!(
            "without JavaScript at 390 px: {clickable} of {menu_links} menu links shown, button {toggle}"
        ));
    }

    let errors = browser.take_js_errors();
    assert!(errors.is_empty(), "JavaScript exceptions: {errors:?}");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// How many links the built home page's menu has (read from the HTML, not the browser).
fn menu_link_count(site: &std::path::Path) -> usize {
    let doc = common::html(site, "index.html");
    let sel = scraper::Selector::parse("#site-menu a").unwrap();
    let n = doc.select(&sel).count();
    assert!(n >= 5, "the menu has only {n} links");
    n
}
