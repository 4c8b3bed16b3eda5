//! Client-side request pacing shared by every clone of a client.

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Hands out send slots at most `1/rate` apart. Callers sleep until their slot; nothing spins.
pub(crate) struct RateLimiter {
    interval: Duration,
    next_slot: Mutex<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(interval: Duration) -> Self {
        Self {
            interval,
            next_slot: Mutex::new(Instant::now()),
        }
    }

    pub(crate) async fn acquire(&self) {
        let slot = {
            // The lock is held only to reserve a slot, never across an await.
            let mut next = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}
