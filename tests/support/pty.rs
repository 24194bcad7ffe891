//! The real binary in a pseudo-terminal, read through a terminal emulator (vt100) that also
//! records what a real terminal would have acted on besides the screen (titles, bells,
//! clipboard writes, sequences it does not know). Every byte the program writes is kept.
//! Waits poll the parsed screen against a deadline; nothing sleeps a fixed time.

use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use portable_pty::{ChildKiller, CommandBuilder, MasterPty, PtySize, native_pty_system};

use super::{BIN, Sandbox};

/// How long any one expected thing may take to appear, on a loaded 2-core machine.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const BACKTAB: &str = "\x1b[Z";
pub const ESC: &str = "\x1b";
pub const CTRL_C: &str = "\x03";
pub const UP: &str = "\x1b[A";
pub const DOWN: &str = "\x1b[B";
pub const RIGHT: &str = "\x1b[C";
pub const LEFT: &str = "\x1b[D";
pub const HOME: &str = "\x1b[H";
pub const END: &str = "\x1b[F";
pub const PAGE_UP: &str = "\x1b[5~";
pub const PAGE_DOWN: &str = "\x1b[6~";
pub const BACKSPACE: &str = "\x7f";
pub const F1: &str = "\x1bOP";
pub const F2: &str = "\x1bOQ";

/// What the emulated terminal was asked to do besides drawing.
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    pub titles: Vec<Vec<u8>>,
    pub icon_names: Vec<Vec<u8>>,
    pub audible_bells: usize,
    pub visual_bells: usize,
    pub clipboard: Vec<Vec<u8>>,
    pub clipboard_reads: usize,
    pub resize_requests: Vec<(u16, u16)>,
    pub unhandled_osc: Vec<Vec<Vec<u8>>>,
    pub unhandled_controls: Vec<u8>,
    pub unhandled_escapes: Vec<(Option<u8>, Option<u8>, u8)>,
}

impl vt100::Callbacks for Recorder {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.audible_bells += 1;
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.visual_bells += 1;
    }
    fn resize(&mut self, _: &mut vt100::Screen, request: (u16, u16)) {
        self.resize_requests.push(request);
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.icon_names.push(name.to_vec());
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8]) {
        self.clipboard_reads += 1;
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.unhandled_controls.push(b);
    }
    fn unhandled_escape(&mut self, _: &mut vt100::Screen, i1: Option<u8>, i2: Option<u8>, b: u8) {
        self.unhandled_escapes.push((i1, i2, b));
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        self.unhandled_osc
            .push(params.iter().map(|p| p.to_vec()).collect());
    }
}

/// What a real terminal prints in place of U+FFFD, for the emulator: vt100 drops U+FFFD
/// (it stands for undecodable input there), where a terminal prints it in one cell.
pub const REPLACEMENT_SHOWN: char = '⍰';

/// The program's bytes as fed to the emulator: U+FFFD (`EF BF BD`, possibly split across
/// reads) becomes [`REPLACEMENT_SHOWN`].
#[derive(Default)]
struct ShownBytes {
    carry: Vec<u8>,
}

impl ShownBytes {
    fn feed(&mut self, bytes: &[u8]) -> Vec<u8> {
        const FFFD: &[u8] = "\u{fffd}".as_bytes();
        let mut all = std::mem::take(&mut self.carry);
        all.extend_from_slice(bytes);
        // An unfinished EF or EF BF at the end waits for the next read.
        let keep = if all.ends_with(&FFFD[..2]) {
            2
        } else if all.ends_with(&FFFD[..1]) {
            1
        } else {
            0
        };
        self.carry = all.split_off(all.len() - keep);
        let mut out = Vec::with_capacity(all.len());
        let mut i = 0;
        let mut repl = [0u8; 4];
        let repl = REPLACEMENT_SHOWN.encode_utf8(&mut repl).as_bytes();
        while i < all.len() {
            if all[i..].starts_with(FFFD) {
                out.extend_from_slice(repl);
                i += FFFD.len();
            } else {
                out.push(all[i]);
                i += 1;
            }
        }
        out
    }
}

