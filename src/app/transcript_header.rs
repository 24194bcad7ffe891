//! What the Transcript tab's header says, as pieces of text tagged with what they are (the
//! screen gives each tag its style), and how many lines it takes at a width: the turns get
//! the rest, so the keys page by it without drawing it.

use crate::app::Loaded;
use crate::case::time::{clock, human_duration};
use crate::case::transcript::Speaker;
use crate::text::{one_line, width};

/// What a piece of the header is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Speaker(Speaker),
    Label,
    Value,
    Dim,
    Good,
    Warn,
    Title,
    Accent,
    Focus,
    Watch,
    Plain,
}

/// Pieces that stay on one line together.
pub type Segment = Vec<(String, Part)>;

/// Between two segments on a line.
pub const GAP: &str = "   ";

pub fn speaker_name(s: Speaker) -> &'static str {
    match s {
        Speaker::Robot => "◆ Robot   ",
        Speaker::Callee => "● Callee  ",
    }
}

pub fn speaker_bar(s: Speaker) -> &'static str {
    match s {
        Speaker::Robot => "▌",
        Speaker::Callee => "▐",
    }
}

/// The header: talk per speaker, the longest silence, the promise to pay; then what is
/// listed, where the selection is, the search or time prompt, watch-word counts. The screen
/// flows each group into lines and rules them off ([`height`] says how many).
pub fn header(l: &Loaded) -> (Vec<Segment>, Vec<Segment>) {
    let t = &l.facts.transcript;
    let v = &l.views.transcript;
    let st = &t.stats;
    let mut facts: Vec<Segment> = Vec::new();
    for (speaker, turns, secs) in [
        (Speaker::Robot, st.robot_turns, st.robot_secs),
        (Speaker::Callee, st.callee_turns, st.callee_secs),
    ] {
        let noun = if turns == 1 { "turn" } else { "turns" };
        facts.push(vec![
            (
                format!(
                    "{}{}",
                    speaker_bar(speaker),
                    speaker_name(speaker).trim_end()
                ),
                Part::Speaker(speaker),
            ),
            (
                format!(" {turns} {noun} · {}", human_duration(secs as i64)),
                Part::Value,
            ),
        ]);
    }
    if let Some((secs, idx)) = st.longest_silence {
        let at = t.entries[idx].at().map(clock).unwrap_or_else(|| "?".into());
        facts.push(vec![
            ("longest silence ".into(), Part::Label),
            (format!("{} at {at}", clock(secs)), Part::Value),
        ]);
    }
    if let Some(p) = &v.ptp {
        match p.entry {
            Some(e) => {
                let at = t.entries[e].at().map(clock).unwrap_or_else(|| "?".into());
                facts.push(vec![
                    ("★ PTP ".into(), Part::Good),
                    (format!("{} → {at}", p.value), Part::Value),
                ]);
            }
            None => facts.push(vec![
                ("? PTP ".into(), Part::Warn),
                (format!("{}: not named in any turn", p.value), Part::Value),
            ]),
        }
    }

    let mut state: Vec<Segment> = Vec::new();
    let len = v.len(t);
    let silences = if v.hide_silences {
        "silences folded"
    } else {
        "silences shown"
    };
    state.push(vec![
        ("showing ".into(), Part::Label),
        (format!("{} · {silences}", v.filter.words()), Part::Value),
        (" (a r c s)".into(), Part::Dim),
    ]);
    let digits = len.max(1).to_string().len();
    state.push(vec![(
        format!(
            "{:>digits$}/{len}",
            if len == 0 {
                0
            } else {
                v.selected.min(len - 1) + 1
            }
        ),
        Part::Dim,
    )]);
    if let Some(typed) = &v.jump {
        state.push(vec![
            ("go to time: ".into(), Part::Accent),
            (format!("{typed}▏"), Part::Focus),
            (" mm:ss or hh:mm:ss · Enter · Esc".into(), Part::Dim),
        ]);
    } else if v.search.editing || v.search.is_active() {
        let q = one_line(&v.search.query);
        let mut seg = vec![(format!("/{q}"), Part::Accent)];
        if v.search.editing {
            seg.push(("▏".into(), Part::Focus));
        }
        if v.search.is_active() {
            let part = if v.search.hits.is_empty() {
                Part::Warn
            } else {
                Part::Title
            };
            seg.push((" ".into(), Part::Plain));
            seg.push((v.search.counter(), part));
            if !v.search.editing {
                seg.push((" n/N".into(), Part::Dim));
            }
        }
        state.push(seg);
    } else {
        state.push(vec![(": go to time · e export".into(), Part::Dim)]);
    }
    if let Some(m) = &v.message {
        state.push(vec![(one_line(m), Part::Warn)]);
    }
    if !v.watch_counts.is_empty() {
        let mut seg = vec![("watch: ".into(), Part::Label)];
        for (i, (word, n)) in v.watch_counts.iter().enumerate() {
            if i > 0 {
                seg.push((", ".into(), Part::Plain));
            }
            seg.push((word.clone(), Part::Watch));
            seg.push((format!(" {n}"), Part::Value));
        }
        state.push(seg);
    }
    (facts, state)
}

/// Where lines break when segments flow into `width` columns: the segments of each line.
pub fn flow<T>(segs: Vec<T>, width: usize, seg_width: impl Fn(&T) -> usize) -> Vec<Vec<T>> {
    let mut lines = Vec::new();
    let mut cur: Vec<T> = Vec::new();
    let mut used = 0;
    for seg in segs {
        let w = seg_width(&seg);
        if used > 0 && used + GAP.len() + w > width {
            lines.push(std::mem::take(&mut cur));
            used = 0;
        }
        if used > 0 {
            used += GAP.len();
        }
        cur.push(seg);
        used += w;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Columns a segment takes.
pub fn segment_width(seg: &Segment) -> usize {
    seg.iter().map(|(t, _)| width(t)).sum()
}

/// Lines the header takes `w` columns wide: its two groups flowed, and the rule.
pub fn height(l: &Loaded, w: u16) -> usize {
    let (facts, state) = header(l);
    let w = w as usize;
    flow(facts, w, segment_width).len() + flow(state, w, segment_width).len() + 1
}
