//! The tab bar: `1 Profile  2 Call  …`, shortened when narrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Theme;
use crate::app::{App, Focus};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let names = crate::app::layout::tab_titles(area.width, app.compare.is_some());
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
