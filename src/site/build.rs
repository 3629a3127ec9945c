//! The build itself: load → log → site → files, fresh (`logsite build`) or reusing
//! what the previous build of the process kept (`logsite serve`'s rebuilds).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use super::{note_text_of, output, pages, search, BuildFailure, BuildOptions, BuildSummary, Site};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::log::export;
use crate::log::topics::FoldedDay;
use crate::log::{Log, LogOptions};

/// Builds the log folder `root` into its build dir. On failure nothing is changed.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildFailure> {
    build_with(root, options, None, &mut |_| {}, None, Ending::Freed)
}

/// As [`build`], for a process that ends once the build is done (`logsite build`): the
/// log and the site are left to the operating system instead of freed piece by piece,
/// which took a build of 3,650 notes 10-15 ms of one core after its files were in
/// place.
pub fn build_then_exit(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildFailure> {
    build_with(root, options, None, &mut |_| {}, None, Ending::Exit)
}

/// What becomes of a successful build's log and site.
#[derive(Clone, Copy, PartialEq)]
enum Ending {
    /// Freed (or kept in the cache) as the build returns.
    Freed,
    /// Never freed: the process exits right after.
    Exit,
}

/// Builds the log folder `root` into `out`, a folder of another site (a cohort's
/// `NAME/`) that swaps it in with its own files; every page gets a link, labelled
/// `back`, to the index one folder up. `options.out_dir` is not used.
pub fn build_nested(
    root: &Path,
    options: &BuildOptions,
    out: &dyn output::Output,
    back: &str,
) -> Result<BuildSummary, BuildFailure> {
    build_with(
        root,
        options,
        None,
        &mut |_| {},
        Some((out, back)),
        Ending::Freed,
    )
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
    load: crate::load::LoadCache,
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
    build_with(root, options, Some(cache), &mut |_| {}, None, Ending::Freed)
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
    build_with(root, options, Some(cache), first, None, Ending::Freed)
}

fn build_with(
    root: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut SiteCache>,
    on_first: &mut dyn FnMut(&[String]),
    nested: Option<(&dyn output::Output, &str)>,
    ending: Ending,
) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    let config = Config::load(root)?;
    let out_dir = match &options.out_dir {
        Some(dir) => dir.clone(),
        None => root.join(&config.build.build_dir),
    };
    if nested.is_none() {
        output::check_target(root, &crate::load::content_dir(root, &config), &out_dir)?;
    }
    let log_options = LogOptions {
        include_drafts: options.include_drafts,
        today: options.today,
        check_images: true,
    };
    let mut stages = Stages::new();
    let loaded = match cache.as_deref_mut() {
        Some(c) => crate::load::load_cached(root, &config, &mut c.load),
        None => crate::load::load(root, &config),
    };
    stages.lap("load");
    // The note keys of the previous build, to tell which days were edited since.
    let previous_keys = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.notes.keys))
        .unwrap_or_default();
    // The templates need no note: compiled while the notes are read, they no longer
    // hold up both cores between the two stages.
    let (log, templates) = rayon::join(
        || match cache.as_deref_mut() {
            Some(c) => Log::build_cached(root, config, loaded, &log_options, &mut c.notes),
            None => Log::build(root, config, loaded, &log_options),
        },
        || super::templates::load(root),
    );
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
    let mut site = Site::with_templates(root, &log, options, templates?)?;
    if let Some((_, back)) = nested {
        site.base.insert("parent_label", back);
    }
    // Written into the output folder itself when the previous build there was this
    // process's with the same templates and config.
    let mut in_place = cache
        .as_deref()
        .is_some_and(|c| {
            c.global.as_ref() == Some(&(site.global_key, out_dir.clone()))
                && out_dir.join(output::MARKER).is_file()
        })
        .then(|| output::InPlace::new(&out_dir))
        .transpose()?;
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
    let related = match cache.as_deref_mut() {
        Some(c) => fold_days(root, &log, &keys, c)
            .map(|folded| site.relate(folded, (&mut c.mentions, &keys[..]))),
        None => site.relate_streamed(),
    };
    if let Err(e) = related {
        return Err(match in_place.take() {
            Some(out) => abandon(out, e),
            None => e.into(),
        });
    }
    let jobs = pages::jobs(&site);
    stages.lap("topics and knowledge base");

    let (reused, changed) = match cache.as_deref_mut() {
        Some(c) => {
            let fingerprints: Vec<(String, Option<u64>)> = jobs
                .par_iter()
                .map(|j| pages::fingerprint(&site, j, &keys))
                .collect();
            let done = match in_place {
                Some(out) => {
                    let log_json = export::to_json_cached(&log, (&mut c.export, &keys))
                        .map_err(|d| anyhow::anyhow!("{d}"))?;
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
                    let log_json = export::to_json_cached(&log, (&mut c.export, &keys))
                        .map_err(|d| anyhow::anyhow!("{d}"))?;
                    let staging = output::Staging::new(&out_dir)?;
                    site.render_all(&jobs, Some(&log_json), &staging)?;
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
            stages.lap("pages, search index and files");
            done
        }
        None => match nested {
            Some((out, _)) => {
                write_all(&site, &jobs, out, &mut stages)?;
                (0, None)
            }
            None => {
                let staging = output::Staging::new(&out_dir)?;
                write_all(&site, &jobs, &staging, &mut stages)?;
                let reused = staging.reused();
                staging.commit()?;
                stages.lap("swap into place");
                (reused, None)
            }
        },
    };
    let summary = BuildSummary {
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
        stages: stages.done,
    };
    if ending == Ending::Exit {
        std::mem::forget(site);
        std::mem::forget(log);
        return Ok(summary);
    }
    drop(site);
    if let Some(c) = cache {
        c.notes.restore(log);
    }
    Ok(summary)
}

/// A cold build's pages, files and search index.
fn write_all(
    site: &Site,
    jobs: &[pages::Job],
    out: &dyn output::Output,
    stages: &mut Stages,
) -> Result<()> {
    // The pages, the export with the copied files, and the search index read the log
    // and write files of their own: side by side, the sequential parts of each (the
    // export, the merge of the index's postings) leave the others a core. The index
    // goes first, its sequential part the longest (last, it could end the build on
    // one core), and the export after the pages: at 100,000 notes, the export's
    // batches beside the growing index raised the peak memory by a tenth, and this
    // order lowered it from 937 to 866 MiB.
    let (index, (pages, files)) = rayon::join(
        || search::write(site, out),
        || {
            rayon::join(
                || site.render_pages(jobs, out),
                || site.write_data(None, out),
            )
        },
    );
    pages?;
    files?;
    index?;
    stages.lap("pages, export, files and search index");
    Ok(())
}

/// Each day's folded text ([`FoldedDay`]), from serve's cache where it holds the day's
/// note key, else from the note read again.
fn fold_days(
    root: &Path,
    log: &Log,
    keys: &[u64],
    c: &mut SiteCache,
) -> Result<Vec<Arc<FoldedDay>>> {
    let fresh: Vec<(u64, Arc<FoldedDay>)> = log
        .days
        .par_iter()
        .zip(keys)
        .filter(|(_, k)| !c.folded.contains_key(k))
        .map(|(d, k)| {
            Ok((
                *k,
                Arc::new(FoldedDay::new(d, &note_text_of(root, &d.note)?)),
            ))
        })
        .collect::<Result<_>>()?;
    c.folded.extend(fresh);
    let live: std::collections::HashSet<&u64> = keys.iter().collect();
    c.folded.retain(|k, _| live.contains(k));
    Ok(keys.iter().map(|k| c.folded[k].clone()).collect())
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
