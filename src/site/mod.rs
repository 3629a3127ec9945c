//! The site stage: the computed [`Log`] and the templates → every page, the feed, the
//! sitemap and `data/log.json`, rendered in parallel and written atomically.

mod assets;
pub mod charts;
pub mod content;
pub mod i18n;
pub mod output;
mod pages;
pub mod search;
mod templates;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use percent_encoding::{AsciiSet, CONTROLS};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::SourceKind;
use crate::log::kb::KbEntry;
use crate::log::topics::Topic;
use crate::log::{Log, LogOptions};
use content::{Renderer, Term};

/// Characters percent-encoded in a URL path segment (Japanese stays readable in the
/// file name and is encoded only in links).
pub const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\');

/// How to build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub include_drafts: bool,
    /// Overrides `[output.html] site-url`.
    pub base_url: Option<String>,
    /// Overrides `[build] build-dir` (relative to the current folder when relative).
    pub out_dir: Option<PathBuf>,
    /// "Today": notes after it get a warning; they are built all the same.
    pub today: NaiveDate,
}

impl BuildOptions {
    pub fn new(today: NaiveDate) -> BuildOptions {
        BuildOptions {
            include_drafts: false,
            base_url: None,
            out_dir: None,
            today,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    pub out_dir: PathBuf,
    pub pages: usize,
    pub days: usize,
    pub total_minutes: u32,
    pub elapsed: Duration,
    /// Warnings and errors that did not stop the build.
    pub diagnostics: Vec<Diagnostic>,
    /// Things the build left out and why (no site-url: no sitemap).
    pub notes: Vec<String>,
}

impl fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (errors, warnings) = (
            self.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            self.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
        );
        write!(
            f,
            "Built {} pages from {} days ({} of study) into {} in {} ms ({errors} error(s), {warnings} warning(s))",
            self.pages,
            self.days,
            i18n::hours(self.total_minutes),
            self.out_dir.display(),
            self.elapsed.as_millis()
        )
    }
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub struct BuildFailure {
    /// The notes that could not be read (fatal diagnostics), with file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Anything else: a template error, a folder that cannot be written.
    pub error: Option<anyhow::Error>,
}

impl fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        if let Some(e) = &self.error {
            writeln!(f, "error: {e:#}")?;
        }
        write!(f, "The build failed; the previous site was left as it was.")
    }
}

impl From<anyhow::Error> for BuildFailure {
    fn from(e: anyhow::Error) -> Self {
        BuildFailure {
            diagnostics: Vec::new(),
            error: Some(e),
        }
    }
}

/// Builds the log folder `root` into its build dir. On failure nothing is changed.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    let config = Config::load(root)?;
    let out_dir = match &options.out_dir {
        Some(dir) => dir.clone(),
        None => root.join(&config.build.build_dir),
    };
    output::check_target(root, &crate::load::content_dir(root, &config), &out_dir)?;
    let log_options = LogOptions {
        include_drafts: options.include_drafts,
        today: options.today,
        check_images: true,
    };
    let log = Log::open(root, config, &log_options);
    if log.has_fatal() {
        return Err(BuildFailure {
            diagnostics: log
                .all_diagnostics()
                .into_iter()
                .filter(|d| d.severity == Severity::Fatal)
                .cloned()
                .collect(),
            error: None,
        });
    }
    let site = Site::new(root, &log, options)?;
    let staging = output::Staging::new(&out_dir)?;
    let pages = site.render_all(&staging)?;
    staging.commit()?;
    Ok(BuildSummary {
        out_dir,
        pages,
        days: log.days.len(),
        total_minutes: log.total_minutes(),
        elapsed: started.elapsed(),
        diagnostics: log.all_diagnostics().into_iter().cloned().collect(),
        notes: site.notes(),
    })
}

