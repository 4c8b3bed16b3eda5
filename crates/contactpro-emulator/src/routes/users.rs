//! `users` and `users/{id}`.

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde_json::Value;

use super::user_fields::{self, ValidUser};
use super::user_list::UserQuery;
use super::{check_key_free, created, id_param};
use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::state::{AppState, Caller, Tenant};
use crate::store::new_id;

/// Whether the user exists in the tenant.
pub fn exists(conn: &Connection, tenant: &str, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE tenant = ?1 AND id = ?2)",
        [tenant, id],
        |row| row.get(0),
    )
}

/// 404 unless the user exists.
pub fn require(conn: &Connection, tenant: &str, id: &str) -> ApiResult<()> {
    if exists(conn, tenant, id)? {
        Ok(())
    } else {
        Err(ApiError::not_found("user"))
    }
}

/// 409 if another user already has this login (case-insensitively).
pub fn check_login_free(
    conn: &Connection,
    tenant: &str,
    login: &str,
    except: Option<&str>,
) -> ApiResult<()> {
    let select = "SELECT id FROM users WHERE tenant = ?1 AND login_norm = ?2";
    check_key_free(
        conn,
        select,
        tenant,
        &login.to_lowercase(),
        except,
        "login",
        || format!("login: a user with login {login:?} already exists"),
    )
}

/// One user as `GET users/{id}` returns it.
fn load(conn: &Connection, tenant: &str, id: &str, full: bool) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM users WHERE tenant = ?1 AND id = ?2",
        user_fields::columns()
    ))?
    .query_row([tenant, id], |row| user_fields::to_json(row, full))
    .optional()
}

pub async fn list(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    let full = state.profile.is_full();
    let query = UserQuery::parse(&query, full)?;
    let items = state
        .store
        .read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {} FROM users WHERE tenant = ?1",
                user_fields::columns()
            ))?;
            let rows = stmt.query_map([&tenant], |row| user_fields::to_json(row, full))?;
            let mut items = rows.collect::<Result<Vec<_>, _>>()?;
            access::visible(conn, &tenant, &caller, "User")?.filter(&mut items);
            Ok(items)
        })
        .await?;
    Ok(Json(query.apply(items)))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = id_param(&params, "id", "user")?;
    let full = state.profile.is_full();
    let user = state
        .store
        .read(move |conn| Ok(load(conn, &tenant, &id, full)?))
        .await?;
    user.map(Json).ok_or_else(|| ApiError::not_found("user"))
}

/// `col = ?N` assignments (from ?3) and the values of every writable field.
fn writable(user: &ValidUser) -> (Vec<&'static str>, Vec<SqlValue>) {
    let mut columns: Vec<&'static str> = user_fields::TEXT.iter().map(|(_, c)| *c).collect();
    let mut values: Vec<SqlValue> = user
        .text
        .iter()
        .map(|v| v.clone().map_or(SqlValue::Null, SqlValue::Text))
        .collect();
    columns.push("login_norm");
    values.push(SqlValue::Text(user.login().to_lowercase()));
    columns.push("synchronised");
    values.push(SqlValue::Integer(user.synchronised.into()));
    (columns, values)
}

pub async fn create(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Response> {
    let user = user_fields::validate(body, None, state.profile.is_full())?;
    let id = new_id();
    let new = id.clone();
    state
        .store
        .write(move |tx| {
            check_login_free(tx, &tenant, user.login(), None)?;
            let (columns, values) = writable(&user);
            let marks: Vec<String> = (0..columns.len()).map(|i| format!("?{}", i + 3)).collect();
            let sql = format!(
                "INSERT INTO users (tenant, id, {}) VALUES (?1, ?2, {})",
                columns.join(", "),
                marks.join(", ")
            );
            let mut all = vec![SqlValue::Text(tenant), SqlValue::Text(new)];
            all.extend(values);
            tx.execute(&sql, params_from_iter(all))?;
            Ok(())
        })
        .await?;
    Ok(created(&uri, &headers, &id))
}

pub async fn replace(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "user")?;
    let full = state.profile.is_full();
    state
        .store
        .write(move |tx| {
            let stored =
                load(tx, &tenant, &id, full)?.ok_or_else(|| ApiError::not_found("user"))?;
            let user = user_fields::validate(body, Some(&stored), full)?;
            let (columns, values) = writable(&user);
            let sets: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 3))
                .collect();
            let sql = format!(
                "UPDATE users SET {} WHERE tenant = ?1 AND id = ?2",
                sets.join(", ")
            );
            let mut all = vec![SqlValue::Text(tenant), SqlValue::Text(id)];
            all.extend(values);
            tx.execute(&sql, params_from_iter(all))?;
            Ok(())
        })
        .await?;
    state.auth_cache.invalidate();
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "user")?;
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &id)?;
            // A user's rights and memberships go with it, and so do rights granted on it.
            tx.execute(
                "DELETE FROM rights WHERE tenant = ?1 AND user_id = ?2",
                [&tenant, &id],
            )?;
            tx.execute(
                "DELETE FROM rights WHERE tenant = ?1 AND object_type = 'User' AND object_id = ?2",
                [&tenant, &id],
            )?;
            tx.execute(
                "DELETE FROM user_group_members WHERE tenant = ?1 AND user_id = ?2",
                [&tenant, &id],
            )?;
            tx.execute(
                "DELETE FROM user_roles WHERE tenant = ?1 AND user_id = ?2",
                [&tenant, &id],
            )?;
            tx.execute(
                "DELETE FROM users WHERE tenant = ?1 AND id = ?2",
                [&tenant, &id],
            )?;
            Ok(())
        })
        .await?;
    state.auth_cache.invalidate();
    Ok(StatusCode::NO_CONTENT)
}
