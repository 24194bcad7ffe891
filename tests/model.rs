//! The tolerant model against the reference example and against drifted payloads.

#[path = "../src/proptest_config.rs"]
mod prop_runs;

use rudder_inspect::api::model::*;
use rudder_inspect::api::tolerant::*;
use serde_json::{Value, json};

fn reference_bytes() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/01-reference.json");
    std::fs::read(path).expect("the reference example is bundled")
}

fn parse(json: &str) -> Document {
    parse_document(json.as_bytes()).unwrap_or_else(|e| panic!("{e:?}\n{json}"))
}

fn envelope(json: &str) -> Envelope {
    match parse(json) {
        Document::Envelope(e) => e,
        Document::Push(_) => panic!("read as a push: {json}"),
    }
}

fn push(json: &str) -> Data {
    match parse(json) {
        Document::Push(d) => *d,
        Document::Envelope(_) => panic!("read as an envelope: {json}"),
    }
}

fn data_of(json: &str) -> Data {
    parse(json).data().cloned().expect("a push")
}

fn t(s: &str) -> Scalar {
    Scalar::text(s)
}

fn n(s: &str) -> Scalar {
    Scalar::Number(s.into())
}

fn num(s: &str) -> Value {
    Value::Number(s.parse().unwrap())
}

fn kv(entries: &[(&str, Value)]) -> Vec<(Box<str>, Value)> {
    entries
        .iter()
        .map(|(k, v)| ((*k).into(), v.clone()))
        .collect()
}

