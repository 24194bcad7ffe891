//! Shared helpers for the integration tests: fixtures, answers with a fixed receive time,
//! apps driven through `App::update`, a `TestBackend` renderer, key and mouse events, the demo
//! server and canned HTTP servers on 127.0.0.1, and a sandboxed command for the binary.
//!
//! Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Local, TimeZone};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use rudder_inspect::api::client::{Exchange, interpret};
use rudder_inspect::api::{Answer, ApiError, Query};
use rudder_inspect::app::{Action, App, Context, Effect, Source};
use rudder_inspect::demo::{DemoCase, DemoServer};

/// The real binary in a pseudo-terminal, with every byte it writes (hostile_pty, artefacts).
pub mod pty;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_rudder-inspect");

/// The base URL shown by apps built here; nothing listens there and nothing is sent.
pub const BASE_URL: &str = "http://127.0.0.1:8080";

/// The demo server's token.
pub const DEMO_TOKEN: &str = rudder_inspect::demo::DEMO_TOKEN;

/// Latency put in every built exchange, so "answer in 123 ms" is stable.
pub const LATENCY: Duration = Duration::from_millis(123);

// ---------------------------------------------------------------------------------------
// Fixtures and answers

pub fn asset_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo")
        .join(name)
}

pub fn asset(name: &str) -> Vec<u8> {
    let p = asset_path(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// The fixed moment every built answer was "received" (the status bar shows 15:00:05).
pub fn received_at() -> DateTime<Local> {
    Local
        .with_ymd_and_hms(2024, 3, 12, 15, 0, 5)
        .earliest()
        .expect("a valid local time")
}

/// A 2xx exchange with `body`, received at [`received_at`], after [`LATENCY`].
pub fn exchange(body: impl Into<Bytes>) -> Exchange {
    Exchange {
        url: format!("{BASE_URL}{}", rudder_inspect::api::VERIFY_PATH),
        status: 200,
        latency: LATENCY,
        body: body.into(),
        received_at: received_at(),
    }
}

pub fn answer_bytes(body: impl Into<Bytes>) -> Answer {
    interpret(exchange(body)).expect("the fixture is a valid answer")
}

/// A bundled answer (`assets/demo/NAME`).
pub fn answer(name: &str) -> Answer {
    answer_bytes(asset(name))
}

/// The demo case whose name starts with `prefix` ("01", "06-chinese").
pub fn demo_case(prefix: &str) -> DemoCase {
    rudder_inspect::demo::cases()
        .into_iter()
        .find(|c| c.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no demo case {prefix}"))
}

/// The ids that find the reference example.
pub fn reference_query() -> Query {
    demo_case("01").query
}

/// An HTTP 500 with an HTML page, as the client reports it.
pub fn http_500() -> ApiError {
    ApiError::Http {
        status: 500,
        reason: "Internal Server Error".into(),
        body_start: ApiError::body_excerpt(
            b"<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>upstream failed</p></body></html>",
        ),
        retry_after: None,
    }
}

// ---------------------------------------------------------------------------------------
// Apps

/// A session that can query, with a fixed base URL and token source.
pub fn context() -> Context {
    Context {
        base_url: Some(BASE_URL.into()),
        token_source: Some("token from env AIRUDDER_TOKEN".into()),
        ..Context::default()
    }
}

/// A fresh app with `query` in the form, at `w`×`h`.
pub fn form_app(query: &Query, w: u16, h: u16) -> App {
    let mut app = App::new(query.clone(), context());
    app.update(Action::Resize(w, h));
    app
}

/// Presses Enter and returns the one `Send` it must produce.
pub fn submit(app: &mut App) -> (u64, Query) {
    let effects = app.update(Action::Key(code(KeyCode::Enter)));
    match effects.as_slice() {
        [Effect::Send { id, query }] => (*id, query.clone()),
        other => panic!("Enter should send exactly one query, got {other:?}"),
    }
}

/// Delivers a reply for request `id`.
pub fn reply(app: &mut App, id: u64, result: Result<Answer, ApiError>) -> Vec<Effect> {
    let effects = app.update(Action::Reply {
        id,
        result: Box::new(result),
        elapsed: LATENCY,
    });
    as_the_loop_does(app, effects)
}

/// The ids that find the bundled answer `name` ("06-chinese.json"): the demo case's.
pub fn query_for(name: &str) -> Query {
    rudder_inspect::demo::cases()
        .into_iter()
        .find(|c| name.starts_with(c.name))
        .map(|c| c.query)
        .unwrap_or_else(reference_query)
}

/// An app at `w`×`h` that asked for `name`'s ids and got `name` back.
pub fn answered_app(name: &str, w: u16, h: u16) -> App {
    let mut app = form_app(&query_for(name), w, h);
    let (id, _) = submit(&mut app);
    assert!(reply(&mut app, id, Ok(answer(name))).is_empty());
    app
}

/// An app that asked and got `error` back; the failure's time is fixed for snapshots.
pub fn failed_app(query: &Query, error: ApiError, w: u16, h: u16) -> App {
    let mut app = form_app(query, w, h);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(error));
    if let Some(f) = app.failure.as_mut() {
        f.at = received_at();
    }
    app
}

/// An app opened on a file's contents (`open FILE`), at `w`×`h`.
pub fn file_app(body: impl Into<Bytes>, path: &str, w: u16, h: u16) -> App {
    let mut app = App::new(Query::default(), Context::default()).with_answer(
        answer_bytes(body),
        Source::File {
            path: path.to_string(),
        },
    );
    app.update(Action::Resize(w, h));
    app
}

/// The sum of a `{value: count}` object (a review's figures).
pub fn sum_of_counts(counts: &serde_json::Value) -> u64 {
    let counts = counts.as_object().expect("an object of counts");
    counts.values().map(|n| n.as_u64().expect("a count")).sum()
}

/// Presses each key in turn, collecting the effects.
/// Presses `keys`; a copy of what a tab shows comes back as the copy the loop makes of it.
pub fn press(app: &mut App, keys: impl IntoIterator<Item = KeyEvent>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys {
        let out = app.update(Action::Key(k));
        effects.extend(as_the_loop_does(app, out));
        // The loop settles before each frame (a test looks after every key).
        let out = app.update(Action::Settle);
        effects.extend(as_the_loop_does(app, out));
    }
    effects
}

/// What the loop makes of `effects` at once: a masked copy is made (here, on this thread)
/// and handed back, a copy of a tab's view becomes the copy of its text; the rest returned.
pub fn as_the_loop_does(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::new();
    for e in effects {
        match e {
            Effect::Mask(job) => {
                let more = app.update(job.run());
                out.extend(as_the_loop_does(app, more));
            }
            // A review's summaries, each batch handed over as it is made.
            Effect::Summarise(job) => {
                let mut actions = Vec::new();
                job.run(&mut |a| {
                    actions.push(a);
                    true
                });
                for a in actions {
                    let more = app.update(a);
                    out.extend(as_the_loop_does(app, more));
                }
            }
            Effect::OpenCase(job) => {
                let more = app.update(job.run());
                out.extend(as_the_loop_does(app, more));
            }
            // Saved as the loop saves it, and kept for the test to look at.
            Effect::SaveMark { path, mark } => {
                rudder_inspect::review::marks::append(&path, &mark).expect("verdict saved");
                out.push(Effect::SaveMark { path, mark });
            }
            e => out.extend(rudder_inspect::ui::copy_view(app, e).ok()),
        }
    }
    out
}

/// Types `text` one character at a time.
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    press(app, text.chars().map(key))
}

// ---------------------------------------------------------------------------------------
// Rendering

/// Draws the app on a `TestBackend` of its own size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal
        .draw(|f| rudder_inspect::ui::draw(f, app))
        .expect("draw");
    terminal
}

