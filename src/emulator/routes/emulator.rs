//! Emulator-only endpoints under `/_emulator`: stats, health, check-secret. Never faulted.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::secrets;
use crate::emulator::error::{ApiError, ApiResult};
use crate::emulator::json::JsonBody;
use crate::emulator::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/_emulator/health",
            get(|| async { Json(json!({"status": "ok"})) }),
        )
        .route("/_emulator/stats", get(stats).delete(reset_stats))
        .route("/_emulator/:tenant/check-secret", post(check_secret))
}

async fn stats(State(state): State<AppState>) -> Json<Value> {
    Json(state.stats.to_json())
}

async fn reset_stats(State(state): State<AppState>) -> StatusCode {
    state.stats.reset();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckSecret {
    name: String,
    secret: String,
}

async fn check_secret(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<CheckSecret>,
) -> ApiResult<Json<Value>> {
    let tenant = params.get("tenant").cloned().unwrap_or_default();
    if !state.tenants.contains_key(&tenant) {
        return Err(ApiError::not_found(&format!("tenant {tenant:?}")));
    }
    let matches = state
        .store
        .read(move |conn| secrets::matches(conn, &tenant, &body.name, &body.secret))
        .await?;
    Ok(Json(json!({ "matches": matches })))
}
