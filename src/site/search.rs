//! The offline search index: `search/` in the site, read by `static/search.js`.
//!
//! Japanese has no spaces to split words on, and word segmenters disagree between
//! build and query (DEPS.md), so the index is of characters: every bigram of adjacent
//! non-space characters, every single character (for one-character queries) and every
//! trigram of ASCII letters and digits (English bigrams are too common), of
//! each record's folded text (`text::fold`: NFKC, lower case). A query is folded the
//! same way, split on white space into terms, each term into grams; the postings of
//! all grams are intersected (AND) and the candidates' texts are checked for the exact
//! terms, so `東京都` never matches a record holding only `東京` and `京都`.
//!
//! Layout (all JSON, UTF-8):
//!
//! ```text
//! search/meta.json          {"version", "records", "shards", "chunk", "chunks", "chunk_bytes", "shard_bytes", "grams"}
//! search/index/<shard>.json {gram: [record id deltas…]}  ids ascending, first absolute
//! search/docs/<chunk>.json  {"days": [[url, date, label(, kind)]…], "records": [[day, section, heading, text]…]}
//! ```
//!
//! A docs file holds the records of ids chunk*CHUNK .. chunk*CHUNK+CHUNK-1; each names
//! its day by index into the file's `days`, so a day's URL and label are written once.
//! A hand-written page (knowledge base, explainer, free page) is one record after all
//! the days': its entry in `days` has no date, its title as label and a fourth item,
//! its kind (`kb`, `explainer`, `page`); a day's has no fourth item.
//! `chunk_bytes` and `shard_bytes` are the mean sizes of a docs file and of a shard:
//! `search.js` reads as many docs files as fit its download budget after the shards.
//!
//! A gram lives in shard `fnv1a32(utf8(gram)) % shards` (FNV-1a, 32 bits, offset basis
//! 2166136261, prime 16777619); `shards` is a power of two chosen so that a shard is
//! about [`SHARD_TARGET_BYTES`]. `search.js` computes the same hash (tested against
//! this one in `tests/search.rs`). A record is one published section of one day; ids
//! follow date order, so a larger id is a newer day (the pages come last: `search.js`
//! reads the largest ids first, so a page is always among the results it checks). Records store the text NFKC-only
//! (case kept, for snippets); the browser lower-cases it to verify. Private sections
//! and drafts are never in `Log::days`, so they never reach the index; a page's private
//! sections are blanked by the log stage and its drafts are not among `Site`'s pages.

use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasherDefault;

use anyhow::Result;
use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use super::output::Output;
use super::{i18n, pages, Site};
use crate::load::SourceKind;
use crate::log::topics;
use crate::note::{Role, Section};
use crate::text;
use postings::Postings;

mod postings;

/// Bumped whenever the files change shape; `search.js` refuses other versions.
pub const VERSION: u32 = 2;
/// Records per `docs/<n>.json` (a day or two, about 4.7 KB at 3,650 generated notes).
/// A word whose matches lie far apart costs a file per result, so `search.js` caps the
/// files a query reads by their bytes (`chunk_bytes`): at 16 records (9.4 KB) 30 of
/// the 360 queries of `scripts/search-download` showed fewer than their newest 20
/// matches, at 8 none; the 1,369 more files cost a build of 3,650 notes 1.5% of its
/// time. At 32 records a rare word showed fewer than half its results.
pub const CHUNK: usize = 8;
/// The raw size a shard aims at (gzip makes it about a third). A query reads one
/// shard per gram of its terms' covers, ~13 for two long terms: at 24 KB (512 shards
/// at 3,650 notes) those shards alone left too little of the 300 KB a query may read
/// for the docs files its results are in (`scripts/search-download`).
pub const SHARD_TARGET_BYTES: usize = 6 * 1024;
/// Never more shards than this, whatever the size of the log.
pub const MAX_SHARDS: u32 = 4096;

/// One searchable section of one day.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Record {
    /// The day page, relative to the site root.
    pub url: String,
    /// `2025-04-28`.
    pub date: String,
    /// The day as people read it: `2025年4月28日(月)`.
    pub label: String,
    /// The section's role (`tasks`, `problems`, `learnings`…), `note` for text before
    /// the first heading, `other` for a heading with no role.
    pub section: String,
    /// The heading as written (empty before the first heading).
    pub heading: String,
    /// The section's plain text, NFKC-normalised, case kept.
    pub text: String,
    /// `day`, or for a hand-written page `kb`, `explainer` or `page`.
    pub kind: &'static str,
}

