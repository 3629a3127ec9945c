//! The Japanese fixes of CJK.md, pinned: its 22 cases, the seed note, offsets,
//! and no change to what CommonMark already gets right.

use logsite::markdown::{self, Event, Options};

fn html(src: &str) -> String {
    markdown::to_html(src, Options::default())
}

/// The HTML inside the single `<p>` of `src`.
fn para(src: &str) -> String {
    let out = html(src);
    out.trim_end()
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or_else(|| panic!("not one paragraph: {out}"))
        .to_owned()
}

#[test]
fn case01_strong_around_brackets_before_kana() {
    assert_eq!(
        para("これは**「重要」**です。"),
        "これは<strong>「重要」</strong>です。"
    );
}

#[test]
fn case02_each_strong_pairs_with_its_own_closer() {
    assert_eq!(
        para("**「それら」**を見て**確認**する"),
        "<strong>「それら」</strong>を見て<strong>確認</strong>する"
    );
}

#[test]
fn case03_ascii_quotes_inside_strong_before_kana() {
    let out = para("**\"Hello from FastAPI!\"**と表示").replace("&quot;", "\"");
    assert_eq!(out, "<strong>\"Hello from FastAPI!\"</strong>と表示");
}

#[test]
fn case04_fullwidth_parentheses_inside_strong() {
    assert_eq!(
        para("ハイパーテキスト**（HTCPCP）**です"),
        "ハイパーテキスト<strong>（HTCPCP）</strong>です"
    );
}

#[test]
fn case05_code_span_untouched() {
    assert_eq!(
        para("`**「コード」**です`"),
        "<code>**「コード」**です</code>"
    );
}

#[test]
fn case06_fenced_block_untouched() {
    let out = html("```\n**「ブロック」**です\nhttps://example.com/、\n```\n");
    assert_eq!(
        out,
        "<pre><code>**「ブロック」**です\nhttps://example.com/、\n</code></pre>\n"
    );
}

#[test]
fn case07_strong_inside_link_text() {
    assert_eq!(
        para("[**「リンク」**です](https://example.com/)"),
        "<a href=\"https://example.com/\"><strong>「リンク」</strong>です</a>"
    );
}

#[test]
fn case08_escaped_asterisks_stay_literal() {
    assert_eq!(
        para("\\*\\*「エスケープ」\\*\\*です"),
        "**「エスケープ」**です"
    );
}

#[test]
fn case09_strong_em_and_both() {
    assert_eq!(
        para("**太字**と*斜体*と***両方***です"),
        "<strong>太字</strong>と<em>斜体</em>と<em><strong>両方</strong></em>です"
    );
}

#[test]
fn case10_intraword_star_and_snake_case() {
    assert_eq!(
        para("2*3*4 と snake_case_name"),
        "2<em>3</em>4 と snake_case_name"
    );
}

#[test]
fn case11_strikethrough_around_brackets() {
    assert_eq!(para("~~「取り消し」~~です"), "<del>「取り消し」</del>です");
}

#[test]
fn case12_line_break_between_japanese_is_nothing() {
    assert_eq!(
        para("再作成したCloudFrontの\nディストリビューション名"),
        "再作成したCloudFrontのディストリビューション名"
    );
}

#[test]
fn case13_line_break_after_strong_line_is_nothing() {
    assert_eq!(
        para("**太字の行**\n続く行"),
        "<strong>太字の行</strong>続く行"
    );
}

#[test]
fn case14_line_break_stays_for_latin_mixed_and_hangul() {
    for (src, want) in [
        ("English line\nnext", "English line\nnext"),
        ("日本語の行\nEnglish next", "日本語の行\nEnglish next"),
        ("한국어\n줄바꿈", "한국어\n줄바꿈"),
    ] {
        assert_eq!(para(src), want);
    }
}

#[test]
fn case15_bare_url_between_spaces() {
    assert_eq!(
        para("フロントエンドの https://saburo.xyz/ にアクセス"),
        "フロントエンドの <a href=\"https://saburo.xyz/\">https://saburo.xyz/</a> にアクセス"
    );
}

#[test]
fn case16_url_ends_at_japanese_comma() {
    assert_eq!(
        para("両方で、https://api.saburo.xyz/、にアクセス"),
        "両方で、<a href=\"https://api.saburo.xyz/\">https://api.saburo.xyz/</a>、にアクセス"
    );
}

#[test]
fn case17_url_in_quotes_and_call() {
    assert_eq!(
        para("fetch(\"https://api.saburo.xyz/\")に修正"),
        "fetch(\"<a href=\"https://api.saburo.xyz/\">https://api.saburo.xyz/</a>\")に修正"
    );
}

#[test]
fn case18_www_link_after_kana() {
    assert_eq!(
        para("詳細はwww.example.com/path?q=1。"),
        "詳細は<a href=\"http://www.example.com/path?q=1\">www.example.com/path?q=1</a>。"
    );
}

#[test]
fn case19_balanced_parenthesis_kept_unbalanced_dropped() {
    assert_eq!(
        para("(https://example.com/a_(b))を参照"),
        "(<a href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a>)を参照"
    );
}

#[test]
fn case20_existing_links_and_code_untouched() {
    assert_eq!(
        para("<https://example.com/>と[リンク](https://example.com/x)と`https://code.example/`"),
        "<a href=\"https://example.com/\">https://example.com/</a>と\
         <a href=\"https://example.com/x\">リンク</a>と<code>https://code.example/</code>"
    );
}

#[test]
fn case21_table_cell_strong_and_link() {
    let out = html("| a | b |\n|---|---|\n| **「A」**です | https://a.example/ |\n");
    assert!(out.contains("<td><strong>「A」</strong>です</td>"), "{out}");
    assert!(
        out.contains("<td><a href=\"https://a.example/\">https://a.example/</a></td>"),
        "{out}"
    );
}

#[test]
fn case22_host_without_dot_is_no_link() {
    assert_eq!(
        para("http://localhost:8000/ は対象外"),
        "http://localhost:8000/ は対象外"
    );
}
