//! The status bar: where the answer came from, HTTP status, API code/status, latency, size,
//! time, and the keys of the focused pane. Never the token.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Theme;
use crate::api::ApiError;
use crate::api::error::human_bytes;
use crate::app::{App, Failure, Focus, Source, Tab};
use crate::text::{clean, clip};

fn sep<'a>(theme: &Theme) -> Span<'a> {
    Span::styled(" │ ", theme.dim)
}

/// The facts line.
pub fn facts(app: &App, theme: &Theme) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    if app.masked() {
        // First, so it is on every screenshot however narrow.
        spans.push(Span::styled("■ masked", theme.warn));
        spans.push(sep(theme));
    }
    if let Some(r) = app.review.as_deref() {
        spans.extend(super::review::facts(r, theme));
        if !matches!(r.screen, crate::app::review::Screen::Case) {
            return Line::from(spans);
        }
        spans.push(sep(theme));
    }
    // A failure covers the answer on screen: the bar describes the failure, not the answer.
    match (&app.failure, &app.loaded) {
        (Some(f), _) => failure_facts(app, f, theme, &mut spans),
        (None, Some(l)) => {
            let ex = &l.answer.exchange;
            match &l.source {
                Source::Network { base_url } => {
                    spans.push(Span::styled(clip(&clean(base_url), 40), theme.accent));
                    spans.push(sep(theme));
                    spans.push(Span::styled(format!("HTTP {}", ex.status), theme.value));
                }
                Source::File { path } => {
                    spans.push(Span::styled(
                        format!("file {}", clip(&clean(path), 40)),
                        theme.accent,
                    ));
                }
            }
            if let crate::app::Lists::Arriving { shown, total } = l.lists {
                // The envelope's code comes after the transcript, if it comes last.
                spans.push(sep(theme));
                spans.push(Span::styled(
                    format!(
                        "arriving: its first {} of {} on screen",
                        human_bytes(shown as u64),
                        human_bytes(total as u64)
                    ),
                    theme.accent,
                ));
            } else if let Some((code, status)) = l.answer.code_status() {
                spans.push(sep(theme));
                spans.push(Span::styled(
                    format!(
                        "code {} {}",
                        clip(&clean(&code), 8),
                        clip(&clean(&status), 12)
                    ),
                    theme.value,
                ));
            } else {
                spans.push(sep(theme));
                spans.push(Span::styled("bare push", theme.value));
            }
            if matches!(l.source, Source::Network { .. }) {
                spans.push(sep(theme));
                spans.push(Span::styled(
                    format!("{} ms", ex.latency.as_millis()),
                    theme.value,
                ));
            }
            // The answer as received: a masked copy is re-serialised and shorter. (Of one
            // arriving, how much is said above.)
            if !l.arriving() {
                spans.push(sep(theme));
                spans.push(Span::styled(
                    human_bytes(l.received_len as u64),
                    theme.value,
                ));
            }
            spans.push(sep(theme));
            spans.push(Span::styled(
                ex.received_at.format("%H:%M:%S").to_string(),
                theme.value,
            ));
        }
        (None, None) => {
            let base = app
                .context
                .base_url
                .as_deref()
                .unwrap_or("no API configured");
            spans.push(Span::styled(clip(&clean(base), 48), theme.accent));
        }
    }
    if let Some(src) = &app.context.token_source {
        spans.push(sep(theme));
        spans.push(Span::styled(clean(src).into_owned(), theme.dim));
    }
    if !app.mouse_capture {
        spans.push(sep(theme));
        spans.push(Span::styled("mouse: terminal selection", theme.warn));
    }
    Line::from(spans)
}

/// The failed request: where it went, what went wrong (its HTTP status or its kind), when.
fn failure_facts(app: &App, f: &Failure, theme: &Theme, spans: &mut Vec<Span<'static>>) {
    let base = app
        .context
        .base_url
        .as_deref()
        .unwrap_or("no API configured");
    spans.push(Span::styled(clip(&clean(base), 40), theme.accent));
    spans.push(sep(theme));
    let what = match &f.error {
        ApiError::Http { status, .. } => format!("HTTP {status}"),
        ApiError::Api { code, status, .. } => {
            format!(
                "code {} {}",
                clip(&clean(code), 8),
                clip(&clean(status), 12)
            )
        }
        other => other.short().to_string(),
    };
    spans.push(Span::styled(format!("failed: {what}"), theme.error));
    spans.push(sep(theme));
    spans.push(Span::styled(
        f.at.format("%H:%M:%S").to_string(),
        theme.value,
    ));
}

/// Key hints for what has focus.
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut h = Vec::new();
    if app.pending.is_some() {
        h.push(("Esc", "cancel"));
    }
    if let Some(r) = app.review.as_deref() {
        match super::review::hints(r) {
            Some(keys) => return keys,
            None => h.extend(super::review::CASE_HINTS),
        }
    }
    match app.focus {
        Focus::Form => {
            h.extend([
                ("Enter", "send"),
                ("Tab", "next field"),
                ("Ctrl-B", "hide form"),
                ("F1", "help"),
                ("F2", "mouse"),
                ("Ctrl-C", "quit"),
            ]);
        }
        Focus::Result => {
            let searching = app.loaded.as_ref().is_some_and(|l| match app.tab {
                Tab::Transcript => l.views.transcript.search.editing,
                Tab::Raw => l.views.raw.search.editing,
                _ => false,
            });
            if searching {
                h.extend([("type", "search"), ("Enter", "keep"), ("Esc", "leave")]);
            } else {
                h.extend([("1-6", "tabs"), ("j/k", "move"), ("g/G", "top/end")]);
                if app.tab.searchable() {
                    h.extend([("/", "search"), ("n/N", "next/prev")]);
                }
                h.extend([
                    ("y", "copy"),
                    ("f", "form"),
                    ("?", "help"),
                    ("M", "mouse"),
                    ("q", "quit"),
                ]);
            }
        }
    }
    h
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut lines = Vec::new();
    let notice = app.notice.as_ref().map(|n| {
        Span::styled(
            clean(&n.text).into_owned(),
            if n.warn { theme.warn } else { theme.good },
        )
    });
    if area.height >= 2 {
        lines.push(facts(app, theme));
        let mut spans = Vec::new();
        if let Some(n) = notice {
            spans.push(n);
            spans.push(Span::raw("  "));
        }
        for (k, what) in hints(app) {
            spans.push(Span::styled(k, theme.key));
            spans.push(Span::styled(format!(" {what}  "), theme.dim));
        }
        lines.push(Line::from(spans));
    } else {
        let mut line = facts(app, theme);
        if let Some(n) = notice {
            line.spans.insert(0, Span::raw("  "));
            line.spans.insert(0, n);
        }
        lines.push(line);
    }
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), area);
}
