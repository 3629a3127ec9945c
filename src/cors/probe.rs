//! `logsite cors probe`: ask a real server what a browser would ask, and
//! judge its answers with the same [`rules::evaluate`](super::rules::evaluate)
//! the explainer's checker uses.

use std::io::{Read, Write};
use std::time::Duration;

use ureq::http::{self, HeaderValue};

use super::origin::{Origin, UrlError};
use super::rules::{
    evaluate, evaluate_until, next_request, Credentials, Redirect, Scenario, Until, Verdict,
    MAX_REDIRECTS,
};

/// How long one request may take, connecting included: long enough for a
/// cold Lambda or ALB, short enough that a dropped packet is not a hang.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What to probe: the request a page on `origin` would make to `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeArgs {
    /// The URL the page fetches, e.g. `https://api.saburo.xyz/`.
    pub url: String,
    /// The page's origin (a URL is accepted and reduced to its origin).
    pub origin: String,
    /// The method passed to `fetch()`; empty means GET.
    pub method: String,
    /// Headers the page's script sets, as (name, value).
    pub headers: Vec<(String, String)>,
    /// Whether the page uses `credentials: "include"`.
    pub credentials: bool,
}

/// Exit status: a browser would let the page read the response.
pub const ALLOWED: i32 = 0;
/// Exit status: a browser would block the request or withhold the response.
pub const BLOCKED: i32 = 1;
/// Exit status: wrong arguments (an origin or URL that does not parse), as
/// for every command: 2 is for usage only.
pub const USAGE: i32 = 2;
/// Exit status: no verdict, because the server could not be reached (or the
/// request could not be sent by this tool).
pub const UNREACHABLE: i32 = 3;

/// Sends the preflight (when the rules say a browser would) and the actual
/// request with an `Origin` header, writes each step of the verdict and the
/// headers the server is missing to `out`, and returns the exit status:
/// [`ALLOWED`], [`BLOCKED`], [`USAGE`] or [`UNREACHABLE`].
///
/// Like a browser, it sends nothing `fetch()` would refuse (a URL with
/// user:password, CONNECT, a header value with CR), does not send the actual
/// request when the preflight fails, follows redirects itself (up to 20,
/// printing each hop, judging each response, sending `Origin: null` once a
/// redirect taints it) and never follows a redirected preflight. It sends no
/// cookies, even with `credentials`: the verdict is about the headers, not
/// the session. Everything the server sent is printed with control
/// characters escaped, so a hostile answer cannot drive the terminal.
pub fn run_probe(args: &ProbeArgs, out: &mut dyn Write) -> i32 {
    match probe(args, out) {
        Ok(code) => code,
        // Nowhere to report to: the caller sees only the status.
        Err(Failure::Output) => UNREACHABLE,
        Err(Failure::Unreachable { ja, en }) => {
            // The failure is the message; a broken `out` has nothing left to tell.
            let _ = writeln!(out, "エラー: {}\nerror: {}", visible(&ja), visible(&en));
            UNREACHABLE
        }
        Err(Failure::Usage { ja, en }) => {
            let _ = writeln!(out, "エラー: {}\nerror: {}", visible(&ja), visible(&en));
            USAGE
        }
    }
}

enum Failure {
    Unreachable {
        ja: String,
        en: String,
    },
    /// An argument that does not parse.
    Usage {
        ja: String,
        en: String,
    },
    /// Writing to `out` failed.
    Output,
}

impl From<std::io::Error> for Failure {
    fn from(_: std::io::Error) -> Self {
        Failure::Output
    }
}

fn unreachable(ja: String, en: String) -> Failure {
    Failure::Unreachable { ja, en }
}

fn usage(ja: String, en: String) -> Failure {
    Failure::Usage { ja, en }
}

