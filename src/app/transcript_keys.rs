//! The Transcript tab's keys: moving and paging over the listed turns, `/` search and
//! `n`/`N`, the `r` `c` `a` filters, `s` silences, the `:` time prompt, `e` export, and what
//! `y`/`Y` copy. Positions are settled here against the wrapped heights of the turns
//! ([`super::transcript_geo`]), so the screen only prints from them.

use crossterm::event::{KeyCode, KeyEvent};

use super::keymap::{self, Command, Mode};
use super::transcript::{Filter, parse_jump};
use super::transcript_geo::{At, Pager, items, line_of};
use crate::app::{Effect, Loaded, Nav};
use crate::case::time::clock;
use crate::case::transcript::{Entry, plain_line};

fn set_at(l: &mut Loaded, (top, line): At) {
    let v = &mut l.views.transcript;
    v.top = top;
    v.top_line = line;
}

pub fn nav(loaded: &mut Loaded, nav: Nav, w: u16, h: u16) {
    let t = &loaded.facts.transcript;
    let v = &loaded.views.transcript;
    let len = v.len(t);
    if len == 0 {
        let v = &mut loaded.views.transcript;
        (v.selected, v.top, v.top_line) = (0, 0, 0);
        return;
    }
    let p = Pager::new(loaded, w, h);
    let cur = (v.top, v.top_line);
    let sel = v.selected.min(len - 1);
    let page_step = p.page.saturating_sub(1).max(1);
    // j/k step from turn to turn, over silences (a silence is selected only when no turn
    // is near in that direction).
    let is_turn = |pos: usize| matches!(t.entries[v.entry_at(pos)], Entry::Turn { .. });
    let (sel, at) = match nav {
        Nav::Up => {
            let s = (0..sel)
                .rev()
                .take(8)
                .find(|&q| is_turn(q))
                .unwrap_or(sel.saturating_sub(1));
            (s, p.reveal_entry(cur, s))
        }
        Nav::Down => {
            let s = (sel + 1..len)
                .take(8)
                .find(|&q| is_turn(q))
                .unwrap_or((sel + 1).min(len - 1));
            (s, p.reveal_entry(cur, s))
        }
        Nav::PageDown => {
            let at = p.down(cur, page_step);
            let s = if at == cur {
                len - 1
            } else {
                sel.max(p.first_starting(at))
            };
            (s, at)
        }
        Nav::PageUp => {
            let at = p.up(cur, page_step);
            let s = if at == cur {
                0
            } else {
                sel.min(p.first_starting(at))
            };
            (s, at)
        }
        Nav::Top => (0, (0, 0)),
        Nav::Bottom => (len - 1, p.bottom()),
        Nav::Wheel(n) if n > 0 => (sel, p.down(cur, n as usize)),
        Nav::Wheel(n) if n < 0 => (sel, p.up(cur, n.unsigned_abs() as usize)),
        Nav::Wheel(_) => (sel, p.clamp(cur)),
    };
    loaded.views.transcript.selected = sel;
    set_at(loaded, at);
}

/// Selects the entry of the current match and scrolls its line into view.
fn show_hit(loaded: &mut Loaded, w: u16, h: u16) {
    let v = &loaded.views.transcript;
    let Some(hit) = v.search.current_hit() else {
        return;
    };
    let Ok(pos) = v.pos_of(hit.row) else {
        return;
    };
    let p = Pager::new(loaded, w, h);
    let line = line_of(loaded, hit.row, hit.start, p.geo);
    let end = line_of(
        loaded,
        hit.row,
        hit.start + hit.len.saturating_sub(1),
        p.geo,
    ) + 1;
    // With the turn's start when that fits, else from the match's line.
    let a = if end <= p.page { 0 } else { line };
    let cur = (v.top, v.top_line);
    let at = if p.reveal(cur, pos, a, end) == cur {
        cur
    } else {
        // Off screen: bring it a third of the way down, with what led up to it above.
        let context = (p.page / 3).min(p.page.saturating_sub(end - a));
        p.clamp(p.up((pos, a), context))
    };
    loaded.views.transcript.selected = pos;
    set_at(loaded, at);
}

/// Recomputes the matches of `search.query` (incrementally when it only grew).
pub fn search(loaded: &mut Loaded, w: u16, h: u16) {
    refind(loaded);
    show_hit(loaded, w, h);
}

