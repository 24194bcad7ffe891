//! Pieces shared by the tabs: sections of label/value rows laid out in one or two columns
//! with values wrapped (never cut), the "not in this push" marker, error and welcome screens.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::advice::Advice;
use crate::api::tolerant::{KvMap, Scalar, Shape, Unknown, value_text};
use crate::app::{App, Failure};
use crate::text::{clean, width, wrap};

/// Marker for a section the push did not carry.
pub const NOT_IN_PUSH: &str = "not in this push";

/// One value with its style.
#[derive(Debug, Clone)]
pub struct Value {
    pub text: String,
    pub style: Style,
}

/// A labelled row.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    /// Parts shown one after another (e.g. the value and a dim explanation).
    pub parts: Vec<Value>,
}

impl Row {
    pub fn new(label: impl Into<String>, text: impl AsRef<str>, style: Style) -> Self {
        Row {
            label: label.into(),
            parts: vec![Value {
                text: clean(text.as_ref()).into_owned(),
                style,
            }],
        }
    }
    pub fn with(mut self, text: impl AsRef<str>, style: Style) -> Self {
        self.parts.push(Value {
            text: clean(text.as_ref()).into_owned(),
            style,
        });
        self
    }
}

/// A titled group of rows.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
    /// Shown instead of rows when there are none.
    pub empty: Option<String>,
}

impl Section {
    pub fn new(title: impl Into<String>) -> Self {
        Section {
            title: title.into(),
            rows: Vec::new(),
            empty: None,
        }
    }
    pub fn row(&mut self, label: impl Into<String>, value: &Scalar, theme: &Theme) -> &mut Self {
        self.rows.push(Row::new(label, value.show(), theme.value));
        self
    }
    /// Adds the row only when the value is set.
    pub fn row_if_set(
        &mut self,
        label: impl Into<String>,
        value: &Scalar,
        theme: &Theme,
    ) -> &mut Self {
        if value.is_set() {
            self.row(label, value, theme);
        }
        self
    }
    pub fn push(&mut self, row: Row) -> &mut Self {
        self.rows.push(row);
        self
    }
    /// Rows for a free-form map, or the reason it has none.
    pub fn map(&mut self, map: &KvMap, theme: &Theme) -> &mut Self {
        for (k, v) in &map.entries {
            self.rows
                .push(Row::new(clean(k), value_text(v), theme.value));
        }
        if let Some(raw) = &map.raw {
            self.rows.push(Row::new("(as sent)", raw, theme.value));
        }
        if self.rows.is_empty() {
            self.empty = Some(shape_words(map.shape).into());
        }
        self
    }
    pub fn unknown(&mut self, unknown: &Unknown, prefix: &str, theme: &Theme) -> &mut Self {
        for (k, v) in unknown {
            self.rows.push(Row::new(
                format!("{prefix}{}", clean(k)),
                value_text(v),
                theme.other,
            ));
        }
        self
    }
}

/// Words for how an empty section arrived.
pub fn shape_words(shape: Shape) -> &'static str {
    match shape {
        Shape::Absent | Shape::Null | Shape::Blank => NOT_IN_PUSH,
        Shape::Drifted(_) => "sent in a form that could not be read (see Raw JSON)",
        Shape::Sent | Shape::Encoded => "empty",
    }
}

/// Lines for `sections` in one column `width` wide.
pub fn column(sections: &[Section], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = width.max(10) as usize;
    let mut out = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(s.title.clone(), theme.title)));
        if s.rows.is_empty() {
            let words = s.empty.clone().unwrap_or_else(|| NOT_IN_PUSH.into());
            out.push(Line::from(Span::styled(format!("  {words}"), theme.dim)));
            continue;
        }
        let label_w = s
            .rows
            .iter()
            .map(|r| width_of(&r.label))
            .max()
            .unwrap_or(0)
            .min(width / 2)
            .max(4);
        for r in &s.rows {
            row_lines(&mut out, r, label_w, width, theme);
        }
    }
    out
}

fn width_of(s: &str) -> usize {
    width(s)
}

/// One row: the label padded, the value wrapped under itself.
fn row_lines(out: &mut Vec<Line<'static>>, r: &Row, label_w: usize, total: usize, theme: &Theme) {
    let indent = 2 + label_w + 2;
    let avail = total.saturating_sub(indent).max(8);
    // The parts flow as words; each keeps its style.
    let words: Vec<(&str, Style)> = r
        .parts
        .iter()
        .flat_map(|p| {
            p.text
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(move |w| (w, p.style))
        })
        .collect();
    // A token (an id, a number) that would break after the label but fits under it goes on
    // the next line whole: a value that can be read and searched for beats a tidy column.
    let longest = words.iter().map(|(w, _)| width(w)).max().unwrap_or(0);
    let under = longest > avail && longest <= total.saturating_sub(4);
    let room = if under {
        total.saturating_sub(4).max(8)
    } else {
        avail
    };
    let mut value_lines: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    let mut used = 0usize;
    for (w, style) in words {
        let ww = width(w);
        if ww > room {
            for piece in wrap(w, room) {
                if used > 0 {
                    value_lines.push(Vec::new());
                }
                if let Some(last) = value_lines.last_mut() {
                    last.push((piece.to_string(), style));
                }
                used = width(piece);
            }
            continue;
        }
        if used > 0 && used + 1 + ww > room {
            value_lines.push(Vec::new());
            used = 0;
        }
        if let Some(last) = value_lines.last_mut() {
            if used > 0 {
                last.push((" ".into(), style));
                used += 1;
            }
            last.push((w.to_string(), style));
        }
        used += ww;
    }
    value_lines.retain(|l| !l.is_empty());
    if value_lines.is_empty() {
        value_lines.push(vec![("—".into(), theme.dim)]);
    }
    let label_lines = wrap(&r.label, label_w);
    let label_line = |i: usize| {
        let label = label_lines.get(i).copied().unwrap_or("");
        let pad = label_w.saturating_sub(width(label));
        vec![
            Span::raw("  "),
            Span::styled(label.to_string(), theme.label),
            Span::raw(" ".repeat(pad + 2)),
        ]
    };
    if under {
        for i in 0..label_lines.len() {
            out.push(Line::from(label_line(i)));
        }
        for parts in value_lines {
            let mut spans = vec![Span::raw("    ")];
            spans.extend(parts.into_iter().map(|(t, s)| Span::styled(t, s)));
            out.push(Line::from(spans));
        }
        return;
    }
    let n = value_lines.len().max(label_lines.len());
    for i in 0..n {
        let mut spans = label_line(i);
        if let Some(parts) = value_lines.get(i) {
            for (t, s) in parts {
                spans.push(Span::styled(t.clone(), *s));
            }
        }
        out.push(Line::from(spans));
    }
}

