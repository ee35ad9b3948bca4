use std::process::ExitCode;

use clap::Parser;
use outreach_lsp::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version exit 0; real usage errors exit 2 (clap's default too).
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        None => outreach_lsp::server::run_stdio(None),
        Some(Command::Serve { config }) => outreach_lsp::server::run_stdio(config.as_deref()),
        Some(command) => {
            // A command writing to a pipe that closed (`check | head`) ends quietly, as Unix tools
            // do, instead of failing on the write. The server keeps ignoring SIGPIPE: a client that
            // goes away is an I/O error it handles.
            #[cfg(unix)]
            // SAFETY: restoring the default action of a signal, before any other thread exists.
            unsafe {
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            }
            outreach_lsp::cli::run(command)
        }
    }
}
