//! Test support for the robustness, stress and fuzz tests: a JSON-RPC client whose reading runs in its
//! own task (so the client can send thousands of frames without reading, and the pipes never fill up),
//! spawning with environment variables, a model of LSP positions, and a watchdog that turns a hang into
//! a failure even when the server blocks every runtime thread.
//!
//! Used with `#[path = "common/extra.rs"] mod extra;`, by `common::Lsp`, the simpler interface on
//! top of this client, and by the benchmarks (`benches/common/mod.rs`), which start it with
//! [`Client::in_process_unparsed`]: waiting for `publishDiagnostics` must not cost the client more
//! than the server spends producing it (for a 1 MiB file the notification can be a megabyte of JSON),
//! so in that mode frames reach the test as bytes and [`Client::published`] recognises the notification
//! and its `version` with substring searches, parsing a frame only when it does not have that shape.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

pub const BIN: &str = env!("CARGO_BIN_EXE_outreach-lsp");

/// `OUTREACH_LONG_TESTS=1` turns on the long runs (more fuzz cases, 10,000 stress edits).
pub fn long_tests() -> bool {
    std::env::var("OUTREACH_LONG_TESTS").is_ok_and(|v| v == "1")
}

/// The runtime the tests run their async bodies on: two workers, as the machine has two cores.
pub fn test_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs an async test body on [`test_runtime`] under a [`Watchdog`] named `name`.
pub fn run_guarded<F: std::future::Future<Output = ()>>(name: &str, limit: Duration, f: F) {
    let _w = Watchdog::new(name, limit);
    test_runtime().block_on(f);
}

/// Aborts the whole test process when `what` takes longer than `limit`: a server that spins inside a
/// synchronous handler can starve the async runtime, and then no `tokio::time::timeout` ever fires.
pub struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    pub fn new(what: &str, limit: Duration) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        let what = what.to_string();
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < limit {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !flag.load(Ordering::SeqCst) {
                eprintln!(
                    "WATCHDOG: {what} did not finish within {limit:?}; aborting the test process"
                );
                std::process::exit(101);
            }
        });
        Watchdog(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// What the reader task saw on the server's output.
#[derive(Debug)]
pub enum Incoming {
    Msg(Value),
    /// A well-formed frame's body, not parsed yet (the reader task of `in_process_unparsed`).
    Raw(Vec<u8>),
    /// Bytes that are not a well-formed frame: always a test failure.
    Garbage(String),
    /// The server closed its output.
    Closed,
}

/// The largest frame the client accepts from the server: a bigger one fails the test instead of
/// filling the test process's memory.
pub const MAX_INCOMING_FRAME: usize = 64 << 20;

/// Reads frames strictly (a Content-Length header, optionally Content-Type, a blank line, a JSON body);
/// `parse: false` hands the body over unparsed.
async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>, parse: bool) -> Incoming {
    let mut length = None;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line).await {
            Ok(0) => return Incoming::Closed,
            Ok(_) => {}
            Err(e) => return Incoming::Garbage(format!("read error: {e}")),
        }
        if line == "\r\n" {
            break;
        }
        let Some((name, value)) = line.trim_end().split_once(": ") else {
            return Incoming::Garbage(format!("not a protocol header: {line:?}"));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            match value.parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => return Incoming::Garbage(format!("bad Content-Length {value:?}")),
            }
        } else if !name.eq_ignore_ascii_case("Content-Type") {
            return Incoming::Garbage(format!("unexpected header {line:?}"));
        }
    }
    let Some(length) = length else {
        return Incoming::Garbage("frame without Content-Length".into());
    };
    if length > MAX_INCOMING_FRAME {
        return Incoming::Garbage(format!(
            "the server sent a frame of {length} bytes (over {MAX_INCOMING_FRAME})"
        ));
    }
    let mut body = vec![0; length];
    if let Err(e) = reader.read_exact(&mut body).await {
        return Incoming::Garbage(format!(
            "truncated frame body ({length} bytes declared): {e}"
        ));
    }
    if parse {
        parse_body(&body)
    } else {
        Incoming::Raw(body)
    }
}

