//! Domain derivations from a push, with no terminal in them: times and durations, the
//! profile's money and dates, the redial timeline, the Q&A tally, transcript turns, and the
//! Markdown case report.

pub(crate) mod call;
pub(crate) mod diff;
pub(crate) mod profile;
pub(crate) mod ptp;
pub(crate) mod qa;
pub(crate) mod redials;
pub mod report;
pub(crate) mod time;
pub mod transcript;

use crate::api::Data;

/// Everything derived from one push, computed once when it arrives.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub call: call::CallTimes,
    pub timeline: redials::Timeline,
    pub tally: qa::Tally,
    pub transcript: transcript::Transcript,
    /// Keys the push sent more than once in one object (the last value is the one read).
    pub repeated: Vec<crate::api::tolerant::RepeatedKey>,
}

impl CaseFacts {
    pub fn derive(data: &Data) -> Self {
        let call = call::CallTimes::of(&data.call);
        CaseFacts {
            timeline: redials::Timeline::build(data, &call),
            tally: qa::Tally::of(&data.call.question_answer.items),
            transcript: transcript::Transcript::build(&data.call.asr_result.items, call.duration),
            repeated: crate::api::tolerant::Repeats::repeated_keys(data),
            call,
        }
    }
}