fn wrong_shape(bytes: &[u8]) -> String {
    match parse_document(bytes) {
        Err(ParseError::WrongShape(why)) => why,
        other => panic!(
            "{:?}: expected WrongShape, got {other:?}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

fn not_json(bytes: &[u8]) -> String {
    match parse_document(bytes) {
        Err(ParseError::NotJson(why)) => why,
        other => panic!(
            "{:?}: expected NotJson, got {other:?}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

// ------------------------------------------------------------------------------------------
// The reference example, every field.
// ------------------------------------------------------------------------------------------

#[test]
fn reference_example_every_field() {
    let doc = parse_document(&reference_bytes()).expect("the reference parses");
    let Document::Envelope(env) = &doc else {
        panic!("the reference is an envelope")
    };
    assert_eq!(env.code, n("200"));
    assert_eq!(env.status, t("OK"));
    assert_eq!(env.message, Scalar::Absent);
    assert!(env.unknown_keys.is_empty());
    assert!(env.unknown.is_empty());
    let DataSlot::Object(d) = &env.data else {
        panic!("data is an object: {:?}", env.data)
    };
    assert_eq!(doc.data(), Some(&**d));

    assert_eq!(d.shape, Shape::Sent);
    assert!(d.unknown.is_empty());
    assert_eq!(d.workflow_id, t("b761cdd784294xxxxxx869f85c"));
    assert_eq!(d.workflow_name, t("test_api_action4"));
    assert_eq!(d.node_id, t("6ade9e4443xxxxxx43a54b58"));
    assert_eq!(d.node_name, t("API1"));

    // callee
    let c = &d.callee;
    assert_eq!(c.shape, Shape::Sent);
    assert!(c.unknown.is_empty());
    assert_eq!(c.case_id, t("123456.0"));
    assert_eq!(c.callee_name, t("WILL SMITH"));
    assert_eq!(c.callee_gender, t(""));
    assert!(!c.callee_gender.is_set());
    assert_eq!(c.callee_number, t("+861xxxxxx721"));
    assert_eq!(c.platform_name, t("AIRUDDER"));
    assert_eq!(c.extra_a, t(""));
    assert_eq!(c.extra_b, t(""));
    assert_eq!(c.extra_c, t(""));
    assert_eq!(c.extra.shape, Shape::Sent);
    assert_eq!(c.extra.skipped, 0);
    assert_eq!(c.extra.len(), 1);
    let x = &c.extra.items[0];
    assert_eq!(x.shape, Shape::Sent);
    assert!(x.unknown.is_empty());
    assert_eq!(x.question, t("extend_callees"));
    assert_eq!(x.content, t("+861xxxxxx795,+861xxxxxx721"));
    assert_eq!(c.extend.shape, Shape::Sent);
    assert!(c.extend.unknown.is_empty());
    assert_eq!(c.extend.variables.shape, Shape::Sent);
    assert!(c.extend.variables.is_empty());
    assert_eq!(c.extend.detail_source, t("web"));
    assert_eq!(c.extend.pds_variables.shape, Shape::Sent);
    assert!(c.extend.pds_variables.is_empty());
    assert_eq!(c.comments, t("123456.0"));
    assert_eq!(c.borrowed_date, t("2024-02-01"));
    assert_eq!(c.due_date, t("2024-03-07"));
    assert_eq!(c.borrowed_amount, t("20000.00"));
    assert_eq!(c.total_owing_amount, t("20310.00"));
    assert_eq!(c.currency_unit, t("USD"));

    // custom_attribute
    assert_eq!(d.custom_attribute.shape, Shape::Sent);
    assert_eq!(d.custom_attribute.raw, None);
    assert_eq!(
        d.custom_attribute.entries,
        kv(&[("a", json!("1")), ("b", json!("2"))])
    );

    // call
    let call = &d.call;
    assert_eq!(call.shape, Shape::Sent);
    assert!(call.unknown.is_empty());
    assert_eq!(call.task_id, t("459acf3df0ecxxxxxx9679dc208ad96"));
    assert_eq!(call.call_id, t("cd878f6611adxxxxxx1a5a3ec5525b"));
    assert_eq!(call.callee_number, t("+8618717905721"));
    assert_eq!(call.robot_id, t("4585"));
    assert_eq!(call.call_start_time, t("2024-03-12 14:54:26"));
    assert_eq!(call.call_end_time, t("2024-03-12 14:54:52"));
    assert_eq!(call.call_times, n("4"));
    assert_eq!(call.call_times.as_i64(), Some(4));
    assert_eq!(call.ring_type, t("normal"));
    assert_eq!(call.hangup_type, t("ByRobot"));
    assert_eq!(call.intention, t("E"));
    assert_eq!(call.slots.shape, Shape::Blank);
    assert!(call.slots.is_empty());
    assert_eq!(call.ner_slots.shape, Shape::Sent);
    assert_eq!(
        call.ner_slots.entries,
        kv(&[("item_name", json!("da")), ("receivetime", json!("2"))])
    );

    assert_eq!(call.redial_call.shape, Shape::Sent);
    assert_eq!(call.redial_call.skipped, 0);
    let redials: Vec<[&str; 8]> = call
        .redial_call
        .iter()
        .map(|r| {
            assert_eq!(r.shape, Shape::Sent);
            assert!(r.unknown.is_empty());
            assert_eq!(r.ring_time.kind(), Some(Kind::Number));
            [
                r.call_id.show(),
                r.call_start_time.show(),
                r.ring_type.show(),
                r.ring_time.show(),
                r.hangup_type.show(),
                r.result_label.show(),
                r.callee_number.show(),
                r.caller_number.show(),
            ]
        })
        .collect();
    assert_eq!(
        redials,
        [
            [
                "ef1a7953b0cxxxxxxab653217cd24",
                "2024-03-12 14:51:15",
                "normal",
                "0",
                "ByCallee",
                "F",
                "+861xxxxxx795",
                "+950xxxxxx0088",
            ],
            [
                "df831fc0491xxxxxx7f1114605f9de",
                "2024-03-12 14:51:24",
                "normal",
                "7",
                "ByCallee",
                "F",
                "+8618xxxxxx721",
                "+950xxxxxx088",
            ],
            [
                "f27a2d3c1dxxxxxx693ed0cfe93d77aa",
                "2024-03-12 14:52:23",
                "normal",
                "0",
                "ByCallee",
                "F",
                "+861xxxxxx1795",
                "+950xxxxxx088",
            ],
        ]
    );

    assert_eq!(call.talk_round, n("0"));
    assert_eq!(call.ring_time, n("2"));

    assert_eq!(call.question_answer.shape, Shape::Sent);
    assert_eq!(call.question_answer.len(), 1);
    let qa = &call.question_answer.items[0];
    assert_eq!(qa.shape, Shape::Sent);
    assert!(qa.unknown.is_empty());
    assert_eq!(qa.question_name, t("Q1"));
    assert_eq!(qa.answer, t("ss02"));
    assert_eq!(qa.answer_text, t("s s cero dos"));
    assert_eq!(qa.status, t("Completed"));
    assert_eq!(qa.answer_text_slot, t("s02;02"));
    assert_eq!(qa.var, t("S02"));
    assert_eq!(qa.verification_results, t("Match"));
    assert_eq!(qa.question_content, t("CURP Verification"));
    assert_eq!(qa.question_type, t("open"));
    assert_eq!(qa.whether_answer, t("Answered"));

    assert_eq!(call.multi_label.shape, Shape::Sent);
    assert_eq!(
        call.multi_label.entries,
        kv(&[
            ("A0", json!("A0")),
            ("Correct_Person", json!("identity_correct_person")),
            (
                "Request_Installment",
                json!("action_item_request_installment")
            ),
        ])
    );
    assert_eq!(call.intention_description, t("Needs Follow Up"));
    assert_eq!(call.asr_ptp, t(""));

    assert_eq!(call.asr_result.shape, Shape::Sent);
    assert_eq!(call.asr_result.skipped, 0);
    let asr: Vec<(&str, &str, &str)> = call
        .asr_result
        .iter()
        .map(|a| {
            assert_eq!(a.shape, Shape::Sent);
            assert!(a.unknown.is_empty());
            assert_eq!(a.text.kind(), Some(Kind::String));
            (a.time.show(), a.robottext.show(), a.text.show())
        })
        .collect();
    assert_eq!(
        asr,
        [
            ("00:00:00", "halo (jeda 1-2 detik) selamat siang", ""),
            ("00:00:03", "Apa boleh minta waktunya sebentar?", ""),
            ("00:00:10", "", ""),
            ("00:00:10", "Halo", ""),
            ("00:00:13", "", ""),
            ("00:00:13", "mengapa tidak berbicara?", ""),
            ("00:00:18", "", ""),
            ("00:00:18", "Halo? Apa suara saya terdengar?", ""),
        ]
    );
    assert_eq!(call.caller_number, t("+95xxxxxx0088"));
}

#[test]
fn reference_data_alone_is_a_push_with_the_same_fields() {
    let full: Value = serde_json::from_slice(&reference_bytes()).unwrap();
    let bare = serde_json::to_string(&full["data"]).unwrap();
    let d = push(&bare);
    let Document::Envelope(env) = parse_document(&reference_bytes()).unwrap() else {
        unreachable!()
    };
    let DataSlot::Object(from_env) = env.data else {
        unreachable!()
    };
    assert_eq!(d, *from_env);
}

#[test]
fn reference_keys_are_all_documented() {
    assert_eq!(
        Data::KEYS,
        [
            "workflow_id",
            "workflow_name",
            "node_id",
            "node_name",
            "callee",
            "custom_attribute",
            "call"
        ]
    );
    assert_eq!(Callee::KEYS.len(), 16);
    assert_eq!(Call::KEYS.len(), 21);
    assert_eq!(RedialCall::KEYS.len(), 8);
    assert_eq!(QuestionAnswer::KEYS.len(), 10);
    assert_eq!(AsrItem::KEYS, ["time", "robottext", "text"]);
    assert_eq!(ExtraItem::KEYS, ["Question", "Content"]);
    assert_eq!(
        Extend::KEYS,
        ["variables", "detail_source", "pds_variables"]
    );
}

// ------------------------------------------------------------------------------------------
// Drift: kinds swapped.
// ------------------------------------------------------------------------------------------

#[test]
fn numbers_as_strings_and_strings_as_numbers() {
    let env = envelope(
        r#"{
        "code": "200", "status": "OK",
        "data": {
            "workflow_id": 761, "workflow_name": true, "node_id": 6.50, "node_name": null,
            "callee": {
                "case_id": 123456.0, "callee_name": 42, "callee_number": 8618717905721,
                "borrowed_amount": 20000.00, "total_owing_amount": 20310, "currency_unit": 840,
                "borrowed_date": 20240201, "extra": [{"Question": 1, "Content": 2.0}]
            },
            "custom_attribute": {"a": 1, "b": 2.50},
            "call": {
                "call_times": "4", "ring_time": "2", "talk_round": " 0 ", "robot_id": 4585,
                "call_id": 12345678901234567890123, "intention": 5,
                "redial_call": [{"ring_time": "7", "call_id": 1e5}],
                "asr_result": [{"time": 0, "robottext": 1.0, "text": false}]
            }
        }
    }"#,
    );
    assert_eq!(env.code, t("200"));
    assert_eq!(env.code.as_i64(), Some(200));
    let DataSlot::Object(d) = &env.data else {
        panic!()
    };
    assert_eq!(d.workflow_id, n("761"));
    assert_eq!(d.workflow_name, Scalar::Bool(true));
    assert_eq!(d.workflow_name.show(), "true");
    assert_eq!(d.node_id, n("6.50"));
    assert_eq!(d.node_name, Scalar::Null);
    let c = &d.callee;
    assert_eq!(c.case_id, n("123456.0"));
    assert_eq!(c.callee_name, n("42"));
    assert_eq!(c.callee_number, n("8618717905721"));
    assert_eq!(c.borrowed_amount, n("20000.00"));
    assert_eq!(c.borrowed_amount.as_f64(), Some(20000.0));
    assert_eq!(c.total_owing_amount, n("20310"));
    assert_eq!(c.currency_unit, n("840"));
    assert_eq!(c.borrowed_date, n("20240201"));
    assert_eq!(c.extra.items[0].question, n("1"));
    assert_eq!(c.extra.items[0].content, n("2.0"));
    assert_eq!(
        d.custom_attribute.get("b").map(value_text).as_deref(),
        Some("2.50")
    );
    let call = &d.call;
    assert_eq!(call.call_times, t("4"));
    assert_eq!(call.call_times.as_i64(), Some(4));
    assert_eq!(call.ring_time.as_i64(), Some(2));
    assert_eq!(call.talk_round, t(" 0 "));
    assert_eq!(call.talk_round.as_i64(), Some(0));
    assert_eq!(call.robot_id, n("4585"));
    assert_eq!(call.call_id, n("12345678901234567890123"));
    assert_eq!(call.intention, n("5"));
    assert_eq!(call.redial_call.items[0].ring_time, t("7"));
    assert_eq!(
        call.redial_call.items[0].call_id,
        n("1e+5"),
        "serde_json normalises exponents"
    );
    let a = &call.asr_result.items[0];
    assert_eq!(
        (a.time.clone(), a.robottext.clone(), a.text.clone()),
        (n("0"), n("1.0"), Scalar::Bool(false))
    );
}

#[test]
fn blank_strings_for_every_object_and_list() {
    let d = push(
        r#"{
        "workflow_id": "", "callee": "", "custom_attribute": "", "call": "  "
    }"#,
    );
    assert_eq!(d.workflow_id, t(""));
    assert_eq!(d.callee.shape, Shape::Blank);
    assert_eq!(d.custom_attribute.shape, Shape::Blank);
    assert!(d.custom_attribute.is_empty());
    assert_eq!(d.call.shape, Shape::Blank);
    assert!(!d.call.shape.is_present());
    assert!(d.unknown.is_empty() && d.callee.unknown.is_empty() && d.call.unknown.is_empty());

    let d = push(
        r#"{
        "callee": {"extra": "", "extend": ""},
        "call": {"slots": "", "ner_slots": "", "redial_call": "", "question_answer": "",
                 "multi_label": "", "asr_result": ""}
    }"#,
    );
    assert_eq!(d.callee.shape, Shape::Sent);
    assert_eq!(d.callee.extra.shape, Shape::Blank);
    assert!(d.callee.extra.is_empty());
    assert_eq!(d.callee.extend.shape, Shape::Blank);
    let call = &d.call;
    for m in [&call.slots, &call.ner_slots, &call.multi_label] {
        assert_eq!((m.shape, m.is_empty()), (Shape::Blank, true));
    }
    assert_eq!(
        (call.redial_call.shape, call.redial_call.len()),
        (Shape::Blank, 0)
    );
    assert_eq!(
        (call.question_answer.shape, call.question_answer.len()),
        (Shape::Blank, 0)
    );
    assert_eq!(
        (call.asr_result.shape, call.asr_result.len()),
        (Shape::Blank, 0)
    );
}

#[test]
fn empty_containers_of_the_other_kind_are_empty() {
    let d = push(
        r#"{
        "callee": [], "custom_attribute": [],
        "call": {"redial_call": {}, "question_answer": {}, "asr_result": [], "ner_slots": [],
                 "multi_label": {}}
    }"#,
    );
    assert_eq!(d.callee.shape, Shape::Blank);
    assert_eq!(d.custom_attribute.shape, Shape::Blank);
    assert_eq!(d.call.redial_call.shape, Shape::Blank);
    assert!(d.call.redial_call.is_empty());
    assert_eq!(d.call.question_answer.shape, Shape::Blank);
    assert_eq!(d.call.asr_result.shape, Shape::Sent);
    assert_eq!(d.call.ner_slots.shape, Shape::Blank);
    assert_eq!(d.call.multi_label.shape, Shape::Sent);
}

#[test]
fn nulls_everywhere() {
    let env = envelope(r#"{"data": null, "code": null, "status": null, "message": null}"#);
    assert_eq!(env.data, DataSlot::Null);
    assert_eq!(env.code, Scalar::Null);
    assert_eq!(env.status, Scalar::Null);
    assert_eq!(env.message, Scalar::Null);

    let d = push(
        r#"{
        "workflow_id": null, "workflow_name": null, "node_id": null, "node_name": null,
        "callee": {
            "case_id": null, "callee_name": null, "callee_gender": null, "callee_number": null,
            "platform_name": null, "extra_a": null, "extra_b": null, "extra_c": null,
            "extra": [null, {"Question": null, "Content": null}], "extend": {"variables": null,
            "detail_source": null, "pds_variables": null}, "comments": null,
            "borrowed_date": null, "due_date": null, "borrowed_amount": null,
            "total_owing_amount": null, "currency_unit": null
        },
        "custom_attribute": null,
        "call": {
            "task_id": null, "call_id": null, "callee_number": null, "robot_id": null,
            "call_start_time": null, "call_end_time": null, "call_times": null, "ring_type": null,
            "hangup_type": null, "intention": null, "intention_description": null, "slots": null,
            "ner_slots": null, "redial_call": null, "talk_round": null, "ring_time": null,
            "question_answer": [null], "multi_label": null, "asr_ptp": null,
            "asr_result": [{"time": null, "robottext": null, "text": null}], "caller_number": null
        }
    }"#,
    );
    for s in [&d.workflow_id, &d.workflow_name, &d.node_id, &d.node_name] {
        assert_eq!(*s, Scalar::Null);
    }
    let c = &d.callee;
    for s in [
        &c.case_id,
        &c.callee_name,
        &c.callee_gender,
        &c.callee_number,
        &c.platform_name,
        &c.extra_a,
        &c.extra_b,
        &c.extra_c,
        &c.comments,
        &c.borrowed_date,
        &c.due_date,
        &c.borrowed_amount,
        &c.total_owing_amount,
        &c.currency_unit,
        &c.extend.detail_source,
    ] {
        assert_eq!(*s, Scalar::Null);
        assert_eq!(s.show(), "");
    }
    assert_eq!((c.extra.len(), c.extra.skipped), (1, 1));
    assert_eq!(c.extra.items[0].question, Scalar::Null);
    assert_eq!(c.extend.variables.shape, Shape::Null);
    assert_eq!(c.extend.pds_variables.shape, Shape::Null);
    assert_eq!(d.custom_attribute.shape, Shape::Null);
    let call = &d.call;
    for s in [
        &call.task_id,
        &call.call_id,
        &call.callee_number,
        &call.robot_id,
        &call.call_start_time,
        &call.call_end_time,
        &call.call_times,
        &call.ring_type,
        &call.hangup_type,
        &call.intention,
        &call.intention_description,
        &call.talk_round,
        &call.ring_time,
        &call.asr_ptp,
        &call.caller_number,
    ] {
        assert_eq!(*s, Scalar::Null);
        assert_eq!(s.as_i64(), None);
    }
    for m in [&call.slots, &call.ner_slots, &call.multi_label] {
        assert_eq!(m.shape, Shape::Null);
    }
    assert_eq!(call.redial_call.shape, Shape::Null);
    assert_eq!(
        (call.question_answer.len(), call.question_answer.skipped),
        (0, 1)
    );
    assert_eq!(call.asr_result.items[0].text, Scalar::Null);

    let d = push(r#"{"callee": null, "call": null, "workflow_id": null}"#);
    assert_eq!(d.callee.shape, Shape::Null);
    assert_eq!(d.call.shape, Shape::Null);
}

#[test]
fn missing_lists_and_objects_are_absent() {
    let d = push(r#"{"workflow_id": "w", "callee": {}, "call": {"call_id": "c"}}"#);
    assert_eq!(d.custom_attribute, KvMap::default());
    assert_eq!(d.custom_attribute.shape, Shape::Absent);
    assert_eq!(d.callee.shape, Shape::Sent);
    assert_eq!(d.callee.extra, List::default());
    assert_eq!(d.callee.extra.shape, Shape::Absent);
    assert_eq!(d.callee.extend.shape, Shape::Absent);
    assert_eq!(d.callee.case_id, Scalar::Absent);
    let call = &d.call;
    assert_eq!(call.call_id, t("c"));
    for shape in [
        call.redial_call.shape,
        call.question_answer.shape,
        call.asr_result.shape,
    ] {
        assert_eq!(shape, Shape::Absent);
    }
    assert!(
        call.redial_call.is_empty()
            && call.question_answer.is_empty()
            && call.asr_result.is_empty()
    );
    assert_eq!(call.ner_slots.shape, Shape::Absent);

    let d = push(r#"{"node_id": "x"}"#);
    assert_eq!(d.callee.shape, Shape::Absent);
    assert_eq!(d.call.shape, Shape::Absent);
    assert_eq!(d.call.redial_call.shape, Shape::Absent);
}

#[test]
fn objects_and_lists_sent_as_json_text() {
    let d = push(
        r#"{
        "callee": "{\"case_id\": \"c1\", \"extra\": [{\"Question\": \"q\", \"Content\": \"v\"}]}",
        "custom_attribute": "{\"a\": 1.50}",
        "call": {
            "redial_call": "[{\"call_id\": \"r1\", \"ring_time\": 0}]",
            "ner_slots": "{\"item_name\": \"da\"}",
            "multi_label": "not json",
            "slots": "[\"s1\"]"
        }
    }"#,
    );
    assert_eq!(d.callee.shape, Shape::Encoded);
    assert_eq!(d.callee.case_id, t("c1"));
    assert_eq!(d.callee.extra.items[0].content, t("v"));
    assert_eq!(d.custom_attribute.shape, Shape::Encoded);
    assert_eq!(
        d.custom_attribute.get("a").map(value_text).as_deref(),
        Some("1.50")
    );
    assert_eq!(d.call.redial_call.shape, Shape::Encoded);
    assert_eq!(d.call.redial_call.items[0].call_id, t("r1"));
    assert_eq!(d.call.redial_call.items[0].ring_time, n("0"));
    assert_eq!(d.call.ner_slots.shape, Shape::Encoded);
    assert_eq!(d.call.multi_label.shape, Shape::Drifted(Kind::String));
    assert_eq!(d.call.multi_label.raw.as_deref(), Some("not json"));
    assert_eq!(d.call.slots.shape, Shape::Encoded);
    assert_eq!(d.call.slots.entries, kv(&[("[0]", json!("s1"))]));
}

#[test]
fn wrong_kinds_for_objects_and_lists_are_kept_or_counted() {
    let d = push(
        r#"{
        "workflow_id": "w",
        "callee": "WILL SMITH",
        "custom_attribute": 7,
        "call": [{"call_id": "only", "redial_call": {"call_id": "lone"}, "asr_result": 3,
                  "question_answer": "text", "multi_label": ["A0", "B1"]}]
    }"#,
    );
    assert_eq!(d.callee.shape, Shape::Drifted(Kind::String));
    assert_eq!(d.callee.unknown, kv(&[(AS_SENT_KEY, json!("WILL SMITH"))]));
    assert_eq!(d.custom_attribute.shape, Shape::Drifted(Kind::Number));
    assert_eq!(d.custom_attribute.raw.as_deref(), Some("7"));
    let call = &d.call;
    assert_eq!(call.shape, Shape::Drifted(Kind::List));
    assert_eq!(call.call_id, t("only"));
    assert_eq!(call.redial_call.shape, Shape::Drifted(Kind::Object));
    assert_eq!(call.redial_call.items[0].call_id, t("lone"));
    assert_eq!(
        (call.asr_result.shape, call.asr_result.skipped),
        (Shape::Drifted(Kind::Number), 1)
    );
    assert_eq!(
        (call.question_answer.shape, call.question_answer.skipped),
        (Shape::Drifted(Kind::String), 1)
    );
    assert_eq!(call.multi_label.shape, Shape::Drifted(Kind::List));
    assert_eq!(
        call.multi_label.entries,
        kv(&[("[0]", json!("A0")), ("[1]", json!("B1"))])
    );

    let d = push(
        r#"{"node_id": "n", "call": [{"call_id": "a"}, {"call_id": "b"}], "callee": 20000.00}"#,
    );
    assert_eq!(d.call.shape, Shape::Drifted(Kind::List));
    assert_eq!(d.call.call_id, Scalar::Absent);
    assert_eq!(
        d.call.unknown,
        kv(&[(AS_SENT_KEY, json!([{"call_id": "a"}, {"call_id": "b"}]))])
    );
    assert_eq!(d.callee.unknown[0].1.to_string(), "20000.00");
}

// ------------------------------------------------------------------------------------------
// Unknown fields at every level.
// ------------------------------------------------------------------------------------------

#[test]
fn unknown_fields_at_every_level_are_kept_with_values() {
    let env = envelope(
        r#"{
        "trace_id": "t-1",
        "data": {
            "new_top": {"nested": [1, 2.50, null]},
            "callee": {
                "case_id": "c",
                "callee_age": 33,
                "extra": [{"Question": "q", "Content": "c", "Weight": 1.0}],
                "extend": {"detail_source": "api", "batch": "b7"}
            },
            "call": {
                "call_id": "x",
                "recording_url": "https://example.invalid/r.mp3",
                "redial_call": [{"call_id": "r", "sip_code": 486}],
                "question_answer": [{"question_name": "Q1", "confidence": 0.93}],
                "asr_result": [{"time": "00:00:01", "text": "hi", "speaker": "callee"}]
            },
            "flags": [true, false]
        },
        "code": 200,
        "status": "OK",
        "took_ms": 12.50,
        "msg": "fine"
    }"#,
    );
    let names: Vec<&str> = env.unknown_keys.iter().map(|k| &**k).collect();
    assert_eq!(names, ["trace_id", "took_ms"]);
    assert_eq!(
        env.unknown,
        kv(&[("trace_id", json!("t-1")), ("took_ms", num("12.50"))])
    );
    assert_eq!(env.unknown[1].1.to_string(), "12.50");
    assert_eq!(env.message, t("fine"));
    let DataSlot::Object(d) = &env.data else {
        panic!()
    };
    assert_eq!(
        d.unknown,
        kv(&[
            ("new_top", json!({"nested": [1, num("2.50"), null]})),
            ("flags", json!([true, false])),
        ])
    );
    assert_eq!(d.unknown[0].1.to_string(), r#"{"nested":[1,2.50,null]}"#);
    assert_eq!(d.callee.unknown, kv(&[("callee_age", json!(33))]));
    assert_eq!(
        d.callee.extra.items[0].unknown,
        kv(&[("Weight", num("1.0"))])
    );
    assert_eq!(d.callee.extend.unknown, kv(&[("batch", json!("b7"))]));
    assert_eq!(d.callee.extend.detail_source, t("api"));
    assert_eq!(
        d.call.unknown,
        kv(&[("recording_url", json!("https://example.invalid/r.mp3"))])
    );
    assert_eq!(
        d.call.redial_call.items[0].unknown,
        kv(&[("sip_code", json!(486))])
    );
    assert_eq!(
        d.call.question_answer.items[0].unknown,
        kv(&[("confidence", num("0.93"))])
    );
    assert_eq!(
        d.call.asr_result.items[0].unknown,
        kv(&[("speaker", json!("callee"))])
    );
    let listed: Vec<&str> = unknown_of(&d.unknown).map(|(k, _)| k).collect();
    assert_eq!(listed, ["new_top", "flags"]);
}

#[test]
fn a_bare_push_with_its_own_status_or_message_is_still_a_push() {
    let d = push(
        r#"{"workflow_id": "w", "status": "Completed", "code": 7, "message": "m", "callee": {}}"#,
    );
    assert_eq!(d.shape, Shape::Sent);
    assert_eq!(d.workflow_id, t("w"));
    assert_eq!(
        d.unknown,
        kv(&[
            ("status", json!("Completed")),
            ("code", json!(7)),
            ("message", json!("m"))
        ])
    );
}

#[test]
fn push_keys_beside_data_stay_in_the_envelope_unknown() {
    let env =
        envelope(r#"{"workflow_id": "top", "data": {"workflow_id": "inner"}, "call": {"a": 1}}"#);
    let DataSlot::Object(d) = &env.data else {
        panic!()
    };
    assert_eq!(d.workflow_id, t("inner"));
    assert_eq!(
        env.unknown,
        kv(&[("workflow_id", json!("top")), ("call", json!({"a": 1}))])
    );
    assert_eq!(env.unknown_keys.len(), 2);
}

// ------------------------------------------------------------------------------------------
// Text in any script, byte-exact.
// ------------------------------------------------------------------------------------------

#[test]
fn cjk_rtl_and_emoji_text_is_kept_byte_exact() {
    let samples = [
        "王小明",
        "催收 · 验证 自定义API 节点数据推送",
        "山田太郎（やまだ たろう）",
        "김민준",
        "محمد بن سلمان",
        "مرحبا، هل يمكنك سماعي؟ ١٢٣",
        "שלום עולם",
        "עברית mixed with English 123",
        "👨‍👩‍👧‍👦 🇮🇩 👍🏽 ❤️",
        "\u{202E}override\u{202C} \u{200F}rlm",
        "e\u{301}\u{301} combining",
        "\u{FEFF}bom and \u{0}nul",
    ];
    for s in samples {
        let body = json!({
            "workflow_name": s,
            "callee": {"callee_name": s, "extra": [{"Question": s, "Content": s}], s: s},
            "custom_attribute": {s: s},
            "call": {"asr_result": [{"robottext": s, "text": s}], "intention_description": s},
        })
        .to_string();
        let d = push(&body);
        assert_eq!(d.workflow_name.show().as_bytes(), s.as_bytes());
        assert_eq!(d.callee.callee_name.show().as_bytes(), s.as_bytes());
        assert_eq!(d.callee.extra.items[0].question.show(), s);
        assert_eq!(d.callee.extra.items[0].content.show(), s);
        assert_eq!(d.callee.unknown, kv(&[(s, json!(s))]));
        assert_eq!(d.custom_attribute.get(s), Some(&json!(s)));
        assert_eq!(d.call.asr_result.items[0].robottext.show(), s);
        assert_eq!(d.call.asr_result.items[0].text.show(), s);
        assert_eq!(d.call.intention_description.show(), s);
    }
    // Escaped forms decode to the same text.
    let d = push(r#"{"node_name": "\u738b\u5c0f\u660e \u05e9\u05dc\u05d5\u05dd \ud83d\ude00"}"#);
    assert_eq!(d.node_name.show(), "王小明 שלום 😀");
}

// ------------------------------------------------------------------------------------------
// Document shapes.
// ------------------------------------------------------------------------------------------

#[test]
fn a_bare_data_object_is_a_push() {
    let doc = parse(r#"{"workflow_id": "w", "node_id": "n"}"#);
    let Document::Push(d) = &doc else {
        panic!("{doc:?}")
    };
    assert_eq!(d.shape, Shape::Sent);
    assert_eq!(d.workflow_id, t("w"));
    assert_eq!(doc.data().map(|d| d.node_id.show()), Some("n"));
    // Any one push key is enough, whatever its value.
    assert!(matches!(parse(r#"{"call": null}"#), Document::Push(_)));
    assert!(matches!(
        parse(r#"{"x": 1, "callee": ""}"#),
        Document::Push(_)
    ));
}

#[test]
fn envelope_data_slot_kinds() {
    assert_eq!(
        envelope(r#"{"data": null, "code": 200}"#).data,
        DataSlot::Null
    );
    assert_eq!(envelope(r#"{"data": ""}"#).data, DataSlot::Null);
    assert_eq!(envelope(r#"{"data": []}"#).data, DataSlot::Null);
    assert_eq!(
        envelope(r#"{"code": 200, "status": "OK"}"#).data,
        DataSlot::Absent
    );
    for (data, kind) in [
        ("[1, 2]", Kind::List),
        (
            r#"[{"workflow_id": "a"}, {"workflow_id": "b"}]"#,
            Kind::List,
        ),
        ("5", Kind::Number),
        ("20000.00", Kind::Number),
        ("-0", Kind::Number),
        (r#""no record""#, Kind::String),
        ("true", Kind::Bool),
    ] {
        let env = envelope(&format!(
            r#"{{"data": {data}, "code": 200, "status": "OK"}}"#
        ));
        assert_eq!(env.data, DataSlot::Wrong(kind), "{data}");
        assert_eq!(Document::Envelope(env).data(), None);
    }
    let env = envelope(r#"{"data": {}, "code": 200}"#);
    assert!(matches!(&env.data, DataSlot::Object(d) if d.shape == Shape::Sent));
    let env = envelope(r#"{"data": [{"workflow_id": "w"}], "code": 200}"#);
    let DataSlot::Object(d) = &env.data else {
        panic!("{:?}", env.data)
    };
    assert_eq!(
        (d.shape, d.workflow_id.clone()),
        (Shape::Drifted(Kind::List), t("w"))
    );
    let env = envelope(r#"{"data": "{\"workflow_id\": \"enc\"}", "code": 200}"#);
    let DataSlot::Object(d) = &env.data else {
        panic!("{:?}", env.data)
    };
    assert_eq!((d.shape, d.workflow_id.clone()), (Shape::Encoded, t("enc")));
}

#[test]
fn an_error_answer_without_data_is_an_envelope() {
    let env = envelope(r#"{"code": 401, "status": "Unauthorized", "message": "token invalid"}"#);
    assert_eq!(env.code, n("401"));
    assert_eq!(env.status, t("Unauthorized"));
    assert_eq!(env.message, t("token invalid"));
    assert_eq!(env.data, DataSlot::Absent);
    let env = envelope(r#"{"status": "error"}"#);
    assert_eq!(env.status, t("error"));
}

#[test]
fn top_level_that_is_not_an_object_is_wrong_shape() {
    for (body, kind) in [
        ("null", "null"),
        ("[]", "a list"),
        ("[{\"data\": {}}]", "a list"),
        ("\"\"", "a string"),
        ("\"{\\\"data\\\": {}}\"", "a string"),
        ("0", "a number"),
        ("-0", "a number"),
        ("20000.00", "a number"),
        ("12345678901234567890123", "a number"),
        ("1e400", "a number"),
        ("true", "a boolean"),
        ("  \n null \n ", "null"),
    ] {
        let why = wrong_shape(body.as_bytes());
        assert!(why.contains(kind), "{body}: {why}");
    }
}

#[test]
fn objects_without_anything_we_know_are_wrong_shape() {
    for body in [
        "{}",
        r#"{"foo": 1}"#,
        r#"{"message": "hello"}"#,
        r#"{"Data": {}}"#,
    ] {
        wrong_shape(body.as_bytes());
    }
    // An object that really has serde_json's private key is an object, not a number.
    wrong_shape(br#"{"$serde_json::private::Number": "5", "x": 1}"#);
    let d = push(r#"{"$serde_json::private::Number": {"a": 1}, "node_id": "n"}"#);
    assert_eq!(d.node_id, t("n"));
    assert_eq!(&*d.unknown[0].0, "$serde_json::private::Number");
}

#[test]
fn malformed_json_is_not_json() {
    let full = reference_bytes();
    for cut in [1, 10, full.len() / 2, full.len() - 2] {
        not_json(&full[..cut]);
    }
    for body in [
        "",
        "   ",
        "{",
        r#"{"data": }"#,
        r#"{"data": {"workflow_id": "x",}}"#,
        r#"{"data": {}} trailing"#,
        r#"{"data": {}} {}"#,
        "nul",
        "{'data': 1}",
        r#"{"a": 01}"#,
        r#"{"a": "\x"}"#,
        r#"{"a": NaN}"#,
    ] {
        not_json(body.as_bytes());
    }
    not_json(b"{\"workflow_id\": \"\xff\xfe\"}");
    not_json(b"\xef\xbb\xbf");
    not_json(b"\xef\xbb\xbf\xef\xbb\xbf{\"workflow_id\": \"two boms\"}");
}

#[test]
fn a_leading_byte_order_mark_is_ignored() {
    let d = match parse_document(b"\xef\xbb\xbf{\"workflow_id\": \"bom\"}") {
        Ok(Document::Push(d)) => d,
        other => panic!("{other:?}"),
    };
    assert_eq!(d.workflow_id, t("bom"));
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend(reference_bytes());
    assert_eq!(
        parse_document(&with_bom),
        parse_document(&reference_bytes())
    );
}

#[test]
fn duplicate_keys_last_wins() {
    let env = envelope(
        r#"{"code": 500, "data": {"workflow_id": "old"}, "code": 200,
            "data": {"workflow_id": "first", "workflow_id": "new", "x": 1, "x": 2,
                     "callee": {"case_id": "a", "case_id": "b"},
                     "custom_attribute": {"k": 1, "k": "last"}},
            "extra": 1, "extra": 2}"#,
    );
    assert_eq!(env.code, n("200"));
    assert_eq!(env.unknown, kv(&[("extra", json!(2))]));
    assert_eq!(env.unknown_keys.len(), 1);
    let DataSlot::Object(d) = &env.data else {
        panic!()
    };
    assert_eq!(d.workflow_id, t("new"));
    assert_eq!(d.unknown, kv(&[("x", json!(2))]));
    assert_eq!(d.callee.case_id, t("b"));
    assert_eq!(d.custom_attribute.entries, kv(&[("k", json!("last"))]));
    // ExtraItem takes `Question` and `question`: the later one wins.
    let d =
        push(r#"{"callee": {"extra": [{"question": "low", "Question": "up", "content": "c"}]}}"#);
    assert_eq!(d.callee.extra.items[0].question, t("up"));
    assert_eq!(d.callee.extra.items[0].content, t("c"));
}

#[test]
fn deep_nesting_inside_an_unknown_field() {
    // serde_json allows 128 levels; the push itself uses 2 (`{` + `"deep": …`).
    let depth = 120;
    let deep = format!(
        "{}\"bottom\"{}",
        "[{\"k\":".repeat(depth / 2),
        "}]".repeat(depth / 2)
    );
    let body = format!(r#"{{"workflow_id": "w", "deep": {deep}, "callee": {{"more": {deep}}}}}"#);
    let d = push(&body);
    assert_eq!(d.workflow_id, t("w"));
    let mut v = &d.unknown[0].1;
    let mut levels = 0;
    while let Some(next) = v.get(0).or_else(|| v.get("k")) {
        v = next;
        levels += 1;
    }
    assert_eq!((levels, v), (depth, &json!("bottom")));
    assert_eq!(d.callee.unknown[0].1.to_string(), deep.replace(' ', ""));

    // Deeper than serde_json's limit is refused cleanly (no stack overflow), as not JSON.
    for depth in [200, 100_000] {
        let body = format!(
            r#"{{"workflow_id": "w", "deep": {}1{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let why = not_json(body.as_bytes());
        assert!(why.contains("recursion"), "{why}");
    }
}

#[test]
fn long_strings_are_kept_whole() {
    let ascii: String = "0123456789".repeat(500);
    let cjk: String = "验证".repeat(2500);
    let emoji: String = "👨‍👩‍👧‍👦".repeat(5000 / 7 + 1);
    assert_eq!(ascii.chars().count(), 5000);
    assert_eq!(cjk.chars().count(), 5000);
    for s in [&ascii, &cjk, &emoji] {
        let body = json!({
            "node_name": s,
            "callee": {"comments": s, "long": s},
            "call": {"asr_result": [{"text": s}], "ner_slots": {"k": s}},
        })
        .to_string();
        let d = push(&body);
        assert_eq!(d.node_name.show(), s.as_str());
        assert_eq!(d.callee.comments.show(), s.as_str());
        assert_eq!(d.callee.unknown, kv(&[("long", json!(s))]));
        assert_eq!(d.call.asr_result.items[0].text.show(), s.as_str());
        assert_eq!(d.call.ner_slots.get("k"), Some(&json!(s)));
    }
    let d = push(&json!({"workflow_id": "w", ascii.clone(): 1}).to_string());
    assert_eq!(&*d.unknown[0].0, ascii.as_str());
}

#[test]
fn number_text_in_every_kind_of_place() {
    let d = data_of(
        r#"{"data": {
        "workflow_id": -0,
        "callee": {"borrowed_amount": 20000.00, "total_owing_amount": 12345678901234567890123,
                   "extend": {"variables": {"x": 0.10}, "raw": 1.000}},
        "custom_attribute": {"a": -0.0, "b": 1E5},
        "call": {"ring_time": 2.0, "redial_call": [{"ring_time": 7.00}]}
    }, "code": 200.0}"#,
    );
    assert_eq!(d.workflow_id, n("-0"));
    assert_eq!(d.callee.borrowed_amount, n("20000.00"));
    assert_eq!(d.callee.total_owing_amount, n("12345678901234567890123"));
    assert_eq!(
        d.callee
            .extend
            .variables
            .get("x")
            .map(value_text)
            .as_deref(),
        Some("0.10")
    );
    assert_eq!(value_text(&d.callee.extend.unknown[0].1), "1.000");
    assert_eq!(
        d.custom_attribute.get("a").map(value_text).as_deref(),
        Some("-0.0")
    );
    assert_eq!(
        d.custom_attribute.get("b").map(value_text).as_deref(),
        Some("1e+5")
    );
    assert_eq!(d.call.ring_time, n("2.0"));
    assert_eq!(d.call.redial_call.items[0].ring_time, n("7.00"));
    let env = envelope(r#"{"data": null, "code": 200.0}"#);
    assert_eq!(
        (env.code.clone(), env.code.as_i64()),
        (n("200.0"), Some(200))
    );
}

// ------------------------------------------------------------------------------------------
// Property: any value anywhere never breaks parsing.
// ------------------------------------------------------------------------------------------

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// Keys that steer values into interesting places.
    const KEYS: &[&str] = &[
        "data",
        "code",
        "status",
        "message",
        "workflow_id",
        "callee",
        "call",
        "custom_attribute",
        "extra",
        "extend",
        "redial_call",
        "asr_result",
        "question_answer",
        "ner_slots",
        "Question",
        "$serde_json::private::Number",
        "",
    ];

    const STRINGS: &[&str] = &[
        "",
        "  ",
        "{",
        "[",
        "{}",
        "[]",
        "null",
        "20000.00",
        r#"{"call_id": 1, "redial_call": "[{}]"}"#,
        r#"[{"Question": "q"}, 3, null]"#,
        r#"{"$serde_json::private::Number": "5"}"#,
        "王小明 مرحبا שלום 👨‍👩‍👧‍👦",
        "\u{202E}\u{1b}[31m",
    ];

    fn number() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "-?(0|[1-9][0-9]{0,40})(\\.[0-9]{1,12})?([eE][+-]?[0-9]{1,4})?"
                .prop_map(|s| Value::Number(s.parse().expect("a JSON number"))),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(KEYS).prop_map(String::from),
            1 => any::<String>(),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            number(),
            proptest::sample::select(STRINGS).prop_map(|s| Value::String(s.into())),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((key(), inner.clone()), 0..6)
                    .prop_map(|kvs| Value::Object(kvs.into_iter().collect())),
                // JSON inside a string.
                inner.prop_map(|v| Value::String(v.to_string())),
            ]
        })
    }

    /// Every place in `v` that holds a value: object fields and list items.
    fn places(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    at.push(k.clone());
                    out.push(at.clone());
                    places(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(format!("#{i}"));
                    out.push(at.clone());
                    places(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn slot<'a>(root: &'a mut Value, path: &[String]) -> &'a mut Value {
        path.iter()
            .fold(root, |v, step| match step.strip_prefix('#') {
                Some(i) => &mut v[i.parse::<usize>().unwrap()],
                None => &mut v[step.as_str()],
            })
    }

    /// True when `v` holds an object whose only key is serde_json's private number key with
    /// a number-like string: serde_json hands numbers over in exactly that form, so it reads
    /// back as that number (serde_json's own `Value` does the same).
    fn has_token_number(v: &Value) -> bool {
        match v {
            Value::Object(m) => {
                (m.len() == 1
                    && m.get("$serde_json::private::Number")
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.parse::<serde_json::Number>().is_ok()))
                    || m.values().any(has_token_number)
            }
            Value::Array(items) => items.iter().any(has_token_number),
            _ => false,
        }
    }

    fn reference() -> Value {
        serde_json::from_slice(&reference_bytes()).unwrap()
    }

    proptest! {
        #![proptest_config(crate::prop_runs::config_in(256, "proptest-regressions/tests/model.txt"))]

        #[test]
        fn any_value_in_place_of_any_field_parses(
            v in value(),
            pick in any::<proptest::sample::Index>(),
            bare in any::<bool>(),
            extra in value(),
        ) {
            let mut doc = reference();
            if bare {
                doc = doc["data"].take();
            }
            let mut all = Vec::new();
            places(&doc, &mut Vec::new(), &mut all);
            let path = pick.get(&all).clone();
            *slot(&mut doc, &path) = v;
            // An unknown field beside the documented ones, whose value must come back whole.
            let holder = if bare { &mut doc } else { &mut doc["data"] };
            let extra_kept = holder.is_object();
            if let Some(m) = holder.as_object_mut() {
                m.insert("zz_extra".into(), extra.clone());
            }
            let body = serde_json::to_vec(&doc).unwrap();
            match parse_document(&body) {
                Ok(parsed) => {
                    if let (true, false, Some(d)) =
                        (extra_kept, has_token_number(&extra), parsed.data())
                    {
                        let kept = d.unknown.iter().find(|(k, _)| &**k == "zz_extra");
                        prop_assert_eq!(kept.map(|(_, v)| v), Some(&extra));
                    }
                }
                Err(ParseError::WrongShape(_)) => {
                    // Only possible when the whole top level lost every key we know, which
                    // replacing one field of the reference cannot do.
                    prop_assert!(false, "WrongShape for {}", String::from_utf8_lossy(&body));
                }
                Err(e) => prop_assert!(false, "{:?} for {}", e, String::from_utf8_lossy(&body)),
            }
        }

        #[test]
        fn any_top_level_value_is_a_document_or_wrong_shape(v in value()) {
            let body = serde_json::to_vec(&v).unwrap();
            let result = parse_document(&body);
            match &v {
                Value::Object(m) => {
                    let known = m.contains_key("data")
                        || m.contains_key("code")
                        || m.contains_key("status")
                        || m.keys().any(|k| Data::KEYS.contains(&k.as_str()));
                    // A lone private number key holding a number-like string reads as a number.
                    let token_number = m.len() == 1
                        && m.get("$serde_json::private::Number")
                            .and_then(Value::as_str)
                            .is_some_and(|s| s.parse::<serde_json::Number>().is_ok());
                    match result {
                        Ok(_) => prop_assert!(known && !token_number),
                        Err(ParseError::WrongShape(_)) => prop_assert!(!known || token_number),
                        Err(e) => prop_assert!(false, "{:?}", e),
                    }
                }
                _ => prop_assert!(
                    matches!(result, Err(ParseError::WrongShape(_))),
                    "{:?}",
                    result
                ),
            }
        }
    }
}
