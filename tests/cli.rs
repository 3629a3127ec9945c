//! The command line as a learner meets it: exit codes (0 done, 1 a problem in the log,
//! 2 wrong usage), machine-readable `check` output, a reader that stops early, shell
//! completions and the help text.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{run_logsite, TempLog};
use serde_json::Value;

/// A log with a missing screenshot (an error) and hours outside parentheses (warnings),
/// in a git repository one folder up, so paths from the repository root differ from
/// paths from the log folder.
fn repo_with_problems() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let log = repo.path().join("my log");
    let note = "## 取り組んだ課題一覧\n- infra 1h\n- backend: 2h\n- review(1h)\n\n## わかったこと\n- 50% done, a:b\n![shot](missing.png)\n\n## 学習時間\n- Today: 4h\n";
    std::fs::create_dir_all(log.join("content")).unwrap();
    std::fs::write(log.join("content/2025-05-01.md"), note).unwrap();
    (repo, log)
}

#[test]
fn check_format_github_prints_workflow_commands_with_paths_from_the_repository_root() {
    let (_repo, log) = repo_with_problems();
    let (code, out, err) = run_logsite(&["check", log.to_str().unwrap(), "--format", "github"]);
    assert_eq!(code, 1, "a missing image is an error: {out}{err}");
    let commands: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        commands.contains(
            &"::warning file=my log/content/2025-05-01.md,line=2,col=3,title=logsite warning::`1h` is outside parentheses, so it is not read as the task's hours: write `- infra(1h)`"
        ),
        "{out}"
    );
    let error = commands
        .iter()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("an ::error line: {out}"));
    assert!(
        error.starts_with("::error file=my log/content/2025-05-01.md,line=8,col=1,title=logsite error::image `missing.png` does not exist"),
        "{error}"
    );
    // Every command is one line and has file, line and column.
    for c in &commands {
        assert!(
            c.contains("file=") && c.contains(",line=") && c.contains(",col="),
            "{c}"
        );
    }
}

#[test]
fn check_format_json_prints_one_object_per_diagnostic_and_keeps_stdout_clean() {
    let (_repo, log) = repo_with_problems();
    let (code, out, err) = run_logsite(&["check", log.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let diags: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(diags.len(), 4, "{out}");
    for d in &diags {
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["column", "line", "message", "path", "severity"],
            "{d}"
        );
        assert_eq!(
            d["path"], "content/2025-05-01.md",
            "paths from the log folder"
        );
    }
    assert!(diags
        .iter()
        .any(|d| d["severity"] == "error" && d["line"] == 8 && d["column"] == 1));
    let declared = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("declared Today"))
        .expect("the declared Today differs");
    assert_eq!(
        declared["message"],
        "declared Today 4h but logsite computes 1h (the hours at lines 2, 3 are outside parentheses and not counted: put them in parentheses first)",
        "no value is advised while hours are left uncounted"
    );
    assert!(
        err.contains("Checked 1 note(s)"),
        "the summary goes to stderr: {err}"
    );
}

