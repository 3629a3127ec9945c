use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = logsite::cmd::Cli::parse();
    match logsite::cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
