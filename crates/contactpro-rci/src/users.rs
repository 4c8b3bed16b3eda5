//! Users, their authentication tab, and their group/role memberships.

use super::cache::{complete_items, USER_KEYS};
use super::capabilities::{checked_by, Endpoint};
use super::http::Call;
use super::merge::merged;
use super::ClientError;
use super::{Authentication, AuthenticationInput, User, UserInput};
use super::{ClientResult, Membership, NamedRef, RciClient};
use reqwest::Method;
use serde_json::Value;
use std::sync::atomic::Ordering;

/// Fields a user list must name to return them (the documented list returns only id and names).
const LIST_FIELDS: &[&str] = USER_KEYS.split_at(3).1;
/// This project's extra fields; a server that does not offer them answers 400 naming one.
const EXTRA_FIELDS: &[&str] = &[
    "serviceAccount",
    "serviceAccountExpiration",
    "userGroupIds",
    "roleIds",
];

impl RciClient {
    /// Every user matching the filters (`[("login", "api.*")]`), following pages. An item the
    /// list returned without a managed field is read by id, so absent never reads as null.
    pub async fn list_users(&self, filters: &[(&str, &str)]) -> ClientResult<Vec<User>> {
        let mut users = Vec::new();
        for item in self.user_items(filters).await? {
            if USER_KEYS.iter().all(|k| item.get(*k).is_some()) {
                users.push(
                    serde_json::from_value(item)
                        .map_err(|e| ClientError::Decode(format!("response of users: {e}")))?,
                );
                continue;
            }
            let Some(id) = item.get("id").and_then(Value::as_str) else {
                return Err(ClientError::Decode("a users list item has no `id`".into()));
            };
            users.push(self.fetch_user(id).await?);
        }
        Ok(users)
    }

    /// The raw items of `GET users`, asking for the managed fields, and for the extras while
    /// the server accepts them (a 400 naming one turns them off for this client's life).
    pub(crate) async fn user_items(&self, filters: &[(&str, &str)]) -> ClientResult<Vec<Value>> {
        loop {
            let extras = !self.discovered.extras_refused.load(Ordering::Relaxed);
            let mut query: Vec<(String, String)> = filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let wanted = LIST_FIELDS
                .iter()
                .chain(EXTRA_FIELDS.iter().filter(|_| extras));
            for field in wanted {
                if !query.iter().any(|(k, _)| k == field) {
                    query.push((field.to_string(), "*".into()));
                }
            }
            let listed = self
                .http
                .list_values(
                    vec!["users".into()],
                    "users",
                    "the users list".into(),
                    &query,
                )
                .await;
            match listed {
                Err(ClientError::Validation {
                    status: 400,
                    field: Some(field),
                    ..
                }) if extras && EXTRA_FIELDS.contains(&field.as_str()) => {
                    tracing::debug!(%field, "users list does not offer the extra fields");
                    self.discovered
                        .extras_refused
                        .store(true, Ordering::Relaxed);
                }
                other => return other,
            }
        }
    }

    pub async fn get_user(&self, id: &str) -> ClientResult<User> {
        if let Some(cache) = &self.cache {
            let load = || async { complete_items(self.user_items(&[]).await?, USER_KEYS) };
            if let Some(user) = cache.users.get(id, |u: &User| &u.id, load).await {
                return Ok(user);
            }
        }
        self.fetch_user(id).await
    }

    async fn fetch_user(&self, id: &str) -> ClientResult<User> {
        self.http
            .execute(&user_call(Method::GET, id))
            .await?
            .decode("users/{id}")
    }

    /// Exact (case-insensitive) login match.
    pub async fn find_user_by_login(&self, login: &str) -> ClientResult<Option<User>> {
        // The server filter is a case-insensitive wildcard match; exactness is checked here.
        let users = self.list_users(&[("login", login)]).await?;
        Ok(users
            .into_iter()
            .find(|u| u.login.eq_ignore_ascii_case(login)))
    }

    /// `id`, or when it is empty (a create whose outcome was unknown) the id of the user with
    /// this login; `None` when there is no such user.
    pub async fn user_id_or_login(&self, id: &str, login: &str) -> ClientResult<Option<String>> {
        if !id.is_empty() {
            return Ok(Some(id.to_string()));
        }
        Ok(self.find_user_by_login(login).await?.map(|u| u.id))
    }

    /// Returns the new id, from the answer or else found by login.
    pub async fn create_user(&self, user: &UserInput) -> ClientResult<String> {
        let call = Call::new(Method::POST, "users", format!("user {}", user.login))
            .path(["users"])
            .json(user)?;
        let lookup = || async { Ok(self.find_user_by_login(&user.login).await?.map(|u| u.id)) };
        self.http.create_id(&call, lookup).await
    }

    /// Full replace of what the server holds, with only the fields of `user` changed.
    pub async fn update_user(&self, id: &str, user: &UserInput) -> ClientResult<()> {
        self.user_written(id);
        let current = self
            .http
            .execute(&user_call(Method::GET, id))
            .await?
            .object("users/{id}")?;
        let body = merged(current, user, &[])?;
        let call = user_call(Method::PUT, id).json(&body)?;
        self.http.execute(&call).await.map(drop)
    }

