//! A user's rights on objects; one right per (user, objectType, objectId).

use super::http::Call;
use super::{ClientResult, RciClient, Right, RightInput};
use reqwest::Method;

impl RciClient {
    pub async fn list_rights(&self, user_id: &str) -> ClientResult<Vec<Right>> {
        match &self.cache {
            Some(cache) => cache.rights(user_id, || self.fetch_rights(user_id)).await,
            None => self.fetch_rights(user_id).await,
        }
    }

    /// Returns the new right's id. A lost create is resolved by its (objectType, objectId).
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
        self.http
            .create(&call, lookup)
            .await?
            .id("users/{id}/rights")
    }

    pub async fn update_right(
        &self,
        user_id: &str,
        right_id: &str,
        right: &RightInput,
    ) -> ClientResult<()> {
        self.rights_written(user_id);
        let call = Call::new(
            Method::PUT,
            "users/{id}/rights/{rightId}",
            format!("right {right_id} of user {user_id}"),
        )
        .path(["users", user_id, "rights", right_id])
        .json(right)?;
        self.http.execute(&call).await.map(drop)
    }

    pub async fn delete_right(&self, user_id: &str, right_id: &str) -> ClientResult<()> {
        self.rights_written(user_id);
        let call = Call::new(
            Method::DELETE,
            "users/{id}/rights/{rightId}",
            format!("right {right_id} of user {user_id}"),
        )
        .path(["users", user_id, "rights", right_id]);
        self.http.execute(&call).await.map(drop)
    }

    async fn fetch_rights(&self, user_id: &str) -> ClientResult<Vec<Right>> {
        self.http
            .list(
                vec!["users".into(), user_id.into(), "rights".into()],
                "users/{id}/rights",
                format!("user {user_id}"),
                &[],
            )
            .await
    }

    fn rights_written(&self, user_id: &str) {
        if let Some(cache) = &self.cache {
            cache.forget_rights(user_id);
        }
    }
}