fn probe(args: &ProbeArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    let page = Origin::parse(&args.origin).map_err(|e| {
        usage(
            format!(
                "--origin「{}」を解釈できません: {}",
                args.origin,
                e.message_ja()
            ),
            format!(
                "cannot parse --origin \"{}\": {}",
                args.origin,
                e.message_en()
            ),
        )
    })?;
    match Origin::parse(&args.url) {
        // A file: URL is the browser's refusal, reported as the verdict.
        Ok(_) | Err(UrlError::FileScheme) => {}
        Err(e) => {
            return Err(usage(
                format!("URL「{}」を解釈できません: {}", args.url, e.message_ja()),
                format!("cannot parse URL \"{}\": {}", args.url, e.message_en()),
            ))
        }
    }
    let mut scenario = Scenario {
        page_url: page.to_string(),
        request_url: args.url.clone(),
        method: args.method.clone(),
        request_headers: args.headers.clone(),
        credentials: if args.credentials {
            Credentials::Include
        } else {
            Credentials::SameOrigin
        },
        preflight_status: 200,
        preflight_response: Vec::new(),
        actual_response: Vec::new(),
        redirects: Vec::new(),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .max_redirects(0)
        .allow_non_standard_methods(true)
        .build()
        .into();

    for hop in 0..=MAX_REDIRECTS {
        // Same origin, a refused request, mixed content, a localhost URL
        // from a public page, a redirect the browser would not follow: the
        // verdict is reached before anything (more) is sent.
        let before = evaluate_until(&scenario, Until::Request);
        let next = match next_request(&scenario) {
            Some(next) if before.allowed && next.cross_origin => next,
            _ => {
                writeln!(out, "(リクエストは送っていません / no request sent)")?;
                return report(&before, out);
            }
        };
        if hop > 0 {
            writeln!(out, "-- {hop}: {} --", visible(&next.url))?;
        }
        check_sendable(&next.headers)?;
        if next.shape.needs_preflight() {
            let mut preflight = vec![
                ("Origin".to_string(), next.origin.clone()),
                (
                    "Access-Control-Request-Method".to_string(),
                    next.shape.method.clone(),
                ),
            ];
            if !next.shape.unsafe_names.is_empty() {
                preflight.push((
                    "Access-Control-Request-Headers".to_string(),
                    next.shape.unsafe_names.join(","),
                ));
            }
            let answer = send(&agent, "OPTIONS", &next.url, &preflight, out)?;
            if answer.redirect.is_some() {
                writeln!(
                    out,
                    "  (プリフライトのリダイレクトはブラウザも追いません / browsers never follow a redirected preflight)"
                )?;
            }
            match scenario.redirects.last_mut() {
                Some(r) => {
                    r.preflight_status = Some(answer.status);
                    r.preflight_response = Some(answer.headers);
                }
                None => {
                    scenario.preflight_status = answer.status;
                    scenario.preflight_response = answer.headers;
                }
            }
            // A browser goes on only if the preflight alone passes.
            let preflight_verdict = evaluate_until(&scenario, Until::Preflight);
            if !preflight_verdict.allowed {
                writeln!(
                    out,
                    "(プリフライトで止まるため、実際のリクエストは送っていません / the preflight fails, so the actual request was not sent)"
                )?;
                return report(&preflight_verdict, out);
            }
        }

        let mut actual = vec![("Origin".to_string(), next.origin.clone())];
        actual.extend(
            next.headers
                .iter()
                .filter(|(name, _)| {
                    !next
                        .shape
                        .forbidden
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(name))
                })
                .cloned(),
        );
        let answer = send(&agent, &next.shape.method, &next.url, &actual, out)?;
        match answer.redirect {
            Some(location) => scenario.redirects.push(Redirect {
                status: answer.status,
                location,
                response: answer.headers,
                preflight_status: None,
                preflight_response: None,
            }),
            None => {
                scenario.actual_response = answer.headers;
                return report(&evaluate(&scenario), out);
            }
        }
    }
    // The rules refuse the redirect past the limit, so this is not reached;
    // a verdict is still the honest answer if it were.
    report(&evaluate(&scenario), out)
}