    pub async fn delete_user(&self, id: &str) -> ClientResult<()> {
        self.user_written(id);
        if let Some(cache) = &self.cache {
            cache.forget_rights(id);
        }
        self.http
            .execute(&user_call(Method::DELETE, id))
            .await
            .map(drop)
    }

    pub async fn get_authentication(&self, user_id: &str) -> ClientResult<Authentication> {
        self.authentication_object(user_id).await.and_then(|o| {
            serde_json::from_value(Value::Object(o)).map_err(|e| {
                ClientError::Decode(format!("response of users/{{id}}/authentication: {e}"))
            })
        })
    }

    async fn authentication_object(
        &self,
        user_id: &str,
    ) -> ClientResult<serde_json::Map<String, Value>> {
        let read = self
            .http
            .execute(&authentication_call(Method::GET, user_id))
            .await;
        let read = self
            .under_user(user_id, Endpoint::Authentication, read)
            .await?;
        read.object("users/{id}/authentication")
    }

    /// Full replace of the authentication tab as the server holds it, with the fields of
    /// `authentication` changed; the password is sent only when set. A retry re-sends the same body.
    pub async fn set_authentication(
        &self,
        user_id: &str,
        authentication: &AuthenticationInput,
    ) -> ClientResult<()> {
        // A new password moves the user's passwordExpiration.
        self.user_written(user_id);
        let current = self.authentication_object(user_id).await?;
        let body = merged(
            current,
            authentication,
            &["password", "passwordExpiration", "passwordSet"],
        )?;
        let call = authentication_call(Method::PUT, user_id)
            .json(&body)?
            .secret(authentication.password.as_ref().map(|p| p.expose()));
        let written = self.http.execute(&call).await.map(drop);
        self.under_user(user_id, Endpoint::Authentication, written)
            .await
    }

    // --- memberships ---

    pub async fn list_memberships(
        &self,
        user_id: &str,
        kind: Membership,
    ) -> ClientResult<Vec<NamedRef>> {
        let listed = self
            .http
            .list(
                vec!["users".into(), user_id.into(), kind.segment().into()],
                membership_template(kind),
                format!("user {user_id}"),
                &[],
            )
            .await;
        self.under_user(user_id, membership_endpoint(kind), listed)
            .await
    }

    /// Adding a membership an earlier, lost attempt already added counts as success.
    pub async fn add_membership(
        &self,
        user_id: &str,
        kind: Membership,
        target_id: &str,
    ) -> ClientResult<()> {
        // The user representation may carry membership ids.
        self.user_written(user_id);
        let call = Call::new(
            Method::POST,
            membership_template(kind),
            format!("user {user_id} or {} {target_id}", kind_name(kind)),
        )
        .path(["users", user_id, kind.segment()])
        .json(&serde_json::json!({ "id": target_id }))?;
        let lookup = || async {
            let current = self.list_memberships(user_id, kind).await?;
            Ok(current
                .into_iter()
                .find(|m| m.id.eq_ignore_ascii_case(target_id))
                .map(|m| m.id))
        };
        // A 404 may name the group or role (unknown id): the list tells that from a missing endpoint.
        let added = self.http.create(&call, lookup).await.map(drop);
        checked_by(added, self.list_memberships(user_id, kind)).await
    }

    pub async fn remove_membership(
        &self,
        user_id: &str,
        kind: Membership,
        target_id: &str,
    ) -> ClientResult<()> {
        self.user_written(user_id);
        let template = match kind {
            Membership::UserGroups => "users/{id}/userGroups/{groupId}",
            Membership::Roles => "users/{id}/roles/{roleId}",
        };
        let call = Call::new(
            Method::DELETE,
            template,
            format!(
                "membership of user {user_id} in {} {target_id}",
                kind_name(kind)
            ),
        )
        .path(["users", user_id, kind.segment(), target_id]);
        let removed = self.http.execute(&call).await.map(drop);
        checked_by(removed, self.list_memberships(user_id, kind)).await
    }

    fn user_written(&self, id: &str) {
        if let Some(cache) = &self.cache {
            cache.users.mark_written(id);
        }
    }
}

fn user_call(method: Method, id: &str) -> Call {
    Call::new(method, "users/{id}", format!("user {id}")).path(["users", id])
}

fn authentication_call(method: Method, user_id: &str) -> Call {
    Call::new(
        method,
        "users/{id}/authentication",
        format!("authentication of user {user_id}"),
    )
    .path(["users", user_id, "authentication"])
}

fn membership_endpoint(kind: Membership) -> Endpoint {
    match kind {
        Membership::UserGroups => Endpoint::UserGroupMemberships,
        Membership::Roles => Endpoint::RoleMemberships,
    }
}

fn membership_template(kind: Membership) -> &'static str {
    match kind {
        Membership::UserGroups => "users/{id}/userGroups",
        Membership::Roles => "users/{id}/roles",
    }
}

fn kind_name(kind: Membership) -> &'static str {
    match kind {
        Membership::UserGroups => "user group",
        Membership::Roles => "role",
    }
}
