//! `contactpro_secrets`: the secrets matching an optional wildcard name filter, in one list walk;
//! metadata only, never a value.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{AttributePath, DataSource, Diagnostics};

use super::listing::{
    by_id, filter_doc, filter_value, ids_list, list_failed, sort_by_key, TfList, TfMap,
};
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, optional, schema, string, string_list, string_map};
use crate::tf::tenant_support::require_endpoint;
use crate::tf::values::TfString;
use contactpro_rci::Endpoint;

const NAME: &str = "contactpro_secrets";

#[derive(Serialize, Deserialize, Default)]
pub struct SecretsState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub ids: TfList,
    #[serde(default)]
    pub names: TfMap,
    #[serde(default)]
    pub types: TfMap,
    #[serde(default)]
    pub descriptions: TfMap,
    #[serde(default)]
    pub authentication_ids: TfMap,
    #[serde(default)]
    pub access_token_urls: TfMap,
}

pub struct SecretsDataSource {
    client: ClientHandle,
}

impl SecretsDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for SecretsDataSource {
    type State<'a> = SecretsState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Lists the secrets (metadata only, never a value) whose name matches `name` (every secret the provider's API user may view when it is unset), in one walk of the secrets list. An empty result is not an error. `ids` is sorted by name (ignoring case), then id; the maps are keyed by id, so `for_each = data.contactpro_secrets.x.names` gives `each.key` = id and `each.value` = name.",
            vec![
                ("name", optional(string(), &filter_doc("name"))),
                ("ids", computed(string_list(), "Ids of the matching secrets, sorted by name (ignoring case), then id.")),
                ("names", computed(string_map(), "Name of each matching secret, keyed by id.")),
                ("types", computed(string_map(), "Type of each matching secret (`basic`, `oauth` or `header`), keyed by id.")),
                ("descriptions", computed(string_map(), "Description of each matching secret that has one, keyed by id.")),
                ("authentication_ids", computed(string_map(), "User name or client id of each matching secret that has one, keyed by id.")),
                ("access_token_urls", computed(string_map(), "OAuth access token URL of each matching `oauth` secret, keyed by id.")),
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
        let mut items = match client.list_secrets(filter_value(&config.name)).await {
            Ok(items) => items,
            Err(e) => {
                list_failed(diags, NAME, "secrets", &e, &[("name", "name")]);
                return None;
            }
        };
        sort_by_key(&mut items, |i| (&i.name, &i.id));
        Some(SecretsState {
            ids: ids_list(items.iter().map(|i| i.id.as_str())),
            names: by_id(items.iter().map(|i| (i.id.as_str(), Some(i.name.as_str())))),
            types: by_id(items.iter().map(|i| (i.id.as_str(), Some(i.kind.as_str())))),
            descriptions: by_id(
                items
                    .iter()
                    .map(|i| (i.id.as_str(), i.description.as_deref())),
            ),
            authentication_ids: by_id(
                items
                    .iter()
                    .map(|i| (i.id.as_str(), i.authentication_id.as_deref())),
            ),
            access_token_urls: by_id(
                items
                    .iter()
                    .map(|i| (i.id.as_str(), i.access_token_url.as_deref())),
            ),
            ..config
        })
    }
}
