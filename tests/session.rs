//! The agent's day, items 1 and 3 of the session issue: the lookup history (`Ctrl-R`) and
//! PII masking (`m`, `--mask`). Driven through `App::update`, the CLI against the demo
//! server, and the real binary in a pseudo-terminal for the history across two runs.

mod support;

use std::path::Path;

use crossterm::event::KeyCode;
use rudder_inspect::api::{ApiError, Auth, Client, ClientOptions, Secret, Session};
use rudder_inspect::app::{Action, App, Context, Effect, Tab};
use rudder_inspect::history::{self, Entry};
use support::*;

// ---------------------------------------------------------------------------------------
// History through the app

/// An app that records lookups into `file`, with what the file holds already.
fn history_app(file: &Path, w: u16, h: u16) -> App {
    let read = history::load(file);
    let mut app = App::new(
        reference_query(),
        Context {
            history: read.entries,
            history_file: Some(file.to_path_buf()),
            profile: Some("prod".into()),
            ..context()
        },
    );
    app.update(Action::Resize(w, h));
    app
}

/// What the event loop does with `History` effects: saves them.
fn save(effects: &[Effect], file: &Path) -> usize {
    let mut n = 0;
    for e in effects {
        if let Effect::History(entry) = e {
            history::append(file, entry).expect("history saved");
            n += 1;
        }
    }
    n
}

#[test]
fn every_lookup_is_recorded_with_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.jsonl");
    let mut app = history_app(&file, 160, 50);
    let (id, query) = submit(&mut app);
    let effects = reply(&mut app, id, Ok(answer("01-reference.json")));
    assert_eq!(save(&effects, &file), 1);
    // A failure is recorded too, with the error's short name.
    press(&mut app, [code(KeyCode::Tab)]);
    let (id, _) = submit(&mut app);
    let effects = reply(&mut app, id, Err(ApiError::NoRecord));
    assert_eq!(save(&effects, &file), 1);

    let read = history::load(&file);
    assert_eq!(read.warning, None);
    let [ok, failed] = &read.entries[..] else {
        panic!("two entries: {:?}", read.entries);
    };
    assert_eq!(ok.query(), query);
    assert!(ok.ok);
    assert_eq!(
        ok.outcome,
        "WILL SMITH · intention E · ByRobot · Q&A 1/1 match"
    );
    assert_eq!(ok.profile.as_deref(), Some("prod"));
    assert_eq!(ok.base_url.as_deref(), Some(BASE_URL));
    assert!(!failed.ok);
    assert!(
        failed.outcome.starts_with("no record: "),
        "{}",
        failed.outcome
    );
    // The session's own list has them too, newest first in the pane.
    assert_eq!(app.history.entries.len(), 2);
}

#[test]
fn ctrl_r_type_enter_fills_the_form_and_enter_again_sends() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.jsonl");
    let chinese = query_for("06-chinese.json");
    let mexican = query_for("03-mismatch-heavy.json");
    for (q, name) in [
        (&chinese, "06-chinese.json"),
        (&mexican, "03-mismatch-heavy.json"),
    ] {
        let a = answer(name);
        let e = Entry::new(q, None, Some(BASE_URL), chrono::Local::now(), Ok(&a));
        history::append(&file, &e).unwrap();
    }
    // The next session starts on the reference ids.
    let mut app = history_app(&file, 120, 40);
    assert!(press(&mut app, [ctrl('r')]).is_empty());
    let pane = app.history_pane().expect("Ctrl-R opens the pane");
    let order: Vec<usize> = pane.matches.iter().map(|hit| hit.index).collect();
    assert_eq!(order, vec![1, 0], "newest first");
    let s = screen(&app);
    assert!(s.contains("History"), "{s}");
    assert!(s.contains(&mexican.callee), "{s}");
    // Typing filters: the Chinese case's callee number.
    type_text(&mut app, &chinese.callee[..6]);
    assert_eq!(app.history_pane().unwrap().matches[0].index, 0);
    assert!(press(&mut app, [code(KeyCode::Enter)]).is_empty());
    assert!(app.history_pane().is_none(), "Enter closes the pane");
    assert_eq!(app.form.query(), chinese, "Enter fills the form");
    let effects = press(&mut app, [code(KeyCode::Enter)]);
    assert!(
        matches!(&effects[..], [Effect::Send { query, .. }] if *query == chinese),
        "{effects:?}"
    );
}

