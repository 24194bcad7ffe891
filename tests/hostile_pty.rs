//! Issue 5, hostile input in a real terminal: the binary in a pseudo-terminal opens a push
//! whose every text field is full of escape sequences, and a storm of resizes and random keys
//! is thrown at it. Every byte it writes is kept and checked: no sequence from the data gets
//! through, the terminal's title and clipboard are untouched, no bell rings, and the program
//! stays alive and restores the terminal on `q`. Waits poll for a condition; nothing sleeps.

mod support;

use serde_json::{Value, json};
use support::pty::*;
use support::*;

/// Every kind of escape a hostile field carries: OSC titles (BEL and ST terminated), screen
/// clear and home, blink/reverse/red, a bare BEL, a C1 CSI clear, a DCS request, a bidi
/// override and a line break.
const PAYLOAD: &str = "\u{1b}]0;PWNED-TITLE\u{7}\u{1b}]2;PWNED-TITLE2\u{1b}\\\u{1b}[2J\u{1b}[H\u{1b}[5m\u{1b}[7m\u{1b}[31m\u{7}\u{9b}2J\u{1b}P1$qPWNED-DCS\u{1b}\\\u{202e}\r\nX";

/// `B<tag>`, the payload, `A<tag>`: the text around it must stay readable.
fn evil(tag: &str) -> String {
    format!("B{tag}{PAYLOAD}A{tag}")
}

/// Where each poisoned field is and which tab shows it.
struct Field {
    tag: &'static str,
    tab: char,
}

/// The push received by the customer (a bare `data` object), poisoned field by field.
fn hostile_push() -> (Vec<u8>, Vec<Field>) {
    let mut d: Value = serde_json::from_slice(&asset("push-received.json")).unwrap();
    let mut fields = Vec::new();
    let mut put = |v: &mut Value, tag: &'static str, tab: char| {
        *v = json!(evil(tag));
        fields.push(Field { tag, tab });
    };
    put(&mut d["workflow_name"], "WFN", '1');
    put(&mut d["node_name"], "NDN", '1');
    let callee = &mut d["callee"];
    put(&mut callee["callee_name"], "CNM", '1');
    put(&mut callee["platform_name"], "PLT", '1');
    put(&mut callee["comments"], "CMT", '1');
    put(&mut callee["extra_a"], "EXA", '1');
    put(&mut callee["extra"][1]["Content"], "XCO", '1');
    put(&mut callee["extend"]["variables"]["app_name"], "VVL", '1');
    let call = &mut d["call"];
    put(&mut call["hangup_type"], "HNG", '2');
    put(&mut call["intention_description"], "IND", '2');
    put(&mut call["ner_slots"]["payment_channel"], "NSV", '2');
    put(&mut call["multi_label"]["A0"], "MLV", '2');
    put(&mut call["redial_call"][0]["hangup_type"], "RHG", '3');
    put(&mut call["redial_call"][0]["ring_type"], "RRT", '3');
    put(
        &mut call["question_answer"][0]["question_content"],
        "QCT",
        '4',
    );
    put(&mut call["question_answer"][0]["answer_text"], "QAT", '4');
    put(&mut call["asr_result"][0]["robottext"], "RBT", '5');
    put(&mut call["asr_result"][1]["text"], "CLT", '5');
    // Map keys too.
    d["custom_attribute"][evil("CAK")] = json!(evil("CAV"));
    fields.push(Field {
        tag: "CAK",
        tab: '1',
    });
    fields.push(Field {
        tag: "CAV",
        tab: '1',
    });
    d["call"]["ner_slots"][evil("NSK")] = json!("slot");
    fields.push(Field {
        tag: "NSK",
        tab: '2',
    });
    d["callee"]["extend"]["variables"][evil("VKY")] = json!("v");
    fields.push(Field {
        tag: "VKY",
        tab: '1',
    });
    (serde_json::to_vec_pretty(&d).unwrap(), fields)
}

/// The help overlay's title, on screen only while it is open.
const HELP_TITLE: &str = " Keys ";

