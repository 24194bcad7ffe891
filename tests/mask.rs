//! `--mask` end to end: every part of every person's name, in any case and accent, and the
//! digits of an identity document are gone from the report, while the ids of the case stay;
//! and masking a 100,000-turn push stays quick.

mod support;

use std::time::Instant;

use rudder_inspect::mask::mask_bytes;
use support::*;

/// `s` folded as masking compares it: accents dropped, lower case.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Asserts that no word of `words` is a whole word of `text` (compared folded), and that
/// no CJK name of `cjk` is anywhere in it.
fn assert_no_name(text: &str, words: &[&str], cjk: &[&str], what: &str) {
    let folded = fold(text);
    for w in folded.split(|c: char| !c.is_alphanumeric()) {
        assert!(!words.contains(&w), "{what}: {w:?} is still there:\n{text}");
    }
    for n in cjk {
        assert!(!text.contains(n), "{what}: {n:?} is still there:\n{text}");
    }
}

fn open_masked(file: &str, output: &str) -> String {
    let sandbox = Sandbox::new();
    let out = sandbox
        .cmd()
        .args(["open", "--output", output, "--mask"])
        .arg(asset_path(file))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn mismatch_heavy_names_every_spelling_and_the_reference_contact() {
    for output in ["md", "json"] {
        let text = open_masked("03-mismatch-heavy.json", output);
        assert_no_name(
            &text,
            &["luis", "fernando", "hernandez", "ortega", "rosa", "maria"],
            &[],
            output,
        );
        // The CURP is hidden whole.
        assert!(!text.contains("890821"), "{text}");
        assert!(!text.contains("HEOL"), "{text}");
        for id in [
            "fa9ebd88343c4d74679f184a2937535e",
            "c741b86f7354ce336dce262c8925a1a7",
            "MX-IC-884120",
            "ab1be777283fa5d6841af1f748e6e6d9",
            "cb232bbdf6658d7fa6c1dcad997639ed",
            "SOL-2024-118830",
            "IC_MX_ES_Verificacion_v3",
        ] {
            assert!(text.contains(id), "{output}: {id} should stay:\n{text}");
        }
    }
}

#[test]
fn chinese_names_with_honorifics_and_the_id_card_digits() {
    for output in ["md", "json"] {
        let text = open_masked("06-chinese.json", output);
        assert_no_name(
            &text,
            &[],
            &["张伟", "张先生", "李娜", "3218", "三二一八"],
            output,
        );
        for id in [
            "c1d64ccee1efef183c276433154c289f",
            "c7b8de6c9e8415cba9cada48b5fad1e3",
            "CN20240528001",
            "2f3c5b29f9510bae58e5ed6dad181888",
            "41cccb285b6af0174d3b3dc2d0d1fcb7",
        ] {
            assert!(text.contains(id), "{output}: {id} should stay:\n{text}");
        }
    }
}

/// A push whose callee and contacts are named in every field, case and accent.
const NAMED_EVERYWHERE: &str = r#"{"data": {
  "workflow_id": "wf0001", "node_id": "nd0001", "workflow_name": "cobranza José",
  "callee": {
    "case_id": "CASE-77", "callee_name": "José Ángel Núñez de la Peña",
    "callee_number": "+525512345678",
    "extra": [
      {"Question": "reference_contact", "Content": "Mónica Ybarra (hermana)"},
      {"Question": "nombre_aval", "Content": "Ulises Quiroga"},
      {"Question": "KTP", "Content": "3201234567890001"},
      {"Question": "note", "Content": "aval ULISES QUIROGA, esposa monica YBARRA"}
    ],
    "extend": {"variables": {"guarantor": "Beatriz Olmos", "ine": "IDMEX1234",
                             "memo": "llamar a beatriz o a NUNEZ"}},
    "comments": "jose angel nunez de la pena pidió no llamar"
  },
  "custom_attribute": {"spouse": "Renata Villaseñor", "nota": "renata villasenor paga"},
  "call": {
    "task_id": "task0001", "call_id": "call0001",
    "ner_slots": {"persona": "Jose Nuñez", "otro": "OLMOS"},
    "question_answer": [
      {"question_content": "Nombre completo", "answer": "jose angel", "var": "JOSÉ ÁNGEL"},
      {"question_content": "Últimos cuatro dígitos de su INE", "answer": "4521",
       "answer_text": "cuatro cinco dos uno"},
      {"question_content": "Pago", "answer_text": "Ulises paga, dijo Renata"}
    ],
    "redial_call": [{"call_id": "call0000", "note": "Peña no contestó"}],
    "asr_result": [
      {"time": "00:00:01", "robottext": "¿Hablo con el señor Núñez?", "text": ""},
      {"time": "00:00:04", "robottext": "", "text": "sí, soy josé ángel NUÑEZ DE LA PEÑA"},
      {"time": "00:00:08", "robottext": "¿Me dice su KTP o los últimos cuatro dígitos?", "text": ""},
      {"time": "00:00:12", "robottext": "", "text": "es 4521, o sea cuatro cinco dos uno"},
      {"time": "00:00:15", "robottext": "Gracias. ¿Conoce a Beatriz Olmos?", "text": "no, a Mónica sí"}
    ]
  }
}, "status": "OK", "code": 200}"#;

#[test]
fn every_name_in_every_field_and_the_id_digits() {
    let out = String::from_utf8(mask_bytes(NAMED_EVERYWHERE.as_bytes()).unwrap()).unwrap();
    assert_no_name(
        &out,
        &[
            "jose",
            "angel",
            "nunez",
            "de",
            "la",
            "pena",
            "monica",
            "ybarra",
            "ulises",
            "quiroga",
            "beatriz",
            "olmos",
            "renata",
            "villasenor",
        ],
        &[],
        "mask_bytes",
    );
    for digits in ["4521", "cuatro cinco", "3201234567890001", "1234"] {
        assert!(!out.contains(digits), "{digits} should be hidden:\n{out}");
    }
    for id in [
        "wf0001", "nd0001", "CASE-77", "task0001", "call0001", "call0000",
    ] {
        assert!(out.contains(id), "{id} should stay:\n{out}");
    }
    // What is not a name stays readable.
    assert!(out.contains("pidi"), "{out}");
    assert!(out.contains("Gracias"), "{out}");
}

/// Masking a 100,000-turn push (about 20 MB) in a debug build: measured loosely, with a
/// bound wide enough for a loaded machine; the time is printed for the record.
#[test]
fn a_100k_turn_push_masks_in_bounded_time() {
    let body = rudder_inspect::generate::push(100_000, 3, 8, 7);
    let start = Instant::now();
    let out = mask_bytes(body.as_bytes()).unwrap();
    let took = start.elapsed();
    eprintln!(
        "masked {} MB of push (100,000 turns) in {took:?}",
        body.len() / 1_000_000
    );
    assert!(!out.is_empty());
    assert!(took.as_secs() < 120, "masking took {took:?}");
}
