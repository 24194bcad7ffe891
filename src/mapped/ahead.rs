//! Faulting a new buffer's pages in ahead of the data copied into it (`MADV_POPULATE_WRITE`),
//! on a thread of its own: on loopback the page faults of a 17 MB body were a third of the
//! time it takes to read it, and the network thread now finds its pages there. Nothing is
//! written: the kernel maps zeroed pages the way a first write would.
//!
//! Ordinary pages come 64 KiB at a call: the call holds the process's memory-map lock, and
//! at 4 MiB a call, on a host slow to hand pages back, the network thread waited
//! milliseconds for it. Huge pages are cheaper when the host has them at hand (in this
//! virtual machine ~0.2 ms for 2 MiB, against ~0.5–1 ms as ordinary pages) and far dearer
//! when it took them back (~4.6 ms, as after a while idle), which made a query's time
//! bimodal when they were always asked for. So once past the first bytes one is tried, the
//! last whole one of the buffer (the data reaches it last, so no byte of it is there yet),
//! and the buffer's huge pages are asked for only if that one came quickly; a later one that
//! comes slowly turns them off again for the rest.

#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::ops::Range;
use std::time::Duration;

/// Ordinary pages at a call.
const STEP: usize = 64 << 10;
/// A huge page.
const HUGE: usize = 2 << 20;
/// The first bytes arrive at once: ordinary pages up to here, faulted in first.
const HUGE_AFTER: usize = 4 << 20;
/// The page tried is huge and at hand when it comes faster than this (~0.2 ms); ordinary
/// pages (≥ ~0.5 ms for 2 MiB), a huge page the host had to find (~4.6 ms) or a try slowed
/// by a busy core take longer, and the buffer stays in ordinary pages.
const FAST_TRY: Duration = Duration::from_micros(350);
/// A later huge page this slow says the host has stopped having them at hand.
const SLOW_STEP: Duration = Duration::from_millis(1);

/// What faulting pages in asks of the kernel; offsets are into the buffer.
pub(super) trait Kernel {
    /// Faults `range` in: how long that took, `None` if it failed (an older kernel).
    fn populate(&mut self, range: Range<usize>) -> Option<Duration>;
    /// Asks for huge pages over `range` (whole huge pages), or no longer.
    fn huge_pages(&mut self, range: Range<usize>, on: bool);
}

/// The whole huge pages of a buffer at `addr`, `len` bytes long, past its first bytes, as
/// offsets into it: `None` when not one fits.
pub(super) fn huge_region(addr: usize, len: usize) -> Option<Range<usize>> {
    let start = addr
        .checked_add(HUGE_AFTER)?
        .checked_next_multiple_of(HUGE)?
        - addr;
    let end = (addr.checked_add(len)? / HUGE * HUGE).checked_sub(addr)?;
    (start.checked_add(HUGE)? <= end).then_some(start..end)
}

/// Faults the `len` bytes in, front to back, until done or `stopped`; huge pages in `region`
/// if its last one, tried first when the front reaches the region, comes quickly.
pub(super) fn fault_in(
    kernel: &mut impl Kernel,
    len: usize,
    mut region: Option<Range<usize>>,
    stopped: impl Fn() -> bool,
) {
    let mut at = 0;
    // Huge steps up to here.
    let mut huge_until = 0;
    // The page tried, faulted in already.
    let mut tried: Option<Range<usize>> = None;
    while at < len && !stopped() {
        if let Some(r) = region.take_if(|r| at >= r.start) {
            let page = r.end - HUGE..r.end;
            kernel.huge_pages(page.clone(), true);
            let Some(took) = kernel.populate(page.clone()) else {
                kernel.huge_pages(page, false);
                return;
            };
            let fast = took < FAST_TRY;
            if r.start < page.start {
                // Off, too, where huge pages are the default (`always`).
                kernel.huge_pages(r.start..page.start, fast);
                if fast {
                    huge_until = page.start;
                }
            }
            tracing::debug!(?took, fast, "a huge page tried");
            tried = Some(page);
            continue;
        }
        if let Some(page) = tried.take_if(|p| at >= p.start) {
            at = page.end;
            continue;
        }
        let step = if at < huge_until { HUGE } else { STEP };
        let mut end = (at + step).min(len);
        for limit in [region.as_ref(), tried.as_ref()].into_iter().flatten() {
            end = end.min(limit.start.max(at + 1));
        }
        if at < huge_until {
            end = end.min(huge_until);
        }
        let Some(took) = kernel.populate(at..end) else {
            if at < huge_until {
                kernel.huge_pages(at..huge_until, false);
            }
            return;
        };
        if at < huge_until && took >= SLOW_STEP && end < huge_until {
            tracing::debug!(
                ?took,
                "a huge page came slowly: ordinary pages for the rest"
            );
            kernel.huge_pages(end..huge_until, false);
            huge_until = end;
        }
        at = end;
    }
}