/// Waits until every key sent so far has been handled and drawn: F1 opens the help (in any
/// state, a search prompt included), F1 closes it; each is waited for. Returns the screen.
fn sync(tui: &mut Tui) -> String {
    tui.send(F1);
    tui.wait_for(&[HELP_TITLE]);
    tui.send(F1);
    tui.wait_until("the help to close", |s| !s.contains(HELP_TITLE))
}

/// Sends `keys`, then [`sync`]s; returns the screen after them.
fn press(tui: &mut Tui, keys: &str) -> String {
    tui.send(keys);
    sync(tui)
}

/// SGR attributes the inspector uses (ratatui's modifiers and their resets, default colours;
/// blink for the form's cursor cell only): never concealed (8) or a basic colour (30–37,
/// 90–97: crossterm always writes colours as `38;5;N`), which only a sequence from the data
/// could bring.
const SGR_ALLOWED: &[u32] = &[0, 1, 2, 3, 4, 5, 7, 9, 22, 23, 24, 25, 27, 29, 39, 49, 59];

/// Private modes the inspector sets and resets: the alternate screen, the cursor, mouse
/// reporting and bracketed paste.
const PRIVATE_MODES: &[&str] = &[
    "?1049", "?25", "?1000", "?1002", "?1003", "?1006", "?1015", "?2004",
];

/// Everything the program wrote is UTF-8 made only of text, cursor moves, SGR and the
/// private modes above: no OSC (title, clipboard), DCS, bare control character, C1
/// control, bidi override, clear or bare home. `clears` allows `CSI 2 J` (a resize or a
/// copy makes ratatui clear the screen).
fn assert_output_clean(raw: &[u8], clears: bool) {
    let out = parse_output(raw);
    assert!(
        out.controls.is_empty(),
        "control characters outside escape sequences: {:?}",
        out.controls
    );
    for c in out.text.chars() {
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'),
            "bidi control {c:?} written to the terminal"
        );
    }
    for seq in &out.seqs {
        let Seq::Csi {
            params,
            intermediates,
            fin,
        } = seq
        else {
            panic!("a sequence the inspector never writes: {seq:?}");
        };
        assert!(intermediates.is_empty(), "{seq:?}");
        match fin {
            'm' => {
                for a in sgr_attributes(params) {
                    if !SGR_ALLOWED.contains(&a) {
                        let needle = format!("\x1b[{params}m");
                        let at = raw
                            .windows(needle.len())
                            .position(|w| w == needle.as_bytes())
                            .unwrap_or(0);
                        panic!(
                            "SGR attribute {a} in {seq:?}, written at byte {at}: {:?}",
                            String::from_utf8_lossy(
                                &raw[at.saturating_sub(300)..(at + 200).min(raw.len())]
                            )
                        );
                    }
                }
            }
            // Always with a row and a column: a bare `CSI H` is not ratatui's.
            'H' => assert!(
                params.split(';').count() == 2
                    && params.split(';').all(|p| p.parse::<u16>().is_ok()),
                "{seq:?}"
            ),
            'h' | 'l' => assert!(PRIVATE_MODES.contains(&params.as_str()), "{seq:?}"),
            'J' if clears => assert_eq!(params, "2", "{seq:?}"),
            _ => panic!("a sequence the inspector never writes: {seq:?}"),
        }
    }
    // Blink is the form's cursor: one cell at a time, never a run of text.
    for run in &out.blinking {
        assert!(run.chars().count() <= 1, "text written blinking: {run:?}");
    }
    // And byte for byte, the payload's pieces.
    for needle in [
        &b"\x1b]"[..],
        b"PWNED-TITLE\x07",
        b"\x1bP",
        b"\x1b\\",
        b"\x07",
        b"\x1b[H",
        b"\x1b[5m\x1b[7m",
        b"\x1b[31m",
        "\u{9b}".as_bytes(),
        "\u{202e}".as_bytes(),
    ] {
        assert!(
            !contains(raw, needle),
            "{:?} written to the terminal",
            String::from_utf8_lossy(needle)
        );
    }
    if !clears {
        assert!(!contains(raw, b"\x1b[2J"), "a screen clear was written");
    }
}

