//! Tenant resolution, `x-api-key` and HTTP Basic checks for RCI routes.

use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rusqlite::OptionalExtension;

use super::error::ApiError;
use super::state::{AppState, Caller, Tenant};

fn unauthorized() -> Response {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "valid Basic credentials of a tenant user are required",
    )
    .with_header(header::WWW_AUTHENTICATE, "Basic realm=\"RCI\"")
    .into_response()
}

/// Decodes `Basic base64(login:password)`.
fn basic_credentials(value: &str) -> Option<(String, String)> {
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (login, password) = text.split_once(':')?;
    Some((login.to_string(), password.to_string()))
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Inside the nested router `uri()` lost its prefix; the tenant is the first segment of the original.
    let path = req
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| req.uri().path().to_string(), |u| u.path().to_string());
    let tenant_name = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let Some(tenant) = state.tenants.get(&tenant_name) else {
        return ApiError::not_found(&format!("tenant {tenant_name:?}")).into_response();
    };
    let api_key_ok = req
        .headers()
        .get("x-api-key")
        .is_some_and(|v| v.as_bytes() == tenant.api_key.as_bytes());
    if !api_key_ok {
        return ApiError::new(StatusCode::FORBIDDEN, "Forbidden").into_response();
    }
    let Some(authorization) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return unauthorized();
    };
    let caller = match state.auth_cache.caller(&tenant_name, &authorization) {
        Some(caller) => caller,
        None => {
            let Some((login, password)) = basic_credentials(&authorization) else {
                return unauthorized();
            };
            let generation = state.auth_cache.generation();
            let t = tenant_name.clone();
            let admin = tenant.admin_login.to_lowercase();
            let found = state
                .store
                .read(move |conn| {
                    let row: Option<(String, Option<String>, bool)> = conn
                        .query_row(
                            "SELECT id, password, must_change_password AND NOT service_account FROM users WHERE tenant = ?1 AND login_norm = ?2",
                            [&t, &login.to_lowercase()],
                            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                        )
                        .optional()?;
                    Ok(row.and_then(|(id, stored, must_change)| {
                        (stored.as_deref() == Some(password.as_str())).then(|| Caller {
                            id,
                            superuser: login.to_lowercase() == admin,
                            must_change_password: must_change,
                        })
                    }))
                })
                .await;
            match found {
                Ok(Some(caller)) => {
                    state.auth_cache.remember(
                        &tenant_name,
                        &authorization,
                        generation,
                        caller.clone(),
                    );
                    caller
                }
                Ok(None) => return unauthorized(),
                Err(e) => return e.into_response(),
            }
        }
    };
    req.extensions_mut().insert(caller);
    req.extensions_mut().insert(Tenant(tenant_name));
    next.run(req).await
}
