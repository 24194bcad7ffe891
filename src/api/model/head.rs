//! A big push read in two steps: the head at once, without the transcript and the redials,
//! and those lists later, off the UI thread, as one read would have read them.

use std::ops::Range;

use super::document::{Document, ParseError, parse_document};
use super::push::{AsrItem, RedialCall};
use crate::api::tolerant::{AcceptKeys, List, read_list, skip_lists};
use crate::json::scan::{ListScan, REDIALS_KEY, deepest_in, span_of};

/// Where the lists a skim left unread lie in the body: the transcript (`call.asr_result`)
/// and the redials (`call.redial_call`), what a big push is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub transcript: Option<Range<usize>>,
    pub redials: Option<Range<usize>>,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        self.transcript.is_none() && self.redials.is_none()
    }

    /// The places a skimmed document's lists say they were left out.
    fn of(doc: &Document) -> LeftOut {
        doc.data()
            .map(|d| LeftOut {
                transcript: d.call.asr_result.left_out.clone(),
                redials: d.call.redial_call.left_out.clone(),
            })
            .unwrap_or_default()
    }
}

/// [`parse_document`] without its two big lists: `call.asr_result` and `call.redial_call`
/// are left empty, and where their values lie in `bytes` comes back beside the document
/// for [`complete`] to read later (off the UI thread), so the rest of a big push is on
/// screen at once.
///
/// Where the transcript is comes from a scan of the text's structure ([`crate::json::scan`]);
/// the text without that span is read, and the span is taken only if the read puts it
/// exactly where `call.asr_result` goes. The transcript's own text is then checked when it
/// is read. Should the scan find nothing usable, serde_json skips the transcript as it
/// reads the whole text (checking it is well-formed on the way, nesting aside), which
/// costs three times as much. The redials are skipped by serde_json either way.
pub fn parse_head(bytes: &[u8]) -> Result<(Document, LeftOut), ParseError> {
    parse_head_scanned(bytes, None)
}

/// [`parse_head`] with the transcript scan as far as it ran while the bytes arrived: it is
/// finished over the rest.
pub(crate) fn parse_head_scanned(
    bytes: &[u8],
    scan: Option<ListScan>,
) -> Result<(Document, LeftOut), ParseError> {
    let span = scan.unwrap_or_else(ListScan::transcript).finish(bytes);
    if let Some(span) = span.filter(|s| s.end <= bytes.len() && s.len() >= 2)
        && let Some(read) = parse_without(bytes, span)
    {
        return Ok(read);
    }
    parse_skipping(bytes)
}

/// The document read from `bytes` with the transcript's `span` (an array), and the redials'
/// array when a scan finds it outside that span, replaced by `[]` each, if that is where
/// they go: serde_json then reads a few KiB instead of skipping half a MiB of redials.
fn parse_without(bytes: &[u8], span: Range<usize>) -> Option<(Document, LeftOut)> {
    if let Some(redials) = redials_outside(bytes, &span)
        && let Some(read) = parse_cut(bytes, &span, Some(redials))
    {
        return Some(read);
    }
    parse_cut(bytes, &span, None)
}

