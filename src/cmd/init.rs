//! `logsite init`: a new log in one command, like `zola init` and `mdbook init`:
//! book.toml, today's note, .gitignore and a GitHub Pages workflow for the author's
//! own repository. It never overwrites a file.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::new::{self, Created};
use crate::config::TopicsConfig;

/// book.toml with every key at its default, each with a one-line comment.
pub const BOOK_TOML: &str = include_str!("../../templates/init/book.toml");
/// The build folder, ignored by git.
pub const GITIGNORE: &str = include_str!("../../templates/init/gitignore");
/// The Pages workflow: a released binary, `check --format github`, build, deploy.
pub const PAGES_WORKFLOW: &str = include_str!("../../templates/init/pages.yml");

/// The repository whose releases the workflow downloads (Cargo.toml's `repository`).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to start the log in (made if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The site's title (default: 学習日報, or Learning log in English)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// Your name, shown under the title and in the feed
    #[arg(long, value_name = "A")]
    pub author: Option<String>,
    /// The language of the site's own words and of today's note
    #[arg(long, value_name = "LANG", default_value = "ja", value_parser = ["ja", "en"])]
    pub language: String,
}

/// Writes the new log; exits 1, writing nothing, when any of its files exists.
pub fn execute(args: InitArgs) -> Result<ExitCode> {
    let root = &args.dir;
    let files = [
        ("book.toml", book_toml(&args)),
        (".gitignore", GITIGNORE.to_string()),
        (".github/workflows/pages.yml", pages_workflow()),
    ];
    let content = root.join("content");
    let mut taken: Vec<String> = files
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| root.join(name).symlink_metadata().is_ok())
        .map(str::to_string)
        .collect();
    // Notes already here mean a log already lives here: init adds none beside them.
    if content.symlink_metadata().is_ok() {
        taken.push("content/".to_string());
    }
    if !taken.is_empty() {
        eprintln!(
            "error: {} already exist(s) in {}; logsite init never overwrites a file (move them away, or start the log in another folder)",
            taken.join(", "),
            root.display()
        );
        return Ok(ExitCode::from(1));
    }
    for (name, text) in &files {
        write_new(&root.join(name), text)?;
    }
    let today = chrono::Local::now().date_naive();
    let note = match new::create(root, today, false)? {
        Created::Written(path) => path,
        Created::Exists(path) => path,
    };
    let note = note.strip_prefix(root).unwrap_or(&note);
    println!("Started a log in {}:", root.display());
    for (name, _) in &files {
        println!("  {name}");
    }
    println!("  {}  (today's note)", note.display());
    println!("{}", next_steps(root));
    Ok(ExitCode::SUCCESS)
}

/// What to do after `init`, each command exact.
fn next_steps(root: &Path) -> String {
    let cd = if root == Path::new(".") {
        String::new()
    } else {
        format!("  cd {}\n", shell_word(&root.display().to_string()))
    };
    format!(
        "
Next:
{cd}  logsite serve                     # the site at http://127.0.0.1:3000, rebuilt on every save
  logsite new                       # tomorrow: a new note with your open next steps

Publish it on GitHub Pages (make an empty public repository YOU/REPO on GitHub first):
  git init -b main
  git add .
  git commit -m \"Start my learning log\"
  git remote add origin https://github.com/YOU/REPO.git
  git push -u origin main
Then on GitHub: Settings → Pages → Build and deployment → Source: GitHub Actions,
and once: Actions → Publish the log on GitHub Pages → Run workflow (the first push
ran before Pages was on). Every push to main then checks the notes and publishes
the site at https://YOU.github.io/REPO/."
    )
}

/// `s` quoted for a POSIX shell where it needs to be.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn book_toml(args: &InitArgs) -> String {
    let title = match &args.title {
        Some(t) => format!("title = {}   # the site's title", toml_string(t)),
        None => {
            let default = if args.language == "en" {
                "Learning log"
            } else {
                "学習日報"
            };
            format!("# title = {}   # default: {default}", toml_string(default))
        }
    };
    let authors: Vec<String> = args.author.iter().map(|a| toml_string(a)).collect();
    let topics: Vec<String> = TopicsConfig::default()
        .list
        .iter()
        .map(|t| toml_string(t))
        .collect();
    BOOK_TOML
        .replace("@TITLE@", &title)
        .replace("@AUTHORS@", &format!("[{}]", authors.join(", ")))
        .replace("@LANGUAGE@", &args.language)
        .replace("@TOPICS@", &format!("[{}]", topics.join(", ")))
}

/// The workflow, pinned to this logsite's version.
pub fn pages_workflow() -> String {
    PAGES_WORKFLOW
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPOSITORY@", REPOSITORY)
}

/// A TOML basic string, escaped.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes a file that must not exist yet (checked above; `create_new` closes the race).
fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
