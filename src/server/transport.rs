//! Framing between the editor and the server. tower-lsp-server stops reading its input after the first
//! frame it cannot decode, so every frame is checked here first: a frame that is not JSON, or not a
//! JSON-RPC message, is answered with a JSON-RPC error and the server keeps serving.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Bodies larger than this are refused (and skipped) instead of being buffered.
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_frame(code: i64, message: &str, id: Value) -> Vec<u8> {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    frame(body.to_string().as_bytes())
}

enum Frame {
    Body(Vec<u8>),
    /// A header problem, already answered; reading continues.
    Bad(String),
    /// A body over MAX_FRAME: refused, then skipped without buffering it.
    TooLarge(usize),
    End,
}

/// Where a `Content-Length:` header starts in a line, if anywhere.
fn find_header(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    lower.find("content-length:")
}

async fn read_frame<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> Frame {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        match input.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        if line.len() > 8192 {
            problem.get_or_insert_with(|| "header line too long".into());
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let mut text = text.trim_end_matches(['\r', '\n']);
        // Resynchronise after garbage: a header that starts in the middle of a line ("{}Content-Length: 5"
        // after an unframed body, "Content-LenContent-Length: 5" after a truncated one) starts a new frame.
        if let Some(p) = find_header(text).filter(|&p| p > 0) {
            text = &text[p..];
            length = None;
            problem = None;
            saw_header = false;
        }
        if text.is_empty() {
            if !saw_header {
                continue; // stray blank lines between frames
            }
            break;
        }
        saw_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    // With two lengths, the first one frames the body.
                    Ok(n) if length.is_none() => length = Some(n),
                    Ok(_) => {}
                    Err(_) => problem = Some(format!("invalid Content-Length {:?}", value.trim())),
                }
            }
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ => problem = Some(format!("invalid header {text:?}")),
        }
    }
    let Some(length) = length else {
        return Frame::Bad(problem.unwrap_or_else(|| "missing Content-Length".into()));
    };
    if length > MAX_FRAME {
        // Answered at once by the caller, then skipped without buffering it.
        return Frame::TooLarge(length);
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).await.is_err() {
        return Frame::End; // the input ended in the middle of a message
    }
    match problem {
        Some(p) => Frame::Bad(p),
        None => Frame::Body(body),
    }
}

/// Copies frames from `input` to `server_input`, answering bad ones on `out`.
pub async fn pump_input<R, W>(input: R, mut server_input: W, out: mpsc::Sender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::with_capacity(64 * 1024, input);
    loop {
        match read_frame(&mut input).await {
            Frame::End => break,
            Frame::TooLarge(length) => {
                let msg = format!(
                    "Parse error: message of {length} bytes is over the {MAX_FRAME}-byte limit"
                );
                let _ = out.send(error_frame(-32700, &msg, Value::Null)).await;
                let mut limited = (&mut input).take(length as u64);
                match tokio::io::copy(&mut limited, &mut tokio::io::sink()).await {
                    Ok(n) if n == length as u64 => {}
                    _ => break,
                }
            }
            Frame::Bad(reason) => {
                tracing::warn!("bad frame: {reason}");
                let _ = out
                    .send(error_frame(
                        -32700,
                        &format!("Parse error: {reason}"),
                        Value::Null,
                    ))
                    .await;
            }
            Frame::Body(body) => {
                let value: Value = match serde_json::from_slice(&body) {
                    Ok(v) => v,
                    Err(e) => {
                        tracing::warn!("invalid JSON: {e}");
                        let _ = out
                            .send(error_frame(
                                -32700,
                                &format!("Parse error: {e}"),
                                Value::Null,
                            ))
                            .await;
                        continue;
                    }
                };
                let has = |k: &str| value.get(k).is_some();
                // A request and a response at once is neither.
                let ambiguous = has("method") && (has("result") || has("error"));
                let is_message = !ambiguous
                    && (serde_json::from_value::<Request>(value.clone()).is_ok()
                        || serde_json::from_value::<Response>(value.clone()).is_ok());
                let id = value
                    .get("id")
                    .filter(|i| i.is_string() || i.is_number())
                    .cloned();
                // tower-lsp ignores every `$/` method, but a request with an id must get an answer.
                if let (true, Some(id), Some(m)) = (
                    is_message,
                    id.clone(),
                    value.get("method").and_then(|m| m.as_str()),
                ) {
                    if m.starts_with("$/") {
                        let _ = out
                            .send(error_frame(-32601, &format!("Method not found: {m}"), id))
                            .await;
                        continue;
                    }
                }
                if !is_message {
                    let _ = out
                        .send(error_frame(
                            -32600,
                            "Invalid Request: not a JSON-RPC 2.0 message",
                            id.unwrap_or(Value::Null),
                        ))
                        .await;
                    continue;
                }
                // Forward the parsed message re-serialised: the JSON that was checked is exactly the JSON
                // tower-lsp reads (duplicate keys, for one, would otherwise stop its reader).
                let normalised = serde_json::to_vec(&value).unwrap_or_default();
                if server_input.write_all(&frame(&normalised)).await.is_err()
                    || server_input.flush().await.is_err()
                {
                    break;
                }
            }
        }
    }
    let _ = server_input.shutdown().await;
}

/// Copies the server's frames to the output channel.
pub async fn pump_output<R: AsyncRead + Unpin>(server_output: R, out: mpsc::Sender<Vec<u8>>) {
    let mut reader = BufReader::with_capacity(64 * 1024, server_output);
    loop {
        match read_frame(&mut reader).await {
            Frame::Body(body) => {
                if out.send(frame(&body)).await.is_err() {
                    break;
                }
            }
            Frame::Bad(_) | Frame::TooLarge(_) => {}
            Frame::End => break,
        }
    }
}

/// Writes frames to the real output, one whole frame at a time.
pub async fn write_frames<W: AsyncWrite + Unpin>(
    mut output: W,
    mut frames: mpsc::Receiver<Vec<u8>>,
) {
    while let Some(f) = frames.recv().await {
        if output.write_all(&f).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
}
