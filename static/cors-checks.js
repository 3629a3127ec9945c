/*
 * cors-checks.js: the checks a browser makes on one URL's responses. The
 * twin of src/cors/checks.rs, same words (window.CorsChecks in a page).
 */
(function (root, factory) {
  var node = typeof module === "object" && module.exports;
  var api = node ? factory(require("./cors-safelist.js")) : factory(root.CorsSafelist);
  if (node) module.exports = api;
  if (typeof window === "object") window.CorsChecks = api;
})(this, function (S) {
  "use strict";

  var asciiLower = S.asciiLower, trimHttp = S.trimHttp, isToken = S.isToken;
  var isSafelistedMethod = S.isSafelistedMethod, reasonText = S.reasonText;


  function which(w) {
    if (w.kind === "preflight") return ["プリフライト応答", "preflight response"];
    if (w.kind === "redirect") return ["リダイレクト応答 " + w.n + " (" + w.status + ")", "redirect response " + w.n + " (" + w.status + ")"];
    return ["実際の応答", "actual response"];
  }

  // [combined value, line count] or null; HTTP whitespace trimmed only.
  function header(headers, name) {
    var lower = asciiLower(name);
    var values = headers.filter(function (h) { return asciiLower(trimHttp(h[0])) === lower; })
      .map(function (h) { return trimHttp(h[1]); });
    return values.length ? [values.join(", "), values.length] : null;
  }

  function isUnicodeSpace(c) {
    return /^[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]$/.test(c);
  }

  // Fetch's "extract header list values": {items} or {bad: item}.
  function tokens(value) {
    var items = [], parts = value.split(",");
    for (var i = 0; i < parts.length; i++) {
      var item = parts[i].replace(/^[ \t]+|[ \t]+$/g, "");
      if (item === "") continue;
      if (!isToken(item)) return { bad: item };
      items.push(item);
    }
    return { items: items };
  }

  function preflightStep(v, shape, status) {
    var ok, ja, en, method = shape.method;
    if (shape.reasons.length > 0) {
      var texts = shape.reasons.map(reasonText);
      ok = status >= 200 && status <= 299;
      ja = "プリフライト (preflight) の OPTIONS リクエストが先に送られます。理由: " +
        texts.map(function (x) { return x[0]; }).join("、") + "。";
      en = "A preflight OPTIONS request is sent first, because " +
        texts.map(function (x) { return x[1]; }).join(", ") + ".";
    } else {
      ok = true;
      ja = "単純リクエスト (simple request) なのでプリフライト (preflight) は送られません: メソッド " + method + " と、CORS セーフリスト (CORS-safelisted) のヘッダーだけです。";
      en = "A simple request: no preflight is sent (method " + method + " and CORS-safelisted headers only).";
    }
    if (!ok) {
      ja += " しかしプリフライトの応答ステータスが " + status + " で、成功 (2xx, ok status) ではありません。";
      en += " But the preflight response status is " + status + ", not a 2xx (ok) status.";
      if (status >= 300 && status <= 399) {
        ja += " プリフライトの応答はリダイレクトできません。ブラウザは Location を追わず、ネットワークエラーにします。";
        en += " A preflight may not redirect: browsers never follow its Location and fail with a network error.";
      }
    }
    if (shape.forbidden.length) {
      var names = shape.forbidden.join(", ");
      ja += " ブラウザが JavaScript からの設定を無視するヘッダー (forbidden header): " + names + "。";
      en += " Headers a script cannot set (forbidden headers) are ignored: " + names + ".";
    }
    v.push("preflight", ok, ja, en);
  }

  function eachResponse(v, rule, responses, check) {
    var allOk = true, ja = [], en = [];
    responses.forEach(function (r) {
      var l = which(r[0]);
      var res = check(l[0], l[1], r[1]);
      allOk = allOk && res[0];
      ja.push(res[1]);
      en.push(res[2]);
    });
    v.push(rule, allOk, ja.join(" "), en.join(" "));
    return allOk;
  }

  function allowOrigin(v, origin, credentialed, responses) {
    var allOk = eachResponse(v, "allow-origin", responses, function (lj, le, headers) {
      var h = header(headers, "Access-Control-Allow-Origin");
      var value = h && h[0], count = h && h[1], j, e;
      if (h === null) {
        return [false, lj + "に Access-Control-Allow-Origin がありません。サーバーが許可していないので、ブラウザは応答をページに渡しません (コンソールに CORS エラー)。",
          "The " + le + " has no Access-Control-Allow-Origin: the server did not allow this origin, so the browser withholds the response (CORS error in the console)."];
      }
      if (count === 1 && value === "*" && !credentialed) {
        return [true, lj + "の Access-Control-Allow-Origin: * は資格情報なし (credentials なし) のリクエストを許可します。",
          "The " + le + " has Access-Control-Allow-Origin: *, which allows requests without credentials."];
      }
      if (count === 1 && value === "*") {
        return [false, lj + "は Access-Control-Allow-Origin: * ですが、資格情報付き (credentials: include) のリクエストには * は使えません。オリジン " + origin + " をそのまま返す必要があります。",
          "The " + le + " has Access-Control-Allow-Origin: *, but * is not allowed for a request with credentials (credentials: include); it must echo " + origin + "."];
      }
      if (count === 1 && value === origin) {
        return [true, lj + "の Access-Control-Allow-Origin が " + origin + " と一致します。",
          "The " + le + "'s Access-Control-Allow-Origin matches " + origin + "."];
      }
      j = lj + "の Access-Control-Allow-Origin「" + value + "」が " + origin + " と一致しません (完全一致が必要)。";
      e = "The " + le + "'s Access-Control-Allow-Origin \"" + value + "\" does not match " + origin + " (it must match exactly).";
      if (count > 1) {
        j += " このヘッダーが " + count + " 行あります (重複)。ブラウザは「, 」でつないだ 1 つの値として読みます。1 行だけ返してください。";
        e += " The header is sent " + count + " times (duplicate): browsers join the lines with \", \" into one value. Send it once.";
      } else if (value.indexOf(",") >= 0) {
        j += " 値は 1 つだけにしてください。";
        e += " Send exactly one value.";
      }
      if (value === origin + "/") {
        j += " 末尾の「/」が余分です。";
        e += " The trailing \"/\" is extra.";
      }
      if (value !== "" && (isUnicodeSpace(value.charAt(0)) || isUnicodeSpace(value.charAt(value.length - 1)))) {
        j += " 前後に HTTP の空白 (スペース・タブ) ではない空白文字 (NBSP、全角スペースなど) があります。";
        e += " It starts or ends with a space that is not HTTP whitespace (NBSP, U+3000 ideographic space, ...).";
      }
      return [false, j, e];
    });
    if (!allOk) v.need("Access-Control-Allow-Origin: " + origin);
  }

  function allowCredentials(v, responses) {
    var allOk = eachResponse(v, "allow-credentials", responses, function (lj, le, headers) {
      var h = header(headers, "Access-Control-Allow-Credentials");
      if (h !== null && h[1] === 1 && h[0] === "true") {
        return [true, lj + "に Access-Control-Allow-Credentials: true があります。",
          "The " + le + " has Access-Control-Allow-Credentials: true."];
      }
      if (h === null) {
        return [false, lj + "に Access-Control-Allow-Credentials: true がありません。資格情報付き (credentials: include) のリクエストでは必須です。",
          "The " + le + " lacks Access-Control-Allow-Credentials: true, which a request with credentials (credentials: include) requires."];
      }
      if (h[1] > 1) {
        return [false, lj + "に Access-Control-Allow-Credentials が " + h[1] + " 行あります (重複)。ブラウザは「" + h[0] + "」という 1 つの値として読み、true とは一致しません。1 行だけ返してください。",
          "The " + le + " sends Access-Control-Allow-Credentials " + h[1] + " times (duplicate): browsers read the combined value \"" + h[0] + "\", which is not true. Send it once."];
      }
      return [false, lj + "の Access-Control-Allow-Credentials が「" + h[0] + "」です。小文字の true だけが有効です。",
        "The " + le + "'s Access-Control-Allow-Credentials is \"" + h[0] + "\"; only lowercase true counts."];
    });
    if (!allOk) v.need("Access-Control-Allow-Credentials: true");
  }

  function malformed(v, rule, name, value, item) {
    v.push(rule, false,
      "プリフライト応答の " + name + "「" + value + "」は、トークンのカンマ区切りリストではありません (「" + item + "」が不正)。1 つでも不正な項目があると、ほかの項目に関係なくプリフライト全体が失敗します。",
      "The preflight response's " + name + " \"" + value + "\" is not a comma-separated list of tokens (\"" + item + "\" is not one). One invalid item fails the whole preflight, whatever the other items allow.");
  }

  function allowMethods(v, method, credentialed, preflight) {
    var name = "Access-Control-Allow-Methods";
    var h = header(preflight, name), value = h && h[0];
    var parsed = h === null ? { items: [] } : tokens(value);
    if (parsed.bad !== undefined) {
      malformed(v, "allow-methods", name, value, parsed.bad);
      v.need(name + ": " + method);
      return;
    }
    var listed = parsed.items, ok, ja, en;
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
    } else if (h !== null) {
      ok = false;
      ja = "プリフライト応答の Access-Control-Allow-Methods「" + value + "」に " + method + " が含まれていません (大文字・小文字も区別されます)。";
      en = "The preflight response's Access-Control-Allow-Methods \"" + value + "\" does not include " + method + " (method names are case-sensitive).";
    } else {
      ok = false;
      ja = "プリフライト応答に Access-Control-Allow-Methods がありません。" + method + " を許可するには必要です。";
      en = "The preflight response has no Access-Control-Allow-Methods; it is needed to allow " + method + ".";
    }
    v.push("allow-methods", ok, ja, en);
    if (!ok) v.need(name + ": " + method);
  }

  // * is a wildcard only without credentials, and never covers Authorization.
  function allowHeaders(v, unsafeNames, credentialed, preflight) {
    var name = "Access-Control-Allow-Headers";
    var names = unsafeNames.join(", ");
    var h = header(preflight, name), value = h && h[0];
    var parsed = h === null ? { items: [] } : tokens(value);
    if (parsed.bad !== undefined) {
      malformed(v, "allow-headers", name, value, parsed.bad);
      if (names !== "") v.need(name + ": " + names);
      return;
    }
    var listed = parsed.items;
    var star = listed.indexOf("*") >= 0;
    var uncovered = unsafeNames.filter(function (n) {
      var named = listed.some(function (l) { return asciiLower(l) === asciiLower(n); });
      return !named && !(star && !credentialed && n !== "authorization");
    });
    var ok, ja, en;
    if (unsafeNames.length === 0) {
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
      if (h !== null) {
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
    v.push("allow-headers", ok, ja, en);
    if (!ok) v.need(name + ": " + names);
  }


  return { preflightStep: preflightStep, allowOrigin: allowOrigin, allowCredentials: allowCredentials, allowMethods: allowMethods, allowHeaders: allowHeaders };
});
