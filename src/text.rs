//! Text from the server, a file, the clipboard or the config is untrusted: it reaches a widget
//! or stdout only through [`clean`] (one line) or [`clean_lines`] (keeps line breaks).
//! Whole escape sequences (CSI, OSC, DCS, ...) become `␛`, other C0 controls their Unicode
//! control pictures (`␇`), C1 controls and bidi overrides `�`, tabs spaces.

use std::borrow::Cow;

/// Placeholder for a whole escape sequence.
pub const ESC_MARK: char = '␛';
/// Placeholder for a line break inside a one-line field.
pub const NEWLINE_MARK: char = '⏎';
const TAB_SPACES: &str = "    ";

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn needs_work(c: char) -> bool {
    (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi_control(c)
}

/// One line of safe text: line breaks become ` ⏎ `.
pub fn clean(s: &str) -> Cow<'_, str> {
    sanitize(s, false)
}

/// Safe text that keeps its line breaks (`\r\n` and `\r` become `\n`).
pub fn clean_lines(s: &str) -> Cow<'_, str> {
    sanitize(s, true)
}

fn sanitize(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(needs_work) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push_str(TAB_SPACES),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if keep_newlines {
                    out.push('\n');
                } else {
                    out.push(' ');
                    out.push(NEWLINE_MARK);
                    out.push(' ');
                }
            }
            '\u{1b}' => {
                skip_escape(&mut chars);
                out.push(ESC_MARK);
            }
            '\u{9b}' => {
                skip_csi(&mut chars);
                out.push(ESC_MARK);
            }
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                skip_string(&mut chars);
                out.push(ESC_MARK);
            }
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            '\u{7f}' => out.push('␡'),
            c if ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_control(c) => out.push('�'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: consumes the rest of the sequence.
fn skip_escape(chars: &mut Chars) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if (' '..='/').contains(&c) => {
            // nF sequence: intermediates, then one final byte.
            while matches!(chars.peek(), Some(c) if (' '..='/').contains(c)) {
                chars.next();
            }
            if matches!(chars.peek(), Some(c) if ('0'..='~').contains(c)) {
                chars.next();
            }
        }
        Some(c) if ('0'..='~').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then a final byte.
fn skip_csi(chars: &mut Chars) {
    while let Some(&c) = chars.peek() {
        if ('0'..='?').contains(&c) || (' '..='/').contains(&c) {
            chars.next();
        } else {
            if ('@'..='~').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// OSC, DCS, SOS, PM, APC: everything up to BEL or ST (`ESC \` or U+009C).
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// Safe text on one line with runs of white space folded to one space.
pub fn one_line(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cuts to at most `max` columns, marking the cut with `…` (see [`cut`]).
pub fn clip(s: &str, max: usize) -> String {
    cut(s, max).into_owned()
}

/// `s` cut to at most `w` columns, a `…` marking the cut. Whole graphemes only: a wide
/// character (CJK, an emoji) that does not fit before the `…` is left out, never split, so
/// the result can be a column narrower than `w`.
pub fn cut(s: &str, w: usize) -> Cow<'_, str> {
    use unicode_truncate::UnicodeTruncateStr;
    if width(s) <= w {
        return Cow::Borrowed(s);
    }
    if w == 0 {
        return Cow::Borrowed("");
    }
    let (kept, _) = s.unicode_truncate(w - 1);
    Cow::Owned(format!("{kept}…"))
}

/// Drops HTML tags and `<script>`/`<style>` bodies, for error pages in messages.
pub fn strip_markup(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let lower: String = after
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            after.to_ascii_lowercase().find("</script>").map(|i| i + 9)
        } else if lower.starts_with("<style") {
            after.to_ascii_lowercase().find("</style>").map(|i| i + 8)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match skip_to {
            Some(n) => {
                out.push(' ');
                rest = &after[n..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A character folded for case-insensitive matching, always to one character.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// `s` folded character by character.
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("Halo, 你好 👋🏽 مرحبا"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_one_mark() {
        assert_eq!(clean("a\x1b]0;pwned\x07b"), "a␛b");
        assert_eq!(clean("a\x1b]2;t\x1b\\b"), "a␛b");
        assert_eq!(clean("x\x1b[2J\x1b[5;31my"), "x␛␛y");
        assert_eq!(clean("x\x1bPqdata\x1b\\y"), "x␛y");
        assert_eq!(clean("x\u{9b}5my"), "x␛y");
        assert_eq!(clean("x\u{9d}0;t\u{9c}y"), "x␛y");
        assert_eq!(clean("x\x1b(By"), "x␛y");
        assert_eq!(clean("x\x1b7y"), "x␛y");
    }

    #[test]
    fn controls_get_pictures_and_breaks_marks() {
        assert_eq!(clean("bell\x07!"), "bell␇!");
        assert_eq!(clean("a\r\nb"), "a ⏎ b");
        assert_eq!(clean_lines("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(clean("a\tb"), "a    b");
        assert_eq!(clean("del\x7f"), "del␡");
        assert_eq!(clean("c1\u{85}"), "c1�");
    }

    #[test]
    fn bidi_overrides_are_neutralised() {
        assert_eq!(clean("abc\u{202E}fed"), "abc�fed");
        assert_eq!(clean("\u{2066}x\u{2069}"), "�x�");
    }

    #[test]
    fn unterminated_sequences_do_not_swallow_forever_or_panic() {
        assert_eq!(clean("a\x1b"), "a␛");
        assert_eq!(clean("a\x1b["), "a␛");
        assert_eq!(clean("a\x1b]no end"), "a␛");
    }

    #[test]
    fn one_line_and_clip() {
        assert_eq!(one_line("  a \n\n b\t c "), "a ⏎ ⏎ b c");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        // Columns, not characters: a wide character counts two and is never split.
        assert_eq!(clip("你好世界啊", 3), "你…");
        assert_eq!(clip("你好世界啊", 4), "你…");
        assert_eq!(clip("你好世界啊", 5), "你好…");
        assert_eq!(clip("你好世界啊", 10), "你好世界啊");
        assert_eq!(clip("abc", 0), "");
    }

    #[test]
    fn cuts_never_split_or_overflow_wide_characters() {
        // CJK, an emoji, a family joined with ZWJ (one grapheme), a flag, an accent.
        let texts = [
            "你好世界",
            "ok 👍 fine",
            "👨\u{200d}👩\u{200d}👧 family",
            "🇯🇵🇫🇷 flags",
            "e\u{301}e\u{301}e\u{301}",
            "mixed 漢字 and 😀😀",
        ];
        for t in texts {
            for w in 0..=width(t) + 1 {
                let c = cut(t, w);
                assert!(width(&c) <= w, "{t:?} at {w}: {c:?}");
                let kept = c.strip_suffix('…').unwrap_or(&c);
                assert!(t.starts_with(kept), "{t:?} at {w}: {c:?}");
                // Whole graphemes only: what is kept ends where a grapheme of `t` ends.
                use unicode_segmentation::UnicodeSegmentation;
                let ends: Vec<usize> = t
                    .grapheme_indices(true)
                    .map(|(i, g)| i + g.len())
                    .chain([0])
                    .collect();
                assert!(ends.contains(&kept.len()), "{t:?} at {w}: {c:?}");
                // Cut only when needed, and then at most one column is lost to a wide one.
                if width(t) <= w {
                    assert_eq!(c, t);
                } else if w > 0 {
                    assert!(width(&c) + 1 >= w, "{t:?} at {w}: {c:?}");
                }
            }
        }
        assert_eq!(cut("ok 👍 fine", 4), "ok …");
        assert_eq!(cut("ok 👍 fine", 5), "ok …");
        assert_eq!(cut("ok 👍 fine", 6), "ok 👍…");
        assert_eq!(cut("👨\u{200d}👩\u{200d}👧 family", 2), "…");
        assert_eq!(
            cut("👨\u{200d}👩\u{200d}👧 family", 3),
            "👨\u{200d}👩\u{200d}👧…"
        );
    }

    #[test]
    fn markup_is_stripped() {
        let s = strip_markup(
            "<html><head><style>p{}</style></head><body><h1>Bad &amp; Gateway</h1></body></html>",
        );
        assert_eq!(
            s.split_whitespace().collect::<Vec<_>>(),
            ["Bad", "&", "Gateway"]
        );
    }
}

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Splits `s` into lines at most `width` columns wide: at spaces where it can, before wide
/// (CJK) characters, and hard inside long unbroken words. Lines borrow from `s`; spaces at a
/// break are dropped. Never returns an empty list.
pub fn wrap(s: &str, width: usize) -> Vec<&str> {
    use unicode_segmentation::UnicodeSegmentation;
    let units = s.grapheme_indices(true).map(|(idx, g)| Unit {
        at: idx,
        len: g.len(),
        space: g.chars().all(char::is_whitespace),
        cols: unicode_width::UnicodeWidthStr::width(g),
    });
    wrap_units(s, width, units)
}

/// One piece [`wrap_units`] never splits: where it starts in the text, its length in bytes,
/// whether it is a space, and its columns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    pub at: usize,
    pub len: usize,
    pub space: bool,
    pub cols: usize,
}

/// [`wrap`]'s rules over `s` given as `units` in order: graphemes, or (where each character
/// of a long turn is a grapheme of its own) characters or bytes, which are cheaper to walk.
pub(crate) fn wrap_units(s: &str, width: usize, units: impl Iterator<Item = Unit>) -> Vec<&str> {
    let width = width.max(1);
    if crate::text::width(s) <= width {
        return vec![s];
    }
    let mut lines = Vec::new();
    let mut start = 0usize;
    let mut line_w = 0usize;
    // A byte offset where the line may break.
    let mut brk: Option<usize> = None;
    for Unit {
        at: idx,
        len,
        space,
        cols,
    } in units
    {
        if space {
            if idx == start {
                start = idx + len;
                continue;
            }
            brk = Some(idx);
        } else if cols >= 2 && idx > start {
            brk = Some(idx);
        }
        if line_w + cols > width && idx > start {
            match brk.filter(|&b| b > start) {
                Some(b) if !space => {
                    lines.push(s[start..b].trim_end());
                    start = b + s[b..].len() - s[b..].trim_start().len();
                    line_w = crate::text::width(&s[start..idx]);
                }
                _ => {
                    lines.push(s[start..idx].trim_end());
                    start = if space { idx + len } else { idx };
                    line_w = 0;
                    if space {
                        brk = None;
                        continue;
                    }
                }
            }
            brk = None;
        }
        line_w += cols;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    if lines.is_empty() {
        lines.push("");
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    fn check(s: &str, w: usize) -> Vec<&str> {
        let lines = wrap(s, w);
        for l in &lines {
            assert!(width(l) <= w, "{l:?} wider than {w}");
        }
        lines
    }

    #[test]
    fn words_wrap_at_spaces() {
        assert_eq!(
            check("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(check("short", 10), ["short"]);
    }

    #[test]
    fn long_words_break_hard() {
        let s = "x".repeat(25);
        assert_eq!(check(&s, 10).len(), 3);
        let long = "a".repeat(5000);
        let lines = check(&long, 7);
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn cjk_and_emoji_respect_width() {
        let lines = check("你好世界你好世界", 5);
        assert_eq!(lines, ["你好", "世界", "你好", "世界"]);
        let lines = check("ok 👍🏽 family 👨‍👩‍👧 done", 8);
        assert!(lines.concat().contains("👨‍👩‍👧"));
        check("مرحبا بالعالم שלום עולם", 6);
        check("e\u{301}e\u{301}e\u{301}e\u{301}", 2);
    }

    #[test]
    fn width_one_and_zero_do_not_loop() {
        assert_eq!(check("abc", 1), ["a", "b", "c"]);
        assert_eq!(wrap("你", 1), ["你"]);
        assert_eq!(wrap("", 0), [""]);
    }
}
