//! The user object: stored fields, their JSON form, and the rules of POST/PUT bodies.

use rusqlite::Row;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use contactpro_rules as policy;

/// Writable string fields [doc: names]: wire name and column.
pub const TEXT: [(&str, &str); 22] = [
    ("firstName", "first_name"),
    ("surname", "surname"),
    ("login", "login"),
    ("email", "email"),
    ("title", "title"),
    ("location", "location"),
    ("timeZone", "time_zone"),
    ("uiLanguage", "ui_language"),
    ("promptLanguage", "prompt_language"),
    ("externalId", "external_id"),
    ("phone", "phone"),
    ("mobile", "mobile"),
    ("chat", "chat"),
    ("chatName", "chat_name"),
    ("settings", "settings"),
    ("forwardNumber", "forward_number"),
    ("crmId", "crm_id"),
    ("businessObjectsId", "business_objects_id"),
    ("presenceId", "presence_id"),
    ("recordingMode", "recording_mode"),
    ("callSwitchingLocationId", "call_switching_location_id"),
    ("callSwitchingLocationName", "call_switching_location_name"),
];

/// Read-only fields of the full profile [ours].
pub const EXTRAS: [&str; 4] = [
    "serviceAccount",
    "serviceAccountExpiration",
    "userGroupIds",
    "roleIds",
];

/// Columns in the order `to_json` reads them.
pub fn columns() -> String {
    let text: Vec<&str> = TEXT.iter().map(|(_, c)| *c).collect();
    format!(
        "id, password_expiration, synchronised, service_account, service_account_expiration,
         (SELECT group_concat(group_id) FROM user_group_members m WHERE m.tenant = users.tenant AND m.user_id = users.id),
         (SELECT group_concat(role_id) FROM user_roles r WHERE r.tenant = users.tenant AND r.user_id = users.id),
         {}",
        text.join(", ")
    )
}

/// Every field of one user; the extras only in the full profile.
pub fn to_json(row: &Row, full: bool) -> rusqlite::Result<Value> {
    let mut user = Map::new();
    user.insert("id".into(), Value::from(row.get::<_, String>(0)?));
    user.insert(
        "passwordExpiration".into(),
        Value::from(row.get::<_, Option<String>>(1)?),
    );
    user.insert("synchronised".into(), Value::from(row.get::<_, bool>(2)?));
    if full {
        // Read-only summaries of authentication and memberships, so a bulk read needs no call per user.
        user.insert("serviceAccount".into(), Value::from(row.get::<_, bool>(3)?));
        user.insert(
            "serviceAccountExpiration".into(),
            Value::from(row.get::<_, Option<String>>(4)?),
        );
        user.insert(
            "userGroupIds".into(),
            Value::from(id_list(row.get::<_, Option<String>>(5)?)),
        );
        user.insert(
            "roleIds".into(),
            Value::from(id_list(row.get::<_, Option<String>>(6)?)),
        );
    }
    for (i, (name, _)) in TEXT.iter().enumerate() {
        user.insert(
            (*name).into(),
            Value::from(row.get::<_, Option<String>>(7 + i)?),
        );
    }
    Ok(Value::Object(user))
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

/// A checked POST/PUT body: the value of every writable field (absent = null / false).
pub struct ValidUser {
    pub text: Vec<Option<String>>,
    pub synchronised: bool,
}

impl ValidUser {
    pub fn login(&self) -> &str {
        self.text[2].as_deref().unwrap_or_default()
    }
}

/// Checks a body. `stored` is the user as `GET users/{id}` returns it (PUT), or None (POST).
/// Read-only fields equal to the stored ones are ignored; anything else read-only is a 400.
pub fn validate(body: Value, stored: Option<&Value>, full: bool) -> ApiResult<ValidUser> {
    let Value::Object(body) = body else {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "the body must be a JSON object",
        ));
    };
    let read_only = |name: &str| {
        name == "id" || name == "passwordExpiration" || (full && EXTRAS.contains(&name))
    };
    let mut text: Vec<Option<String>> = vec![None; TEXT.len()];
    let mut synchronised = false;
    for (name, value) in &body {
        if let Some(i) = TEXT.iter().position(|(n, _)| n == name) {
            text[i] = match value {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                _ => return Err(ApiError::invalid(name, "must be a string or null")),
            };
        } else if name == "synchronised" {
            synchronised = value
                .as_bool()
                .ok_or_else(|| ApiError::invalid(name, "must be true or false"))?;
        } else if read_only(name) {
            match stored {
                None => return Err(ApiError::invalid(name, "is read-only")),
                Some(user) if user.get(name) != Some(value) => {
                    return Err(ApiError::invalid(
                        name,
                        "is read-only and differs from the stored value",
                    ))
                }
                Some(_) => {}
            }
        } else {
            return Err(ApiError::invalid(name, "unknown field"));
        }
    }
    for (i, name) in ["firstName", "surname"].iter().enumerate() {
        let value = text[i].as_deref().ok_or_else(|| ApiError::required(name))?;
        policy::check_person_name(value).map_err(|e| ApiError::invalid(name, e))?;
    }
    let login = text[2]
        .as_deref()
        .ok_or_else(|| ApiError::required("login"))?;
    policy::check_login(login).map_err(|e| ApiError::invalid("login", e))?;
    if let Some(user) = stored {
        if user["login"].as_str() != Some(login) {
            let how = if full {
                "send login and password together in PUT users/{id}/authentication"
            } else {
                "change both in System Configurator (the RCI cannot set a password)"
            };
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                format!("changing the logon name requires setting the password again: {how}"),
            )
            .with_field("login"));
        }
    }
    for (i, (name, _)) in TEXT.iter().enumerate().skip(3) {
        super::check_max(name, &text[i], policy::NAME_MAX)?;
    }
    Ok(ValidUser { text, synchronised })
}
