//! The only module that knows HTTP: auth headers, JSON, paging, retries, rate limit, typed errors.
//! It knows nothing of Terraform. The API surface below is the contract the resources build on;
//! see docs/api/contract.md for the wire side.

mod error;
mod types;

pub use error::{ClientError, ClientResult};
pub use types::*;

use std::time::Duration;

/// Everything needed to talk to one tenant.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Base URL of the tenant's RI, e.g. `http://127.0.0.1:8787/demo/RI`; `rci/...` is appended.
    pub base_url: url::Url,
    pub api_key: SecretString,
    pub username: String,
    pub password: SecretString,
    pub max_retries: u32,
    pub request_timeout: Duration,
    /// Client-side rate limit; `None` means unlimited.
    pub requests_per_second: Option<f64>,
    /// Extra CA certificate (PEM) to trust, for a tenant behind a private CA.
    pub ca_cert_pem: Option<Vec<u8>>,
    pub user_agent: String,
}

/// A cheap-to-clone handle; all clones share one connection pool and rate limit.
#[derive(Clone)]
pub struct RciClient {
    // filled in by the implementation
}

#[allow(unused_variables)]
impl RciClient {
    pub fn new(config: ClientConfig) -> ClientResult<Self> {
        todo!()
    }

    // --- users ---
    /// Every user matching the filters (`[("login", "api.*")]`), following pages.
    pub async fn list_users(&self, filters: &[(&str, &str)]) -> ClientResult<Vec<User>> {
        todo!()
    }
    pub async fn get_user(&self, id: &str) -> ClientResult<User> {
        todo!()
    }
    /// Exact (case-insensitive) login match.
    pub async fn find_user_by_login(&self, login: &str) -> ClientResult<Option<User>> {
        todo!()
    }
    /// Returns the new id.
    pub async fn create_user(&self, user: &UserInput) -> ClientResult<String> {
        todo!()
    }
    pub async fn update_user(&self, id: &str, user: &UserInput) -> ClientResult<()> {
        todo!()
    }
    pub async fn delete_user(&self, id: &str) -> ClientResult<()> {
        todo!()
    }
    pub async fn get_authentication(&self, user_id: &str) -> ClientResult<Authentication> {
        todo!()
    }
    pub async fn set_authentication(
        &self,
        user_id: &str,
        authentication: &AuthenticationInput,
    ) -> ClientResult<()> {
        todo!()
    }

    // --- memberships ---
    pub async fn list_memberships(
        &self,
        user_id: &str,
        kind: Membership,
    ) -> ClientResult<Vec<NamedRef>> {
        todo!()
    }
    pub async fn add_membership(
        &self,
        user_id: &str,
        kind: Membership,
        target_id: &str,
    ) -> ClientResult<()> {
        todo!()
    }
    pub async fn remove_membership(
        &self,
        user_id: &str,
        kind: Membership,
        target_id: &str,
    ) -> ClientResult<()> {
        todo!()
    }

    // --- rights ---
    pub async fn list_rights(&self, user_id: &str) -> ClientResult<Vec<Right>> {
        todo!()
    }
    /// Returns the new right's id.
    pub async fn create_right(&self, user_id: &str, right: &RightInput) -> ClientResult<String> {
        todo!()
    }
    pub async fn update_right(
        &self,
        user_id: &str,
        right_id: &str,
        right: &RightInput,
    ) -> ClientResult<()> {
        todo!()
    }
    pub async fn delete_right(&self, user_id: &str, right_id: &str) -> ClientResult<()> {
        todo!()
    }

    // --- secrets ---
    pub async fn list_secrets(&self, name_filter: Option<&str>) -> ClientResult<Vec<Secret>> {
        todo!()
    }
    pub async fn get_secret(&self, id: &str) -> ClientResult<Secret> {
        todo!()
    }
    /// Exact name match.
    pub async fn find_secret_by_name(&self, name: &str) -> ClientResult<Option<Secret>> {
        todo!()
    }
    /// Returns the new id.
    pub async fn create_secret(&self, secret: &SecretInput) -> ClientResult<String> {
        todo!()
    }
    pub async fn update_secret(&self, id: &str, secret: &SecretInput) -> ClientResult<()> {
        todo!()
    }
    pub async fn delete_secret(&self, id: &str) -> ClientResult<()> {
        todo!()
    }

    // --- directory ---
    pub async fn list_user_groups(
        &self,
        name_filter: Option<&str>,
    ) -> ClientResult<Vec<UserGroup>> {
        todo!()
    }
    pub async fn list_queues(&self, name_filter: Option<&str>) -> ClientResult<Vec<Queue>> {
        todo!()
    }
    pub async fn list_queue_groups(
        &self,
        name_filter: Option<&str>,
    ) -> ClientResult<Vec<QueueGroup>> {
        todo!()
    }
    pub async fn list_roles(&self, name_filter: Option<&str>) -> ClientResult<Vec<NamedRef>> {
        todo!()
    }
}

/// Which membership collection of a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    UserGroups,
    Roles,
}