/// `search/meta.json`.
#[derive(Debug, Serialize)]
pub struct Meta {
    pub version: u32,
    pub records: usize,
    pub shards: u32,
    pub chunk: usize,
    pub chunks: usize,
    /// The mean size of a docs file, in bytes.
    pub chunk_bytes: usize,
    /// The mean size of a shard, in bytes.
    pub shard_bytes: usize,
    pub grams: usize,
}

/// A docs file: the records' days once each, then the records.
#[derive(Serialize)]
struct Chunk<'a> {
    /// `[url, date, label]`, a page's with its kind after.
    days: Vec<Vec<&'a str>>,
    /// `[day, section, heading, text]`, `day` an index into `days`.
    records: Vec<(usize, &'a str, &'a str, &'a str)>,
}

impl<'a> Chunk<'a> {
    fn of(records: impl IntoIterator<Item = &'a Record>) -> Chunk<'a> {
        let mut chunk = Chunk {
            days: Vec::new(),
            records: Vec::new(),
        };
        for r in records {
            // Records follow date order: a day's records are adjacent.
            if chunk.days.last().is_none_or(|d| d[0] != r.url) {
                let mut day = vec![r.url.as_str(), r.date.as_str(), r.label.as_str()];
                if r.kind != DAY {
                    day.push(r.kind);
                }
                chunk.days.push(day);
            }
            let day = chunk.days.len() - 1;
            chunk.records.push((day, &r.section, &r.heading, &r.text));
        }
        chunk
    }
}

/// FNV-1a, 32 bits, over `bytes`.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The shard a gram lives in, out of `shards` (a power of two).
pub fn shard_of(gram: &str, shards: u32) -> u32 {
    fnv1a32(gram.as_bytes()) % shards
}

/// The role's name in the index.
pub fn section_name(section: &Section) -> &'static str {
    match (section.role, &section.heading) {
        (Some(Role::Tasks), _) => "tasks",
        (Some(Role::Problems), _) => "problems",
        (Some(Role::Learnings), _) => "learnings",
        (Some(Role::Feelings), _) => "feelings",
        (Some(Role::Next), _) => "next",
        (Some(Role::Hours), _) => "hours",
        // Never stored in a note; named all the same so the match is total.
        (Some(Role::Private), _) => "private",
        (None, None) => "note",
        (None, Some(_)) => "other",
    }
}

/// A day's kind in [`Record::kind`].
const DAY: &str = "day";

/// Every published section of every day, in date order, then the hand-written pages:
/// record ids are indices.
pub fn records(site: &Site) -> Result<Vec<Record>> {
    let mut records: Vec<Record> = site
        .log
        .days
        .par_iter()
        .map(|day| day_records(site, day))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    records.extend(page_records(site));
    Ok(records)
}

/// One record per published knowledge-base article, explainer and free page (drafts
/// are not among `site`'s pages; private sections were blanked by the log stage).
fn page_records(site: &Site) -> Vec<Record> {
    let published = site
        .kb_pages
        .iter()
        .chain(&site.explainers)
        .chain(&site.free_pages);
    published
        .map(|&i| {
            let page = &site.log.pages[i];
            let title = pages::page_title(page);
            // A page is parsed whole: its references need nothing of another's.
            let plain = crate::markdown::to_plain_text(
                pages::strip_h1(page.body()),
                crate::markdown::LinkRefs::NONE,
            );
            Record {
                url: pages::page_url(page),
                date: String::new(),
                label: title.clone(),
                section: "page".into(),
                heading: String::new(),
                text: text::nfkc(format!("{title}\n{plain}").trim()),
                kind: match page.kind {
                    SourceKind::Kb => "kb",
                    SourceKind::Explainer => "explainer",
                    _ => "page",
                },
            }
        })
        .collect()
}

/// The published sections of one day, in order.
fn day_records(site: &Site, day: &crate::log::Day) -> Result<Vec<Record>> {
    let text = site.note_text(&day.note)?;
    Ok(day_records_of(
        site,
        day,
        &topics::section_texts(day, &text),
    ))
}

