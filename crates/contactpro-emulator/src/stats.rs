//! Request counters served by `/_emulator/stats`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{json, Value};

use super::state::AppState;

#[derive(Default)]
pub struct Stats {
    inner: Mutex<Counters>,
}

#[derive(Default)]
struct Counters {
    total: u64,
    by_route: BTreeMap<String, u64>,
    /// "METHOD route STATUS": a 201 of `POST users` is a user created, whatever the client saw.
    by_status: BTreeMap<String, u64>,
    lost_by_route: BTreeMap<String, u64>,
    error: u64,
    throttle: u64,
    lost_response: u64,
}

/// Kinds of injected faults.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    Error,
    Throttle,
    LostResponse,
}

impl Stats {
    pub fn request(&self, key: String) {
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        c.total += 1;
        *c.by_route.entry(key).or_default() += 1;
    }

    /// The status a request was answered with; `lost` when its response was dropped.
    pub fn answered(&self, key: &str, status: u16, lost: bool) {
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *c.by_status.entry(format!("{key} {status}")).or_default() += 1;
        if lost {
            *c.lost_by_route.entry(key.to_string()).or_default() += 1;
        }
    }

    pub fn fault(&self, fault: Fault) {
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match fault {
            Fault::Error => c.error += 1,
            Fault::Throttle => c.throttle += 1,
            Fault::LostResponse => c.lost_response += 1,
        }
    }

    pub fn reset(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Counters::default();
    }

    pub fn to_json(&self) -> Value {
        let c = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        json!({
            "total": c.total,
            "byRoute": c.by_route,
            "byStatus": c.by_status,
            "faults": {
                "error": c.error,
                "throttle": c.throttle,
                "lostResponse": c.lost_response,
                "lostResponseByRoute": c.lost_by_route,
            },
        })
    }
}

/// `/:tenant/RI/rci/users/:id` → `users/{id}`.
pub fn route_template(matched: &str) -> String {
    let rest = matched
        .split_once("/rci/")
        .map_or(matched, |(_, r)| r)
        .trim_start_matches('/');
    rest.split('/')
        .map(|s| match s.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Counts every matched RCI request by method and route template.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| route_template(m.as_str()))
        .unwrap_or_default();
    let key = format!("{} {}", req.method(), route);
    let started = std::time::Instant::now();
    state.stats.request(key.clone());
    let response = next.run(req).await;
    let lost = response
        .extensions()
        .get::<super::faults::DropConnection>()
        .is_some();
    state.stats.answered(&key, response.status().as_u16(), lost);
    // Route templates only: no ids, filters or bodies in the log.
    tracing::debug!(route = %key, status = response.status().as_u16(), elapsed_us = started.elapsed().as_micros() as u64, "request");
    response
}
