//! `run_probe` against a tiny local HTTP server with canned CORS answers.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

mod common;

use logsite::cors::{run_probe, ProbeArgs};

type Respond = Box<dyn Fn(&str, &str) -> String + Send>;

/// A server on 127.0.0.1 that answers each request with
/// `respond(method, path)` (a status line and header lines, then optionally
/// a blank line and a body) and records every request's head.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(respond: fn(&str) -> &'static str) -> Server {
        Server::routed(Box::new(move |method, _| respond(method).to_string()))
    }

    fn routed(respond: Respond) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &respond, &seen);
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(mut stream: TcpStream, respond: &Respond, seen: &Mutex<Vec<String>>) {
    let mut head = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut words = head.split(' ');
    let method = words.next().unwrap_or("").to_string();
    let path = words.next().unwrap_or("").to_string();
    seen.lock().unwrap().push(head.to_ascii_lowercase());
    let canned = respond(&method, &path);
    let (head, body) = canned.split_once("\n\n").unwrap_or((&canned, "ok"));
    let reply = format!(
        "{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        head.replace('\n', "\r\n"),
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

fn args(url: &str, method: &str, headers: &[(&str, &str)]) -> ProbeArgs {
    ProbeArgs {
        url: url.to_string(),
        origin: "http://localhost:3000".to_string(),
        method: method.to_string(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        credentials: false,
    }
}

fn probe(args: &ProbeArgs) -> (i32, String) {
    let mut out = Vec::new();
    let code = run_probe(args, &mut out);
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn right_headers_exit_0_and_the_origin_is_sent() {
    let server = Server::start(|_| {
        "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: http://localhost:3000\nVary: Origin"
    });
    let (code, out) = probe(&args(&server.url, "GET", &[]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ allow-origin"), "{out}");
    assert!(out.contains("(allowed)"), "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a simple request needs no preflight");
    assert!(requests[0].starts_with("get /api "));
    assert!(requests[0].contains("origin: http://localhost:3000\r\n"));
}

#[test]
fn put_with_json_and_authorization_sends_a_full_preflight_then_exits_0() {
    let server = Server::start(|method| {
        match method {
        "OPTIONS" => {
            "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: http://localhost:3000\nAccess-Control-Allow-Methods: GET, PUT\nAccess-Control-Allow-Headers: Authorization, Content-Type"
        }
        _ => "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: http://localhost:3000",
    }
    });
    let a = args(
        &server.url,
        "PUT",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer t"),
        ],
    );
    let (code, out) = probe(&a);
    assert_eq!(code, 0, "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests[0].starts_with("options /api "));
    assert!(requests[0].contains("origin: http://localhost:3000\r\n"));
    assert!(requests[0].contains("access-control-request-method: put\r\n"));
    assert!(requests[0].contains("access-control-request-headers: authorization,content-type\r\n"));
    assert!(requests[1].starts_with("put /api "));
    assert!(requests[1].contains("authorization: bearer t\r\n"));
}

#[test]
fn missing_allow_origin_exits_1_and_names_the_header() {
    let server = Server::start(|_| "HTTP/1.1 200 OK\nContent-Type: text/plain");
    let (code, out) = probe(&args(&server.url, "GET", &[]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ allow-origin"), "{out}");
    assert!(
        out.contains("  Access-Control-Allow-Origin: http://localhost:3000\n"),
        "{out}"
    );
}

#[test]
fn preflight_without_allow_headers_for_authorization_exits_1_and_sends_nothing_more() {
    // `*` does not cover Authorization: a browser stops at this preflight.
    let server = Server::start(|_| {
        "HTTP/1.1 204 No Content\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: *\nAccess-Control-Allow-Headers: *"
    });
    let (code, out) = probe(&args(&server.url, "GET", &[("Authorization", "Bearer t")]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ allow-headers"), "{out}");
    assert!(
        out.contains("  Access-Control-Allow-Headers: authorization\n"),
        "{out}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "only the preflight: {requests:?}");
    assert!(requests[0].starts_with("options "));
}

#[test]
fn starlette_refusing_the_preflight_exits_1_and_shows_why() {
    let server = Server::start(|_| {
        "HTTP/1.1 400 Bad Request\nContent-Type: text/plain\n\nDisallowed CORS origin"
    });
    let (code, out) = probe(&args(&server.url, "DELETE", &[]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ preflight"), "{out}");
    assert!(out.contains("<   (body) Disallowed CORS origin"), "{out}");
}

#[test]
fn seed_phone_setup_exits_1_without_sending_anything() {
    let server = Server::start(|_| "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *");
    let mut a = args(&server.url, "GET", &[]);
    a.origin = "https://saburo.xyz".to_string();
    let (code, out) = probe(&a);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ localhost"), "{out}");
    assert!(server.requests().is_empty());
}

#[test]
fn closed_port_exits_3() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (code, out) = probe(&args(&format!("http://127.0.0.1:{port}/"), "GET", &[]));
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("error: cannot reach"), "{out}");
}

#[test]
fn malformed_arguments_exit_2() {
    for a in [
        args("api.saburo.xyz", "GET", &[]),
        args("https://api.saburo.xyz:99999/", "GET", &[]),
        ProbeArgs {
            origin: "saburo.xyz".into(),
            ..args("https://api.saburo.xyz/", "GET", &[])
        },
    ] {
        let (code, out) = probe(&a);
        assert_eq!(code, 2, "{a:?}: {out}");
        assert!(out.starts_with("エラー: "), "{out}");
    }
}

/// What `fetch()` itself refuses with a TypeError is the browser's verdict
/// (exit 1), and nothing reaches the server: in particular a URL with
/// user:password, which the HTTP client would turn into a silent
/// `Authorization: Basic` header.
#[test]
fn requests_fetch_refuses_exit_1_and_send_nothing() {
    let server = Server::start(|_| "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *");
    let with_credentials = server.url.replace("http://", "http://user:password@");
    for (a, words) in [
        (args(&with_credentials, "GET", &[]), "user name or password"),
        (args(&server.url, "GE T", &[]), "not an HTTP token"),
        (args(&server.url, "TRACE", &[]), "forbidden method"),
        (
            args(&server.url, "GET", &[("Bad Name", "x")]),
            "not an HTTP token",
        ),
        (args(&server.url, "GET", &[("X-A", "a\rb")]), "NUL, CR, LF"),
    ] {
        let (code, out) = probe(&a);
        assert_eq!(code, 1, "{a:?}: {out}");
        assert!(out.contains("✗ request"), "{out}");
        assert!(out.contains("TypeError") && out.contains(words), "{out}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn a_file_url_is_refused_by_browsers_not_by_the_tool() {
    let (code, out) = probe(&args("file:///home/saburo/data.json", "GET", &[]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Browsers refuse this"), "{out}");
    assert!(!out.contains("not supported"), "{out}");
}

/// A control byte other than NUL, CR, LF is legal for fetch(): the probe
/// must not call the header invalid, even though it cannot send it.
#[test]
fn a_control_byte_fetch_accepts_is_not_called_invalid() {
    let server = Server::start(|_| "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *");
    let (code, out) = probe(&args(&server.url, "GET", &[("X-A", "a\u{1}b")]));
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("fetch() would send"), "{out}");
    assert!(out.contains("a\\x01b"), "shown escaped: {out}");
    assert!(!out.contains("invalid\""), "{out}");
}

/// The body can hold any byte; a header value can hold C1 controls (as
/// UTF-8), which some terminals obey too (U+009B is CSI). The HTTP client
/// itself refuses C0 controls in header values.
#[test]
fn escape_sequences_from_the_server_are_printed_escaped() {
    let server = Server::start(|_| {
        "HTTP/1.1 403 Forbidden\nAccess-Control-Allow-Origin: \u{9b}2J\u{202e}x\n\n\x1b]0;pwned\x07\x1b[2J"
    });
    let (code, out) = probe(&args(&server.url, "GET", &[]));
    assert_eq!(code, 1, "{out}");
    for raw in ['\x1b', '\x07', '\u{9b}', '\u{202e}'] {
        assert!(!out.contains(raw), "raw {raw:?}: {out:?}");
    }
    assert!(
        out.contains("<   (body) \\x1b]0;pwned\\x07\\x1b[2J"),
        "body shown escaped: {out}"
    );
    assert!(
        out.contains("access-control-allow-origin: \\u{9b}2J\\u{202e}x"),
        "header shown escaped: {out}"
    );
}

/// The case: a 307 carrying Access-Control-Allow-Origin, to a final
/// response without it. The probe follows, prints each hop, and blocks.
#[test]
fn redirects_are_followed_and_every_hop_is_judged() {
    let server = Server::routed(Box::new(|_, path| {
        if path == "/api" {
            "HTTP/1.1 307 Temporary Redirect\nLocation: /final\nAccess-Control-Allow-Origin: http://localhost:3000".to_string()
        } else {
            "HTTP/1.1 200 OK\nContent-Type: text/plain".to_string()
        }
    }));
    let (code, out) = probe(&args(&server.url, "GET", &[]));
    assert_eq!(code, 1, "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests[1].starts_with("get /final "), "{requests:?}");
    assert!(
        out.contains("-- 1: http://127.0.0.1:"),
        "hop printed: {out}"
    );
    assert!(out.contains("✓ redirect"), "{out}");
    assert!(out.contains("✗ allow-origin"), "{out}");
    assert!(out.contains("(blocked)"), "{out}");
}

/// A redirect from one cross-origin server to another taints the origin:
/// the second server receives `Origin: null` and must allow `null`.
#[test]
fn a_cross_origin_redirect_sends_origin_null_next() {
    let second = Server::start(|_| "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: null");
    let target = second.url.clone();
    let first = Server::routed(Box::new(move |_, _| {
        format!("HTTP/1.1 302 Found\nLocation: {target}\nAccess-Control-Allow-Origin: *")
    }));
    let (code, out) = probe(&args(&first.url, "GET", &[]));
    assert_eq!(code, 0, "{out}");
    assert!(first.requests()[0].contains("origin: http://localhost:3000\r\n"));
    assert!(
        second.requests()[0].contains("origin: null\r\n"),
        "{:?}",
        second.requests()
    );
}

#[test]
fn credentials_in_a_redirect_target_stop_the_chain() {
    let second = Server::start(|_| "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *");
    let target = second.url.replace("http://", "http://user:pw@");
    let first = Server::routed(Box::new(move |_, _| {
        format!("HTTP/1.1 301 Moved\nLocation: {target}\nAccess-Control-Allow-Origin: *")
    }));
    let (code, out) = probe(&args(&first.url, "GET", &[]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ redirect"), "{out}");
    assert!(
        second.requests().is_empty(),
        "never sent: {:?}",
        second.requests()
    );
}

#[test]
fn a_redirected_preflight_is_not_followed() {
    let server = Server::routed(Box::new(|_, _| {
        "HTTP/1.1 308 Permanent Redirect\nLocation: /elsewhere\nAccess-Control-Allow-Origin: *"
            .to_string()
    }));
    let (code, out) = probe(&args(&server.url, "DELETE", &[]));
    assert_eq!(code, 1, "{out}");
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
    assert!(out.contains("never follow"), "{out}");
}

/// When the preflight fails, only the preflight was sent, and the verdict
/// speaks of the preflight response, never of an actual response.
#[test]
fn a_failed_preflight_is_reported_as_the_preflight() {
    let server = Server::start(|_| "HTTP/1.1 204 No Content\nAccess-Control-Allow-Methods: PUT");
    let (code, out) = probe(&args(&server.url, "PUT", &[]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("preflight response has no Access-Control-Allow-Origin"),
        "{out}"
    );
    assert!(!out.contains("actual response"), "{out}");
}

#[test]
fn duplicate_allow_credentials_is_called_a_duplicate() {
    let server = Server::start(|_| {
        "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: http://localhost:3000\nAccess-Control-Allow-Credentials: true\nAccess-Control-Allow-Credentials: true"
    });
    let mut a = args(&server.url, "GET", &[]);
    a.credentials = true;
    let (code, out) = probe(&a);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("2 times (duplicate)"), "{out}");
    assert!(!out.contains("only lowercase true"), "{out}");
}

/// From the command line: `-H` values lose HTTP whitespace only, so a
/// trailing NBSP (pasted from a document) stays, makes Content-Language
/// unsafelisted, and a browser would preflight: so does the probe.
#[test]
fn a_header_value_ending_in_nbsp_keeps_it_and_needs_a_preflight() {
    let server = Server::start(|_| "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *");
    let (code, out, err) = common::run_logsite(&[
        "cors",
        "probe",
        &server.url,
        "--origin",
        "http://localhost:3000",
        "-H",
        "Content-Language:  ja\u{a0}",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let requests = server.requests();
    assert!(requests[0].starts_with("options "), "{requests:?}");
    assert!(
        requests[0].contains("access-control-request-headers: content-language\r\n"),
        "{requests:?}"
    );
    assert!(out.contains("✗ allow-headers"), "{out}");
}
