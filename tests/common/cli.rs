//! The built binary run as a command, the way a shell or a CI job runs it: arguments, a working
//! folder, optionally bytes on standard input; the output captured.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `outreach-lsp ARGS` in `dir`, with nothing on standard input.
pub fn run(args: &[&str], dir: &Path) -> Output {
    run_with_stdin(args, dir, None)
}

/// `outreach-lsp ARGS` in `dir`, fed `input` on standard input when given (else none).
pub fn run_with_stdin(args: &[&str], dir: &Path, input: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_outreach-lsp"))
        .args(args)
        .current_dir(dir)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run outreach-lsp");
    if let Some(bytes) = input {
        let mut stdin = child.stdin.take().unwrap();
        // A usage error exits before reading: the pipe may close under us, which is not the test's concern.
        if let Err(e) = stdin.write_all(bytes) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    child.wait_with_output().expect("wait for outreach-lsp")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The repository (its examples, docs and test data).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
