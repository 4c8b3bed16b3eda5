//! `users/{id}/userGroups` and `users/{id}/roles`: membership links.

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

use super::users::require;
use super::{created, id_param};
use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::{AppState, Caller, Tenant};

/// Where one kind of membership is stored.
struct Kind {
    link_table: &'static str,
    link_column: &'static str,
    target_table: &'static str,
    what: &'static str,
    /// Right on the group or role that adding a member needs [doc].
    object_type: &'static str,
    add_needs: &'static [&'static str],
    add_call: &'static str,
}

const GROUPS: Kind = Kind {
    link_table: "user_group_members",
    link_column: "group_id",
    target_table: "user_groups",
    what: "user group",
    object_type: "UserGroup",
    add_needs: &["View", "ManageMembers"],
    add_call: "POST users/{id}/userGroups",
};
const ROLES: Kind = Kind {
    link_table: "user_roles",
    link_column: "role_id",
    target_table: "roles",
    what: "role",
    object_type: "UserRole",
    add_needs: &["ManageMembers"],
    add_call: "POST users/{id}/roles",
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipBody {
    id: Option<String>,
}

async fn list(
    state: AppState,
    tenant: String,
    params: HashMap<String, String>,
    kind: &'static Kind,
) -> ApiResult<Json<Vec<Value>>> {
    let id = id_param(&params, "id", "user")?;
    let items = state
        .store
        .read(move |conn| {
            require(conn, &tenant, &id)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT t.id, t.name FROM {link} l JOIN {target} t ON t.tenant = l.tenant AND t.id = l.{col}
                 WHERE l.tenant = ?1 AND l.user_id = ?2 ORDER BY t.name",
                link = kind.link_table,
                target = kind.target_table,
                col = kind.link_column
            ))?;
            let rows = stmt.query_map([&tenant, &id], |row| {
                Ok(json!({"id": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?}))
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    Ok(Json(items))
}

async fn add(
    state: AppState,
    tenant: String,
    params: HashMap<String, String>,
    request: (Uri, HeaderMap, Caller),
    body: MembershipBody,
    kind: &'static Kind,
) -> ApiResult<Response> {
    let (uri, headers, caller) = request;
    let id = id_param(&params, "id", "user")?;
    let target = body.id.ok_or_else(|| ApiError::required("id"))?;
    let link = target.clone();
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &id)?;
            let known: bool = tx.query_row(
                &format!(
                    "SELECT EXISTS(SELECT 1 FROM {} WHERE tenant = ?1 AND id = ?2)",
                    kind.target_table
                ),
                [&tenant, &link],
                |row| row.get(0),
            )?;
            if !known {
                return Err(ApiError::not_found(kind.what).with_field("id"));
            }
            access::require(
                tx,
                &tenant,
                &caller,
                kind.object_type,
                &link,
                kind.add_needs,
                kind.add_call,
            )?;
            let inserted = tx.execute(
                &format!(
                    "INSERT OR IGNORE INTO {} (tenant, user_id, {}) VALUES (?1, ?2, ?3)",
                    kind.link_table, kind.link_column
                ),
                [&tenant, &id, &link],
            )?;
            if inserted == 0 {
                return Err(ApiError::conflict(
                    "id",
                    format!("the user is already a member of this {}", kind.what),
                ));
            }
            Ok(())
        })
        .await?;
    Ok(created(&uri, &headers, &target))
}

async fn remove(
    state: AppState,
    tenant: String,
    params: HashMap<String, String>,
    param: &str,
    kind: &'static Kind,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "user")?;
    let target = params.get(param).cloned().unwrap_or_default();
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &id)?;
            let removed = tx.execute(
                &format!(
                    "DELETE FROM {} WHERE tenant = ?1 AND user_id = ?2 AND {} = ?3",
                    kind.link_table, kind.link_column
                ),
                [&tenant, &id, &target],
            )?;
            if removed == 0 {
                return Err(ApiError::not_found(&format!(
                    "membership in this {}",
                    kind.what
                )));
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn list_groups(
    State(s): State<AppState>,
    Extension(Tenant(t)): Extension<Tenant>,
    Path(p): Path<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    list(s, t, p, &GROUPS).await
}

pub async fn list_roles(
    State(s): State<AppState>,
    Extension(Tenant(t)): Extension<Tenant>,
    Path(p): Path<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    list(s, t, p, &ROLES).await
}

pub async fn add_group(
    State(s): State<AppState>,
    Extension(Tenant(t)): Extension<Tenant>,
    Path(p): Path<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    JsonBody(b): JsonBody<MembershipBody>,
) -> ApiResult<Response> {
    add(s, t, p, (uri, headers, caller), b, &GROUPS).await
}

pub async fn add_role(
    State(s): State<AppState>,
    Extension(Tenant(t)): Extension<Tenant>,
    Path(p): Path<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    JsonBody(b): JsonBody<MembershipBody>,
) -> ApiResult<Response> {
    add(s, t, p, (uri, headers, caller), b, &ROLES).await
}

pub async fn remove_group(
    State(s): State<AppState>,
    Extension(Tenant(t)): Extension<Tenant>,
    Path(p): Path<HashMap<String, String>>,
) -> ApiResult<StatusCode> {
    remove(s, t, p, "gid", &GROUPS).await
}

pub async fn remove_role(
    State(s): State<AppState>,
    Extension(Tenant(t)): Extension<Tenant>,
    Path(p): Path<HashMap<String, String>>,
) -> ApiResult<StatusCode> {
    remove(s, t, p, "rid", &ROLES).await
}
