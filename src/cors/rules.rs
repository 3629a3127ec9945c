//! The browser's decision, step by step: can this page read that response?
//!
//! `static/cors-check.js` implements the same steps with the same ids and the
//! same messages, and `tests/data/cors-vectors.json` holds both to it. Change
//! one, change the other, and add a vector.

use serde::{Deserialize, Serialize};

use super::checks::{self, Which};
use super::origin::{has_credentials, resolve, Origin, UrlError};
use super::safelist::{refusal, Refusal, RequestShape};

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
    /// The headers of the actual response: the final one, after any redirects.
    #[serde(default)]
    pub actual_response: Vec<(String, String)>,
    /// The redirects the server answers with before the actual response,
    /// in order: the first one answers `request_url`.
    #[serde(default)]
    pub redirects: Vec<Redirect>,
}

/// One redirect response, and the preflight at the URL it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redirect {
    /// 301, 302, 303, 307 or 308.
    pub status: u16,
    /// The `Location` value, absolute or relative.
    pub location: String,
    /// The redirect response's headers (CORS-checked like any response).
    #[serde(default)]
    pub response: Vec<(String, String)>,
    /// The preflight's status at the new URL, when one is needed there;
    /// omitted: the same as the scenario's `preflight_status`.
    #[serde(default)]
    pub preflight_status: Option<u16>,
    /// The preflight's headers at the new URL; omitted: the same as the
    /// scenario's `preflight_response` (one server answering alike).
    #[serde(default)]
    pub preflight_response: Option<Vec<(String, String)>>,
}

/// Browsers give up after this many redirects.
pub const MAX_REDIRECTS: usize = 20;

fn ok_status() -> u16 {
    200
}

/// One check the browser makes, with its outcome explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// A stable id: `origin`, `request` (only when `fetch()` throws),
    /// `same-origin`, `mixed-content`, `localhost`, `preflight`,
    /// `allow-origin`, `allow-credentials`, `allow-methods`,
    /// `allow-headers`, `redirect`. With redirects, the steps from
    /// `same-origin` on repeat for each URL, after its `redirect` step.
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
    /// a same-origin match, an unparsable URL, a request `fetch()` refuses,
    /// mixed content, a localhost request from a public page, or a failed
    /// hop before a redirect, since nothing after them matters.
    pub steps: Vec<Step>,
    /// Header lines (`Name: value`) the server must send, added or corrected,
    /// for the request to pass; empty when the fix is not on the server.
    pub missing_headers: Vec<String>,
}

impl Verdict {
    pub(super) fn push(
        &mut self,
        rule: &'static str,
        ok: bool,
        message_ja: String,
        message_en: String,
    ) {
        self.steps.push(Step {
            rule,
            ok,
            message_ja,
            message_en,
        });
    }

    pub(super) fn need(&mut self, line: String) {
        if !self.missing_headers.contains(&line) {
            self.missing_headers.push(line);
        }
    }
}

/// How far [`evaluate_until`] goes on the last URL of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Up to the decision to send a request there (no preflight, no response).
    Request,
    /// Through the preflight's checks, as if the actual request were not sent.
    Preflight,
    /// Every check.
    Everything,
}

/// What the browser sends to the last URL of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextRequest {
    /// The URL.
    pub url: String,
    /// The `Origin` header: the page's origin, or `null` once tainted.
    pub origin: String,
    /// The request as classified there (the method may have become GET).
    pub shape: RequestShape,
    /// The headers the script set, minus those a 303 dropped.
    pub headers: Vec<(String, String)>,
    /// Whether CORS applies (false: a same-origin request, no checks).
    pub cross_origin: bool,
}

/// Decides, as a browser would, whether the page may read the response.
pub fn evaluate(s: &Scenario) -> Verdict {
    walk(s, Until::Everything).0
}

/// Like [`evaluate`], stopping early on the last URL: what a probe needs
/// before it knows that URL's answers.
pub fn evaluate_until(s: &Scenario, until: Until) -> Verdict {
    walk(s, until).0
}

/// The request the browser makes next, after the scenario's redirects;
/// `None` when it makes none (see [`evaluate_until`] with [`Until::Request`]).
pub fn next_request(s: &Scenario) -> Option<NextRequest> {
    walk(s, Until::Request).1
}

