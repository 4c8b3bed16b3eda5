//! Resources: one file each. They map Terraform operations to client calls and never build URLs.

mod membership;
mod password_generator;
pub mod secret;
pub mod user;
pub mod user_group;
mod user_requirements;
pub mod user_right;
pub mod user_rights;

use std::collections::HashMap;

use tf_provider::DynamicResource;

use crate::tf::client_handle::ClientHandle;

/// Every resource, keyed by its name without the `contactpro_` prefix.
pub fn all(client: &ClientHandle) -> HashMap<String, Box<dyn DynamicResource>> {
    let mut resources: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
    resources.insert(
        "user".into(),
        Box::new(user::UserResource::new(client.clone())),
    );
    resources.insert(
        "user_rights".into(),
        Box::new(user_rights::UserRightsResource::new(client.clone())),
    );
    resources.insert(
        "secret".into(),
        Box::new(secret::SecretResource::new(client.clone())),
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
