//! Issue 5, what a session leaves behind: a full inspector session (query, every tab, copies
//! through OSC 52 and the file fallback, exports, the history pane) with `RUST_LOG=trace`,
//! then the CLI's `query`, `login` and its faults (401 and 500 echoing the token). Every
//! file under the sandboxed home (logs, history, exports, clipboard files, caches) and every
//! byte written to the terminal or to stdout/stderr is searched for the token, its Base64
//! spellings, the APPSecret: only the 0600 token cache of a sign-in may hold a token.
//! A stand-in for the API runs on 127.0.0.1.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use rudder_inspect::api::Query;
use support::pty::*;
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A token given to the tool (AIRUDDER_TOKEN).
const TOKEN: &str = "tokARTEFACTgiven5b7e1c94d2a8f063";
/// The account's keys, and the token the stand-in issues for them.
const APP_KEY: &str = "AK-artefact-3c1d";
const APP_SECRET: &str = "sekretARTEFACTe91f4a7b20c6d853";
const SIGNED_TOKEN: &str = "tokARTEFACTsigned0d6b2f8a71c4e9";

/// The answer every good request gets: long enough that copying the Raw JSON tab (over the
/// OSC 52 limit) goes to a file.
const ANSWER: &str = "05-long-transcript.json";

fn ids() -> Query {
    query_for(ANSWER)
}

/// The token a request carries.
fn bearer(req: &Request) -> String {
    req.headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Token "))
        .unwrap_or("")
        .to_string()
}

/// A stand-in that signs in APP_KEY/APP_SECRET (issuing SIGNED_TOKEN), answers the verify
/// path for TOKEN or SIGNED_TOKEN with [`ANSWER`], and refuses anything else with a 401 that
/// echoes the token it got.
struct StandIn {
    server: MockServer,
    sign_ins: Arc<AtomicUsize>,
}

impl StandIn {
    fn start() -> StandIn {
        runtime().block_on(async {
            let server = MockServer::start().await;
            let sign_ins = Arc::new(AtomicUsize::new(0));
            let n = sign_ins.clone();
            Mock::given(method("POST"))
                .and(path("/service/cloud/auth"))
                .respond_with(move |req: &Request| {
                    n.fetch_add(1, Ordering::SeqCst);
                    let v: serde_json::Value =
                        serde_json::from_slice(&req.body).unwrap_or_default();
                    if v["APPKey"] == APP_KEY && v["APPSecret"] == APP_SECRET {
                        json_reply(
                            200,
                            &serde_json::json!({"data": {"token": SIGNED_TOKEN}, "status": "OK", "code": 200})
                                .to_string(),
                        )
                    } else {
                        json_reply(401, r#"{"data": null, "status": "Unauthorized", "code": 401}"#)
                    }
                })
                .mount(&server)
                .await;
            let answer = asset(ANSWER);
            Mock::given(method("POST"))
                .and(path(rudder_inspect::api::VERIFY_PATH))
                .respond_with(move |req: &Request| {
                    let token = bearer(req);
                    if token == TOKEN || token == SIGNED_TOKEN {
                        ResponseTemplate::new(200)
                            .set_body_raw(answer.clone(), "application/json")
                    } else {
                        echo(401, &token)
                    }
                })
                .mount(&server)
                .await;
            StandIn { server, sign_ins }
        })
    }

    fn url(&self) -> String {
        self.server.uri()
    }
}

/// An error answer that repeats the token it was sent, in the body and a header.
fn echo(status: u16, token: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-debug-token", token)
        .set_body_raw(
            format!(
                r#"{{"data": null, "status": "Error", "code": {status}, "message": "token {token} rejected; Authorization: Token {token}"}}"#
            )
            .into_bytes(),
            "application/json",
        )
}

/// A server whose verify path always answers `status`, echoing the request's token.
fn echo_server(status: u16) -> MockServer {
    runtime().block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(rudder_inspect::api::VERIFY_PATH))
            .respond_with(move |req: &Request| echo(status, &bearer(req)))
            .mount(&server)
            .await;
        server
    })
}

/// A server whose sign-in answers `status` with the request's own body (APPKey and
/// APPSecret) echoed back, in the body and a header.
fn echo_auth_server(status: u16) -> MockServer {
    runtime().block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/service/cloud/auth"))
            .respond_with(move |req: &Request| {
                let sent = String::from_utf8_lossy(&req.body).into_owned();
                ResponseTemplate::new(status)
                    .insert_header("x-debug-body", sent.replace(['\r', '\n'], " ").as_str())
                    .set_body_raw(
                        format!(r#"{{"data": null, "status": "Error", "code": {status}, "message": "bad credentials {sent}"}}"#)
                            .into_bytes(),
                        "application/json",
                    )
            })
            .mount(&server)
            .await;
        server
    })
}

