//! `users/{id}/authentication`: login, password (write-only) and service-account settings.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use rusqlite::{params, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::id_param;
use super::users::check_login_free;
use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::{AppState, Caller, Tenant};
use contactpro_rules as policy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthenticationBody {
    login: Option<String>,
    password: Option<String>,
    service_account: Option<bool>,
    service_account_expiration: Option<String>,
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = id_param(&params, "id", "user")?;
    let found = state
        .store
        .read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT login, service_account, service_account_expiration, password_expiration,
                            password IS NOT NULL
                     FROM users WHERE tenant = ?1 AND id = ?2",
                    [&tenant, &id],
                    |row| {
                        Ok(json!({
                            "login": row.get::<_, String>(0)?,
                            "serviceAccount": row.get::<_, bool>(1)?,
                            "serviceAccountExpiration": row.get::<_, Option<String>>(2)?,
                            "passwordExpiration": row.get::<_, Option<String>>(3)?,
                            "passwordSet": row.get::<_, bool>(4)?,
                        }))
                    },
                )
                .optional()?)
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::not_found("user"))
}

pub async fn replace(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Extension(caller): Extension<Caller>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<AuthenticationBody>,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "user")?;
    let now = OffsetDateTime::now_utc();
    let login = body.login.ok_or_else(|| ApiError::required("login"))?;
    policy::check_login(&login).map_err(|e| ApiError::invalid("login", e))?;
    if let Some(password) = &body.password {
        policy::check_password(password).map_err(|e| ApiError::invalid("password", e))?;
    }
    let service_account = body.service_account.unwrap_or(false);
    let expiration = match (service_account, body.service_account_expiration) {
        (true, None) => {
            return Err(ApiError::invalid(
                "serviceAccountExpiration",
                "required when serviceAccount is true",
            ))
        }
        (true, Some(at)) => Some(policy::format_timestamp(
            policy::check_future_timestamp(&at, now)
                .map_err(|e| ApiError::invalid("serviceAccountExpiration", e))?,
        )),
        (false, Some(_)) => {
            return Err(ApiError::invalid(
                "serviceAccountExpiration",
                "must be null when serviceAccount is false",
            ))
        }
        (false, None) => None,
    };
    let password = body.password;
    let password_expiration = policy::format_timestamp(now + time::Duration::days(365));
    state
        .store
        .write(move |tx| {
            let (current, was_service, was_expiration): (String, bool, Option<String>) = tx
                .query_row(
                    "SELECT login, service_account, service_account_expiration FROM users WHERE tenant = ?1 AND id = ?2",
                    [&tenant, &id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?
                .ok_or_else(|| ApiError::not_found("user"))?;
            // Without User: Modify, a user may only change its own password.
            let settings_changed =
                current != login || was_service != service_account || was_expiration != expiration;
            if caller.id == id && settings_changed {
                access::require(tx, &tenant, &caller, "User", &id, &["Modify"], "PUT users/{id}/authentication")?;
            }
            if current != login && password.is_none() {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "changing the logon name requires setting the password again: send password with the new login",
                )
                .with_field("password"));
            }
            check_login_free(tx, &tenant, &login, Some(&id))?;
            tx.execute(
                "UPDATE users SET login = ?3, login_norm = ?4, service_account = ?5, service_account_expiration = ?6
                 WHERE tenant = ?1 AND id = ?2",
                params![tenant, id, login, login.to_lowercase(), service_account, expiration],
            )?;
            if let Some(password) = password {
                // Set by someone else: the user must change it before anything else [doc].
                let must_change = caller.id != id;
                tx.execute(
                    "UPDATE users SET password = ?3, password_expiration = ?4, must_change_password = ?5
                     WHERE tenant = ?1 AND id = ?2",
                    params![tenant, id, password, password_expiration, must_change],
                )?;
            }
            Ok(())
        })
        .await?;
    state.auth_cache.invalidate();
    Ok(StatusCode::NO_CONTENT)
}
