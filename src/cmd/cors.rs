//! `logsite cors probe`: would a browser let a page read this server's response?

use std::process::ExitCode;

use anyhow::Result;

use crate::cors::safelist::trim_http;
use crate::cors::{probe, ProbeArgs};

#[derive(Debug, clap::Args)]
pub struct CorsArgs {
    #[command(subcommand)]
    pub command: CorsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum CorsCommand {
    /// Send a real preflight and request with an Origin header and judge the answer
    /// like a browser: exit 0 allowed, 1 blocked, 2 bad arguments, 3 unreachable
    Probe(ProbeCli),
}

#[derive(Debug, clap::Args)]
pub struct ProbeCli {
    /// The URL the page fetches, e.g. https://api.saburo.xyz/
    pub url: String,
    /// The page's origin, e.g. https://saburo.xyz
    #[arg(long)]
    pub origin: String,
    /// The request method
    #[arg(long, short = 'X', default_value = "GET")]
    pub method: String,
    /// A request header the page sets, as `Name: value` (repeatable)
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// The page uses credentials: "include" (cookies, Authorization)
    #[arg(long)]
    pub credentials: bool,
}

pub fn execute(args: CorsArgs) -> Result<ExitCode> {
    let CorsCommand::Probe(cli) = args.command;
    let mut headers = Vec::new();
    for h in &cli.headers {
        // HTTP whitespace only, as fetch() trims: a trailing NBSP stays.
        match h.split_once(':').map(|(n, v)| (trim_http(n), trim_http(v))) {
            Some((name, value)) if !name.is_empty() => {
                headers.push((name.to_string(), value.to_string()))
            }
            _ => {
                eprintln!("error: --header {h:?} is not `Name: value`");
                return Ok(ExitCode::from(probe::USAGE as u8));
            }
        }
    }
    let probe_args = ProbeArgs {
        url: cli.url,
        origin: cli.origin,
        method: cli.method,
        headers,
        credentials: cli.credentials,
    };
    let code = crate::cors::run_probe(&probe_args, &mut std::io::stdout());
    Ok(ExitCode::from(code as u8))
}