#[test]
fn the_pane_moves_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.jsonl");
    for name in [
        "01-reference.json",
        "02-full-match.json",
        "04-many-redials.json",
    ] {
        let a = answer(name);
        let e = Entry::new(
            &query_for(name),
            None,
            Some(BASE_URL),
            chrono::Local::now(),
            Ok(&a),
        );
        history::append(&file, &e).unwrap();
    }
    let mut app = history_app(&file, 100, 30);
    let before = app.form.query();
    press(
        &mut app,
        [ctrl('r'), code(KeyCode::Down), code(KeyCode::Down)],
    );
    assert_eq!(
        app.history_pane()
            .and_then(|p| app.history.selected(p))
            .map(Entry::query),
        Some(query_for("01-reference.json"))
    );
    press(&mut app, [code(KeyCode::Up)]);
    assert_eq!(
        app.history_pane()
            .and_then(|p| app.history.selected(p))
            .map(Entry::query),
        Some(query_for("02-full-match.json"))
    );
    // Esc closes without touching the form.
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(app.history_pane().is_none());
    assert_eq!(app.form.query(), before);
    // Nothing matches: Enter keeps the pane open.
    press(&mut app, [ctrl('r')]);
    type_text(&mut app, "qqqq");
    press(&mut app, [code(KeyCode::Enter)]);
    assert!(app.history_pane().is_some());
    assert!(screen(&app).contains("Nothing matches"));
}

#[test]
fn no_history_means_no_pane_and_no_record() {
    let mut app = form_app(&reference_query(), 120, 40);
    press(&mut app, [ctrl('r')]);
    assert!(app.history_pane().is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("--no-history"));
    let (id, _) = submit(&mut app);
    assert!(reply(&mut app, id, Ok(answer("01-reference.json"))).is_empty());
}

