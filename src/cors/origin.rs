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
    /// A `file:` URL: the request's target, which browsers never fetch
    /// cross-origin, or the page, whose origin is opaque.
    FileScheme,
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
            UrlError::FileScheme => "file: の URL です。ブラウザは file: の URL への fetch() を拒否し (TypeError)、file: で開いたページのオリジンは「null」です。http://localhost などで配信してください".to_string(),
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
            UrlError::FileScheme => "it is a file: URL. Browsers refuse this: fetch() of a file: URL throws a TypeError, and a page opened from file: has the opaque origin \"null\". Serve it over http://localhost or similar".to_string(),
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
        let (scheme, authority) = split(url)?;
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

/// The URL parser strips leading and trailing C0 controls and spaces.
fn trim_url(url: &str) -> &str {
    url.trim_matches(|c: char| c <= ' ')
}

/// The lowercase scheme and the authority of an absolute http(s) URL.
fn split(url: &str) -> Result<(String, &str), UrlError> {
    let url = trim_url(url);
    if url.len() >= 5 && url[..5].eq_ignore_ascii_case("file:") {
        return Err(UrlError::FileScheme);
    }
    let (scheme, rest) = url.split_once("://").ok_or(UrlError::MissingScheme)?;
    if scheme.is_empty() {
        return Err(UrlError::MissingScheme);
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(UrlError::UnsupportedScheme(scheme));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Ok((scheme, &rest[..end]))
}

/// Whether an http(s) URL carries a user name or a password
/// (`https://user:pw@host/`, `https://user:@host/`, `https://:pw@host/`);
/// a bare `@` carries neither.
pub fn has_credentials(url: &str) -> bool {
    match split(url) {
        Ok((_, authority)) => authority
            .rfind('@')
            .is_some_and(|at| authority[..at].chars().any(|c| c != ':')),
        Err(_) => false,
    }
}

/// Resolves a `Location` value against the URL it came from: absolute,
/// scheme-relative (`//host/p`), path-absolute (`/p`) or relative (`p`, `?q`).
pub fn resolve(base: &str, location: &str) -> String {
    let base = trim_url(base);
    let location = trim_url(location);
    let has_scheme = location.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let root = &base[..scheme.len() + 3 + authority_end];
    if has_scheme {
        location.to_string()
    } else if location.starts_with("//") {
        format!("{scheme}:{location}")
    } else if location.starts_with('/') {
        format!("{root}{location}")
    } else {
        let path = &rest[authority_end..];
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{root}{dir}{location}")
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
    fn credentials_need_a_user_name_or_a_password() {
        for url in [
            "http://u:p@a/",
            "http://u:@a/",
            "http://:p@a/",
            "http://u@a/",
        ] {
            assert!(has_credentials(url), "{url}");
        }
        for url in [
            "http://@a/",
            "http://:@a/",
            "http://a/@x",
            "http://a/?u=a@b",
        ] {
            assert!(!has_credentials(url), "{url}");
        }
    }

    #[test]
    fn locations_resolve_against_the_current_url() {
        let base = "https://a.example/x/y?q";
        assert_eq!(resolve(base, "https://b.example/"), "https://b.example/");
        assert_eq!(resolve(base, "//c.example/z"), "https://c.example/z");
        assert_eq!(resolve(base, "/z"), "https://a.example/z");
        assert_eq!(resolve(base, "z"), "https://a.example/x/z");
        assert_eq!(resolve("https://a.example", "z"), "https://a.example/z");
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
            Origin::parse("file:///C:/a.html"),
            Err(UrlError::FileScheme)
        );
        assert_eq!(
            Origin::parse("https://a:99999/"),
            Err(UrlError::BadPort("99999".into()))
        );
    }
}
