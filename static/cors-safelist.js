/*
 * cors-safelist.js: what makes a request simple, what a script may not set,
 * and what fetch() refuses. The twin of src/cors/safelist.rs (loaded before
 * cors-checks.js and cors-check.js; window.CorsSafelist in a page).
 */
(function (root, factory) {
  var node = typeof module === "object" && module.exports;
  var api = node ? factory() : factory();
  if (node) module.exports = api;
  if (typeof window === "object") window.CorsSafelist = api;
})(this, function () {
  "use strict";

  // ASCII-only lowercase, as Rust's to_ascii_lowercase (toLowerCase would
  // also fold non-ASCII letters and the two sides would disagree).
  function asciiLower(s) {
    return s.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
  }
  function asciiUpper(s) {
    return s.replace(/[a-z]/g, function (c) { return c.toUpperCase(); });
  }


  function normalizeMethod(m) {
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

  // HTTP whitespace only: NBSP, U+3000 and U+FEFF are part of a value.
  function trimHttp(s) {
    return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
  }

  function isToken(s) {
    return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(s);
  }

  function isForbiddenMethod(m) {
    return ["CONNECT", "TRACE", "TRACK"].indexOf(asciiUpper(m)) >= 0;
  }

  // Header values are byte strings: one byte per character.
  function byteLength(s) {
    return s.length;
  }

  // Mirrors safelist.rs refusal: {kind, ...} or null.
  function refusal(method, headers) {
    if (method !== "" && !isToken(method)) return { kind: "badMethod", method: method };
    if (isForbiddenMethod(method)) return { kind: "forbiddenMethod", method: method };
    for (var i = 0; i < headers.length; i++) {
      var name = headers[i][0], value = headers[i][1];
      if (!isToken(name)) return { kind: "badHeaderName", name: name };
      if (/[\u0000\r\n]|[^\u0000-\u00ff]/.test(trimHttp(value))) {
        return { kind: "badHeaderValue", name: name, value: value };
      }
    }
    return null;
  }

  // Fetch's "get, decode, and split" (see safelist.rs split_list).
  function splitList(value) {
    var items = [], start = 0, quoted = false, escaped = false;
    function trimTab(x) { return x.replace(/^[ \t]+|[ \t]+$/g, ""); }
    for (var i = 0; i < value.length; i++) {
      var c = value.charAt(i);
      if (escaped) escaped = false;
      else if (c === "\\" && quoted) escaped = true;
      else if (c === "\"") quoted = !quoted;
      else if (c === "," && !quoted) {
        items.push(trimTab(value.slice(start, i)));
        start = i + 1;
      }
    }
    items.push(trimTab(value.slice(start)));
    return items;
  }

  function isForbidden(lower, value) {
    return FORBIDDEN.indexOf(lower) >= 0 || lower.indexOf("proxy-") === 0 || lower.indexOf("sec-") === 0 ||
      (["x-http-method", "x-http-method-override", "x-method-override"].indexOf(lower) >= 0 &&
        splitList(value).some(isForbiddenMethod));
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
    if (byteLength(value) > 128) return false;
    switch (lower) {
      case "accept":
        return !hasUnsafeByte(value);
      case "accept-language":
      case "content-language":
        return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
      case "content-type": {
        var essence = asciiLower(trimHttp(value.split(";")[0]));
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
      var name = h[0], value = trimHttp(h[1]);
      if (name === "") return;
      var lower = asciiLower(name);
      if (isForbidden(lower, value)) {
        if (!forbidden.some(function (f) { return asciiLower(f) === lower; })) forbidden.push(name);
        return;
      }
      if (isSafelistedHeader(lower, value)) {
        size += byteLength(value);
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


  return { asciiLower: asciiLower, asciiUpper: asciiUpper, trimHttp: trimHttp, isToken: isToken, normalizeMethod: normalizeMethod, isSafelistedMethod: isSafelistedMethod, refusal: refusal, classify: classify, reasonText: reasonText };
});