/// The kernel, through `madvise`, on the buffer at `addr`.
#[cfg(target_os = "linux")]
pub(super) struct Madvise {
    pub(super) addr: usize,
}

#[cfg(target_os = "linux")]
impl Madvise {
    fn advise(&self, range: Range<usize>, advice: libc::c_int) -> bool {
        // SAFETY: the range lies in the mapping, which outlives the thread that calls this
        // (`Ahead::stop` waits for it before the mapping is unmapped or handed on);
        // populating writes no byte, so the data copied in meanwhile stays, and advice on
        // huge pages changes how pages are backed, not what they hold.
        unsafe {
            libc::madvise(
                (self.addr + range.start) as *mut libc::c_void,
                range.len(),
                advice,
            ) == 0
        }
    }
}

#[cfg(target_os = "linux")]
impl Kernel for Madvise {
    fn populate(&mut self, range: Range<usize>) -> Option<Duration> {
        let started = std::time::Instant::now();
        self.advise(range, libc::MADV_POPULATE_WRITE)
            .then(|| started.elapsed())
    }

    fn huge_pages(&mut self, range: Range<usize>, on: bool) {
        let advice = if on {
            libc::MADV_HUGEPAGE
        } else {
            libc::MADV_NOHUGEPAGE
        };
        self.advise(range, advice);
    }
}

