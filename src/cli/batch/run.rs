//! The driver: reads the cases as they come, skips those already answered, runs the lookups
//! at most `--concurrency` at once, writes their lines, and stops on Ctrl-C, on an error
//! every row would meet, or where the CSV cannot be read further.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::input::{Cases, CsvError, Row, open_input, read_ahead};
use super::output::{Answered, Counts, Output, line_for, plural, progress};
use super::pacing::{Gate, Policy, lookup};
use super::resume::{Earlier, Seen};
use super::save::{SaveDir, settle};
use super::{BatchArgs, EXIT_FILE, EXIT_INTERRUPTED, EXIT_USAGE};
use crate::api::{ApiError, Auth, Session};
use crate::cli::ConnArgs;
use crate::cli::conn::{print_warnings, resolve};

/// Ctrl-C, as a stream of events.
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

pub async fn run(conn_args: &ConnArgs, args: &BatchArgs) -> Result<ExitCode, ApiError> {
    let shown = if args.file.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        args.file.display().to_string()
    };
    let file_error = |detail: String| ApiError::File {
        path: shown.clone(),
        detail,
        cause: None,
    };
    // The header is read before anything is sent: without the required columns, nothing is.
    let cases = match Cases::new(open_input(&args.file)?) {
        Ok(cases) => cases,
        Err(CsvError::Header(why)) => {
            eprintln!("error: {shown}: {why}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(CsvError::Io(detail)) => return Err(file_error(detail)),
    };
    let save = args
        .save
        .as_deref()
        .map(SaveDir::create)
        .transpose()?
        .map(Arc::new);
    let earlier = match &args.resume {
        Some(path) => Earlier::read(path, save.is_some())?,
        None => Earlier::default(),
    };

    let loaded = crate::config::load(conn_args.config.as_deref());
    let conn = resolve(conn_args, &loaded)?;
    print_warnings(&conn.warnings);
    let signs_in = matches!(conn.auth, Some(Auth::SignIn { .. }));
    // Its error (no token, say) stops the batch at the first row to send, not before.
    let session = conn.session();
    tracing::info!("batch");

    let rows = read_ahead(cases)?;
    let stdout = std::io::stdout();
    let mut output = Output::new(std::io::BufWriter::new(stdout.lock()));
    let outcome = drive(rows, &earlier, session, save, signs_in, args, &mut output).await;
    output.finish();

    let Outcome {
        counts,
        total,
        skipped,
        other,
        read_all,
        unreadable,
        interrupted,
        fatal,
        elapsed,
    } = outcome;
    if other > 0 {
        eprintln!(
            "warning: {other} row{} of {} answered another case than the same row of {shown}; asked again",
            plural(other),
            args.resume
                .as_deref()
                .map_or(String::new(), |p| p.display().to_string()),
        );
    }
    let mut summary = format!(
        "{} of {total} row{}{} answered: {} in {:.1} s",
        counts.done(),
        plural(total),
        if read_all { "" } else { " read" },
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
    if let Some(detail) = unreadable {
        return Err(file_error(format!(
            "{detail}; the rows after it were not read"
        )));
    }
    if interrupted {
        let left = total - counts.done();
        eprintln!(
            "interrupted: {left} row{} {}not answered; run again with --resume OUT.jsonl (appending with >>) to finish",
            plural(left),
            if read_all { "" } else { "read and more " },
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(ExitCode::SUCCESS)
}

struct Outcome {
    counts: Counts,
    /// Rows read and not skipped.
    total: usize,
    /// Rows an earlier output answered.
    skipped: usize,
    /// Rows whose earlier line answered another case.
    other: usize,
    /// Whether the cases were read to their end.
    read_all: bool,
    /// Why the cases could not be read further.
    unreadable: Option<String>,
    interrupted: bool,
    fatal: Option<ApiError>,
    elapsed: Duration,
}

/// The rows as they come, sorted: those an earlier output answered are counted and passed
/// over, the others numbered in the order they are asked (which the output keeps).
struct Intake {
    rows: Option<mpsc::Receiver<Result<Row, CsvError>>>,
    total: usize,
    skipped: usize,
    other: usize,
    read_all: bool,
    unreadable: Option<String>,
}

impl Intake {
    /// The next row to ask and its number, or `None` when the input ended or failed.
    async fn next(&mut self, earlier: &Earlier) -> Option<(usize, Row)> {
        loop {
            let item = self.rows.as_mut()?.recv().await;
            if let Some(row) = self.sort(item, earlier) {
                return Some(row);
            }
            self.rows.as_ref()?;
        }
    }

    /// Counts the rows already read (after Ctrl-C: they get no line), and reads no more.
    fn stop(&mut self, earlier: &Earlier) {
        while let Some(rows) = self.rows.as_mut() {
            let item = match rows.try_recv() {
                Ok(item) => Some(item),
                Err(mpsc::error::TryRecvError::Disconnected) => None,
                Err(mpsc::error::TryRecvError::Empty) => break,
            };
            self.sort(item, earlier);
        }
        self.rows = None;
    }

    fn sort(
        &mut self,
        item: Option<Result<Row, CsvError>>,
        earlier: &Earlier,
    ) -> Option<(usize, Row)> {
        match item {
            None => {
                self.read_all = true;
                self.rows = None;
                None
            }
            Some(Err(CsvError::Io(why) | CsvError::Header(why))) => {
                self.unreadable = Some(why);
                self.rows = None;
                None
            }
            Some(Ok(row)) => match earlier.seen(&row) {
                Seen::Answered => {
                    self.skipped += 1;
                    None
                }
                seen => {
                    self.other += usize::from(seen == Seen::Other);
                    self.total += 1;
                    Some((self.total - 1, row))
                }
            },
        }
    }
}

async fn drive<W: Write>(
    rows: mpsc::Receiver<Result<Row, CsvError>>,
    earlier: &Earlier,
    session: Result<Session, ApiError>,
    save: Option<Arc<SaveDir>>,
    signs_in: bool,
    args: &BatchArgs,
    output: &mut Output<W>,
) -> Outcome {
    let started = Instant::now();
    let saving = save.is_some();
    let mut intake = Intake {
        rows: Some(rows),
        total: 0,
        skipped: 0,
        other: 0,
        read_all: false,
        unreadable: None,
    };
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
    let pb = progress(0);
    let mut counts = Counts::default();
    let mut tasks: JoinSet<Option<Answered>> = JoinSet::new();
    // Each lookup's row and permit. The permit goes back here, when its line is filed, not
    // when the task ends: a permit freed before the loop hears of the result could start the
    // next lookup before, say, a refused sign-in stops the batch.
    let mut running: HashMap<tokio::task::Id, (usize, Row, OwnedSemaphorePermit)> = HashMap::new();
    // The next row to ask, waiting for a permit.
    let mut ready: Option<(usize, Row)> = None;
    let mut interrupted = false;
    let mut fatal_error: Option<ApiError> = None;

    pb.set_message(counts.words());
    loop {
        // A CSV that cannot be read further only ends the intake: the rows before are asked.
        if fatal_error.is_some() {
            stop.cancel();
        }
        let taking = !stop.is_cancelled();
        if !taking && let Some((i, _)) = ready.take() {
            output.skip(i);
        }
        if (!taking || (ready.is_none() && intake.rows.is_none())) && tasks.is_empty() {
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
                intake.stop(earlier);
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
                let Some((i, row, _permit)) = running.remove(&id) else { continue };
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
                            cause: None,
                        },
                        attempts: 0,
                    },
                };
                if let Answered::Failed { error, .. } = &answered
                    && fatal(error)
                    && fatal_error.is_none()
                {
                    fatal_error = Some(error.clone());
                }
                counts.add(&answered);
                output.put(i, line_for(&row, &answered, saving));
                if output.failed.is_some() && !interrupted {
                    // Nowhere to write: stop as for Ctrl-C.
                    interrupted = true;
                    stop.cancel();
                    intake.stop(earlier);
                }
                pb.inc(1);
                pb.set_message(counts.words());
            }
            permit = sem.clone().acquire_owned(), if taking && ready.is_some() => {
                let Ok(permit) = permit else { break };
                let Some((i, row)) = ready.take() else { continue };
                let (session, query) = match (&session, &row.case) {
                    (Ok(session), Ok(query)) => (session.clone(), query.clone()),
                    (Err(e), _) => {
                        fatal_error = Some(e.clone());
                        output.skip(i);
                        continue;
                    }
                    // Bad rows are answered as they come: this one has a query.
                    (_, Err(_)) => continue,
                };
                let (gate, stop, sending) = (gate.clone(), stop.clone(), sending.clone());
                let seed = row.row;
                let (save, callee) = (save.clone(), query.callee.clone());
                let handle = tasks.spawn(async move {
                    let (result, attempts) =
                        lookup(session, query, gate, policy, stop, seed, sending).await?;
                    Some(settle(result, attempts, save, seed, &callee).await)
                });
                running.insert(handle.id(), (i, row, permit));
            }
            next = intake.next(earlier), if taking && ready.is_none() && intake.rows.is_some() => {
                let Some((i, row)) = next else { continue };
                pb.inc_length(1);
                if let Err(why) = &row.case {
                    // A bad row is answered in its turn, without a request.
                    pb.suspend(|| eprintln!("line {}: {why}; row {} skipped", row.line, row.row));
                    let a = Answered::Bad(why.clone());
                    counts.add(&a);
                    output.put(i, line_for(&row, &a, saving));
                    pb.inc(1);
                    pb.set_message(counts.words());
                } else {
                    ready = Some((i, row));
                }
            }
        }
    }
    // Rows never started get no lines.
    pb.finish_and_clear();
    Outcome {
        counts,
        total: intake.total,
        skipped: intake.skipped,
        other: intake.other,
        read_all: intake.read_all,
        unreadable: intake.unreadable,
        interrupted: interrupted && output.failed.is_none(),
        fatal: fatal_error,
        elapsed: started.elapsed(),
    }
}
