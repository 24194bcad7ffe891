//! A turn too long to wrap whole on every key (a stuck ASR can send one of 50 MB): its lines
//! are counted once per width in one pass, keeping the start of every [`EVERY`]th line, and
//! after that only the lines asked for are wrapped, from the nearest kept start. The lines
//! are the ones `crate::text::wrap` gives for the whole text: wrapping resumes only at line
//! starts, and only lines that the end of a window cannot have changed are kept.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use super::{count_wrap, wrap_text};
use crate::text::clean;
use crate::text::{Unit, wrap_units};

/// A turn longer than this (in bytes) is laid out lazily.
pub const LONG_TURN: usize = 64 * 1024;
/// The index keeps the start of every `EVERY`th line (fewer in tests, whose texts are small
/// so that the whole wraps they are checked against stay quick).
const EVERY: usize = if cfg!(test) { 16 } else { 256 };
/// Bytes wrapped at a time when walking a long turn.
const WINDOW: usize = if cfg!(test) { 2 * 1024 } else { 32 * 1024 };
/// Layouts kept: a few widths of a few long turns.
const KEPT: usize = 4;

/// One long turn at one text width.
#[derive(Debug)]
pub struct LongLayout {
    entry: usize,
    width: usize,
    /// Address and length of the raw text, so that a layout never outlives its text.
    raw: (usize, usize),
    /// The cleaned text, when cleaning changed the raw one.
    cleaned: Option<Arc<String>>,
    /// Wrapped lines of the whole turn.
    pub lines: usize,
    /// Byte and character offsets of lines `0`, `EVERY`, `2 * EVERY`, ...
    starts: Vec<(usize, usize)>,
}

/// The view's cache of long-turn layouts (a lock, not a `RefCell`, so the state stays `Sync`).
#[derive(Debug, Default)]
pub struct LongTurns(Mutex<Vec<Arc<LongLayout>>>);

impl LongTurns {
    /// The layout of entry `e`, whose raw text is `raw`, at text width `w`; `None` when the
    /// turn is short enough to wrap whole.
    pub fn get(&self, e: usize, raw: &str, w: usize) -> Option<Arc<LongLayout>> {
        if raw.len() <= LONG_TURN {
            return None;
        }
        let key = (raw.as_ptr() as usize, raw.len());
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = kept
            .iter()
            .position(|k| k.entry == e && k.width == w && k.raw == key)
        {
            let hit = kept.remove(i);
            kept.push(hit.clone());
            return Some(hit);
        }
        let cleaned = match kept.iter().find(|k| k.entry == e && k.raw == key) {
            Some(k) => k.cleaned.clone(),
            None => match clean(raw) {
                Cow::Borrowed(_) => None,
                Cow::Owned(s) => Some(Arc::new(s)),
            },
        };
        let s = cleaned.as_deref().map_or(raw, String::as_str);
        let (lines, starts) = index(s, w);
        let lay = Arc::new(LongLayout {
            entry: e,
            width: w,
            raw: key,
            cleaned,
            lines,
            starts,
        });
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push(lay.clone());
        Some(lay)
    }
}

impl LongLayout {
    /// The text as shown, given the raw text the layout was made from.
    pub fn text<'a>(&'a self, raw: &'a str) -> &'a str {
        self.cleaned.as_deref().map_or(raw, String::as_str)
    }