/// Values `fetch()` sends that this HTTP client cannot: control bytes
/// other than NUL, CR and LF (which the rules already refused).
fn check_sendable(headers: &[(String, String)]) -> Result<(), Failure> {
    for (name, value) in headers {
        if HeaderValue::from_bytes(&latin1(value)).is_err() {
            let value = visible(value);
            return Err(unreachable(
                format!("ヘッダー {name} の値「{value}」は fetch() なら送られますが (不正なのは NUL・CR・LF だけ)、このコマンドの HTTP クライアントは制御文字を送れません。何も送っていません"),
                format!("fetch() would send header {name} with value \"{value}\" (only NUL, CR and LF are invalid), but this probe's HTTP client cannot send control bytes; nothing was sent"),
            ));
        }
    }
    Ok(())
}

/// A header value as `fetch()` sends it: one byte per character (the rules
/// refuse characters past U+00FF before this is asked).
fn latin1(value: &str) -> Vec<u8> {
    value
        .trim_matches(super::safelist::is_http_whitespace)
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// Text from the server (or quoted from it) made safe for a terminal:
/// control characters (C0, DEL, C1) and bidi overrides are written as
/// `\x1b` or `\u{9b}`, so escape sequences show instead of acting.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            '\u{80}'..='\u{9f}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            _ => out.push(c),
        }
    }
    out
}

/// A status, the headers, and the `Location` of a redirect.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    redirect: Option<String>,
}

/// Sends one request and prints what came back that matters to CORS.
fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    out: &mut dyn Write,
) -> Result<Answer, Failure> {
    let mut request = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        // Checked by `check_sendable`; a failure surfaces from `body` below.
        if let Ok(value) = HeaderValue::from_bytes(&latin1(value)) {
            request = request.header(name.as_str(), value);
        }
    }
    let request = request.body(()).map_err(|e| {
        unreachable(
            format!("リクエストを組み立てられません: {e}"),
            format!("cannot build the request: {e}"),
        )
    })?;
    writeln!(out, "> {method} {}", visible(url))?;
    for (name, value) in headers {
        writeln!(out, ">   {name}: {}", visible(value))?;
    }
    let mut response = agent.run(request).map_err(|e| {
        unreachable(
            format!("{url} に接続できません: {e}"),
            format!("cannot reach {url}: {e}"),
        )
    })?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    writeln!(out, "< {status}")?;
    for (name, value) in &headers {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("access-control-") || lower == "vary" || lower == "location" {
            writeln!(out, "<   {}: {}", visible(name), visible(value))?;
        }
    }
    let redirect = if response.status().is_redirection() {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("location"))
            .map(|(_, v)| v.clone())
    } else {
        None
    };
    if !response.status().is_success() {
        // Starlette's CORSMiddleware says why it refused a preflight in the
        // body ("Disallowed CORS origin"): worth a line.
        let mut body = Vec::new();
        let _ = response
            .body_mut()
            .as_reader()
            .take(300)
            .read_to_end(&mut body);
        let body = String::from_utf8_lossy(&body);
        let body = body.trim().replace("\r\n", " ").replace('\n', " ");
        if !body.is_empty() {
            writeln!(out, "<   (body) {}", visible(&body))?;
        }
    }
    Ok(Answer {
        status,
        headers,
        redirect,
    })
}

/// Prints the verdict and returns its exit status. Messages quote the
/// server's headers, so they are escaped too.
fn report(verdict: &Verdict, out: &mut dyn Write) -> Result<i32, Failure> {
    for step in &verdict.steps {
        let mark = if step.ok { "✓" } else { "✗" };
        writeln!(out, "{mark} {}: {}", step.rule, visible(&step.message_ja))?;
        writeln!(out, "    {}", visible(&step.message_en))?;
    }
    if !verdict.missing_headers.is_empty() {
        writeln!(out, "サーバーに必要なヘッダー (missing headers):")?;
        for line in &verdict.missing_headers {
            writeln!(out, "  {}", visible(line))?;
        }
    }
    if verdict.allowed {
        writeln!(out, "判定: ブラウザはこのリクエストを許可します (allowed)")?;
        Ok(ALLOWED)
    } else {
        writeln!(
            out,
            "判定: ブラウザはこのリクエストをブロックします (blocked)"
        )?;
        Ok(BLOCKED)
    }
}
