//! `contactpro_queue_group`: a queue group by name, with its queues.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::lookup::exactly_one;
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, required, schema, string, string_set};
use crate::tf::values::{known, set_of, TfSet, TfString};

const NAME: &str = "contactpro_queue_group";

#[derive(Serialize, Deserialize, Default)]
pub struct QueueGroupState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub queue_ids: TfSet,
}

pub struct QueueGroupDataSource {
    client: ClientHandle,
}

impl QueueGroupDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for QueueGroupDataSource {
    type State<'a> = QueueGroupState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Looks up a queue group by its exact name, with the ids of its queues. Rights on a queue group cover all its queues.",
            vec![
                ("name", required(string(), "Exact name of the queue group.")),
                ("id", computed(string(), "Id of the queue group.")),
                ("queue_ids", computed(string_set(), "Ids of the queues in the group.")),
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
        let listed = client.list_queue_groups(Some(&name)).await;
        let group = exactly_one(diags, NAME, "name", &name, listed, |g| &g.name)?;
        Some(QueueGroupState {
            name: Value::Value(group.name),
            id: Value::Value(group.id),
            queue_ids: group.queue_ids.map_or(Value::Null, set_of),
        })
    }
}
