//! Peak heap of one `logsite build`, counted by a wrapping allocator.
//!
//!     cargo run --release --example peak_heap -- LOG_DIR OUT_DIR
//!
//! Peak RSS (scripts/bench.py) also counts what the allocator holds but does not use;
//! this counts only live allocations, after loading, after the log stage and after the
//! whole build, so a change to what the build keeps can be weighed on its own. The
//! whole build's peak is also given per stage (`--timings`' stages), from a sampler
//! that notes the highest live heap of every 10 ms.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The peak since the sampler last looked.
static WINDOW_PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
    WINDOW_PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn show(stage: &str) {
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    println!(
        "{stage:<22} live {:7.1} MiB   peak so far {:7.1} MiB",
        mib(LIVE.load(Relaxed)),
        mib(PEAK.load(Relaxed))
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(root), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: peak_heap LOG_DIR OUT_DIR");
        std::process::exit(2);
    };
    let root = std::path::Path::new(root);
    let today = chrono::Local::now().date_naive();
    let config = logsite::config::Config::load(root).expect("book.toml");
    let loaded = logsite::load::load(root, &config);
    show("loaded");
    let options = logsite::log::LogOptions {
        include_drafts: false,
        today,
        check_images: true,
    };
    let log = logsite::log::Log::build(root, config, loaded, &options);
    show("log stage");
    drop(log);
    let mut options = logsite::site::BuildOptions::new(today);
    options.out_dir = Some(out.into());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut samples = Vec::new();
            while !done.load(Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(10));
                let peak = WINDOW_PEAK.swap(LIVE.load(Relaxed), Relaxed);
                samples.push((start.elapsed(), peak));
            }
            samples
        })
    };
    let summary = logsite::site::build(root, &options).unwrap_or_else(|e| panic!("{e}"));
    done.store(true, Relaxed);
    let samples = sampler.join().expect("the sampler does not panic");
    show("whole build");
    let mut stage_end = std::time::Duration::ZERO;
    for (stage, took) in &summary.stages {
        let stage_start = stage_end;
        stage_end += *took;
        let peak = samples
            .iter()
            .filter(|(at, _)| {
                *at >= stage_start && *at <= stage_end + std::time::Duration::from_millis(10)
            })
            .map(|(_, peak)| *peak)
            .max()
            .unwrap_or(0);
        println!(
            "  {stage:<32} {:7.2} s   peak live {:7.1} MiB",
            took.as_secs_f64(),
            peak as f64 / (1024.0 * 1024.0)
        );
    }
}
