//! `rudder-inspect batch CASES.csv`: many lookups, one JSON line per case on stdout.
//!
//! - The CSV has a header naming `workflow_id`, `node_id` and `callee` (`case_id` optional;
//!   any order, other columns ignored; names are matched without regard to case).
//! - Every row gets exactly one output line, in input order, with its `row` number (1 is the
//!   first row under the header). A bad row (a required value empty, the wrong number of
//!   fields, text that is not UTF-8) is reported on stderr with its line number and not sent;
//!   its output line says `"ok": false` with the reason, so the output always has one line
//!   per row and `--resume` counts it as answered.
//! - At most `--concurrency` lookups at once, starts spaced by `--rate`; transient failures
//!   (connect errors, timeouts, HTTP 5xx and 429) are retried `--retries` times with an
//!   exponential backoff, a 429's `Retry-After` honoured (it pauses every lookup); other
//!   failures (4xx, no record, the API's refusals) are answers, not retried.
//! - A refused sign-in or a missing token stops the batch: every other row would fail the
//!   same way (and hammer the sign-in endpoint).
//! - Ctrl-C stops taking new cases, lets those in flight finish, writes their lines, and
//!   prints a summary (exit 130; a second Ctrl-C abandons the cases in flight). Rows not
//!   answered are simply absent: `--resume OUT.jsonl` picks them up later.
//!
//! Exit 0 when every row got a line (ok or not); 2 for a usage error (a header without the
//! required columns); 13 when the CSV, the resume file or stdout cannot be read or written;
//! 130 when interrupted; the error's own code when the batch could not run at all.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use serde_json::{Map, Value, json};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::ConnArgs;
use super::conn::{print_warnings, resolve};
use crate::api::tolerant::Scalar;
use crate::api::{ApiError, Auth, Data, Query, Session};
use crate::case::CaseFacts;

/// The exit code of a batch stopped by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;
/// The exit code of a usage error (as clap's).
pub const EXIT_USAGE: u8 = 2;
/// The exit code when a file cannot be read or written (as [`ApiError::File`]'s).
pub const EXIT_FILE: u8 = 13;
/// The longest wait a `Retry-After` can impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);
/// The longest backoff between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// The cases: CSV with a header naming workflow_id, node_id, callee [, case_id]; `-` reads stdin
    #[arg(value_name = "CASES.csv")]
    pub file: PathBuf,
    /// Lookups at once
    #[arg(long, short = 'j', value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Start at most R lookups a second (`5`, `5/s`, `0.5/s`, `120/min`)
    #[arg(long, value_name = "R/s", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Skip the rows already answered in this earlier output (append to it with >>)
    #[arg(long, value_name = "OUT.jsonl")]
    pub resume: Option<PathBuf>,
    /// Retries of a transient failure (connect error, timeout, HTTP 5xx or 429); 0 for none
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=20))]
    pub retries: u32,
    /// The first wait before a retry, in seconds; it doubles each time (Retry-After wins)
    #[arg(long, value_name = "SECS", default_value_t = 0.5, value_parser = parse_secs)]
    pub backoff: f64,
}

/// `5`, `5/s`, `0.5/sec`, `120/min`, `3600/h`: lookups per second.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, per) = match t.split_once('/') {
        None => (t.as_str(), 1.0),
        Some((n, unit)) => (
            n,
            match unit.trim() {
                "s" | "sec" | "second" => 1.0,
                "m" | "min" | "minute" => 60.0,
                "h" | "hour" => 3600.0,
                _ => return Err(format!("{s:?}: the unit is /s, /min or /h")),
            },
        ),
    };
    num.trim()
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r > 0.0)
        .map(|r| r / per)
        .ok_or_else(|| format!("{s:?} is not a rate like 5/s or 120/min"))
}

fn parse_secs(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=60.0).contains(v))
        .ok_or_else(|| format!("{s:?} is not a number of seconds between 0 and 60"))
}

// ---------------------------------------------------------------------------------------
// Reading the cases

/// One data row of the CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1 for the first row under the header.
    pub row: u64,
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    /// The recognised columns as given (trimmed).
    pub input: Map<String, Value>,
    /// The query, or why the row cannot be sent.
    pub case: Result<Query, String>,
}

