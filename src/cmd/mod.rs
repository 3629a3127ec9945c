//! The commands: each a clap definition and an `execute`, thin shells over the stages.

pub mod build;
pub mod check;
pub mod cohort;
pub mod completions;
pub mod cors;
pub mod init;
pub mod new;
pub mod report;
pub mod serve;
pub mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::log::{Log, LogOptions};

/// logsite: a static site for your daily learning notes (日報).
#[derive(Debug, Parser)]
#[command(name = "logsite", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new log: book.toml, today's note, .gitignore and a GitHub Pages workflow
    Init(init::InitArgs),
    /// Build the site into public/ (or book.toml's [build] build-dir)
    Build(build::BuildArgs),
    /// Read every note and report what is wrong, by file and line
    Check(check::CheckArgs),
    /// Print study hours: total, this week, last 7 days, streak, per week
    Stats(stats::StatsArgs),
    /// Print a week's report (週報) as Markdown or text, ready to paste
    Report(report::ReportArgs),
    /// CORS tools: `logsite cors probe URL --origin ORIGIN`
    Cors(cors::CorsArgs),
    /// Serve the site with live reload, rebuilding on every change
    Serve(serve::ServeArgs),
    /// Create the note for today (or --date) and print its path
    New(new::NewArgs),
    /// Build a mentor's site over several learners' logs (cohort.toml); `cohort serve`
    Cohort(cohort::CohortArgs),
    /// Print the shell completion script for bash, zsh, fish or powershell
    Completions(completions::CompletionsArgs),
}

/// The flags every command shares.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The log folder (holds book.toml and content/)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Count notes marked `draft` like the others (build and serve then publish them too)
    #[arg(long)]
    pub drafts: bool,
}

impl LogArgs {
    /// Loads the config and the whole log.
    pub fn open(&self) -> Result<Log> {
        let config = Config::load(&self.dir)?;
        Ok(Log::open(&self.dir, config, &self.options()))
    }

    pub fn options(&self) -> LogOptions {
        LogOptions {
            include_drafts: self.drafts,
            today: chrono::Local::now().date_naive(),
            check_images: true,
        }
    }
}

/// A command line that parsed but asks for something that cannot be (a log folder
/// that does not exist): exit 2, like clap's own usage errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Prints a command's error and picks the exit code: 2 for wrong usage, 1 for a
/// problem in the log (a book.toml or note that cannot be read, a file that cannot be
/// written), and 0, silently, when stdout was closed by the reader (`stats --json | head`).
pub fn report_error(e: &anyhow::Error) -> ExitCode {
    let broken_pipe = e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: {e:#}");
    if e.downcast_ref::<UsageError>().is_some() {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let dir = match &cli.command {
        Command::Build(a) => Some(&a.log.dir),
        Command::Check(a) => Some(&a.log.dir),
        Command::Stats(a) => Some(&a.log.dir),
        Command::Report(a) => Some(&a.log.dir),
        Command::Serve(a) => Some(&a.log.dir),
        Command::New(a) => Some(&a.log.dir),
        Command::Cors(_) | Command::Init(_) | Command::Completions(_) | Command::Cohort(_) => None,
    };
    if let Some(dir) = dir.filter(|d| !d.is_dir()) {
        return Err(UsageError(format!(
            "{} is not a folder (give the log folder, the one holding book.toml and content/; `logsite init {}` starts one)",
            dir.display(),
            dir.display()
        ))
        .into());
    }
    match cli.command {
        Command::Build(args) => build::execute(args),
        Command::Check(args) => check::execute(args),
        Command::Stats(args) => stats::execute(args),
        Command::Report(args) => report::execute(args),
        Command::Cors(args) => cors::execute(args),
        Command::New(args) => new::execute(args),
        Command::Serve(args) => serve::execute(args),
        Command::Cohort(args) => cohort::execute(args),
        Command::Init(args) => init::execute(args),
        Command::Completions(args) => completions::execute(args),
    }
}

/// Prints diagnostics to stderr, each with its quoted line.
pub fn print_diagnostics<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diags {
        eprintln!("{d}\n");
    }
}

/// `path` shown relative to the log folder where it is inside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
