//! A small LSP client for tests: real Content-Length framing over an in-process pipe or a spawned
//! `outreach-lsp` binary.
#![allow(dead_code)]

use std::pin::Pin;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Lsp {
    writer: Pin<Box<dyn AsyncWrite + Send>>,
    reader: BufReader<Pin<Box<dyn AsyncRead + Send>>>,
    next_id: i64,
    /// Notifications and server requests received but not yet looked at.
    pub inbox: Vec<Value>,
    pub child: Option<tokio::process::Child>,
    /// What the client answers to `workspace/configuration`.
    pub configuration: Value,
    pub server_task: Option<tokio::task::JoinHandle<()>>,
    /// Leave the server's own requests unanswered (they stay in the inbox), as a broken client would.
    pub silent: bool,
}

/// Enables the server's debug methods (`outreach/documentText`) for in-process servers: the switch
/// is read when a server starts, so it is set once, before any server of the test binary starts.
pub fn test_hooks_on() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::env::set_var("OUTREACH_LSP_TEST_HOOKS", "1"));
}

impl Lsp {
    /// The server in this process, over an in-memory pipe.
    pub fn in_process() -> Lsp {
        test_hooks_on();
        let (client_end, server_end) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_end);
        let (client_read, client_write) = tokio::io::split(client_end);
        let task = tokio::spawn(async move {
            outreach_lsp::server::serve(server_read, server_write).await;
        });
        Lsp {
            writer: Box::pin(client_write),
            reader: BufReader::new(Box::pin(client_read)),
            next_id: 1,
            inbox: Vec::new(),
            child: None,
            configuration: Value::Null,
            server_task: Some(task),
            silent: false,
        }
    }

    /// The built binary, over its stdin and stdout.
    pub fn spawn() -> Lsp {
        Self::spawn_in(std::env::temp_dir())
    }

    pub fn spawn_in(dir: impl AsRef<std::path::Path>) -> Lsp {
        Self::spawn_with(dir, true)
    }

    /// The built binary; `test_hooks` turns on its debug methods.
    pub fn spawn_with(dir: impl AsRef<std::path::Path>, test_hooks: bool) -> Lsp {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_outreach-lsp"));
        if test_hooks {
            command.env("OUTREACH_LSP_TEST_HOOKS", "1");
        } else {
            command.env_remove("OUTREACH_LSP_TEST_HOOKS");
        }
        let mut child = command
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn outreach-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        Lsp {
            writer: Box::pin(stdin),
            reader: BufReader::new(Box::pin(stdout)),
            next_id: 1,
            inbox: Vec::new(),
            child: Some(child),
            configuration: Value::Null,
            server_task: None,
            silent: false,
        }
    }

    /// The spawned server's process id.
    pub fn pid(&self) -> u32 {
        self.child
            .as_ref()
            .and_then(|c| c.id())
            .expect("a spawned server")
    }

    /// Closes the server's input (the client dies).
    pub fn close_input(&mut self) {
        self.writer = Box::pin(tokio::io::sink());
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    pub async fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame).await;
    }

    /// Reads one frame. Anything on the stream that is not a frame fails the test.
    pub async fn read(&mut self) -> Option<Value> {
        tokio::time::timeout(TIMEOUT, self.read_inner())
            .await
            .expect("timed out waiting for the server")
    }

    async fn read_inner(&mut self) -> Option<Value> {
        let mut length = None;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            if line == "\r\n" {
                break;
            }
            let (name, value) = line
                .trim_end()
                .split_once(": ")
                .unwrap_or_else(|| panic!("not a protocol header: {line:?}"));
            if name.eq_ignore_ascii_case("Content-Length") {
                length = Some(value.parse::<usize>().expect("Content-Length is a number"));
            } else {
                assert!(
                    name.eq_ignore_ascii_case("Content-Type"),
                    "unexpected header {name}"
                );
            }
        }
        let mut body = vec![0; length.expect("frame without Content-Length")];
        self.reader.read_exact(&mut body).await.ok()?;
        Some(serde_json::from_slice(&body).expect("frame body is JSON"))
    }

    /// Handles a server-to-client request; returns true when `msg` was one.
    async fn answer(&mut self, msg: &Value) -> bool {
        let (Some(id), Some(method)) = (msg.get("id"), msg.get("method")) else {
            return false;
        };
        if self.silent {
            return false;
        }
        let result = match method.as_str() {
            Some("workspace/configuration") => json!([self.configuration.clone()]),
            _ => Value::Null,
        };
        let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
        self.send(&reply).await;
        true
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response(id).await
    }

    /// Waits for the response to request `id`, keeping notifications in the inbox.
    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let msg = self.read().await.expect("server closed the stream");
            if msg.get("method").is_none() && msg.get("id") == Some(&json!(id)) {
                return msg;
            }
            if !self.answer(&msg).await {
                self.inbox.push(msg);
            }
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    pub async fn initialize_with(&mut self, params: Value) -> Value {
        let r = self.request("initialize", params).await;
        self.notify("initialized", json!({})).await;
        r
    }

    pub async fn initialize(&mut self) -> Value {
        self.initialize_with(json!({"capabilities": {}})).await
    }

    /// The next notification with `method` that satisfies `pred` (earlier ones are dropped).
    pub async fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .inbox
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            let m = self.inbox.remove(i);
            self.inbox.drain(..i);
            return m["params"].clone();
        }
        // Older messages are done with; messages that arrive while waiting are kept, since the server
        // may send, say, a config file's diagnostics before the document's.
        self.inbox.clear();
        loop {
            let msg = self.read().await.expect("server closed the stream");
            if self.answer(&msg).await {
                continue;
            }
            if msg["method"] == method && pred(&msg["params"]) {
                return msg["params"].clone();
            }
            self.inbox.push(msg);
        }
    }

    /// Diagnostics published for `uri` (with `version` when given).
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let p = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && version.is_none_or(|v| p["version"] == json!(v))
            })
            .await;
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// The first diagnostics published for `uri` that satisfy `pred` (the server may republish the same
    /// version, e.g. after indexing the workspace, so tests wait for the state they expect).
    pub async fn diagnostics_where(
        &mut self,
        uri: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let p = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri
                    && pred(
                        p["diagnostics"]
                            .as_array()
                            .map_or(&[][..], |v| v.as_slice()),
                    )
            })
            .await;
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub async fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn shutdown_and_exit(&mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null).await;
    }
}

pub fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

pub fn find<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(diags)))
}

/// Applies LSP text edits (UTF-16 positions) to a text, as an editor would.
pub fn apply_lsp_edits(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                utf16_offset(text, &e["range"]["start"]),
                utf16_offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

pub fn utf16_offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let ch = pos["character"].as_u64().unwrap() as usize;
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i == line {
            let mut units = 0;
            for (b, c) in l.char_indices() {
                if units >= ch || c == '\n' || c == '\r' {
                    return offset + b;
                }
                units += c.len_utf16();
            }
            return offset + l.trim_end_matches(['\n', '\r']).len();
        }
        offset += l.len();
    }
    text.len()
}

/// Edits of a code action's workspace edit (either form).
pub fn action_edits(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["changes"].as_object() {
        return changes
            .values()
            .next()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
    }
    edit["documentChanges"][0]["edits"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A temporary directory, removed when dropped, so test runs leave nothing behind.
pub struct TempDir(std::path::PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir(name: &str) -> TempDir {
    let dir =
        std::env::temp_dir().join(format!("outreach-lsp-test-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}
