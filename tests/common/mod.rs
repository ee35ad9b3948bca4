//! The LSP client for tests: real Content-Length framing over an in-process pipe or a spawned
//! `outreach-lsp` binary. There is one client, `extra::Client` (its reading runs in its own task, so
//! reads are never cut off mid-frame and pipes never fill up); `Lsp` is the simpler interface most
//! tests use, on top of it. robustness, stress and fuzz_rpc use `extra` directly.
#![allow(dead_code)]

pub mod cli;
pub mod extra;

use std::time::Duration;

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// `extra::Client` with a read-one-message interface; the client's fields (`child`,
/// `configuration`, `server_task`) are reached through it.
pub struct Lsp {
    client: extra::Client,
    /// Notifications (and, when `silent`, server requests) received but not yet looked at.
    pub inbox: Vec<Value>,
    /// Leave the server's own requests unanswered (they stay in the inbox), as a broken client would.
    pub silent: bool,
}

impl std::ops::Deref for Lsp {
    type Target = extra::Client;
    fn deref(&self) -> &extra::Client {
        &self.client
    }
}

impl std::ops::DerefMut for Lsp {
    fn deref_mut(&mut self) -> &mut extra::Client {
        &mut self.client
    }
}

/// `both_transports!(scenario)` makes two tests of `async fn scenario(lsp: Lsp)`: one against the
/// server in this process, one against the spawned binary (in a module named after the scenario).
#[allow(unused_macros)]
macro_rules! both_transports {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn in_process() {
                super::$name($crate::common::Lsp::in_process()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn spawned() {
                super::$name($crate::common::Lsp::spawn()).await;
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use both_transports;

/// Enables the server's debug methods (`outreach/documentText`) for in-process servers: the switch
/// is read when a server starts, so it is set once, before any server of the test binary starts.
pub fn test_hooks_on() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::env::set_var("OUTREACH_LSP_TEST_HOOKS", "1"));
}

impl Lsp {
    fn wrap(mut client: extra::Client) -> Lsp {
        client.timeout = TIMEOUT;
        Lsp {
            client,
            inbox: Vec::new(),
            silent: false,
        }
    }

    /// The server in this process, over an in-memory pipe.
    pub fn in_process() -> Lsp {
        test_hooks_on();
        Self::wrap(extra::Client::in_process())
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
        let opts = extra::SpawnOptions {
            dir: Some(dir.as_ref().to_path_buf()),
            env: vec![(
                "OUTREACH_LSP_TEST_HOOKS".into(),
                if test_hooks { "1" } else { "0" }.into(),
            )],
            ..Default::default()
        };
        Self::wrap(extra::Client::spawn(opts))
    }

    /// The spawned server's process id.
    pub fn pid(&self) -> u32 {
        self.client
            .child
            .as_ref()
            .and_then(|c| c.id())
            .expect("a spawned server")
    }

    /// Reads one message (None once the server closed its output), waiting at most `timeout` (of
    /// the client, TIMEOUT unless a test sets it). Server requests are answered
    /// by the client unless `silent`; then they are returned like any other message.
    pub async fn read(&mut self) -> Option<Value> {
        self.client.answer_server_requests = !self.silent;
        let limit = self.client.timeout;
        self.client.recv_within(limit).await
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.client.send_request(method, params).await;
        self.response(id).await
    }

    /// Waits for the response to request `id`, keeping notifications in the inbox.
    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let msg = self.read().await.expect("server closed the stream");
            if msg.get("method").is_none() && msg.get("id") == Some(&json!(id)) {
                return msg;
            }
            self.inbox.push(msg);
        }
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

// Not every test binary uses all of them.
#[allow(unused_imports)]
pub use extra::{file_uri, workspace_params, TempDir};

/// A temporary directory, removed when dropped, so test runs leave nothing behind.
pub fn temp_dir(name: &str) -> TempDir {
    TempDir::new(name)
}
