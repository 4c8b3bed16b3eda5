//! Data sources: one file each. Each singular one looks one object up by its name (or login) and
//! fails with an error that names what was looked for when there is none; each plural one lists
//! what matches its filters, possibly nothing.

mod listing;
mod lookup;
pub mod queue;
pub mod queue_group;
pub mod queue_groups;
pub mod queues;
pub mod roles;
pub mod secret;
pub mod secrets;
pub mod user;
pub mod user_group;
pub mod user_groups;
pub mod users;

use std::collections::HashMap;

use tf_provider::DynamicDataSource;

use crate::tf::client_handle::ClientHandle;

pub fn all(client: &ClientHandle) -> HashMap<String, Box<dyn DynamicDataSource>> {
    let mut sources: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
    sources.insert(
        "user_group".into(),
        Box::new(user_group::UserGroupDataSource::new(client.clone())),
    );
    sources.insert(
        "queue".into(),
        Box::new(queue::QueueDataSource::new(client.clone())),
    );
    sources.insert(
        "queue_group".into(),
        Box::new(queue_group::QueueGroupDataSource::new(client.clone())),
    );
    sources.insert(
        "secret".into(),
        Box::new(secret::SecretDataSource::new(client.clone())),
    );
    sources.insert(
        "user".into(),
        Box::new(user::UserDataSource::new(client.clone())),
    );
    sources.insert(
        "users".into(),
        Box::new(users::UsersDataSource::new(client.clone())),
    );
    sources.insert(
        "secrets".into(),
        Box::new(secrets::SecretsDataSource::new(client.clone())),
    );
    sources.insert(
        "queues".into(),
        Box::new(queues::QueuesDataSource::new(client.clone())),
    );
    sources.insert(
        "queue_groups".into(),
        Box::new(queue_groups::QueueGroupsDataSource::new(client.clone())),
    );
    sources.insert(
        "user_groups".into(),
        Box::new(user_groups::UserGroupsDataSource::new(client.clone())),
    );
    sources.insert(
        "roles".into(),
        Box::new(roles::RolesDataSource::new(client.clone())),
    );
    sources
}
