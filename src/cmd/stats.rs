//! `logsite stats`: the hours at a glance, or the data export as JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::LogArgs;

use crate::log::stats::Summary;
use crate::note::duration::format as hours;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub log: LogArgs,
    /// Print the data export (the same document as data/log.json)
    #[arg(long)]
    pub json: bool,
}

pub fn execute(args: StatsArgs) -> Result<ExitCode> {
    let log = args.log.open()?;
    if log.has_fatal() {
        super::print_diagnostics(
            log.all_diagnostics()
                .into_iter()
                .filter(|d| d.severity == crate::diagnostic::Severity::Fatal),
        );
        bail!("the log cannot be read; run `logsite check` for every problem");
    }
    if args.json {
        // Written as it is serialised: at ten thousand notes the document is ~45 MB.
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        crate::log::export::write_json(&log, &mut out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    // Through a locked stdout with errors returned, not println!: a reader that stops
    // early (`| head`) ends the command quietly instead of a panic.
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let s = Summary::new(&log);
    let Some(now) = s.reference_date else {
        writeln!(out, "No notes yet. Total: {}", hours(s.total_minutes))?;
        return Ok(ExitCode::SUCCESS);
    };
    writeln!(out, "As of {now} (the newest note):")?;
    writeln!(
        out,
        "  Total        {:>10}   ({} days, baseline {})",
        hours(s.total_minutes),
        s.days,
        hours(log.baseline_minutes)
    )?;
    writeln!(
        out,
        "  This week    {:>10}   (last week {})",
        hours(s.this_week_minutes),
        hours(s.last_week_minutes)
    )?;
    writeln!(
        out,
        "  Last 7 days  {:>10}   ({} active day(s))",
        hours(s.last_7_days_minutes),
        s.last_7_days_active
    )?;
    writeln!(
        out,
        "  Streak       {:>10}",
        format!("{} day(s)", s.streak_days)
    )?;
    writeln!(out,)?;
    writeln!(
        out,
        "  {:<10} {:<10} {:>10} {:>5}",
        "week", "from", "hours", "days"
    )?;
    for w in &log.weeks {
        writeln!(
            out,
            "  {:<10} {:<10} {:>10} {:>5}",
            w.id,
            w.start,
            hours(w.minutes),
            w.days.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
