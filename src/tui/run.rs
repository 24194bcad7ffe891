//! The event loop: terminal events and network replies become actions; `update` changes the
//! state; the screen is drawn only when something changed and no more input is waiting.
//! Requests run on tokio tasks and answer through a channel, so the UI never blocks.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, EventStream,
};
use crossterm::execute;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::terminal::{
    Screen, Signal, Signals, install_panic_hook, restore, take_terminal, watchdog,
};
use crate::api::{Preview, PreviewSink, Reading, Session};
use crate::app::later::TranscriptJob;
use crate::app::{Action, App, Effect};
use crate::clipboard::{Clipboard, message};

/// What the loop needs besides the app: how to send queries and where copies go.
pub struct Services {
    /// `None` when queries cannot be sent (the app explains why on Enter).
    pub session: Option<Session>,
    pub clipboard: Box<dyn Clipboard>,
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// SIGTERM or SIGHUP: the terminal was restored all the same.
    Signal,
}

/// Takes over the terminal, runs until the user quits, and gives the terminal back on every
/// path (a panic included: the panic hook restores it before anything is printed).
pub async fn run(
    mut app: App,
    start: Vec<Effect>,
    mut services: Services,
    initial: Vec<Action>,
) -> io::Result<Exit> {
    // Frames go to standard output: into a file or a pipe they would be noise, and the
    // keys would come from whatever terminal the process has.
    if !io::IsTerminal::is_terminal(&io::stdout()) {
        return Err(io::Error::other("standard output is not a terminal"));
    }
    let mut state = Loop::new();
    // The first actions go first: a query given on the command line is on its way while
    // the terminal is set up.
    let size = crossterm::terminal::size()?;
    for a in std::iter::once(Action::Resize(size.0, size.1)).chain(initial) {
        handle(&mut app, a, &mut services, &mut state);
    }
    for effect in start {
        carry_out(&mut app, effect, &mut services, &mut state);
    }
    // A query given on the command line is on its way: the first frame waits a moment for
    // its answer, so that a quick one is the first thing drawn rather than the form and a
    // spinner a few milliseconds before it (drawn, and rendered by the terminal, while the
    // answer is being read).
    let hold = app
        .is_loading()
        .then(|| tokio::time::Instant::now() + first_frame_wait());
    let mut terminal = take_terminal()?;
    install_panic_hook();
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let watchdog = tokio::spawn(watchdog());
    let result = event_loop(&mut terminal, app, services, state, size, hold).await;
    watchdog.abort();
    restore();
    result
}

/// How long the first frame waits for the answer to a query given on the command line.
const FIRST_FRAME_WAIT: Duration = Duration::from_millis(50);

/// [`FIRST_FRAME_WAIT`]; debug builds take `RUDDER_INSPECT_FIRST_FRAME_WAIT_MS`, so tests can
/// tell what is drawn first without racing the clock.
fn first_frame_wait() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("RUDDER_INSPECT_FIRST_FRAME_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    FIRST_FRAME_WAIT
}

/// Debug builds crash on the key named by `RUDDER_INSPECT_CRASH_KEY`, so tests can check what
/// a crash leaves behind (a restored terminal, a report without secrets).
fn crash_if_asked(action: &Action) {
    #[cfg(debug_assertions)]
    if let Action::Key(k) = action
        && let crossterm::event::KeyCode::Char(c) = k.code
        && std::env::var("RUDDER_INSPECT_CRASH_KEY").is_ok_and(|v| v.starts_with(c))
    {
        panic!("a crash asked for by RUDDER_INSPECT_CRASH_KEY");
    }
    let _ = action;
}

fn to_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(k) => Some(Action::Key(k)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        // The size a resize event carries is the one crossterm read when it saw the signal;
        // in a storm of resizes it can arrive after a newer one the loop already asked for
        // (and the last size would be lost). The terminal is asked again instead.
        Event::Resize(w, h) => {
            let (w, h) = crossterm::terminal::size().unwrap_or((w, h));
            Some(Action::Resize(w, h))
        }
        Event::Paste(s) => Some(Action::Paste(s)),
        Event::FocusGained | Event::FocusLost => None,
    }
}