/// What the emulated terminal was asked to do besides drawing: nothing.
fn assert_terminal_untouched(tui: &Tui) {
    let r = tui.recorded();
    assert!(r.titles.is_empty(), "window title set: {:?}", r.titles);
    assert!(r.icon_names.is_empty(), "icon name set: {:?}", r.icon_names);
    assert_eq!(r.audible_bells, 0, "the bell rang");
    assert_eq!(r.visual_bells, 0, "a visual bell");
    assert!(r.clipboard.is_empty(), "the clipboard was written");
    assert_eq!(r.clipboard_reads, 0, "the clipboard was read");
    assert!(r.resize_requests.is_empty(), "{:?}", r.resize_requests);
    assert!(r.unhandled_osc.is_empty(), "{:?}", r.unhandled_osc);
    assert!(
        r.unhandled_controls.is_empty(),
        "{:?}",
        r.unhandled_controls
    );
    assert!(r.unhandled_escapes.is_empty(), "{:?}", r.unhandled_escapes);
}

#[test]
fn escape_payloads_in_every_field_never_reach_the_terminal() {
    let sandbox = Sandbox::new();
    let (body, fields) = hostile_push();
    let hits = String::from_utf8_lossy(&body)
        .matches("PWNED-TITLE2")
        .count();
    assert_eq!(hits, fields.len(), "one payload per poisoned field");
    let file = sandbox.write("hostile.json", std::str::from_utf8(&body).unwrap());
    let mut tui = Tui::start(sandbox, &["open", file.to_str().unwrap()], &[], 200, 60);
    tui.wait_for(&["1 Profile", "ACNM"]);

    // Every tab, at its top, end, a page down and the top again; every screen kept.
    let mut seen: std::collections::HashMap<char, String> = Default::default();
    for tab in ['1', '2', '3', '4', '5', '6'] {
        let mut screens = press(&mut tui, &tab.to_string());
        for keys in ["G", PAGE_DOWN, "g", PAGE_DOWN, PAGE_DOWN] {
            screens.push_str(&press(&mut tui, keys));
        }
        seen.insert(tab, screens);
    }
    for f in &fields {
        let screens = &seen[&f.tab];
        for marker in [format!("B{}", f.tag), format!("A{}", f.tag)] {
            assert!(
                screens.contains(&marker),
                "{marker} is not on tab {}:\n{screens}",
                f.tab
            );
        }
    }
    // The sequences show as placeholders: ␛ for each, ␇ for the bell, and the bidi override
    // as U+FFFD (shown here as ⍰).
    let profile = &seen[&'1'];
    assert!(profile.contains("␛␛␛␛␛␛␛␇␛␛"), "{profile}");
    assert!(profile.contains(REPLACEMENT_SHOWN), "{profile}");
    // Raw JSON shows every string as JSON text, escapes spelled out.
    assert!(
        seen[&'6'].contains(r"\u001b]0;PWNED-TITLE\u0007"),
        "{}",
        seen[&'6']
    );

    // Search the transcript for the text after a payload, and the raw JSON for text inside
    // one; then paste the payload itself into a search prompt.
    press(&mut tui, "5");
    let s = press(&mut tui, "/ARBT\r");
    assert!(s.contains("ARBT"), "{s}");
    press(&mut tui, "6");
    press(&mut tui, "g");
    let s = press(&mut tui, "/pwned-title2\r");
    // Counted per match or per matching line (a key and its value share a line).
    let lines = String::from_utf8_lossy(&body)
        .lines()
        .filter(|l| l.contains("PWNED-TITLE2"))
        .count();
    let at = |i: usize| [format!("{i}/{hits}"), format!("{i}/{lines}")];
    assert!(at(1).iter().any(|m| s.contains(m.as_str())), "{s}");
    let s = press(&mut tui, "n");
    assert!(at(2).iter().any(|m| s.contains(m.as_str())), "{s}");
    tui.send("/");
    tui.paste(&evil("PST"));
    let s = sync(&mut tui);
    assert!(
        s.contains("BPST"),
        "the pasted text shows in the prompt:\n{s}"
    );
    // A lone Esc must be read alone (crossterm reads `ESC ESC O P` as Esc, `O`, `P`):
    // its effect is waited for before the next key.
    tui.send_and_wait_change(ESC);
    // And into a form field.
    tui.send("f");
    tui.paste(&evil("FRM"));
    let s = sync(&mut tui);
    // The field shows the end of what was pasted.
    assert!(
        s.contains("AFRM"),
        "the pasted text shows in the form:\n{s}"
    );

    // Esc leaves the form for the answer.
    tui.send_and_wait_change(ESC);
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
    assert_output_clean(&tui.raw(), false);
    assert_terminal_untouched(&tui);
}

