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
