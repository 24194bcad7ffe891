//! Where an answer's body goes as it arrives: ordinary memory, or for a body announced as
//! big, memory of its own.

use bytes::{Bytes, BytesMut};

use super::answer::SKIM_FROM;

/// Where a body goes as it arrives.
pub(super) enum Body {
    Small(BytesMut),
    /// A body announced as large enough to be skimmed ([`SKIM_FROM`]), in memory of its own
    /// ([`crate::mapped::Filling`]).
    Big(crate::mapped::Filling),
}

impl Body {
    pub(super) fn for_length(announced: usize) -> Body {
        if announced >= SKIM_FROM
            && let Some(f) = crate::mapped::Filling::new(announced)
        {
            return Body::Big(f);
        }
        Body::Small(BytesMut::with_capacity(announced))
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Body::Small(b) => b.len(),
            Body::Big(f) => f.filled().len(),
        }
    }

    pub(super) fn push(&mut self, chunk: &[u8]) {
        match self {
            Body::Small(b) => b.extend_from_slice(chunk),
            Body::Big(f) => {
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
            Body::Big(f) => Some(f.spare(max)).filter(|room| !room.is_empty()),
            Body::Small(_) => None,
        }
    }

    pub(super) fn advance(&mut self, n: usize) {
        if let Body::Big(f) = self {
            f.advance(n);
        }
    }

    /// The whole body. It is not scanned for its transcript here, chunk by chunk as it came:
    /// while a body arrives the server, the network thread and the faulting of the buffer's
    /// pages keep both cores busy, and the scan there cost twice what it costs after, when
    /// the answer is read ([`crate::api::model::parse_head`]; 1.2 ms for 17 MB; a query
    /// 1.40× curl's time chunk by chunk, 1.30× after).
    pub(super) fn freeze(self) -> Bytes {
        match self {
            Body::Small(b) => b.freeze(),
            Body::Big(f) => f.freeze(),
        }
    }
}
