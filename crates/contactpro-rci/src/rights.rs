//! A user's rights on objects; one right per (user, objectType, objectId).

use super::capabilities::{checked_by, Endpoint};
use super::http::Call;
use super::merge::merged;
use super::{ClientResult, RciClient, Right, RightInput};
use reqwest::Method;

impl RciClient {
    pub async fn list_rights(&self, user_id: &str) -> ClientResult<Vec<Right>> {
        match &self.cache {
            Some(cache) => cache.rights(user_id, || self.fetch_rights(user_id)).await,
            None => self.fetch_rights(user_id).await,
        }
    }

    /// The user's rights as the server holds them now, never from the read cache: for a
    /// read-modify-write that must not merge into a stale list.
    pub async fn list_rights_fresh(&self, user_id: &str) -> ClientResult<Vec<Right>> {
        self.fetch_rights(user_id).await
    }

    /// Returns the new right's id, from the answer or else found by (objectType, objectId); a
    /// lost create is resolved the same way.
    pub async fn create_right(&self, user_id: &str, right: &RightInput) -> ClientResult<String> {
        self.rights_written(user_id);
        let call = Call::new(Method::POST, "users/{id}/rights", format!("user {user_id}"))
            .path(["users", user_id, "rights"])
            .json(right)?;
        let lookup = || async {
            // Straight to the server: the cache must not decide whether a create happened.
            let rights = self.fetch_rights(user_id).await?;
            Ok(rights
                .into_iter()
                .find(|r| {
                    r.object_type == right.object_type
                        && r.object_id.eq_ignore_ascii_case(&right.object_id)
                })
                .map(|r| r.id))
        };
        // A 404 may name the object (field objectId): the list tells that from a missing endpoint.
        let created = self.http.create_id(&call, lookup).await;
        checked_by(created, self.fetch_rights(user_id)).await
    }

    /// Full replace of the right as the server holds it, with the fields of `right` changed.
    pub async fn update_right(
        &self,
        user_id: &str,
        right_id: &str,
        right: &RightInput,
    ) -> ClientResult<()> {
        self.rights_written(user_id);
        let read = self
            .http
            .execute(&right_call(Method::GET, user_id, right_id))
            .await;
        let current = checked_by(read, self.fetch_rights(user_id))
            .await?
            .object("users/{id}/rights/{rightId}")?;
        let body = merged(current, right, &["id"])?;
        let call = right_call(Method::PUT, user_id, right_id).json(&body)?;
        let written = self.http.execute(&call).await.map(drop);
        checked_by(written, self.fetch_rights(user_id)).await
    }

    pub async fn delete_right(&self, user_id: &str, right_id: &str) -> ClientResult<()> {
        self.rights_written(user_id);
        let deleted = self
            .http
            .execute(&right_call(Method::DELETE, user_id, right_id))
            .await
            .map(drop);
        checked_by(deleted, self.fetch_rights(user_id)).await
    }

    async fn fetch_rights(&self, user_id: &str) -> ClientResult<Vec<Right>> {
        let listed = self
            .http
            .list(
                vec!["users".into(), user_id.into(), "rights".into()],
                "users/{id}/rights",
                format!("user {user_id}"),
                &[],
            )
            .await;
        self.under_user(user_id, Endpoint::Rights, listed).await
    }

    fn rights_written(&self, user_id: &str) {
        if let Some(cache) = &self.cache {
            cache.forget_rights(user_id);
        }
    }
}

fn right_call(method: Method, user_id: &str, right_id: &str) -> Call {
    Call::new(
        method,
        "users/{id}/rights/{rightId}",
        format!("right {right_id} of user {user_id}"),
    )
    .path(["users", user_id, "rights", right_id])
}
