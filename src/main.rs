//! The `presswatch` binary: no subcommand (or `open`) opens the window, other subcommands run
//! headless. Fatal errors print one line and exit with code 2.

use std::process::ExitCode;

use clap::Parser;
use presswatch::cli::{self, Cli, Command};

// Import allocates a few small strings per article on every core; mimalloc's per-thread pools
// cut the allocator's share of an import from about a quarter to a few percent.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages. When it hands memory back and takes it again, the
    // kernel clears a whole 2 MB page on the next touch: 5-17% of a `trends` run on rss-2023
    // went to that. Ordinary pages cost nothing measurable here.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("presswatch: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => open_window(None),
        Some(Command::Open { path }) => open_window(Some(path)),
        Some(command) => cli::run(command),
    }
}

#[cfg(feature = "gui")]
fn open_window(path: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    presswatch::app::run(path)
}

#[cfg(not(feature = "gui"))]
fn open_window(_path: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!("this build has no window (built without the 'gui' feature); use a subcommand, see --help")
}
