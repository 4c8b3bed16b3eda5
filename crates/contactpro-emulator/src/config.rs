//! Configuration of one emulator instance, shared by the CLI and in-process tests.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Admin password every tenant gets unless overridden; it satisfies `policy::check_password`.
pub const DEFAULT_ADMIN_PASSWORD: &str = "Emulator-Admin-Password-1";
/// Login of the seeded admin user of every tenant.
pub const DEFAULT_ADMIN_LOGIN: &str = "admin";

/// Everything `start` needs.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Address to bind; port 0 picks a free port.
    pub listen: SocketAddr,
    /// SQLite file path, or `:memory:` for a throw-away database.
    pub data: String,
    /// Tenants served; requests for any other tenant get 404.
    pub tenants: Vec<TenantConfig>,
    /// Injected faults (all off by default).
    pub faults: FaultConfig,
    /// Serve HTTPS with this PEM certificate chain and key.
    pub tls: Option<TlsConfig>,
    /// Seed of the fault generator, so a run can be reproduced.
    pub seed: u64,
    /// Which endpoints and fields are served (default: everything, [`Profile::Full`]).
    pub profile: Profile,
}

/// What the emulator serves beyond the documented RCI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// The documented RCI plus this project's [ours] endpoints and user fields.
    #[default]
    Full,
    /// Only what the product documentation shows.
    Documented,
}

impl Profile {
    pub fn is_full(self) -> bool {
        self == Profile::Full
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "full" => Ok(Profile::Full),
            "documented" => Ok(Profile::Documented),
            other => Err(format!("unknown profile {other:?}; use full or documented")),
        }
    }
}

/// One tenant's credentials.
#[derive(Clone, Debug)]
pub struct TenantConfig {
    pub name: String,
    /// Value expected in the `x-api-key` header.
    pub api_key: String,
    pub admin_login: String,
    pub admin_password: String,
}

/// Fault injection rates (0.0..=1.0) and fixed latency, applied to RCI routes only.
#[derive(Clone, Debug, Default)]
pub struct FaultConfig {
    pub latency_ms: u64,
    /// Share of requests answered 500 or 503 before anything is written.
    pub error_rate: f64,
    /// Share of requests answered 429 with `Retry-After: 1`.
    pub throttle_rate: f64,
    /// Share of successful writes whose response is dropped (connection closed) after commit.
    pub lost_response_rate: f64,
}

/// PEM files for HTTPS.
#[derive(Clone, Debug)]
pub struct TlsConfig {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TenantConfig {
    /// A tenant with the documented default credentials: API key `<name>-api-key`,
    /// admin `admin` / [`DEFAULT_ADMIN_PASSWORD`].
    pub fn new(name: &str) -> Self {
        TenantConfig {
            name: name.to_string(),
            api_key: format!("{name}-api-key"),
            admin_login: DEFAULT_ADMIN_LOGIN.to_string(),
            admin_password: DEFAULT_ADMIN_PASSWORD.to_string(),
        }
    }
}

impl FaultConfig {
    pub fn is_off(&self) -> bool {
        self.latency_ms == 0
            && self.error_rate <= 0.0
            && self.throttle_rate <= 0.0
            && self.lost_response_rate <= 0.0
    }
}

impl EmulatorConfig {
    /// 127.0.0.1:0, in-memory database, one tenant `demo` with default credentials, no faults.
    pub fn for_tests() -> Self {
        EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data: ":memory:".to_string(),
            tenants: vec![TenantConfig::new("demo")],
            faults: FaultConfig::default(),
            tls: None,
            seed: 0,
            profile: Profile::Full,
        }
    }

    pub fn tenant(&self, name: &str) -> Option<&TenantConfig> {
        self.tenants.iter().find(|t| t.name == name)
    }
}
