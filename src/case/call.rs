//! The call's own times and the words for its hang-up type.

use chrono::NaiveDateTime;

use super::time::parse_datetime;
use crate::api::model::Call;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallTimes {
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
    /// Seconds from start to end, when both parse and end is not before start.
    pub duration: Option<i64>,
}

impl CallTimes {
    pub fn of(call: &Call) -> Self {
        let start = parse_datetime(call.call_start_time.show());
        let end = parse_datetime(call.call_end_time.show());
        let duration = match (start, end) {
            (Some(s), Some(e)) if e >= s => Some((e - s).num_seconds()),
            _ => None,
        };
        CallTimes {
            start,
            end,
            duration,
        }
    }

    /// Why there is no duration, when there is none.
    pub fn duration_gap(&self, call: &Call) -> Option<&'static str> {
        if self.duration.is_some() {
            return None;
        }
        Some(match (self.start, self.end) {
            (None, _) if !call.call_start_time.is_set() => "no start time",
            (_, None) if !call.call_end_time.is_set() => "no end time",
            (Some(_), Some(_)) => "end is before start",
            _ => "a time could not be read",
        })
    }
}

/// Plain words for a documented hang-up type; other values are shown as sent.
pub fn hangup_words(hangup_type: &str) -> Option<&'static str> {
    match hangup_type.trim() {
        "ByRobot" => Some("the robot ended the call"),
        "ByCallee" => Some("the callee hung up"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::Scalar;

    fn call(start: &str, end: &str) -> Call {
        Call {
            call_start_time: Scalar::from(start),
            call_end_time: Scalar::from(end),
            ..Call::default()
        }
    }

    #[test]
    fn duration_from_start_and_end() {
        let c = call("2024-03-12 14:54:26", "2024-03-12 14:54:52");
        let t = CallTimes::of(&c);
        assert_eq!(t.duration, Some(26));
        assert_eq!(t.duration_gap(&c), None);
        let c = call("2024-03-12 23:59:50", "2024-03-13 00:00:10");
        assert_eq!(CallTimes::of(&c).duration, Some(20));
    }

    #[test]
    fn no_duration_says_why() {
        let c = call("2024-03-12 14:54:26", "");
        assert_eq!(CallTimes::of(&c).duration_gap(&c), Some("no end time"));
        let c = call("2024-03-12 14:54:26", "2024-03-12 14:54:00");
        assert_eq!(
            CallTimes::of(&c).duration_gap(&c),
            Some("end is before start")
        );
        let c = call("soon", "2024-03-12 14:54:00");
        assert_eq!(
            CallTimes::of(&c).duration_gap(&c),
            Some("a time could not be read")
        );
    }

    #[test]
    fn hangup_explanations() {
        assert_eq!(hangup_words("ByRobot"), Some("the robot ended the call"));
        assert_eq!(hangup_words("ByCallee"), Some("the callee hung up"));
        assert_eq!(hangup_words("Timeout"), None);
    }
}
