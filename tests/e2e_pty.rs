//! The real binary in a pseudo-terminal, read through a terminal emulator (vt100), against
//! the demo server on 127.0.0.1: typing the ids, reading every tab, errors, quitting with
//! the terminal restored, and resizing. Waits poll the parsed screen against a deadline;
//! nothing sleeps a fixed time.

mod support;

use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use portable_pty::{ChildKiller, CommandBuilder, MasterPty, PtySize, native_pty_system};
use rudder_inspect::api::Query;
use support::*;

/// How long any one expected thing may take to appear, on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(20);

const ENTER: &str = "\r";
const TAB: &str = "\t";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";
const PAGE_DOWN: &str = "\x1b[6~";

/// What the terminal has shown so far.
struct Term {
    parser: vt100::Parser,
    /// Every byte the program wrote.
    raw: Vec<u8>,
    /// The program closed the terminal.
    closed: bool,
}

/// The binary running in a pseudo-terminal.
struct Tui {
    term: Arc<(Mutex<Term>, Condvar)>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    killer: Box<dyn ChildKiller + Send + Sync>,
    exit: mpsc::Receiver<portable_pty::ExitStatus>,
    _home: Sandbox,
}

impl Tui {
    /// Starts `rudder-inspect ARGS` at `cols`×`rows` with the demo token in AIRUDDER_TOKEN
    /// (when `token`), an empty environment otherwise, and a temporary home.
    fn start(args: &[&str], cols: u16, rows: u16, token: bool) -> Tui {
        let home = Sandbox::new();
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
        for (k, v) in home.env() {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        if token {
            cmd.env("AIRUDDER_TOKEN", DEMO_TOKEN);
        }
        cmd.cwd(home.dir.path());
        let mut child = pair.slave.spawn_command(cmd).expect("spawn the binary");
        // Only the child holds the terminal's other end: its exit closes the stream.
        drop(pair.slave);
        let killer = child.clone_killer();
        let (tx, exit) = mpsc::channel();
        std::thread::spawn(move || {
            if let Ok(status) = child.wait() {
                let _ = tx.send(status);
            }
        });

        let term = Arc::new((
            Mutex::new(Term {
                parser: vt100::Parser::new(rows, cols, 0),
                raw: Vec::new(),
                closed: false,
            }),
            Condvar::new(),
        ));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let shared = term.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cvar) = &*shared;
                let mut t = lock.lock().unwrap();
                if n == 0 {
                    t.closed = true;
                    cvar.notify_all();
                    break;
                }
                t.parser.process(&buf[..n]);
                t.raw.extend_from_slice(&buf[..n]);
                cvar.notify_all();
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Tui {
            term,
            writer,
            master: pair.master,
            killer,
            exit,
            _home: home,
        }
    }

