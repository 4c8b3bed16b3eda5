//! Tenant resolution, `x-api-key` and HTTP Basic checks for RCI routes and the tenant's
//! `/_emulator` endpoints (admin only).

use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rusqlite::OptionalExtension;

use super::error::ApiError;
use super::secret_eq::{secret_eq, stored_eq};
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

/// The first path segment after `skip` leading ones: the tenant of `/{tenant}/RI/rci/…` (skip 0)
/// or of `/_emulator/{tenant}/…` (skip 1).
fn tenant_segment(req: &Request, skip: usize) -> String {
    // Inside the nested router `uri()` lost its prefix; the tenant is in the original.
    let path = req
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| req.uri().path().to_string(), |u| u.path().to_string());
    path.trim_start_matches('/')
        .split('/')
        .nth(skip)
        .unwrap_or_default()
        .to_string()
}

/// The RCI's authentication: the tenant's `x-api-key`, then Basic credentials of one of its users.
async fn check_caller(
    state: &AppState,
    tenant_name: &str,
    headers: &HeaderMap,
) -> Result<Caller, Response> {
    let Some(tenant) = state.tenants.get(tenant_name) else {
        return Err(ApiError::not_found(&format!("tenant {tenant_name:?}")).into_response());
    };
    let api_key_ok = headers
        .get("x-api-key")
        .is_some_and(|v| secret_eq(v.as_bytes(), tenant.api_key.as_bytes()));
    if !api_key_ok {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "Forbidden").into_response());
    }
    let Some(authorization) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return Err(unauthorized());
    };
    if let Some(caller) = state.auth_cache.caller(tenant_name, &authorization) {
        return Ok(caller);
    }
    let Some((login, password)) = basic_credentials(&authorization) else {
        return Err(unauthorized());
    };
    let generation = state.auth_cache.generation();
    let t = tenant_name.to_string();
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
                stored_eq(stored.as_deref(), &password).then(|| Caller {
                    id,
                    superuser: login.to_lowercase() == admin,
                    must_change_password: must_change,
                })
            }))
        })
        .await;
    match found {
        Ok(Some(caller)) => {
            state
                .auth_cache
                .remember(tenant_name, &authorization, generation, caller.clone());
            Ok(caller)
        }
        Ok(None) => Err(unauthorized()),
        Err(e) => Err(e.into_response()),
    }
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let tenant_name = tenant_segment(&req, 0);
    let caller = match check_caller(&state, &tenant_name, req.headers()).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    req.extensions_mut().insert(caller);
    req.extensions_mut().insert(Tenant(tenant_name));
    next.run(req).await
}

/// `/_emulator/{tenant}/…`: the RCI's authentication, and the caller must be the tenant's admin,
/// since these endpoints check and set any user's credentials.
pub async fn require_admin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let tenant_name = tenant_segment(&req, 1);
    match check_caller(&state, &tenant_name, req.headers()).await {
        Ok(caller) if caller.superuser => next.run(req).await,
        Ok(_) => ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "the /_emulator endpoints of tenant {tenant_name:?} answer its admin user only; \
                 send the admin's Basic credentials and the tenant's x-api-key"
            ),
        )
        .into_response(),
        Err(response) => response,
    }
}
