//! `users/{id}/rights` and `users/{id}/rights/{rightId}`.

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Deserialize;
use serde_json::{json, Value};

use super::users::require;
use super::{created, id_param};
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::{AppState, Tenant};
use crate::store::new_id;
use contactpro_rules as policy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RightBody {
    object_type: Option<String>,
    object_id: Option<String>,
    access_types: Option<Vec<String>>,
    grant: Option<Vec<String>>,
}

struct ValidRight {
    object_type: String,
    object_id: String,
    access_types: Vec<String>,
    grant: Vec<String>,
}

/// Table holding objects of a wire object type, for the types the emulator stores.
fn stored_table(object_type: &str) -> Option<&'static str> {
    match object_type {
        "Queue" => Some("queues"),
        "QueueGroup" => Some("queue_groups"),
        "User" => Some("users"),
        "UserGroup" => Some("user_groups"),
        "UserRole" => Some("roles"),
        "Secret" => Some("secrets"),
        _ => None,
    }
}

fn validate(body: RightBody) -> ApiResult<ValidRight> {
    let object_type = body
        .object_type
        .ok_or_else(|| ApiError::required("objectType"))?;
    if !policy::is_wire_object_type(&object_type) {
        return Err(ApiError::invalid(
            "objectType",
            format!("{object_type:?} is not a known object type"),
        ));
    }
    let object_id = body
        .object_id
        .ok_or_else(|| ApiError::required("objectId"))?;
    if !policy::is_id(&object_id) {
        return Err(ApiError::invalid(
            "objectId",
            "must be 32 upper-case hex characters",
        ));
    }
    let access_types = body
        .access_types
        .ok_or_else(|| ApiError::required("accessTypes"))?;
    if access_types.is_empty() {
        return Err(ApiError::invalid(
            "accessTypes",
            "must have at least one entry",
        ));
    }
    for (field, list) in [
        ("accessTypes", &access_types),
        ("grant", body.grant.as_ref().unwrap_or(&Vec::new())),
    ] {
        if let Some(bad) = list.iter().find(|a| !policy::is_wire_access_type(a)) {
            return Err(ApiError::invalid(
                field,
                format!("{bad:?} is not a known access type"),
            ));
        }
    }
    let grant = body.grant.unwrap_or_default();
    if let Some(bad) = grant.iter().find(|g| !access_types.contains(g)) {
        return Err(ApiError::invalid(
            "grant",
            format!("{bad:?} is not in accessTypes"),
        ));
    }
    Ok(ValidRight {
        object_type,
        object_id,
        access_types,
        grant,
    })
}

fn require_object(conn: &Connection, tenant: &str, right: &ValidRight) -> ApiResult<()> {
    // A type-wide right names no object.
    if right.object_id == crate::access::ANY_OBJECT {
        return Ok(());
    }
    if let Some(table) = stored_table(&right.object_type) {
        let exists: bool = conn.query_row(
            &format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE tenant = ?1 AND id = ?2)"),
            [tenant, &right.object_id],
            |row| row.get(0),
        )?;
        if !exists {
            return Err(
                ApiError::not_found(&format!("{} {}", right.object_type, right.object_id))
                    .with_field("objectId"),
            );
        }
    }
    Ok(())
}

fn row_to_json(row: &Row) -> rusqlite::Result<Value> {
    let list = |i: usize| -> rusqlite::Result<Value> {
        let text: String = row.get(i)?;
        Ok(serde_json::from_str(&text).unwrap_or(Value::Array(Vec::new())))
    };
    Ok(json!({
        "id": row.get::<_, String>(0)?,
        "objectType": row.get::<_, String>(1)?,
        "objectId": row.get::<_, String>(2)?,
        "accessTypes": list(3)?,
        "grant": list(4)?,
    }))
}

const SELECT: &str = "SELECT id, object_type, object_id, access_types, grant_types FROM rights";

pub async fn list(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    let id = id_param(&params, "id", "user")?;
    let items = state
        .store
        .read(move |conn| {
            require(conn, &tenant, &id)?;
            let mut stmt = conn.prepare_cached(&format!(
                "{SELECT} WHERE tenant = ?1 AND user_id = ?2 ORDER BY rowid"
            ))?;
            let rows = stmt.query_map([&tenant, &id], row_to_json)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    Ok(Json(items))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = id_param(&params, "id", "user")?;
    let right_id = id_param(&params, "rightId", "right")?;
    let found = state
        .store
        .read(move |conn| {
            require(conn, &tenant, &id)?;
            Ok(conn
                .query_row(
                    &format!("{SELECT} WHERE tenant = ?1 AND user_id = ?2 AND id = ?3"),
                    [&tenant, &id, &right_id],
                    row_to_json,
                )
                .optional()?)
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::not_found("right"))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    JsonBody(body): JsonBody<RightBody>,
) -> ApiResult<Response> {
    let user_id = id_param(&params, "id", "user")?;
    let right = validate(body)?;
    let id = new_id();
    let new = id.clone();
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &user_id)?;
            require_object(tx, &tenant, &right)?;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO rights (tenant, id, user_id, object_type, object_id, access_types, grant_types)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![tenant, new, user_id, right.object_type, right.object_id,
                        serde_json::to_string(&right.access_types).unwrap_or_default(),
                        serde_json::to_string(&right.grant).unwrap_or_default()],
            )?;
            if inserted == 0 {
                return Err(ApiError::conflict("objectId", "the user already has a right on this object; update it instead"));
            }
            Ok(())
        })
        .await?;
    Ok(created(&uri, &headers, &id))
}

pub async fn replace(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<RightBody>,
) -> ApiResult<StatusCode> {
    let user_id = id_param(&params, "id", "user")?;
    let right_id = id_param(&params, "rightId", "right")?;
    let right = validate(body)?;
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &user_id)?;
            let current: Option<(String, String)> = tx
                .query_row(
                    "SELECT object_type, object_id FROM rights WHERE tenant = ?1 AND user_id = ?2 AND id = ?3",
                    [&tenant, &user_id, &right_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let (object_type, object_id) = current.ok_or_else(|| ApiError::not_found("right"))?;
            if object_type != right.object_type {
                return Err(ApiError::invalid("objectType", "cannot change; delete the right and create a new one"));
            }
            if object_id != right.object_id {
                return Err(ApiError::invalid("objectId", "cannot change; delete the right and create a new one"));
            }
            tx.execute(
                "UPDATE rights SET access_types = ?3, grant_types = ?4 WHERE tenant = ?1 AND id = ?2",
                params![tenant, right_id,
                        serde_json::to_string(&right.access_types).unwrap_or_default(),
                        serde_json::to_string(&right.grant).unwrap_or_default()],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<StatusCode> {
    let user_id = id_param(&params, "id", "user")?;
    let right_id = id_param(&params, "rightId", "right")?;
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &user_id)?;
            let removed = tx.execute(
                "DELETE FROM rights WHERE tenant = ?1 AND user_id = ?2 AND id = ?3",
                [&tenant, &user_id, &right_id],
            )?;
            if removed == 0 {
                return Err(ApiError::not_found("right"));
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
