//! `batch CASES.csv` against a stand-in server on 127.0.0.1 that answers by callee: good
//! pushes, failures of every kind, 429s with Retry-After, flaky 5xx, and requests held until
//! the test lets them go. The server counts requests in flight, so the tests can check that
//! `--concurrency N` is never exceeded.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;
use support::*;

const TOKEN: &str = "batch-test-token-5c1d";

// ---------------------------------------------------------------------------------------
// The stand-in server

#[derive(Default)]
struct Stats {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    total: AtomicUsize,
    unauthorized: AtomicUsize,
    sign_ins: AtomicUsize,
    /// When each callee was asked, in order.
    asked: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Stats {
    fn attempts(&self, callee: &str) -> usize {
        self.asked.lock().unwrap().get(callee).map_or(0, Vec::len)
    }

    fn times(&self, callee: &str) -> Vec<Instant> {
        self.asked
            .lock()
            .unwrap()
            .get(callee)
            .cloned()
            .unwrap_or_default()
    }
}

struct Shared {
    stats: Stats,
    /// Server-side latency of every answer.
    delay: Duration,
    /// `+hold…` callees wait until this turns true.
    release: tokio::sync::watch::Receiver<bool>,
}

struct StandIn {
    url: String,
    shared: Arc<Shared>,
    release: tokio::sync::watch::Sender<bool>,
}

impl StandIn {
    fn stats(&self) -> &Stats {
        &self.shared.stats
    }
}

/// Counts a request in flight for as long as it lives.
struct InFlight<'a>(&'a Stats);

impl<'a> InFlight<'a> {
    fn new(s: &'a Stats) -> Self {
        let now = s.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        s.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(s)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The reference push with the callee's number as its name, so each line can be matched
/// to the row that asked.
fn good(callee: &str) -> Response {
    json(StatusCode::OK, good_body(callee))
}

fn good_body(callee: &str) -> String {
    let mut v: Value = serde_json::from_slice(&asset("01-reference.json")).unwrap();
    v["data"]["callee"]["callee_name"] = Value::String(format!("name of {callee}"));
    v.to_string()
}

async fn verify(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    let stats = &shared.stats;
    let _guard = InFlight::new(stats);
    stats.total.fetch_add(1, Ordering::SeqCst);
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(&format!("Token {TOKEN}"))
    {
        stats.unauthorized.fetch_add(1, Ordering::SeqCst);
        return json(StatusCode::UNAUTHORIZED, r#"{"code":401}"#.into());
    }
    let q: Value = serde_json::from_str(&body).unwrap_or_default();
    let callee = q["callee"].as_str().unwrap_or("").to_string();
    let attempt = {
        let mut asked = stats.asked.lock().unwrap();
        let times = asked.entry(callee.clone()).or_default();
        times.push(Instant::now());
        times.len()
    };
    if !shared.delay.is_zero() {
        tokio::time::sleep(shared.delay).await;
    }
    let kind = callee.trim_start_matches('+');
    let kind = kind.split('-').next().unwrap_or("");
    match kind {
        "ok" => good(&callee),
        "hold" => {
            let mut rx = shared.release.clone();
            let _ = rx.wait_for(|go| *go).await;
            good(&callee)
        }
        "norecord" => json(
            StatusCode::OK,
            r#"{"data":null,"status":"OK","code":200}"#.into(),
        ),
        "api" => json(
            StatusCode::OK,
            r#"{"data":null,"status":"ParamError","code":10001,"message":"workflow not found"}"#
                .into(),
        ),
        "e404" => (StatusCode::NOT_FOUND, "not here").into_response(),
        "e500" => (StatusCode::INTERNAL_SERVER_ERROR, "<h1>boom</h1>").into_response(),
        // 503 the first time, then the push.
        "flaky" if attempt == 1 => (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response(),
        "flaky" => good(&callee),
        // 429 twice (Retry-After: 0), then the push.
        "r429" if attempt <= 2 => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "0")],
            "slow down",
        )
            .into_response(),
        "r429" => good(&callee),
        // 429 once with Retry-After: 1, then the push.
        "wait1" if attempt == 1 => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "slow down",
        )
            .into_response(),
        "wait1" => good(&callee),
        // Always 429.
        "always429" => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "0")],
            "slow down",
        )
            .into_response(),
        _ => (StatusCode::BAD_REQUEST, "unknown test callee").into_response(),
    }
}

