//! Read-only directory: `userGroups`, `queues`, `queueGroups`, `roles`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use super::id_param;
use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::listing;
use crate::state::{AppState, Caller, Tenant};

type ToJson = fn(&Row) -> rusqlite::Result<Value>;
/// Adds one detail field (name and value) to an `{id}` response.
type Detail = fn(&Connection, &str, &str) -> rusqlite::Result<(&'static str, Value)>;

/// One directory collection: its query and row shape.
struct Collection {
    select: &'static str,
    to_json: ToJson,
    what: &'static str,
    /// Wire object type, for the caller's rights.
    object_type: &'static str,
    /// Adds the detail fields of `{id}` responses.
    detail: Option<Detail>,
    /// Queue groups carry their queue ids in lists too.
    queue_ids: bool,
}

fn ids(conn: &Connection, sql: &str, tenant: &str, id: &str) -> rusqlite::Result<Value> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([tenant, id], |row| row.get::<_, String>(0))?;
    Ok(Value::from(rows.collect::<Result<Vec<_>, _>>()?))
}

fn queue_ids(conn: &Connection, tenant: &str, id: &str) -> rusqlite::Result<Value> {
    ids(conn, "SELECT queue_id FROM queue_group_members WHERE tenant = ?1 AND group_id = ?2 ORDER BY rowid", tenant, id)
}

static USER_GROUPS: Collection = Collection {
    select: "SELECT id, name, parent_id FROM user_groups",
    to_json: |row| {
        Ok(
            json!({"id": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?, "parentId": row.get::<_, Option<String>>(2)?}),
        )
    },
    what: "user group",
    object_type: "UserGroup",
    detail: Some(|conn, tenant, id| {
        Ok(("userIds", ids(conn, "SELECT user_id FROM user_group_members WHERE tenant = ?1 AND group_id = ?2 ORDER BY rowid", tenant, id)?))
    }),
    queue_ids: false,
};
static QUEUES: Collection = Collection {
    select: "SELECT id, name, channel FROM queues",
    to_json: |row| {
        Ok(
            json!({"id": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?, "channel": row.get::<_, String>(2)?}),
        )
    },
    what: "queue",
    object_type: "Queue",
    detail: None,
    queue_ids: false,
};
static QUEUE_GROUPS: Collection = Collection {
    select: "SELECT id, name FROM queue_groups",
    to_json: |row| Ok(json!({"id": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?})),
    what: "queue group",
    object_type: "QueueGroup",
    detail: None,
    queue_ids: true,
};
static ROLES: Collection = Collection {
    select: "SELECT id, name FROM roles",
    to_json: |row| Ok(json!({"id": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?})),
    what: "role",
    object_type: "UserRole",
    detail: None,
    queue_ids: false,
};

fn with_queue_ids(
    conn: &Connection,
    tenant: &str,
    collection: &Collection,
    mut item: Value,
) -> rusqlite::Result<Value> {
    if collection.queue_ids {
        let id = item["id"].as_str().unwrap_or_default().to_string();
        item["queueIds"] = queue_ids(conn, tenant, &id)?;
    }
    Ok(item)
}

async fn list(
    state: AppState,
    tenant: String,
    caller: Caller,
    query: HashMap<String, String>,
    c: &'static Collection,
) -> ApiResult<Json<Vec<Value>>> {
    let items = state
        .store
        .read(move |conn| {
            let mut stmt =
                conn.prepare_cached(&format!("{} WHERE tenant = ?1 ORDER BY rowid", c.select))?;
            let rows = stmt
                .query_map([&tenant], c.to_json)?
                .collect::<Result<Vec<_>, _>>()?;
            let mut items = rows
                .into_iter()
                .map(|item| with_queue_ids(conn, &tenant, c, item))
                .collect::<Result<Vec<_>, _>>()?;
            access::visible(conn, &tenant, &caller, c.object_type)?.filter(&mut items);
            Ok(items)
        })
        .await?;
    Ok(Json(listing::apply(items, &query, &["name"])?))
}

async fn get_one(
    state: AppState,
    tenant: String,
    params: HashMap<String, String>,
    c: &'static Collection,
) -> ApiResult<Json<Value>> {
    let id = id_param(&params, "id", c.what)?;
    let found = state
        .store
        .read(move |conn| {
            let item = conn
                .query_row(
                    &format!("{} WHERE tenant = ?1 AND id = ?2", c.select),
                    [&tenant, &id],
                    c.to_json,
                )
                .optional()?;
            let Some(item) = item else { return Ok(None) };
            let mut item = with_queue_ids(conn, &tenant, c, item)?;
            if let Some(detail) = c.detail {
                let (key, value) = detail(conn, &tenant, &id)?;
                item[key] = value;
            }
            Ok(Some(item))
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::not_found(c.what))
}

macro_rules! handlers {
    ($list:ident, $get:ident, $collection:expr) => {
        pub async fn $list(
            State(s): State<AppState>,
            Extension(Tenant(t)): Extension<Tenant>,
            Extension(caller): Extension<Caller>,
            Query(q): Query<HashMap<String, String>>,
        ) -> ApiResult<Json<Vec<Value>>> {
            list(s, t, caller, q, &$collection).await
        }
        pub async fn $get(
            State(s): State<AppState>,
            Extension(Tenant(t)): Extension<Tenant>,
            Path(p): Path<HashMap<String, String>>,
        ) -> ApiResult<Json<Value>> {
            get_one(s, t, p, &$collection).await
        }
    };
}

handlers!(list_user_groups, get_user_group, USER_GROUPS);
handlers!(list_queues, get_queue, QUEUES);
handlers!(list_queue_groups, get_queue_group, QUEUE_GROUPS);
handlers!(list_roles, get_role, ROLES);
