//! The configured API client, shared between the provider and every resource and data source.
//! `Provider::configure` takes `&self`, so the client is set through a shared cell made before
//! `get_resources` hands out the resources.

use std::sync::{Arc, RwLock};

use tf_provider::{AttributePath, Diagnostics};
use tokio::sync::OnceCell;

use crate::tf::diag::api_error;
use crate::tf::ownership::Ownership;
use contactpro_rci::{ClientError, RciClient};

/// Which list a plan-time credentials check reads: one the resource needs to read anyway.
#[derive(Clone, Copy)]
pub enum Probe {
    Users,
    Secrets,
}

#[derive(Clone, Default)]
pub struct ClientHandle {
    client: Arc<RwLock<Option<RciClient>>>,
    users_probe: Arc<OnceCell<Option<ClientError>>>,
    secrets_probe: Arc<OnceCell<Option<ClientError>>>,
    /// Shared by every resource of the process: which shape manages what of a user.
    pub ownership: Ownership,
}

impl ClientHandle {
    pub fn set(&self, client: RciClient) {
        *self.client.write().unwrap_or_else(|e| e.into_inner()) = Some(client);
    }

    /// The client, or an error diagnostic when the provider was never configured.
    pub fn get(&self, diags: &mut Diagnostics) -> Option<RciClient> {
        let client = self
            .client
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if client.is_none() {
            diags.error(
                "The contactpro provider is not configured",
                "Terraform called a resource before configuring the provider. Check the provider block (url, api_key, username, password).",
                AttributePath::root(),
            );
        }
        client
    }

    /// The client, after one cheap request per provider process has shown that the credentials,
    /// the API key and the tenant are right. Configure makes no request, so without this a plan
    /// that only creates objects would accept a wrong key and fail only at apply.
    pub async fn get_checked(
        &self,
        diags: &mut Diagnostics,
        resource: &str,
        probe: Probe,
    ) -> Option<RciClient> {
        let client = self.get(diags)?;
        let (cell, what) = match probe {
            Probe::Users => (&self.users_probe, "users"),
            Probe::Secrets => (&self.secrets_probe, "secrets"),
        };
        let failure = cell
            .get_or_init(|| async {
                let result = match probe {
                    Probe::Users => client.list_users(&[("login", "api.*")]).await.map(|_| ()),
                    Probe::Secrets => client.list_secrets(Some("api-*")).await.map(|_| ()),
                };
                // Only answers that no retry or later call can fix stop the plan.
                result.err().filter(|e| {
                    matches!(
                        e,
                        ClientError::Unauthorized
                            | ClientError::Forbidden { .. }
                            | ClientError::NotFound { .. }
                    )
                })
            })
            .await;
        match failure {
            Some(error) => {
                api_error(
                    diags,
                    resource,
                    &format!("checking the provider's settings by listing {what} (it needs View rights on {what} to read what it manages)"),
                    error,
                    &[],
                );
                None
            }
            None => Some(client),
        }
    }
}