const APP_KEY: &str = "batch-app-key-0001";
const APP_SECRET: &str = "batch-app-secret-9f3e";

/// The sign-in endpoint: the token for the right keys, a 401 otherwise.
async fn sign_in(State(shared): State<Arc<Shared>>, body: String) -> Response {
    shared.stats.sign_ins.fetch_add(1, Ordering::SeqCst);
    // Slow enough that lookups started together would all sign in.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let v: Value = serde_json::from_str(&body).unwrap_or_default();
    if v["APPKey"] == APP_KEY && v["APPSecret"] == APP_SECRET {
        json(
            StatusCode::OK,
            format!(r#"{{"data":{{"token":"{TOKEN}"}},"status":"OK","code":200}}"#),
        )
    } else {
        json(
            StatusCode::OK,
            r#"{"data":null,"status":"Unauthorized","code":401}"#.into(),
        )
    }
}

/// Serves `app` on 127.0.0.1; its URL.
fn serve(app: Router) -> String {
    runtime().block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        url
    })
}

fn stand_in(delay: Duration) -> StandIn {
    let (release, rx) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        stats: Stats::default(),
        delay,
        release: rx,
    });
    let app = Router::new()
        .route(rudder_inspect::api::VERIFY_PATH, post(verify))
        .route("/service/cloud/auth", post(sign_in))
        .with_state(shared.clone());
    let url = serve(app);
    StandIn {
        url,
        shared,
        release,
    }
}

// ---------------------------------------------------------------------------------------
// Cases and runs

/// A CSV of `callees` (an empty one makes a bad row), with the columns in an unusual order
/// and an extra one.
fn csv(callees: &[String]) -> String {
    let mut s = String::from("note,callee,node_id,workflow_id,case_id\n");
    for (i, c) in callees.iter().enumerate() {
        s.push_str(&format!(
            "row {},{c},6ade9e4443xxxxxx43a54b58,b761cdd784294xxxxxx869f85c,{}\n",
            i + 1,
            if i % 2 == 0 { "" } else { "C-1" }
        ));
    }
    s
}

fn callees(kinds: &[&str]) -> Vec<String> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            if k.is_empty() {
                String::new()
            } else {
                format!("+{k}-{}", i + 1)
            }
        })
        .collect()
}

fn batch(
    sb: &Sandbox,
    server: &StandIn,
    csv_path: &std::path::Path,
    extra: &[&str],
) -> assert_cmd::Command {
    let mut c = sb.cmd();
    c.env("AIRUDDER_TOKEN", TOKEN)
        .args(["--base-url", &server.url, "batch"])
        .arg(csv_path)
        .args(["--backoff", "0.01"])
        .args(extra);
    c
}

