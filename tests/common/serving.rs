//! `logsite serve` running in-process on its own runtime, for tests over a real socket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use logsite::serve::{ServeOptions, Server};
use logsite::site::BuildOptions;

use super::TempLog;

/// How long the server may take to stop.
const STOP_WAIT: Duration = Duration::from_secs(10);

/// A server on 127.0.0.1, stopped when dropped.
pub struct Serving {
    pub addr: SocketAddr,
    /// The folder the site is built into and served from.
    pub out: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Serving {
    /// Starts on a free port.
    pub fn start(log: &TempLog) -> Serving {
        Serving::start_on(log, 0).0
    }

    /// Starts on `port`; also returns the port it had to move from, if it was taken.
    pub fn start_on(log: &TempLog, port: u16) -> (Serving, Option<u16>) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let options = ServeOptions {
            root: log.path().to_path_buf(),
            build: BuildOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()),
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            poll: false,
            debounce: Duration::from_millis(50),
            timings: false,
        };
        let server = runtime
            .block_on(Server::start(options))
            .expect("the server starts");
        let (addr, out, taken) = (
            server.local_addr(),
            server.out_dir().to_path_buf(),
            server.port_taken(),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime
                .block_on(server.run(async {
                    let _ = stopped.await;
                }))
                .expect("the server runs and stops cleanly");
        });
        (
            Serving {
                addr,
                out,
                stop: Some(stop),
                thread: Some(thread),
            },
            taken,
        )
    }

    /// `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// Asks the server to stop and checks that it does, in time and without panicking.
    pub fn shut_down(mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).expect("the server is still running");
        }
        let thread = self.thread.take().expect("the server thread");
        let deadline = Instant::now() + STOP_WAIT;
        while !thread.is_finished() {
            assert!(
                Instant::now() < deadline,
                "the server did not stop within {STOP_WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        thread
            .join()
            .expect("the server thread ends without panicking");
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // A failing test is already panicking: do not wait on the server then.
        if let Some(thread) = self.thread.take() {
            if std::thread::panicking() {
                return;
            }
            let deadline = Instant::now() + STOP_WAIT;
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(
                thread.is_finished(),
                "the server did not stop within {STOP_WAIT:?}"
            );
            thread
                .join()
                .expect("the server thread ends without panicking");
        }
    }
}

/// Starts the real `logsite serve LOG --port 0` with piped output. Returns the
/// child and the first line it printed on stdout (its URL, printed after the
/// first build), or `None` if none came within `wait`.
#[cfg(unix)]
pub fn spawn_serve_binary(
    log: &std::path::Path,
    wait: std::time::Duration,
) -> (std::process::Child, Option<String>) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_logsite"))
        .args(["serve", log.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(wait).ok();
    (child, line)
}

/// `GET path` with `Host: host`, sent as written (no client-side normalisation of
/// `..` or `//`) on a fresh connection, and the whole reply read to the end.
pub fn raw_get(addr: SocketAddr, host: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let wait = Duration::from_secs(10);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, wait).expect("connect");
    stream.set_read_timeout(Some(wait)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    String::from_utf8_lossy(&raw).into_owned()
}
