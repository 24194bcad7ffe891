//! How every property test runs, in the unit tests and in `tests/` alike (they include this
//! file by path). By default from one fixed seed, so `cargo test` draws the same cases on
//! every machine and a red run is the code's fault, never the draw's; the regressions kept
//! under `proptest-regressions/` are read back and run first. `RUDDER_PROPTEST_EXPLORE=N`
//! (what `scripts/explore.sh` sets) draws N times the cases from a random seed instead, and a
//! failure found so is saved to the same files for the fixed runs to keep.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// The seed of every fixed run.
pub const SEED: u64 = 0x7275_6464_6572;

/// The exploring run's multiplier of cases, when one is asked for.
fn explore() -> Option<u32> {
    let n = std::env::var("RUDDER_PROPTEST_EXPLORE").ok()?;
    Some(n.trim().parse::<u32>().unwrap_or(20).max(1))
}

/// `cases` cases, with regressions kept beside the source (unit tests: proptest finds
/// `src/lib.rs` and keeps them under `proptest-regressions/<module>.txt`).
#[allow(dead_code)]
pub fn config(cases: u32) -> Config {
    with(cases, Config::default())
}

/// `cases` cases, with regressions kept in `file` under the package root (integration tests,
/// whose source has no `lib.rs` beside it for proptest to find).
#[allow(dead_code)]
pub fn config_in(cases: u32, file: &'static str) -> Config {
    with(
        cases,
        Config {
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
            ..Config::default()
        },
    )
}

fn with(cases: u32, base: Config) -> Config {
    match explore() {
        Some(factor) => Config {
            cases: cases.saturating_mul(factor),
            rng_seed: RngSeed::Random,
            ..base
        },
        None => Config {
            cases,
            rng_seed: RngSeed::Fixed(SEED),
            ..base
        },
    }
}
