//! Files copied as they are: the theme's `static/` (embedded, overridable by the log's
//! own `static/`) and the images that published notes and pages link.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::output::Output;
use super::Site;

/// The theme's static files, embedded.
pub const EMBEDDED: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("site.js", include_bytes!("../../static/site.js")),
    (
        "cors-safelist.js",
        include_bytes!("../../static/cors-safelist.js"),
    ),
    (
        "cors-checks.js",
        include_bytes!("../../static/cors-checks.js"),
    ),
    (
        "cors-check.js",
        include_bytes!("../../static/cors-check.js"),
    ),
    (
        "cors-checker.js",
        include_bytes!("../../static/cors-checker.js"),
    ),
    ("search.js", include_bytes!("../../static/search.js")),
];

pub fn copy(site: &Site, staging: &dyn Output) -> Result<()> {
    for (name, bytes) in EMBEDDED {
        staging.write(&format!("static/{name}"), bytes)?;
    }
    let own = site.root.join("static");
    if own.is_dir() {
        // walkdir does not follow links: each is resolved here, a link out of the log
        // fails the build, and a linked folder inside it is not entered.
        let folders = crate::load::Folders::log(site.root);
        let real_own = folders.inside(&own)?;
        for entry in walkdir::WalkDir::new(&real_own)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            let path = match entry.file_type() {
                t if t.is_file() => entry.path().to_path_buf(),
                // A dangling link is skipped; one leading out of the log fails the build.
                t if t.is_symlink() && entry.path().exists() => folders.inside(entry.path())?,
                _ => continue,
            };
            if path.is_file() {
                let rel = entry.path().strip_prefix(&real_own).unwrap_or(entry.path());
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                staging.write(&format!("static/{}", rel.to_string_lossy()), &bytes)?;
            }
        }
    }
    // Only what published content links: a file linked only from a private section or
    // a draft stays out of the site. Folders are kept as OsStrings, which compare as
    // bytes: a Path compares component by component, which for a log's thousands of
    // screenshots cost more than the rest of copying them.
    let mut media: BTreeSet<(OsString, String)> = BTreeSet::new();
    for day in &site.log.days {
        let dir = day.note.rel_path.parent().unwrap_or(Path::new(""));
        media.extend(
            day.note
                .images()
                .map(|i| (dir.as_os_str().to_os_string(), i.to_string())),
        );
    }
    for &i in site
        .explainers
        .iter()
        .chain(&site.kb_pages)
        .chain(&site.free_pages)
    {
        let page = &site.log.pages[i];
        let dir = page.rel_path.parent().unwrap_or(Path::new(""));
        for (event, _) in crate::markdown::parse(page.body(), crate::markdown::Options::default()) {
            if let crate::markdown::Event::Start(crate::markdown::Tag::Image { dest_url, .. }) =
                event
            {
                media.insert((dir.as_os_str().to_os_string(), dest_url.to_string()));
            }
        }
    }
    // Only regular files whose real path is inside the log folder, and the file itself
    // (symlinks resolved) is what is copied or linked: the site never holds a symlink,
    // nor a hard link to a file outside the log. A missing or refused image is an error
    // diagnostic of its note, and a notice on its page; the build goes on.
    let mut copied = BTreeSet::new();
    let files: Vec<(PathBuf, PathBuf)> = media
        .into_iter()
        .filter_map(
            |(dir, dest)| match site.renderer.image(&dest, Path::new(&dir)).image {
                crate::load::Image::Local { rel, real }
                    if copied.insert(rel.as_os_str().to_os_string()) =>
                {
                    Some((rel, real))
                }
                _ => None,
            },
        )
        .collect();
    // In parallel: a log's screenshots are most of the files a build writes.
    files
        .par_iter()
        .try_for_each(|(rel, real)| staging.copy(&format!("media/{}", rel.to_string_lossy()), real))
}
