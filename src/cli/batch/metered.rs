//! The CSV's bytes on their way to the parser, bounded and numbered: no record (with the blank
//! lines before it) may run past [`MAX_ROW`] bytes, and the bytes since the latest record's
//! start are kept, so that each record's line can be counted without holding the file.

use std::io::{self, Read};

/// The longest header or row, blank lines before it included.
pub(super) const MAX_ROW: u64 = 1 << 20;

/// The refusal of a record longer than [`MAX_ROW`], carried as an I/O error through the parser.
#[derive(Debug)]
struct TooLong;

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "longer than {}", crate::api::error::human_bytes(MAX_ROW))
    }
}

impl std::error::Error for TooLong {}

/// Whether the parser stopped because a record ran past [`MAX_ROW`].
pub(super) fn too_long(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TooLong>())
}

pub(super) struct Metered<R> {
    inner: R,
    /// The bytes read from `base` on.
    seen: Vec<u8>,
    /// The offset of `seen[0]`: the start of the latest record numbered.
    base: u64,
    /// The line `base` is on (1 for the first).
    line: u64,
    /// No byte at or past this offset is read.
    end: u64,
}

impl<R> Metered<R> {
    pub(super) fn new(inner: R) -> Self {
        Metered {
            inner,
            seen: Vec::new(),
            base: 0,
            line: 1,
            end: MAX_ROW,
        }
    }

    /// The line of the record that starts at byte `at` (at or after the previous record
    /// numbered): the bytes before it are counted and let go.
    pub(super) fn line_at(&mut self, at: u64) -> u64 {
        let mut to = usize::try_from(at.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.seen.len());
        // The parser places a record after blank lines at the first of them.
        while self
            .seen
            .get(to)
            .is_some_and(|b| matches!(b, b'\n' | b'\r'))
        {
            to += 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.seen[..to]).count() as u64;
        self.seen.drain(..to);
        self.base += to as u64;
        self.line
    }

    /// The next record starts at byte `at`: it may read up to [`MAX_ROW`] bytes from there.
    pub(super) fn allow_from(&mut self, at: u64) {
        self.end = at.saturating_add(MAX_ROW);
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let at = self.base + self.seen.len() as u64;
        let room = self.end.saturating_sub(at);
        if room == 0 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, TooLong));
        }
        let n = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..n])?;
        self.seen.extend_from_slice(&buf[..got]);
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_past_the_bound_and_lines_are_counted() {
        let mut m = Metered::new(io::repeat(b'\n'));
        let mut sink = Vec::new();
        let e = io::copy(&mut m, &mut sink).unwrap_err();
        assert!(too_long(&e), "{e}");
        assert_eq!(sink.len() as u64, MAX_ROW);
        assert!(m.seen.len() as u64 <= MAX_ROW);
        // Blank lines before a record belong to it.
        assert_eq!(m.line_at(0), MAX_ROW + 1);
        assert!(m.seen.is_empty());
        m.allow_from(MAX_ROW);
        assert_eq!(m.read(&mut [0; 4]).unwrap(), 4);
    }
}
