//! The Diff view: two documents of one case, field by field, grouped by the tab each field
//! belongs to. Changed values show both sides; type-only changes (`2` vs `"2"`) are marked;
//! fields on one side only are named.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Theme;
use super::widgets::draw_lines;
use crate::app::{CompareState, Comparison};
use crate::case::diff::{Change, Kind, group, summary, type_name};
use crate::text::{clean, clip, one_line};

const GROUPS: [&str; 6] = ["Profile", "Call", "Redials", "Q&A", "Transcript", "Other"];

fn show(v: &serde_json::Value, max: usize) -> String {
    clip(&one_line(&v.to_string()), max)
}

fn change_line(c: &Change, width: u16, theme: &Theme) -> Line<'static> {
    let room = (width as usize).saturating_sub(c.path.len() + 12).max(12) / 2;
    let path = Span::styled(format!("  {}", clean(&c.path)), theme.label);
    let mut spans = match c.kind {
        Kind::Changed => vec![Span::styled("~ ", theme.warn), path, Span::raw("  ")],
        Kind::TypeOnly => vec![Span::styled("≈ ", theme.dim), path, Span::raw("  ")],
        Kind::Missing => vec![Span::styled("− ", theme.bad), path, Span::raw("  ")],
        Kind::Added => vec![Span::styled("+ ", theme.good), path, Span::raw("  ")],
    };
    match (c.kind, &c.pushed, &c.record) {
        (Kind::Changed, Some(a), Some(b)) => {
            spans.push(Span::styled(show(a, room), theme.bad));
            spans.push(Span::styled(" → ", theme.dim));
            spans.push(Span::styled(show(b, room), theme.good));
        }
        (Kind::TypeOnly, Some(a), Some(b)) => {
            spans.push(Span::styled(
                format!("{} → {}", show(a, room), show(b, room)),
                theme.value,
            ));
            spans.push(Span::styled(
                format!("  (type only: {} vs {})", type_name(a), type_name(b)),
                theme.dim,
            ));
        }
        (Kind::Missing, _, Some(b)) => {
            spans.push(Span::styled("only on the right: ", theme.dim));
            spans.push(Span::styled(show(b, room * 2), theme.value));
        }
        (Kind::Added, Some(a), _) => {
            spans.push(Span::styled("only on the left: ", theme.dim));
            spans.push(Span::styled(show(a, room * 2), theme.value));
        }
        _ => {}
    }
    Line::from(spans)
}

/// Every line of the view.
pub fn lines(c: &Comparison, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(vec![
            Span::styled("left: ", theme.dim),
            Span::styled(clean(&c.left).into_owned(), theme.value),
            Span::styled("   right: ", theme.dim),
            Span::styled(clean(&c.right).into_owned(), theme.value),
        ]),
        Line::from(Span::styled(
            "~ changed (left → right)   ≈ type only   − only on the right   + only on the left",
            theme.dim,
        )),
        Line::default(),
    ];
    match &c.state {
        CompareState::Pending(_) => out.push(Line::from(Span::styled(
            "asking the API for its record …",
            theme.accent,
        ))),
        CompareState::Failed(why) => {
            out.push(Line::from(Span::styled(
                "The comparison could not be made",
                theme.error,
            )));
            out.push(Line::from(clean(why).into_owned()));
        }
        CompareState::Ready(changes) => {
            let style = if changes.is_empty() {
                theme.good
            } else {
                theme.warn
            };
            // "No differences" names what was compared: the push and its record (`v`), two
            // answers (`d`), two files (`open A B`).
            let head = if changes.is_empty() {
                format!(
                    "no differences: {} matches {}",
                    clean(&c.left),
                    clean(&c.right)
                )
            } else {
                summary(changes)
            };
            out.push(Line::from(Span::styled(head, style)));
            for g in GROUPS {
                let in_group: Vec<&Change> =
                    changes.iter().filter(|ch| group(&ch.path) == g).collect();
                if in_group.is_empty() {
                    continue;
                }
                out.push(Line::default());
                out.push(Line::from(Span::styled(
                    format!("{g} ({})", in_group.len()),
                    theme.title,
                )));
                for ch in in_group {
                    out.push(change_line(ch, width, theme));
                }
            }
        }
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, c: &Comparison, theme: &Theme) {
    let lines = lines(c, area.width, theme);
    let offset = c.scroll.settle(lines.len(), area.height as usize);
    draw_lines(frame, area, &lines, offset);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Comparison;

    #[test]
    fn groups_changes_by_tab_with_both_sides() {
        let a = include_bytes!("../../assets/demo/push-received.json");
        let b = include_bytes!("../../assets/demo/02-full-match.json");
        let c = Comparison::ready("the push".into(), "the record".into(), a, b);
        let text = super::super::widgets::plain(&lines(&c, 120, &Theme::plain()));
        assert!(
            text.contains("2 differences: 1 changed, 1 type only"),
            "{text}"
        );
        assert!(text.contains("Call (2)"), "{text}");
        assert!(text.contains(r#"call.intention  "B" → "A""#), "{text}");
        assert!(text.contains("type only: string vs number"), "{text}");
    }

    #[test]
    fn no_differences_names_the_two_sides() {
        let a = include_bytes!("../../assets/demo/push-unchanged.json");
        let c = Comparison::ready("the push in a.json".into(), "b.json".into(), a, a);
        let text = super::super::widgets::plain(&lines(&c, 120, &Theme::plain()));
        assert!(
            text.contains("no differences: the push in a.json matches b.json"),
            "{text}"
        );
    }

    #[test]
    fn snapshot_of_the_diff_view() {
        let mut pushed: serde_json::Value =
            serde_json::from_slice(include_bytes!("../../assets/demo/push-received.json")).unwrap();
        pushed["callee"]["extra_a"] = serde_json::json!("added in the push");
        pushed["call"]["redial_call"][0]["ring_time"] = serde_json::json!(99);
        pushed["call"]["question_answer"][0]
            .as_object_mut()
            .unwrap()
            .remove("status");
        let a = serde_json::to_vec(&pushed).unwrap();
        let b = include_bytes!("../../assets/demo/02-full-match.json");
        let c = Comparison::ready(
            "the push in push.json".into(),
            "the API's record".into(),
            &a,
            b,
        );
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 20)).unwrap();
        terminal
            .draw(|f| draw(f, f.area(), &c, &Theme::plain()))
            .unwrap();
        insta::assert_snapshot!(terminal.backend());
    }
}
