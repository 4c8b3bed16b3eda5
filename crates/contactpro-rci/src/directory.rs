//! Read-only directory lists: user groups, queues, queue groups, roles.

use super::{ClientResult, NamedRef, Queue, QueueGroup, RciClient, UserGroup};
use serde::de::DeserializeOwned;

impl RciClient {
    pub async fn list_user_groups(
        &self,
        name_filter: Option<&str>,
    ) -> ClientResult<Vec<UserGroup>> {
        self.directory("userGroups", name_filter).await
    }

    pub async fn list_queues(&self, name_filter: Option<&str>) -> ClientResult<Vec<Queue>> {
        self.directory("queues", name_filter).await
    }

    pub async fn list_queue_groups(
        &self,
        name_filter: Option<&str>,
    ) -> ClientResult<Vec<QueueGroup>> {
        self.directory("queueGroups", name_filter).await
    }

    pub async fn list_roles(&self, name_filter: Option<&str>) -> ClientResult<Vec<NamedRef>> {
        self.directory("roles", name_filter).await
    }

    async fn directory<T: DeserializeOwned>(
        &self,
        collection: &'static str,
        name_filter: Option<&str>,
    ) -> ClientResult<Vec<T>> {
        let filters: Vec<(&str, &str)> = name_filter.map(|n| ("name", n)).into_iter().collect();
        self.http
            .list(
                vec![collection.into()],
                collection,
                format!("the {collection} list"),
                &filters,
            )
            .await
    }
}
