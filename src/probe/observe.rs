//! The probe's GETs, in order, and what each answer shows. Nothing here writes to the tenant.

use std::collections::BTreeMap;

use contactpro_rci::{RawResponse, RciClient};
use serde::Serialize;
use serde_json::Value;

use super::verdict::{Endpoint, Observed, Outcome};

/// A list is read at most this many pages of `LIST_PAGE` when counting what is visible.
const MAX_PAGES: usize = 50;
const LIST_PAGE: usize = 1000;
const MAX_MESSAGE_CHARS: usize = 300;
/// The fields `GET users` documentedly returns without a query parameter naming more.
const DEFAULT_USER_FIELDS: [&str; 3] = ["id", "firstName", "surname"];

/// One endpoint's row.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointReport {
    pub endpoint: &'static str,
    /// The GET that decided the row, with ids shown as `{id}`.
    pub request: String,
    #[serde(flatten)]
    pub observed: Observed,
    pub content_type: Option<String>,
    /// Field names of the object, or of a list's first item (never values).
    pub fields: Vec<String>,
    /// Items in the first page, for a list.
    pub items: Option<usize>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct UsersList {
    /// Fields of the first item of `GET users?limit=1`.
    pub default_fields: Option<Vec<String>>,
    /// True when that is no more than `id`, `firstName`, `surname`, as documented.
    pub default_projection_documented: Option<bool>,
    /// Status of `GET users?login=*&limit=1`.
    pub login_star_status: Option<u16>,
    /// True when `login=*` added `login` to the items.
    pub login_star_adds_login: Option<bool>,
    /// True when `limit=1` gave at most one item.
    pub limit_honoured: Option<bool>,
    /// `GET users?offset=1&limit=1`: "another_user", "same_user" (offset ignored), "empty" (one
    /// user visible), or "failed".
    pub second_page: Option<&'static str>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Ids {
    pub checked: usize,
    /// How many of them are 32 upper-case hex digits, the documented form.
    pub upper_hex_32: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Accept {
    /// What the probe asked for in `Accept`.
    pub requested: &'static str,
    pub content_type: Option<String>,
    /// The body parsed as JSON.
    pub json: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Visible {
    pub users: Option<usize>,
    pub user_groups: Option<usize>,
    pub queues: Option<usize>,
    pub queue_groups: Option<usize>,
    pub secrets: Option<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Forbidden {
    pub request: String,
    pub message: Option<String>,
}

/// Everything the GETs showed.
#[derive(Clone, Debug, Serialize)]
pub struct Observations {
    pub endpoints: Vec<EndpointReport>,
    pub users_list: UsersList,
    pub ids: Ids,
    pub accept: Accept,
    pub visible: Visible,
    /// Whose id `users/{id}/...` was asked with: "api_user", "first_listed" or "none".
    pub user_id_from: &'static str,
    pub forbidden: Vec<Forbidden>,
}

impl Observations {
    pub fn by_endpoint(&self) -> BTreeMap<Endpoint, Observed> {
        Endpoint::ALL
            .iter()
            .zip(&self.endpoints)
            .map(|(e, r)| (*e, r.observed.clone()))
            .collect()
    }
}

/// Why the probe could not start: bad settings or an unreachable tenant (exit code 2).
#[derive(Debug)]
pub struct Fatal(pub String);

/// What the answer body should be.
#[derive(Clone, Copy)]
enum Shape {
    List,
    Object,
}

/// Status + body → outcome. `redact` holds the values no message may show.
fn classify(raw: &RawResponse, shape: Shape, redact: &[String]) -> (Observed, Option<Value>) {
    let status = raw.status;
    let parsed: Option<Value> = serde_json::from_slice(&raw.body).ok();
    let message = || {
        let text = parsed
            .as_ref()
            .and_then(|v| v.get("message"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| String::from_utf8_lossy(&raw.body).trim().to_string());
        Some(clean(&text, redact)).filter(|m| !m.is_empty())
    };
    let observed = |outcome, message| Observed {
        status: Some(status),
        outcome,
        message,
    };
    match status {
        200..=299 => {
            let shape_ok = matches!(
                (&parsed, shape),
                (Some(Value::Array(_)), Shape::List) | (Some(Value::Object(_)), Shape::Object)
            );
            if shape_ok {
                (Observed::offered(status), parsed)
            } else {
                let expected = match shape {
                    Shape::List => "a JSON array",
                    Shape::Object => "a JSON object",
                };
                let got = raw.content_type.as_deref().unwrap_or("no content type");
                let text = format!("expected {expected}, got {got}");
                (observed(Outcome::Failed, Some(text)), None)
            }
        }
        404 | 405 => (observed(Outcome::Missing, message()), None),
        403 => (observed(Outcome::Forbidden, message()), None),
        _ => (observed(Outcome::Failed, message()), None),
    }
}

/// Scrubs credentials and bounds the length of a tenant's message.
fn clean(text: &str, redact: &[String]) -> String {
    let mut text = text.to_string();
    for secret in redact.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret.as_str(), "<redacted>");
    }
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn first_item(value: &Option<Value>) -> Option<&serde_json::Map<String, Value>> {
    match value {
        Some(Value::Array(items)) => items.first().and_then(Value::as_object),
        Some(Value::Object(object)) => Some(object),
        _ => None,
    }
}

fn field_names(value: &Option<Value>) -> Vec<String> {
    first_item(value)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn ids_of(value: &Option<Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.get("id").and_then(Value::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

pub fn is_upper_hex_32(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

fn show(path: &str, query: &[(&str, &str)]) -> String {
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    match query.is_empty() {
        true => format!("GET {path}"),
        false => format!("GET {path}?{}", query.join("&")),
    }
}

struct Probe<'a> {
    client: &'a RciClient,
    redact: Vec<String>,
    ids: Ids,
    forbidden: Vec<Forbidden>,
}

impl Probe<'_> {
    async fn get(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<RawResponse, String> {
        self.client
            .get_raw(segments, query)
            .await
            .map_err(|e| clean(&e.to_string(), &self.redact))
    }

    fn note_ids(&mut self, value: &Option<Value>) {
        for id in ids_of(value) {
            self.ids.checked += 1;
            self.ids.upper_hex_32 += usize::from(is_upper_hex_32(&id));
        }
    }

    /// One GET for an endpoint's row.
    async fn row(
        &mut self,
        endpoint: Endpoint,
        segments: &[&str],
        query: &[(&str, &str)],
        shape: Shape,
    ) -> (EndpointReport, Option<Value>) {
        let request = show(endpoint.path(), query);
        let (observed, value, content_type) = match self.get(segments, query).await {
            Ok(raw) => {
                let (observed, value) = classify(&raw, shape, &self.redact);
                (observed, value, raw.content_type)
            }
            Err(message) => (
                Observed {
                    status: None,
                    outcome: Outcome::Failed,
                    message: Some(message),
                },
                None,
                None,
            ),
        };
        if observed.outcome == Outcome::Forbidden {
            self.forbidden.push(Forbidden {
                request: request.clone(),
                message: observed.message.clone(),
            });
        }
        self.note_ids(&value);
        let items = match (&value, shape) {
            (Some(Value::Array(items)), Shape::List) => Some(items.len()),
            _ => None,
        };
        let report = EndpointReport {
            endpoint: endpoint.path(),
            request,
            observed,
            content_type,
            fields: field_names(&value),
            items,
        };
        (report, value)
    }

    /// A whole list endpoint: the first page is its row; the rest only counts what is visible.
    /// A short page does not end a list (a server may use a smaller page), an empty one does.
    async fn list(&mut self, endpoint: Endpoint) -> (EndpointReport, Option<usize>) {
        let segment = endpoint.path();
        let limit = LIST_PAGE.to_string();
        let (report, _) = self
            .row(
                endpoint,
                &[segment],
                &[("offset", "0"), ("limit", &limit)],
                Shape::List,
            )
            .await;
        let Some(mut count) = report.items else {
            return (report, None);
        };
        let mut page_len = count;
        for _ in 1..MAX_PAGES {
            if page_len == 0 {
                return (report, Some(count));
            }
            let offset = count.to_string();
            let query = [("offset", offset.as_str()), ("limit", limit.as_str())];
            let page = match self.get(&[segment], &query).await {
                Ok(raw) => classify(&raw, Shape::List, &self.redact).1,
                Err(_) => None,
            };
            let Some(Value::Array(items)) = &page else {
                return (report, None);
            };
            page_len = items.len();
            count += page_len;
            self.note_ids(&page);
        }
        (report, None)
    }
}

/// Runs every GET. `Err` only when the tenant cannot be talked to at all.
pub async fn observe(
    client: &RciClient,
    username: &str,
    redact: Vec<String>,
) -> Result<Observations, Fatal> {
    let mut probe = Probe {
        client,
        redact,
        ids: Ids::default(),
        forbidden: Vec::new(),
    };

    // First GET: can we talk to the tenant at all?
    let first = probe
        .get(&["users"], &[("limit", "1")])
        .await
        .map_err(|m| Fatal(format!("cannot reach the tenant: {m}. Check `--url` (CONTACTPRO_URL), the network, and `--ca-cert-file` for a private CA.")))?;
    fatal_status(&first, &probe.redact)?;
    let accept = Accept {
        requested: "application/json",
        content_type: first.content_type.clone(),
        json: serde_json::from_slice::<Value>(&first.body).is_ok(),
    };
    let (users_row, users_value) = {
        let (observed, value) = classify(&first, Shape::List, &probe.redact);
        if observed.outcome == Outcome::Forbidden {
            probe.forbidden.push(Forbidden {
                request: "GET users?limit=1".into(),
                message: observed.message.clone(),
            });
        }
        let items = match &value {
            Some(Value::Array(items)) => Some(items.len()),
            _ => None,
        };
        let row = EndpointReport {
            endpoint: Endpoint::Users.path(),
            request: "GET users?limit=1".into(),
            observed,
            content_type: first.content_type.clone(),
            fields: field_names(&value),
            items,
        };
        (row, value)
    };
    let users_offered = users_row.observed.outcome == Outcome::Offered;

    let mut users_list = UsersList::default();
    let mut visible = Visible::default();
    let mut first_listed: Option<String> = None;
    if users_offered {
        let fields = users_row.fields.clone();
        users_list.default_projection_documented = Some(
            fields
                .iter()
                .all(|f| DEFAULT_USER_FIELDS.contains(&f.as_str())),
        );
        users_list.default_fields = Some(fields);
        users_list.limit_honoured = users_row.items.map(|n| n <= 1);
        first_listed = ids_of(&users_value).into_iter().next();

        if let Ok(raw) = probe
            .get(&["users"], &[("login", "*"), ("limit", "1")])
            .await
        {
            users_list.login_star_status = Some(raw.status);
            let (observed, value) = classify(&raw, Shape::List, &probe.redact);
            if observed.outcome == Outcome::Offered {
                users_list.login_star_adds_login =
                    first_item(&value).map(|item| item.contains_key("login"));
            }
        }
        users_list.second_page = Some(
            match probe
                .get(&["users"], &[("offset", "1"), ("limit", "1")])
                .await
            {
                Ok(raw) => match classify(&raw, Shape::List, &probe.redact).1 {
                    Some(page) => match ids_of(&Some(page)).first() {
                        None => "empty",
                        Some(id) if Some(id) == first_listed.as_ref() => "same_user",
                        Some(_) => "another_user",
                    },
                    None => "failed",
                },
                Err(_) => "failed",
            },
        );
        visible.users = probe.list(Endpoint::Users).await.1;
    }

    // Whose id to ask `users/{id}/...` with: the API user's own, else the first listed.
    let own = match probe
        .get(&["users"], &[("login", username), ("limit", "10")])
        .await
    {
        Ok(raw) => match classify(&raw, Shape::List, &probe.redact).1 {
            Some(Value::Array(items)) => items
                .iter()
                .filter(|i| {
                    i.get("login")
                        .and_then(Value::as_str)
                        .is_some_and(|l| l.eq_ignore_ascii_case(username))
                })
                .find_map(|i| i.get("id").and_then(Value::as_str).map(str::to_string)),
            _ => None,
        },
        Err(_) => None,
    };
    let (user_id, user_id_from) = match (own, first_listed) {
        (Some(id), _) => (Some(id), "api_user"),
        (None, Some(id)) => (Some(id), "first_listed"),
        (None, None) => (None, "none"),
    };

    let mut endpoints = vec![users_row];
    let per_user = [
        (Endpoint::UserById, None, Shape::Object),
        (
            Endpoint::Authentication,
            Some("authentication"),
            Shape::Object,
        ),
        (
            Endpoint::UserGroupMemberships,
            Some("userGroups"),
            Shape::List,
        ),
        (Endpoint::RoleMemberships, Some("roles"), Shape::List),
        (Endpoint::Rights, Some("rights"), Shape::List),
    ];
    for (endpoint, sub, shape) in per_user {
        let row = match &user_id {
            Some(id) => {
                let mut segments = vec!["users", id.as_str()];
                segments.extend(sub);
                probe.row(endpoint, &segments, &[], shape).await.0
            }
            None => EndpointReport {
                endpoint: endpoint.path(),
                request: show(endpoint.path(), &[]),
                observed: Observed {
                    status: None,
                    outcome: Outcome::NotChecked,
                    message: Some("no user is visible to the API user to ask with".into()),
                },
                content_type: None,
                fields: Vec::new(),
                items: None,
            },
        };
        endpoints.push(row);
    }
    for endpoint in [
        Endpoint::Secrets,
        Endpoint::UserGroups,
        Endpoint::Queues,
        Endpoint::QueueGroups,
    ] {
        let (row, count) = probe.list(endpoint).await;
        match endpoint {
            Endpoint::Secrets => visible.secrets = count,
            Endpoint::UserGroups => visible.user_groups = count,
            Endpoint::Queues => visible.queues = count,
            _ => visible.queue_groups = count,
        }
        endpoints.push(row);
    }

    Ok(Observations {
        endpoints,
        users_list,
        ids: probe.ids,
        accept,
        visible,
        user_id_from,
        forbidden: probe.forbidden,
    })
}

/// The answers to the first GET that mean the settings are wrong, not that an endpoint is missing.
fn fatal_status(raw: &RawResponse, redact: &[String]) -> Result<(), Fatal> {
    let message = || {
        let parsed: Option<Value> = serde_json::from_slice(&raw.body).ok();
        let text = parsed
            .as_ref()
            .and_then(|v| v.get("message"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| String::from_utf8_lossy(&raw.body).trim().to_string());
        clean(&text, redact)
    };
    match raw.status {
        401 => Err(Fatal("the tenant refused the credentials (HTTP 401 on GET users): check `--username` (CONTACTPRO_USERNAME) and CONTACTPRO_PASSWORD.".into())),
        403 => {
            let m = message();
            let lower = m.to_ascii_lowercase();
            if lower.contains("password change required") {
                Err(Fatal(format!("the API user must change its password before it may call the RCI (HTTP 403 on GET users: {m}): log on once as that user and change it, or make it a service account in System Configurator > User > Authentication.")))
            } else if lower.contains("right") {
                // A 403 naming a right: the API user is known but limited; report it.
                Ok(())
            } else {
                Err(Fatal(format!("the tenant refused access (HTTP 403 on GET users: {m}): check CONTACTPRO_API_KEY, and that the API user may use the RCI.")))
            }
        }
        404 => Err(Fatal("GET users answered 404: `--url` (CONTACTPRO_URL) does not look like the tenant's RI base (for example https://HOST/TENANT/ecfs/RI, without `/rci`).".into())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            content_type: Some("application/json".into()),
            location: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn statuses_map_to_outcomes() {
        let cases = [
            (200, "[]", Shape::List, Outcome::Offered),
            (200, "{}", Shape::Object, Outcome::Offered),
            (200, "{}", Shape::List, Outcome::Failed),
            (200, "<html>", Shape::Object, Outcome::Failed),
            (
                404,
                r#"{"message":"no such resource: secrets"}"#,
                Shape::List,
                Outcome::Missing,
            ),
            (405, "", Shape::List, Outcome::Missing),
            (
                403,
                r#"{"message":"missing right User: View"}"#,
                Shape::List,
                Outcome::Forbidden,
            ),
            (500, "boom", Shape::List, Outcome::Failed),
        ];
        for (status, body, shape, outcome) in cases {
            let (observed, _) = classify(&raw(status, body), shape, &[]);
            assert_eq!(observed.outcome, outcome, "{status} {body}");
            assert_eq!(observed.status, Some(status));
        }
        let (missing, _) = classify(
            &raw(404, r#"{"message":"no such resource: secrets"}"#),
            Shape::List,
            &[],
        );
        assert_eq!(
            missing.message.as_deref(),
            Some("no such resource: secrets")
        );
    }

    #[test]
    fn messages_never_show_credentials() {
        let body = r#"{"message":"bad key demo-api-key for admin:Pa55-word-Pa55-word"}"#;
        let redact = vec![
            "demo-api-key".to_string(),
            "Pa55-word-Pa55-word".to_string(),
        ];
        let (observed, _) = classify(&raw(403, body), Shape::List, &redact);
        let message = observed.message.unwrap();
        assert!(
            !message.contains("demo-api-key") && !message.contains("Pa55-word"),
            "{message}"
        );
        assert!(message.contains("<redacted>"));
        let fatal = fatal_status(&raw(403, body), &redact).unwrap_err().0;
        assert!(!fatal.contains("demo-api-key"), "{fatal}");
    }

    #[test]
    fn first_answer_tells_bad_settings_from_a_limited_user() {
        assert!(fatal_status(&raw(401, ""), &[])
            .unwrap_err()
            .0
            .contains("CONTACTPRO_USERNAME"));
        let key = fatal_status(&raw(403, r#"{"message":"Forbidden"}"#), &[])
            .unwrap_err()
            .0;
        assert!(key.contains("CONTACTPRO_API_KEY"), "{key}");
        assert!(fatal_status(
            &raw(
                403,
                r#"{"message":"missing right User: View for GET users"}"#
            ),
            &[]
        )
        .is_ok());
        let change = r#"{"message":"password change required: set a new password"}"#;
        assert!(fatal_status(&raw(403, change), &[])
            .unwrap_err()
            .0
            .contains("service account"));
        assert!(fatal_status(&raw(404, ""), &[])
            .unwrap_err()
            .0
            .contains("RI base"));
        assert!(fatal_status(&raw(200, "[]"), &[]).is_ok());
    }

    #[test]
    fn id_form() {
        assert!(is_upper_hex_32("3906ECA4762C42588B55E5A66460D58E"));
        assert!(!is_upper_hex_32("3906eca4762c42588b55e5a66460d58e"));
        assert!(!is_upper_hex_32("3906ECA4-762C-4258-8B55-E5A66460D58E"));
    }
}
