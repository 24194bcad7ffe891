//! Which masking a JSON value gets, read from its key (and from the question of its row).

use super::Class;

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
        assert_eq!(classify("home_address"), Class::Name);
    }
}
