//! Moving within a tab (keys and the wheel), clicks, and copying what a tab shows.

use super::*;

impl App {
    /// Width and height of the active tab's area.
    pub fn body_size(&self) -> (u16, u16) {
        let areas = layout::layout(self);
        (areas.body.width, areas.body.height)
    }

    pub(super) fn nav(&mut self, nav: Nav) {
        let (w, h) = self.body_size();
        // What a page is until the tab has been drawn once.
        let page = h as usize;
        let tab = self.tab;
        if tab == Tab::Diff {
            if let Some(c) = self.compare.as_mut() {
                c.scroll.nav(nav, page);
            }
            return;
        }
        let Some(loaded) = self.loaded.as_mut() else {
            return;
        };
        let views = &mut loaded.views;
        match tab {
            Tab::Profile => views.profile.nav(nav, page),
            Tab::Call => views.call.nav(nav, page),
            Tab::Qa => {
                let n = loaded.answer.data().call.question_answer.items.len();
                views.qa.nav(nav, n, page);
            }
            Tab::Redials => views
                .redials
                .nav(nav, loaded.facts.timeline.attempts.len(), page),
            Tab::Transcript => transcript_keys::nav(loaded, nav, w, h),
            Tab::Raw => raw::nav(loaded, nav, h),
            Tab::Diff => {}
        }
    }

    pub(super) fn clamp_views(&mut self) {
        let (w, h) = self.body_size();
        if let Some(loaded) = self.loaded.as_mut() {
            // The tabs that keep their own positions settle them at the new size; the
            // others are settled by the next frame.
            transcript_keys::nav(loaded, Nav::Wheel(0), w, h);
            raw::nav(loaded, Nav::Wheel(0), h);
        }
    }

    pub(super) fn copy(&mut self, whole: bool) -> Vec<Effect> {
        let diff = self.tab == Tab::Diff && self.compare.is_some();
        if !diff && self.loaded.is_none() {
            self.notice = Some(Notice {
                text: "nothing to copy yet".into(),
                warn: true,
            });
            return Vec::new();
        }
        vec![Effect::CopyView {
            tab: self.tab,
            whole,
            width: self.body_size().0,
        }]
    }

    pub(super) fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        let page = self.size.1.saturating_sub(4).max(1) as usize;
        if let Overlay::Help(scroll) = &mut self.overlay {
            match m.kind {
                MouseEventKind::ScrollDown => scroll.nav(Nav::Wheel(3), page),
                MouseEventKind::ScrollUp => scroll.nav(Nav::Wheel(-3), page),
                _ => {}
            }
            return Vec::new();
        }
        if self.history_pane().is_some() {
            match m.kind {
                MouseEventKind::ScrollDown => self.history_wheel(true),
                MouseEventKind::ScrollUp => self.history_wheel(false),
                _ => {}
            }
            return Vec::new();
        }
        let areas = layout::layout(self);
        if self.on_review_mouse(m, areas.body) {
            return Vec::new();
        }
        let inside = |r: ratatui::layout::Rect| {
            m.column >= r.x && m.column < r.x + r.width && m.row >= r.y && m.row < r.y + r.height
        };
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                for (i, r) in areas.fields.iter().enumerate() {
                    if self.show_form && inside(*r) {
                        self.focus = Focus::Form;
                        self.form.focused = i;
                        return Vec::new();
                    }
                }
                let tabs = self.tabs();
                for (i, r) in layout::tab_hit_areas(&areas, self.compare.is_some())
                    .iter()
                    .enumerate()
                {
                    if inside(*r) {
                        self.tab = tabs.get(i).copied().unwrap_or(Tab::Profile);
                        self.focus = Focus::Result;
                        return Vec::new();
                    }
                }
                if inside(areas.body) {
                    self.focus = Focus::Result;
                }
            }
            MouseEventKind::ScrollDown if inside(areas.body) => self.nav(Nav::Wheel(3)),
            MouseEventKind::ScrollUp if inside(areas.body) => self.nav(Nav::Wheel(-3)),
            _ => {}
        }
        Vec::new()
    }
}
