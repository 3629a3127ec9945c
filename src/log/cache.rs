//! What `serve` keeps of the log between rebuilds: each parsed note by path, under a
//! key made of its text, path, date and the config it was parsed with. A rebuild parses
//! only the notes whose key changed and lends the others to the new log (see
//! [`NoteCache::restore`]).

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::*;

impl Log {
    /// As [`Log::build`], parsing only the notes whose text changed since the last
    /// build with the same cache (`serve` keeps one across rebuilds).
    pub fn build_cached(
        root: &Path,
        config: Config,
        loaded: Loaded,
        options: &LogOptions,
        cache: &mut NoteCache,
    ) -> Log {
        let roles = Roles::new(&config.sections);
        let ctx = NoteContext {
            roles: &roles,
            exclude: &config.hours.exclude,
        };
        let config_key = hash_of(&(format!("{:?}{:?}", config.sections, config.hours.exclude)));
        cache.lent.clear();
        if cache.config_key != config_key {
            cache.notes.clear();
            cache.config_key = config_key;
        }
        let (mut note_sources, mut pages) = by_kind(loaded.sources);
        redact_pages(&mut pages, &roles);
        // A note is what its text, path and date make of it under this config (its
        // private parts too are found from these): what is cached by this key (parsed
        // notes, folded text, topics, export) then matches. The text's hash is the
        // load's, made when it read the file, so an unchanged note costs nothing here.
        let keys: Vec<u64> = note_sources
            .par_iter()
            .map(|s| {
                let text = s
                    .text_hash
                    .unwrap_or_else(|| crate::note::text_hash(&s.text));
                hash_of(&(text, &s.rel_path, s.date, config_key))
            })
            .collect();
        let kept = kept_from(&note_sources);
        // Only the notes not cached under their key are redacted and parsed.
        let parsed: Vec<(u64, Note)> = note_sources
            .par_iter_mut()
            .zip(&keys)
            .enumerate()
            .filter(|(_, (s, key))| cache.notes.get(&s.path).is_none_or(|c| c.key != **key))
            .map_init(HeadingMemo::default, |memo, (i, (s, key))| {
                redact_remembering(s, &roles, memo);
                (*key, note::parse(s, &ctx, i >= kept))
            })
            .collect();
        for (key, note) in parsed {
            let own_diagnostics = note.diagnostics.len();
            cache.notes.insert(
                note.path.clone(),
                CachedNote {
                    key,
                    note,
                    own_diagnostics,
                },
            );
        }
        // The notes are lent to this build's log, which adds its diagnostics to them,
        // and given back by `restore` when the build is done: not copied, which was
        // most of a rebuild's time before its first page was written.
        let mut notes = Vec::with_capacity(note_sources.len());
        for s in &note_sources {
            let cached = cache.notes.remove(&s.path).expect("parsed or cached above");
            cache.lent.insert(s.path.clone(), cached.own_diagnostics);
            notes.push(cached.note);
        }
        // What is left is of notes gone from the disk.
        cache.notes.clear();
        cache.keys = note_sources
            .iter()
            .zip(keys)
            .map(|(s, k)| (s.path.clone(), k))
            .collect();
        Log::assemble(root, config, notes, pages, loaded.diagnostics, options)
    }
}

/// Parsed notes by path and text hash, kept between builds of one process.
#[derive(Default)]
pub struct NoteCache {
    notes: HashMap<PathBuf, CachedNote>,
    /// The own diagnostic count of each note lent to the log being built (its key is
    /// in `keys`).
    lent: HashMap<PathBuf, usize>,
    /// The key of every note of the last build, by path: a hash of its text, path and
    /// date and of the config it was parsed with.
    pub keys: HashMap<PathBuf, u64>,
    config_key: u64,
}

struct CachedNote {
    key: u64,
    note: Note,
    /// How many diagnostics the note had when parsed: those after are a build's.
    own_diagnostics: usize,
}

impl NoteCache {
    /// Takes back the notes lent to `log` by [`Log::build_cached`], without the
    /// diagnostics that build added to them. A build that fails before this is called
    /// loses them: the next one parses every note again.
    pub fn restore(&mut self, log: Log) {
        let drafts = log.drafts.into_iter();
        for mut note in log.days.into_iter().map(|d| d.note).chain(drafts) {
            let Some(own_diagnostics) = self.lent.remove(&note.path) else {
                continue;
            };
            let Some(&key) = self.keys.get(&note.path) else {
                continue;
            };
            note.diagnostics.truncate(own_diagnostics);
            self.notes.insert(
                note.path.clone(),
                CachedNote {
                    key,
                    note,
                    own_diagnostics,
                },
            );
        }
        self.lent.clear();
    }
}
