//! When lookups start: `--rate` spacing, a 429's `Retry-After` pause for all, and the retries
//! of transient failures with their backoff.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder, Retryable};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::api::{Answer, ApiError, Query, Session};

/// The longest wait a `Retry-After` can impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);
/// The longest backoff between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Spaces the starts of requests (`--rate`) and holds them all while the server asked to
/// wait (a 429's `Retry-After`).
#[derive(Debug)]
pub(super) struct Gate {
    period: Option<Duration>,
    state: Mutex<GateState>,
}

#[derive(Debug)]
struct GateState {
    next_start: Instant,
    paused_until: Instant,
}

impl Gate {
    pub(super) fn new(rate: Option<f64>) -> Self {
        let now = Instant::now();
        Gate {
            period: rate.map(|r| Duration::from_secs_f64((1.0 / r).min(86_400.0))),
            state: Mutex::new(GateState {
                next_start: now,
                paused_until: now,
            }),
        }
    }

    /// Waits for this request's turn: a rate slot of its own, and no pause in force.
    pub(super) async fn wait(&self) {
        let mut have_slot = false;
        loop {
            let at = {
                let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                if s.paused_until > now {
                    s.paused_until
                } else if have_slot {
                    return;
                } else {
                    let slot = s.next_start.max(now);
                    if let Some(p) = self.period {
                        s.next_start = slot + p;
                    }
                    if slot <= now {
                        return;
                    }
                    have_slot = true;
                    slot
                }
            };
            tokio::time::sleep_until(at).await;
        }
    }

    /// Holds every request until `until`.
    pub(super) fn pause(&self, until: Instant) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.paused_until = s.paused_until.max(until);
    }
}

/// Worth another try: the network, a timeout, the server's trouble or its rate limit.
pub fn transient(e: &ApiError) -> bool {
    match e {
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Network { .. } => true,
        ApiError::Http { status, .. } => *status == 429 || *status >= 500,
        _ => false,
    }
}

/// `Retry-After`: seconds (`7`, `1.5`) or an HTTP date in any of its three forms (IMF-fixdate,
/// RFC 850, asctime); capped at ten minutes.
pub fn retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    let d = if let Ok(secs) = v.parse::<f64>() {
        (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e6)))?
    } else {
        let at = httpdate::parse_http_date(v).ok()?;
        // A date already past means now.
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO)
    };
    Some(d.min(MAX_RETRY_AFTER))
}

/// How often and how long to wait before trying again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Policy {
    pub(super) retries: u32,
    pub(super) backoff: Duration,
}

impl Policy {
    /// The waits before each retry, `retries` of them: `backoff`·2^n, capped, plus up to a
    /// quarter more so that many lookups do not retry in step (drawn from `seed`, so a row
    /// waits the same in every run).
    fn delays(self, seed: u64) -> impl Iterator<Item = Duration> + Send + Sync + Unpin {
        let mut rng = fastrand::Rng::with_seed(seed);
        ExponentialBuilder::new()
            .with_min_delay(self.backoff.min(MAX_BACKOFF))
            .with_factor(2.0)
            .with_max_delay(MAX_BACKOFF)
            .with_max_times(self.retries as usize)
            .build()
            .map(move |d| d + d.mul_f64(rng.f64() / 4.0))
    }
}

/// Why an attempt came back without a push.
enum Failure {
    /// Ctrl-C came before it was sent.
    Stopped,
    Api(ApiError),
}