struct Run {
    code: i32,
    lines: Vec<Value>,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    Run {
        code: out.status.code().unwrap_or(-1),
        lines,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn rows(lines: &[Value]) -> Vec<u64> {
    lines.iter().map(|l| l["row"].as_u64().unwrap()).collect()
}

fn oks(lines: &[Value]) -> Vec<u64> {
    lines
        .iter()
        .filter(|l| l["ok"] == Value::Bool(true))
        .map(|l| l["row"].as_u64().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Tests

/// The harness's check: 42 rows of good and failing cases, 42 lines, exactly the good ok.
#[test]
fn forty_two_rows_give_forty_two_lines_with_exactly_the_good_ones_ok() {
    let server = stand_in(Duration::from_millis(2));
    let sb = Sandbox::new();
    let pattern = ["ok", "norecord", "e500", "flaky", "api", "r429", "e404"];
    let mut kinds: Vec<&str> = (0..42).map(|i| pattern[i % pattern.len()]).collect();
    kinds[9] = ""; // a bad row: no callee
    kinds[30] = "always429";
    let callees = callees(&kinds);
    let path = sb.write("cases.csv", &csv(&callees));
    let r = run(&mut batch(&sb, &server, &path, &[]));

    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.lines.len(), 42, "{}", r.stderr);
    assert_eq!(rows(&r.lines), (1..=42).collect::<Vec<u64>>());
    let good: Vec<u64> = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(**k, "ok" | "flaky" | "r429"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(oks(&r.lines), good);
    for (line, callee) in r.lines.iter().zip(&callees) {
        assert_eq!(line["input"]["callee"], callee.as_str());
        assert!(line.get("input").unwrap().get("note").is_none());
        if line["ok"] == Value::Bool(true) {
            assert_eq!(line["error"], Value::Null);
            let s = &line["summary"];
            assert_eq!(s["callee_name"], format!("name of {callee}"));
            assert_eq!(s["call_id"], "cd878f6611adxxxxxx1a5a3ec5525b");
            assert_eq!(s["call_start_time"], "2024-03-12 14:54:26");
            assert_eq!(s["intention"], "E");
            assert_eq!(s["hangup_type"], "ByRobot");
            assert!(s["qa_match"].is_u64() && s["qa_mismatch"].is_u64() && s["turns"].is_u64());
        } else {
            assert!(
                line["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{line}"
            );
            assert_eq!(line["summary"], Value::Null);
        }
    }
    assert_eq!(r.lines[9]["error_kind"], "bad row");
    assert!(
        r.stderr.contains("line 11: callee is empty"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("42 of 42 rows answered"), "{}", r.stderr);
    assert_eq!(server.stats().unauthorized.load(Ordering::SeqCst), 0);
    assert!(!r.stderr.contains(TOKEN));
}

#[test]
fn transient_failures_are_retried_a_bounded_number_of_times_and_others_never() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let kinds = [
        "e500",
        "flaky",
        "r429",
        "e404",
        "norecord",
        "api",
        "always429",
        "ok",
    ];
    let callees = callees(&kinds);
    let path = sb.write("cases.csv", &csv(&callees));
    let r = run(&mut batch(&sb, &server, &path, &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = server.stats();
    let expected = [4, 2, 3, 1, 1, 1, 4, 1];
    for ((callee, want), line) in callees.iter().zip(expected).zip(&r.lines) {
        assert_eq!(s.attempts(callee), want, "{callee}");
        assert_eq!(line["attempts"], want, "{line}");
    }
    assert_eq!(oks(&r.lines), [2, 3, 8]);
    assert!(r.lines[0]["error"].as_str().unwrap().contains("HTTP 500"));
    assert!(r.lines[6]["error"].as_str().unwrap().contains("HTTP 429"));
    assert_eq!(r.lines[4]["error_kind"], "no record");

    // --retries 1: one retry only; --retries 0: none.
    let server = stand_in(Duration::ZERO);
    let r = run(&mut batch(&sb, &server, &path, &["--retries", "1"]));
    assert_eq!(r.code, 0);
    assert_eq!(server.stats().attempts(&callees[0]), 2);
    assert_eq!(oks(&r.lines), [2, 8], "r429 needs two retries");
    let server = stand_in(Duration::ZERO);
    run(&mut batch(&sb, &server, &path, &["--retries", "0"]));
    assert_eq!(server.stats().attempts(&callees[0]), 1);
}

#[test]
fn retry_after_is_honoured() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let callees = callees(&["wait1"]);
    let path = sb.write("cases.csv", &csv(&callees));
    let r = run(&mut batch(&sb, &server, &path, &[]));
    assert_eq!(oks(&r.lines), [1], "{}", r.stderr);
    let t = server.stats().times(&callees[0]);
    assert_eq!(t.len(), 2);
    assert!(
        t[1] - t[0] >= Duration::from_millis(950),
        "retried after {:?}",
        t[1] - t[0]
    );
}

#[test]
fn never_more_than_n_requests_at_once() {
    for n in [1usize, 3] {
        let server = stand_in(Duration::from_millis(15));
        let sb = Sandbox::new();
        let callees = callees(&["ok"; 24]);
        let path = sb.write("cases.csv", &csv(&callees));
        let r = run(&mut batch(
            &sb,
            &server,
            &path,
            &["--concurrency", &n.to_string()],
        ));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.lines.len(), 24);
        assert_eq!(
            rows(&r.lines),
            (1..=24).collect::<Vec<u64>>(),
            "input order"
        );
        let max = server.stats().max_in_flight.load(Ordering::SeqCst);
        assert!(max <= n, "{max} requests at once with --concurrency {n}");
        if n > 1 {
            assert!(max > 1, "--concurrency {n} never overlapped requests");
        }
    }
}

#[test]
fn the_default_concurrency_is_four() {
    let server = stand_in(Duration::from_millis(15));
    let sb = Sandbox::new();
    let callees = callees(&["ok"; 24]);
    let path = sb.write("cases.csv", &csv(&callees));
    let r = run(&mut batch(&sb, &server, &path, &[]));
    assert_eq!(r.lines.len(), 24);
    let max = server.stats().max_in_flight.load(Ordering::SeqCst);
    assert!((2..=4).contains(&max), "{max} at once");
}

#[test]
fn rate_spaces_the_starts() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let callees = callees(&["ok"; 6]);
    let path = sb.write("cases.csv", &csv(&callees));
    let r = run(&mut batch(&sb, &server, &path, &["--rate", "20/s"]));
    assert_eq!(r.lines.len(), 6);
    let mut starts: Vec<Instant> = callees
        .iter()
        .flat_map(|c| server.stats().times(c))
        .collect();
    starts.sort();
    let span = *starts.last().unwrap() - starts[0];
    // 5 intervals of 50 ms, less the jitter of arrival times; without --rate it takes ~1 ms.
    assert!(
        span >= Duration::from_millis(200),
        "6 starts at 20/s took {span:?}"
    );
}

#[test]
fn resume_skips_rows_already_answered() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let callees = callees(&["ok", "norecord", "ok", "", "ok", "e404", "ok", "ok"]);
    let path = sb.write("cases.csv", &csv(&callees));
    let first = run(&mut batch(&sb, &server, &path, &[]));
    assert_eq!(first.lines.len(), 8);
    // Keep rows 1-5, a line cut short by a crash, and nothing else.
    let mut kept: Vec<String> = first.lines[..5].iter().map(Value::to_string).collect();
    kept.push(r#"{"row":6,"input":{"#.into());
    let out = sb.write("out.jsonl", &(kept.join("\n") + "\n"));

    let server = stand_in(Duration::ZERO);
    let r = run(&mut batch(
        &sb,
        &server,
        &path,
        &["--resume", out.to_str().unwrap()],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rows(&r.lines), [6, 7, 8]);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 3);
    assert!(r.stderr.contains("5 already answered"), "{}", r.stderr);

    // Everything answered: nothing to ask.
    let all = sb.write(
        "all.jsonl",
        &first
            .lines
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect::<String>(),
    );
    let server = stand_in(Duration::ZERO);
    let r = run(&mut batch(
        &sb,
        &server,
        &path,
        &["--resume", all.to_str().unwrap()],
    ));
    assert_eq!(r.code, 0);
    assert!(r.lines.is_empty());
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 0);
}

#[test]
fn bad_rows_are_reported_with_their_line_and_not_sent() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let text = "workflow_id,node_id,callee\n\
                w1,n1,+ok-1\n\
                w2,,+ok-2\n\
                \n\
                w4,n4\n\
                w5,n5,+ok-5\n";
    let path = sb.write("cases.csv", text);
    let r = run(&mut batch(&sb, &server, &path, &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rows(&r.lines), [1, 2, 3, 4]);
    assert_eq!(oks(&r.lines), [1, 4]);
    assert!(
        r.stderr.contains("line 3: node_id is empty"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("line 5: 2 fields where the header has 3"),
        "{}",
        r.stderr
    );
    assert_eq!(r.lines[1]["input"]["workflow_id"], "w2");
    assert_eq!(r.lines[2]["line"], 5);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 2);
}

#[test]
fn usage_and_file_errors() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    // A header without the required columns: a usage error, nothing sent.
    let path = sb.write("cases.csv", "workflow,node,number\nw,n,+1\n");
    let r = run(&mut batch(&sb, &server, &path, &[]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no workflow_id, node_id, callee columns"),
        "{}",
        r.stderr
    );
    assert!(r.lines.is_empty());
    // A missing file.
    let r = run(&mut batch(&sb, &server, &sb.path("nope.csv"), &[]));
    assert_eq!(r.code, 13, "{}", r.stderr);
    // Bad flags.
    let ok = sb.write("ok.csv", "workflow_id,node_id,callee\nw,n,+ok-1\n");
    for bad in [
        ["--concurrency", "0"],
        ["--rate", "fast"],
        ["--retries", "x"],
    ] {
        let r = run(&mut batch(&sb, &server, &ok, &bad));
        assert_eq!(r.code, 2, "{bad:?}");
    }
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 0);
    // No token: exit 3 before anything is sent.
    let mut c = batch(&sb, &server, &ok, &[]);
    c.env_remove("AIRUDDER_TOKEN");
    assert_eq!(run(&mut c).code, 3);
}

#[test]
fn reads_cases_from_stdin() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let mut c = sb.cmd();
    c.env("AIRUDDER_TOKEN", TOKEN)
        .args(["--base-url", &server.url, "batch", "-"])
        .write_stdin("workflow_id,node_id,callee\nw,n,+ok-1\nw,n,+e404-2\n");
    let r = run(&mut c);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(oks(&r.lines), [1]);
    assert_eq!(r.lines.len(), 2);
}

/// Ctrl-C: no new cases, those in flight finish and are written, a summary, exit 130; then
/// `--resume` finishes the rest.
#[cfg(unix)]
#[test]
fn ctrl_c_finishes_the_cases_in_flight_and_resume_does_the_rest() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let callees = callees(&["hold"; 6]);
    let path = sb.write("cases.csv", &csv(&callees));
    let mut cmd = StdCommand::new(BIN);
    cmd.env_clear()
        .envs(sb.env())
        .env("AIRUDDER_TOKEN", TOKEN)
        .args(["--base-url", &server.url, "batch"])
        .arg(&path)
        .args(["--concurrency", "2"])
        .current_dir(sb.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });

    // Two requests held at the server.
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.stats().in_flight.load(Ordering::SeqCst) < 2 {
        assert!(
            Instant::now() < deadline,
            "the batch never sent two requests"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut seen = Vec::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no 'stopping' message; stderr so far: {seen:?}"));
        let stopping = line.contains("stopping");
        seen.push(line);
        if stopping {
            break;
        }
    }
    assert!(
        seen.last()
            .unwrap()
            .contains("finishing the 2 lookups in flight"),
        "{seen:?}"
    );
    server.release.send(true).unwrap();
    let out = child.wait_with_output().expect("wait");
    let rest: Vec<String> = rx.iter().collect();
    assert_eq!(out.status.code(), Some(130), "{rest:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows(&lines), [1, 2]);
    assert_eq!(oks(&lines), [1, 2]);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 2);
    let rest = rest.join("\n");
    assert!(rest.contains("2 of 6 rows answered"), "{rest}");
    assert!(rest.contains("--resume"), "{rest}");

    let out_path = sb.write("out.jsonl", &stdout);
    let r = run(&mut batch(
        &sb,
        &server,
        &path,
        &["--resume", out_path.to_str().unwrap()],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rows(&r.lines), [3, 4, 5, 6]);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 6);
}