/// A size from the generator: mostly anything from 1×1 to 300×100, sometimes a zero.
fn storm_size(rng: &mut Rng) -> (u16, u16) {
    match rng.range(0, 19) {
        0 => (0, 0),
        1 => (rng.range(0, 300) as u16, 0),
        2 => (0, rng.range(0, 100) as u16),
        3..=5 => (rng.range(1, 10) as u16, rng.range(1, 5) as u16),
        _ => (rng.range(1, 300) as u16, rng.range(1, 100) as u16),
    }
}

/// Throws 200 sizes at the program, a tab key or a move between every two.
fn storm(tui: &mut Tui, seed: u64) {
    let mut rng = Rng(seed);
    let tabs = ["1", "2", "3", "4", "5", "6"];
    let moves = ["G", "g", PAGE_DOWN, "j", "k", "h", "l"];
    for i in 0..200 {
        let (w, h) = storm_size(&mut rng);
        tui.resize(w, h);
        match i % 3 {
            0 => tui.send(rng.pick(&tabs)),
            1 => tui.send(rng.pick(&moves)),
            _ => {}
        }
        assert!(
            !tui.exited(),
            "the program ended during the storm (resize {i}, {w}×{h})"
        );
    }
}

#[test]
fn a_storm_of_200_resizes_on_every_tab_leaves_it_answering() {
    let sandbox = Sandbox::new();
    let file = asset_path("02-full-match.json");
    let mut tui = Tui::start(sandbox, &["open", file.to_str().unwrap()], &[], 120, 40);
    tui.wait_for(&["1 Profile", "MARK ANTHONY VILLANUEVA"]);
    storm(&mut tui, 0x005e_ed0f_5702);
    // It takes a size under its minimum: its own message names it.
    tui.resize_seen(57, 13);
    // And a usable one, where it answers a key: the Call tab, laid out for 150×45 (the key
    // hints on the last row, the call's id in the body).
    tui.resize_seen(150, 45);
    tui.send("2");
    tui.wait_tab("2 Call");
    let s = tui.wait_screen("the Call tab at 150×45", |s| {
        let last = s.rows(0, 150).nth(44).unwrap_or_default();
        s.contents().contains("c6cd53ce322415c9f25e5d8dbeb4decf") && last.contains("q quit")
    });
    assert!(s.contains("hangup_type"), "{s}");
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
    assert_output_clean(&tui.raw(), true);
    assert_terminal_untouched(&tui);
}

/// The last size of a storm reaches the program without any further event. crossterm
/// 0.29 may lose a SIGWINCH that comes with keys (its event source returns on the first key
/// of a poll and drops the signal's edge-triggered readiness); the event loop listens for
/// SIGWINCH itself and asks the size again. Before that, about 4 rounds in 10 failed here.
#[test]
fn the_last_size_of_a_storm_is_never_lost() {
    for round in 0..5 {
        let sandbox = Sandbox::new();
        let file = asset_path("02-full-match.json");
        let mut tui = Tui::start(sandbox, &["open", file.to_str().unwrap()], &[], 120, 40);
        tui.wait_for(&["1 Profile", "MARK ANTHONY VILLANUEVA"]);
        storm(&mut tui, 0x005e_ed0f_5702 + round);
        tui.resize_strict(57, 13);
        // While too small only Ctrl-C acts.
        tui.send(CTRL_C);
        assert_eq!(tui.wait_exit(), 0);
    }
}

