//! Emulator-only set-up of API users, for both profiles (the documented RCI has no way to set a
//! password or a right): a user's password, and rights held by a user.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use time::OffsetDateTime;

use super::emulator::known_tenant;
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::new_id;
use contactpro_rules as policy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RightBody {
    object_type: String,
    object_id: String,
    access_types: Vec<String>,
}

fn user_id(conn: &Connection, tenant: &str, login: &str) -> ApiResult<String> {
    conn.query_row(
        "SELECT id FROM users WHERE tenant = ?1 AND login_norm = ?2",
        [tenant, &login.to_lowercase()],
        |row| row.get(0),
    )
    .optional()?
    .ok_or_else(|| ApiError::not_found("user").with_field("login"))
}

/// `PUT /_emulator/{tenant}/users/{login}/password`: sets a password as if the user had chosen it
/// (so no change is required at first use).
pub async fn set_password(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<PasswordBody>,
) -> ApiResult<StatusCode> {
    let tenant = known_tenant(&state, &params)?;
    let login = params.get("login").cloned().unwrap_or_default();
    policy::check_password(&body.password).map_err(|e| ApiError::invalid("password", e))?;
    let expiration =
        policy::format_timestamp(OffsetDateTime::now_utc() + time::Duration::days(365));
    state
        .store
        .write(move |tx| {
            let id = user_id(tx, &tenant, &login)?;
            tx.execute(
                "UPDATE users SET password = ?3, password_expiration = ?4, must_change_password = 0
                 WHERE tenant = ?1 AND id = ?2",
                params![tenant, id, body.password, expiration],
            )?;
            Ok(())
        })
        .await?;
    state.auth_cache.invalidate();
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /_emulator/{tenant}/users/{login}/rights`: sets the user's access types on one object
/// (objectId of 32 zeros = every object of the type); an empty list removes the right.
pub async fn set_right(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<RightBody>,
) -> ApiResult<StatusCode> {
    let tenant = known_tenant(&state, &params)?;
    let login = params.get("login").cloned().unwrap_or_default();
    if !policy::is_wire_object_type(&body.object_type) {
        return Err(ApiError::invalid(
            "objectType",
            "is not a known object type",
        ));
    }
    if !policy::is_id(&body.object_id) {
        return Err(ApiError::invalid(
            "objectId",
            "must be 32 upper-case hex characters",
        ));
    }
    if let Some(bad) = body
        .access_types
        .iter()
        .find(|a| !policy::is_wire_access_type(a))
    {
        return Err(ApiError::invalid(
            "accessTypes",
            format!("{bad:?} is not a known access type"),
        ));
    }
    state
        .store
        .write(move |tx| {
            let id = user_id(tx, &tenant, &login)?;
            tx.execute(
                "DELETE FROM rights WHERE tenant = ?1 AND user_id = ?2 AND object_type = ?3 AND object_id = ?4",
                params![tenant, id, body.object_type, body.object_id],
            )?;
            if !body.access_types.is_empty() {
                tx.execute(
                    "INSERT INTO rights (tenant, id, user_id, object_type, object_id, access_types, grant_types)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, '[]')",
                    params![tenant, new_id(), id, body.object_type, body.object_id,
                            serde_json::to_string(&body.access_types).unwrap_or_default()],
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
