//! `contactpro_secret` (data source): a secret's metadata by name, never its value.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use super::lookup::exactly_one;
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, required, schema, string};
use crate::tf::tenant_support::require_endpoint;
use crate::tf::values::{from_api, known, TfString};
use contactpro_rci::Endpoint;

const NAME: &str = "contactpro_secret";

#[derive(Serialize, Deserialize, Default)]
pub struct SecretMetadata {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub description: TfString,
    #[serde(default, rename = "type")]
    pub kind: TfString,
    #[serde(default)]
    pub authentication_id: TfString,
    #[serde(default)]
    pub access_token_url: TfString,
    #[serde(default)]
    pub secret_set: Value<bool>,
}

pub struct SecretDataSource {
    client: ClientHandle,
}

impl SecretDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for SecretDataSource {
    type State<'a> = SecretMetadata;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Looks up a secret of the Secrets manager by its exact name and returns its metadata, never its value. Use it to check that a secret made by someone else, such as `orchestration-layer`, exists before building on it: the read fails when it does not.",
            vec![
                ("name", required(string(), "Exact name of the secret.")),
                ("id", computed(string(), "Id of the secret.")),
                ("description", computed(string(), "Description.")),
                ("type", computed(string(), "`basic`, `oauth` or `header`.")),
                ("authentication_id", computed(string(), "User name or client id, if any.")),
                ("access_token_url", computed(string(), "OAuth access token URL, if any.")),
                ("secret_set", computed(AttributeType::Bool, "Whether a value is stored.")),
            ],
        )))
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let client = self.client.get(diags)?;
        let path = AttributePath::root();
        require_endpoint(&client, diags, NAME, NAME, Endpoint::Secrets, path).await?;
        let name = known(&config.name).unwrap_or_default().to_string();
        let listed = client
            .find_secret_by_name(&name)
            .await
            .map(|found| found.into_iter().collect());
        let secret = exactly_one(
            diags,
            NAME,
            "name",
            &name,
            listed,
            |s: &contactpro_rci::Secret| &s.name,
        )?;
        Some(SecretMetadata {
            name: Value::Value(secret.name),
            id: Value::Value(secret.id),
            description: from_api(secret.description),
            kind: Value::Value(secret.kind),
            authentication_id: from_api(secret.authentication_id),
            access_token_url: from_api(secret.access_token_url),
            secret_set: Value::Value(secret.secret_set),
        })
    }
}
