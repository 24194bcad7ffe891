//! Large, realistic, deterministic pushes for benchmarks and tests: `turns` transcript
//! records, `redials` earlier attempts over two numbers, `questions` Q&A rows. The same
//! arguments give the same bytes.

use std::fmt::Write as _;

/// A small deterministic generator (xorshift), so no dependency is needed for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const ROBOT: &[&str] = &[
    "Good afternoon, this is the payment reminder assistant calling about your account.",
    "May I confirm that I am speaking with the account holder?",
    "Your outstanding balance is past its due date. When can you make a payment?",
    "I understand. Would a partial payment this week be possible for you?",
    "Thank you. I will note your promise to pay. Is there anything else I can help with?",
    "For your security, please confirm the last four digits of your identity number.",
    "Our records show a payment plan was offered last month. Would you like to hear the options again?",
];
const CALLEE: &[&str] = &[
    "Yes, speaking.",
    "I already paid part of it last week, can you check again?",
    "I can pay on Friday, maybe half of the amount.",
    "Please stop calling me at work, I will talk to my lawyer about this.",
    "Okay, I understand, thank you.",
    "Can you send me the details by message? I am driving right now.",
    "I want to make a complaint about the late fees, they are too high.",
];

/// Two sentences, as a turn usually has.
fn two(rng: &mut Rng, pool: &[&str]) -> String {
    let a = pool[rng.below(pool.len() as u64) as usize];
    let b = pool[rng.below(pool.len() as u64) as usize];
    format!("{a} {b}")
}

