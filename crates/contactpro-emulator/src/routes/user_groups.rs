//! Writes of `userGroups` [doc: paths POST userGroups, PUT/DELETE userGroups/{id}; body and rules
//! ours], and `userGroups/{id}/users` [doc: path; shape ours]. The group without a parent is
//! All Users, the root: it cannot be moved, renamed or deleted.

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{check_key_free, created, id_param};
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::{AppState, Tenant};
use crate::store::new_id;
use contactpro_rules as policy;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupBody {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    parent_id: Option<String>,
    /// Read-only, accepted back as GET returned it.
    #[serde(default)]
    #[allow(dead_code)]
    user_ids: Option<Value>,
}

fn root_id(conn: &Connection, tenant: &str) -> ApiResult<String> {
    Ok(conn.query_row(
        "SELECT id FROM user_groups WHERE tenant = ?1 AND parent_id IS NULL ORDER BY rowid LIMIT 1",
        [tenant],
        |row| row.get(0),
    )?)
}

fn parent_of(conn: &Connection, tenant: &str, id: &str) -> ApiResult<Option<Option<String>>> {
    Ok(conn
        .query_row(
            "SELECT parent_id FROM user_groups WHERE tenant = ?1 AND id = ?2",
            [tenant, id],
            |row| row.get(0),
        )
        .optional()?)
}

fn check_name(name: Option<String>) -> ApiResult<String> {
    let name = name.ok_or_else(|| ApiError::required("name"))?;
    policy::check_person_name(&name).map_err(|e| ApiError::invalid("name", e))?;
    Ok(name)
}

/// Names are unique in the tenant [ours].
fn check_name_free(
    conn: &Connection,
    tenant: &str,
    name: &str,
    except: Option<&str>,
) -> ApiResult<()> {
    let select = "SELECT id FROM user_groups WHERE tenant = ?1 AND lower(name) = lower(?2)";
    check_key_free(conn, select, tenant, name, except, "name", || {
        format!("name: a user group named {name:?} already exists")
    })
}

/// The parent must exist and must not be the group itself or one of its subgroups.
fn check_parent(
    conn: &Connection,
    tenant: &str,
    parent: &str,
    group: Option<&str>,
) -> ApiResult<()> {
    let mut at = Some(parent.to_string());
    while let Some(current) = at {
        if Some(current.as_str()) == group {
            return Err(ApiError::invalid(
                "parentId",
                "a group cannot be its own parent or a subgroup of itself",
            ));
        }
        at = match parent_of(conn, tenant, &current)? {
            Some(next) => next,
            None => return Err(ApiError::invalid("parentId", "no such user group")),
        };
    }
    Ok(())
}

pub async fn create(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    JsonBody(body): JsonBody<GroupBody>,
) -> ApiResult<Response> {
    if body.id.is_some() {
        return Err(ApiError::invalid("id", "is set by the system"));
    }
    let name = check_name(body.name)?;
    let id = new_id();
    let new = id.clone();
    state
        .store
        .write(move |tx| {
            check_name_free(tx, &tenant, &name, None)?;
            // Default parent: All Users [doc: groups are created inside All Users or a subgroup].
            let parent = match body.parent_id {
                Some(parent) => parent,
                None => root_id(tx, &tenant)?,
            };
            check_parent(tx, &tenant, &parent, None)?;
            tx.execute(
                "INSERT INTO user_groups (tenant, id, name, parent_id) VALUES (?1, ?2, ?3, ?4)",
                params![tenant, new, name, parent],
            )?;
            Ok(())
        })
        .await?;
    Ok(created(&uri, &headers, &id))
}

pub async fn replace(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<GroupBody>,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "user group")?;
    let name = check_name(body.name)?;
    state
        .store
        .write(move |tx| {
            let current =
                parent_of(tx, &tenant, &id)?.ok_or_else(|| ApiError::not_found("user group"))?;
            if body
                .id
                .as_deref()
                .is_some_and(|b| !b.eq_ignore_ascii_case(&id))
            {
                return Err(ApiError::invalid("id", "does not match the path"));
            }
            check_name_free(tx, &tenant, &name, Some(&id))?;
            match (&current, &body.parent_id) {
                (None, None) => {}
                (None, Some(_)) => {
                    return Err(ApiError::invalid(
                        "parentId",
                        "All Users is the root and has no parent",
                    ))
                }
                (Some(_), None) => return Err(ApiError::required("parentId")),
                (Some(_), Some(parent)) => check_parent(tx, &tenant, parent, Some(&id))?,
            }
            tx.execute(
                "UPDATE user_groups SET name = ?3, parent_id = ?4 WHERE tenant = ?1 AND id = ?2",
                params![tenant, id, name, body.parent_id],
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
    let id = id_param(&params, "id", "user group")?;
    state
        .store
        .write(move |tx| {
            let parent =
                parent_of(tx, &tenant, &id)?.ok_or_else(|| ApiError::not_found("user group"))?;
            if parent.is_none() {
                return Err(ApiError::conflict("id", "All Users cannot be deleted"));
            }
            let subgroups: i64 = tx.query_row(
                "SELECT COUNT(*) FROM user_groups WHERE tenant = ?1 AND parent_id = ?2",
                [&tenant, &id],
                |row| row.get(0),
            )?;
            if subgroups > 0 {
                return Err(ApiError::conflict(
                    "id",
                    "the user group has subgroups: delete or move them first",
                ));
            }
            // Its members stay users; only their membership in this group goes [ours].
            tx.execute(
                "DELETE FROM user_group_members WHERE tenant = ?1 AND group_id = ?2",
                [&tenant, &id],
            )?;
            tx.execute(
                "DELETE FROM user_groups WHERE tenant = ?1 AND id = ?2",
                [&tenant, &id],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The direct members, as `{id, firstName, surname}` like the users list [ours].
pub async fn list_users(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    let id = id_param(&params, "id", "user group")?;
    let users = state
        .store
        .read(move |conn| {
            parent_of(conn, &tenant, &id)?.ok_or_else(|| ApiError::not_found("user group"))?;
            let mut stmt = conn.prepare_cached(
                "SELECT u.id, u.first_name, u.surname FROM user_group_members m
                 JOIN users u ON u.tenant = m.tenant AND u.id = m.user_id
                 WHERE m.tenant = ?1 AND m.group_id = ?2 ORDER BY m.rowid",
            )?;
            let rows = stmt
                .query_map([&tenant, &id], |row| {
                    Ok(json!({"id": row.get::<_, String>(0)?, "firstName": row.get::<_, String>(1)?,
                              "surname": row.get::<_, String>(2)?}))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await?;
    Ok(Json(users))
}