/// The cursor position query (DSR) a program may send.
const DSR: &[u8] = b"\x1b[6n";

/// How each frame ratatui draws ends: colours and attributes reset, the cursor hidden.
pub const FRAME_END: &[u8] = b"\x1b[0m\x1b[?25l";

/// What the terminal has shown so far.
pub struct Term {
    pub parser: vt100::Parser<Recorder>,
    /// The screen as the last complete frame left it (a frame may come in several reads;
    /// waits look at whole frames only).
    pub frame: vt100::Screen,
    /// Frames drawn so far.
    pub frames: usize,
    /// The last bytes seen, to find a frame end split across reads.
    tail: Vec<u8>,
    /// Every byte the program wrote.
    pub raw: Vec<u8>,
    /// The program closed the terminal (or the emulator failed).
    pub closed: bool,
    /// vt100 panicked on the output (it does on 1-row screens; sizes here stay 2×2 or more).
    pub emulator_failed: bool,
}

impl Term {
    /// Feeds `bytes` to the emulator, keeping a copy of the screen at each frame's end.
    fn process(&mut self, bytes: &[u8]) {
        let mut joined = std::mem::take(&mut self.tail);
        let carried = joined.len();
        joined.extend_from_slice(bytes);
        let mut done = 0;
        let mut at = 0;
        while let Some(p) = joined[at..]
            .windows(FRAME_END.len())
            .position(|w| w == FRAME_END)
        {
            let end = at + p + FRAME_END.len();
            // Only bytes of this read are fed (the carried ones already were).
            let from = done.max(carried);
            if end > from {
                self.parser.process(&joined[from..end]);
                done = end;
            }
            self.frame = self.parser.screen().clone();
            self.frames += 1;
            at = end;
        }
        let from = done.max(carried);
        self.parser.process(&joined[from..]);
        let keep = joined.len().saturating_sub(FRAME_END.len() - 1);
        self.tail = joined[keep.max(at)..].to_vec();
    }
}

/// The binary running in a pseudo-terminal, in a sandboxed home.
pub struct Tui {
    pub term: Arc<(Mutex<Term>, Condvar)>,
    /// Shared with the reader thread, which answers the program's cursor position queries.
    writer: Arc<Mutex<Option<Box<dyn Write + Send>>>>,
    master: Option<Box<dyn MasterPty + Send>>,
    killer: Box<dyn ChildKiller + Send + Sync>,
    exit: mpsc::Receiver<portable_pty::ExitStatus>,
    pub size: (u16, u16),
    pub sandbox: Sandbox,
    pub pid: Option<u32>,
    /// Tells the reader thread to close its end of the terminal after its next read.
    hang_up: Arc<std::sync::atomic::AtomicBool>,
    /// Resizes the program missed and that were sent again (see [`Tui::resize_seen`]).
    pub resends: usize,
}

