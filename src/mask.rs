//! PII masking for screenshots and tickets: the answer's JSON rewritten by key name and
//! value shape, so every view built from it (tabs, copies, exports, the Markdown report)
//! shows the masked values with no change of its own.
//!
//! - names (`callee_name`, `*_name` of a person, `name`, addresses): each word keeps its
//!   first letter, `WILL SMITH` → `W**** S****` (always four stars: no lengths given away);
//! - phone numbers (keys with `number`, `phone`, `mobile`, …): the country code and the last
//!   four digits stay, `+8618717905721` → `+86*******5721`;
//! - amounts (keys containing `amount`, `owing`, `balance`, …) → `*****`;
//! - dates of birth (keys with `birth`/`dob`, and the answers of a question about a birth
//!   date): every letter and digit → `*`, separators kept (`****-**-**`);
//! - any other text (transcript turns, Q&A answers, comments, custom attributes): numbers of
//!   6 or more digits (spaces, dots and dashes between digit groups allowed) → `*`, phone
//!   numbers written with a `+` as above, and the words of the callee's name wherever they
//!   occur;
//! - ids (`workflow_id`, `node_id`, `task_id`, `call_id`, `case_id`, any `*_id`), times and
//!   dates other than birth dates, and the envelope's `code`/`status` stay readable, so a
//!   ticket can still be traced.
//!
//! Nothing here knows about the terminal.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::api::client::interpret;
use crate::api::{Answer, ApiError};
use crate::case::diff::Change;

/// What a hidden amount (or anything hidden whole) shows.
pub const HIDDEN: &str = "*****";

/// How a value is masked, chosen by its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Ids, times, envelope fields: as sent.
    Keep,
    Name,
    Phone,
    Email,
    Amount,
    Birth,
    /// Free text: long numbers, `+` phone numbers and the callee's name inside it.
    Text,
}

impl Class {
    /// Classes that every value below a key inherits (an amount's parts are amounts).
    fn is_forced(self) -> bool {
        matches!(self, Class::Amount | Class::Birth | Class::Name)
    }
}

/// Words of a key: split at `_`, `-`, spaces, dots and lower→upper case changes, lowercased.
fn segments(key: &str) -> Vec<String> {
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

/// How a value under `key` is masked.
pub fn classify(key: &str) -> Class {
    let lower = key.to_lowercase();
    let segs = segments(key);
    let has = |words: &[&str]| segs.iter().any(|s| words.contains(&s.as_str()));
    let last = segs.last().map(String::as_str).unwrap_or("");
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
    let named = has(&["name", "names"]) || (lower.ends_with("name") && lower.len() > 4);
    if named {
        let first = segs.first().map(String::as_str).unwrap_or("");
        let thing = segs.len() > 1 && NOT_PERSON.contains(&first);
        return if thing { Class::Text } else { Class::Name };
    }
    if has(&["address", "addr"]) {
        return Class::Name;
    }
    if has(PHONE_WORDS) {
        return Class::Phone;
    }
    if has(TIME_WORDS) {
        return Class::Keep;
    }
    Class::Text
}

/// Words that make a question about a birth date.
fn mentions_birth(text: &str) -> bool {
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
fn is_answer_key(key: &str) -> bool {
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

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A digit, or an `x` standing for one in a number already partly hidden (`+861xxxxxx721`).
fn is_digit_like(c: char) -> bool {
    is_digit(c) || c == 'x' || c == 'X'
}

/// Digits of the country code at the start of `digits` (E.164: 1 to 3).
fn country_code_len(digits: &str) -> usize {
    const TWO: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if TWO.iter().any(|p| digits.starts_with(p)) {
        2
    } else {
        3
    }
}

/// A phone number: with a leading `+`, the country code and the last four digits stay;
/// without, the last four; a number of six digits or fewer (after the country code) is
/// hidden whole. Separators stay; `x` placeholders become `*`.
pub fn phone(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let plus = chars.iter().find(|c| !c.is_whitespace()) == Some(&'+');
    let positions: Vec<usize> = (0..chars.len())
        .filter(|&i| is_digit_like(chars[i]))
        .collect();
    let lead: String = positions
        .iter()
        .map(|&i| chars[i])
        .take_while(|c| is_digit(*c))
        .take(3)
        .collect();
    let cc = if plus && !lead.is_empty() {
        country_code_len(&lead).min(lead.chars().count())
    } else {
        0
    };
    let rest = positions.len().saturating_sub(cc);
    let tail = if rest > 6 { 4 } else { 0 };
    let mut out = chars.clone();
    for (n, &i) in positions.iter().enumerate() {
        let keep = n < cc || n >= positions.len() - tail;
        if !keep || !is_digit(chars[i]) {
            out[i] = '*';
        }
    }
    out.into_iter().collect()
}

/// A name: each word's first letter and four stars.
pub fn name(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut in_word = false;
    for c in s.chars() {
        if c.is_whitespace() {
            in_word = false;
            out.push(c);
        } else if !in_word {
            in_word = true;
            out.push(c);
            out.push_str("****");
        }
    }
    out
}

/// An e-mail address: the first letter of the local part and the domain.
fn email(s: &str) -> String {
    match s.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}****@{domain}")
        }
        None => name(s),
    }
}