/// The loop's own state: where replies come in, and the work under way.
struct Loop {
    tx: mpsc::UnboundedSender<Action>,
    rx: mpsc::UnboundedReceiver<Action>,
    tasks: HashMap<u64, JoinHandle<()>>,
    /// History saves under way: waited for at the end, so a lookup just made is kept.
    saves: Vec<JoinHandle<()>>,
    /// A review's verdicts, written one after the other in the order given (the last line
    /// for a case wins, so two quick verdicts must not land swapped); its task is in `saves`.
    marks: Option<mpsc::UnboundedSender<(std::path::PathBuf, Box<crate::review::marks::Mark>)>>,
    /// Lists of a big answer to read once the next frame is drawn ([`Loop::after_frame`]).
    jobs: Vec<TranscriptJob>,
    /// Network threads waiting for the next frame to be drawn ([`crate::app::Drawn`]).
    drawn: Vec<crate::app::Drawn>,
    /// An effect asked to quit.
    quit: bool,
}

impl Loop {
    fn new() -> Self {
        let (tx, rx) = mpsc::unbounded_channel::<Action>();
        Loop {
            tx,
            rx,
            tasks: HashMap::new(),
            saves: Vec::new(),
            marks: None,
            jobs: Vec::new(),
            drawn: Vec::new(),
            quit: false,
        }
    }

    /// Work that waits for the frame (reading the lists left out of a big answer): the
    /// answer reaches the screen first.
    fn after_frame(&mut self) {
        for waiting in self.drawn.drain(..) {
            waiting.tell();
        }
        for job in std::mem::take(&mut self.jobs) {
            off_thread(&self.tx, move || job.run());
        }
    }
}

async fn event_loop(
    terminal: &mut Screen,
    mut app: App,
    mut services: Services,
    mut state: Loop,
    first_size: (u16, u16),
    mut hold: Option<tokio::time::Instant>,
) -> io::Result<Exit> {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new();
    // The size again, should it have changed while the terminal was set up.
    let size = terminal.size()?;
    if (size.width, size.height) != first_size {
        handle(
            &mut app,
            Action::Resize(size.width, size.height),
            &mut services,
            &mut state,
        );
    }
    let mut dirty = true;
    let mut failures = 0u32;
    loop {
        // Held while the first query is young and unanswered (see `run`); its answer's first
        // part is an answer to draw.
        hold = hold.filter(|_| app.is_loading() && !app.receiving());
        if dirty && hold.is_none() {
            handle(&mut app, Action::Settle, &mut services, &mut state);
            terminal.draw(|f| crate::ui::draw(f, &app))?;
            dirty = false;
            state.after_frame();
        }
        if state.quit {
            break;
        }
        let action = tokio::select! {
            biased;
            // Signals first: a hung-up terminal can keep the event stream busy forever.
            signal = signals.next() => match signal {
                Signal::Quit => return Ok(Exit::Signal),
                // crossterm can miss a SIGWINCH that comes with keys: the size is asked again.
                Signal::Resize => {
                    hold = None;
                    terminal.size().ok().map(|s| Action::Resize(s.width, s.height))
                }
            },
            ev = events.next() => match ev {
                Some(Ok(e)) => {
                    failures = 0;
                    // The user is there: the screen shows what they do at once.
                    hold = None;
                    to_action(e)
                }
                // Errors without end: the terminal is gone.
                Some(Err(_)) if failures > 100 => break,
                Some(Err(_)) => {
                    failures += 1;
                    None
                }
                // The terminal went away.
                None => break,
            },
            Some(a) = state.rx.recv() => Some(a),
            _ = tick.tick(), if app.is_loading() => Some(Action::Tick),
            () = tokio::time::sleep_until(hold.unwrap_or_else(tokio::time::Instant::now)),
                if hold.is_some() => {
                hold = None;
                None
            }
        };
        let Some(action) = action else { continue };
        handle(&mut app, action, &mut services, &mut state);
        // Whatever else is already waiting is handled before the next frame.
        loop {
            // Polled with this task's waker: crossterm keeps the first waker it is handed
            // until input arrives, so a no-op one (`now_or_never`) would leave the loop deaf.
            let ready = tokio::select! {
                biased;
                ev = events.next() => ev,
                () = std::future::ready(()) => None,
            };
            if let Some(Ok(e)) = ready {
                if let Some(a) = to_action(e) {
                    handle(&mut app, a, &mut services, &mut state);
                }
                continue;
            }
            match state.rx.try_recv() {
                Ok(a) => handle(&mut app, a, &mut services, &mut state),
                Err(_) => break,
            }
        }
        dirty = true;
    }
    for (_, t) in state.tasks.drain() {
        t.abort();
    }
    // The verdicts' writer ends once it has written what it was given.
    drop(state.marks.take());
    for s in state.saves {
        let _ = s.await;
    }
    Ok(Exit::Quit)
}

