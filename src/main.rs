use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match outreach_lsp::cli::Cli::try_parse() {
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
    if cli.is_serve() {
        outreach_lsp::server::run_stdio();
        return ExitCode::SUCCESS;
    }
    outreach_lsp::cli::run(cli)
}
