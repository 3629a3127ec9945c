//! Helpers shared by the integration tests: temp logs built from files.
#![allow(dead_code)]

pub mod browser;
pub mod serving;

use std::path::{Path, PathBuf};

use logsite::config::Config;
use logsite::log::{Log, LogOptions};

/// The seed note, as the author wrote it (the sample log keeps it unchanged).
pub fn seed_text() -> String {
    std::fs::read_to_string(seed_path())
        .expect("the seed note content/2025/04/2025-04-28.md is readable")
}

pub fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2025/04/2025-04-28.md")
}

/// A log folder in a temp dir, made of (relative path, bytes) pairs.
pub struct TempLog {
    pub dir: tempfile::TempDir,
}

impl TempLog {
    pub fn new(files: &[(&str, &[u8])]) -> TempLog {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, bytes) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, bytes).unwrap();
        }
        TempLog { dir }
    }

    /// A log holding the seed note with its two screenshots (tiny PNGs).
    pub fn with_seed(extra: &[(&str, &[u8])]) -> TempLog {
        let seed = seed_text();
        let png = tiny_png();
        let mut files: Vec<(&str, &[u8])> = vec![
            ("content/2025/04/2025-04-28.md", seed.as_bytes()),
            ("content/2025/04/20250428-pc.png", &png),
            ("content/2025/04/20250428-smartphone.png", &png),
        ];
        files.extend_from_slice(extra);
        TempLog::new(&files)
    }

    /// A log of `files` and a note on each of `days` days from `first`, the `n`th
    /// (from 0) written by `note(n)`.
    pub fn daily(
        files: &[(&str, &[u8])],
        first: chrono::NaiveDate,
        days: u32,
        note: impl Fn(u32) -> String,
    ) -> TempLog {
        let log = TempLog::new(files);
        for n in 0..days {
            let date = first + chrono::Days::new(u64::from(n));
            log.write(
                &date.format("content/%Y/%m/%Y-%m-%d.md").to_string(),
                &note(n),
            );
        }
        log
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// Reads and computes the log as `build` would, with "today" fixed.
    pub fn open(&self, drafts: bool) -> Log {
        let config = Config::load(self.path()).expect("book.toml");
        let options = LogOptions {
            include_drafts: drafts,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            check_images: true,
        };
        Log::open(self.path(), config, &options)
    }
}

/// A valid 1×1 PNG.
pub fn tiny_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

