//! Fault injection for RCI routes: latency, throttling, server errors, lost responses.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::FaultConfig;
use super::error::ApiError;
use super::state::AppState;
use super::stats::Fault;

/// Marker in a response's extensions: the server must close the connection instead of answering.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

pub struct Faults {
    config: FaultConfig,
    rng: Mutex<StdRng>,
}

struct Decision {
    throttle: bool,
    error: Option<StatusCode>,
    lose: bool,
}

impl Faults {
    pub fn new(config: FaultConfig, seed: u64) -> Self {
        Faults {
            config,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// Always draws the same count of numbers, so a seed replays the same sequence.
    fn decide(&self) -> Decision {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let (t, e, kind, l): (f64, f64, bool, f64) = (rng.gen(), rng.gen(), rng.gen(), rng.gen());
        Decision {
            throttle: t < self.config.throttle_rate,
            error: (e < self.config.error_rate).then_some(if kind {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            }),
            lose: l < self.config.lost_response_rate,
        }
    }
}

/// Middleware; runs before authentication and before any handler, so faults write nothing.
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let faults = &state.faults;
    if faults.config.is_off() {
        return next.run(req).await;
    }
    if faults.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.config.latency_ms)).await;
    }
    let decision = faults.decide();
    if decision.throttle {
        state.stats.fault(Fault::Throttle);
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests; retry later",
        )
        .with_header(header::RETRY_AFTER, "1")
        .into_response();
    }
    if let Some(status) = decision.error {
        state.stats.fault(Fault::Error);
        return ApiError::new(status, "injected fault").into_response();
    }
    let is_write = matches!(*req.method(), Method::POST | Method::PUT | Method::DELETE);
    let mut response = next.run(req).await;
    if decision.lose && is_write && response.status().is_success() {
        state.stats.fault(Fault::LostResponse);
        response.extensions_mut().insert(DropConnection);
    }
    response
}
