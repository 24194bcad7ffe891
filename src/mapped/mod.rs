//! A file's bytes mapped into memory rather than copied, and a way to hand back the pages
//! already read: a 19 MB push then costs its pages only while they are being read (or
//! shown), not for the whole session. And the memory a big answer is read into from the
//! network ([`Filling`]), its pages faulted in ahead of the data ([`ahead`]).

use std::fs::File;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use memmap2::{Mmap, MmapMut, UncheckedAdvice};

mod ahead;

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

/// A buffer for a big body of known length, filled as it arrives: anonymous memory whose
/// pages a thread of its own faults in ahead of the data ([`ahead`]), in huge pages when
/// the host has them at hand.
pub struct Filling {
    map: MmapMut,
    len: usize,
    /// The thread faulting the pages in ahead of the data, while it runs.
    ahead: Option<Ahead>,
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
        let ahead = Ahead::start(&map);
        Some(Filling { map, len: 0, ahead })
    }

    /// Appends `chunk`; false (and nothing appended) when it does not fit.
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        let end = self.len + chunk.len();
        let Some(room) = self.map.get_mut(self.len..end) else {
            return false;
        };
        room.copy_from_slice(chunk);
        self.len = end;
        true
    }

    /// Room for up to `max` more bytes, to be written in place and then counted with
    /// [`Filling::advance`]: a body read from a socket straight into its memory.
    pub fn spare(&mut self, max: usize) -> &mut [u8] {
        let start = self.len;
        let end = start + max.min(self.map.len() - start);
        &mut self.map[start..end]
    }

    /// Counts `n` more bytes written into [`Filling::spare`].
    pub fn advance(&mut self, n: usize) {
        self.len = (self.len + n).min(self.map.len());
    }

    /// The bytes so far.
    pub fn filled(&self) -> &[u8] {
        &self.map[..self.len]
    }

    /// Calls `f` with the bytes so far while the pages are not being faulted in ahead: on
    /// two cores that thread, the one reading and the sender leave none for whatever `f`
    /// waits for (the first frame of an answer), and its calls hold the memory-map lock
    /// that a new thread or a big allocation must have.
    pub fn pausing_ahead<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        let _paused = self.ahead.as_ref().map(Ahead::pause);
        f(self.filled())
    }

    pub fn freeze(mut self) -> Bytes {
        // The pages are all there now: the thread has nothing left to do.
        if let Some(a) = self.ahead.take() {
            a.stop();
        }
        let len = self.len;
        let map = std::mem::replace(&mut self.map, MmapMut::map_anon(1).expect("one page"));
        Bytes::from_owner(Filled(map)).slice(..len)
    }
}

impl Drop for Filling {
    fn drop(&mut self) {
        if let Some(a) = self.ahead.take() {
            a.stop();
        }
    }
}

/// The thread faulting a buffer's pages in ahead of the data ([`ahead`]).
struct Ahead {
    stop: Arc<std::sync::atomic::AtomicBool>,
    /// Set while [`Filling::pausing_ahead`] runs: the thread waits between two calls.
    paused: Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

/// The thread paused while this lives.
struct Paused<'a>(&'a Ahead);

impl Drop for Paused<'_> {
    fn drop(&mut self) {
        self.0
            .paused
            .store(false, std::sync::atomic::Ordering::Release);
        self.0.thread.thread().unpark();
    }
}

impl Ahead {
    #[cfg(target_os = "linux")]
    fn start(map: &MmapMut) -> Option<Ahead> {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let (addr, len) = (map.as_ptr() as usize, map.len());
        let (flag, hold) = (stop.clone(), paused.clone());
        // Between two calls: waits while paused, then says whether to stop.
        let stopped = move || {
            while hold.load(Ordering::Acquire) && !flag.load(Ordering::Acquire) {
                std::thread::park();
            }
            flag.load(Ordering::Acquire)
        };
        let thread = std::thread::Builder::new()
            .name("fault-ahead".into())
            .spawn(move || {
                let region = ahead::huge_region(addr, len).filter(|_| ahead::huge_pages_allowed());
                let mut kernel = ahead::Madvise { addr };
                ahead::fault_in(&mut kernel, len, region, stopped);
            })
            .ok()?;
        Some(Ahead {
            stop,
            paused,
            thread,
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn start(_: &MmapMut) -> Option<Ahead> {
        None
    }

    /// Stops the thread and waits for it.
    fn stop(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Release);
        self.thread.thread().unpark();
        let _ = self.thread.join();
    }

    /// Pauses the thread (after the call it is in) until the guard is dropped.
    fn pause(&self) -> Paused<'_> {
        self.paused
            .store(true, std::sync::atomic::Ordering::Release);
        Paused(self)
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
    fn a_filling_faulted_in_ahead_holds_exactly_the_bytes_copied_in() {
        // Bigger than a step of the thread, copied in while it runs: populating writes
        // nothing, so every byte is the one copied.
        let content: Vec<u8> = (0..13 << 20).map(|i: u32| (i % 253) as u8).collect();
        for _ in 0..4 {
            let mut f = Filling::new(content.len()).unwrap();
            for chunk in content.chunks(300_001) {
                assert!(f.push(chunk));
            }
            assert_eq!(f.freeze(), content);
        }
        // Dropped unfrozen while the thread may still run: it is stopped first.
        let mut f = Filling::new(64 << 20).unwrap();
        assert!(f.push(b"x"));
        drop(f);
    }

    #[test]
    fn small_files_and_pipes_are_read_instead() {
        let path = std::env::temp_dir().join(format!("rudder-small-{}", std::process::id()));
        std::fs::write(&path, b"{}").unwrap();
        assert!(map(&File::open(&path).unwrap()).is_none());
        std::fs::remove_file(&path).unwrap();
    }
}
