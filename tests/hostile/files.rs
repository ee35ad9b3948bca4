//! Files the program is pointed at by a hostile or careless workspace: FIFOs, devices, symlinks out of
//! the workspace, `..` in URIs, files far over the size limit, markup in contact cells, odd line
//! endings. Each test runs the built binary (the CLI, or the server over stdio) with an address-space
//! limit, a time limit, and a check of its peak resident memory (`VmHWM`).

use std::collections::BTreeSet;
use std::ffi::CString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::codes;
use crate::common::extra::{
    file_uri, run_guarded, workspace_params, Client, SpawnOptions, TempDir, BIN,
};

/// Address space the program under test may use: reading /dev/zero or a 5 GB file whole fails its
/// allocation under it instead of filling the machine.
const ADDRESS_SPACE: u64 = 4 << 30;
/// Peak resident memory a run may reach (debug build, small workspaces).
const PEAK_KIB: u64 = 150 * 1024;

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// A sparse file of `size` bytes starting with `head` (no disk space used).
fn sparse(path: &Path, head: &str, size: u64) {
    std::fs::write(path, head).unwrap();
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_len(size).unwrap();
}

/// Peak resident memory of a live process, in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn server_peak(c: &Client) -> u64 {
    peak_kib(c.child.as_ref().and_then(|ch| ch.id()).expect("spawned"))
}

struct CliRun {
    code: Option<i32>,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
    peak_kib: u64,
}

/// Runs the CLI in `dir` with an address-space limit; fails when it takes longer than `limit`.
/// The peak is the larger of the last `VmHWM` seen and the kernel's `ru_maxrss` at exit.
fn cli(dir: &Path, args: &[&str], limit: Duration) -> CliRun {
    let out = dir.join(format!(".out-{}", std::process::id()));
    let err = dir.join(format!(".err-{}", std::process::id()));
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    let rlimit = libc::rlimit {
        rlim_cur: ADDRESS_SPACE,
        rlim_max: ADDRESS_SPACE,
    };
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            libc::setrlimit(libc::RLIMIT_AS, &rlimit);
            Ok(())
        });
    }
    // Reaped by `wait4` below (which also gives its peak memory), not by `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let start = Instant::now();
    let mut seen = 0;
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: plain syscall on our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid as i32, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid as i32 {
            break (status, usage);
        }
        seen = seen.max(peak_kib(pid));
        if start.elapsed() > limit {
            // SAFETY: our child.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!(
                "`outreach-lsp {}` did not finish within {limit:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = CliRun {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        peak_kib: seen.max(usage.ru_maxrss as u64),
    };
    let _ = std::fs::remove_file(out);
    let _ = std::fs::remove_file(err);
    run
}

/// The server started in `root` under the address-space limit (with `args`), initialised with
/// `root` as the workspace folder, file watching, configuration pulls and Markdown hovers, plus
/// pull diagnostics when `pull` (without, the server sends no refresh requests).
async fn server_with(root: &Path, args: &[&str], options: Value, pull: bool) -> Client {
    let mut c =
        Client::spawn_in_workspace(root, spawn_options(args), capabilities(pull), options).await;
    c.timeout = Duration::from_secs(20);
    c
}

fn spawn_options(args: &[&str]) -> SpawnOptions {
    SpawnOptions {
        args: args.iter().map(|a| a.to_string()).collect(),
        memory_limit: Some(ADDRESS_SPACE),
        ..SpawnOptions::default()
    }
}

/// `server_with` with pull diagnostics.
async fn server(root: &Path, args: &[&str], options: Value) -> Client {
    server_with(root, args, options, true).await
}

fn capabilities(pull: bool) -> Value {
    let text_document = if pull {
        json!({"diagnostic": {}, "hover": {"contentFormat": ["markdown"]}})
    } else {
        json!({"hover": {"contentFormat": ["markdown"]}})
    };
    json!({
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "configuration": true},
        "textDocument": text_document
    })
}

