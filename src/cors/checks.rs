//! The checks a browser makes on the responses of one hop: the preflight's
//! status, `Access-Control-Allow-Origin` and `-Credentials` on every
//! response, and the preflight's `-Allow-Methods` and `-Allow-Headers`.
//!
//! `static/cors-checks.js` has the same checks with the same words.

use super::rules::Verdict;
use super::safelist::{is_safelisted_method, is_token, trim_http, PreflightReason, RequestShape};

pub type Headers = [(String, String)];

/// Which response a check reads.
#[derive(Clone, Copy)]
pub enum Which {
    Preflight,
    /// The n-th redirect (from 1) and its status.
    Redirect(usize, u16),
    Actual,
}

impl Which {
    fn ja(self) -> String {
        match self {
            Which::Preflight => "プリフライト応答".to_string(),
            Which::Redirect(n, status) => format!("リダイレクト応答 {n} ({status})"),
            Which::Actual => "実際の応答".to_string(),
        }
    }
    fn en(self) -> String {
        match self {
            Which::Preflight => "preflight response".to_string(),
            Which::Redirect(n, status) => format!("redirect response {n} ({status})"),
            Which::Actual => "actual response".to_string(),
        }
    }
}

/// All values of a response header (case-insensitive name), joined with
/// ", " as Fetch combines repeated headers, and how many lines it had;
/// `None` when absent. Values lose HTTP whitespace only (space, tab, CR,
/// LF): a trailing NBSP or U+3000 stays and spoils a match.
pub fn header(headers: &Headers, name: &str) -> Option<(String, usize)> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| trim_http(n).eq_ignore_ascii_case(name))
        .map(|(_, v)| trim_http(v))
        .collect();
    (!values.is_empty()).then(|| (values.join(", "), values.len()))
}

/// Spaces people paste that HTTP does not trim (NBSP, U+3000, U+FEFF, ...).
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200b}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Fetch's "extract header list values" for `#token` headers: empty items
/// are skipped, and one item that is not a token fails the whole list.
fn tokens(value: &str) -> Result<Vec<&str>, &str> {
    let mut items = Vec::new();
    for item in value.split(',').map(|s| s.trim_matches([' ', '\t'])) {
        if item.is_empty() {
            continue;
        }
        if !is_token(item) {
            return Err(item);
        }
        items.push(item);
    }
    Ok(items)
}

/// The preflight step: is a preflight sent, and did it answer 2xx?
pub fn preflight(v: &mut Verdict, shape: &RequestShape, status: u16) {
    let method = &shape.method;
    let (ok, mut ja, mut en) = if shape.needs_preflight() {
        let (ja, en): (Vec<String>, Vec<String>) = shape.reasons.iter().map(reason).unzip();
        (
            (200..=299).contains(&status),
            format!(
                "プリフライト (preflight) の OPTIONS リクエストが先に送られます。理由: {}。",
                ja.join("、")
            ),
            format!(
                "A preflight OPTIONS request is sent first, because {}.",
                en.join(", ")
            ),
        )
    } else {
        (
            true,
            format!("単純リクエスト (simple request) なのでプリフライト (preflight) は送られません: メソッド {method} と、CORS セーフリスト (CORS-safelisted) のヘッダーだけです。"),
            format!("A simple request: no preflight is sent (method {method} and CORS-safelisted headers only)."),
        )
    };
    if !ok {
        ja += &format!(" しかしプリフライトの応答ステータスが {status} で、成功 (2xx, ok status) ではありません。");
        en += &format!(" But the preflight response status is {status}, not a 2xx (ok) status.");
        if (300..=399).contains(&status) {
            ja += " プリフライトの応答はリダイレクトできません。ブラウザは Location を追わず、ネットワークエラーにします。";
            en += " A preflight may not redirect: browsers never follow its Location and fail with a network error.";
        }
    }
    if !shape.forbidden.is_empty() {
        let names = shape.forbidden.join(", ");
        ja += &format!(
            " ブラウザが JavaScript からの設定を無視するヘッダー (forbidden header): {names}。"
        );
        en += &format!(" Headers a script cannot set (forbidden headers) are ignored: {names}.");
    }
    v.push("preflight", ok, ja, en);
}

