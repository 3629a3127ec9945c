// logsite serve: live reload and the build-error overlay. Injected only by the dev
// server, never written into the built site.
//
// A tab reloads when a build changed its page, or possibly changed it: each state
// names the generation before it and the pages changed since (none listed: any page).
//
// Hooks for browser tests: window.__logsiteReloads counts the reloads this script made
// in this tab (kept in sessionStorage across them); window.__logsiteGeneration is the
// build the page is current with; the overlay is #logsite-overlay, the panel of errors
// that did not stop the build #logsite-problems.
(() => {
  "use strict";
  const script = document.currentScript;
  let generation = script.dataset.generation;
  const key = "logsite-reloads";
  window.__logsiteGeneration = generation;
  // This page's path from the site root, as the build names its files.
  let page = decodeURIComponent(location.pathname).replace(/^\//, "");
  if (page === "" || page.endsWith("/")) page += "index.html";
  window.__logsiteReloads = Number(sessionStorage.getItem(key) || 0);

  let overlay = null;

  function el(tag, style, text) {
    const node = document.createElement(tag);
    if (style) node.style.cssText = style;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // One diagnostic: file:line:column, then severity and message.
  function describe(d, style) {
    let place = d.path;
    if (d.line) place += ":" + d.line + (d.column ? ":" + d.column : "");
    const item = el("div", style);
    item.append(el("div", "font-family:ui-monospace,monospace;color:#ffb4b4", place));
    item.append(el("div", "", d.severity + ": " + d.message));
    return item;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function show(failure) {
    hide();
    overlay = el(
      "div",
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.92);color:#fff;font:15px/1.6 system-ui,sans-serif"
    );
    overlay.id = "logsite-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "logsite-overlay-title");
    const box = el("div", "max-width:60rem;margin:auto;border-left:6px solid #e5484d;padding-left:1rem");
    const title = el("h2", "margin:0 0 .5rem;font-size:1.3rem", "ビルドに失敗しました / The build failed");
    title.id = "logsite-overlay-title";
    box.append(title);
    box.append(el("p", "margin:0 0 1rem;opacity:.8",
      "前回のビルドのまま表示しています。ファイルを直すと自動で再読み込みします。 " +
      "The last good build is shown; fixing the file reloads this page."));
    for (const d of failure.diagnostics || []) {
      const item = describe(d, "margin:0 0 1rem");
      if (d.source_line) {
        item.append(el("pre", "margin:.3rem 0 0;padding:.5rem;background:#000;white-space:pre-wrap",
          d.line + " | " + d.source_line));
      }
      box.append(item);
    }
    if (failure.error) {
      box.append(el("pre", "white-space:pre-wrap;font-family:ui-monospace,monospace", failure.error));
    }
    const close = el("button", "margin-top:1rem;font:inherit", "閉じる / Close");
    close.addEventListener("click", hide);
    box.append(close);
    overlay.append(box);
    document.body.append(overlay);
  }

  // Errors of a good build (a missing screenshot): a panel in a corner, not over the
  // page, that the author can close. Closed stays closed, across reloads, until the
  // list of problems changes.
  const dismissedKey = "logsite-problems-dismissed";
  let panel = null;

  function showProblems(problems) {
    if (panel) panel.remove();
    panel = null;
    const list = JSON.stringify(problems || []);
    if (!problems || problems.length === 0 || sessionStorage.getItem(dismissedKey) === list) return;
    panel = el(
      "section",
      "position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:min(36rem,calc(100vw - 2rem));" +
        "max-height:50vh;overflow:auto;padding:.8rem 1rem;border-left:6px solid #e5484d;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 system-ui,sans-serif;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.3)"
    );
    panel.id = "logsite-problems";
    panel.setAttribute("role", "status");
    panel.setAttribute("aria-labelledby", "logsite-problems-title");
    const title = el("h2", "margin:0 0 .4rem;font-size:1rem",
      "ビルドの問題 " + problems.length + " 件 / " + problems.length + " problem(s) in the build");
    title.id = "logsite-problems-title";
    panel.append(title);
    for (const d of problems) panel.append(describe(d, "margin:0 0 .5rem"));
    const close = el("button", "font:inherit", "閉じる / Close");
    close.id = "logsite-problems-close";
    close.addEventListener("click", () => {
      sessionStorage.setItem(dismissedKey, list);
      panel.remove();
      panel = null;
    });
    panel.append(close);
    document.body.append(panel);
  }

  // True when this page is not current with `state`. A state one generation on that
  // does not list this page makes it current without a reload; a tab that missed a
  // generation cannot tell, and reloads.
  function stale(state) {
    if (state.generation === generation) return false;
    if (state.since === generation && state.pages && !state.pages.includes(page)) {
      generation = state.generation;
      window.__logsiteGeneration = generation;
      return false;
    }
    return true;
  }

  function reload() {
    sessionStorage.setItem(key, String(window.__logsiteReloads + 1));
    events.close();
    location.reload();
  }

  const events = new EventSource(script.src.replace(/live\.js$/, "events"));
  events.addEventListener("reload", (e) => {
    const state = JSON.parse(e.data);
    if (stale(state)) reload();
    else {
      hide();
      showProblems(state.problems);
    }
  });
  events.addEventListener("failure", (e) => {
    // A build that failed after writing this page put the page back: reload it (the
    // reloaded page shows the overlay too).
    const state = JSON.parse(e.data);
    if (stale(state)) reload();
    else show(state.failure);
  });
})();
