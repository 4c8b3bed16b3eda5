//! `users` and `users/{id}`.

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Json};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{check_max, created, id_param};
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::listing;
use crate::state::{AppState, Tenant};
use crate::store::new_id;
use contactpro_rules as policy;

const FILTERS: [&str; 5] = ["firstName", "surname", "login", "email", "externalId"];
const COLUMNS: &str = "id, first_name, surname, login, email, title, location, time_zone, ui_language, prompt_language, external_id, password_expiration, service_account, service_account_expiration,
    (SELECT group_concat(group_id) FROM user_group_members m WHERE m.tenant = users.tenant AND m.user_id = users.id),
    (SELECT group_concat(role_id) FROM user_roles r WHERE r.tenant = users.tenant AND r.user_id = users.id)";

/// Body of POST and PUT: every user field except the read-only ones.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserBody {
    first_name: Option<String>,
    surname: Option<String>,
    login: Option<String>,
    email: Option<String>,
    title: Option<String>,
    location: Option<String>,
    time_zone: Option<String>,
    ui_language: Option<String>,
    prompt_language: Option<String>,
    external_id: Option<String>,
}

struct ValidUser {
    first_name: String,
    surname: String,
    login: String,
    rest: [Option<String>; 7],
}

fn validate(body: UserBody) -> ApiResult<ValidUser> {
    let first_name = body
        .first_name
        .ok_or_else(|| ApiError::required("firstName"))?;
    policy::check_person_name(&first_name).map_err(|e| ApiError::invalid("firstName", e))?;
    let surname = body.surname.ok_or_else(|| ApiError::required("surname"))?;
    policy::check_person_name(&surname).map_err(|e| ApiError::invalid("surname", e))?;
    let login = body.login.ok_or_else(|| ApiError::required("login"))?;
    policy::check_login(&login).map_err(|e| ApiError::invalid("login", e))?;
    let rest = [
        body.email,
        body.title,
        body.location,
        body.time_zone,
        body.ui_language,
        body.prompt_language,
        body.external_id,
    ];
    let names = [
        "email",
        "title",
        "location",
        "timeZone",
        "uiLanguage",
        "promptLanguage",
        "externalId",
    ];
    for (name, value) in names.iter().zip(rest.iter()) {
        check_max(name, value, policy::NAME_MAX)?;
    }
    Ok(ValidUser {
        first_name,
        surname,
        login,
        rest,
    })
}

pub fn row_to_json(row: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": row.get::<_, String>(0)?,
        "firstName": row.get::<_, String>(1)?,
        "surname": row.get::<_, String>(2)?,
        "login": row.get::<_, String>(3)?,
        "email": row.get::<_, Option<String>>(4)?,
        "title": row.get::<_, Option<String>>(5)?,
        "location": row.get::<_, Option<String>>(6)?,
        "timeZone": row.get::<_, Option<String>>(7)?,
        "uiLanguage": row.get::<_, Option<String>>(8)?,
        "promptLanguage": row.get::<_, Option<String>>(9)?,
        "externalId": row.get::<_, Option<String>>(10)?,
        "passwordExpiration": row.get::<_, Option<String>>(11)?,
        // Read-only summary of users/{id}/authentication, so a bulk read needs no call per user.
        "serviceAccount": row.get::<_, bool>(12)?,
        "serviceAccountExpiration": row.get::<_, Option<String>>(13)?,
        // Read-only membership ids, for the same reason (users/{id}/userGroups and /roles stay).
        "userGroupIds": id_list(row.get::<_, Option<String>>(14)?),
        "roleIds": id_list(row.get::<_, Option<String>>(15)?),
    }))
}

/// `group_concat` output → sorted ids.
fn id_list(joined: Option<String>) -> Vec<String> {
    let mut ids: Vec<String> = joined
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    ids.sort();
    ids
}

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
    let other: Option<String> = conn
        .query_row(
            "SELECT id FROM users WHERE tenant = ?1 AND login_norm = ?2",
            [tenant, &login.to_lowercase()],
            |row| row.get(0),
        )
        .optional()?;
    match other {
        Some(id) if Some(id.as_str()) != except => Err(ApiError::conflict(
            "login",
            format!("login: a user with login {login:?} already exists"),
        )),
        _ => Ok(()),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    let items = state
        .store
        .read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM users WHERE tenant = ?1 ORDER BY rowid"
            ))?;
            let rows = stmt.query_map([&tenant], row_to_json)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    Ok(Json(listing::apply(items, &query, &FILTERS)?))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = id_param(&params, "id", "user")?;
    let user = state
        .store
        .read(move |conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM users WHERE tenant = ?1 AND id = ?2"
                ))?
                .query_row([&tenant, &id], row_to_json)
                .optional()?)
        })
        .await?;
    user.map(Json).ok_or_else(|| ApiError::not_found("user"))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    OriginalUri(uri): OriginalUri,
    JsonBody(body): JsonBody<UserBody>,
) -> ApiResult<Response> {
    let user = validate(body)?;
    let id = new_id();
    let new = id.clone();
    state
        .store
        .write(move |tx| {
            check_login_free(tx, &tenant, &user.login, None)?;
            let [email, title, location, tz, ui, prompt, external] = &user.rest;
            tx.execute(
                "INSERT INTO users (tenant, id, first_name, surname, login, login_norm, email, title, location,
                                    time_zone, ui_language, prompt_language, external_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![tenant, new, user.first_name, user.surname, user.login, user.login.to_lowercase(),
                        email, title, location, tz, ui, prompt, external],
            )?;
            Ok(())
        })
        .await?;
    Ok(created(&uri, &id))
}

pub async fn replace(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<UserBody>,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "user")?;
    let user = validate(body)?;
    state
        .store
        .write(move |tx| {
            require(tx, &tenant, &id)?;
            check_login_free(tx, &tenant, &user.login, Some(&id))?;
            let [email, title, location, tz, ui, prompt, external] = &user.rest;
            tx.execute(
                "UPDATE users SET first_name = ?3, surname = ?4, login = ?5, login_norm = ?6, email = ?7, title = ?8,
                        location = ?9, time_zone = ?10, ui_language = ?11, prompt_language = ?12, external_id = ?13
                 WHERE tenant = ?1 AND id = ?2",
                params![tenant, id, user.first_name, user.surname, user.login, user.login.to_lowercase(),
                        email, title, location, tz, ui, prompt, external],
            )?;
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