/// With an APPKey and APPSecret, the first lookup signs in alone and the others reuse its
/// token; refused keys stop the batch at once instead of signing in for every row.
#[test]
fn signing_in_happens_once_and_refused_keys_stop_the_batch() {
    let server = stand_in(Duration::from_millis(5));
    let sb = Sandbox::new();
    let callees = callees(&["ok"; 8]);
    let path = sb.write("cases.csv", &csv(&callees));
    let with_keys = |secret: &str| {
        let mut c = sb.cmd();
        c.env("AIRUDDER_APP_KEY", APP_KEY)
            .env("AIRUDDER_APP_SECRET", secret)
            .args(["--base-url", &server.url, "batch"])
            .arg(&path);
        c
    };
    let r = run(&mut with_keys(APP_SECRET));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(oks(&r.lines), (1..=8).collect::<Vec<u64>>());
    assert_eq!(server.stats().sign_ins.load(Ordering::SeqCst), 1);
    assert!(server.stats().max_in_flight.load(Ordering::SeqCst) > 1);

    let sb2 = Sandbox::new();
    let mut c = sb2.cmd();
    c.env("AIRUDDER_APP_KEY", APP_KEY)
        .env("AIRUDDER_APP_SECRET", "wrong-secret")
        .args(["--base-url", &server.url, "batch"])
        .arg(&path);
    let before = server.stats().sign_ins.load(Ordering::SeqCst);
    let r = run(&mut c);
    assert_eq!(r.code, 15, "{}", r.stderr);
    assert_eq!(server.stats().sign_ins.load(Ordering::SeqCst) - before, 1);
    assert_eq!(
        r.lines.len(),
        1,
        "the row that met the refusal has its line"
    );
    assert!(r.stderr.contains("sign-in refused"), "{}", r.stderr);
    assert!(!r.stderr.contains("wrong-secret"));
}

