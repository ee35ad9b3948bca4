//! Framing between the editor and the server. tower-lsp-server stops reading its input after the first
//! frame it cannot decode, so every frame is checked here first: a frame that is not JSON, or not a
//! JSON-RPC message, is answered with a JSON-RPC error and the server keeps serving.
//!
//! Memory stays proportional to what the client sent: header lines are bounded before they are
//! buffered, a body is read only when its length is under the limit, each body is parsed once here
//! (then forwarded as the bytes it came as), and a body whose JSON would build a value tree far
//! larger than itself is refused before anything builds that tree.

use memchr::memchr;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, watch};
use tower_lsp_server::jsonrpc::{Error as RpcError, Id};

/// Bodies larger than this are refused (and skipped) instead of being buffered. It applies to what
/// the client sends; the server's own messages are never dropped (see `pump_output`).
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

/// Longest header line kept; a longer one is reported, and only its tail is kept to look for a
/// `Content-Length:` that resynchronises the stream.
const MAX_HEADER_LINE: usize = 8192;
const HEADER_TAIL: usize = 64;

/// A body may hold at most one JSON value per this many bytes (above `VALUES_ALWAYS_ALLOWED`).
/// Parsed JSON costs tens of bytes per value, so an array of a million one-digit numbers would grow
/// twentyfold once parsed (and again inside tower-lsp); real LSP messages carry far fewer values per
/// byte (a minimal incremental edit is about eight bytes per value).
const BYTES_PER_VALUE: usize = 6;
const VALUES_ALWAYS_ALLOWED: usize = 256 * 1024;

/// How the client's input ended, for the server to stop waiting on the client.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InputEnd {
    Open,
    /// An `exit` notification was forwarded.
    Exit,
    /// The stream ended (or failed), possibly in the middle of a frame.
    Eof,
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = header(body.len());
    out.extend_from_slice(body);
    out
}

fn header(length: usize) -> Vec<u8> {
    format!("Content-Length: {length}\r\n\r\n").into_bytes()
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
fn find_header(line: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length:";
    line.windows(NAME.len())
        .position(|w| w.eq_ignore_ascii_case(NAME))
}

/// Reads one line (through `\n`) into `line`, keeping at most `MAX_HEADER_LINE` bytes: past that,
/// only the last `HEADER_TAIL` bytes are kept. Returns None at the end of the input (a line cut off
/// by the end counts as the end), else whether the line was cut.
async fn read_header_line<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
    line: &mut Vec<u8>,
) -> Option<bool> {
    line.clear();
    let mut cut = false;
    loop {
        let (used, done) = {
            let buf = input.fill_buf().await.ok()?;
            if buf.is_empty() {
                return None;
            }
            match memchr(b'\n', buf) {
                Some(i) => {
                    line.extend_from_slice(&buf[..=i]);
                    (i + 1, true)
                }
                None => {
                    line.extend_from_slice(buf);
                    (buf.len(), false)
                }
            }
        };
        input.consume(used);
        if line.len() > MAX_HEADER_LINE {
            cut = true;
            line.drain(..line.len() - HEADER_TAIL);
        }
        if done {
            return Some(cut);
        }
    }
}

