//! The load stage: book.toml, the walk over `content/`, bytes to text, front matter.
//!
//! Nothing here knows what a task or an hour is; it hands the note stage clean text
//! (no BOM, `\n` line ends) and the front matter, and reports files it cannot read.
//! Where a linked image is, and whether it may be published: [`images`].

mod images;

pub use images::{image, Folders, Image};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};

/// What a Markdown file under `content/` is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A daily note: needs a date.
    Note,
    /// `content/explainers/`: a concept page with `terms`.
    Explainer,
    /// `content/kb/`: a hand-written knowledge-base entry.
    Kb,
    /// `content/pages/`: a free page such as "about".
    Page,
}

/// Front matter keys, the same for notes and pages.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    pub date: Option<String>,
    pub title: Option<String>,
    pub draft: bool,
    pub tags: Vec<String>,
    /// Explainers: the words whose first mention on a day page links here.
    pub terms: Vec<String>,
    /// Pages: scripts from `static/` the page needs.
    pub scripts: Vec<String>,
    /// Knowledge-base entries: `open` or `resolved`.
    pub status: Option<String>,
}

/// One readable Markdown file.
#[derive(Clone, Debug)]
pub struct Source {
    /// Path relative to the log folder (`content/2025/04/2025-04-28.md`), for messages.
    pub path: PathBuf,
    /// Path relative to the content folder.
    pub rel_path: PathBuf,
    pub kind: SourceKind,
    /// The file's text: BOM removed, CRLF turned into LF.
    pub text: String,
    /// Byte offset in `text` where the Markdown body starts (after front matter).
    pub body_start: usize,
    pub front: FrontMatter,
    /// The note's date (front matter, file name, then path); `None` for pages.
    pub date: Option<NaiveDate>,
    /// A page's file name in the site (without `.html`): the slug of its own file
    /// name, unless the log stage had to change it (see [`Source::slug`]).
    pub slug: Option<String>,
    /// Byte ranges of `text` blanked as never published (`## 非公開`): set by the log
    /// stage (`note::private::redact`), empty as loaded.
    pub private: Vec<std::ops::Range<usize>>,
    /// A hash of `text` as read, set by a cached load (`serve`) when it reads the file:
    /// a rebuild then tells an edited note from the others without hashing every text
    /// again. `None` from an uncached load.
    pub text_hash: Option<u64>,
}

impl Source {
    /// The page's file name in the site, without `.html`: what the log stage chose, or
    /// the slug of its file name.
    pub fn slug(&self) -> String {
        self.slug.clone().unwrap_or_else(|| {
            let stem = self.rel_path.file_stem().unwrap_or_default();
            crate::text::slug(&stem.to_string_lossy())
        })
    }

    /// The Markdown body after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// Everything read from a log folder.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    /// Files that could not be read as notes (always fatal), and other findings.
    pub diagnostics: Vec<Diagnostic>,
}

/// The log folder's content directory, from the config.
pub fn content_dir(root: &Path, config: &Config) -> PathBuf {
    root.join(&config.book.src)
}

/// Reads every Markdown file under the content folder, in path order.
/// A file that cannot be read is a fatal diagnostic; the others are still read, so one run
/// reports every problem.
pub fn load(root: &Path, config: &Config) -> Loaded {
    load_with(root, config, None)
}

/// What `serve` keeps of the files it read, so that a rebuild reads again only the
/// files that changed on disk.
#[derive(Default)]
pub struct LoadCache {
    sources: HashMap<PathBuf, (FileStamp, Source)>,
}

/// What tells a file changed without reading it: its size, its modification time and,
/// on Unix, its status-change time, which no tool can set back (a copy that keeps the
/// modification time still changes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    changed: (i64, i64),
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            (meta.ctime(), meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let changed = (0, 0);
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            changed,
        })
    }
}