/// Checks that the server's peak resident memory stayed under `PEAK_KIB`, then shuts it down.
async fn check_peak_and_exit(mut c: Client) {
    let peak = server_peak(&c);
    assert!(peak < PEAK_KIB, "peak resident memory {peak} KiB");
    assert_eq!(c.shutdown_and_exit().await, Some(0));
}

/// Whether `params` publishes diagnostics for `uri` that include (`present`) or lack `code`.
fn publishes(params: &Value, uri: &str, code: &str, present: bool) -> bool {
    params["uri"] == uri
        && params["diagnostics"]
            .as_array()
            .is_some_and(|d| codes(d).iter().any(|c| c == code) == present)
}

/// A connection note with a misspelt placeholder (one finding) and enough words to be indexed.
const NOTE: &str = "---\nchannel: linkedin-connection\nkind: connection-request\n---\nHi {{frist_name}}, I read your post on streaming backfills and schema changes in the data engineering group and would love to compare notes on how your team handled the migration.\n";

// ---------------------------------------------------------------- point 3

/// A contact list that is a FIFO: `check`, `preview` and the server each refuse it with a clear
/// message instead of blocking on the open.
#[test]
fn p03_a_fifo_contact_list_is_refused_everywhere() {
    let dir = TempDir::new("fifo-contacts");
    let root = dir.path();
    mkfifo(&root.join("leads.csv"));
    let template = format!(
        "---\ncontacts: leads.csv\n---\n{}",
        &NOTE[NOTE.find("Hi").unwrap()..]
    );
    std::fs::write(root.join("a.outreach.md"), &template).unwrap();
    let check = cli(
        root,
        &["check", "--format", "json", "a.outreach.md"],
        Duration::from_secs(20),
    );
    assert!(
        check.stdout.contains("FIFO"),
        "check: {}{}",
        check.stdout,
        check.stderr
    );
    let preview = cli(root, &["preview", "a.outreach.md"], Duration::from_secs(20));
    assert_eq!(preview.code, Some(2), "preview: {}", preview.stderr);
    assert!(
        preview.stderr.contains("FIFO"),
        "preview: {}",
        preview.stderr
    );
    assert_eq!(preview.stderr.lines().count(), 1, "{}", preview.stderr);
    run_guarded("fifo contacts server", Duration::from_secs(60), async {
        let mut c = server(root, &[], Value::Null).await;
        // Two templates naming the FIFO: both workers would block on it.
        let b = root.join("b.outreach.md");
        std::fs::write(&b, &template).unwrap();
        for p in [root.join("a.outreach.md"), b] {
            c.open(&file_uri(&p), &template).await;
        }
        let d = c
            .diagnostics(
                &file_uri(&root.join("a.outreach.md")),
                1,
                Duration::from_secs(10),
            )
            .await;
        assert!(
            d.iter()
                .any(|d| d["message"].as_str().unwrap_or("").contains("FIFO")),
            "{d:?}"
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// ---------------------------------------------------------------- point 4

/// Watched-file events naming a symlink to /dev/zero, a FIFO (four times), and a path with `..`
/// that leads out of the workspace: nothing outside is indexed, nothing is read without bound, and
/// requests keep being answered. The last event of the batch (a real copy inside) is indexed.
#[test]
fn p04_watched_file_events_read_only_regular_files_inside() {
    let dir = TempDir::new("watched");
    let root = dir.path().join("ws");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.outreach.md")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("secret.outreach.md"),
        root.join("out.outreach.md"),
    )
    .unwrap();
    mkfifo(&root.join("pipe.outreach.md"));
    std::fs::write(outside.join("secret.outreach.md"), NOTE).unwrap();
    run_guarded("watched files", Duration::from_secs(90), async {
        let mut c = server(&root, &[], Value::Null).await;
        let open = root.join("open.outreach.md");
        let uri = file_uri(&open);
        c.open(&uri, NOTE).await;
        let d = c.diagnostics(&uri, 1, Duration::from_secs(10)).await;
        assert!(!codes(&d).contains(&"duplicate-message".into()), "{d:?}");
        let dotdot = format!("{}/sub/../../outside/secret.outreach.md", file_uri(&root));
        let mut changes = vec![
            json!({"uri": file_uri(&root.join("zero.outreach.md")), "type": 2}),
            json!({"uri": dotdot, "type": 1}),
            json!({"uri": file_uri(&root.join("out.outreach.md")), "type": 1}),
        ];
        for _ in 0..4 {
            changes.push(json!({"uri": file_uri(&root.join("pipe.outreach.md")), "type": 2}));
        }
        for _ in 0..4 {
            c.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": changes.clone()}),
            )
            .await;
        }
        // Still answering.
        let h = c.hover(&uri, 4, 5).await;
        assert!(h.get("error").is_none(), "{h}");
        let copy = root.join("copy.outreach.md");
        std::fs::write(&copy, NOTE).unwrap();
        changes.push(json!({"uri": file_uri(&copy), "type": 1}));
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": changes}),
        )
        .await;
        let p = c
            .notification(
                "textDocument/publishDiagnostics",
                Duration::from_secs(20),
                |p| publishes(p, &uri, "duplicate-message", true),
            )
            .await;
        let messages: Vec<&str> = p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "duplicate-message")
            .filter_map(|d| d["message"].as_str())
            .collect();
        assert!(
            messages.iter().all(|m| m.contains("copy.outreach.md")),
            "only the copy inside the workspace is indexed: {messages:?}"
        );
        check_peak_and_exit(c).await;
    });
}

