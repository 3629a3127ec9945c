//! `logsite cors probe`: ask a real server what a browser would ask, and
//! judge its answers with the same [`rules::evaluate`](super::rules::evaluate)
//! the explainer's checker uses.

use std::io::{Read, Write};
use std::time::Duration;

use ureq::http::{self, HeaderName, HeaderValue};

use super::origin::Origin;
use super::rules::{evaluate, Credentials, Scenario, Verdict};
use super::safelist::RequestShape;

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
/// Exit status: wrong arguments, or the server could not be reached.
pub const UNREACHABLE: i32 = 2;

/// Sends the preflight (when the rules say a browser would) and the actual
/// request with an `Origin` header, writes each step of the verdict and the
/// headers the server is missing to `out`, and returns the exit status:
/// [`ALLOWED`], [`BLOCKED`] or [`UNREACHABLE`].
///
/// Like a browser, it does not send the actual request when the preflight
/// fails, and it follows no redirect. It sends no cookies, even with
/// `credentials`: the verdict is about the headers, not the session.
pub fn run_probe(args: &ProbeArgs, out: &mut dyn Write) -> i32 {
    match probe(args, out) {
        Ok(code) => code,
        // Nowhere to report to: the caller sees only the status.
        Err(Failure::Output) => UNREACHABLE,
        Err(Failure::Unreachable { ja, en }) => {
            // The failure is the message; a broken `out` has nothing left to tell.
            let _ = writeln!(out, "エラー: {ja}\nerror: {en}");
            UNREACHABLE
        }
    }
}

enum Failure {
    Unreachable {
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

/// A status and the headers of one response.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
}

fn probe(args: &ProbeArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    let page = Origin::parse(&args.origin).map_err(|e| {
        unreachable(
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
    Origin::parse(&args.url).map_err(|e| {
        unreachable(
            format!("URL「{}」を解釈できません: {}", args.url, e.message_ja()),
            format!("cannot parse URL \"{}\": {}", args.url, e.message_en()),
        )
    })?;
    let shape = RequestShape::classify(&args.method, &args.headers);
    check_arguments(&shape, &args.headers)?;

    let mut scenario = Scenario {
        page_url: page.to_string(),
        request_url: args.url.trim().to_string(),
        method: shape.method.clone(),
        request_headers: args.headers.clone(),
        credentials: if args.credentials {
            Credentials::Include
        } else {
            Credentials::SameOrigin
        },
        preflight_status: 200,
        preflight_response: Vec::new(),
        actual_response: Vec::new(),
    };
    // Same origin, mixed content, a localhost URL from a public page: the
    // verdict is reached before any CORS header matters, and for the last
    // two the browser sends nothing we could usefully imitate.
    let before = evaluate(&scenario);
    if !before.steps.iter().any(|s| s.rule == "preflight") {
        writeln!(out, "(リクエストは送っていません / no request sent)")?;
        return report(&before, out);
    }

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .max_redirects(0)
        .allow_non_standard_methods(true)
        .build()
        .into();

    if shape.needs_preflight() {
        let mut preflight = vec![
            ("Origin".to_string(), scenario.page_url.clone()),
            (
                "Access-Control-Request-Method".to_string(),
                shape.method.clone(),
            ),
        ];
        if !shape.unsafe_names.is_empty() {
            preflight.push((
                "Access-Control-Request-Headers".to_string(),
                shape.unsafe_names.join(","),
            ));
        }
        let answer = send(&agent, "OPTIONS", &scenario.request_url, &preflight, out)?;
        scenario.preflight_status = answer.status;
        scenario.preflight_response = answer.headers;
        // A browser goes on only if the preflight alone passes: judge it as
        // if the actual response repeated its headers.
        scenario.actual_response = scenario.preflight_response.clone();
        let preflight_verdict = evaluate(&scenario);
        if !preflight_verdict.allowed {
            writeln!(
                out,
                "(プリフライトで止まるため、実際のリクエストは送っていません。実際の応答の判定にはプリフライト応答を使っています / the preflight fails, so the actual request was not sent; the actual-response checks read the preflight response)"
            )?;
            return report(&preflight_verdict, out);
        }
    }

    let mut actual = vec![("Origin".to_string(), scenario.page_url.clone())];
    actual.extend(
        args.headers
            .iter()
            .filter(|(name, _)| {
                !shape
                    .forbidden
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(name.trim()))
            })
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string())),
    );
    let answer = send(&agent, &shape.method, &scenario.request_url, &actual, out)?;
    scenario.actual_response = answer.headers;
    report(&evaluate(&scenario), out)
}

/// Refuses what `fetch()` itself would refuse, before anything is sent.
fn check_arguments(shape: &RequestShape, headers: &[(String, String)]) -> Result<(), Failure> {
    if http::Method::from_bytes(shape.method.as_bytes()).is_err()
        || ["CONNECT", "TRACE", "TRACK"].contains(&shape.method.to_ascii_uppercase().as_str())
    {
        return Err(unreachable(
            format!("メソッド「{}」は fetch() で使えません", shape.method),
            format!("method \"{}\" cannot be used with fetch()", shape.method),
        ));
    }
    for (name, value) in headers {
        if HeaderName::from_bytes(name.trim().as_bytes()).is_err()
            || HeaderValue::from_str(value.trim()).is_err()
        {
            return Err(unreachable(
                format!("ヘッダー「{}: {}」が不正です", name, value),
                format!("header \"{}: {}\" is invalid", name, value),
            ));
        }
    }
    Ok(())
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
        request = request.header(name.as_str(), value.as_str());
    }
    let request = request.body(()).map_err(|e| {
        unreachable(
            format!("リクエストを組み立てられません: {e}"),
            format!("cannot build the request: {e}"),
        )
    })?;
    writeln!(out, "> {method} {url}")?;
    for (name, value) in headers {
        writeln!(out, ">   {name}: {value}")?;
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
            writeln!(out, "<   {name}: {value}")?;
        }
    }
    if response.status().is_redirection() {
        writeln!(
            out,
            "  (リダイレクトは追いません。プリフライトのリダイレクトはブラウザでも失敗します / redirect not followed; a redirected preflight fails in browsers too)"
        )?;
    }
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
        let body = body.trim();
        if !body.is_empty() {
            writeln!(out, "<   (body) {}", body.replace('\n', " "))?;
        }
    }
    Ok(Answer { status, headers })
}

/// Prints the verdict and returns its exit status.
fn report(verdict: &Verdict, out: &mut dyn Write) -> Result<i32, Failure> {
    for step in &verdict.steps {
        let mark = if step.ok { "✓" } else { "✗" };
        writeln!(out, "{mark} {}: {}", step.rule, step.message_ja)?;
        writeln!(out, "    {}", step.message_en)?;
    }
    if !verdict.missing_headers.is_empty() {
        writeln!(out, "サーバーに必要なヘッダー (missing headers):")?;
        for line in &verdict.missing_headers {
            writeln!(out, "  {line}")?;
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