/// Why the cases could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvError {
    /// The header lacks required columns (a usage error).
    Header(String),
    /// The file could not be read.
    Io(String),
}

const COLUMNS: [&str; 4] = ["workflow_id", "node_id", "callee", "case_id"];

/// A header name as matched: trimmed, no BOM, lower case, `-` and spaces as `_`.
fn column_name(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
        .replace(['-', ' '], "_")
}

/// Reads the cases. Blank lines are skipped; every other record is a row.
pub fn read_cases(bytes: &[u8]) -> Result<Vec<Row>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = reader.byte_headers().map_err(|e| match e.kind() {
        csv::ErrorKind::Io(io) => CsvError::Io(io.to_string()),
        _ => CsvError::Header(format!("the header cannot be read: {e}")),
    })?;
    let names: Vec<String> = header
        .iter()
        .map(|h| column_name(&String::from_utf8_lossy(h)))
        .collect();
    let width = names.len();
    // Where each known column is (the first of duplicates).
    let mut at: [Option<usize>; 4] = [None; 4];
    for (slot, col) in at.iter_mut().zip(COLUMNS) {
        *slot = names.iter().position(|n| n == col);
    }
    let missing: Vec<&str> = COLUMNS[..3]
        .iter()
        .zip(at)
        .filter(|(_, a)| a.is_none())
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::Header(format!(
            "the header has no {} column{} (it needs workflow_id, node_id and callee; case_id is optional)",
            missing.join(", "),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }

    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut n = 0u64;
    // The reader's own line count misses blank lines: count from the byte offsets.
    let mut lines = LineCounter::new(bytes);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let line = record.position().map_or(0, |p| lines.at(p.byte()));
                rows.push(row_of(n, line, &record, &at, width));
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(io) => return Err(CsvError::Io(io.to_string())),
                _ => {
                    n += 1;
                    let line = e.position().map_or(0, |p| lines.at(p.byte()));
                    rows.push(Row {
                        row: n,
                        line,
                        input: Map::new(),
                        case: Err(crate::text::one_line(&e.to_string())),
                    });
                }
            },
        }
    }
    Ok(rows)
}

/// Line numbers (from 1) of byte offsets that only grow.
struct LineCounter<'a> {
    bytes: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            byte: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let mut to = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // A record after blank lines "starts" at the first of them.
        while self
            .bytes
            .get(to)
            .is_some_and(|b| matches!(b, b'\n' | b'\r'))
        {
            to += 1;
        }
        if to > self.byte {
            self.line += self.bytes[self.byte..to]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.byte = to;
        }
        self.line
    }
}

fn row_of(
    n: u64,
    line: u64,
    record: &csv::ByteRecord,
    at: &[Option<usize>; 4],
    width: usize,
) -> Row {
    let mut input = Map::new();
    let mut problems = Vec::new();
    let mut values: [Option<String>; 4] = Default::default();
    for ((col, idx), value) in COLUMNS.iter().zip(at).zip(values.iter_mut()) {
        let Some(field) = idx.and_then(|i| record.get(i)) else {
            continue;
        };
        match std::str::from_utf8(field) {
            Ok(s) => {
                input.insert((*col).to_string(), Value::String(s.to_string()));
                *value = Some(s.to_string());
            }
            Err(_) => problems.push(format!("{col} is not UTF-8 text")),
        }
    }
    if record.len() != width {
        problems.insert(
            0,
            format!(
                "{} field{} where the header has {width}",
                record.len(),
                if record.len() == 1 { "" } else { "s" }
            ),
        );
    }
    let [workflow_id, node_id, callee, case_id] = values;
    for (col, v) in COLUMNS.iter().zip([&workflow_id, &node_id, &callee]) {
        if v.as_deref().is_none_or(str::is_empty) && problems.is_empty() {
            problems.push(format!("{col} is empty"));
        }
    }
    let case = if problems.is_empty() {
        Ok(Query {
            workflow_id: workflow_id.unwrap_or_default(),
            node_id: node_id.unwrap_or_default(),
            callee: callee.unwrap_or_default(),
            case_id: case_id.filter(|s| !s.is_empty()),
        })
    } else {
        Err(problems.join("; "))
    };
    Row {
        row: n,
        line,
        input,
        case,
    }
}

