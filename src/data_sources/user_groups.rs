//! `contactpro_user_groups`: the user groups matching an optional wildcard name filter, in one list walk.

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

const NAME: &str = "contactpro_user_groups";

#[derive(Serialize, Deserialize, Default)]
pub struct UserGroupsState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub ids: TfList,
    #[serde(default)]
    pub names: TfMap,
    #[serde(default)]
    pub parent_ids: TfMap,
}

pub struct UserGroupsDataSource {
    client: ClientHandle,
}

impl UserGroupsDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for UserGroupsDataSource {
    type State<'a> = UserGroupsState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Lists the user groups whose name matches `name` (every user group the provider's API user may view when it is unset), in one walk of the user groups list. An empty result is not an error. `ids` is sorted by name (ignoring case), then id; the maps are keyed by id, so `for_each = data.contactpro_user_groups.x.names` gives `each.key` = id and `each.value` = name.",
            vec![
                ("name", optional(string(), &filter_doc("name"))),
                ("ids", computed(string_list(), "Ids of the matching user groups, sorted by name (ignoring case), then id.")),
                ("names", computed(string_map(), "Name of each matching user group, keyed by id.")),
                ("parent_ids", computed(string_map(), "Id of the parent of each matching user group that has one (All Users has none), keyed by id.")),
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
        let mut items = match client.list_user_groups(filter_value(&config.name)).await {
            Ok(items) => items,
            Err(e) => {
                list_failed(diags, NAME, "user groups", &e, &[("name", "name")]);
                return None;
            }
        };
        sort_by_key(&mut items, |i| (&i.name, &i.id));
        Some(UserGroupsState {
            ids: ids_list(items.iter().map(|i| i.id.as_str())),
            names: by_id(items.iter().map(|i| (i.id.as_str(), Some(i.name.as_str())))),
            parent_ids: by_id(
                items
                    .iter()
                    .map(|i| (i.id.as_str(), i.parent_id.as_deref())),
            ),
            ..config
        })
    }
}
