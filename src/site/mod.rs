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

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use percent_encoding::{AsciiSet, CONTROLS};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::SourceKind;
use crate::log::export;
use crate::log::kb::KbEntry;
use crate::log::topics::{FoldedDay, Topic};
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
    /// Files whose bytes were the same as the previous build's (linked, not written).
    pub reused: usize,
    /// Pages written ahead of the rest: the edited days' (see
    /// [`build_cached_edited_first`]).
    pub first: Vec<String>,
    /// The files written (other than `first`) or removed in the output folder, sorted;
    /// `None` when the whole folder was replaced.
    pub changed: Option<Vec<String>>,
    /// How long each stage took, in order (`logsite build --timings`).
    pub stages: Vec<(&'static str, Duration)>,
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
            "Built {} pages from {} days ({} of study) into {} in {} ms, {} file(s) unchanged ({errors} error(s), {warnings} warning(s))",
            self.pages,
            self.days,
            i18n::hours(self.total_minutes),
            self.out_dir.display(),
            self.elapsed.as_millis(),
            self.reused
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
    build_with(root, options, None, &mut |_| {})
}

/// A page counter on stderr for long builds, only when stderr is a terminal (so logs
/// and tests never see it).
struct Progress {
    total: usize,
    done: std::sync::atomic::AtomicUsize,
    shown: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        use std::io::IsTerminal;
        let shown = total >= 1000 && std::io::stderr().is_terminal();
        Progress {
            total,
            done: std::sync::atomic::AtomicUsize::new(0),
            shown,
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if self.shown && done % 250 == 0 {
            eprint!("\rrendering pages: {done}/{}", self.total);
        }
    }

    fn finish(&self) {
        if self.shown {
            eprint!("\r{:40}\r", "");
        }
    }
}

/// Lap times of a build's stages.
struct Stages {
    last: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Stages {
    fn new() -> Stages {
        Stages {
            last: Instant::now(),
            done: Vec::new(),
        }
    }
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.last));
        self.last = now;
    }
}

/// What `serve` keeps between rebuilds, so that an edit re-parses one note and
/// re-renders only the pages whose inputs changed.
#[derive(Default)]
pub struct SiteCache {
    notes: crate::log::NoteCache,
    folded: HashMap<u64, Arc<FoldedDay>>,
    mentions: crate::log::topics::MentionCache,
    export: export::ExportCache,
    /// Each page's input fingerprint at the last build.
    fingerprints: HashMap<String, u64>,
    /// Templates, config and options of the last build: any change means a full build.
    global: Option<(u64, PathBuf)>,
    search: search::SearchCache,
}

/// As [`build`], reusing what `cache` kept from the previous build of this process:
/// the first build is a full one; later ones parse only changed notes, render only
/// pages whose inputs changed (in memory, all before writing any) and write into the
/// output folder only the files whose bytes changed.
pub fn build_cached(
    root: &Path,
    options: &BuildOptions,
    cache: &mut SiteCache,
) -> Result<BuildSummary, BuildFailure> {
    build_with(root, options, Some(cache), &mut |_| {})
}

/// At most this many edited days are written ahead of the rest of a rebuild: more is a
/// checkout or a search-and-replace, not an author looking at the page they edit.
const FIRST_DAYS_MAX: usize = 8;

/// As [`build_cached`], but when a rebuild can reuse the previous site and only a few
/// notes' text changed, their day pages are rendered and written first, and `first` is
/// called with their paths before the rest is computed, so `serve` can show the page
/// being edited at once. Those pages are exactly what the whole build writes; if the
/// rest of the build then fails, they are put back as they were, as is every file.
pub fn build_cached_edited_first(
    root: &Path,
    options: &BuildOptions,
    cache: &mut SiteCache,
    first: &mut dyn FnMut(&[String]),
) -> Result<BuildSummary, BuildFailure> {
    build_with(root, options, Some(cache), first)
}