/// `--save DIR`: every answer in its own file, byte for byte as served, private, named by
/// row and callee, each line saying where; `open` reads a saved file; `--resume` asks again
/// only what is not saved.
#[cfg(unix)]
#[test]
fn save_keeps_every_answer_as_received_and_resume_asks_what_is_not_saved() {
    use std::os::unix::fs::PermissionsExt;
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let callees = callees(&["ok", "ok", "norecord", "", "ok", "flaky"]);
    let path = sb.write("cases.csv", &csv(&callees));
    let dir = sb.path("saved/answers");
    let save = ["--save", dir.to_str().unwrap()];
    let r = run(&mut batch(&sb, &server, &path, &save));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(oks(&r.lines), [1, 2, 5, 6]);
    for line in &r.lines {
        let row = line["row"].as_u64().unwrap();
        let callee = &callees[row as usize - 1];
        if line["ok"] != Value::Bool(true) {
            assert_eq!(line["saved"], Value::Null, "{line}");
            continue;
        }
        let saved = std::path::PathBuf::from(line["saved"].as_str().expect("a path"));
        assert_eq!(saved, dir.join(format!("{row:04}-{callee}.json")));
        assert_eq!(std::fs::read(&saved).unwrap(), good_body(callee).as_bytes());
        let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", saved.display());
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        4,
        "nothing else in DIR"
    );

    let one = dir.join(format!("0002-{}.json", callees[1]));
    assert!(open_json(&sb, &one).contains(&format!("name of {}", callees[1])));

    // Row 5's file is gone: only it is asked again.
    std::fs::remove_file(dir.join(format!("0005-{}.json", callees[4]))).unwrap();
    let earlier = r
        .lines
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect::<String>();
    let out = sb.write("out.jsonl", &earlier);
    let server = stand_in(Duration::ZERO);
    let mut resume = save.to_vec();
    resume.extend(["--resume", out.to_str().unwrap()]);
    let r = run(&mut batch(&sb, &server, &path, &resume));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rows(&r.lines), [5]);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 1);
    assert!(dir.join(format!("0005-{}.json", callees[4])).is_file());
}

