//! The Redials tab's time axis: one bar per attempt (ring, talk, and the idle gaps between
//! them) from the first start to the last end, the attempts' numbers under their bars, and
//! the attempts that could not be placed. Where a second falls and what each column shows is
//! plain arithmetic, tested without a terminal.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{Days, seq_text};
use crate::case::redials::{Attempt, Timeline};
use crate::case::time::human_duration;
use crate::text::width;
use crate::ui::Theme;

/// One attempt on the axis: seconds from the first start, ring and talk seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bar {
    offset: i64,
    ring: i64,
    talk: i64,
}

impl Bar {
    /// The attempt's bar, when its start could be read.
    fn of(a: &Attempt) -> Option<Bar> {
        Some(Bar {
            offset: a.offset?,
            ring: a.ring_secs.unwrap_or(0).max(0),
            talk: a.talk_secs.unwrap_or(0).max(0),
        })
    }
}

/// What one column of the axis shows; the `usize` is the attempt's index in the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Idle,
    Ring(usize),
    Talk(usize),
    /// An attempt that neither rang nor talked (or did so for 0 s).
    Point(usize),
}

/// Where second `t` falls on an axis `cols` wide that spans `span` seconds: column `c` holds
/// the seconds from `c·span/cols` to `(c+1)·span/cols`, and the result is the nearest column
/// boundary, from 0 (the first start) to `cols` (the last end).
fn scale(t: i64, span: i64, cols: usize) -> usize {
    if cols == 0 || span <= 0 {
        return 0;
    }
    let t = i128::from(t.clamp(0, span));
    let span = i128::from(span);
    ((t * cols as i128 + span / 2) / span) as usize
}

/// Paints attempt `idx` on `marks`: its ring from its start, then its talk, each at least one
/// column when it lasted; a point when it did neither. Later paint covers earlier.
fn paint(marks: &mut [Mark], idx: usize, bar: Bar, span: i64) {
    let cols = marks.len();
    if cols == 0 {
        return;
    }
    let start = scale(bar.offset, span, cols).min(cols - 1);
    if bar.ring == 0 && bar.talk == 0 {
        marks[start] = Mark::Point(idx);
        return;
    }
    let mut c = start;
    if bar.ring > 0 {
        let end = scale(bar.offset.saturating_add(bar.ring), span, cols)
            .max(c + 1)
            .min(cols);
        marks[c..end].fill(Mark::Ring(idx));
        c = end;
    }
    if bar.talk > 0 {
        let c = c.min(cols - 1);
        let end = scale(
            bar.offset.saturating_add(bar.ring).saturating_add(bar.talk),
            span,
            cols,
        )
        .max(c + 1)
        .min(cols);
        marks[c..end].fill(Mark::Talk(idx));
    }
}

fn axis_label(t: chrono::NaiveDateTime, days: Days) -> String {
    t.format(days.short_format()).to_string()
}

