//! The redial timeline: every `redial_call` plus the final call, ordered by start time, with
//! the gaps between them and totals per number dialled (numbers listed in `extend_callees`
//! appear even when never dialled).

use chrono::NaiveDateTime;

use super::call::CallTimes;
use std::collections::HashMap;

use super::profile::{extend_callees, number_key, same_number};
use super::time::{parse_datetime, plus_secs, usable_secs};
use crate::api::Data;
use crate::api::model::RedialCall;
use crate::api::tolerant::Scalar;

#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// 1-based position in time order.
    pub seq: usize,
    pub is_final: bool,
    pub call_id: String,
    /// The start time as sent.
    pub start_text: String,
    pub start: Option<NaiveDateTime>,
    pub number: String,
    pub caller: String,
    pub ring_type: String,
    /// Ring time as sent, and in seconds when it reads as a number.
    pub ring_text: String,
    pub ring_secs: Option<i64>,
    pub hangup_type: String,
    /// The attempt's result label; for the final call, its intention.
    pub result_label: String,
    /// Talk time, known only for the final call (its duration).
    pub talk_secs: Option<i64>,
    /// Seconds since the previous attempt ended (start + ring + talk), when both are known.
    pub gap_before: Option<i64>,
    /// Seconds from the first attempt's start, for the time axis.
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NumberTotal {
    pub number: String,
    pub attempts: usize,
    pub ring_secs: i64,
    /// The final call reached this number and it lasted (duration, talk rounds or words).
    pub connected: bool,
    pub in_extend_callees: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    pub attempts: Vec<Attempt>,
    pub numbers: Vec<NumberTotal>,
    /// Seconds from the first start to the last known end, for the time axis.
    pub span_secs: Option<i64>,
}

fn text(s: &Scalar) -> String {
    s.show().to_string()
}

impl Timeline {
    pub fn build(data: &Data, call_times: &CallTimes) -> Self {
        let call = &data.call;
        let mut attempts: Vec<Attempt> = call
            .redial_call
            .iter()
            .map(|r| Attempt {
                seq: 0,
                is_final: false,
                call_id: text(&r.call_id),
                start_text: text(&r.call_start_time),
                start: parse_datetime(r.call_start_time.show()),
                number: text(&r.callee_number),
                caller: text(&r.caller_number),
                ring_type: text(&r.ring_type),
                ring_text: text(&r.ring_time),
                ring_secs: usable_secs(&r.ring_time),
                hangup_type: text(&r.hangup_type),
                result_label: text(&r.result_label),
                talk_secs: None,
                gap_before: None,
                offset: None,
            })
            .collect();
        let final_call_present = call.shape.is_present()
            && (call.call_id.is_set()
                || call.call_start_time.is_set()
                || call.callee_number.is_set());
        if final_call_present {
            attempts.push(Attempt {
                seq: 0,
                is_final: true,
                call_id: text(&call.call_id),
                start_text: text(&call.call_start_time),
                start: call_times.start,
                number: text(&call.callee_number),
                caller: text(&call.caller_number),
                ring_type: text(&call.ring_type),
                ring_text: text(&call.ring_time),
                ring_secs: usable_secs(&call.ring_time),
                hangup_type: text(&call.hangup_type),
                result_label: text(&call.intention),
                talk_secs: call_times.duration,
                gap_before: None,
                offset: None,
            });
        }
        // Stable: attempts whose time cannot be read keep their order, after the others.
        attempts.sort_by_key(|a| (a.start.is_none(), a.start));
        let first = attempts.iter().find_map(|a| a.start);
        let mut prev_end: Option<NaiveDateTime> = None;
        let mut last_end: Option<i64> = None;
        for (i, a) in attempts.iter_mut().enumerate() {
            a.seq = i + 1;
            // Ring within a century (`usable_secs`), talk within chrono's range of dates: no sum
            // here can overflow.
            let busy = a.ring_secs.unwrap_or(0).max(0) + a.talk_secs.unwrap_or(0).max(0);
            if let (Some(f), Some(s)) = (first, a.start) {
                let off = (s - f).num_seconds();
                a.offset = Some(off);
                let end = off.saturating_add(busy);
                last_end = Some(last_end.map_or(end, |l: i64| l.max(end)));
            }
            if let (Some(p), Some(s)) = (prev_end, a.start) {
                a.gap_before = Some((s - p).num_seconds());
            }
            prev_end = a.start.and_then(|s| plus_secs(s, busy));
        }
        let connected_final = call_times.duration.is_some_and(|d| d > 0)
            || call.talk_round.as_i64().is_some_and(|t| t > 0)
            || call
                .asr_result
                .iter()
                .any(|t| t.text.is_set() || t.robottext.is_set());
        let mut numbers: Vec<NumberTotal> = Vec::new();
        // Each number's place in `numbers`, by the number as `same_number` compares it (a
        // number that compares as nothing goes by its text): thousands of attempts are
        // counted without comparing each with every number so far.
        let mut places: HashMap<String, usize> = HashMap::new();
        for a in &attempts {
            let key = if a.number.trim().is_empty() {
                "(no number)"
            } else {
                a.number.trim()
            };
            let compared = number_key(key);
            let compared = if compared.is_empty() {
                format!("\0{key}")
            } else {
                compared
            };
            let i = *places.entry(compared).or_insert_with(|| {
                numbers.push(NumberTotal {
                    number: key.to_string(),
                    attempts: 0,
                    ring_secs: 0,
                    connected: false,
                    in_extend_callees: false,
                });
                numbers.len() - 1
            });
            let entry = &mut numbers[i];
            entry.attempts += 1;
            entry.ring_secs = entry
                .ring_secs
                .saturating_add(a.ring_secs.unwrap_or(0).max(0));
            if a.is_final && connected_final {
                entry.connected = true;
            }
        }
        for n in extend_callees(&data.callee) {
            match numbers.iter_mut().find(|t| same_number(&t.number, &n)) {
                Some(t) => t.in_extend_callees = true,
                None => numbers.push(NumberTotal {
                    number: n,
                    attempts: 0,
                    ring_secs: 0,
                    connected: false,
                    in_extend_callees: true,
                }),
            }
        }
        Timeline {
            attempts,
            numbers,
            span_secs: last_end,
        }
    }

