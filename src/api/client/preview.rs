//! A big answer's first part, shown while the rest arrives. A push is mostly its transcript
//! (`call.asr_result`): who the callee is, how the call went and the Q&A come before it, in
//! the first few percent of the bytes. Once the body is that far into the transcript, the
//! part before it is handed over, to be read as a document of its own with the transcript
//! (and whatever follows it) left out. On a slow line that is the difference between seeing
//! the callee at once and after the whole transcript; on loopback, between the first frame
//! waiting for 17 MB of fresh memory and not.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::Local;

use super::answer::{Answer, Exchange, interpret_with};
use crate::api::model::{ParseError, parse_head};
use crate::json::close::closers;
use crate::json::scan::{REDIALS_KEY, span_of};

/// Where a preview goes: called once, on the thread that reads the body, which waits for it
/// to return before it reads on ([`Preview::read`] takes a fraction of a millisecond).
pub type PreviewSink = Arc<dyn Fn(Preview) + Send + Sync>;

/// How far into the transcript the body must be before the part before it is handed over:
/// an array that long under `asr_result` is the transcript, not a short list that
/// happens to share its key.
pub(super) const INTO_TRANSCRIPT: usize = 64 * 1024;

/// Room kept after the part for the `[]` that stands in for the transcript and what closes
/// the text (a push is a few levels deep).
const ROOM: usize = 64;

/// The bytes of an answer up to its transcript (its redials left out), while the rest is
/// still arriving.
pub struct Preview {
    prefix: Vec<u8>,
    /// Where `[]` stands for the redials in it, when they were cut out.
    redials_at: Option<usize>,
    /// The bytes received before the transcript.
    pub received: usize,
    /// The size the answer announced.
    pub total: usize,
    url: String,
    status: u16,
    latency: Duration,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Preview({} of {} bytes)", self.prefix.len(), self.total)
    }
}

impl Preview {
    pub(crate) fn new(
        prefix: &[u8],
        total: usize,
        url: String,
        status: u16,
        latency: Duration,
    ) -> Self {
        // The redials before the transcript (hundreds of KiB of a big push) are left out as
        // the head is read, `[]` in their place: what is kept is a few KiB, which the
        // allocator has at hand. A copy of it all would ask the kernel for fresh memory,
        // and wait milliseconds for it while the body's own pages are being faulted in.
        let redials = span_of(prefix, REDIALS_KEY).filter(|r| r.len() > 2);
        let cut = redials.as_ref().map_or(0, |r| r.len() - 2);
        let mut text = Vec::with_capacity(prefix.len() - cut + ROOM);
        match &redials {
            Some(r) => {
                text.extend_from_slice(&prefix[..r.start]);
                text.extend_from_slice(b"[]");
                text.extend_from_slice(&prefix[r.end..]);
            }
            None => text.extend_from_slice(prefix),
        }
        Preview {
            prefix: text,
            redials_at: redials.map(|r| r.start),
            received: prefix.len(),
            total,
            url,
            status,
            latency,
        }
    }

    /// How many bytes of the answer it holds (its redials left out).
    pub fn len(&self) -> usize {
        self.prefix.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prefix.is_empty()
    }