/// The push as a pretty-printed envelope, like a saved API answer.
pub fn push(turns: usize, redials: usize, questions: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1) ^ 0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(turns * 190 + redials * 300 + 8192);
    let call_secs = (turns as u64 * 4).max(60);
    let (h, m, s) = (call_secs / 3600, call_secs / 60 % 60, call_secs % 60);
    let start_hour = 9u64;
    out.push_str("{\n  \"data\": {\n");
    out.push_str("    \"workflow_id\": \"5f0c3c9e2b7d4a1f8e6d9c0b1a2f3e4d\",\n    \"workflow_name\": \"collections_q4_large\",\n");
    out.push_str("    \"node_id\": \"a1b2c3d4e5f60718293a4b5c6d7e8f90\",\n    \"node_name\": \"API push\",\n");
    out.push_str("    \"callee\": {\n      \"case_id\": \"LARGE-000001\",\n      \"callee_name\": \"MARIA LOPEZ GARCIA\",\n      \"callee_gender\": \"F\",\n      \"callee_number\": \"+525511112222\",\n      \"platform_name\": \"LENDCO\",\n      \"extra_a\": \"\",\n      \"extra_b\": \"\",\n      \"extra_c\": \"\",\n");
    out.push_str("      \"extra\": [\n        {\"Question\": \"extend_callees\", \"Content\": \"+525511112222,+525533334444\"},\n        {\"Question\": \"employer\", \"Content\": \"ACME Logistics\"}\n      ],\n");
    out.push_str("      \"extend\": {\"variables\": {\"segment\": \"B2\"}, \"detail_source\": \"api\", \"pds_variables\": {}},\n");
    out.push_str("      \"comments\": \"generated\",\n      \"borrowed_date\": \"2024-01-15\",\n      \"due_date\": \"2024-02-15\",\n      \"borrowed_amount\": \"12000.00\",\n      \"total_owing_amount\": \"13250.50\",\n      \"currency_unit\": \"MXN\"\n    },\n");
    out.push_str("    \"custom_attribute\": {\"batch\": \"large\", \"source\": \"gen_push\"},\n");
    out.push_str("    \"call\": {\n      \"task_id\": \"7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a\",\n      \"call_id\": \"c0ffee00c0ffee00c0ffee00c0ffee00\",\n      \"callee_number\": \"+525511112222\",\n      \"robot_id\": \"M1_L2_MX_ES_Collections_High\",\n");
    let _ = writeln!(
        out,
        "      \"call_start_time\": \"2024-03-01 {start_hour:02}:00:00\","
    );
    let _ = writeln!(
        out,
        "      \"call_end_time\": \"2024-03-{:02} {:02}:{m:02}:{s:02}\",",
        1 + (start_hour + h) / 24,
        (start_hour + h) % 24
    );
    let _ = writeln!(out, "      \"call_times\": {},", redials + 1);
    out.push_str("      \"ring_type\": \"normal\",\n      \"hangup_type\": \"ByCallee\",\n      \"intention\": \"A\",\n      \"slots\": \"\",\n      \"ner_slots\": {\"amount\": \"6000\", \"date\": \"Friday\"},\n");
    out.push_str("      \"redial_call\": [");
    for i in 0..redials {
        // Redials happen the day before, spread over hours.
        let secs = (i as u64 * 86_400 / (redials as u64 + 1)) % 86_400;
        let number = if i % 2 == 0 {
            "+525511112222"
        } else {
            "+525533334444"
        };
        let _ = write!(
            out,
            "{}\n        {{\"call_id\": \"r{i:031x}\", \"call_start_time\": \"2024-02-29 {:02}:{:02}:{:02}\", \"ring_type\": \"normal\", \"ring_time\": {}, \"hangup_type\": \"{}\", \"result_label\": \"F\", \"callee_number\": \"{number}\", \"caller_number\": \"+525500000001\"}}",
            if i == 0 { "" } else { "," },
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            rng.below(30),
            if rng.below(2) == 0 {
                "ByCallee"
            } else {
                "NoAnswer"
            },
        );
    }
    out.push_str(if redials > 0 { "\n      ],\n" } else { "],\n" });
    out.push_str(
        "      \"talk_round\": 12,\n      \"ring_time\": 4,\n      \"question_answer\": [",
    );
    for i in 0..questions {
        let result = ["Match", "Mismatch", "Match", "Partial"][i % 4];
        let _ = write!(
            out,
            "{}\n        {{\"question_name\": \"Q{}\", \"answer\": \"a{i}\", \"answer_text\": \"answer text {i}\", \"status\": \"Completed\", \"answer_text_slot\": \"s{i}\", \"var\": \"V{i}\", \"verification_results\": \"{result}\", \"question_content\": \"Verification question number {}\", \"question_type\": \"open\", \"whether_answer\": \"Answered\"}}",
            if i == 0 { "" } else { "," },
            i + 1,
            i + 1
        );
    }
    out.push_str(if questions > 0 {
        "\n      ],\n"
    } else {
        "],\n"
    });
    out.push_str("      \"multi_label\": {\"A0\": \"A0\", \"Correct_Person\": \"identity_correct_person\"},\n      \"intention_description\": \"Promise to Pay\",\n      \"asr_ptp\": \"2024-03-08 6000\",\n      \"asr_result\": [");
    for i in 0..turns {
        let t = i as u64 * 4;
        let time = format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
        let (robot, callee) = match i % 9 {
            8 => (String::new(), String::new()),
            k if k % 2 == 0 => (two(&mut rng, ROBOT), String::new()),
            _ => (String::new(), two(&mut rng, CALLEE)),
        };
        let marker = if i + 1 == turns {
            " [LAST-TURN-MARKER]"
        } else {
            ""
        };
        let (robot, callee) = if marker.is_empty() {
            (robot, callee)
        } else {
            (format!("Goodbye and thank you.{marker}"), String::new())
        };
        let _ = write!(
            out,
            "{}\n        {{\"time\": \"{time}\", \"robottext\": \"{robot}\", \"text\": \"{callee}\"}}",
            if i == 0 { "" } else { "," },
        );
    }
    out.push_str(if turns > 0 { "\n      ],\n" } else { "],\n" });
    out.push_str("      \"caller_number\": \"+525500000001\"\n    }\n  },\n  \"status\": \"OK\",\n  \"code\": 200\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pushes_parse_and_are_deterministic() {
        let a = push(1000, 50, 8, 7);
        assert_eq!(a, push(1000, 50, 8, 7));
        let doc = crate::api::parse_document(a.as_bytes()).unwrap();
        let d = doc.data().unwrap();
        assert_eq!(d.call.asr_result.len(), 1000);
        assert_eq!(d.call.redial_call.len(), 50);
        assert_eq!(d.call.question_answer.len(), 8);
        assert!(
            d.call.asr_result.items[999]
                .robottext
                .show()
                .contains("LAST-TURN-MARKER")
        );
        let empty = push(0, 0, 0, 1);
        assert!(
            crate::api::parse_document(empty.as_bytes())
                .unwrap()
                .data()
                .is_some()
        );
    }
}
