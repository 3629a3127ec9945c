//! The default theme, embedded in the binary; a file of the same name in the log's
//! `templates/` folder wins.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

/// The built-in templates, by name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("day.html", include_str!("../../templates/day.html")),
    ("week.html", include_str!("../../templates/week.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("next.html", include_str!("../../templates/next.html")),
    (
        "kb_index.html",
        include_str!("../../templates/kb_index.html"),
    ),
    (
        "kb_entry.html",
        include_str!("../../templates/kb_entry.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];

/// The templates of one build.
pub struct Loaded {
    pub tera: Arc<tera::Tera>,
    /// Hash of the log's own templates (0 without any): a rebuild knows they changed.
    pub own_hash: u64,
    /// Names of the log's own templates: where the built-in ones are used, a page may
    /// be made without Tera or with less in its context (`pages::day_page`,
    /// `pages::week_page`, topics).
    pub own_names: Vec<String>,
}

/// The templates a day page is made from.
pub const DAY_PAGE_TEMPLATES: [&str; 3] = ["base.html", "day.html", "macros.html"];

/// The templates a week page is made from.
pub const WEEK_PAGE_TEMPLATES: [&str; 3] = ["base.html", "week.html", "macros.html"];

/// The templates a topic page is made from (`topic.html` imports `macros.html`).
pub const TOPIC_PAGE_TEMPLATES: [&str; 3] = ["base.html", "topic.html", "macros.html"];

/// The templates a knowledge-base entry page is made from.
pub const KB_ENTRY_TEMPLATES: [&str; 2] = ["base.html", "kb_entry.html"];

/// `base.html` around two markers, for `pages::frame`: its output is the frame of
/// every day page and week page, cut at the markers. Not a name a file of
/// `templates/` can have.
pub const PAGE_SHELL: &str = "logsite/page-shell.html";
const PAGE_SHELL_TEXT: &str = concat!(
    r#"{% extends "base.html" %}"#,
    "{% block title %}\u{1}{% endblock title %}",
    "{% block main %}\u{2}{% endblock main %}"
);

/// Tera with the embedded templates, then the log's own `templates/*.html|*.xml` over
/// them.
/// Parsing the templates is a third of a one-note rebuild in `serve` (and was paid
/// again for every learner of a cohort), so the last ones made are kept, by the hash
/// of the log's own templates, for the next build of the process.
pub fn load(root: &Path) -> Result<Loaded> {
    static LAST: Mutex<Option<(u64, Arc<tera::Tera>)>> = Mutex::new(None);
    let own = own_templates(root)?;
    let own_hash = if own.is_empty() {
        0
    } else {
        crate::log::hash_of(&own)
    };
    let own_names: Vec<String> = own.iter().map(|(name, _)| name.clone()).collect();
    if let Some((hash, tera)) = LAST.lock().expect("templates lock").as_ref() {
        if *hash == own_hash {
            return Ok(Loaded {
                tera: tera.clone(),
                own_hash,
                own_names,
            });
        }
    }
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(EMBEDDED.iter().copied())
        .map_err(|e| anyhow::anyhow!(describe(&e)))?;
    tera.add_raw_template(PAGE_SHELL, PAGE_SHELL_TEXT)
        .map_err(|e| anyhow::anyhow!(describe(&e)))?;
    if !own.is_empty() {
        tera.add_raw_templates(own)
            .map_err(|e| anyhow::anyhow!("templates/: {}", describe(&e)))?;
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera escapes `/` too, which makes every URL `..&#x2F;days&#x2F;…`: valid but
    // unreadable in the output. Escaping the five markup characters is enough.
    tera.set_escape_fn(escape_markup);
    let tera = Arc::new(tera);
    *LAST.lock().expect("templates lock") = Some((own_hash, tera.clone()));
    Ok(Loaded {
        tera,
        own_hash,
        own_names,
    })
}

/// The log's own templates (name, text), sorted by name; none without `templates/`.
fn own_templates(root: &Path) -> Result<Vec<(String, String)>> {
    let dir = root.join("templates");
    let mut own = Vec::new();
    if !dir.is_dir() {
        return Ok(own);
    }
    // A template's text ends up in every page: a link out of the log is refused.
    let folders = crate::load::Folders::log(root);
    let real_dir = folders.inside(&dir)?;
    for entry in
        std::fs::read_dir(&real_dir).with_context(|| format!("cannot read {}", dir.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.ends_with(".html") || name.ends_with(".xml") {
            let path = folders.inside(&path)?;
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            own.push((name, text));
        }
    }
    own.sort();
    Ok(own)
}

fn escape_markup(s: &str) -> String {
    super::content::escape(s)
}

/// Tera's error with its causes, which hold the useful part (line, variable).
pub fn describe(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
