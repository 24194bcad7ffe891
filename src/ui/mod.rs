//! Drawing: `draw(frame, &App)` renders the whole screen from state and changes nothing.
//! The layout function is shared with `App::update` (mouse hits, page sizes), and each tab
//! module answers the questions `update` asks of it (how far can this scroll, what is
//! selected, where do the matches lie).

pub(crate) mod call;
pub(crate) mod diff;
pub(crate) mod form;
pub mod help;
pub(crate) mod history;
pub(crate) mod profile;
pub(crate) mod qa;
pub(crate) mod raw;
pub(crate) mod redials;
pub(crate) mod review;
pub(crate) mod status;
pub(crate) mod tabbar;
pub(crate) mod table;
pub mod theme;
pub(crate) mod transcript;
pub(crate) mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::app::{App, Effect, Loaded, Tab};
pub use theme::Theme;

pub use crate::app::layout::{Areas, FORM_WIDTH, MIN_HEIGHT, MIN_WIDTH, layout, tab_hit_areas};

pub fn draw(frame: &mut Frame, app: &App) {
    draw_with(frame, app, &Theme::current());
}

/// [`draw`] with a given theme (tests compare the three).
pub fn draw_with(frame: &mut Frame, app: &App, theme: &Theme) {
    let theme = *theme;
    let areas = layout(app);
    if areas.too_small {
        let msg = format!(
            "terminal too small: {}×{} (needs {MIN_WIDTH}×{MIN_HEIGHT}) — make it larger, or Ctrl-C to quit",
            app.size.0, app.size.1
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), frame.area());
        return;
    }
    if let Some(f) = areas.form {
        form::draw(frame, f, app, &theme);
    }
    match app.review.as_deref() {
        Some(r) if matches!(r.screen, crate::app::review::Screen::List) => {
            review::draw_list(frame, areas.tabs, areas.body, app, r, &theme);
        }
        Some(r) if matches!(r.screen, crate::app::review::Screen::Figures(_)) => {
            review::draw_figures(frame, areas.tabs, areas.body, r, &theme);
        }
        _ => {
            tabbar::draw(frame, areas.tabs, app, &theme);
            draw_body(frame, areas.body, app, &theme);
        }
    }
    if let Some(r) = app.review.as_deref() {
        review::draw_note(frame, areas.body, r, &theme);
    }
    status::draw(frame, areas.status, app, &theme);
    if app.history_pane().is_some() {
        history::draw(
            frame,
            crate::app::layout::history_area(frame.area()),
            app,
            &theme,
        );
    }
    if let crate::app::Overlay::Help(scroll) = &app.overlay {
        let review = app.review.is_some();
        let r = help::area(frame.area(), review);
        frame.render_widget(Clear, r);
        help::draw(frame, r, scroll, &theme, review);
    }
}

fn draw_body(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut area = area;
    if let Some(p) = &app.pending {
        let spin = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][app.spinner % 10];
        let doing = if app.receiving() {
            "receiving the rest from"
        } else {
            "asking"
        };
        let line = Line::from(format!(
            "{spin} {doing} {} … {:.1} s   Esc cancels",
            app.context.base_url.as_deref().unwrap_or("the API"),
            (app.now - p.started).num_milliseconds().max(0) as f64 / 1000.0
        ))
        .style(theme.accent);
        let [top, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        frame.render_widget(line, top);
        area = rest;
    }
    if let Some(f) = &app.failure {
        widgets::draw_failure(frame, area, f, theme);
        return;
    }
    if app.tab == Tab::Diff
        && let Some(c) = &app.compare
    {
        if app.masked() {
            diff::draw(frame, area, &c.masked(), theme);
        } else {
            diff::draw(frame, area, c, theme);
        }
        return;
    }
    if app.loaded.is_none() && app.masking().is_some() {
        let line = Line::from("masking the answer… (m shows it unmasked)").style(theme.accent);
        frame.render_widget(line, area);
        return;
    }
    let Some(loaded) = app.loaded.as_deref() else {
        widgets::draw_welcome(frame, area, app, theme);
        return;
    };
    match app.tab {
        Tab::Diff => {}
        Tab::Profile => profile::draw(frame, area, loaded, theme),
        Tab::Call => call::draw(frame, area, loaded, theme),
        Tab::Redials => redials::draw(frame, area, loaded, theme),
        Tab::Qa => qa::draw(frame, area, loaded, theme),
        Tab::Transcript => transcript::draw(frame, area, loaded, theme),
        Tab::Raw => raw::draw(frame, area, loaded, theme),
    }
}

/// An [`Effect::CopyView`] made into the [`Effect::Copy`] of the text it asks for (as laid
/// out now), or into a warning when there is nothing to copy; other effects as they are.
pub fn copy_view(app: &App, effect: Effect) -> Result<Effect, String> {
    let Effect::CopyView { tab, whole, width } = effect else {
        return Ok(effect);
    };
    let copied = match (tab, &app.compare, app.loaded.as_deref()) {
        (Tab::Diff, Some(c), _) => {
            let masked = app.masked().then(|| c.masked());
            let text = widgets::plain(&diff::lines(
                masked.as_ref().unwrap_or(c),
                width,
                &Theme::plain(),
            ));
            Some((text, "the differences".to_string()))
        }
        (_, _, Some(loaded)) => copy_text(tab, loaded, whole, width),
        _ => None,
    };
    copied
        .map(|(text, what)| Effect::Copy { text, what })
        .ok_or_else(|| "nothing selected to copy".to_string())
}

/// What `y` (the selection) or `Y` (the whole tab) copies, and words for the message.
fn copy_text(tab: Tab, loaded: &Loaded, whole: bool, w: u16) -> Option<(String, String)> {
    match tab {
        Tab::Profile => whole
            .then(|| {
                (
                    widgets::plain(&profile::lines(loaded, w, &Theme::plain())),
                    "the Profile tab".into(),
                )
            })
            .or_else(|| {
                let id = loaded.data().callee.callee_number.value()?;
                Some((id.to_string(), "the callee number".into()))
            }),
        Tab::Call => {
            if whole {
                Some((
                    widgets::plain(&call::lines(loaded, w, &Theme::plain())),
                    "the Call tab".into(),
                ))
            } else {
                let id = loaded.data().call.call_id.value()?;
                Some((id.to_string(), "the call_id".into()))
            }
        }
        Tab::Redials => redials::copy(loaded, whole),
        Tab::Qa => qa::copy(loaded, whole),
        Tab::Transcript => crate::app::transcript_keys::copy(loaded, whole),
        Tab::Raw => raw::copy(loaded, whole),
        Tab::Diff => None,
    }
}
