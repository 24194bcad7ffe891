//! Tab 2: how the call went: ids, times, outcome, labels, and a tally of Q&A and transcript.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Theme;
use super::widgets::{Row, Section, columns, draw_lines, shape_words};
use crate::app::Loaded;
use crate::case::call::hangup_words;
use crate::case::time::human_duration;

pub fn lines(loaded: &Loaded, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let d = loaded.data();
    let call = &d.call;
    let facts = &loaded.facts;
    if !call.shape.is_present() {
        let mut s = Section::new("Call");
        s.empty = Some(shape_words(call.shape).into());
        return columns(&[s], &[], width, theme);
    }
    let mut ids = Section::new("Call");
    ids.row("call_id", &call.call_id, theme)
        .row("task_id", &call.task_id, theme)
        .row("robot_id", &call.robot_id, theme);
    if loaded.arriving() && call.caller_number.value().is_none() {
        // Sent after the transcript, as the API's example sends it: not here yet.
        ids.push(Row::new("caller", "receiving…", theme.dim));
    } else {
        ids.row("caller", &call.caller_number, theme);
    }
    ids.row("callee", &call.callee_number, theme);

    let mut time = Section::new("Time (as sent, account's zone)");
    time.row("start", &call.call_start_time, theme)
        .row("end", &call.call_end_time, theme);
    match (facts.call.duration, facts.call.duration_gap(call)) {
        (Some(s), _) => time.push(Row::new("duration", human_duration(s), theme.value)),
        (None, Some(why)) => time.push(Row::new("duration", format!("unknown ({why})"), theme.dim)),
        (None, None) => time.push(Row::new("duration", "", theme.value)),
    };
    let ring = match call.ring_time.value() {
        Some(v) if call.ring_time.as_f64().is_some() => format!("{v} s"),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    time.push(Row::new("ring time", ring, theme.value));
    time.row("ring_type", &call.ring_type, theme);

    let mut outcome = Section::new("Outcome");
    let mut hangup = Row::new("hangup_type", call.hangup_type.show(), theme.value);
    if let Some(words) = hangup_words(call.hangup_type.show()) {
        hangup = hangup.with(format!("({words})"), theme.dim);
    }
    outcome.push(hangup);
    outcome.push(
        Row::new("call_times", call.call_times.show(), theme.value).with("(attempts)", theme.dim),
    );
    outcome.row("talk_round", &call.talk_round, theme);
    let mut intention = Row::new("intention", call.intention.show(), theme.title);
    if call.intention_description.is_set() {
        intention = intention.with(
            format!("— {}", call.intention_description.show()),
            theme.value,
        );
    }
    outcome.push(intention);
    if call.asr_ptp.is_set() {
        outcome.push(
            Row::new("asr_ptp", call.asr_ptp.show(), theme.good)
                .with("(promise to pay)", theme.dim),
        );
    }
    let t = &facts.tally;
    let qa_style = if t.mismatched > 0 {
        theme.bad
    } else if t.total > 0 && t.matched == t.total {
        theme.good
    } else {
        theme.value
    };
    outcome.push(Row::new("Q&A", t.line(), qa_style));
    let st = &facts.transcript.stats;
    outcome.push(Row::new(
        "transcript",
        if loaded.waits_for_transcript() {
            format!("{}…", loaded.pending_words())
        } else {
            format!(
                "{} turns ({} robot, {} callee), talk ≈ {} robot / {} callee",
                facts.transcript.turn_count(),
                st.robot_turns,
                st.callee_turns,
                human_duration(st.robot_secs as i64),
                human_duration(st.callee_secs as i64)
            )
        },
        theme.value,
    ));

    let mut labels = Section::new("multi_label");
    labels.map(&call.multi_label, theme);
    let mut ner = Section::new("ner_slots");
    ner.map(&call.ner_slots, theme);
    let mut slots = Section::new("slots");
    slots.map(&call.slots, theme);

    // Short sections after the ids so the two columns come out of even height.
    let mut right = vec![outcome, labels];
    if !call.unknown.is_empty() {
        let mut other = Section::new("Other fields (not in the reference)");
        other.unknown(&call.unknown, "", theme);
        right.push(other);
    }
    columns(&[ids, time, ner, slots], &right, width, theme)
}

pub fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let lines = lines(loaded, area.width, theme);
    let offset = loaded.views.call.settle(lines.len(), area.height as usize);
    draw_lines(frame, area, &lines, offset);
}
