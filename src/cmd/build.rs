//! `logsite build`: the site, written atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::{print_diagnostics, LogArgs};
use crate::site::{self, BuildOptions};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub log: LogArgs,
    /// Write the site here instead of book.toml's [build] build-dir (default public/)
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dest_dir: Option<PathBuf>,
    /// Absolute URL the site is served from, e.g. https://you.github.io/repo/
    /// (used only for the feed, sitemap and 404 page; overrides [output.html] site-url)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long each stage of the build took
    #[arg(long)]
    pub timings: bool,
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            include_drafts: self.log.drafts,
            base_url: self.base_url.clone(),
            out_dir: self.dest_dir.clone(),
            today: chrono::Local::now().date_naive(),
        }
    }
}

/// Builds; on failure prints why and leaves the previous site untouched (exit 1).
pub fn execute(args: BuildArgs) -> Result<ExitCode> {
    match site::build_then_exit(&args.log.dir, &args.options()) {
        Ok(summary) => {
            print_diagnostics(summary.diagnostics.iter());
            for note in &summary.notes {
                eprintln!("note: {note}");
            }
            println!("{summary}");
            if args.timings {
                for (stage, took) in &summary.stages {
                    println!("  {:>6} ms  {stage}", took.as_millis());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            eprintln!("{failure}");
            Ok(ExitCode::from(1))
        }
    }
}
