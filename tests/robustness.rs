//! No input breaks the screen: arbitrary payloads go through parse → domain → drawing of every
//! tab at random sizes (proptest, bounded so CI runs it), hostile text never reaches the buffer
//! with its control characters, and Unicode keeps its widths at every width from 1 to 300.

#[path = "../src/proptest_config.rs"]
mod prop_runs;

use std::time::Duration;

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rudder_inspect::api::client::{Exchange, interpret};
use rudder_inspect::api::{Query, parse_document};
use rudder_inspect::app::{Action, App, Context, Source};
use rudder_inspect::case::CaseFacts;
use serde_json::{Value, json};

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn app_for(body: Vec<u8>) -> Option<App> {
    let answer = interpret(Exchange {
        url: "test.json".into(),
        status: 200,
        latency: Duration::ZERO,
        body: Bytes::from(body),
        received_at: chrono::Local::now(),
    })
    .ok()?;
    Some(App::new(Query::default(), Context::default()).with_answer(
        answer,
        Source::File {
            path: "test.json".into(),
        },
    ))
}

/// The skim without the transcript, then the transcript read, make the document one whole
/// read makes (the path `open` and queries take to their first frame).
fn same_read_skimmed(bytes: &[u8]) {
    use rudder_inspect::api::model::{complete, parse_head};
    match (parse_document(bytes), parse_head(bytes)) {
        (Ok(whole), Ok((head, left_out))) => {
            let read = complete(bytes, head, &left_out, |_| ()).unwrap();
            assert_eq!(read, whole);
        }
        (Ok(_), Err(e)) => panic!("the skim refused what the whole read took: {e:?}"),
        // A transcript is checked when it is read: then the whole read's error comes out.
        (Err(e), Ok((head, left_out))) => {
            assert!(
                !left_out.is_empty(),
                "the skim took what the whole read refused: {e:?}"
            );
            assert_eq!(complete(bytes, head, &left_out, |_| ()), Err(e));
        }
        (Err(_), Err(_)) => {}
    }
}

/// Draws every tab, moving around in each, at `w`×`h`; returns all screens' text.
fn draw_everything(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.update(Action::Resize(w, h));
    let mut text = String::new();
    for tab in ['1', '2', '3', '4', '5', '6'] {
        for a in [key(tab), key('G'), key('k'), key('g'), key('j')] {
            app.update(a);
            terminal.draw(|f| rudder_inspect::ui::draw(f, app)).unwrap();
        }
        for cell in terminal.backend().buffer().content() {
            text.push_str(cell.symbol());
        }
    }
    text
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e12f64..1e12).prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        Just(Value::String(String::new())),
        Just(Value::String(
            "\u{1b}]0;title\u{7}\u{9b}5m\u{202e}你好👨‍👩‍👧".into()
        )),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "workflow_id",
    "callee",
    "callee.callee_name",
    "callee.extra",
    "callee.extend",
    "custom_attribute",
    "call",
    "call.redial_call",
    "call.question_answer",
    "call.asr_result",
    "call.ner_slots",
    "call.multi_label",
    "call.call_start_time",
    "call.ring_time",
];

fn set(doc: &mut Value, path: &str, v: Value) {
    let mut cur = doc;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        if !cur.get(*p).is_some_and(Value::is_object) {
            cur[*p] = json!({});
        }
        cur = &mut cur[*p];
    }
    cur[parts[parts.len() - 1]] = v;
}