/// What `batch --save DIR` leaves (the answers, and its lines beside them) is a review: every
/// row a case, the failed lookups with their reasons.
#[test]
fn a_saved_batch_is_a_review_with_its_failed_rows() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let callees = callees(&["ok", "ok", "norecord", "", "ok", "flaky"]);
    let path = sb.write("cases.csv", &csv(&callees));
    let dir = sb.path("day");
    let r = run(&mut batch(
        &sb,
        &server,
        &path,
        &["--save", dir.to_str().unwrap()],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: String = r.lines.iter().map(|l| l.to_string() + "\n").collect();
    std::fs::write(dir.join("batch.jsonl"), lines).unwrap();
    let out = sb
        .cmd()
        .args(["review", dir.to_str().unwrap(), "--summary"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cases"], 6, "{v}");
    assert_eq!(v["reviewed"], 0);
    let failed: Vec<u64> = v["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["row"].as_u64().unwrap())
        .collect();
    assert_eq!(failed, [3, 4], "{v}");
    assert!(
        v["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("lookup failed:"),
        "{v}"
    );
    // Every saved answer is read: four intentions counted.
    let counted = sum_of_counts(&v["intention"]);
    assert_eq!(counted, 4, "{v}");
}

/// With the AES transport, what is saved is the decrypted answer, which `open` reads back.
#[test]
fn save_keeps_the_decrypted_answer_of_the_aes_transport() {
    use rudder_inspect::api::Secret;
    use rudder_inspect::api::aes::{self, AesKey};
    const KEY: &str = "0123456789abcdef0123456789abcdef";
    let plain = good_body("+ok-1");
    let key = AesKey::new(Secret::labelled("k", KEY)).unwrap();
    let sealed = key.encrypt(plain.as_bytes());
    let signed = aes::sign(plain.as_bytes());
    let app = Router::new().route(
        rudder_inspect::api::VERIFY_PATH,
        post(move || async move {
            (
                [
                    (aes::HEADER_ENCRYPTED, "1"),
                    (aes::HEADER_SIGNED, signed.as_str()),
                ],
                sealed.clone(),
            )
                .into_response()
        }),
    );
    let url = serve(app);
    let sb = Sandbox::new();
    let path = sb.write("cases.csv", "workflow_id,node_id,callee\nw,n,+ok-1\n");
    let dir = sb.path("saved");
    let mut c = sb.cmd();
    c.env("AIRUDDER_TOKEN", TOKEN)
        .env("AIRUDDER_AES_KEY", KEY)
        .args(["--base-url", &url, "batch"])
        .arg(&path)
        .arg("--save")
        .arg(&dir);
    let r = run(&mut c);
    assert_eq!(oks(&r.lines), [1], "{}", r.stderr);
    let saved = dir.join("0001-+ok-1.json");
    assert_eq!(std::fs::read(&saved).unwrap(), plain.as_bytes());
    assert!(open_json(&sb, &saved).contains("name of +ok-1"));
}

/// `open FILE --output json`, which must succeed: what it printed.
fn open_json(sb: &Sandbox, file: &std::path::Path) -> String {
    let out = sb
        .cmd()
        .arg("open")
        .arg(file)
        .args(["--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The largest peak resident size of the children this test binary waited for, in bytes.
#[cfg(unix)]
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    // Linux counts ru_maxrss in KiB.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

/// `batch -` reading `stdin`, its stderr piped.
fn spawn_on_stdin(
    sb: &Sandbox,
    server: &StandIn,
    stdin: Stdio,
    stdout: Stdio,
) -> std::process::Child {
    StdCommand::new(BIN)
        .env_clear()
        .envs(sb.env())
        .env("AIRUDDER_TOKEN", TOKEN)
        .args(["--base-url", &server.url, "batch", "-"])
        .current_dir(sb.dir.path())
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Waits for `child` to end, killing it after `limit`.
fn wait_at_most(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A device, a FIFO or a directory as the CSV is refused at once, naming it; an endless
/// stream on stdin is refused at its first mebibyte, in bounded memory.
#[cfg(unix)]
#[test]
fn endless_and_special_inputs_are_refused_at_once() {
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let fifo = sb.path("cases.fifo");
    assert!(
        StdCommand::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (path, says) in [
        (std::path::PathBuf::from("/dev/zero"), "is a device"),
        (fifo, "named pipe"),
        (sb.path(""), "is a directory"),
    ] {
        let r = run(batch(&sb, &server, &path, &[]).timeout(Duration::from_secs(20)));
        assert_eq!(r.code, 13, "{}", r.stderr);
        assert!(
            r.stderr.contains(&path.display().to_string()),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(says), "{}", r.stderr);
    }

    let mut child = spawn_on_stdin(
        &sb,
        &server,
        std::fs::File::open("/dev/zero").unwrap().into(),
        Stdio::null(),
    );
    let status = wait_at_most(&mut child, Duration::from_secs(20));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(13), "{stderr}");
    assert!(
        stderr.contains("standard input: line 1: the header is longer than 1 MiB"),
        "{stderr}"
    );
    let peak = children_peak_rss();
    assert!(peak < 100 << 20, "a child peaked at {} MiB", peak >> 20);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 0);
}

#[test]
fn a_row_past_a_mebibyte_is_refused_with_its_line_and_the_rows_before_are_answered() {
    // One lookup at a time, each slow: the long row is met while row 1 is in flight and
    // row 2 waits its turn; both are still answered.
    let server = stand_in(Duration::from_millis(50));
    let sb = Sandbox::new();
    let huge = "9".repeat(2 << 20);
    let text =
        format!("workflow_id,node_id,callee\nw,n,+ok-1\nw,n,+ok-2\n\nw,n,+{huge}\nw,n,+ok-5\n");
    let path = sb.write("cases.csv", &text);
    let r = run(&mut batch(&sb, &server, &path, &["--concurrency", "1"]));
    assert_eq!(r.code, 13, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cases.csv: line 5: a row longer than 1 MiB: is this a CSV file?"),
        "{}",
        r.stderr
    );
    assert_eq!(oks(&r.lines), [1, 2], "{}", r.stderr);
    assert_eq!(r.lines.len(), 2);
    assert_eq!(server.stats().total.load(Ordering::SeqCst), 2);
}

/// From a pipe that sends one row and stalls, that row is asked (and its line written)
/// before the input ends.
#[test]
fn rows_from_a_slow_pipe_are_asked_as_they_come() {
    use std::io::Write;
    let server = stand_in(Duration::ZERO);
    let sb = Sandbox::new();
    let mut child = spawn_on_stdin(&sb, &server, Stdio::piped(), Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"workflow_id,node_id,callee\nw,n,+ok-1\n")
        .unwrap();
    stdin.flush().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(20));
    let asked = server.stats().attempts("+ok-1");
    // The input ends only now.
    stdin.write_all(b"w,n,+ok-2\n").unwrap();
    drop(stdin);
    let status = wait_at_most(&mut child, Duration::from_secs(20));
    let first: Value =
        serde_json::from_str(&first.expect("no line while the input was open")).unwrap();
    assert_eq!(asked, 1);
    assert_eq!(
        (first["row"].as_u64(), first["ok"].as_bool()),
        (Some(1), Some(true))
    );
    let second: Value = serde_json::from_str(&rx.recv().unwrap()).unwrap();
    assert_eq!(second["row"], 2);
    assert_eq!(status.code(), Some(0));
}

#[test]
fn completions_for_every_shell_mention_the_subcommands() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = sb.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(!s.is_empty());
        for word in ["verify", "batch", "query", "theme", "concurrency"] {
            assert!(
                s.contains(word),
                "{shell} completions do not mention {word}"
            );
        }
    }
    let out = sb.cmd().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