/// [`day_records`], given the day's [`topics::section_texts`].
pub(super) fn day_records_of(
    site: &Site,
    day: &crate::log::Day,
    sections: &topics::SectionTexts,
) -> Vec<Record> {
    let mut out = Vec::new();
    let url = day.url();
    let date = day.date().to_string();
    let label = i18n::long_date(day.date(), &site.lang);
    for (i, (section, plain)) in day
        .note
        .sections
        .iter()
        .zip(sections.plain.iter())
        .enumerate()
    {
        if section.role == Some(Role::Private) {
            continue;
        }
        let mut prefixed = None;
        let heading = section.heading.clone().unwrap_or_default();
        // A heading of the author's own says what the section is about; the role
        // headings (現在発生している問題…) are on every day and would match everything.
        if section.role.is_none() && !heading.is_empty() {
            prefixed = Some(format!("{heading}\n{plain}"));
        }
        // The front-matter title is searchable too; it rides on the first record.
        if i == 0 {
            if let Some(title) = &day.note.title {
                let rest = prefixed.as_deref().unwrap_or(plain);
                prefixed = Some(format!("{title}\n{rest}"));
            }
        }
        let whole = prefixed.as_deref().unwrap_or(plain);
        if whole.trim().is_empty() && heading.is_empty() {
            continue;
        }
        // The section's text as it is (most are: trimmed already, nothing before them)
        // has its NFKC made once for topics and search.
        let text = if prefixed.is_none() && whole.trim() == whole {
            sections.nfkc(i).to_string()
        } else {
            text::nfkc(whole.trim())
        };
        out.push(Record {
            url: url.clone(),
            date: date.clone(),
            label: label.clone(),
            section: section_name(section).to_string(),
            heading,
            text,
            kind: DAY,
        });
    }
    out
}

/// The grams of a folded text: each non-space character, each pair of adjacent
/// non-space characters, and each run of three ASCII letters or digits. A query term
/// never holds a space, so pairs across one are never looked up. English bigrams
/// (`co`, `or`) are in most records; the trigrams (`cor`, `ors`) keep `cors` from
/// fetching half the documents to verify.
pub fn grams(folded: &str) -> BTreeSet<String> {
    let mut keys = GramKeys::default();
    folded.chars().for_each(|c| keys.push(c));
    keys.keys.into_iter().map(gram_text).collect()
}

/// The grams of a record's text, as [`grams`] of its `text::fold`: the text is NFKC
/// already (and NFKC of NFKC is itself), trimming it changes no gram, so it is only
/// lower-cased as it is read ([`text::read_lowercase`]: a character at a time, runs of
/// kana and kanji whole) rather than into a copy. Unsorted,
/// with repeats: sorting each record's keys cost more than [`Batch::new`] skipping the
/// repeats.
fn record_keys(text: &str) -> Vec<GramKey> {
    // Room for all the keys of Japanese (two a character of three bytes), and for
    // most of English's (three a character of one).
    let mut keys = GramKeys {
        keys: Vec::with_capacity(text.len() * 2),
        before: (None, None),
    };
    text::read_lowercase(text, &mut keys);
    keys.keys
}

/// A gram packed in a number: a character in the high half and `NONE` in the low; a
/// pair, first character high and second low; an ASCII trigram, `TRIGRAM` plus its
/// three 7-bit bytes in the high half (above any `char`). Millions of postings need no
/// heap string each.
type GramKey = u64;
const NONE: u64 = u32::MAX as u64;
const TRIGRAM: u32 = 0x8000_0000;

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// The keys of a folded text's grams, in the order they end, with repeats: fed a
/// character at a time.
#[derive(Default)]
struct GramKeys {
    keys: Vec<GramKey>,
    /// The characters before the next one, nearest first; none across a space.
    before: (Option<char>, Option<char>),
}

impl text::LowercaseReader for GramKeys {
    fn char(&mut self, c: char) {
        self.push(c);
    }

