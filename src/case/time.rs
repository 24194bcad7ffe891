//! Timestamps as the API sends them (`YYYY-MM-DD HH:MM:SS`, in the account's zone, no zone
//! given) and transcript offsets (`HH:MM:SS` from the call's start). Nothing is converted
//! between zones: a time is shown as sent, and differences are taken between times of one push.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

const DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
];

/// A call timestamp. A zone suffix, when present, is kept as local wall time, not converted.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = plain_datetime(s) {
        return Some(t);
    }
    for f in DATETIME_FORMATS {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.naive_local())
}

/// `YYYY-MM-DD HH:MM:SS` exactly, as the API sends nearly every time, read without a
/// format string (a redial timeline reads thousands); anything else is left to the formats.
fn plain_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)
}

/// A calendar date (`2024-03-07`, `2024/03/07`), or the date of a timestamp.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    parse_datetime(s).map(|t| t.date())
}

/// An offset into the call: `HH:MM:SS`, `MM:SS`, plain seconds, fractions dropped.
pub fn parse_offset(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        let whole = if i + 1 == parts.len() {
            p.split(['.', ',']).next().unwrap_or("")
        } else {
            p
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 9 {
            return None;
        }
        let n: u64 = whole.parse().ok()?;
        if i > 0 && n >= 60 {
            return None;
        }
        total = total * 60 + n;
    }
    u32::try_from(total).ok()
}

/// The most seconds a duration sent by the API is taken to mean: a century. A number past it
/// is shown as sent and used for no arithmetic, so every sum of such durations and every
/// date plus one stays far inside `i64` and chrono's range.
pub const MAX_SECS: i64 = 100 * 366 * 86_400;

/// A duration in seconds as sent, when it reads as a whole number within [`MAX_SECS`] either
/// way.
pub fn usable_secs(s: &crate::api::tolerant::Scalar) -> Option<i64> {
    s.as_i64()
        .filter(|v| v.unsigned_abs() <= MAX_SECS.unsigned_abs())
}

/// `t` moved by `secs`, when that is a time chrono can hold.
pub fn plus_secs(t: NaiveDateTime, secs: i64) -> Option<NaiveDateTime> {
    t.checked_add_signed(chrono::TimeDelta::try_seconds(secs)?)
}

/// `mm:ss` under an hour, `h:mm:ss` from one hour.
pub fn clock(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `26 s`, `4 min 05 s`, `1 h 02 min`.
pub fn human_duration(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let secs = secs.unsigned_abs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{sign}{h} h {m:02} min")
    } else if m > 0 {
        format!("{sign}{m} min {s:02} s")
    } else {
        format!("{sign}{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_past_a_century_are_not_used() {
        use crate::api::tolerant::Scalar;
        assert_eq!(usable_secs(&Scalar::Number("26".into())), Some(26));
        assert_eq!(usable_secs(&Scalar::from("-3")), Some(-3));
        assert_eq!(
            usable_secs(&Scalar::Number(MAX_SECS.to_string().into())),
            Some(MAX_SECS)
        );
        for huge in [
            "8208556621508",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert_eq!(usable_secs(&Scalar::Number(huge.into())), None, "{huge}");
        }
        assert_eq!(usable_secs(&Scalar::from("99999999999999")), None);
        let t = parse_datetime("2024-03-12 14:54:26").unwrap();
        assert_eq!(plus_secs(t, 4).unwrap().to_string(), "2024-03-12 14:54:30");
        assert_eq!(plus_secs(t, i64::MAX), None);
        assert_eq!(plus_secs(NaiveDateTime::MAX, 1), None);
    }

    #[test]
    fn datetimes_in_the_forms_seen() {
        let t = parse_datetime("2024-03-12 14:54:26").unwrap();
        assert_eq!(t.to_string(), "2024-03-12 14:54:26");
        assert_eq!(parse_datetime("2024-03-12T14:54:26"), Some(t));
        assert_eq!(parse_datetime(" 2024/03/12 14:54:26 "), Some(t));
        // A zone is kept as wall time, not converted.
        assert_eq!(parse_datetime("2024-03-12T14:54:26+08:00"), Some(t));
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(parse_datetime(""), None);
    }

    #[test]
    fn the_quick_read_agrees_with_the_format() {
        let by_format = |s: &str| NaiveDateTime::parse_from_str(s, DATETIME_FORMATS[0]).ok();
        let mut texts = vec![
            "2024-03-07 09:15:00".to_string(),
            "2024-02-29 23:59:59".into(),
            "2023-02-29 10:00:00".into(),
            "2024-13-01 10:00:00".into(),
            "2024-12-31 24:00:00".into(),
            "2024-12-31 23:59:60".into(),
            "0000-01-01 00:00:00".into(),
            "2024-1-07 09:15:000".into(),
            "2024-03-07T09:15:00".into(),
            "+024-03-07 09:15:00".into(),
        ];
        // Every digit in every place of one timestamp.
        let base = "2024-03-07 09:15:00";
        for i in 0..base.len() {
            for d in '0'..='9' {
                let mut t: Vec<char> = base.chars().collect();
                t[i] = d;
                texts.push(t.into_iter().collect());
            }
        }
        for t in &texts {
            assert_eq!(
                parse_datetime(t),
                by_format(t).or_else(|| parse_datetime_slowly(t)),
                "{t}"
            );
            if let Some(q) = plain_datetime(t) {
                assert_eq!(Some(q), by_format(t), "{t}");
            }
        }
    }

    /// [`parse_datetime`] without its quick read.
    fn parse_datetime_slowly(s: &str) -> Option<NaiveDateTime> {
        DATETIME_FORMATS
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .or_else(|| {
                DateTime::parse_from_rfc3339(s)
                    .ok()
                    .map(|t| t.naive_local())
            })
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-03-07"),
            NaiveDate::from_ymd_opt(2024, 3, 7)
        );
        assert_eq!(
            parse_date("2024-03-07 10:00:00"),
            NaiveDate::from_ymd_opt(2024, 3, 7)
        );
        assert_eq!(parse_date("07.03.2024"), None);
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("00:00:13"), Some(13));
        assert_eq!(parse_offset("01:02:03"), Some(3723));
        assert_eq!(parse_offset("02:03"), Some(123));
        assert_eq!(parse_offset("17"), Some(17));
        assert_eq!(parse_offset("00:00:13.750"), Some(13));
        assert_eq!(parse_offset("00:61:00"), None);
        assert_eq!(parse_offset("ab:cd"), None);
        assert_eq!(parse_offset(""), None);
        assert_eq!(parse_offset("1:2:3:4"), None);
    }

    #[test]
    fn formatting() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(75), "01:15");
        assert_eq!(clock(3723), "1:02:03");
        assert_eq!(human_duration(26), "26 s");
        assert_eq!(human_duration(245), "4 min 05 s");
        assert_eq!(human_duration(3720), "1 h 02 min");
        assert_eq!(human_duration(-5), "-5 s");
    }
}
