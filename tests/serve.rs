//! `logsite serve` over a real socket: pages with the reload script, rebuilds on change,
//! the failure overlay, the reload channel, the 404 page and refused traversal.
//! Every wait is bounded, so a regression fails instead of hanging CI.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::serving::Serving;
use common::TempLog;
use scraper::{Html, Selector};

const WAIT: Duration = Duration::from_secs(10);
const DAY: &str = "/days/2025-04-28.html";
const NOTE: &str = "content/2025/04/2025-04-28.md";

/// What the tests ask of a running server.
trait Fetch {
    fn get(&self, path: &str) -> Reply;
    fn eventually(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply;
}

impl Fetch for Serving {
    fn get(&self, path: &str) -> Reply {
        get(self.addr, path)
    }

    /// Polls `path` until `check` holds; panics with `what` after [`WAIT`].
    fn eventually(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + WAIT;
        loop {
            let reply = self.get(path);
            if check(&reply) {
                return reply;
            }
            assert!(
                Instant::now() < deadline,
                "waited {WAIT:?} for {what}; last reply: {} {}",
                reply.status,
                reply.body
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// An HTTP reply, read whole.
struct Reply {
    status: u16,
    /// Header lines, lower-cased.
    headers: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(str::trim)
        })
    }

    fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

/// `GET path` sent as written (no client-side normalisation of `..`), read to the end.
fn get(addr: SocketAddr, path: &str) -> Reply {
    let raw = common::serving::raw_get(addr, &addr.to_string(), path);
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    Reply {
        status,
        headers: lines.collect::<Vec<_>>().join("\n").to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// One tab's reload channel, read from a raw socket.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET /__logsite/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut content_type = None;
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-type:") {
                content_type = Some(v.trim().to_string());
            }
        }
        assert_eq!(content_type.as_deref(), Some("text/event-stream"));
        Events { reader }
    }

    /// The next event as (name, data); keep-alive comments and chunk sizes are skipped.
    fn next(&mut self) -> (String, String) {
        let deadline = Instant::now() + WAIT;
        let (mut name, mut data) = (None, None);
        let mut line = String::new();
        loop {
            assert!(Instant::now() < deadline, "no event within {WAIT:?}");
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("an event within the wait");
            assert!(n > 0, "the event stream ended");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event:") {
                name = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("data:") {
                data = Some(v.trim().to_string());
            } else if line.is_empty() {
                if let (Some(n), Some(d)) = (name.take(), data.take()) {
                    return (n, d);
                }
            }
        }
    }

    /// Reads events until one named `name`.
    fn until(&mut self, name: &str) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(
                Instant::now() < deadline,
                "no `{name}` event within {WAIT:?}"
            );
            let (n, data) = self.next();
            if n == name {
                return serde_json::from_str(&data).expect("event data is JSON");
            }
        }
    }
}

