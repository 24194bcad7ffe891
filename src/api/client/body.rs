//! Where an answer's body goes as it arrives: ordinary memory, or for a body announced as
//! big, memory of its own with the transcript scan run on each chunk.

use bytes::{Bytes, BytesMut};

use super::answer::SKIM_FROM;
use crate::json::scan::Scanned;

/// Where a body goes as it arrives.
pub(super) enum Body {
    Small(BytesMut),
    /// A body announced as large enough to be skimmed ([`SKIM_FROM`]), in memory of its own
    /// ([`crate::mapped::Filling`]); the scan runs on each chunk while it is in the cache.
    Big(crate::mapped::Filling, crate::json::scan::TranscriptScan),
}

impl Body {
    pub(super) fn for_length(announced: usize) -> Body {
        if announced >= SKIM_FROM
            && let Some(f) = crate::mapped::Filling::new(announced)
        {
            return Body::Big(f, crate::json::scan::TranscriptScan::new());
        }
        Body::Small(BytesMut::with_capacity(announced))
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Body::Small(b) => b.len(),
            Body::Big(f, _) => f.filled().len(),
        }
    }

    pub(super) fn push(&mut self, chunk: &[u8]) {
        match self {
            Body::Small(b) => b.extend_from_slice(chunk),
            Body::Big(f, scan) => {
                if f.push(chunk) {
                    scan.advance(f.filled());
                } else {
                    // More than announced: on in ordinary memory.
                    let mut b = BytesMut::with_capacity(f.filled().len() * 2);
                    b.extend_from_slice(f.filled());
                    b.extend_from_slice(chunk);
                    *self = Body::Small(b);
                }
            }
        }
    }

    pub(super) fn freeze(self) -> (Bytes, Scanned) {
        match self {
            Body::Small(b) => (b.freeze(), None),
            Body::Big(f, scan) => {
                let found = scan.finish(f.filled());
                (f.freeze(), Some(found))
            }
        }
    }
}