/// Runs the `logsite` binary; returns (exit code, stdout, stderr).
pub fn run_logsite(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_logsite"))
        .args(args)
        .output()
        .expect("run logsite");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Builds the log at `root` into a fresh temp folder; returns the folder.
pub fn build_into(root: &Path, base_url: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let mut options =
        logsite::site::BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    options.out_dir = Some(out.path().join("site"));
    options.base_url = base_url.map(str::to_string);
    if let Err(failure) = logsite::site::build(root, &options) {
        panic!("build failed: {failure}");
    }
    out
}

/// The repository itself is a log folder: `content/` is the bundled sample.
pub fn sample_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The site's `data/log.json`, parsed.
pub fn log_json(site: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(site.join("data/log.json")).expect("data/log.json");
    serde_json::from_str(&text).expect("log.json is JSON")
}

/// Parses an output HTML file.
pub fn html(site: &Path, rel: &str) -> scraper::Html {
    let text = std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    scraper::Html::parse_document(&text)
}

/// The trimmed text of the first element matching `selector`.
pub fn text_of(doc: &scraper::Html, selector: &str) -> String {
    let sel = scraper::Selector::parse(selector).unwrap();
    let el = doc
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no element matches {selector}"));
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of every element matching `selector`.
pub fn texts_of(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|el| {
            el.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Every file below `dir`, relative, with `/` separators.
pub fn files_below(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// A file whose bytes differ between two builds.
pub struct Difference {
    pub path: String,
    pub first: Vec<u8>,
    pub second: Vec<u8>,
}

/// Builds `root` as it is and again with `text` as its own `templates/<name>` (the
/// built-in text of a page logsite writes without Tera, `day.html` or `week.html`,
/// sends those pages through Tera); returns every file of the site, and each file
/// whose bytes differ, with its two versions. Panics when the two sites do not have
/// the same files.
pub fn build_both_ways(
    root: &Path,
    name: &str,
    text: &str,
    base_url: Option<&str>,
) -> (Vec<String>, Vec<Difference>) {
    let first = build_into(root, base_url);
    let own = root.join("templates").join(name);
    std::fs::create_dir_all(own.parent().unwrap()).unwrap();
    std::fs::write(&own, text).unwrap();
    let second = build_into(root, base_url);
    std::fs::remove_file(&own).unwrap();
    let (a, b) = (first.path().join("site"), second.path().join("site"));
    let files = files_below(&a);
    assert_eq!(files, files_below(&b));
    let differing = files
        .iter()
        .filter_map(|rel| {
            let (x, y) = (
                std::fs::read(a.join(rel)).unwrap(),
                std::fs::read(b.join(rel)).unwrap(),
            );
            (x != y).then(|| Difference {
                path: rel.clone(),
                first: x,
                second: y,
            })
        })
        .collect();
    (files, differing)
}

/// [`build_both_ways`], asserting that every file is the same byte for byte; returns
/// the site's files.
pub fn same_site_both_ways(
    root: &Path,
    name: &str,
    text: &str,
    base_url: Option<&str>,
) -> Vec<String> {
    let (files, differing) = build_both_ways(root, name, text, base_url);
    if let Some(d) = differing.first() {
        panic!(
            "{} file(s) differ, the first {}:\n--- without Tera\n{}\n--- with Tera\n{}",
            differing.len(),
            d.path,
            String::from_utf8_lossy(&d.first),
            String::from_utf8_lossy(&d.second)
        );
    }
    files
}

/// [`same_site_both_ways`] with and without a site URL, for the template `name` of the
/// pages in `folder/` (but its index): returns those pages, sorted.
pub fn same_pages_both_ways(root: &Path, name: &str, text: &str, folder: &str) -> Vec<String> {
    let mut pages = Vec::new();
    for base_url in [Some("https://example.github.io/log/"), None] {
        pages = same_site_both_ways(root, name, text, base_url)
            .into_iter()
            .filter(|rel| {
                rel.strip_prefix(folder)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|page| page != "index.html")
            })
            .collect();
    }
    pages.sort();
    pages
}

/// `book.toml` of a log in English and of one in Japanese, each with a title holding
/// every markup character.
pub const MARKUP_TITLED_BOOKS: [&str; 2] = [
    "[book]\nlanguage = \"en\"\ntitle = \"A <b>&\\\"'</b> log\"\n",
    "[book]\ntitle = \"学習 <ログ> & \\\"'\"\n",
];

/// The seed log with a `base.html` of its own (the title and main blocks, and the
/// site's title in `<p id=own-base>`) and `macros` as its `macros.html`.
pub fn seed_with_own_theme(macros: &str) -> TempLog {
    TempLog::with_seed(&[
        (
            "templates/base.html",
            b"<!DOCTYPE html><html><head><title>{% block title %}{% endblock title %}</title></head><body><p id=own-base>{{ site_title }}</p>{% block main %}{% endblock main %}</body></html>".as_slice(),
        ),
        ("templates/macros.html", macros.as_bytes()),
    ])
}

/// A copy of the bundled sample log (`book.toml` and `content/`) in a temp dir.
pub fn sample_copy() -> tempfile::TempDir {
    let sample = sample_root();
    let log = tempfile::tempdir().unwrap();
    std::fs::copy(sample.join("book.toml"), log.path().join("book.toml")).unwrap();
    let from = sample.join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = log
            .path()
            .join("content")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    log
}