/// Closing the terminal (a window closed, an ssh session dropped) ends the program. On a
/// hung-up tty crossterm 0.29 reads end of file in a loop without returning (crossterm issue
/// 793), on the thread the event loop runs on; a watchdog on a runtime worker restores the
/// terminal and ends the process when the loop does not within 2 s of SIGHUP.
#[test]
fn closing_the_terminal_ends_the_program() {
    // The spin needs the hang-up to come while the event loop reads input: a few rounds.
    for round in 0..4 {
        let sandbox = Sandbox::new();
        let file = asset_path("02-full-match.json");
        let mut tui = Tui::start(sandbox, &["open", file.to_str().unwrap()], &[], 120, 40);
        tui.wait_for(&["1 Profile", "MARK ANTHONY VILLANUEVA"]);
        // Closed while it is busy with a burst of keys.
        let burst: String = std::iter::repeat_n("2j3k4G5g6 1", 40).collect();
        tui.close_terminal(&burst);
        let code = tui.exit_within_deadline();
        assert!(
            code.is_some_and(|c| c != 0),
            "round {round}: the program is still running {DEADLINE:?} after its terminal closed: it {}",
            tui.process_state()
        );
    }
}

/// Keys for the monkey: letters (but `q`), digits, arrows, paging, Tab, BackTab, Esc,
/// Enter, Backspace, the `/` and `:` prompts, F1, F2 and control keys (but Ctrl-C).
fn monkey_keys() -> Vec<String> {
    let mut keys: Vec<String> = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .filter(|c| *c != 'q')
        .map(String::from)
        .collect();
    for k in [
        UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN, TAB, BACKTAB, ESC, ENTER, BACKSPACE,
        F1, F2, " ", "/", ":", "?", "-", ".", "\x02", // Ctrl-B
        "\x12", // Ctrl-R
        "\x0e", // Ctrl-N
        "\x10", // Ctrl-P
        "\x15", // Ctrl-U
        "\x04", // Ctrl-D
        "\x01", // Ctrl-A
        "\x05", // Ctrl-E
        "\x0b", // Ctrl-K
        "\x17", // Ctrl-W
    ] {
        keys.push(k.to_string());
    }
    // The prompts and tab keys more often than the rest.
    for k in ["/", ":", "5", "6", ESC, ENTER, "G", PAGE_DOWN] {
        for _ in 0..3 {
            keys.push(k.to_string());
        }
    }
    keys
}

#[test]
fn six_hundred_random_keys_and_resizes_then_q_quits_cleanly() {
    let sandbox = Sandbox::new();
    // Nothing listens to queries: a listener that never answers, on 127.0.0.1, and no token.
    let (_listener, url) = silent_server();
    let file = asset_path("03-mismatch-heavy.json");
    let mut tui = Tui::start(
        sandbox,
        &["--base-url", &url, "open", file.to_str().unwrap()],
        &[],
        160,
        50,
    );
    tui.wait_for(&["1 Profile"]);
    let keys = monkey_keys();
    let mut rng = Rng(0x0006_000d_ea5e);
    for i in 0..600 {
        let k = rng.pick(&keys);
        assert!(k != "q" && k != CTRL_C);
        tui.send(&k);
        if i % 25 == 24 {
            let (w, h) = (rng.range(20, 250) as u16, rng.range(8, 80) as u16);
            tui.resize(w, h);
        }
        if i % 150 == 149 {
            // Alive and drawing: a round trip through its event loop.
            tui.barrier(160, 50);
        }
    }
    tui.barrier(160, 50);
    // Back to a known state: Esc closes the help, the history, a prompt or a search, and
    // leaves the form for the answer; each Esc read on its own.
    for _ in 0..4 {
        tui.send(ESC);
        tui.barrier(160, 50);
    }
    // It answers a key: the Call tab is selected. (Its body may be the failure of an Enter in
    // the form, which stays until the next answer.) The last Esc can still be unread when
    // the barrier's frame is drawn (the resize is a signal, the Esc a byte); read with the
    // `2` it is Alt-2, which does nothing: the `2` alone is sent again.
    let call = |s: &vt100::Screen| support::pty::selected_tab(s).is_some_and(|t| t == "2 Call");
    for _ in 0..3 {
        tui.send("2");
        if tui.holds_within(std::time::Duration::from_secs(5), call) {
            break;
        }
    }
    let s = tui.wait_tab("2 Call");
    assert!(
        s.contains("hangup_type") || s.contains("The request failed"),
        "{s}"
    );
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}
