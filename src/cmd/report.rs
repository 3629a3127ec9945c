//! `logsite report`: a week's 週報, ready to paste into Slack or esa.

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::LogArgs;
use crate::report::{find_week, Format, WeekReport};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub log: LogArgs,
    /// The week, as `2025-W18`; default: the newest note's week
    #[arg(long)]
    pub week: Option<String>,
    /// How to write it
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
    /// The site's URL, for links to day pages (default: book.toml's site-url)
    #[arg(long)]
    pub base_url: Option<String>,
}

pub fn execute(args: ReportArgs) -> Result<ExitCode> {
    let log = args.log.open()?;
    if log.has_fatal() {
        bail!("the log cannot be read; run `logsite check` for every problem");
    }
    let Some(w) = find_week(&log, args.week.as_deref()) else {
        match &args.week {
            Some(id) => bail!("no note in week {id} (weeks are written like 2025-W18)"),
            None => bail!("no notes yet: nothing to report"),
        }
    };
    let report = WeekReport::new(&log, w).map_err(|d| anyhow::anyhow!("{d}"))?;
    let site_url = args
        .base_url
        .or_else(|| log.config.output.html.site_url.clone())
        .map(|mut u| {
            if !u.ends_with('/') {
                u.push('/');
            }
            u
        });
    print!(
        "{}",
        report.write(args.format, &log.config.book.language, site_url.as_deref())
    );
    Ok(ExitCode::SUCCESS)
}