/// As [`load`], taking from `cache` each file whose stamp is the one it was read with,
/// and keeping in it what this load read.
pub fn load_cached(root: &Path, config: &Config, cache: &mut LoadCache) -> Loaded {
    load_with(root, config, Some(cache))
}

/// A file read, or why it could not be.
type SourceOrError = Result<Source, Box<Diagnostic>>;

fn load_with(root: &Path, config: &Config, cache: Option<&mut LoadCache>) -> Loaded {
    let content = content_dir(root, config);
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        loaded.diagnostics.push(Diagnostic::new(
            &config.book.src,
            Severity::Fatal,
            format!("no content folder at {} (notes go in content/, e.g. content/2025/04/2025-04-28.md)", content.display()),
        ));
        return loaded;
    }
    // Unsorted, then sorted once at the end: walkdir's own sorting asks each entry for
    // its file name (parsed from the path) at every comparison, which was most of this
    // stage's time. A path's order is the order of its components, so sorting the
    // paths gives the depth-first order by file name.
    let walker = WalkDir::new(&content).into_iter().filter_entry(|e| {
        e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
    });
    // Walk first, then read and split the files in parallel (order kept):
    // reading is most of the work of this stage, and each file is independent.
    let mut files = Vec::new();
    let mut found: Vec<(PathBuf, Diagnostic)> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| config.book.src.clone());
                let diagnostic =
                    Diagnostic::new(&path, Severity::Fatal, format!("cannot read: {e}"));
                found.push((path, diagnostic));
                continue;
            }
        };
        let markdown = entry
            .path()
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"));
        let path = || relative(root, entry.path());
        if entry.path_is_symlink() && (markdown || entry.path().is_dir()) {
            // Never followed: a link could publish a file from outside the log.
            found.push((path(), Diagnostic::new(
                &path(),
                Severity::Warning,
                "a symbolic link: logsite does not follow links, so this is not published (put the file itself in the content folder)",
            )));
        } else if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "md")
        {
            files.push(entry.into_path());
        } else if entry.file_type().is_file() && markdown {
            found.push((path(), Diagnostic::new(
                &path(),
                Severity::Warning,
                "logsite reads only files ending in `.md` (lower case): this one is skipped (rename it)",
            )));
        }
    }
    files.sort_unstable_by(|a, b| in_path_order(a, b));
    found.sort_by(|a, b| a.0.cmp(&b.0));
    loaded
        .diagnostics
        .extend(found.into_iter().map(|(_, diagnostic)| diagnostic));
    let kept = cache.as_deref();
    let read: Vec<(Option<FileStamp>, SourceOrError)> = files
        .par_iter()
        .map(|file| {
            // Stamped before reading: a save during the read leaves a stamp that will
            // not match, so the next build reads the file again.
            let stamp = kept.and_then(|_| FileStamp::of(file));
            if let Some((_, source)) = kept
                .and_then(|c| c.sources.get(file))
                .filter(|(was, _)| stamp.is_some() && Some(*was) == stamp)
            {
                return (stamp, Ok(source.clone()));
            }
            let rel_path = file.strip_prefix(&content).unwrap_or(file).to_path_buf();
            let path = relative(root, file);
            let source = match std::fs::read(file) {
                Ok(bytes) => read_source(path, rel_path, &bytes).map(|mut source| {
                    if kept.is_some() {
                        source.text_hash = Some(crate::note::text_hash(&source.text));
                    }
                    source
                }),
                Err(e) => Err(Box::new(Diagnostic::new(
                    &path,
                    Severity::Fatal,
                    format!("cannot read: {e}"),
                ))),
            };
            (stamp, source)
        })
        .collect();
    if let Some(cache) = cache {
        // Only what was read anew goes in; what is gone from the disk goes out.
        for (file, (stamp, source)) in files.iter().zip(&read) {
            match (stamp, source) {
                (Some(stamp), Ok(source)) => {
                    if cache.sources.get(file).is_none_or(|(was, _)| was != stamp) {
                        cache.sources.insert(file.clone(), (*stamp, source.clone()));
                    }
                }
                _ => {
                    cache.sources.remove(file);
                }
            }
        }
        if cache.sources.len() > files.len() {
            let live: HashSet<&PathBuf> = files.iter().collect();
            cache.sources.retain(|file, _| live.contains(file));
        }
    }
    let read = read.into_iter().map(|(_, source)| source);
    for result in read {
        match result {
            Ok(source) => {
                loaded.diagnostics.extend(date_disagreement(&source));
                loaded.sources.push(source);
            }
            Err(diag) => loaded.diagnostics.push(*diag),
        }
    }
    loaded
}