async fn read_frame<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> Frame {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut saw_header = false;
    let mut raw = Vec::new();
    loop {
        let Some(cut) = read_header_line(input, &mut raw).await else {
            return Frame::End;
        };
        let mut line: &[u8] = &raw;
        while let [rest @ .., b'\r' | b'\n'] = line {
            line = rest;
        }
        // Resynchronise after garbage: a header that starts in the middle of a line ("{}Content-Length: 5"
        // after an unframed body, "Content-LenContent-Length: 5" after a truncated one) starts a new frame.
        if let Some(p) = find_header(line).filter(|&p| p > 0 || cut) {
            line = &line[p..];
            length = None;
            problem = None;
            saw_header = false;
        } else if cut {
            // Reported on its own: whatever follows the line is read as a fresh frame.
            return Frame::Bad("header line too long".into());
        }
        if line.is_empty() {
            if !saw_header {
                continue; // stray blank lines between frames
            }
            break;
        }
        let text = String::from_utf8_lossy(line);
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
            // Before any length, a bad line frames nothing: it is reported on its own, so the valid
            // frame that follows it is not discarded with it.
            _ if length.is_none() => return Frame::Bad(format!("invalid header {text:?}")),
            _ => problem = Some(format!("invalid header {text:?}")),
        }
        saw_header = true;
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

/// `Some` for a field that is present (even as `null`), as tower-lsp reads its messages.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A message as tower-lsp will read it: the same field types, so whatever passes here passes there
/// (duplicate fields fail here too, and an `id` must be an integer, a string or null).
#[derive(Deserialize)]
struct Incoming {
    jsonrpc: String,
    #[serde(default, deserialize_with = "present")]
    method: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[allow(dead_code)] // read only to check it parses as tower-lsp will parse it
    params: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Id>,
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    error: Option<RpcError>,
}

/// How many JSON values a body holds, roughly (separators and openings outside strings), without
/// parsing it.
fn count_values(body: &[u8]) -> usize {
    let mut count = 1;
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' | b':' | b'[' | b'{' => count += 1,
            _ => {}
        }
    }
    count
}

/// What to do with one body from the client.
enum Verdict {
    Forward {
        exit: bool,
    },
    /// Forward this re-serialised body instead (duplicate keys resolved, last one wins).
    ForwardNormalised {
        body: Vec<u8>,
        exit: bool,
    },
    Answer(Vec<u8>),
}

fn id_value(id: Option<&Id>) -> Value {
    id.and_then(|i| serde_json::to_value(i).ok())
        .unwrap_or(Value::Null)
}

/// Checks one body, parsing it once (twice only for a body tower-lsp would not take as it is).
fn judge(body: &[u8]) -> Verdict {
    judge_once(body, true)
}

fn judge_once(body: &[u8], may_normalise: bool) -> Verdict {
    let values = count_values(body);
    if values > VALUES_ALWAYS_ALLOWED && values > body.len() / BYTES_PER_VALUE {
        let msg = format!(
            "Parse error: message of {} bytes holds about {values} JSON values, too many for its size",
            body.len()
        );
        return Verdict::Answer(error_frame(-32700, &msg, id_of(body)));
    }
    let message: Incoming = match serde_json::from_slice(body) {
        Ok(m) => m,
        Err(e) => {
            // Duplicate keys fail tower-lsp's reader; a JSON value keeps the last one, as most
            // JSON readers do, so such a message is served as re-serialised from that value.
            if may_normalise && e.is_data() {
                if let Ok(v @ Value::Object(_)) = serde_json::from_slice::<Value>(body) {
                    let normalised = serde_json::to_vec(&v).unwrap_or_default();
                    drop(v);
                    return match judge_once(&normalised, false) {
                        Verdict::Forward { exit } => Verdict::ForwardNormalised {
                            body: normalised,
                            exit,
                        },
                        other => other,
                    };
                }
            }
            tracing::warn!("invalid message: {e}");
            // Tell a JSON syntax error from valid JSON that is no JSON-RPC message.
            let (code, text) = if e.is_data() {
                (
                    -32600,
                    "Invalid Request: not a JSON-RPC 2.0 message".to_string(),
                )
            } else {
                (-32700, format!("Parse error: {e}"))
            };
            // The id, when there is a usable one, so the client can match the error to its request.
            return Verdict::Answer(error_frame(code, &text, id_of(body)));
        }
    };
    let has_answer = message.result.is_some() || message.error.is_some();
    let invalid = message.jsonrpc != "2.0"
        // A request and a response at once is neither.
        || (message.method.is_some() && has_answer)
        || (message.method.is_none() && !(has_answer && message.id.is_some()));
    if invalid {
        return Verdict::Answer(error_frame(
            -32600,
            "Invalid Request: not a JSON-RPC 2.0 message",
            id_value(message.id.as_ref()),
        ));
    }
    match (&message.method, &message.id) {
        // tower-lsp ignores every `$/` method, but a request with an id must get an answer.
        (Some(m), Some(id)) if m.starts_with("$/") && *id != Id::Null => {
            Verdict::Answer(error_frame(
                -32601,
                &format!("Method not found: {m}"),
                id_value(Some(id)),
            ))
        }
        (Some(m), _) => Verdict::Forward { exit: m == "exit" },
        (None, _) => Verdict::Forward { exit: false },
    }
}

/// Just the id of a body that is no valid message, when it is a number or a string.
#[derive(Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: Option<Value>,
}

/// The id of a body, read without building anything else (the other fields are skipped), so a
/// refused request can still be matched to its error.
fn id_of(body: &[u8]) -> Value {
    serde_json::from_slice::<IdOnly>(body)
        .ok()
        .and_then(|m| m.id)
        .filter(|i| i.is_string() || i.is_number())
        .unwrap_or(Value::Null)
}