    /// Kana and kanji are never whitespace or ASCII: each gives its character and its
    /// pair with the one before, never a trigram, with none of [`GramKeys::push`]'s
    /// tests.
    fn japanese_run(&mut self, run: &str) {
        self.keys.reserve(run.len() / 3 * 2);
        let mut chars = run.chars();
        let Some(first) = chars.next() else {
            return;
        };
        self.push(first);
        let (mut last, mut second) = (first, None);
        for c in chars {
            self.keys.push((u64::from(c as u32) << 32) | NONE);
            self.keys
                .push((u64::from(last as u32) << 32) | u64::from(c as u32));
            (last, second) = (c, Some(last));
        }
        if second.is_some() {
            self.before = (Some(last), second);
        }
    }
}

impl GramKeys {
    #[inline]
    fn push(&mut self, c: char) {
        let (p1, p2) = self.before;
        if c.is_whitespace() {
            self.before = (None, None);
            return;
        }
        self.keys.push((u64::from(c as u32) << 32) | NONE);
        if let Some(p) = p1 {
            self.keys
                .push((u64::from(p as u32) << 32) | u64::from(c as u32));
            if let Some(q) = p2 {
                if is_ascii_word(q) && is_ascii_word(p) && is_ascii_word(c) {
                    let packed = TRIGRAM | (q as u32) << 14 | (p as u32) << 7 | c as u32;
                    self.keys.push((u64::from(packed) << 32) | NONE);
                }
            }
        }
        self.before = (Some(c), p1);
    }
}

fn gram_text(key: GramKey) -> String {
    let high = (key >> 32) as u32;
    if high & TRIGRAM != 0 {
        return [high >> 14, high >> 7, high]
            .iter()
            .map(|&b| char::from((b & 0x7f) as u8))
            .collect();
    }
    let mut s = String::from(char::from_u32(high).unwrap_or('\u{fffd}'));
    if key & NONE != NONE {
        s.push(char::from_u32((key & NONE) as u32).unwrap_or('\u{fffd}'));
    }
    s
}

/// The fewest shards (a power of two) that keep each near `SHARD_TARGET_BYTES`.
fn shard_count(estimated_bytes: usize) -> u32 {
    let wanted = estimated_bytes
        .div_ceil(SHARD_TARGET_BYTES)
        .clamp(1, MAX_SHARDS as usize);
    wanted.next_power_of_two() as u32
}

/// Postings as JSON: ids ascending, each after the first as the gap from the last;
/// or, when shorter (a gram most records hold, like `の`), a base64 bitmap string in
/// which bit `id % 8` (lowest first) of byte `id / 8` is set for each id.
#[cfg(test)]
fn postings_json(ids: &[u32]) -> String {
    let mut postings = Postings::default();
    for &id in ids {
        postings.push(id);
    }
    let mut out = String::new();
    postings.encode(&mut out);
    out
}

/// A hasher for gram keys, which are already well spread numbers: one multiply.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let m = u128::from(self.0 ^ n) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (m >> 64) as u64 ^ m as u64;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type KeyMap<V> = HashMap<GramKey, V, BuildHasherDefault<KeyHasher>>;

/// The records of a run of days (a calendar quarter) and their postings, ids counted
/// from the run's first record. Runs are tokenised in parallel and one at a time, so a
/// build holds the texts of one run besides the postings; `serve` keeps them in a
/// [`SearchCache`] and tokenises again only the run holding an edited note.
struct Batch {
    records: Vec<Record>,
    postings: KeyMap<Postings>,
}

/// Each gram's ids in a batch as a plain list, before they are made compact: for the
/// batch ([`Batch::new`], which `serve` keeps), or straight into the index's postings
/// ([`Builder::read`]); pushing to a `Postings` id by id weighs which form is smaller
/// at every id, a list's ids are added at once. Kept
/// from batch to batch, emptied but not freed: a gram's list grows to its size once,
/// not once in every calendar quarter (that growth was a tenth of the index's work).
#[derive(Default)]
struct Lists {
    ids: KeyMap<GramIds>,
    /// The grams of the batch being read, in the order first met.
    met: Vec<GramKey>,
    /// Records read so far, over every batch: the number of the one being read.
    records_read: u64,
}

/// One gram's ids in the batch being read.
#[derive(Default)]
struct GramIds {
    /// The number ([`Lists::records_read`]) of the last record that held the gram: a record's
    /// grams come unsorted, with repeats, and a repeat is told from this without
    /// reading the list (the last id in it), which lies elsewhere in memory.
    last_record: u64,
    ids: Vec<u32>,
}