/// The rows a previous output answered, and how many of its lines named another case than
/// the same row of this CSV (those rows are asked again).
pub fn answered_rows(text: &str, rows: &[Row]) -> (HashSet<u64>, usize) {
    let by_row: HashMap<u64, &Row> = rows.iter().map(|r| (r.row, r)).collect();
    let mut done = HashSet::new();
    let mut other = 0;
    for line in text.lines() {
        // A line cut short by a crash is not an answer.
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(n) = v.get("row").and_then(Value::as_u64) else {
            continue;
        };
        let same = by_row.get(&n).is_some_and(|r| match v.get("input") {
            Some(Value::Object(prev)) => ["workflow_id", "node_id", "callee"]
                .iter()
                .all(|k| prev.get(*k) == r.input.get(*k)),
            _ => true,
        });
        if same {
            done.insert(n);
        } else if by_row.contains_key(&n) {
            other += 1;
        }
    }
    (done, other)
}

// ---------------------------------------------------------------------------------------
// Output lines

fn text(v: &Scalar) -> Value {
    v.value()
        .map(|t| Value::String(crate::text::clean(t).into_owned()))
        .unwrap_or(Value::Null)
}

/// The one-look summary of a push.
pub fn summary(data: &Data) -> Value {
    let facts = CaseFacts::derive(data);
    let stats = &facts.transcript.stats;
    json!({
        "callee_name": text(&data.callee.callee_name),
        "call_id": text(&data.call.call_id),
        "call_start_time": text(&data.call.call_start_time),
        "intention": text(&data.call.intention),
        "hangup_type": text(&data.call.hangup_type),
        "qa_match": facts.tally.matched,
        "qa_mismatch": facts.tally.mismatched,
        "turns": stats.robot_turns + stats.callee_turns,
    })
}

/// What became of one row.
#[derive(Debug)]
enum Answered {
    Ok { summary: Value, attempts: u32 },
    Failed { error: ApiError, attempts: u32 },
    Bad(String),
}

/// The JSON line for a row.
fn line_for(row: &Row, answered: &Answered) -> String {
    let (ok, error, kind, attempts, summary) = match answered {
        Answered::Ok { summary, attempts } => (true, None, None, *attempts, summary.clone()),
        Answered::Failed { error, attempts } => (
            false,
            Some(error.message()),
            Some(error.short()),
            *attempts,
            Value::Null,
        ),
        Answered::Bad(why) => (
            false,
            Some(format!("line {}: {why}; not sent", row.line)),
            Some("bad row"),
            0,
            Value::Null,
        ),
    };
    let v = json!({
        "row": row.row,
        "line": row.line,
        "input": row.input,
        "ok": ok,
        "error": error,
        "error_kind": kind,
        "attempts": attempts,
        "summary": summary,
    });
    serde_json::to_string(&v).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Pacing and retries

/// Spaces the starts of requests (`--rate`) and holds them all while the server asked to
/// wait (a 429's `Retry-After`).
#[derive(Debug)]
struct Gate {
    period: Option<Duration>,
    state: Mutex<GateState>,
}

#[derive(Debug)]
struct GateState {
    next_start: Instant,
    paused_until: Instant,
}

impl Gate {
    fn new(rate: Option<f64>) -> Self {
        let now = Instant::now();
        Gate {
            period: rate.map(|r| Duration::from_secs_f64((1.0 / r).min(86_400.0))),
            state: Mutex::new(GateState {
                next_start: now,
                paused_until: now,
            }),
        }
    }

    /// Waits for this request's turn: a rate slot of its own, and no pause in force.
    async fn wait(&self) {
        let mut have_slot = false;
        loop {
            let at = {
                let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                if s.paused_until > now {
                    s.paused_until
                } else if have_slot {
                    return;
                } else {
                    let slot = s.next_start.max(now);
                    if let Some(p) = self.period {
                        s.next_start = slot + p;
                    }
                    if slot <= now {
                        return;
                    }
                    have_slot = true;
                    slot
                }
            };
            tokio::time::sleep_until(at).await;
        }
    }

    /// Holds every request until `until`.
    fn pause(&self, until: Instant) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.paused_until = s.paused_until.max(until);
    }
}

/// Worth another try: the network, a timeout, the server's trouble or its rate limit.
pub fn transient(e: &ApiError) -> bool {
    match e {
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Network { .. } => true,
        ApiError::Http { status, .. } => *status == 429 || *status >= 500,
        _ => false,
    }
}

