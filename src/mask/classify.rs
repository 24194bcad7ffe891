//! Which masking a JSON value gets, read from its key (and from the question of its row).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Class;
use super::fold::fold;

/// Words of a key: split at `_`, `-`, spaces, dots and lower→upper case changes, lowercased.
pub(super) fn segments(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `*_name` keys that name a thing, not a person.
const NOT_PERSON: &[&str] = &[
    "workflow",
    "node",
    "platform",
    "question",
    "robot",
    "task",
    "item",
    "file",
    "template",
    "label",
    "intention",
    "slot",
    "var",
    "variable",
    "field",
    "product",
    "bank",
    "app",
    "company",
    "campaign",
    "project",
    "queue",
    "skill",
    "key",
    "event",
    "type",
    "tag",
    "group",
    "sheet",
    "column",
    "table",
    "module",
    "action",
    "channel",
    "source",
    "intent",
];
const AMOUNT_WORDS: &[&str] = &[
    "amount",
    "owing",
    "arrear",
    "balance",
    "salary",
    "income",
    "debt",
    "principal",
];
const PHONE_WORDS: &[&str] = &[
    "number",
    "numbers",
    "phone",
    "phones",
    "mobile",
    "tel",
    "msisdn",
    "callee",
    "callees",
    "caller",
    "telephone",
    "cellphone",
    "cell",
    "whatsapp",
];
const TIME_WORDS: &[&str] = &["time", "times", "date", "timestamp", "ts", "at", "duration"];
/// Key words that say a name is the thing's, in the languages after the noun.
const THING_AFTER: &[&str] = &[
    "empresa",
    "compania",
    "compañia",
    "producto",
    "banco",
    "perusahaan",
    "produk",
];
/// Key words for a name, besides `name`.
const NAME_WORDS: &[&str] = &[
    "name",
    "names",
    "nombre",
    "nombres",
    "apellido",
    "apellidos",
    "nama",
    "surname",
    "firstname",
    "lastname",
];
/// Key words for a person other than the callee: their value is a name.
const PERSON_WORDS: &[&str] = &[
    "contact",
    "contacts",
    "contacto",
    "contactos",
    "kontak",
    "reference",
    "references",
    "referencia",
    "referencias",
    "referensi",
    "aval",
    "avales",
    "fiador",
    "guarantor",
    "guarantors",
    "penjamin",
    "spouse",
    "esposa",
    "esposo",
    "conyuge",
    "cónyuge",
    "pasangan",
    "suami",
    "istri",
    "relative",
    "relatives",
    "pariente",
    "kerabat",
    "keluarga",
    "emergency",
    "emergencia",
    "darurat",
    "father",
    "mother",
    "padre",
    "madre",
    "ayah",
    "ibu",
    "brother",
    "sister",
    "hermano",
    "hermana",
    "beneficiary",
    "beneficiario",
];
/// Key words that make a person key's value something about them, not their name
/// (`reference_no`, `contact_preference`).
const ABOUT_PERSON: &[&str] = &[
    "no",
    "nr",
    "num",
    "code",
    "codigo",
    "nomor",
    "type",
    "status",
    "preference",
    "preferences",
    "relation",
    "relationship",
    "count",
    "flag",
    "method",
    "consent",
    "result",
];
/// The same in Chinese, found anywhere in a key.
const PERSON_CJK: &[&str] = &[
    "姓名",
    "名字",
    "联系人",
    "联络人",
    "配偶",
    "担保",
    "保证人",
    "紧急",
    "亲属",
    "家属",
    "父亲",
    "母亲",
    "丈夫",
    "妻子",
    "客户名",
    "借款人",
];
/// Words naming an identity document or its number (`id` alone only in free text: in a
/// key it ends the ids of the case).
const IDENTITY_WORDS: &[&str] = &[
    "ktp",
    "nik",
    "curp",
    "passport",
    "pasaporte",
    "paspor",
    "dni",
    "ssn",
    "nric",
    "rfc",
    "ine",
    "cedula",
    "identity",
    "identidad",
    "identitas",
    "identification",
    "identificacion",
    "idcard",
];
/// Words after a leading `id` that make it a document number: `id_card`, `id_no`.
const ID_DOCUMENT: &[&str] = &["card", "number", "no", "nomor", "num", "document", "doc"];
/// Words that make an `id` a person's: `national_id`, `personal_id_number`.
const ID_OF_PERSON: &[&str] = &["national", "personal", "citizen"];
/// Phrases of a question about an identity document or "the last four digits", folded.
const IDENTITY_PHRASES: &[&str] = &[
    "last four",
    "last 4",
    "ultimos cuatro",
    "ultimos 4",
    "cuatro ultimos",
    "4 ultimos",
    "last digits",
    "ultimos digitos",
    "digit terakhir",
    "angka terakhir",
    "身份",
    "证件",
    "护照",
    "后四位",
    "后4位",
    "末四位",
    "尾号",
    "尾数",
    "后几位",
];

/// A key (folded) naming an identity document or its digits.
fn is_identity_key(folded: &str, segs: &[String]) -> bool {
    let has = |w: &str| segs.iter().any(|s| s == w);
    // A case's own ids (`case_id_no`, `call_id`) stay readable.
    let id_document = segs.first().is_some_and(|s| s == "id")
        && segs
            .get(1)
            .is_some_and(|s| ID_DOCUMENT.contains(&s.as_str()));
    segs.iter().any(|s| IDENTITY_WORDS.contains(&s.as_str()))
        || id_document
        || has("id") && ID_OF_PERSON.iter().any(|w| has(w))
        || {
            let spaced = folded.replace(['_', '-', '.'], " ");
            IDENTITY_PHRASES.iter().any(|p| spaced.contains(p))
        }
}

/// Whether `text` (a question, a robot's turn) asks for an identity document or its digits.
pub(super) fn mentions_identity(text: &str) -> bool {
    let folded = fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "id" || IDENTITY_WORDS.contains(&w))
        || IDENTITY_PHRASES.iter().any(|p| folded.contains(p))
}