/// The time axis: a title with the legend, the bars between the start and end times, the
/// attempts' numbers under their bars, and the attempts that could not be placed.
pub(super) fn axis_block(
    t: &Timeline,
    selected: usize,
    days: Days,
    w: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let w = w as usize;
    let mut out = Vec::new();
    let mut title = vec![Span::styled("Time axis", theme.title)];
    let mut used = width("Time axis");
    let mut add = |spans: &mut Vec<Span<'static>>, text: String, style: Style| {
        let tw = width(&text);
        if used + tw <= w {
            used += tw;
            spans.push(Span::styled(text, style));
            true
        } else {
            false
        }
    };
    let (Some(span), Some(first)) = (t.span_secs, t.attempts.iter().find_map(|a| a.start)) else {
        out.push(Line::from(title));
        out.push(Line::styled(
            "  no start time could be read: nothing to place on the axis",
            theme.dim,
        ));
        return out;
    };
    let span = span.max(1);
    for (text, style) in [
        ("  ▒ ring", theme.warn),
        ("  █ talk", theme.good),
        ("  │ no ring", theme.value),
        ("  · idle", theme.dim),
    ] {
        if !add(&mut title, text.to_string(), style) {
            break;
        }
    }
    if let Some(d) = days.same {
        add(&mut title, format!("  {}", d.format("%Y-%m-%d")), theme.dim);
    }
    add(
        &mut title,
        format!("  span {}", human_duration(span)),
        theme.dim,
    );
    out.push(Line::from(title));

    let end = crate::case::time::plus_secs(first, span).unwrap_or(chrono::NaiveDateTime::MAX);
    let (from, to) = (axis_label(first, days), axis_label(end, days));
    let label_w = width(&from).max(width(&to)) + 1;
    let with_labels = w >= 2 * label_w + 12;
    let cols = if with_labels { w - 2 * label_w } else { w };
    let mut marks = vec![Mark::Idle; cols];
    for (i, a) in t.attempts.iter().enumerate() {
        if i != selected
            && let Some(b) = Bar::of(a)
        {
            paint(&mut marks, i, b, span);
        }
    }
    if let Some(b) = t.attempts.get(selected).and_then(Bar::of) {
        paint(&mut marks, selected, b, span);
    }
    let mut bar: Vec<Span<'static>> = Vec::new();
    if with_labels {
        bar.push(Span::styled(format!("{from} "), theme.label));
    }
    let mut run = String::new();
    let mut run_style = Style::default();
    for m in &marks {
        let (ch, idx, style) = match *m {
            Mark::Idle => ('·', None, theme.dim),
            Mark::Ring(i) => ('▒', Some(i), theme.warn),
            Mark::Talk(i) => ('█', Some(i), theme.good),
            Mark::Point(i) => ('│', Some(i), theme.value),
        };
        let style = if idx == Some(selected) {
            theme.focus
        } else {
            style
        };
        if style != run_style && !run.is_empty() {
            bar.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = style;
        run.push(ch);
    }
    if !run.is_empty() {
        bar.push(Span::styled(run, run_style));
    }
    if with_labels {
        bar.push(Span::styled(format!(" {to}"), theme.label));
    }
    out.push(Line::from(bar));

    // Numbers under the bars' starts, the selected one first, others where they fit.
    let mut taken = vec![false; cols];
    let mut placed: Vec<(usize, String, Style)> = Vec::new();
    let order = t
        .attempts
        .get(selected)
        .map(|a| (selected, a))
        .into_iter()
        .chain(
            t.attempts
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != selected),
        );
    for (i, a) in order {
        let Some(b) = Bar::of(a) else { continue };
        let label = seq_text(a);
        let lw = width(&label);
        // Under the bar's start, or as near as the right edge allows.
        let c = scale(b.offset, span, cols).min(cols.saturating_sub(lw));
        let lo = c.saturating_sub(1);
        let hi = c + lw + 1;
        if c + lw > cols || taken[lo..hi.min(cols)].iter().any(|&x| x) {
            continue;
        }
        taken[c..c + lw].fill(true);
        let style = if i == selected {
            theme.focus
        } else if a.is_final {
            theme.accent
        } else {
            theme.dim
        };
        placed.push((c, label, style));
        if placed.len() >= cols {
            break;
        }
    }
    placed.sort_by_key(|p| p.0);
    let mut labels: Vec<Span<'static>> = Vec::new();
    let mut at = 0;
    if with_labels {
        labels.push(Span::raw(" ".repeat(label_w)));
    }
    for (c, label, style) in placed {
        labels.push(Span::raw(" ".repeat(c - at)));
        at = c + width(&label);
        labels.push(Span::styled(label, style));
    }
    out.push(Line::from(labels));

    // Attempts whose start could not be read are listed, not placed.
    let mut off = t.attempts.iter().filter(|a| a.offset.is_none()).peekable();
    if off.peek().is_some() {
        let mut spans = vec![Span::styled(
            "not on the axis (start time unreadable):",
            theme.warn,
        )];
        let mut used = width("not on the axis (start time unreadable):");
        for a in off {
            let s = format!(" #{}", a.seq);
            if used + width(&s) + 2 > w {
                spans.push(Span::styled(" …", theme.warn));
                break;
            }
            used += width(&s);
            spans.push(Span::styled(s, theme.warn));
        }
        out.push(Line::from(spans));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_maps_the_span_onto_the_columns() {
        assert_eq!(scale(0, 100, 10), 0);
        assert_eq!(scale(100, 100, 10), 10);
        assert_eq!(scale(50, 100, 10), 5);
        // Rounded to the nearest column boundary.
        assert_eq!(scale(14, 100, 10), 1);
        assert_eq!(scale(15, 100, 10), 2);
        // Out of range is clamped; degenerate axes put everything at 0.
        assert_eq!(scale(-5, 100, 10), 0);
        assert_eq!(scale(500, 100, 10), 10);
        assert_eq!(scale(5, 0, 10), 0);
        assert_eq!(scale(5, 10, 0), 0);
        // Long spans do not overflow.
        assert_eq!(scale(i64::MAX / 2, i64::MAX / 2, 200), 200);
    }

    fn marks(bars: &[Bar], span: i64, cols: usize) -> String {
        let mut m = vec![Mark::Idle; cols];
        for (i, b) in bars.iter().enumerate() {
            paint(&mut m, i, *b, span);
        }
        m.iter()
            .map(|m| match m {
                Mark::Idle => '.',
                Mark::Ring(_) => 'r',
                Mark::Talk(_) => 'T',
                Mark::Point(_) => '|',
            })
            .collect()
    }

    #[test]
    fn bars_show_ring_talk_and_the_gaps() {
        let b = |offset, ring, talk| Bar { offset, ring, talk };
        // The reference: 14:51:15 (0 s ring), 14:51:24 (7 s), 14:52:23 (0 s), final at
        // 14:54:26 ringing 2 s then talking 26 s: 219 s in all.
        let reference = [b(0, 0, 0), b(9, 7, 0), b(68, 0, 0), b(191, 2, 26)];
        assert_eq!(
            marks(&reference, 219, 40),
            "|.r.........|......................rTTTT"
        );
        // Each part that lasted keeps a column; on a narrow axis a later attempt covers an
        // earlier one in the same column.
        assert_eq!(marks(&reference, 219, 10), "r..|.....T");
        assert_eq!(marks(&reference[..1], 219, 10), "|.........");
        // Two attempts far apart leave the idle time between them visible.
        assert_eq!(
            marks(&[b(0, 30, 0), b(3600, 30, 0)], 3630, 12),
            "r..........r"
        );
        // Scale follows the width.
        assert_eq!(marks(&[b(0, 50, 50)], 100, 20), "rrrrrrrrrrTTTTTTTTTT");
    }
}
