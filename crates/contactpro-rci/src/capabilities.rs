//! Which RCI endpoints a tenant offers. The documented RCI lacks several endpoints this project
//! assumes (authentication, rights, secrets), so a 404 or 405 there must read "not offered",
//! never "the object is gone".

use super::error::{missing_status, ClientError, ClientResult};
use super::http::Call;
use super::RciClient;
use reqwest::Method;
use std::sync::atomic::AtomicBool;
use tokio::sync::OnceCell;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Users,
    UserById,
    Authentication,
    UserGroupMemberships,
    RoleMemberships,
    Rights,
    Secrets,
    UserGroups,
    Queues,
    QueueGroups,
}

impl Endpoint {
    pub const ALL: [Endpoint; 10] = [
        Endpoint::Users,
        Endpoint::UserById,
        Endpoint::Authentication,
        Endpoint::UserGroupMemberships,
        Endpoint::RoleMemberships,
        Endpoint::Rights,
        Endpoint::Secrets,
        Endpoint::UserGroups,
        Endpoint::Queues,
        Endpoint::QueueGroups,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Users => "users",
            Endpoint::UserById => "users/{id}",
            Endpoint::Authentication => "users/{id}/authentication",
            Endpoint::UserGroupMemberships => "users/{id}/userGroups",
            Endpoint::RoleMemberships => "users/{id}/roles",
            Endpoint::Rights => "users/{id}/rights",
            Endpoint::Secrets => "secrets",
            Endpoint::UserGroups => "userGroups",
            Endpoint::Queues => "queues",
            Endpoint::QueueGroups => "queueGroups",
        }
    }

    fn index(self) -> usize {
        Endpoint::ALL
            .iter()
            .position(|e| *e == self)
            .expect("ALL lists every endpoint")
    }

    fn under_user(self) -> Option<&'static str> {
        match self {
            Endpoint::UserById => Some(""),
            Endpoint::Authentication => Some("authentication"),
            Endpoint::UserGroupMemberships => Some("userGroups"),
            Endpoint::RoleMemberships => Some("roles"),
            Endpoint::Rights => Some("rights"),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Support {
    Offered,
    /// The endpoint answered 404 or 405.
    Missing {
        status: u16,
    },
    /// The check could not tell (no user visible, no right to call it, an unexpected answer).
    Unknown {
        message: String,
    },
}

/// What one client (and its clones) learned about the tenant; lives as long as the client.
#[derive(Default)]
pub(crate) struct Discovered {
    /// The server answered 400 naming one of the extra user list fields.
    pub extras_refused: AtomicBool,
    support: [OnceCell<Support>; 10],
    /// The user whose sub-resources the checks read: `Err` holds why there is none.
    reference_user: OnceCell<Result<String, String>>,
}

impl RciClient {
    /// One GET for this endpoint per client (cached), so one per provider process. Transient
    /// failures (transport, 5xx, 429, 401) are returned as errors and not cached.
    pub async fn endpoint_support(&self, endpoint: Endpoint) -> ClientResult<Support> {
        self.discovered.support[endpoint.index()]
            .get_or_try_init(|| self.check_endpoint(endpoint))
            .await
            .cloned()
    }

    async fn check_endpoint(&self, endpoint: Endpoint) -> ClientResult<Support> {
        let mut segments: Vec<String> = Vec::new();
        if let Some(sub) = endpoint.under_user() {
            let user = match self.reference_user().await? {
                Ok(id) => id,
                Err(message) => return Ok(Support::Unknown { message }),
            };
            segments.push("users".into());
            segments.push(user);
            if !sub.is_empty() {
                segments.push(sub.into());
            }
        } else {
            segments.push(endpoint.path().into());
        }
        let mut call = Call::new(Method::GET, endpoint.path(), endpoint.path()).path(segments);
        if endpoint != Endpoint::UserById && endpoint != Endpoint::Authentication {
            call.query.push(("limit".into(), "1".into()));
        }
        support_of(self.http.execute(&call).await.map(drop))
    }

    /// The API user's own id (found by its login), else the first user listed.
    async fn reference_user(&self) -> ClientResult<Result<String, String>> {
        self.discovered
            .reference_user
            .get_or_try_init(|| async {
                let login = self.http.username();
                let own = [("login", login), ("limit", "1000")];
                let found = match self.first_user(&own, login).await? {
                    Ok(None) => self.first_user(&[("limit", "1")], "").await?,
                    other => other,
                };
                Ok(found
                    .and_then(|id| id.ok_or_else(|| "no user is visible to the API user".into())))
            })
            .await
            .cloned()
    }

    /// The first user of one list page whose login is `login` (any user when empty).
    async fn first_user(
        &self,
        query: &[(&str, &str)],
        login: &str,
    ) -> ClientResult<Result<Option<String>, String>> {
        let mut call = Call::new(Method::GET, "users", "the users list").path(["users"]);
        call.query = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let items: Vec<serde_json::Value> = match self
            .http
            .execute(&call)
            .await
            .and_then(|r| r.decode("users"))
        {
            Ok(items) => items,
            Err(error) => {
                return Ok(Err(match support_of(Err(error))? {
                    Support::Missing { status } => {
                        format!("`users` answered HTTP {status}, so there is no user to check with")
                    }
                    Support::Unknown { message } => message,
                    Support::Offered => String::new(),
                }))
            }
        };
        Ok(Ok(items
            .iter()
            .find(|u| {
                login.is_empty()
                    || u["login"]
                        .as_str()
                        .is_some_and(|l| l.eq_ignore_ascii_case(login))
            })
            .and_then(|u| u["id"].as_str())
            .map(str::to_string)))
    }

    /// A 404/405 on a sub-resource of user `user_id`: when the user exists the tenant lacks
    /// `endpoint` (`Unsupported`); when the user is gone too, the original error stands.
    pub(crate) async fn under_user<T>(
        &self,
        user_id: &str,
        endpoint: Endpoint,
        result: ClientResult<T>,
    ) -> ClientResult<T> {
        let error = match result {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let Some(status) = missing_status(&error) else {
            return Err(error);
        };
        let call = Call::new(Method::GET, "users/{id}", format!("user {user_id}"))
            .path(["users", user_id]);
        match self.http.execute(&call).await {
            Ok(_) => Err(ClientError::Unsupported {
                endpoint: endpoint.path(),
                status,
            }),
            Err(parent) if parent.is_not_found() && status == 404 => Err(error),
            // Not found, or a failure that cannot tell: either way not a verdict on `endpoint`.
            Err(parent) => Err(parent),
        }
    }

    /// A 404/405 on `secrets` or `secrets/{id}`: `GET secrets?limit=1` tells a gone secret
    /// (the list answers) from a tenant without the secrets endpoint.
    pub(crate) async fn under_secrets<T>(&self, result: ClientResult<T>) -> ClientResult<T> {
        let error = match result {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if missing_status(&error).is_none() {
            return Err(error);
        }
        let mut call = Call::new(Method::GET, "secrets", "the secrets list").path(["secrets"]);
        call.query.push(("limit".into(), "1".into()));
        match self.http.execute(&call).await {
            Ok(_) => Err(error),
            Err(list) => Err(self.list_missing(Endpoint::Secrets, list).await),
        }
    }

    /// A 404/405 on a whole list: the tenant lacks the endpoint, unless the documented users list
    /// is missing too, which means a wrong address (an unknown tenant) and is reported as such.
    pub(crate) async fn list_missing(&self, endpoint: Endpoint, error: ClientError) -> ClientError {
        if missing_status(&error).is_none() {
            return error;
        }
        let mut users = Call::new(Method::GET, "users", "the users list").path(["users"]);
        users.query.push(("limit".into(), "1".into()));
        match self.http.execute(&users).await {
            Ok(_) => unsupported(endpoint, error),
            Err(users) => users,
        }
    }
}

/// A call on an item of a collection (a membership, a right) answered 404/405: the item may be
/// gone, or the whole collection missing. Reading the collection tells: its error (`Unsupported`,
/// or the parent gone) wins; when it reads fine, the call's own error stands.
pub(crate) async fn checked_by<T, R>(
    result: ClientResult<T>,
    read: impl std::future::Future<Output = ClientResult<R>>,
) -> ClientResult<T> {
    match result {
        Err(error) if missing_status(&error).is_some() => match read.await {
            Ok(_) => Err(error),
            Err(verdict) => Err(verdict),
        },
        other => other,
    }
}

/// A 404/405 on a whole endpoint means the tenant lacks it.
pub(crate) fn unsupported(endpoint: Endpoint, error: ClientError) -> ClientError {
    match missing_status(&error) {
        Some(status) => ClientError::Unsupported {
            endpoint: endpoint.path(),
            status,
        },
        None => error,
    }
}

fn support_of(result: ClientResult<()>) -> ClientResult<Support> {
    let error = match result {
        Ok(()) => return Ok(Support::Offered),
        Err(error) => error,
    };
    if let Some(status) = missing_status(&error) {
        return Ok(Support::Missing { status });
    }
    match error {
        ClientError::Unauthorized
        | ClientError::Transport { .. }
        | ClientError::Throttled { .. }
        | ClientError::Server { .. } => Err(error),
        other => Ok(Support::Unknown {
            message: other.to_string(),
        }),
    }
}
