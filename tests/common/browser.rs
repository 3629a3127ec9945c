//! A headless Chromium driven over the DevTools protocol, and a tiny static
//! file server, for tests that must look at pages the way a reader's browser does.
//!
//! Every wait is bounded (10 s unless told) so a broken browser fails the
//! test instead of hanging CI. A missing browser fails too, never skips.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{sleep, JoinHandle};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// One headless Chromium with one page. Killed, and its profile removed, on drop.
pub struct Browser {
    child: Child,
    port: u16,
    /// `/devtools/browser/<id>`: used to close the browser politely on drop.
    browser_path: String,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    loads: u64,
    /// `Runtime.exceptionThrown` descriptions, for `js_errors`.
    errors: Vec<String>,
    // Declared last: removed after the browser is gone.
    profile: tempfile::TempDir,
}

/// Every page logsite writes is Japanese by default; without a CJK font Chromium
/// draws each character as a box, and layout tests would measure boxes and pass.
/// fontconfig (which Chromium uses on Linux) is asked for a font covering `ja`.
fn assert_cjk_font_installed() {
    let listed = Command::new("fc-list")
        .args([":lang=ja", "family"])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run fc-list ({e}): install fontconfig and fonts-noto-cjk (apt-get install fontconfig fonts-noto-cjk)")
        });
    assert!(
        !String::from_utf8_lossy(&listed.stdout).trim().is_empty(),
        "no font with Japanese glyphs is installed, so Chromium would draw boxes: apt-get install fonts-noto-cjk"
    );
}

impl Browser {
    /// Starts `/usr/bin/chromium` (or `$CHROMIUM`) and opens a blank page.
    /// Panics with the install command if the binary is missing.
    pub fn launch() -> Browser {
        let exe = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        assert!(
            exe.exists(),
            "no Chromium at {}: install chromium: apt-get install chromium fonts-noto-cjk \
             (or point $CHROMIUM at a Chromium binary)",
            exe.display()
        );
        assert_cjk_font_installed();
        let profile = tempfile::tempdir().expect("temp profile dir");
        let log = std::fs::File::create(profile.path().join("chromium.log")).expect("log file");
        // The networking flags matter: without them Chromium keeps dialling
        // Google services and floods the closed network (shared/DEPS.md).
        let mut child = Command::new(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));

