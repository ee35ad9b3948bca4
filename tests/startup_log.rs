//! The server says which version started, on stderr (stdout is the protocol), so an editor's log
//! shows what it runs.

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn server_logs_its_version_on_start() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_outreach-lsp"))
        .env_remove("OUTREACH_LSP_LOG")
        .env_remove("OUTREACH_LSP_LOG_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child.wait().unwrap();
    let line = format!(
        "outreach-lsp {} starting on stdio",
        env!("CARGO_PKG_VERSION")
    );
    assert!(err.contains(&line), "stderr: {err:?}");
    assert_eq!(out, "", "nothing but the protocol on stdout");
}