#[test]
fn no_token_reaches_the_history_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state").join("history.jsonl");
    let server = demo();
    let session = Session::new(
        Client::new(ClientOptions {
            base_url: server.url(),
            ..ClientOptions::default()
        })
        .unwrap(),
        Auth::Token(Secret::token(server.token())),
    );
    let mut app = App::new(
        reference_query(),
        Context {
            base_url: Some(server.url()),
            token_source: Some("token from env AIRUDDER_TOKEN".into()),
            history_file: Some(file.clone()),
            ..Context::default()
        },
    );
    app.update(Action::Resize(120, 40));
    // Two real lookups through the demo server: one found, one not.
    for callee in [reference_query().callee, "+10000000001".to_string()] {
        app.focus = rudder_inspect::app::Focus::Form;
        let mut q = reference_query();
        q.callee = callee;
        app.form.set(&q);
        let (id, query) = submit(&mut app);
        let result = runtime().block_on(session.verify(&query));
        let effects = reply(&mut app, id, result);
        assert_eq!(save(&effects, &file), 1);
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains(server.token()), "the token is in {text}");
    assert!(!text.contains(DEMO_TOKEN));
    assert!(!text.to_lowercase().contains("token"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Masking in the inspector

const HIDDEN: [&str; 5] = [
    "WILL SMITH",
    "+861xxxxxx721",
    "18717905721",
    "20000.00",
    "20310.00",
];

fn assert_hidden(text: &str, what: &str) {
    for h in HIDDEN {
        assert!(!text.contains(h), "{h} shows on {what}:\n{text}");
    }
}

#[test]
fn m_masks_every_tab_the_status_bar_and_copies() {
    let mut app = answered_app("01-reference.json", 160, 50);
    assert!(screen(&app).contains("WILL SMITH"));
    press(&mut app, [key('m')]);
    assert!(app.masked());
    for (i, tab) in Tab::ALL.iter().enumerate() {
        press(&mut app, [key(char::from(b'1' + i as u8))]);
        assert_eq!(app.tab, *tab);
        let s = screen(&app);
        assert!(s.contains("masked"), "the status bar says so on {tab:?}");
        assert_hidden(&s, tab.title());
        // Y copies the whole tab, masked.
        match &press(&mut app, [key('Y')])[..] {
            [Effect::Copy { text, .. }] => assert_hidden(text, "a copy"),
            other => panic!("Y should copy: {other:?}"),
        }
    }
    // The ids stay readable.
    press(&mut app, [key('2')]);
    let s = screen(&app);
    assert!(s.contains("cd878f6611adxxxxxx1a5a3ec5525b"), "{s}");
    assert!(s.contains("459acf3df0ecxxxxxx9679dc208ad96"), "{s}");
    // y on the Call tab copies the call_id as it is.
    assert!(matches!(
        &press(&mut app, [key('y')])[..],
        [Effect::Copy { text, .. }] if text == "cd878f6611adxxxxxx1a5a3ec5525b"
    ));
    // m again: the answer as received, where the user was.
    press(&mut app, [key('1'), key('m')]);
    assert!(!app.masked());
    let s = screen(&app);
    assert!(s.contains("WILL SMITH"));
    assert!(!s.contains("masked"));
}

#[test]
fn masking_stays_on_for_the_next_answer_and_export_is_masked() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = answered_app("01-reference.json", 120, 40);
    app.context.export_dir = Some(dir.path().to_path_buf());
    press(&mut app, [key('m')]);
    // A second answer (another case) arrives masked.
    press(&mut app, [code(KeyCode::Tab)]);
    let q = query_for("02-full-match.json");
    app.form.set(&q);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Ok(answer("02-full-match.json")));
    let s = screen(&app);
    assert!(s.contains("masked"));
    assert!(!s.contains("MARK ANTHONY VILLANUEVA"), "{s}");
    assert!(s.contains("M**** A**** V****"), "{s}");
    // The export writes what is on screen: masked.
    let l = app.loaded.as_deref().unwrap();
    let rudder_inspect::app::Effect::Export(job) = l.export(Some(dir.path().to_path_buf())) else {
        panic!("e exports");
    };
    job.run().unwrap();
    for f in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains("MARK ANTHONY"), "{text}");
        assert!(!text.contains("639171234567"), "{text}");
    }
    // The previous-answer diff compares answers as received, shown masked.
    press(&mut app, [code(KeyCode::Tab)]);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Ok(answer("02-full-match.json")));
    press(&mut app, [key('d')]);
    assert_eq!(app.tab, Tab::Diff);
    assert!(screen(&app).contains("masked"));
}

#[test]
fn snapshot_of_a_masked_profile_tab() {
    let mut app = answered_app("01-reference.json", 80, 24);
    press(&mut app, [key('m')]);
    insta::assert_snapshot!("masked_profile_80x24", screen(&app));
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('m'), key('2')]);
    insta::assert_snapshot!("masked_call_160x50", screen(&app));
}

// ---------------------------------------------------------------------------------------
// --mask on the command line

fn demo_cmd(sandbox: &Sandbox) -> assert_cmd::Command {
    let mut c = sandbox.cmd();
    c.env("AIRUDDER_TOKEN", DEMO_TOKEN)
        .args(["--base-url", &demo().url()]);
    c
}

fn id_args() -> Vec<String> {
    let q = reference_query();
    let mut v = vec![
        "--workflow-id".into(),
        q.workflow_id,
        "--node-id".into(),
        q.node_id,
        "--callee".into(),
        q.callee,
    ];
    if let Some(c) = q.case_id {
        v.extend(["--case-id".into(), c]);
    }
    v
}

