//! Tab 3: every attempt of the call — each `redial_call` and the final call — in time order,
//! a time axis under the table with one bar per attempt (ring, talk, and the idle gaps between
//! them), the selected attempt's details, and totals per number dialled. Only the rows on
//! screen are laid out; columns narrow or drop by priority so the table never overflows.

mod axis;
mod totals;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use self::axis::axis_block;
use self::totals::{totals_block, totals_text};
use super::Theme;
use super::table::tab::{self, Column, Columns, Page, Room};
use super::table::{self, Cell, ColSpec, Field, GAP};
use super::widgets::shape_words;
use crate::api::tolerant::{Shape, value_text};
use crate::app::Loaded;
use crate::case::call::hangup_words;
use crate::case::redials::{Attempt, Timeline};
use crate::case::time::human_duration;
use crate::text::{clean, width};

/// Marks the final call in the table and on the axis.
const FINAL_MARK: &str = "◆";

/// Exact display width of [`human_duration`]`(secs)`, without building it.
fn duration_width(secs: i64) -> usize {
    let digits = |n: u64| n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let sign = usize::from(secs < 0);
    let s = secs.unsigned_abs();
    let (h, m) = (s / 3600, s / 60 % 60);
    sign + if h > 0 {
        digits(h) + " h 00 min".len()
    } else if m > 0 {
        digits(m) + " min 00 s".len()
    } else {
        digits(s) + " s".len()
    }
}

// ---------------------------------------------------------------------------------------
// The table

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Seq,
    Start,
    Number,
    Caller,
    RingType,
    Ring,
    Hangup,
    Result,
    Gap,
    CallId,
}

/// Columns in the order they appear.
const COLS: [Col; 10] = [
    Col::Seq,
    Col::Start,
    Col::Number,
    Col::Caller,
    Col::RingType,
    Col::Ring,
    Col::Hangup,
    Col::Result,
    Col::Gap,
    Col::CallId,
];

impl Column for Col {
    fn title(self) -> &'static str {
        match self {
            Col::Seq => "#",
            Col::Start => "start",
            Col::Number => "number",
            Col::Caller => "caller",
            Col::RingType => "ring type",
            Col::Ring => "ring",
            Col::Hangup => "hangup",
            Col::Result => "result",
            Col::Gap => "gap",
            Col::CallId => "call_id",
        }
    }
    fn short_title(self) -> &'static str {
        match self {
            Col::RingType => "type",
            Col::Hangup => "hang",
            Col::Result => "res",
            c => c.title(),
        }
    }
}

impl Col {
    /// Start, number, hangup and result are always there; the rest come in this order.
    fn priority(self) -> u8 {
        match self {
            Col::Seq => 0,
            Col::Start => 1,
            Col::Number => 2,
            Col::Hangup => 3,
            Col::Result => 4,
            Col::Ring => 5,
            Col::Caller => 6,
            Col::CallId => 7,
            Col::RingType => 8,
            Col::Gap => 9,
        }
    }
    fn keep(self) -> bool {
        self.priority() <= 4
    }
}

/// How start times are shortened: to the clock when every attempt is on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Days {
    /// The one date every readable start falls on.
    same: Option<chrono::NaiveDate>,
}

impl Days {
    fn of(t: &Timeline) -> Self {
        let mut dates = t.attempts.iter().filter_map(|a| a.start.map(|s| s.date()));
        let first = dates.next();
        let same = first.filter(|d| dates.all(|x| x == *d));
        Days { same }
    }
    fn short_format(self) -> &'static str {
        if self.same.is_some() {
            "%H:%M:%S"
        } else {
            "%m-%d %H:%M"
        }
    }
    fn short_width(self) -> usize {
        if self.same.is_some() { 8 } else { 11 }
    }
}

fn ring_text(a: &Attempt) -> Cow<'_, str> {
    let sent = clean(a.ring_text.trim());
    if a.ring_secs.is_some() {
        Cow::Owned(format!("{sent} s"))
    } else {
        sent
    }
}

fn ring_width(a: &Attempt) -> usize {
    width(&clean(a.ring_text.trim())) + if a.ring_secs.is_some() { 2 } else { 0 }
}