/// Errors every row would meet: the batch stops at the first.
fn fatal(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::NoToken
            | ApiError::Credentials { .. }
            | ApiError::Config { .. }
            | ApiError::InsecureUrl { .. }
            | ApiError::BadUrl { .. }
    )
}

/// `Retry-After`: seconds (`7`, `1.5`) or an HTTP date; capped at ten minutes.
pub fn retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    let d = if let Ok(secs) = v.parse::<f64>() {
        (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e6)))?
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
        let ms = (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_milliseconds();
        Duration::from_millis(ms.max(0) as u64)
    };
    Some(d.min(MAX_RETRY_AFTER))
}

/// The wait before retry number `attempt` (0 for the first retry): `base`·2^attempt, capped,
/// plus up to a quarter more so that many lookups do not retry in step.
fn backoff(base: Duration, attempt: u32, salt: u64) -> Duration {
    let d = base
        .saturating_mul(1u32 << attempt.min(16))
        .min(MAX_BACKOFF);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos() as u64);
    let jitter = (nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) % 1000;
    d + d.mul_f64(jitter as f64 / 4000.0)
}

#[derive(Debug, Clone, Copy)]
struct Policy {
    retries: u32,
    backoff: Duration,
}

/// One lookup with its retries; `None` when Ctrl-C came while it waited to (re)start.
async fn lookup(
    session: Session,
    query: Query,
    gate: Arc<Gate>,
    policy: Policy,
    stop: CancellationToken,
    salt: u64,
    sending: Arc<AtomicUsize>,
) -> Option<Answered> {
    let mut attempt = 0u32;
    loop {
        tokio::select! {
            biased;
            _ = stop.cancelled() => return None,
            _ = gate.wait() => {}
        }
        attempt += 1;
        sending.fetch_add(1, Ordering::SeqCst);
        let result = session.verify(&query).await;
        sending.fetch_sub(1, Ordering::SeqCst);
        let error = match result {
            Ok(answer) => {
                return Some(Answered::Ok {
                    summary: summary(answer.data()),
                    attempts: attempt,
                });
            }
            Err(e) => e,
        };
        if !transient(&error) || attempt > policy.retries {
            return Some(Answered::Failed {
                error,
                attempts: attempt,
            });
        }
        let wait = match &error {
            ApiError::Http {
                status: 429,
                retry_after: after,
                ..
            } => {
                // The server said how long: every lookup waits that long. Without a
                // Retry-After, only this one backs off.
                match after.as_deref().and_then(retry_after) {
                    Some(wait) => {
                        gate.pause(Instant::now() + wait);
                        wait
                    }
                    None => backoff(policy.backoff, attempt - 1, salt),
                }
            }
            _ => backoff(policy.backoff, attempt - 1, salt),
        };
        tracing::info!(
            attempt,
            wait_ms = wait.as_millis() as u64,
            "retrying: {}",
            error.short()
        );
        tokio::select! {
            biased;
            _ = stop.cancelled() => return None,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Ctrl-C

struct Interrupts {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    /// Registers at once, so a Ctrl-C from now on is never lost.
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Interrupts {
                signal: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Interrupts {}
        }
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        match self.signal.as_mut() {
            Some(s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Progress and output

fn progress(len: u64) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    // Hidden when stderr is not a terminal (indicatif checks) or for a dumb terminal.
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} · {msg} · ETA {eta}",
    ) {
        pb.set_style(style.progress_chars("█▉▊▋▌▍▎▏ ").tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "));
    }
    if !pb.is_hidden() {
        pb.enable_steady_tick(Duration::from_millis(200));
    }
    pb
}

/// Writes the lines of the rows in input order; rows answered early wait for those before.
struct Output<W: Write> {
    out: W,
    waiting: BTreeMap<usize, String>,
    next: usize,
    failed: Option<std::io::Error>,
}

impl<W: Write> Output<W> {
    fn new(out: W) -> Self {
        Output {
            out,
            waiting: BTreeMap::new(),
            next: 0,
            failed: None,
        }
    }

    /// Files the line for the `i`th row to ask and writes every line that can go now.
    fn put(&mut self, i: usize, line: String) {
        self.waiting.insert(i, line);
        let mut wrote = false;
        while let Some(line) = self.waiting.remove(&self.next) {
            self.write(&line);
            self.next += 1;
            wrote = true;
        }
        if wrote {
            self.flush();
        }
    }

    /// The `i`th row gets no line (Ctrl-C came before it was sent).
    fn skip(&mut self, i: usize) {
        self.put(i, String::new());
    }

    /// Writes whatever waits (after an interruption, around the rows that got no line).
    fn finish(&mut self) {
        for (_, line) in std::mem::take(&mut self.waiting) {
            self.write(&line);
        }
        self.flush();
    }

    fn write(&mut self, line: &str) {
        if line.is_empty() || self.failed.is_some() {
            return;
        }
        if let Err(e) = self
            .out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
        {
            self.failed = Some(e);
        }
    }

    fn flush(&mut self) {
        if self.failed.is_none()
            && let Err(e) = self.out.flush()
        {
            self.failed = Some(e);
        }
    }
}

#[derive(Debug, Default)]
struct Counts {
    ok: usize,
    failed: usize,
    bad: usize,
}

impl Counts {
    fn add(&mut self, a: &Answered) {
        match a {
            Answered::Ok { .. } => self.ok += 1,
            Answered::Failed { .. } => self.failed += 1,
            Answered::Bad(_) => self.bad += 1,
        }
    }

    fn done(&self) -> usize {
        self.ok + self.failed + self.bad
    }

    fn words(&self) -> String {
        let mut s = format!("{} ok, {} failed", self.ok, self.failed);
        if self.bad > 0 {
            s.push_str(&format!(", {} bad row{}", self.bad, plural(self.bad)));
        }
        s
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

// ---------------------------------------------------------------------------------------
// The run

fn read_input(path: &Path) -> Result<Vec<u8>, ApiError> {
    let shown = || path.display().to_string();
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf).map_err(|e| {
            ApiError::File {
                path: "standard input".into(),
                detail: e.to_string(),
            }
        })?;
        return Ok(buf);
    }
    std::fs::read(crate::config::expand_tilde(path)).map_err(|e| ApiError::File {
        path: shown(),
        detail: e.to_string(),
    })
}

pub async fn run(conn_args: &ConnArgs, args: &BatchArgs) -> Result<ExitCode, ApiError> {
    let bytes = read_input(&args.file)?;
    let rows = match read_cases(&bytes) {
        Ok(rows) => rows,
        Err(CsvError::Header(why)) => {
            eprintln!("error: {}: {why}", args.file.display());
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(CsvError::Io(detail)) => {
            return Err(ApiError::File {
                path: args.file.display().to_string(),
                detail,
            });
        }
    };
    drop(bytes);

    let mut done = HashSet::new();
    if let Some(path) = &args.resume {
        match std::fs::read(crate::config::expand_tilde(path)) {
            Ok(b) => {
                let (d, other) = answered_rows(&String::from_utf8_lossy(&b), &rows);
                if other > 0 {
                    eprintln!(
                        "warning: {other} line{} of {} answer another case than the same row of {}; asking again",
                        plural(other),
                        path.display(),
                        args.file.display()
                    );
                }
                if d.is_empty() && b.is_empty() {
                    eprintln!(
                        "note: {} is empty (if it is also the output, append with >> rather than >)",
                        path.display()
                    );
                }
                done = d;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!(
                    "note: {} does not exist yet: nothing to resume",
                    path.display()
                );
            }
            Err(e) => {
                return Err(ApiError::File {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                });
            }
        }
    }
    let todo: Vec<Row> = rows
        .into_iter()
        .filter(|r| !done.contains(&r.row))
        .collect();
    let skipped = done.len();

    let loaded = crate::config::load(conn_args.config.as_deref());
    let conn = resolve(conn_args, &loaded)?;
    print_warnings(&conn.warnings);
    let signs_in = matches!(conn.auth, Some(Auth::SignIn { .. }));
    let needs_session = todo.iter().any(|r| r.case.is_ok());
    let session = if needs_session {
        Some(conn.session()?)
    } else {
        None
    };
    tracing::info!(rows = todo.len(), skipped, "batch");

    let stdout = std::io::stdout();
    let mut output = Output::new(std::io::BufWriter::new(stdout.lock()));
    let outcome = drive(todo, session, signs_in, args, &mut output).await;
    output.finish();

    let Outcome {
        counts,
        total,
        interrupted,
        fatal,
        elapsed,
    } = outcome;
    let mut summary = format!(
        "{} of {total} row{} answered: {} in {:.1} s",
        counts.done(),
        plural(total),
        counts.words(),
        elapsed.as_secs_f64()
    );
    if skipped > 0 {
        summary.push_str(&format!(" ({skipped} already answered, skipped)"));
    }
    eprintln!("{summary}");
    if let Some(e) = output.failed {
        eprintln!("error: cannot write the output: {e}");
        return Ok(ExitCode::from(EXIT_FILE));
    }
    if let Some(e) = fatal {
        eprintln!("stopped: every row would fail the same way");
        return Err(e);
    }
    if interrupted {
        let left = total - counts.done();
        eprintln!(
            "interrupted: {left} row{} not answered; run again with --resume OUT.jsonl (appending with >>) to finish",
            plural(left)
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(ExitCode::SUCCESS)
}

struct Outcome {
    counts: Counts,
    total: usize,
    interrupted: bool,
    fatal: Option<ApiError>,
    elapsed: Duration,
}

async fn drive<W: Write>(
    todo: Vec<Row>,
    session: Option<Session>,
    signs_in: bool,
    args: &BatchArgs,
    output: &mut Output<W>,
) -> Outcome {
    let started = Instant::now();
    let total = todo.len();
    let n = usize::from(args.concurrency.max(1));
    // Signing in: the first lookup goes alone so that the others reuse its token.
    let sem = Arc::new(Semaphore::new(if signs_in { 1 } else { n }));
    let mut primed = !signs_in;
    let gate = Arc::new(Gate::new(args.rate));
    let policy = Policy {
        retries: args.retries,
        backoff: Duration::from_secs_f64(args.backoff),
    };
    let stop = CancellationToken::new();
    let sending = Arc::new(AtomicUsize::new(0));
    let mut interrupts = Interrupts::new();
    let pb = progress(total as u64);
    let mut counts = Counts::default();
    let mut tasks: JoinSet<Option<Answered>> = JoinSet::new();
    // Each lookup's row and permit. The permit goes back here, when its line is filed, not
    // when the task ends: a permit freed before the loop hears of the result could start the
    // next lookup before, say, a refused sign-in stops the batch.
    let mut running: HashMap<tokio::task::Id, (usize, OwnedSemaphorePermit)> = HashMap::new();
    let mut next = 0usize;
    let mut interrupted = false;
    let mut fatal_error: Option<ApiError> = None;

    pb.set_message(counts.words());
    loop {
        // Bad rows are answered in their turn, without a request.
        while !interrupted && fatal_error.is_none() && next < total {
            let Err(why) = &todo[next].case else {
                break;
            };
            let row = &todo[next];
            pb.suspend(|| eprintln!("line {}: {why}; row {} skipped", row.line, row.row));
            let a = Answered::Bad(why.clone());
            counts.add(&a);
            output.put(next, line_for(row, &a));
            pb.inc(1);
            pb.set_message(counts.words());
            next += 1;
        }
        let taking = !interrupted && fatal_error.is_none() && next < total;
        if !taking && tasks.is_empty() {
            break;
        }
        tokio::select! {
            biased;
            _ = interrupts.recv() => {
                if interrupted {
                    let n = sending.load(Ordering::SeqCst);
                    pb.suspend(|| eprintln!("interrupted again: abandoning {n} lookup{} in flight", plural(n)));
                    tasks.abort_all();
                    break;
                }
                interrupted = true;
                stop.cancel();
                let n = sending.load(Ordering::SeqCst);
                pb.suspend(|| eprintln!(
                    "stopping: no new cases; finishing the {n} lookup{} in flight (Ctrl-C again to abandon them)",
                    plural(n)
                ));
            }
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let (id, result) = match joined {
                    Ok((id, r)) => (id, Some(r)),
                    Err(e) => (e.id(), None),
                };
                let Some((i, _permit)) = running.remove(&id) else { continue };
                if !primed {
                    primed = true;
                    sem.add_permits(n - 1);
                }
                let answered = match result {
                    Some(Some(a)) => a,
                    // Ctrl-C came before it was sent: no line, --resume asks again.
                    Some(None) => {
                        output.skip(i);
                        continue;
                    }
                    None => Answered::Failed {
                        error: ApiError::Network {
                            target: "the batch".into(),
                            detail: "the lookup stopped unexpectedly".into(),
                        },
                        attempts: 0,
                    },
                };
                if let Answered::Failed { error, .. } = &answered
                    && fatal(error)
                    && fatal_error.is_none()
                {
                    fatal_error = Some(error.clone());
                    stop.cancel();
                }
                counts.add(&answered);
                output.put(i, line_for(&todo[i], &answered));
                if output.failed.is_some() && !interrupted {
                    // Nowhere to write: stop as for Ctrl-C.
                    interrupted = true;
                    stop.cancel();
                }
                pb.inc(1);
                pb.set_message(counts.words());
            }
            permit = sem.clone().acquire_owned(), if taking => {
                let Ok(permit) = permit else { break };
                // Bad rows were answered above: this one has a query.
                let Ok(query) = todo[next].case.clone() else { continue };
                let Some(session) = session.clone() else { break };
                let (gate, stop, sending) = (gate.clone(), stop.clone(), sending.clone());
                let salt = todo[next].row;
                let handle = tasks.spawn(lookup(session, query, gate, policy, stop, salt, sending));
                running.insert(handle.id(), (next, permit));
                next += 1;
            }
        }
    }
    // Rows never started get no lines.
    pb.finish_and_clear();
    Outcome {
        counts,
        total,
        interrupted: interrupted && output.failed.is_none(),
        fatal: fatal_error,
        elapsed: started.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> Vec<Row> {
        read_cases(csv.as_bytes()).expect("readable")
    }

    #[test]
    fn header_in_any_order_with_extra_columns() {
        let r = rows(
            "Note,Callee,case_id,NODE_ID,workflow-id\nhi,+15550001,,n1,w1\nx,+15550002,c9,n2,w2\n",
        );
        assert_eq!(r.len(), 2);
        let q = r[0].case.clone().unwrap();
        assert_eq!(
            (
                q.workflow_id.as_str(),
                q.node_id.as_str(),
                q.callee.as_str()
            ),
            ("w1", "n1", "+15550001")
        );
        assert_eq!(q.case_id, None);
        assert_eq!(r[1].case.clone().unwrap().case_id.as_deref(), Some("c9"));
        assert_eq!((r[0].row, r[0].line, r[1].row, r[1].line), (1, 2, 2, 3));
        assert!(!r[0].input.contains_key("note"));
    }

    #[test]
    fn a_bom_and_spaces_in_the_header_are_fine() {
        let r = rows("\u{feff}workflow_id , node_id, callee\nw, n , +1\n");
        assert_eq!(r[0].case.clone().unwrap().node_id, "n");
    }

    #[test]
    fn missing_columns_are_a_header_error() {
        let e = read_cases(b"workflow_id,callee\nw,+1\n").unwrap_err();
        assert!(matches!(&e, CsvError::Header(m) if m.contains("node_id")));
    }

    #[test]
    fn bad_rows_say_why_with_their_line() {
        let r =
            rows("workflow_id,node_id,callee\nw,n,+1\nw,,+2\n\nw,n\nw,n,+3,extra\n\"w\nx\",n,+4\n");
        assert_eq!(r.len(), 5, "the blank line is not a row");
        assert!(r[0].case.is_ok());
        assert_eq!(r[1].case, Err("node_id is empty".into()));
        assert_eq!(r[1].line, 3);
        assert_eq!(r[2].line, 5);
        assert!(
            r[2].case
                .clone()
                .unwrap_err()
                .contains("2 fields where the header has 3")
        );
        assert!(r[3].case.clone().unwrap_err().contains("4 fields"));
        // A quoted field may span lines: the row keeps its first line.
        assert_eq!(r[4].line, 7);
        assert_eq!(r[4].case.clone().unwrap().workflow_id, "w\nx");
    }

    #[test]
    fn text_that_is_not_utf8_is_a_bad_row() {
        let r = read_cases(b"workflow_id,node_id,callee\nw,n\xff,+1\n").unwrap();
        assert!(
            r[0].case
                .clone()
                .unwrap_err()
                .contains("node_id is not UTF-8")
        );
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("5"), Ok(5.0));
        assert_eq!(parse_rate("5/s"), Ok(5.0));
        assert_eq!(parse_rate("120/min"), Ok(2.0));
        assert_eq!(parse_rate("0.5/sec"), Ok(0.5));
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("5/day").is_err());
    }

    #[test]
    fn retry_after_in_seconds_or_a_date() {
        assert_eq!(retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(retry_after("99999"), Some(MAX_RETRY_AFTER));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(100);
        let b0 = backoff(base, 0, 1);
        let b2 = backoff(base, 2, 1);
        assert!(b0 >= base && b0 <= base.mul_f64(1.25));
        assert!(b2 >= base * 4 && b2 <= (base * 4).mul_f64(1.25));
        assert!(backoff(base, 30, 1) <= MAX_BACKOFF.mul_f64(1.25));
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let http = |status| ApiError::Http {
            status,
            reason: String::new(),
            body_start: String::new(),
            retry_after: None,
        };
        assert!(transient(&http(429)) && transient(&http(500)) && transient(&http(503)));
        assert!(!transient(&http(400)) && !transient(&http(404)) && !transient(&http(401)));
        assert!(!transient(&ApiError::NoRecord));
        assert!(!transient(&ApiError::Api {
            code: "500".into(),
            status: "x".into(),
            message: String::new()
        }));
        assert!(transient(&ApiError::Timeout {
            secs: 1,
            target: "t".into()
        }));
    }

    #[test]
    fn resume_reads_row_numbers_of_the_same_cases() {
        let r = rows("workflow_id,node_id,callee\nw,n,+1\nw,n,+2\nw,n,+3\n");
        let prev = [
            line_for(&r[0], &Answered::Bad("x".into())),
            // Row 2 of another CSV.
            r#"{"row":2,"input":{"workflow_id":"w","node_id":"n","callee":"+9"},"ok":true}"#.into(),
            r#"{"row":3,"input":{"workflow_id":"w","node_id":"n","callee":"+3"},"ok":f"#.into(),
        ]
        .join("\n");
        let (done, other) = answered_rows(&prev, &r);
        assert_eq!(done, HashSet::from([1]));
        assert_eq!(other, 1);
    }

    #[test]
    fn summary_of_the_reference_push() {
        let bytes = include_bytes!("../../assets/demo/01-reference.json");
        let doc = crate::api::parse_document(bytes).unwrap();
        let s = summary(doc.data().unwrap());
        assert_eq!(s["callee_name"], "WILL SMITH");
        assert_eq!(s["call_id"], "cd878f6611adxxxxxx1a5a3ec5525b");
        assert_eq!(s["intention"], "E");
        assert_eq!(s["hangup_type"], "ByRobot");
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "callee_name",
                "call_id",
                "call_start_time",
                "intention",
                "hangup_type",
                "qa_match",
                "qa_mismatch",
                "turns"
            ]
        );
        assert!(s["turns"].as_u64().unwrap() > 0);
    }

    #[test]
    fn lines_in_input_order_around_gaps() {
        let mut out = Output::new(Vec::new());
        out.put(1, "b".into());
        out.put(2, "c".into());
        assert!(out.out.is_empty());
        out.put(0, "a".into());
        out.skip(4);
        out.put(5, "f".into());
        out.skip(3);
        out.put(6, "g".into());
        out.put(8, "i".into());
        out.finish();
        assert_eq!(String::from_utf8(out.out).unwrap(), "a\nb\nc\nf\ng\ni\n");
    }

    #[tokio::test(start_paused = true)]
    async fn the_gate_spaces_starts_and_pauses() {
        let gate = Gate::new(Some(10.0));
        let t0 = Instant::now();
        gate.wait().await;
        gate.wait().await;
        gate.wait().await;
        assert_eq!(t0.elapsed(), Duration::from_millis(200));
        gate.pause(Instant::now() + Duration::from_secs(2));
        gate.wait().await;
        assert!(t0.elapsed() >= Duration::from_millis(2200));
        let free = Gate::new(None);
        let t1 = Instant::now();
        for _ in 0..5 {
            free.wait().await;
        }
        assert_eq!(t1.elapsed(), Duration::ZERO);
    }
}