/// The largest array that is the value of a `redial_call` key before or after `transcript`.
fn redials_outside(bytes: &[u8], transcript: &Range<usize>) -> Option<Range<usize>> {
    let before = span_of(bytes.get(..transcript.start)?, REDIALS_KEY);
    // Right after the transcript's `]` is outside any string: the scan starts there.
    let after = span_of(bytes.get(transcript.end..)?, REDIALS_KEY)
        .map(|r| r.start + transcript.end..r.end + transcript.end);
    match (before, after) {
        (Some(a), Some(b)) => Some(if b.len() > a.len() { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// [`parse_without`] with the transcript cut out, and `redials` too when given.
fn parse_cut(
    bytes: &[u8],
    transcript: &Range<usize>,
    redials: Option<Range<usize>>,
) -> Option<(Document, LeftOut)> {
    let mut cuts: Vec<Range<usize>> = std::iter::once(transcript.clone())
        .chain(redials.clone())
        .collect();
    cuts.sort_by_key(|c| c.start);
    if cuts.windows(2).any(|w| w[0].end > w[1].start) {
        return None;
    }
    let cut_len: usize = cuts.iter().map(|c| c.len() - 2).sum();
    let mut rest = Vec::with_capacity(bytes.len() - cut_len);
    // Where each cut's `[]` is in `rest`, in the order of `cuts`.
    let mut placed = Vec::with_capacity(cuts.len());
    let mut at = 0;
    for c in &cuts {
        rest.extend_from_slice(&bytes[at..c.start]);
        placed.push(rest.len()..rest.len() + 2);
        rest.extend_from_slice(b"[]");
        at = c.end;
    }
    rest.extend_from_slice(&bytes[at..]);
    let (mut doc, left_out) = parse_skipping(&rest).ok()?;
    let place_of = |span: &Range<usize>| {
        let i = cuts.iter().position(|c| c == span)?;
        placed.get(i).cloned()
    };
    if left_out.transcript != place_of(transcript) {
        return None;
    }
    let redials = match redials {
        Some(r) if left_out.redials == place_of(&r) => Some(r),
        Some(_) => return None,
        // Skipped by serde_json in `rest`: that far on in `bytes` as the cuts before it.
        None => left_out.redials.map(|r| {
            let shift: usize = cuts
                .iter()
                .zip(&placed)
                .filter(|(_, p)| p.end <= r.start)
                .map(|(c, _)| c.len() - 2)
                .sum();
            r.start + shift..r.end + shift
        }),
    };
    let call = &mut doc.data_mut()?.call;
    call.asr_result.left_out = Some(transcript.clone());
    call.redial_call.left_out = redials.clone();
    Some((
        doc,
        LeftOut {
            transcript: Some(transcript.clone()),
            redials,
        },
    ))
}

/// [`parse_head`] by serde_json alone: it skips the lists' text (checking it).
fn parse_skipping(bytes: &[u8]) -> Result<(Document, LeftOut), ParseError> {
    let doc = skip_lists::<AsrItem, RedialCall, _>(bytes, || parse_document(bytes))?;
    let left_out = LeftOut::of(&doc);
    Ok((doc, left_out))
}

/// The transcript left out by [`parse_head`]: the value at `range` of the same `bytes`, read
/// as `call.asr_result` would have been. `consumed(n)` is told now and then that the first
/// `n` bytes of the range are read.
pub fn read_transcript(
    bytes: &[u8],
    range: Range<usize>,
    consumed: impl FnMut(usize),
) -> Result<List<AsrItem>, ParseError> {
    read_left_out(bytes, range, consumed)
}

fn read_left_out<T: AcceptKeys + serde::de::DeserializeOwned + 'static>(
    bytes: &[u8],
    range: Range<usize>,
    consumed: impl FnMut(usize),
) -> Result<List<T>, ParseError> {
    let text = bytes
        .get(range)
        .and_then(|b| std::str::from_utf8(b).ok())
        .ok_or_else(|| ParseError::NotJson("a list is not where it was".into()))?;
    read_list(text, consumed).map_err(|e| ParseError::NotJson(e.to_string()))
}

/// What [`parse_document`] gives for `bytes`, from `head` and the lists [`parse_head`] left
/// out (`complete_partly`, keeping only the outcome).
pub fn complete(
    bytes: &[u8],
    head: Document,
    left_out: &LeftOut,
    done: impl FnMut(Range<usize>),
) -> Result<Document, ParseError> {
    match complete_partly(bytes, head, left_out, done) {
        (document, Ok(())) => Ok(document),
        (_, Err(e)) => Err(e),
    }
}

/// The lists [`parse_head`] left out, read into `head`. Should one not read (the text is
/// not well-formed after all, or nests deeper than serde_json goes from the top), the whole
/// text is read the usual way: its document if it reads, else `head` with the lists that
/// did read, and the whole read's error. `done(range)` is told now and then of a range of
/// `bytes` read through, which the caller may let go of (a mapped file's pages).
pub(crate) fn complete_partly(
    bytes: &[u8],
    mut head: Document,
    left_out: &LeftOut,
    mut done: impl FnMut(Range<usize>),
) -> (Document, Result<(), ParseError>) {
    /// serde_json's limit: a container this deep (from the top) is refused.
    const TOO_DEEP: usize = 128;
    let fits = |r: &Range<usize>, done: &mut dyn FnMut(Range<usize>)| {
        deepest_in(bytes, r.clone(), |upto| done(0..upto)) < TOO_DEEP
    };
    let mut whole = true;
    if let Some(data) = head.data_mut() {
        if let Some(r) = &left_out.redials {
            match read_left_out(bytes, r.clone(), |_| ()) {
                Ok(list) if fits(r, &mut done) => data.call.redial_call = list,
                _ => whole = false,
            }
        }
        if let Some(r) = &left_out.transcript {
            match read_left_out(bytes, r.clone(), |n| done(r.start..r.start + n)) {
                Ok(list) if fits(r, &mut done) => data.call.asr_result = list,
                _ => whole = false,
            }
        }
    } else {
        whole = left_out.is_empty();
    }
    if whole {
        return (head, Ok(()));
    }
    match parse_document(bytes) {
        Ok(document) => (document, Ok(())),
        Err(e) => (head, Err(e)),
    }
}

#[cfg(test)]
mod head_tests {
    use super::*;

    /// The head and the lists read apart make the same document as one read.
    fn same_as_whole(json: &str) {
        let whole = parse_document(json.as_bytes()).unwrap();
        let (head, left_out) = parse_head(json.as_bytes()).unwrap();
        let mut told = Vec::new();
        let read = complete(json.as_bytes(), head, &left_out, |n| told.push(n)).unwrap();
        if let Some(range) = &left_out.transcript {
            // Everything read through is told, the transcript's range to its end.
            assert!(told.iter().any(|r| r.end == range.end), "{json}: {told:?}");
            assert!(told.iter().all(|r| r.end <= json.len()), "{json}: {told:?}");
            // Read where it was said to be, not by the whole read `complete` falls back to.
            read_transcript(json.as_bytes(), range.clone(), |_| ()).unwrap();
        }
        if let Some(range) = &left_out.redials {
            read_left_out::<RedialCall>(json.as_bytes(), range.clone(), |_| ()).unwrap();
        }
        assert_eq!(read, whole, "{json}");
    }

    #[test]
    fn head_then_transcript_equals_one_read() {
        for json in [
            r#"{"data":{"call":{"asr_result":[{"time":"00:00:01","robottext":"hi","text":""},null,5,{"text":"é \u00e9"}],"call_id":"c"}},"code":200}"#,
            r#"{"call":{"call_id":"c","asr_result":"[{\"text\":\"encoded\"}]"}}"#,
            r#"{"call":{"asr_result":""}}"#,
            r#"{"call":{"asr_result":null,"x":1}}"#,
            r#"{"call":{"asr_result":{"text":"a lone object"}}}"#,
            r#"{"call":{"asr_result":[]}}"#,
            r#"{"call":{"asr_result":[{"text":"first"}],"asr_result":[{"text":"last wins"}]}}"#,
            r#"{"data":"{\"call\":{\"asr_result\":[{\"text\":\"in a string\"}]}}","code":200}"#,
            r#"{"data":[{"call":{"asr_result":[{"text":"one-item list"}]}}],"code":200}"#,
            r#"{"callee":{"callee_name":"no call"}}"#,
            "\u{feff}{\"call\":{\"asr_result\":[{\"text\":\"after a BOM\"}]}}",
        ] {
            same_as_whole(json);
        }
    }

    /// Found by the fuzzer: a later duplicate `call` without `asr_result` replaces the first,
    /// and the transcript skimmed in the first must not reappear in it.
    #[test]
    fn a_duplicate_parent_takes_its_left_out_transcript_with_it() {
        same_as_whole(
            r#"{"call":{"asr_result":[{"text":"first call"}],"call_id":"a"},"call":{"call_id":"b"}}"#,
        );
        same_as_whole(r#"{"call":{"call_id":"a"},"call":{"asr_result":[{"text":"second call"}]}}"#);
        same_as_whole(
            r#"{"data":{"call":{"asr_result":[{"text":"x"}]}},"data":{"call":{}},"code":200}"#,
        );
    }

    #[test]
    fn a_broken_transcript_fails_the_head_or_its_reading() {
        // Unclosed: no span is found, and serde_json's skim fails.
        assert!(parse_head(br#"{"call":{"asr_result":[{"text":"open"#).is_err());
        // Closed but broken: the head reads, the transcript does not, and completing the
        // document gives the whole read's error.
        let text = br#"{"call":{"asr_result":[1,]}}"#;
        let (head, left_out) = parse_head(text).unwrap();
        assert_eq!(left_out.transcript, Some(22..26));
        assert!(read_transcript(text, 22..26, |_| ()).is_err());
        assert_eq!(
            complete(text, head, &left_out, |_| ()),
            Err(parse_document(text).unwrap_err())
        );
    }

    #[test]
    fn the_redials_are_left_out_before_and_after_the_transcript() {
        let redials = r#"[{"call_id":"r1","ring_time":"12"},{"call_id":"r2","ring_time":3}]"#;
        for json in [
            format!(r#"{{"call":{{"redial_call":{redials},"asr_result":[{{"text":"a"}}]}}}}"#),
            format!(r#"{{"call":{{"asr_result":[{{"text":"a"}}],"redial_call":{redials}}}}}"#),
            r#"{"call":{"redial_call":"","asr_result":[{"text":"a"}]}}"#.to_string(),
            format!(r#"{{"call":{{"redial_call":{redials}}}}}"#),
            // Decoys: a larger array under the same key elsewhere, the key in a turn's text.
            format!(
                r#"{{"callee":{{"redial_call":[{redials},{redials}]}},"call":{{"redial_call":{redials},"asr_result":[{{"text":"a"}}]}}}}"#
            ),
            format!(
                r#"{{"call":{{"asr_result":[{{"text":"\"redial_call\": [1]"}}],"redial_call":{redials}}}}}"#
            ),
        ] {
            let (head, left_out) = parse_head(json.as_bytes()).unwrap();
            let range = left_out.redials.clone().expect("the redials are left out");
            assert!(json[range].starts_with(['[', '"']), "{json}");
            assert!(head.data().unwrap().call.redial_call.items.is_empty());
            same_as_whole(&json);
        }
    }

    #[test]
    fn a_push_s_redials_are_cut_out_with_its_transcript() {
        let push = crate::generate::push(50, 20, 3, 1);
        let bytes = push.as_bytes();
        let transcript = crate::json::scan::transcript_span(bytes).unwrap();
        let redials = redials_outside(bytes, &transcript).expect("found by the scan");
        assert!(
            push[redials.clone()].starts_with('['),
            "{}",
            &push[redials.clone()][..40]
        );
        let cut = parse_cut(bytes, &transcript, Some(redials.clone())).expect("both cut");
        assert_eq!(cut.1.redials, Some(redials));
        assert_eq!(Some(cut), parse_cut(bytes, &transcript, None));
        // An array that is not the call's redials is not taken for them.
        let decoy = r#"{"callee":{"redial_call":[1,2]},"call":{"asr_result":[]}}"#;
        let t = crate::json::scan::transcript_span(decoy.as_bytes()).unwrap();
        let r = redials_outside(decoy.as_bytes(), &t).unwrap();
        assert_eq!(parse_cut(decoy.as_bytes(), &t, Some(r)), None);
        same_as_whole(decoy);
    }

    #[test]
    fn lists_nested_to_serde_json_s_limit_complete_as_the_whole_read_does() {
        for list in ["redial_call", "asr_result"] {
            for depth in [120, 123, 124, 125, 126, 130] {
                let json = format!(
                    r#"{{"call":{{"{list}":[{{"x":{}{}}}]}}}}"#,
                    "[".repeat(depth),
                    "]".repeat(depth)
                );
                let whole = parse_document(json.as_bytes());
                let (head, left_out) = parse_head(json.as_bytes()).unwrap();
                assert!(!left_out.is_empty());
                assert_eq!(
                    complete(json.as_bytes(), head, &left_out, |_| ()),
                    whole,
                    "{list} {depth}"
                );
            }
        }
    }

    #[test]
    fn a_broken_transcript_keeps_the_redials_that_read() {
        let text =
            br#"{"call":{"call_id":"c","redial_call":[{"call_id":"r1"}],"asr_result":[1,]}}"#;
        let (head, left_out) = parse_head(text).unwrap();
        let (partly, outcome) = complete_partly(text, head, &left_out, |_| ());
        assert_eq!(outcome, Err(parse_document(text).unwrap_err()));
        let call = &partly.data().unwrap().call;
        assert_eq!(call.redial_call.items.len(), 1);
        assert!(call.asr_result.items.is_empty());
    }

    #[test]
    fn the_scanned_span_is_used_only_where_the_transcript_goes() {
        // A larger `asr_result` array elsewhere: the span is checked and not taken.
        for text in [
            r#"{"call":{"asr_result":[{"text":"a"}]},"other":{"asr_result":[1,2,3,4,5,6,7,8]}}"#,
            r#"{"call":{"asr_result":[{"text":"a"}]},"call":{"asr_result":[{"text":"bb"},{"text":"c"}]}}"#,
            r#"{"call":{"asr_result":[{"text":"a"},{"text":"b"},{"text":"c"}]},"call":{"call_id":"x"}}"#,
        ] {
            same_as_whole(text);
        }
    }

    #[test]
    fn a_long_transcript_is_told_consumed_in_steps() {
        let turn = format!(
            r#"{{"time":"00:00:01","robottext":"{}","text":""}}"#,
            "x".repeat(1000)
        );
        let json = format!(
            r#"{{"call":{{"asr_result":[{}]}}}}"#,
            vec![turn; 3000].join(",")
        );
        let (_, left_out) = parse_head(json.as_bytes()).unwrap();
        let range = left_out.transcript.unwrap();
        let mut told = Vec::new();
        let list = read_transcript(json.as_bytes(), range.clone(), |n| told.push(n)).unwrap();
        assert_eq!(list.len(), 3000);
        assert!(told.len() >= 3, "{told:?}");
        assert!(told.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(told.last(), Some(&range.len()));
    }
}
