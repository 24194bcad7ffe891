//! The form pane: four labelled fields with their validation underneath.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::form::{Check, LABELS};
use crate::app::{App, Focus};

pub fn draw(frame: &mut Frame, pane: Rect, app: &App, theme: &Theme) {
    let focused_pane = app.focus == Focus::Form;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            " Query ",
            if focused_pane {
                theme.focus
            } else {
                theme.title
            },
        ))
        .border_style(if focused_pane { theme.focus } else { theme.dim });
    frame.render_widget(block, pane);
    let rows = crate::app::layout::field_rows(pane);
    let bottom = pane.y + pane.height.saturating_sub(1);
    for (i, input) in rows.iter().enumerate() {
        if input.height == 0 {
            continue;
        }
        let active = focused_pane && app.form.focused == i;
        let label_row = Rect::new(input.x, input.y - 1, input.width, 1);
        let marker = if active { "▸ " } else { "  " };
        frame.render_widget(
            Line::from(vec![
                Span::styled(marker, theme.focus),
                Span::styled(LABELS[i], if active { theme.focus } else { theme.label }),
            ]),
            label_row,
        );
        let mut field = app.form.fields[i].clone();
        // Masking hides the callee's number here too, except while it is being edited.
        if app.masked() && i == 2 && !active {
            field = ratatui_textarea::TextArea::new(vec![crate::mask::phone(&app.form.value(2))]);
        }
        let base = if active {
            if theme.mono {
                Style::default().add_modifier(Modifier::UNDERLINED)
            } else {
                Style::default().add_modifier(Modifier::REVERSED)
            }
        } else {
            Style::default().add_modifier(Modifier::UNDERLINED)
        };
        field.set_style(base);
        field.set_cursor_style(if active {
            Style::default().add_modifier(Modifier::SLOW_BLINK | Modifier::UNDERLINED)
        } else {
            base
        });
        let input_area = Rect::new(input.x + 2, input.y, input.width.saturating_sub(2), 1);
        frame.render_widget(&field, input_area);
        let msg_y = input.y + 1;
        if msg_y < bottom {
            let check = app.form.check(i);
            let show_errors = app.form.touched[i];
            let line = match check {
                Check::Error(m) if show_errors => {
                    Line::from(Span::styled(format!("  ✗ {m}"), theme.error))
                }
                Check::Warning(m) => Line::from(Span::styled(format!("  ! {m}"), theme.warn)),
                _ => Line::default(),
            };
            frame.render_widget(line, Rect::new(input.x, msg_y, input.width, 1));
        }
    }
    // Below the fields: how to send, and the demo's cases.
    let hints_y = rows[3].y + 2;
    if hints_y + 1 < bottom {
        let mut lines = vec![Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::styled(" send  ", theme.dim),
            Span::styled("Tab", theme.key),
            Span::styled(" next", theme.dim),
        ])];
        if !app.context.demo_cases.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Ctrl-N/P", theme.key),
                Span::styled(" demo case ", theme.dim),
                Span::styled(
                    app.demo_index
                        .map(|i| format!("{}/{}", i + 1, app.context.demo_cases.len()))
                        .unwrap_or_default(),
                    theme.dim,
                ),
            ]));
        }
        let area = Rect::new(
            pane.x + 2,
            hints_y,
            pane.width.saturating_sub(4),
            bottom - hints_y,
        );
        frame.render_widget(Paragraph::new(lines), area);
    }
}
