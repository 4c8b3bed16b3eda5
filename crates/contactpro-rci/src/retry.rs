//! What a failed attempt means for the next one: retry or not, may it have committed, how long to wait.

use rand::Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set once Terraform asked the provider process to stop (StopProvider).
static STOPPED: AtomicBool = AtomicBool::new(false);

/// From now on, no new retry and no backoff sleep in this process: requests in flight finish,
/// and a create whose outcome is unknown is still looked up before it is reported.
pub fn stop_retries() {
    STOPPED.store(true, Ordering::Relaxed);
}

pub(crate) fn retries_stopped() -> bool {
    STOPPED.load(Ordering::Relaxed)
}

const BASE_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(5);
/// A server asking for more than this is waited for only this long per attempt.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// One failed attempt, before it becomes a `ClientError`.
#[derive(Debug)]
pub(crate) enum Failure {
    Status {
        status: u16,
        message: String,
        field: Option<String>,
        retry_after: Option<Duration>,
    },
    /// Connection reset, timeout, or a body cut off mid-way.
    Transport(String),
    /// No connection could be made (refused, connect timeout): the request never left.
    NotSent(String),
    /// The body passed `body::MAX_BODY_BYTES`: not retried (it would come again), but the
    /// request may have committed.
    TooLarge(String),
}

impl Failure {
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            Failure::Status { status, .. } => Some(*status),
            Failure::Transport(_) | Failure::NotSent(_) | Failure::TooLarge(_) => None,
        }
    }

    /// True when the server may have applied the request although we saw no success.
    /// 429 is refused before any work, so it never commits.
    pub(crate) fn may_have_committed(&self) -> bool {
        match self {
            Failure::Transport(_) | Failure::TooLarge(_) => true,
            Failure::NotSent(_) => false,
            Failure::Status { status, .. } => matches!(status, 500 | 502 | 503 | 504),
        }
    }

    /// Worth another attempt. POST callers must look the object up first (see `Http::create`).
    /// 500 counts for every method: a POST is only re-sent after a lookup found nothing.
    pub(crate) fn retryable(&self) -> bool {
        match self {
            Failure::Transport(_) | Failure::NotSent(_) => true,
            Failure::TooLarge(_) => false,
            Failure::Status { status, .. } => matches!(status, 429 | 500 | 502 | 503 | 504),
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            Failure::Transport(_) | Failure::NotSent(_) | Failure::TooLarge(_) => None,
        }
    }
}

/// Exponential backoff with full jitter; a server's `Retry-After` wins (capped) with a little jitter on top.
pub(crate) fn delay(attempt: u32, retry_after: Option<Duration>) -> Duration {
    let mut rng = rand::thread_rng();
    if let Some(wait) = retry_after {
        let jitter = rng.gen_range(0..=BASE_DELAY.as_millis() as u64);
        return wait.min(MAX_RETRY_AFTER) + Duration::from_millis(jitter);
    }
    let exp = BASE_DELAY
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(MAX_DELAY);
    Duration::from_millis(rng.gen_range(0..=exp.as_millis() as u64))
}

/// `Retry-After` in seconds; the HTTP-date form is rare for APIs and treated as absent.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        for attempt in 1..40 {
            assert!(delay(attempt, None) <= MAX_DELAY);
        }
        assert!(delay(1, Some(Duration::from_secs(3600))) <= MAX_RETRY_AFTER + BASE_DELAY);
        assert!(delay(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
    }

    /// The backoff doubles with each attempt (mutant: `<<` as `>>`, which keeps every wait at
    /// zero after the first). Full jitter draws from [0, 1.6 s] at attempt 5, so 200 draws all at
    /// or under 0.8 s has probability 2^-200: not a flaky bound.
    #[test]
    fn backoff_grows_with_the_attempt() {
        let first = (0..200).map(|_| delay(1, None)).max().unwrap();
        let fifth = (0..200).map(|_| delay(5, None)).max().unwrap();
        assert!(first <= BASE_DELAY, "{first:?}");
        assert!(fifth > BASE_DELAY * 8, "{fifth:?}");
    }

    #[test]
    fn retry_after_seconds_only() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
