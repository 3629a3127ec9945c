/*
 * cors-check.js: the browser's CORS decision, step by step.
 *
 * The same rules as src/cors/rules.rs (same step ids, same messages), held to
 * it by tests/data/cors-vectors.json. Plain JavaScript, no build step:
 * in a page it defines window.CorsCheck = { evaluate }, under node it is a
 * CommonJS module. Change one implementation, change the other.
 */
(function (root) {
  "use strict";

  // ---- origins -----------------------------------------------------------

  // ASCII-only lowercase, as Rust's to_ascii_lowercase (toLowerCase would
  // also fold non-ASCII letters and the two sides would disagree).
  function asciiLower(s) {
    return s.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
  }
  function asciiUpper(s) {
    return s.replace(/[a-z]/g, function (c) { return c.toUpperCase(); });
  }
  function utf8Length(s) {
    return new TextEncoder().encode(s).length;
  }

  function defaultPort(scheme) {
    return scheme === "https" ? 443 : 80;
  }

  function parsePort(p) {
    if (p.length === 0 || p.length > 5 || !/^[0-9]+$/.test(p)) return null;
    var n = parseInt(p, 10);
    return n <= 65535 ? n : null;
  }

  var URL_ERRORS = {
    missingScheme: function () {
      return ["「https://」のようなスキームがありません", "it has no scheme such as \"https://\""];
    },
    unsupportedScheme: function (s) {
      return ["スキーム「" + s + "」は対象外です (http と https のみ)",
        "scheme \"" + s + "\" is not supported (http and https only)"];
    },
    missingHost: function () {
      return ["ホストがありません", "it has no host"];
    },
    badPort: function (p) {
      return ["ポート「" + p + "」が不正です", "port \"" + p + "\" is invalid"];
    }
  };

  // Returns {origin} or {error: [ja, en]}.
  function parseOrigin(url) {
    url = url.trim();
    var sep = url.indexOf("://");
    if (sep <= 0) return { error: URL_ERRORS.missingScheme() };
    var scheme = asciiLower(url.slice(0, sep));
    if (scheme !== "http" && scheme !== "https") {
      return { error: URL_ERRORS.unsupportedScheme(scheme) };
    }
    var rest = url.slice(sep + 3);
    var end = rest.search(/[/?#]/);
    var authority = end < 0 ? rest : rest.slice(0, end);
    var at = authority.lastIndexOf("@");
    if (at >= 0) authority = authority.slice(at + 1);
    var host, port = null;
    if (authority.charAt(0) === "[") {
      var close = authority.indexOf("]");
      if (close < 0) return { error: URL_ERRORS.missingHost() };
      var after = authority.slice(close + 1);
      if (after.charAt(0) === ":") port = after.slice(1);
      else if (after !== "") return { error: URL_ERRORS.badPort(after) };
      host = authority.slice(0, close + 1);
    } else {
      var colon = authority.lastIndexOf(":");
      if (colon >= 0) {
        host = authority.slice(0, colon);
        port = authority.slice(colon + 1);
      } else {
        host = authority;
      }
    }
    host = asciiLower(host);
    if (host === "" || host === "[]") return { error: URL_ERRORS.missingHost() };
    var n;
    if (port === null || port === "") {
      n = defaultPort(scheme);
    } else {
      n = parsePort(port);
      if (n === null) return { error: URL_ERRORS.badPort(port) };
    }
    return { origin: { scheme: scheme, host: host, port: n } };
  }

  function serialize(o) {
    return o.scheme + "://" + o.host + (o.port === defaultPort(o.scheme) ? "" : ":" + o.port);
  }

  function isLoopback(o) {
    var h = o.host;
    if (h === "localhost" || /\.localhost$/.test(h) || h === "[::1]") return true;
    var parts = h.split(".");
    return parts.length === 4 && parts[0] === "127" && parts.every(function (p) {
      var n = parsePort(p);
      return n !== null && n <= 255;
    });
  }

  // ---- safelist ----------------------------------------------------------

  function normalizeMethod(m) {
    m = m.trim();
    if (m === "") return "GET";
    var upper = asciiUpper(m);
    return ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].indexOf(upper) >= 0 ? upper : m;
  }

  function isSafelistedMethod(m) {
    return m === "GET" || m === "HEAD" || m === "POST";
  }

  var FORBIDDEN = ["accept-charset", "accept-encoding", "access-control-request-headers",
    "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
    "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
    "trailer", "transfer-encoding", "upgrade", "via"];

  function isForbidden(lower) {
    return FORBIDDEN.indexOf(lower) >= 0 || lower.indexOf("proxy-") === 0 || lower.indexOf("sec-") === 0;
  }

  function hasUnsafeByte(value) {
    var bytes = new TextEncoder().encode(value);
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if ((b < 0x20 && b !== 0x09) || b === 0x7f || "\"():<>?@[\\]{}".indexOf(String.fromCharCode(b)) >= 0) {
        return true;
      }
    }
    return false;
  }

  function isSimpleRange(value) {
    var m = /^bytes=([0-9]+)-([0-9]*)$/.exec(value);
    if (!m) return false;
    if (m[2] === "") return true;
    var start = m[1].replace(/^0+/, ""), end = m[2].replace(/^0+/, "");
    if (start.length !== end.length) return start.length < end.length;
    return start <= end;
  }

  function isSafelistedHeader(lower, value) {
    if (utf8Length(value) > 128) return false;
    switch (lower) {
      case "accept":
        return !hasUnsafeByte(value);
      case "accept-language":
      case "content-language":
        return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
      case "content-type": {
        var essence = asciiLower(value.split(";")[0].trim());
        return !hasUnsafeByte(value) && ["application/x-www-form-urlencoded",
          "multipart/form-data", "text/plain"].indexOf(essence) >= 0;
      }
      case "range":
        return isSimpleRange(value);
      default:
        return false;
    }
  }

  // Mirrors RequestShape::classify: reasons are objects {kind, ...}.
  function classify(method, headers) {
    method = normalizeMethod(method);
    var reasons = [];
    if (!isSafelistedMethod(method)) reasons.push({ kind: "method", method: method });
    var unsafeNames = [], safelistedNames = [], forbidden = [], size = 0;
    headers.forEach(function (h) {
      var name = h[0].trim(), value = h[1].trim();
      if (name === "") return;
      var lower = asciiLower(name);
      if (isForbidden(lower)) {
        if (!forbidden.some(function (f) { return asciiLower(f) === lower; })) forbidden.push(name);
        return;
      }
      if (isSafelistedHeader(lower, value)) {
        size += utf8Length(value);
        safelistedNames.push(lower);
        return;
      }
      if (unsafeNames.indexOf(lower) < 0) {
        if (lower === "content-type") reasons.push({ kind: "contentType", value: value });
        else if (["accept", "accept-language", "content-language", "range"].indexOf(lower) >= 0) {
          reasons.push({ kind: "value", name: name, value: value });
        } else reasons.push({ kind: "header", name: name });
        unsafeNames.push(lower);
      }
    });
    if (size > 1024) {
      reasons.push({ kind: "tooLarge" });
      unsafeNames = unsafeNames.concat(safelistedNames);
    }
    unsafeNames.sort();
    unsafeNames = unsafeNames.filter(function (n, i) { return i === 0 || unsafeNames[i - 1] !== n; });
    return { method: method, unsafeNames: unsafeNames, reasons: reasons, forbidden: forbidden };
  }

  function reasonText(r) {
    switch (r.kind) {
      case "method":
        return ["メソッド " + r.method + " は CORS セーフリストのメソッド (GET, HEAD, POST) ではない",
          "method " + r.method + " is not a CORS-safelisted method (GET, HEAD, POST)"];
      case "header":
        return ["ヘッダー " + r.name + " はセーフリストにない", "header " + r.name + " is not safelisted"];
      case "contentType":
        return ["Content-Type: " + r.value + " はセーフリストの値 (application/x-www-form-urlencoded, multipart/form-data, text/plain) ではない",
          "Content-Type: " + r.value + " is not a safelisted value (application/x-www-form-urlencoded, multipart/form-data, text/plain)"];
      case "value":
        return ["ヘッダー " + r.name + " の値「" + r.value + "」はセーフリストの条件を満たさない",
          "the value \"" + r.value + "\" of header " + r.name + " does not meet the safelist conditions"];
      default:
        return ["セーフリストのヘッダーの値が合計 1024 バイトを超える",
          "the safelisted header values exceed 1024 bytes in total"];
    }
  }

  // ---- rules -------------------------------------------------------------

  var WHICH = {
    preflight: ["プリフライト応答", "preflight response"],
    actual: ["実際の応答", "actual response"]
  };

  function header(headers, name) {
    var lower = asciiLower(name);
    var values = headers.filter(function (h) { return asciiLower(h[0].trim()) === lower; })
      .map(function (h) { return h[1].trim(); });
    return values.length ? values.join(", ") : null;
  }

  function list(value) {
    return value.split(",").map(function (s) { return s.trim(); }).filter(function (s) { return s !== ""; });
  }

  function withDefaults(s) {
    return {
      page_url: s.page_url,
      request_url: s.request_url,
      method: s.method || "",
      request_headers: s.request_headers || [],
      credentials: s.credentials || "same-origin",
      preflight_status: s.preflight_status === undefined ? 200 : s.preflight_status,
      preflight_response: s.preflight_response || [],
      actual_response: s.actual_response || []
    };
  }

  /**
   * Decides, as a browser would, whether the page may read the response.
   * scenario: {page_url, request_url, method, request_headers: [[name, value]],
   *   credentials: "omit" | "same-origin" | "include", preflight_status,
   *   preflight_response: [[name, value]], actual_response: [[name, value]]}
   * returns {allowed, steps: [{rule, ok, message_ja, message_en}], missing_headers}
   */
  function evaluate(scenario) {
    var s = withDefaults(scenario);
    var v = { allowed: false, steps: [], missing_headers: [] };
    function push(rule, ok, ja, en) {
      v.steps.push({ rule: rule, ok: ok, message_ja: ja, message_en: en });
    }
    function need(line) {
      if (v.missing_headers.indexOf(line) < 0) v.missing_headers.push(line);
    }
    function unparsable(ja, en, url, e) {
      push("origin", false, ja + "の URL「" + url + "」を解釈できません: " + e[0],
        "Cannot parse the " + en + " URL \"" + url + "\": " + e[1]);
      return v;
    }

    var p = parseOrigin(s.page_url);
    if (p.error) return unparsable("ページ", "page", s.page_url, p.error);
    var t = parseOrigin(s.request_url);
    if (t.error) return unparsable("リクエスト先", "request", s.request_url, t.error);
    var page = p.origin, target = t.origin;
    var origin = serialize(page), targetOrigin = serialize(target);
    push("origin", true,
      "ページのオリジン (origin) は " + origin + "、リクエスト先のオリジンは " + targetOrigin + " です。オリジンはスキーム・ホスト・ポートの組です。",
      "The page's origin is " + origin + "; the request's origin is " + targetOrigin + ". An origin is scheme + host + port.");
    if (origin === targetOrigin) {
      push("same-origin", true,
        "同一オリジン (same-origin) です。CORS は関係なく、ブラウザはそのまま応答を読ませます。",
        "Same origin: CORS does not apply and the page may read the response.");
      v.allowed = true;
      return v;
    }
    push("same-origin", true,
      "オリジンが違うのでクロスオリジン (cross-origin) リクエストです。同一オリジンポリシー (same-origin policy) により、サーバーが CORS ヘッダーで許可しない限りページは応答を読めません。",
      "Different origins: a cross-origin request. Under the same-origin policy the page may read the response only if the server allows it with CORS headers.");

    // mixed content: blocked before CORS is considered
    if (page.scheme === "http") {
      push("mixed-content", true,
        "ページが http なので混在コンテンツ (mixed content) の制限はありません。",
        "The page is served over http, so mixed-content blocking does not apply.");
    } else if (target.scheme === "https") {
      push("mixed-content", true,
        "https のページから https へのリクエストなので混在コンテンツ (mixed content) ではありません。",
        "An https page requesting an https URL: no mixed content.");
    } else if (isLoopback(target)) {
      push("mixed-content", true,
        "https のページから " + targetOrigin + " への http リクエストですが、ループバック (localhost) はブラウザが「潜在的に信頼できる (potentially trustworthy)」と扱うため、混在コンテンツとしてはブロックされません。",
        "An https page requesting http URL " + targetOrigin + ": browsers treat loopback addresses as potentially trustworthy, so it is not blocked as mixed content.");
    } else {
      push("mixed-content", false,
        "https のページから " + targetOrigin + " への http リクエストは混在コンテンツ (mixed content) としてブラウザがブロックします。CORS より前の段階で止まるため、サーバーの CORS 設定では直りません。URL を https:// にしてください。",
        "An https page requesting http URL " + targetOrigin + " is blocked as mixed content before CORS is even considered; no CORS header can fix it. Use an https:// URL.");
      return v;
    }

    // localhost from a public page: the reader's own device (see rules.rs)
    if (!isLoopback(target)) {
      push("localhost", true, "リクエスト先は localhost ではありません。", "The request does not target localhost.");
    } else if (isLoopback(page)) {
      push("localhost", true,
        "ページもリクエスト先もこの端末 (localhost) 上にあります。開発中の構成としては正常です。",
        "Both the page and the request are on this device (localhost): a normal development setup.");
    } else {
      var host = target.host;
      push("localhost", false,
        "リクエスト先 " + host + " は「このページを開いている端末自身」を指します。開発者の PC では手元のサーバーが応答するため動いて見えますが、スマホや他の人の端末にはそのサーバーがないので接続に失敗します (CORS エラーではなくネットワークエラー)。公開している API の https の URL を使ってください。以降の CORS の判定は行いません。",
        host + " means \"the device that opened this page\". On the developer's PC a local server answers, so it seems to work; on a phone or anyone else's device no such server exists and the request fails (a network error, not a CORS error). Use the public https URL of your API. The CORS checks are skipped.");
      return v;
    }

    var shape = classify(s.method, s.request_headers);
    var needsPreflight = shape.reasons.length > 0;
    var credentialed = s.credentials === "include";
    var method = shape.method;

    // preflight
    (function () {
      var ok, ja, en;
      if (needsPreflight) {
        var texts = shape.reasons.map(reasonText);
        ok = s.preflight_status >= 200 && s.preflight_status <= 299;
        ja = "プリフライト (preflight) の OPTIONS リクエストが先に送られます。理由: " +
          texts.map(function (x) { return x[0]; }).join("、") + "。";
        en = "A preflight OPTIONS request is sent first, because " +
          texts.map(function (x) { return x[1]; }).join(", ") + ".";
        if (!ok) {
          ja += " しかしプリフライトの応答ステータスが " + s.preflight_status + " で、成功 (2xx, ok status) ではありません。";
          en += " But the preflight response status is " + s.preflight_status + ", not a 2xx (ok) status.";
        }
      } else {
        ok = true;
        ja = "単純リクエスト (simple request) なのでプリフライト (preflight) は送られません: メソッド " + method + " と、CORS セーフリスト (CORS-safelisted) のヘッダーだけです。";
        en = "A simple request: no preflight is sent (method " + method + " and CORS-safelisted headers only).";
      }
      if (shape.forbidden.length) {
        var names = shape.forbidden.join(", ");
        ja += " ブラウザが JavaScript からの設定を無視するヘッダー (forbidden header): " + names + "。";
        en += " Headers a script cannot set (forbidden headers) are ignored: " + names + ".";
      }
      push("preflight", ok, ja, en);
    })();

    var responses = [];
    if (needsPreflight) responses.push(["preflight", s.preflight_response]);
    responses.push(["actual", s.actual_response]);

    // Runs check(which, headers) -> [ok, ja, en] on each response a browser
    // checks and joins the outcomes into one step: ok only if all pass.
    function eachResponse(rule, check) {
      var allOk = true, ja = [], en = [];
      responses.forEach(function (r) {
        var res = check(WHICH[r[0]][0], WHICH[r[0]][1], r[1]);
        allOk = allOk && res[0];
        ja.push(res[1]);
        en.push(res[2]);
      });
      push(rule, allOk, ja.join(" "), en.join(" "));
      return allOk;
    }

    // allow-origin
    (function () {
      var allOk = eachResponse("allow-origin", function (lj, le, headers) {
        var value = header(headers, "Access-Control-Allow-Origin");
        var ok, j, e;
        if (value === null) {
          ok = false;
          j = lj + "に Access-Control-Allow-Origin がありません。サーバーが許可していないので、ブラウザは応答をページに渡しません (コンソールに CORS エラー)。";
          e = "The " + le + " has no Access-Control-Allow-Origin: the server did not allow this origin, so the browser withholds the response (CORS error in the console).";
        } else if (value === "*" && !credentialed) {
          ok = true;
          j = lj + "の Access-Control-Allow-Origin: * は資格情報なし (credentials なし) のリクエストを許可します。";
          e = "The " + le + " has Access-Control-Allow-Origin: *, which allows requests without credentials.";
        } else if (value === "*") {
          ok = false;
          j = lj + "は Access-Control-Allow-Origin: * ですが、資格情報付き (credentials: include) のリクエストには * は使えません。オリジン " + origin + " をそのまま返す必要があります。";
          e = "The " + le + " has Access-Control-Allow-Origin: *, but * is not allowed for a request with credentials (credentials: include); it must echo " + origin + ".";
        } else if (value === origin) {
          ok = true;
          j = lj + "の Access-Control-Allow-Origin が " + origin + " と一致します。";
          e = "The " + le + "'s Access-Control-Allow-Origin matches " + origin + ".";
        } else {
          ok = false;
          j = lj + "の Access-Control-Allow-Origin「" + value + "」が " + origin + " と一致しません (完全一致が必要)。";
          e = "The " + le + "'s Access-Control-Allow-Origin \"" + value + "\" does not match " + origin + " (it must match exactly).";
          if (value === origin + "/") {
            j += " 末尾の「/」が余分です。";
            e += " The trailing \"/\" is extra.";
          }
          if (value.indexOf(",") >= 0) {
            j += " 値は 1 つだけにしてください。";
            e += " Send exactly one value.";
          }
        }
        return [ok, j, e];
      });
      if (!allOk) need("Access-Control-Allow-Origin: " + origin);
    })();

    // allow-credentials
    if (credentialed) {
      (function () {
        var allOk = eachResponse("allow-credentials", function (lj, le, headers) {
          var value = header(headers, "Access-Control-Allow-Credentials");
          var ok = value === "true", j, e;
          if (ok) {
            j = lj + "に Access-Control-Allow-Credentials: true があります。";
            e = "The " + le + " has Access-Control-Allow-Credentials: true.";
          } else if (value === null) {
            j = lj + "に Access-Control-Allow-Credentials: true がありません。資格情報付き (credentials: include) のリクエストでは必須です。";
            e = "The " + le + " lacks Access-Control-Allow-Credentials: true, which a request with credentials (credentials: include) requires.";
          } else {
            j = lj + "の Access-Control-Allow-Credentials が「" + value + "」です。小文字の true だけが有効です。";
            e = "The " + le + "'s Access-Control-Allow-Credentials is \"" + value + "\"; only lowercase true counts.";
          }
          return [ok, j, e];
        });
        if (!allOk) need("Access-Control-Allow-Credentials: true");
      })();
    }

    if (needsPreflight) {
      // allow-methods
      (function () {
        var value = header(s.preflight_response, "Access-Control-Allow-Methods");
        var listed = value === null ? [] : list(value);
        var ok, ja, en;
        if (isSafelistedMethod(method)) {
          ok = true;
          ja = "メソッド " + method + " は CORS セーフリストのメソッドなので、Access-Control-Allow-Methods に書かれていなくても許可されます。";
          en = "Method " + method + " is CORS-safelisted, so it is allowed even if Access-Control-Allow-Methods does not list it.";
        } else if (listed.indexOf(method) >= 0) {
          ok = true;
          ja = "プリフライト応答の Access-Control-Allow-Methods に " + method + " が含まれています。";
          en = "The preflight response's Access-Control-Allow-Methods lists " + method + ".";
        } else if (listed.indexOf("*") >= 0 && !credentialed) {
          ok = true;
          ja = "プリフライト応答の Access-Control-Allow-Methods: * はすべてのメソッドを許可します (資格情報なしの場合)。";
          en = "The preflight response's Access-Control-Allow-Methods: * allows every method (without credentials).";
        } else if (listed.indexOf("*") >= 0) {
          ok = false;
          ja = "Access-Control-Allow-Methods: * は資格情報付きのリクエストでは「*」という名前のメソッドとして扱われ、" + method + " を許可しません。" + method + " を明示してください。";
          en = "With credentials, Access-Control-Allow-Methods: * is read as a method literally named \"*\" and does not allow " + method + "; list " + method + " explicitly.";
        } else if (value !== null) {
          ok = false;
          ja = "プリフライト応答の Access-Control-Allow-Methods「" + value + "」に " + method + " が含まれていません (大文字・小文字も区別されます)。";
          en = "The preflight response's Access-Control-Allow-Methods \"" + value + "\" does not include " + method + " (method names are case-sensitive).";
        } else {
          ok = false;
          ja = "プリフライト応答に Access-Control-Allow-Methods がありません。" + method + " を許可するには必要です。";
          en = "The preflight response has no Access-Control-Allow-Methods; it is needed to allow " + method + ".";
        }
        push("allow-methods", ok, ja, en);
        if (!ok) need("Access-Control-Allow-Methods: " + method);
      })();

      // allow-headers: * is a wildcard only without credentials, never for Authorization
      (function () {
        var value = header(s.preflight_response, "Access-Control-Allow-Headers");
        var listed = value === null ? [] : list(value);
        var star = listed.indexOf("*") >= 0;
        var uncovered = shape.unsafeNames.filter(function (name) {
          var named = listed.some(function (l) { return asciiLower(l) === name; });
          return !named && !(star && !credentialed && name !== "authorization");
        });
        var names = shape.unsafeNames.join(", ");
        var ok, ja, en;
        if (shape.unsafeNames.length === 0) {
          ok = true;
          ja = "セーフリスト外のリクエストヘッダーはないので、Access-Control-Allow-Headers は不要です。";
          en = "No non-safelisted request headers, so Access-Control-Allow-Headers is not needed.";
        } else if (uncovered.length === 0) {
          ok = true;
          ja = "プリフライト応答の Access-Control-Allow-Headers が " + names + " を許可しています。";
          en = "The preflight response's Access-Control-Allow-Headers allows " + names + ".";
        } else {
          ok = false;
          var missing = uncovered.join(", ");
          if (value !== null) {
            ja = "プリフライト応答の Access-Control-Allow-Headers に " + missing + " が含まれていません。";
            en = "The preflight response's Access-Control-Allow-Headers does not include " + missing + ".";
          } else {
            ja = "プリフライト応答に Access-Control-Allow-Headers がありません。" + missing + " を許可するには必要です。";
            en = "The preflight response has no Access-Control-Allow-Headers; it is needed to allow " + missing + ".";
          }
          if (star && credentialed) {
            ja += " 資格情報付きのリクエストでは * はワイルドカードになりません。";
            en += " With credentials, * is not a wildcard.";
          } else if (star) {
            ja += " Authorization は * ではカバーされず、名前を書く必要があります。";
            en += " Authorization is never covered by *; it must be named.";
          }
        }
        push("allow-headers", ok, ja, en);
        if (!ok) need("Access-Control-Allow-Headers: " + names);
      })();
    }

    v.allowed = v.steps.every(function (st) { return st.ok; });
    return v;
  }

  var api = { evaluate: evaluate };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof window === "object") window.CorsCheck = api;
})(this);
