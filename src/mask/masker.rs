//! The walk over a document: each value masked by its class, the names learnt first so
//! they are hidden in free text too.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::classify::{Classes, classify, mentions_identity, row_class};
use super::fold::{Names, hide_digits};
use super::shapes::{birth, email, name, numbers, phone};
use super::{Class, HIDDEN};

/// The transcript's keys: what the robot said in a turn, what the callee said.
const ROBOT_TEXT: &str = "robottext";
const CALLEE_TEXT: &str = "text";

/// The rules with what was learnt from the document (the names to hide in free text).
#[derive(Debug, Clone, Default)]
pub struct Masker {
    names: Names,
}

impl Masker {
    /// Learns the names in `doc` (values of name and person keys, answers to a question
    /// about a name), to hide them in free text too.
    pub fn learn(doc: &Value) -> Self {
        Self::learn_at([("", doc)])
    }

    /// Learns the names in values found under keys (`""`: a whole document).
    pub fn learn_at<'a>(values: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Self {
        let mut m = Masker::default();
        let classes = &mut Classes::default();
        for (key, v) in values {
            let class = if key.is_empty() {
                Class::Text
            } else {
                classify(key)
            };
            m.collect(v, class, classes);
        }
        m.names.finish();
        m
    }

    fn collect(&mut self, v: &Value, class: Class, classes: &mut Classes) {
        match v {
            Value::Object(map) => {
                let row = (!class.is_forced()).then(|| row_class(map)).flatten();
                for (k, child) in map {
                    self.collect(child, classes.child(class, row, k), classes);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.collect(i, class, classes)),
            Value::String(s) if class == Class::Name => self.names.learn(s),
            _ => {}
        }
    }

    /// Masks a whole document (an envelope or a bare push).
    pub fn mask_document(&self, doc: &mut Value) {
        let classes = &mut Classes::default();
        match doc {
            Value::Object(map) => {
                let row = row_class(map);
                for (k, v) in map.iter_mut() {
                    // The envelope's own fields stay: the answer must still read as OK.
                    if matches!(k.as_str(), "code" | "status" | "message") && !v.is_object() {
                        continue;
                    }
                    self.mask_as(classes.child(Class::Text, row, k), v, classes);
                }
            }
            other => self.mask_as(Class::Text, other, classes),
        }
    }

    /// Masks `v` as a value found under `key`.
    pub fn mask_at(&self, key: &str, v: &mut Value) {
        self.mask_as(classify(key), v, &mut Classes::default());
    }

    fn mask_as(&self, class: Class, v: &mut Value, classes: &mut Classes) {
        match v {
            Value::Object(map) => {
                let row = (!class.is_forced()).then(|| row_class(map)).flatten();
                for (k, child) in map.iter_mut() {
                    self.mask_as(classes.child(class, row, k), child, classes);
                }
            }
            Value::Array(items) if items.len() >= IN_TWO_FROM => self.mask_in_two(class, items),
            Value::Array(items) => self.mask_items(class, items, false, classes),
            Value::String(s) => {
                if let Some(m) = self.string(class, s) {
                    *s = m;
                }
            }
            Value::Number(n) => {
                let text = n.to_string();
                let masked = match class {
                    Class::Keep => None,
                    Class::Amount | Class::Name | Class::Address | Class::Email => {
                        Some(HIDDEN.to_string())
                    }
                    Class::Birth | Class::Identity => Some(birth(&text)),
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

    /// The items of a list under `class`, in order; `asked`: whether the robot had asked for
    /// an identity before them (a transcript cut in two, [`Masker::mask_in_two`]).
    fn mask_items(
        &self,
        class: Class,
        items: &mut [Value],
        mut asked: bool,
        classes: &mut Classes,
    ) {
        for item in items.iter_mut() {
            if !class.is_forced() {
                asked = asks_identity(item, asked);
            }
            self.mask_as(class, item, classes);
            if asked && let Value::Object(turn) = item {
                hide_answer_digits(turn);
            }
        }
    }

    /// A long list (a transcript of many turns) masked in two halves at once, each on a core.
    /// The second half starts from what the robot had asked by then: the last turn before it
    /// in which the robot says something tells. The same masking as in one go.
    fn mask_in_two(&self, class: Class, items: &mut [Value]) {
        let mid = items.len() / 2;
        let asked = !class.is_forced()
            && items[..mid]
                .iter()
                .rev()
                .find_map(robot_words)
                .is_some_and(mentions_identity);
        let (first, second) = items.split_at_mut(mid);
        std::thread::scope(|s| {
            let other = s.spawn(|| self.mask_items(class, first, false, &mut Classes::default()));
            self.mask_items(class, second, asked, &mut Classes::default());
            if let Err(panic) = other.join() {
                std::panic::resume_unwind(panic);
            }
        });
    }

    /// The masked form of a string of `class`; `None` when it stays as it is.
    fn string(&self, class: Class, s: &str) -> Option<String> {
        if s.is_empty() {
            return None;
        }
        let m = match class {
            Class::Keep => return None,
            Class::Name | Class::Address => name(s),
            Class::Email => {
                // The domain stays, unless it spells a name (`ana@nunez.mx`).
                let e = email(s);
                self.names.hide(&e).unwrap_or(e)
            }
            Class::Amount => HIDDEN.to_string(),
            Class::Birth | Class::Identity => birth(s),
            Class::Phone => numbers(s, true).into_owned(),
            Class::Text => match self.text(s) {
                Cow::Borrowed(_) => return None,
                Cow::Owned(t) => t,
            },
        };
        (m != s).then_some(m)
    }

    /// Free text: long numbers, `+` phone numbers and the names learnt hidden.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let t = numbers(s, false);
        match self.names.hide(&t) {
            Some(n) => Cow::Owned(n),
            None => t,
        }
    }
}

/// From this many items, a list is masked in two halves at once.
const IN_TWO_FROM: usize = 20_000;

/// Whether the transcript's robot, as of `item`, has asked for an identity document or
/// its digits: its words in this turn say so, or, when it says nothing here (or the item is
/// not a turn), `asked` (what it asked before) holds.
fn asks_identity(item: &Value, asked: bool) -> bool {
    robot_words(item).map_or(asked, mentions_identity)
}

/// What the robot says in an item of a transcript, when it says something.
fn robot_words(item: &Value) -> Option<&str> {
    item.get(ROBOT_TEXT)
        .and_then(Value::as_str)
        .filter(|robot| !robot.trim().is_empty())
}

/// The callee's answer to a question about an identity document: its digits hidden,
/// spoken ones too.
fn hide_answer_digits(turn: &mut Map<String, Value>) {
    if let Some(Value::String(text)) = turn.get_mut(CALLEE_TEXT)
        && let Some(m) = hide_digits(text)
    {
        *text = m;
    }
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
    fn a_long_transcript_masked_in_two_halves_is_masked_as_in_one_go() {
        let n = IN_TWO_FROM + 2;
        let mid = n / 2;
        let turns: Vec<Value> = (0..n)
            .map(|i| match i {
                // The robot asks just before the cut; the callee answers just after it.
                _ if i == mid - 2 => json!({"robottext": "Please confirm the last four digits of your identity number", "text": ""}),
                _ if i == mid - 1 => json!({"robottext": " ", "text": "wait"}),
                _ if i == mid => json!({"robottext": "", "text": "it is 3218, MARIA"}),
                _ if i % 3 == 0 => json!({"robottext": "Hello MARIA, call 5511112222", "text": ""}),
                _ => json!({"robottext": "", "text": format!("turn {i} +5215512345678")}),
            })
            .collect();
        let doc = json!({"callee": {"callee_name": "MARIA LOPEZ"}, "call": {"asr_result": turns}});
        let m = Masker::learn(&doc);
        let mut in_two = doc.clone();
        m.mask_document(&mut in_two);
        let mut in_one = doc["call"]["asr_result"].as_array().unwrap().clone();
        m.mask_items(Class::Text, &mut in_one, false, &mut Classes::default());
        assert_eq!(in_two["call"]["asr_result"].as_array().unwrap(), &in_one);
        assert_eq!(in_one[mid]["text"], "it is ****, M****");
        assert_eq!(in_one[3]["robottext"], "Hello M****, call **********");
        assert_eq!(in_one[4]["text"], "turn 4 +52*******5678");
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
    fn an_address_is_masked_but_its_words_are_no_name() {
        let m = masked(json!({
            "callee_name": "Ana de la Cruz",
            "home_address": "Calle Mayo 5, Centro",
            "comments": "vive en la calle Mayo, centro; habló Ana",
        }));
        assert_eq!(m["home_address"], "C**** M**** 5**** C****");
        // The name's words go everywhere (two letters are a word); the address's do not.
        assert_eq!(
            m["comments"],
            "vive en l**** calle Mayo, centro; habló A****"
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
                    "work_email": "will@smith.com",
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
        assert_eq!(c["work_email"], "w****@s****.com");
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
        // A CURP is an identity document: its answers are hidden whole.
        assert_eq!(qa[1]["answer"], "****");
        assert_eq!(qa[1]["answer_text"], "** ** ** *******");
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
}
