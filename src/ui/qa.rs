//! Tab: placeholder until the table view lands.

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

pub fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let _ = (loaded, whole);
    None
}
