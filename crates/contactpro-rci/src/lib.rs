//! contactpro-rci: the client of Contact Pro's RCI, the only code that knows HTTP: auth headers, JSON,
//! paging, retries, rate limit, typed errors. It may not depend on tf-provider (it knows nothing of
//! Terraform), on the emulator, or on axum or rusqlite. The API surface below is the contract the resources build on;
//! see docs/api/contract.md for the wire side.

mod body;
mod cache;
mod capabilities;
mod directory;
mod error;
mod http;
mod merge;
mod rate_limit;
mod raw;
mod redact;
mod retry;
mod rights;
mod roots;
mod secrets;
mod types;
mod user_groups;
mod users;

pub use capabilities::{Endpoint, Support};
pub use error::{ClientError, ClientResult};
pub use raw::RawResponse;
pub use retry::stop_retries;
pub use types::*;

use cache::ReadCache;
use capabilities::Discovered;
use http::Http;
use std::sync::Arc;
use std::time::Duration;

/// Everything needed to talk to one tenant. `Debug` masks the URL's user info and query.
#[derive(Clone)]
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

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &redact::url_shown(&self.base_url))
            .field("api_key", &self.api_key)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("max_retries", &self.max_retries)
            .field("request_timeout", &self.request_timeout)
            .field("requests_per_second", &self.requests_per_second)
            .field(
                "ca_cert_pem",
                &self.ca_cert_pem.as_ref().map(|pem| pem.len()),
            )
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// A cheap-to-clone handle; all clones share one connection pool and rate limit.
#[derive(Clone)]
pub struct RciClient {
    http: Arc<Http>,
    /// `Some` after `with_read_cache(true)`; shared by the clones made after that call.
    cache: Option<Arc<ReadCache>>,
    /// What this client learned about the tenant (extras refused, endpoint support).
    discovered: Arc<Discovered>,
}

impl RciClient {
    pub fn new(config: ClientConfig) -> ClientResult<Self> {
        Ok(Self {
            http: Arc::new(Http::new(&config)?),
            cache: None,
            discovered: Arc::default(),
        })
    }

    /// Turns the read cache on or off for this handle and its later clones. With it on,
    /// `get_user`/`get_secret` are answered from one list snapshot per type and `list_rights`
    /// once per user; objects this client writes are always read from the server again.
    pub fn with_read_cache(mut self, enabled: bool) -> Self {
        self.cache = enabled.then(|| Arc::new(ReadCache::default()));
        self
    }

    /// HTTP requests sent so far by this client and all its clones (every attempt counts).
    pub fn requests_sent(&self) -> u64 {
        self.http.requests_sent()
    }
}

impl std::fmt::Debug for RciClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RciClient")
            .field("base_url", &redact::url_shown(self.http.base_url()))
            .field("read_cache", &self.cache.is_some())
            .finish()
    }
}

/// Which membership collection of a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    UserGroups,
    Roles,
}

impl Membership {
    fn segment(self) -> &'static str {
        match self {
            Membership::UserGroups => "userGroups",
            Membership::Roles => "roles",
        }
    }
}