fn parse_body(body: &[u8]) -> Incoming {
    match serde_json::from_slice(body) {
        Ok(v) => Incoming::Msg(v),
        Err(e) => Incoming::Garbage(format!(
            "frame body is not JSON ({e}): {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        )),
    }
}

/// A `publishDiagnostics` frame that [`Client::published`] waited for.
pub struct Published {
    pub bytes: usize,
    pub body: Vec<u8>,
}

impl Published {
    /// The number of diagnostics (parses the whole frame; not for a timed path).
    pub fn count(&self) -> usize {
        let v: Value = serde_json::from_slice(&self.body).expect("JSON frame");
        v["params"]["diagnostics"].as_array().map_or(0, Vec::len)
    }
}

/// What a frame is, as far as waiting for diagnostics goes.
enum Seen {
    /// `publishDiagnostics` for the document, with its version.
    Diagnostics(i64),
    /// Something else (a response, a log message, another document's diagnostics).
    Other,
    /// The shape was not recognised; parse it.
    Unknown,
}

/// Classifies a frame without parsing it: the notification is recognised by its method and `uri`, and
/// its `version` is the last field of `params` (`…"version":7}}` or `…"version":7},"jsonrpc":"2.0"}`;
/// the `data` of each diagnostic also has a `version`, so the one found must close `params`).
fn classify(body: &str, uri_field: &str) -> Seen {
    if !body.contains("\"textDocument/publishDiagnostics\"") || !body.contains(uri_field) {
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
        Seen::Diagnostics(v)
    } else {
        Seen::Unknown
    }
}

pub struct Client {
    writer: Option<Pin<Box<dyn AsyncWrite + Send>>>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    /// Messages received and not yet consumed.
    pub inbox: VecDeque<Value>,
    /// Every notification the server sent, in order (kept for whole-session checks).
    pub notifications: Vec<Value>,
    pub child: Option<tokio::process::Child>,
    pub server_task: Option<tokio::task::JoinHandle<i32>>,
    next_id: i64,
    /// Default time to wait for any single expected message.
    pub timeout: Duration,
    pub closed: bool,
    /// What the client answers to `workspace/configuration`.
    pub configuration: Value,
    /// Answer the server's own requests (false: return them as messages, for a silent client).
    pub answer_server_requests: bool,
    /// Frames [`Client::published`] had to parse in full because the fast path did not recognise
    /// them; stays 0 while it matches.
    pub slow_frames: u64,
}

#[derive(Default, Clone)]
pub struct SpawnOptions {
    pub dir: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
    /// An address-space limit for the server (bytes): a server that reads without bound fails
    /// its allocation instead of filling the machine's memory.
    pub memory_limit: Option<u64>,
}

impl Client {
    fn new(
        reader: Pin<Box<dyn AsyncRead + Send>>,
        writer: Pin<Box<dyn AsyncWrite + Send>>,
        parse: bool,
    ) -> Client {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            loop {
                let item = read_frame(&mut reader, parse).await;
                let stop = !matches!(item, Incoming::Msg(_) | Incoming::Raw(_));
                if tx.send(item).is_err() || stop {
                    break;
                }
            }
        });
        Client {
            writer: Some(writer),
            incoming: rx,
            inbox: VecDeque::new(),
            notifications: Vec::new(),
            child: None,
            server_task: None,
            next_id: 1,
            timeout: Duration::from_secs(30),
            closed: false,
            configuration: Value::Null,
            answer_server_requests: true,
            slow_frames: 0,
        }
    }

    /// The server in this process (`outreach_lsp::server::serve`), over in-memory pipes.
    pub fn in_process() -> Client {
        Client::in_process_with(true)
    }

    /// Like `in_process`, but frames are parsed only when read (see [`Client::published`]): for
    /// the benchmarks, where parsing every published megabyte would be timed with the server.
    pub fn in_process_unparsed() -> Client {
        Client::in_process_with(false)
    }

    fn in_process_with(parse: bool) -> Client {
        let (client_end, server_end) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_end);
        let (client_read, client_write) = tokio::io::split(client_end);
        let task = tokio::spawn(outreach_lsp::server::serve(server_read, server_write));
        let mut c = Client::new(Box::pin(client_read), Box::pin(client_write), parse);
        c.server_task = Some(task);
        c
    }

    pub fn spawn(opts: SpawnOptions) -> Client {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(&opts.args)
            .current_dir(opts.dir.unwrap_or_else(std::env::temp_dir))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        if let Some(limit) = opts.memory_limit {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    if libc::setrlimit(libc::RLIMIT_AS, &rlimit) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        }
        let mut child = cmd.spawn().expect("spawn outreach-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut c = Client::new(Box::pin(stdout), Box::pin(stdin), true);
        c.child = Some(child);
        c
    }

    pub fn next_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        if std::env::var_os("EXTRA_DEBUG").is_some() {
            eprintln!("-> {:.300}", String::from_utf8_lossy(bytes));
        }
        let limit = self.timeout;
        let w = self.writer.as_mut().expect("input already closed");
        let write = async {
            w.write_all(bytes).await?;
            w.flush().await
        };
        match tokio::time::timeout(limit, write).await {
            Ok(r) => r.expect("write to the server"),
            Err(_) => panic!(
                "the server stopped reading its input: a {}-byte write did not finish within {limit:?}",
                bytes.len()
            ),
        }
    }

    /// Like `send_raw`, but a server that stopped reading is not a panic here.
    pub async fn try_send_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let w = self.writer.as_mut().expect("input already closed");
        w.write_all(bytes).await?;
        w.flush().await
    }

    pub async fn send(&mut self, msg: &Value) {
        self.send_raw(&frame(&serde_json::to_vec(msg).unwrap()))
            .await;
    }

    /// Closes the server's input (stdin, or the in-memory pipe).
    pub async fn close_input(&mut self) {
        if let Some(mut w) = self.writer.take() {
            let _ = w.shutdown().await;
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns its id without waiting.
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        id
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params).await;
        self.response(&json!(id)).await
    }

    /// The next message from the server (answering server-to-client requests on the way), or None
    /// when the server closed its output. Waits at most `limit`; panics on garbage output.
    pub async fn recv_within(&mut self, limit: Duration) -> Option<Value> {
        if let Some(m) = self.inbox.pop_front() {
            return Some(m);
        }
        self.pull(limit).await
    }

    /// Reads one more message from the wire (not from the inbox).
    async fn pull(&mut self, limit: Duration) -> Option<Value> {
        loop {
            if self.closed {
                return None;
            }
            let item = match tokio::time::timeout(limit, self.incoming.recv()).await {
                Ok(Some(item)) => item,
                Ok(None) => Incoming::Closed,
                Err(_) => panic!("timed out after {limit:?} waiting for the server"),
            };
            if std::env::var_os("EXTRA_DEBUG").is_some() {
                eprintln!("<- {:.300}", format!("{item:?}"));
            }
            if let Some(m) = self.take(item).await {
                return Some(m);
            }
            if self.closed {
                return None;
            }
        }
    }

    /// What the test sees of one incoming item: a message, or None when it was a server-to-client
    /// request (answered here) or the end of the output (`closed` is set). Panics on garbage.
    async fn take(&mut self, item: Incoming) -> Option<Value> {
        let m = match item {
            Incoming::Msg(m) => m,
            Incoming::Raw(body) => return Box::pin(self.take(parse_body(&body))).await,
            Incoming::Garbage(g) => panic!("the server wrote something that is not a frame: {g}"),
            Incoming::Closed => {
                self.closed = true;
                return None;
            }
        };
        if self.answer_server_requests && m.get("method").is_some() && m.get("id").is_some() {
            let result = match m["method"].as_str() {
                Some("workspace/configuration") => json!([self.configuration.clone()]),
                _ => Value::Null,
            };
            let reply = json!({"jsonrpc": "2.0", "id": m["id"].clone(), "result": result});
            if self.writer.is_some() {
                let _ = self
                    .try_send_raw(&frame(&serde_json::to_vec(&reply).unwrap()))
                    .await;
            }
            return None;
        }
        if m.get("method").is_some() {
            self.notifications.push(m.clone());
        }
        Some(m)
    }

    /// Waits for `publishDiagnostics` for `uri` at `version`, dropping every other message (the inbox
    /// is not used). On a client from `in_process_unparsed`, frames are classified by substring search
    /// and parsed only when their shape is not the expected one (counted in `slow_frames`).
    pub async fn published(&mut self, uri: &str, version: i64) -> Published {
        let uri_field = format!("\"uri\":{}", json!(uri));
        let limit = self.timeout;
        loop {
            let item = match tokio::time::timeout(limit, self.incoming.recv()).await {
                Ok(Some(item)) => item,
                Ok(None) => Incoming::Closed,
                Err(_) => panic!("timed out after {limit:?} waiting for diagnostics of {uri}"),
            };
            let (body, seen) = match item {
                Incoming::Raw(body) => {
                    let text = std::str::from_utf8(&body).expect("UTF-8 frame");
                    let seen = classify(text, &uri_field);
                    (body, seen)
                }
                other => {
                    let m = self.take(other).await;
                    assert!(
                        !self.closed,
                        "server closed its output before diagnostics of {uri}"
                    );
                    let Some(m) = m else { continue };
                    let p = &m["params"];
                    if m["method"] == "textDocument/publishDiagnostics"
                        && p["uri"] == uri
                        && p["version"] == json!(version)
                    {
                        let body = serde_json::to_vec(&m).unwrap();
                        return Published {
                            bytes: body.len(),
                            body,
                        };
                    }
                    continue;
                }
            };
            let got = match seen {
                Seen::Diagnostics(v) => Some(v),
                Seen::Other => {
                    // Small frames may be requests from the server that want an answer.
                    if body.len() < 64 * 1024 && body.windows(4).any(|w| w == b"\"id\"") {
                        self.take(Incoming::Raw(body)).await;
                    }
                    continue;
                }
                Seen::Unknown => {
                    self.slow_frames += 1;
                    let v: Value = serde_json::from_slice(&body).expect("JSON frame");
                    let request = v.get("id").is_some() && v.get("method").is_some();
                    if request {
                        self.take(Incoming::Msg(v)).await;
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

    pub async fn recv(&mut self) -> Option<Value> {
        let t = self.timeout;
        self.recv_within(t).await
    }

    /// Waits for the response with `id`, keeping everything else in the inbox.
    pub async fn response(&mut self, id: &Value) -> Value {
        let t = self.timeout;
        self.response_within(id, t).await
    }

    pub async fn response_within(&mut self, id: &Value, limit: Duration) -> Value {
        self.first_matching(limit, &format!("answering {id}"), |m| {
            m.get("method").is_none() && m.get("id") == Some(id)
        })
        .await
    }

    /// Waits for a notification with `method` whose params satisfy `pred`; earlier messages stay
    /// in the inbox.
    pub async fn notification(
        &mut self,
        method: &str,
        limit: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let m = self
            .first_matching(limit, &format!("sending {method}"), |m| {
                m["method"] == method && pred(&m["params"])
            })
            .await;
        m["params"].clone()
    }

    /// The first message, in the inbox or still to come within `limit`, that `matches`; the others
    /// stay in the inbox. Panics when the server closes its output first.
    async fn first_matching(
        &mut self,
        limit: Duration,
        waiting_for: &str,
        matches: impl Fn(&Value) -> bool,
    ) -> Value {
        if let Some(i) = self.inbox.iter().position(&matches) {
            return self.inbox.remove(i).unwrap();
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self
                .pull(left.max(Duration::from_millis(1)))
                .await
                .unwrap_or_else(|| panic!("server closed its output before {waiting_for}"));
            if matches(&m) {
                return m;
            }
            self.inbox.push_back(m);
        }
    }

    /// Diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64, limit: Duration) -> Vec<Value> {
        let p = self
            .notification("textDocument/publishDiagnostics", limit, |p| {
                p["uri"] == uri && p["version"] == json!(version)
            })
            .await;
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub async fn initialize_with(&mut self, params: Value) -> Value {
        let r = self.request("initialize", params).await;
        assert!(r.get("error").is_none(), "initialize failed: {r}");
        self.notify("initialized", json!({})).await;
        r
    }

    pub async fn initialize(&mut self) -> Value {
        self.initialize_with(json!({"capabilities": {}})).await
    }

    /// The built binary started in the folder `root` (whatever `opts.dir` says) and initialised
    /// with `root` as its workspace (see [`workspace_params`]).
    pub async fn spawn_in_workspace(
        root: &Path,
        opts: SpawnOptions,
        capabilities: Value,
        options: Value,
    ) -> Client {
        let mut c = Client::spawn(SpawnOptions {
            dir: Some(root.to_path_buf()),
            ..opts
        });
        c.initialize_with(workspace_params(root, capabilities, options))
            .await;
        c
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.open_version(uri, text, 1).await;
    }

    pub async fn open_version(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        )
        .await;
    }

    pub async fn hover(&mut self, uri: &str, line: u64, character: u64) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .await
    }

    /// `shutdown` then `exit`; for a spawned server, waits for the process and returns its status
    /// code; in process, the value `serve` returned.
    pub async fn shutdown_and_exit(&mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null).await;
        self.wait_exit(Duration::from_secs(5)).await
    }

    /// Waits for the server to end by itself; panics when it takes longer than `limit`.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        if let Some(child) = self.child.as_mut() {
            let status = tokio::time::timeout(limit, child.wait())
                .await
                .unwrap_or_else(|_| panic!("the server process did not exit within {limit:?}"))
                .unwrap();
            return status.code();
        }
        if let Some(task) = self.server_task.take() {
            let code = tokio::time::timeout(limit, task)
                .await
                .unwrap_or_else(|_| panic!("the in-process server did not return within {limit:?}"))
                .expect("the in-process server task panicked");
            return Some(code);
        }
        None
    }
}