fn walk(s: &Scenario, until: Until) -> (Verdict, Option<NextRequest>) {
    let mut v = Verdict {
        allowed: false,
        steps: Vec::new(),
        missing_headers: Vec::new(),
    };
    let page = match Origin::parse(&s.page_url) {
        Ok(o) => o,
        Err(e) => return (unparsable(v, "ページ", "page", &s.page_url, &e), None),
    };
    let mut target = match Origin::parse(&s.request_url) {
        Ok(o) => o,
        Err(e) => {
            let v = unparsable(v, "リクエスト先", "request", &s.request_url, &e);
            return (v, None);
        }
    };
    v.push(
        "origin",
        true,
        format!("ページのオリジン (origin) は {page}、リクエスト先のオリジンは {target} です。オリジンはスキーム・ホスト・ポートの組です。"),
        format!("The page's origin is {page}; the request's origin is {target}. An origin is scheme + host + port."),
    );
    if let Some((ja, en)) = refused(s) {
        v.push("request", false, ja, en);
        return (v, None);
    }

    let mut hop = Hop {
        url: s.request_url.clone(),
        method: super::safelist::normalize_method(&s.method),
        headers: s.request_headers.clone(),
        cors: false,
        tainted: false,
    };
    let credentialed = s.credentials == Credentials::Include;
    for k in 0..=s.redirects.len() {
        let last = k == s.redirects.len();
        if !cross_origin(&mut v, &page, &target, &mut hop, k) {
            // Same origin, untainted: no CORS, the browser reads it.
            if last {
                v.allowed = v.steps.iter().all(|s| s.ok);
                let next = (until == Until::Request).then(|| hop.next(&page));
                return (v, next);
            }
        } else {
            if !mixed_content(&mut v, &page, &target) || !localhost(&mut v, &page, &target) {
                return (v, None);
            }
            if last && until == Until::Request {
                v.allowed = v.steps.iter().all(|s| s.ok);
                let next = hop.next(&page);
                return (v, Some(next));
            }
            let (status, preflight_response) = match k {
                0 => (s.preflight_status, &s.preflight_response),
                _ => {
                    let r = &s.redirects[k - 1];
                    (
                        r.preflight_status.unwrap_or(s.preflight_status),
                        r.preflight_response
                            .as_ref()
                            .unwrap_or(&s.preflight_response),
                    )
                }
            };
            let response = match s.redirects.get(k) {
                Some(r) => (Which::Redirect(k + 1, r.status), r.response.as_slice()),
                None => (Which::Actual, s.actual_response.as_slice()),
            };
            let stop_at_preflight = last && until == Until::Preflight;
            check_responses(
                &mut v,
                &hop,
                &page,
                credentialed,
                (status, preflight_response),
                (!stop_at_preflight).then_some(response),
            );
        }
        if !v.steps.iter().all(|s| s.ok) || last {
            break;
        }
        match follow(&mut v, &page, &target, &mut hop, k, &s.redirects[k]) {
            Some(next) => target = next,
            None => break,
        }
    }
    v.allowed = v.steps.iter().all(|s| s.ok);
    (v, None)
}

/// The request at one URL of the chain.
struct Hop {
    url: String,
    method: String,
    headers: Vec<(String, String)>,
    /// Fetch's response tainting is "cors": once cross-origin, always.
    cors: bool,
    /// Fetch's tainted origin flag: the `Origin` header says `null`.
    tainted: bool,
}

impl Hop {
    fn origin(&self, page: &Origin) -> String {
        if self.tainted {
            "null".to_string()
        } else {
            page.to_string()
        }
    }

    fn next(&self, page: &Origin) -> NextRequest {
        NextRequest {
            url: self.url.clone(),
            origin: self.origin(page),
            shape: RequestShape::classify(&self.method, &self.headers),
            headers: self.headers.clone(),
            cross_origin: self.cors,
        }
    }
}