fn build_with(
    root: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut SiteCache>,
    on_first: &mut dyn FnMut(&[String]),
) -> Result<BuildSummary, BuildFailure> {
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
    let mut stages = Stages::new();
    let loaded = crate::load::load(root, &config);
    stages.lap("load");
    // The note keys of the previous build, to tell which days were edited since.
    let previous_keys = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.notes.keys))
        .unwrap_or_default();
    let log = match cache.as_deref_mut() {
        Some(c) => Log::build_cached(root, config, loaded, &log_options, &mut c.notes),
        None => Log::build(root, config, loaded, &log_options),
    };
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
    stages.lap("notes and hours");
    // A day's note key: the hash of its text (and parse config), which its folded
    // text, topics, export and page depend on.
    let keys: Vec<u64> = match cache.as_deref() {
        Some(c) => log
            .days
            .iter()
            .map(|d| c.notes.keys.get(&d.note.path).copied().unwrap_or(0))
            .collect(),
        None => Vec::new(),
    };
    let mut site = Site::new(root, &log, options)?;
    // Written into the output folder itself when the previous build there was this
    // process's with the same templates and config.
    let mut in_place = cache
        .as_deref()
        .is_some_and(|c| {
            c.global.as_ref() == Some(&(site.global_key, out_dir.clone()))
                && out_dir.join(output::MARKER).is_file()
        })
        .then(|| output::InPlace::new(&out_dir));
    let mut first = Vec::new();
    if let Some(mut out) = in_place.take() {
        let edited: Vec<usize> = (0..log.days.len())
            .filter(|&i| previous_keys.get(&log.days[i].note.path) != Some(&keys[i]))
            .collect();
        if !edited.is_empty() && edited.len() <= FIRST_DAYS_MAX {
            match write_first(&site, &edited, &mut out) {
                Ok(pages) => first = pages,
                Err(e) => return Err(abandon(out, e)),
            }
            stages.lap("edited days' pages");
            on_first(&first);
        }
        in_place = Some(out);
    }
    let folded: Vec<Arc<FoldedDay>> = match cache.as_deref_mut() {
        Some(c) => {
            let fresh: Vec<(u64, Arc<FoldedDay>)> = log
                .days
                .par_iter()
                .zip(&keys)
                .filter(|(_, k)| !c.folded.contains_key(k))
                .map(|(d, k)| (*k, Arc::new(FoldedDay::new(d))))
                .collect();
            c.folded.extend(fresh);
            let live: std::collections::HashSet<&u64> = keys.iter().collect();
            c.folded.retain(|k, _| live.contains(k));
            keys.iter().map(|k| c.folded[k].clone()).collect()
        }
        None => log
            .days
            .par_iter()
            .map(|d| Arc::new(FoldedDay::new(d)))
            .collect(),
    };
    site.relate(
        folded,
        cache.as_deref_mut().map(|c| (&mut c.mentions, &keys[..])),
    );
    let jobs = pages::jobs(&site);
    stages.lap("topics and knowledge base");

    let (reused, changed) = match cache {
        Some(c) => {
            let fingerprints: Vec<(String, Option<u64>)> = jobs
                .par_iter()
                .map(|j| pages::fingerprint(&site, j, &keys))
                .collect();
            let done = match in_place {
                Some(out) => {
                    let log_json = export::to_json_cached(&log, Some((&mut c.export, &keys)));
                    let rest = site
                        .render_changed(
                            &jobs,
                            &fingerprints,
                            &c.fingerprints,
                            &first,
                            &log_json,
                            &out,
                        )
                        .and_then(|()| search::write_cached(&site, &out, Some(&mut c.search)));
                    if let Err(e) = rest {
                        return Err(abandon(out, e));
                    }
                    let reused = out.reused();
                    (reused, Some(out.finish()?))
                }
                None => {
                    let log_json = export::to_json_cached(&log, Some((&mut c.export, &keys)));
                    let staging = output::Staging::new(&out_dir)?;
                    site.render_all(&jobs, &log_json, &staging)?;
                    search::write_cached(&site, &staging, Some(&mut c.search))?;
                    let reused = staging.reused();
                    staging.commit()?;
                    (reused, None)
                }
            };
            c.fingerprints = fingerprints
                .into_iter()
                .filter_map(|(path, fp)| Some((path, fp?)))
                .collect();
            c.global = Some((site.global_key, out_dir.clone()));
            done
        }
        None => {
            let staging = output::Staging::new(&out_dir)?;
            site.render_all(&jobs, &export::to_json_cached(&log, None), &staging)?;
            search::write(&site, &staging)?;
            let reused = staging.reused();
            staging.commit()?;
            (reused, None)
        }
    };
    Ok(BuildSummary {
        out_dir,
        pages: jobs.len(),
        days: log.days.len(),
        total_minutes: log.total_minutes(),
        elapsed: started.elapsed(),
        diagnostics: log.all_diagnostics().into_iter().cloned().collect(),
        notes: site.notes(),
        reused,
        first,
        changed,
        stages: {
            stages.lap("pages, search index and files");
            stages.done
        },
    })
}

/// The failure of a rebuild in place, after putting back what it wrote.
fn abandon(out: output::InPlace, e: anyhow::Error) -> BuildFailure {
    match out.revert() {
        Ok(()) => e.into(),
        Err(r) => {
            anyhow::anyhow!("{e:#}; and the files written could not be put back: {r:#}").into()
        }
    }
}

/// Renders the pages of the days `edited` (all before writing any) and writes them into
/// `out` ahead of the rest; returns their paths.
fn write_first(site: &Site, edited: &[usize], out: &mut output::InPlace) -> Result<Vec<String>> {
    let pages: Vec<(String, Vec<u8>)> = edited
        .par_iter()
        .map(|&i| pages::render(site, &pages::Job::Day(i)))
        .collect::<Result<_>>()?;
    for (path, bytes) in &pages {
        out.write_first(path, bytes)?;
    }
    Ok(pages.into_iter().map(|(path, _)| path).collect())
}

