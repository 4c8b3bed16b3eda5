//! User group writes: `userGroups` POST, `userGroups/{id}` GET/PUT/DELETE (documented paths).

use super::http::Call;
use super::merge::merged;
use super::{ClientResult, RciClient, UserGroup, UserGroupInput};
use reqwest::Method;

impl RciClient {
    pub async fn get_user_group(&self, id: &str) -> ClientResult<UserGroup> {
        self.http
            .execute(&group_call(Method::GET, id))
            .await?
            .decode("userGroups/{id}")
    }

    /// Exact (case-insensitive) name match; names are unique in the tenant.
    pub async fn find_user_group_by_name(&self, name: &str) -> ClientResult<Option<UserGroup>> {
        let groups = self.list_user_groups(Some(name)).await?;
        Ok(groups
            .into_iter()
            .find(|g| g.name.eq_ignore_ascii_case(name)))
    }

    /// The root group (the one without a parent): All Users.
    pub async fn root_user_group(&self) -> ClientResult<Option<UserGroup>> {
        let groups = self.list_user_groups(None).await?;
        Ok(groups.into_iter().find(|g| g.parent_id.is_none()))
    }

    /// Returns the new id, from the answer or else found by name; a lost create is resolved
    /// the same way.
    pub async fn create_user_group(&self, group: &UserGroupInput) -> ClientResult<String> {
        let call = Call::new(
            Method::POST,
            "userGroups",
            format!("user group {}", group.name),
        )
        .path(["userGroups"])
        .json(group)?;
        let lookup = || async {
            Ok(self
                .find_user_group_by_name(&group.name)
                .await?
                .map(|g| g.id))
        };
        self.http.create_id(&call, lookup).await
    }

    /// Full replace of what the server holds, with only the fields of `group` changed.
    pub async fn update_user_group(&self, id: &str, group: &UserGroupInput) -> ClientResult<()> {
        let current = self
            .http
            .execute(&group_call(Method::GET, id))
            .await?
            .object("userGroups/{id}")?;
        let body = merged(current, group, &[])?;
        let call = group_call(Method::PUT, id).json(&body)?;
        self.http.execute(&call).await.map(drop)
    }

    pub async fn delete_user_group(&self, id: &str) -> ClientResult<()> {
        self.http
            .execute(&group_call(Method::DELETE, id))
            .await
            .map(drop)
    }
}

fn group_call(method: Method, id: &str) -> Call {
    Call::new(method, "userGroups/{id}", format!("user group {id}")).path(["userGroups", id])
}