    /// Starts the inspector on the demo server with the form empty or prefilled by `ids`.
    fn inspector(ids: Option<&Query>, cols: u16, rows: u16) -> Tui {
        let url = demo().url();
        let mut args = vec!["--base-url".to_string(), url];
        if let Some(q) = ids {
            args.extend(id_args(q));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Tui::start(&args, cols, rows, true)
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// The screen now, one line per row.
    fn screen(&self) -> String {
        self.term.0.lock().unwrap().parser.screen().contents()
    }

    /// Waits until `pred` holds for the screen; returns that screen.
    fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        let (lock, cvar) = &*self.term;
        let mut t = lock.lock().unwrap();
        loop {
            let s = t.parser.screen().contents();
            if pred(&s) {
                return s;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || t.closed {
                panic!(
                    "waited {DEADLINE:?} for {what}{}; the screen:\n{s}",
                    if t.closed {
                        " (the program closed the terminal)"
                    } else {
                        ""
                    }
                );
            }
            t = cvar.wait_timeout(t, left).unwrap().0;
        }
    }

    /// Waits until every one of `texts` is on the screen.
    fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Sends `keys` and waits until the screen differs from before.
    fn send_and_wait_change(&mut self, keys: &str) -> String {
        let before = self.screen();
        self.send(keys);
        self.wait_until(&format!("a change after {keys:?}"), |s| s != before)
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    fn resize(&mut self, cols: u16, rows: u16) {
        self.term
            .0
            .lock()
            .unwrap()
            .parser
            .screen_mut()
            .set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// Waits for the program to exit and to close the terminal; returns its exit code.
    fn wait_exit(&mut self) -> u32 {
        let status = self
            .exit
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|_| panic!("the program did not exit; screen:\n{}", self.screen()));
        let (lock, cvar) = &*self.term;
        let t = lock.lock().unwrap();
        let (t, timeout) = cvar.wait_timeout_while(t, DEADLINE, |t| !t.closed).unwrap();
        assert!(!timeout.timed_out(), "the terminal stayed open after exit");
        drop(t);
        status.exit_code()
    }

    /// The terminal is as the program found it: main screen, cursor shown, no mouse
    /// reporting, no bracketed paste, and the last thing written leaves the alternate screen
    /// and shows the cursor.
    fn assert_restored(&self) {
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
    }
}

/// Types the reference ids into an empty form, field by field.
fn type_reference_ids(tui: &mut Tui) {
    let q = reference_query();
    tui.send(&q.workflow_id);
    tui.send(TAB);
    tui.send(&q.node_id);
    tui.send(TAB);
    tui.send(&q.callee);
    tui.send(TAB);
    tui.send(q.case_id.as_deref().unwrap_or(""));
    tui.wait_for(&[&q.workflow_id, &q.node_id, &q.callee]);
}

#[test]
fn typed_query_shows_every_tab_at_160x50_and_q_quits() {
    let mut tui = Tui::inspector(None, 160, 50);
    tui.wait_for(&["workflow_id", "No answer yet"]);
    type_reference_ids(&mut tui);
    tui.send(ENTER);

    // 1 Profile: who the callee is.
    let s = tui.wait_for(&["WILL SMITH", "AIRUDDER", "HTTP 200"]);
    assert!(s.contains("1 Profile"), "{s}");
    // 2 Call: the call's id.
    tui.send("2");
    tui.wait_for(&["cd878f6611adxxxxxx1a5a3ec5525b", "hangup_type"]);
    // 3 Redials: a redial's call_id.
    tui.send("3");
    tui.wait_for(&["ef1a7953b0c"]);
    // 4 Q&A: the question.
    tui.send("4");
    tui.wait_for(&["CURP Verification"]);
    // 5 Transcript: a robot line.
    tui.send("5");
    tui.wait_for(&["Apa boleh minta waktunya sebentar?"]);
    // h goes back a tab, l forward.
    tui.send("h");
    tui.wait_for(&["CURP Verification"]);
    tui.send("1");
    tui.wait_for(&["WILL SMITH"]);

    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn prefilled_by_flags_at_80x24_sends_at_once_and_ctrl_c_quits() {
    let mut tui = Tui::inspector(Some(&reference_query()), 80, 24);
    // The form hides itself for room on 80 columns.
    let s = tui.wait_for(&["WILL SMITH", "form hidden"]);
    assert!(!s.contains("Query"), "the form is hidden:\n{s}");
    // The Call tab.
    tui.send("2");
    tui.wait_for(&["cd878f6611adxxxxxx1a5a3ec5525b", "receivetime"]);
    // Raw JSON, paged down to the end of the answer.
    tui.send("6");
    tui.wait_for(&["\"workflow_id\""]);
    let mut pages = 0;
    while !tui.screen().contains("\"code\": 200") {
        pages += 1;
        assert!(pages < 20, "the end of the JSON never came into view");
        tui.send_and_wait_change(PAGE_DOWN);
    }
    assert!(pages > 0, "156 lines need paging on 24 rows");
    // g goes back to the top, j scrolls a line.
    let s = tui.send_and_wait_change("g");
    assert!(s.contains("\"data\""), "{s}");
    tui.send_and_wait_change("j");

    tui.send(CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn http_500_shows_while_the_form_keeps_its_text() {
    let mut tui = Tui::inspector(None, 160, 50);
    tui.wait_for(&["workflow_id"]);
    tui.send("0ca6e3a59cf74630906683882aa5111a");
    tui.send(TAB);
    tui.send("6ade9e4443e0400043a54b58");
    tui.send(TAB);
    tui.send("+10000000500");
    tui.send(ENTER);
    let s = tui.wait_for(&["The request failed", "HTTP 500"]);
    for kept in [
        "0ca6e3a59cf74630906683882aa5111a",
        "6ade9e4443e0400043a54b58",
        "+10000000500",
    ] {
        assert!(s.contains(kept), "the form lost {kept}:\n{s}");
    }
    assert!(!s.contains("<html>"), "{s}");
    // Still alive: fix the callee and ask again.
    for _ in 0.."+10000000500".len() {
        tui.send("\x7f");
    }
    tui.send(&reference_query().callee);
    tui.wait_for(&[&reference_query().callee]);
    tui.send(ENTER);
    tui.wait_for(&["no push record"]);
    tui.send(CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn esc_cancels_a_request_that_never_answers() {
    let q = Query {
        callee: "+10000000408".into(),
        ..reference_query()
    };
    let mut tui = Tui::inspector(Some(&q), 160, 50);
    tui.wait_for(&["Esc cancels"]);
    tui.send(ESC);
    let s = tui.wait_for(&["cancelled"]);
    assert!(!s.contains("Esc cancels"), "{s}");
    tui.send(CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn resizing_to_tiny_and_back_keeps_it_alive() {
    let mut tui = Tui::inspector(Some(&reference_query()), 160, 50);
    tui.wait_for(&["WILL SMITH"]);
    tui.resize(30, 8);
    tui.wait_for(&["too small"]);
    tui.resize(250, 70);
    let s = tui.wait_until("the answer again at 250×70", |s| {
        s.contains("WILL SMITH") && !s.contains("too small")
    });
    assert!(s.contains("1 Profile"), "{s}");
    tui.send("2");
    tui.wait_for(&["cd878f6611adxxxxxx1a5a3ec5525b"]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn demo_subcommand_sends_its_cases() {
    let mut tui = Tui::start(&["demo"], 160, 50, false);
    tui.wait_for(&["WILL SMITH", "Ctrl-N"]);
    tui.send(ENTER);
    tui.wait_for(&["AIRUDDER", "HTTP 200"]);
    // Back to the form, the next cases, send.
    tui.send("f");
    tui.send("\x0e"); // Ctrl-N
    tui.send("\x0e");
    tui.wait_for(&["3/7"]);
    tui.send(ENTER);
    tui.wait_until("the third case", |s| {
        !s.contains("WILL SMITH") && s.contains("HTTP 200")
    });
    tui.send(CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn a_hangup_restores_the_terminal_too() {
    let mut tui = Tui::inspector(Some(&reference_query()), 80, 24);
    tui.wait_for(&["WILL SMITH"]);
    // portable-pty's killer sends SIGHUP, as a closing terminal window does.
    tui.killer.kill().expect("send SIGHUP");
    assert_ne!(tui.wait_exit(), 0, "a hangup is not a success");
    tui.assert_restored();
}

/// Waits until the bytes the program wrote hold `needle` after `from`; returns them all.
fn wait_raw(tui: &Tui, from: usize, needle: &[u8]) -> Vec<u8> {
    let deadline = Instant::now() + DEADLINE;
    let (lock, cvar) = &*tui.term;
    let mut t = lock.lock().unwrap();
    loop {
        // The needle, and the BEL that ends its sequence.
        if let Some(at) = t
            .raw
            .get(from..)
            .and_then(|r| r.windows(needle.len()).position(|w| w == needle))
            && t.raw[from + at..].contains(&0x07)
        {
            return t.raw.clone();
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero() && !t.closed,
            "waited {DEADLINE:?} for {needle:?} in the output"
        );
        t = cvar.wait_timeout(t, left).unwrap().0;
    }
}

/// The transcript review in a real terminal with no display: search and step, copy the whole
/// transcript through OSC 52, export twice without overwriting, and reach the last turn.
#[test]
fn transcript_search_osc52_copy_and_export() {
    use base64::Engine;
    let q = query_for("05-long-transcript.json");
    let body = asset("05-long-transcript.json");
    let doc = rudder_inspect::api::parse_document(&body).unwrap();
    let items = &doc.data().unwrap().call.asr_result.items;
    // Whole-word or not, the search counts every case-insensitive occurrence.
    let expected: usize = items
        .iter()
        .map(|i| {
            i.robottext.show().to_lowercase().matches("lawyer").count()
                + i.text.show().to_lowercase().matches("lawyer").count()
        })
        .sum();
    assert!(expected > 1);
    let mut tui = Tui::inspector(Some(&q), 160, 50);
    tui.wait_for(&["DANIEL OKAFOR"]);
    tui.send("5");
    tui.wait_for(&["Robot"]);
    tui.send("/lawyer");
    tui.wait_for(&[&format!("1/{expected}")]);
    tui.send("\r");
    tui.send("n");
    tui.wait_for(&[&format!("2/{expected}")]);

    // Y: the whole transcript, by OSC 52 since there is no display.
    let mark = tui.term.0.lock().unwrap().raw.len();
    tui.send("Y");
    let raw = wait_raw(&tui, mark, b"\x1b]52;c;");
    let start = mark
        + raw[mark..]
            .windows(7)
            .position(|w| w == b"\x1b]52;c;")
            .unwrap()
        + 7;
    let end = start
        + raw[start..]
            .iter()
            .position(|b| *b == 0x07)
            .expect("the sequence ends with BEL");
    let text = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(&raw[start..end])
            .unwrap(),
    )
    .unwrap();
    for i in items {
        let robot = i.robottext.show().trim();
        if !robot.is_empty() {
            let shown = rudder_inspect::text::clean(robot);
            assert!(
                text.contains(shown.as_ref()),
                "robot line missing from the copy: {robot}"
            );
        }
    }
    tui.wait_for(&["sent the transcript", "to the terminal's clipboard"]);

    // e twice: two reports, the second with a new name.
    tui.send("e");
    tui.wait_for(&["exported"]);
    tui.send("e");
    tui.wait_until("a second export", |s| s.contains("-2"));
    let mut md: Vec<String> = std::fs::read_dir(tui._home.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    md.sort();
    assert_eq!(md.len(), 2, "{md:?}");
    let report = std::fs::read_to_string(tui._home.dir.path().join(&md[0])).unwrap();
    assert!(report.contains("DANIEL OKAFOR"));

    // G reaches the last turn.
    tui.send("\x1bG");
    let last = items.iter().rev().find_map(|i| {
        let t = if i.text.is_set() {
            i.text.show()
        } else {
            i.robottext.show()
        };
        (!t.trim().is_empty()).then(|| t.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
    });
    tui.send("G");
    tui.wait_for(&[&last.unwrap()]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
}

/// A push over a MiB shows at once, then its whole transcript: the end, a search, the
/// Call tab's totals.
#[test]
fn a_big_push_shows_before_its_transcript_is_read_and_then_all_of_it() {
    // Over a MiB: mapped, skimmed, the transcript read after the first frame.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, rudder_inspect::generate::push(12_000, 300, 8, 11)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 1 << 20);
    let mut tui = Tui::start(&["open", path.to_str().unwrap()], 160, 50, false);
    tui.wait_for(&["MARIA LOPEZ GARCIA"]);
    tui.send("5");
    tui.wait_for(&["turns", "showing all turns"]);
    tui.send("G");
    tui.wait_for(&["[LAST-TURN-MARKER]"]);
    tui.send("/last-turn-marker\r");
    tui.wait_for(&["1/1"]);
    tui.send("2");
    tui.wait_for(&["turns (", "robot"]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
}

/// CJK, emoji and a long unbroken turn show in the transcript of a real terminal.
#[test]
fn chinese_transcript_shows_in_a_pty() {
    let q = query_for("06-chinese.json");
    let mut tui = Tui::inspector(Some(&q), 120, 40);
    tui.wait_for(&["张伟"]);
    tui.send("5");
    tui.wait_for(&["您好，请问是张伟先生吗？"]);
    tui.send("G");
    tui.wait_for(&["好的好的👌"]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
}
