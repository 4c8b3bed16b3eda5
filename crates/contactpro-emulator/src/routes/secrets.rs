//! `secrets` and `secrets/{id}`; the secret value is write-only.

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{check_key_free, created, id_param};
use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::json::JsonBody;
use crate::listing;
use crate::state::{AppState, Caller, Tenant};
use crate::store::new_id;
use contactpro_rules as policy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretBody {
    name: Option<String>,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    authentication_id: Option<String>,
    access_token_url: Option<String>,
    secret: Option<String>,
}

struct ValidSecret {
    name: String,
    description: Option<String>,
    kind: String,
    authentication_id: Option<String>,
    access_token_url: Option<String>,
    secret: Option<String>,
}

/// Checks every rule; never puts the secret value in a message.
fn validate(body: SecretBody, secret_required: bool) -> ApiResult<ValidSecret> {
    let name = body.name.ok_or_else(|| ApiError::required("name"))?;
    policy::check_secret_name(&name).map_err(|e| ApiError::invalid("name", e))?;
    if let Some(d) = &body.description {
        policy::check_description(d).map_err(|e| ApiError::invalid("description", e))?;
    }
    let kind = body.kind.ok_or_else(|| ApiError::required("type"))?;
    if !policy::SECRET_TYPES.contains(&kind.as_str()) {
        return Err(ApiError::invalid(
            "type",
            format!("{kind:?} is not one of basic, oauth, header"),
        ));
    }
    match kind.as_str() {
        "basic" => {
            if body.authentication_id.as_deref().is_none_or(str::is_empty) {
                return Err(ApiError::invalid(
                    "authenticationId",
                    "required for type basic",
                ));
            }
            if body.access_token_url.is_some() {
                return Err(ApiError::invalid(
                    "accessTokenUrl",
                    "only allowed for type oauth",
                ));
            }
        }
        "oauth" => {
            if body.authentication_id.as_deref().is_none_or(str::is_empty) {
                return Err(ApiError::invalid(
                    "authenticationId",
                    "required for type oauth (the client id)",
                ));
            }
            let url = body
                .access_token_url
                .as_deref()
                .ok_or_else(|| ApiError::invalid("accessTokenUrl", "required for type oauth"))?;
            policy::check_http_url(url).map_err(|e| ApiError::invalid("accessTokenUrl", e))?;
        }
        _ => {
            if body.authentication_id.is_some() {
                return Err(ApiError::invalid(
                    "authenticationId",
                    "must be absent for type header",
                ));
            }
            if body.access_token_url.is_some() {
                return Err(ApiError::invalid(
                    "accessTokenUrl",
                    "only allowed for type oauth",
                ));
            }
        }
    }
    if let Some(authentication_id) = &body.authentication_id {
        if authentication_id.chars().count() > policy::NAME_MAX {
            return Err(ApiError::invalid(
                "authenticationId",
                format!("is longer than {} characters", policy::NAME_MAX),
            ));
        }
    }
    match &body.secret {
        Some(s) => policy::check_secret_value(s).map_err(|e| ApiError::invalid("secret", e))?,
        None if secret_required => return Err(ApiError::required("secret")),
        None => {}
    }
    Ok(ValidSecret {
        name,
        description: body.description,
        kind,
        authentication_id: body.authentication_id,
        access_token_url: body.access_token_url,
        secret: body.secret,
    })
}

const SELECT: &str =
    "SELECT id, name, description, type, authentication_id, access_token_url FROM secrets";

fn row_to_json(row: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": row.get::<_, String>(0)?,
        "name": row.get::<_, String>(1)?,
        "description": row.get::<_, Option<String>>(2)?,
        "type": row.get::<_, String>(3)?,
        "authenticationId": row.get::<_, Option<String>>(4)?,
        "accessTokenUrl": row.get::<_, Option<String>>(5)?,
        // The column is NOT NULL: every stored secret has a value.
        "secretSet": true,
    }))
}

