/*
 * cors-check.js: the browser's CORS decision, step by step.
 *
 * The same rules as src/cors/rules.rs and origin.rs (same step ids, same
 * messages), held to them by tests/data/cors-vectors.json; the safelist and
 * the response checks are in cors-safelist.js and cors-checks.js, loaded
 * first. Plain JavaScript, no build step: in a page it defines
 * window.CorsCheck = { evaluate }, under node it is a CommonJS module.
 * Change one implementation, change the other.
 */
(function (root, factory) {
  var node = typeof module === "object" && module.exports;
  var api = node ? factory(require("./cors-safelist.js"), require("./cors-checks.js")) : factory(root.CorsSafelist, root.CorsChecks);
  if (node) module.exports = api;
  if (typeof window === "object") window.CorsCheck = api;
})(this, function (S, C) {
  "use strict";

  var asciiLower = S.asciiLower, normalizeMethod = S.normalizeMethod;
  var classify = S.classify, refusal = S.refusal;
  var preflightStep = C.preflightStep, allowOrigin = C.allowOrigin;
  var allowCredentials = C.allowCredentials, allowMethods = C.allowMethods, allowHeaders = C.allowHeaders;

  // ---- origins (src/cors/origin.rs) ---------------------------------------

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
    },
    fileScheme: function () {
      return ["file: の URL です。ブラウザは file: の URL への fetch() を拒否し (TypeError)、file: で開いたページのオリジンは「null」です。http://localhost などで配信してください",
        "it is a file: URL. Browsers refuse this: fetch() of a file: URL throws a TypeError, and a page opened from file: has the opaque origin \"null\". Serve it over http://localhost or similar"];
    }
  };

  // The URL parser strips leading and trailing C0 controls and spaces.
  function trimUrl(url) {
    return url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  }

  // Returns {scheme, authority} or {error: [ja, en]} (see origin.rs split).
  function splitUrl(url) {
    url = trimUrl(url);
    if (/^file:/i.test(url)) return { error: URL_ERRORS.fileScheme() };
    var sep = url.indexOf("://");
    if (sep <= 0) return { error: URL_ERRORS.missingScheme() };
    var scheme = asciiLower(url.slice(0, sep));
    if (scheme !== "http" && scheme !== "https") {
      return { error: URL_ERRORS.unsupportedScheme(scheme) };
    }
    var rest = url.slice(sep + 3);
    var end = rest.search(/[/?#]/);
    return { scheme: scheme, authority: end < 0 ? rest : rest.slice(0, end) };
  }

  function hasCredentials(url) {
    var u = splitUrl(url);
    if (u.error) return false;
    var at = u.authority.lastIndexOf("@");
    return at >= 0 && /[^:]/.test(u.authority.slice(0, at));
  }

  // Resolves a Location value against the URL it came from (see origin.rs).
  function resolve(base, location) {
    base = trimUrl(base);
    location = trimUrl(location);
    var colon = location.indexOf(":");
    var hasScheme = colon > 0 && /^[A-Za-z][A-Za-z0-9+.\-]*$/.test(location.slice(0, colon));
    var sep = base.indexOf("://");
    var scheme = sep >= 0 ? base.slice(0, sep) : "";
    var rest = sep >= 0 ? base.slice(sep + 3) : base;
    var authEnd = rest.search(/[/?#]/);
    if (authEnd < 0) authEnd = rest.length;
    var root = base.slice(0, scheme.length + 3 + authEnd);
    if (hasScheme) return location;
    if (location.indexOf("//") === 0) return scheme + ":" + location;
    if (location.charAt(0) === "/") return root + location;
    var path = rest.slice(authEnd);
    var q = path.search(/[?#]/);
    if (q >= 0) path = path.slice(0, q);
    var dir = path.slice(0, path.lastIndexOf("/") + 1);
    return root + (dir === "" ? "/" : dir) + location;
  }

  // Returns {origin} or {error: [ja, en]}.
  function parseOrigin(url) {
    var u = splitUrl(url);
    if (u.error) return u;
    var scheme = u.scheme, authority = u.authority;
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

  // ---- rules (src/cors/rules.rs) -----------------------------------------

  var MAX_REDIRECTS = 20;

  function withDefaults(s) {
    return {
      page_url: s.page_url,
      request_url: s.request_url,
      method: s.method || "",
      request_headers: s.request_headers || [],
      credentials: s.credentials || "same-origin",
      preflight_status: s.preflight_status === undefined ? 200 : s.preflight_status,
      preflight_response: s.preflight_response || [],
      actual_response: s.actual_response || [],
      redirects: (s.redirects || []).map(function (r) {
        return {
          status: r.status,
          location: r.location,
          response: r.response || [],
          preflight_status: r.preflight_status === undefined || r.preflight_status === null ? null : r.preflight_status,
          preflight_response: r.preflight_response === undefined || r.preflight_response === null ? null : r.preflight_response
        };
      })
    };
  }

  function newVerdict() {
    var v = { allowed: false, steps: [], missing_headers: [] };
    Object.defineProperty(v, "push", {
      value: function (rule, ok, ja, en) { v.steps.push({ rule: rule, ok: ok, message_ja: ja, message_en: en }); }
    });
    Object.defineProperty(v, "need", {
      value: function (line) { if (v.missing_headers.indexOf(line) < 0) v.missing_headers.push(line); }
    });
    return v;
  }

  function allOk(v) {
    return v.steps.every(function (st) { return st.ok; });
  }

  function escapeControls(value) {
    return value.replace(/[\u0000-\u001f\u007f]/g, function (c) {
      var h = c.charCodeAt(0).toString(16);
      return "\\x" + (h.length < 2 ? "0" + h : h);
    });
  }

  function refused(s) {
    var TJ = "fetch() は何も送らずに TypeError を投げます";
    var TE = "fetch() throws a TypeError and sends nothing";
    if (hasCredentials(s.request_url)) {
      var url = s.request_url;
      return ["URL「" + url + "」にユーザー名・パスワード (user:password@) が含まれています。" + TJ + "。資格情報は URL ではなく Authorization ヘッダーで送ってください。",
        "The URL \"" + url + "\" includes a user name or password (user:password@): " + TE + ". Send credentials in an Authorization header, not in the URL."];
    }
    var r = refusal(s.method === "" ? "GET" : s.method, s.request_headers);
    if (r === null) return null;
    switch (r.kind) {
      case "badMethod":
        return ["メソッド「" + r.method + "」は HTTP のトークンではありません。" + TJ + "。",
          "Method \"" + r.method + "\" is not an HTTP token: " + TE + "."];
      case "forbiddenMethod":
        return ["メソッド " + r.method + " は禁止メソッド (forbidden method: CONNECT, TRACE, TRACK) です。" + TJ + "。",
          "Method " + r.method + " is a forbidden method (CONNECT, TRACE, TRACK): " + TE + "."];
      case "badHeaderName":
        return ["ヘッダー名「" + r.name + "」は HTTP のトークンではありません。" + TJ + "。",
          "Header name \"" + r.name + "\" is not an HTTP token: " + TE + "."];
      default:
        return ["ヘッダー " + r.name + " の値「" + escapeControls(r.value) + "」に NUL・CR・LF か U+00FF より後の文字があります。" + TJ + "。ほかの制御文字は送られます。",
          "The value \"" + escapeControls(r.value) + "\" of header " + r.name + " holds NUL, CR, LF or a character past U+00FF: " + TE + ". Other control characters are sent."];
    }
  }

  function sameOriginStep(v, origin, targetOrigin, hop, k) {
    var ja, en;
    if (origin === targetOrigin && !hop.cors) {
      ja = "同一オリジン (same-origin) です。CORS は関係なく、ブラウザはそのまま応答を読ませます。";
      en = "Same origin: CORS does not apply and the page may read the response.";
    } else if (origin === targetOrigin) {
      ja = "ページと同じオリジンですが、リクエストは途中でクロスオリジンを経由したので、CORS の確認は続きます。";
      en = "The page's own origin, but the request has been cross-origin on the way: the CORS checks still apply.";
    } else if (k === 0) {
      ja = "オリジンが違うのでクロスオリジン (cross-origin) リクエストです。同一オリジンポリシー (same-origin policy) により、サーバーが CORS ヘッダーで許可しない限りページは応答を読めません。";
      en = "Different origins: a cross-origin request. Under the same-origin policy the page may read the response only if the server allows it with CORS headers.";
    } else {
      ja = "リダイレクト先 " + targetOrigin + " はページとオリジンが違うので、クロスオリジン (cross-origin) リクエストとして CORS の確認を受けます。";
      en = "The redirect target " + targetOrigin + " is another origin than the page's: a cross-origin request, checked with CORS.";
    }
    v.push("same-origin", true, ja, en);
    hop.cors = hop.cors || origin !== targetOrigin;
    return hop.cors;
  }

  // false when the browser blocks the request as mixed content
  function mixedContent(v, page, target) {
    var targetOrigin = serialize(target);
    if (page.scheme === "http") {
      v.push("mixed-content", true,
        "ページが http なので混在コンテンツ (mixed content) の制限はありません。",
        "The page is served over http, so mixed-content blocking does not apply.");
    } else if (target.scheme === "https") {
      v.push("mixed-content", true,
        "https のページから https へのリクエストなので混在コンテンツ (mixed content) ではありません。",
        "An https page requesting an https URL: no mixed content.");
    } else if (isLoopback(target)) {
      v.push("mixed-content", true,
        "https のページから " + targetOrigin + " への http リクエストですが、ループバック (localhost) はブラウザが「潜在的に信頼できる (potentially trustworthy)」と扱うため、混在コンテンツとしてはブロックされません。",
        "An https page requesting http URL " + targetOrigin + ": browsers treat loopback addresses as potentially trustworthy, so it is not blocked as mixed content.");
    } else {
      v.push("mixed-content", false,
        "https のページから " + targetOrigin + " への http リクエストは混在コンテンツ (mixed content) としてブラウザがブロックします。CORS より前の段階で止まるため、サーバーの CORS 設定では直りません。URL を https:// にしてください。",
        "An https page requesting http URL " + targetOrigin + " is blocked as mixed content before CORS is even considered; no CORS header can fix it. Use an https:// URL.");
      return false;
    }
    return true;
  }

  // localhost from a public page: the reader's own device (see rules.rs)
  function localhostStep(v, page, target) {
    if (!isLoopback(target)) {
      v.push("localhost", true, "リクエスト先は localhost ではありません。", "The request does not target localhost.");
    } else if (isLoopback(page)) {
      v.push("localhost", true,
        "ページもリクエスト先もこの端末 (localhost) 上にあります。開発中の構成としては正常です。",
        "Both the page and the request are on this device (localhost): a normal development setup.");
    } else {
      var host = target.host;
      v.push("localhost", false,
        "リクエスト先 " + host + " は「このページを開いている端末自身」を指します。開発者の PC では手元のサーバーが応答するため動いて見えますが、スマホや他の人の端末にはそのサーバーがないので接続に失敗します (CORS エラーではなくネットワークエラー)。Chrome (142 以降) では、公開ページから localhost やプライベートネットワークへの接続に利用者の許可 (Local Network Access) も必要です。公開している API の https の URL を使ってください。以降の CORS の判定は行いません。",
        host + " means \"the device that opened this page\". On the developer's PC a local server answers, so it seems to work; on a phone or anyone else's device no such server exists and the request fails (a network error, not a CORS error). Chrome (142 and later) also asks the reader's permission (Local Network Access) before a public page may connect to localhost or a private network. Use the public https URL of your API. The CORS checks are skipped.");
      return false;
    }
    return true;
  }

  function checkResponses(v, hop, pageOrigin, credentialed, status, preflight, response) {
    var shape = classify(hop.method, hop.headers);
    var needsPreflight = shape.reasons.length > 0;
    preflightStep(v, shape, status);
    var responses = [];
    if (needsPreflight) responses.push([{ kind: "preflight" }, preflight]);
    responses.push(response);
    var origin = hop.tainted ? "null" : pageOrigin;
    allowOrigin(v, origin, credentialed, responses);
    if (credentialed) allowCredentials(v, responses);
    if (needsPreflight) {
      allowMethods(v, shape.method, credentialed, preflight);
      allowHeaders(v, shape.unsafeNames, credentialed, preflight);
    }
  }

  // Follows redirect k (Fetch's HTTP-redirect fetch); returns the new
  // origin, or null after a failed step.
  function follow(v, page, current, hop, k, r) {
    var n = k + 1, status = r.status;
    var url = resolve(hop.url, r.location);
    function fail(ja, en) {
      v.push("redirect", false,
        "リダイレクト " + n + " (" + status + ", Location: " + url + "): " + ja,
        "Redirect " + n + " (" + status + ", Location: " + url + "): " + en);
      return null;
    }
    if ([301, 302, 303, 307, 308].indexOf(status) < 0) {
      return fail("リダイレクトのステータス (301, 302, 303, 307, 308) ではありません。",
        "not a redirect status (301, 302, 303, 307, 308).");
    }
    var parsed = parseOrigin(url);
    if (parsed.error) {
      return fail("リダイレクト先を読めないか http(s) ではないので、ブラウザはネットワークエラーにします: " + parsed.error[0],
        "the browser fails with a network error, as the target is not a readable http(s) URL: " + parsed.error[1]);
    }
    var next = parsed.origin;
    if (n > MAX_REDIRECTS) {
      return fail("リダイレクトが " + MAX_REDIRECTS + " 回を超えたので、ブラウザはネットワークエラーにします。",
        "more than " + MAX_REDIRECTS + " redirects: the browser fails with a network error.");
    }
    var nextOrigin = serialize(next), pageOrigin = serialize(page), currentOrigin = serialize(current);
    if (hasCredentials(url) && (hop.cors || nextOrigin !== pageOrigin)) {
      return fail("リダイレクト先の URL にユーザー名・パスワード (user:password@) が含まれています。クロスオリジン (CORS) のリクエストでは、ブラウザはこれを追わずにネットワークエラーにします。",
        "the target URL includes a user name or password (user:password@): in a cross-origin (CORS) request the browser refuses to follow it (network error).");
    }
    var ja = "リダイレクト " + n + " (" + status + "): ブラウザは Location の " + url + " へ自動で進みます (最大 " + MAX_REDIRECTS + " 回)。";
    var en = "Redirect " + n + " (" + status + "): the browser follows Location to " + url + " (at most " + MAX_REDIRECTS + " redirects).";
    if (nextOrigin !== currentOrigin && currentOrigin !== pageOrigin && !hop.tainted) {
      hop.tainted = true;
      ja += " クロスオリジンの URL から別のオリジンへのリダイレクトなので、以降の Origin ヘッダーは「null」になり、サーバーは Access-Control-Allow-Origin: null (または資格情報なしなら *) を返す必要があります。";
      en += " A redirect from a cross-origin URL to another origin: from now on the Origin header is \"null\", and the server must answer Access-Control-Allow-Origin: null (or * without credentials).";
    }
    var postToGet = (status === 301 || status === 302) && hop.method === "POST";
    if (postToGet || (status === 303 && hop.method !== "GET" && hop.method !== "HEAD")) {
      ja += " " + status + " なので、メソッド " + hop.method + " は GET に変わり、本文と Content-Type などのヘッダーは送られません。";
      en += " Being a " + status + ", it turns method " + hop.method + " into GET and drops the body and its Content-Type and other body headers.";
      hop.method = "GET";
      hop.headers = hop.headers.filter(function (h) {
        return ["content-encoding", "content-language", "content-location", "content-type"].indexOf(asciiLower(h[0])) < 0;
      });
    }
    v.push("redirect", true, ja, en);
    hop.url = url;
    return next;
  }

  /**
   * Decides, as a browser would, whether the page may read the response.
   * scenario: {page_url, request_url, method, request_headers: [[name, value]],
   *   credentials: "omit" | "same-origin" | "include", preflight_status,
   *   preflight_response: [[name, value]], actual_response: [[name, value]],
   *   redirects: [{status, location, response, preflight_status?, preflight_response?}]}
   * returns {allowed, steps: [{rule, ok, message_ja, message_en}], missing_headers}
   */
  function evaluate(scenario) {
    var s = withDefaults(scenario);
    var v = newVerdict();
    function unparsable(ja, en, url, e) {
      v.push("origin", false, ja + "の URL「" + url + "」を解釈できません: " + e[0],
        "Cannot parse the " + en + " URL \"" + url + "\": " + e[1]);
      return v;
    }
    var p = parseOrigin(s.page_url);
    if (p.error) return unparsable("ページ", "page", s.page_url, p.error);
    var t = parseOrigin(s.request_url);
    if (t.error) return unparsable("リクエスト先", "request", s.request_url, t.error);
    var page = p.origin, target = t.origin;
    var origin = serialize(page);
    v.push("origin", true,
      "ページのオリジン (origin) は " + origin + "、リクエスト先のオリジンは " + serialize(target) + " です。オリジンはスキーム・ホスト・ポートの組です。",
      "The page's origin is " + origin + "; the request's origin is " + serialize(target) + ". An origin is scheme + host + port.");
    var refusedText = refused(s);
    if (refusedText !== null) {
      v.push("request", false, refusedText[0], refusedText[1]);
      return v;
    }

    var hop = { url: s.request_url, method: normalizeMethod(s.method), headers: s.request_headers, cors: false, tainted: false };
    var credentialed = s.credentials === "include";
    for (var k = 0; k <= s.redirects.length; k++) {
      var last = k === s.redirects.length;
      if (!sameOriginStep(v, origin, serialize(target), hop, k)) {
        if (last) {
          v.allowed = allOk(v);
          return v;
        }
      } else {
        if (!mixedContent(v, page, target) || !localhostStep(v, page, target)) return v;
        var status = s.preflight_status, preflight = s.preflight_response;
        if (k > 0) {
          var prev = s.redirects[k - 1];
          if (prev.preflight_status !== null) status = prev.preflight_status;
          if (prev.preflight_response !== null) preflight = prev.preflight_response;
        }
        var response = last ? [{ kind: "actual" }, s.actual_response]
          : [{ kind: "redirect", n: k + 1, status: s.redirects[k].status }, s.redirects[k].response];
        checkResponses(v, hop, origin, credentialed, status, preflight, response);
      }
      if (!allOk(v) || last) break;
      target = follow(v, page, target, hop, k, s.redirects[k]);
      if (target === null) break;
    }
    v.allowed = allOk(v);
    return v;
  }


  return { evaluate: evaluate };
});