impl Lists {
    /// Reads the grams of `records`, a batch: each gram's list gets the ids (counted
    /// from the batch's first record) of the records holding it.
    fn read(&mut self, records: &[Record]) {
        let keys: Vec<Vec<GramKey>> = records.par_iter().map(|r| record_keys(&r.text)).collect();
        self.met.clear();
        for (id, keys) in keys.into_iter().enumerate() {
            self.records_read += 1;
            for key in keys {
                let gram = self.ids.entry(key).or_default();
                if gram.last_record != self.records_read {
                    if gram.ids.is_empty() {
                        self.met.push(key);
                    }
                    gram.last_record = self.records_read;
                    gram.ids.push(id as u32);
                }
            }
        }
    }

    /// Each gram of the batch read last, with its ids made compact; the lists emptied.
    fn take_postings(&mut self) -> KeyMap<Postings> {
        let ids = &mut self.ids;
        (self.met.iter())
            .filter_map(|key| {
                let ids = &mut ids.get_mut(key)?.ids;
                let postings = Postings::of(ids);
                ids.clear();
                Some((*key, postings))
            })
            .collect()
    }

    /// The ids of the batch read last, plus `offset` (the number of records before the
    /// batch), added to `postings` gram by gram; the lists emptied.
    fn append_to(&mut self, postings: &mut KeyMap<Postings>, offset: u32) {
        for key in &self.met {
            if let Some(gram) = self.ids.get_mut(key) {
                postings.entry(*key).or_default().extend(&gram.ids, offset);
                gram.ids.clear();
            }
        }
    }
}

impl Batch {
    fn new(records: Vec<Record>, lists: &mut Lists) -> Batch {
        lists.read(&records);
        let postings = lists.take_postings();
        Batch { records, postings }
    }

    /// The batch of `days`, which start at index `first` of the log's days.
    fn of_days(
        site: &Site,
        first: usize,
        days: &[crate::log::Day],
        lists: &mut Lists,
    ) -> Result<Batch> {
        Ok(Batch::new(run_records(site, first, days)?, lists))
    }
}

/// The records of `days`, which start at index `first` of the log's days, in order.
fn run_records(site: &Site, first: usize, days: &[crate::log::Day]) -> Result<Vec<Record>> {
    let kept = site.kept_records.take(first..first + days.len());
    let records: Vec<Vec<Record>> = days
        .par_iter()
        .zip(kept)
        .map(|(day, kept)| kept.map_or_else(|| day_records(site, day), Ok))
        .collect::<Result<_>>()?;
    Ok(records.into_iter().flatten().collect())
}

/// Days' records made by the topics stage, which reads the same plain text
/// ([`Site::relate_streamed`]), for the index to take instead of making them again:
/// parallel to the log's days, `None` for a day not kept.
#[derive(Default)]
pub(super) struct KeptRecords(std::sync::Mutex<Vec<Option<Vec<Record>>>>);

impl KeptRecords {
    pub(super) fn new(records: Vec<Option<Vec<Record>>>) -> KeptRecords {
        KeptRecords(std::sync::Mutex::new(records))
    }

    /// Takes the records kept of the days at `range` (`None` for each day not kept).
    fn take(&self, range: std::ops::Range<usize>) -> Vec<Option<Vec<Record>>> {
        let mut kept = self.0.lock().expect("kept records lock");
        match kept.get_mut(range.clone()) {
            Some(days) => days.iter_mut().map(Option::take).collect(),
            None => vec![None; range.len()],
        }
    }
}

/// What `serve` keeps of the search index between rebuilds: each run of days' records
/// and postings, by a hash of everything they are made from.
#[derive(Default)]
pub struct SearchCache {
    batches: HashMap<u64, std::sync::Arc<Batch>>,
}

/// A hash of everything [`day_records`] reads of `days`.
fn batch_key(site: &Site, days: &[crate::log::Day]) -> u64 {
    // Records are made of the note's text (title and sections included) and of the
    // roles its headings were given (book.toml can change those).
    let days: Vec<_> = days
        .iter()
        .map(|day| {
            let roles: Vec<_> = day.note.sections.iter().map(|s| s.role).collect();
            (day.note.date, day.note.text_hash, roles)
        })
        .collect();
    crate::log::hash_of(&(&site.lang, days))
}

