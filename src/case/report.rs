//! The Markdown case report: ids, profile, call summary, redials, Q&A and the transcript, for
//! tickets. Every value goes through the sanitiser and table cells are escaped.

use std::fmt::Write as _;

use super::CaseFacts;
use super::call::hangup_words;
use super::profile::{
    days_overdue, extend_callees, format_amount, other_extra, overdue_words, owing, same_number,
};
use super::qa::{Verdict, verdict};
use super::time::{clock, human_duration};
use super::transcript::{Entry, text};
use crate::api::Data;
use crate::api::tolerant::{KvMap, RepeatedKey, Scalar, Unknown, value_text};
use crate::text::clean;

/// One table cell: safe, one line, pipes escaped.
fn cell(s: &str) -> String {
    let c = clean(s);
    let c = c.trim();
    if c.is_empty() {
        return "—".into();
    }
    c.replace('\\', "\\\\").replace('|', "\\|")
}

fn sc(s: &Scalar) -> String {
    cell(s.show())
}

fn row(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "| {label} | {} |", cell(value));
}

/// Rows `prefix.key | value` for a free-form map, or its text as sent.
fn kv_rows(out: &mut String, prefix: &str, map: &KvMap) {
    for (k, v) in &map.entries {
        let _ = writeln!(out, "| {prefix}.{} | {} |", cell(k), cell(&value_text(v)));
    }
    if let Some(raw) = &map.raw {
        let _ = writeln!(out, "| {prefix} | {} |", cell(raw));
    }
}

fn unknown_rows(out: &mut String, prefix: &str, unknown: &Unknown) {
    for (k, v) in unknown {
        let _ = writeln!(out, "| {}{} | {} |", prefix, cell(k), cell(&value_text(v)));
    }
}

/// Keys the push sent more than once: the report shows the last value of each, and says so.
fn repeated_section(out: &mut String, repeated: &[RepeatedKey]) {
    if repeated.is_empty() {
        return;
    }
    out.push_str(
        "\n## Keys sent more than once\n\nThe push sent these keys more than once; \
         this report shows the last value of each.\n\n| key | times |\n|---|---|\n",
    );
    for k in repeated {
        let _ = writeln!(out, "| {} | {} |", cell(&k.path), k.times);
    }
}

fn section_table(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n## {title}\n\n| field | value |\n|---|---|");
}

