//! Tab: placeholder until the view lands.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Theme;
use crate::app::{Loaded, Nav};

pub fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let _ = (frame, area, loaded, theme);
}

pub fn nav(loaded: &mut Loaded, nav: Nav, w: u16, h: u16) {
    let _ = (loaded, nav, w, h);
}

pub fn search(loaded: &mut Loaded, w: u16, h: u16) {
    let _ = (loaded, w, h);
}

pub fn step_search(loaded: &mut Loaded, forward: bool, w: u16, h: u16) {
    let _ = (loaded, forward, w, h);
}

pub fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let _ = (loaded, whole);
    None
}

pub fn on_key(
    loaded: &mut Loaded,
    key: crossterm::event::KeyEvent,
    w: u16,
    h: u16,
    export_dir: Option<&std::path::Path>,
) -> Option<Vec<crate::app::Effect>> {
    let _ = (loaded, key, w, h, export_dir);
    None
}
