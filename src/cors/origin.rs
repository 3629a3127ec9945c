//! Origins: the scheme, host and port that the same-origin policy compares.
//!
//! A hand-written parser rather than the `url` crate, because
//! `static/cors-check.js` must reach the same answer for every input and a
//! dozen lines are easier to keep identical in two languages than a WHATWG
//! URL parser. It accepts only what a learner types into `fetch()`: absolute
//! `http://` and `https://` URLs.

use std::fmt;

/// The origin of an absolute http(s) URL, with the port made explicit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`, lowercase.
    pub scheme: String,
    /// Lowercase host name, IPv4 address, or IPv6 address in brackets (`[::1]`).
    pub host: String,
    /// The port, the scheme's default (80, 443) when the URL names none.
    pub port: u16,
}

/// Why a URL has no origin we can compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme://` at the start.
    MissingScheme,
    /// A scheme other than http or https.
    UnsupportedScheme(String),
    /// Nothing between `://` and the path.
    MissingHost,
    /// A port that is not a number from 0 to 65535.
    BadPort(String),
}

impl UrlError {
    /// The reason in Japanese, for a learner.
    pub fn message_ja(&self) -> String {
        match self {
            UrlError::MissingScheme => "「https://」のようなスキームがありません".to_string(),
            UrlError::UnsupportedScheme(s) => {
                format!("スキーム「{s}」は対象外です (http と https のみ)")
            }
            UrlError::MissingHost => "ホストがありません".to_string(),
            UrlError::BadPort(p) => format!("ポート「{p}」が不正です"),
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        match self {
            UrlError::MissingScheme => "it has no scheme such as \"https://\"".to_string(),
            UrlError::UnsupportedScheme(s) => {
                format!("scheme \"{s}\" is not supported (http and https only)")
            }
            UrlError::MissingHost => "it has no host".to_string(),
            UrlError::BadPort(p) => format!("port \"{p}\" is invalid"),
        }
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for UrlError {}

/// The port a scheme uses when the URL names none.
fn default_port(scheme: &str) -> u16 {
    if scheme == "https" {
        443
    } else {
        80
    }
}

impl Origin {
    /// Parses the origin of an absolute `http://` or `https://` URL.
    ///
    /// Userinfo, path, query and fragment are ignored; an empty port
    /// (`https://a:/`) means the default one, as in the URL standard.
    pub fn parse(url: &str) -> Result<Origin, UrlError> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://").ok_or(UrlError::MissingScheme)?;
        if scheme.is_empty() {
            return Err(UrlError::MissingScheme);
        }
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(UrlError::UnsupportedScheme(scheme));
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let authority = match authority.rfind('@') {
            Some(at) => &authority[at + 1..],
            None => authority,
        };
        let (host, port) = if authority.starts_with('[') {
            let close = authority.find(']').ok_or(UrlError::MissingHost)?;
            let after = &authority[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(UrlError::BadPort(after.to_string())),
            };
            (&authority[..=close], port)
        } else {
            match authority.rfind(':') {
                Some(colon) => (&authority[..colon], Some(&authority[colon + 1..])),
                None => (authority, None),
            }
        };
        let host = host.to_ascii_lowercase();
        if host.is_empty() || host == "[]" {
            return Err(UrlError::MissingHost);
        }
        let port = match port {
            None | Some("") => default_port(&scheme),
            Some(p) => parse_port(p).ok_or_else(|| UrlError::BadPort(p.to_string()))?,
        };
        Ok(Origin { scheme, host, port })
    }

    /// Whether the host is this device: `localhost`, `*.localhost`,
    /// 127.0.0.0/8 or `[::1]`, which browsers treat as potentially trustworthy.
    pub fn is_loopback(&self) -> bool {
        let h = self.host.as_str();
        if h == "localhost" || h.ends_with(".localhost") || h == "[::1]" {
            return true;
        }
        let parts: Vec<&str> = h.split('.').collect();
        parts.len() == 4
            && parts[0] == "127"
            && parts
                .iter()
                .all(|p| parse_port(p).is_some_and(|n| n <= 255))
    }
}

/// A decimal number of one to five digits that fits a port.
fn parse_port(p: &str) -> Option<u16> {
    if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

impl fmt::Display for Origin {
    /// The serialised origin a browser sends in the `Origin` header:
    /// `https://saburo.xyz`, with the port only when it is not the default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        if self.port != default_port(&self.scheme) {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ports_are_made_explicit_and_hidden_again() {
        let o = Origin::parse("HTTPS://Saburo.XYZ:443/path?q#f").unwrap();
        assert_eq!(
            (o.scheme.as_str(), o.host.as_str(), o.port),
            ("https", "saburo.xyz", 443)
        );
        assert_eq!(o.to_string(), "https://saburo.xyz");
        assert_eq!(
            Origin::parse("http://localhost:8000/").unwrap().to_string(),
            "http://localhost:8000"
        );
    }

    #[test]
    fn ipv6_and_userinfo() {
        let o = Origin::parse("http://user:pw@[::1]:8000/").unwrap();
        assert_eq!(o.host, "[::1]");
        assert_eq!(o.port, 8000);
        assert!(o.is_loopback());
        assert!(Origin::parse("http://127.1.2.3/").unwrap().is_loopback());
        assert!(!Origin::parse("http://127.example/").unwrap().is_loopback());
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            Origin::parse("api.saburo.xyz"),
            Err(UrlError::MissingScheme)
        );
        assert_eq!(
            Origin::parse("ftp://x/"),
            Err(UrlError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(Origin::parse("https:///x"), Err(UrlError::MissingHost));
        assert_eq!(
            Origin::parse("https://a:99999/"),
            Err(UrlError::BadPort("99999".into()))
        );
    }
}