/// Why `fetch()` throws a TypeError before sending anything, if it does.
fn refused(s: &Scenario) -> Option<(String, String)> {
    const TYPE_ERROR_JA: &str = "fetch() は何も送らずに TypeError を投げます";
    const TYPE_ERROR_EN: &str = "fetch() throws a TypeError and sends nothing";
    if has_credentials(&s.request_url) {
        let url = &s.request_url;
        return Some((
            format!("URL「{url}」にユーザー名・パスワード (user:password@) が含まれています。{TYPE_ERROR_JA}。資格情報は URL ではなく Authorization ヘッダーで送ってください。"),
            format!("The URL \"{url}\" includes a user name or password (user:password@): {TYPE_ERROR_EN}. Send credentials in an Authorization header, not in the URL."),
        ));
    }
    let method = if s.method.is_empty() {
        "GET"
    } else {
        &s.method
    };
    Some(match refusal(method, &s.request_headers)? {
        Refusal::BadMethod(m) => (
            format!("メソッド「{m}」は HTTP のトークンではありません。{TYPE_ERROR_JA}。"),
            format!("Method \"{m}\" is not an HTTP token: {TYPE_ERROR_EN}."),
        ),
        Refusal::ForbiddenMethod(m) => (
            format!("メソッド {m} は禁止メソッド (forbidden method: CONNECT, TRACE, TRACK) です。{TYPE_ERROR_JA}。"),
            format!("Method {m} is a forbidden method (CONNECT, TRACE, TRACK): {TYPE_ERROR_EN}."),
        ),
        Refusal::BadHeaderName(n) => (
            format!("ヘッダー名「{n}」は HTTP のトークンではありません。{TYPE_ERROR_JA}。"),
            format!("Header name \"{n}\" is not an HTTP token: {TYPE_ERROR_EN}."),
        ),
        Refusal::BadHeaderValue { name, value } => (
            format!("ヘッダー {name} の値「{}」に NUL・CR・LF か U+00FF より後の文字があります。{TYPE_ERROR_JA}。ほかの制御文字は送られます。", escape(&value)),
            format!("The value \"{}\" of header {name} holds NUL, CR, LF or a character past U+00FF: {TYPE_ERROR_EN}. Other control characters are sent.", escape(&value)),
        ),
    })
}

/// Control characters and characters past U+00FF that a message quotes,
/// made visible.
fn escape(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\0'..='\x1f' | '\x7f' => format!("\\x{:02x}", c as u32),
            _ => c.to_string(),
        })
        .collect()
}

/// The same-origin step for one URL; true when CORS applies to it.
fn cross_origin(v: &mut Verdict, page: &Origin, target: &Origin, hop: &mut Hop, k: usize) -> bool {
    let (ja, en) = if page == target && !hop.cors {
        (
            "同一オリジン (same-origin) です。CORS は関係なく、ブラウザはそのまま応答を読ませます。".to_string(),
            "Same origin: CORS does not apply and the page may read the response.".to_string(),
        )
    } else if page == target {
        (
            "ページと同じオリジンですが、リクエストは途中でクロスオリジンを経由したので、CORS の確認は続きます。".to_string(),
            "The page's own origin, but the request has been cross-origin on the way: the CORS checks still apply.".to_string(),
        )
    } else if k == 0 {
        (
            "オリジンが違うのでクロスオリジン (cross-origin) リクエストです。同一オリジンポリシー (same-origin policy) により、サーバーが CORS ヘッダーで許可しない限りページは応答を読めません。".to_string(),
            "Different origins: a cross-origin request. Under the same-origin policy the page may read the response only if the server allows it with CORS headers.".to_string(),
        )
    } else {
        (
            format!("リダイレクト先 {target} はページとオリジンが違うので、クロスオリジン (cross-origin) リクエストとして CORS の確認を受けます。"),
            format!("The redirect target {target} is another origin than the page's: a cross-origin request, checked with CORS."),
        )
    };
    v.push("same-origin", true, ja, en);
    hop.cors |= page != target;
    hop.cors
}

/// The preflight and the CORS checks of one URL's responses; `response`
/// is `None` when the actual request is not (yet) sent.
fn check_responses(
    v: &mut Verdict,
    hop: &Hop,
    page: &Origin,
    credentialed: bool,
    (status, preflight): (u16, &[(String, String)]),
    response: Option<(Which, &[(String, String)])>,
) {
    let shape = RequestShape::classify(&hop.method, &hop.headers);
    checks::preflight(v, &shape, status);
    let mut responses = Vec::new();
    if shape.needs_preflight() {
        responses.push((Which::Preflight, preflight));
    }
    responses.extend(response);
    let origin = hop.origin(page);
    checks::allow_origin(v, &origin, credentialed, &responses);
    if credentialed {
        checks::allow_credentials(v, &responses);
    }
    if shape.needs_preflight() {
        checks::allow_methods(v, &shape.method, credentialed, preflight);
        checks::allow_headers(v, &shape.unsafe_names, credentialed, preflight);
    }
}