fn reason(r: &PreflightReason) -> (String, String) {
    match r {
        PreflightReason::Method(m) => (
            format!("メソッド {m} は CORS セーフリストのメソッド (GET, HEAD, POST) ではない"),
            format!("method {m} is not a CORS-safelisted method (GET, HEAD, POST)"),
        ),
        PreflightReason::Header(name) => (
            format!("ヘッダー {name} はセーフリストにない"),
            format!("header {name} is not safelisted"),
        ),
        PreflightReason::ContentType(value) => (
            format!("Content-Type: {value} はセーフリストの値 (application/x-www-form-urlencoded, multipart/form-data, text/plain) ではない"),
            format!("Content-Type: {value} is not a safelisted value (application/x-www-form-urlencoded, multipart/form-data, text/plain)"),
        ),
        PreflightReason::Value { name, value } => (
            format!("ヘッダー {name} の値「{value}」はセーフリストの条件を満たさない"),
            format!("the value \"{value}\" of header {name} does not meet the safelist conditions"),
        ),
        PreflightReason::TooLarge => (
            "セーフリストのヘッダーの値が合計 1024 バイトを超える".to_string(),
            "the safelisted header values exceed 1024 bytes in total".to_string(),
        ),
    }
}

/// Runs `check` on each response a browser checks and joins the outcomes
/// into one step: ok only if every response passes.
fn each_response(
    v: &mut Verdict,
    rule: &'static str,
    responses: &[(Which, &Headers)],
    check: impl Fn(&str, &str, &Headers) -> (bool, String, String),
) -> bool {
    let (mut all_ok, mut ja, mut en) = (true, Vec::new(), Vec::new());
    for &(which, headers) in responses {
        let (ok, j, e) = check(&which.ja(), &which.en(), headers);
        all_ok &= ok;
        ja.push(j);
        en.push(e);
    }
    v.push(rule, all_ok, ja.join(" "), en.join(" "));
    all_ok
}

/// The CORS check's first half: `Access-Control-Allow-Origin` must be the
/// request's serialised origin (`null` once a redirect tainted it), or `*`
/// without credentials.
pub fn allow_origin(
    v: &mut Verdict,
    origin: &str,
    credentialed: bool,
    responses: &[(Which, &Headers)],
) {
    let all_ok = each_response(v, "allow-origin", responses, |l_ja, l_en, headers| {
        match header(headers, "Access-Control-Allow-Origin") {
            None => (
                false,
                format!("{l_ja}に Access-Control-Allow-Origin がありません。サーバーが許可していないので、ブラウザは応答をページに渡しません (コンソールに CORS エラー)。"),
                format!("The {l_en} has no Access-Control-Allow-Origin: the server did not allow this origin, so the browser withholds the response (CORS error in the console)."),
            ),
            Some((value, 1)) if value == "*" && !credentialed => (
                true,
                format!("{l_ja}の Access-Control-Allow-Origin: * は資格情報なし (credentials なし) のリクエストを許可します。"),
                format!("The {l_en} has Access-Control-Allow-Origin: *, which allows requests without credentials."),
            ),
            Some((value, 1)) if value == "*" => (
                false,
                format!("{l_ja}は Access-Control-Allow-Origin: * ですが、資格情報付き (credentials: include) のリクエストには * は使えません。オリジン {origin} をそのまま返す必要があります。"),
                format!("The {l_en} has Access-Control-Allow-Origin: *, but * is not allowed for a request with credentials (credentials: include); it must echo {origin}."),
            ),
            Some((value, 1)) if value == origin => (
                true,
                format!("{l_ja}の Access-Control-Allow-Origin が {origin} と一致します。"),
                format!("The {l_en}'s Access-Control-Allow-Origin matches {origin}."),
            ),
            Some((value, count)) => {
                let mut j = format!("{l_ja}の Access-Control-Allow-Origin「{value}」が {origin} と一致しません (完全一致が必要)。");
                let mut e = format!("The {l_en}'s Access-Control-Allow-Origin \"{value}\" does not match {origin} (it must match exactly).");
                if count > 1 {
                    j += &format!(" このヘッダーが {count} 行あります (重複)。ブラウザは「, 」でつないだ 1 つの値として読みます。1 行だけ返してください。");
                    e += &format!(" The header is sent {count} times (duplicate): browsers join the lines with \", \" into one value. Send it once.");
                } else if value.contains(',') {
                    j += " 値は 1 つだけにしてください。";
                    e += " Send exactly one value.";
                }
                if value.strip_suffix('/') == Some(origin) {
                    j += " 末尾の「/」が余分です。";
                    e += " The trailing \"/\" is extra.";
                }
                if value.starts_with(is_unicode_space) || value.ends_with(is_unicode_space) {
                    j += " 前後に HTTP の空白 (スペース・タブ) ではない空白文字 (NBSP、全角スペースなど) があります。";
                    e += " It starts or ends with a space that is not HTTP whitespace (NBSP, U+3000 ideographic space, ...).";
                }
                (false, j, e)
            }
        }
    });
    if !all_ok {
        v.need(format!("Access-Control-Allow-Origin: {origin}"));
    }
}

