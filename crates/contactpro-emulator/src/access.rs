//! Rights of the caller, per the documented RCI rights table: which right each call needs, and which
//! objects a list may show. The tenant admin is the superuser; everyone else needs rights held
//! directly (a right on objectId [`ANY_OBJECT`] covers every object of its type).

use std::collections::{HashMap, HashSet};

use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::RequestExt;
use rusqlite::Connection;

use super::error::{ApiError, ApiResult};
use super::state::{AppState, Caller, Tenant};
use super::stats::route_template;

/// objectId of a type-wide right [ours]: it covers every object of the type, and is what Create needs.
pub const ANY_OBJECT: &str = "00000000000000000000000000000000";

/// One right a call needs: object type, where its object id comes from, access types.
struct Need {
    object_type: &'static str,
    object: Object,
    access: &'static [&'static str],
}

#[derive(Clone, Copy)]
enum Object {
    /// The path parameter with this name.
    Param(&'static str),
    /// Any object of the type (lists: the list is then filtered to what the caller may view).
    Some,
    /// The whole type (creation).
    Type,
}

const fn need(object_type: &'static str, object: Object, access: &'static [&'static str]) -> Need {
    Need {
        object_type,
        object,
        access,
    }
}

const VIEW: &[&str] = &["View"];
use Object::{Param, Some as AnyOf, Type};

/// Rights table [doc: RCI rights; the endpoints marked ours in contract.md take ours].
/// Memberships POSTs also need the right on the group/role of the body, checked in the handler.
fn needs(method: &Method, template: &str) -> Vec<Need> {
    let user = |access| need("User", Param("id"), access);
    match (method.as_str(), template) {
        ("GET", "users") => vec![need("User", AnyOf, VIEW)],
        ("POST", "users") => vec![need("User", Type, &["Create"])],
        ("GET", "users/{id}" | "users/{id}/authentication" | "users/{id}/rights") => {
            vec![user(VIEW)]
        }
        ("GET", "users/{id}/rights/{rightId}") => vec![user(VIEW)],
        ("PUT", "users/{id}" | "users/{id}/authentication") => vec![user(&["Modify"])],
        ("DELETE", "users/{id}") => vec![user(&["View", "Delete"])],
        ("GET", "users/{id}/userGroups") => vec![user(VIEW), need("UserGroup", AnyOf, VIEW)],
        ("POST", "users/{id}/userGroups" | "users/{id}/roles") => vec![user(VIEW)],
        ("DELETE", "users/{id}/userGroups/{gid}") => vec![
            user(VIEW),
            need("UserGroup", Param("gid"), &["View", "Delete"]),
        ],
        ("GET", "users/{id}/roles") => vec![user(VIEW), need("UserRole", AnyOf, VIEW)],
        ("DELETE", "users/{id}/roles/{rid}") => vec![
            user(VIEW),
            need("UserRole", Param("rid"), &["ManageMembers"]),
        ],
        ("POST" | "PUT" | "DELETE", t) if t.starts_with("users/{id}/rights") => {
            vec![user(&["ManageRights"])]
        }
        ("GET", "secrets") => vec![need("Secret", AnyOf, VIEW)],
        ("POST", "secrets") => vec![need("Secret", Type, &["Create"])],
        ("GET", "secrets/{id}") => vec![need("Secret", Param("id"), VIEW)],
        ("PUT", "secrets/{id}") => vec![need("Secret", Param("id"), &["Modify"])],
        ("DELETE", "secrets/{id}") => vec![need("Secret", Param("id"), &["View", "Delete"])],
        ("GET", "userGroups") => vec![need("UserGroup", AnyOf, &["View", "ManageMembers"])],
        ("POST", "userGroups") => vec![need(
            "UserGroup",
            Type,
            &["Create", "ManageRights", "ManageMembers"],
        )],
        ("PUT", "userGroups/{id}") => vec![need("UserGroup", Param("id"), &["Modify"])],
        ("DELETE", "userGroups/{id}") => {
            vec![need("UserGroup", Param("id"), &["View", "Delete"])]
        }
        ("GET", "userGroups/{id}/users") => vec![
            need("UserGroup", Param("id"), VIEW),
            need("User", AnyOf, VIEW),
        ],
        ("GET", "queues") => vec![need("Queue", AnyOf, VIEW)],
        ("GET", "queueGroups") => vec![need("QueueGroup", AnyOf, VIEW)],
        ("GET", "roles") => vec![need("UserRole", AnyOf, VIEW)],
        ("GET", t) => match t.strip_suffix("/{id}") {
            Some("userGroups") => vec![need("UserGroup", Param("id"), VIEW)],
            Some("queues") => vec![need("Queue", Param("id"), VIEW)],
            Some("queueGroups") => vec![need("QueueGroup", Param("id"), VIEW)],
            Some("roles") => vec![need("UserRole", Param("id"), VIEW)],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Wire object type → the name the documentation uses.
fn type_name(object_type: &str) -> &str {
    match object_type {
        "UserGroup" => "User group",
        "UserRole" => "User role",
        "QueueGroup" => "Queue group",
        other => other,
    }
}

fn access_name(access: &str) -> &str {
    match access {
        "ManageMembers" => "Manage members",
        "ManageRights" => "Manage rights",
        other => other,
    }
}

/// The access types a stored right grants (Manage = View + Modify + Create + Delete).
fn expand(stored: &str) -> HashSet<String> {
    let list: Vec<String> = serde_json::from_str(stored).unwrap_or_default();
    let mut out = HashSet::new();
    for access in list {
        if access == "Manage" {
            out.extend(["View", "Modify", "Create", "Delete"].map(String::from));
        }
        out.insert(access);
    }
    out
}

/// Access types the caller holds on each object id of `object_type` (ANY_OBJECT for type-wide).
fn held(
    conn: &Connection,
    tenant: &str,
    caller: &str,
    object_type: &str,
) -> rusqlite::Result<HashMap<String, HashSet<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT object_id, access_types FROM rights WHERE tenant = ?1 AND user_id = ?2 AND object_type = ?3",
    )?;
    let rows = stmt.query_map([tenant, caller, object_type], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for row in rows {
        let (id, access) = row?;
        out.entry(id).or_default().extend(expand(&access));
    }
    Ok(out)
}

fn has(held: &HashMap<String, HashSet<String>>, object: Option<&str>, access: &[&str]) -> bool {
    let covers = |id: &str| {
        held.get(id)
            .is_some_and(|set| access.iter().all(|a| set.contains(*a)))
    };
    match object {
        Some(id) => covers(ANY_OBJECT) || covers(id),
        None => held.keys().any(|id| covers(id)),
    }
}

fn missing(object_type: &str, access: &[&str], call: &str) -> ApiError {
    let names: Vec<&str> = access.iter().map(|a| access_name(a)).collect();
    ApiError::new(
        StatusCode::FORBIDDEN,
        format!(
            "missing right {}: {} for {call}",
            type_name(object_type),
            names.join(" and ")
        ),
    )
}

/// 403 unless the caller holds `access` on the object (or type-wide).
pub fn require(
    conn: &Connection,
    tenant: &str,
    caller: &Caller,
    object_type: &str,
    object_id: &str,
    access: &[&str],
    call: &str,
) -> ApiResult<()> {
    if caller.superuser
        || has(
            &held(conn, tenant, &caller.id, object_type)?,
            Some(object_id),
            access,
        )
    {
        Ok(())
    } else {
        Err(missing(object_type, access, call))
    }
}

/// Which objects of a type a list may show the caller.
pub enum Visible {
    All,
    Only(HashSet<String>),
}

impl Visible {
    pub fn allows(&self, id: &str) -> bool {
        match self {
            Visible::All => true,
            Visible::Only(ids) => ids.contains(id),
        }
    }

    /// Keeps the items (JSON objects with an `id`) the caller may view.
    pub fn filter(&self, items: &mut Vec<serde_json::Value>) {
        items.retain(|item| self.allows(item["id"].as_str().unwrap_or_default()));
    }
}

pub fn visible(
    conn: &Connection,
    tenant: &str,
    caller: &Caller,
    object_type: &str,
) -> rusqlite::Result<Visible> {
    if caller.superuser {
        return Ok(Visible::All);
    }
    let held = held(conn, tenant, &caller.id, object_type)?;
    if has(&held, Some(ANY_OBJECT), VIEW) {
        return Ok(Visible::All);
    }
    Ok(Visible::Only(
        held.into_iter()
            .filter(|(_, set)| set.contains("View"))
            .map(|(id, _)| id)
            .collect(),
    ))
}

/// Middleware after authentication: the initial-password rule, then the rights table.
pub async fn enforce(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let (Some(caller), Some(Tenant(tenant))) = (
        req.extensions().get::<Caller>().cloned(),
        req.extensions().get::<Tenant>().cloned(),
    ) else {
        return ApiError::internal().into_response();
    };
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| route_template(m.as_str()))
        .unwrap_or_default();
    let method = req.method().clone();
    let params = match req.extract_parts::<Path<HashMap<String, String>>>().await {
        Ok(Path(p)) => p,
        Err(_) => HashMap::new(),
    };
    let own_authentication = method == Method::PUT
        && template == "users/{id}/authentication"
        && params.get("id") == Some(&caller.id);
    if caller.must_change_password && !own_authentication {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "password change required: a password set by someone else must be changed by the user \
             itself (PUT users/{id}/authentication with a new password) before any other call",
        )
        .into_response();
    }
    // A user may always set its own password.
    if caller.superuser || own_authentication {
        return next.run(req).await;
    }
    let call = format!("{method} {template}");
    let checked = state
        .store
        .read(move |conn| {
            for n in needs(&method, &template) {
                let held = held(conn, &tenant, &caller.id, n.object_type)?;
                let ok = match n.object {
                    Object::Param(name) => {
                        let id = params.get(name).map(String::as_str).unwrap_or_default();
                        has(&held, Some(id), n.access)
                    }
                    Object::Some => has(&held, None, n.access),
                    Object::Type => has(&held, Some(ANY_OBJECT), n.access),
                };
                if !ok {
                    return Err(missing(n.object_type, n.access, &call));
                }
            }
            Ok(())
        })
        .await;
    match checked {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}