fn refind(loaded: &mut Loaded) {
    let Loaded {
        answer,
        facts,
        views,
        ..
    } = loaded;
    let t = &facts.transcript;
    let v = &mut views.transcript;
    let from = v.selected_entry(t).unwrap_or(0);
    let hits = v.find(t, &answer.data().call.asr_result.items);
    v.search.set_hits(hits, from);
}

/// `n` / `N`: the next or previous match, wrapping around.
pub fn step_search(loaded: &mut Loaded, forward: bool, w: u16, h: u16) {
    if loaded.views.transcript.search.step(forward) {
        show_hit(loaded, w, h);
    }
}

/// `y`: the selected turn as `mm:ss Speaker: text`; `Y`: every listed entry, one a line.
pub fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let t = &loaded.facts.transcript;
    let v = &loaded.views.transcript;
    let items = items(loaded);
    if whole {
        if v.is_empty(t) {
            return None;
        }
        let mut out = String::new();
        for p in 0..v.len(t) {
            out.push_str(&plain_line(&t.entries[v.entry_at(p)], items));
            out.push('\n');
        }
        let what = match v.filter {
            Filter::All => "the transcript".to_string(),
            f => format!("the transcript ({})", f.words()),
        };
        Some((out, what))
    } else {
        let e = v.selected_entry(t)?;
        let entry = &t.entries[e];
        let at = entry.at().map(clock).unwrap_or_else(|| "--:--".into());
        let what = match entry {
            Entry::Turn { .. } => format!("the turn at {at}"),
            Entry::Silence { .. } => format!("the silence at {at}"),
        };
        Some((plain_line(entry, items), what))
    }
}

/// Keys of this tab: `r` `c` `a` filter, `s` silences, `:` time prompt (which then takes
/// every key).
pub fn on_key(loaded: &mut Loaded, key: KeyEvent, w: u16, h: u16) -> Option<Vec<Effect>> {
    let v = &mut loaded.views.transcript;
    v.message = None;
    if let Some(typed) = v.jump.as_mut() {
        match key.code {
            KeyCode::Esc => v.jump = None,
            KeyCode::Enter => {
                let typed = v.jump.take().unwrap_or_default();
                jump(loaded, &typed, w, h);
            }
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char(c) if (c.is_ascii_digit() || c == ':') && typed.len() < 12 => {
                typed.push(c);
            }
            _ => {}
        }
        return Some(Vec::new());
    }
    let (filter, hide) = (v.filter, v.hide_silences);
    match keymap::command(Mode::Transcript, &key)? {
        Command::RobotOnly => refilter(loaded, Filter::Robot, hide, w, h),
        Command::CalleeOnly => refilter(loaded, Filter::Callee, hide, w, h),
        Command::AllTurns => refilter(loaded, Filter::All, hide, w, h),
        Command::Silences => refilter(loaded, filter, !hide, w, h),
        Command::JumpTime if !loaded.facts.transcript.entries.is_empty() => {
            loaded.views.transcript.jump = Some(String::new());
        }
        _ => return None,
    }
    Some(Vec::new())
}

fn refilter(loaded: &mut Loaded, filter: Filter, hide: bool, w: u16, h: u16) {
    let t = &loaded.facts.transcript;
    loaded.views.transcript.set_filter(t, filter, hide);
    if loaded.views.transcript.search.is_active() {
        refind(loaded);
    }
    let v = &loaded.views.transcript;
    if v.is_empty(&loaded.facts.transcript) {
        return;
    }
    let p = Pager::new(loaded, w, h);
    let at = p.reveal_entry(p.clamp((v.top, 0)), v.selected);
    set_at(loaded, at);
}

/// Enter at the `:` prompt: the first listed entry at or after the time, at the top.
fn jump(loaded: &mut Loaded, typed: &str, w: u16, h: u16) {
    let t = &loaded.facts.transcript;
    let v = &loaded.views.transcript;
    let Some(secs) = parse_jump(typed) else {
        let v = &mut loaded.views.transcript;
        v.message = Some(format!("not a time: {typed:?} (mm:ss or hh:mm:ss)"));
        v.jump = Some(typed.to_string());
        return;
    };
    if v.is_empty(t) {
        return;
    }
    let found = v.at_or_after(t, secs);
    let p = Pager::new(loaded, w, h);
    let (sel, at) = match found {
        Some(pos) => (pos, p.clamp((pos, 0))),
        None => (p.len - 1, p.bottom()),
    };
    let v = &mut loaded.views.transcript;
    if found.is_none() {
        v.message = Some(format!("nothing at or after {}: at the end", clock(secs)));
    }
    v.selected = sel;
    set_at(loaded, at);
}