/// From this width, sections go in two columns.
pub const TWO_COLUMNS: u16 = 76;

/// Lines for `sections` in two columns when `width` has room for both, else one.
pub fn columns(
    left: &[Section],
    right: &[Section],
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let all: Vec<Section> = left.iter().chain(right).cloned().collect();
    if width < TWO_COLUMNS || all.len() < 2 {
        return column(&all, width, theme);
    }
    let lw = width / 2 - 1;
    let rw = width - lw - 2;
    // Split the sections, in order, where the taller column is shortest.
    let heights: Vec<usize> = all
        .iter()
        .map(|s| column(std::slice::from_ref(s), lw.min(rw), theme).len() + 1)
        .collect();
    let total: usize = heights.iter().sum();
    let mut best = (usize::MAX, 1);
    let mut acc = 0;
    for (k, h) in heights.iter().enumerate().take(all.len() - 1) {
        acc += h;
        let taller = acc.max(total - acc);
        if taller < best.0 {
            best = (taller, k + 1);
        }
    }
    let l = column(&all[..best.1], lw, theme);
    let r = column(&all[best.1..], rw, theme);
    let n = l.len().max(r.len());
    (0..n)
        .map(|i| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let lw_used = match l.get(i) {
                Some(line) => {
                    spans.extend(line.spans.iter().cloned());
                    line.width()
                }
                None => 0,
            };
            spans.push(Span::raw(
                " ".repeat((lw as usize + 2).saturating_sub(lw_used)),
            ));
            if let Some(line) = r.get(i) {
                spans.extend(line.spans.iter().cloned());
            }
            Line::from(spans)
        })
        .collect()
}

/// Renders `lines` from `offset`, only the visible slice.
pub fn draw_lines(frame: &mut Frame, area: Rect, lines: &[Line<'static>], offset: usize) {
    let start = offset.min(lines.len());
    let end = (start + area.height as usize).min(lines.len());
    let visible: Vec<Line> = lines[start..end].to_vec();
    frame.render_widget(Paragraph::new(visible), area);
}

/// Lines as plain text, for copying a tab.
pub fn plain(lines: &[Line<'_>]) -> String {
    let mut out = String::new();
    for l in lines {
        let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        out.push_str(s.trim_end());
        out.push('\n');
    }
    out
}

/// The error of the last request, in the result area; the form keeps its text.
pub fn draw_failure(frame: &mut Frame, area: Rect, f: &Failure, theme: &Theme) {
    let lines = vec![
        Line::from(Span::styled("The request failed", theme.error)),
        Line::default(),
        Line::from(Span::styled(
            clean(&f.error.message()).into_owned(),
            theme.value,
        )),
        Line::default(),
        Line::from(vec![
            Span::styled("hint: ", theme.label),
            Span::styled(clean(&f.error.hint()).into_owned(), theme.value),
        ]),
        Line::default(),
        Line::from(Span::styled(
            format!(
                "at {} · {} · exit code {} in the CLI",
                f.at.format("%H:%M:%S"),
                f.error.short(),
                f.error.exit_code()
            ),
            theme.dim,
        )),
        Line::from(Span::styled(
            "The form keeps your input: fix it and press Enter to try again.",
            theme.dim,
        )),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// What the result area shows before the first answer.
pub fn draw_welcome(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut lines = vec![
        Line::from(Span::styled("No answer yet", theme.title)),
        Line::default(),
        Line::from("Fill workflow_id, node_id and callee (case_id is optional),"),
        Line::from("then press Enter. Tab moves between fields; ? or F1 shows every key."),
    ];
    if !app.context.demo_cases.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Demo: the form holds a sample case. Ctrl-N / Ctrl-P pick another:",
            theme.accent,
        )));
        for (i, c) in app.context.demo_cases.iter().enumerate() {
            let mark = if app.demo_index == Some(i) {
                "▸ "
            } else {
                "  "
            };
            lines.push(Line::from(vec![
                Span::styled(mark, theme.focus),
                Span::raw(clean(&c.label).into_owned()),
            ]));
        }
        lines.push(Line::from(Span::styled(
            "Callee +10000000500 shows an HTTP 500; +10000000408 never answers (Esc cancels).",
            theme.dim,
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
