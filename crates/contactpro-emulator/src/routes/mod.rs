//! RCI routes, one file per resource, plus the emulator-only endpoints.

mod authentication;
mod directory;
pub mod emulator;
mod memberships;
mod rights;
mod secrets;
mod users;

use std::collections::HashMap;

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::error::ApiError;
use super::state::AppState;

/// Routes relative to `/{tenant}/RI/rci` (and `/{tenant}/ecfs/RI/rci`).
pub fn rci() -> Router<AppState> {
    Router::new()
        .route("/users", get(users::list).post(users::create))
        .route(
            "/users/:id",
            get(users::get_one)
                .put(users::replace)
                .delete(users::delete),
        )
        .route(
            "/users/:id/authentication",
            get(authentication::get_one).put(authentication::replace),
        )
        .route(
            "/users/:id/userGroups",
            get(memberships::list_groups).post(memberships::add_group),
        )
        .route(
            "/users/:id/userGroups/:gid",
            axum::routing::delete(memberships::remove_group),
        )
        .route(
            "/users/:id/roles",
            get(memberships::list_roles).post(memberships::add_role),
        )
        .route(
            "/users/:id/roles/:rid",
            axum::routing::delete(memberships::remove_role),
        )
        .route("/users/:id/rights", get(rights::list).post(rights::create))
        .route(
            "/users/:id/rights/:rightId",
            get(rights::get_one)
                .put(rights::replace)
                .delete(rights::delete),
        )
        .route("/secrets", get(secrets::list).post(secrets::create))
        .route(
            "/secrets/:id",
            get(secrets::get_one)
                .put(secrets::replace)
                .delete(secrets::delete),
        )
        .route("/userGroups", get(directory::list_user_groups))
        .route("/userGroups/:id", get(directory::get_user_group))
        .route("/queues", get(directory::list_queues))
        .route("/queues/:id", get(directory::get_queue))
        .route("/queueGroups", get(directory::list_queue_groups))
        .route("/queueGroups/:id", get(directory::get_queue_group))
        .route("/roles", get(directory::list_roles))
        .route("/roles/:id", get(directory::get_role))
}

/// 201 with `Location: <request path>/<id>` and `{"id": id}`.
pub fn created(uri: &Uri, id: &str) -> Response {
    let location = format!("{}/{}", uri.path().trim_end_matches('/'), id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(json!({ "id": id })),
    )
        .into_response()
}

/// A path parameter that must be an ID; anything else cannot exist, so 404.
pub fn id_param(
    params: &HashMap<String, String>,
    name: &str,
    what: &str,
) -> Result<String, ApiError> {
    params
        .get(name)
        .filter(|v| contactpro_rules::is_id(v))
        .cloned()
        .ok_or_else(|| ApiError::not_found(what))
}

/// Rejects over-long optional strings.
pub fn check_max(field: &str, value: &Option<String>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::invalid(
            field,
            format!("is longer than {max} characters"),
        )),
        _ => Ok(()),
    }
}
