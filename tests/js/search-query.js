#!/usr/bin/env node
// Runs static/search.js under node against a built site's search/ folder.
//
//   node tests/js/search-query.js query SITE_DIR QUERIES.json   (a JSON array of strings)
//   node tests/js/search-query.js hash GRAMS.json SHARDS
//   node tests/js/search-query.js grams TERMS.json
//
// `query` prints one JSON object: query → {terms, total, complete, results,
// files, bytes, gzip_bytes, ms, ms_warm}, where files/bytes are what the query read (what a
// browser would download, raw and gzipped). Each query starts with an empty
// cache. `hash` prints [[fnv1a32, shard], …] for each gram, for tests/search.rs
// to compare with Rust; `grams` prints the grams each term is looked up by.
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
// SEARCH_JS=path runs another copy of search.js (scripts/search-download compares two).
const search = require(process.env.SEARCH_JS
  ? path.resolve(process.env.SEARCH_JS)
  : path.join(__dirname, "..", "..", "static", "search.js"));

async function main() {
  const [cmd, a, b] = process.argv.slice(2);
  if (cmd === "hash") {
    const grams = JSON.parse(fs.readFileSync(a, "utf8"));
    const shards = Number(b);
    console.log(JSON.stringify(grams.map((g) => [search.fnv1a32(g), search.shardOf(g, shards)])));
    return;
  }
  if (cmd === "grams") {
    const terms = JSON.parse(fs.readFileSync(a, "utf8"));
    console.log(JSON.stringify(terms.map((t) => search.gramsOf(search.fold(t)))));
    return;
  }
  if (cmd !== "query") throw new Error("usage: search-query.js query SITE_DIR QUERIES.json | hash GRAMS.json SHARDS");
  const queries = JSON.parse(fs.readFileSync(b, "utf8"));
  const out = {};
  for (const q of queries) {
    const read = [];
    const searcher = new search.Searcher((p) => {
      const bytes = fs.readFileSync(path.join(a, "search", p));
      read.push([p, bytes.length, zlib.gzipSync(bytes).length]);
      return JSON.parse(bytes.toString("utf8"));
    });
    const started = process.hrtime.bigint();
    const answer = await searcher.search(q);
    answer.ms = Number(process.hrtime.bigint() - started) / 1e6;
    answer.files = read.map((r) => r[0]);
    answer.bytes = read.reduce((s, r) => s + r[1], 0);
    answer.gzip_bytes = read.reduce((s, r) => s + r[2], 0);
    // Again with every file already read: the time the query logic itself takes.
    const warm = process.hrtime.bigint();
    await searcher.search(q);
    answer.ms_warm = Number(process.hrtime.bigint() - warm) / 1e6;
    out[q] = answer;
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