fn seq_text(a: &Attempt) -> String {
    format!("{}{}", if a.is_final { FINAL_MARK } else { "" }, a.seq)
}

/// What each column needs, from one pass over every attempt (no text is built).
fn specs(t: &Timeline, days: Days) -> Vec<ColSpec> {
    let n = t.attempts.len();
    let digits = n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let mut want = [0usize; COLS.len()];
    let mut start_min = 0usize;
    for a in &t.attempts {
        for (i, c) in COLS.iter().enumerate() {
            let w = match c {
                Col::Seq => 0,
                Col::Start => width(&clean(&a.start_text)),
                Col::Number => width(&clean(&a.number)),
                Col::Caller => width(&clean(&a.caller)),
                Col::RingType => width(&clean(&a.ring_type)),
                Col::Ring => ring_width(a),
                Col::Hangup => width(&clean(&a.hangup_type)),
                Col::Result => width(&clean(&a.result_label)),
                Col::Gap => a.gap_before.map_or(0, duration_width),
                Col::CallId => width(&clean(&a.call_id)),
            };
            want[i] = want[i].max(w);
        }
        let sw = if a.start.is_some() {
            days.short_width()
        } else {
            width(&clean(&a.start_text)).min(10)
        };
        start_min = start_min.max(sw);
    }
    COLS.iter()
        .enumerate()
        .map(|(i, &c)| {
            let content = want[i];
            let want = match c {
                Col::Seq => digits + 1,
                _ => content.max(width(c.title())),
            };
            let short = width(c.short_title());
            let min = match c {
                Col::Seq => digits + 1,
                Col::Start => start_min.max(short),
                // Numbers and ids read only whole.
                Col::Number | Col::Caller | Col::CallId => content.max(short),
                Col::Hangup => content.min(8).max(short),
                Col::Result | Col::Ring | Col::RingType => content.min(6).max(short),
                Col::Gap => content.min(5).max(short),
            };
            let spec = ColSpec::new(c.priority(), c.keep(), want, min);
            // Start times shorten to a clock; the others only swap titles.
            match c {
                Col::Start | Col::Result | Col::Ring | Col::RingType => spec.snap(),
                _ => spec,
            }
        })
        .collect()
}

fn cells<'a>(a: &'a Attempt, days: Days, theme: &Theme) -> Vec<Cell<'a>> {
    COLS.iter()
        .map(|c| match c {
            Col::Seq => Cell::new(
                seq_text(a),
                if a.is_final { theme.accent } else { theme.dim },
            ),
            Col::Start => {
                let cell = Cell::new(clean(&a.start_text), theme.value);
                match a.start {
                    Some(s) => cell.short(s.format(days.short_format()).to_string()),
                    None => cell,
                }
            }
            Col::Number => Cell::new(clean(&a.number), theme.value),
            Col::Caller => Cell::new(clean(&a.caller), theme.value),
            Col::RingType => Cell::new(clean(&a.ring_type), theme.value),
            Col::Ring => Cell::new(ring_text(a), theme.value),
            Col::Hangup => Cell::new(clean(&a.hangup_type), theme.value),
            Col::Result => Cell::new(
                clean(&a.result_label),
                if a.is_final { theme.title } else { theme.value },
            ),
            Col::Gap => Cell::new(
                a.gap_before.map(human_duration).unwrap_or_default(),
                theme.dim,
            ),
            Col::CallId => Cell::new(clean(&a.call_id), theme.dim),
        })
        .collect()
}

const RIGHT: [bool; COLS.len()] = {
    let mut r = [false; COLS.len()];
    let mut i = 0;
    while i < COLS.len() {
        r[i] = matches!(COLS[i], Col::Seq | Col::Ring | Col::Gap);
        i += 1;
    }
    r
};

// ---------------------------------------------------------------------------------------
// Blocks under the table