        // Chromium writes "<port>\n/devtools/browser/<id>" once it listens.
        let active_port = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        let (port, browser_path) = loop {
            if let Ok(text) = std::fs::read_to_string(&active_port) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break (port.parse::<u16>().expect("port"), path.to_string());
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(profile.path().join("chromium.log"));
                panic!(
                    "Chromium exited ({status}) before listening:\n{}",
                    log.unwrap_or_default()
                );
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("Chromium did not write DevToolsActivePort within {DEFAULT_TIMEOUT:?}");
            }
            sleep(Duration::from_millis(50));
        };

        let target = http_request(port, "PUT", "/json/new?about:blank");
        let target: Value = serde_json::from_str(&target).expect("/json/new answers JSON");
        let ws_url = target["webSocketDebuggerUrl"]
            .as_str()
            .expect("webSocketDebuggerUrl")
            .to_string();
        let ws = connect_ws(port, &ws_url);
        let mut browser = Browser {
            child,
            port,
            browser_path,
            ws,
            next_id: 0,
            loads: 0,
            errors: Vec::new(),
            profile,
        };
        browser.call("Page.enable", json!({}));
        browser.call("Runtime.enable", json!({}));
        browser
    }

    /// Sends one DevTools command and returns its `result`; panics on a protocol error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let text = json!({"id": id, "method": method, "params": params}).to_string();
        self.ws
            .send(Message::text(text))
            .unwrap_or_else(|e| panic!("{method}: send failed: {e}"));
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            let msg = self
                .next_message(deadline)
                .unwrap_or_else(|| panic!("{method}: no answer within {DEFAULT_TIMEOUT:?}"));
            if msg["id"].as_u64() == Some(id) {
                if let Some(err) = msg.get("error") {
                    panic!("{method} failed: {err}");
                }
                return msg["result"].clone();
            }
        }
    }

    /// Reads the next message, records events; `None` once `deadline` passes.
    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    let msg: Value = serde_json::from_str(&text).expect("DevTools sends JSON");
                    match msg["method"].as_str() {
                        Some("Page.loadEventFired") => self.loads += 1,
                        Some("Runtime.exceptionThrown") => {
                            let details = &msg["params"]["exceptionDetails"];
                            let text = details["exception"]["description"]
                                .as_str()
                                .or(details["text"].as_str())
                                .unwrap_or("exception");
                            self.errors.push(text.to_string());
                        }
                        _ => {}
                    }
                    return Some(msg);
                }
                Ok(_) => {}
                // The read timeout set in connect_ws: check the deadline and read again.
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("DevTools connection lost: {e}"),
            }
            if Instant::now() > deadline {
                return None;
            }
        }
    }

    /// Loads `url` and waits (bounded) for its load event.
    pub fn navigate(&mut self, url: &str) {
        let before = self.loads;
        let result = self.call("Page.navigate", json!({"url": url}));
        if let Some(err) = result.get("errorText") {
            panic!("navigating to {url} failed: {err}");
        }
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        while self.loads == before {
            if self.next_message(deadline).is_none() {
                panic!("{url} did not finish loading within {DEFAULT_TIMEOUT:?}");
            }
        }
    }

    /// Evaluates `js` in the page (awaiting a promise) and returns its value
    /// as JSON (`Null` for undefined). Panics if it throws.
    pub fn eval(&mut self, js: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "awaitPromise": true, "returnByValue": true}),
        );
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or(details["text"].as_str())
                .unwrap_or("exception");
            panic!("{js}\nthrew: {text}");
        }
        result["result"]
            .get("value")
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Polls `condition` (a JS expression) until it is truthy; panics after `timeout`.
    pub fn wait_for(&mut self, condition: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let js = format!("!!({condition})");
        while self.eval(&js) != Value::Bool(true) {
            if Instant::now() > deadline {
                panic!("waited {timeout:?} for `{condition}`");
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Makes `loading="lazy"` images load now (a whole-page screenshot does not
    /// scroll, so they would stay blank), waits until every image has finished,
    /// and returns the `src` of those that did not decode.
    pub fn load_images(&mut self) -> Vec<String> {
        self.eval(
            "document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })",
        );
        self.wait_for(
            "[...document.images].every(i => i.complete)",
            DEFAULT_TIMEOUT,
        );
        let broken =
            self.eval("[...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)");
        serde_json::from_value(broken).expect("a list of URLs")
    }

    /// Emulates a screen of `width`×`height` CSS pixels; `mobile` also honours
    /// the page's viewport meta and uses overlay scrollbars, as a phone does.
    pub fn set_viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// Emulates `prefers-color-scheme: dark` (or light).
    pub fn set_dark_mode(&mut self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
        );
    }

    /// Saves a PNG of the whole page (not just the viewport), creating folders.
    pub fn screenshot_png(&mut self, path: &Path) {
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let clip = json!({
            "x": 0, "y": 0, "scale": 1,
            "width": size["width"].as_f64().unwrap_or(800.0),
            // A runaway page should not make a 100 MB PNG.
            "height": size["height"].as_f64().unwrap_or(600.0).min(16000.0),
        });
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "clip": clip, "captureBeyondViewport": true}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("screenshot is base64");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Clicks the middle of the first element matching `selector` with the mouse
    /// (a real press and release at that point, so whatever is on top gets it).
    /// Panics if nothing matches or the element has no box.
    pub fn click(&mut self, selector: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return null; \
             const r = e.getBoundingClientRect(); \
             return r.width > 0 && r.height > 0 ? [r.left + r.width / 2, r.top + r.height / 2] : null; }})()",
            Value::from(selector)
        );
        let at = self.eval(&js);
        let (Some(x), Some(y)) = (at[0].as_f64(), at[1].as_f64()) else {
            panic!("nothing to click: {selector} is missing or has no box");
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Types `text` into the focused element as an input method would (Japanese works).
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
    }

    /// Presses and releases one key: Enter, Escape, Tab, Backspace or an arrow key.
    pub fn press_key(&mut self, key: &str) {
        let (code, text) = match key {
            "Enter" => (13, "\r"),
            "Escape" => (27, ""),
            "Tab" => (9, ""),
            "Backspace" => (8, ""),
            "ArrowLeft" => (37, ""),
            "ArrowUp" => (38, ""),
            "ArrowRight" => (39, ""),
            "ArrowDown" => (40, ""),
            other => panic!("press_key does not know {other:?}"),
        };
        // A key with text needs "keyDown" (it makes a keypress, so Enter submits);
        // the others are "rawKeyDown".
        let kind = if text.is_empty() {
            "rawKeyDown"
        } else {
            "keyDown"
        };
        let common = json!({"key": key, "code": key, "windowsVirtualKeyCode": code});
        let mut down = common.clone();
        down["type"] = json!(kind);
        down["text"] = json!(text);
        self.call("Input.dispatchKeyEvent", down);
        let mut up = common;
        up["type"] = json!("keyUp");
        self.call("Input.dispatchKeyEvent", up);
    }

    /// Uncaught JavaScript exceptions seen so far, and forgets them.
    pub fn take_js_errors(&mut self) -> Vec<String> {
        // Events that arrived after the last command are still on the socket.
        let _ = self.next_message(Instant::now());
        std::mem::take(&mut self.errors)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Browser.close lets Chromium take its helper processes down with it;
        // kill is the fallback.
        let url = format!("ws://127.0.0.1:{}{}", self.port, self.browser_path);
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            if let Ok((mut ws, _)) = tungstenite::client(url.as_str(), stream) {
                let close = json!({"id": 1, "method": "Browser.close"}).to_string();
                let _ = ws.send(Message::text(close));
            }
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to Chromium's debugging port; returns the body.
fn http_request(port: u16, method: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("debugging port");
    stream.set_read_timeout(Some(DEFAULT_TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let mut buf = [0; 4096];
    // Read until the body is complete (Content-Length) or the socket closes.
    loop {
        let n = stream.read(&mut buf).expect("debugging port answers");
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if n == 0 || length.is_some_and(|len| body.len() >= len) {
                assert!(head.contains(" 200 "), "{method} {path}: {head}");
                return body.to_string();
            }
        } else if n == 0 {
            panic!("{method} {path}: connection closed mid-answer");
        }
    }
}

fn connect_ws(port: u16, url: &str) -> WebSocket<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("debugging port");
    stream.set_read_timeout(Some(DEFAULT_TIMEOUT)).unwrap();
    let (ws, _) = tungstenite::client(url, stream)
        .unwrap_or_else(|e| panic!("websocket handshake with {url}: {e}"));
    // From now on reads wake up often, so that deadlines are checked.
    ws.get_ref()
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    ws
}

/// A static file server on 127.0.0.1 for one folder; stops on drop.
pub struct Server {
    pub url: String,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<JoinHandle<()>>,
}

/// Serves `dir` over HTTP so pages can fetch() their data; returns the base
/// URL (ending in `/`) and the handle that keeps the server alive.
pub fn serve_dir(dir: &Path) -> (String, Server) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let (root, flag) = (dir.to_path_buf(), stop.clone());
    let thread = std::thread::spawn(move || {
        for stream in listener.incoming() {
            if flag.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let root = root.clone();
            // One thread per connection: Chromium opens idle connections
            // in advance, and one of those must not block the others.
            std::thread::spawn(move || serve_one(stream, &root));
        }
    });
    let url = format!("http://127.0.0.1:{port}/");
    let server = Server {
        url: url.clone(),
        stop,
        port,
        thread: Some(thread),
    };
    (url, server)
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request and closes the connection.
fn serve_one(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buf = [0; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request);
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut file = root.to_path_buf();
    let mut safe = true;
    for part in path.split('/').filter(|p| !p.is_empty()) {
        safe &= part != ".." && !part.contains('\\');
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(bytes) if safe => ("200 OK", bytes, content_type(&file)),
        _ => (
            "404 Not Found",
            b"not found".to_vec(),
            "text/plain; charset=utf-8",
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