#[test]
fn exit_codes_are_one_for_a_problem_in_the_log_and_two_for_wrong_usage() {
    // An unreadable note: stats and build (1), check (1).
    let log = TempLog::new(&[("content/2025-05-01.md", b"\xff\xfe not utf-8")]);
    let dir = log.path().to_str().unwrap();
    for command in ["stats", "check", "build"] {
        let (code, out, err) = run_logsite(&[command, dir]);
        assert_eq!(code, 1, "{command}: {out}{err}");
    }
    // An unknown placeholder in the log's note template (1, naming it).
    let log = TempLog::new(&[
        ("content/2025-05-01.md", b"## Tasks\n- a(1h)\n"),
        ("templates/note.md", b"# {{nonsense}}\n"),
    ]);
    let (code, _, err) = run_logsite(&["new", log.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("{{nonsense}}"), "{err}");
    // A book.toml with a typo (1).
    let log = TempLog::new(&[("book.toml", b"[book]\ntitel = \"x\"\n")]);
    assert_eq!(run_logsite(&["check", log.path().to_str().unwrap()]).0, 1);
    // Wrong usage (2): an unknown flag, a bad value, a folder that does not exist.
    assert_eq!(run_logsite(&["build", "--nope"]).0, 2);
    assert_eq!(run_logsite(&["check", "--format", "xml"]).0, 2);
    assert_eq!(run_logsite(&["init", "--language", "fr"]).0, 2);
    let (code, _, err) = run_logsite(&["stats", "/nonexistent/log"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/log is not a folder"), "{err}");
    // Done (0).
    let (code, out, _) = run_logsite(&["--version"]);
    assert_eq!(
        (code, out.trim()),
        (0, format!("logsite {}", env!("CARGO_PKG_VERSION")).as_str())
    );
}

/// What a spawned command wrote to stderr, read to the end.
fn all_of_stderr(child: &mut std::process::Child) -> String {
    let mut err = String::new();
    let mut pipe = child.stderr.take().expect("stderr is piped");
    pipe.read_to_string(&mut err).unwrap();
    err
}

#[test]
fn stats_json_into_a_reader_that_stops_early_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_logsite"))
        .args(["stats", "--json", common::sample_root().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -c 100`: read a little, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let err = all_of_stderr(&mut child);
    let status = child.wait().unwrap();
    assert_eq!(err, "", "nothing on stderr");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef logsite"),
        ("fish", "complete -c logsite"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = run_logsite(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell} completion has `{marker}`");
        assert!(
            out.contains("init") && out.contains("check"),
            "{shell} knows the commands"
        );
    }
}

#[test]
fn help_says_what_drafts_does_and_the_folder_default_once() {
    for command in ["new", "check", "stats", "build"] {
        let (code, out, _) = run_logsite(&[command, "--help"]);
        assert_eq!(code, 0);
        assert!(!out.contains("in the site"), "{command} --help: {out}");
        assert_eq!(out.matches("[default: .]").count(), 1, "{command}: {out}");
        assert!(!out.contains("current folder"), "{command}: {out}");
    }
}

#[test]
fn a_failed_first_build_does_not_speak_of_a_previous_site() {
    let log = TempLog::new(&[("content/2025-05-01.md", b"\xff\xfe not utf-8")]);
    let (code, _, err) = run_logsite(&["build", log.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(!err.contains("previous site"), "{err}");
    assert!(!log.path().join("public").exists());
}

#[cfg(unix)]
#[test]
fn serve_prints_errors_that_did_not_stop_the_build_with_file_and_line() {
    let note = "## 取り組んだ課題一覧\n- a(1h)\n\n![shot](missing.png)\n";
    let log = TempLog::new(&[("content/2025-05-01.md", note.as_bytes())]);
    // The URL on stdout comes after the first build.
    let (mut child, url) =
        common::serving::spawn_serve_binary(log.path(), std::time::Duration::from_secs(30));
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        url.is_some_and(|u| u.starts_with("http://")),
        "the server started"
    );
    let err = all_of_stderr(&mut child);
    assert!(
        err.contains("error: image `missing.png` does not exist")
            && err.contains("--> content/2025-05-01.md:4:1")
            && err.contains("4 | ![shot](missing.png)"),
        "the terminal shows the error with file, line and the line itself:\n{err}"
    );
}

#[test]
fn check_quotes_each_missing_image_under_its_own_line() {
    // Many missing images in one note: each error quotes the line it is on, the last
    // one on a final line without a line feed.
    let mut note = String::from("## わかったこと\n");
    for i in 0..200 {
        note.push_str(&format!("- 画面 {i}\n![shot {i}](missing-{i}.png)\n"));
    }
    note.push_str("![last](last.png)");
    let log = TempLog::new(&[("content/2025-05-01.md", note.as_bytes())]);
    let (code, out, err) = run_logsite(&["check", log.path().to_str().unwrap()]);
    assert_eq!(code, 1, "missing images are errors: {out}{err}");
    let all = format!("{out}{err}");
    for i in [0, 1, 117, 199] {
        let line = 3 + 2 * i;
        let gutter = " ".repeat(line.to_string().len() + 1);
        assert!(
            all.contains(&format!(
                "error: image `missing-{i}.png` does not exist (looked for missing-{i}.png)\n  --> content/2025-05-01.md:{line}:1\n{gutter}|\n{line} | ![shot {i}](missing-{i}.png)\n"
            )),
            "image {i} is quoted on line {line}:\n{all}"
        );
    }
    assert!(
        all.contains("402 | ![last](last.png)"),
        "the last line is quoted whole:\n{all}"
    );
    assert_eq!(all.matches("does not exist").count(), 201, "{all}");
}
