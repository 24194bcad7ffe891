//! The Redials tab's totals per number dialled: attempts, ring time, whether it connected and
//! whether it is listed in `extend_callees`, as a small table under the attempts.

use ratatui::style::Style;
use ratatui::text::Line;

use super::duration_width;
use crate::case::redials::{NumberTotal, Timeline};
use crate::case::time::human_duration;
use crate::text::{clean, width};
use crate::ui::Theme;
use crate::ui::table::tab::{self, Column, Columns};
use crate::ui::table::{self, Cell, ColSpec, GAP};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TCol {
    Number,
    Attempts,
    Ring,
    Connected,
    Extend,
}

const TCOLS: [TCol; 5] = [
    TCol::Number,
    TCol::Attempts,
    TCol::Ring,
    TCol::Connected,
    TCol::Extend,
];
const TRIGHT: [bool; 5] = [false, true, true, false, false];

impl Column for TCol {
    fn title(self) -> &'static str {
        match self {
            TCol::Number => "number",
            TCol::Attempts => "attempts",
            TCol::Ring => "ring",
            TCol::Connected => "connected",
            TCol::Extend => "in extend_callees",
        }
    }
    fn short_title(self) -> &'static str {
        match self {
            TCol::Attempts => "att",
            TCol::Connected => "conn",
            TCol::Extend => "listed",
            c => c.title(),
        }
    }
}

fn total_cells<'a>(n: &'a NumberTotal, theme: &Theme) -> Vec<Cell<'a>> {
    let dim_if_none = if n.attempts == 0 {
        theme.dim
    } else {
        theme.value
    };
    TCOLS
        .iter()
        .map(|c| match c {
            TCol::Number => Cell::new(clean(&n.number), dim_if_none),
            TCol::Attempts => Cell::new(n.attempts.to_string(), dim_if_none),
            TCol::Ring => Cell::new(human_duration(n.ring_secs), dim_if_none),
            TCol::Connected if n.connected => Cell::new("✓ yes", theme.good).short("✓"),
            TCol::Connected => Cell::new("· no", theme.dim).short("·"),
            TCol::Extend if n.in_extend_callees => Cell::new("yes", theme.value),
            TCol::Extend => Cell::new("no", theme.warn),
        })
        .collect()
}

fn total_specs(numbers: &[NumberTotal]) -> Vec<ColSpec> {
    let mut want = [0usize; 5];
    for n in numbers {
        want[0] = want[0].max(width(&clean(&n.number)));
        want[1] = want[1].max(n.attempts.checked_ilog10().map_or(1, |d| d as usize + 1));
        want[2] = want[2].max(duration_width(n.ring_secs));
    }
    want[3] = 5;
    want[4] = 3;
    TCOLS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let want = want[i].max(width(c.title()));
            let min = match c {
                TCol::Number => want,
                _ => width(c.short_title()).max(match c {
                    TCol::Connected => 1,
                    TCol::Ring => 4,
                    _ => 3,
                }),
            };
            let (priority, keep) = match c {
                TCol::Number => (0, true),
                TCol::Attempts => (1, true),
                TCol::Connected => (2, true),
                TCol::Ring => (3, false),
                TCol::Extend => (4, false),
            };
            ColSpec::new(priority, keep, want, min)
        })
        .collect()
}

/// Totals per number: a title and a small table, at most `max` lines.
pub(super) fn totals_block(t: &Timeline, w: u16, max: usize, theme: &Theme) -> Vec<Line<'static>> {
    if t.numbers.is_empty() || max == 0 {
        return Vec::new();
    }
    let mut out = vec![Line::styled("Per number", theme.title)];
    let n = t.numbers.len();
    let room = max.saturating_sub(2);
    let shown = if n > room { room.saturating_sub(1) } else { n };
    if shown > 0 {
        let cols = Columns {
            widths: table::fit(&total_specs(&t.numbers), w as usize, GAP),
            right: &TRIGHT,
        };
        out.push(cols.line(&tab::header(&TCOLS, theme.label), Style::default()));
        for total in &t.numbers[..shown] {
            out.push(cols.line(&total_cells(total, theme), Style::default()));
        }
    }
    if shown < n {
        let more = if shown == 0 { "" } else { " more" };
        out.push(Line::styled(
            format!("… {}{more} numbers (Y copies all)", n - shown),
            theme.dim,
        ));
    }
    out.truncate(max);
    out
}

/// The totals as plain text in full columns (for copying), with their title.
pub(super) fn totals_text(numbers: &[NumberTotal]) -> String {
    let plain = Theme::plain();
    let cols = Columns {
        widths: total_specs(numbers).iter().map(|s| s.want).collect(),
        right: &TRIGHT,
    };
    let mut out = String::from("Per number\n");
    out.push_str(&cols.text(&tab::header(&TCOLS, Style::default())));
    out.push('\n');
    for n in numbers {
        out.push_str(&cols.text(&total_cells(n, &plain)));
        out.push('\n');
    }
    out
}