// ---------------------------------------------------------------- point 5

/// `textDocument/diagnostic` for files that are not workspace templates (a device, a FIFO and a
/// file outside the workspace, a `..` path) answers an empty report at once, without reading them;
/// a workspace template gets its findings.
#[test]
fn p05_pull_diagnostics_read_only_workspace_templates() {
    let dir = TempDir::new("pull");
    let root = dir.path().join("ws");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    mkfifo(&outside.join("pipe.outreach.md"));
    std::fs::write(outside.join("secret.outreach.md"), NOTE).unwrap();
    std::fs::write(root.join("t.outreach.md"), NOTE).unwrap();
    run_guarded("pull diagnostics", Duration::from_secs(90), async {
        let mut c = server(&root, &[], Value::Null).await;
        let pull = |uri: String| json!({"textDocument": {"uri": uri}});
        // The workspace scan runs in the background: wait until the template is known.
        let mut known = false;
        for _ in 0..100 {
            let r = c
                .request(
                    "textDocument/diagnostic",
                    pull(file_uri(&root.join("t.outreach.md"))),
                )
                .await;
            if r["result"]["items"]
                .as_array()
                .is_some_and(|i| !i.is_empty())
            {
                known = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(known, "the workspace template gets its findings");
        for uri in [
            "file:///dev/zero".to_string(),
            file_uri(&outside.join("pipe.outreach.md")),
            file_uri(&outside.join("secret.outreach.md")),
            format!("{}/../outside/secret.outreach.md", file_uri(&root)),
        ] {
            let id = c
                .send_request("textDocument/diagnostic", pull(uri.clone()))
                .await;
            let r = c.response_within(&json!(id), Duration::from_secs(5)).await;
            assert_eq!(r["result"]["items"], json!([]), "{uri}: {r}");
        }
        check_peak_and_exit(c).await;
    });
}

// ---------------------------------------------------------------- point 6

/// `check` on files named explicitly (as pre-commit and xargs do): a symlink to /dev/zero and a FIFO
/// are refused with a one-line message, a 5 GB (sparse) template is reported `file-too-large`
/// without being read, and memory stays small.
#[test]
fn p06_check_reads_named_files_within_the_limit() {
    let dir = TempDir::new("named");
    let root = dir.path();
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.outreach.md")).unwrap();
    mkfifo(&root.join("pipe.outreach.md"));
    sparse(
        &root.join("big.outreach.md"),
        "Hi {{first_name}},\n",
        5 << 30,
    );
    for (name, kind) in [
        ("zero.outreach.md", "character device"),
        ("pipe.outreach.md", "FIFO"),
    ] {
        let r = cli(root, &["check", name], Duration::from_secs(20));
        assert_eq!((r.code, r.signal), (Some(2), None), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(kind), "{name}: {}", r.stderr);
        assert!(r.peak_kib < PEAK_KIB, "{name}: peak {} KiB", r.peak_kib);
    }
    let r = cli(
        root,
        &["check", "--format", "json", "big.outreach.md"],
        Duration::from_secs(20),
    );
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{r:?}", r = r.stderr));
    assert_eq!(v[0]["rule"], "file-too-large", "{v}");
    assert!(
        v[0]["message"]
            .as_str()
            .unwrap()
            .contains("5368709120 bytes"),
        "{v}"
    );
    assert!(r.peak_kib < PEAK_KIB, "peak {} KiB", r.peak_kib);
}

// ---------------------------------------------------------------- point 9

/// A 300 MB (sparse) template in the workspace is listed as too large by workspace diagnostics, and
/// the index never reads it.
#[test]
fn p09_the_workspace_index_never_reads_an_over_limit_template() {
    let dir = TempDir::new("index-limit");
    let root = dir.path();
    sparse(&root.join("huge.outreach.md"), NOTE, 300 << 20);
    std::fs::write(root.join("t.outreach.md"), NOTE).unwrap();
    run_guarded("index limit", Duration::from_secs(90), async {
        let mut c = server(root, &[], Value::Null).await;
        let mut found = None;
        for _ in 0..100 {
            let r = c
                .request("workspace/diagnostic", json!({"previousResultIds": []}))
                .await;
            let items = r["result"]["items"].as_array().cloned().unwrap_or_default();
            if items.len() == 2 {
                found = Some(items);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let items = found.expect("both templates are listed");
        let huge = items
            .iter()
            .find(|i| i["uri"].as_str().unwrap().ends_with("huge.outreach.md"))
            .unwrap();
        assert_eq!(huge["items"][0]["code"], "file-too-large", "{huge}");
        check_peak_and_exit(c).await;
    });
}

// ---------------------------------------------------------------- point 10

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

/// CPU ticks of `pid` once it has been idle for 300 ms (at most 60 s).
async fn settled_ticks(pid: u32) -> u64 {
    let mut last = cpu_ticks(pid);
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = cpu_ticks(pid);
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the server never became idle");
}

/// A watched-file change updates that file's entry: 40 changes cost less CPU than indexing the
/// workspace once (a rebuild per change costs about one index build each).
#[test]
fn p10_a_watched_change_updates_one_entry_of_the_index() {
    let dir = TempDir::new("per-file");
    let root = dir.path();
    let n = 2000;
    for i in 0..n {
        let text = format!(
            "---\nchannel: linkedin-message\nkind: follow-up\n---\n# First\n\nHi {{{{first_name}}}}, template {i} says thanks for connecting and asks about the {i} migration your team shipped in spring, the backfill plan and the on-call rota.\n\n# Second\n\nHi {{{{first_name}}}}, template {i} follows up about the {i} schema registry rollout, the lessons on compatibility checks, and how reviews changed afterwards.\n"
        );
        std::fs::write(root.join(format!("t{i:04}.outreach.md")), text).unwrap();
    }
    run_guarded("per-file index", Duration::from_secs(240), async {
        // Started and initialised in two steps: the CPU count starts before the workspace scan.
        let mut c = Client::spawn(SpawnOptions {
            dir: Some(root.to_path_buf()),
            ..spawn_options(&[])
        });
        c.timeout = Duration::from_secs(20);
        let pid = c.child.as_ref().unwrap().id().unwrap();
        let start = cpu_ticks(pid);
        c.initialize_with(workspace_params(root, capabilities(false), Value::Null))
            .await;
        // An open copy of t0000 gets duplicate-message once the workspace is indexed.
        let t0 = std::fs::read_to_string(root.join("t0000.outreach.md")).unwrap();
        let open = file_uri(&root.join("open.outreach.md"));
        c.open(&open, &t0).await;
        c.notification(
            "textDocument/publishDiagnostics",
            Duration::from_secs(120),
            |p| publishes(p, &open, "duplicate-message", true),
        )
        .await;
        let indexed = settled_ticks(pid).await;
        // Earlier publishes (from before the index existed) must not answer the wait below.
        c.inbox.clear();
        let scan = indexed - start;
        for k in 1..=40 {
            let path = root.join(format!("t{k:04}.outreach.md"));
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace("spring", "autumn");
            std::fs::write(&path, text).unwrap();
            c.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": file_uri(&path), "type": 2}]}),
            )
            .await;
        }
        // The last change: t0000 is rewritten, so the open copy is no longer a duplicate.
        std::fs::write(root.join("t0000.outreach.md"), NOTE).unwrap();
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&root.join("t0000.outreach.md")), "type": 2}]}),
        )
        .await;
        c.notification(
            "textDocument/publishDiagnostics",
            Duration::from_secs(120),
            |p| publishes(p, &open, "duplicate-message", false),
        )
        .await;
        // Events may be handled out of order: count until the server is idle.
        let changes = settled_ticks(pid).await - indexed;
        eprintln!("indexing {n} templates: {scan} ticks; 41 watched changes: {changes} ticks");
        assert!(
            scan >= 10,
            "the workspace scan is measurable ({scan} ticks)"
        );
        assert!(
            changes < scan,
            "41 changes cost {changes} ticks, more than indexing the workspace once ({scan})"
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// ---------------------------------------------------------------- point 12

const HOSTILE_LEADS: &str = "first_name,company\n\"![x](https://tracker.example/x.png)\",\"[click](https://evil.example)\"\nBo,\"Acme\n# Heading\"\n\"\u{1b}]0;title\u{7}Cy\u{1b}[31m\",Red\n";

/// Contact cells become literal text: in hovers (no image, no link, no heading), and in `preview`'s
/// terminal output (no escape sequences).
#[test]
fn p12_contact_cells_are_escaped_in_hovers_and_stripped_in_the_terminal() {
    let dir = TempDir::new("escape");
    let root = dir.path();
    std::fs::write(root.join("leads.csv"), HOSTILE_LEADS).unwrap();
    // A message with no findings: the hover on its first line shows contact 1 rendered.
    let template = "---\ncontacts: leads.csv\n---\nHi {{first_name}}, we were both at {{event | default: \"DataConf\"}}. I read about {{company}} and would love to hear how the migration went.\n";
    std::fs::write(root.join("a.outreach.md"), template).unwrap();
    let p = cli(
        root,
        &["preview", "--all", "a.outreach.md"],
        Duration::from_secs(20),
    );
    assert_eq!(p.code, Some(0), "{}", p.stderr);
    assert!(p.stdout.contains("Cy"), "{}", p.stdout);
    assert!(
        !p.stdout.chars().any(|c| c == '\u{1b}' || c == '\u{7}'),
        "control characters reach the terminal: {:?}",
        p.stdout
    );
    run_guarded("escaping", Duration::from_secs(60), async {
        let mut c = server(root, &[], Value::Null).await;
        let uri = file_uri(&root.join("a.outreach.md"));
        c.open(&uri, template).await;
        c.diagnostics(&uri, 1, Duration::from_secs(10)).await;
        // On `{{company}}` (samples of the column) and on the first line (contact 1 rendered).
        for (line, character) in [(3, 84), (3, 2)] {
            let h = c.hover(&uri, line, character).await;
            let md = h["result"]["contents"]["value"]
                .as_str()
                .unwrap_or_default();
            assert!(!md.is_empty(), "{h}");
            assert!(
                md.contains("tracker.example") || md.contains("evil.example"),
                "{md}"
            );
            for bad in ["![", "](", "[click]"] {
                assert!(!md.contains(bad), "unescaped {bad:?} in hover:\n{md}");
            }
            assert!(
                !md.lines()
                    .any(|l| l.trim_start_matches(['>', ' ']).starts_with("# Heading")),
                "a cell made a heading:\n{md}"
            );
        }
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// ---------------------------------------------------------------- point 15

fn json_findings(r: &CliRun) -> Vec<(String, u64, u64)> {
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The CLI: CR-only line endings and a BOM give the lines and columns of the plain file, a huge
/// `max_length` saturates instead of wrapping, and `check | head` ends quietly.
#[test]
fn p15_cli_lines_columns_sums_and_closed_pipes() {
    let dir = TempDir::new("cli-edges");
    let root = dir.path();
    // (No front matter: the core's front matter needs \n or \r\n line breaks.)
    let text = "Hello there,\n\nHi {{frist_name}},\n\nI'd like to add you to my professional network on LinkedIn.\n";
    std::fs::write(root.join("lf.outreach.md"), text).unwrap();
    std::fs::write(root.join("cr.outreach.md"), text.replace('\n', "\r")).unwrap();
    let plain = json_findings(&cli(
        root,
        &["check", "--format", "json", "lf.outreach.md"],
        Duration::from_secs(20),
    ));
    assert!(plain.iter().any(|f| f.1 > 1), "{plain:?}");
    let cr = json_findings(&cli(
        root,
        &["check", "--format", "json", "cr.outreach.md"],
        Duration::from_secs(20),
    ));
    assert_eq!(cr, plain, "CR-only line endings");
    let human = cli(
        root,
        &["check", "--color", "never", "cr.outreach.md"],
        Duration::from_secs(20),
    );
    let line = plain.iter().find(|f| f.0 == "unknown-placeholder").unwrap();
    assert!(
        human
            .stdout
            .contains(&format!("cr.outreach.md:{}:{}", line.1, line.2)),
        "{}",
        human.stdout
    );
    // A BOM and the finding on line 1.
    std::fs::write(
        root.join("bom.outreach.txt"),
        "\u{feff}Hi {{frist_name}}, thanks.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("nobom.outreach.txt"),
        "Hi {{frist_name}}, thanks.\n",
    )
    .unwrap();
    let bom = json_findings(&cli(
        root,
        &["check", "--format", "json", "bom.outreach.txt"],
        Duration::from_secs(20),
    ));
    let nobom = json_findings(&cli(
        root,
        &["check", "--format", "json", "nobom.outreach.txt"],
        Duration::from_secs(20),
    ));
    assert!(nobom.iter().any(|f| f.1 == 1), "{nobom:?}");
    assert_eq!(bom, nobom, "a BOM shifts no column");
    // Lengths saturate.
    let sums = root.join("sums");
    std::fs::create_dir_all(&sums).unwrap();
    std::fs::write(
        sums.join(".outreach.toml"),
        "[placeholders.x]\nmax_length = 9223372036854775807\n[placeholders.y]\nmax_length = 9223372036854775807\n[placeholders.z]\nmax_length = 9223372036854775807\n",
    )
    .unwrap();
    std::fs::write(
        sums.join("a.outreach.md"),
        "---\nchannel: linkedin-connection\nkind: connection-request\n---\nHi {{x}} {{y}} {{z}}, I read your post on the data engineering group.\n",
    )
    .unwrap();
    let r = cli(
        &sums,
        &["check", "--format", "json", "a.outreach.md"],
        Duration::from_secs(20),
    );
    assert!(
        json_findings(&r).iter().any(|f| f.0 == "message-too-long"),
        "{} {}",
        r.stdout,
        r.stderr
    );
    // `check | head -c 100`: many findings, a reader that stops early.
    let many = root.join("many");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..300 {
        std::fs::write(many.join(format!("t{i}.outreach.md")), text).unwrap();
    }
    let mut child = std::process::Command::new(BIN)
        .args(["check", "--color", "never", "."])
        .current_dir(&many)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let start = Instant::now();
    let out = loop {
        if let Some(_s) = child.try_wait().unwrap() {
            break child.wait_with_output().unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "check did not end"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Broken pipe") && !stderr.contains("error"),
        "{stderr}"
    );
    use std::os::unix::process::ExitStatusExt;
    assert!(
        out.status.signal() == Some(libc::SIGPIPE) || matches!(out.status.code(), Some(0 | 1)),
        "{:?}",
        out.status
    );
}

// ---------------------------------------------------------------- point 16

/// `contacts` in editor settings is used like `.outreach.toml`'s, relative to the workspace folder;
/// one outside the workspace is reported.
#[test]
fn p16_contacts_in_editor_settings_are_honoured() {
    let dir = TempDir::new("settings-contacts");
    let root = dir.path().join("ws");
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(
        root.join("data/leads.csv"),
        "first_name,company\nAna,Acme\nBo,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("outside.csv"),
        "first_name,company\nAna,Acme\n",
    )
    .unwrap();
    let template = "Hi {{first_name}}, how is {{company}} doing with the data engineering group?\n";
    run_guarded("settings contacts", Duration::from_secs(60), async {
        let mut c = server(&root, &[], json!({"contacts": "data/leads.csv"})).await;
        let uri = file_uri(&root.join("a.outreach.txt"));
        c.open(&uri, template).await;
        let d = c
            .notification(
                "textDocument/publishDiagnostics",
                Duration::from_secs(20),
                |p| publishes(p, &uri, "contact-data-missing", true),
            )
            .await;
        assert!(d["diagnostics"].to_string().contains("1 of 2"), "{d}");
        assert_eq!(c.shutdown_and_exit().await, Some(0));

        let out = dir.path().join("outside.csv");
        let mut c = server(&root, &[], json!({"contacts": out.to_str().unwrap()})).await;
        c.open(&uri, template).await;
        let m = c
            .notification("window/showMessage", Duration::from_secs(20), |p| {
                p["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("contacts"))
            })
            .await;
        assert!(
            m["message"]
                .as_str()
                .unwrap()
                .contains("inside the workspace"),
            "{m}"
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// ---------------------------------------------------------------- issue 14: one resolver

/// (rule, severity, line, column, message) of every finding, from `check --format json`.
type Findings = BTreeSet<(String, String, u64, u64, String)>;

fn check_findings(dir: &Path, args: &[&str]) -> Findings {
    let r = cli(dir, args, Duration::from_secs(30));
    assert!(matches!(r.code, Some(0 | 1)), "{args:?}: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn server_findings(diags: &[Value]) -> Findings {
    diags
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                Some(3) => "info",
                _ => "hint",
            };
            (
                d["code"].as_str().unwrap().into(),
                severity.into(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
                d["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// One tree, run through `check` (by bare name from the file's folder, by path from the root, and
/// with `--config`) and through the server (`serve`, `serve --config`): every file gets the same
/// findings, so the same configuration and contact list. The tree has nested configurations, a
/// contact list named by a configuration, and a folder reached through a symlink.
#[test]
fn project_resolution_is_the_same_in_the_cli_and_the_server() {
    let dir = TempDir::new("same");
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::create_dir_all(root.join("plain")).unwrap();
    // The root allows long notes; `sub` makes sales-pitch an error and names a contact list.
    std::fs::write(
        root.join(".outreach.toml"),
        "[channels.linkedin-connection]\nlimit = 1000\nfree_limit = 1000\n[rules]\nno-common-ground = \"off\"\nduplicate-message = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("sub/.outreach.toml"),
        "contacts = \"leads.csv\"\n[rules]\nsales-pitch = \"error\"\nduplicate-message = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("sub/leads.csv"),
        "first_name,company\nAna,Acme\nBo,\n",
    )
    .unwrap();
    std::fs::write(root.join("forced.toml"), "[rules]\nunknown-placeholder = \"off\"\nmessage-too-long = \"error\"\nduplicate-message = \"off\"\n").unwrap();
    std::os::unix::fs::symlink(root.join("sub"), root.join("linked")).unwrap();
    let long = "Hi {{frist_name}}, I saw {{company}} in the data engineering group. ".to_string()
        + &"We help teams like yours boost revenue with our best-in-class platform, and I would love to show you a quick demo of how our solution saves money. ".repeat(3);
    let note =
        format!("---\nchannel: linkedin-connection\nkind: connection-request\n---\n{long}\n");
    let files: Vec<PathBuf> = [
        "a.outreach.md",
        "sub/b.outreach.md",
        "sub/deeper/c.outreach.md",
        "plain/d.outreach.md",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    for (i, f) in files.iter().enumerate() {
        std::fs::write(f, note.replace("Hi ", &format!("Hi there {i} "))).unwrap();
    }
    // Opened through the symlink: its configuration is that of `sub` (the folder it is in).
    let through_link = root.join("linked/b.outreach.md");
    let mut all = files.clone();
    all.push(through_link.clone());
    let name = |p: &Path| p.file_name().unwrap().to_str().unwrap().to_string();
    let rel = |p: &Path| p.strip_prefix(&root).unwrap().to_str().unwrap().to_string();
    let mut by_cli: Vec<Findings> = Vec::new();
    let mut by_cli_forced: Vec<Findings> = Vec::new();
    for f in &all {
        let bare = check_findings(
            f.parent().unwrap(),
            &["check", "--format", "json", &name(f)],
        );
        let from_root = check_findings(&root, &["check", "--format", "json", &rel(f)]);
        assert_eq!(bare, from_root, "{}: by bare name and by path", rel(f));
        by_cli.push(bare);
        let forced = root.join("forced.toml");
        let forced = forced.to_str().unwrap();
        by_cli_forced.push(check_findings(
            f.parent().unwrap(),
            &["check", "--format", "json", "--config", forced, &name(f)],
        ));
    }
    // The configurations matter: the four folders disagree.
    assert_ne!(by_cli[0], by_cli[1], "root and sub");
    assert_eq!(
        by_cli[1], by_cli[4],
        "a file and the same file through a symlinked folder"
    );
    assert!(
        by_cli[1].iter().any(|f| f.0 == "contact-data-missing"),
        "{:?}",
        by_cli[1]
    );
    assert!(
        by_cli[1]
            .iter()
            .any(|f| f.0 == "sales-pitch" && f.1 == "error"),
        "{:?}",
        by_cli[1]
    );
    assert!(by_cli_forced
        .iter()
        .all(|f| !f.iter().any(|f| f.0 == "unknown-placeholder")));
    run_guarded("cli and server agree", Duration::from_secs(120), async {
        for (args, expected) in [
            (vec![], &by_cli),
            (vec!["serve", "--config", "forced.toml"], &by_cli_forced),
        ] {
            let mut c = server(&root, &args, Value::Null).await;
            for (f, want) in all.iter().zip(expected.iter()) {
                let uri = file_uri(f);
                let text = std::fs::read_to_string(f).unwrap();
                c.open(&uri, &text).await;
                let d = c.diagnostics(&uri, 1, Duration::from_secs(20)).await;
                assert_eq!(&server_findings(&d), want, "{} with {args:?}", rel(f));
            }
            assert_eq!(c.shutdown_and_exit().await, Some(0));
        }
    });
}