    /// Lines `first..first + count` of `s` (the shown text), each with its byte offset.
    pub fn lines<'a>(&self, s: &'a str, first: usize, count: usize) -> Vec<(usize, &'a str)> {
        let mut out = Vec::new();
        if count == 0 || first >= self.lines {
            return out;
        }
        let k = (first / EVERY).min(self.starts.len() - 1);
        let mut n = k * EVERY;
        walk(s, self.starts[k].0, self.width, |start, piece| {
            if n >= first {
                out.push((start, piece));
            }
            n += 1;
            out.len() < count
        });
        out
    }

    /// The line that holds the character at `char_pos`.
    pub fn line_of(&self, s: &str, char_pos: usize) -> usize {
        let k = self.last_start(|&(_, c)| c <= char_pos);
        let (b0, c0) = self.starts[k];
        let byte = s[b0..]
            .char_indices()
            .nth(char_pos.saturating_sub(c0))
            .map_or(s.len(), |(b, _)| b0 + b);
        let mut n = k * EVERY;
        let mut line = n;
        walk(s, b0, self.width, |start, _| {
            if start > byte {
                return false;
            }
            line = n;
            n += 1;
            true
        });
        line
    }

    /// The last kept start that `before` holds for (the first when none does).
    fn last_start(&self, before: impl Fn(&(usize, usize)) -> bool) -> usize {
        self.starts.partition_point(before).saturating_sub(1)
    }

    /// The character offset of byte `byte` (a character boundary) of `s`.
    pub fn char_at(&self, s: &str, byte: usize) -> usize {
        let (b0, c0) = self.starts[self.last_start(|&(b, _)| b <= byte)];
        c0 + s.get(b0..byte).map_or(0, |part| part.chars().count())
    }
}

/// Counts the lines of `s` at width `w`, keeping the offsets of every `EVERY`th start.
fn index(s: &str, w: usize) -> (usize, Vec<(usize, usize)>) {
    let mut starts = Vec::new();
    let mut n = 0usize;
    let (mut last_byte, mut last_char) = (0usize, 0usize);
    walk(s, 0, w, |start, _| {
        if n.is_multiple_of(EVERY) {
            last_char += s[last_byte..start].chars().count();
            last_byte = start;
            starts.push((start, last_char));
        }
        n += 1;
        true
    });
    if starts.is_empty() {
        starts.push((0, 0));
    }
    (n.max(1), starts)
}

/// The wrapped lines of `s` from the line that starts at byte `from`, a window at a time,
/// given to `each` with their byte offsets until it returns false or the text ends.
fn walk<'a>(s: &'a str, mut from: usize, w: usize, mut each: impl FnMut(usize, &'a str) -> bool) {
    let base = s.as_ptr() as usize;
    // A piece's offset in `s` (`wrap` gives a static "" for a text of spaces).
    let offset = |p: &str, or: usize| {
        (p.as_ptr() as usize)
            .checked_sub(base)
            .filter(|&o| o <= s.len())
            .unwrap_or(or)
    };
    let mut window = WINDOW;
    while from < s.len() {
        let mut end = from.saturating_add(window).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        let part = &s[from..end];
        let pieces = wrap_window(part, w);
        let last = end == s.len();
        // The end of the window can change the line being built at it and the rest after it.
        let keep = if last {
            pieces.len()
        } else {
            pieces.len().saturating_sub(2)
        };
        if keep == 0 {
            window = window.saturating_mul(2);
            continue;
        }
        for p in &pieces[..keep] {
            if !each(offset(p, from), p) {
                return;
            }
        }
        if last {
            return;
        }
        from = offset(pieces[keep], end);
        window = WINDOW;
    }
}

/// Whether a character is a grapheme of its own whatever surrounds it, one or two columns
/// wide: printable ASCII, CJK ideographs and punctuation, kana, full-width forms (no
/// combining marks, joiners or controls), the text of most long turns.
fn simple(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{303F}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309B}'..='\u{30FF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF5E}')
}

/// `crate::text::wrap` of one window, a byte or a character at a time rather than a
/// grapheme at a time when its characters allow: counting a long turn's lines is most of
/// the work.
fn wrap_window(s: &str, width: usize) -> Vec<&str> {
    use unicode_width::UnicodeWidthChar;
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        wrap_simple(
            s,
            width,
            s.bytes().enumerate().map(|(i, b)| (i, b as char, 1)),
        )
    } else if s.chars().all(simple) {
        let chars = s
            .char_indices()
            .map(|(i, c)| (i, c, c.width().unwrap_or(0)));
        wrap_simple(s, width, chars)
    } else {
        wrap_text(s, width)
    }
}

