//! What makes a request "simple": the Fetch standard's CORS-safelisted
//! methods and request headers, the forbidden headers a script cannot set,
//! and the arguments `fetch()` refuses outright with a TypeError.
//! `static/cors-safelist.js` is its twin.

/// Why a browser sends a preflight before this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreflightReason {
    /// The method is not GET, HEAD or POST.
    Method(String),
    /// A header whose name is not on the safelist (as the script wrote it).
    Header(String),
    /// `Content-Type` with a value other than the three form types.
    ContentType(String),
    /// A safelisted name whose value breaks the safelist's conditions.
    Value { name: String, value: String },
    /// The safelisted values add up to more than 1024 bytes.
    TooLarge,
}

/// A request as the browser sees it before sending: normalised method,
/// the names that need the server's permission, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestShape {
    /// The method after the browser's normalisation (`put` → `PUT`).
    pub method: String,
    /// The CORS-unsafe request-header names: lowercase, sorted, no repeats,
    /// exactly what goes into `Access-Control-Request-Headers`.
    pub unsafe_names: Vec<String>,
    /// Why a preflight is needed; empty for a simple request.
    pub reasons: Vec<PreflightReason>,
    /// Headers the browser drops because scripts may not set them, as written.
    pub forbidden: Vec<String>,
}

impl RequestShape {
    /// Whether the browser sends an OPTIONS preflight first.
    pub fn needs_preflight(&self) -> bool {
        !self.reasons.is_empty()
    }

