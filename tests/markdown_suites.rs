//! The published Markdown test suites, run against logsite's renderer (issue 16):
//! the CommonMark 0.31.2 spec examples, the GFM spec's autolink-extension
//! examples and the commonmark-cjk-friendly test cases. Origins, versions and
//! licences: tests/data/README.md.

use std::path::Path;

use logsite::markdown::{self, Options};

/// One `example` block of a spec file: its number, Markdown and expected HTML.
struct Example {
    number: usize,
    /// The word after `example` on the fence line (`table`, `autolink`…), if any.
    kind: String,
    markdown: String,
    html: String,
}

/// The examples of a spec in the CommonMark `spec.txt` format (`→` stands for a tab).
fn examples(spec: &str) -> Vec<Example> {
    let fence = "````````````````````````````````";
    let mut out = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if !(line.starts_with(fence) && line.contains(" example")) {
            continue;
        }
        let kind = line.split_whitespace().nth(2).unwrap_or("").to_string();
        let mut markdown = String::new();
        let mut html = String::new();
        let mut in_html = false;
        for line in lines.by_ref() {
            if line == fence {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&line.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example {
            number: out.len() + 1,
            kind,
            markdown,
            html,
        });
    }
    out
}

fn data(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// pulldown-cmark on its own with the extensions logsite turns on; raw HTML escaped
/// as logsite escapes it unless `allow_raw_html`.
fn plain(src: &str, allow_raw_html: bool) -> String {
    use pulldown_cmark::{Event, Options as O};
    let o = O::ENABLE_TABLES | O::ENABLE_STRIKETHROUGH | O::ENABLE_TASKLISTS | O::ENABLE_FOOTNOTES;
    let events = pulldown_cmark::Parser::new_ext(src, o).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) if !allow_raw_html => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

fn ours(src: &str, allow_raw_html: bool) -> String {
    let raw_html = markdown::RawHtml::of_notes(allow_raw_html);
    markdown::to_html(
        src,
        Options {
            raw_html,
            ..Options::default()
        },
    )
}

/// `html` with every link whose text is its own URL (what a bare-URL autolink
/// writes: `<a href="http://x.y">http://x.y</a>`, `www.x.y` → `http://www.x.y`,
/// `a@b.c` → `mailto:a@b.c`) replaced by its text.
fn unwrap_url_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<a href=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 9..];
        let unwrapped = after.split_once("\">").and_then(|(href, tail)| {
            let (text, tail) = tail.split_once("</a>")?;
            let same = [
                href.to_string(),
                format!("http://{text}"),
                format!("mailto:{text}"),
            ]
            .iter()
            .any(|h| {
                h == href && (href == text || h != text) && (h == text || href.ends_with(text))
            });
            (same && !text.contains('<')).then_some((text, tail))
        });
        match unwrapped {
            Some((text, tail)) => {
                out.push_str(text);
                rest = tail;
            }
            None => {
                out.push_str("<a href=\"");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `html` has a link or image whose URL logsite refuses (`javascript:`…).
fn has_refused_url(html: &str) -> bool {
    let doc = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse("a[href], img[src]").unwrap();
    doc.select(&sel).any(|el| {
        let url = el
            .value()
            .attr("href")
            .or(el.value().attr("src"))
            .unwrap_or("");
        !markdown::is_allowed_url(url)
    })
}

/// Why an example may render otherwise than pulldown-cmark alone, or None when it
/// must not.
#[derive(Debug, PartialEq)]
enum Excluded {
    /// A bare URL or e-mail address in text is a link (GFM autolinks).
    BareUrlLinked,
    /// A link or image with a scheme outside the allow-list is its text.
    RefusedScheme,
    /// Raw HTML (allowed) holds a tag GFM filters (`<script>`, `<style>`…): its `<`
    /// is `&lt;`, and nothing else differs.
    TagFiltered,
}

/// The CommonMark examples whose output differs from pulldown-cmark's, with why.
fn commonmark_differences(allow_raw_html: bool) -> Vec<(usize, Result<Excluded, String>)> {
    let spec = data("commonmark/spec-0.31.2.txt");
    let all = examples(&spec);
    assert_eq!(all.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let mut out = Vec::new();
    for ex in all {
        let (got, want) = (
            ours(&ex.markdown, allow_raw_html),
            plain(&ex.markdown, allow_raw_html),
        );
        if got == want {
            continue;
        }
        let why = if has_refused_url(&want) && !has_refused_url(&got) {
            Ok(Excluded::RefusedScheme)
        } else if allow_raw_html && markdown::tag_filter(want.as_str().into()).as_ref() == got {
            // pulldown-cmark writes none of the filtered tags itself: each in its
            // output came from raw HTML.
            Ok(Excluded::TagFiltered)
        } else if unwrap_url_links(&got) == unwrap_url_links(&want) {
            Ok(Excluded::BareUrlLinked)
        } else {
            Err(format!(
                "input {:?}\n ours  {got:?}\n plain {want:?}",
                ex.markdown
            ))
        };
        out.push((ex.number, why));
    }
    out
}

fn numbers(diffs: &[(usize, Result<Excluded, String>)], why: Excluded) -> Vec<usize> {
    diffs
        .iter()
        .filter(|(_, w)| w.as_ref().ok() == Some(&why))
        .map(|(n, _)| *n)
        .collect()
}

/// The CommonMark examples logsite renders otherwise than pulldown-cmark, by reason:
/// pinned, so a change in the set shows here. Every other example is identical.
/// `<https://foo.bar/baz bim>`, `<foo\+@bar.example.com>`, `< https://foo.bar >`,
/// `https://example.com`, `foo@bar.example.com`: a URL or address in text.
const BARE_URL_LINKED: &[usize] = &[602, 606, 608, 611, 612];
/// `<irc://…>`, `<a+b+c:d>`, `<made-up-scheme://…>`, `<localhost:5001/foo>`.
const REFUSED_SCHEME: &[usize] = &[596, 598, 599, 601];
/// Raw HTML blocks of `<script>`, `<textarea>` and `<style>`, when raw HTML is allowed.
const TAG_FILTERED: &[usize] = &[170, 171, 172, 173, 176, 178];

#[test]
fn commonmark_spec_examples_render_as_pulldown_cmark_does() {
    for allow_raw_html in [true, false] {
        let diffs = commonmark_differences(allow_raw_html);
        let failures: Vec<String> = diffs
            .iter()
            .filter_map(|(n, w)| w.as_ref().err().map(|e| format!("example {n}: {e}")))
            .collect();
        assert!(
            failures.is_empty(),
            "allow_raw_html {allow_raw_html}:\n{}",
            failures.join("\n")
        );
        assert_eq!(
            numbers(&diffs, Excluded::BareUrlLinked),
            BARE_URL_LINKED,
            "bare URLs, allow_raw_html {allow_raw_html}"
        );
        assert_eq!(
            numbers(&diffs, Excluded::RefusedScheme),
            REFUSED_SCHEME,
            "refused schemes, allow_raw_html {allow_raw_html}"
        );
        let filtered: &[usize] = if allow_raw_html { TAG_FILTERED } else { &[] };
        assert_eq!(
            numbers(&diffs, Excluded::TagFiltered),
            filtered,
            "GFM's tag filter, allow_raw_html {allow_raw_html}"
        );
    }
}

/// HTML in a form that leaves out what a browser does not tell apart: whitespace
/// between and around elements, the order of attributes, `<input/>` against
/// `<input>`, `align="center"` against `style="text-align: center"` (pulldown-cmark
/// writes the second), and an empty `<tbody>` (pulldown-cmark writes one for a table
/// without body rows; the spec writes none).
fn canonical(html: &str) -> String {
    fn walk(el: scraper::ElementRef, out: &mut String) {
        for child in el.children() {
            if let Some(text) = child.value().as_text() {
                let words: Vec<&str> = text.split_whitespace().collect();
                if !words.is_empty() {
                    out.push_str(&words.join(" "));
                    out.push('|');
                }
            } else if let Some(inner) = scraper::ElementRef::wrap(child) {
                let name = inner.value().name();
                if name == "tbody" && inner.children().all(|c| c.value().is_text()) {
                    continue;
                }
                let mut attrs: Vec<String> = inner
                    .value()
                    .attrs()
                    .map(|(k, v)| match k {
                        "align" => format!("style=text-align: {v}"),
                        _ => format!("{k}={v}"),
                    })
                    .collect();
                attrs.sort();
                out.push_str(&format!("<{name} {}>", attrs.join(" ")));
                walk(inner, out);
                out.push_str(&format!("</{name}>"));
            }
        }
    }
    let doc = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    walk(doc.root_element(), &mut out);
    out
}

/// The GFM spec's other extensions: strikethrough, and the tag filter on raw HTML
/// (as `allow-html = true` publishes it), exactly; tables and task lists as HTML
/// ([`canonical`]). With raw HTML not allowed (the default) logsite writes every tag
/// as text, so the tag filter's example is checked with it allowed.
#[test]
fn gfm_extension_examples_render_as_the_spec_says() {
    let spec = data("gfm/other-extensions.txt");
    let all = examples(&spec);
    let kinds: Vec<&str> = all.iter().map(|ex| ex.kind.as_str()).collect();
    let count = |k: &str| kinds.iter().filter(|&&x| x == k).count();
    // Task list examples are marked `disabled` in cmark-gfm's spec.txt.
    assert_eq!(
        [
            count("table"),
            count("disabled"),
            count("strikethrough"),
            count("tagfilter")
        ],
        [8, 2, 2, 1]
    );
    let mut failures = Vec::new();
    for ex in &all {
        let got = ours(&ex.markdown, ex.kind == "tagfilter");
        let same = match ex.kind.as_str() {
            "table" | "disabled" => canonical(&got) == canonical(&ex.html),
            _ => got == ex.html,
        };
        if !same {
            failures.push(format!(
                "{} example {}: {:?}\n ours {got:?}\n spec {:?}",
                ex.kind, ex.number, ex.markdown, ex.html
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gfm_autolink_extension_examples_render_as_the_spec_says() {
    let spec = data("gfm/autolinks-extension.txt");
    let all = examples(&spec);
    assert_eq!(all.len(), 11, "GFM 0.29 has 11 autolink-extension examples");
    let failures: Vec<String> = all
        .iter()
        .filter(|ex| ours(&ex.markdown, false) != ex.html)
        .map(|ex| {
            format!(
                "example {}: {:?}\n ours {:?}\n spec {:?}",
                ex.number,
                ex.markdown,
                ours(&ex.markdown, false),
                ex.html
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each test file of the CJK-friendly suite and its expected HTML, paragraph by
/// paragraph (the reference implementation's output, micromark's snapshot).
#[test]
fn cjk_friendly_suite_renders_as_its_reference_output() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for name in [
        "strong",
        "korean",
        "pseudo-emoji",
        "non-bmp",
        "underscore-cjk-punct",
        "gfm-strikethrough",
    ] {
        let got = ours(&data(&format!("cjk-friendly/{name}.md")), false);
        let want = data(&format!("cjk-friendly/{name}.html"));
        let got: Vec<&str> = got.lines().collect();
        let want: Vec<&str> = want.lines().collect();
        assert_eq!(got.len(), want.len(), "{name}: {got:#?}");
        for (g, w) in got.iter().zip(&want) {
            cases += 1;
            // micromark writes `"` in text as `&quot;`, pulldown-cmark as itself.
            if g.replace("&quot;", "\"") != w.replace("&quot;", "\"") {
                failures.push(format!("{name}:\n ours {g}\n want {w}"));
            }
        }
    }
    assert!(cases >= 100, "{cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The suite's non-CJK GFM file must render exactly as without the CJK rule, that is
/// as pulldown-cmark alone, apart from its one bare URL.
#[test]
fn cjk_friendly_suite_non_cjk_gfm_is_unchanged() {
    let src = data("cjk-friendly/gfm-non-cjk.md");
    let (got, want) = (ours(&src, false), plain(&src, false));
    assert_ne!(got, want, "the table's bare URL is a link");
    assert_eq!(unwrap_url_links(&got), want);
}
