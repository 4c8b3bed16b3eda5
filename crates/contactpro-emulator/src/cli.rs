//! Command-line flags of `contactpro-emulator`, turned into an `EmulatorConfig`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use super::config::{EmulatorConfig, FaultConfig, Profile, TenantConfig, TlsConfig};
use super::error::EmulatorError;

/// Local emulator of the Sinch Contact Pro RCI configuration API.
#[derive(Parser, Debug)]
#[command(name = "contactpro-emulator", version)]
pub struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Listen on this inherited, bound socket instead of binding `--listen` (tests restart the
    /// emulator on a socket they keep open, so no other process can take the port).
    #[arg(long, value_name = "FD", conflicts_with = "listen")]
    pub listen_fd: Option<i32>,
    /// SQLite database file, or `:memory:`.
    #[arg(long, default_value = "contactpro-emulator.db")]
    pub data: String,
    /// Tenant to serve (repeatable). Default: demo.
    #[arg(long = "tenant", value_name = "NAME")]
    pub tenants: Vec<String>,
    /// Override a tenant's API key (default `<tenant>-api-key`).
    #[arg(long = "api-key", value_name = "TENANT=KEY")]
    pub api_keys: Vec<String>,
    /// Override a tenant's admin password (default `Emulator-Admin-Password-1`).
    #[arg(long = "admin-password", value_name = "TENANT=PASSWORD")]
    pub admin_passwords: Vec<String>,
    /// Fixed latency added to every RCI request.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Share (0..1) of RCI requests answered 500/503 before anything is written.
    #[arg(long, default_value_t = 0.0)]
    pub error_rate: f64,
    /// Share (0..1) of RCI requests answered 429 with `Retry-After: 1`.
    #[arg(long, default_value_t = 0.0)]
    pub throttle_rate: f64,
    /// Share (0..1) of successful RCI writes whose response is dropped after commit.
    #[arg(long, default_value_t = 0.0)]
    pub lost_response_rate: f64,
    /// Seed of the fault generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// PEM certificate chain; with --tls-key serves HTTPS.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key.
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// `full` (documented RCI plus this project's endpoints) or `documented` (only the documented RCI).
    #[arg(long, env = "CONTACTPRO_EMULATOR_PROFILE", default_value = "full")]
    pub profile: Profile,
}

fn split_pair<'a>(flag: &str, value: &'a str) -> Result<(&'a str, &'a str), EmulatorError> {
    value
        .split_once('=')
        .ok_or_else(|| EmulatorError::Config(format!("--{flag} expects TENANT=VALUE")))
}

impl Cli {
    pub fn into_config(self) -> Result<EmulatorConfig, EmulatorError> {
        let names = if self.tenants.is_empty() {
            vec!["demo".to_string()]
        } else {
            self.tenants.clone()
        };
        let mut tenants: Vec<TenantConfig> = names.iter().map(|n| TenantConfig::new(n)).collect();
        let find = |tenants: &mut Vec<TenantConfig>,
                    name: &str,
                    flag: &str|
         -> Result<usize, EmulatorError> {
            tenants
                .iter()
                .position(|t| t.name == name)
                .ok_or_else(|| EmulatorError::Config(format!("--{flag}: unknown tenant {name:?}")))
        };
        for pair in &self.api_keys {
            let (name, key) = split_pair("api-key", pair)?;
            let i = find(&mut tenants, name, "api-key")?;
            tenants[i].api_key = key.to_string();
        }
        for pair in &self.admin_passwords {
            let (name, password) = split_pair("admin-password", pair)?;
            let i = find(&mut tenants, name, "admin-password")?;
            tenants[i].admin_password = password.to_string();
        }
        Ok(EmulatorConfig {
            listen: self.listen,
            data: self.data,
            tenants,
            faults: FaultConfig {
                latency_ms: self.latency_ms,
                error_rate: self.error_rate,
                throttle_rate: self.throttle_rate,
                lost_response_rate: self.lost_response_rate,
            },
            tls: match (self.tls_cert, self.tls_key) {
                (Some(cert), Some(key)) => Some(TlsConfig { cert, key }),
                _ => None,
            },
            seed: self.seed,
            profile: self.profile,
        })
    }
}