/// A note above the table on how `redial_call` arrived, when it is worth one.
fn note(loaded: &Loaded, theme: &Theme) -> Option<Line<'static>> {
    if loaded.unreadable().is_some() {
        return Some(Line::styled(
            "the answer is not well-formed JSON: redials that could not be read are left out (see Raw JSON)",
            theme.warn,
        ));
    }
    let list = &loaded.data().call.redial_call;
    let text = match list.shape {
        Shape::Drifted(_) if list.items.is_empty() => {
            return Some(Line::styled(
                format!("redial_call: {}", shape_words(list.shape)),
                theme.warn,
            ));
        }
        _ if list.skipped > 0 => {
            return Some(Line::styled(
                tab::unread_words("redial_call", list.skipped),
                theme.warn,
            ));
        }
        s if !s.is_present() => {
            "redial_call: not in this push — the final call is the only attempt"
        }
        _ if list.items.is_empty() => "redial_call is empty — the final call is the only attempt",
        _ => return None,
    };
    Some(Line::styled(text, theme.dim))
}

/// Label and value of every field of attempt `pos`, as sent, plus unknown fields.
fn fields(loaded: &Loaded, pos: usize, theme: &Theme) -> (String, Vec<Field>) {
    let t = &loaded.facts.timeline;
    let call = &loaded.data().call;
    let Some(a) = t.attempts.get(pos) else {
        return (String::new(), Vec::new());
    };
    let n = t.attempts.len();
    let v = theme.value;
    let ring = match a.ring_secs {
        // Shown as sent, and why it counts for nothing on the axis or in the totals.
        None if !a.ring_text.trim().is_empty() => {
            format!("{} (not a usable number of seconds)", ring_text(a))
        }
        _ => ring_text(a).into_owned(),
    };
    let mut f = Vec::new();
    let hangup = match hangup_words(&a.hangup_type) {
        Some(words) => format!("{} ({words})", a.hangup_type),
        None => a.hangup_type.clone(),
    };
    let gap = a.gap_before.map(|g| {
        Field::new(
            "gap",
            format!("{} after the previous attempt ended", human_duration(g)),
            theme.dim,
        )
    });
    if a.is_final {
        let title = format!(
            "Attempt {} of {n} · the final call {FINAL_MARK} (call)",
            a.seq
        );
        f.push(Field::new("call_id", a.call_id.clone(), v));
        f.push(Field::new("call_start_time", a.start_text.clone(), v));
        f.push(Field::new("call_end_time", call.call_end_time.show(), v));
        f.push(Field::new("callee_number", a.number.clone(), v));
        f.push(Field::new("caller_number", a.caller.clone(), v));
        f.push(Field::new("ring_type", a.ring_type.clone(), v));
        f.push(Field::new("ring_time", ring, v));
        f.push(Field::new(
            "talk",
            a.talk_secs.map(human_duration).unwrap_or_default(),
            v,
        ));
        f.push(Field::new("hangup_type", hangup, v));
        let intention = if call.intention_description.is_set() {
            format!(
                "{} — {}",
                call.intention.show(),
                call.intention_description.show()
            )
        } else {
            call.intention.show().to_string()
        };
        f.push(Field::new("intention", intention, theme.title));
        f.extend(gap);
        return (title, f);
    }
    let items = &call.redial_call.items;
    let src = t.source_index(pos, items);
    let title = match src {
        Some(i) => format!("Attempt {} of {n} · redial_call[{i}]", a.seq),
        None => format!("Attempt {} of {n} · redial", a.seq),
    };
    f.push(Field::new("call_id", a.call_id.clone(), v));
    f.push(Field::new("call_start_time", a.start_text.clone(), v));
    f.push(Field::new("callee_number", a.number.clone(), v));
    f.push(Field::new("caller_number", a.caller.clone(), v));
    f.push(Field::new("ring_type", a.ring_type.clone(), v));
    f.push(Field::new("ring_time", ring, v));
    f.push(Field::new("hangup_type", hangup, v));
    f.push(Field::new("result_label", a.result_label.clone(), v));
    f.extend(gap);
    if let Some(r) = src.and_then(|i| items.get(i)) {
        for (k, val) in &r.unknown {
            f.push(Field::new(clean(k), value_text(val), theme.other));
        }
    }
    (title, f)
}

// ---------------------------------------------------------------------------------------
// Layout

