//! The browser's decision, step by step: can this page read that response?
//!
//! `static/cors-check.js` implements the same steps with the same ids and the
//! same messages, and `tests/data/cors-vectors.json` holds both to it. Change
//! one, change the other, and add a vector.

use serde::{Deserialize, Serialize};

use super::origin::{Origin, UrlError};
use super::safelist::{PreflightReason, RequestShape};

/// The `credentials` option of `fetch()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// `credentials: "omit"`: never send cookies.
    Omit,
    /// `credentials: "same-origin"`, fetch's default: cookies only to the
    /// page's own origin, so a cross-origin request goes without them.
    #[default]
    SameOrigin,
    /// `credentials: "include"` (axios `withCredentials: true`): cookies go
    /// everywhere, and the server must opt in explicitly.
    Include,
}

/// One request from a page, and what the server answers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The URL of the page that runs the script (its origin is what counts).
    pub page_url: String,
    /// The URL passed to `fetch()`.
    pub request_url: String,
    /// The method passed to `fetch()`; empty means GET.
    #[serde(default)]
    pub method: String,
    /// The headers the script sets, as (name, value).
    #[serde(default)]
    pub request_headers: Vec<(String, String)>,
    /// The credentials mode.
    #[serde(default)]
    pub credentials: Credentials,
    /// The status of the preflight response; only read when a preflight is needed.
    #[serde(default = "ok_status")]
    pub preflight_status: u16,
    /// The headers of the preflight (OPTIONS) response; only read when a preflight is needed.
    #[serde(default)]
    pub preflight_response: Vec<(String, String)>,
    /// The headers of the actual response.
    #[serde(default)]
    pub actual_response: Vec<(String, String)>,
}

fn ok_status() -> u16 {
    200
}

/// One check the browser makes, with its outcome explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// A stable id: `origin`, `same-origin`, `mixed-content`, `localhost`,
    /// `preflight`, `allow-origin`, `allow-credentials`, `allow-methods`,
    /// `allow-headers`.
    pub rule: &'static str,
    /// Whether the request gets past this check.
    pub ok: bool,
    /// The explanation in Japanese, with the English terms.
    pub message_ja: String,
    /// The explanation in English.
    pub message_en: String,
}

/// The browser's answer and how it got there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether the page's script gets the response.
    pub allowed: bool,
    /// The checks in the order the browser makes them; evaluation stops after
    /// a same-origin match, an unparsable URL, mixed content or a localhost
    /// request from a public page, since nothing after them matters.
    pub steps: Vec<Step>,
    /// Header lines (`Name: value`) the server must send, added or corrected,
    /// for the request to pass; empty when the fix is not on the server.
    pub missing_headers: Vec<String>,
}

impl Verdict {
    fn push(&mut self, rule: &'static str, ok: bool, message_ja: String, message_en: String) {
        self.steps.push(Step {
            rule,
            ok,
            message_ja,
            message_en,
        });
    }

    fn need(&mut self, line: String) {
        if !self.missing_headers.contains(&line) {
            self.missing_headers.push(line);
        }
    }
}

/// Which response a check reads.
#[derive(Clone, Copy)]
enum Which {
    Preflight,
    Actual,
}

impl Which {
    fn ja(self) -> &'static str {
        match self {
            Which::Preflight => "プリフライト応答",
            Which::Actual => "実際の応答",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Which::Preflight => "preflight response",
            Which::Actual => "actual response",
        }
    }
}

