//! `contactpro_queue`: a queue by name.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::lookup::exactly_one;
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, required, schema, string};
use crate::tf::values::{from_api, known, TfString};

const NAME: &str = "contactpro_queue";

#[derive(Serialize, Deserialize, Default)]
pub struct QueueState {
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub channel: TfString,
}

pub struct QueueDataSource {
    client: ClientHandle,
}

impl QueueDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for QueueDataSource {
    type State<'a> = QueueState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Looks up a queue (phone, chat or e-mail) by its exact name.",
            vec![
                ("name", required(string(), "Exact name of the queue.")),
                ("id", computed(string(), "Id of the queue.")),
                (
                    "channel",
                    computed(
                        string(),
                        "Channel type of the queue: `phone`, `chat` or `email`.",
                    ),
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
        let listed = client.list_queues(Some(&name)).await;
        let queue = exactly_one(diags, NAME, "name", &name, listed, |q| &q.name)?;
        Some(QueueState {
            name: Value::Value(queue.name),
            id: Value::Value(queue.id),
            channel: from_api(queue.channel),
        })
    }
}