/// The CORS check's second half, with credentials: exactly `true`, once.
pub fn allow_credentials(v: &mut Verdict, responses: &[(Which, &Headers)]) {
    let all_ok = each_response(v, "allow-credentials", responses, |l_ja, l_en, headers| {
        match header(headers, "Access-Control-Allow-Credentials") {
            Some((value, 1)) if value == "true" => (
                true,
                format!("{l_ja}に Access-Control-Allow-Credentials: true があります。"),
                format!("The {l_en} has Access-Control-Allow-Credentials: true."),
            ),
            None => (
                false,
                format!("{l_ja}に Access-Control-Allow-Credentials: true がありません。資格情報付き (credentials: include) のリクエストでは必須です。"),
                format!("The {l_en} lacks Access-Control-Allow-Credentials: true, which a request with credentials (credentials: include) requires."),
            ),
            Some((value, count)) if count > 1 => (
                false,
                format!("{l_ja}に Access-Control-Allow-Credentials が {count} 行あります (重複)。ブラウザは「{value}」という 1 つの値として読み、true とは一致しません。1 行だけ返してください。"),
                format!("The {l_en} sends Access-Control-Allow-Credentials {count} times (duplicate): browsers read the combined value \"{value}\", which is not true. Send it once."),
            ),
            Some((value, _)) => (
                false,
                format!("{l_ja}の Access-Control-Allow-Credentials が「{value}」です。小文字の true だけが有効です。"),
                format!("The {l_en}'s Access-Control-Allow-Credentials is \"{value}\"; only lowercase true counts."),
            ),
        }
    });
    if !all_ok {
        v.need("Access-Control-Allow-Credentials: true".to_string());
    }
}

/// The step for a list header whose value is not a list of tokens: the
/// whole preflight fails, whatever the valid items allow.
fn malformed(v: &mut Verdict, rule: &'static str, name: &str, value: &str, item: &str) {
    v.push(
        rule,
        false,
        format!("プリフライト応答の {name}「{value}」は、トークンのカンマ区切りリストではありません (「{item}」が不正)。1 つでも不正な項目があると、ほかの項目に関係なくプリフライト全体が失敗します。"),
        format!("The preflight response's {name} \"{value}\" is not a comma-separated list of tokens (\"{item}\" is not one). One invalid item fails the whole preflight, whatever the other items allow."),
    );
}

