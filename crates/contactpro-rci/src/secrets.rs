//! Secrets manager entries; `secret` is write-only and scrubbed from any error text. The
//! documented RCI has no secrets endpoint, so a 404/405 is checked against the list.

use super::cache::{complete_items, SECRET_KEYS};
use super::capabilities::Endpoint;
use super::http::Call;
use super::merge::merged;
use super::{ClientError, ClientResult, RciClient, Secret, SecretInput};
use reqwest::Method;
use serde_json::Value;

impl RciClient {
    /// An item the list returned without a field is read by id, so absent never reads as null.
    pub async fn list_secrets(&self, name_filter: Option<&str>) -> ClientResult<Vec<Secret>> {
        let mut secrets = Vec::new();
        for item in self.secret_items(name_filter).await? {
            if SECRET_KEYS.iter().all(|k| item.get(*k).is_some()) {
                secrets.push(
                    serde_json::from_value(item)
                        .map_err(|e| ClientError::Decode(format!("response of secrets: {e}")))?,
                );
                continue;
            }
            let Some(id) = item.get("id").and_then(Value::as_str) else {
                return Err(ClientError::Decode(
                    "a secrets list item has no `id`".into(),
                ));
            };
            secrets.push(self.fetch_secret(id).await?);
        }
        Ok(secrets)
    }

    async fn secret_items(&self, name_filter: Option<&str>) -> ClientResult<Vec<Value>> {
        let query: Vec<(String, String)> = name_filter
            .map(|n| ("name".to_string(), n.to_string()))
            .into_iter()
            .collect();
        let listed = self
            .http
            .list_values(
                vec!["secrets".into()],
                "secrets",
                "the secrets list".into(),
                &query,
            )
            .await;
        match listed {
            Ok(items) => Ok(items),
            Err(e) => Err(self.list_missing(Endpoint::Secrets, e).await),
        }
    }

    pub async fn get_secret(&self, id: &str) -> ClientResult<Secret> {
        if let Some(cache) = &self.cache {
            let load = || async { complete_items(self.secret_items(None).await?, SECRET_KEYS) };
            if let Some(secret) = cache.secrets.get(id, |s: &Secret| &s.id, load).await {
                return Ok(secret);
            }
        }
        self.fetch_secret(id).await
    }

    async fn fetch_secret(&self, id: &str) -> ClientResult<Secret> {
        let read = self.http.execute(&secret_call(Method::GET, id)).await;
        self.under_secrets(read).await?.decode("secrets/{id}")
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

    /// Returns the new id, from the answer or else found by name; a lost create is resolved
    /// the same way.
    pub async fn create_secret(&self, secret: &SecretInput) -> ClientResult<String> {
        let call = Call::new(Method::POST, "secrets", format!("secret {}", secret.name))
            .path(["secrets"])
            .json(secret)?
            .secret(secret.secret.as_ref().map(|s| s.expose()));
        let lookup = || async { Ok(self.find_secret_by_name(&secret.name).await?.map(|s| s.id)) };
        let created = self.http.create_id(&call, lookup).await;
        self.under_secrets(created).await
    }

    /// Full replace of the secret as the server holds it, with the fields of `secret` changed;
    /// the secret value is sent only when set.
    pub async fn update_secret(&self, id: &str, secret: &SecretInput) -> ClientResult<()> {
        self.secret_written(id);
        let read = self.http.execute(&secret_call(Method::GET, id)).await;
        let current = self.under_secrets(read).await?.object("secrets/{id}")?;
        let body = merged(current, secret, &["secret", "id", "secretSet"])?;
        let call = secret_call(Method::PUT, id)
            .json(&body)?
            .secret(secret.secret.as_ref().map(|s| s.expose()));
        let written = self.http.execute(&call).await.map(drop);
        self.under_secrets(written).await
    }

    pub async fn delete_secret(&self, id: &str) -> ClientResult<()> {
        self.secret_written(id);
        let deleted = self
            .http
            .execute(&secret_call(Method::DELETE, id))
            .await
            .map(drop);
        self.under_secrets(deleted).await
    }

    fn secret_written(&self, id: &str) {
        if let Some(cache) = &self.cache {
            cache.secrets.mark_written(id);
        }
    }
}

fn secret_call(method: Method, id: &str) -> Call {
    Call::new(method, "secrets/{id}", format!("secret {id}")).path(["secrets", id])
}
