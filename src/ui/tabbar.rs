//! The tab bar: `1 Profile  2 Call  …`, shortened when narrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Theme;
use crate::app::{App, Focus, Tab};

const SHORT: [&str; 7] = ["Prof", "Call", "Redial", "Q&A", "Trans", "Raw", "Diff"];

/// The titles that fit in `width`; a seventh, Diff, when there is a comparison.
fn titles(width: u16, with_diff: bool) -> Vec<String> {
    let n = if with_diff { 7 } else { 6 };
    let full: Vec<String> = Tab::ALL
        .iter()
        .chain(with_diff.then_some(&Tab::Diff))
        .enumerate()
        .map(|(i, t)| format!(" {} {} ", i + 1, t.title()))
        .collect();
    if full.iter().map(|t| t.chars().count()).sum::<usize>() <= width as usize {
        return full;
    }
    let short: Vec<String> = SHORT[..n]
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {t} ", i + 1))
        .collect();
    if short.iter().map(|t| t.chars().count()).sum::<usize>() <= width as usize {
        return short;
    }
    (1..=n).map(|i| format!(" {i} ")).collect()
}

pub fn hit_areas(bar: Rect, with_diff: bool) -> Vec<Rect> {
    let mut x = bar.x;
    titles(bar.width, with_diff)
        .iter()
        .map(|t| {
            let w = t.chars().count() as u16;
            let r = Rect::new(
                x,
                bar.y,
                w.min((bar.x + bar.width).saturating_sub(x)),
                bar.height,
            );
            x += w;
            r
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let names = titles(area.width, app.compare.is_some());
    let narrow = names[0].trim().len() <= 1;
    let spans: Vec<Span> = names
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let active = app.tab.index() == i;
            let style = if active {
                if app.focus == Focus::Result {
                    theme.selected.patch(theme.title)
                } else {
                    theme.title
                }
            } else {
                theme.dim
            };
            let t = if active && narrow {
                format!(" {} {} ", i + 1, app.tab.title())
            } else {
                t
            };
            Span::styled(t, style)
        })
        .collect();
    frame.render_widget(Line::from(spans), area);
}
