#!/usr/bin/env bash
# The long, random run that `cargo test` is not: every property test from a random seed with
# FACTOR times its cases (a failure is saved under proptest-regressions/ for the fixed runs to
# keep), then the fuzz target for FUZZ_SECS seconds. Usage: scripts/explore.sh
# Settings: FACTOR (default 20), FUZZ_SECS (default 300; 0 skips the fuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."
FACTOR=${FACTOR:-20}
FUZZ_SECS=${FUZZ_SECS:-300}
RUDDER_PROPTEST_EXPLORE=$FACTOR cargo test --release
if [ "$FUZZ_SECS" -gt 0 ]; then
  command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
  cd fuzz
  RUSTC_BOOTSTRAP=1 cargo fuzz run parse_draw -- -max_total_time="$FUZZ_SECS"
fi