/// The report for one push.
pub fn markdown(data: &Data, facts: &CaseFacts) -> String {
    let callee = &data.callee;
    let call = &data.call;
    let mut out = String::with_capacity(4096 + call.asr_result.len() * 96);
    let who = callee
        .callee_name
        .value()
        .or(callee.callee_number.value())
        .unwrap_or("unknown callee");
    let _ = writeln!(out, "# Case report: {}", cell(who));
    let _ = writeln!(
        out,
        "\nTimes are as sent by AI Rudder, in the account's time zone.\n"
    );
    out.push_str("| id | value |\n|---|---|\n");
    row(
        &mut out,
        "workflow",
        &format!(
            "{} ({})",
            data.workflow_name.show(),
            data.workflow_id.show()
        ),
    );
    row(
        &mut out,
        "node",
        &format!("{} ({})", data.node_name.show(), data.node_id.show()),
    );
    row(&mut out, "case_id", callee.case_id.show());
    row(&mut out, "callee", callee.callee_number.show());
    row(&mut out, "call_id", call.call_id.show());
    row(&mut out, "task_id", call.task_id.show());
    unknown_rows(&mut out, "", &data.unknown);
    repeated_section(&mut out, &facts.repeated);

    // Profile
    section_table(&mut out, "Profile");
    row(&mut out, "name", callee.callee_name.show());
    row(&mut out, "gender", callee.callee_gender.show());
    row(&mut out, "number", callee.callee_number.show());
    row(&mut out, "platform", callee.platform_name.show());
    let cur = callee.currency_unit.value().unwrap_or("");
    let money = |s: &Scalar| -> String {
        match s.value() {
            Some(v) if cur.is_empty() => v.to_string(),
            Some(v) => format!("{v} {cur}"),
            None => String::new(),
        }
    };
    row(&mut out, "borrowed date", callee.borrowed_date.show());
    let due = match days_overdue(callee, call) {
        Some(d) => format!("{} ({})", callee.due_date.show(), overdue_words(d)),
        None => callee.due_date.show().to_string(),
    };
    row(&mut out, "due date", &due);
    row(&mut out, "borrowed amount", &money(&callee.borrowed_amount));
    row(&mut out, "total owing", &money(&callee.total_owing_amount));
    if let Some(d) = owing(callee).difference {
        let d = format_amount(d);
        row(
            &mut out,
            "owing − borrowed",
            &if cur.is_empty() {
                d
            } else {
                format!("{d} {cur}")
            },
        );
    }
    let numbers = extend_callees(callee);
    if !numbers.is_empty() {
        let listed: Vec<String> = numbers
            .iter()
            .map(|n| {
                if same_number(n, call.callee_number.show()) {
                    format!("{n} (called)")
                } else {
                    n.clone()
                }
            })
            .collect();
        row(&mut out, "extend_callees", &listed.join(", "));
    }
    for item in other_extra(callee) {
        let _ = writeln!(
            out,
            "| extra: {} | {} |",
            sc(&item.question),
            sc(&item.content)
        );
    }
    for (label, s) in [
        ("extra_a", &callee.extra_a),
        ("extra_b", &callee.extra_b),
        ("extra_c", &callee.extra_c),
        ("comments", &callee.comments),
        ("detail_source", &callee.extend.detail_source),
    ] {
        if s.is_set() {
            row(&mut out, label, s.show());
        }
    }
    for (prefix, map) in [
        ("variables", &callee.extend.variables),
        ("pds_variables", &callee.extend.pds_variables),
        ("custom_attribute", &data.custom_attribute),
    ] {
        kv_rows(&mut out, prefix, map);
    }
    unknown_rows(&mut out, "", &callee.unknown);
    unknown_rows(&mut out, "extend.", &callee.extend.unknown);

    // Call
    section_table(&mut out, "Call");
    row(&mut out, "call_id", call.call_id.show());
    row(&mut out, "task_id", call.task_id.show());
    row(&mut out, "robot_id", call.robot_id.show());
    row(&mut out, "caller number", call.caller_number.show());
    row(&mut out, "callee number", call.callee_number.show());
    row(&mut out, "start", call.call_start_time.show());
    row(&mut out, "end", call.call_end_time.show());
    let duration = match (facts.call.duration, facts.call.duration_gap(call)) {
        (Some(d), _) => human_duration(d),
        (None, Some(why)) => format!("unknown ({why})"),
        (None, None) => String::new(),
    };
    row(&mut out, "duration", &duration);
    row(&mut out, "ring time", &with_unit(&call.ring_time, "s"));
    row(&mut out, "ring type", call.ring_type.show());
    let hangup = match hangup_words(call.hangup_type.show()) {
        Some(w) => format!("{} ({w})", call.hangup_type.show()),
        None => call.hangup_type.show().to_string(),
    };
    row(&mut out, "hangup", &hangup);
    row(&mut out, "call_times (attempts)", call.call_times.show());
    row(&mut out, "talk_round", call.talk_round.show());
    let intention = match (call.intention.value(), call.intention_description.value()) {
        (Some(i), Some(d)) => format!("{i} — {d}"),
        (Some(i), None) => i.to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => String::new(),
    };
    row(&mut out, "intention", &intention);
    if call.asr_ptp.is_set() {
        row(&mut out, "asr_ptp (promise to pay)", call.asr_ptp.show());
    }
    for (name, map) in [
        ("multi_label", &call.multi_label),
        ("ner_slots", &call.ner_slots),
        ("slots", &call.slots),
    ] {
        kv_rows(&mut out, name, map);
    }
    let _ = writeln!(out, "| Q&A | {} |", cell(&facts.tally.line()));
    let st = &facts.transcript.stats;
    let _ = writeln!(
        out,
        "| transcript | {} turns ({} robot, {} callee); talk ≈ {} robot, {} callee |",
        facts.transcript.turn_count(),
        st.robot_turns,
        st.callee_turns,
        human_duration(st.robot_secs as i64),
        human_duration(st.callee_secs as i64)
    );
    unknown_rows(&mut out, "", &call.unknown);

    // Redials
    let _ = writeln!(out, "\n## Redials\n");
    if facts.timeline.attempts.is_empty() {
        out.push_str("Not in this push.\n");
    } else {
        out.push_str("| # | start | number dialled | caller | ring type | ring s | hangup | result | call_id |\n|---|---|---|---|---|---|---|---|---|\n");
        for a in &facts.timeline.attempts {
            let seq = if a.is_final {
                format!("{} (final)", a.seq)
            } else {
                a.seq.to_string()
            };
            let _ = writeln!(
                out,
                "| {seq} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&a.start_text),
                cell(&a.number),
                cell(&a.caller),
                cell(&a.ring_type),
                cell(&a.ring_text),
                cell(&a.hangup_type),
                cell(&a.result_label),
                cell(&a.call_id)
            );
        }
        out.push_str("\n| number | attempts | ring s | connected | in extend_callees |\n|---|---|---|---|---|\n");
        for n in &facts.timeline.numbers {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&n.number),
                n.attempts,
                n.ring_secs,
                if n.connected { "yes" } else { "no" },
                if n.in_extend_callees { "yes" } else { "no" }
            );
        }
    }

    // Q&A
    let _ = writeln!(out, "\n## Q&A\n");
    let qa = &call.question_answer;
    if !qa.shape.is_present() && qa.is_empty() {
        out.push_str("Not in this push.\n");
    } else {
        let _ = writeln!(out, "{}\n", facts.tally.line());
        out.push_str("| question | content | type | answer | answer text | slot | var | result | status | answered |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for q in qa.iter() {
            let result = match verdict(&q.verification_results) {
                Verdict::Match => format!("✓ {}", q.verification_results.show()),
                Verdict::Mismatch => format!("✗ {}", q.verification_results.show()),
                Verdict::Other => format!("? {}", q.verification_results.show()),
                Verdict::Empty => String::new(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                sc(&q.question_name),
                sc(&q.question_content),
                sc(&q.question_type),
                sc(&q.answer),
                sc(&q.answer_text),
                sc(&q.answer_text_slot),
                sc(&q.var),
                cell(&result),
                sc(&q.status),
                sc(&q.whether_answer)
            );
        }
    }

    // Transcript
    let _ = writeln!(out, "\n## Transcript\n");
    let items = &call.asr_result.items;
    if facts.transcript.entries.is_empty() {
        out.push_str(if call.asr_result.shape.is_present() {
            "No turns.\n"
        } else {
            "Not in this push.\n"
        });
    } else {
        for e in &facts.transcript.entries {
            let at = e.at().map(clock).unwrap_or_else(|| "--:--".into());
            match e {
                Entry::Turn { speaker, .. } => {
                    let words = clean(text(e, items));
                    let _ = writeln!(out, "- `{at}` **{}**: {}", speaker.name(), words.trim());
                }
                Entry::Silence { secs, .. } => {
                    let len = secs.map(clock).unwrap_or_else(|| "?".into());
                    let _ = writeln!(out, "- `{at}` _silence {len}_");
                }
            }
        }
    }
    out
}

