//! `logsite check`: every problem in every note, in one run.

use std::process::ExitCode;

use anyhow::Result;

use super::{print_diagnostics, LogArgs};
use crate::diagnostic::Severity;
use crate::note::duration;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub log: LogArgs,
}

/// Prints every diagnostic and what was assumed; exit 1 when there is an error.
pub fn execute(args: CheckArgs) -> Result<ExitCode> {
    let log = args.log.open()?;
    let diags = log.all_diagnostics();
    print_diagnostics(diags.iter().copied());
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (fatal, errors, warnings) = (
        count(Severity::Fatal),
        count(Severity::Error),
        count(Severity::Warning),
    );

    println!("Assumed:");
    match log.config.baseline_minutes() {
        Some(b) => println!("  - hours before the first note: {} (book.toml [hours] baseline)", duration::format(b)),
        None => match log.days.iter().find(|d| d.note.declared.total.is_some()) {
            Some(day) => println!(
                "  - hours before the first note: {}, so that {}'s computed Total equals its declared {}",
                duration::format(log.baseline_minutes),
                day.date(),
                duration::format(day.note.declared.total.as_ref().map_or(0, |f| f.minutes))
            ),
            None => println!("  - hours before the first note: none (no note declares a Total)"),
        },
    }
    println!("  - weeks start on {:?}", log.config.hours.week_start);
    let mut words: Vec<&str> = log
        .config
        .hours
        .exclude
        .iter()
        .map(String::as_str)
        .collect();
    for day in &log.days {
        for w in &day.note.excluded_words {
            if !words.contains(&w.as_str()) {
                words.push(w);
            }
        }
    }
    if !words.is_empty() {
        println!(
            "  - not study time: tasks whose title contains {}",
            words.join(", ")
        );
    }
    if !log.drafts.is_empty() {
        println!(
            "  - {} draft(s) left out of the site and the sums (use --drafts to include)",
            log.drafts.len()
        );
    }
    println!(
        "Checked {} note(s), {} page(s): {fatal} fatal, {errors} error(s), {warnings} warning(s).",
        log.days.len() + log.drafts.len(),
        log.pages.len()
    );
    Ok(if fatal + errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
