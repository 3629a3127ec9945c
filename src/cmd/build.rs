//! `logsite build`: the site, written atomically.

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::LogArgs;

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub log: LogArgs,
}

pub fn execute(_args: BuildArgs) -> Result<ExitCode> {
    bail!("build is not written yet")
}