/// The rendered screen as text, one line per row, trailing spaces removed.
pub fn screen(app: &App) -> String {
    let terminal = render(app);
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        // A wide character covers the cells after it.
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Events

pub fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn code(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn shift_tab() -> KeyEvent {
    KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Action {
    Action::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

pub fn click(column: u16, row: u16) -> Action {
    mouse(MouseEventKind::Down(MouseButton::Left), column, row)
}

pub fn wheel_down(column: u16, row: u16) -> Action {
    mouse(MouseEventKind::ScrollDown, column, row)
}

pub fn wheel_up(column: u16, row: u16) -> Action {
    mouse(MouseEventKind::ScrollUp, column, row)
}

// ---------------------------------------------------------------------------------------
// Servers on 127.0.0.1

/// One multi-threaded runtime for every server of a test binary: its tasks run while the
/// tests block on child processes.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

/// The demo server, started once per test binary on a free port.
pub fn demo() -> &'static DemoServer {
    static DEMO: OnceLock<DemoServer> = OnceLock::new();
    DEMO.get_or_init(|| {
        runtime()
            .block_on(rudder_inspect::demo::serve(0))
            .expect("the demo server starts")
    })
}

/// A server that answers every request to the verify path with `template`.
pub fn mock(template: wiremock::ResponseTemplate) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    runtime().block_on(async {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(method("POST"))
            .and(path(rudder_inspect::api::VERIFY_PATH))
            .respond_with(template)
            .mount(&server)
            .await;
        server
    })
}

/// A JSON answer with `status`.
pub fn json_reply(status: u16, body: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// An HTML answer with `status`.
pub fn html_reply(status: u16, body: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "text/html")
}

/// A listener that takes connections (the kernel completes them) and never answers.
pub fn silent_server() -> (std::net::TcpListener, String) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}", l.local_addr().expect("local addr"));
    (l, url)
}

