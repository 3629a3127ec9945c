//! What makes a request "simple": the Fetch standard's CORS-safelisted
//! methods and request headers, and the forbidden headers a script cannot set.

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
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if is_forbidden(&lower) {
                if !forbidden.iter().any(|f| f.eq_ignore_ascii_case(name)) {
                    forbidden.push(name.to_string());
                }
                continue;
            }
            if is_safelisted_header(&lower, value) {
                safelisted_size += value.len();
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
    let method = method.trim();
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

fn is_forbidden(lower: &str) -> bool {
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
    NAMES.contains(&lower) || lower.starts_with("proxy-") || lower.starts_with("sec-")
}

fn has_unsafe_byte(value: &str) -> bool {
    value
        .bytes()
        .any(|b| (b < 0x20 && b != 0x09) || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b))
}

fn is_safelisted_header(lower: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    match lower {
        "accept" => !has_unsafe_byte(value),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            let essence = value.split(';').next().unwrap_or("").trim();
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
