//! The terminal the inspector takes over and gives back on every path: raw mode and the
//! alternate screen, a panic hook that restores them and writes a crash report, the signals
//! that end the loop, and a watchdog for a terminal that hung up.

use std::io;
use std::time::Duration;

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
use crossterm::execute;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal the loop draws on: standard output behind a buffer the size of a big frame,
/// so a frame goes out in one write rather than in twenty of a line buffer's 1 KiB.
pub(crate) type Screen = Terminal<CrosstermBackend<io::BufWriter<io::Stdout>>>;

/// Raw mode and the alternate screen (`ratatui::try_init` without its panic hook: ours
/// restores the terminal too), then the terminal.
pub(crate) fn take_terminal() -> io::Result<Screen> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    Terminal::new(CrosstermBackend::new(io::BufWriter::with_capacity(
        1 << 16,
        io::stdout(),
    )))
}

/// On SIGTERM or SIGHUP, the event loop restores the terminal and returns. Should it not
/// within two seconds — crossterm 0.29 reads a hung-up tty's end of file in a loop without
/// returning (crossterm#793), on the thread the loop runs on — this task, on a runtime
/// worker, restores the terminal and ends the process.
pub(crate) async fn watchdog() {
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

pub(crate) fn install_panic_hook() {
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

/// What a signal asks of the loop.
pub(crate) enum Signal {
    /// SIGTERM or SIGHUP: restore and go.
    Quit,
    /// SIGWINCH: the terminal changed size.
    Resize,
}

pub(crate) struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    winch: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    pub(crate) fn new() -> Self {
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

    pub(crate) async fn next(&mut self) -> Signal {
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
