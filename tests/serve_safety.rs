//! `logsite serve` over a real socket, tried as a hostile web page would (issue 12):
//! requests under another host name (DNS rebinding), a `//` path, and a symlink out of
//! the log that the watcher must not follow.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::serving::Serving;
use common::TempLog;

const WAIT: Duration = Duration::from_secs(10);

/// `GET path` with `Host: host`, sent as written; returns the status line's code and
/// the whole reply.
fn get_as(addr: SocketAddr, host: &str, path: &str) -> (u16, String) {
    let raw = common::serving::raw_get(addr, host, path);
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, raw)
}

#[test]
fn a_request_for_another_host_name_is_refused_and_loopback_names_are_served() {
    let log = TempLog::with_seed(&[]);
    let server = Serving::start(&log);
    let port = server.addr.port();
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("192.168.1.5:{port}"),
    ] {
        for path in [
            "/",
            "/days/2025-04-28.html",
            "/data/log.json",
            "/__logsite/events",
        ] {
            let (status, reply) = get_as(server.addr, &host, path);
            assert_eq!(status, 421, "{host} {path}: {reply}");
            assert!(reply.contains("DNS rebinding"), "{reply}");
            assert!(
                !reply.contains("2025-04-28"),
                "{host} {path} leaked the log"
            );
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
    ] {
        let (status, reply) = get_as(server.addr, &host, "/days/2025-04-28.html");
        assert_eq!(status, 200, "{host}: {reply}");
    }
}

#[test]
fn a_double_slash_path_never_redirects_to_another_host() {
    let log = TempLog::with_seed(&[]);
    let server = Serving::start(&log);
    let host = server.addr.to_string();
    for path in [
        "//static",
        "///static",
        "//static?x=1",
        "//days//2025-04-28.html",
    ] {
        let (status, reply) = get_as(server.addr, &host, path);
        let location = reply.lines().take_while(|l| !l.is_empty()).find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("location:")
                .then(|| l[9..].trim().to_string())
        });
        if let Some(location) = &location {
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{path} redirects to {location}"
            );
        }
        assert!(
            matches!(status, 200 | 301 | 307 | 308 | 404),
            "{path}: {reply}"
        );
    }
    let (status, reply) = get_as(server.addr, &host, "//static");
    assert!(reply.contains("/static/"), "{status}: {reply}");
}

#[cfg(unix)]
#[test]
fn a_change_behind_a_symlink_out_of_the_log_does_not_rebuild() {
    let outside = tempfile::tempdir().unwrap();
    for i in 0..50 {
        std::fs::create_dir_all(outside.path().join(format!("d{i}"))).unwrap();
    }
    let log = TempLog::with_seed(&[]);
    std::os::unix::fs::symlink(outside.path(), log.path().join("content/linked")).unwrap();
    let server = Serving::start(&log);
    // Every build ends by writing the manifest: its mtime tells that a build ran.
    let marker = server.out.join(".logsite-build");
    let built = || {
        std::fs::metadata(&marker)
            .and_then(|m| m.modified())
            .unwrap()
    };
    let first = built();

    std::fs::write(
        outside.path().join("d7/2025-05-01.md"),
        "## わかったこと\n- x\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("note.md"), "## わかったこと\n- x\n").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(built(), first, "a change outside the log rebuilt the site");

    // The watcher still sees the log itself.
    log.write(
        "content/2025/04/2025-04-28.md",
        &(common::seed_text() + "\n## 感じたこと\n- 追記\n"),
    );
    let deadline = Instant::now() + WAIT;
    while built() == first {
        assert!(
            Instant::now() < deadline,
            "an edit in the log did not rebuild"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
