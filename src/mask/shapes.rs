//! The masked forms of one value by its shape: phone numbers, names, e-mail addresses,
//! birth dates and the long numbers inside free text.

use std::borrow::Cow;

pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A digit, or an `x` standing for one in a number already partly hidden (`+861xxxxxx721`).
fn is_digit_like(c: char) -> bool {
    is_digit(c) || c == 'x' || c == 'X'
}

/// Digits of the country code at the start of `digits` (E.164: 1 to 3).
fn country_code_len(digits: &str) -> usize {
    const TWO: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if TWO.iter().any(|p| digits.starts_with(p)) {
        2
    } else {
        3
    }
}

/// A phone number: with a leading `+`, the country code and the last four digits stay;
/// without, the last four; a number of six digits or fewer (after the country code) is
/// hidden whole. Separators stay; `x` placeholders become `*`.
pub fn phone(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let plus = chars.iter().find(|c| !c.is_whitespace()) == Some(&'+');
    let positions: Vec<usize> = (0..chars.len())
        .filter(|&i| is_digit_like(chars[i]))
        .collect();
    let lead: String = positions
        .iter()
        .map(|&i| chars[i])
        .take_while(|c| is_digit(*c))
        .take(3)
        .collect();
    let cc = if plus && !lead.is_empty() {
        country_code_len(&lead).min(lead.chars().count())
    } else {
        0
    };
    let rest = positions.len().saturating_sub(cc);
    let tail = if rest > 6 { 4 } else { 0 };
    let mut out = chars.clone();
    for (n, &i) in positions.iter().enumerate() {
        let keep = n < cc || n >= positions.len() - tail;
        if !keep || !is_digit(chars[i]) {
            out[i] = '*';
        }
    }
    out.into_iter().collect()
}

/// A name: each word's first letter and four stars.
pub fn name(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut in_word = false;
    for c in s.chars() {
        if c.is_whitespace() {
            in_word = false;
            out.push(c);
        } else if !in_word {
            in_word = true;
            out.push(c);
            out.push_str("****");
        }
    }
    out
}

/// An e-mail address: the first letter of the local part and the domain.
pub(super) fn email(s: &str) -> String {
    match s.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}****@{domain}")
        }
        None => name(s),
    }
}

/// A birth date or its answer: letters and digits become `*`, separators stay.
pub(super) fn birth(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { '*' } else { c })
        .collect()
}

/// Numbers inside `s`: a `+` followed by 7 or more digits is a phone number ([`phone`]);
/// any other run of 6 or more digits (groups joined by one space, `-`, `.` or `,`) has every
/// digit hidden. With `all`, every run of digits is treated as a phone number (a phone key).
pub(super) fn numbers(s: &str, all: bool) -> Cow<'_, str> {
    if !s.chars().any(is_digit) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < n {
        let c = chars[i];
        let plus = c == '+' && i + 1 < n && is_digit(chars[i + 1]);
        if plus || is_digit(c) {
            // The run: digits (or x placeholders after a +) with single separators between.
            let digit = |c: char| {
                if plus || all {
                    is_digit_like(c)
                } else {
                    is_digit(c)
                }
            };
            let mut j = if plus { i + 1 } else { i };
            let mut count = 0;
            while j < n {
                if digit(chars[j]) {
                    count += 1;
                    j += 1;
                } else if j + 1 < n
                    && matches!(chars[j], ' ' | '-' | '.' | ',' | '(' | ')')
                    && digit(chars[j + 1])
                    && j > i
                    && digit(chars[j - 1])
                {
                    j += 1;
                } else {
                    break;
                }
            }
            // An `x` right after digits without a `+` is a word ("2x"), not a placeholder.
            let token: String = chars[i..j].iter().collect();
            let masked = if plus && count >= 7 || all && count > 0 {
                Some(phone(&token))
            } else if count >= 6 {
                Some(
                    token
                        .chars()
                        .map(|c| if digit(c) { '*' } else { c })
                        .collect(),
                )
            } else {
                None
            };
            match masked {
                Some(m) => {
                    changed |= m != token;
                    out.push_str(&m);
                }
                None => out.push_str(&token),
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name("WILL SMITH"), "W**** S****");
        assert_eq!(name("  Ana  de la Cruz"), "  A****  d**** l**** C****");
        assert_eq!(name("王小明"), "王****");
        assert_eq!(name(""), "");
    }

    #[test]
    fn phones() {
        assert_eq!(phone("+8618717905721"), "+86*******5721");
        assert_eq!(phone("+861xxxxxx0721"), "+86*******0721");
        assert_eq!(phone("+861xxxxxx721"), "+86*******721");
        assert_eq!(phone("+14155550123"), "+1******0123");
        assert_eq!(phone("+6281234567890"), "+62*******7890");
        assert_eq!(phone("+525512345678"), "+52******5678");
        assert_eq!(phone("+880171234567"), "+880*****4567");
        assert_eq!(phone("08123456789"), "*******6789");
        assert_eq!(phone("+86 187 1790 5721"), "+86 *** **** 5721");
        // Too short to keep four digits: hidden whole.
        assert_eq!(phone("+8612345"), "+86*****");
        assert_eq!(phone("4585"), "****");
    }
}
