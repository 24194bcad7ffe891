//! A file's bytes mapped into memory rather than copied, and a way to hand back the pages
//! already read: a 19 MB push then costs its pages only while they are being read (or
//! shown), not for the whole session.

use std::fs::File;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use memmap2::{Mmap, MmapMut, UncheckedAdvice};

/// Smaller files are read: mapping them saves nothing.
const MAP_FROM: u64 = 1 << 20;

/// The map as the body's owner.
struct Shared(Arc<Mmap>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Lets go of the resident pages of a mapped file's range; reading them again faults them
/// back in from the page cache.
#[derive(Clone)]
pub struct Pages(Arc<Mmap>);

impl Pages {
    /// Drops the pages wholly inside `range` (byte offsets in the file).
    pub fn release(&self, range: Range<usize>) {
        const PAGE: usize = 4096;
        let start = range.start.div_ceil(PAGE) * PAGE;
        let end = range.end.min(self.0.len()) / PAGE * PAGE;
        if start < end {
            // SAFETY: the map is private and read-only and the file is not written through
            // it, so dropped pages read back as the file's bytes: any `&[u8]` into it sees
            // the same bytes afterwards. The caller's only risk is a file changed under it,
            // which `Mmap` already carries.
            let _ = unsafe {
                self.0
                    .unchecked_advise_range(UncheckedAdvice::DontNeed, start, end - start)
            };
        }
    }
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Pages({} bytes)", self.0.len())
    }
}

impl PartialEq for Pages {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// `file` mapped, with the handle to its pages, when it is a regular file large enough
/// for that to pay; `None` says read it instead.
pub fn map(file: &File) -> Option<(Bytes, Pages)> {
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() < MAP_FROM {
        return None;
    }
    // SAFETY: a file changed by another process while mapped shows its new bytes (or
    // faults if truncated); a push being inspected is not being written.
    let map = Arc::new(unsafe { Mmap::map(file) }.ok()?);
    let pages = Pages(map.clone());
    Some((Bytes::from_owner(Shared(map)), pages))
}

/// A buffer for a big body of known length, filled as it arrives: anonymous memory asked
/// for in huge pages, so 17 MB cost a handful of page faults instead of four thousand (on
/// loopback those faults were a third of the time to read the body).
///
/// In a virtual machine a huge page can be one the host took back; faulting it in again
/// then costs ~5 ms instead of 0.1. The first such fault turns the rest of the buffer to
/// ordinary pages, which come from memory the guest used last.
pub struct Filling {
    map: MmapMut,
    len: usize,
    /// Huge pages are still asked for past `len`.
    huge: bool,
}
struct Filled(MmapMut);

impl AsRef<[u8]> for Filled {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Filling {
    /// Room for `capacity` bytes; `None` when the memory cannot be had that way.
    pub fn new(capacity: usize) -> Option<Self> {
        let map = MmapMut::map_anon(capacity.max(1)).ok()?;
        // Only advice: without huge pages the buffer still works, a page at a time.
        #[cfg(target_os = "linux")]
        let huge = map.advise(memmap2::Advice::HugePage).is_ok();
        #[cfg(not(target_os = "linux"))]
        let huge = false;
        Some(Filling { map, len: 0, huge })
    }

    /// A copy into one new huge page takes well under this when the page is at hand.
    const SLOW_COPY: std::time::Duration = std::time::Duration::from_millis(2);
    const HUGE_PAGE: usize = 2 << 20;

    /// Appends `chunk`; false (and nothing appended) when it does not fit.
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        let end = self.len + chunk.len();
        let Some(room) = self.map.get_mut(self.len..end) else {
            return false;
        };
        let started = self.huge.then(std::time::Instant::now);
        room.copy_from_slice(chunk);
        self.len = end;
        if started.is_some_and(|t| t.elapsed() > Self::SLOW_COPY) {
            self.ordinary_pages_on();
        }
        true
    }

    /// Ordinary pages from the next huge page's place on.
    fn ordinary_pages_on(&mut self) {
        self.huge = false;
        #[cfg(target_os = "linux")]
        {
            let from = self
                .len
                .next_multiple_of(Self::HUGE_PAGE)
                .min(self.map.len());
            let _ = self
                .map
                .advise_range(memmap2::Advice::NoHugePage, from, self.map.len() - from);
        }
    }

    /// The bytes so far.
    pub fn filled(&self) -> &[u8] {
        &self.map[..self.len]
    }

    pub fn freeze(self) -> Bytes {
        let len = self.len;
        Bytes::from_owner(Filled(self.map)).slice(..len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_pages_read_back_as_the_file() {
        let path = std::env::temp_dir().join(format!("rudder-mapped-{}", std::process::id()));
        let content: Vec<u8> = (0..3 << 20).map(|i: u32| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let file = File::open(&path).unwrap();
        let (bytes, pages) = map(&file).expect("a 3 MiB file is mapped");
        assert_eq!(&bytes[..], &content[..]);
        pages.release(0..bytes.len());
        pages.release(5..1_000_000);
        pages.release(4096..4097); // less than a page: nothing
        assert_eq!(&bytes[..], &content[..]);
        drop(pages);
        assert_eq!(bytes.len(), content.len(), "the body outlives the handle");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_filling_holds_what_fits_and_refuses_the_rest() {
        let mut f = Filling::new(10).unwrap();
        assert!(f.push(b"hello"));
        assert!(f.push(b""));
        assert!(!f.push(b"world!"), "11 bytes do not fit in 10");
        assert!(f.push(b"world"));
        assert!(!f.push(b"x"));
        assert_eq!(f.filled(), b"helloworld");
        assert_eq!(&f.freeze()[..], b"helloworld");
        let mut short = Filling::new(3 << 20).unwrap();
        assert!(short.push(b"{}"));
        let bytes = short.freeze();
        assert_eq!(
            &bytes[..],
            b"{}",
            "a body shorter than announced is cut to what came"
        );
        assert!(Filling::new(0).unwrap().freeze().is_empty());
    }

    #[test]
    fn a_filling_turned_to_ordinary_pages_holds_the_same_bytes() {
        let content: Vec<u8> = (0..5 << 20).map(|i: u32| (i % 253) as u8).collect();
        let mut f = Filling::new(content.len()).unwrap();
        for (i, chunk) in content.chunks(300_001).enumerate() {
            assert!(f.push(chunk));
            if i == 3 {
                // As after a slow huge page: the rest of the buffer in ordinary pages.
                f.ordinary_pages_on();
                assert!(!f.huge);
            }
        }
        assert_eq!(f.freeze(), content);
    }

    #[test]
    fn small_files_and_pipes_are_read_instead() {
        let path = std::env::temp_dir().join(format!("rudder-small-{}", std::process::id()));
        std::fs::write(&path, b"{}").unwrap();
        assert!(map(&File::open(&path).unwrap()).is_none());
        std::fs::remove_file(&path).unwrap();
    }
}
