//! Data sources: one file each. Each looks one object up by its name (or login) and fails with an
//! error that names what was looked for when there is none.

mod lookup;
pub mod queue;
pub mod queue_group;
pub mod secret;
pub mod user;
pub mod user_group;

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
    sources
}