/// Whether transparent huge pages may be asked for (`madvise` or `always`): when they are
/// off, the page tried would come as ordinary pages and say nothing about the host.
#[cfg(target_os = "linux")]
pub(super) fn huge_pages_allowed() -> bool {
    static ALLOWED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ALLOWED.get_or_init(|| {
        std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
            .is_ok_and(|s| !s.contains("[never]"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: usize = 1 << 20;

    /// Records the calls; a huge page (one populate of `HUGE` bytes while asked for) takes
    /// the times given in turn, anything else 0.1 ms; populating fails after `fail_after`
    /// calls.
    #[derive(Default)]
    struct Fake {
        populated: Vec<Range<usize>>,
        advice: Vec<(Range<usize>, bool)>,
        huge_times: Vec<Duration>,
        fail_after: Option<usize>,
    }

    impl Fake {
        fn huge_at(&self, at: usize) -> bool {
            self.advice
                .iter()
                .rev()
                .find(|(r, _)| r.contains(&at))
                .is_some_and(|(_, on)| *on)
        }
    }

    impl Kernel for Fake {
        fn populate(&mut self, range: Range<usize>) -> Option<Duration> {
            if self.fail_after == Some(self.populated.len()) {
                return None;
            }
            let huge = range.len() == HUGE && self.huge_at(range.start);
            self.populated.push(range);
            Some(if huge && !self.huge_times.is_empty() {
                self.huge_times.remove(0)
            } else {
                Duration::from_micros(100)
            })
        }

        fn huge_pages(&mut self, range: Range<usize>, on: bool) {
            assert!(range.start < range.end, "no empty advice");
            self.advice.push((range, on));
        }
    }

    fn run(fake: &mut Fake, len: usize, region: Option<Range<usize>>) {
        fault_in(fake, len, region, || false);
    }

    /// Each byte in `0..len` populated exactly once.
    fn covers_once(fake: &Fake, len: usize) {
        let mut ranges = fake.populated.clone();
        ranges.sort_by_key(|r| r.start);
        let mut at = 0;
        for r in ranges {
            assert_eq!(r.start, at, "no gap, no overlap: {:?}", fake.populated);
            assert!(r.end > r.start);
            at = r.end;
        }
        assert_eq!(at, len);
    }

    /// `len` bytes faulted in with huge pages tried over 4..16 MiB, taking `times`; each
    /// byte once.
    fn faulted(len: usize, times: Vec<Duration>) -> Fake {
        let mut fake = Fake {
            huge_times: times,
            ..Fake::default()
        };
        run(&mut fake, len, Some(4 * M..16 * M));
        covers_once(&fake, len);
        fake
    }

    fn ms(n: f64) -> Duration {
        Duration::from_secs_f64(n / 1000.0)
    }

    #[test]
    fn the_region_is_the_whole_huge_pages_past_the_first_bytes() {
        assert_eq!(huge_region(64 * M, 17 * M), Some(4 * M..16 * M));
        // Unaligned by a page: boundaries are the address's, not the offset's.
        assert_eq!(
            huge_region(64 * M + 4096, 17 * M),
            Some(6 * M - 4096..16 * M - 4096)
        );
        assert_eq!(huge_region(64 * M, 6 * M), Some(4 * M..6 * M));
        assert_eq!(
            huge_region(64 * M, 6 * M - 1),
            None,
            "not one whole huge page"
        );
        assert_eq!(huge_region(64 * M + 4096, 8 * M - 4097), None);
        assert_eq!(huge_region(usize::MAX - 4095, 4096), None, "no overflow");
        assert_eq!(huge_region(usize::MAX - 3 * M, 3 * M), None);
        for addr in (0..64).map(|i| 64 * M + i * 4096 * 37) {
            let r = huge_region(addr, 32 * M).unwrap();
            assert_eq!((addr + r.start) % HUGE, 0);
            assert_eq!((addr + r.end) % HUGE, 0);
            assert!((HUGE_AFTER..HUGE_AFTER + HUGE).contains(&r.start));
        }
    }

    #[test]
    fn a_quick_try_puts_the_region_in_huge_pages() {
        let fake = faulted(17 * M + 12_345, vec![ms(0.2)]);
        // The last page first, asked for alone; then the rest of the region.
        assert_eq!(
            fake.advice,
            vec![(14 * M..16 * M, true), (4 * M..14 * M, true)]
        );
        let first_in_region = fake.populated.iter().position(|r| r.start >= 4 * M);
        assert_eq!(
            fake.populated[first_in_region.unwrap()],
            14 * M..16 * M,
            "tried before the region is reached"
        );
        for r in &fake.populated {
            let in_region = r.start >= 4 * M && r.end <= 16 * M;
            assert_eq!(r.len() == HUGE, in_region, "{r:?}");
            assert!(in_region || r.len() <= STEP);
        }
    }

    #[test]
    fn a_slow_try_leaves_ordinary_pages() {
        for took in [ms(0.5), ms(4.6)] {
            let fake = faulted(17 * M, vec![took]);
            assert_eq!(
                fake.advice,
                vec![(14 * M..16 * M, true), (4 * M..14 * M, false)]
            );
            let big: Vec<_> = fake.populated.iter().filter(|r| r.len() > STEP).collect();
            assert_eq!(big, vec![&(14 * M..16 * M)], "only the page tried");
        }
    }

    #[test]
    fn a_huge_page_come_slowly_turns_them_off_for_the_rest() {
        let len = 20 * M;
        let mut fake = Fake {
            huge_times: vec![ms(0.2), ms(0.2), ms(4.6)],
            ..Fake::default()
        };
        run(&mut fake, len, Some(4 * M..20 * M));
        covers_once(&fake, len);
        assert_eq!(
            fake.advice,
            vec![
                (18 * M..20 * M, true),
                (4 * M..18 * M, true),
                (8 * M..18 * M, false)
            ]
        );
        assert!(
            fake.populated
                .iter()
                .filter(|r| r.start >= 8 * M && r.end <= 18 * M)
                .all(|r| r.len() == STEP)
        );
    }

    #[test]
    fn without_a_region_or_on_an_old_kernel_ordinary_pages_or_none() {
        let len = 3 * M + 100;
        let mut fake = Fake::default();
        run(&mut fake, len, None);
        covers_once(&fake, len);
        assert!(fake.advice.is_empty());
        assert!(fake.populated.iter().all(|r| r.len() <= STEP));

        // Failing at once (no MADV_POPULATE_WRITE): one call, then nothing.
        let mut fake = Fake {
            fail_after: Some(0),
            ..Fake::default()
        };
        run(&mut fake, 17 * M, Some(4 * M..16 * M));
        assert!(fake.populated.is_empty() && fake.advice.is_empty());

        // Failing in the huge steps (a memory limit): huge pages off for what is left.
        // 64 calls of 64 KiB to 4 MiB, the page tried, two huge steps, then the failure.
        let mut fake = Fake {
            huge_times: vec![ms(0.2)],
            fail_after: Some(64 + 1 + 2),
            ..Fake::default()
        };
        run(&mut fake, 17 * M, Some(4 * M..16 * M));
        assert_eq!(fake.advice.last(), Some(&(8 * M..14 * M, false)));
        assert_eq!(fake.populated.len(), 67);
        assert_eq!(fake.populated[66], 6 * M..8 * M);

        // The page tried failing: asked for no longer, and the thread stops.
        let mut fake = Fake {
            fail_after: Some(64),
            ..Fake::default()
        };
        run(&mut fake, 17 * M, Some(4 * M..16 * M));
        assert_eq!(
            fake.advice,
            vec![(14 * M..16 * M, true), (14 * M..16 * M, false)]
        );
    }

    #[test]
    fn it_stops_when_told() {
        let mut fake = Fake::default();
        let calls = std::cell::Cell::new(0);
        fault_in(&mut fake, 17 * M, None, || {
            calls.set(calls.get() + 1);
            calls.get() > 3
        });
        assert_eq!(fake.populated.len(), 3);
    }
}
