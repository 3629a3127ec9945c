//! Names that become file names in the site. Two sources whose names give one file, or
//! a name that is a folder's own list page (`index`), would overwrite each other
//! without a word: each gets a file of its own, and the author a warning naming it.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Source, SourceKind};
use crate::note::Note;
use crate::text::{slug, slug_is_reserved};

/// Gives each page (`content/pages/`, `kb/`, `explainers/`) a file name no other page
/// of its folder has: in path order, the first keeps the slug of its file name, the
/// next ones get `-2`, `-3`… (`a b.md`, `a-b.md` and `A-B.md` are all `a-b`).
pub fn name_pages(pages: &mut [Source], diagnostics: &mut Vec<Diagnostic>) {
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| pages[a].rel_path.cmp(&pages[b].rel_path));
    // Each file name given so far, with the page that has it.
    let mut taken: HashMap<(SourceKind, String), usize> = HashMap::new();
    for i in order {
        let page = &pages[i];
        let stem = page
            .rel_path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        if slug_is_reserved(&stem) {
            diagnostics.push(Diagnostic::new(
                &page.path,
                Severity::Warning,
                format!(
                    "`{stem}` is the name of the folder's list page: this page is published as {}.html",
                    page.slug()
                ),
            ));
        }
        let base = page.slug();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains_key(&(page.kind, name.clone())) {
            name = format!("{base}-{n}");
            n += 1;
        }
        if name != base {
            let first = &pages[taken[&(page.kind, base.clone())]];
            diagnostics.push(Diagnostic::new(
                &page.path,
                Severity::Warning,
                format!(
                    "{} and {} would both be published as {base}.html: this one is published as {name}.html (rename one file)",
                    first.path.display(),
                    page.path.display(),
                ),
            ));
            pages[i].slug = Some(name.clone());
        }
        taken.insert((pages[i].kind, name), i);
    }
}

/// Warns about tags and problem titles that are a folder's list page (`index`): their
/// topic or knowledge-base page gets a hashed name instead (see [`slug`]); and about
/// tags that give the file name of another topic (`a b` and `a-b`), which then gets
/// `-2` (see `topics::compute`).
pub fn reserved_names(notes: &[Note], diagnostics: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    // Each tag's slug and folded form, and each note's own warnings, in parallel
    // (slugs are NFKC and a hash, for every tag and problem of every note); then the
    // tags are compared in note order.
    type Named = (Vec<(String, String)>, Vec<Diagnostic>);
    let per_note: Vec<Named> = notes
        .par_iter()
        .map(|note| {
            let tags = note
                .tags
                .iter()
                .map(|tag| (slug(tag), crate::text::fold(tag)))
                .collect();
            (tags, own_reserved_names(note))
        })
        .collect();
    let mut tag_of_slug: HashMap<String, String> = HashMap::new();
    for (note, (tags, own)) in notes.iter().zip(per_note) {
        for (tag, (tag_slug, folded)) in note.tags.iter().zip(tags) {
            match tag_of_slug.get(&tag_slug) {
                Some(first) if *first != folded => diagnostics.push(Diagnostic::new(
                    &note.path,
                    Severity::Warning,
                    format!(
                        "the tag `{tag}` and the tag `{first}` would share the page topics/{tag_slug}.html: the one named later gets a name of its own",
                    ),
                )),
                Some(_) => {}
                None => {
                    tag_of_slug.insert(tag_slug, folded);
                }
            }
        }
        diagnostics.extend(own);
    }
}

/// The warnings about one note's tags and problems that take a list page's name.
fn own_reserved_names(note: &Note) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for tag in note.tags.iter().filter(|t| slug_is_reserved(t)) {
        diagnostics.push(Diagnostic::new(
            &note.path,
            Severity::Warning,
            format!(
                "the tag `{tag}` is the name of the topics list page: its topic page is named {}.html instead",
                slug(tag)
            ),
        ));
    }
    for problem in note.problems.iter().filter(|p| slug_is_reserved(&p.title)) {
        diagnostics.push(Diagnostic {
            line: Some(problem.line),
            ..Diagnostic::new(
                &note.path,
                Severity::Warning,
                format!(
                    "the problem `{}` is the name of the knowledge-base list page: its entry gets another name ({}…)",
                    problem.title,
                    slug(&problem.title)
                ),
            )
        });
    }
    diagnostics
}
