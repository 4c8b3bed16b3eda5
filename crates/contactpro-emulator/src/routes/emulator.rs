//! Emulator-only endpoints under `/_emulator`: stats, health, and test-only checks of stored
//! secrets that never return them (tenant admin only). Never faulted.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{middleware, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{emulator_admin, secrets};
use crate::auth;
use crate::credential_checks;
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::AppState;

/// `health` and `stats` are open (they hold no tenant data, only counts); everything under a
/// tenant checks or sets credentials, so it takes the tenant admin's (`auth::require_admin`).
pub fn router(state: &AppState) -> Router<AppState> {
    let open = Router::new()
        .route(
            "/_emulator/health",
            get(|| async { Json(json!({"status": "ok"})) }),
        )
        .route("/_emulator/stats", get(stats).delete(reset_stats));
    let tenant = Router::new()
        .route("/_emulator/:tenant/check-secret", post(check_secret))
        .route(
            "/_emulator/:tenant/check-credentials",
            post(check_credentials),
        )
        .route("/_emulator/:tenant/check-password", post(check_password))
        .route(
            "/_emulator/:tenant/users/:login/password",
            put(emulator_admin::set_password),
        )
        .route(
            "/_emulator/:tenant/users/:login/rights",
            put(emulator_admin::set_right),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_admin,
        ));
    open.merge(tenant)
}

pub fn known_tenant(state: &AppState, params: &HashMap<String, String>) -> ApiResult<String> {
    let tenant = params.get("tenant").cloned().unwrap_or_default();
    if !state.tenants.contains_key(&tenant) {
        return Err(ApiError::not_found(&format!("tenant {tenant:?}")));
    }
    Ok(tenant)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckCredentials {
    name: String,
}

async fn check_credentials(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<CheckCredentials>,
) -> ApiResult<Json<Value>> {
    let tenant = known_tenant(&state, &params)?;
    let result = state
        .store
        .read(move |conn| credential_checks::check_credentials(conn, &tenant, &body.name))
        .await?;
    Ok(Json(result))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckPassword {
    login: String,
    fingerprint: String,
}

async fn check_password(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<CheckPassword>,
) -> ApiResult<Json<Value>> {
    let tenant = known_tenant(&state, &params)?;
    let matches = state
        .store
        .read(move |conn| {
            credential_checks::password_matches(conn, &tenant, &body.login, &body.fingerprint)
        })
        .await?;
    Ok(Json(json!({ "matches": matches })))
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
    let tenant = known_tenant(&state, &params)?;
    let matches = state
        .store
        .read(move |conn| secrets::matches(conn, &tenant, &body.name, &body.secret))
        .await?;
    Ok(Json(json!({ "matches": matches })))
}