impl Tui {
    /// Starts `rudder-inspect ARGS` at `cols`×`rows` in `sandbox`'s home with an otherwise
    /// empty environment plus `env`.
    pub fn start(
        sandbox: Sandbox,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in sandbox.env() {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(sandbox.dir.path());
        let mut child = pair.slave.spawn_command(cmd).expect("spawn the binary");
        let pid = child.process_id();
        // Only the child holds the terminal's other end: its exit closes the stream.
        drop(pair.slave);
        let killer = child.clone_killer();
        let (tx, exit) = mpsc::channel();
        std::thread::spawn(move || {
            if let Ok(status) = child.wait() {
                let _ = tx.send(status);
            }
        });
        let parser = vt100::Parser::new_with_callbacks(rows, cols, 0, Recorder::default());
        let term = Arc::new((
            Mutex::new(Term {
                frame: parser.screen().clone(),
                parser,
                frames: 0,
                tail: Vec::new(),
                raw: Vec::new(),
                closed: false,
                emulator_failed: false,
            }),
            Condvar::new(),
        ));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let shared = term.clone();
        let hang_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let hanging_up = hang_up.clone();
        let writer = Arc::new(Mutex::new(Some(
            pair.master.take_writer().expect("pty writer"),
        )));
        let answers = writer.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            let mut shown = ShownBytes::default();
            // The end of the previous read, to find a query split across reads.
            let mut carry: Vec<u8> = Vec::new();
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cvar) = &*shared;
                let mut t = lock.lock().unwrap();
                if n == 0 {
                    t.closed = true;
                    cvar.notify_all();
                    break;
                }
                let bytes = shown.feed(&buf[..n]);
                t.raw.extend_from_slice(&buf[..n]);
                // The emulator is not the program under test: if it fails, say so.
                let fed =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.process(&bytes)));
                if fed.is_err() {
                    t.emulator_failed = true;
                    t.closed = true;
                    cvar.notify_all();
                    break;
                }
                // A real terminal answers "where is the cursor?" (DSR, `CSI 6 n`) at once;
                // crossterm waits 2 s for the answer otherwise.
                let mut joined = std::mem::take(&mut carry);
                joined.extend_from_slice(&buf[..n]);
                let queries = joined.windows(DSR.len()).filter(|w| *w == DSR).count();
                carry = joined[joined.len().saturating_sub(DSR.len() - 1)..].to_vec();
                if queries > 0 {
                    let (row, col) = t.parser.screen().cursor_position();
                    let answer = format!("\x1b[{};{}R", row + 1, col + 1).repeat(queries);
                    if let Some(w) = answers.lock().unwrap().as_mut() {
                        let _ = w.write_all(answer.as_bytes()).and_then(|()| w.flush());
                    }
                }
                cvar.notify_all();
                if hanging_up.load(std::sync::atomic::Ordering::SeqCst) {
                    // Dropping the reader closes this thread's copy of the terminal's end.
                    break;
                }
            }
        });
        Tui {
            term,
            writer,
            master: Some(pair.master),
            killer,
            exit,
            size: (cols, rows),
            sandbox,
            pid,
            hang_up,
            resends: 0,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    pub fn send_bytes(&mut self, keys: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        let w = w.as_mut().expect("the terminal is open");
        w.write_all(keys).expect("write keys");
        w.flush().expect("flush keys");
    }

    /// Sends `text` as a bracketed paste.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// The screen as the last whole frame left it, one line per row.
    pub fn screen(&self) -> String {
        self.term.0.lock().unwrap().frame.contents()
    }

    /// Every byte written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.term.0.lock().unwrap().raw.clone()
    }

    /// How many bytes were written so far (a mark for [`Tui::wait_raw`]).
    pub fn raw_len(&self) -> usize {
        self.term.0.lock().unwrap().raw.len()
    }

    /// What the emulator recorded besides the screen.
    pub fn recorded(&self) -> Recorder {
        self.term.0.lock().unwrap().parser.callbacks().clone()
    }

    /// Waits until `pred` holds for the screen; returns that screen.
    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_screen(what, |s| pred(&s.contents()))
    }

    /// Waits until `pred` holds for the screen of a whole frame; returns its text.
    pub fn wait_screen(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        let (lock, cvar) = &*self.term;
        let mut t = lock.lock().unwrap();
        loop {
            let screen = &t.frame;
            if pred(screen) {
                return screen.contents();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || t.closed {
                let msg = format!(
                    "waited {DEADLINE:?} for {what}{}; the program {}; the screen:\n{}",
                    if t.emulator_failed {
                        " (the vt100 emulator panicked on the output)"
                    } else if t.closed {
                        " (the program closed the terminal)"
                    } else {
                        ""
                    },
                    self.process_state(),
                    screen.contents()
                );
                // Not holding the lock: the reader thread goes on.
                drop(t);
                panic!("{msg}");
            }
            t = cvar.wait_timeout(t, left).unwrap().0;
        }
    }

    /// Whether `pred` holds for a whole frame within `within` (no panic when it does not):
    /// for a key that may need sending again.
    pub fn holds_within(&self, within: Duration, pred: impl Fn(&vt100::Screen) -> bool) -> bool {
        let deadline = Instant::now() + within;
        let (lock, cvar) = &*self.term;
        let mut t = lock.lock().unwrap();
        loop {
            if pred(&t.frame) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || t.closed {
                return false;
            }
            t = cvar.wait_timeout(t, left).unwrap().0;
        }
    }

    /// Sends `keys` and waits until the screen, attributes included, differs from before.
    pub fn send_and_wait_change(&mut self, keys: &str) -> String {
        let before = self.term.0.lock().unwrap().frame.contents_formatted();
        self.send(keys);
        self.wait_screen(&format!("a change after {keys:?}"), |s| {
            s.contents_formatted() != before
        })
    }

    /// Waits until the tab bar (the top row) shows `title` as the selected tab (reverse video).
    pub fn wait_tab(&self, title: &str) -> String {
        self.wait_screen(&format!("the {title} tab selected"), |s| {
            selected_tab(s).is_some_and(|t| t == title)
        })
    }

    /// Waits until every one of `texts` is on the screen.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits until the bytes written after `from` hold `needle`; returns them all.
    pub fn wait_raw(&self, from: usize, needle: &[u8]) -> Vec<u8> {
        let deadline = Instant::now() + DEADLINE;
        let (lock, cvar) = &*self.term;
        let mut t = lock.lock().unwrap();
        loop {
            if t.raw
                .get(from..)
                .is_some_and(|r| r.windows(needle.len()).any(|w| w == needle))
            {
                return t.raw.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || t.closed {
                drop(t);
                panic!(
                    "waited {DEADLINE:?} for {:?} in the output; the program {}",
                    String::from_utf8_lossy(needle),
                    self.process_state()
                );
            }
            t = cvar.wait_timeout(t, left).unwrap().0;
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH). The emulator keeps at least 2×2:
    /// vt100 0.16 overflows on a 1-row or 1-column screen.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.term
            .0
            .lock()
            .unwrap()
            .parser
            .screen_mut()
            .set_size(rows.max(2), cols.max(2));
        self.master
            .as_ref()
            .expect("the terminal is open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        self.size = (cols, rows);
    }

    /// Resizes to `cols`×`rows` and waits until a frame shows the program took the new size:
    /// `too small: C×R` when the size is under the minimum, else any frame without that
    /// message after it. crossterm 0.29 can miss a SIGWINCH that arrives together with
    /// keys (its event source returns on the first key and the edge-triggered signal
    /// readiness is lost): a missed size is sent again (counted in `resends`), at most 3
    /// times. [`Tui::resize_strict`] does not forgive that.
    pub fn resize_seen(&mut self, cols: u16, rows: u16) {
        for attempt in 0..4u64 {
            if attempt > 0 {
                self.resends += 1;
                // Another size first, so the next one is a change again.
                self.resize(cols, rows + 1);
            }
            let before = self.term.0.lock().unwrap().frames;
            self.resize(cols, rows);
            let small = cols < 60 || rows < 15;
            let message = format!("too small: {cols}×{rows}");
            let seen = self.wait_screen_within(Duration::from_secs(5 * (attempt + 1)), |t| {
                let text = t.frame.contents();
                if small {
                    text.contains(&message)
                } else {
                    t.frames > before && !text.contains("too small")
                }
            });
            if seen {
                return;
            }
        }
        panic!(
            "the program never took the size {cols}×{rows}; it {}; the screen:\n{}",
            self.process_state(),
            self.screen()
        );
    }

    /// Resizes to a size under the minimum and waits, as [`Tui::resize_seen`] but without a
    /// second chance: the program must take the size from the one SIGWINCH.
    pub fn resize_strict(&mut self, cols: u16, rows: u16) {
        assert!(
            cols < 60 || rows < 15,
            "a size that shows the too-small message"
        );
        self.resize(cols, rows);
        let message = format!("too small: {cols}×{rows}");
        self.wait_until(&format!("the message {message:?}"), |s| {
            s.contains(&message)
        });
    }

    /// Waits until `pred` holds for the terminal's state (bytes and frames).
    pub fn wait_term(&self, what: &str, pred: impl Fn(&Term) -> bool) {
        if !self.wait_screen_within(DEADLINE, pred) {
            panic!(
                "waited {DEADLINE:?} for {what}; the program {}; the screen:\n{}",
                self.process_state(),
                self.screen()
            );
        }
    }

    /// Waits up to `limit` for `pred` on the terminal's state; whether it held.
    fn wait_screen_within(&self, limit: Duration, pred: impl Fn(&Term) -> bool) -> bool {
        let deadline = Instant::now() + limit;
        let (lock, cvar) = &*self.term;
        let mut t = lock.lock().unwrap();
        loop {
            if pred(&t) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || t.closed {
                return false;
            }
            t = cvar.wait_timeout(t, left).unwrap().0;
        }
    }

    /// A round trip through the program's event loop: a size too small for it, then `cols`×`rows`
    /// again, each waited for on screen. Keys sent before are read by the time this returns.
    pub fn barrier(&mut self, cols: u16, rows: u16) {
        self.resize_seen(40, 10);
        self.resize_seen(cols, rows);
    }

    /// Closes the terminal as a terminal window does: every copy of its end is closed (the
    /// reader's after its next read, which `poke` — bytes that make the program draw —
    /// brings about). The program gets SIGHUP and end of file on its input.
    pub fn close_terminal(&mut self, poke: &str) {
        let frames = self.term.0.lock().unwrap().frames;
        self.hang_up
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.send(poke);
        let (lock, cvar) = &*self.term;
        // The reader stops after the read that follows the flag: wait for the poke's frame.
        let t = lock.lock().unwrap();
        let _ = cvar.wait_timeout_while(t, DEADLINE, |t| t.frames == frames && !t.closed);
        *self.writer.lock().unwrap() = None;
        self.master = None;
    }

    /// Sends SIGHUP (portable-pty's killer does), as a closing terminal window does.
    pub fn sighup(&mut self) {
        self.killer.kill().expect("send SIGHUP");
    }

    /// Waits up to the deadline for the program to exit; its exit code, or `None` if it is
    /// still running.
    pub fn exit_within_deadline(&mut self) -> Option<u32> {
        self.exit.recv_timeout(DEADLINE).ok().map(|s| s.exit_code())
    }

    /// What the kernel says of the program: its state and CPU time (for a failed wait).
    pub fn process_state(&self) -> String {
        let Some(pid) = self.pid else {
            return "has no pid".into();
        };
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => {
                // After the command name in parentheses: state, ..., utime (14th), stime.
                let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
                let f: Vec<&str> = rest.split_whitespace().collect();
                format!(
                    "is in state {} with {} + {} ticks of CPU",
                    f.first().unwrap_or(&"?"),
                    f.get(11).unwrap_or(&"?"),
                    f.get(12).unwrap_or(&"?")
                )
            }
            Err(_) => "is gone".into(),
        }
    }

    /// Whether the program has ended (closed the terminal).
    pub fn exited(&self) -> bool {
        let t = self.term.0.lock().unwrap();
        let (closed, failed) = (t.closed, t.emulator_failed);
        drop(t);
        assert!(!failed, "the vt100 emulator panicked on the output");
        closed
    }

    /// Waits for the program to exit and to close the terminal; returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let status = self
            .exit
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|_| panic!("the program did not exit; screen:\n{}", self.screen()));
        let (lock, cvar) = &*self.term;
        let t = lock.lock().unwrap();
        let (t, timeout) = cvar.wait_timeout_while(t, DEADLINE, |t| !t.closed).unwrap();
        let failed = t.emulator_failed;
        drop(t);
        assert!(!timeout.timed_out(), "the terminal stayed open after exit");
        assert!(!failed, "the vt100 emulator panicked on the output");
        status.exit_code()
    }

    /// The terminal is as the program found it: main screen, cursor shown, no mouse
    /// reporting, no bracketed paste, and the last thing written leaves the alternate screen
    /// and shows the cursor.
    pub fn assert_restored(&self) {
        let t = self.term.0.lock().unwrap();
        let screen = t.parser.screen();
        assert!(!screen.alternate_screen(), "still in the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting is still on"
        );
        assert!(!screen.bracketed_paste(), "bracketed paste is still on");
        let raw = &t.raw;
        let leave = b"\x1b[?1049l";
        let at = raw
            .windows(leave.len())
            .rposition(|w| w == leave)
            .expect("the program left the alternate screen");
        let tail = String::from_utf8_lossy(&raw[at + leave.len()..]).into_owned();
        assert!(
            tail.contains("\x1b[?25h"),
            "no cursor show at the end: {tail:?}"
        );
        assert!(
            tail.replace("\x1b[?25h", "").is_empty(),
            "something written after the terminal was restored: {tail:?}"
        );
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.killer.kill();
        // SIGHUP is not enough for a program stuck in a loop: kill it for good.
        // (Disconnected: its exit was already seen.)
        if let Err(mpsc::RecvTimeoutError::Timeout) = self.exit.recv_timeout(Duration::from_secs(2))
            && let Some(pid) = self.pid
        {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// The tab bar's selected title: the reverse-video text on the top row, trimmed.
pub fn selected_tab(s: &vt100::Screen) -> Option<String> {
    let (_, cols) = s.size();
    let text: String = (0..cols)
        .filter_map(|c| s.cell(0, c))
        .filter(|c| c.inverse())
        .map(|c| c.contents().to_string())
        .collect();
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// One escape sequence in the program's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seq {
    /// `ESC [ params intermediates final`; `params` holds the parameter bytes as written
    /// (a private marker such as `?` included).
    Csi {
        params: String,
        intermediates: String,
        fin: char,
    },
    /// `ESC ]`: the string up to its terminator.
    Osc(String),
    /// `ESC P`, `ESC X`, `ESC ^`, `ESC _`: the string up to its terminator.
    Str(char, String),
    /// Any other `ESC x`.
    Esc(String),
}

/// The program's output split into escape sequences and the other control characters, after
/// checking it is UTF-8.
#[derive(Debug, Default)]
pub struct Output {
    pub seqs: Vec<Seq>,
    /// C0 controls (but ESC), DEL and C1 controls met outside sequences, as characters.
    pub controls: Vec<char>,
    /// Everything else, as text.
    pub text: String,
    /// The text written while SGR blink (5 or 6) was on, one entry per stretch.
    pub blinking: Vec<String>,
}

/// Splits `raw` into sequences, controls and text. Panics when `raw` is not UTF-8.
pub fn parse_output(raw: &[u8]) -> Output {
    let s = std::str::from_utf8(raw).unwrap_or_else(|e| {
        let at = e.valid_up_to();
        panic!(
            "the output is not UTF-8 at byte {at}: {:?}",
            String::from_utf8_lossy(&raw[at.saturating_sub(40)..(at + 40).min(raw.len())])
        )
    });
    let mut out = Output::default();
    let mut blink = false;
    let mut chars = s.chars().peekable();
    // The rest of a string sequence, up to BEL or ST.
    fn string_body(chars: &mut std::iter::Peekable<std::str::Chars>) -> String {
        let mut body = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\x07' | '\u{9c}' => break,
                '\x1b' if chars.peek() == Some(&'\\') => {
                    chars.next();
                    break;
                }
                c => body.push(c),
            }
        }
        body
    }
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    let mut params = String::new();
                    let mut intermediates = String::new();
                    let mut fin = '\0';
                    for c in chars.by_ref() {
                        match c {
                            '0'..='?' if intermediates.is_empty() => params.push(c),
                            ' '..='/' => intermediates.push(c),
                            c => {
                                fin = c;
                                break;
                            }
                        }
                    }
                    if fin == 'm' && intermediates.is_empty() && !params.starts_with('?') {
                        for a in sgr_attributes(&params) {
                            match a {
                                5 | 6 if !blink => {
                                    blink = true;
                                    out.blinking.push(String::new());
                                }
                                0 | 25 => blink = false,
                                _ => {}
                            }
                        }
                    }
                    out.seqs.push(Seq::Csi {
                        params,
                        intermediates,
                        fin,
                    });
                }
                Some(']') => {
                    let body = string_body(&mut chars);
                    out.seqs.push(Seq::Osc(body));
                }
                Some(k @ ('P' | 'X' | '^' | '_')) => {
                    let body = string_body(&mut chars);
                    out.seqs.push(Seq::Str(k, body));
                }
                Some(k) => {
                    let mut rest = k.to_string();
                    if (' '..='/').contains(&k)
                        && let Some(f) = chars.next()
                    {
                        rest.push(f);
                    }
                    out.seqs.push(Seq::Esc(rest));
                }
                None => out.seqs.push(Seq::Esc(String::new())),
            },
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => out.controls.push(c),
            c => {
                out.text.push(c);
                if blink && let Some(run) = out.blinking.last_mut() {
                    run.push(c);
                }
            }
        }
    }
    out
}