    /// Classifies a request the way `fetch()` does before sending it.
    pub fn classify(method: &str, headers: &[(String, String)]) -> RequestShape {
        let method = normalize_method(method);
        let mut reasons = Vec::new();
        if !is_safelisted_method(&method) {
            reasons.push(PreflightReason::Method(method.clone()));
        }
        let mut unsafe_names: Vec<String> = Vec::new();
        let mut safelisted_names: Vec<String> = Vec::new();
        let mut forbidden: Vec<String> = Vec::new();
        let mut safelisted_size = 0;
        for (name, value) in headers {
            // `Headers` normalises values: HTTP whitespace only, so a
            // trailing NBSP or U+3000 stays part of the value.
            let (name, value) = (name.as_str(), trim_http(value));
            if name.is_empty() {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if is_forbidden(&lower, value) {
                if !forbidden.iter().any(|f| f.eq_ignore_ascii_case(name)) {
                    forbidden.push(name.to_string());
                }
                continue;
            }
            if is_safelisted_header(&lower, value) {
                safelisted_size += byte_len(value);
                safelisted_names.push(lower);
                continue;
            }
            if !unsafe_names.contains(&lower) {
                reasons.push(match lower.as_str() {
                    "content-type" => PreflightReason::ContentType(value.to_string()),
                    "accept" | "accept-language" | "content-language" | "range" => {
                        PreflightReason::Value {
                            name: name.to_string(),
                            value: value.to_string(),
                        }
                    }
                    _ => PreflightReason::Header(name.to_string()),
                });
                unsafe_names.push(lower);
            }
        }
        // Fetch caps the safelist's total: past 1024 bytes every
        // safelisted header needs permission too.
        if safelisted_size > 1024 {
            reasons.push(PreflightReason::TooLarge);
            unsafe_names.extend(safelisted_names);
        }
        unsafe_names.sort();
        unsafe_names.dedup();
        RequestShape {
            method,
            unsafe_names,
            reasons,
            forbidden,
        }
    }
}

/// `fetch()` uppercases the six standard methods and leaves others as
/// written, so `patch` stays `patch` (and then matches no `PATCH` listed
/// by the server).
pub fn normalize_method(method: &str) -> String {
    if method.is_empty() {
        return "GET".to_string();
    }
    let upper = method.to_ascii_uppercase();
    match upper.as_str() {
        "DELETE" | "GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" => upper,
        _ => method.to_string(),
    }
}

/// GET, HEAD and POST never need a preflight on their own.
pub fn is_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// HTTP whitespace: what Fetch strips from header values. Not Unicode
/// whitespace: NBSP, U+3000 and U+FEFF are part of a value.
pub fn is_http_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// A value with leading and trailing HTTP whitespace removed.
pub fn trim_http(value: &str) -> &str {
    value.trim_matches(is_http_whitespace)
}

/// An HTTP token: a method or a header name.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// CONNECT, TRACE and TRACK, in any case: `fetch()` refuses them.
pub fn is_forbidden_method(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// A header value's length in bytes: `Headers` holds byte strings, one byte
/// per character (values past U+00FF are refused before this is asked).
fn byte_len(value: &str) -> usize {
    value.chars().count()
}

/// Why `fetch()` throws a TypeError before sending anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The method is not an HTTP token (`GE T`).
    BadMethod(String),
    /// CONNECT, TRACE or TRACK.
    ForbiddenMethod(String),
    /// A header name that is not an HTTP token (`Bad Name`).
    BadHeaderName(String),
    /// A header value with NUL, CR or LF inside, or a character past
    /// U+00FF (header values are byte strings).
    BadHeaderValue { name: String, value: String },
}

/// Refuses what `fetch()` refuses: a method that is not a token or is
/// forbidden, a header name that is not a token, a header value holding
/// NUL, CR or LF (after trimming) or a character `ByteString` cannot hold.
/// Other control bytes are fine: `fetch()` sends them.
pub fn refusal(method: &str, headers: &[(String, String)]) -> Option<Refusal> {
    if !method.is_empty() && !is_token(method) {
        return Some(Refusal::BadMethod(method.to_string()));
    }
    if is_forbidden_method(method) {
        return Some(Refusal::ForbiddenMethod(method.to_string()));
    }
    for (name, value) in headers {
        if !is_token(name) {
            return Some(Refusal::BadHeaderName(name.clone()));
        }
        let bad = |c: char| matches!(c, '\0' | '\r' | '\n') || c > '\u{ff}';
        if trim_http(value).contains(bad) {
            return Some(Refusal::BadHeaderValue {
                name: name.clone(),
                value: value.clone(),
            });
        }
    }
    None
}

/// Fetch's "get, decode, and split": commas outside double quotes split
/// items, quotes stay in the item, tabs and spaces around items go.
pub fn split_list(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                items.push(value[start..i].trim_matches([' ', '\t']));
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(value[start..].trim_matches([' ', '\t']));
    items
}

/// The method-override headers name a method a server may act on instead
/// of the real one; naming a forbidden one makes the header forbidden.
fn overrides_to_forbidden_method(lower: &str, value: &str) -> bool {
    matches!(
        lower,
        "x-http-method" | "x-http-method-override" | "x-method-override"
    ) && split_list(value).into_iter().any(is_forbidden_method)
}

fn is_forbidden(lower: &str, value: &str) -> bool {
    const NAMES: &[&str] = &[
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    NAMES.contains(&lower)
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
        || overrides_to_forbidden_method(lower, value)
}

fn has_unsafe_byte(value: &str) -> bool {
    value
        .bytes()
        .any(|b| (b < 0x20 && b != 0x09) || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b))
}

fn is_safelisted_header(lower: &str, value: &str) -> bool {
    if byte_len(value) > 128 {
        return false;
    }
    match lower {
        "accept" => !has_unsafe_byte(value),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            let essence = trim_http(value.split(';').next().unwrap_or(""));
            !has_unsafe_byte(value)
                && matches!(
                    essence.to_ascii_lowercase().as_str(),
                    "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                )
        }
        "range" => is_simple_range(value),
        _ => false,
    }
}

/// `bytes=START-` or `bytes=START-END` with START ≤ END: one range only.
fn is_simple_range(value: &str) -> bool {
    let Some(range) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = range.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !(end.is_empty() || digits(end)) {
        return false;
    }
    if end.is_empty() {
        return true;
    }
    // Compare as digit strings: a value may be longer than any integer type.
    let (start, end) = (start.trim_start_matches('0'), end.trim_start_matches('0'));
    (start.len(), start) <= (end.len(), end)
}