/// All values of a response header (case-insensitive name), joined with
/// ", " as HTTP combines repeated headers; `None` when absent.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<String> {
    let values: Vec<&'a str> = headers
        .iter()
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// A comma-separated header value as a list of trimmed, non-empty items.
fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Decides, as a browser would, whether the page may read the response.
pub fn evaluate(s: &Scenario) -> Verdict {
    let mut v = Verdict {
        allowed: false,
        steps: Vec::new(),
        missing_headers: Vec::new(),
    };
    let page = match Origin::parse(&s.page_url) {
        Ok(o) => o,
        Err(e) => return unparsable(v, "ページ", "page", &s.page_url, &e),
    };
    let target = match Origin::parse(&s.request_url) {
        Ok(o) => o,
        Err(e) => return unparsable(v, "リクエスト先", "request", &s.request_url, &e),
    };
    v.push(
        "origin",
        true,
        format!("ページのオリジン (origin) は {page}、リクエスト先のオリジンは {target} です。オリジンはスキーム・ホスト・ポートの組です。"),
        format!("The page's origin is {page}; the request's origin is {target}. An origin is scheme + host + port."),
    );
    if page == target {
        v.push(
            "same-origin",
            true,
            "同一オリジン (same-origin) です。CORS は関係なく、ブラウザはそのまま応答を読ませます。".into(),
            "Same origin: CORS does not apply and the page may read the response.".into(),
        );
        v.allowed = true;
        return v;
    }
    v.push(
        "same-origin",
        true,
        "オリジンが違うのでクロスオリジン (cross-origin) リクエストです。同一オリジンポリシー (same-origin policy) により、サーバーが CORS ヘッダーで許可しない限りページは応答を読めません。".into(),
        "Different origins: a cross-origin request. Under the same-origin policy the page may read the response only if the server allows it with CORS headers.".into(),
    );
    if !mixed_content(&mut v, &page, &target) || !localhost(&mut v, &page, &target) {
        return v;
    }

    let shape = RequestShape::classify(&s.method, &s.request_headers);
    let credentialed = s.credentials == Credentials::Include;
    preflight(&mut v, &shape, s.preflight_status);
    let mut responses = Vec::new();
    if shape.needs_preflight() {
        responses.push((Which::Preflight, s.preflight_response.as_slice()));
    }
    responses.push((Which::Actual, s.actual_response.as_slice()));
    allow_origin(&mut v, &page, credentialed, &responses);
    if credentialed {
        allow_credentials(&mut v, &responses);
    }
    if shape.needs_preflight() {
        allow_methods(&mut v, &shape.method, credentialed, &s.preflight_response);
        allow_headers(
            &mut v,
            &shape.unsafe_names,
            credentialed,
            &s.preflight_response,
        );
    }
    v.allowed = v.steps.iter().all(|s| s.ok);
    v
}

fn unparsable(mut v: Verdict, ja: &str, en: &str, url: &str, e: &UrlError) -> Verdict {
    v.push(
        "origin",
        false,
        format!("{ja}の URL「{url}」を解釈できません: {}", e.message_ja()),
        format!("Cannot parse the {en} URL \"{url}\": {}", e.message_en()),
    );
    v
}

/// Returns false when the browser blocks the request as mixed content.
fn mixed_content(v: &mut Verdict, page: &Origin, target: &Origin) -> bool {
    let (ok, ja, en) = if page.scheme == "http" {
        (
            true,
            "ページが http なので混在コンテンツ (mixed content) の制限はありません。".to_string(),
            "The page is served over http, so mixed-content blocking does not apply.".to_string(),
        )
    } else if target.scheme == "https" {
        (
            true,
            "https のページから https へのリクエストなので混在コンテンツ (mixed content) ではありません。".to_string(),
            "An https page requesting an https URL: no mixed content.".to_string(),
        )
    } else if target.is_loopback() {
        (
            true,
            format!("https のページから {target} への http リクエストですが、ループバック (localhost) はブラウザが「潜在的に信頼できる (potentially trustworthy)」と扱うため、混在コンテンツとしてはブロックされません。"),
            format!("An https page requesting http URL {target}: browsers treat loopback addresses as potentially trustworthy, so it is not blocked as mixed content."),
        )
    } else {
        (
            false,
            format!("https のページから {target} への http リクエストは混在コンテンツ (mixed content) としてブラウザがブロックします。CORS より前の段階で止まるため、サーバーの CORS 設定では直りません。URL を https:// にしてください。"),
            format!("An https page requesting http URL {target} is blocked as mixed content before CORS is even considered; no CORS header can fix it. Use an https:// URL."),
        )
    };
    v.push("mixed-content", ok, ja, en);
    ok
}