/// The order of `Path`'s own comparison (component by component) for the paths a walk
/// gives, without parsing them into components: byte by byte, with the separator
/// lowest, since no name holds it.
fn in_path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let key = |b: u8| {
        if std::path::is_separator(char::from(b)) {
            0
        } else {
            b
        }
    };
    a.iter().map(|&x| key(x)).cmp(b.iter().map(|&x| key(x)))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Which kind of file a content-relative path is.
pub fn kind_of(rel_path: &Path) -> SourceKind {
    match rel_path.iter().next().and_then(|c| c.to_str()) {
        Some("explainers") if rel_path.iter().count() > 1 => SourceKind::Explainer,
        Some("kb") if rel_path.iter().count() > 1 => SourceKind::Kb,
        Some("pages") if rel_path.iter().count() > 1 => SourceKind::Page,
        _ => SourceKind::Note,
    }
}

/// A file's bytes as text: UTF-8 checked, BOM removed, CRLF and CR turned into LF.
pub fn normalized_text(path: &Path, bytes: &[u8]) -> Result<String, Box<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            let mut diag = Diagnostic::new(
                path,
                Severity::Fatal,
                format!("not UTF-8: invalid byte 0x{:02X} at byte offset {offset} (save the file as UTF-8)", bytes[offset]),
            );
            diag.line = Some(line);
            return Err(Box::new(diag));
        }
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// Turns one file's bytes into a Source: UTF-8 check, BOM, CRLF, front matter, date.
pub fn read_source(
    path: PathBuf,
    rel_path: PathBuf,
    bytes: &[u8],
) -> Result<Source, Box<Diagnostic>> {
    let text = normalized_text(&path, bytes)?;
    let kind = kind_of(&rel_path);
    let (front, body_start) = split_front_matter(&path, &text)?;
    let mut source = Source {
        path,
        rel_path,
        kind,
        text,
        body_start,
        front,
        date: None,
        slug: None,
        private: Vec::new(),
        text_hash: None,
    };
    if kind == SourceKind::Note {
        source.date = Some(note_date(&source)?);
    }
    Ok(source)
}

fn note_date(source: &Source) -> Result<NaiveDate, Box<Diagnostic>> {
    if let Some(raw) = &source.front.date {
        // TOML dates may carry a time (`2025-04-28T09:00:00`); the day is what counts.
        let day = raw.get(..10).unwrap_or(raw);
        return NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| {
            let offset = source.text.find("date").unwrap_or(0);
            Box::new(Diagnostic::at(
                &source.path,
                &source.text,
                offset,
                Severity::Fatal,
                format!("front matter date {raw:?} is not a date like 2025-04-28"),
            ))
        });
    }
    crate::note::date::from_file_name(&source.rel_path)
        .or_else(|| crate::note::date::from_path(&source.rel_path))
        .ok_or_else(|| {
            Box::new(Diagnostic::new(
                &source.path,
                Severity::Fatal,
                "no date: name the file by its date (2025-04-28.md), put it in 2025/04/28.md, \
                 or give front matter `date = 2025-04-28`",
            ))
        })
}

