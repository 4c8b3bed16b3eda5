//! `contactpro_queues`: the queues matching an optional wildcard name filter, in one list walk.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{DataSource, Diagnostics};

use super::listing::{
    by_id, filter_doc, filter_value, ids_list, list_failed, sort_by_key, TfList, TfMap,
};
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, optional, schema, string, string_list, string_map};
use crate::tf::values::TfString;

const NAME: &str = "contactpro_queues";

#[derive(Serialize, Deserialize, Default)]
pub struct QueuesState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub ids: TfList,
    #[serde(default)]
    pub names: TfMap,
    #[serde(default)]
    pub channels: TfMap,
}

pub struct QueuesDataSource {
    client: ClientHandle,
}

impl QueuesDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for QueuesDataSource {
    type State<'a> = QueuesState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Lists the queues whose name matches `name` (every queue the provider's API user may view when it is unset), in one walk of the queues list. An empty result is not an error. `ids` is sorted by name (ignoring case), then id; the maps are keyed by id, so `for_each = data.contactpro_queues.x.names` gives `each.key` = id and `each.value` = name.",
            vec![
                ("name", optional(string(), &filter_doc("name"))),
                ("ids", computed(string_list(), "Ids of the matching queues, sorted by name (ignoring case), then id.")),
                ("names", computed(string_map(), "Name of each matching queue, keyed by id.")),
                ("channels", computed(string_map(), "Channel of each matching queue (`phone`, `chat` or `email`), keyed by id; queues the tenant reports without a channel are left out.")),
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
        let mut items = match client.list_queues(filter_value(&config.name)).await {
            Ok(items) => items,
            Err(e) => {
                list_failed(diags, NAME, "queues", &e, &[("name", "name")]);
                return None;
            }
        };
        sort_by_key(&mut items, |i| (&i.name, &i.id));
        Some(QueuesState {
            ids: ids_list(items.iter().map(|i| i.id.as_str())),
            names: by_id(items.iter().map(|i| (i.id.as_str(), Some(i.name.as_str())))),
            channels: by_id(items.iter().map(|i| (i.id.as_str(), i.channel.as_deref()))),
            ..config
        })
    }
}