/// Returns false when a public page points at the reader's own device.
///
/// Our decision: this blocks the verdict. The request may pass on the
/// developer's PC, where a local server answers, but for every other reader
/// (the phone in the seed note) it reaches their own device, where nothing
/// listens: a network error, not a CORS one. The CORS steps are skipped, as
/// no header from the developer's server can help those readers.
fn localhost(v: &mut Verdict, page: &Origin, target: &Origin) -> bool {
    let (ok, ja, en) = if !target.is_loopback() {
        (
            true,
            "リクエスト先は localhost ではありません。".to_string(),
            "The request does not target localhost.".to_string(),
        )
    } else if page.is_loopback() {
        (
            true,
            "ページもリクエスト先もこの端末 (localhost) 上にあります。開発中の構成としては正常です。".to_string(),
            "Both the page and the request are on this device (localhost): a normal development setup.".to_string(),
        )
    } else {
        let host = &target.host;
        (
            false,
            format!("リクエスト先 {host} は「このページを開いている端末自身」を指します。開発者の PC では手元のサーバーが応答するため動いて見えますが、スマホや他の人の端末にはそのサーバーがないので接続に失敗します (CORS エラーではなくネットワークエラー)。公開している API の https の URL を使ってください。以降の CORS の判定は行いません。"),
            format!("{host} means \"the device that opened this page\". On the developer's PC a local server answers, so it seems to work; on a phone or anyone else's device no such server exists and the request fails (a network error, not a CORS error). Use the public https URL of your API. The CORS checks are skipped."),
        )
    };
    v.push("localhost", ok, ja, en);
    ok
}

fn preflight(v: &mut Verdict, shape: &RequestShape, status: u16) {
    let method = &shape.method;
    let (ok, mut ja, mut en) = if shape.needs_preflight() {
        let (ja, en): (Vec<String>, Vec<String>) = shape.reasons.iter().map(reason).unzip();
        (
            (200..=299).contains(&status),
            format!(
                "プリフライト (preflight) の OPTIONS リクエストが先に送られます。理由: {}。",
                ja.join("、")
            ),
            format!(
                "A preflight OPTIONS request is sent first, because {}.",
                en.join(", ")
            ),
        )
    } else {
        (
            true,
            format!("単純リクエスト (simple request) なのでプリフライト (preflight) は送られません: メソッド {method} と、CORS セーフリスト (CORS-safelisted) のヘッダーだけです。"),
            format!("A simple request: no preflight is sent (method {method} and CORS-safelisted headers only)."),
        )
    };
    if !ok {
        ja += &format!(" しかしプリフライトの応答ステータスが {status} で、成功 (2xx, ok status) ではありません。");
        en += &format!(" But the preflight response status is {status}, not a 2xx (ok) status.");
    }
    if !shape.forbidden.is_empty() {
        let names = shape.forbidden.join(", ");
        ja += &format!(
            " ブラウザが JavaScript からの設定を無視するヘッダー (forbidden header): {names}。"
        );
        en += &format!(" Headers a script cannot set (forbidden headers) are ignored: {names}.");
    }
    v.push("preflight", ok, ja, en);
}

fn reason(r: &PreflightReason) -> (String, String) {
    match r {
        PreflightReason::Method(m) => (
            format!("メソッド {m} は CORS セーフリストのメソッド (GET, HEAD, POST) ではない"),
            format!("method {m} is not a CORS-safelisted method (GET, HEAD, POST)"),
        ),
        PreflightReason::Header(name) => (
            format!("ヘッダー {name} はセーフリストにない"),
            format!("header {name} is not safelisted"),
        ),
        PreflightReason::ContentType(value) => (
            format!("Content-Type: {value} はセーフリストの値 (application/x-www-form-urlencoded, multipart/form-data, text/plain) ではない"),
            format!("Content-Type: {value} is not a safelisted value (application/x-www-form-urlencoded, multipart/form-data, text/plain)"),
        ),
        PreflightReason::Value { name, value } => (
            format!("ヘッダー {name} の値「{value}」はセーフリストの条件を満たさない"),
            format!("the value \"{value}\" of header {name} does not meet the safelist conditions"),
        ),
        PreflightReason::TooLarge => (
            "セーフリストのヘッダーの値が合計 1024 バイトを超える".to_string(),
            "the safelisted header values exceed 1024 bytes in total".to_string(),
        ),
    }
}

/// Runs `check` on each response a browser checks and joins the outcomes
/// into one step: ok only if every response passes.
fn each_response(
    v: &mut Verdict,
    rule: &'static str,
    responses: &[(Which, &[(String, String)])],
    check: impl Fn(Which, &[(String, String)]) -> (bool, String, String),
) -> bool {
    let (mut all_ok, mut ja, mut en) = (true, Vec::new(), Vec::new());
    for &(which, headers) in responses {
        let (ok, j, e) = check(which, headers);
        all_ok &= ok;
        ja.push(j);
        en.push(e);
    }
    v.push(rule, all_ok, ja.join(" "), en.join(" "));
    all_ok
}

