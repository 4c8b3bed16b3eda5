//! `contactpro_roles`: the roles matching an optional wildcard name filter, in one list walk.

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

const NAME: &str = "contactpro_roles";

#[derive(Serialize, Deserialize, Default)]
pub struct RolesState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub ids: TfList,
    #[serde(default)]
    pub names: TfMap,
}

pub struct RolesDataSource {
    client: ClientHandle,
}

impl RolesDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for RolesDataSource {
    type State<'a> = RolesState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Lists the roles whose name matches `name` (every role the provider's API user may view when it is unset), in one walk of the roles list. An empty result is not an error. `ids` is sorted by name (ignoring case), then id; the maps are keyed by id, so `for_each = data.contactpro_roles.x.names` gives `each.key` = id and `each.value` = name.",
            vec![
                ("name", optional(string(), &filter_doc("name"))),
                ("ids", computed(string_list(), "Ids of the matching roles, sorted by name (ignoring case), then id.")),
                ("names", computed(string_map(), "Name of each matching role, keyed by id.")),
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
        let mut items = match client.list_roles(filter_value(&config.name)).await {
            Ok(items) => items,
            Err(e) => {
                list_failed(diags, NAME, "roles", &e, &[("name", "name")]);
                return None;
            }
        };
        sort_by_key(&mut items, |i| (&i.name, &i.id));
        Some(RolesState {
            ids: ids_list(items.iter().map(|i| i.id.as_str())),
            names: by_id(items.iter().map(|i| (i.id.as_str(), Some(i.name.as_str())))),
            ..config
        })
    }
}
