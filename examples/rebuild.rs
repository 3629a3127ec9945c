//! Times what `serve` does after a save: a cached rebuild after one note is edited.
//!
//!     cargo run --release --example rebuild -- LOG_DIR [ROUNDS]
//!
//! Builds LOG_DIR once into a temp folder, then ROUNDS times appends a line to the
//! newest note's learnings, rebuilds with the cache as `serve` does and prints how long
//! it took until the edited day's page was written (when `serve` tells the tab showing
//! it to reload) and until the whole rebuild was done; the note is restored at the end.
//! Used for the figure in README.md.

use std::path::Path;
use std::time::Instant;

// The allocator of the `logsite` binary, so the times are those of `logsite serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map(String::as_str).unwrap_or("."));
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let out = tempfile::tempdir().expect("temp dir");
    let mut options = logsite::site::BuildOptions::new(chrono::Local::now().date_naive());
    options.out_dir = Some(out.path().join("site"));
    let mut cache = logsite::site::SiteCache::default();
    let started = Instant::now();
    logsite::site::build_cached(root, &options, &mut cache).unwrap_or_else(|e| panic!("{e}"));
    println!("first build: {} ms", started.elapsed().as_millis());

    let newest = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !e.path().starts_with(root.join("content/pages"))
        })
        .map(|e| e.into_path())
        .filter(|p| logsite::note::date::from_file_name(p).is_some())
        .max()
        .expect("a note");
    let original = std::fs::read_to_string(&newest).expect("read note");
    let mut times = Vec::new();
    let mut first_times = Vec::new();
    for round in 0..rounds {
        let edited = original.replacen(
            "## わかったこと\n",
            &format!("## わかったこと\n- 追記{round}\n"),
            1,
        );
        std::fs::write(&newest, edited).expect("write note");
        let started = Instant::now();
        let mut first = None;
        let summary =
            logsite::site::build_cached_edited_first(root, &options, &mut cache, &mut |pages| {
                first = Some((started.elapsed().as_secs_f64() * 1000.0, pages.to_vec()));
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let (first_ms, pages) = first.expect("the edited day's page is written first");
        println!(
            "rebuild after editing {}: {pages:?} written in {first_ms:.0} ms, all in {ms:.0} ms ({} files kept)",
            newest.display(),
            summary.reused
        );
        for (stage, took) in &summary.stages {
            println!("  {:>6} ms  {stage}", took.as_millis());
        }
        times.push(ms);
        first_times.push(first_ms);
    }
    std::fs::write(&newest, original).expect("restore note");
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "median: edited page written in {:.0} ms, rebuild done in {:.0} ms",
        median(first_times),
        median(times)
    );
}
