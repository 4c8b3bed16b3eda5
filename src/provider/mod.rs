//! The provider: its schema, and configure, which turns settings and environment into one client.

pub mod settings;

use std::collections::HashMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::plugin_server::ClientCapabilities;
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, optional, schema, sensitive, string};
use crate::tf::sensitive::Sensitive;
use crate::{data_sources, resources};
use contactpro_rci::RciClient;
use settings::RawSettings;

/// The provider block.
#[derive(Serialize, Deserialize, Default)]
pub struct ProviderConfig {
    #[serde(default)]
    pub url: Value<String>,
    #[serde(default)]
    pub api_key: Sensitive<Value<String>>,
    #[serde(default)]
    pub username: Value<String>,
    #[serde(default)]
    pub password: Sensitive<Value<String>>,
    #[serde(default)]
    pub max_retries: Value<i64>,
    #[serde(default)]
    pub request_timeout: Value<i64>,
    #[serde(default)]
    pub requests_per_second: Value<f64>,
    #[serde(default)]
    pub ca_cert_file: Value<String>,
    #[serde(default)]
    pub insecure_http: Value<bool>,
}

#[derive(Default)]
pub struct ContactProProvider {
    client: ClientHandle,
    /// Filled in by the plugin server from Terraform's requests; resources read it at plan.
    capabilities: ClientCapabilities,
}

impl ContactProProvider {
    /// The handle the plugin server records Terraform's client capabilities in.
    pub fn client_capabilities(&self) -> ClientCapabilities {
        self.capabilities.clone()
    }
}

fn setting<T>(value: Value<T>) -> Option<T> {
    value.as_option()
}

#[async_trait]
impl Provider for ContactProProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Manages the configuration of a Sinch Contact Pro tenant (users, user rights, secrets) through its Restful Configuration Interface (RCI).",
            vec![
                ("url", optional(string(), "Base URL of the tenant's RI, for example `https://HOST/TENANT/ecfs/RI` or the emulator's `http://127.0.0.1:8787/demo/RI`. Without user name, password or query: credentials go in `username`/`password` (and errors never show those parts). Falls back to `CONTACTPRO_URL`.")),
                ("api_key", sensitive(optional(string(), "API key of the tenant, sent as the `x-api-key` header. Falls back to `CONTACTPRO_API_KEY`."))),
                ("username", optional(string(), "Logon name of the API user (HTTP Basic). Falls back to `CONTACTPRO_USERNAME`.")),
                ("password", sensitive(optional(string(), "Password of the API user (HTTP Basic). Falls back to `CONTACTPRO_PASSWORD`."))),
                ("max_retries", optional(AttributeType::Number, "How many times a failed request is retried (429, 502, 503, 504, connection errors), with exponential backoff. 0 to 20; default 5.")),
                ("request_timeout", optional(AttributeType::Number, "Timeout of one HTTP request, in seconds. 1 to 3600; default 30.")),
                ("requests_per_second", optional(AttributeType::Number, "Client-side rate limit for this provider instance. Unset means no limit.")),
                ("ca_cert_file", optional(string(), "Path of a PEM file with a CA certificate to trust in addition to the operating system's roots (the system store, or the files named by `SSL_CERT_FILE` / `SSL_CERT_DIR`; on macOS the system bundle `/etc/ssl/cert.pem` or `SSL_CERT_FILE`, not the keychain), for a tenant (or emulator) behind a private CA.")),
                ("insecure_http", optional(AttributeType::Bool, "Allow plain `http://` to a host that is not loopback. Default false: credentials would travel in clear text.")),
            ],
        )))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ProviderConfig) -> Option<()> {
        if let (Value::Value(url), insecure) = (&config.url, &config.insecure_http) {
            let insecure = matches!(insecure, Value::Value(true));
            if let Err(e) = settings::check_url(url, insecure) {
                diags.error(e.summary, e.detail, AttributePath::new(e.attribute));
            }
        }
        let numbers = settings::check_numbers(
            config.max_retries.as_option(),
            config.request_timeout.as_option(),
            config.requests_per_second.as_option(),
        );
        for e in numbers {
            diags.error(e.summary, e.detail, AttributePath::new(e.attribute));
        }
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: ProviderConfig,
    ) -> Option<()> {
        let raw = RawSettings {
            url: setting(config.url),
            api_key: setting(config.api_key.0),
            username: setting(config.username),
            password: setting(config.password.0),
            max_retries: setting(config.max_retries),
            request_timeout: setting(config.request_timeout),
            requests_per_second: setting(config.requests_per_second),
            ca_cert_file: setting(config.ca_cert_file),
            insecure_http: setting(config.insecure_http),
        };
        let user_agent = format!(
            "terraform-provider-contactpro/{} (Terraform {terraform_version})",
            env!("CARGO_PKG_VERSION")
        );
        let env = |name: &str| std::env::var(name).ok();
        let client_config = match settings::resolve(raw, &env, user_agent) {
            Ok(config) => config,
            Err(errors) => {
                for e in errors {
                    diags.error(e.summary, e.detail, AttributePath::new(e.attribute));
                }
                return None;
            }
        };
        match RciClient::new(client_config) {
            Ok(client) => {
                // One provider process serves one plan or apply: a list snapshot per type answers
                // the many reads of a refresh, and the client never serves its own writes from it.
                self.client.set(client.with_read_cache(true));
                Some(())
            }
            Err(e) => {
                diags.root_error("Cannot set up the Contact Pro API client", e.to_string());
                None
            }
        }
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(resources::all(&self.client, &self.capabilities))
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(data_sources::all(&self.client))
    }
}