fn seed_log() -> TempLog {
    TempLog::with_seed(&[])
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn has_reload_script(html: &Html) -> bool {
    !select(html, r#"script[src="/__logsite/live.js"]"#).is_empty()
}

/// Appends a learning holding `word` to the seed note.
fn edit_seed(log: &TempLog, word: &str) {
    let text =
        common::seed_text().replace("## わかったこと\n", &format!("## わかったこと\n- {word}\n"));
    log.write(NOTE, &text);
}

#[test]
fn pages_are_served_with_the_reload_script_which_is_not_on_disk() {
    let log = seed_log();
    let server = Serving::start(&log);
    for path in ["/", "/index.html", DAY] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply
                .header("content-type")
                .is_some_and(|v| v.starts_with("text/html")),
            "{path}: {:?}",
            reply.header("content-type")
        );
        assert!(has_reload_script(&reply.html()), "{path}");
    }
    let day = server.get(DAY).html();
    assert!(select(&day, "main")
        .iter()
        .any(|m| m.text().collect::<String>().contains("ハッカソン")));
    for file in ["index.html", "days/2025-04-28.html", "404.html"] {
        let on_disk = std::fs::read_to_string(server.out.join(file)).unwrap();
        assert!(
            !has_reload_script(&Html::parse_document(&on_disk)),
            "{file}"
        );
        assert!(!on_disk.contains("__logsite"), "{file}");
    }
    let script = server.get("/__logsite/live.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));
}

#[test]
fn an_edited_note_is_served_after_the_rebuild() {
    let log = seed_log();
    let server = Serving::start(&log);
    assert!(!server.get(DAY).body.contains("編集した行"));
    edit_seed(&log, "編集した行");
    server.eventually(DAY, "the edit to be served", |r| {
        r.status == 200 && r.body.contains("編集した行")
    });
}

#[test]
fn a_failed_build_keeps_the_site_shows_the_error_and_clears_when_fixed() {
    let log = seed_log();
    let server = Serving::start(&log);
    let mut events = Events::open(server.addr);
    let first = events.until("reload");

    // Not UTF-8: the note cannot be read, the build is fatal.
    std::fs::write(log.path().join(NOTE), b"# \xff\xfe broken\n").unwrap();
    let failure = events.until("failure");
    let text = failure.to_string();
    assert!(text.contains("2025-04-28.md"), "{text}");
    assert_eq!(failure["generation"], first["generation"]);
    let diagnostics = failure["failure"]["diagnostics"].as_array().unwrap();
    assert!(diagnostics
        .iter()
        .any(|d| d["path"].as_str().unwrap().ends_with(NOTE)));

    // The last good site is still served, with the script that shows the overlay.
    let day = server.get(DAY);
    assert_eq!(day.status, 200);
    assert!(day.body.contains("ハッカソン"));
    assert!(has_reload_script(&day.html()));

    // A tab opened now learns of the failure at once.
    let mut late = Events::open(server.addr);
    assert!(late.until("failure").to_string().contains("2025-04-28.md"));

    edit_seed(&log, "直した後の行");
    let fixed = events.until("reload");
    assert_ne!(fixed["generation"], first["generation"]);
    assert!(fixed["failure"].is_null());
    server.eventually(DAY, "the fixed note to be served", |r| {
        r.body.contains("直した後の行")
    });
}

#[test]
fn the_reload_channel_sends_reload_after_a_change() {
    let log = seed_log();
    let server = Serving::start(&log);
    let mut events = Events::open(server.addr);
    let first = events.until("reload");
    assert!(first["failure"].is_null());
    // The generation a page was served with is the one the channel starts from.
    let page = server.get("/").html();
    let script = select(&page, r#"script[src="/__logsite/live.js"]"#)[0];
    assert_eq!(
        script.value().attr("data-generation"),
        first["generation"].as_str()
    );

    edit_seed(&log, "変更");
    let next = events.until("reload");
    assert_ne!(next["generation"], first["generation"]);
}

#[test]
fn an_unknown_path_gets_the_site_404_page() {
    let log = seed_log();
    let server = Serving::start(&log);
    let reply = server.get("/no/such/page.html");
    assert_eq!(reply.status, 404);
    assert!(reply
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/html")));
    let built = std::fs::read_to_string(server.out.join("404.html")).unwrap();
    let h1 = |html: &Html| {
        select(html, "h1")
            .first()
            .map(|e| e.text().collect::<String>())
    };
    assert!(h1(&Html::parse_document(&built)).is_some());
    assert_eq!(h1(&reply.html()), h1(&Html::parse_document(&built)));
    assert!(has_reload_script(&reply.html()));
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let secret = "SECRET-3f9a1c";
    let log = TempLog::with_seed(&[("secret.txt", secret.as_bytes())]);
    let server = Serving::start(&log);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), secret).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(log.path().join("secret.txt"), server.out.join("leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), server.out.join("leakdir")).unwrap();
    }
    let attempts = [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/days/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/leak.txt",
        "/leakdir/passwd",
    ];
    let absolute = format!("/{}", log.path().join("secret.txt").display());
    for path in attempts.iter().copied().chain([absolute.as_str()]) {
        let reply = server.get(path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: status {}",
            reply.status
        );
        assert!(!reply.body.contains(secret), "{path} leaked the file");
    }
    // The folder itself still serves its own files.
    assert_eq!(server.get("/static/style.css").status, 200);
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let log = seed_log();
    let (server, moved_from) = Serving::start_on(&log, port);
    assert_eq!(moved_from, Some(port));
    assert_ne!(server.addr.port(), port);
    assert_eq!(server.get("/").status, 200);
}

#[cfg(unix)]
#[test]
fn the_binary_prints_the_url_and_stops_on_ctrl_c() {
    use std::process::Command;
    let log = seed_log();
    let (mut child, line) = common::serving::spawn_serve_binary(log.path(), WAIT);
    let line = match line {
        Some(line) => line,
        None => {
            let _ = child.kill();
            panic!("no URL printed within {WAIT:?}");
        }
    };
    let url = line.trim_end();
    let addr: SocketAddr = url
        .strip_prefix("http://")
        .and_then(|u| u.strip_suffix('/'))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("stdout is the URL: {line:?}"));
    assert!(addr.ip().is_loopback());
    // A tab stays connected: Ctrl-C must not wait for it.
    let _tab = Events::open(addr);
    assert_eq!(get(addr, "/").status, 200);

    let sent = Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not stop within {WAIT:?} of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}