/// Work for a blocking thread (parsing, masking, writing files), answered through `tx`.
fn off_thread(tx: &mpsc::UnboundedSender<Action>, work: impl FnOnce() -> Action + Send + 'static) {
    let tx = tx.clone();
    tokio::task::spawn_blocking(move || {
        let _ = tx.send(work());
    });
}

/// Appends each verdict given, one at a time in the order given, off the UI thread; a line
/// that cannot be written is said.
async fn write_marks(
    mut queue: mpsc::UnboundedReceiver<(std::path::PathBuf, Box<crate::review::marks::Mark>)>,
    tx: mpsc::UnboundedSender<Action>,
) {
    while let Some((path, mark)) = queue.recv().await {
        let shown = path.display().to_string();
        let written =
            tokio::task::spawn_blocking(move || crate::review::marks::append(&path, &mark)).await;
        let failed = match written {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e.to_string(),
            Err(e) => e.to_string(),
        };
        let _ = tx.send(Action::Warning(format!(
            "verdict not saved to {shown}: {failed}"
        )));
    }
}

/// Where the first part of request `id`'s answer goes: read where it is handed over, on the
/// network thread (a fraction of a millisecond), then to `update` as an action; the network
/// thread reads on once the frame showing it is drawn, or after [`FRAME_WAIT`].
fn preview_sink(id: u64, tx: mpsc::UnboundedSender<Action>) -> PreviewSink {
    std::sync::Arc::new(move |preview: Preview| {
        let (received, total) = (preview.received, preview.total);
        let answer = preview.read();
        tracing::debug!(read = answer.is_some(), "the answer's first part");
        if let Some(answer) = answer {
            let (drawn, frame) = crate::app::Drawn::pair();
            let sent = tx.send(Action::Preview {
                id,
                answer: Box::new(answer),
                received,
                total,
                drawn,
            });
            if sent.is_ok() {
                let _ = frame.recv_timeout(FRAME_WAIT);
            }
        }
    })
}

/// How long the network thread waits at most for the frame showing an answer's first part.
const FRAME_WAIT: Duration = Duration::from_millis(20);

/// Turns one action into state changes and sends its effects out.
fn handle(app: &mut App, mut action: Action, services: &mut Services, state: &mut Loop) {
    if let Action::Reply { id, .. } | Action::Record { id, .. } = &action {
        state.tasks.remove(id);
    }
    let drawn = match &mut action {
        Action::Preview { drawn, .. } => Some(drawn.take()),
        _ => None,
    };
    crash_if_asked(&action);
    // Time arrives as an action: update reads no clock.
    app.update(Action::Clock(chrono::Local::now()));
    for effect in app.update(action) {
        carry_out(app, effect, services, state);
    }
    // A first part not taken (names are masked, the request is gone) waits for no frame.
    match drawn {
        Some(d) if app.receiving() => state.drawn.push(d),
        Some(d) => d.tell(),
        None => {}
    }
}

