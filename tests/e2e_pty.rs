//! The real binary in a pseudo-terminal, read through a terminal emulator (vt100), against
//! the demo server on 127.0.0.1: typing the ids, reading every tab, errors, quitting with
//! the terminal restored, and resizing. Waits poll the parsed screen against a deadline;
//! nothing sleeps a fixed time.

mod support;

use rudder_inspect::api::Query;
use support::pty::{CTRL_C, ENTER, ESC, PAGE_DOWN, TAB, Tui};
use support::*;

/// Starts `rudder-inspect ARGS` at `cols`×`rows` in a temporary home, with the demo token in
/// AIRUDDER_TOKEN when `token`.
fn start(args: &[&str], cols: u16, rows: u16, token: bool) -> Tui {
    let env: &[(&str, &str)] = if token {
        &[("AIRUDDER_TOKEN", DEMO_TOKEN)]
    } else {
        &[]
    };
    Tui::start(Sandbox::new(), args, env, cols, rows)
}

/// Starts the inspector on the demo server with the form empty or prefilled by `ids`.
fn inspector(ids: Option<&Query>, cols: u16, rows: u16) -> Tui {
    let mut args = vec!["--base-url".to_string(), demo().url()];
    if let Some(q) = ids {
        args.extend(id_args(q));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    start(&args, cols, rows, true)
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
    let mut tui = inspector(None, 160, 50);
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
    let mut tui = inspector(Some(&reference_query()), 80, 24);
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
    let mut tui = inspector(None, 160, 50);
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
    let mut tui = inspector(Some(&q), 160, 50);
    tui.wait_for(&["Esc cancels"]);
    tui.send(ESC);
    let s = tui.wait_for(&["cancelled"]);
    assert!(!s.contains("Esc cancels"), "{s}");
    tui.send(CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
}

/// Starts the inspector with `q` prefilled and the first frame held for up to a minute.
fn held(q: &Query) -> Tui {
    let mut args = vec!["--base-url".to_string(), demo().url()];
    args.extend(id_args(q));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env = [
        ("AIRUDDER_TOKEN", DEMO_TOKEN),
        ("RUDDER_INSPECT_FIRST_FRAME_WAIT_MS", "60000"),
    ];
    Tui::start(Sandbox::new(), &args, &env, 160, 50)
}

#[test]
fn a_quick_answer_to_a_query_given_at_the_start_is_the_first_frame() {
    let tui = held(&reference_query());
    tui.wait_for(&["WILL SMITH"]);
    // Cells already blank are not written: words come apart in the raw output.
    let raw = String::from_utf8_lossy(&tui.raw()).into_owned();
    let first = raw.find("SMITH").expect("the answer was drawn");
    assert!(
        !raw[..first].contains("cancels"),
        "the form waiting for the answer was drawn first: {:?}",
        &raw[..first]
    );
}

#[test]
fn a_key_while_the_first_frame_waits_shows_the_screen_at_once() {
    // The demo never answers this callee; the frame would wait a minute.
    let q = Query {
        callee: "+10000000408".into(),
        ..reference_query()
    };
    let mut tui = held(&q);
    tui.send(ESC);
    tui.wait_for(&["cancelled", "workflow_id"]);
    tui.send(CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn resizing_to_tiny_and_back_keeps_it_alive() {
    let mut tui = inspector(Some(&reference_query()), 160, 50);
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
    let mut tui = start(&["demo"], 160, 50, false);
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
    let mut tui = inspector(Some(&reference_query()), 80, 24);
    tui.wait_for(&["WILL SMITH"]);
    // portable-pty's killer sends SIGHUP, as a closing terminal window does.
    tui.sighup();
    assert_ne!(tui.wait_exit(), 0, "a hangup is not a success");
    tui.assert_restored();
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
    let mut tui = inspector(Some(&q), 160, 50);
    tui.wait_for(&["DANIEL OKAFOR"]);
    tui.send("5");
    tui.wait_for(&["Robot"]);
    tui.send("/lawyer");
    tui.wait_for(&[&format!("1/{expected}")]);
    tui.send("\r");
    tui.send("n");
    tui.wait_for(&[&format!("2/{expected}")]);

    // Y: the whole transcript, by OSC 52 since there is no display.
    let mark = tui.raw_len();
    tui.send("Y");
    // The copy's sequence, and the BEL that ends it.
    tui.wait_term("an OSC 52 copy", |t| {
        t.raw
            .get(mark..)
            .and_then(|r| r.windows(7).position(|w| w == b"\x1b]52;c;"))
            .is_some_and(|at| t.raw[mark + at..].contains(&0x07))
    });
    let raw = tui.raw();
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
    let mut md: Vec<String> = std::fs::read_dir(tui.sandbox.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    md.sort();
    assert_eq!(md.len(), 2, "{md:?}");
    let report = std::fs::read_to_string(tui.sandbox.dir.path().join(&md[0])).unwrap();
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
    let mut tui = start(&["open", path.to_str().unwrap()], 160, 50, false);
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

/// An answer over a MiB, by query: received into memory of its own, scanned as it arrives,
/// on screen before its transcript and redials are read, then all of them.
#[test]
fn a_big_answer_by_query_shows_first_then_its_transcript_and_redials() {
    let body = rudder_inspect::generate::push(12_000, 300, 8, 11);
    assert!(body.len() > 1 << 20);
    let server = mock(
        wiremock::ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "application/json"),
    );
    let q = Query {
        workflow_id: "5f0c3c9e2b7d4a1f8e6d9c0b1a2f3e4d".into(),
        node_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90".into(),
        callee: "+525511112222".into(),
        case_id: None,
    };
    let mut args = vec!["--base-url".to_string(), server.uri()];
    args.extend(id_args(&q));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut tui = start(&args, 160, 50, true);
    tui.wait_for(&["MARIA LOPEZ GARCIA", "answer in"]);
    // The redials: 300 and the final call, once read.
    tui.send("3");
    tui.wait_for(&["r0000000000000000000000000000000", "ByCallee"]);
    tui.send("G");
    tui.wait_for(&["Attempt 301 of 301"]);
    tui.send("5");
    tui.send("G");
    tui.wait_for(&["[LAST-TURN-MARKER]"]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

/// A server on 127.0.0.1 that answers one lookup with `body` in two parts: up to `cut`, then
/// the rest once `go` is sent.
fn two_part_server(body: Vec<u8>, cut: usize) -> (String, std::sync::mpsc::Sender<()>) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (go, gate) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        read_request(&mut stream);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body[..cut]);
        if gate.recv().is_ok() {
            let _ = stream.write_all(&body[cut..]);
        }
    });
    (url, go)
}

/// A big answer on a slow line: who the callee is, the call and the Q&A are on screen while
/// the transcript is still on its way; what needs the whole answer says so; the whole
/// answer then takes its place where the user is.
#[test]
fn a_big_answer_shows_its_first_part_while_the_rest_arrives() {
    let body = rudder_inspect::generate::push(12_000, 300, 8, 11);
    let cut = body.find("\"asr_result\"").unwrap() + 300 * 1024;
    let (url, go) = two_part_server(body.into_bytes(), cut);
    let q = Query {
        workflow_id: "5f0c3c9e2b7d4a1f8e6d9c0b1a2f3e4d".into(),
        node_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90".into(),
        callee: "+525511112222".into(),
        case_id: None,
    };
    let mut args = vec!["--base-url".to_string(), url];
    args.extend(id_args(&q));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut tui = start(&args, 160, 50, true);
    tui.wait_for(&[
        "MARIA LOPEZ GARCIA",
        "receiving the rest from",
        "arriving: its first",
    ]);
    tui.send("5");
    tui.wait_for(&["receiving the transcript…"]);
    tui.send("m");
    tui.wait_for(&["the answer is still arriving"]);
    go.send(()).unwrap();
    tui.wait_for(&["answer in", "showing all turns"]);
    tui.send("G");
    tui.wait_for(&["[LAST-TURN-MARKER]"]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

/// CJK, emoji and a long unbroken turn show in the transcript of a real terminal.
#[test]
fn chinese_transcript_shows_in_a_pty() {
    let q = query_for("06-chinese.json");
    let mut tui = inspector(Some(&q), 120, 40);
    tui.wait_for(&["张伟"]);
    tui.send("5");
    tui.wait_for(&["您好，请问是张伟先生吗？"]);
    tui.send("G");
    tui.wait_for(&["好的好的👌"]);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
}