    /// The answer as far as it came, read as [`super::interpret_for_screen`] reads a big
    /// one: everything before the transcript but the redials (their places are
    /// [`Answer::left_out`], in the text read here: the part, `[]` and what closes it).
    /// `None` when that text does not read as a push whose `call.asr_result` is where the
    /// prefix ends, or its envelope already says the lookup failed: the whole answer will
    /// tell.
    pub fn read(self) -> Option<Answer> {
        let Preview {
            mut prefix,
            redials_at,
            received: _,
            total: _,
            url,
            status,
            latency,
        } = self;
        let close = closers(&prefix)?;
        let at = prefix.len();
        prefix.extend_from_slice(b"[]");
        prefix.extend_from_slice(&close);
        let exchange = Exchange {
            url,
            status,
            latency,
            body: Bytes::from(prefix),
            received_at: Local::now(),
        };
        let answer = interpret_with(exchange, "", |text| {
            let (document, left_out) = parse_head(text)?;
            if left_out.transcript != Some(at..at + 2) {
                return Err(ParseError::WrongShape(
                    "the array cut short is not the transcript".into(),
                ));
            }
            // The array cut out must have been `call.redial_call`, not one under that key
            // elsewhere: that would show as sent empty.
            if let Some(r) = redials_at
                && left_out.redials != Some(r..r + 2)
            {
                return Err(ParseError::WrongShape(
                    "the array cut out is not the redials".into(),
                ));
            }
            Ok((document, left_out))
        });
        answer.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::scan::ListScan;

    fn preview_of(text: &str) -> Preview {
        let mut scan = ListScan::transcript();
        // The scan takes whole blocks of 64 bytes: some more of the (unfinished) last string.
        scan.feed(format!("{text}{}", " ".repeat(128)).as_bytes());
        let start = scan.inside().expect("inside the transcript");
        Preview::new(
            &text.as_bytes()[..start],
            text.len(),
            "http://127.0.0.1/x".into(),
            200,
            Duration::from_millis(3),
        )
    }

    #[test]
    fn a_push_cut_in_its_transcript_reads_as_its_head() {
        let whole = crate::generate::push(3000, 40, 6, 11);
        let cut = &whole[..whole.len() / 2];
        let preview = preview_of(cut);
        assert!(preview.len() < cut.len());
        let answer = preview.read().expect("a preview");
        let full = crate::api::client::interpret(Exchange::of_file(
            Bytes::from(whole.clone()),
            "f".into(),
            Local::now(),
        ))
        .unwrap();
        let (got, want) = (answer.data(), full.data());
        assert_eq!(got.callee, want.callee);
        assert_eq!(got.workflow_id, want.workflow_id);
        assert_eq!(got.call.question_answer, want.call.question_answer);
        assert_eq!(got.call.call_start_time, want.call.call_start_time);
        assert!(
            got.call.asr_result.items.is_empty(),
            "the transcript is not in it"
        );
        assert!(answer.left_out.transcript.is_some());
        assert!(
            answer.left_out.redials.is_some(),
            "the redials are left out too"
        );
        // Nothing after the transcript has come: the envelope's code and status follow it.
        assert_eq!(answer.code_status(), Some((String::new(), String::new())));
    }

    #[test]
    fn an_array_under_the_key_that_is_not_the_transcript_gives_none() {
        let text = r#"{"data": {"callee": {"name": "A"}, "extra": {"asr_result": [{"text": "a"}, {"text": "b"#;
        assert!(preview_of(text).read().is_none());
    }

    #[test]
    fn a_list_under_the_redials_key_elsewhere_is_not_cut_out_for_them() {
        let big = format!("[{}1]", "1, ".repeat(100));
        let text = format!(
            r#"{{"data": {{"callee": {{"callee_name": "A", "redial_call": {big}}}, "call": {{"redial_call": [{{"redial_seq": 1}}], "asr_result": [{{"text": "a"#
        );
        assert!(preview_of(&text).read().is_none());
        let text = format!(
            r#"{{"data": {{"callee": {{"callee_name": "A"}}, "call": {{"redial_call": {big}, "asr_result": [{{"text": "a"#
        );
        let answer = preview_of(&text).read().expect("the redials cut out");
        assert!(answer.left_out.redials.is_some());
    }

    #[test]
    fn an_envelope_that_already_says_it_failed_gives_none() {
        let text = r#"{"code": 500, "status": "ERROR", "data": {"callee": {"name": "A"}, "call": {"asr_result": [{"text": "a"#;
        assert!(preview_of(text).read().is_none());
        let ok = r#"{"code": 200, "data": {"callee": {"name": "A"}, "call": {"asr_result": [{"text": "a"#;
        assert!(preview_of(ok).read().is_some());
    }

    #[test]
    fn a_prefix_that_does_not_close_gives_none() {
        let p = Preview::new(
            br#"{"a": "open string"#,
            100,
            "u".into(),
            200,
            Duration::ZERO,
        );
        assert!(p.read().is_none());
    }
}