fn allow_origin(
    v: &mut Verdict,
    page: &Origin,
    credentialed: bool,
    responses: &[(Which, &[(String, String)])],
) {
    let origin = page.to_string();
    let all_ok = each_response(v, "allow-origin", responses, |which, headers| {
        let (l_ja, l_en) = (which.ja(), which.en());
        match header(headers, "Access-Control-Allow-Origin") {
            None => (
                false,
                format!("{l_ja}に Access-Control-Allow-Origin がありません。サーバーが許可していないので、ブラウザは応答をページに渡しません (コンソールに CORS エラー)。"),
                format!("The {l_en} has no Access-Control-Allow-Origin: the server did not allow this origin, so the browser withholds the response (CORS error in the console)."),
            ),
            Some(value) if value == "*" && !credentialed => (
                true,
                format!("{l_ja}の Access-Control-Allow-Origin: * は資格情報なし (credentials なし) のリクエストを許可します。"),
                format!("The {l_en} has Access-Control-Allow-Origin: *, which allows requests without credentials."),
            ),
            Some(value) if value == "*" => (
                false,
                format!("{l_ja}は Access-Control-Allow-Origin: * ですが、資格情報付き (credentials: include) のリクエストには * は使えません。オリジン {origin} をそのまま返す必要があります。"),
                format!("The {l_en} has Access-Control-Allow-Origin: *, but * is not allowed for a request with credentials (credentials: include); it must echo {origin}."),
            ),
            Some(value) if value == origin => (
                true,
                format!("{l_ja}の Access-Control-Allow-Origin が {origin} と一致します。"),
                format!("The {l_en}'s Access-Control-Allow-Origin matches {origin}."),
            ),
            Some(value) => {
                let mut j = format!("{l_ja}の Access-Control-Allow-Origin「{value}」が {origin} と一致しません (完全一致が必要)。");
                let mut e = format!("The {l_en}'s Access-Control-Allow-Origin \"{value}\" does not match {origin} (it must match exactly).");
                if value.strip_suffix('/') == Some(origin.as_str()) {
                    j += " 末尾の「/」が余分です。";
                    e += " The trailing \"/\" is extra.";
                }
                if value.contains(',') {
                    j += " 値は 1 つだけにしてください。";
                    e += " Send exactly one value.";
                }
                (false, j, e)
            }
        }
    });
    if !all_ok {
        v.need(format!("Access-Control-Allow-Origin: {origin}"));
    }
}

fn allow_credentials(v: &mut Verdict, responses: &[(Which, &[(String, String)])]) {
    let all_ok = each_response(v, "allow-credentials", responses, |which, headers| {
        let (l_ja, l_en) = (which.ja(), which.en());
        match header(headers, "Access-Control-Allow-Credentials") {
            Some(value) if value == "true" => (
                true,
                format!("{l_ja}に Access-Control-Allow-Credentials: true があります。"),
                format!("The {l_en} has Access-Control-Allow-Credentials: true."),
            ),
            None => (
                false,
                format!("{l_ja}に Access-Control-Allow-Credentials: true がありません。資格情報付き (credentials: include) のリクエストでは必須です。"),
                format!("The {l_en} lacks Access-Control-Allow-Credentials: true, which a request with credentials (credentials: include) requires."),
            ),
            Some(value) => (
                false,
                format!("{l_ja}の Access-Control-Allow-Credentials が「{value}」です。小文字の true だけが有効です。"),
                format!("The {l_en}'s Access-Control-Allow-Credentials is \"{value}\"; only lowercase true counts."),
            ),
        }
    });
    if !all_ok {
        v.need("Access-Control-Allow-Credentials: true".to_string());
    }
}

