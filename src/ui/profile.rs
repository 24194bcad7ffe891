//! Tab 1: who the callee is, what they owe, the case's other numbers and attributes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Theme;
use super::widgets::{Row, Section, columns, draw_lines, shape_words};
use crate::api::tolerant::Scalar;
use crate::app::Loaded;
use crate::case::profile::{
    days_overdue, extend_callees, format_amount, other_extra, overdue_words, owing, same_number,
};

fn money(s: &Scalar, currency: &str) -> String {
    match s.value() {
        Some(v) if currency.is_empty() => v.to_string(),
        Some(v) => format!("{v} {currency}"),
        None => String::new(),
    }
}

pub fn lines(loaded: &Loaded, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let d = loaded.data();
    let c = &d.callee;
    let call = &d.call;
    let mut left = Vec::new();
    let mut right = Vec::new();

    let mut who = Section::new("Callee");
    if c.shape.is_present() {
        who.row("case_id", &c.case_id, theme)
            .row("name", &c.callee_name, theme)
            .row("gender", &c.callee_gender, theme)
            .row("number", &c.callee_number, theme)
            .row("platform", &c.platform_name, theme);
    } else {
        who.empty = Some(shape_words(c.shape).into());
    }
    left.push(who);

    let numbers = extend_callees(c);
    if !numbers.is_empty() {
        let called = call.callee_number.value().unwrap_or("");
        let mut s = Section::new("extend_callees");
        let any_marked = numbers.iter().any(|n| same_number(n, called));
        for (i, n) in numbers.iter().enumerate() {
            let is_called = if any_marked {
                same_number(n, called)
            } else {
                same_number(n, c.callee_number.show())
            };
            let mut row = Row::new(format!("#{}", i + 1), n, theme.value);
            if is_called {
                row = row.with("● called", theme.good);
            }
            s.push(row);
        }
        left.push(s);
    }

    if c.shape.is_present() {
        let cur = c.currency_unit.value().unwrap_or("").to_string();
        let mut loan = Section::new("Loan");
        loan.row("borrowed date", &c.borrowed_date, theme);
        let mut due = Row::new("due date", c.due_date.show(), theme.value);
        if let Some(days) = days_overdue(c, call) {
            due = due.with(
                format!("({})", overdue_words(days)),
                if days > 0 { theme.warn } else { theme.dim },
            );
        }
        loan.push(due);
        loan.push(Row::new(
            "borrowed",
            money(&c.borrowed_amount, &cur),
            theme.value,
        ));
        loan.push(Row::new(
            "total owing",
            money(&c.total_owing_amount, &cur),
            theme.value,
        ));
        if let Some(diff) = owing(c).difference {
            let text = format_amount(diff);
            loan.push(
                Row::new(
                    "difference",
                    if cur.is_empty() {
                        text
                    } else {
                        format!("{text} {cur}")
                    },
                    theme.value,
                )
                .with("(owing − borrowed)", theme.dim),
            );
        }
        if !c.currency_unit.is_set() {
            loan.push(Row::new("currency", "not given", theme.dim));
        }
        left.push(loan);
    }

    let mut extra = Section::new("Extra");
    for item in other_extra(c) {
        extra.push(Row::new(
            crate::text::clean(item.question.show()),
            item.content.show(),
            theme.value,
        ));
    }
    extra
        .row_if_set("extra_a", &c.extra_a, theme)
        .row_if_set("extra_b", &c.extra_b, theme)
        .row_if_set("extra_c", &c.extra_c, theme)
        .row_if_set("comments", &c.comments, theme);
    if extra.rows.is_empty() {
        extra.empty = Some(if c.extra.shape.is_present() {
            "nothing besides extend_callees".into()
        } else {
            shape_words(c.extra.shape).into()
        });
    }
    right.push(extra);

    let mut extend = Section::new("extend");
    if c.extend.shape.is_present() {
        extend.row("detail_source", &c.extend.detail_source, theme);
        for (k, v) in &c.extend.variables.entries {
            extend.push(Row::new(
                format!("variables.{}", crate::text::clean(k)),
                crate::api::tolerant::value_text(v),
                theme.value,
            ));
        }
        for (k, v) in &c.extend.pds_variables.entries {
            extend.push(Row::new(
                format!("pds_variables.{}", crate::text::clean(k)),
                crate::api::tolerant::value_text(v),
                theme.value,
            ));
        }
        if c.extend.variables.is_empty() {
            extend.push(Row::new(
                "variables",
                shape_words(c.extend.variables.shape),
                theme.dim,
            ));
        }
        if c.extend.pds_variables.is_empty() {
            extend.push(Row::new(
                "pds_variables",
                shape_words(c.extend.pds_variables.shape),
                theme.dim,
            ));
        }
        extend.unknown(&c.extend.unknown, "", theme);
    } else {
        extend.empty = Some(shape_words(c.extend.shape).into());
    }
    right.push(extend);

    let mut attrs = Section::new("custom_attribute");
    attrs.map(&d.custom_attribute, theme);
    right.push(attrs);

    let mut wf = Section::new("Workflow");
    wf.row("workflow", &d.workflow_name, theme)
        .row("workflow_id", &d.workflow_id, theme)
        .row("node", &d.node_name, theme)
        .row("node_id", &d.node_id, theme);
    right.push(wf);

    // A key sent twice is read as its last value, as JSON readers do: said, never silently.
    if !loaded.facts.repeated.is_empty() {
        let mut twice = Section::new("Keys sent more than once (the last value is shown)");
        for r in &loaded.facts.repeated {
            twice.push(Row::new(
                crate::text::one_line(&r.path),
                format!("sent {} times", r.times),
                theme.warn,
            ));
        }
        right.push(twice);
    }
    if !d.unknown.is_empty() || !c.unknown.is_empty() {
        let mut other = Section::new("Other fields (not in the reference)");
        other
            .unknown(&d.unknown, "", theme)
            .unknown(&c.unknown, "callee.", theme);
        right.push(other);
    }
    columns(&left, &right, width, theme)
}

pub fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let lines = lines(loaded, area.width, theme);
    let offset = loaded
        .views
        .profile
        .settle(lines.len(), area.height as usize);
    draw_lines(frame, area, &lines, offset);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::table::testing::{REFERENCE, app_on_tab, render};

    #[test]
    fn a_key_sent_twice_is_said_on_the_profile() {
        let text = String::from_utf8(REFERENCE.to_vec()).unwrap();
        // A second callee_name after the first: the last one is read.
        let twice = text.replacen(
            "\"callee_name\"",
            "\"callee_name\": \"FIRST NAME\", \"callee_name\"",
            1,
        );
        let app = app_on_tab(twice.into_bytes(), 160, 50, '1');
        let screen = format!("{:?}", render(&app, draw).backend());
        assert!(screen.contains("Keys sent more than once"), "{screen}");
        assert!(screen.contains("callee.callee_name"), "{screen}");
        assert!(screen.contains("sent 2 times"), "{screen}");
        assert!(screen.contains("WILL SMITH"), "{screen}");
        let once = app_on_tab(REFERENCE.to_vec(), 160, 50, '1');
        let screen = format!("{:?}", render(&once, draw).backend());
        assert!(!screen.contains("Keys sent more than once"), "{screen}");
    }
}
