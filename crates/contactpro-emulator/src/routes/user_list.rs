//! `GET users` query: projection, filters, sort and paging as the documentation describes.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::user_fields::{EXTRAS, TEXT};
use crate::error::{ApiError, ApiResult};
use crate::listing::{self, wildcard_match, DEFAULT_LIMIT, MAX_LIMIT};
use contactpro_rules as policy;

/// Fields a value other than `*`/empty may filter [doc], plus `login` [ours].
const SEARCHABLE: [&str; 11] = [
    "firstName",
    "surname",
    "externalId",
    "chatName",
    "chat",
    "email",
    "phone",
    "crmId",
    "businessObjectsId",
    "presenceId",
    "login",
];
/// Default sort order [doc]; ties broken by id [ours].
const DEFAULT_SORT: [&str; 7] = [
    "firstName",
    "surname",
    "externalId",
    "chatName",
    "chat",
    "email",
    "phone",
];
/// Fields returned together [doc].
const PAIRS: [(&str, &str); 2] = [
    ("chat", "chatName"),
    ("callSwitchingLocationId", "callSwitchingLocationName"),
];

pub struct UserQuery {
    offset: usize,
    limit: usize,
    sort: Vec<(String, bool)>,
    filters: Vec<(String, Vec<char>)>,
    fields: BTreeSet<String>,
    expires_from: Option<OffsetDateTime>,
    expires_to: Option<OffsetDateTime>,
}

/// Case-insensitive only, so names differing in case fall through to the next sort field; nulls first.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::String(a)), Some(Value::String(b))) => a.to_lowercase().cmp(&b.to_lowercase()),
        _ => listing::compare(a, b),
    }
}

fn no_filter(value: &str) -> bool {
    value.is_empty() || value == "*"
}

fn bound(name: &str, value: &str) -> ApiResult<Option<OffsetDateTime>> {
    if no_filter(value) {
        return Ok(None);
    }
    policy::parse_timestamp(value)
        .map(Some)
        .map_err(|e| ApiError::invalid(name, format!("must be *, empty or an RFC 3339 time: {e}")))
}

fn sortable(name: &str, full: bool) -> bool {
    name == "id"
        || name == "passwordExpiration"
        || name == "synchronised"
        || TEXT.iter().any(|(n, _)| *n == name)
        || (full && EXTRAS.contains(&name))
}

impl UserQuery {
    pub fn parse(query: &HashMap<String, String>, full: bool) -> ApiResult<UserQuery> {
        let mut q = UserQuery {
            offset: 0,
            limit: DEFAULT_LIMIT,
            sort: Vec::new(),
            filters: Vec::new(),
            fields: ["id", "firstName", "surname"].map(String::from).into(),
            expires_from: None,
            expires_to: None,
        };
        let mut sort = None;
        for (key, value) in query {
            let name = key.as_str();
            match name {
                "offset" => {
                    q.offset = value
                        .parse()
                        .map_err(|_| ApiError::invalid("offset", "must be a number ≥ 0"))?
                }
                "limit" => {
                    q.limit = value
                        .parse()
                        .ok()
                        .filter(|l| (1..=MAX_LIMIT).contains(l))
                        .ok_or_else(|| {
                            ApiError::invalid(
                                "limit",
                                format!("must be a number from 1 to {MAX_LIMIT}"),
                            )
                        })?
                }
                "sort" => sort = Some(value.clone()),
                "passwordExpiration" => {
                    q.expires_from = bound(name, value)?;
                    q.fields.insert(name.into());
                }
                "passwordExpirationEnd" => {
                    q.expires_to = bound(name, value)?;
                    q.fields.insert("passwordExpiration".into());
                }
                _ if EXTRAS.contains(&name) && !full => {
                    return Err(ApiError::invalid(
                        name,
                        "unknown query parameter: this server does not offer the field",
                    ))
                }
                _ if EXTRAS.contains(&name)
                    || name == "synchronised"
                    || TEXT.iter().any(|(n, _)| *n == name) =>
                {
                    if !no_filter(value) {
                        if !SEARCHABLE.contains(&name) {
                            return Err(ApiError::invalid(
                                name,
                                "is not searchable: use * or an empty value to return it",
                            ));
                        }
                        q.filters
                            .push((name.into(), value.to_lowercase().chars().collect()));
                    }
                    q.fields.insert(name.into());
                    for (a, b) in PAIRS {
                        if name == a || name == b {
                            q.fields.insert(a.into());
                            q.fields.insert(b.into());
                        }
                    }
                }
                _ => {
                    return Err(ApiError::invalid(
                        name,
                        "unknown query parameter; use offset, limit, sort or a user field",
                    ))
                }
            }
        }
        let sort = sort.unwrap_or_else(|| DEFAULT_SORT.join(","));
        for item in listing::sort_items(&sort) {
            let (name, descending) = match item.strip_prefix('-') {
                Some(name) => (name, true),
                None => (item.strip_prefix('+').unwrap_or(item), false),
            };
            if !sortable(name, full) {
                return Err(ApiError::invalid("sort", format!("unknown field {name:?}")));
            }
            q.sort.push((name.to_string(), descending));
        }
        q.sort.push(("id".into(), false));
        Ok(q)
    }

    /// Filters, sorts, pages and projects full user objects.
    pub fn apply(&self, mut users: Vec<Value>) -> Vec<Value> {
        users.retain(|user| self.matches(user));
        users.sort_by(|a, b| {
            for (field, descending) in &self.sort {
                let order = compare(a.get(field), b.get(field));
                let order = if *descending { order.reverse() } else { order };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
        users
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|user| self.project(user))
            .collect()
    }

    fn matches(&self, user: &Value) -> bool {
        let text_ok = self
            .filters
            .iter()
            .all(|(field, pattern)| match user.get(field) {
                Some(Value::String(s)) => {
                    wildcard_match(pattern, &s.to_lowercase().chars().collect::<Vec<_>>())
                }
                _ => false,
            });
        if !text_ok {
            return false;
        }
        if self.expires_from.is_none() && self.expires_to.is_none() {
            return true;
        }
        let Some(at) = user["passwordExpiration"]
            .as_str()
            .and_then(|s| policy::parse_timestamp(s).ok())
        else {
            return false;
        };
        self.expires_from.is_none_or(|from| at >= from) && self.expires_to.is_none_or(|to| at <= to)
    }

    fn project(&self, user: Value) -> Value {
        let Value::Object(all) = user else {
            return user;
        };
        Value::Object(
            all.into_iter()
                .filter(|(k, _)| self.fields.contains(k))
                .collect::<Map<_, _>>(),
        )
    }
}
