//! PII masking for screenshots and tickets: the answer's JSON rewritten by key name and
//! value shape, so every view built from it (tabs, copies, exports, the Markdown report)
//! shows the masked values with no change of its own.
//!
//! - names and addresses (`callee_name`, `*_name` of a person, `name`/`nombre`/`nama`/
//!   `姓名`, `*address*`, and the values under keys naming another person: `reference`,
//!   `contact`, `aval`, `guarantor`, `spouse`, `联系人`, `配偶`, … in `extra` rows,
//!   `extend.variables`, `custom_attribute` and the answers of a question about a name):
//!   each word keeps its first letter, `WILL SMITH` → `W**** S****` (always four stars: no
//!   lengths given away);
//! - those names (not the addresses) wherever else they are written, in any case and with
//!   or without accents (compared folded: NFKD, marks dropped, lower case): every word of
//!   two letters or more, as a whole word (`señor hernández` → `señor h****`); a CJK name
//!   as a whole, by its given name (two characters or more) and by its surname followed by
//!   an honorific (`张先生` → `张****`);
//! - phone numbers (keys with `number`, `phone`, `mobile`, …): the country code and the last
//!   four digits stay, `+8618717905721` → `+86*******5721`;
//! - amounts (keys containing `amount`, `owing`, `balance`, …) → `*****`;
//! - dates of birth (keys with `birth`/`dob`, and the answers of a question about a birth
//!   date): every letter and digit → `*`, separators kept (`****-**-**`);
//! - identity documents (keys and questions naming an ID, CURP, KTP, NIK, passport, DNI,
//!   身份证 or "the last four digits"): the value and the answers, every letter and digit
//!   → `*`; in the transcript, the callee's turns after the robot asks for one have their
//!   digits hidden, spoken ones too (`三二一八`, `cuatro cinco`);
//! - any other text (transcript turns, Q&A answers, comments, custom attributes): numbers of
//!   6 or more digits (spaces, dots and dashes between digit groups allowed) → `*`, phone
//!   numbers written with a `+` as above, and the names above;
//! - ids (`workflow_id`, `node_id`, `task_id`, `call_id`, `case_id`, any `*_id`), times and
//!   dates other than birth dates, and the envelope's `code`/`status` stay readable, so a
//!   ticket can still be traced.
//!
//! Nothing here knows about the terminal.

use serde_json::Value;

use crate::api::client::interpret;
use crate::api::{Answer, ApiError};
use crate::case::diff::Change;

mod classify;
mod fold;
mod masker;
mod shapes;

pub use classify::classify;
pub use masker::Masker;
pub use shapes::{name, phone};

/// What a hidden amount (or anything hidden whole) shows.
pub const HIDDEN: &str = "*****";

/// How a value is masked, chosen by its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Ids, times, envelope fields: as sent.
    Keep,
    /// A person's name: masked, and its words hidden wherever else they are written.
    Name,
    /// Masked as a name, but its words (`de`, `calle`) are no one's name: not looked for
    /// elsewhere.
    Address,
    Phone,
    Email,
    Amount,
    Birth,
    /// An identity document or its digits (CURP, KTP, 身份证, "last four digits"): every
    /// letter and digit.
    Identity,
    /// Free text: long numbers, `+` phone numbers and the callee's name inside it.
    Text,
}

impl Class {
    /// Classes that every value below a key inherits (an amount's parts are amounts).
    pub(super) fn is_forced(self) -> bool {
        matches!(
            self,
            Class::Amount | Class::Birth | Class::Identity | Class::Name | Class::Address
        )
    }
}

/// Masks a JSON body; the result is compact JSON (numbers and key order as sent).
pub fn mask_bytes(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut doc: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    Masker::learn(&doc).mask_document(&mut doc);
    serde_json::to_vec(&doc).map_err(|e| e.to_string())
}

/// The same answer with its body masked, read again so every view derives from the masked
/// values. No state but its input: callable from any thread (a worker's, off the UI's).
pub fn mask_answer(answer: &Answer) -> Result<Answer, ApiError> {
    let body = mask_bytes(&answer.exchange.body).map_err(|detail| ApiError::NotJson {
        detail,
        body_start: String::new(),
        cause: None,
    })?;
    let mut exchange = answer.exchange.clone();
    exchange.body = bytes::Bytes::from(body);
    let mut masked = interpret(exchange)?;
    masked.encrypted = answer.encrypted;
    Ok(masked)
}

/// The first part of masking a big answer (from [`SKIM_FROM`](crate::api::client::SKIM_FROM)
/// bytes): the answer masked without its transcript, which holds nearly all of its bytes, so
/// the masked screen comes at once and the transcript follows ([`mask_answer`]). Its
/// `call.asr_result` is empty and [`Answer::left_out`] says so. `None` when the answer is
/// small, or its transcript cannot be told apart (it is then masked whole).
pub fn mask_head(answer: &Answer) -> Option<Result<Answer, ApiError>> {
    let body = &answer.exchange.body;
    if body.len() < crate::api::client::SKIM_FROM {
        return None;
    }
    let span = answer
        .left_out
        .transcript
        .clone()
        .or_else(|| crate::json::scan::transcript_span(body))
        .filter(|s| s.end <= body.len() && s.len() >= 2)?;
    let mut head = Vec::with_capacity(body.len() - span.len() + 2);
    head.extend_from_slice(&body[..span.start]);
    head.extend_from_slice(b"[]");
    head.extend_from_slice(&body[span.end..]);
    let masked = match mask_bytes(&head) {
        Ok(m) => m,
        // The whole answer says what is wrong with it.
        Err(_) => return None,
    };
    let placeholder = crate::json::scan::transcript_span(&masked).filter(|s| s.len() == 2)?;
    let mut exchange = answer.exchange.clone();
    exchange.body = bytes::Bytes::from(masked);
    let mut head = match interpret(exchange) {
        Ok(a) => a,
        Err(_) => return None,
    };
    // The span cut out must have been the transcript: it is empty now, and nothing else is.
    let asr = &head.data().call.asr_result;
    if !(asr.shape.is_present() && asr.is_empty()) {
        return None;
    }
    head.encrypted = answer.encrypted;
    head.left_out.transcript = Some(placeholder);
    Some(Ok(head))
}

