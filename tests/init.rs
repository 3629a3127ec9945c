//! `logsite init`: a new log that checks clean, builds, and carries a Pages workflow
//! that publishes from a released binary (checksum verified) without compiling; and
//! that never overwrites a file.

mod common;

use std::path::Path;
use std::process::Command;

use common::run_logsite;
use serde_json::Value;

/// Runs `logsite init` into `dir` with `args`; returns (code, stdout, stderr).
fn init(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["init", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    run_logsite(&all)
}

/// The generated workflow, parsed.
fn workflow(log: &Path) -> Value {
    let text = std::fs::read_to_string(log.join(".github/workflows/pages.yml")).unwrap();
    serde_saphyr::from_str(&text).expect("the workflow is YAML")
}

/// Every step of every job, in order: (job, step).
fn steps(workflow: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (job, body) in workflow["jobs"].as_object().expect("jobs") {
        for step in body["steps"].as_array().expect("steps") {
            out.push((job.clone(), step.clone()));
        }
    }
    out
}

fn run_of(step: &Value) -> &str {
    step["run"].as_str().unwrap_or("")
}

fn uses_of(step: &Value) -> &str {
    step["uses"].as_str().unwrap_or("")
}

#[test]
fn init_makes_a_log_that_checks_clean_builds_and_prints_the_next_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("my-log");
    let (code, out, err) = init(&log, &["--title", "Saburo の日報", "--author", "saburo"]);
    assert_eq!(code, 0, "{err}");
    for step in [
        "logsite serve",
        "git init",
        "git add .",
        "git commit",
        "git push -u origin main",
        "Settings → Pages",
        "Source: GitHub Actions",
        "Run workflow",
    ] {
        assert!(out.contains(step), "the next steps say `{step}`:\n{out}");
    }
    let today = chrono::Local::now().date_naive();
    let note = log.join(today.format("content/%Y/%m/%Y-%m-%d.md").to_string());
    let text = std::fs::read_to_string(&note).expect("today's note is written");
    assert_eq!(
        text,
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/note.md"))
            .unwrap()
            .replace("{{carried_tasks}}", "- ")
            .replace("{{previous}}", "—")
            .replace("{{week}}", "0m")
            .replace("{{total}}", "0m"),
        "today's note is the note template, filled as `logsite new` fills it"
    );
    assert_eq!(
        std::fs::read_to_string(log.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("/public/")
    );

    let (code, out, err) = run_logsite(&["check", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("0 fatal, 0 error(s), 0 warning(s)"),
        "a new log checks clean:\n{out}{err}"
    );
    // A note straight from the template is not a day of study.
    let (code, out, _) = run_logsite(&["stats", log.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("(0 active day(s))") && out.contains("0 day(s)"),
        "{out}"
    );

    let (code, out, err) = run_logsite(&["build", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let index = common::html(&log.join("public"), "index.html");
    assert!(
        common::text_of(&index, "title").contains("Saburo の日報"),
        "the site has the title given to init"
    );
}

#[test]
fn the_book_toml_of_init_holds_every_key_at_its_default_with_a_comment() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = init(tmp.path(), &["--language", "en"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    let config = logsite::config::Config::from_toml(&text).expect("book.toml parses");
    let mut expected = logsite::config::Config::default();
    expected.book.language = "en".into();
    assert_eq!(
        format!("{config:?}"),
        format!("{expected:?}"),
        "every key at its default"
    );
    // Each key line (commented or not) carries a comment, on it or just above it.
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let key = line.trim_start_matches("# ");
        if key.contains(" = ") && !key.starts_with('[') {
            let above = i > 0 && lines[i - 1].starts_with('#');
            assert!(
                key.contains(" # ") || above || line.starts_with("# "),
                "`{line}` has a comment"
            );
        }
    }
    for table in [
        "[book]",
        "[build]",
        "[hours]",
        "[sections]",
        "[topics]",
        "[output.html]",
    ] {
        assert!(text.contains(table), "{table}");
    }
}

#[test]
fn the_pages_workflow_installs_a_released_binary_checks_builds_and_deploys_without_compiling() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &[]).0, 0);
    let wf = workflow(tmp.path());
    assert_eq!(
        wf["env"]["LOGSITE_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "the binary is pinned to the version that wrote the workflow"
    );
    assert_eq!(
        wf["env"]["LOGSITE_RELEASES"].as_str().map(str::to_string),
        Some(format!(
            "{}/releases/download",
            env!("CARGO_PKG_REPOSITORY")
        ))
    );
    let steps = steps(&wf);
    let position = |what: &str, test: &dyn Fn(&Value) -> bool| -> usize {
        steps
            .iter()
            .position(|(_, s)| test(s))
            .unwrap_or_else(|| panic!("no step that {what}: {steps:#?}"))
    };
    let install = position("downloads and verifies the binary", &|s| {
        let run = run_of(s);
        run.contains("curl") && run.contains("sha256.sum") && run.contains("sha256sum --check")
    });
    let check = position("runs check --format github", &|s| {
        run_of(s).contains("logsite check") && run_of(s).contains("--format github")
    });
    let pages = position("configures Pages", &|s| {
        uses_of(s).starts_with("actions/configure-pages@") && s["id"] == "pages"
    });
    let build = position("builds with the Pages base URL", &|s| {
        run_of(s).contains("logsite build")
            && run_of(s).contains("--base-url \"${{ steps.pages.outputs.base_url }}/\"")
    });
    let upload = position("uploads the site", &|s| {
        uses_of(s).starts_with("actions/upload-pages-artifact@")
    });
    let deploy = position("deploys", &|s| {
        uses_of(s).starts_with("actions/deploy-pages@")
    });
    assert!(install < check && check < build && pages < build && build < upload && upload < deploy);
    assert_eq!(steps[deploy].0, "deploy");
    // What is built is what is uploaded.
    assert!(run_of(&steps[build].1).contains("--dest-dir \"${{ runner.temp }}/site\""));
    assert_eq!(
        steps[upload].1["with"]["path"].as_str(),
        Some("${{ runner.temp }}/site")
    );
    for (_, step) in &steps {
        let run = run_of(step);
        assert!(
            !run.contains("cargo") && !uses_of(step).contains("rust"),
            "nothing is compiled: {step}"
        );
    }
    assert_eq!(wf["permissions"]["pages"], "write");
    assert_eq!(wf["permissions"]["id-token"], "write");
}

/// The release archive as the release workflow makes it (see dist-workspace.toml):
/// `logsite-TARGET.tar.xz` holding `logsite-TARGET/logsite`, listed in `sha256.sum`.
fn fake_release(dir: &Path, target: &str, binary: &[u8]) {
    let stem = format!("logsite-{target}");
    std::fs::create_dir_all(dir.join(&stem)).unwrap();
    std::fs::write(dir.join(&stem).join("logsite"), binary).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let bin = dir.join(&stem).join("logsite");
        std::fs::set_permissions(bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let archive = format!("{stem}.tar.xz");
    let ok = Command::new("tar")
        .current_dir(dir)
        .args(["-cJf", &archive, &stem])
        .status()
        .expect("tar (with xz) is installed");
    assert!(ok.success());
    // dist writes `HASH *NAME` (binary mode) lines.
    let sum = Command::new("sha256sum")
        .current_dir(dir)
        .args(["--binary", &archive])
        .output()
        .expect("sha256sum is installed");
    // Another archive's line first: the step must pick its own.
    let other = "0".repeat(64) + " *logsite-aarch64-unknown-linux-musl.tar.xz\n";
    std::fs::write(
        dir.join("sha256.sum"),
        other + &String::from_utf8(sum.stdout).unwrap(),
    )
    .unwrap();
}

/// Runs the workflow's install step as the runner would, against releases at `url`.
fn run_install_step(log: &Path, url: &str, runner: &Path) -> std::process::Output {
    let wf = workflow(log);
    let step = steps(&wf)
        .into_iter()
        .find(|(_, s)| run_of(s).contains("sha256sum --check"))
        .expect("the install step")
        .1;
    let path_file = runner.join("github_path");
    Command::new("bash")
        .current_dir(runner)
        .args(["-c", run_of(&step)])
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", runner)
        .env("GITHUB_PATH", &path_file)
        .env("LOGSITE_VERSION", env!("CARGO_PKG_VERSION"))
        .env("LOGSITE_RELEASES", url)
        .output()
        .expect("bash runs")
}

#[test]
fn the_install_step_installs_the_released_binary_and_refuses_one_whose_checksum_differs() {
    for tool in ["curl", "tar", "xz", "sha256sum"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{tool} is missing: apt-get install curl xz-utils coreutils"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("log");
    assert_eq!(init(&log, &[]).0, 0);
    let releases = tmp.path().join("releases");
    let version_dir = releases.join(format!("v{}", env!("CARGO_PKG_VERSION")));
    std::fs::create_dir_all(&version_dir).unwrap();
    // A stand-in for the released binary (the real one is tens of MB to compress).
    let binary = format!("#!/bin/sh\necho logsite {}\n", env!("CARGO_PKG_VERSION"));
    fake_release(&version_dir, "x86_64-unknown-linux-musl", binary.as_bytes());
    let url = format!("file://{}", releases.display());

    let runner = tmp.path().join("runner");
    std::fs::create_dir_all(&runner).unwrap();
    let out = run_install_step(&log, &url, &runner);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let on_path = std::fs::read_to_string(runner.join("github_path")).unwrap();
    let installed = Path::new(on_path.trim()).join("logsite");
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("logsite {}", env!("CARGO_PKG_VERSION"))
    );

    // The same archive name with other bytes: the step fails before installing.
    let runner = tmp.path().join("runner-tampered");
    std::fs::create_dir_all(&runner).unwrap();
    let archive = version_dir.join("logsite-x86_64-unknown-linux-musl.tar.xz");
    let mut bytes = std::fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&archive, bytes).unwrap();
    let out = run_install_step(&log, &url, &runner);
    assert!(!out.status.success(), "a tampered archive is refused");
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
    assert!(!runner.join("bin/logsite").exists());
    assert!(!runner.join("github_path").exists());
}

#[test]
fn init_refuses_to_overwrite_and_names_every_file_that_exists() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"mine\"\n").unwrap();
    std::fs::write(tmp.path().join(".gitignore"), "target\n").unwrap();
    let (code, out, err) = init(tmp.path(), &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("book.toml") && err.contains(".gitignore"),
        "{err}"
    );
    assert!(
        !err.contains("pages.yml"),
        "only files that exist are named: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("book.toml")).unwrap(),
        "[book]\ntitle = \"mine\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
        "target\n"
    );
    assert!(
        !tmp.path().join(".github").exists() && !tmp.path().join("content").exists(),
        "nothing is written when anything exists"
    );
}

#[test]
fn the_release_makes_the_archives_and_checksum_file_the_workflow_downloads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist: toml::Value = toml::from_str(
        &std::fs::read_to_string(root.join("dist-workspace.toml")).expect("dist-workspace.toml"),
    )
    .unwrap();
    let dist = &dist["dist"];
    let targets: Vec<&str> = dist["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "the release builds {target}");
    }
    assert_eq!(dist["unix-archive"].as_str(), Some(".tar.xz"));
    assert_eq!(dist["checksum"].as_str(), Some("sha256"));
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(init(tmp.path(), &[]).0, 0);
    let text = std::fs::read_to_string(tmp.path().join(".github/workflows/pages.yml")).unwrap();
    for target in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
        assert!(text.contains(&format!("target={target}")), "{target}");
    }
    assert!(text.contains("archive=\"logsite-$target.tar.xz\""));
    // The release workflow dist generated from that config runs on version tags (v0.1.0).
    let release: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        release["on"]["push"]["tags"],
        serde_json::json!(["**[0-9]+.[0-9]+.[0-9]+*"])
    );
}