/// Carries one effect out: at once, on the network thread, or on a blocking thread.
fn carry_out(app: &mut App, effect: Effect, services: &mut Services, state: &mut Loop) {
    let Loop {
        tx,
        tasks,
        saves,
        jobs,
        marks,
        quit,
        ..
    } = state;
    let effect = match crate::ui::copy_view(app, effect) {
        Ok(e) => e,
        Err(why) => {
            let _ = tx.send(Action::Warning(why));
            return;
        }
    };
    match effect {
        Effect::Send { id, query } => {
            let tx = tx.clone();
            let session = services.session.clone();
            let preview = preview_sink(id, tx.clone());
            let task = crate::api::net::spawn(async move {
                let started = Instant::now();
                let result = match session {
                    // The transcript of a big answer is read after its first frame, and
                    // what comes before it is shown while it arrives.
                    Some(s) => s.verify_as(&query, Reading::ForScreen(Some(preview))).await,
                    None => Err(crate::api::ApiError::NoToken),
                };
                let _ = tx.send(Action::Reply {
                    id,
                    result: Box::new(result),
                    elapsed: started.elapsed(),
                });
            });
            tasks.insert(id, task);
        }
        // The answer reaches the screen first.
        Effect::ReadTranscript(job) => jobs.push(*job),
        // Masking re-reads the answer (a big one without its transcript first).
        Effect::Mask(job) => off_thread(tx, move || job.run()),
        Effect::Verify { id, query } => {
            let tx = tx.clone();
            let session = services.session.clone();
            let task = crate::api::net::spawn(async move {
                let result = match session {
                    Some(s) => s.verify(&query).await,
                    None => Err(crate::api::ApiError::NoToken),
                };
                let _ = tx.send(Action::Record {
                    id,
                    result: Box::new(result),
                });
            });
            tasks.insert(id, task);
        }
        Effect::Cancel { id } => {
            if let Some(t) = tasks.remove(&id) {
                t.abort();
            }
        }
        Effect::Copy { text, what } => {
            // OSC 52 draws nothing: no repaint is needed (and a clear would ask the
            // terminal for the cursor position, which some never answer).
            let outcome = services.clipboard.copy(&text);
            let msg = message(&outcome, &text, &what);
            let _ = tx.send(match outcome {
                crate::clipboard::Outcome::Failed(_) => Action::Warning(msg),
                _ => Action::Notice(msg),
            });
        }
        Effect::SetMouseCapture(on) => {
            let mut out = io::stdout();
            let _ = if on {
                execute!(out, EnableMouseCapture)
            } else {
                execute!(out, DisableMouseCapture)
            };
            let _ = out.flush();
        }
        // Writing a report of 100,000 turns is no work for the UI thread.
        Effect::Export(job) => off_thread(tx, move || match job.run() {
            Ok(msg) => Action::Notice(msg),
            Err(msg) => Action::Warning(msg),
        }),
        Effect::History(entry) => {
            let Some(path) = app.context.history_file.clone() else {
                return;
            };
            let tx = tx.clone();
            saves.retain(|s| !s.is_finished());
            saves.push(tokio::task::spawn_blocking(move || {
                if let Err(e) = crate::history::append(&path, &entry) {
                    let _ = tx.send(Action::Warning(format!(
                        "history not saved to {}: {e}",
                        path.display()
                    )));
                }
            }));
        }
        // A review's cases, summed up in batches as they are read.
        Effect::Summarise(job) => {
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || job.run(&mut |a| tx.send(a).is_ok()));
        }
        Effect::OpenCase(job) => off_thread(tx, move || job.run()),
        // In order, on one writer; waited for at the end like the history.
        Effect::SaveMark { path, mark } => {
            let writer = marks.get_or_insert_with(|| {
                let (to_writer, queue) = mpsc::unbounded_channel();
                saves.push(tokio::spawn(write_marks(queue, tx.clone())));
                to_writer
            });
            let _ = writer.send((path, mark));
        }
        Effect::Quit => *quit = true,
        // Made into a Copy above.
        Effect::CopyView { .. } => {}
    }
}