pub fn allow_methods(v: &mut Verdict, method: &str, credentialed: bool, preflight: &Headers) {
    let name = "Access-Control-Allow-Methods";
    let value = header(preflight, name).map(|(value, _)| value);
    let listed = match value.as_deref().map(tokens).transpose() {
        Ok(listed) => listed.unwrap_or_default(),
        Err(item) => {
            malformed(
                v,
                "allow-methods",
                name,
                value.as_deref().unwrap_or(""),
                item,
            );
            v.need(format!("{name}: {method}"));
            return;
        }
    };
    let (ok, ja, en) = if is_safelisted_method(method) {
        (
            true,
            format!("メソッド {method} は CORS セーフリストのメソッドなので、Access-Control-Allow-Methods に書かれていなくても許可されます。"),
            format!("Method {method} is CORS-safelisted, so it is allowed even if Access-Control-Allow-Methods does not list it."),
        )
    } else if listed.contains(&method) {
        (
            true,
            format!(
                "プリフライト応答の Access-Control-Allow-Methods に {method} が含まれています。"
            ),
            format!("The preflight response's Access-Control-Allow-Methods lists {method}."),
        )
    } else if listed.contains(&"*") && !credentialed {
        (
            true,
            "プリフライト応答の Access-Control-Allow-Methods: * はすべてのメソッドを許可します (資格情報なしの場合)。".to_string(),
            "The preflight response's Access-Control-Allow-Methods: * allows every method (without credentials).".to_string(),
        )
    } else if listed.contains(&"*") {
        (
            false,
            format!("Access-Control-Allow-Methods: * は資格情報付きのリクエストでは「*」という名前のメソッドとして扱われ、{method} を許可しません。{method} を明示してください。"),
            format!("With credentials, Access-Control-Allow-Methods: * is read as a method literally named \"*\" and does not allow {method}; list {method} explicitly."),
        )
    } else if let Some(value) = &value {
        (
            false,
            format!("プリフライト応答の Access-Control-Allow-Methods「{value}」に {method} が含まれていません (大文字・小文字も区別されます)。"),
            format!("The preflight response's Access-Control-Allow-Methods \"{value}\" does not include {method} (method names are case-sensitive)."),
        )
    } else {
        (
            false,
            format!("プリフライト応答に Access-Control-Allow-Methods がありません。{method} を許可するには必要です。"),
            format!("The preflight response has no Access-Control-Allow-Methods; it is needed to allow {method}."),
        )
    };
    v.push("allow-methods", ok, ja, en);
    if !ok {
        v.need(format!("{name}: {method}"));
    }
}

pub fn allow_headers(
    v: &mut Verdict,
    unsafe_names: &[String],
    credentialed: bool,
    preflight: &Headers,
) {
    let name = "Access-Control-Allow-Headers";
    let names = unsafe_names.join(", ");
    let value = header(preflight, name).map(|(value, _)| value);
    let listed = match value.as_deref().map(tokens).transpose() {
        Ok(listed) => listed.unwrap_or_default(),
        Err(item) => {
            malformed(
                v,
                "allow-headers",
                name,
                value.as_deref().unwrap_or(""),
                item,
            );
            if !names.is_empty() {
                v.need(format!("{name}: {names}"));
            }
            return;
        }
    };
    let star = listed.contains(&"*");
    // `*` is a wildcard only without credentials, and never covers
    // Authorization: a server must name that one on purpose.
    let uncovered: Vec<&str> = unsafe_names
        .iter()
        .map(String::as_str)
        .filter(|name| {
            let named = listed.iter().any(|l| l.eq_ignore_ascii_case(name));
            let wildcard = star && !credentialed && *name != "authorization";
            !(named || wildcard)
        })
        .collect();
    let (ok, ja, en) = if unsafe_names.is_empty() {
        (
            true,
            "セーフリスト外のリクエストヘッダーはないので、Access-Control-Allow-Headers は不要です。".to_string(),
            "No non-safelisted request headers, so Access-Control-Allow-Headers is not needed.".to_string(),
        )
    } else if uncovered.is_empty() {
        (
            true,
            format!(
                "プリフライト応答の Access-Control-Allow-Headers が {names} を許可しています。"
            ),
            format!("The preflight response's Access-Control-Allow-Headers allows {names}."),
        )
    } else {
        let missing = uncovered.join(", ");
        let (mut ja, mut en) = if value.is_some() {
            (
                format!("プリフライト応答の Access-Control-Allow-Headers に {missing} が含まれていません。"),
                format!("The preflight response's Access-Control-Allow-Headers does not include {missing}."),
            )
        } else {
            (
                format!("プリフライト応答に Access-Control-Allow-Headers がありません。{missing} を許可するには必要です。"),
                format!("The preflight response has no Access-Control-Allow-Headers; it is needed to allow {missing}."),
            )
        };
        if star && credentialed {
            ja += " 資格情報付きのリクエストでは * はワイルドカードになりません。";
            en += " With credentials, * is not a wildcard.";
        } else if star {
            ja += " Authorization は * ではカバーされず、名前を書く必要があります。";
            en += " Authorization is never covered by *; it must be named.";
        }
        (false, ja, en)
    };
    v.push("allow-headers", ok, ja, en);
    if !ok {
        v.need(format!("{name}: {names}"));
    }
}