/// The key a diff path ends in: `call.question_answer[0].answer` → `answer`,
/// `callee["odd key"]` → `odd key`, `call.redial_call[2]` → `redial_call`.
fn last_key(path: &str) -> String {
    let mut p = path;
    loop {
        if let Some(stripped) = p.strip_suffix(']') {
            let open = stripped.rfind('[').unwrap_or(0);
            let inner = &stripped[open + 1..];
            if let Ok(Value::String(k)) = serde_json::from_str::<Value>(inner) {
                return k;
            }
            p = &p[..open];
            if open == 0 {
                return String::new();
            }
        } else {
            return p.rsplit('.').next().unwrap_or(p).to_string();
        }
    }
}

/// The differences of the Diff view with both sides masked by their field's key.
pub fn mask_changes(changes: &[Change]) -> Vec<Change> {
    let keys: Vec<String> = changes.iter().map(|c| last_key(&c.path)).collect();
    // A name that changed is hidden in the other changes too.
    let m = Masker::learn_at(changes.iter().zip(&keys).flat_map(|(c, key)| {
        [&c.pushed, &c.record]
            .into_iter()
            .flatten()
            .map(move |v| (key.as_str(), v))
    }));
    changes
        .iter()
        .zip(keys)
        .map(|(c, key)| {
            let mut c = c.clone();
            for v in [&mut c.pushed, &mut c.record].into_iter().flatten() {
                if key.is_empty() {
                    m.mask_document(v);
                } else {
                    m.mask_at(&key, v);
                }
            }
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masking_can_move_to_another_thread() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Masker>();
        send_sync::<Answer>();
    }

    #[test]
    fn the_reference_example() {
        let body = include_bytes!("../../assets/demo/01-reference.json");
        let out = String::from_utf8(mask_bytes(body).unwrap()).unwrap();
        for kept in [
            "cd878f6611adxxxxxx1a5a3ec5525b",
            "459acf3df0ecxxxxxx9679dc208ad96",
            "b761cdd784294xxxxxx869f85c",
            "6ade9e4443xxxxxx43a54b58",
            "123456.0",
            "2024-03-12 14:54:26",
            "CURP Verification",
        ] {
            assert!(out.contains(kept), "{kept} should stay");
        }
        for hidden in [
            "WILL SMITH",
            "+861xxxxxx721",
            "+8618717905721",
            "18717905",
            "20000.00",
            "20310.00",
        ] {
            assert!(!out.contains(hidden), "{hidden} should be hidden: {out}");
        }
        assert!(out.contains("W**** S****"));
        assert!(out.contains("+86*******5721"));
        // The masked body reads as an answer again.
        let answer = interpret(crate::api::client::Exchange {
            url: "x".into(),
            status: 200,
            latency: std::time::Duration::ZERO,
            body: bytes::Bytes::from(out.into_bytes()),
            received_at: chrono::Local::now(),
        })
        .unwrap();
        assert_eq!(answer.data().callee.callee_name.show(), "W**** S****");
    }

    #[test]
    fn diff_paths_and_changes() {
        assert_eq!(last_key("callee.callee_name"), "callee_name");
        assert_eq!(last_key("call.redial_call[2]"), "redial_call");
        assert_eq!(last_key("call.question_answer[0].answer"), "answer");
        assert_eq!(last_key("callee[\"odd key\"]"), "odd key");
        assert_eq!(last_key("[3]"), "");
        let mut changes = vec![
            Change {
                path: "callee.callee_name".into(),
                kind: crate::case::diff::Kind::Changed,
                pushed: Some(json!("WILL SMITH")),
                record: Some(json!("WILL SMYTH")),
            },
            Change {
                path: "call.redial_call[1]".into(),
                kind: crate::case::diff::Kind::Added,
                pushed: Some(json!({"call_id": "abc", "callee_number": "+8618717905721"})),
                record: None,
            },
        ];
        changes.push(Change {
            path: "call.asr_result[0].robottext".into(),
            kind: crate::case::diff::Kind::Changed,
            pushed: Some(json!("Is this Will Smyth?")),
            record: Some(json!("Is this Will Smith?")),
        });
        let m = mask_changes(&changes);
        assert_eq!(m[2].pushed, Some(json!("Is this W**** S****?")));
        assert_eq!(m[2].record, Some(json!("Is this W**** S****?")));
        assert_eq!(m[0].pushed, Some(json!("W**** S****")));
        assert_eq!(m[0].record, Some(json!("W**** S****")));
        assert_eq!(
            m[1].pushed,
            Some(json!({"call_id": "abc", "callee_number": "+86*******5721"}))
        );
    }
}