#[test]
fn query_output_md_mask_hides_the_callee_and_keeps_the_call_id() {
    let sandbox = Sandbox::new();
    let out = demo_cmd(&sandbox)
        .args(["query", "--output", "md", "--mask"])
        .args(id_args())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(out).unwrap();
    assert_hidden(&md, "query --output md --mask");
    assert!(md.contains("cd878f6611adxxxxxx1a5a3ec5525b"), "{md}");
    assert!(md.contains("W**** S****"), "{md}");
    // Without --mask the same report names the callee.
    let plain = demo_cmd(&sandbox)
        .args(["query", "--output", "md"])
        .args(id_args())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(plain).unwrap().contains("WILL SMITH"));
}

#[test]
fn query_json_and_open_output_mask() {
    let sandbox = Sandbox::new();
    let out = demo_cmd(&sandbox)
        .args(["query", "--mask"])
        .args(id_args())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = String::from_utf8(out).unwrap();
    assert_hidden(&json, "query --mask");
    let v: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
    assert_eq!(
        v["data"]["call"]["call_id"],
        "cd878f6611adxxxxxx1a5a3ec5525b"
    );
    assert_eq!(v["data"]["callee"]["borrowed_amount"], "*****");

    for output in ["md", "json"] {
        let out = sandbox
            .cmd()
            .args(["open", "--output", output, "--mask"])
            .arg(asset_path("01-reference.json"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert_hidden(&text, "open --output --mask");
        assert!(text.contains("cd878f6611adxxxxxx1a5a3ec5525b"));
    }
}

// ---------------------------------------------------------------------------------------
// The real binary: a lookup in one run is found by Ctrl-R in the next

mod pty {
    use std::io::{Read, Write};
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::{Duration, Instant};

    use portable_pty::{ChildKiller, CommandBuilder, PtySize, native_pty_system};

    use super::support::{BIN, Sandbox};

    const DEADLINE: Duration = Duration::from_secs(30);

    pub struct Tui {
        screen: Arc<(Mutex<(vt100::Parser, bool)>, Condvar)>,
        writer: Box<dyn Write + Send>,
        killer: Box<dyn ChildKiller + Send + Sync>,
        child: Box<dyn portable_pty::Child + Send + Sync>,
        _master: Box<dyn portable_pty::MasterPty + Send>,
    }

    impl Tui {
        pub fn start(sandbox: &Sandbox, args: &[&str]) -> Tui {
            let pair = native_pty_system()
                .openpty(PtySize {
                    rows: 40,
                    cols: 120,
                    pixel_width: 0,
                    pixel_height: 0,
                })
                .expect("pty");
            let mut cmd = CommandBuilder::new(BIN);
            cmd.args(args);
            cmd.env_clear();
            for (k, v) in sandbox.env() {
                cmd.env(k, v);
            }
            cmd.env("TERM", "xterm-256color");
            cmd.env("LANG", "C.UTF-8");
            cmd.cwd(sandbox.dir.path());
            let child = pair.slave.spawn_command(cmd).expect("spawn");
            drop(pair.slave);
            let killer = child.clone_killer();
            let screen = Arc::new((
                Mutex::new((vt100::Parser::new(40, 120, 0), false)),
                Condvar::new(),
            ));
            let mut reader = pair.master.try_clone_reader().expect("reader");
            let shared = screen.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    let n = reader.read(&mut buf).unwrap_or(0);
                    let (lock, cvar) = &*shared;
                    let mut s = lock.lock().unwrap();
                    if n == 0 {
                        s.1 = true;
                        cvar.notify_all();
                        break;
                    }
                    s.0.process(&buf[..n]);
                    cvar.notify_all();
                }
            });
            Tui {
                writer: pair.master.take_writer().expect("writer"),
                screen,
                killer,
                child,
                _master: pair.master,
            }
        }

        pub fn send(&mut self, keys: &str) {
            self.writer.write_all(keys.as_bytes()).unwrap();
            self.writer.flush().unwrap();
        }

        pub fn wait_for(&self, texts: &[&str]) -> String {
            let deadline = Instant::now() + DEADLINE;
            let (lock, cvar) = &*self.screen;
            let mut s = lock.lock().unwrap();
            loop {
                let text = s.0.screen().contents();
                if texts.iter().all(|t| text.contains(t)) {
                    return text;
                }
                let left = deadline.saturating_duration_since(Instant::now());
                assert!(
                    !left.is_zero() && !s.1,
                    "waited for {texts:?}; the screen:\n{text}"
                );
                s = cvar.wait_timeout(s, left).unwrap().0;
            }
        }

        /// Quits with `q` and waits for the exit (the terminal closes when the program ends).
        pub fn quit(mut self) {
            self.send("q");
            let (lock, cvar) = &*self.screen;
            let s = lock.lock().unwrap();
            let (s, timeout) = cvar.wait_timeout_while(s, DEADLINE, |s| !s.1).unwrap();
            assert!(
                !timeout.timed_out(),
                "the program did not exit; the screen:\n{}",
                s.0.screen().contents()
            );
            drop(s);
            let status = self.child.wait().expect("exit status");
            assert!(status.success(), "exit status {status:?}");
        }
    }

    impl Drop for Tui {
        fn drop(&mut self) {
            let _ = self.killer.kill();
        }
    }
}

