//! RCI routes, one file per resource, plus the emulator-only endpoints.

mod authentication;
mod directory;
pub mod emulator;
mod emulator_admin;
mod memberships;
mod rights;
mod secrets;
mod user_fields;
mod user_groups;
mod user_list;
mod users;

use std::collections::HashMap;

use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;

use super::config::Profile;
use super::error::ApiError;
use super::state::AppState;

/// [ours] endpoints: served in the full profile only.
const OURS: [&str; 5] = [
    "/users/:id/authentication",
    "/users/:id/rights",
    "/users/:id/rights/:rightId",
    "/secrets",
    "/secrets/:id",
];

/// `404 no such resource: <path>`, the answer to any path the profile does not serve.
pub fn no_such_resource(path: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no such resource: {}",
            path.split_once("/rci/")
                .map_or(path, |(_, rest)| rest)
                .trim_start_matches('/')
        ),
    )
}

/// In the documented profile, the [ours] endpoints answer every method like an unknown path.
pub fn not_offered(router: Router<AppState>, profile: Profile) -> Router<AppState> {
    if profile.is_full() {
        return router;
    }
    OURS.iter().fold(router, |router, path| {
        let template = crate::stats::route_template(path);
        router.route(
            path,
            any(move || {
                let template = template.clone();
                async move { no_such_resource(&template) }
            }),
        )
    })
}

/// Routes relative to `/{tenant}/RI/rci` (and `/{tenant}/ecfs/RI/rci`).
pub fn rci(profile: Profile) -> Router<AppState> {
    let router = Router::new()
        .route("/users", get(users::list).post(users::create))
        .route(
            "/users/:id",
            get(users::get_one)
                .put(users::replace)
                .delete(users::delete),
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
        .route(
            "/userGroups",
            get(directory::list_user_groups).post(user_groups::create),
        )
        .route(
            "/userGroups/:id",
            get(directory::get_user_group)
                .put(user_groups::replace)
                .delete(user_groups::delete),
        )
        .route("/userGroups/:id/users", get(user_groups::list_users))
        .route("/queues", get(directory::list_queues))
        .route("/queues/:id", get(directory::get_queue))
        .route("/queueGroups", get(directory::list_queue_groups))
        .route("/queueGroups/:id", get(directory::get_queue_group))
        .route("/roles", get(directory::list_roles))
        .route("/roles/:id", get(directory::get_role));
    if !profile.is_full() {
        return router;
    }
    router
        .route(
            "/users/:id/authentication",
            get(authentication::get_one).put(authentication::replace),
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
}

/// Whether the client asked for `text/html`, as the documentation says a POST should.
fn wants_text(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let kind = parts.next().unwrap_or_default();
            let refused = parts.any(|p| p.replace(' ', "") == "q=0");
            kind.eq_ignore_ascii_case("text/html") && !refused
        })
}

/// 201 with `Location: <request path>/<id>`; the body is the bare id as `text/html` when the
/// client accepts it [doc], else `{"id": id}` [ours].
pub fn created(uri: &Uri, headers: &HeaderMap, id: &str) -> Response {
    let location = format!("{}/{}", uri.path().trim_end_matches('/'), id);
    if wants_text(headers) {
        return (
            StatusCode::CREATED,
            [
                (header::LOCATION, location),
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            ],
            id.to_string(),
        )
            .into_response();
    }
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

/// A unique key (login, secret name, group name) is free when `select_id` (`?1` the tenant, `?2` the
/// key as the query compares it) finds no object other than `except`; otherwise a 409 on `field`.
pub fn check_key_free(
    conn: &rusqlite::Connection,
    select_id: &str,
    tenant: &str,
    key: &str,
    except: Option<&str>,
    field: &str,
    taken: impl FnOnce() -> String,
) -> Result<(), ApiError> {
    use rusqlite::OptionalExtension;
    let other: Option<String> = conn
        .query_row(select_id, [tenant, key], |row| row.get(0))
        .optional()?;
    match other {
        Some(id) if Some(id.as_str()) != except => Err(ApiError::conflict(field, taken())),
        _ => Ok(()),
    }
}