/// The note over the table; the time axis, the selected attempt's details and the totals
/// under it.
fn compose(loaded: &Loaded, selected: usize, days: Days, w: u16, h: u16, theme: &Theme) -> Page {
    let t = &loaded.facts.timeline;
    let above: Vec<Line<'static>> = note(loaded, theme).into_iter().collect();
    let h = (h as usize).saturating_sub(above.len());
    let axis = axis_block(t, selected, days, w, theme);
    let totals_len = if t.numbers.is_empty() {
        0
    } else {
        2 + t.numbers.len()
    };
    let room = Room::new(h, t.attempts.len(), axis.len() + totals_len);
    let (title, fields) = fields(loaded, selected, theme);
    let details = tab::details(&title, &fields, w, room, theme);
    let (table_h, blanks) = room.share(&[axis.len(), details.len(), totals_len]);
    // The totals get what is left, and say how many numbers they could not show.
    let left = h.saturating_sub(table_h + axis.len() + details.len() + blanks);
    let totals = totals_block(t, w, left, theme);
    Page {
        above,
        table_h,
        blanks,
        blocks: vec![axis, details, totals],
    }
}

pub(crate) fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let t = &loaded.facts.timeline;
    if loaded.waits_for_redials() {
        let words = format!("{} the redials…", loaded.pending_words());
        tab::draw_empty(frame, area, "Redials", &words, theme);
        return;
    }
    if t.attempts.is_empty() {
        let words = match loaded.data().call.redial_call.shape {
            Shape::Sent | Shape::Encoded => "no redials and no final call in this push",
            shape => shape_words(shape),
        };
        tab::draw_empty(frame, area, "Redials", words, theme);
        return;
    }
    let selected = loaded.views.redials.selected.min(t.attempts.len() - 1);
    let days = Days::of(t);
    let page = compose(loaded, selected, days, area.width, area.height, theme);
    let rows_h = page.rows();
    let offset = loaded.views.redials.settle(selected, rows_h);

    let cols = Columns {
        widths: table::fit(&specs(t, days), area.width as usize, GAP),
        right: &RIGHT,
    };
    let mut table = vec![cols.line(&tab::header(&COLS, theme.title), Style::default())];
    let shown = offset..offset + rows_h;
    let width = area.width as usize;
    let attempts = &t.attempts;
    table.extend(cols.rows(attempts, shown, selected, width, theme, |a| {
        cells(a, days, theme)
    }));
    page.draw(frame, area, table);
}

// ---------------------------------------------------------------------------------------
// Copying

/// The selected attempt on one line, every field as `name: value`.
fn attempt_line(loaded: &Loaded, pos: usize) -> Option<String> {
    let plain = Theme::plain();
    let (title, fields) = fields(loaded, pos, &plain);
    if fields.is_empty() {
        return None;
    }
    let body: Vec<String> = tab::field_texts(&fields).collect();
    Some(format!("{title} — {}", body.join("; ")))
}

/// The whole tab as text: every attempt in full columns, then the totals.
fn whole_text(loaded: &Loaded) -> Option<String> {
    let t = &loaded.facts.timeline;
    if t.attempts.is_empty() {
        return None;
    }
    let plain = Theme::plain();
    let days = Days::of(t);
    let cols = Columns {
        widths: specs(t, days).iter().map(|s| s.want).collect(),
        right: &RIGHT,
    };
    let mut out = String::new();
    let redials = t.attempts.iter().filter(|a| !a.is_final).count();
    let fin = if t.final_attempt().is_some() {
        " + the final call"
    } else {
        ""
    };
    out.push_str(&format!(
        "Redials: {} attempts ({redials} redials{fin}), in time order; {FINAL_MARK} marks the final call\n",
        t.attempts.len()
    ));
    out.push_str(&cols.text(&tab::header(&COLS, Style::default())));
    out.push('\n');
    for a in &t.attempts {
        out.push_str(&cols.text(&cells(a, days, &plain)));
        out.push('\n');
    }
    if !t.numbers.is_empty() {
        out.push('\n');
        out.push_str(&totals_text(&t.numbers));
    }
    Some(out)
}

