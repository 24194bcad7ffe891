//! The promise to pay (`asr_ptp`): the spellings of its date and amount a turn may use
//! (English, Spanish, Indonesian, Chinese), and the turn that mentions it.

use crate::api::model::AsrItem;
use crate::case::time::parse_date;
use crate::case::transcript::{Entry, Speaker, text};
use crate::text::{clean, fold};

/// The call's promise to pay and the turn that mentions it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ptp {
    /// `asr_ptp` as sent, made safe.
    pub value: String,
    /// The entry that mentions it, when one does.
    pub entry: Option<usize>,
    /// That entry mentions the amount / the date.
    pub amount: bool,
    pub date: bool,
}

/// What to look for in the turns: spellings of the promised date and amount, folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PtpNeedles {
    pub dates: Vec<String>,
    pub amounts: Vec<String>,
}

const MONTHS: [[&str; 3]; 12] = [
    ["january", "januari", "enero"],
    ["february", "februari", "febrero"],
    ["march", "maret", "marzo"],
    ["april", "april", "abril"],
    ["may", "mei", "mayo"],
    ["june", "juni", "junio"],
    ["july", "juli", "julio"],
    ["august", "agustus", "agosto"],
    ["september", "september", "septiembre"],
    ["october", "oktober", "octubre"],
    ["november", "november", "noviembre"],
    ["december", "desember", "diciembre"],
];

fn ordinal(d: u32) -> &'static str {
    match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Chinese numerals for `n` below 100,000,000 (`10860` → `一万零八百六十`).
