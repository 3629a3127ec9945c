#!/usr/bin/env node
// Runs every vector of tests/data/cors-vectors.json through static/cors-check.js.
//
//   node tests/js/run-vectors.js [VECTORS.json] [RUST-VERDICTS.json]
//
// With RUST-VERDICTS (written by tests/cors_rules.rs: one full verdict per
// vector, same order), it also demands the very same messages as Rust.
// Prints one line per mismatch and exits 1 on any; prints a summary and exits 0 otherwise.
"use strict";
const fs = require("fs");
const path = require("path");
const { evaluate } = require(path.join(__dirname, "..", "..", "static", "cors-check.js"));

const vectorsPath = process.argv[2] || path.join(__dirname, "..", "data", "cors-vectors.json");
const rustPath = process.argv[3];
const vectors = JSON.parse(fs.readFileSync(vectorsPath, "utf8")).vectors;
const rust = rustPath ? JSON.parse(fs.readFileSync(rustPath, "utf8")) : null;
if (rust && rust.length !== vectors.length) {
  console.log(`rust verdicts: ${rust.length}, vectors: ${vectors.length}`);
  process.exit(1);
}

const diffs = [];
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
function check(name, field, expected, actual) {
  if (!same(expected, actual)) {
    diffs.push(`${name}\n  ${field}\n    expected ${JSON.stringify(expected)}\n    js       ${JSON.stringify(actual)}`);
  }
}

vectors.forEach((v, i) => {
  const got = evaluate(v.scenario);
  check(v.name, "allowed", v.allowed, got.allowed);
  check(v.name, "steps", v.steps, got.steps.map((s) => `${s.rule}:${s.ok ? "ok" : "fail"}`));
  check(v.name, "missing_headers", v.missing_headers, got.missing_headers);
  if (rust) {
    const r = rust[i];
    const n = Math.max(r.steps.length, got.steps.length);
    for (let k = 0; k < n; k++) {
      const a = r.steps[k] || {}, b = got.steps[k] || {};
      check(v.name, `step ${k} (${a.rule}) message_ja, rust vs js`, a.message_ja, b.message_ja);
      check(v.name, `step ${k} (${a.rule}) message_en, rust vs js`, a.message_en, b.message_en);
    }
    check(v.name, "whole verdict, rust vs js", r, got);
  }
});

if (diffs.length) {
  console.log(`${diffs.length} mismatch(es):\n${diffs.join("\n")}`);
  process.exit(1);
}
console.log(`js: ${vectors.length} vectors ok${rust ? ", messages identical to rust" : ""}`);