fn with_unit(s: &Scalar, unit: &str) -> String {
    match s.value() {
        Some(v) if s.as_f64().is_some() => format!("{v} {unit}"),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parse_document;

    fn reference() -> Data {
        let bytes = include_bytes!("../../assets/demo/01-reference.json");
        parse_document(bytes).unwrap().data().unwrap().clone()
    }

    #[test]
    fn reference_report_has_every_section_and_key_values() {
        let d = reference();
        let md = markdown(&d, &CaseFacts::derive(&d));
        for needle in [
            "# Case report: WILL SMITH",
            "test_api_action4 (b761cdd784294xxxxxx869f85c)",
            "| case_id | 123456.0 |",
            "| call_id | cd878f6611adxxxxxx1a5a3ec5525b |",
            "| due date | 2024-03-07 (5 days overdue at the call) |",
            "| owing − borrowed | 310.00 USD |",
            "+861xxxxxx795, +861xxxxxx721",
            "| duration | 26 s |",
            "ByRobot (the robot ended the call)",
            "| intention | E — Needs Follow Up |",
            "| multi_label.Correct_Person | identity_correct_person |",
            "| ner_slots.item_name | da |",
            "| custom_attribute.a | 1 |",
            "| 4 (final) | 2024-03-12 14:54:26 |",
            "| CURP Verification |",
            "✓ Match",
            "1 match / 0 mismatch of 1 question",
            "- `00:03` **Robot**: Apa boleh minta waktunya sebentar?",
            "_silence 00:07_",
        ] {
            assert!(md.contains(needle), "missing {needle:?} in\n{md}");
        }
    }

    #[test]
    fn cells_are_escaped_and_sanitised() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("x\x1b]0;t\x07y\nz"), "x␛y ⏎ z");
        assert_eq!(cell("  "), "—");
    }

    #[test]
    fn keys_sent_twice_are_listed_with_the_value_shown() {
        let json = r#"{"callee":{"callee_name":"first","callee_name":"last"},
            "custom_attribute":{"a\u001b[31m":1,"a\u001b[31m":2}}"#;
        let d = parse_document(json.as_bytes())
            .unwrap()
            .data()
            .unwrap()
            .clone();
        let md = markdown(&d, &CaseFacts::derive(&d));
        assert!(md.contains("## Keys sent more than once"), "{md}");
        assert!(md.contains("shows the last value of each"), "{md}");
        assert!(md.contains("| callee.callee_name | 2 |"), "{md}");
        assert!(md.contains("| name | last |"), "{md}");
        assert!(
            !md.contains('\x1b'),
            "a key's control characters are neutralised: {md}"
        );
        let plain = reference();
        assert!(!markdown(&plain, &CaseFacts::derive(&plain)).contains("more than once"));
    }

    #[test]
    fn empty_push_says_not_in_this_push() {
        let d = Data::default();
        let md = markdown(&d, &CaseFacts::derive(&d));
        assert_eq!(md.matches("Not in this push.").count(), 3);
    }
}