/// Copies frames from `input` to `server_input`, answering bad ones on `out`; tells `ended` when
/// the input ends or `exit` was forwarded.
pub async fn pump_input<R, W>(
    input: R,
    mut server_input: W,
    out: mpsc::Sender<Vec<u8>>,
    ended: watch::Sender<InputEnd>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let mut end = InputEnd::Eof;
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
            Frame::Body(mut body) => match judge(&body) {
                Verdict::Answer(error) => {
                    let _ = out.send(error).await;
                }
                verdict => {
                    let exit = match verdict {
                        Verdict::ForwardNormalised { body: b, exit } => {
                            body = b;
                            exit
                        }
                        Verdict::Forward { exit } => exit,
                        Verdict::Answer(_) => false,
                    };
                    // The bytes as they came: they were checked to read the same in tower-lsp.
                    if server_input.write_all(&header(body.len())).await.is_err()
                        || server_input.write_all(&body).await.is_err()
                        || server_input.flush().await.is_err()
                    {
                        break;
                    }
                    if exit {
                        end = InputEnd::Exit;
                        break;
                    }
                }
            },
        }
    }
    let _ = ended.send(end);
    let _ = server_input.shutdown().await;
}

/// Copies the server's frames to the output channel. The server's own messages have no size limit
/// (the client's limit is not ours to apply), but a response too big for a client that applies the
/// same limit as ours is replaced by an error for the same request, so every request is answered.
pub async fn pump_output<R: AsyncRead + Unpin>(server_output: R, out: mpsc::Sender<Vec<u8>>) {
    let mut reader = BufReader::with_capacity(64 * 1024, server_output);
    let mut line = Vec::new();
    loop {
        // tower-lsp writes `Content-Length: N` and a blank line before each body.
        let mut length = None;
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                if length.is_some() {
                    break;
                }
                continue;
            }
            if let Some((name, value)) = text.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let framed = if length > MAX_FRAME {
            oversized_answer(&body)
        } else {
            frame(&body)
        };
        if out.send(framed).await.is_err() {
            return;
        }
    }
}

/// The error that replaces a response over `MAX_FRAME` (its id is read without building the rest).
fn oversized_answer(body: &[u8]) -> Vec<u8> {
    let id = id_of(body);
    tracing::error!(
        "a response of {} bytes was replaced by an error",
        body.len()
    );
    let message = format!(
        "outreach-lsp: the result is {} bytes, over the {MAX_FRAME}-byte message limit",
        body.len()
    );
    error_frame(-32603, &message, id)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_values_outside_strings_only() {
        assert_eq!(count_values(br#"{"a":[1,2,3]}"#), 1 + 1 + 1 + 1 + 2);
        assert_eq!(count_values(br#"{"a":"x,y:[{"}"#), 3);
        assert_eq!(count_values(br#"["a\"," ,1]"#), 3);
    }

    async fn frames_of(input: &[u8]) -> Vec<String> {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader).await {
                Frame::Body(b) => out.push(String::from_utf8_lossy(&b).into_owned()),
                Frame::Bad(why) => out.push(format!("bad: {why}")),
                Frame::TooLarge(n) => out.push(format!("too large: {n}")),
                Frame::End => return out,
            }
        }
    }

    #[tokio::test]
    async fn a_bad_header_line_does_not_take_the_next_frame_with_it() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(b"\r\nContent-Length: 2\r\n\r\n{}");
        input.extend_from_slice(b"X-Bogus: 1\r\nContent-Length: 2\r\n\r\n[]");
        assert_eq!(
            frames_of(&input).await,
            [
                "bad: header line too long",
                "{}",
                "bad: invalid header \"X-Bogus: 1\"",
                "[]"
            ]
        );
    }

    #[tokio::test]
    async fn a_header_at_the_end_of_a_long_line_resynchronises() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        assert_eq!(frames_of(&input).await, ["{}"]);
    }

    #[test]
    fn an_oversized_response_becomes_an_error_for_its_id() {
        let answer = oversized_answer(br#"{"jsonrpc":"2.0","result":[1,2,3],"id":42}"#);
        let body = &answer[answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
        let v: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(v["id"], 42);
        assert_eq!(v["error"]["code"], -32603);
    }

    #[test]
    fn dense_bodies_are_refused_before_parsing() {
        let mut body = br#"{"jsonrpc":"2.0","id":1,"method":"x","params":["#.to_vec();
        for _ in 0..400_000 {
            body.extend_from_slice(b"1,");
        }
        body.extend_from_slice(b"1]}");
        assert!(matches!(judge(&body), Verdict::Answer(_)));
    }
}