fn allow_methods(
    v: &mut Verdict,
    method: &str,
    credentialed: bool,
    preflight: &[(String, String)],
) {
    let value = header(preflight, "Access-Control-Allow-Methods");
    let listed = value.as_deref().map(list).unwrap_or_default();
    let (ok, ja, en) = if super::safelist::is_safelisted_method(method) {
        (
            true,
            format!("メソッド {method} は CORS セーフリストのメソッドなので、Access-Control-Allow-Methods に書かれていなくても許可されます。"),
            format!("Method {method} is CORS-safelisted, so it is allowed even if Access-Control-Allow-Methods does not list it."),
        )
    } else if listed.contains(&method) {
        (
            true,
            format!(
                "プリフライト応答の Access-Control-Allow-Methods に {method} が含まれています。"
            ),
            format!("The preflight response's Access-Control-Allow-Methods lists {method}."),
        )
    } else if listed.contains(&"*") && !credentialed {
        (
            true,
            "プリフライト応答の Access-Control-Allow-Methods: * はすべてのメソッドを許可します (資格情報なしの場合)。".to_string(),
            "The preflight response's Access-Control-Allow-Methods: * allows every method (without credentials).".to_string(),
        )
    } else if listed.contains(&"*") {
        (
            false,
            format!("Access-Control-Allow-Methods: * は資格情報付きのリクエストでは「*」という名前のメソッドとして扱われ、{method} を許可しません。{method} を明示してください。"),
            format!("With credentials, Access-Control-Allow-Methods: * is read as a method literally named \"*\" and does not allow {method}; list {method} explicitly."),
        )
    } else if let Some(value) = &value {
        (
            false,
            format!("プリフライト応答の Access-Control-Allow-Methods「{value}」に {method} が含まれていません (大文字・小文字も区別されます)。"),
            format!("The preflight response's Access-Control-Allow-Methods \"{value}\" does not include {method} (method names are case-sensitive)."),
        )
    } else {
        (
            false,
            format!("プリフライト応答に Access-Control-Allow-Methods がありません。{method} を許可するには必要です。"),
            format!("The preflight response has no Access-Control-Allow-Methods; it is needed to allow {method}."),
        )
    };
    v.push("allow-methods", ok, ja, en);
    if !ok {
        v.need(format!("Access-Control-Allow-Methods: {method}"));
    }
}

fn allow_headers(
    v: &mut Verdict,
    unsafe_names: &[String],
    credentialed: bool,
    preflight: &[(String, String)],
) {
    let value = header(preflight, "Access-Control-Allow-Headers");
    let listed = value.as_deref().map(list).unwrap_or_default();
    let star = listed.contains(&"*");
    // `*` is a wildcard only without credentials, and never covers
    // Authorization: a server must name that one on purpose.
    let uncovered: Vec<&str> = unsafe_names
        .iter()
        .map(String::as_str)
        .filter(|name| {
            let named = listed.iter().any(|l| l.eq_ignore_ascii_case(name));
            let wildcard = star && !credentialed && *name != "authorization";
            !(named || wildcard)
        })
        .collect();
    let names = unsafe_names.join(", ");
    let (ok, ja, en) = if unsafe_names.is_empty() {
        (
            true,
            "セーフリスト外のリクエストヘッダーはないので、Access-Control-Allow-Headers は不要です。".to_string(),
            "No non-safelisted request headers, so Access-Control-Allow-Headers is not needed.".to_string(),
        )
    } else if uncovered.is_empty() {
        (
            true,
            format!(
                "プリフライト応答の Access-Control-Allow-Headers が {names} を許可しています。"
            ),
            format!("The preflight response's Access-Control-Allow-Headers allows {names}."),
        )
    } else {
        let missing = uncovered.join(", ");
        let (mut ja, mut en) = if value.is_some() {
            (
                format!("プリフライト応答の Access-Control-Allow-Headers に {missing} が含まれていません。"),
                format!("The preflight response's Access-Control-Allow-Headers does not include {missing}."),
            )
        } else {
            (
                format!("プリフライト応答に Access-Control-Allow-Headers がありません。{missing} を許可するには必要です。"),
                format!("The preflight response has no Access-Control-Allow-Headers; it is needed to allow {missing}."),
            )
        };
        if star && credentialed {
            ja += " 資格情報付きのリクエストでは * はワイルドカードになりません。";
            en += " With credentials, * is not a wildcard.";
        } else if star {
            ja += " Authorization は * ではカバーされず、名前を書く必要があります。";
            en += " Authorization is never covered by *; it must be named.";
        }
        (false, ja, en)
    };
    v.push("allow-headers", ok, ja, en);
    if !ok {
        v.need(format!("Access-Control-Allow-Headers: {names}"));
    }
}
