/*
 * search.js: offline Japanese full-text search over the index that
 * src/site/search.rs writes into search/ (its doc comment describes the files).
 *
 * The query logic is plain functions plus a Searcher that reads files through
 * a loader (path under search/ → Promise of parsed JSON): fetch() in a page, a
 * file reader under node (tests/js/search-query.js). In a page it defines
 * window.LogsiteSearch and wires the header's #search-input; under node it is a
 * CommonJS module. Folding, grams and the shard hash must stay identical to
 * src/site/search.rs.
 */
(function (root) {
  "use strict";

  var VERSION = 2;
  // The bytes (before gzip) a query may read, meta, shards and docs: the shards of
  // its terms' covers, then docs files while the bytes read so far plus the next
  // files (at their mean size, meta.chunk_bytes) stay within it, and the shards
  // of grams across a cover's joins when its candidates prove mostly false. A
  // word whose matches lie far apart costs a docs file each, so a rare one may
  // show fewer results than exist (complete: false).
  var BUDGET = 292 * 1000;

  // ---- text --------------------------------------------------------------

  // text::fold: NFKC, trimmed, lower case.
  function fold(s) {
    return String(s).normalize("NFKC").trim().toLowerCase();
  }

  // The query's terms: folded, split on white space, duplicates dropped. Every
  // term must match (AND). NFKC turns the ideographic space into a plain one.
  function terms(query) {
    var out = [];
    fold(query).split(/\s+/u).forEach(function (t) {
      if (t && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }

  // FNV-1a, 32 bits, over the UTF-8 bytes of s.
  function fnv1a32(s) {
    var bytes = new TextEncoder().encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // The UTF-8 bytes of a parsed file written back as compact JSON: what it weighed.
  function jsonBytes(value) {
    return new TextEncoder().encode(JSON.stringify(value)).length;
  }

  function shardOf(gram, shards) {
    return fnv1a32(gram) % shards;
  }

  function isAsciiWord(c) {
    return /^[a-z0-9]$/i.test(c);
  }

  // The grams to look up for one term: the term itself when it is one
  // character; else every run of three ASCII letters or digits, and every pair
  // of adjacent characters that no such run holds. (English bigrams like "co"
  // are in most records: the trigrams keep the candidates few.)
  function gramsOf(term) {
    var cs = Array.from(term);
    if (cs.length <= 1) return cs.slice();
    var out = [];
    var add = function (g) { if (out.indexOf(g) < 0) out.push(g); };
    var inTrigram = [];
    for (var i = 0; i + 2 < cs.length; i++) {
      if (isAsciiWord(cs[i]) && isAsciiWord(cs[i + 1]) && isAsciiWord(cs[i + 2])) {
        add(cs[i] + cs[i + 1] + cs[i + 2]);
        inTrigram[i] = inTrigram[i + 1] = true;
      }
    }
    for (var j = 0; j + 1 < cs.length; j++) {
      if (!inTrigram[j]) add(cs[j] + cs[j + 1]);
    }
    return out;
  }

  // A few of a term's grams that together cover every one of its characters: a
  // record holding the term holds them all, so their postings' intersection still
  // finds every match (candidates' texts are checked anyway), and a long term reads
  // a third of the shards (ModuleNotFoundError: 7 trigrams of 17).
  function coverOf(term) {
    var cs = Array.from(term);
    if (cs.length <= 1) return cs.slice();
    var out = [];
    coverSpans(term).forEach(function (span) {
      if (out.indexOf(span[0]) < 0) out.push(span[0]);
    });
    return out;
  }

  // The grams of a term that straddle a join of its cover (設計|レビ|ュー|ミー…:
  // 計レ, ビュ, ーミ…). A record holding the cover's grams only apart (設計 in one
  // task, レビュー in another) lacks one of them.
  function joinsOf(term) {
    var cs = Array.from(term);
    var all = gramsOf(term);
    var out = [];
    coverSpans(term).slice(1).forEach(function (span) {
      var at = span[1];
      for (var n = 2; n <= 3; n++) {
        for (var i = Math.max(at - n + 1, 0); i < at && i + n <= cs.length; i++) {
          var g = cs.slice(i, i + n).join("");
          if (all.indexOf(g) >= 0 && out.indexOf(g) < 0) out.push(g);
        }
      }
    });
    return out;
  }

  // The cover of a term of two characters or more as [gram, start, length], left
  // to right.
  function coverSpans(term) {
    var cs = Array.from(term);
    // Every gram gramsOf looks the term up by, with where it stands.
    var all = gramsOf(term);
    var placed = [];
    for (var i = 0; i + 1 < cs.length; i++) {
      [2, 3].forEach(function (n) {
        var g = cs.slice(i, i + n).join("");
        if (i + n <= cs.length && all.indexOf(g) >= 0) placed.push([g, i, n]);
      });
    }
    placed.sort(function (a, b) { return a[1] - b[1] || b[2] - a[2]; });
    // Greedy interval cover, left to right: the gram reaching furthest among
    // those starting at or before the first uncovered character.
    var spans = [];
    var covered = 0;
    var k = 0;
    while (covered < cs.length && k < placed.length) {
      var best = null;
      while (k < placed.length && placed[k][1] <= covered) {
        if (!best || placed[k][1] + placed[k][2] > best[1] + best[2]) best = placed[k];
        k++;
      }
      if (!best) { best = placed[k]; k++; }
      spans.push(best);
      covered = best[1] + best[2];
    }
    return spans;
  }

  // A term that is its only gram (one or two characters, three ASCII ones):
  // its postings are exact and need no check.
  function isExact(term) {
    var g = gramsOf(term);
    return g.length === 1 && g[0] === term;
  }

  // ---- postings ----------------------------------------------------------

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  // Ids ascending, from a gap array or a base64 bitmap (bit id%8 of byte id/8).
  function decodePostings(value) {
    var ids = [];
    if (typeof value === "string") {
      var bits = [];
      var s = value.replace(/=+$/, "");
      for (var i = 0; i < s.length; i += 4) {
        var n = 0;
        for (var k = 0; k < 4; k++) {
          n = n * 64 + (i + k < s.length ? B64.indexOf(s[i + k]) : 0);
        }
        bits.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
      }
      var bytes = Math.floor((s.length * 6) / 8);
      for (var b = 0; b < bytes; b++) {
        for (var bit = 0; bit < 8; bit++) {
          if (bits[b] & (1 << bit)) ids.push(b * 8 + bit);
        }
      }
      return ids;
    }
    var last = 0;
    for (var j = 0; j < value.length; j++) {
      last = j === 0 ? value[0] : last + value[j];
      ids.push(last);
    }
    return ids;
  }

  // Sorted ∩ sorted.
  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push(a[i]);
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  // ---- verification and snippets -----------------------------------------

  // Record texts are stored NFKC (case kept). Lower-case them one code point at
  // a time, remembering where each unit came from, so a match found in the
  // lower-cased text can be marked in the original. (Per code point, a final
  // Greek sigma lowers to σ, not ς: the one place this differs from Rust.)
  function lowerWithMap(text) {
    var lower = "";
    var map = [];
    var pos = 0;
    Array.from(text).forEach(function (c) {
      var l = c.toLowerCase();
      for (var i = 0; i < l.length; i++) map.push(pos);
      lower += l;
      pos += c.length;
    });
    map.push(pos);
    return { lower: lower, map: map };
  }

  // Non-overlapping occurrences of needle in hay.
  function count(hay, needle) {
    var n = 0;
    var at = hay.indexOf(needle);
    while (at >= 0) {
      n++;
      at = hay.indexOf(needle, at + needle.length);
    }
    return n;
  }

  // Occurrences of all terms, or 0 unless every term occurs.
  function score(text, ts) {
    var lower = lowerWithMap(text).lower;
    var total = 0;
    for (var i = 0; i < ts.length; i++) {
      var n = count(lower, ts[i]);
      if (n === 0) return 0;
      total += n;
    }
    return total;
  }

  // A window of `text` around the first match, as [{text, mark}] segments with
  // every occurrence of a term marked. Segments are text: the page turns them
  // into text nodes and <mark> elements, never HTML.
  function snippet(text, ts, width) {
    width = width || 80;
    var lm = lowerWithMap(text);
    var ranges = [];
    ts.forEach(function (t) {
      var at = lm.lower.indexOf(t);
      while (at >= 0) {
        ranges.push([lm.map[at], lm.map[at + t.length]]);
        at = lm.lower.indexOf(t, at + t.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    var first = merged.length ? merged[0][0] : 0;
    var start = Math.max(0, first - Math.floor(width / 4));
    var end = Math.min(text.length, start + width);
    start = Math.max(0, Math.min(start, end - width));
    // Never cut a surrogate pair in two.
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
    var segs = [];
    var push = function (s, mark) {
      s = s.replace(/\s*\n\s*/g, " / ");
      if (s) segs.push({ text: s, mark: mark });
    };
    if (start > 0) push("…", false);
    var pos = start;
    merged.forEach(function (r) {
      if (r[1] <= start || r[0] >= end) return;
      var a = Math.max(r[0], start);
      var b = Math.min(r[1], end);
      push(text.slice(pos, a), false);
      push(text.slice(a, b), true);
      pos = b;
    });
    push(text.slice(pos, end), false);
    if (end < text.length) push("…", false);
    return segs;
  }

  // ---- the searcher ------------------------------------------------------

  // load(path) → Promise of the parsed JSON of search/<path>.
  function Searcher(load) {
    this.load = load;
    this.files = {};
  }

  Searcher.prototype.file = function (path) {
    if (!this.files[path]) {
      var self = this;
      this.files[path] = Promise.resolve(this.load(path)).catch(function (e) {
        delete self.files[path];
        throw e;
      });
    }
    return this.files[path];
  };

  Searcher.prototype.meta = function () {
    return this.file("meta.json").then(function (meta) {
      if (meta.version !== VERSION) {
        throw new Error("search index version " + meta.version + ", search.js reads " + VERSION);
      }
      return meta;
    });
  };

  // Resolves to {terms, results, total, complete}: results (at most
  // options.limit, default 20) are the newest matches, most occurrences first,
  // then newest; total counts matches found (all of them when complete). The docs
  // files read are at most options.maxChunks, by default as many as BUDGET holds.
  Searcher.prototype.search = async function (query, options) {
    options = options || {};
    var limit = options.limit || 20;
    var ts = terms(query);
    var empty = { terms: ts, results: [], total: 0, complete: true };
    if (!ts.length) return empty;
    var meta = await this.meta();
    // The shards of each term's cover; then every other gram of the terms that
    // lives in a shard already read narrows the candidates for nothing.
    var add = function (list, g) { if (list.indexOf(g) < 0) list.push(g); };
    var cover = [];
    var every = [];
    ts.forEach(function (t) {
      coverOf(t).forEach(function (g) { add(cover, g); });
      gramsOf(t).forEach(function (g) { add(every, g); });
    });
    var self = this;
    var shardIds = [];
    cover.forEach(function (g) { add(shardIds, shardOf(g, meta.shards)); });
    var read = await Promise.all(shardIds.map(function (n) {
      return self.file("index/" + n + ".json");
    }));
    var grams = every.filter(function (g) { return shardIds.indexOf(shardOf(g, meta.shards)) >= 0; });
    var shards = grams.map(function (g) { return read[shardIds.indexOf(shardOf(g, meta.shards))]; });
    // What the files read so far weigh (their JSON text, as downloaded).
    var spent = jsonBytes(meta);
    read.forEach(function (shard) { spent += jsonBytes(shard); });
    var maxChunks = options.maxChunks || Infinity;
    var lists = [];
    for (var i = 0; i < grams.length; i++) {
      var value = shards[i][grams[i]];
      if (value === undefined) return empty;
      lists.push(decodePostings(value));
    }
    lists.sort(function (a, b) { return a.length - b.length; });
    var candidates = lists.reduce(intersect);
    var exact = ts.every(isExact);
    // Newest first: ids follow date order.
    candidates.reverse();
    var results = [];
    var chunksRead = 0;
    var next = 0;
    var fits = function (files) {
      return chunksRead + files <= maxChunks &&
        (options.maxChunks || spent + files * meta.chunk_bytes * 1.25 <= BUDGET);
    };
    // The grams across the joins of each term's cover, read only once most of the
    // candidates checked have proved to hold the cover's grams apart: then a shard
    // (a few KB) spares more docs files (about 9 KB each) than it costs. Not for
    // an ASCII term, whose trigram cover finds little but the term.
    var joins = [];
    ts.forEach(function (t) {
      if (/^[\x00-\x7f]*$/.test(t)) return;
      joinsOf(t).forEach(function (g) { if (grams.indexOf(g) < 0) add(joins, g); });
    });
    var narrow = async function () {
      // The candidates not checked yet, ascending as intersect wants them. A shard
      // of a frequent gram weighs several times the mean (25.7 KB against 3.4 KB
      // at 3,650 notes): room for eight is kept.
      var rest = candidates.slice(next).reverse();
      while (joins.length && rest.length &&
             spent + meta.shard_bytes * 8 + meta.chunk_bytes * 1.25 <= BUDGET) {
        var g = joins.shift();
        var n = shardOf(g, meta.shards);
        var shard = await self.file("index/" + n + ".json");
        if (shardIds.indexOf(n) < 0) {
          shardIds.push(n);
          spent += jsonBytes(shard);
        }
        rest = shard[g] === undefined ? [] : intersect(rest, decodePostings(shard[g]));
      }
      candidates = candidates.slice(0, next).concat(rest.reverse());
    };
    while (next < candidates.length && results.length < limit && fits(1)) {
      if (joins.length && next >= 4 && results.length * 4 < next * 3) {
        await narrow();
        if (next >= candidates.length || !fits(1)) break;
      }
      // The next few chunks the candidates need, read together.
      var wanted = [];
      var j = next;
      while (j < candidates.length && wanted.length < 4 && fits(wanted.length + 1)) {
        var c = Math.floor(candidates[j] / meta.chunk);
        if (wanted.indexOf(c) < 0) wanted.push(c);
        j++;
      }
      var docs = await Promise.all(wanted.map(function (c) {
        return self.file("docs/" + c + ".json");
      }));
      chunksRead += wanted.length;
      docs.forEach(function (doc) { spent += jsonBytes(doc); });
      while (next < candidates.length && results.length < limit) {
        var id = candidates[next];
        var at = wanted.indexOf(Math.floor(id / meta.chunk));
        if (at < 0) break;
        var doc = docs[at];
        var row = doc.records[id % meta.chunk];
        var day = doc.days[row[0]];
        var rec = {
          url: day[0], date: day[1], label: day[2], kind: day[3] || "day",
          section: row[1], heading: row[2], text: row[3],
        };
        var s = score(rec.text, ts);
        if (s > 0) {
          results.push({
            id: id, url: rec.url, date: rec.date, label: rec.label, kind: rec.kind,
            section: rec.section, heading: rec.heading, score: s,
            snippet: snippet(rec.text, ts),
          });
        }
        next++;
      }
    }
    var complete = next >= candidates.length;
    results.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
    var total = exact ? candidates.length : results.length;
    return { terms: ts, results: results, total: total, complete: exact || complete };
  };

  var api = {
    VERSION: VERSION, fold: fold, terms: terms, fnv1a32: fnv1a32, shardOf: shardOf,
    gramsOf: gramsOf, decodePostings: decodePostings, intersect: intersect,
    score: score, snippet: snippet, Searcher: Searcher,
  };

  // ---- the page ----------------------------------------------------------

  function messages(lang) {
    var en = lang === "en";
    return {
      none: en ? "No results" : "見つかりませんでした",
      count: function (n, more) {
        return en ? n + (more ? "+" : "") + " results" : n + (more ? "件以上" : "件");
      },
      file: en
        ? "search needs the site served over http (GitHub Pages or logsite serve)"
        : "検索には http での配信が必要です（GitHub Pages または logsite serve）。search needs the site served over http (GitHub Pages or logsite serve)",
      failed: en ? "Search is unavailable: " : "検索できません: ",
      // The site's names for these (src/site/i18n.rs: kb, explainers).
      kinds: en
        ? { day: "Day", kb: "Troubleshooting", explainer: "Explainer", page: "Page" }
        : { day: "日報", kb: "トラブルシューティング", explainer: "解説", page: "ページ" },
    };
  }

  function attach(doc, win) {
    var input = doc.getElementById("search-input");
    var box = doc.getElementById("search-results");
    if (!input || !box) return;
    var rootPath = doc.body.getAttribute("data-root") || "";
    var msg = messages(doc.documentElement.lang);
    var searcher = new Searcher(function (path) {
      return win.fetch(rootPath + "search/" + path).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + path);
        return r.json();
      });
    });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var selected = -1;
    var seq = 0;
    var timer = null;

    function links() {
      return box.querySelectorAll("a.search-result");
    }
    function show(on) {
      box.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) select(-1);
    }
    function select(i) {
      var all = links();
      selected = all.length ? Math.max(-1, Math.min(i, all.length - 1)) : -1;
      for (var k = 0; k < all.length; k++) {
        all[k].setAttribute("aria-selected", k === selected ? "true" : "false");
      }
      if (selected >= 0) {
        input.setAttribute("aria-activedescendant", all[selected].id);
        all[selected].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function status(text, kind) {
      var p = doc.createElement("div");
      p.className = "search-status";
      p.setAttribute("role", "status");
      p.setAttribute("data-status", kind);
      p.textContent = text;
      return p;
    }
    // The box holds the status line and, when something was found, a listbox of
    // the results: a listbox may hold only options (ARIA), so the count sits
    // beside it, and the input controls the listbox while one is shown.
    function clear() {
      box.textContent = "";
      input.setAttribute("aria-controls", box.id);
    }
    function render(answer) {
      clear();
      selected = -1;
      if (!answer.results.length) {
        box.appendChild(status(msg.none, "none"));
      } else {
        box.appendChild(status(msg.count(answer.total, !answer.complete), "results"));
        var list = doc.createElement("div");
        list.id = "search-listbox";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "search");
        box.appendChild(list);
        input.setAttribute("aria-controls", list.id);
      }
      answer.results.forEach(function (r, i) {
        var a = doc.createElement("a");
        a.className = "search-result";
        a.id = "search-result-" + i;
        a.href = rootPath + r.url;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.setAttribute("data-url", r.url);
        a.setAttribute("data-section", r.section);
        a.setAttribute("data-kind", r.kind);
        a.tabIndex = -1;
        var kind = doc.createElement("span");
        kind.className = "result-kind";
        kind.textContent = msg.kinds[r.kind] || r.kind;
        a.appendChild(kind);
        a.appendChild(doc.createTextNode(" "));
        var day = doc.createElement("span");
        day.className = "result-day";
        day.textContent = r.label;
        a.appendChild(day);
        if (r.heading) {
          a.appendChild(doc.createTextNode(" "));
          var sec = doc.createElement("span");
          sec.className = "section-name";
          sec.textContent = r.heading;
          a.appendChild(sec);
        }
        var snip = doc.createElement("span");
        snip.className = "snippet";
        snip.style.display = "block";
        r.snippet.forEach(function (seg) {
          if (seg.mark) {
            var m = doc.createElement("mark");
            m.textContent = seg.text;
            snip.appendChild(m);
          } else {
            snip.appendChild(doc.createTextNode(seg.text));
          }
        });
        a.appendChild(snip);
        list.appendChild(a);
      });
      show(true);
    }
    function run() {
      var query = input.value;
      var mine = ++seq;
      if (!terms(query).length) {
        clear();
        show(false);
        return;
      }
      searcher.search(query).then(function (answer) {
        if (mine === seq) render(answer);
      }, function (e) {
        if (mine !== seq) return;
        clear();
        if (win.location.protocol === "file:") box.appendChild(status(msg.file, "file-protocol"));
        else box.appendChild(status(msg.failed + e.message, "error"));
        show(true);
      });
    }
    input.addEventListener("input", function () {
      if (timer) win.clearTimeout(timer);
      timer = win.setTimeout(run, 120);
    });
    input.addEventListener("focus", function () {
      if (box.childNodes.length && terms(input.value).length) show(true);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (box.hidden) {
          if (!box.childNodes.length) return;
          show(true);
        }
        e.preventDefault();
        var n = links().length;
        if (!n) return;
        if (e.key === "ArrowDown") select(selected + 1 >= n ? 0 : selected + 1);
        else select(selected <= 0 ? n - 1 : selected - 1);
      } else if (e.key === "Enter") {
        var all = links();
        var target = selected >= 0 ? all[selected] : all.length === 1 ? all[0] : null;
        if (target) {
          e.preventDefault();
          win.location.href = target.href;
        }
      } else if (e.key === "Escape") {
        if (!box.hidden) {
          e.preventDefault();
          show(false);
        }
      }
    });
    doc.addEventListener("click", function (e) {
      if (!box.hidden && e.target !== input && !box.contains(e.target)) show(false);
    });
  }

  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.LogsiteSearch = api;
    if (root.document) {
      if (root.document.readyState === "loading") {
        root.document.addEventListener("DOMContentLoaded", function () { attach(root.document, root); });
      } else {
        attach(root.document, root);
      }
    }
  }
})(typeof window !== "undefined" ? window : this);