/// How a value under `key` is masked.
pub fn classify(key: &str) -> Class {
    let lower = key.to_lowercase();
    let segs = segments(key);
    let has = |words: &[&str]| segs.iter().any(|s| words.contains(&s.as_str()));
    let last = segs.last().map(String::as_str).unwrap_or("");
    if is_identity_key(&fold(key), &segs) {
        return Class::Identity;
    }
    if matches!(last, "id" | "ids" | "uuid")
        || matches!(
            lower.as_str(),
            "taskid" | "callid" | "caseid" | "workflowid" | "nodeid" | "robotid"
        )
    {
        return Class::Keep;
    }
    if lower.contains("birth") || has(&["dob"]) {
        return Class::Birth;
    }
    if AMOUNT_WORDS.iter().any(|w| lower.contains(w)) {
        return Class::Amount;
    }
    if has(&["email", "mail"]) {
        return Class::Email;
    }
    let named = has(NAME_WORDS) || (lower.ends_with("name") && lower.len() > 4);
    if named {
        let first = segs.first().map(String::as_str).unwrap_or("");
        let thing = segs.len() > 1 && (NOT_PERSON.contains(&first) || has(THING_AFTER));
        return if thing { Class::Text } else { Class::Name };
    }
    if has(&["address", "addr"]) {
        return Class::Address;
    }
    if has(PHONE_WORDS) {
        return Class::Phone;
    }
    if has(TIME_WORDS) {
        return Class::Keep;
    }
    if (has(PERSON_WORDS) || PERSON_CJK.iter().any(|w| key.contains(w))) && !has(ABOUT_PERSON) {
        return Class::Name;
    }
    Class::Text
}

/// The class the answers of a question/answer row get from its question (a Q&A row's
/// `question_content`, an `extra` row's `Question`): a birth date, an identity document,
/// a person's name; `None` for any other question.
pub(super) fn row_class(map: &Map<String, Value>) -> Option<Class> {
    let questions = || {
        map.iter()
            .filter(|(k, _)| {
                k.as_bytes()
                    .windows(8)
                    .any(|w| w.eq_ignore_ascii_case(b"question"))
            })
            .filter_map(|(_, v)| v.as_str())
    };
    questions().next()?;
    if questions().any(mentions_birth) {
        Some(Class::Birth)
    } else if questions().any(mentions_identity) {
        Some(Class::Identity)
    } else if questions().any(|q| classify(q) == Class::Name) {
        Some(Class::Name)
    } else {
        None
    }
}

/// The classes of the keys met in one document, read once each: a transcript repeats the
/// same few keys 100,000 times.
#[derive(Debug, Default)]
pub(super) struct Classes(HashMap<String, Class>);

impl Classes {
    /// Keys remembered at most: a hostile document's many keys cost time, not memory.
    const MAX: usize = 4096;

    fn of(&mut self, key: &str) -> Class {
        if let Some(c) = self.0.get(key) {
            return *c;
        }
        let c = classify(key);
        if self.0.len() < Self::MAX {
            self.0.insert(key.to_string(), c);
        }
        c
    }

    /// The class of the value under `key` in an object of class `parent` whose row class
    /// is `row`.
    pub(super) fn child(&mut self, parent: Class, row: Option<Class>, key: &str) -> Class {
        if parent.is_forced() {
            return parent;
        }
        match row {
            Some(r) if is_answer_key(key) => r,
            _ => self.of(key),
        }
    }
}

/// Words that make a question about a birth date.
pub(super) fn mentions_birth(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "birth",
        "生日",
        "出生",
        "nacimiento",
        "lahir",
        "naissance",
        "nascimento",
        "geburt",
        "cumpleaños",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || segments(text).iter().any(|s| s == "dob")
}

