//! The site stage: the computed [`Log`] and the templates → every page, the feed, the
//! sitemap and `data/log.json`, rendered in parallel and written atomically.

mod assets;
mod build;
pub mod charts;
pub mod content;
mod folder;
pub mod i18n;
pub mod output;
mod pages;
pub mod search;
mod templates;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use percent_encoding::{AsciiSet, CONTROLS};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Source, SourceKind};
use crate::log::kb::KbEntry;
use crate::log::topics::{FoldedDay, Topic};
use crate::log::Log;
use crate::text::fold;
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

pub use build::{
    build, build_cached, build_cached_edited_first, build_nested, build_then_exit, SiteCache,
};

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
        // Said the same whether or not a site was there before: the build changed no file.
        write!(f, "The build failed; no file was changed.")
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

/// Finds the explainer terms of every page at once (see [`explainer_hits`]).
struct TermFinder {
    finder: crate::log::topics::WordFinder,
    /// The page of each term given to `finder`.
    page_of: Vec<usize>,
}

impl TermFinder {
    fn new(terms: &[Vec<String>]) -> TermFinder {
        let (words, page_of): (Vec<String>, Vec<usize>) = terms
            .iter()
            .enumerate()
            .flat_map(|(page, words)| words.iter().map(move |w| (w.clone(), page)))
            .unzip();
        TermFinder {
            finder: crate::log::topics::WordFinder::new(&words),
            page_of,
        }
    }
}

/// The pages (indices into the terms of `terms`) one of whose terms a day's folded
/// text mentions, ascending.
fn explainer_hits(terms: &TermFinder, text: &str) -> Vec<usize> {
    let mut pages: Vec<usize> = (terms.finder.found(text).into_iter())
        .map(|word| terms.page_of[word])
        .collect();
    pages.dedup();
    pages
}

/// Every page, the feed and the sitemap come through here (from Tera or from
/// `pages::day_page` and `pages::week_page`): the one place characters XML and HTML
/// forbid are replaced, whatever field they came in by.
fn markup_safe(page: Vec<u8>) -> Vec<u8> {
    crate::text::markup_safe_bytes(page)
}

/// A note's text for its page, search records and folded text: kept by the log, or
/// read again from disk (see [`crate::note::Note::read_text`]).
fn note_text_of(root: &Path, note: &crate::note::Note) -> Result<Arc<str>> {
    note.read_text(root).map_err(|d| anyhow::anyhow!("{d}"))
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
    /// For each page of `log.pages`, the days (indices, ascending) that mention one of
    /// its explainer terms; empty for other pages.
    pub explainer_days: Vec<Vec<usize>>,
    /// Indices into `log.pages` by kind.
    pub explainers: Vec<usize>,
    pub kb_pages: Vec<usize>,
    pub free_pages: Vec<usize>,
    pub renderer: Renderer,
    tera: Arc<tera::Tera>,
    base: tera::Context,
    /// Hash of what every page depends on (templates, config, pages, options).
    global_key: u64,
    /// `base.html` around a day page, made on first use (after `base` is complete);
    /// None when the day page must go through Tera (see [`pages::DayFrame`]).
    day_frame: std::sync::OnceLock<Option<pages::DayFrame>>,
    /// The same around a week page (see [`pages::WeekFrame`]).
    week_frame: std::sync::OnceLock<Option<pages::WeekFrame>>,
    /// The same around a knowledge-base entry (see [`pages::KbFrame`]).
    kb_frame: std::sync::OnceLock<Option<pages::KbFrame>>,
    /// The same around a topic page (see [`pages::TopicFrame`]).
    topic_frame: std::sync::OnceLock<Option<pages::TopicFrame>>,
    /// Names of the log's own templates (`templates/`).
    own_templates: Vec<String>,
    /// Search records made while relating, for the index (see [`Site::relate_streamed`]).
    kept_records: search::KeptRecords,
}

