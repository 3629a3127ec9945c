//! The benchmark floor: render every note with plain pulldown-cmark and write one HTML
//! file per note, nothing else. `scripts/bench.py` runs it beside `logsite build` so
//! logsite's cost is read against the least any generator must do.
//!
//!     cargo run --release --example floor -- LOG_DIR OUT_DIR

use std::path::Path;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (log, out) = match args.as_slice() {
        [_, log, out] => (Path::new(log).join("content"), Path::new(out).to_path_buf()),
        _ => {
            eprintln!("usage: floor LOG_DIR OUT_DIR");
            std::process::exit(2);
        }
    };
    let mut count = 0usize;
    for entry in walkdir::WalkDir::new(&log).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        let mut html = String::with_capacity(text.len() * 2);
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
        let rel = entry
            .path()
            .strip_prefix(&log)
            .unwrap_or(entry.path())
            .with_extension("html");
        let dest = out.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap_or(&out))?;
        std::fs::write(dest, html)?;
        count += 1;
    }
    println!("rendered {count} notes");
    Ok(())
}
