//! Randomized notes with structure: front matter, headings at every depth, deep and
//! ragged lists, durations (good, huge, negative, unreadable), control characters and
//! long lines. The note parser and the renderer never panic on them, and a whole
//! build writes nowhere but its build folder.
//!
//! `cargo test` runs a short version. The long run for the benchmark machine (about
//! ten minutes) is in README.md ("Randomized tests").

mod common;

use std::path::{Path, PathBuf};

use logsite::load::read_source;
use logsite::markdown;
use logsite::note::{self, NoteContext, Roles};
use logsite::site::{build, BuildOptions};
use proptest::prelude::*;

/// `PROPTEST_CASES` when set (the long run), else `short`.
fn cases(short: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(short)
}

/// Characters an author (or a terminal) can paste: C0 controls, DEL, bidi overrides,
/// full-width forms, kana and kanji, Markdown punctuation.
fn nasty_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 ]{1,8}",
        "[ぁ-んァ-ン一-龥]{1,6}",
        "[\\x00-\\x1f\\x7f]",
        Just("\u{202e}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\x1b[31m".to_string()),
        "[*_`~\\[\\]()<>!#|\\\\&;:\"'/.]{1,3}",
        "[０-９ａ-ｚＡ-Ｚ（）：]{1,4}",
    ];
    prop::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

fn duration() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(1.5h)".to_string()),
        Just("（６ｈ）".to_string()),
        Just("(35791394h)".to_string()),
        Just("（99999h）".to_string()),
        Just("(-3h)".to_string()),
        Just("(1e9m)".to_string()),
        Just("(12345678901234567890h)".to_string()),
        Just("(1時間半)".to_string()),
        "\\([0-9]{1,12}(\\.[0-9]{1,3})?(h|m|分|時間| hours)\\)",
        Just(String::new()),
    ]
}

/// One list: each item at a depth no more than one below the previous (ragged), or
/// a straight run far deeper than any real note.
fn list() -> impl Strategy<Value = String> {
    let item = (
        0usize..40,
        prop::sample::select(vec!["- ", "* ", "+ ", "1. ", "- [x] ", "- [ ] "]),
        nasty_text(6),
        duration(),
        prop::sample::select(vec![2usize, 3, 4]),
    );
    prop_oneof![
        4 => prop::collection::vec(item, 1..30).prop_map(|items| {
            let mut out = String::new();
            let mut depth = 0;
            for (want, marker, text, hours, indent) in items {
                depth = want.min(depth + 1);
                out.push_str(&format!("{}{marker}{text} {hours}\n", " ".repeat(depth * indent)));
            }
            out
        }),
        1 => (1usize..300, "[-*>] ").prop_map(|(n, marker)| format!("{}deep (1h)\n", marker.repeat(n))),
    ]
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "## 取り組んだ課題一覧", "## 学習時間", "## わかったこと", "## 現在発生している問題",
            "## 次やること", "## 非公開", "## 学んだこと",
        ]).prop_map(|h| format!("{h}\n")),
        2 => (1usize..8, nasty_text(5)).prop_map(|(n, t)| format!("{} {t}\n", "#".repeat(n))),
        4 => list(),
        1 => Just("- Today: 6h\n- Total：48h 55m\n- 今週: (-1h)\n".to_string()),
        1 => Just("※ミーティングは学習時間に含めません\n".to_string()),
        2 => nasty_text(12).prop_map(|t| format!("{t}\n")),
        1 => (100usize..6000, "[a-zあ ]").prop_map(|(n, c)| format!("{}\n", c.repeat(n))),
        1 => Just("![shot](../../etc/passwd)\n![x](missing.png)\n[link](javascript:alert(1))\n".to_string()),
        1 => Just("```\n- not a list (1h)\n".to_string()),
        1 => Just("<details><summary>x</summary>\n\n- (1h) raw\n".to_string()),
    ]
}

fn front_matter() -> impl Strategy<Value = String> {
    // Mostly readable: one unreadable note fails the whole build, which then writes
    // nothing, and the build test wants sites to look at too.
    prop_oneof![
        8 => Just(String::new()),
        8 => nasty_text(4).prop_map(|t| format!("---\ntitle: \"{}\"\n---\n", t.replace(['"', '\\'], ""))),
        4 => Just("+++\ntitle = \"t\"\ndate = 2025-04-20\ntags = [\"index\", \"a b\"]\n+++\n".to_string()),
        4 => Just("---\ndraft: true\ntags: [\"../../x\", \"\"]\n---\n".to_string()),
        1 => Just("---\ntitle: [\n---\n".to_string()),
        1 => Just("---\ndate: 2025-13-45\n---\n".to_string()),
        1 => Just("---\nunknown: 1\n".to_string()),
    ]
}

fn note_text() -> impl Strategy<Value = String> {
    (front_matter(), prop::collection::vec(block(), 0..14))
        .prop_map(|(front, blocks)| format!("{front}{}", blocks.concat()))
}

fn parse(text: &str) {
    let roles = Roles::default();
    let ctx = NoteContext {
        roles: &roles,
        exclude: &[],
    };
    let path = PathBuf::from("content/2025/04/2025-04-28.md");
    if let Ok(source) = read_source(
        path,
        PathBuf::from("2025/04/2025-04-28.md"),
        text.as_bytes(),
    ) {
        let _ = note::parse(&source, &ctx, true);
    }
}

/// Every path below `dir`, relative; symlinks reported as such.
fn tree(dir: &Path) -> Vec<(String, bool)> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap();
            (rel.to_string_lossy().into_owned(), e.path_is_symlink())
        })
        .collect()
}

