//! The query form: four single-line fields with inline validation.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::api::Query;

pub const LABELS: [&str; 4] = ["workflow_id", "node_id", "callee", "case_id (optional)"];

/// How a field's value looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Ok,
    /// Shown, but the query may still be sent.
    Warning(String),
    /// The query cannot be sent.
    Error(String),
}

pub struct Form {
    pub fields: [TextArea<'static>; 4],
    pub focused: usize,
    /// Errors are shown only once the user tried to submit, or typed in the field.
    pub touched: [bool; 4],
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form")
            .field("values", &self.values())
            .field("focused", &self.focused)
            .finish()
    }
}

fn field(value: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![value.to_string()]);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t
}

impl Default for Form {
    fn default() -> Self {
        Form::new(&Query::default())
    }
}

impl Form {
    pub fn new(q: &Query) -> Self {
        Form {
            fields: [
                field(&q.workflow_id),
                field(&q.node_id),
                field(&q.callee),
                field(q.case_id.as_deref().unwrap_or("")),
            ],
            focused: 0,
            touched: [false; 4],
        }
    }

    pub fn value(&self, i: usize) -> String {
        self.fields[i].lines().join("")
    }

    pub fn values(&self) -> [String; 4] {
        [0, 1, 2, 3].map(|i| self.value(i))
    }

    pub fn set(&mut self, q: &Query) {
        let focused = self.focused;
        *self = Form::new(q);
        self.focused = focused;
    }

    pub fn query(&self) -> Query {
        let [w, n, c, id] = self.values();
        let id = id.trim().to_string();
        Query {
            workflow_id: w.trim().to_string(),
            node_id: n.trim().to_string(),
            callee: c.trim().to_string(),
            case_id: (!id.is_empty()).then_some(id),
        }
    }

    pub fn check(&self, i: usize) -> Check {
        let v = self.value(i);
        let v = v.trim();
        match i {
            0 | 1 if v.is_empty() => Check::Error(format!("{} is required", LABELS[i])),
            0 | 1 if !v.chars().all(|c| c.is_ascii_hexdigit()) => {
                Check::Warning("not only hex digits".into())
            }
            2 if v.is_empty() => Check::Error("callee is required".into()),
            2 if !(v.starts_with('+')
                && v.len() > 1
                && v[1..].chars().all(|c| c.is_ascii_digit())) =>
            {
                Check::Warning("expected + and digits".into())
            }
            3 if !v.is_empty()
                && !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) =>
            {
                Check::Warning("unusual characters".into())
            }
            _ => Check::Ok,
        }
    }

    /// The first field that blocks a submit.
    pub fn first_error(&self) -> Option<usize> {
        (0..4).find(|&i| matches!(self.check(i), Check::Error(_)))
    }

    /// Types into the focused field. Enter and Tab are handled by the caller.
    pub fn input(&mut self, key: KeyEvent) {
        // Single-line fields: no newlines, no tabs.
        if matches!(key.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab)
            || (key.modifiers.contains(KeyModifiers::CONTROL)
                && matches!(key.code, KeyCode::Char('m' | 'j')))
        {
            return;
        }
        let f = &mut self.fields[self.focused];
        // Readline's Ctrl-U (the field's own binding is undo); Ctrl-W is the field's already.
        let changed =
            if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('u') {
                f.clear()
            } else {
                f.input(key)
            };
        if changed {
            self.touched[self.focused] = true;
        }
    }

    /// Pastes text into the focused field, on one line.
    /// Pasted text goes in as one token: escape sequences, control and bidi characters
    /// are dropped whole (not just their first byte), so nothing of them can be sent.
    pub fn paste(&mut self, text: &str) {
        let one: String = crate::text::one_line(text)
            .chars()
            .filter(|c| {
                !c.is_control()
                    && !matches!(*c, '\u{fffd}' | crate::text::NEWLINE_MARK)
                    && !('\u{2400}'..='\u{243f}').contains(c)
            })
            .collect::<String>()
            .trim()
            .to_string();
        let f = &mut self.fields[self.focused];
        f.insert_str(one);
        self.touched[self.focused] = true;
    }

    pub fn touch_all(&mut self) {
        self.touched = [true; 4];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn pasted_escape_sequences_leave_nothing_behind() {
        let mut form = Form::new(&Query::default());
        form.paste("\u{1b}]0;PWNED\u{7}ab\u{202e}c\u{1b}[2Jd\u{9b}31me\r\n");
        assert_eq!(form.query().workflow_id, "abcde");
    }

    #[test]
    fn typing_and_query() {
        let mut f = Form::default();
        for c in "abc".chars() {
            f.input(key(c));
        }
        f.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(f.value(0), "abc");
        f.focused = 3;
        f.paste("  case-1\n");
        assert_eq!(f.query().case_id.as_deref(), Some("case-1"));
        let _ = KeyEventKind::Press;
    }

    #[test]
    fn validation() {
        let f = Form::new(&Query {
            workflow_id: "0ca6e3a59cf74630906683882aa5111".into(),
            node_id: "node-x".into(),
            callee: "8610086".into(),
            case_id: None,
        });
        assert_eq!(f.check(0), Check::Ok);
        assert!(matches!(f.check(1), Check::Warning(_)));
        assert!(matches!(f.check(2), Check::Warning(_)));
        assert_eq!(f.first_error(), None);
        let empty = Form::default();
        assert_eq!(empty.first_error(), Some(0));
        assert_eq!(empty.check(3), Check::Ok);
    }
}