/// `crate::text::wrap`'s rules over text whose characters are each a grapheme, given as
/// (offset, character, columns).
fn wrap_simple(
    s: &str,
    width: usize,
    chars: impl Iterator<Item = (usize, char, usize)>,
) -> Vec<&str> {
    count_wrap(s);
    let units = chars.map(|(at, c, cols)| Unit {
        at,
        len: c.len_utf8(),
        space: c.is_whitespace(),
        cols,
    });
    wrap_units(s, width, units)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts of words, runs of spaces, long words, CJK, emoji and combining marks.
    fn texts() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-z]{1,9}",
            2 => " {1,3}",
            1 => "[a-z]{20,90}",
            1 => "[你好世界]{1,6}",
            1 => Just("👍🏽".to_string()),
            1 => Just("e\u{301}".to_string()),
            1 => "[.,!?]",
        ];
        proptest::collection::vec(piece, 0..200).prop_map(|v| v.concat())
    }

    /// Texts of `simple` characters only, spaces of both widths among them.
    fn simple_texts() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => "[a-zA-Z]{1,12}",
            2 => " {1,4}",
            1 => "[a-z]{30,70}",
            2 => "[你好世界还两千吧]{1,20}",
            1 => "[、。「」　]{1,3}",
            1 => "[ぁ-ゖァ-ヿ]{1,8}",
            1 => "[！-～]{1,8}",
            1 => "[\u{3000}-\u{3029}\u{3030}-\u{303F}]{1,3}",
        ];
        proptest::collection::vec(piece, 0..300).prop_map(|v| v.concat())
    }

    fn whole_lines(s: &str, w: usize) -> Vec<(usize, &str)> {
        let base = s.as_ptr() as usize;
        crate::text::wrap(s, w)
            .into_iter()
            .map(|p| (p.as_ptr() as usize - base, p))
            .collect()
    }

    fn layout(s: &str, w: usize) -> LongLayout {
        let (lines, starts) = index(s, w);
        LongLayout {
            entry: 0,
            width: w,
            raw: (0, 0),
            cleaned: None,
            lines,
            starts,
        }
    }

    fn check_index(s: &str, w: usize) {
        let whole = whole_lines(s, w);
        let lay = layout(s, w);
        assert_eq!(lay.lines, whole.len());
        assert_eq!(lay.lines(s, 0, usize::MAX), whole);
        for first in [
            1,
            EVERY - 1,
            EVERY,
            EVERY + 3,
            whole.len() / 2,
            whole.len() - 1,
        ] {
            let want: Vec<_> = whole.iter().skip(first).take(7).copied().collect();
            assert_eq!(lay.lines(s, first, 7), want, "from line {first}");
        }
        for (i, &(b, _)) in whole.iter().enumerate().step_by(37) {
            let c = s[..b].chars().count();
            assert_eq!(lay.char_at(s, b), c);
            assert_eq!(lay.line_of(s, c), i);
        }
    }

    proptest! {
        #![proptest_config(crate::proptest_config::config(64))]

        #[test]
        fn window_wrap_is_wrap(mut s in simple_texts(), w in 1usize..40, ascii_only in any::<bool>(), odd in any::<bool>()) {
            prop_assert!(s.chars().all(simple));
            if ascii_only {
                s.retain(|c| c.is_ascii());
            }
            if odd {
                s.push_str("e\u{301}👍🏽");
            }
            prop_assert_eq!(wrap_window(&s, w), crate::text::wrap(&s, w));
        }

        /// Texts many windows long, small windows' worth of lines at a time.
        #[test]
        fn index_lines_are_whole_wrap_lines(parts in proptest::collection::vec(texts(), 1..4), w in 1usize..50, only_simple in any::<bool>()) {
            let mut s = parts.concat();
            if only_simple {
                s.retain(simple);
            }
            while s.len() < 3 * WINDOW {
                s = format!("{s} {s}x");
            }
            check_index(&s, w);
        }
    }

    #[test]
    fn spaces_and_one_unbroken_word() {
        check_index(&format!("{}word and more", " ".repeat(3 * WINDOW)), 7);
        check_index(&"x".repeat(5 * WINDOW + 3), 9);
        check_index(&"你".repeat(2 * WINDOW), 5);
    }
}
