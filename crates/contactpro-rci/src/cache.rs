//! Optional read cache for big refreshes: one list call answers many reads by id.
//! Anything this client wrote is never answered from a snapshot, so there is no stale read after
//! an own write; ids missing from a snapshot fall through to a normal GET.

use super::error::{ClientError, ClientResult};
use super::types::Right;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};

type RightsCell = Arc<tokio::sync::Mutex<Option<Vec<Right>>>>;

#[derive(Default)]
pub(crate) struct ReadCache {
    pub users: Snapshot<super::types::User>,
    pub secrets: Snapshot<super::types::Secret>,
    rights: Mutex<HashMap<String, RightsCell>>,
}

impl ReadCache {
    /// A user's rights, loaded once until a write to that user's rights (or the user) drops them.
    pub(crate) async fn rights<F, Fut>(&self, user_id: &str, load: F) -> ClientResult<Vec<Right>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = ClientResult<Vec<Right>>>,
    {
        let cell = lock(&self.rights)
            .entry(user_id.to_string())
            .or_default()
            .clone();
        // Concurrent readers of one user wait for a single load instead of each listing.
        let mut slot = cell.lock().await;
        if let Some(rights) = slot.as_ref() {
            return Ok(rights.clone());
        }
        let rights = load().await?;
        *slot = Some(rights.clone());
        Ok(rights)
    }

    pub(crate) fn forget_rights(&self, user_id: &str) {
        lock(&self.rights).remove(user_id);
    }
}

/// A whole-list snapshot of one object type, keyed by id.
pub(crate) struct Snapshot<T> {
    loaded: tokio::sync::Mutex<Option<Arc<HashMap<String, T>>>>,
    written: Mutex<HashSet<String>>,
}

impl<T> Default for Snapshot<T> {
    fn default() -> Self {
        Self {
            loaded: tokio::sync::Mutex::new(None),
            written: Mutex::new(HashSet::new()),
        }
    }
}

impl<T: Clone> Snapshot<T> {
    /// `Some` when the snapshot can answer; `None` means "ask the server for this id".
    pub(crate) async fn get<F, Fut>(&self, id: &str, key: fn(&T) -> &str, load: F) -> Option<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = ClientResult<Vec<T>>>,
    {
        if lock(&self.written).contains(id) {
            return None;
        }
        let mut loaded = self.loaded.lock().await;
        if loaded.is_none() {
            // A failed list (e.g. no right to list) leaves an empty snapshot: reads go direct.
            let items = match load().await {
                Ok(items) => items,
                Err(error) => {
                    tracing::debug!(%error, "read cache disabled for this type");
                    Vec::new()
                }
            };
            let map = items
                .into_iter()
                .map(|t| (key(&t).to_string(), t))
                .collect();
            *loaded = Some(Arc::new(map));
        }
        loaded.as_ref().and_then(|map| map.get(id).cloned())
    }

    /// Called before every write of `id`, successful or not (a failed write may have committed).
    pub(crate) fn mark_written(&self, id: &str) {
        lock(&self.written).insert(id.to_string());
    }
}

/// Wire keys a list item must carry before the snapshot may stand in for a GET by id.
pub(crate) const USER_KEYS: &[&str] = &[
    "id",
    "firstName",
    "surname",
    "login",
    "email",
    "title",
    "location",
    "timeZone",
    "uiLanguage",
    "promptLanguage",
    "externalId",
    "passwordExpiration",
];
pub(crate) const SECRET_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "type",
    "authenticationId",
    "accessTokenUrl",
    "secretSet",
];

/// Decodes list items only if every one has all `keys`. A server whose lists return a reduced
/// projection (the product's default for users is id/firstName/surname) would otherwise make
/// missing optional fields read as null.
pub(crate) fn complete_items<T: DeserializeOwned>(
    items: Vec<serde_json::Value>,
    keys: &[&str],
) -> ClientResult<Vec<T>> {
    items
        .into_iter()
        .map(|item| {
            if let Some(missing) = keys.iter().find(|k| item.get(**k).is_none()) {
                return Err(ClientError::Decode(format!(
                    "list items lack `{missing}`; not cached"
                )));
            }
            serde_json::from_value(item).map_err(|e| ClientError::Decode(e.to_string()))
        })
        .collect()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
