//! `logsite check`: every problem in every note, in one run.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{print_diagnostics, LogArgs};
use crate::diagnostic::{format as diag_format, Severity};
use crate::note::duration;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub log: LogArgs,
    /// How to print the problems: `human` (quoted lines, on stderr), `github` (workflow
    /// commands that GitHub Actions shows as annotations) or `json` (one object a line)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// The shapes `check` prints problems in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

/// Prints every diagnostic and what was assumed; exit 1 when there is an error.
pub fn execute(args: CheckArgs) -> Result<ExitCode> {
    let log = args.log.open()?;
    let diags = log.all_diagnostics();
    match args.format {
        Format::Human => print_diagnostics(diags.iter().copied()),
        Format::Github => {
            let paths = diag_format::RepositoryPaths::find(&args.log.dir);
            let mut out = std::io::stdout().lock();
            for d in &diags {
                writeln!(out, "{}", diag_format::github(d, &paths))?;
            }
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &diags {
                writeln!(out, "{}", diag_format::json(d))?;
            }
        }
    }
    // The summary goes where it cannot spoil the machine-readable lines.
    if args.format == Format::Json {
        summary(&log, &diags, &mut std::io::stderr().lock())
    } else {
        summary(&log, &diags, &mut std::io::stdout().lock())
    }
}

/// What was assumed and the counts; the exit code (1 when there is an error).
fn summary(
    log: &crate::log::Log,
    diags: &[&crate::diagnostic::Diagnostic],
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (fatal, errors, warnings) = (
        count(Severity::Fatal),
        count(Severity::Error),
        count(Severity::Warning),
    );

    writeln!(out, "Assumed:")?;
    match log.config.baseline_minutes() {
        Some(b) => writeln!(out, "  - hours before the first note: {} (book.toml [hours] baseline)", duration::format(b)),
        None => match log.days.iter().find(|d| d.note.declared.total.is_some()) {
            Some(day) => writeln!(out,
                "  - hours before the first note: {}, so that {}'s computed Total equals its declared {}",
                duration::format(log.baseline_minutes),
                day.date(),
                duration::format(day.note.declared.total.as_ref().map_or(0, |f| f.minutes))
            ),
            None => writeln!(out, "  - hours before the first note: none (no note declares a Total)"),
        },
    }?;
    writeln!(out, "  - weeks start on {:?}", log.config.hours.week_start)?;
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
        writeln!(
            out,
            "  - not study time: tasks whose title contains {}",
            words.join(", ")
        )?;
    }
    if !log.drafts.is_empty() {
        writeln!(
            out,
            "  - {} draft(s) left out of the site and the sums (use --drafts to include)",
            log.drafts.len()
        )?;
    }
    writeln!(
        out,
        "Checked {} note(s), {} page(s): {fatal} fatal, {errors} error(s), {warnings} warning(s).",
        log.days.len() + log.drafts.len(),
        log.pages.len()
    )?;
    Ok(if fatal + errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
