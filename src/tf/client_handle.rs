//! The configured API client, shared between the provider and every resource and data source.
//! `Provider::configure` takes `&self`, so the client is set through a shared cell made before
//! `get_resources` hands out the resources.

use std::sync::{Arc, RwLock};

use tf_provider::{AttributePath, Diagnostics};

use crate::client::RciClient;

#[derive(Clone, Default)]
pub struct ClientHandle(Arc<RwLock<Option<RciClient>>>);

impl ClientHandle {
    pub fn set(&self, client: RciClient) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(client);
    }

    /// The client, or an error diagnostic when the provider was never configured.
    pub fn get(&self, diags: &mut Diagnostics) -> Option<RciClient> {
        let client = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        if client.is_none() {
            diags.error(
                "The contactpro provider is not configured",
                "Terraform called a resource before configuring the provider. Check the provider block (url, api_key, username, password).",
                AttributePath::root(),
            );
        }
        client
    }
}