/// The ways `secret` may sit in bytes: as is, and in Base64 at each alignment.
fn spellings(secret: &str) -> Vec<Vec<u8>> {
    let mut v = vec![secret.as_bytes().to_vec()];
    v.extend(base64_forms(secret).into_iter().map(String::into_bytes));
    v
}

/// Whether `bytes` holds `secret` in any of its spellings.
fn holds(bytes: &[u8], secret: &str) -> bool {
    spellings(secret).iter().any(|s| contains(bytes, s))
}

/// Every OSC 52 payload in `raw`, decoded.
fn osc52_payloads(raw: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mark = b"\x1b]52;c;";
    let mut at = 0;
    while let Some(p) = raw[at..].windows(mark.len()).position(|w| w == mark) {
        let start = at + p + mark.len();
        let end = start
            + raw[start..]
                .iter()
                .position(|b| *b == 0x07 || *b == 0x1b)
                .expect("an OSC 52 sequence ends");
        out.push(
            base64::engine::general_purpose::STANDARD
                .decode(&raw[start..end])
                .expect("OSC 52 carries Base64"),
        );
        at = end;
    }
    out
}

/// Asserts no file under `dir` holds any of `secrets` (in any spelling), but for the files
/// `allowed` says may; returns the files read.
fn assert_no_file_holds(
    dir: &Path,
    secrets: &[&str],
    allowed: impl Fn(&Path) -> bool,
) -> Vec<std::path::PathBuf> {
    let files = files_under(dir);
    for (p, bytes) in &files {
        if allowed(p) {
            continue;
        }
        for s in secrets {
            assert!(
                !holds(bytes, s),
                "{s} is in {}:\n{}",
                p.display(),
                String::from_utf8_lossy(bytes)
            );
        }
    }
    files.into_iter().map(|(p, _)| p).collect()
}

/// Waits until every key sent so far was handled: F1 opens the help, F1 closes it.
fn sync(tui: &mut Tui) -> String {
    tui.send(F1);
    tui.wait_for(&[" Keys "]);
    tui.send(F1);
    tui.wait_until("the help to close", |s| !s.contains(" Keys "))
}

