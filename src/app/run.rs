//! The event loop: terminal events and network replies become actions; `update` changes the
//! state; the screen is drawn only when something changed and no more input is waiting.
//! Requests run on tokio tasks and answer through a channel, so the UI never blocks.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use crossterm::execute;
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Action, App, Effect};
use crate::api::Session;
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
pub async fn run(mut app: App, mut services: Services, initial: Vec<Action>) -> io::Result<Exit> {
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
    let mut terminal = take_terminal()?;
    install_panic_hook();
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let watchdog = tokio::spawn(watchdog());
    let result = event_loop(&mut terminal, app, services, state, size).await;
    watchdog.abort();
    restore();
    result
}

/// The terminal the loop draws on: standard output behind a buffer the size of a big frame,
/// so a frame goes out in one write rather than in twenty of a line buffer's 1 KiB.
type Screen = Terminal<CrosstermBackend<io::BufWriter<io::Stdout>>>;

/// Raw mode and the alternate screen (`ratatui::try_init` without its panic hook: ours
/// restores the terminal too), then the terminal.
fn take_terminal() -> io::Result<Screen> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    Terminal::new(CrosstermBackend::new(io::BufWriter::with_capacity(
        1 << 16,
        io::stdout(),
    )))
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

/// On SIGTERM or SIGHUP, the event loop restores the terminal and returns. Should it not
/// within two seconds — crossterm 0.29 reads a hung-up tty's end of file in a loop without
/// returning (crossterm#793), on the thread the loop runs on — this task, on a runtime
/// worker, restores the terminal and ends the process.
async fn watchdog() {
    let mut signals = Signals::new();
    // Only the way out matters here.
    #[cfg(unix)]
    {
        signals.winch = None;
    }
    while let Signal::Resize = signals.next().await {}
    tokio::time::sleep(Duration::from_secs(2)).await;
    restore();
    std::process::exit(143);
}

/// Leaves raw mode, the alternate screen, mouse capture and bracketed paste; shows the cursor.
pub fn restore() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    let _ = execute!(io::stdout(), crossterm::cursor::Show);
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The terminal first, so what follows is readable.
        restore();
        if let Some(path) = write_crash_report(info) {
            eprintln!("rudder-inspect crashed; a report is in {}", path.display());
        }
        previous(info);
    }));
}

/// Writes what panicked, where, and a backtrace to the XDG state dir. Nothing in it comes
/// from a `Secret` (those never print), so no token lands in the file.
fn write_crash_report(info: &std::panic::PanicHookInfo<'_>) -> Option<std::path::PathBuf> {
    let dir = crate::config::state_dir()?.join("crashes");
    let path = dir.join(format!(
        "crash-{}.txt",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    ));
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    let report = format!(
        "rudder-inspect {} crashed\nat: {}\nmessage: {}\n\nbacktrace:\n{}\n",
        env!("CARGO_PKG_VERSION"),
        info.location().map(|l| l.to_string()).unwrap_or_default(),
        crate::text::clean_lines(&message),
        std::backtrace::Backtrace::force_capture()
    );
    std::fs::create_dir_all(&dir).ok()?;
    crate::config::write_atomic(&path, report.as_bytes(), true).ok()?;
    Some(path)
}

fn to_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(k) => Some(Action::Key(k)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
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
    /// Transcripts to read once the frame is drawn ([`Loop::after_frame`]).
    transcripts: Vec<u64>,
}

impl Loop {
    fn new() -> Self {
        let (tx, rx) = mpsc::unbounded_channel::<Action>();
        Loop {
            tx,
            rx,
            tasks: HashMap::new(),
            saves: Vec::new(),
            transcripts: Vec::new(),
        }
    }

    /// Work that waits for the frame: the transcripts to read, each job built now (a copy
    /// of the answer) rather than before the answer is on screen.
    fn after_frame(&mut self, app: &App) {
        for id in std::mem::take(&mut self.transcripts) {
            if let Some(job) = app.transcript_job(id) {
                let tx = self.tx.clone();
                // Parsing is CPU work: a blocking thread, not a runtime worker.
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(job.run());
                });
            }
        }
    }
}

async fn event_loop(
    terminal: &mut Screen,
    mut app: App,
    mut services: Services,
    mut state: Loop,
    first_size: (u16, u16),
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
        if dirty {
            terminal.draw(|f| crate::ui::draw(f, &app))?;
            dirty = false;
            state.after_frame(&app);
        }
        if app.quit {
            break;
        }
        let action = tokio::select! {
            biased;
            // Signals first: a hung-up terminal can keep the event stream busy forever.
            signal = signals.next() => match signal {
                Signal::Quit => return Ok(Exit::Signal),
                // crossterm can miss a SIGWINCH that comes with keys: the size is asked again.
                Signal::Resize => terminal
                    .size()
                    .ok()
                    .map(|s| Action::Resize(s.width, s.height)),
            },
            ev = events.next() => match ev {
                Some(Ok(e)) => {
                    failures = 0;
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
    for s in state.saves {
        let _ = s.await;
    }
    Ok(Exit::Quit)
}

/// Turns one action into state changes and sends its effects out.
fn handle(app: &mut App, action: Action, services: &mut Services, state: &mut Loop) {
    let Loop {
        tx,
        tasks,
        saves,
        transcripts,
        ..
    } = state;
    if let Action::Reply { id, .. } | Action::Record { id, .. } = &action {
        tasks.remove(id);
    }
    crash_if_asked(&action);
    for effect in app.update(action) {
        match effect {
            Effect::Send { id, query } => {
                let tx = tx.clone();
                let session = services.session.clone();
                let task = crate::api::net::spawn(async move {
                    let started = Instant::now();
                    let result = match session {
                        // The transcript of a big answer is read after its first frame.
                        Some(s) => s.verify_as(&query, true).await,
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
            Effect::ReadTranscript { id } => transcripts.push(id),
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
                app.update(match outcome {
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
            Effect::Export { dir } => {
                let msg = match app.loaded.as_deref() {
                    Some(l) => crate::export::run(l, dir.as_deref()),
                    None => "nothing to export yet".into(),
                };
                app.update(if msg.starts_with("export failed") {
                    Action::Warning(msg)
                } else {
                    Action::Notice(msg)
                });
            }
            Effect::History(entry) => {
                let Some(path) = app.context.history_file.clone() else {
                    continue;
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
            Effect::Quit => {}
        }
    }
}

/// SIGTERM and SIGHUP end the loop so the terminal is restored.
/// What a signal asks of the loop.
enum Signal {
    /// SIGTERM or SIGHUP: restore and go.
    Quit,
    /// SIGWINCH: the terminal changed size.
    Resize,
}

struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    winch: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                hup: signal(SignalKind::hangup()).ok(),
                winch: signal(SignalKind::window_change()).ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
                match s.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            let quit = tokio::select! {
                _ = recv(&mut self.term) => true,
                _ = recv(&mut self.hup) => true,
                _ = recv(&mut self.winch) => false,
            };
            if quit { Signal::Quit } else { Signal::Resize }
        }
        #[cfg(not(unix))]
        std::future::pending::<Signal>().await
    }
}
