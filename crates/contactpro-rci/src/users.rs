//! Users, their authentication tab, and their group/role memberships.

use super::cache::{complete_items, USER_KEYS};
use super::http::Call;
use super::{Authentication, AuthenticationInput, User, UserInput};
use super::{ClientResult, Membership, NamedRef, RciClient};
use reqwest::Method;

impl RciClient {
    /// Every user matching the filters (`[("login", "api.*")]`), following pages.
    pub async fn list_users(&self, filters: &[(&str, &str)]) -> ClientResult<Vec<User>> {
        self.http
            .list(
                vec!["users".into()],
                "users",
                "the users list".into(),
                filters,
            )
            .await
    }

    pub async fn get_user(&self, id: &str) -> ClientResult<User> {
        if let Some(cache) = &self.cache {
            let load = || async {
                let items = self
                    .http
                    .list(vec!["users".into()], "users", "the users list".into(), &[])
                    .await?;
                complete_items(items, USER_KEYS)
            };
            if let Some(user) = cache.users.get(id, |u: &User| &u.id, load).await {
                return Ok(user);
            }
        }
        let call = Call::new(Method::GET, "users/{id}", format!("user {id}")).path(["users", id]);
        self.http.execute(&call).await?.decode("users/{id}")
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

    /// Returns the new id.
    pub async fn create_user(&self, user: &UserInput) -> ClientResult<String> {
        let call = Call::new(Method::POST, "users", format!("user {}", user.login))
            .path(["users"])
            .json(user)?;
        let lookup = || async { Ok(self.find_user_by_login(&user.login).await?.map(|u| u.id)) };
        self.http.create(&call, lookup).await?.id("users")
    }

    pub async fn update_user(&self, id: &str, user: &UserInput) -> ClientResult<()> {
        self.user_written(id);
        let call = Call::new(Method::PUT, "users/{id}", format!("user {id}"))
            .path(["users", id])
            .json(user)?;
        self.http.execute(&call).await.map(drop)
    }

    pub async fn delete_user(&self, id: &str) -> ClientResult<()> {
        self.user_written(id);
        if let Some(cache) = &self.cache {
            cache.forget_rights(id);
        }
        let call =
            Call::new(Method::DELETE, "users/{id}", format!("user {id}")).path(["users", id]);
        self.http.execute(&call).await.map(drop)
    }

    pub async fn get_authentication(&self, user_id: &str) -> ClientResult<Authentication> {
        let call = Call::new(
            Method::GET,
            "users/{id}/authentication",
            format!("authentication of user {user_id}"),
        )
        .path(["users", user_id, "authentication"]);
        self.http
            .execute(&call)
            .await?
            .decode("users/{id}/authentication")
    }

    /// Idempotent: a retry re-sends the same body, password included.
    pub async fn set_authentication(
        &self,
        user_id: &str,
        authentication: &AuthenticationInput,
    ) -> ClientResult<()> {
        // A new password moves the user's passwordExpiration.
        self.user_written(user_id);
        let call = Call::new(
            Method::PUT,
            "users/{id}/authentication",
            format!("user {user_id}"),
        )
        .path(["users", user_id, "authentication"])
        .json(authentication)?
        .secret(authentication.password.as_ref().map(|p| p.expose()));
        self.http.execute(&call).await.map(drop)
    }

    // --- memberships ---

    pub async fn list_memberships(
        &self,
        user_id: &str,
        kind: Membership,
    ) -> ClientResult<Vec<NamedRef>> {
        self.http
            .list(
                vec!["users".into(), user_id.into(), kind.segment().into()],
                membership_template(kind),
                format!("user {user_id}"),
                &[],
            )
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
        self.http.create(&call, lookup).await.map(drop)
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
        self.http.execute(&call).await.map(drop)
    }

    fn user_written(&self, id: &str) {
        if let Some(cache) = &self.cache {
            cache.users.mark_written(id);
        }
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
