//! A minimal LSP client for the benchmarks: Content-Length framing over an in-process
//! `tokio::io::duplex` pipe to `outreach_lsp::server::serve`.
//!
//! Waiting for `publishDiagnostics` must not cost the client more than the server spends producing it
//! (for a 1 MiB file the notification can be a megabyte of JSON), so the client does not parse every
//! frame: it recognises the notification and reads its `version` with substring searches and only
//! falls back to a full JSON parse when the frame does not have the expected shape.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};

/// How long to wait for any one frame before declaring the server stuck.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Client {
    writer: WriteHalf<DuplexStream>,
    reader: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    pub server: tokio::task::JoinHandle<i32>,
    /// Frames that needed the slow (full JSON) path; stays 0 while the fast path matches.
    pub slow_frames: u64,
}

/// What a matching `publishDiagnostics` looked like.
pub struct Published {
    pub bytes: usize,
    pub body: Vec<u8>,
}

impl Published {
    /// The number of diagnostics (parses the whole frame; not for the timed path).
    pub fn count(&self) -> usize {
        let v: Value = serde_json::from_slice(&self.body).expect("JSON frame");
        v["params"]["diagnostics"].as_array().map_or(0, Vec::len)
    }
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

pub fn message(v: &Value) -> Vec<u8> {
    frame(&serde_json::to_vec(v).expect("serialisable"))
}

/// What a frame is, as far as waiting for diagnostics goes.
enum Seen {
    /// `publishDiagnostics` for the document, with its version (None when unversioned).
    Diagnostics(Option<i64>),
    /// Something else (a response, a log message, another document's diagnostics).
    Other,
    /// The shape was not recognised; parse it.
    Unknown,
}

/// Classifies a frame without parsing it: the notification is recognised by its method and `uri`, and
/// its `version` is the last field of `params` (`…"version":7}}` or `…"version":7},"jsonrpc":"2.0"}`;
/// the `data` of each diagnostic also has a `version`, so the one found must close `params`).
fn classify(body: &str, uri_field: &str) -> Seen {
    if !body.contains("\"textDocument/publishDiagnostics\"") {
        return Seen::Other;
    }
    if !body.contains(uri_field) {
        return Seen::Other;
    }
    let Some(at) = body.rfind("\"version\":") else {
        return Seen::Unknown;
    };
    let rest = &body[at + "\"version\":".len()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Ok(v) = rest[..digits].parse::<i64>() else {
        return Seen::Unknown;
    };
    let tail: String = rest[digits..]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if tail == "}}" || tail == "},\"jsonrpc\":\"2.0\"}" {
        Seen::Diagnostics(Some(v))
    } else {
        Seen::Unknown
    }
}

impl Client {
    /// Starts the server on the current tokio runtime.
    pub fn start() -> Client {
        let (client_end, server_end) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_end);
        let (client_read, client_write) = tokio::io::split(client_end);
        let server = tokio::spawn(outreach_lsp::server::serve(server_read, server_write));
        Client {
            writer: client_write,
            reader: BufReader::with_capacity(1 << 16, client_read),
            next_id: 1,
            server,
            slow_frames: 0,
        }
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("server input");
        self.writer.flush().await.expect("server input");
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let m = message(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
        self.send_raw(&m).await;
    }

    /// Reads one frame body.
    pub async fn read_frame(&mut self) -> Vec<u8> {
        tokio::time::timeout(TIMEOUT, self.read_frame_inner())
            .await
            .expect("timed out waiting for the server")
            .expect("the server closed its output")
    }

    async fn read_frame_inner(&mut self) -> Option<Vec<u8>> {
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let l = line.trim_end();
            if l.is_empty() {
                if length.is_some() {
                    break;
                }
                continue;
            }
            if let Some((name, value)) = l.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let mut body = vec![0; length?];
        self.reader.read_exact(&mut body).await.ok()?;
        Some(body)
    }

    /// Answers a request from the server (`workspace/configuration`, `client/registerCapability`, …)
    /// with `null`; true when `v` was one.
    async fn answer(&mut self, v: &Value) -> bool {
        match (v.get("id"), v.get("method")) {
            (Some(id), Some(_)) => {
                let reply = message(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                self.send_raw(&reply).await;
                true
            }
            _ => false,
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let m = message(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.send_raw(&m).await;
        loop {
            let body = self.read_frame().await;
            let v: Value = serde_json::from_slice(&body).expect("JSON frame");
            if v.get("method").is_none() && v.get("id") == Some(&json!(id)) {
                return v;
            }
            self.answer(&v).await;
        }
    }

    pub async fn initialize(&mut self) {
        let r = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": {}}),
            )
            .await;
        assert!(r.get("error").is_none(), "initialize failed: {r}");
        self.notify("initialized", json!({})).await;
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    }

    /// Waits for `publishDiagnostics` for `uri` with `version`, dropping everything else.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Published {
        let uri_field = format!("\"uri\":{}", json!(uri));
        loop {
            let body = self.read_frame().await;
            let text = std::str::from_utf8(&body).expect("UTF-8 frame");
            let got = match classify(text, &uri_field) {
                Seen::Diagnostics(v) => v,
                Seen::Other => {
                    // Small frames may be requests from the server that want an answer.
                    if body.len() < 64 * 1024 && text.contains("\"id\"") {
                        if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                            self.answer(&v).await;
                        }
                    }
                    None
                }
                Seen::Unknown => {
                    self.slow_frames += 1;
                    let v: Value = serde_json::from_slice(&body).expect("JSON frame");
                    if self.answer(&v).await {
                        continue;
                    }
                    (v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri)
                        .then(|| v["params"]["version"].as_i64())
                        .flatten()
                }
            };
            if got == Some(version) {
                return Published {
                    bytes: body.len(),
                    body,
                };
            }
        }
    }
}
