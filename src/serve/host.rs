//! What every request passes before it reaches the site: its `Host` must be a name the
//! server is really reached by, and its path is normalised.
//!
//! A page on any web site can make the author's browser send requests to
//! `127.0.0.1:3000` under its own name (DNS rebinding: `evil.example` resolving to
//! 127.0.0.1) and read the answers, unpublished notes and drafts included. The browser
//! still sends `Host: evil.example:3000`, so a server that answers only the names it is
//! reached by is out of reach. Accepted, with any port (an `ssh -L` forward changes it;
//! the name is what a rebinding page cannot fake):
//! - `localhost` and `*.localhost` (RFC 6761: always loopback), and loopback addresses
//!   (`127.0.0.1`, `[::1]`);
//! - the address listened on, when `--interface` names one;
//! - listening on a non-loopback interface: the machine's host name (and
//!   `NAME.local`); with `0.0.0.0` or `::`, also any IP address (a page cannot be
//!   served from an address literal that is not the address it connects to).
//!
//! Anything else is answered 421 Misdirected Request, saying why.

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Response, StatusCode, Uri};
use axum::middleware::Next;

/// The names a request may be addressed to.
#[derive(Debug)]
pub struct Hosts {
    listen: IpAddr,
    /// The machine's host name, lower case, when listening beyond loopback.
    machine: Option<String>,
}

impl Hosts {
    pub fn new(listen: IpAddr) -> Hosts {
        let machine = (!listen.is_loopback()).then(machine_name).flatten();
        Hosts { listen, machine }
    }

    /// True when a request whose `Host` is `host` is for this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = name_of(host) else {
            return false;
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return ip.is_loopback() || ip == self.listen || self.listen.is_unspecified();
        }
        self.machine
            .as_deref()
            .is_some_and(|m| name == m || name.strip_suffix(".local") == Some(m))
    }

    fn refusal(&self, host: &str) -> Response<Body> {
        let mut also = String::new();
        if !self.listen.is_loopback() && !self.listen.is_unspecified() {
            also.push_str(&format!(", {}", self.listen));
        }
        if let Some(machine) = &self.machine {
            also.push_str(&format!(", {machine}, {machine}.local"));
        }
        if self.listen.is_unspecified() {
            also.push_str(" and this machine's IP addresses");
        }
        let message = format!(
            "421 Misdirected Request: logsite serve answers only requests for localhost, 127.0.0.1, [::1]{also}; this one was for {host:?}.\n\
             A web page can make your browser send requests to this server under its own name (DNS rebinding) to read your unpublished notes: that is why other names are refused.\n"
        );
        plain(StatusCode::MISDIRECTED_REQUEST, message)
    }
}

/// The host name of `Host: name:port`, `[v6]:port` or `name`; `None` when it has an
/// empty name or a port that is not a number.
fn name_of(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        (&host[..=end], host[end + 1..].strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (!name.is_empty() && port_ok).then_some(name)
}

/// This machine's host name, lower case (Linux's kernel name, else `/etc/hostname`).
fn machine_name() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
}

/// Refuses a request for another host; collapses `//` in the path, so that no
/// redirect built from it (`/static` → `/static/`) can name another site
/// (`//static/` is a link to the host "static").
pub async fn guard(
    State(hosts): State<Arc<Hosts>>,
    mut req: Request,
    next: Next,
) -> Response<Body> {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    // A request without Host (HTTP/1.0) cannot come from a browser page; one with an
    // absolute URI is checked by its authority too.
    let named = host
        .iter()
        .cloned()
        .chain(req.uri().authority().map(|a| a.to_string()));
    for name in named {
        if !hosts.allows(&name) {
            return hosts.refusal(&name);
        }
    }
    let path = req.uri().path();
    if path.contains('\\') {
        return plain(
            StatusCode::BAD_REQUEST,
            "400 Bad Request: a backslash in a path is refused\n".into(),
        );
    }
    if path.contains("//") {
        let mut collapsed = String::with_capacity(path.len());
        for c in path.chars() {
            if !(c == '/' && collapsed.ends_with('/')) {
                collapsed.push(c);
            }
        }
        let rebuilt = match req.uri().query() {
            Some(q) => format!("{collapsed}?{q}"),
            None => collapsed,
        };
        match rebuilt.parse::<Uri>() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => {
                return plain(StatusCode::BAD_REQUEST, "400 Bad Request\n".into());
            }
        }
    }
    next.run(req).await
}

fn plain(status: StatusCode, message: String) -> Response<Body> {
    let mut res = Response::new(Body::from(message));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_pass_with_any_port() {
        let hosts = Hosts::new(IpAddr::from([127, 0, 0, 1]));
        for host in [
            "localhost",
            "localhost:3000",
            "LOCALHOST:8080",
            "127.0.0.1:3000",
            "127.0.0.2",
            "[::1]:3000",
            "[::1]",
            "app.localhost:3000",
            "localhost.:3000",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn other_names_and_malformed_hosts_are_refused_on_loopback() {
        let hosts = Hosts::new(IpAddr::from([127, 0, 0, 1]));
        for host in [
            "evil.example:3000",
            "localhost.evil.example",
            "192.168.1.5:3000",
            "",
            ":3000",
            "localhost:abc",
            "[::1",
            "127.0.0.1.nip.io",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn an_interface_adds_its_address_and_any_address_with_0_0_0_0() {
        let lan = Hosts::new(IpAddr::from([192, 168, 1, 5]));
        assert!(lan.allows("192.168.1.5:3000"));
        assert!(!lan.allows("10.0.0.1:3000"));
        assert!(!lan.allows("evil.example:3000"));
        let any = Hosts::new(IpAddr::from([0, 0, 0, 0]));
        assert!(any.allows("10.0.0.1:3000") && any.allows("[fe80::1]:3000"));
        assert!(!any.allows("evil.example:3000"));
        if let Some(machine) = machine_name() {
            assert!(any.allows(&format!("{machine}:3000")));
            assert!(any.allows(&format!("{machine}.local")));
        }
    }
}