/// Everything the pages are rendered from, computed once before rendering.
pub struct Site<'a> {
    pub root: &'a Path,
    pub log: &'a Log,
    pub lang: String,
    pub site_url: Option<String>,
    pub topics: Vec<Topic>,
    pub kb: Vec<KbEntry>,
    /// Indices into `log.pages` by kind.
    pub explainers: Vec<usize>,
    pub kb_pages: Vec<usize>,
    pub free_pages: Vec<usize>,
    pub renderer: Renderer,
    tera: tera::Tera,
    base: tera::Context,
}

impl<'a> Site<'a> {
    fn new(root: &'a Path, log: &'a Log, options: &BuildOptions) -> Result<Site<'a>> {
        let config = &log.config;
        let lang = config.book.language.clone();
        let site_url = options
            .base_url
            .clone()
            .or_else(|| config.output.html.site_url.clone())
            .map(|mut u| {
                if !u.ends_with('/') {
                    u.push('/');
                }
                u
            });
        let of_kind = |kind: SourceKind| -> Vec<usize> {
            log.pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == kind && !p.front.draft)
                .map(|(i, _)| i)
                .collect()
        };
        let explainers = of_kind(SourceKind::Explainer);
        let terms = explainers
            .iter()
            .flat_map(|&i| {
                let page = &log.pages[i];
                let url = pages::page_url(page);
                page.front.terms.iter().map(move |t| Term {
                    word: t.clone(),
                    key: t.to_ascii_lowercase(),
                    url: url.clone(),
                })
            })
            .collect();
        let renderer = Renderer::new(crate::load::content_dir(root, config), terms);
        let topics = crate::log::topics::compute(&log.days, &config.topics.list);
        let topic_names: Vec<String> = topics.iter().map(|t| t.name.clone()).collect();
        let kb = crate::log::kb::compute(&log.days, &topic_names);
        let tera = templates::load(root)?;
        let mut base = tera::Context::new();
        base.insert("lang", &lang);
        base.insert(
            "t",
            &i18n::labels(&lang)
                .into_iter()
                .collect::<std::collections::HashMap<_, _>>(),
        );
        let title = config.book.title.clone().unwrap_or_else(|| {
            if lang == "en" {
                "Learning log".into()
            } else {
                "学習日報".into()
            }
        });
        base.insert("site_title", &title);
        base.insert("site_description", &config.book.description);
        base.insert("authors", &config.book.authors);
        base.insert(
            "has_about",
            &log.pages.iter().any(|p| p.kind == SourceKind::Page),
        );
        Ok(Site {
            root,
            log,
            lang,
            site_url,
            topics,
            kb,
            explainers,
            kb_pages: of_kind(SourceKind::Kb),
            free_pages: of_kind(SourceKind::Page),
            renderer,
            tera,
            base,
        })
    }

    /// Renders every page into `staging`, in parallel; returns the number of pages.
    fn render_all(&self, staging: &output::Staging) -> Result<usize> {
        let jobs = pages::jobs(self);
        let count = jobs.len();
        jobs.par_iter().try_for_each(|job| -> Result<()> {
            let (path, bytes) = pages::render(self, job)?;
            staging.write(&path, &bytes)
        })?;
        staging.write(
            "data/log.json",
            crate::log::export::Export::new(self.log)
                .to_json()
                .as_bytes(),
        )?;
        staging.write(".nojekyll", b"")?;
        staging.write(
            output::MARKER,
            b"written by logsite; this folder is replaced on every build\n",
        )?;
        assets::copy(self, staging)?;
        search::write(self, staging)?;
        Ok(count)
    }

    /// A context holding the site-wide values and `root` for a page at `depth`.
    fn context(&self, depth: usize) -> tera::Context {
        let mut ctx = self.base.clone();
        ctx.insert("root", &"../".repeat(depth));
        ctx
    }

    fn render_template(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
        self.tera
            .render(name, ctx)
            .map(String::into_bytes)
            .map_err(|e| anyhow::anyhow!(templates::describe(&e)))
            .with_context(|| format!("template {name}"))
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.site_url.is_none() {
            notes.push("no [output.html] site-url (or --base-url): sitemap.xml was not written and the feed uses relative links".into());
        }
        notes
    }
}