/// Follows redirect `k` as Fetch's "HTTP-redirect fetch" does; returns the
/// new URL's origin, or `None` (with a failed step) where the browser stops.
fn follow(
    v: &mut Verdict,
    page: &Origin,
    current: &Origin,
    hop: &mut Hop,
    k: usize,
    r: &Redirect,
) -> Option<Origin> {
    let n = k + 1;
    let status = r.status;
    let url = resolve(&hop.url, &r.location);
    let fail = |v: &mut Verdict, ja: String, en: String| {
        v.push(
            "redirect",
            false,
            format!("リダイレクト {n} ({status}, Location: {url}): {ja}"),
            format!("Redirect {n} ({status}, Location: {url}): {en}"),
        );
        None
    };
    if ![301, 302, 303, 307, 308].contains(&status) {
        return fail(
            v,
            "リダイレクトのステータス (301, 302, 303, 307, 308) ではありません。".into(),
            "not a redirect status (301, 302, 303, 307, 308).".into(),
        );
    }
    let next = match Origin::parse(&url) {
        Ok(next) => next,
        Err(e) => {
            return fail(
                v,
                format!("リダイレクト先を読めないか http(s) ではないので、ブラウザはネットワークエラーにします: {}", e.message_ja()),
                format!("the browser fails with a network error, as the target is not a readable http(s) URL: {}", e.message_en()),
            )
        }
    };
    if n > MAX_REDIRECTS {
        return fail(
            v,
            format!("リダイレクトが {MAX_REDIRECTS} 回を超えたので、ブラウザはネットワークエラーにします。"),
            format!("more than {MAX_REDIRECTS} redirects: the browser fails with a network error."),
        );
    }
    if has_credentials(&url) && (hop.cors || next != *page) {
        return fail(
            v,
            "リダイレクト先の URL にユーザー名・パスワード (user:password@) が含まれています。クロスオリジン (CORS) のリクエストでは、ブラウザはこれを追わずにネットワークエラーにします。".into(),
            "the target URL includes a user name or password (user:password@): in a cross-origin (CORS) request the browser refuses to follow it (network error).".into(),
        );
    }
    let (mut ja, mut en) = (
        format!("リダイレクト {n} ({status}): ブラウザは Location の {url} へ自動で進みます (最大 {MAX_REDIRECTS} 回)。"),
        format!("Redirect {n} ({status}): the browser follows Location to {url} (at most {MAX_REDIRECTS} redirects)."),
    );
    if next != *current && *current != *page && !hop.tainted {
        hop.tainted = true;
        ja += " クロスオリジンの URL から別のオリジンへのリダイレクトなので、以降の Origin ヘッダーは「null」になり、サーバーは Access-Control-Allow-Origin: null (または資格情報なしなら *) を返す必要があります。";
        en += " A redirect from a cross-origin URL to another origin: from now on the Origin header is \"null\", and the server must answer Access-Control-Allow-Origin: null (or * without credentials).";
    }
    let post_to_get = matches!(status, 301 | 302) && hop.method == "POST";
    if post_to_get || (status == 303 && hop.method != "GET" && hop.method != "HEAD") {
        ja += &format!(" {status} なので、メソッド {} は GET に変わり、本文と Content-Type などのヘッダーは送られません。", hop.method);
        en += &format!(" Being a {status}, it turns method {} into GET and drops the body and its Content-Type and other body headers.", hop.method);
        hop.method = "GET".to_string();
        hop.headers.retain(|(name, _)| {
            let name = name.to_ascii_lowercase();
            !matches!(
                name.as_str(),
                "content-encoding" | "content-language" | "content-location" | "content-type"
            )
        });
    }
    v.push("redirect", true, ja, en);
    hop.url = url;
    Some(next)
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
            format!("リクエスト先 {host} は「このページを開いている端末自身」を指します。開発者の PC では手元のサーバーが応答するため動いて見えますが、スマホや他の人の端末にはそのサーバーがないので接続に失敗します (CORS エラーではなくネットワークエラー)。Chrome (142 以降) では、公開ページから localhost やプライベートネットワークへの接続に利用者の許可 (Local Network Access) も必要です。公開している API の https の URL を使ってください。以降の CORS の判定は行いません。"),
            format!("{host} means \"the device that opened this page\". On the developer's PC a local server answers, so it seems to work; on a phone or anyone else's device no such server exists and the request fails (a network error, not a CORS error). Chrome (142 and later) also asks the reader's permission (Local Network Access) before a public page may connect to localhost or a private network. Use the public https URL of your API. The CORS checks are skipped."),
        )
    };
    v.push("localhost", ok, ja, en);
    ok
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