/// The index being built: runs are added in id order, doc chunks are written as soon
/// as they are full, and the shards at the end.
struct Builder<'a> {
    out: &'a dyn Output,
    postings: KeyMap<Postings>,
    /// Records of the chunk not yet full.
    pending: Vec<Record>,
    records: usize,
    /// Bytes of the docs files written.
    doc_bytes: std::sync::atomic::AtomicUsize,
}

impl<'a> Builder<'a> {
    fn new(out: &'a dyn Output) -> Builder<'a> {
        Builder {
            out,
            postings: KeyMap::default(),
            pending: Vec::new(),
            records: 0,
            doc_bytes: Default::default(),
        }
    }

    /// Adds `batch`, the next records in id order.
    fn add(&mut self, batch: &Batch) -> Result<()> {
        let offset = self.records as u32;
        for (key, postings) in &batch.postings {
            self.postings
                .entry(*key)
                .or_default()
                .append(postings, offset);
        }
        self.add_records(&batch.records)
    }

    /// Adds `records`, the next in id order, reading their grams with `lists`: a build
    /// that keeps no batch for the next one has each gram's ids added straight to its
    /// postings, not made compact for the batch first and then appended.
    fn read(&mut self, records: &[Record], lists: &mut Lists) -> Result<()> {
        lists.read(records);
        lists.append_to(&mut self.postings, self.records as u32);
        self.add_records(records)
    }

    /// Counts `records`, the next in id order, and writes each doc chunk they fill.
    fn add_records(&mut self, records: &[Record]) -> Result<()> {
        let first = self.records - self.pending.len();
        self.records += records.len();
        // The chunk begun by the previous run, completed from this one.
        let take = (CHUNK - self.pending.len()).min(records.len());
        let (head, rest) = records.split_at(if self.pending.is_empty() { 0 } else { take });
        let mut next = first / CHUNK;
        if !head.is_empty() {
            let chunk: Vec<&Record> = self.pending.iter().chain(head).collect();
            if chunk.len() < CHUNK {
                self.pending = chunk.into_iter().cloned().collect();
                return Ok(());
            }
            self.write_chunk(next, chunk)?;
            self.pending.clear();
            next += 1;
        }
        let full = rest.len() / CHUNK * CHUNK;
        self.pending.extend_from_slice(&rest[full..]);
        rest[..full]
            .par_chunks(CHUNK)
            .enumerate()
            .try_for_each(|(i, chunk)| self.write_chunk(next + i, chunk))
    }

    fn write_chunk<'r>(
        &self,
        n: usize,
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Result<()> {
        let json = serde_json::to_vec(&Chunk::of(records))?;
        self.doc_bytes
            .fetch_add(json.len(), std::sync::atomic::Ordering::Relaxed);
        self.out.write(&format!("search/docs/{n}.json"), &json)
    }

    /// Writes the last doc chunk, the shards and `meta.json`.
    fn finish(mut self) -> Result<()> {
        let chunks = self.records.div_ceil(CHUNK);
        if !self.pending.is_empty() {
            self.write_chunk(chunks - 1, &self.pending)?;
        }
        let mut grams: Vec<(GramKey, Postings)> = self.postings.drain().collect();
        grams.par_sort_unstable_by_key(|(key, _)| *key);
        let texts: Vec<String> = grams.iter().map(|(key, _)| gram_text(*key)).collect();
        // Each gram's form and length, weighed once: the shards are sized by them.
        let encodings: Vec<(bool, usize)> = grams.par_iter().map(|(_, p)| p.encoding()).collect();
        let estimate: usize = (texts.iter().zip(&encodings))
            .map(|(g, (_, len))| g.len() + len + 4)
            .sum();
        let shards = shard_count(estimate);
        let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); shards as usize];
        for (i, gram) in texts.iter().enumerate() {
            by_shard[shard_of(gram, shards) as usize].push(i);
        }
        let shard_bytes = std::sync::atomic::AtomicUsize::new(0);
        by_shard
            .par_iter()
            .enumerate()
            .try_for_each(|(n, members)| -> Result<()> {
                let mut json = String::from("{");
                for &i in members {
                    if json.len() > 1 {
                        json.push(',');
                    }
                    json.push_str(&serde_json::to_string(&texts[i])?);
                    json.push(':');
                    grams[i].1.encode_as(encodings[i].0, &mut json);
                }
                json.push('}');
                shard_bytes.fetch_add(json.len(), std::sync::atomic::Ordering::Relaxed);
                self.out
                    .write(&format!("search/index/{n}.json"), json.as_bytes())
            })?;
        let meta = Meta {
            version: VERSION,
            records: self.records,
            shards,
            chunk: CHUNK,
            chunks,
            chunk_bytes: self
                .doc_bytes
                .load(std::sync::atomic::Ordering::Relaxed)
                .checked_div(chunks)
                .unwrap_or(0),
            shard_bytes: shard_bytes.into_inner() / shards as usize,
            grams: grams.len(),
        };
        self.out
            .write("search/meta.json", &serde_json::to_vec(&meta)?)
    }
}