#[test]
fn a_lookup_in_one_demo_run_is_rerun_from_ctrl_r_in_the_next() {
    let sandbox = Sandbox::new();
    // First run: the second demo case (Ctrl-N), sent.
    let mut tui = pty::Tui::start(&sandbox, &["demo"]);
    tui.wait_for(&["Query", "Enter"]);
    tui.send("\x0e");
    tui.send("\r");
    tui.wait_for(&["MARK ANTHONY VILLANUEVA", "answer in"]);
    tui.quit();
    let file = sandbox.path("state/rudder-inspect/history.jsonl");
    let saved = history::load(&file);
    assert_eq!(saved.entries.len(), 1, "{saved:?}");
    assert_eq!(saved.entries[0].profile.as_deref(), Some("demo"));

    // Second run: the form starts on the first case; Ctrl-R, Enter, Enter re-runs the lookup.
    let mut tui = pty::Tui::start(&sandbox, &["demo"]);
    tui.wait_for(&["Query", "Enter"]);
    tui.send("\x12");
    tui.wait_for(&["History", "+639171234567", "MARK ANTHONY VILLANUEVA"]);
    tui.send("\r");
    tui.wait_for(&["filled from history"]);
    tui.send("\r");
    let s = tui.wait_for(&["answer in"]);
    assert!(s.contains("MARK ANTHONY VILLANUEVA"), "{s}");
    tui.quit();
    assert_eq!(history::load(&file).entries.len(), 2);

    // No file the two runs wrote holds the demo token.
    let files = support::pty::files_under(sandbox.dir.path());
    assert!(files.iter().any(|(p, _)| p == &file));
    for (p, bytes) in files {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(DEMO_TOKEN),
            "the token is in {}",
            p.display()
        );
    }
}

#[test]
fn a_corrupt_history_is_named_and_the_inspector_starts_anyway() {
    let sandbox = Sandbox::new();
    let a = answer("02-full-match.json");
    let good = Entry::new(
        &query_for("02-full-match.json"),
        Some("demo"),
        None,
        chrono::Local::now(),
        Ok(&a),
    );
    let line = serde_json::to_string(&good).unwrap();
    sandbox.write(
        "state/rudder-inspect/history.jsonl",
        &format!("{line}\n{{not json at all\n"),
    );
    let mut tui = pty::Tui::start(&sandbox, &["demo"]);
    tui.wait_for(&["history", "history.jsonl line 2", "Query"]);
    // The good line is there.
    tui.send("\x12");
    tui.wait_for(&["History", "MARK ANTHONY VILLANUEVA"]);
    tui.send("\x1b");
    tui.send("\x03");
}
