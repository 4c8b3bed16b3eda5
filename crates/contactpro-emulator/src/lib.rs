//! contactpro-emulator: a local, persistent emulator of the Contact Pro RCI (see `docs/api/contract.md`).
//!
//! Tests start it in-process:
//! ```no_run
//! # async fn demo() -> Result<(), contactpro_emulator::EmulatorError> {
//! use contactpro_emulator::{start, EmulatorConfig};
//! let emulator = start(EmulatorConfig::for_tests()).await?;
//! let rci = format!("{}/demo/RI/rci", emulator.base_url()); // x-api-key: demo-api-key, admin / Emulator-Admin-Password-1
//! # let _ = rci;
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//! It depends only on `contactpro_rules`, never on the client, tf-provider or the provider, so it
//! follows `docs/api/contract.md` and not whatever the client happens to send.

mod access;
mod auth;
pub mod cli;
mod config;
mod credential_checks;
mod error;
mod exposure;
mod faults;
mod json;
mod listing;
mod routes;
mod schema;
mod secret_eq;
mod seed;
mod server;
mod state;
mod stats;
mod store;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use config::{
    EmulatorConfig, FaultConfig, Profile, TenantConfig, TlsConfig, DEFAULT_ADMIN_LOGIN,
    DEFAULT_ADMIN_PASSWORD,
};
pub use error::EmulatorError;
pub use seed::ROLES as SEED_ROLES;

use state::{AppState, AuthCache};

/// A started emulator. Dropping it without `shutdown` leaves the server running until the runtime ends.
pub struct RunningEmulator {
    addr: SocketAddr,
    scheme: &'static str,
    handle: axum_server::Handle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningEmulator {
    /// The bound address (the real port when `listen` had port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (or `https://…`), without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// The provider's `url` for a tenant: `<base_url>/<tenant>/RI`.
    pub fn tenant_url(&self, tenant: &str) -> String {
        format!("{}/{}/RI", self.base_url(), tenant)
    }

    /// Stops accepting connections, lets in-flight requests finish (up to 5 s) and waits for the server.
    pub async fn shutdown(self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(5)));
        if let Ok(Err(e)) = self.task.await {
            tracing::warn!(error = %e, "server ended with an error");
        }
    }
}

fn validate(config: &EmulatorConfig) -> Result<(), EmulatorError> {
    if config.tenants.is_empty() {
        return Err(EmulatorError::Config(
            "at least one tenant is required".into(),
        ));
    }
    for tenant in &config.tenants {
        let name_ok = !tenant.name.is_empty()
            && !tenant.name.starts_with('_')
            && tenant
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !name_ok {
            return Err(EmulatorError::Config(format!(
                "tenant name {:?}: use letters, digits, - _ . and do not start with _",
                tenant.name
            )));
        }
        contactpro_rules::check_login(&tenant.admin_login).map_err(|e| {
            EmulatorError::Config(format!("admin login of tenant {}: {e}", tenant.name))
        })?;
        contactpro_rules::check_password(&tenant.admin_password).map_err(|e| {
            EmulatorError::Config(format!("admin password of tenant {}: {e}", tenant.name))
        })?;
        if tenant.api_key.is_empty() {
            return Err(EmulatorError::Config(format!(
                "API key of tenant {} is empty",
                tenant.name
            )));
        }
    }
    let f = &config.faults;
    for (name, rate) in [
        ("error-rate", f.error_rate),
        ("throttle-rate", f.throttle_rate),
        ("lost-response-rate", f.lost_response_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(EmulatorError::Config(format!(
                "{name} must be between 0 and 1"
            )));
        }
    }
    Ok(())
}

/// Opens the database, seeds new tenants, binds `config.listen` and serves in the background.
pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
    validate(&config)?;
    let listener =
        std::net::TcpListener::bind(config.listen).map_err(|source| EmulatorError::Bind {
            addr: config.listen,
            source,
        })?;
    start_on(config, listener).await
}

/// As `start`, on a listening socket made elsewhere (`--listen-fd`); `config.listen` is unused.
pub async fn start_on(
    config: EmulatorConfig,
    listener: std::net::TcpListener,
) -> Result<RunningEmulator, EmulatorError> {
    validate(&config)?;
    let data = config.data.clone();
    let tenants = config.tenants.clone();
    let store = tokio::task::spawn_blocking(move || -> Result<store::Store, EmulatorError> {
        let store = store::Store::open(&data)?;
        for tenant in &tenants {
            store.blocking_write(|tx| seed::ensure_tenant(tx, tenant))?;
        }
        Ok(store)
    })
    .await
    .map_err(|e| EmulatorError::Server(e.to_string()))??;

    let state = AppState {
        store,
        tenants: Arc::new(
            config
                .tenants
                .iter()
                .map(|t| (t.name.clone(), t.clone()))
                .collect::<HashMap<_, _>>(),
        ),
        stats: Arc::default(),
        faults: Arc::new(faults::Faults::new(config.faults.clone(), config.seed)),
        auth_cache: Arc::new(AuthCache::default()),
        profile: config.profile,
    };
    listener
        .set_nonblocking(true)
        .map_err(|e| EmulatorError::Server(e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| EmulatorError::Server(e.to_string()))?;
    let mut app = server::app(state);
    match exposure::exposure_warning(addr) {
        Some(warning) => tracing::warn!("{warning}"),
        None => app = app.layer(axum::middleware::from_fn(exposure::loopback_host_only)),
    }
    let make = server::MakeGate(server::DropGate(app));
    let handle = axum_server::Handle::new();
    let (scheme, task) = match &config.tls {
        None => {
            let server = axum_server::from_tcp(listener).handle(handle.clone());
            ("http", tokio::spawn(server.serve(make)))
        }
        Some(tls) => {
            // Several emulators (or tests) may run in one process: only the first install wins.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let rustls_config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                    .await
                    .map_err(EmulatorError::Tls)?;
            let server = axum_server::tls_rustls::from_tcp_rustls(listener, rustls_config)
                .handle(handle.clone());
            ("https", tokio::spawn(server.serve(make)))
        }
    };
    tracing::info!(%addr, scheme, tenants = config.tenants.len(), "emulator started");
    Ok(RunningEmulator {
        addr,
        scheme,
        handle,
        task,
    })
}
