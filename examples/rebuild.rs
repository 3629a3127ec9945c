//! Times what `serve` does after a save: a cached rebuild after one note is edited.
//!
//!     cargo run --release --example rebuild -- LOG_DIR [ROUNDS] [PAUSE_MS]
//!
//! Builds LOG_DIR once into a temp folder, then ROUNDS times appends a line to the
//! newest published note's learnings, rebuilds with the cache as `serve` does and
//! prints how long it took until the edited day's page was written (when `serve` tells
//! the tab showing it to reload) and until the whole rebuild was done; the note is
//! restored at the end. Used for the figure in README.md. PAUSE_MS waits before each
//! edit, as between a person's saves: a process that was idle rebuilds slower than
//! one rebuilding back to back.

use std::path::Path;
use std::time::Instant;

// The allocator of the `logsite` binary, set up as `logsite serve` sets it, so the
// times are those of `logsite serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map(String::as_str).unwrap_or("."));
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let pause =
        std::time::Duration::from_millis(args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0));
    logsite::serve::keep_freed_memory();
    let out = tempfile::tempdir().expect("temp dir");
    let mut options = logsite::site::BuildOptions::new(chrono::Local::now().date_naive());
    options.out_dir = Some(out.path().join("site"));
    let mut cache = logsite::site::SiteCache::default();
    let started = Instant::now();
    logsite::site::build_cached(root, &options, &mut cache).unwrap_or_else(|e| panic!("{e}"));
    println!("first build: {} ms", started.elapsed().as_millis());

    // The newest published note: a draft has no page to show.
    let config = logsite::config::Config::load(root).expect("book.toml");
    let log_options = logsite::log::LogOptions {
        include_drafts: false,
        today: options.today,
        check_images: false,
    };
    let log = logsite::log::Log::open(root, config, &log_options);
    let newest = root.join(&log.days.last().expect("a published note").note.path);
    let original = std::fs::read_to_string(&newest).expect("read note");
    // Each round: (ms until the edited page was written, ms until the rebuild was done).
    let mut time_round = |round: usize| -> Result<(f64, f64), String> {
        let edited = original.replacen(
            "## わかったこと\n",
            &format!("## わかったこと\n- 追記{round}\n"),
            1,
        );
        std::thread::sleep(pause);
        std::fs::write(&newest, edited).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let mut first = None;
        let summary =
            logsite::site::build_cached_edited_first(root, &options, &mut cache, &mut |pages| {
                first = Some((started.elapsed().as_secs_f64() * 1000.0, pages.to_vec()));
            })
            .map_err(|e| e.to_string())?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let (first_ms, pages) = first.ok_or("no page was written first")?;
        println!(
            "rebuild after editing {}: {pages:?} written in {first_ms:.0} ms, all in {ms:.0} ms ({} files kept)",
            newest.display(),
            summary.reused
        );
        for (stage, took) in &summary.stages {
            println!("  {:>6} ms  {stage}", took.as_millis());
        }
        Ok((first_ms, ms))
    };
    let timed: Result<Vec<(f64, f64)>, String> = (0..rounds).map(&mut time_round).collect();
    // Restored also when a round failed.
    std::fs::write(&newest, original).expect("restore note");
    let (first_times, times): (Vec<f64>, Vec<f64>) =
        timed.unwrap_or_else(|e| panic!("{e}")).into_iter().unzip();
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
