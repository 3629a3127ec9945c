//! `run_probe` against a tiny local HTTP server with canned CORS answers.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use logsite::cors::{run_probe, ProbeArgs};

/// A server on 127.0.0.1 that answers each request with `respond(method)`
/// (a status line and header lines, then optionally a blank line and a body)
/// and records every request's head.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(respond: fn(&str) -> &'static str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, respond, &seen);
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(mut stream: TcpStream, respond: fn(&str) -> &'static str, seen: &Mutex<Vec<String>>) {
    let mut head = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let method = head.split(' ').next().unwrap_or("").to_string();
    seen.lock().unwrap().push(head.to_ascii_lowercase());
    let canned = respond(&method);
    let (head, body) = canned.split_once("\n\n").unwrap_or((canned, "ok"));
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
fn closed_port_exits_2() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (code, out) = probe(&args(&format!("http://127.0.0.1:{port}/"), "GET", &[]));
    assert_eq!(code, 2, "{out}");
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
        args("https://api.saburo.xyz/", "GE T", &[]),
        args("https://api.saburo.xyz/", "GET", &[("Bad Name", "x")]),
    ] {
        let (code, out) = probe(&a);
        assert_eq!(code, 2, "{a:?}: {out}");
        assert!(out.starts_with("エラー: "), "{out}");
    }
}