/// The SGR attributes a `CSI … m` sets, colour arguments skipped: `38;5;1` is a colour, not
/// blink. Sub-parameters (`4:3`) count as their first value.
pub fn sgr_attributes(params: &str) -> Vec<u32> {
    let values: Vec<u32> = if params.is_empty() {
        vec![0]
    } else {
        params
            .split(';')
            .map(|p| {
                p.split(':')
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0)
            })
            .collect()
    };
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < values.len() {
        match values[i] {
            38 | 48 | 58 => {
                // A colour given with colons (38:5:1) sits in one parameter.
                let colon = params.split(';').nth(i).is_some_and(|p| p.contains(':'));
                i += if colon {
                    1
                } else {
                    match values.get(i + 1) {
                        Some(5) => 3,
                        Some(2) => 5,
                        _ => 1,
                    }
                };
            }
            v => {
                attrs.push(v);
                i += 1;
            }
        }
    }
    attrs
}

/// The three Base64 spellings of `secret` as it may sit inside a longer encoded text (one per
/// alignment), each cut to the characters that do not depend on its neighbours.
pub fn base64_forms(secret: &str) -> Vec<String> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    (0..3)
        .map(|pad| {
            let mut bytes = vec![b'A'; pad];
            bytes.extend_from_slice(secret.as_bytes());
            let enc = b64.encode(&bytes);
            // Only the groups of three bytes that lie wholly inside the secret.
            let start = pad.div_ceil(3) * 4;
            let whole = (pad + secret.len()) / 3 * 4;
            enc[start..whole.max(start)].to_string()
        })
        .collect()
}

/// Every file under `dir`, read as bytes.
pub fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if let Ok(b) = std::fs::read(&p) {
            out.push((p, b));
        }
    }
    out
}

/// Whether `hay` holds `needle`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// A small deterministic generator (xorshift), so a failing run can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize].clone()
    }
}