/// Everything the pages are rendered from, computed once before rendering.
pub struct Site<'a> {
    pub root: &'a Path,
    pub log: &'a Log,
    pub lang: String,
    pub site_url: Option<String>,
    pub topics: Vec<Topic>,
    pub kb: Vec<KbEntry>,
    kb_index: std::collections::HashMap<String, usize>,
    /// Each day's published text, folded once (parallel to `log.days`).
    pub folded: Vec<Arc<FoldedDay>>,
    /// Indices into `log.pages` by kind.
    pub explainers: Vec<usize>,
    pub kb_pages: Vec<usize>,
    pub free_pages: Vec<usize>,
    pub renderer: Renderer,
    tera: tera::Tera,
    base: tera::Context,
    /// Hash of what every page depends on (templates, config, pages, options).
    global_key: u64,
}

impl<'a> Site<'a> {
    /// Everything but the topics and the knowledge base's relations to them (see
    /// [`Site::relate`]): enough for a day page, which links only each problem's entry.
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
        let kb = crate::log::kb::group(&log.days);
        let (tera, own_templates) = templates::load(root)?;
        // Everything every page depends on: a change means every page is rendered again.
        let global_key = crate::log::hash_of(&(
            own_templates,
            format!("{:?}", config),
            &site_url,
            options.include_drafts,
            log.pages
                .iter()
                .map(|p| (&p.rel_path, &p.text))
                .collect::<Vec<_>>(),
            env!("CARGO_PKG_VERSION"),
        ));
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
        // Explainers are few and belong in the navigation of every page.
        let nav_explainers: Vec<serde_json::Value> = explainers
            .iter()
            .map(|&i| {
                let page = &log.pages[i];
                let name = page.front.terms.first().or(page.front.title.as_ref());
                serde_json::json!({"title": name, "url": pages::href(&pages::page_url(page))})
            })
            .collect();
        base.insert("nav_explainers", &nav_explainers);
        Ok(Site {
            root,
            log,
            lang,
            site_url,
            topics: Vec::new(),
            kb_index: kb
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect(),
            kb,
            folded: Vec::new(),
            explainers,
            kb_pages: of_kind(SourceKind::Kb),
            free_pages: of_kind(SourceKind::Page),
            renderer,
            tera,
            base,
            global_key,
        })
    }

    /// Computes the topics from each day's folded text (parallel to `log.days`) and
    /// relates the knowledge base to them: what every page but a day page needs. With
    /// a cache and the days' note keys, only days it has not seen are searched.
    fn relate(
        &mut self,
        folded: Vec<Arc<FoldedDay>>,
        cache: Option<(&mut crate::log::topics::MentionCache, &[u64])>,
    ) {
        let config = &self.log.config;
        self.topics =
            crate::log::topics::compute(&self.log.days, &folded, &config.topics.list, cache);
        let topic_names: Vec<String> = self.topics.iter().map(|t| t.name.clone()).collect();
        crate::log::kb::relate(&mut self.kb, &folded, &topic_names);
        self.folded = folded;
    }

    /// Renders every page into `out`, in parallel.
    fn render_all(
        &self,
        jobs: &[pages::Job],
        log_json: &str,
        out: &dyn output::Output,
    ) -> Result<()> {
        let progress = Progress::new(jobs.len());
        jobs.par_iter().try_for_each(|job| -> Result<()> {
            let (path, bytes) = pages::render(self, job)?;
            progress.tick();
            out.write(&path, &bytes)
        })?;
        progress.finish();
        self.write_data(log_json, out)
    }

    /// Renders the pages whose fingerprint changed since `previous`, all in memory
    /// before writing any (a template error then changes nothing), and keeps the rest;
    /// the pages in `first` were written already.
    fn render_changed(
        &self,
        jobs: &[pages::Job],
        fingerprints: &[(String, Option<u64>)],
        previous: &HashMap<String, u64>,
        first: &[String],
        log_json: &str,
        out: &dyn output::Output,
    ) -> Result<()> {
        let rendered: Vec<Option<(String, Vec<u8>)>> = jobs
            .par_iter()
            .zip(fingerprints)
            .map(|(job, (path, fp))| match fp {
                _ if first.contains(path) => Ok(None),
                // Kept only while the file is still there (someone may have deleted it).
                Some(fp) if previous.get(path) == Some(fp) && out.has(path) => Ok(None),
                _ => pages::render(self, job).map(Some),
            })
            .collect::<Result<_>>()?;
        for ((path, _), page) in fingerprints.iter().zip(rendered) {
            match page {
                Some((path, bytes)) => out.write(&path, &bytes)?,
                // Written first, and recorded then.
                None if first.contains(path) => {}
                None => out.keep(path)?,
            }
        }
        self.write_data(log_json, out)
    }

    /// The files that are not pages: the data export, the theme, the images.
    fn write_data(&self, log_json: &str, out: &dyn output::Output) -> Result<()> {
        out.write("data/log.json", log_json.as_bytes())?;
        out.write(".nojekyll", b"")?;
        assets::copy(self, out)
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

    /// The knowledge-base entry of a problem, by its folded title.
    pub fn kb_entry(&self, key: &str) -> Option<&KbEntry> {
        self.kb_index.get(key).map(|&i| &self.kb[i])
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.site_url.is_none() {
            notes.push("no [output.html] site-url (or --base-url): sitemap.xml was not written and the feed uses relative links".into());
        }
        notes
    }
}