    pub fn final_attempt(&self) -> Option<&Attempt> {
        self.attempts.iter().find(|a| a.is_final)
    }

    /// The `redial_call` entry behind attempt `pos` (the timeline sorts entries by start time,
    /// stably: entries with the same start keep the order they were sent in).
    pub fn source_index(&self, pos: usize, redials: &[RedialCall]) -> Option<usize> {
        let a = self.attempts.get(pos)?;
        if a.is_final {
            return None;
        }
        let rank = self.attempts[..pos]
            .iter()
            .filter(|b| !b.is_final && b.start == a.start)
            .count();
        redials
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                let sent = r.call_start_time.show();
                sent == a.start_text || parse_datetime(sent) == a.start
            })
            .nth(rank)
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Call, Callee, ExtraItem};
    use crate::api::tolerant::{List, Shape};

    const REFERENCE: &[u8] = include_bytes!("../../assets/demo/01-reference.json");
    const MANY: &[u8] = include_bytes!("../../assets/demo/04-many-redials.json");

    fn timeline(body: &[u8]) -> (Timeline, Data) {
        let d = crate::api::parse_document(body)
            .unwrap()
            .data()
            .unwrap()
            .clone();
        (Timeline::build(&d, &CallTimes::of(&d.call)), d)
    }

    #[test]
    fn rows_point_back_to_their_redial_call_entries() {
        for body in [REFERENCE, MANY] {
            let (t, d) = timeline(body);
            let items = &d.call.redial_call.items;
            let mut seen = Vec::new();
            for (pos, a) in t.attempts.iter().enumerate() {
                match t.source_index(pos, items) {
                    Some(i) => {
                        assert_eq!(items[i].call_id.show(), a.call_id);
                        seen.push(i);
                    }
                    None => assert!(a.is_final),
                }
            }
            seen.sort_unstable();
            assert_eq!(seen, (0..items.len()).collect::<Vec<_>>());
        }
        // Entries sent out of order, two with one start time, one unreadable.
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let r = v["data"]["call"]["redial_call"].as_array_mut().unwrap();
        r.reverse();
        let mut twin = r[0].clone();
        twin["call_id"] = "twin".into();
        r.push(twin);
        let mut odd = r[1].clone();
        odd["call_id"] = "odd".into();
        odd["call_start_time"] = "yesterday".into();
        r.insert(0, odd);
        let (t, d) = timeline(&serde_json::to_vec(&v).unwrap());
        let items = &d.call.redial_call.items;
        for (pos, a) in t.attempts.iter().enumerate() {
            if let Some(i) = t.source_index(pos, items) {
                assert_eq!(items[i].call_id.show(), a.call_id, "{pos}");
            }
        }
        let ids: Vec<&str> = t.attempts.iter().map(|a| a.call_id.as_str()).collect();
        assert_eq!(ids[3], "twin");
        assert_eq!(ids[5], "odd");
    }

    #[test]
    fn ring_times_past_any_use_are_kept_as_sent_and_count_for_nothing() {
        for huge in ["8208556621508", "9223372036854775807", "99999999999999"] {
            let mut d = data();
            d.call.ring_time = Scalar::Number(huge.into());
            d.call.redial_call =
                List::from_items(vec![redial("r1", "2024-03-12 14:50:00", huge, "+1 555")]);
            let t = Timeline::build(&d, &CallTimes::of(&d.call));
            assert!(t.attempts.iter().all(|a| a.ring_secs.is_none()), "{huge}");
            assert!(t.attempts.iter().all(|a| a.ring_text == huge));
            assert!(t.numbers.iter().all(|n| n.ring_secs == 0));
            assert!(t.span_secs.is_some_and(|s| s < 3600));
        }
    }

    fn redial(id: &str, start: &str, ring: &str, number: &str) -> RedialCall {
        RedialCall {
            call_id: Scalar::from(id),
            call_start_time: Scalar::from(start),
            ring_time: Scalar::Number(ring.into()),
            callee_number: Scalar::from(number),
            hangup_type: Scalar::from("ByCallee"),
            result_label: Scalar::from("F"),
            ..RedialCall::default()
        }
    }

    fn data() -> Data {
        Data {
            callee: Callee {
                extra: List::from_items(vec![ExtraItem {
                    question: Scalar::from("extend_callees"),
                    content: Scalar::from("+1 555,+2 666,+3 777"),
                    ..ExtraItem::default()
                }]),
                ..Callee::default()
            },
            call: Call {
                shape: Shape::Sent,
                call_id: Scalar::from("final"),
                call_start_time: Scalar::from("2024-03-12 14:54:26"),
                call_end_time: Scalar::from("2024-03-12 14:54:52"),
                ring_time: Scalar::Number("2".into()),
                callee_number: Scalar::from("+2 666"),
                intention: Scalar::from("E"),
                // Out of order on purpose.
                redial_call: List::from_items(vec![
                    redial("b", "2024-03-12 14:51:24", "7", "+2 666"),
                    redial("a", "2024-03-12 14:51:15", "0", "+1 555"),
                    redial("c", "2024-03-12 14:52:23", "0", "+1 555"),
                    redial("x", "garbled", "0", "+1 555"),
                ]),
                ..Call::default()
            },
            ..Data::default()
        }
    }

    #[test]
    fn ordered_by_time_with_final_marked() {
        let d = data();
        let t = Timeline::build(&d, &CallTimes::of(&d.call));
        let ids: Vec<&str> = t.attempts.iter().map(|a| a.call_id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "final", "x"]);
        let fin = t.final_attempt().unwrap();
        assert_eq!(
            (fin.seq, fin.talk_secs, fin.result_label.as_str()),
            (4, Some(26), "E")
        );
        assert_eq!(t.attempts[1].gap_before, Some(9));
        // b started 14:51:24, rang 7 s: c at 14:52:23 comes 52 s later.
        assert_eq!(t.attempts[2].gap_before, Some(52));
        assert_eq!(t.attempts[3].offset, Some(191));
        assert_eq!(t.span_secs, Some(191 + 2 + 26));
    }

    #[test]
    fn totals_per_number_include_undialled_extend_callees() {
        let d = data();
        let t = Timeline::build(&d, &CallTimes::of(&d.call));
        let summary: Vec<(&str, usize, i64, bool, bool)> = t
            .numbers
            .iter()
            .map(|n| {
                (
                    n.number.as_str(),
                    n.attempts,
                    n.ring_secs,
                    n.connected,
                    n.in_extend_callees,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("+1 555", 3, 0, false, true),
                ("+2 666", 2, 9, true, true),
                ("+3 777", 0, 0, false, true),
            ]
        );
    }

    #[test]
    fn no_call_no_attempts() {
        let d = Data::default();
        let t = Timeline::build(&d, &CallTimes::default());
        assert!(t.attempts.is_empty() && t.numbers.is_empty() && t.span_secs.is_none());
    }
}