impl<'a> Site<'a> {
    /// [`Site::with_templates`], compiling the log's templates first.
    #[cfg(test)]
    fn new(root: &'a Path, log: &'a Log, options: &BuildOptions) -> Result<Site<'a>> {
        Site::with_templates(root, log, options, templates::load(root)?)
    }

    /// Everything but the topics and the knowledge base's relations to them (see
    /// [`Site::relate`]): enough for a day page, which links only each problem's entry.
    /// `templates` are the log's, compiled (a build does it while the notes are read).
    fn with_templates(
        root: &'a Path,
        log: &'a Log,
        options: &BuildOptions,
        templates: templates::Loaded,
    ) -> Result<Site<'a>> {
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
        let renderer = Renderer::new(root, crate::load::content_dir(root, config), terms, &lang);
        let hand_written: Vec<String> = log
            .pages
            .iter()
            .filter(|p| p.kind == SourceKind::Kb)
            .map(Source::slug)
            .collect();
        let kb = crate::log::kb::group(&log.days, &hand_written);
        let templates::Loaded {
            tera,
            own_hash: own_templates,
            own_names,
        } = templates;
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
            explainer_days: Vec::new(),
            explainers,
            kb_pages: of_kind(SourceKind::Kb),
            free_pages: of_kind(SourceKind::Page),
            renderer,
            tera,
            base,
            global_key,
            day_frame: std::sync::OnceLock::new(),
            week_frame: std::sync::OnceLock::new(),
            kb_frame: std::sync::OnceLock::new(),
            topic_frame: std::sync::OnceLock::new(),
            own_templates: own_names,
            kept_records: Default::default(),
        })
    }

    /// Computes the topics from each day's folded text (parallel to `log.days`) and
    /// relates the knowledge base to them: what every page but a day page needs. Only
    /// the days whose note keys the cache has not seen are searched.
    fn relate(
        &mut self,
        folded: Vec<Arc<FoldedDay>>,
        cache: (&mut crate::log::topics::MentionCache, &[u64]),
    ) {
        let terms = self.explainer_terms();
        let mut explainer_days = vec![Vec::new(); terms.len()];
        let finder = TermFinder::new(&terms);
        for (i, f) in folded.iter().enumerate() {
            for page in explainer_hits(&finder, &f.text) {
                explainer_days[page].push(i);
            }
        }
        self.relate_folded(&folded, cache, explainer_days);
        // The folded texts end here: a cold build does not hold them while it renders;
        // serve's cache keeps its own.
    }

    /// As [`Site::relate`] for a build without a cache: each day is read again, folded,
    /// matched against the topic names and explainer terms, and only its folded
    /// learnings and problems are kept, so every day's folded text is never held at
    /// once (~500 MiB at 100,000 notes). Topic names come from tags alone, so they
    /// are known before any day is folded.
    ///
    /// The search index reads the same plain text: a day whose note text the log keeps
    /// has its search records made here and kept for the index, so its Markdown is
    /// parsed once. The log's budget for text bounds what they hold (16 MiB).
    fn relate_streamed(&mut self) -> Result<()> {
        use crate::log::topics::{self, DayMentions, MentionCache};
        let (root, log) = (self.root, self.log);
        let names = topics::names(&log.days, &log.config.topics.list);
        let words: Vec<String> = names.iter().map(|n| fold(n)).collect();
        let terms = self.explainer_terms();
        let finder = TermFinder::new(&terms);
        let topic_finder = topics::WordFinder::new(&words);
        let site = &*self;
        let per_day: Vec<(Arc<FoldedDay>, DayMentions, Vec<usize>, _)> = log
            .days
            .par_iter()
            .map(|day| {
                let text = note_text_of(root, &day.note)?;
                let sections = topics::section_texts(day, &text);
                let mut folded = FoldedDay::of_sections(day, &text, &sections);
                let found = DayMentions::new(day, &folded, &topic_finder);
                let hits = explainer_hits(&finder, &folded.text);
                folded.text = String::new();
                let records = day
                    .note
                    .text
                    .is_some()
                    .then(|| search::day_records_of(site, day, &sections));
                Ok((Arc::new(folded), found, hits, records))
            })
            .collect::<Result<_>>()?;
        let mut explainer_days = vec![Vec::new(); terms.len()];
        let mut folded = Vec::with_capacity(per_day.len());
        let mut found = Vec::with_capacity(per_day.len());
        let mut records = Vec::with_capacity(per_day.len());
        for (i, (f, m, hits, r)) in per_day.into_iter().enumerate() {
            for page in hits {
                explainer_days[page].push(i);
            }
            folded.push(f);
            found.push(m);
            records.push(r);
        }
        self.kept_records = search::KeptRecords::new(records);
        let (mut cache, keys) = MentionCache::prefilled(&names, found);
        self.relate_folded(&folded, (&mut cache, &keys), explainer_days);
        Ok(())
    }

    fn relate_folded(
        &mut self,
        folded: &[Arc<FoldedDay>],
        cache: (&mut crate::log::topics::MentionCache, &[u64]),
        explainer_days: Vec<Vec<usize>>,
    ) {
        let config = &self.log.config;
        self.topics =
            crate::log::topics::compute(&self.log.days, folded, &config.topics.list, cache);
        let topic_names: Vec<String> = self.topics.iter().map(|t| t.name.clone()).collect();
        crate::log::kb::relate(&mut self.kb, folded, &topic_names);
        self.explainer_days = explainer_days;
    }

    /// Each page's explainer terms, folded (parallel to `log.pages`; none for pages
    /// that are not explainers).
    fn explainer_terms(&self) -> Vec<Vec<String>> {
        self.log
            .pages
            .iter()
            .map(|page| match page.kind {
                SourceKind::Explainer => page.front.terms.iter().map(|t| fold(t)).collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Renders every page into `out`, in parallel. `log_json` is the export when the
    /// caller has it (serve's cache); else it is written as it is serialised.
    fn render_all(
        &self,
        jobs: &[pages::Job],
        log_json: Option<&str>,
        out: &dyn output::Output,
    ) -> Result<()> {
        self.render_pages(jobs, out)?;
        self.write_data(log_json, out)
    }

    /// Renders and writes every page of `jobs`.
    fn render_pages(&self, jobs: &[pages::Job], out: &dyn output::Output) -> Result<()> {
        let progress = Progress::new(jobs.len());
        // A page a piece: split as rayon likes, the pages went to each thread in runs,
        // and the last run (weeks, topics, knowledge base: the heaviest) held one core
        // for the build's last ~50 ms while the other had nothing left to take.
        jobs.par_iter()
            .with_max_len(1)
            .try_for_each(|job| -> Result<()> {
                let (path, bytes) = pages::render(self, job)?;
                progress.tick();
                out.write(&path, &bytes)
            })?;
        progress.finish();
        Ok(())
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
        self.write_data(Some(log_json), out)
    }

    /// The files that are not pages: the data export, the theme, the images.
    fn write_data(&self, log_json: Option<&str>, out: &dyn output::Output) -> Result<()> {
        match log_json {
            Some(json) => out.write("data/log.json", json.as_bytes())?,
            None => out.write_with("data/log.json", &mut |w| {
                crate::log::export::write_json(self.log, w)
            })?,
        }
        out.write(".nojekyll", b"")?;
        assets::copy(self, out)
    }

    /// A context holding the site-wide values and `root` for a page at `depth`.
    fn context(&self, depth: usize) -> tera::Context {
        let mut ctx = self.base.clone();
        ctx.insert("root", &"../".repeat(depth));
        ctx
    }

    /// A page one level down whose view is its whole template context: `framed`, the
    /// page its frame wrote when the theme is built in, else `template` rendered with
    /// the view's fields beside the site-wide values.
    fn framed_or_rendered(
        &self,
        framed: Option<Vec<u8>>,
        view: &impl serde::Serialize,
        template: &str,
    ) -> Result<Vec<u8>> {
        if let Some(page) = framed {
            return Ok(markup_safe(page));
        }
        let mut ctx = self.context(1);
        ctx.extend(tera::Context::from_serialize(view)?);
        self.render_template(template, &ctx)
    }

    fn render_template(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
        // Rendered as bytes into room for a typical page: tera's own `render` starts
        // at 2 KB, grows by copying, and checks the UTF-8 it was given as str again.
        let mut page = Vec::with_capacity(32 << 10);
        self.tera
            .render_to(name, ctx, &mut page)
            .map_err(|e| anyhow::anyhow!(templates::describe(&e)))
            .with_context(|| format!("template {name}"))?;
        Ok(markup_safe(page))
    }

    /// Whether the log has a template of this name of its own.
    fn has_own_template(&self, name: &str) -> bool {
        self.own_templates.iter().any(|own| own == name)
    }

    /// The frame of every day page, or None when day pages go through Tera.
    fn day_frame(&self) -> Option<&pages::DayFrame> {
        self.frame(
            &self.day_frame,
            &templates::DAY_PAGE_TEMPLATES,
            pages::DayFrame::new,
        )
    }

    /// The frame of every week page, or None when week pages go through Tera.
    fn week_frame(&self) -> Option<&pages::WeekFrame> {
        self.frame(
            &self.week_frame,
            &templates::WEEK_PAGE_TEMPLATES,
            pages::WeekFrame::new,
        )
    }

    /// The frame of every knowledge-base entry page, or None when they go through Tera.
    fn kb_frame(&self) -> Option<&pages::KbFrame> {
        self.frame(
            &self.kb_frame,
            &templates::KB_ENTRY_TEMPLATES,
            pages::KbFrame::new,
        )
    }

    /// The frame of every topic page, or None when they go through Tera.
    fn topic_frame(&self) -> Option<&pages::TopicFrame> {
        self.frame(
            &self.topic_frame,
            &templates::TOPIC_PAGE_TEMPLATES,
            pages::TopicFrame::new,
        )
    }

    /// The frame `cell` keeps, made on first use by `make` (from the shell, the site's
    /// language and title); None when the log has one of `own` of its own or the shell
    /// cannot be cut: those pages then go through Tera.
    fn frame<'s, F>(
        &'s self,
        cell: &'s std::sync::OnceLock<Option<F>>,
        own: &[&str],
        make: fn(String, &str, &str) -> Option<F>,
    ) -> Option<&'s F> {
        cell.get_or_init(|| {
            let (shell, site_title) = self.page_shell(own)?;
            make(shell, &self.lang, site_title)
        })
        .as_ref()
    }

    /// `base.html` rendered around the markers of [`templates::PAGE_SHELL`] for a page
    /// one folder deep, and the site's title; None when the log has one of `own` of
    /// its own (the page then goes through Tera).
    fn page_shell(&self, own: &[&str]) -> Option<(String, &str)> {
        if own.iter().any(|name| self.has_own_template(name)) {
            return None;
        }
        let mut shell = Vec::new();
        self.tera
            .render_to(templates::PAGE_SHELL, &self.context(1), &mut shell)
            .ok()?;
        let site_title = self.base.get("site_title")?.as_str()?;
        Some((String::from_utf8(shell).ok()?, site_title))
    }

    /// A note's text, kept or read again (see [`note_text_of`]).
    fn note_text(&self, note: &crate::note::Note) -> Result<Arc<str>> {
        note_text_of(self.root, note)
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