// ---- LSP positions, modelled on the client side (LSP line breaks: \n, \r\n, \r)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    pub fn units(self, c: char) -> usize {
        match self {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
        }
    }
}

/// Lines of `text` as byte ranges of their content (without the line break). A text always has at
/// least one line; a trailing line break starts an empty last line.
pub fn lines(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(start..i);
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push(start..i);
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push(start..b.len());
    out
}

/// Byte offset of an LSP position, clamped the way the server documents it: a line past the end is
/// the end of the text, a character past the end of its line is the end of the line's text, and a
/// position inside a character is that character's start.
pub fn offset_at(text: &str, line: u64, character: u64, enc: Enc) -> usize {
    let ls = lines(text);
    let Some(l) = ls.get(line as usize) else {
        return text.len();
    };
    let mut units = 0u64;
    for (i, c) in text[l.clone()].char_indices() {
        let next = units + enc.units(c) as u64;
        if character < next {
            return l.start + i;
        }
        units = next;
    }
    l.end
}

/// The LSP position of a byte offset on a character boundary.
pub fn position_at(text: &str, offset: usize, enc: Enc) -> (u64, u64) {
    let ls = lines(text);
    for (n, l) in ls.iter().enumerate() {
        let next_start = ls.get(n + 1).map_or(usize::MAX, |x| x.start);
        if offset < next_start || n + 1 == ls.len() {
            let upto = offset.min(l.end);
            let ch: usize = text[l.start..upto].chars().map(|c| enc.units(c)).sum();
            return (n as u64, ch as u64);
        }
    }
    unreachable!()
}

