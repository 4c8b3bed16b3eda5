//! Secrets manager entries; `secret` is write-only and scrubbed from any error text.

use super::cache::{complete_items, SECRET_KEYS};
use super::http::Call;
use super::{ClientResult, RciClient, Secret, SecretInput};
use reqwest::Method;

impl RciClient {
    pub async fn list_secrets(&self, name_filter: Option<&str>) -> ClientResult<Vec<Secret>> {
        let filters: Vec<(&str, &str)> = name_filter.map(|n| ("name", n)).into_iter().collect();
        self.http
            .list(
                vec!["secrets".into()],
                "secrets",
                "the secrets list".into(),
                &filters,
            )
            .await
    }

    pub async fn get_secret(&self, id: &str) -> ClientResult<Secret> {
        if let Some(cache) = &self.cache {
            let load = || async {
                let items = self
                    .http
                    .list(
                        vec!["secrets".into()],
                        "secrets",
                        "the secrets list".into(),
                        &[],
                    )
                    .await?;
                complete_items(items, SECRET_KEYS)
            };
            if let Some(secret) = cache.secrets.get(id, |s: &Secret| &s.id, load).await {
                return Ok(secret);
            }
        }
        let call =
            Call::new(Method::GET, "secrets/{id}", format!("secret {id}")).path(["secrets", id]);
        self.http.execute(&call).await?.decode("secrets/{id}")
    }

    /// Exact name match.
    pub async fn find_secret_by_name(&self, name: &str) -> ClientResult<Option<Secret>> {
        // The server filter is case-insensitive with wildcards; names are unique case-sensitively.
        let secrets = self.list_secrets(Some(name)).await?;
        Ok(secrets.into_iter().find(|s| s.name == name))
    }

    /// `id`, or when it is empty (a create whose outcome was unknown) the id of the secret with
    /// this name; `None` when there is no such secret.
    pub async fn secret_id_or_name(&self, id: &str, name: &str) -> ClientResult<Option<String>> {
        if !id.is_empty() {
            return Ok(Some(id.to_string()));
        }
        Ok(self.find_secret_by_name(name).await?.map(|s| s.id))
    }

    /// Returns the new id. A lost create is resolved by the secret's name.
    pub async fn create_secret(&self, secret: &SecretInput) -> ClientResult<String> {
        let call = Call::new(Method::POST, "secrets", format!("secret {}", secret.name))
            .path(["secrets"])
            .json(secret)?
            .secret(secret.secret.as_ref().map(|s| s.expose()));
        let lookup = || async { Ok(self.find_secret_by_name(&secret.name).await?.map(|s| s.id)) };
        self.http.create(&call, lookup).await?.id("secrets")
    }

    pub async fn update_secret(&self, id: &str, secret: &SecretInput) -> ClientResult<()> {
        self.secret_written(id);
        let call = Call::new(Method::PUT, "secrets/{id}", format!("secret {id}"))
            .path(["secrets", id])
            .json(secret)?
            .secret(secret.secret.as_ref().map(|s| s.expose()));
        self.http.execute(&call).await.map(drop)
    }

    pub async fn delete_secret(&self, id: &str) -> ClientResult<()> {
        self.secret_written(id);
        let call =
            Call::new(Method::DELETE, "secrets/{id}", format!("secret {id}")).path(["secrets", id]);
        self.http.execute(&call).await.map(drop)
    }

    fn secret_written(&self, id: &str) {
        if let Some(cache) = &self.cache {
            cache.secrets.mark_written(id);
        }
    }
}