/// Collects what is written, for [`files`].
struct Collect(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl Output for Collect {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let rel = rel.strip_prefix("search/").unwrap_or(rel);
        self.0
            .lock()
            .expect("collect lock")
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }

    fn keep(&self, rel: &str) -> Result<()> {
        anyhow::bail!("{rel}: nothing to keep")
    }

    fn has(&self, _rel: &str) -> bool {
        false
    }
}

/// Builds the index of `records` as (path under `search/`, bytes) pairs, sorted by path.
pub fn files(records: &[Record]) -> Result<Vec<(String, Vec<u8>)>> {
    let out = Collect(Default::default());
    let mut builder = Builder::new(&out);
    builder.read(records, &mut Lists::default())?;
    builder.finish()?;
    let mut files = out.0.into_inner().expect("collect lock");
    files.sort();
    Ok(files)
}

/// Writes `search/` of the site into `staging`.
pub fn write(site: &Site, staging: &dyn Output) -> Result<()> {
    write_cached(site, staging, None)
}

/// As [`write`], taking from `cache` the runs of days that did not change since the
/// build that filled it, and leaving in it this build's.
pub fn write_cached(
    site: &Site,
    staging: &dyn Output,
    cache: Option<&mut SearchCache>,
) -> Result<()> {
    let mut builder = Builder::new(staging);
    let quarter = |d: &crate::log::Day| (d.date().year(), d.date().month0() / 3);
    // Each run of days with the index of its first.
    let runs = site
        .log
        .days
        .chunk_by(|a, b| quarter(a) == quarter(b))
        .scan(0, |first, days| {
            *first += days.len();
            Some((*first - days.len(), days))
        });
    let mut lists = Lists::default();
    match cache {
        None => {
            for (first, days) in runs {
                builder.read(&run_records(site, first, days)?, &mut lists)?;
            }
        }
        Some(cache) => {
            let mut kept = HashMap::new();
            for (first, days) in runs {
                let key = batch_key(site, days);
                let batch = match cache.batches.get(&key) {
                    Some(batch) => batch.clone(),
                    None => std::sync::Arc::new(Batch::of_days(site, first, days, &mut lists)?),
                };
                builder.add(&batch)?;
                kept.insert(key, batch);
            }
            cache.batches = kept;
        }
    }
    // A handful of pages: tokenised again on every build.
    builder.read(&page_records(site), &mut lists)?;
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn grams_are_characters_and_pairs_without_spaces() {
        let g: Vec<String> = grams("東京 都").into_iter().collect();
        assert_eq!(g, ["京", "東", "東京", "都"]);
        let g: Vec<String> = grams("cors設").into_iter().collect();
        assert_eq!(
            g,
            ["c", "co", "cor", "o", "or", "ors", "r", "rs", "s", "s設", "設"]
        );
    }

    proptest::proptest! {
        /// Runs of kana and kanji taken whole give the keys, in order, that taking the
        /// lower-cased text a character at a time gives.
        #[test]
        fn japanese_runs_give_the_keys_of_their_characters(
            chars in proptest::collection::vec(proptest::prop_oneof![
                proptest::char::range('a', 'z'),
                proptest::char::range('A', 'Z'),
                proptest::char::range('0', '9'),
                proptest::sample::select(vec![' ', '\n', '\u{3000}', 'Σ', 'İ', 'Å', 'ー', '、', '。', '「', '」', '〜', 'ｶ', 'Ａ', '\u{3099}', '\u{4dff}']),
                proptest::char::range('\u{3040}', '\u{30ff}'),
                proptest::char::range('\u{4e00}', '\u{4e20}'),
                proptest::char::range('\u{9ff0}', '\u{a010}'),
            ], 0..40)
        ) {
            let text: String = chars.into_iter().collect();
            let mut one_by_one = GramKeys::default();
            text::lowercase(&text).chars().for_each(|c| one_by_one.push(c));
            proptest::prop_assert_eq!(record_keys(&text), one_by_one.keys, "{:?}", text);
        }
    }

    #[test]
    fn records_have_the_grams_of_their_folded_text() {
        for s in [
            "ＣＯＲＳ設定",
            " ¨x ",
            "ÅΣ ΣΑΣ",
            "ｶﾞｷﾞ①㍻",
            "\u{3000}東京\u{3000}",
            "plain",
            "İstanbul ＡＢＣ1",
            "ΟΔΟΣ ΣΑ",
        ] {
            let mut keys = record_keys(&text::nfkc(s.trim()));
            keys.sort_unstable();
            keys.dedup();
            let record: BTreeSet<String> = keys.into_iter().map(gram_text).collect();
            assert_eq!(record, grams(&text::fold(s)), "{s}");
        }
    }

    /// Every gram's postings, read batch by batch both ways (made compact per batch and
    /// appended, as `serve` keeps them; or added straight), against the ids of the
    /// records holding the gram counted by hand.
    #[test]
    fn postings_hold_the_records_with_the_gram_however_the_batches_are_added() {
        let record = |text: &str| Record {
            url: String::new(),
            date: String::new(),
            label: String::new(),
            section: String::new(),
            heading: String::new(),
            text: text.to_string(),
            kind: "day",
        };
        let texts: Vec<String> = (0..300)
            .map(|i| match i % 7 {
                0 => format!("CORS (設定) {i}"),
                1 => "(a) と (b)".to_string(),
                2 => String::new(),
                3 => "設定".repeat(i % 5 + 1),
                _ => format!("x{} )", i % 3),
            })
            .collect();
        let batches: Vec<Vec<Record>> = [0..5, 5..6, 6..150, 150..151, 151..300]
            .into_iter()
            .map(|r| texts[r].iter().map(|t| record(t)).collect())
            .collect();
        let out = Collect(Default::default());
        let (mut appended, mut read) = (Builder::new(&out), Builder::new(&out));
        let (mut lists, mut other_lists) = (Lists::default(), Lists::default());
        for batch in &batches {
            appended
                .add(&Batch::new(batch.clone(), &mut lists))
                .unwrap();
            read.read(batch, &mut other_lists).unwrap();
        }
        let json = |p: &Postings| {
            let mut out = String::new();
            p.encode(&mut out);
            out
        };
        for (key, postings) in &read.postings {
            let gram = gram_text(*key);
            let ids: Vec<u32> = (0..texts.len() as u32)
                .filter(|&i| grams(&text::fold(&texts[i as usize])).contains(&gram))
                .collect();
            assert_eq!(json(postings), postings_json(&ids), "{gram}");
            assert_eq!(json(&appended.postings[key]), postings_json(&ids), "{gram}");
        }
        assert_eq!(read.postings.len(), appended.postings.len());
    }

    #[test]
    fn base64_pads_like_rfc_4648() {
        use postings::base64;
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn dense_postings_become_a_bitmap() {
        let all: Vec<u32> = (0..100).collect();
        let json = postings_json(&all);
        assert!(json.starts_with('"'), "{json}");
        assert_eq!(postings_json(&[3, 1000, 1002]), "[3,997,2]");
    }

    #[test]
    fn postings_keep_large_gaps_and_sizes_exact() {
        let ids = [0, 127, 128, 16_511, 16_512, 2_113_663, 4_000_000_000];
        assert_eq!(postings_json(&ids), "[0,127,1,16383,1,2097151,3997886337]");
        let mut p = Postings::default();
        for id in (0..5000).step_by(3) {
            p.push(id);
        }
        let mut json = String::new();
        p.encode(&mut json);
        assert!(json.starts_with('"'), "{json}");
        assert_eq!(json.len(), p.encoded_len());
    }

    #[test]
    fn shard_count_is_a_power_of_two() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_TARGET_BYTES * 3), 4);
        assert_eq!(shard_count(usize::MAX / 2), MAX_SHARDS);
    }
}
