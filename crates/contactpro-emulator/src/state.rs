//! State shared by every handler.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::config::{Profile, TenantConfig};
use super::faults::Faults;
use super::stats::Stats;
use super::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub tenants: Arc<HashMap<String, TenantConfig>>,
    pub stats: Arc<Stats>,
    pub faults: Arc<Faults>,
    pub auth_cache: Arc<AuthCache>,
    pub profile: Profile,
}

/// The authenticated user of a request, set by the auth middleware.
#[derive(Clone, Debug)]
pub struct Caller {
    pub id: String,
    /// The tenant's admin: every call allowed.
    pub superuser: bool,
    /// A password set by someone else must be changed before any other call.
    pub must_change_password: bool,
}

/// The tenant a request is for, set by the auth middleware.
#[derive(Clone, Debug)]
pub struct Tenant(pub String);

/// Remembers Basic credentials already checked, so hot read paths skip the user lookup.
/// Any change to users bumps the generation, which invalidates every entry.
#[derive(Default)]
pub struct AuthCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<(String, String), (u64, Caller)>>,
}

impl AuthCache {
    /// The caller these credentials were checked as, while no user changed since.
    pub fn caller(&self, tenant: &str, authorization: &str) -> Option<Caller> {
        let generation = self.generation.load(Ordering::Acquire);
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&(tenant.to_string(), authorization.to_string()))
            .filter(|(g, _)| *g == generation)
            .map(|(_, caller)| caller.clone())
    }

    /// Records a successful check made while `generation` was current.
    pub fn remember(&self, tenant: &str, authorization: &str, generation: u64, caller: Caller) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 10_000 {
            entries.clear();
        }
        entries.insert(
            (tenant.to_string(), authorization.to_string()),
            (generation, caller),
        );
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Call after any write to users (logins, passwords, deletions).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}