// ---------------------------------------------------------------------------------------
// The binary, sandboxed

/// A temporary home: no real config, state or token is ever read by the binary.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (mode 600 on unix, as a token file should be).
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        p
    }

    /// The environment the binary gets: nothing from ours, a home inside the sandbox.
    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.path("home")),
            ("XDG_CONFIG_HOME", self.path("config")),
            ("XDG_STATE_HOME", self.path("state")),
            ("XDG_CACHE_HOME", self.path("cache")),
            ("XDG_DATA_HOME", self.path("data")),
        ]
    }

    /// The binary with an empty environment but for the sandbox's home.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::new(BIN);
        c.env_clear();
        for (k, v) in self.env() {
            c.env(k, v);
        }
        c.env("LANG", "C.UTF-8")
            .env_remove("AIRUDDER_TOKEN")
            .env_remove("AIRUDDER_BASE_URL")
            .env_remove("RUDDER_INSPECT_CONFIG")
            .current_dir(self.dir.path())
            .timeout(Duration::from_secs(60));
        c
    }
}

// ---------------------------------------------------------------------------------------
// Checks on what a person reads

/// A Rust `Debug` dump of a struct: `Name { field:`.
pub fn has_struct_dump(s: &str) -> bool {
    for (i, _) in s.match_indices(" { ") {
        // The word before must be a CamelCase identifier...
        let before = &s[..i];
        let word: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let camel = word.chars().next().is_some_and(char::is_uppercase);
        // ...and the text after an identifier and a colon.
        let after = &s[i + 3..];
        let ident_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let field = ident_len > 0 && after.as_bytes().get(ident_len) == Some(&b':');
        if camel && field {
            return true;
        }
    }
    false
}

/// Stderr of a failed command: `error: …` and `  hint: …` (after any `warning:` lines),
/// short, no panic, no Rust debug output, none of `secrets`.
pub fn assert_short_error(stderr: &str, secrets: &[&str]) {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("warning: "))
        .collect();
    assert!(
        !lines.is_empty() && lines[0].starts_with("error: "),
        "stderr should start with `error: `:\n{stderr}"
    );
    assert!(
        lines.len() <= 2,
        "stderr should be one message and one hint:\n{stderr}"
    );
    if lines.len() == 2 {
        assert!(
            lines[1].starts_with("  hint: "),
            "second line should be the hint:\n{stderr}"
        );
    }
    assert_clean_text(stderr, secrets);
}

/// No panic, no Rust debug output, no secret, no escape sequence.
pub fn assert_clean_text(text: &str, secrets: &[&str]) {
    for l in text.lines() {
        assert!(
            l.chars().count() <= 400,
            "a line of {} characters:\n{text}",
            l.chars().count()
        );
    }
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "Some(",
        "None)",
        "Ok(",
        "Err(",
        "\u{1b}",
    ] {
        assert!(!text.contains(bad), "{bad:?} in:\n{text}");
    }
    assert!(!has_struct_dump(text), "a Debug struct dump in:\n{text}");
    for s in secrets {
        assert!(!s.is_empty());
        assert!(!text.contains(s), "a secret leaked into:\n{text}");
    }
}

/// The id flags for `q`: `--workflow-id`, `--node-id`, `--callee`, and `--case-id` if set.
pub fn id_args(q: &Query) -> Vec<String> {
    let mut v = vec![
        "--workflow-id".to_string(),
        q.workflow_id.clone(),
        "--node-id".into(),
        q.node_id.clone(),
        "--callee".into(),
        q.callee.clone(),
    ];
    if let Some(id) = &q.case_id {
        v.extend(["--case-id".to_string(), id.clone()]);
    }
    v
}

/// `query` against `base` for `q`, with `token` in AIRUDDER_TOKEN when given.
pub fn query_cmd(
    sb: &Sandbox,
    base: &str,
    q: &Query,
    token: Option<&str>,
    output: &str,
) -> assert_cmd::Command {
    let mut c = sb.cmd();
    c.args(["--base-url", base, "query", "--output", output])
        .args(id_args(q));
    if let Some(t) = token {
        c.env("AIRUDDER_TOKEN", t);
    }
    c
}

/// Runs `cmd`, expects `code`, an empty stdout and a short clean error; returns stderr.
pub fn fails_with(cmd: &mut assert_cmd::Command, code: i32, secrets: &[&str]) -> String {
    let out = cmd.output().expect("run the binary");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code; stderr:\n{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "stdout should be empty on failure:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_short_error(&stderr, secrets);
    stderr
}

/// Reads one request (headers and a `Content-Length` body) from `s`.
pub fn read_request(s: &mut std::net::TcpStream) {
    use std::io::Read;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return;
            }
        }
    }
}