/// A note whose front-matter date is not the date its file name or path gives: the
/// front matter wins, but the author may well have copied yesterday's note.
fn date_disagreement(source: &Source) -> Option<Diagnostic> {
    let (Some(date), Some(_)) = (source.date, &source.front.date) else {
        return None;
    };
    let named = crate::note::date::from_file_name(&source.rel_path)
        .or_else(|| crate::note::date::from_path(&source.rel_path))?;
    (named != date).then(|| {
        let front = &source.text[..source.body_start];
        let offset = front
            .match_indices("date")
            .map(|(i, _)| i)
            .find(|&i| i == 0 || front.as_bytes()[i - 1] == b'\n')
            .unwrap_or(0);
        Diagnostic::at(
            &source.path,
            &source.text,
            offset,
            Severity::Warning,
            format!("the front matter says {date} but the file name says {named}: logsite uses the front matter's {date}"),
        )
    })
}

/// Splits `+++` TOML or `---` YAML front matter off the top of `text`.
/// Returns the front matter and the byte offset where the body starts.
fn split_front_matter(path: &Path, text: &str) -> Result<(FrontMatter, usize), Box<Diagnostic>> {
    let fence = if text.starts_with("+++\n") || text == "+++" {
        "+++"
    } else if text.starts_with("---\n") {
        "---"
    } else {
        return Ok((FrontMatter::default(), 0));
    };
    let inner_start = fence.len() + 1;
    let mut offset = inner_start.min(text.len());
    let mut close = None;
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((inner_end, body_start)) = close else {
        return Err(Box::new(Diagnostic::at(
            path,
            text,
            0,
            Severity::Fatal,
            format!("front matter opened with `{fence}` is never closed (add a line `{fence}` after it)"),
        )));
    };
    let inner = &text[inner_start.min(inner_end)..inner_end];
    let parsed = if fence == "+++" {
        parse_toml(inner)
    } else {
        parse_yaml(inner)
    };
    match parsed {
        Ok(front) => Ok((front, body_start)),
        Err((message, line_in_block)) => {
            let line_offset = inner
                .split_inclusive('\n')
                .take(line_in_block.saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            Err(Box::new(Diagnostic::at(
                path,
                text,
                inner_start + line_offset,
                Severity::Fatal,
                format!(
                    "front matter is not valid {}: {message}",
                    if fence == "+++" { "TOML" } else { "YAML" }
                ),
            )))
        }
    }
}

/// Parses TOML front matter; on error, the message and the 1-based line in the block.
fn parse_toml(inner: &str) -> Result<FrontMatter, (String, usize)> {
    let table: toml::Table = toml::from_str(inner).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            inner[..s.start.min(inner.len())].matches('\n').count() + 1
        });
        (e.message().to_string(), line)
    })?;
    // A TOML date (`date = 2025-04-28`) is its own type; make it a string like YAML's.
    let json = toml_to_json(toml::Value::Table(table));
    serde_json::from_value(json).map_err(|e| (e.to_string(), 1))
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => a.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect(),
    }
}

fn parse_yaml(inner: &str) -> Result<FrontMatter, (String, usize)> {
    if inner.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    // Straight into the struct: YAML's `date: 2025-04-28` reads as the string field.
    serde_saphyr::from_str(inner).map_err(|e| {
        let message = e.to_string();
        let line = line_in_message(&message).unwrap_or(1);
        (message, line)
    })
}

