//! `logsite cohort`: a mentor's site over several learners' logs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::cohort::{self, CohortOptions};

#[derive(Debug, clap::Args)]
pub struct CohortArgs {
    #[command(flatten)]
    pub build: CohortBuildArgs,
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