/// Keys holding the answer in a question/answer row.
pub(super) fn is_answer_key(key: &str) -> bool {
    let segs = segments(key);
    if segs.iter().any(|s| s == "question" || s == "whether") {
        return false;
    }
    segs.iter().any(|s| s == "answer" || s == "answers")
        || matches!(
            segs.join("_").as_str(),
            "var" | "content" | "value" | "slot" | "slots" | "text" | "reply"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_classified() {
        assert_eq!(classify("callee_name"), Class::Name);
        assert_eq!(classify("name"), Class::Name);
        assert_eq!(classify("customerName"), Class::Name);
        assert_eq!(classify("workflow_name"), Class::Text);
        assert_eq!(classify("node_name"), Class::Text);
        assert_eq!(classify("platform_name"), Class::Text);
        assert_eq!(classify("callee_number"), Class::Phone);
        assert_eq!(classify("caller_number"), Class::Phone);
        assert_eq!(classify("PhoneNumber"), Class::Phone);
        assert_eq!(classify("borrowed_amount"), Class::Amount);
        assert_eq!(classify("total_owing_amount"), Class::Amount);
        assert_eq!(classify("owing"), Class::Amount);
        assert_eq!(classify("date_of_birth"), Class::Birth);
        assert_eq!(classify("birthday"), Class::Birth);
        assert_eq!(classify("DOB"), Class::Birth);
        for id in [
            "workflow_id",
            "node_id",
            "task_id",
            "call_id",
            "case_id",
            "robot_id",
            "TaskID",
        ] {
            assert_eq!(classify(id), Class::Keep, "{id}");
        }
        assert_eq!(classify("call_start_time"), Class::Keep);
        assert_eq!(classify("borrowed_date"), Class::Keep);
        assert_eq!(classify("time"), Class::Keep);
        assert_eq!(classify("robottext"), Class::Text);
        assert_eq!(classify("email"), Class::Email);
        assert_eq!(classify("home_address"), Class::Address);
    }

    #[test]
    fn person_and_identity_keys() {
        for k in [
            "reference_contact",
            "nombre_aval",
            "nama_penjamin",
            "guarantor",
            "spouse",
            "紧急联系人",
            "配偶姓名",
            "emergencyContact",
            "ContactoReferencia",
        ] {
            assert_eq!(classify(k), Class::Name, "{k}");
        }
        for k in [
            "nombre_empresa",
            "product_name",
            "产品名称",
            "extend_callees",
            "Correct_Person",
            "reference_no",
            "contact_preference",
            "contact_relation",
        ] {
            assert_ne!(classify(k), Class::Name, "{k}");
        }
        for k in [
            "CURP",
            "no_ktp",
            "NIK",
            "passport_no",
            "id_card",
            "national_id",
            "idNumber",
            "身份证后四位",
            "证件号码",
            "last_four_digits",
            "ultimos_4_digitos",
        ] {
            assert_eq!(classify(k), Class::Identity, "{k}");
        }
        // Phones, ids and times of a contact stay what they are.
        assert_eq!(classify("contact_number"), Class::Phone);
        assert_eq!(classify("reference_id"), Class::Keep);
        assert_eq!(classify("solicitud_id"), Class::Keep);
        assert_ne!(classify("case_id_no"), Class::Identity);
        assert_ne!(classify("call_id_number"), Class::Identity);
        assert_eq!(classify("contact_time"), Class::Keep);
    }

    #[test]
    fn questions_about_identity_birth_and_names() {
        for q in [
            "CURP Verification",
            "What is your ID number?",
            "¿Me puede decir su CURP?",
            "Sebutkan nomor KTP Anda",
            "身份核实（身份证后四位）",
            "Please tell me the last four digits",
            "¿Cuáles son los últimos cuatro dígitos?",
            "Identificación oficial",
            "Sebutkan empat angka terakhir NIK",
            "Tolong sebutkan 4 digit terakhir",
            "请说一下证件尾数",
        ] {
            assert!(mentions_identity(q), "{q}");
        }
        for q in [
            "Did you pay?",
            "Monthly income",
            "¿Dónde vive?",
            "identical",
        ] {
            assert!(!mentions_identity(q), "{q}");
        }
        let row = |q: &str| {
            let v = serde_json::json!({"question_content": q, "answer": "x"});
            row_class(v.as_object().unwrap())
        };
        assert_eq!(row("Date of birth"), Some(Class::Birth));
        assert_eq!(row("CURP"), Some(Class::Identity));
        assert_eq!(row("Reference contact name"), Some(Class::Name));
        assert_eq!(row("Full name verification"), Some(Class::Name));
        assert_eq!(row("紧急联系人"), Some(Class::Name));
        assert_eq!(row("Company name verification"), None);
        assert_eq!(row("Monthly income"), None);
        let mut classes = Classes::default();
        assert_eq!(
            classes.child(Class::Text, Some(Class::Name), "var"),
            Class::Name
        );
        assert_eq!(
            classes.child(Class::Text, Some(Class::Name), "question_content"),
            Class::Text
        );
    }
}
