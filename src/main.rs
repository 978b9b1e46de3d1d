//! The `presswatch` binary: no subcommand opens the window, subcommands run headless.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("presswatch: the command line is being built");
    ExitCode::SUCCESS
}