/// Why an LSP range does not lie inside `text` (None when it does): both ends on existing lines, at
/// most at the end of their line's text, on character boundaries, and start not after end.
pub fn range_problem(text: &str, range: &Value, enc: Enc) -> Option<String> {
    let ls = lines(text);
    let mut ends = Vec::new();
    for which in ["start", "end"] {
        let p = &range[which];
        let (Some(line), Some(ch)) = (p["line"].as_u64(), p["character"].as_u64()) else {
            return Some(format!("{which} is not a position: {p}"));
        };
        let Some(l) = ls.get(line as usize) else {
            return Some(format!(
                "{which} line {line} is past the last line {}",
                ls.len() - 1
            ));
        };
        let mut units = 0u64;
        let mut ok = ch == 0;
        for c in text[l.clone()].chars() {
            units += enc.units(c) as u64;
            if units == ch {
                ok = true;
            }
            if units >= ch {
                break;
            }
        }
        if !ok {
            let len: usize = text[l.clone()].chars().map(|c| enc.units(c)).sum();
            return Some(if ch as usize > len {
                format!("{which} character {ch} is past the end of line {line} ({len} units)")
            } else {
                format!("{which} character {ch} of line {line} is inside a character")
            });
        }
        ends.push((line, ch));
    }
    (ends[0] > ends[1]).then(|| format!("start {:?} is after end {:?}", ends[0], ends[1]))
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh, empty directory; the counter keeps two of one test binary apart.
    pub fn new(name: &str) -> TempDir {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "outreach-lsp-test-{name}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `initialize` parameters of a client opened on the folder `root` (as `rootUri` and as its one
/// workspace folder), with the client's `capabilities` and the `initializationOptions`.
pub fn workspace_params(root: &Path, capabilities: Value, options: Value) -> Value {
    let uri = file_uri(root);
    json!({
        "capabilities": capabilities,
        "rootUri": uri,
        "workspaceFolders": [{"uri": uri, "name": "w"}],
        "initializationOptions": options,
    })
}

/// Diagnostics reduced to what a user sees (code, range, severity, message).
pub fn visible(diags: &[Value]) -> Vec<Value> {
    diags
        .iter()
        .map(|d| json!([d["code"], d["range"], d["severity"], d["message"]]))
        .collect()
}
