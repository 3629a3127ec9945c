use std::process::ExitCode;

use clap::Parser;

// A build allocates many small strings from many threads; mimalloc is measurably
// faster at that than the system allocator (see the commit that added it).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // clap exits 2 on a wrong command line, 0 for --help and --version.
    let cli = logsite::cmd::Cli::parse();
    if matches!(cli.command, logsite::cmd::Command::Serve(_)) {
        // A server keeps the memory it rebuilds with (see the function).
        logsite::serve::keep_freed_memory();
    }
    match logsite::cmd::run(cli) {
        Ok(code) => code,
        Err(e) => logsite::cmd::report_error(&e),
    }
}
