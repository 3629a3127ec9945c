//! Files copied as they are: the theme's `static/` (embedded, overridable by the log's
//! own `static/`) and the images that published notes and pages link.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Context, Result};

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
        for entry in walkdir::WalkDir::new(&own)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&own).unwrap_or(entry.path());
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                staging.write(&format!("static/{}", rel.to_string_lossy()), &bytes)?;
            }
        }
    }
    // Only what published content links: a file linked only from a private section or
    // a draft stays out of the site.
    let mut media: BTreeSet<PathBuf> = BTreeSet::new();
    for day in &site.log.days {
        let dir = day
            .note
            .rel_path
            .parent()
            .unwrap_or(std::path::Path::new(""));
        media.extend(
            day.note
                .images()
                .filter_map(|i| crate::load::local_file(i, dir)),
        );
    }
    for &i in site
        .explainers
        .iter()
        .chain(&site.kb_pages)
        .chain(&site.free_pages)
    {
        let page = &site.log.pages[i];
        let dir = page.rel_path.parent().unwrap_or(std::path::Path::new(""));
        for (event, _) in crate::markdown::parse(page.body(), crate::markdown::Options::default()) {
            if let crate::markdown::Event::Start(crate::markdown::Tag::Image { dest_url, .. }) =
                event
            {
                media.extend(crate::load::local_file(&dest_url, dir));
            }
        }
    }
    for rel in media {
        let from = site.renderer.content_dir.join(&rel);
        // A missing image is already an error diagnostic of its note; the build goes on.
        if from.is_file() {
            staging.copy(&format!("media/{}", rel.to_string_lossy()), &from)?;
        }
    }
    Ok(())
}
