//! The cohort stage: several learners' `data/log.json` → one mentor's site (overview,
//! shared problems, activity), written atomically like `build`.
//!
//! `log.json` is the interface: a member given as a log folder is built with `build`'s
//! rules into the cohort's `NAME/` and read back from there; a member given as data is
//! read from a file or fetched. The cohort never reads a learner's notes itself.

pub mod config;
pub mod members;
pub mod overview;
mod pages;
pub mod problems;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::site::output::{self, Staging, Under};
use crate::site::{self, BuildOptions};
use config::{CohortConfig, MemberConfig, Source};
use members::{LogData, Member};

/// Shared problems shown on the problems page, those most learners hit first.
const SHARED_LIMIT: usize = 100;

/// How to build a cohort.
#[derive(Clone, Debug)]
pub struct CohortOptions {
    /// Overrides `[cohort] build-dir`.
    pub out_dir: Option<PathBuf>,
    /// Figures are measured from the newest note; today stands in when there is none.
    pub today: NaiveDate,
}

/// What a cohort build did.
#[derive(Debug)]
pub struct CohortSummary {
    pub out_dir: PathBuf,
    pub members: usize,
    /// Members whose site the cohort built, with their build's one-line summary.
    pub built: Vec<String>,
    pub elapsed: Duration,
    /// The `log` members' folders and the `data` files: what `serve` watches.
    pub logs: Vec<PathBuf>,
    pub data_files: Vec<PathBuf>,
}

/// Builds the cohort folder `dir` (holding `cohort.toml`). On any error, naming the
/// member where one is at fault, the previous output is left as it was.
pub fn build(dir: &Path, options: &CohortOptions) -> Result<CohortSummary> {
    let started = Instant::now();
    let config = CohortConfig::load(dir)?;
    let sources: Vec<Source> = config
        .members
        .iter()
        .map(|m| m.source(dir))
        .collect::<Result<_>>()?;
    let goal = match &config.cohort.weekly_goal {
        Some(text) => Some(crate::note::duration::parse(text).with_context(|| {
            format!("[cohort] weekly-goal = \"{text}\" is not a duration such as \"10h\"")
        })?),
        None => None,
    };
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| dir.join(&config.cohort.build_dir));
    output::check_target(dir, &dir.join("cohort.toml"), &out_dir)?;
    let staging = Staging::new(&out_dir)?;
    let lang = config.cohort.language.clone();

    // Log members first, one at a time: each build uses every core already.
    let mut built = Vec::new();
    let mut data: Vec<Option<LogData>> = Vec::with_capacity(sources.len());
    for (m, source) in config.members.iter().zip(&sources) {
        data.push(match source {
            Source::Log(root) => {
                let (summary, data) = build_member(m, root, &config, &out_dir, &staging, options)
                    .with_context(|| format!("member \"{}\"", m.name))?;
                built.push(summary);
                Some(data)
            }
            _ => None,
        });
    }
    let fetched: Vec<Option<LogData>> = config
        .members
        .par_iter()
        .zip(&sources)
        .map(|(m, source)| {
            let read = match source {
                Source::Log(_) => return Ok(None),
                Source::File(path) => members::read_file(path),
                Source::Url(url) => members::fetch(url),
            };
            read.map(Some)
                .with_context(|| format!("member \"{}\"", m.name))
        })
        .collect::<Result<_>>()?;
    let members: Vec<Member> = config
        .members
        .iter()
        .zip(&sources)
        .zip(data.into_iter().zip(fetched))
        .map(|((m, source), (built, fetched))| Member {
            name: m.name.clone(),
            link: link_of(m, source),
            data: built.or(fetched).expect("every member was read"),
        })
        .collect();

    let reference = overview::reference_date(&members, options.today);
    let per_member: Vec<Vec<problems::MemberProblem>> =
        members.par_iter().map(problems::of_member).collect();
    let overview = overview::Overview::new(&members, &per_member, goal, reference);
    let mut shared = problems::share(&members, &per_member, reference, SHARED_LIMIT);
    let title = config.cohort.title.clone().unwrap_or_else(|| {
        if lang == "en" {
            "Cohort"
        } else {
            "コホート"
        }
        .to_string()
    });
    pages::render(&members, &overview, &mut shared, (&title, &lang), &staging)?;
    staging.commit()?;
    let (mut logs, mut data_files) = (Vec::new(), Vec::new());
    for source in sources {
        match source {
            Source::Log(p) => logs.push(p),
            Source::File(p) => data_files.push(p),
            Source::Url(_) => {}
        }
    }
    Ok(CohortSummary {
        out_dir,
        members: members.len(),
        built,
        elapsed: started.elapsed(),
        logs,
        data_files,
    })
}

/// Builds a log member's site into the staging folder's `NAME/` (drafts never, as
/// `build` without `--drafts`) and reads its `log.json` back.
fn build_member(
    m: &MemberConfig,
    root: &Path,
    config: &CohortConfig,
    out_dir: &Path,
    staging: &Staging,
    options: &CohortOptions,
) -> Result<(String, LogData)> {
    if !root.join("book.toml").is_file() && !root.join("content").is_dir() {
        anyhow::bail!(
            "{} is not a logsite log (no book.toml or content/)",
            root.display()
        );
    }
    let log_config = crate::config::Config::load(root)?;
    // Their notes must not be inside the cohort's output, nor the output inside them.
    output::check_target(root, &crate::load::content_dir(root, &log_config), out_dir)?;
    let build_options = BuildOptions {
        include_drafts: false,
        base_url: config
            .cohort
            .site_url
            .as_ref()
            .map(|u| format!("{}/{}/", u.trim_end_matches('/'), m.name)),
        out_dir: None,
        today: options.today,
    };
    let back = if config.cohort.language == "en" {
        "← Cohort"
    } else {
        "← コホート"
    };
    let under = Under::new(staging, &m.name);
    let summary = site::build_nested(root, &build_options, &under, back)
        .map_err(|failure| anyhow::anyhow!("their log does not build:\n{failure}"))?;
    let data = members::read_file(&staging.path().join(&m.name).join("data/log.json"))?;
    Ok((format!("{}: {} days", m.name, summary.days), data))
}

/// Where a member's name links: their own site, the cohort's copy, or the site their
/// data URL belongs to.
fn link_of(m: &MemberConfig, source: &Source) -> Option<String> {
    let with_slash = |u: &str| {
        if u.ends_with('/') {
            u.to_string()
        } else {
            format!("{u}/")
        }
    };
    if let Some(site) = &m.site {
        return Some(with_slash(site));
    }
    match source {
        Source::Log(_) => Some(format!(
            "{}/",
            percent_encoding::utf8_percent_encode(&m.name, site::PATH_SEGMENT)
        )),
        Source::Url(url) => members::site_of_data_url(url),
        Source::File(_) => None,
    }
}