/// One lookup with its retries, and how many attempts it took; `None` when Ctrl-C came while
/// it waited to (re)start.
pub(super) async fn lookup(
    session: Session,
    query: Query,
    gate: Arc<Gate>,
    policy: Policy,
    stop: CancellationToken,
    seed: u64,
    sending: Arc<AtomicUsize>,
) -> Option<(Result<Answer, ApiError>, u32)> {
    let attempts = AtomicU32::new(0);
    let (session, query, gate_ref, stop_ref) = (&session, &query, &*gate, &stop);
    let attempts_ref = &attempts;
    let sending = &*sending;
    let attempt = move || async move {
        tokio::select! {
            biased;
            _ = stop_ref.cancelled() => return Err(Failure::Stopped),
            _ = gate_ref.wait() => {}
        }
        attempts_ref.fetch_add(1, Ordering::SeqCst);
        sending.fetch_add(1, Ordering::SeqCst);
        let result = session.verify(query).await;
        sending.fetch_sub(1, Ordering::SeqCst);
        result.map_err(Failure::Api)
    };
    let sleep_stop = stop.clone();
    let result = attempt
        .retry(policy.delays(seed))
        // Ctrl-C ends the wait; the next attempt then sees it and stops.
        .sleep(move |wait| {
            let stop = sleep_stop.clone();
            async move {
                tokio::select! {
                    biased;
                    _ = stop.cancelled() => {}
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        })
        .when(|f| matches!(f, Failure::Api(e) if transient(e)))
        .adjust(|f, backoff| {
            // No retries left: no pause either.
            let backoff = backoff?;
            // The server said how long: every lookup waits that long. Without a
            // Retry-After, only this one backs off.
            if let Failure::Api(ApiError::Http {
                status: 429,
                retry_after: Some(after),
                ..
            }) = f
                && let Some(wait) = retry_after(after)
            {
                gate.pause(Instant::now() + wait);
                return Some(wait);
            }
            Some(backoff)
        })
        .notify(|f, wait| {
            if let Failure::Api(e) = f {
                tracing::info!(
                    attempt = attempts_ref.load(Ordering::SeqCst),
                    wait_ms = wait.as_millis() as u64,
                    "retrying: {}",
                    e.short()
                );
            }
        })
        .await;
    let attempts = attempts.load(Ordering::SeqCst);
    match result {
        Ok(answer) => Some((Ok(answer), attempts)),
        Err(Failure::Api(error)) => Some((Err(error), attempts)),
        Err(Failure::Stopped) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_a_date() {
        assert_eq!(retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(retry_after("99999"), Some(MAX_RETRY_AFTER));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
        // RFC 850 and asctime dates, as RFC 9110 asks a recipient to accept.
        assert_eq!(
            retry_after("Wednesday, 21-Oct-15 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after("Wed Oct 21 07:28:00 2015"),
            Some(Duration::ZERO)
        );
        let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(90));
        let d = retry_after(&soon).unwrap();
        assert!(
            d > Duration::from_secs(80) && d <= Duration::from_secs(90),
            "{d:?}"
        );
        let far =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(86_400));
        assert_eq!(retry_after(&far), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(100);
        let policy = |retries| Policy {
            retries,
            backoff: base,
        };
        let d: Vec<Duration> = policy(3).delays(1).collect();
        assert_eq!(d.len(), 3, "one wait per retry");
        assert!(d[0] >= base && d[0] <= base.mul_f64(1.25));
        assert!(d[2] >= base * 4 && d[2] <= (base * 4).mul_f64(1.25));
        assert!(policy(20).delays(1).all(|d| d <= MAX_BACKOFF.mul_f64(1.25)));
        assert_eq!(policy(20).delays(1).last(), policy(20).delays(1).last());
        assert_eq!(policy(0).delays(1).count(), 0);
        let long = Policy {
            retries: 1,
            backoff: Duration::from_secs(60),
        };
        assert!(long.delays(1).all(|d| d <= MAX_BACKOFF.mul_f64(1.25)));
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let http = |status| ApiError::Http {
            status,
            reason: String::new(),
            body_start: String::new(),
            retry_after: None,
        };
        assert!(transient(&http(429)) && transient(&http(500)) && transient(&http(503)));
        assert!(!transient(&http(400)) && !transient(&http(404)) && !transient(&http(401)));
        assert!(!transient(&ApiError::NoRecord));
        assert!(!transient(&ApiError::Api {
            code: "500".into(),
            status: "x".into(),
            message: String::new()
        }));
        assert!(transient(&ApiError::Timeout {
            secs: 1,
            target: "t".into()
        }));
    }

    #[tokio::test(start_paused = true)]
    async fn the_gate_spaces_starts_and_pauses() {
        let gate = Gate::new(Some(10.0));
        let t0 = Instant::now();
        gate.wait().await;
        gate.wait().await;
        gate.wait().await;
        assert_eq!(t0.elapsed(), Duration::from_millis(200));
        gate.pause(Instant::now() + Duration::from_secs(2));
        gate.wait().await;
        assert!(t0.elapsed() >= Duration::from_millis(2200));
        let free = Gate::new(None);
        let t1 = Instant::now();
        for _ in 0..5 {
            free.wait().await;
        }
        assert_eq!(t1.elapsed(), Duration::ZERO);
    }
}
