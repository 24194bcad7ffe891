//! The callee's money and dates: amounts as decimals (no float error), the owing
//! difference, days overdue at the call, and the numbers listed in `extend_callees`.

use rust_decimal::Decimal;

use super::time::{parse_date, parse_datetime};
use crate::api::model::{Call, Callee, ExtraItem};
use crate::api::tolerant::Scalar;

/// The `extra` question that lists the case's other numbers.
pub const EXTEND_CALLEES: &str = "extend_callees";

/// An amount as sent (`"20000.00"`, `20310`, `"20,310.00"`), when it reads as a number.
pub fn amount(s: &Scalar) -> Option<Decimal> {
    let v = s.value()?;
    let cleaned: String = v
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    cleaned
        .parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&cleaned).ok())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Owing {
    pub borrowed: Option<Decimal>,
    pub total: Option<Decimal>,
    /// total owing − borrowed: interest and fees, when both amounts read.
    pub difference: Option<Decimal>,
}

pub fn owing(callee: &Callee) -> Owing {
    let borrowed = amount(&callee.borrowed_amount);
    let total = amount(&callee.total_owing_amount);
    let difference = match (borrowed, total) {
        (Some(b), Some(t)) => Some(t - b),
        _ => None,
    };
    Owing {
        borrowed,
        total,
        difference,
    }
}

/// Days from the due date to the call's date: positive when overdue at the call,
/// negative when the call came before the due date.
pub fn days_overdue(callee: &Callee, call: &Call) -> Option<i64> {
    let due = parse_date(callee.due_date.show())?;
    let called = parse_datetime(call.call_start_time.show())?.date();
    Some((called - due).num_days())
}

/// Words for [`days_overdue`].
pub fn overdue_words(days: i64) -> String {
    match days {
        0 => "due on the call date".into(),
        1 => "1 day overdue at the call".into(),
        d if d > 1 => format!("{d} days overdue at the call"),
        -1 => "due 1 day after the call".into(),
        d => format!("due {} days after the call", -d),
    }
}

/// The numbers listed in `extra` under `extend_callees`, in order, without repeats.
pub fn extend_callees(callee: &Callee) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in callee.extra.iter().filter(|i| is_extend_callees(i)) {
        for n in item
            .content
            .show()
            .split([',', ';', '|', '\n', '/'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if !out.iter().any(|o| same_number(o, n)) {
                out.push(n.to_string());
            }
        }
    }
    out
}

pub fn is_extend_callees(item: &ExtraItem) -> bool {
    item.question
        .show()
        .trim()
        .eq_ignore_ascii_case(EXTEND_CALLEES)
}

/// `extra` entries other than `extend_callees`.
pub fn other_extra(callee: &Callee) -> impl Iterator<Item = &ExtraItem> {
    callee.extra.iter().filter(|i| !is_extend_callees(i))
}

/// Phone numbers compared without spaces, dashes, dots or parentheses.
pub fn same_number(a: &str, b: &str) -> bool {
    let a = number_key(a);
    !a.is_empty() && a == number_key(b)
}

/// A phone number as [`same_number`] compares it: without spaces, dashes, dots or
/// parentheses, in lower case.
pub fn number_key(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// An amount with the sent text's own decimals kept (`20310.00 − 20000.00 = 310.00`).
pub fn format_amount(d: Decimal) -> String {
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::List;

    fn callee() -> Callee {
        Callee {
            borrowed_amount: Scalar::from("20000.00"),
            total_owing_amount: Scalar::from("20310.00"),
            due_date: Scalar::from("2024-03-07"),
            extra: List::from_items(vec![
                ExtraItem {
                    question: Scalar::from("extend_callees"),
                    content: Scalar::from("+861xxxxxx795,+861xxxxxx721, +861xxxxxx795"),
                    ..ExtraItem::default()
                },
                ExtraItem {
                    question: Scalar::from("employer"),
                    content: Scalar::from("ACME"),
                    ..ExtraItem::default()
                },
            ]),
            ..Callee::default()
        }
    }

    #[test]
    fn owing_difference_keeps_decimals() {
        let o = owing(&callee());
        assert_eq!(o.difference.map(format_amount).as_deref(), Some("310.00"));
        let mut c = callee();
        c.total_owing_amount = Scalar::Number("20,310.5".into());
        assert_eq!(
            owing(&c).difference.map(format_amount).as_deref(),
            Some("310.50")
        );
        c.borrowed_amount = Scalar::from("n/a");
        assert_eq!(owing(&c).difference, None);
    }

    #[test]
    fn days_overdue_at_call_date() {
        let call = Call {
            call_start_time: Scalar::from("2024-03-12 14:54:26"),
            ..Call::default()
        };
        assert_eq!(days_overdue(&callee(), &call), Some(5));
        assert_eq!(overdue_words(5), "5 days overdue at the call");
        assert_eq!(overdue_words(-2), "due 2 days after the call");
        assert_eq!(days_overdue(&Callee::default(), &call), None);
    }

    #[test]
    fn extend_callees_split_and_deduplicated() {
        let c = callee();
        assert_eq!(extend_callees(&c), vec!["+861xxxxxx795", "+861xxxxxx721"]);
        let others: Vec<_> = other_extra(&c).map(|i| i.question.show()).collect();
        assert_eq!(others, vec!["employer"]);
        assert!(same_number("+62 812-3456", "+628123456"));
        assert!(!same_number("", ""));
    }

    #[test]
    fn amounts_in_drifted_forms() {
        assert_eq!(
            amount(&Scalar::Number("15000.50".into()))
                .map(format_amount)
                .as_deref(),
            Some("15000.50")
        );
        assert_eq!(
            amount(&Scalar::from("1e3"))
                .map(|d| d.normalize().to_string())
                .as_deref(),
            Some("1000")
        );
        assert_eq!(amount(&Scalar::Null), None);
    }
}
