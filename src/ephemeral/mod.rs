//! Ephemeral resources (Terraform 1.10 or newer), one file each. tf-provider 0.2.2 has no trait
//! for them: they implement ours, `plugin_server::ephemeral::EphemeralResource`, and reach the
//! server through `Hooks::ephemeral_resources`. Older Terraform versions never see them.

pub mod password;

use std::collections::HashMap;

use crate::plugin_server::ephemeral::DynamicEphemeralResource;

/// Every ephemeral resource, keyed by its name without the `contactpro_` prefix.
pub fn all() -> HashMap<String, Box<dyn DynamicEphemeralResource>> {
    let mut all: HashMap<String, Box<dyn DynamicEphemeralResource>> = HashMap::new();
    all.insert(
        "password".into(),
        Box::new(password::PasswordEphemeralResource),
    );
    all
}