pub(crate) fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    if whole {
        return whole_text(loaded).map(|t| (t, "the Redials tab".into()));
    }
    let t = &loaded.facts.timeline;
    let pos = loaded
        .views
        .redials
        .selected
        .min(t.attempts.len().checked_sub(1)?);
    let seq = t.attempts[pos].seq;
    attempt_line(loaded, pos).map(|l| (l, format!("attempt {seq}")))
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::{App, Effect};
    use crate::ui::table::testing::{self, REFERENCE, keys, screen};

    const MANY: &[u8] = include_bytes!("../../assets/demo/04-many-redials.json");

    fn app_with(body: Vec<u8>, w: u16, h: u16) -> App {
        testing::app_on_tab(body, w, h, '3')
    }

    fn render(app: &App) -> Terminal<TestBackend> {
        testing::render(app, draw)
    }

    fn without(path: &[&str]) -> Vec<u8> {
        testing::without(REFERENCE, path)
    }

    #[test]
    fn duration_width_matches_the_text() {
        for s in [
            0,
            5,
            59,
            60,
            61,
            600,
            3599,
            3600,
            7322,
            86_400 * 30,
            -9,
            -61,
            -3601,
        ] {
            assert_eq!(duration_width(s), width(&human_duration(s)), "{s}");
        }
    }

    // ---------- columns ----------

    fn shown(app: &App, w: usize) -> Vec<&'static str> {
        let t = &app.loaded.as_ref().unwrap().facts.timeline;
        let widths = table::fit(&specs(t, Days::of(t)), w, GAP);
        COLS.iter()
            .zip(widths)
            .filter(|(_, w)| *w > 0)
            .map(|(c, _)| c.title())
            .collect()
    }

    #[test]
    fn columns_drop_by_priority_as_the_width_shrinks() {
        let app = app_with(REFERENCE.to_vec(), 160, 50);
        assert_eq!(
            shown(&app, 125),
            [
                "#",
                "start",
                "number",
                "caller",
                "ring type",
                "ring",
                "hangup",
                "result",
                "call_id"
            ]
        );
        assert_eq!(
            shown(&app, 80),
            ["#", "start", "number", "caller", "ring", "hangup", "result"]
        );
        assert_eq!(
            shown(&app, 45),
            ["#", "start", "number", "hangup", "result"]
        );
        assert_eq!(
            shown(&app, 30),
            ["#", "start", "number", "hangup", "result"]
        );
        for w in 20..200 {
            let t = &app.loaded.as_ref().unwrap().facts.timeline;
            let widths = table::fit(&specs(t, Days::of(t)), w, GAP);
            assert!(
                table::total_width(&widths, GAP) <= w.max(5 + 4 * GAP),
                "{w}"
            );
        }
    }

    // ---------- the tab ----------

    #[test]
    fn reference_wide() {
        let app = app_with(REFERENCE.to_vec(), 160, 50);
        let term = render(&app);
        let text = screen(&term);
        // Every value of every redial_call entry is on screen.
        let v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        for r in v["data"]["call"]["redial_call"].as_array().unwrap() {
            for (k, val) in r.as_object().unwrap() {
                let s = value_text(val);
                assert!(text.contains(&s), "{k} = {s} missing");
            }
        }
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn reference_narrow() {
        let app = app_with(REFERENCE.to_vec(), 80, 24);
        assert!(!app.show_form, "the form hides itself below 110 columns");
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn reference_narrow_with_the_form() {
        let mut app = app_with(REFERENCE.to_vec(), 80, 24);
        keys(&mut app, "f");
        assert!(app.show_form);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn reference_second_attempt_selected() {
        let mut app = app_with(REFERENCE.to_vec(), 80, 24);
        keys(&mut app, "j");
        assert_eq!(app.loaded.as_ref().unwrap().views.redials.selected, 1);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn many_wide() {
        let app = app_with(MANY.to_vec(), 160, 50);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn many_narrow_at_the_end() {
        let mut app = app_with(MANY.to_vec(), 80, 24);
        keys(&mut app, "G");
        let l = app.loaded.as_ref().unwrap();
        assert_eq!(
            l.views.redials.selected,
            l.facts.timeline.attempts.len() - 1
        );
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn not_in_this_push() {
        let body = without(&["data", "call"]);
        for (w, h) in [(80, 24), (160, 50)] {
            let app = app_with(body.clone(), w, h);
            let text = screen(&render(&app));
            assert!(text.contains("not in this push"), "{text}");
            assert_eq!(copy(app.loaded.as_ref().unwrap(), false), None);
        }
        insta::assert_snapshot!(render(&app_with(body, 80, 24)).backend());
    }

    #[test]
    fn final_call_only_when_redial_call_is_absent() {
        let app = app_with(without(&["data", "call", "redial_call"]), 80, 24);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn thousands_of_redials_stay_in_their_rows() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let one = v["data"]["call"]["redial_call"][1].clone();
        let start = chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let many: Vec<serde_json::Value> = (0..5000)
            .map(|i| {
                let mut r = one.clone();
                r["call_id"] = format!("id{i}").into();
                r["call_start_time"] = (start + chrono::Duration::minutes(i))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
                    .into();
                r
            })
            .collect();
        v["data"]["call"]["redial_call"] = many.into();
        let mut app = app_with(serde_json::to_vec(&v).unwrap(), 80, 24);
        keys(&mut app, "jjjG");
        let l = app.loaded.as_ref().unwrap();
        assert_eq!(l.views.redials.selected, 5000);
        let text = screen(&render(&app));
        assert!(text.contains("◆5001"), "{text}");
        assert!(text.contains("Attempt 5001 of 5001"), "{text}");
    }

    #[test]
    fn untrusted_text_is_cleaned() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        v["data"]["call"]["redial_call"][0]["hangup_type"] = "By\u{1b}[31mRed\u{7}".into();
        v["data"]["call"]["redial_call"][0]["x_note"] = "a\u{1b}]0;title\u{7}b".into();
        v["data"]["call"]["redial_call"][0]["k\u{1b}[1m"] = "bold key".into();
        let app = app_with(serde_json::to_vec(&v).unwrap(), 160, 50);
        let text = screen(&render(&app));
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
        assert!(text.contains("By␛Red␇"), "{text}");
        assert!(text.contains("x_note") && text.contains("a␛b"), "{text}");
        assert!(text.contains("k␛") && text.contains("bold key"), "{text}");
    }

    #[test]
    fn any_size_draws_without_panicking() {
        for body in [REFERENCE, MANY] {
            let mut app = app_with(body.to_vec(), 160, 50);
            keys(&mut app, "G");
            testing::draw_small(&app, draw);
        }
    }

    #[test]
    fn final_call_and_selection_are_marked_in_colour() {
        let theme = Theme::color();
        let app = app_with(REFERENCE.to_vec(), 160, 50);
        let mut term = Terminal::new(TestBackend::new(125, 47)).unwrap();
        term.draw(|f| draw(f, f.area(), app.loaded.as_deref().unwrap(), &theme))
            .unwrap();
        let buf = term.backend().buffer();
        // Row 1 (the first attempt) is selected: reversed.
        assert!(buf[(5, 1)].modifier.contains(theme.selected.add_modifier));
        // The final call's mark, row 4.
        assert_eq!(buf[(0, 4)].symbol(), FINAL_MARK);
        assert_eq!(buf[(0, 4)].fg, theme.accent.fg.unwrap());
    }

    #[test]
    fn copy_one_attempt_or_the_whole_tab() {
        let mut app = app_with(REFERENCE.to_vec(), 80, 24);
        keys(&mut app, "j");
        let effects = keys(&mut app, "y");
        let [Effect::Copy { text, what }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(what, "attempt 2");
        assert_eq!(
            text,
            "Attempt 2 of 4 · redial_call[1] — call_id: df831fc0491xxxxxx7f1114605f9de; \
             call_start_time: 2024-03-12 14:51:24; callee_number: +8618xxxxxx721; \
             caller_number: +950xxxxxx088; ring_type: normal; ring_time: 7 s; \
             hangup_type: ByCallee (the callee hung up); result_label: F; \
             gap: 9 s after the previous attempt ended"
        );
        let effects = keys(&mut app, "Y");
        let [Effect::Copy { text, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        insta::assert_snapshot!(text);
    }
}
