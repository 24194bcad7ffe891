//! Where an answer's body goes as it arrives: ordinary memory, or for a body announced as
//! big, memory of its own, scanned for its transcript as it is read into it.

use bytes::{Bytes, BytesMut};

use super::answer::SKIM_FROM;
use super::preview::INTO_TRANSCRIPT;
use crate::json::scan::ListScan;

/// Called once a big body is [`INTO_TRANSCRIPT`] bytes into its transcript, with the bytes
/// before the transcript ([`super::preview`]).
pub(super) type Early = Box<dyn FnOnce(&[u8]) + Send>;

/// Where a body goes as it arrives.
pub(super) enum Body {
    Small(BytesMut),
    /// A body announced as large enough to be skimmed ([`SKIM_FROM`]), in memory of its own
    /// ([`crate::mapped::Filling`]), the transcript scan over what came so far, and what to
    /// call with the part before the transcript, until it is called.
    Big(crate::mapped::Filling, ListScan, Option<Early>),
}

impl Body {
    /// Room for a body announced as `announced` bytes; `early` is called if it turns out big
    /// and read into its own memory (not when pushed into it: [`Body::advance`]).
    pub(super) fn for_length(announced: usize, early: Option<Early>) -> Body {
        if announced >= SKIM_FROM
            && let Some(f) = crate::mapped::Filling::new(announced)
        {
            return Body::Big(f, ListScan::transcript(), early);
        }
        Body::Small(BytesMut::with_capacity(announced))
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Body::Small(b) => b.len(),
            Body::Big(f, ..) => f.filled().len(),
        }
    }

    pub(super) fn push(&mut self, chunk: &[u8]) {
        match self {
            Body::Small(b) => b.extend_from_slice(chunk),
            Body::Big(f, ..) => {
                if !f.push(chunk) {
                    // More than announced: on in ordinary memory.
                    let mut b = BytesMut::with_capacity(f.filled().len() * 2);
                    b.extend_from_slice(f.filled());
                    b.extend_from_slice(chunk);
                    *self = Body::Small(b);
                }
            }
        }
    }

    /// Room for up to `max` more bytes in the body's own memory, when it has some; the
    /// bytes written there are counted with [`Body::advance`].
    pub(super) fn spare(&mut self, max: usize) -> Option<&mut [u8]> {
        match self {
            Body::Big(f, ..) => Some(f.spare(max)).filter(|room| !room.is_empty()),
            Body::Small(_) => None,
        }
    }

    /// Counts `n` bytes written into [`Body::spare`], and scans them for the transcript: on
    /// the network thread between two reads, while the next bytes arrive, rather than after
    /// the last one, when the screen waits for it (1.2 ms for 17 MB).
    pub(super) fn advance(&mut self, n: usize) {
        if let Body::Big(f, scan, early) = self {
            f.advance(n);
            scan.feed(f.filled());
            if let Some(start) = scan.inside()
                && f.filled().len() - start >= INTO_TRANSCRIPT
                && let Some(call) = early.take()
            {
                f.pausing_ahead(|filled| call(&filled[..start]));
            }
        }
    }

    /// The whole body, and for a big one the transcript scan as far as it was fed (whoever
    /// reads the head finishes it; a body read whole drops it).
    pub(super) fn freeze(self) -> (Bytes, Option<ListScan>) {
        match self {
            Body::Small(b) => (b.freeze(), None),
            Body::Big(f, scan, _) => (f.freeze(), Some(scan)),
        }
    }
}
