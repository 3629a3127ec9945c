/*
 * cors-checker.js: the interactive CORS checker of the explainer page.
 *
 * Fills <div id="cors-checker" data-lang="ja"></div> with a form; on every
 * input it runs window.CorsCheck.evaluate (static/cors-check.js, loaded
 * first after cors-safelist.js and cors-checks.js) and shows each step with ✓/✗ and the verdict. No framework, no
 * external resource: it works from file:// and offline. Everything the
 * reader types goes into the page as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var PRESETS = [
    {
      id: "seed-phone",
      label: "日報の失敗例: スマホ (localhost:8000)",
      scenario: {
        page_url: "https://saburo.xyz/",
        request_url: "http://localhost:8000/",
        method: "GET",
        request_headers: "",
        credentials: "same-origin",
        preflight_status: "200",
        preflight_response: "",
        redirects: "",
        actual_response: "content-type: application/json\naccess-control-allow-origin: *"
      }
    },
    {
      id: "fixed",
      label: "修正後: api.saburo.xyz + CORSMiddleware",
      scenario: {
        page_url: "https://saburo.xyz/",
        request_url: "https://api.saburo.xyz/",
        method: "GET",
        request_headers: "",
        credentials: "same-origin",
        preflight_status: "200",
        preflight_response: "",
        redirects: "",
        actual_response: "content-type: application/json\naccess-control-allow-origin: https://saburo.xyz\nvary: Origin"
      }
    },
    {
      id: "credentials-star",
      label: "資格情報 (credentials) と *",
      scenario: {
        page_url: "https://saburo.xyz/",
        request_url: "https://api.saburo.xyz/me",
        method: "GET",
        request_headers: "",
        credentials: "include",
        preflight_status: "200",
        preflight_response: "",
        redirects: "",
        actual_response: "access-control-allow-origin: *\naccess-control-allow-credentials: true"
      }
    },
    {
      id: "redirect-null",
      label: "リダイレクトで Origin が null になる例",
      scenario: {
        page_url: "https://saburo.xyz/",
        request_url: "https://api.saburo.xyz/v1/message",
        method: "GET",
        request_headers: "",
        credentials: "same-origin",
        preflight_status: "200",
        preflight_response: "",
        redirects: "307 https://api2.saburo.xyz/message\naccess-control-allow-origin: https://saburo.xyz",
        actual_response: "access-control-allow-origin: https://saburo.xyz"
      }
    },
    {
      id: "put-json",
      label: "PUT + JSON (プリフライトあり)",
      scenario: {
        page_url: "https://saburo.xyz/admin",
        request_url: "https://api.saburo.xyz/admin/users/1",
        method: "PUT",
        request_headers: "Content-Type: application/json\nAuthorization: Bearer xxxxx",
        credentials: "same-origin",
        preflight_status: "200",
        preflight_response: "access-control-allow-origin: https://saburo.xyz\naccess-control-allow-methods: GET, POST, PUT\naccess-control-allow-headers: *",
        redirects: "",
        actual_response: "access-control-allow-origin: https://saburo.xyz"
      }
    }
  ];

  var TEXT = {
    ja: {
      legend: "リクエスト (request)",
      server: "サーバーの応答 (server response)",
      page_url: "ページの URL (page URL)",
      request_url: "fetch する URL (request URL)",
      method: "メソッド (method)",
      request_headers: "リクエストヘッダー (request headers): 1 行に「Name: value」",
      credentials: "資格情報モード (credentials mode)",
      preflight_status: "プリフライト応答のステータス (preflight status)",
      preflight_response: "プリフライト応答のヘッダー (preflight response headers): プリフライトが必要なときだけ使われます",
      redirects: "リダイレクト (redirects): 1 回ごとに 1 行目「307 https://次の URL」、続けてその応答のヘッダー、空行で区切る",
      actual_response: "最終的な応答のヘッダー (actual response headers)",
      presets: "例を読み込む (presets)",
      result: "判定の手順 (steps)",
      allowed: "判定: ブラウザはこのリクエストを許可します (allowed)",
      blocked: "判定: ブラウザはこのリクエストをブロックします (blocked)",
      missing: "サーバーが返すべきヘッダー (missing headers)",
      ok: "OK",
      ng: "NG",
      skipped: "ヘッダー行として読めなかった行 (ignored lines): "
    },
    en: {
      legend: "Request",
      server: "Server response",
      page_url: "Page URL",
      request_url: "Request URL",
      method: "Method",
      request_headers: "Request headers: one \"Name: value\" per line",
      credentials: "Credentials mode",
      preflight_status: "Preflight response status",
      preflight_response: "Preflight response headers (used only when a preflight is needed)",
      redirects: "Redirects: per hop a first line \"307 https://next.url/\", then that response's headers; a blank line between hops",
      actual_response: "Final (actual) response headers",
      presets: "Presets",
      result: "Steps",
      allowed: "Verdict: the browser allows this request",
      blocked: "Verdict: the browser blocks this request",
      missing: "Headers the server must send",
      ok: "OK",
      ng: "failed",
      skipped: "Lines that are not headers (ignored): "
    }
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  // "Name: value" per line; returns {headers: [[name, value]], bad: [line]}.
  function parseHeaders(text) {
    var headers = [], bad = [];
    text.split(/\r?\n/).forEach(function (line) {
      if (line.trim() === "") return;
      var colon = line.indexOf(":");
      if (colon <= 0) bad.push(line.trim());
      else headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    });
    return { headers: headers, bad: bad };
  }

  // Blocks separated by blank lines: "STATUS LOCATION", then header lines.
  function parseRedirects(text) {
    var redirects = [], bad = [];
    text.split(/\r?\n[ \t]*\r?\n/).forEach(function (block) {
      if (block.trim() === "") return;
      var lines = block.split(/\r?\n/).filter(function (l) { return l.trim() !== ""; });
      var m = /^\s*(\d{3})\s+(\S+)\s*$/.exec(lines[0]);
      if (!m) { bad.push(lines[0].trim()); return; }
      var headers = parseHeaders(lines.slice(1).join("\n"));
      bad = bad.concat(headers.bad);
      redirects.push({ status: parseInt(m[1], 10), location: m[2], response: headers.headers });
    });
    return { redirects: redirects, bad: bad };
  }

  function build(root) {
    var lang = root.getAttribute("data-lang") === "en" ? "en" : "ja";
    var t = TEXT[lang];
    var prefix = "cors-checker-";
    var fields = {};

    function field(name, control) {
      control.id = prefix + name;
      control.name = name;
      fields[name] = control;
      return el("p", {}, [el("label", { "for": control.id, text: t[name] }), el("br"), control]);
    }
    function input(type) {
      // max-width: a phone is where the seed's bug showed; the form must fit one.
      return el("input", { type: type, autocomplete: "off", spellcheck: "false", size: "40", style: "max-width:100%" });
    }
    function textarea() {
      return el("textarea", { rows: "4", cols: "50", spellcheck: "false", style: "max-width:100%;box-sizing:border-box" });
    }
    function select(options) {
      return el("select", {}, options.map(function (o) { return el("option", { value: o, text: o }); }));
    }

    var method = input("text");
    method.setAttribute("list", prefix + "methods");
    var methods = el("datalist", { id: prefix + "methods" },
      ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].map(function (m) { return el("option", { value: m }); }));
    var status = input("number");
    status.setAttribute("min", "100");
    status.setAttribute("max", "599");

    var presetButtons = PRESETS.map(function (p) {
      var b = el("button", { type: "button", "data-preset": p.id, text: p.label });
      b.addEventListener("click", function () { load(p.scenario); });
      return b;
    });

    var form = el("form", { "class": "cors-checker-form", novalidate: "" }, [
      el("fieldset", {}, [el("legend", { text: t.presets })].concat(presetButtons)),
      el("fieldset", {}, [
        el("legend", { text: t.legend }),
        field("page_url", input("url")),
        field("request_url", input("url")),
        field("method", method),
        methods,
        field("request_headers", textarea()),
        field("credentials", select(["omit", "same-origin", "include"]))
      ]),
      el("fieldset", {}, [
        el("legend", { text: t.server }),
        field("preflight_status", status),
        field("preflight_response", textarea()),
        field("redirects", textarea()),
        field("actual_response", textarea())
      ])
    ]);
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    var heading = el("h3", { id: prefix + "result-title", text: t.result });
    var steps = el("ol", { "class": "cors-checker-steps" });
    var verdict = el("p", { "class": "cors-checker-verdict" });
    var missingTitle = el("p", { text: t.missing });
    var missing = el("pre", { "class": "cors-checker-missing" });
    var ignored = el("p", { "class": "cors-checker-ignored" });
    var result = el("section", {
      "class": "cors-checker-result",
      "aria-labelledby": heading.id,
      "aria-live": "polite"
    }, [heading, verdict, steps, missingTitle, missing, ignored]);

    root.textContent = "";
    root.classList.add("cors-checker");
    root.appendChild(form);
    root.appendChild(result);

    function load(s) {
      Object.keys(s).forEach(function (k) { fields[k].value = s[k]; });
      update();
    }

    function update() {
      var req = parseHeaders(fields.request_headers.value);
      var pre = parseHeaders(fields.preflight_response.value);
      var act = parseHeaders(fields.actual_response.value);
      var red = parseRedirects(fields.redirects.value);
      var status = parseInt(fields.preflight_status.value, 10);
      var v = window.CorsCheck.evaluate({
        page_url: fields.page_url.value,
        request_url: fields.request_url.value,
        method: fields.method.value,
        request_headers: req.headers,
        credentials: fields.credentials.value,
        preflight_status: isNaN(status) ? 200 : status,
        preflight_response: pre.headers,
        actual_response: act.headers,
        redirects: red.redirects
      });
      steps.textContent = "";
      v.steps.forEach(function (s) {
        var mark = el("span", { "class": "cors-checker-icon", "aria-hidden": "true", text: s.ok ? "✓ " : "✗ " });
        var sr = el("span", { "class": "visually-hidden", text: (s.ok ? t.ok : t.ng) + ": " });
        var li = el("li", { "class": s.ok ? "ok" : "fail", "data-rule": s.rule }, [
          mark, sr, el("code", { text: s.rule }), document.createTextNode(" " + (lang === "en" ? s.message_en : s.message_ja))
        ]);
        steps.appendChild(li);
      });
      verdict.textContent = "";
      verdict.appendChild(el("span", { "class": "cors-checker-icon", "aria-hidden": "true", text: v.allowed ? "✓ " : "✗ " }));
      verdict.appendChild(document.createTextNode(v.allowed ? t.allowed : t.blocked));
      verdict.className = "cors-checker-verdict " + (v.allowed ? "ok" : "fail");
      missing.textContent = v.missing_headers.join("\n");
      missingTitle.hidden = missing.hidden = v.missing_headers.length === 0;
      var bad = req.bad.concat(pre.bad, act.bad, red.bad);
      ignored.textContent = bad.length ? t.skipped + bad.join(" / ") : "";
      ignored.hidden = bad.length === 0;
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    load(PRESETS[0].scenario);
  }

  function start() {
    var root = document.getElementById("cors-checker");
    if (root && window.CorsCheck) build(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
