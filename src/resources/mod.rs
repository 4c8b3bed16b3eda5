//! Resources: one file each. They map Terraform operations to client calls and never build URLs.

mod membership;
pub(crate) mod password_generator;
pub mod secret;
pub mod user;
pub mod user_group;
mod user_requirements;
pub mod user_right;
pub mod user_rights;
pub mod write_only;

use std::collections::HashMap;

use tf_provider::DynamicResource;

use crate::plugin_server::convert::WriteOnly;
use crate::plugin_server::ClientCapabilities;
use crate::tf::client_handle::ClientHandle;

/// The write-only arguments (Terraform >= 1.11), announced as such in the schema: their values
/// are read from the configuration at apply and are null in every plan and state.
pub fn write_only_attributes() -> WriteOnly {
    [
        ("contactpro_user", "password_wo"),
        ("contactpro_secret", "secret_wo"),
    ]
    .into_iter()
    .map(|(resource, attribute)| (resource.to_string(), attribute.to_string()))
    .collect()
}

/// Every resource, keyed by its name without the `contactpro_` prefix.
pub fn all(
    client: &ClientHandle,
    capabilities: &ClientCapabilities,
) -> HashMap<String, Box<dyn DynamicResource>> {
    let mut resources: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
    resources.insert(
        "user".into(),
        Box::new(user::UserResource::new(
            client.clone(),
            capabilities.clone(),
        )),
    );
    resources.insert(
        "user_rights".into(),
        Box::new(user_rights::UserRightsResource::new(client.clone())),
    );
    resources.insert(
        "secret".into(),
        Box::new(secret::SecretResource::new(
            client.clone(),
            capabilities.clone(),
        )),
    );
    resources.insert(
        "user_group".into(),
        Box::new(user_group::UserGroupResource::new(client.clone())),
    );
    resources.insert(
        "user_right".into(),
        Box::new(user_right::UserRightResource::new(client.clone())),
    );
    resources.insert(
        "user_group_membership".into(),
        Box::new(
            membership::MembershipResource::<membership::GroupState>::new(
                client.clone(),
                membership::USER_GROUP,
            ),
        ),
    );
    resources.insert(
        "user_role_membership".into(),
        Box::new(
            membership::MembershipResource::<membership::RoleState>::new(
                client.clone(),
                membership::ROLE,
            ),
        ),
    );
    resources
}