/// Blocks that change what a section's plain text is: CJK emphasis, raw HTML (inline,
/// blocks, comments left open), code spans and fences (closed or not), tables, setext
/// headings, soft and hard breaks between Japanese lines, links, bare URLs, and now and
/// then a link reference or footnote defined in one section and used in another.
fn markup_block() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[ぁ-ん一-龥]{1,4}",
        "[a-z ]{1,6}",
        prop::sample::select(vec![
            "**「重要」**を",
            "これは**「強調」**です",
            "_Traditional._",
            "正體字。︁_x_",
            "~~消す~~。",
            "`code **x**`",
            "<b>太字</b>",
            "<!-- c -->",
            "<!--",
            "-->",
            "&amp;",
            "\\*",
            "https://example.com/a_b",
            "www.example.org。",
            "a@b.jp",
            "[リンク](https://x.jp)",
            "![画像](a.png)",
            "[ref]",
            "[^1]",
            "  ",
            "\\",
            "|",
            "<",
            "*",
            "_",
            "~~",
        ])
        .prop_map(str::to_string),
    ];
    let line = prop::collection::vec(piece, 1..6).prop_map(|v| v.concat());
    prop_oneof![
        4 => line.clone().prop_map(|l| format!("{l}\n")),
        3 => prop::collection::vec(line.clone(), 1..4).prop_map(|ls| format!("- {}\n", ls.join("\n  "))),
        2 => prop::sample::select(vec!["## 取り組んだ課題一覧", "## わかったこと", "## 非公開", "## 感じたこと"])
            .prop_map(|h| format!("{h}\n")),
        1 => line.clone().prop_map(|l| format!("{l}\n---\n")),
        1 => line.clone().prop_map(|l| format!("{l}\n===\n")),
        1 => line.clone().prop_map(|l| format!("> {l}\n")),
        1 => line.clone().prop_map(|l| format!("| a | b |\n|---|---|\n| {l} | x |\n")),
        1 => line.clone().prop_map(|l| format!("```\n{l}\n")),
        1 => line.clone().prop_map(|l| format!("<div>\n{l}\n")),
        1 => Just("\n".to_string()),
        1 => Just("[ref]: https://example.com\n".to_string()),
        1 => Just("[^1]: 注\n".to_string()),
    ]
}

/// `note::parse` makes each section's plain text from its one parse of the note (for
/// topics and search): it must be what parsing the section on its own gives.
fn assert_section_plain_is_parsed_alone(text: &str) -> Result<(), TestCaseError> {
    let roles = Roles::default();
    let ctx = NoteContext {
        roles: &roles,
        exclude: &[],
    };
    let path = PathBuf::from("content/2025/04/2025-04-28.md");
    let Ok(source) = read_source(
        path,
        PathBuf::from("2025/04/2025-04-28.md"),
        text.as_bytes(),
    ) else {
        return Ok(());
    };
    let note = note::parse(&source, &ctx, true);
    let kept = note.text.as_deref().expect("kept");
    let alone: Vec<String> = note
        .sections
        .iter()
        .map(|s| markdown::to_plain_text(s.markdown(kept), &note.link_refs))
        .collect();
    prop_assert_eq!(note.section_plain.clone().unwrap_or_default(), alone);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1000), ..ProptestConfig::default() })]

    #[test]
    fn section_plain_text_is_what_each_section_alone_gives(
        blocks in prop::collection::vec(markup_block(), 0..16)
    ) {
        assert_section_plain_is_parsed_alone(&blocks.concat())?;
    }

    #[test]
    fn section_plain_text_of_structured_notes_too(text in note_text()) {
        assert_section_plain_is_parsed_alone(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), ..ProptestConfig::default() })]

    #[test]
    fn parser_and_renderer_never_panic_on_structured_notes(text in note_text()) {
        parse(&text);

        let _ = markdown::to_html(&text, markdown::Options::default());
        for line in text.lines().take(50) {
            let _ = markdown::inline_to_html(line, markdown::Options::default());
            let _ = markdown::to_plain_text(line, logsite::markdown::LinkRefs::NONE);
        }
    }
}

proptest! {
    // Whole builds are slower: fewer of them in the short run.
    #![proptest_config(ProptestConfig { cases: cases(300) / 20, ..ProptestConfig::default() })]

    #[test]
    fn a_build_of_random_notes_writes_only_into_its_build_folder(
        notes in prop::collection::vec(note_text(), 1..4),
        page in note_text(),
        page_name in prop::sample::select(vec!["index", "a b", "A-B", "..x", "ページ", "a\u{1}b"]),
    ) {
        let top = tempfile::tempdir().unwrap();
        let root = top.path().join("log");
        let mut written = Vec::new();
        for (i, text) in notes.iter().enumerate() {
            let rel = format!("content/2025/04/2025-04-{:02}.md", 20 + i);
            written.push((rel, text.clone()));
        }
        written.push((format!("content/pages/{page_name}.md"), page.clone()));
        written.push(("content/kb/index.md".to_string(), page));
        for (rel, text) in &written {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let before = tree(&root);
        let out = top.path().join("site");
        let mut options = BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        options.out_dir = Some(out.clone());
        let built = build(&root, &options).is_ok();

        // The log folder is as it was; beside it, only the site (when it built).
        prop_assert_eq!(tree(&root), before);
        let beside: Vec<String> = std::fs::read_dir(top.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let expected: Vec<&str> = if built { vec!["log", "site"] } else { vec!["log"] };
        let mut beside_sorted = beside.clone();
        beside_sorted.sort();
        prop_assert_eq!(beside_sorted, expected);
        if built {
            let site = tree(&out);
            prop_assert!(site.iter().all(|(_, link)| !link), "a symlink in the site");
            prop_assert!(out.join("index.html").is_file());
        }
    }
}