pub fn cn_number(n: u64) -> String {
    fn below_10000(n: u64, leading: bool, out: &mut String) {
        let mut zero = false;
        for (unit, div) in [("千", 1000), ("百", 100), ("十", 10), ("", 1)] {
            let d = (n / div % 10) as usize;
            if d == 0 {
                zero = !out.is_empty();
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            if !(d == 1 && div == 10 && leading && out.is_empty()) {
                out.push(CN_DIGITS[d]);
            }
            out.push_str(unit);
        }
    }
    if n == 0 {
        return "零".into();
    }
    let mut out = String::new();
    let (wan, rest) = (n / 10_000, n % 10_000);
    if wan > 0 {
        below_10000(wan, true, &mut out);
        out.push('万');
        if rest > 0 && rest < 1000 {
            out.push('零');
        }
    }
    if rest > 0 {
        let mut tail = String::new();
        below_10000(rest, wan == 0, &mut tail);
        out.push_str(&tail);
    }
    out
}

/// `15000` → `15,000` with `sep` between groups of three digits.
fn group(int: &str, sep: char) -> String {
    let n = int.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The integer and fraction digits of an amount token (`$1,500.00`, `1.500`, `650`).
fn parse_amount(token: &str) -> Option<(String, String)> {
    let core: String = token
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .collect::<String>()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .to_string();
    if core.is_empty()
        || !core
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    // The last separator is a decimal point unless exactly three digits follow it.
    let (int, frac) = match core.rfind([',', '.']) {
        Some(i) if core.len() - i - 1 != 3 => (&core[..i], &core[i + 1..]),
        _ => (core.as_str(), ""),
    };
    let int: String = int.chars().filter(char::is_ascii_digit).collect();
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some((int.to_string(), frac.to_string()))
}

/// Spellings to look for: `2024-09-15 650` gives `2024-09-15`, `september 15`, `15/09`,
/// `9月15日`, …, and `650`, `650.00`, `6,500`-style groupings, Chinese numerals.
pub fn ptp_needles(value: &str) -> PtpNeedles {
    let mut out = PtpNeedles::default();
    for token in value.split(|c: char| c.is_whitespace() || c == ';' || c == '|') {
        if token.is_empty() || token.contains(':') {
            continue;
        }
        if (token.contains(['-', '/']) || (token.len() == 8 && token.starts_with("20")))
            && let Some(d) = parse_date(token)
        {
            out.dates.extend(date_needles(d));
            continue;
        }
        if let Some((int, frac)) = parse_amount(token) {
            if int == "0" && frac.trim_matches('0').is_empty() {
                continue;
            }
            out.amounts.extend(amount_needles(&int, &frac));
        }
    }
    out.dates.dedup();
    out.amounts.dedup();
    out
}

fn date_needles(d: chrono::NaiveDate) -> Vec<String> {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    let mut v = vec![
        format!("{y}-{m:02}-{day:02}"),
        format!("{y}/{m:02}/{day:02}"),
        format!("{y}/{m}/{day}"),
        format!("{day:02}/{m:02}/{y}"),
        format!("{m:02}/{day:02}/{y}"),
        format!("{day:02}.{m:02}.{y}"),
        format!("{day:02}-{m:02}-{y}"),
        format!("{day}/{m}"),
        format!("{m}/{day}"),
        format!("{day:02}/{m:02}"),
        format!("{m:02}/{day:02}"),
    ];
    let names = &MONTHS[(m - 1) as usize];
    let en = names[0];
    let mut spellings: Vec<&str> = names.to_vec();
    if en.len() > 3 {
        spellings.push(&en[..3]);
    }
    if m == 9 {
        spellings.push("sept");
    }
    spellings.dedup();
    for name in spellings {
        let suf = ordinal(day);
        v.extend([
            format!("{name} {day}"),
            format!("{day} {name}"),
            format!("{day} de {name}"),
            format!("{day}{suf} {name}"),
            format!("{day}{suf} of {name}"),
        ]);
    }
    let (cm, cd) = (cn_number(m as u64), cn_number(day as u64));
    for (mm, dd) in [(m.to_string(), day.to_string()), (cm, cd)] {
        for end in ["日", "号", "號"] {
            v.push(format!("{mm}月{dd}{end}"));
        }
    }
    v.sort();
    v.dedup();
    v
}

fn amount_needles(int: &str, frac: &str) -> Vec<String> {
    let whole = frac.is_empty() || frac.chars().all(|c| c == '0');
    let ints = [
        int.to_string(),
        group(int, ','),
        group(int, '.'),
        group(int, ' '),
    ];
    let mut v = Vec::new();
    for (i, s) in ints.iter().enumerate() {
        if whole {
            v.push(s.clone());
            // `650` does not match `650.00` (a digit follows the point), so spell it out.
            let point = if i == 2 { ',' } else { '.' };
            v.push(format!("{s}{point}00"));
        } else {
            v.push(format!("{s}.{frac}"));
            v.push(format!("{s},{frac}"));
        }
    }
    if whole
        && let Ok(n) = int.parse::<u64>()
        && n < 100_000_000
    {
        let cn = cn_number(n);
        for lead in ["二万", "二千", "二百"] {
            if let Some(rest) = cn.strip_prefix(lead) {
                let two = lead.replacen('二', "两", 1);
                v.push(format!("{two}{rest}"));
            }
        }
        v.push(cn);
        if n >= 1000 && n.is_multiple_of(1000) && n < 10_000 {
            v.push(format!("{}千", n / 1000));
        }
        if n >= 10_000 && n.is_multiple_of(10_000) {
            v.push(format!("{}万", n / 10_000));
        }
    }
    v.sort();
    v.dedup();
    v
}

fn is_cn_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万亿".contains(c)
}

fn digitish(c: char) -> bool {
    c.is_ascii_digit() || is_cn_numeral(c)
}

/// Whether `needle` (folded) occurs in `hay` (folded) as a whole number or word: no digit
/// (or group separator and digit) runs on before or after it, no letter before a word.
pub fn mentions(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let starts_alpha = needle.starts_with(|c: char| c.is_ascii_alphabetic());
    let ends_alpha = needle.ends_with(|c: char| c.is_ascii_alphabetic());
    hay.match_indices(needle).any(|(i, _)| {
        let mut before = hay[..i].chars().rev();
        let b1 = before.next();
        let b2 = before.next();
        let mut after = hay[i + needle.len()..].chars();
        let a1 = after.next();
        let a2 = after.next();
        let before_ok = match b1 {
            None => true,
            Some(c) if digitish(c) => false,
            Some('.' | ',') => !b2.is_some_and(|c| c.is_ascii_digit()),
            Some(c) if starts_alpha => !c.is_alphanumeric(),
            Some(_) => true,
        };
        let after_ok = match a1 {
            None => true,
            Some(c) if digitish(c) => false,
            Some('.' | ',') => !a2.is_some_and(|c| c.is_ascii_digit()),
            Some(c) if ends_alpha => !c.is_alphanumeric(),
            Some(_) => true,
        };
        before_ok && after_ok
    })
}

/// Finds the turn that mentions the promise: one naming both amount and date before one
/// naming either, the callee before the robot, the earliest first.
pub fn find_ptp(value: &str, entries: &[Entry], items: &[AsrItem]) -> Ptp {
    let needles = ptp_needles(value);
    // Every spelling of a date or an amount has a digit or a Chinese numeral, and neither
    // cleaning nor folding adds or removes one: turns without any are skipped unread, so a
    // transcript of 100,000 turns is not folded and searched ~60 times a turn.
    let anchored = needles
        .amounts
        .iter()
        .chain(&needles.dates)
        .all(|n| n.chars().any(digitish));
    let mut best: Option<(u8, usize, bool, bool)> = None;
    for (i, e) in entries.iter().enumerate() {
        let Entry::Turn { speaker, .. } = e else {
            continue;
        };
        let raw = text(e, items);
        if anchored
            && !raw.bytes().any(|b| b.is_ascii_digit())
            && (raw.is_ascii() || !raw.chars().any(is_cn_numeral))
        {
            continue;
        }
        let hay: String = clean(raw).chars().map(fold).collect();
        let amount = needles.amounts.iter().any(|n| mentions(&hay, n));
        let date = needles.dates.iter().any(|n| mentions(&hay, n));
        if !amount && !date {
            continue;
        }
        let callee = *speaker == Speaker::Callee;
        let score = (amount && date) as u8 * 2 + callee as u8;
        if best.is_none_or(|(s, ..)| score > s) {
            best = Some((score, i, amount, date));
            if score == 3 {
                break;
            }
        }
    }
    Ptp {
        value: crate::text::one_line(value),
        entry: best.map(|b| b.1),
        amount: best.is_some_and(|b| b.2),
        date: best.is_some_and(|b| b.3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::transcript::Transcript;
    use crate::case::transcript::rec;

    #[test]
    fn ptp_needles_cover_the_usual_spellings() {
        let n = ptp_needles("2024-09-15 650");
        for d in [
            "2024-09-15",
            "september 15",
            "sept 15",
            "sep 15",
            "15 september",
            "15th of september",
            "15/09",
            "9/15",
            "9月15日",
            "九月十五号",
            "15 de septiembre",
        ] {
            assert!(n.dates.contains(&d.to_string()), "{d} in {:?}", n.dates);
        }
        for a in ["650", "650.00"] {
            assert!(n.amounts.contains(&a.to_string()), "{a}");
        }
        let n = ptp_needles("2024-05-20 15000");
        for a in ["15000", "15,000", "15.000", "15 000", "一万五千"] {
            assert!(n.amounts.contains(&a.to_string()), "{a} in {:?}", n.amounts);
        }
        let n = ptp_needles("2024-06-05 2000");
        assert!(n.amounts.contains(&"两千".to_string()));
        assert!(n.dates.contains(&"六月五号".to_string()));
        let n = ptp_needles("2024-01-02 $1,250.50");
        assert!(
            n.amounts.contains(&"1,250.50".to_string()),
            "{:?}",
            n.amounts
        );
        assert!(n.amounts.contains(&"1250.50".to_string()));
        assert_eq!(ptp_needles(""), PtpNeedles::default());
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number(2000), "二千");
        assert_eq!(cn_number(10860), "一万零八百六十");
        assert_eq!(cn_number(15), "十五");
        assert_eq!(cn_number(650), "六百五十");
        assert_eq!(cn_number(15000), "一万五千");
        assert_eq!(cn_number(100_500), "十万零五百");
        assert_eq!(cn_number(31), "三十一");
    }

    #[test]
    fn mentions_respects_number_boundaries() {
        assert!(mentions("i can do $650 on september 15.", "650"));
        assert!(mentions("i can do $650 on september 15th", "september 15"));
        assert!(!mentions("rent is $1,650 a month", "650"));
        assert!(!mentions("about 6500", "650"));
        assert!(!mentions("about 650.50", "650"));
        assert!(mentions("about 650.00", "650.00"));
        assert!(mentions("650, then more", "650"));
        assert!(!mentions("september 150", "september 15"));
        assert!(!mentions("xsep 15", "sep 15"));
        assert!(mentions("六月五号我先还两千吧。", "两千"));
        assert!(!mentions("两千五", "两千"));
    }

    #[test]
    fn ptp_prefers_a_callee_turn_naming_both() {
        let items = vec![
            rec("00:00:01", "Can you pay 650 on September 15?", ""),
            rec("00:00:05", "", "Around the 15th"),
            rec("00:00:09", "", "Maybe 650"),
            rec("00:00:12", "", "OK, $650 on Sept 15th."),
        ];
        let t = Transcript::build(&items, None);
        let p = find_ptp("2024-09-15 650", &t.entries, &items);
        assert_eq!((p.entry, p.amount, p.date), (Some(3), true, true));
        // Only the robot names both: that beats a callee turn naming one.
        let p = find_ptp("2024-09-15 650", &t.entries[..3], &items);
        assert_eq!((p.entry, p.amount, p.date), (Some(0), true, true));
        let p = find_ptp("2024-10-01 999", &t.entries, &items);
        assert_eq!(p.entry, None);
    }
}
