//! Which shape manages which part of a user, as this provider process sees it while planning.
//! An authoritative shape (`contactpro_user_rights`, `contactpro_user.user_group_ids`/`role_ids`)
//! and an additive one (`contactpro_user_right`, the membership resources) on the same user fight
//! forever: each apply undoes the other. Terraform plans every resource of a configuration in one
//! provider process, so the second of the two to plan fails with an error naming both. Shapes in
//! other configurations (other state files) cannot be seen; the docs say so.
//!
//! Also serializes read-modify-writes of one user's rights within the process, so two additive
//! rights on the same object applied in parallel do not overwrite each other.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use tf_provider::{AttributePath, Diagnostics};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Aspect {
    Rights,
    UserGroups,
    Roles,
}

impl Aspect {
    fn what(self) -> &'static str {
        match self {
            Aspect::Rights => "rights",
            Aspect::UserGroups => "user groups",
            Aspect::Roles => "roles",
        }
    }
}

/// (aspect, user id) -> every (resource shape, authoritative) that claimed it.
type Claims = HashMap<(Aspect, String), BTreeSet<(&'static str, bool)>>;

#[derive(Clone, Default)]
pub struct Ownership {
    claims: Arc<Mutex<Claims>>,
    locks: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl Ownership {
    /// Records that `shape` manages `aspect` of `user_id`; an error on `path` when the other kind
    /// of shape (authoritative or additive) already does.
    pub fn claim(
        &self,
        diags: &mut Diagnostics,
        aspect: Aspect,
        user_id: &str,
        shape: &'static str,
        authoritative: bool,
        path: AttributePath,
    ) -> Option<()> {
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        let entry = claims.entry((aspect, user_id.to_string())).or_default();
        let other = entry
            .iter()
            .find(|(_, other_authoritative)| *other_authoritative != authoritative)
            .map(|(name, _)| *name);
        entry.insert((shape, authoritative));
        let Some(other) = other else {
            return Some(());
        };
        let (whole, part) = if authoritative {
            (shape, other)
        } else {
            (other, shape)
        };
        diags.error(
            format!("{shape}: the {} of user {user_id} are managed by both {whole} and {part}", aspect.what()),
            format!("{whole} owns all the {} of the user and removes what it does not list, while {part} adds one: each apply would undo the other. For one user use either the authoritative shape ({whole}) and list everything there, or only additive resources ({part}). See the provider documentation, \"Combining shapes\".", aspect.what()),
            path,
        );
        None
    }

    /// A lock per user for read-modify-writes of the user's rights.
    pub fn user_lock(&self, user_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(user_id.to_string()).or_default().clone()
    }
}