proptest! {
    #![proptest_config(crate::prop_runs::config_in(48, "proptest-regressions/tests/robustness.txt"))]

    /// Any value in any documented slot: it parses, derives and draws at any size.
    #[test]
    fn any_value_anywhere_draws(field in 0..FIELDS.len(), v in arb_json(), w in 1u16..=300, h in 1u16..=80) {
        let mut doc: Value = serde_json::from_slice(include_bytes!("../assets/demo/01-reference.json")).unwrap();
        set(&mut doc["data"], FIELDS[field], v);
        let bytes = serde_json::to_vec(&doc).unwrap();
        same_read_skimmed(&bytes);
        if let Some(mut app) = app_for(bytes) {
            draw_everything(&mut app, w, h);
        }
    }

    /// A push with one byte changed, inserted or removed anywhere (its transcript
    /// included, where the skim leaves the checking to the transcript's read): the skim and
    /// that read agree with the whole read, document or error.
    #[test]
    fn a_push_with_one_byte_wrong_skims_as_it_reads(
        seed in 0u64..50,
        at in 0.0f64..1.0,
        byte in prop::sample::select(b"\"\\[]{},:0 aq\x01\xff".to_vec()),
        how in 0u8..3,
    ) {
        let mut bytes = rudder_inspect::generate::push(12, 2, 2, seed).into_bytes();
        let i = ((bytes.len() - 1) as f64 * at) as usize;
        match how {
            0 => bytes[i] = byte,
            1 => bytes.insert(i, byte),
            _ => {
                bytes.remove(i);
            }
        }
        same_read_skimmed(&bytes);
    }

    /// Arbitrary bytes never panic the parser or the domain.
    #[test]
    fn any_bytes_parse_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        same_read_skimmed(&bytes);
        if let Ok(doc) = parse_document(&bytes)
            && let Some(d) = doc.data()
        {
            let _ = CaseFacts::derive(d);
        }
    }
}

fn hostile() -> Vec<u8> {
    let evil = "\u{1b}]0;PWNED-TITLE\u{7}\u{1b}[2J\u{1b}[5;7;31mBLINK\u{1b}[0m\u{7}\u{9b}31mC1\u{1b}P1$qm\u{1b}\\\r\nline2\ttab\u{202e}rtl";
    let e = |s: &str| format!("before {evil} after {s}");
    let mut doc: Value =
        serde_json::from_slice(include_bytes!("../assets/demo/01-reference.json")).unwrap();
    let d = &mut doc["data"];
    d["workflow_name"] = json!(e("wf"));
    d["callee"]["callee_name"] = json!(e("name"));
    d["callee"]["platform_name"] = json!(e("platform"));
    d["callee"]["extra"][0]["Content"] = json!(e("extra"));
    d["custom_attribute"] = json!({ e("key"): e("value") });
    d["call"]["hangup_type"] = json!(e("hangup"));
    d["call"]["ner_slots"] = json!({ e("slotkey"): e("slot") });
    d["call"]["redial_call"][0]["hangup_type"] = json!(e("redial"));
    d["call"]["question_answer"][0]["question_content"] = json!(e("qa"));
    d["call"]["question_answer"][0]["answer_text"] = json!(e("answer"));
    d["call"]["asr_result"][1]["robottext"] = json!(e("transcript"));
    serde_json::to_vec(&doc).unwrap()
}

#[test]
fn hostile_text_reaches_no_cell_with_a_control_character() {
    let mut app = app_for(hostile()).unwrap();
    for (w, h) in [(160, 50), (80, 24), (300, 90)] {
        let screen = draw_everything(&mut app, w, h);
        for c in screen.chars() {
            assert!(
                !c.is_control()
                    && !('\u{80}'..='\u{9f}').contains(&c)
                    && !('\u{202a}'..='\u{202e}').contains(&c),
                "control character {c:?} reached the screen at {w}x{h}"
            );
        }
        assert!(
            screen.contains("before"),
            "the text around the sequences is gone"
        );
        assert!(screen.contains("after"));
    }
}

#[test]
fn unicode_keeps_its_width_at_every_width() {
    let long = "字".repeat(2500) + &"x".repeat(2500);
    let mut doc: Value =
        serde_json::from_slice(include_bytes!("../assets/demo/06-chinese.json")).unwrap();
    let d = &mut doc["data"];
    d["callee"]["callee_name"] = json!("👨‍👩‍👧‍👦 Zoë 👍🏽 e\u{301}\u{301} محمد שלום 张伟");
    d["call"]["asr_result"][0]["robottext"] = json!(long);
    d["call"]["question_answer"][0]["question_content"] = json!("ÅÄÖ 漢字 👍🏿 عربي עברית");
    let mut app = app_for(serde_json::to_vec(&doc).unwrap()).unwrap();
    for w in (1..=300).step_by(7).chain([1, 2, 3, 59, 60, 61, 299, 300]) {
        let h = 6 + (w % 40);
        draw_everything(&mut app, w, h);
    }
}