/// The inspector on the stand-in with `env`, the reference ids sent at once: every tab with
/// `y` and `Y` on each, an export, the history pane; then `q`, or a crash (the debug build's
/// test hook) when `crash`. Returns the terminal.
fn full_session(stand_in: &StandIn, env: &[(&str, &str)], crash: bool) -> Tui {
    let sandbox = Sandbox::new();
    let export_dir = sandbox.path("exports");
    let url = stand_in.url();
    let mut args = vec![
        "--base-url".to_string(),
        url,
        "--export-dir".into(),
        export_dir.display().to_string(),
    ];
    args.extend(id_args(&ids()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut env = env.to_vec();
    env.push(("RUST_LOG", "trace"));
    env.push(("RUDDER_INSPECT_CRASH_KEY", "!"));
    let mut tui = Tui::start(sandbox, &args, &env, 160, 50);
    tui.wait_for(&["DANIEL OKAFOR", "answer in"]);
    for tab in ['1', '2', '3', '4', '5', '6'] {
        tui.send(&tab.to_string());
        sync(&mut tui);
        for copy in ["y", "Y"] {
            // Each copy goes to the terminal (OSC 52) or says where it went instead, in a
            // frame after the key.
            let (mark, frames) = {
                let t = tui.term.0.lock().unwrap();
                (t.raw.len(), t.frames)
            };
            tui.send(copy);
            tui.wait_term(&format!("the copy {copy} on tab {tab}"), |t| {
                let text = t.frame.contents();
                contains(&t.raw[mark..], b"\x1b]52;c;")
                    || (t.frames > frames
                        && (text.contains("too large for the terminal's clipboard")
                            || text.contains("nothing to copy")
                            || text.contains("could not copy")))
            });
            sync(&mut tui);
        }
    }
    // The Raw JSON tab copied whole is over the OSC 52 limit: it went to a file.
    tui.send("Y");
    tui.wait_for(&["too large for the terminal's clipboard"]);
    tui.send("e");
    tui.wait_for(&["exported"]);
    // The history pane holds this lookup.
    tui.send("\x12");
    tui.wait_for(&["History", &ids().callee]);
    // A lone Esc must be read alone (crossterm reads `ESC ESC O P` as Esc, `O`, `P`, and
    // `ESC q` as Alt-q): the pane closing says it was, before anything else is sent. (A
    // resize round trip does not: the loop sees a resize signal before the input waiting.)
    tui.send(ESC);
    tui.wait_until("the history pane to close", |s| !s.contains("filter ›"));
    tui.barrier(160, 50);
    if crash {
        tui.send("!");
        assert_ne!(tui.wait_exit(), 0, "a crash is not a clean exit");
        // The panic's own words follow the restore, on the main screen.
        let raw = tui.raw();
        let left = raw
            .windows(8)
            .rposition(|w| w == b"\x1b[?1049l")
            .expect("the alternate screen was left");
        let after = String::from_utf8_lossy(&raw[left..]);
        assert!(
            after.contains("\x1b[?25h"),
            "the cursor is shown: {after:?}"
        );
    } else {
        tui.send("q");
        assert_eq!(tui.wait_exit(), 0);
        tui.assert_restored();
    }
    tui
}

/// What a session wrote where: the log (at trace level), the history, exports, the clipboard
/// file; none holds `secrets`, the token cache (0600) excepted.
fn assert_session_left_no_secret(tui: &Tui, secrets: &[&str]) -> Vec<std::path::PathBuf> {
    let raw = tui.raw();
    for s in secrets {
        assert!(!holds(&raw, s), "{s} was written to the terminal");
    }
    let copies = osc52_payloads(&raw);
    assert!(!copies.is_empty(), "no OSC 52 copy was made");
    for c in &copies {
        for s in secrets {
            assert!(!contains(c, s.as_bytes()), "{s} went to the clipboard");
        }
    }
    let files = assert_no_file_holds(tui.sandbox.dir.path(), secrets, |p| {
        p.components().any(|c| c.as_os_str() == "tokens")
    });
    let named = |part: &str| files.iter().any(|p| p.display().to_string().contains(part));
    assert!(named("rudder-inspect.log"), "no log file: {files:?}");
    assert!(named("history.jsonl"), "no history file: {files:?}");
    assert!(named("clipboard"), "no clipboard file: {files:?}");
    assert!(named("exports"), "no export: {files:?}");
    let log = files
        .iter()
        .find(|p| p.ends_with("rudder-inspect/rudder-inspect.log"))
        .expect("the log file");
    let text = std::fs::read_to_string(log).unwrap();
    assert!(
        text.lines().count() > 10,
        "RUST_LOG=trace logs the exchange:\n{text}"
    );
    files
}

#[test]
fn a_full_session_with_a_given_token_leaves_it_nowhere() {
    let stand_in = StandIn::start();
    let tui = full_session(&stand_in, &[("AIRUDDER_TOKEN", TOKEN)], true);
    let files = assert_session_left_no_secret(&tui, &[TOKEN]);
    // The crash left its report, with the panic and a backtrace, and no token.
    let report = files
        .iter()
        .find(|p| p.display().to_string().contains("crashes/crash-"))
        .unwrap_or_else(|| panic!("no crash report: {files:?}"));
    let text = std::fs::read_to_string(report).unwrap();
    assert!(text.contains("RUDDER_INSPECT_CRASH_KEY"), "{text}");
    assert!(text.contains("backtrace"), "{text}");
    // A given token is never cached.
    assert!(
        !files
            .iter()
            .any(|p| p.components().any(|c| c.as_os_str() == "tokens")),
        "{files:?}"
    );
    assert_eq!(stand_in.sign_ins.load(Ordering::SeqCst), 0);
}

#[test]
fn a_full_session_signed_in_keeps_the_token_only_in_its_0600_cache() {
    use std::os::unix::fs::PermissionsExt;
    let stand_in = StandIn::start();
    let tui = full_session(
        &stand_in,
        &[
            ("AIRUDDER_APP_KEY", APP_KEY),
            ("AIRUDDER_APP_SECRET", APP_SECRET),
        ],
        false,
    );
    assert_eq!(stand_in.sign_ins.load(Ordering::SeqCst), 1);
    let files = assert_session_left_no_secret(&tui, &[SIGNED_TOKEN, APP_SECRET]);
    let cached: Vec<_> = files
        .iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "tokens"))
        .collect();
    assert_eq!(cached.len(), 1, "one token file: {files:?}");
    let bytes = std::fs::read(cached[0]).unwrap();
    assert!(holds(&bytes, SIGNED_TOKEN), "the cache holds the token");
    assert!(!holds(&bytes, APP_SECRET), "the cache holds no APPSecret");
    let mode = std::fs::metadata(cached[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{}", cached[0].display());
}

/// Runs `cmd` with RUST_LOG=trace; stdout and stderr hold none of `secrets`. Returns the
/// exit code and both outputs.
fn run_clean(cmd: &mut assert_cmd::Command, secrets: &[&str]) -> (i32, String, String) {
    let out = cmd
        .env("RUST_LOG", "trace")
        .output()
        .expect("run the binary");
    for s in secrets {
        assert!(!holds(&out.stdout, s), "{s} on stdout");
        assert!(!holds(&out.stderr, s), "{s} on stderr");
    }
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_never_prints_or_logs_the_token_even_when_the_server_echoes_it() {
    let stand_in = StandIn::start();
    let sb = Sandbox::new();
    let query = |base: &str, output: &str| {
        let mut c = sb.cmd();
        c.env("AIRUDDER_TOKEN", TOKEN)
            .args(["--base-url", base, "query", "--output", output])
            .args(id_args(&ids()));
        c
    };
    // Answers, as JSON and Markdown.
    let (code, json, _) = run_clean(&mut query(&stand_in.url(), "json"), &[TOKEN]);
    assert_eq!(code, 0);
    assert!(json.contains("DANIEL OKAFOR"), "{json}");
    let (code, md, _) = run_clean(&mut query(&stand_in.url(), "md"), &[TOKEN]);
    assert_eq!(code, 0);
    assert!(md.contains("DANIEL OKAFOR"), "{md}");
    // A 401 and a 500 that repeat the token in their body and a header.
    for status in [401, 500] {
        let server = echo_server(status);
        for output in ["json", "md"] {
            let (code, stdout, stderr) = run_clean(&mut query(&server.uri(), output), &[TOKEN]);
            assert_eq!(code, 7, "{stderr}");
            assert!(stdout.is_empty(), "{stdout}");
            assert!(stderr.contains(&format!("HTTP {status}")), "{stderr}");
            assert_short_error(&stderr, &[TOKEN]);
        }
    }
    // A wrong token refused by the stand-in, echoed back: the wrong one is not shown either.
    let wrong = "tokARTEFACTwrong77c1e0b3a5f2d4";
    let mut c = sb.cmd();
    c.env("AIRUDDER_TOKEN", wrong)
        .args(["--base-url", &stand_in.url(), "query"])
        .args(id_args(&ids()));
    let (code, _, stderr) = run_clean(&mut c, &[wrong]);
    assert_eq!(code, 7, "{stderr}");
    // Signing in: `login` says for how long, never what.
    let mut c = sb.cmd();
    c.env("AIRUDDER_APP_KEY", APP_KEY)
        .env("AIRUDDER_APP_SECRET", APP_SECRET)
        .args(["--base-url", &stand_in.url(), "login"]);
    let (code, stdout, stderr) = run_clean(&mut c, &[SIGNED_TOKEN, APP_SECRET]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!(stdout.clone() + &stderr).is_empty());
    // And a query with the signed-in token from the cache.
    let mut c = sb.cmd();
    c.env("AIRUDDER_APP_KEY", APP_KEY)
        .env("AIRUDDER_APP_SECRET", APP_SECRET)
        .args(["--base-url", &stand_in.url(), "query", "--output", "md"])
        .args(id_args(&ids()));
    let (code, md, stderr) = run_clean(&mut c, &[SIGNED_TOKEN, APP_SECRET]);
    assert_eq!(code, 0, "{stderr}");
    assert!(md.contains("DANIEL OKAFOR"));
    assert_eq!(
        stand_in.sign_ins.load(Ordering::SeqCst),
        1,
        "the cache was reused"
    );

    // A sign-in refused or failed with the APPSecret echoed back: never shown.
    for status in [401, 500] {
        let server = echo_auth_server(status);
        for args in [vec!["login"], vec!["query"]] {
            let mut c = sb.cmd();
            c.env("AIRUDDER_APP_KEY", APP_KEY)
                .env("AIRUDDER_APP_SECRET", APP_SECRET)
                .args(["--base-url", &server.uri()])
                .args(&args);
            if args[0] == "query" {
                c.args(id_args(&ids()));
            }
            let (code, stdout, stderr) = run_clean(&mut c, &[APP_SECRET]);
            assert_ne!(code, 0, "{args:?} {status}: {stderr}");
            assert!(stdout.is_empty(), "{stdout}");
            assert_short_error(&stderr, &[APP_SECRET]);
        }
    }

    // Nothing the runs wrote holds a token or the secret, the 0600 cache excepted.
    let files = assert_no_file_holds(
        sb.dir.path(),
        &[TOKEN, wrong, SIGNED_TOKEN, APP_SECRET],
        |p| p.components().any(|c| c.as_os_str() == "tokens"),
    );
    let log = files
        .iter()
        .find(|p| p.ends_with("rudder-inspect/rudder-inspect.log"))
        .unwrap_or_else(|| panic!("no log file: {files:?}"));
    assert!(std::fs::metadata(log).unwrap().len() > 0);
}
