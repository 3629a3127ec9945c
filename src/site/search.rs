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
//! search/meta.json          {"version", "records", "shards", "chunk", "chunks", "grams"}
//! search/index/<shard>.json {gram: [record id deltas…]}  ids ascending, first absolute
//! search/docs/<chunk>.json  [record…] for ids chunk*CHUNK .. chunk*CHUNK+CHUNK-1
//! ```
//!
//! A gram lives in shard `fnv1a32(utf8(gram)) % shards` (FNV-1a, 32 bits, offset basis
//! 2166136261, prime 16777619); `shards` is a power of two chosen so that a shard is
//! about [`SHARD_TARGET_BYTES`]. `search.js` computes the same hash (tested against
//! this one in `tests/search.rs`). A record is one published section of one day; ids
//! follow date order, so a larger id is a newer day. Records store the text NFKC-only
//! (case kept, for snippets); the browser lower-cases it to verify. Private sections
//! and drafts are never in `Log::days`, so they never reach the index.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::output::Output;
use super::{i18n, Site};
use crate::note::{Role, Section};
use crate::text;

/// Bumped whenever the files change shape; `search.js` refuses other versions.
pub const VERSION: u32 = 1;
/// Records per `docs/<n>.json`: small enough that showing one result costs a few KB
/// (a common word matches records far apart, one chunk per result).
pub const CHUNK: usize = 8;
/// The raw size a shard aims at (gzip makes it about a third).
pub const SHARD_TARGET_BYTES: usize = 24 * 1024;
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
}

/// `search/meta.json`.
#[derive(Debug, Serialize)]
pub struct Meta {
    pub version: u32,
    pub records: usize,
    pub shards: u32,
    pub chunk: usize,
    pub chunks: usize,
    pub grams: usize,
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

/// Every published section of every day, in date order: record ids are indices.
pub fn records(site: &Site) -> Vec<Record> {
    let mut out = Vec::new();
    for day in &site.log.days {
        let url = day.url();
        let date = day.date().to_string();
        let label = i18n::long_date(day.date(), &site.lang);
        for (i, section) in day.note.sections.iter().enumerate() {
            if section.role == Some(Role::Private) {
                continue;
            }
            let mut plain = crate::markdown::to_plain_text(&section.markdown);
            let heading = section.heading.clone().unwrap_or_default();
            // A heading of the author's own says what the section is about; the role
            // headings (現在発生している問題…) are on every day and would match everything.
            if section.role.is_none() && !heading.is_empty() {
                plain = format!("{heading}\n{plain}");
            }
            // The front-matter title is searchable too; it rides on the first record.
            if i == 0 {
                if let Some(title) = &day.note.title {
                    plain = format!("{title}\n{plain}");
                }
            }
            if plain.trim().is_empty() && heading.is_empty() {
                continue;
            }
            out.push(Record {
                url: url.clone(),
                date: date.clone(),
                label: label.clone(),
                section: section_name(section).to_string(),
                heading,
                text: text::nfkc(plain.trim()),
            });
        }
    }
    out
}

/// The grams of a folded text: each non-space character, each pair of adjacent
/// non-space characters, and each run of three ASCII letters or digits. A query term
/// never holds a space, so pairs across one are never looked up. English bigrams
/// (`co`, `or`) are in most records; the trigrams (`cor`, `ors`) keep `cors` from
/// fetching half the documents to verify.
pub fn grams(folded: &str) -> BTreeSet<String> {
    gram_keys(folded).into_iter().map(gram_text).collect()
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

fn gram_keys(folded: &str) -> Vec<GramKey> {
    let mut keys = Vec::new();
    let (mut p1, mut p2): (Option<char>, Option<char>) = (None, None);
    for c in folded.chars() {
        if c.is_whitespace() {
            (p1, p2) = (None, None);
            continue;
        }
        keys.push((u64::from(c as u32) << 32) | NONE);
        if let Some(p) = p1 {
            keys.push((u64::from(p as u32) << 32) | u64::from(c as u32));
            if let Some(q) = p2 {
                if is_ascii_word(q) && is_ascii_word(p) && is_ascii_word(c) {
                    let packed = TRIGRAM | (q as u32) << 14 | (p as u32) << 7 | c as u32;
                    keys.push((u64::from(packed) << 32) | NONE);
                }
            }
        }
        (p1, p2) = (Some(c), p1);
    }
    keys.sort_unstable();
    keys.dedup();
    keys
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
fn postings_json(ids: &[u32]) -> String {
    let mut out = String::from("[");
    let mut last = 0;
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&(id - last).to_string());
        last = id;
    }
    out.push(']');
    let bitmap_bytes = ids.last().map_or(0, |&max| max as usize / 8 + 1);
    if bitmap_bytes.div_ceil(3) * 4 + 2 < out.len() {
        let mut bits = vec![0u8; bitmap_bytes];
        for &id in ids {
            bits[id as usize / 8] |= 1 << (id % 8);
        }
        return format!("\"{}\"", base64(&bits));
    }
    out
}

/// Standard base64 with padding (RFC 4648), the alphabet `atob` reads.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = (u32::from(group[0]) << 16)
            | (u32::from(*group.get(1).unwrap_or(&0)) << 8)
            | u32::from(*group.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Builds the index of `records` as (path under `search/`, bytes) pairs.
pub fn files(records: &[Record]) -> Result<Vec<(String, Vec<u8>)>> {
    let per_record: Vec<Vec<GramKey>> = records
        .par_iter()
        .map(|r| gram_keys(&text::fold(&r.text)))
        .collect();
    let mut postings: BTreeMap<GramKey, Vec<u32>> = BTreeMap::new();
    for (id, keys) in per_record.into_iter().enumerate() {
        for key in keys {
            postings.entry(key).or_default().push(id as u32);
        }
    }
    let encoded: Vec<(String, String)> = postings
        .par_iter()
        .map(|(&key, ids)| (gram_text(key), postings_json(ids)))
        .collect();
    let estimate: usize = encoded.iter().map(|(g, p)| g.len() + p.len() + 4).sum();
    let shards = shard_count(estimate);
    let mut by_shard: Vec<String> = vec![String::from("{"); shards as usize];
    for (gram, json) in &encoded {
        let out = &mut by_shard[shard_of(gram, shards) as usize];
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(gram)?);
        out.push(':');
        out.push_str(json);
    }
    let mut files = Vec::new();
    for (i, mut json) in by_shard.into_iter().enumerate() {
        json.push('}');
        files.push((format!("index/{i}.json"), json.into_bytes()));
    }
    let chunks: Vec<&[Record]> = records.chunks(CHUNK).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        files.push((format!("docs/{i}.json"), serde_json::to_vec(chunk)?));
    }
    let meta = Meta {
        version: VERSION,
        records: records.len(),
        shards,
        chunk: CHUNK,
        chunks: chunks.len(),
        grams: encoded.len(),
    };
    files.push(("meta.json".into(), serde_json::to_vec(&meta)?));
    Ok(files)
}

/// Writes `search/` of the site into `staging`.
pub fn write(site: &Site, staging: &dyn Output) -> Result<()> {
    let records = records(site);
    files(&records)?
        .par_iter()
        .try_for_each(|(path, bytes)| staging.write(&format!("search/{path}"), bytes))
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

    #[test]
    fn base64_pads_like_rfc_4648() {
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
    fn shard_count_is_a_power_of_two() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_TARGET_BYTES * 3), 4);
        assert_eq!(shard_count(usize::MAX / 2), MAX_SHARDS);
    }
}
