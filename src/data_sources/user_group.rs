//! `contactpro_user_group`: a user group by name.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::lookup::exactly_one;
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, required, schema, string};
use crate::tf::values::{from_api, known, TfString};

const NAME: &str = "contactpro_user_group";

#[derive(Serialize, Deserialize, Default)]
pub struct UserGroupState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub parent_id: TfString,
}

pub struct UserGroupDataSource {
    client: ClientHandle,
}

impl UserGroupDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for UserGroupDataSource {
    type State<'a> = UserGroupState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Looks up a user group by its exact name, for example `Sample Agents Group`.",
            vec![
                ("name", required(string(), "Exact name of the user group.")),
                ("id", computed(string(), "Id of the user group.")),
                (
                    "parent_id",
                    computed(string(), "Id of the parent group (null for All Users)."),
                ),
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
        let name = known(&config.name).unwrap_or_default().to_string();
        let listed = client.list_user_groups(Some(&name)).await;
        let group = exactly_one(diags, NAME, "name", &name, listed, |g| &g.name)?;
        Some(UserGroupState {
            name: Value::Value(group.name),
            id: Value::Value(group.id),
            parent_id: from_api(group.parent_id),
        })
    }
}
