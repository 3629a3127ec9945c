//! The commands: each a clap definition and an `execute`, thin shells over the stages.

pub mod build;
pub mod check;
pub mod cohort;
pub mod cors;
pub mod new;
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
    /// Build the site into public/ (or book.toml's [build] build-dir)
    Build(build::BuildArgs),
    /// Read every note and report what is wrong, by file and line
    Check(check::CheckArgs),
    /// Print study hours: total, this week, last 7 days, streak, per week
    Stats(stats::StatsArgs),
    /// CORS tools: `logsite cors probe URL --origin ORIGIN`
    Cors(cors::CorsArgs),
    /// Serve the site with live reload, rebuilding on every change
    Serve(serve::ServeArgs),
    /// Create the note for today (or --date) and print its path
    New(new::NewArgs),
    /// Build a mentor's site over several learners' logs (cohort.toml); `cohort serve`
    Cohort(cohort::CohortArgs),
}

/// The flags every command shares.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The log folder (holds book.toml and content/); default: the current folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Include notes marked `draft` in the site, the sums and log.json
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

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::execute(args),
        Command::Check(args) => check::execute(args),
        Command::Stats(args) => stats::execute(args),
        Command::Cors(args) => cors::execute(args),
        Command::New(args) => new::execute(args),
        Command::Serve(args) => serve::execute(args),
        Command::Cohort(args) => cohort::execute(args),
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