/// A birth date or its answer: letters and digits become `*`, separators stay.
fn birth(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { '*' } else { c })
        .collect()
}

/// A word of the callee's name to hide inside free text.
#[derive(Debug, Clone)]
struct NameWord {
    /// Lowercased.
    word: Vec<char>,
    masked: String,
    /// Latin-like: matched only as a whole word; otherwise (CJK) anywhere.
    whole_word: bool,
}

/// The rules with what was learnt from the document (the names to hide in free text).
#[derive(Debug, Clone, Default)]
pub struct Masker {
    names: Vec<NameWord>,
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

impl Masker {
    /// Learns the names in `doc` (values of name keys), to hide them in free text too.
    pub fn learn(doc: &Value) -> Self {
        let mut m = Masker::default();
        m.collect(doc, Class::Text);
        m.names
            .sort_by(|a, b| b.word.len().cmp(&a.word.len()).then(a.word.cmp(&b.word)));
        m.names.dedup_by(|a, b| a.word == b.word);
        m
    }

    fn collect(&mut self, v: &Value, class: Class) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let c = if class.is_forced() {
                        class
                    } else {
                        classify(k)
                    };
                    self.collect(child, c);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.collect(i, class)),
            Value::String(s) if class == Class::Name => {
                for w in s.split_whitespace() {
                    let word: Vec<char> = w.chars().map(lower).collect();
                    let latin = word
                        .iter()
                        .all(|c| c.is_ascii() || c.is_alphabetic() && (*c as u32) < 0x2E80);
                    let long_enough = if latin {
                        word.len() >= 3
                    } else {
                        word.len() >= 2
                    };
                    if long_enough && word.iter().any(|c| c.is_alphabetic()) {
                        self.names.push(NameWord {
                            word,
                            masked: name(w),
                            whole_word: latin,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// Masks a whole document (an envelope or a bare push).
    pub fn mask_document(&self, doc: &mut Value) {
        match doc {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    // The envelope's own fields stay: the answer must still read as OK.
                    if matches!(k.as_str(), "code" | "status" | "message") && !v.is_object() {
                        continue;
                    }
                    self.mask_as(classify(k), v);
                }
                self.birth_answers(map);
            }
            other => self.mask_as(Class::Text, other),
        }
    }

    /// Masks `v` as a value found under `key`.
    pub fn mask_at(&self, key: &str, v: &mut Value) {
        self.mask_as(classify(key), v);
    }

    fn mask_as(&self, class: Class, v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let c = if class.is_forced() {
                        class
                    } else {
                        classify(k)
                    };
                    self.mask_as(c, child);
                }
                if !class.is_forced() {
                    self.birth_answers(map);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.mask_as(class, i)),
            Value::String(s) => {
                if let Some(m) = self.string(class, s) {
                    *s = m;
                }
            }
            Value::Number(n) => {
                let text = n.to_string();
                let masked = match class {
                    Class::Keep => None,
                    Class::Amount | Class::Name | Class::Email => Some(HIDDEN.to_string()),
                    Class::Birth => Some(birth(&text)),
                    Class::Phone => Some(phone(&text)),
                    Class::Text => {
                        let digits = text.chars().filter(char::is_ascii_digit).count();
                        (digits >= 6).then(|| birth(&text))
                    }
                };
                if let Some(m) = masked {
                    *v = Value::String(m);
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// In a row whose question is about a birth date, the answers are masked as one.
    fn birth_answers(&self, map: &mut Map<String, Value>) {
        let about_birth = map.iter().any(|(k, v)| {
            segments(k).iter().any(|s| s == "question") && v.as_str().is_some_and(mentions_birth)
        });
        if !about_birth {
            return;
        }
        for (k, v) in map.iter_mut() {
            if is_answer_key(k) {
                self.mask_as(Class::Birth, v);
            }
        }
    }

    /// The masked form of a string of `class`; `None` when it stays as it is.
    fn string(&self, class: Class, s: &str) -> Option<String> {
        if s.is_empty() {
            return None;
        }
        let m = match class {
            Class::Keep => return None,
            Class::Name => name(s),
            Class::Email => email(s),
            Class::Amount => HIDDEN.to_string(),
            Class::Birth => birth(s),
            Class::Phone => numbers(s, true).into_owned(),
            Class::Text => match self.text(s) {
                Cow::Borrowed(_) => return None,
                Cow::Owned(t) => t,
            },
        };
        (m != s).then_some(m)
    }

    /// Free text: long numbers, `+` phone numbers and the callee's name hidden.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let t = numbers(s, false);
        if self.names.is_empty() {
            return t;
        }
        match self.hide_names(&t) {
            Some(n) => Cow::Owned(n),
            None => t,
        }
    }

    fn hide_names(&self, s: &str) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        let folded: Vec<char> = chars.iter().map(|c| lower(*c)).collect();
        let mut out = String::new();
        let mut changed = false;
        let mut i = 0;
        'outer: while i < chars.len() {
            let at_start = i == 0 || !chars[i - 1].is_alphanumeric();
            for n in &self.names {
                let end = i + n.word.len();
                if end > chars.len() || (n.whole_word && !at_start) {
                    continue;
                }
                if folded[i..end] != n.word[..] {
                    continue;
                }
                if n.whole_word && end < chars.len() && chars[end].is_alphanumeric() {
                    continue;
                }
                out.push_str(&n.masked);
                changed = true;
                i = end;
                continue 'outer;
            }
            out.push(chars[i]);
            i += 1;
        }
        changed.then_some(out)
    }
}

/// Numbers inside `s`: a `+` followed by 7 or more digits is a phone number ([`phone`]);
/// any other run of 6 or more digits (groups joined by one space, `-`, `.` or `,`) has every
/// digit hidden. With `all`, every run of digits is treated as a phone number (a phone key).
fn numbers(s: &str, all: bool) -> Cow<'_, str> {
    if !s.chars().any(is_digit) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < n {
        let c = chars[i];
        let plus = c == '+' && i + 1 < n && is_digit(chars[i + 1]);
        if plus || is_digit(c) {
            // The run: digits (or x placeholders after a +) with single separators between.
            let digit = |c: char| {
                if plus || all {
                    is_digit_like(c)
                } else {
                    is_digit(c)
                }
            };
            let mut j = if plus { i + 1 } else { i };
            let mut count = 0;
            while j < n {
                if digit(chars[j]) {
                    count += 1;
                    j += 1;
                } else if j + 1 < n
                    && matches!(chars[j], ' ' | '-' | '.' | ',' | '(' | ')')
                    && digit(chars[j + 1])
                    && j > i
                    && digit(chars[j - 1])
                {
                    j += 1;
                } else {
                    break;
                }
            }
            // An `x` right after digits without a `+` is a word ("2x"), not a placeholder.
            let token: String = chars[i..j].iter().collect();
            let masked = if plus && count >= 7 || all && count > 0 {
                Some(phone(&token))
            } else if count >= 6 {
                Some(
                    token
                        .chars()
                        .map(|c| if digit(c) { '*' } else { c })
                        .collect(),
                )
            } else {
                None
            };
            match masked {
                Some(m) => {
                    changed |= m != token;
                    out.push_str(&m);
                }
                None => out.push_str(&token),
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Masks a JSON body; the result is compact JSON (numbers and key order as sent).
pub fn mask_bytes(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut doc: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    Masker::learn(&doc).mask_document(&mut doc);
    serde_json::to_vec(&doc).map_err(|e| e.to_string())
}

/// The same answer with its body masked, read again so every view derives from the masked
/// values.
pub fn mask_answer(answer: &Answer) -> Result<Answer, ApiError> {
    let body = mask_bytes(&answer.exchange.body).map_err(|detail| ApiError::NotJson {
        detail,
        body_start: String::new(),
    })?;
    let mut exchange = answer.exchange.clone();
    exchange.body = bytes::Bytes::from(body);
    let mut masked = interpret(exchange)?;
    masked.encrypted = answer.encrypted;
    Ok(masked)
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
    let m = Masker::default();
    changes
        .iter()
        .map(|c| {
            let key = last_key(&c.path);
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

    fn masked(v: Value) -> Value {
        let mut v = v;
        Masker::learn(&v).mask_document(&mut v);
        v
    }

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
        assert_eq!(classify("home_address"), Class::Name);
    }

    #[test]
    fn names() {
        assert_eq!(name("WILL SMITH"), "W**** S****");
        assert_eq!(name("  Ana  de la Cruz"), "  A****  d**** l**** C****");
        assert_eq!(name("王小明"), "王****");
        assert_eq!(name(""), "");
    }

    #[test]
    fn phones() {
        assert_eq!(phone("+8618717905721"), "+86*******5721");
        assert_eq!(phone("+861xxxxxx0721"), "+86*******0721");
        assert_eq!(phone("+861xxxxxx721"), "+86*******721");
        assert_eq!(phone("+14155550123"), "+1******0123");
        assert_eq!(phone("+6281234567890"), "+62*******7890");
        assert_eq!(phone("+525512345678"), "+52******5678");
        assert_eq!(phone("+880171234567"), "+880*****4567");
        assert_eq!(phone("08123456789"), "*******6789");
        assert_eq!(phone("+86 187 1790 5721"), "+86 *** **** 5721");
        // Too short to keep four digits: hidden whole.
        assert_eq!(phone("+8612345"), "+86*****");
        assert_eq!(phone("4585"), "****");
    }

    #[test]
    fn free_text_numbers() {
        let m = Masker::default();
        assert_eq!(m.text("halo selamat siang"), "halo selamat siang");
        assert!(matches!(m.text("no digits here"), Cow::Borrowed(_)));
        assert_eq!(
            m.text("my KTP is 3201234567890001 ok"),
            "my KTP is **************** ok"
        );
        assert_eq!(m.text("card 1234 5678 9012"), "card **** **** ****");
        assert_eq!(m.text("call 0812-3456-789"), "call ****-****-***");
        assert_eq!(m.text("pay 20.000.000 rupiah"), "pay **.***.*** rupiah");
        assert_eq!(m.text("number +8618717905721."), "number +86*******5721.");
        // Short numbers, times and amounts under six digits stay.
        assert_eq!(
            m.text("2 kids, 12345 left at 00:00:03"),
            "2 kids, 12345 left at 00:00:03"
        );
        assert_eq!(
            m.text("一二三 电话１３８１２３４５６７８"),
            "一二三 电话***********"
        );
    }

    #[test]
    fn every_field_type() {
        let doc = json!({
            "data": {
                "workflow_id": "b761cdd784294xxxxxx869f85c",
                "workflow_name": "test_api_action4",
                "node_id": "6ade9e4443xxxxxx43a54b58",
                "callee": {
                    "case_id": "123456.0",
                    "callee_name": "WILL SMITH",
                    "callee_number": "+8618717905721",
                    "date_of_birth": "1990-05-12",
                    "email": "will.smith@example.com",
                    "extra": [{"Content": "+861xxxxxx795,+861xxxxxx721", "Question": "extend_callees"}],
                    "comments": "ref 123456789",
                    "borrowed_date": "2024-02-01",
                    "borrowed_amount": "20000.00",
                    "total_owing_amount": 20310.00,
                    "installments": {"amount": [100, 200]},
                    "currency_unit": "USD"
                },
                "call": {
                    "task_id": "459acf3df0ecxxxxxx9679dc208ad96",
                    "call_id": "cd878f6611adxxxxxx1a5a3ec5525b",
                    "call_start_time": "2024-03-12 14:54:26",
                    "call_times": 4,
                    "caller_number": 950123450088_u64,
                    "question_answer": [
                        {"question_content": "Your date of birth?", "answer": "12 May 1990",
                         "answer_text": "twelve may", "var": "19900512", "whether_answer": "Answered",
                         "verification_results": "Match"},
                        {"question_content": "CURP Verification", "answer": "ss02",
                         "answer_text": "my id is 1234567", "verification_results": "Match"}
                    ],
                    "asr_result": [
                        {"time": "00:00:03", "robottext": "Is this Will Smith?", "text": "yes, number 08123456789"},
                        {"time": "00:00:05", "robottext": "willing to pay?", "text": "smithy"}
                    ]
                }
            },
            "status": "OK",
            "code": 200
        });
        let m = masked(doc);
        let d = &m["data"];
        assert_eq!(d["workflow_id"], "b761cdd784294xxxxxx869f85c");
        assert_eq!(d["workflow_name"], "test_api_action4");
        assert_eq!(d["node_id"], "6ade9e4443xxxxxx43a54b58");
        let c = &d["callee"];
        assert_eq!(c["case_id"], "123456.0");
        assert_eq!(c["callee_name"], "W**** S****");
        assert_eq!(c["callee_number"], "+86*******5721");
        assert_eq!(c["date_of_birth"], "****-**-**");
        assert_eq!(c["email"], "w****@example.com");
        assert_eq!(c["extra"][0]["Content"], "+86*******795,+86*******721");
        assert_eq!(c["extra"][0]["Question"], "extend_callees");
        assert_eq!(c["comments"], "ref *********");
        assert_eq!(c["borrowed_date"], "2024-02-01");
        assert_eq!(c["borrowed_amount"], HIDDEN);
        assert_eq!(c["total_owing_amount"], HIDDEN);
        assert_eq!(c["installments"]["amount"], json!([HIDDEN, HIDDEN]));
        assert_eq!(c["currency_unit"], "USD");
        let call = &d["call"];
        assert_eq!(call["task_id"], "459acf3df0ecxxxxxx9679dc208ad96");
        assert_eq!(call["call_id"], "cd878f6611adxxxxxx1a5a3ec5525b");
        assert_eq!(call["call_start_time"], "2024-03-12 14:54:26");
        assert_eq!(call["call_times"], 4);
        assert_eq!(call["caller_number"], "********0088");
        let qa = &call["question_answer"];
        assert_eq!(qa[0]["question_content"], "Your date of birth?");
        assert_eq!(qa[0]["answer"], "** *** ****");
        assert_eq!(qa[0]["answer_text"], "****** ***");
        assert_eq!(qa[0]["var"], "********");
        assert_eq!(qa[0]["whether_answer"], "Answered");
        assert_eq!(qa[0]["verification_results"], "Match");
        assert_eq!(qa[1]["answer"], "ss02");
        assert_eq!(qa[1]["answer_text"], "my id is *******");
        let asr = &call["asr_result"];
        assert_eq!(asr[0]["time"], "00:00:03");
        assert_eq!(asr[0]["robottext"], "Is this W**** S****?");
        assert_eq!(asr[0]["text"], "yes, number ***********");
        // Whole words only: "willing" and "smithy" are not the name.
        assert_eq!(asr[1]["robottext"], "willing to pay?");
        assert_eq!(asr[1]["text"], "smithy");
        assert_eq!(m["status"], "OK");
        assert_eq!(m["code"], 200);
    }

    #[test]
    fn the_reference_example() {
        let body = include_bytes!("../assets/demo/01-reference.json");
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
            transcript_scan: None,
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
        let changes = vec![
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
        let m = mask_changes(&changes);
        assert_eq!(m[0].pushed, Some(json!("W**** S****")));
        assert_eq!(m[0].record, Some(json!("W**** S****")));
        assert_eq!(
            m[1].pushed,
            Some(json!({"call_id": "abc", "callee_number": "+86*******5721"}))
        );
    }
}