/// Pulls "line N" out of a parser's message, where it gives one.
fn line_in_message(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    let digits: String = message[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The UTF-8 check accepts what std accepts, and names the byte std names.
        #[test]
        fn utf8_is_checked_as_std_checks_it(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![
                    b'a', b'\n', 0xE3, 0x81, 0x82, 0xEF, 0xBB, 0xBF, 0xC2, 0xA0, 0xF0, 0x9F,
                    0x98, 0x80, 0xFF, 0xC0, 0xED, 0xA0, 0x80, 0xF4, 0x90,
                ]),
                0..80,
            )
        ) {
            let path = Path::new("content/2025/04/2025-04-28.md");
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            match (normalized_text(path, &bytes), std::str::from_utf8(body)) {
                (Ok(_), Ok(_)) => {}
                (Err(ours), Err(std)) => proptest::prop_assert!(
                    ours.message.contains(&format!("at byte offset {} ", std.valid_up_to())),
                    "{}", ours.message
                ),
                (ours, std) => proptest::prop_assert!(false, "{:?} against {:?}", ours.is_ok(), std.is_ok()),
            }
        }
    }

    #[test]
    fn paths_sort_as_path_compares_them() {
        let mut paths: Vec<PathBuf> = [
            "c/2025/04/a.md",
            "c/2025/04/a-b.md",
            "c/2025/04-x/a.md",
            "c/2025/04/a/b.md",
            "c/2025/04/a.md.md",
            "c/2025/04/b.md",
            "c/2025/4/a.md",
            "c/2025/04/日報.md",
            "c/2025/04/A.md",
            "c/2025-04.md",
            "c/2025/04/a b.md",
            "c/2025/04/a.MD",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut expected = paths.clone();
        expected.sort();
        paths.sort_by(|a, b| in_path_order(a, b));
        assert_eq!(paths, expected);
    }

    fn read(name: &str, bytes: &[u8]) -> Result<Source, Box<Diagnostic>> {
        read_source(
            PathBuf::from("content").join(name),
            PathBuf::from(name),
            bytes,
        )
    }

    #[test]
    fn toml_front_matter_with_a_toml_date() {
        let s = read(
            "x.md",
            b"+++\ndate = 2025-05-01\ntitle = \"T\"\ntags = [\"CORS\"]\n+++\n# body\n",
        )
        .unwrap();
        assert_eq!(s.date.unwrap().to_string(), "2025-05-01");
        assert_eq!(s.front.title.as_deref(), Some("T"));
        assert_eq!(s.front.tags, ["CORS"]);
        assert_eq!(s.body(), "# body\n");
    }

    #[test]
    fn yaml_front_matter() {
        let s = read(
            "2025-05-02.md",
            b"---\ntitle: Y\ndraft: true\ntags: [a, b]\n---\nbody",
        )
        .unwrap();
        assert!(s.front.draft);
        assert_eq!(s.front.tags, ["a", "b"]);
        assert_eq!(s.body(), "body");
    }

    #[test]
    fn bom_and_crlf_are_removed() {
        let s = read("2025-05-02.md", b"\xEF\xBB\xBF## Tasks\r\n- a (1h)\r\n").unwrap();
        assert_eq!(s.text, "## Tasks\n- a (1h)\n");
    }

    #[test]
    fn non_utf8_names_the_byte_offset() {
        let err = read("2025-05-02.md", b"## ok\n\xFF\xFE bad").unwrap_err();
        assert_eq!(err.severity, Severity::Fatal);
        assert!(err.message.contains("byte offset 6"), "{}", err.message);
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn broken_front_matter_names_the_line() {
        let err = read("2025-05-02.md", b"+++\ntitle = \"ok\"\ntags = [\n+++\n").unwrap_err();
        assert_eq!(err.severity, Severity::Fatal);
        assert!(err.line.is_some());
        let err = read("2025-05-02.md", b"+++\ntitle = \"never closed\"\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        let err = read("2025-05-02.md", b"+++\ntitel = \"typo\"\n+++\n").unwrap_err();
        assert!(err.message.contains("titel"), "{}", err.message);
    }

    #[test]
    fn a_note_without_a_date_is_fatal_but_a_page_is_not() {
        let err = read("diary.md", b"## Tasks\n").unwrap_err();
        assert!(err.message.contains("no date"));
        let page = read("pages/about.md", b"# About\n").unwrap();
        assert_eq!(page.kind, SourceKind::Page);
        assert_eq!(page.date, None);
    }
}
