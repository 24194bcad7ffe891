//! The vector kernels of the structural scans ([`super::scan`]): which bytes of a 64-byte
//! block are a given character, and the running parity of a bit mask (which bytes lie
//! inside strings). Three widths on x86_64, picked once from what the CPU has: AVX-512 (one
//! compare per character for the whole block, a carry-less multiply for the parity), AVX2,
//! and SSE2 (every x86_64 CPU); a portable loop elsewhere. On the 17.7 MB push the scan went
//! from 2.9 ms with SSE2 to about a third of that with AVX-512: it runs on the network thread
//! while a big answer arrives, so it is part of the time a query takes.
//!
//! The scans are generic over the width (`const W: u8`) and `#[inline(always)]`, and each
//! width has one entry point compiled with its target features
//! ([`super::scan`]'s `advance_*`): the kernels inline into it and the loop is compiled for
//! that width.

use std::sync::atomic::{AtomicU8, Ordering};

/// Plain Rust, for targets other than x86_64.
pub(crate) const PORTABLE: u8 = 0;
pub(crate) const SSE2: u8 = 1;
pub(crate) const AVX2: u8 = 2;
pub(crate) const AVX512: u8 = 3;

/// The widest width this CPU runs, detected once.
pub(crate) fn width() -> u8 {
    static WIDTH: AtomicU8 = AtomicU8::new(u8::MAX);
    match WIDTH.load(Ordering::Relaxed) {
        u8::MAX => {
            let w = detect();
            WIDTH.store(w, Ordering::Relaxed);
            w
        }
        w => w,
    }
}

#[cfg(target_arch = "x86_64")]
fn detect() -> u8 {
    let clmul = std::is_x86_feature_detected!("pclmulqdq");
    if clmul
        && std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
    {
        AVX512
    } else if clmul && std::is_x86_feature_detected!("avx2") {
        AVX2
    } else {
        SSE2
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> u8 {
    PORTABLE
}

/// For each of `chars`, one bit per byte of `block` that is it.
#[inline(always)]
pub(crate) fn eq_masks<const W: u8, const N: usize>(block: &[u8; 64], chars: [u8; N]) -> [u64; N] {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: a width is only used by the entry point compiled for it, which runs only
        // when `width()` found the CPU has its features; SSE2 is part of every x86_64 CPU.
        unsafe {
            match W {
                AVX512 => x86::masks_avx512(block, chars),
                AVX2 => x86::masks_avx2(block, chars),
                _ => x86::masks_sse2(block, chars),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    eq_masks_portable(block, chars)
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(crate) fn eq_masks_portable<const N: usize>(block: &[u8; 64], chars: [u8; N]) -> [u64; N] {
    chars.map(|c| {
        block
            .iter()
            .enumerate()
            .fold(0u64, |m, (i, &b)| m | (u64::from(b == c) << i))
    })
}

/// Bit i is the parity of the bits at and below i: 1 inside a string (its opening quote
/// included), 0 outside (its closing quote included).
#[inline(always)]
pub(crate) fn prefix_xor<const W: u8>(x: u64) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if W >= AVX2 {
        // SAFETY: as in `eq_masks`; both wide widths require PCLMULQDQ.
        return unsafe { x86::prefix_xor_clmul(x) };
    }
    prefix_xor_portable(x)
}

#[inline(always)]
fn prefix_xor_portable(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    #[inline]
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn masks_avx512<const N: usize>(block: &[u8; 64], chars: [u8; N]) -> [u64; N] {
        // SAFETY: `block` is 64 readable bytes, loaded unaligned.
        let v = unsafe { _mm512_loadu_si512(block.as_ptr().cast()) };
        chars.map(|c| _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(c as i8)))
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn masks_avx2<const N: usize>(block: &[u8; 64], chars: [u8; N]) -> [u64; N] {
        // SAFETY: two loads of 32 readable bytes each, unaligned.
        let (lo, hi) = unsafe {
            (
                _mm256_loadu_si256(block.as_ptr().cast()),
                _mm256_loadu_si256(block.as_ptr().add(32).cast()),
            )
        };
        chars.map(|c| {
            let c = _mm256_set1_epi8(c as i8);
            let lo = _mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c)) as u32;
            let hi = _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c)) as u32;
            u64::from(lo) | (u64::from(hi) << 32)
        })
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn masks_sse2<const N: usize>(block: &[u8; 64], chars: [u8; N]) -> [u64; N] {
        let mut masks = [0u64; N];
        for (k, lane) in block.chunks_exact(16).enumerate() {
            // SAFETY: `lane` is 16 readable bytes, loaded unaligned.
            let v = unsafe { _mm_loadu_si128(lane.as_ptr().cast::<__m128i>()) };
            for (m, &c) in masks.iter_mut().zip(&chars) {
                let eq = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)));
                *m |= u64::from(eq as u16) << (16 * k);
            }
        }
        masks
    }

    /// The running parity as one carry-less multiply by all ones.
    #[inline]
    #[target_feature(enable = "pclmulqdq,sse2")]
    pub(super) fn prefix_xor_clmul(x: u64) -> u64 {
        let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set1_epi8(-1), 0);
        _mm_cvtsi128_si64(product) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(seed: u64) -> [u8; 64] {
        let mut s = seed;
        std::array::from_fn(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b"\"\\[]{}ab"[(s >> 61) as usize]
        })
    }

    #[test]
    fn every_width_the_cpu_has_gives_the_portable_answers() {
        let chars = [b'"', b'\\', b'[', b']', b'{', b'}'];
        for seed in 0..200 {
            let b = block(seed);
            let want = eq_masks_portable(&b, chars);
            assert_eq!(eq_masks::<SSE2, 6>(&b, chars), want);
            let x = u64::from_le_bytes(b[..8].try_into().unwrap()) ^ seed.rotate_left(17);
            assert_eq!(prefix_xor::<SSE2>(x), prefix_xor_portable(x));
            #[cfg(target_arch = "x86_64")]
            {
                if width() >= AVX2 {
                    // SAFETY: the CPU has the features (`width`).
                    assert_eq!(unsafe { x86::masks_avx2(&b, chars) }, want);
                    assert_eq!(unsafe { x86::prefix_xor_clmul(x) }, prefix_xor_portable(x));
                }
                if width() >= AVX512 {
                    // SAFETY: as above.
                    assert_eq!(unsafe { x86::masks_avx512(&b, chars) }, want);
                }
            }
        }
    }
}
