//! The CORS rules, in Rust and in JavaScript, against one file of vectors.

use std::path::{Path, PathBuf};
use std::process::Command;

use logsite::cors::{evaluate, Scenario, Verdict};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    /// `wpt-file :: test name` for a case taken from web-platform-tests (or
    /// `whatwg/fetch fetch.bs :: algorithm` for one taken from the standard).
    #[serde(default)]
    wpt: Option<String>,
    scenario: Scenario,
    allowed: bool,
    steps: Vec<String>,
    missing_headers: Vec<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vectors_path() -> PathBuf {
    root().join("tests/data/cors-vectors.json")
}

fn load() -> Vec<Vector> {
    let text = std::fs::read_to_string(vectors_path()).expect("read cors-vectors.json");
    serde_json::from_str::<Vectors>(&text)
        .expect("parse cors-vectors.json")
        .vectors
}

fn step_ids(v: &Verdict) -> Vec<String> {
    v.steps
        .iter()
        .map(|s| format!("{}:{}", s.rule, if s.ok { "ok" } else { "fail" }))
        .collect()
}

#[test]
fn every_vector_passes_in_rust() {
    let vectors = load();
    assert!(vectors.len() >= 25, "only {} vectors", vectors.len());
    let mut failures = Vec::new();
    for v in &vectors {
        let got = evaluate(&v.scenario);
        let ids = step_ids(&got);
        if got.allowed != v.allowed || ids != v.steps || got.missing_headers != v.missing_headers {
            failures.push(format!(
                "{}\n  expected allowed={} {:?} missing={:?}\n  rust     allowed={} {:?} missing={:?}",
                v.name, v.allowed, v.steps, v.missing_headers, got.allowed, ids, got.missing_headers
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn vectors_cover_every_rule_both_ways() {
    let vectors = load();
    for rule in [
        "origin",
        "same-origin",
        "mixed-content",
        "localhost",
        "preflight",
        "allow-origin",
        "allow-credentials",
        "allow-methods",
        "allow-headers",
        "redirect",
    ] {
        for outcome in ["ok", "fail"] {
            // A cross-origin request is not a failure: same-origin never fails.
            if rule == "same-origin" && outcome == "fail" {
                continue;
            }
            let id = format!("{rule}:{outcome}");
            assert!(
                vectors.iter().any(|v| v.steps.contains(&id)),
                "no vector expects {id}"
            );
        }
    }
}

#[test]
fn vectors_cite_the_web_platform_tests_they_come_from() {
    let vectors = load();
    let mut per_file = std::collections::BTreeMap::<&str, usize>::new();
    for v in &vectors {
        if let Some(wpt) = &v.wpt {
            let (file, test) = wpt
                .split_once(" :: ")
                .unwrap_or_else(|| panic!("{}: wpt is not `file :: test`: {wpt}", v.name));
            assert!(!test.trim().is_empty(), "{}: no test name", v.name);
            *per_file.entry(file).or_default() += 1;
        }
    }
    for file in [
        "fetch/api/cors/cors-redirect.any.js",
        "fetch/api/cors/cors-redirect-preflight.any.js",
        "fetch/api/cors/cors-preflight-redirect.any.js",
        "fetch/api/cors/cors-redirect-credentials.any.js",
        "fetch/api/cors/cors-preflight-response-validation.any.js",
        "fetch/api/cors/cors-origin.any.js",
        "fetch/api/cors/cors-preflight-star.any.js",
        "fetch/api/cors/cors-preflight-not-cors-safelisted.any.js",
        "fetch/api/cors/cors-preflight-status.any.js",
        "fetch/api/basic/request-forbidden-headers.any.js",
        "fetch/api/request/request-error.js",
        "fetch/api/headers/header-values.html",
        "cors/origin.htm",
        "cors/credentials-flag.htm",
    ] {
        assert!(
            per_file.contains_key(file),
            "no vector from {file}: {per_file:?}"
        );
    }
}

/// fetch() refusing a request (TypeError) is a step of its own, and only
/// ever fails: when fetch() accepts, there is no such step.
#[test]
fn a_refused_request_is_one_failed_step_after_the_origin() {
    for v in load() {
        let got = evaluate(&v.scenario);
        if let Some(i) = got.steps.iter().position(|s| s.rule == "request") {
            assert!(!got.steps[i].ok && i == got.steps.len() - 1, "{}", v.name);
        }
    }
}

#[test]
fn every_step_explains_itself_in_both_languages() {
    for v in load() {
        for s in evaluate(&v.scenario).steps {
            assert!(
                !s.message_ja.is_empty() && !s.message_en.is_empty(),
                "{}: {}",
                v.name,
                s.rule
            );
        }
    }
}

/// The JavaScript twin must agree on every vector and say the very same
/// words: the Rust verdicts go to node, which compares them message by message.
/// CI installs node; without it this test fails rather than skips, as a
/// silently untested checker is what it exists to prevent.
#[test]
fn javascript_rules_agree_with_rust_on_every_vector() {
    let verdicts: Vec<Verdict> = load().iter().map(|v| evaluate(&v.scenario)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let rust_path = dir.path().join("rust-verdicts.json");
    std::fs::write(&rust_path, serde_json::to_string(&verdicts).unwrap()).unwrap();

    let output = Command::new("node")
        .arg(root().join("tests/js/run-vectors.js"))
        .arg(vectors_path())
        .arg(&rust_path)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `node` ({e}): install Node.js (v18+) to test static/cors-check.js")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node tests/js/run-vectors.js failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let expected = format!(
        "js: {} vectors ok, messages identical to rust",
        verdicts.len()
    );
    assert_eq!(stdout.trim(), expected, "stderr: {stderr}");
}
