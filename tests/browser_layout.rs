//! The bundled sample log, built and opened in headless Chromium at two phone
//! sizes and a desktop size, in light and dark mode. Screenshots are kept in
//! `<target>/screenshots/` for a human to look at.
//!
//! One browser and one build for the whole file, so the checks share one
//! test and report every failure together.

mod common;

use std::path::{Path, PathBuf};

use common::browser::{serve_dir, Browser};
use serde_json::Value;

const SEED_DAY: &str = "days/2025-04-28.html";

const PAGES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("day", SEED_DAY),
    ("cors", "explainers/cors.html"),
    ("kb", "kb/index.html"),
];

struct Screen {
    name: &'static str,
    width: u32,
    height: u32,
    mobile: bool,
}

const SCREENS: &[Screen] = &[
    // The narrowest phones still sold (Galaxy S, many Androids).
    Screen {
        name: "phone360",
        width: 360,
        height: 740,
        mobile: true,
    },
    Screen {
        name: "phone",
        width: 390,
        height: 844,
        mobile: true,
    },
    Screen {
        name: "desktop",
        width: 1280,
        height: 800,
        mobile: false,
    },
];

/// Elements sticking out past the right edge, to say what overflows.
const OVERFLOWING: &str = r#"(() => {
  const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > w + 0.5)
    // Content scrolled inside a box (pre, table) is not page overflow.
    .filter(e => {
      for (let p = e.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return false;
      }
      return true;
    })
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
      + " right=" + Math.round(e.getBoundingClientRect().right));
})()"#;

/// Relative luminance (WCAG) of the body's background and text, and their contrast ratio.
const BODY_COLOURS: &str = r#"(() => {
  const lum = css => {
    const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const s = getComputedStyle(document.body);
  const bg = lum(s.backgroundColor), fg = lum(s.color);
  return { bg, fg, contrast: (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05) };
})()"#;

#[test]
fn sample_pages_fit_phones_and_desktops_in_light_and_dark() {
    let out = tempfile::tempdir().expect("temp dir");
    let mut options =
        logsite::site::BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2025, 5, 20).unwrap());
    options.out_dir = Some(out.path().to_path_buf());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(failure) = logsite::site::build(root, &options) {
        panic!("the sample log does not build: {failure:?}");
    }
    let (base, _server) = serve_dir(out.path());
    let shots = screenshot_dir();
    let mut browser = Browser::launch();
    let mut failures: Vec<String> = Vec::new();

    for dark in [false, true] {
        browser.set_dark_mode(dark);
        let scheme = if dark { "dark" } else { "light" };
        for screen in SCREENS {
            browser.set_viewport(screen.width, screen.height, screen.mobile);
            for (name, path) in PAGES {
                let at = format!("{path} at {} ({scheme})", screen.name);
                browser.navigate(&format!("{base}{path}"));
                // Fonts change line breaks, hence widths: measure after them.
                browser.eval("document.fonts.ready.then(() => true)");
                let broken = browser.load_images();
                if !broken.is_empty() {
                    failures.push(format!("{at}: images not loaded: {broken:?}"));
                }
                browser.screenshot_png(&shots.join(format!("{name}-{}-{scheme}.png", screen.name)));

                if screen.mobile {
                    // Not window.innerWidth: a phone (and Chromium's mobile
                    // emulation) zooms out to fit wide content, and innerWidth
                    // grows with it. The page must fit the screen's own width.
                    let scroll = browser.eval("document.documentElement.scrollWidth");
                    let inner = browser.eval("window.innerWidth");
                    if scroll.as_u64() > Some(screen.width.into()) || inner != screen.width {
                        let culprits = browser.eval(OVERFLOWING);
                        failures.push(format!(
                            "{at}: scrollWidth {scroll}, innerWidth {inner}, screen {}; \
                             overflowing: {culprits}",
                            screen.width
                        ));
                    }
                }
                let colours = browser.eval(BODY_COLOURS);
                let (bg, contrast) = (num(&colours["bg"]), num(&colours["contrast"]));
                if dark && bg > 0.1 {
                    failures.push(format!("{at}: background is not dark: {colours}"));
                }
                if !dark && bg < 0.5 {
                    failures.push(format!("{at}: background is not light: {colours}"));
                }
                if contrast < 7.0 {
                    failures.push(format!("{at}: body text contrast below 7:1: {colours}"));
                }
            }
        }
    }

    browser.set_dark_mode(false);
    browser.set_viewport(390, 844, true);
    check_seed_day(&mut browser, &format!("{base}{SEED_DAY}"), &mut failures);

    let errors = browser.take_js_errors();
    if !errors.is_empty() {
        failures.push(format!("JavaScript exceptions: {errors:?}"));
    }
    eprintln!("screenshots in {}", shots.display());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The seed's day page: its six hours, Markdown fully rendered, images loaded.
fn check_seed_day(browser: &mut Browser, url: &str, failures: &mut Vec<String>) {
    browser.navigate(url);
    let hours = browser.eval("document.querySelector('#day-hours')?.innerText.trim()");
    if hours != "6h" {
        failures.push(format!(
            "{SEED_DAY}: #day-hours shows {hours}, expected \"6h\""
        ));
    }
    if browser.eval("document.body.innerText.includes('**')") == true {
        failures.push(format!("{SEED_DAY}: literal ** in the visible text"));
    }

    let count = browser.eval("document.images.length");
    if count.as_u64().unwrap_or(0) < 2 {
        failures.push(format!(
            "{SEED_DAY}: expected the seed's 2 screenshots, found {count} img"
        ));
    }
    let broken = browser.load_images();
    if !broken.is_empty() {
        failures.push(format!("{SEED_DAY}: images not loaded: {broken:?}"));
    }
    let loaded = "[...document.images].every(img => img.complete && img.naturalWidth > 0)";
    if browser.eval(loaded) != true {
        failures.push(format!("{SEED_DAY}: some img is not complete with pixels"));
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

/// `<target>/screenshots`, honouring CARGO_TARGET_DIR as cargo does.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    } else {
        target
    };
    target.join("screenshots")
}
