//! The driver: reads the cases, skips those already answered, runs the lookups at most
//! `--concurrency` at once, writes their lines, and stops on Ctrl-C or an error every row
//! would meet.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::input::{CsvError, Row, answered_rows, read_cases, read_input};
use super::output::{Answered, Counts, Output, line_for, plural, progress};
use super::pacing::{Gate, Policy, lookup};
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