#[test]
fn tables_stay_aligned_with_wide_characters() {
    let mut doc: Value =
        serde_json::from_slice(include_bytes!("../assets/demo/01-reference.json")).unwrap();
    doc["data"]["call"]["question_answer"][0]["question_name"] = json!("问题一");
    doc["data"]["call"]["question_answer"][0]["question_content"] = json!("身份验证 👍🏽");
    let mut app = app_for(serde_json::to_vec(&doc).unwrap()).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    app.update(Action::Resize(160, 50));
    app.update(key('4'));
    terminal
        .draw(|f| rudder_inspect::ui::draw(f, &app))
        .unwrap();
    let buf = terminal.backend().buffer().clone();
    // Find the header row and the first data row; their column starts must line up, in cells.
    let find = |y: u16, needle: &str| -> Option<u16> {
        let first = needle.chars().next()?;
        (0..160u16).find(|&x| {
            buf[(x, y)].symbol().starts_with(first)
                && needle.chars().enumerate().all(|(i, c)| {
                    x + (i as u16) < 160 && buf[(x + i as u16, y)].symbol().starts_with(c)
                })
        })
    };
    let header = (0..50u16)
        .find(|&y| find(y, "content").is_some())
        .expect("a Q&A header row");
    let result_header = find(header, "result").expect("result column");
    let result_cell = find(header + 1, "Match").expect("the row's result");
    // "✓ Match": the symbol and a space before the word.
    assert_eq!(result_cell, result_header + 2);
    let content_header = find(header, "content").unwrap();
    assert_eq!(
        find(header + 1, "身").map(|x| x >= content_header),
        Some(true)
    );
}

/// Values a server has been seen to send, or could: huge, negative, fractional, out-of-range
/// dates, empty, wrong types.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "8208556621508",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "1e308",
    "-1e308",
    "1e400",
    "0.5",
    "-0.0",
    r#""99999999999999""#,
    r#""-99999999999999""#,
    r#""9223372036854775807""#,
    r#""9999-12-31 23:59:59""#,
    r#""0000-01-01 00:00:00""#,
    r#""2024-02-30 25:61:61""#,
    r#""262143-12-31 23:59:59""#,
    r#""""#,
    r#""NaN""#,
    "null",
    "true",
    "[]",
    "{}",
];

/// Every path to a scalar in `v`, as keys and indexes.
fn scalar_paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                at.push(json!(k));
                scalar_paths(child, at, out);
                at.pop();
            }
        }
        // Two items of a list are enough to reach every kind of slot in it.
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate().take(2) {
                at.push(json!(i));
                scalar_paths(child, at, out);
                at.pop();
            }
        }
        _ => out.push(at.clone()),
    }
}

fn slot<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, p| match p {
        Value::String(k) => &mut v[k.as_str()],
        n => &mut v[n.as_u64().unwrap() as usize],
    })
}

/// Each scalar slot of a push, one at a time, set to each extreme value: the model, the
/// domain, both reports and every tab take it without a panic.
#[test]
fn every_scalar_slot_takes_every_extreme_value() {
    for fixture in [
        &include_bytes!("../assets/demo/01-reference.json")[..],
        &include_bytes!("../assets/demo/04-many-redials.json")[..],
    ] {
        let doc: Value = serde_json::from_slice(fixture).unwrap();
        let mut paths = Vec::new();
        scalar_paths(&doc, &mut Vec::new(), &mut paths);
        assert!(paths.len() > 40, "only {} slots found", paths.len());
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        for path in &paths {
            for extreme in EXTREMES {
                let mut d = doc.clone();
                *slot(&mut d, path) = serde_json::from_str(extreme).unwrap();
                let bytes = serde_json::to_vec(&d).unwrap();
                let Ok(doc) = parse_document(&bytes) else {
                    continue;
                };
                if let Some(data) = doc.data() {
                    let facts = CaseFacts::derive(data);
                    let md = rudder_inspect::case::report::markdown(data, &facts);
                    assert!(!md.is_empty());
                }
                let _ = rudder_inspect::json::pretty::pretty(&bytes);
                if let Some(mut app) = app_for(bytes) {
                    app.update(Action::Resize(120, 40));
                    for tab in ['1', '2', '3', '4', '5', '6'] {
                        for a in [key(tab), key('G')] {
                            app.update(a);
                        }
                        terminal
                            .draw(|f| rudder_inspect::ui::draw(f, &app))
                            .unwrap();
                    }
                }
            }
        }
    }
}
