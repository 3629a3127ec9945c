//! `logsite cohort`: a mentor's site over several learners' logs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::cohort::{self, CohortOptions};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CohortArgs {
    #[command(subcommand)]
    pub action: Option<CohortAction>,
    #[command(flatten)]
    pub build: CohortBuildArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum CohortAction {
    /// Build the cohort and serve it on 127.0.0.1, rebuilding when cohort.toml, a data
    /// file or a log member changes (a folder named `serve`: write `./serve`)
    Serve(CohortServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct CohortServeArgs {
    #[command(flatten)]
    pub build: CohortBuildArgs,
    /// Port to listen on (the next free one is used when it is taken; 0: any free port)
    #[arg(long, short = 'p', default_value_t = 3000)]
    pub port: u16,
    /// Open the overview in the default browser
    #[arg(long, short = 'O')]
    pub open: bool,
    /// Poll for changes instead of OS notifications (WSL, network drives)
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CohortBuildArgs {
    /// The cohort folder (holds cohort.toml); default: the current folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write the site here instead of [cohort] build-dir (default public/)
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dest_dir: Option<PathBuf>,
}

impl CohortBuildArgs {
    pub fn options(&self) -> CohortOptions {
        CohortOptions {
            out_dir: self.dest_dir.clone(),
            today: chrono::Local::now().date_naive(),
        }
    }
}

/// Builds (or serves); a bad configuration or an unreadable member prints why, names
/// the member, leaves the previous site as it was and exits 1.
pub fn execute(args: CohortArgs) -> Result<ExitCode> {
    if let Some(CohortAction::Serve(serve)) = args.action {
        return super::serve::execute_cohort(serve);
    }
    {
        match cohort::build(&args.build.dir, &args.build.options()) {
            Ok(summary) => {
                for line in &summary.built {
                    eprintln!("built {line}");
                }
                println!(
                    "Built the cohort of {} learners into {} in {} ms",
                    summary.members,
                    summary.out_dir.display(),
                    summary.elapsed.as_millis()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                eprintln!("The cohort was not built; the previous site was left as it was.");
                Ok(ExitCode::from(1))
            }
        }
    }
}
