//! `logsite serve`: build, serve on loopback, rebuild on change, reload every tab.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};

use super::LogArgs;
use crate::serve::{ServeOptions, Server};
use crate::site::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub log: LogArgs,
    /// Port to listen on (the next free one is used when it is taken; 0: any free port)
    #[arg(long, short = 'p', default_value_t = 3000)]
    pub port: u16,
    /// Interface to listen on; 0.0.0.0 shows your notes to the whole network
    #[arg(long, short = 'i', default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub interface: IpAddr,
    /// Open the site in the default browser
    #[arg(long, short = 'O')]
    pub open: bool,
    /// Write the site here instead of book.toml's [build] build-dir (default public/)
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dest_dir: Option<PathBuf>,
    /// Poll for changes instead of OS notifications (WSL, network drives)
    #[arg(long)]
    pub poll: bool,
    /// Print how long each stage of each rebuild took
    #[arg(long)]
    pub timings: bool,
}

/// How long the watcher waits for a burst of events to end before rebuilding. An
/// editor's save (truncate and write, or write a temporary file and rename) is one
/// burst of a few milliseconds; 50 ms was still a third of the time from save to
/// reload at 3,650 notes. A save caught half-way is read again: its next event
/// rebuilds, and a note that changes during a build fails that build, not the site.
const DEBOUNCE: Duration = Duration::from_millis(20);

pub fn execute(args: ServeArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: ServeArgs) -> Result<()> {
    let options = ServeOptions {
        root: args.log.dir.clone(),
        build: BuildOptions {
            include_drafts: args.log.drafts,
            base_url: None,
            out_dir: args.dest_dir.clone(),
            today: chrono::Local::now().date_naive(),
        },
        addr: SocketAddr::new(args.interface, args.port),
        poll: args.poll,
        debounce: DEBOUNCE,
        timings: args.timings,
    };
    let server = Server::start(options).await?;
    run(server, args.interface, args.open).await
}

/// `logsite cohort serve`: the cohort folder built and served on loopback, rebuilt
/// when its local sources change.
pub fn execute_cohort(args: super::cohort::CohortServeArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let interface = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let options = ServeOptions {
            root: args.build.dir.clone(),
            build: BuildOptions::new(chrono::Local::now().date_naive()),
            addr: SocketAddr::new(interface, args.port),
            poll: args.poll,
            debounce: DEBOUNCE,
            timings: false,
        };
        let server = Server::start_cohort(options, args.build.options()).await?;
        run(server, interface, args.open).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Announces the server and runs it until Ctrl-C.
async fn run(server: Server, interface: IpAddr, open: bool) -> Result<()> {
    if let Some(port) = server.port_taken() {
        eprintln!(
            "Port {port} is in use; using {} instead.",
            server.local_addr().port()
        );
    }
    if !interface.is_loopback() {
        eprintln!("warning: listening on {interface}: anyone on your network can read this log");
    }
    eprintln!(
        "Serving {} and watching for changes (Ctrl-C to stop)",
        server.out_dir().display()
    );
    println!("{}", server.url());
    if open {
        open_browser(&server.url());
    }
    server.run(stop_signal()).await?;
    eprintln!("Stopped.");
    Ok(())
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    if let Err(e) = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}