fn check_name_free(
    conn: &Connection,
    tenant: &str,
    name: &str,
    except: Option<&str>,
) -> ApiResult<()> {
    let select = "SELECT id FROM secrets WHERE tenant = ?1 AND name = ?2";
    check_key_free(conn, select, tenant, name, except, "name", || {
        format!("name: a secret named {name:?} already exists")
    })
}

pub async fn list(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<Value>>> {
    let items = state
        .store
        .read(move |conn| {
            let mut stmt =
                conn.prepare_cached(&format!("{SELECT} WHERE tenant = ?1 ORDER BY rowid"))?;
            let rows = stmt.query_map([&tenant], row_to_json)?;
            let mut items = rows.collect::<Result<Vec<_>, _>>()?;
            access::visible(conn, &tenant, &caller, "Secret")?.filter(&mut items);
            Ok(items)
        })
        .await?;
    Ok(Json(listing::apply(items, &query, &["name"])?))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    Path(params): Path<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = id_param(&params, "id", "secret")?;
    let found = state
        .store
        .read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("{SELECT} WHERE tenant = ?1 AND id = ?2"),
                    [&tenant, &id],
                    row_to_json,
                )
                .optional()?)
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::not_found("secret"))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(Tenant(tenant)): Extension<Tenant>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    JsonBody(body): JsonBody<SecretBody>,
) -> ApiResult<Response> {
    let secret = validate(body, true)?;
    let id = new_id();
    let new = id.clone();
    state
        .store
        .write(move |tx| {
            check_name_free(tx, &tenant, &secret.name, None)?;
            tx.execute(
                "INSERT INTO secrets (tenant, id, name, description, type, authentication_id, access_token_url, secret)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![tenant, new, secret.name, secret.description, secret.kind,
                        secret.authentication_id, secret.access_token_url, secret.secret],
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
    JsonBody(body): JsonBody<SecretBody>,
) -> ApiResult<StatusCode> {
    let id = id_param(&params, "id", "secret")?;
    let secret = validate(body, false)?;
    state
        .store
        .write(move |tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM secrets WHERE tenant = ?1 AND id = ?2)",
                [&tenant, &id],
                |row| row.get(0),
            )?;
            if !exists {
                return Err(ApiError::not_found("secret"));
            }
            check_name_free(tx, &tenant, &secret.name, Some(&id))?;
            // Absent `secret` keeps the stored value.
            tx.execute(
                "UPDATE secrets SET name = ?3, description = ?4, type = ?5, authentication_id = ?6,
                        access_token_url = ?7, secret = COALESCE(?8, secret)
                 WHERE tenant = ?1 AND id = ?2",
                params![
                    tenant,
                    id,
                    secret.name,
                    secret.description,
                    secret.kind,
                    secret.authentication_id,
                    secret.access_token_url,
                    secret.secret
                ],
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
    let id = id_param(&params, "id", "secret")?;
    state
        .store
        .write(move |tx| {
            let removed = tx.execute("DELETE FROM secrets WHERE tenant = ?1 AND id = ?2", [&tenant, &id])?;
            if removed == 0 {
                return Err(ApiError::not_found("secret"));
            }
            tx.execute(
                "DELETE FROM rights WHERE tenant = ?1 AND object_type = 'Secret' AND object_id = ?2",
                [&tenant, &id],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the named secret's stored value equals `candidate` (for `/_emulator/{tenant}/check-secret`).
pub fn matches(conn: &Connection, tenant: &str, name: &str, candidate: &str) -> ApiResult<bool> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT secret FROM secrets WHERE tenant = ?1 AND name = ?2",
            [tenant, name],
            |row| row.get(0),
        )
        .optional()?;
    let stored = stored.ok_or_else(|| ApiError::not_found("secret").with_field("name"))?;
    Ok(crate::secret_eq::secret_eq(
        stored.as_bytes(),
        candidate.as_bytes(),
    ))
}
