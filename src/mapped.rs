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

/// A buffer for a big body of known length, filled as it arrives: anonymous memory whose
/// pages a thread of its own faults in ahead of the data ([`Ahead`]), in huge pages when
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

/// Whether transparent huge pages may be asked for (`madvise` or `always`): when they are
/// off, the page tried would come as ordinary pages and say nothing about the host.
#[cfg(target_os = "linux")]
fn huge_pages_allowed() -> bool {
    std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .is_ok_and(|s| !s.contains("[never]"))
}

impl Drop for Filling {
    fn drop(&mut self) {
        if let Some(a) = self.ahead.take() {
            a.stop();
        }
    }
}

/// Faults a new buffer's pages in on a thread of its own, ahead of the data copied into it
/// (`MADV_POPULATE_WRITE`): on loopback the page faults of a 17 MB body were a third of the
/// time it takes to read it, and the network thread now finds its pages there. Nothing is
/// written: the kernel maps zeroed pages the way a first write would.
///
/// Ordinary pages come 64 KiB at a call: the call holds the process's memory-map lock, and
/// at 4 MiB a call, on a host slow to hand pages back, the network thread waited
/// milliseconds for it. Past the first 4 MiB one huge page is tried: in this virtual machine
/// 2 MiB of huge page takes ~0.2 ms when the host has it at hand, against ~1 ms as ordinary
/// pages, but ~4.6 ms when the host took it back (as after a while idle), which made a
/// query's time bimodal when huge pages were always asked for. So the rest of the buffer is
/// in huge pages only if that one came quickly, and in ordinary pages otherwise.
struct Ahead {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Ahead {
    const STEP: usize = 64 << 10;
    const HUGE: usize = 2 << 20;
    /// The first bytes arrive at once: ordinary pages up to here, before a huge page is
    /// tried.
    const TRY_HUGE_AFTER: usize = 4 << 20;
    /// A huge page faulted in slower than this is one the host had to find (~0.2 ms when
    /// at hand, ~4.6 ms when not). A try slowed by a busy core also lands past it: ordinary
    /// pages then, as before huge pages were tried.
    const SLOW_HUGE: std::time::Duration = std::time::Duration::from_micros(500);

    /// Where a huge page is tried in a buffer at `addr`, `len` bytes long, as an offset into
    /// it: the first 2 MiB boundary past the first bytes, if a whole huge page fits after it.
    fn huge_at(addr: usize, len: usize) -> Option<usize> {
        let at = addr
            .checked_add(Self::TRY_HUGE_AFTER)?
            .checked_next_multiple_of(Self::HUGE)?
            - addr;
        (at.checked_add(Self::HUGE)? <= len).then_some(at)
    }

    #[cfg(target_os = "linux")]
    fn start(map: &MmapMut) -> Option<Ahead> {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let (addr, len) = (map.as_ptr() as usize, map.len());
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("fault-ahead".into())
            .spawn(move || {
                // SAFETY (both): the range lies in the mapping, which `stop` (called before
                // the mapping is unmapped or handed on) waits for this thread to leave;
                // populating writes no byte, so the data copied in meanwhile stays, and
                // advice on huge pages changes how pages are backed, not what they hold.
                let advise = |at: usize, n: usize, advice| unsafe {
                    libc::madvise((addr + at) as *mut libc::c_void, n, advice) == 0
                };
                let populate = |at, n| advise(at, n, libc::MADV_POPULATE_WRITE);
                let huge_at = Self::huge_at(addr, len).filter(|_| huge_pages_allowed());
                let mut try_huge = huge_at.is_some();
                let huge_at = huge_at.unwrap_or(len);
                let mut step = Self::STEP;
                let mut at = 0;
                while at < len && !flag.load(Ordering::Acquire) {
                    if try_huge && at == huge_at {
                        try_huge = false;
                        advise(at, len - at, libc::MADV_HUGEPAGE);
                        let started = std::time::Instant::now();
                        if !populate(at, Self::HUGE) {
                            break;
                        }
                        let took = started.elapsed();
                        tracing::debug!(?took, "a huge page tried");
                        if took < Self::SLOW_HUGE {
                            step = Self::HUGE;
                        } else {
                            let rest = at + Self::HUGE;
                            advise(rest, len - rest, libc::MADV_NOHUGEPAGE);
                        }
                        at += Self::HUGE;
                        continue;
                    }
                    let mut n = step.min(len - at);
                    if try_huge {
                        n = n.min(huge_at - at);
                    }
                    if !populate(at, n) {
                        // An older kernel: the pages come with the writes, as before.
                        break;
                    }
                    at += n;
                }
            })
            .ok()?;
        Some(Ahead { stop, thread })
    }

    #[cfg(not(target_os = "linux"))]
    fn start(_: &MmapMut) -> Option<Ahead> {
        None
    }

    /// Stops the thread and waits for it.
    fn stop(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Release);
        let _ = self.thread.join();
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
    fn a_huge_page_is_tried_on_a_boundary_past_the_first_bytes_if_one_fits() {
        const M: usize = 1 << 20;
        // Aligned: at 4 MiB; unaligned by a page: at the next boundary, 6 MiB less a page in.
        assert_eq!(Ahead::huge_at(64 * M, 17 * M), Some(4 * M));
        assert_eq!(Ahead::huge_at(64 * M + 4096, 17 * M), Some(6 * M - 4096));
        // A whole huge page must fit after it.
        assert_eq!(Ahead::huge_at(64 * M, 6 * M), Some(4 * M));
        assert_eq!(Ahead::huge_at(64 * M, 6 * M - 1), None);
        assert_eq!(
            Ahead::huge_at(64 * M + 4096, 8 * M - 4096),
            Some(6 * M - 4096)
        );
        assert_eq!(Ahead::huge_at(64 * M + 4096, 8 * M - 4097), None);
        assert_eq!(
            Ahead::huge_at(usize::MAX - 4095, usize::MAX),
            None,
            "no overflow"
        );
        for addr in (0..64).map(|i| 64 * M + i * 4096 * 37) {
            let at = Ahead::huge_at(addr, 32 * M).unwrap();
            assert_eq!((addr + at) % (2 * M), 0);
            assert!((Ahead::TRY_HUGE_AFTER..Ahead::TRY_HUGE_AFTER + 2 * M).contains(&at));
        }
    }

    #[test]
    fn small_files_and_pipes_are_read_instead() {
        let path = std::env::temp_dir().join(format!("rudder-small-{}", std::process::id()));
        std::fs::write(&path, b"{}").unwrap();
        assert!(map(&File::open(&path).unwrap()).is_none());
        std::fs::remove_file(&path).unwrap();
    }
}
