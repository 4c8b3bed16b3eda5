//! Drives the provider binary over the plugin protocol, the way Terraform core does.
//!
//! Started without `PLUGIN_CLIENT_CERT`, the provider serves plaintext gRPC (as for a debugger's
//! reattach); [`ProviderProcess::start_with_mtls`] does what Terraform does instead: it passes a
//! client certificate, reads the server's certificate from the handshake line and connects with
//! mutual TLS. Calls are blocking (an own tokio runtime), so tests are plain `#[test]` functions;
//! do not call them from inside a tokio runtime.
use std::cell::OnceCell;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::Value as Json;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

use super::diag::{self, Diag};
use super::proto::{self, provider_client::ProviderClient, schema::Block};
use super::schema::{conform, proposed_new};
use super::values::{from_dynamic, null_dynamic, to_dynamic};

/// How long a provider may take to print its handshake line.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// go-plugin's handshake cookie for Terraform providers: without it a plugin refuses to start.
pub const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

/// A client certificate as go-plugin makes one: self-signed, a CA, for `localhost`. (go-plugin's
/// key is P-521, which rcgen cannot make with ring; the real Terraform tests cover P-521.)
pub struct ClientIdentity {
    pub cert_pem: String,
    pub key_pem: String,
}

impl ClientIdentity {
    pub fn generate() -> ClientIdentity {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
            KeyUsagePurpose,
        };
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params
            .distinguished_name
            .push(DnType::OrganizationName, "HashiCorp");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyAgreement,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ClientAuth,
            ExtendedKeyUsagePurpose::ServerAuth,
        ];
        let cert = params.self_signed(&key).unwrap();
        ClientIdentity {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

pub struct ProviderProcess {
    child: Child,
    addr: String,
    /// The server's certificate (DER) from the handshake line; `None` in plaintext mode.
    server_cert: Option<Vec<u8>>,
    /// Our client certificate in mTLS mode.
    identity: Option<ClientIdentity>,
    stderr: Arc<Mutex<String>>,
    rt: tokio::runtime::Runtime,
    channel: Channel,
    client: ProviderClient<Channel>,
    schema: OnceCell<proto::get_provider_schema::Response>,
}

/// A planned change as the provider answered it. `raw` is the msgpack as sent,
/// kept so apply gets unknown values back exactly.
#[derive(Debug, Clone)]
pub struct Planned {
    pub state: Json,
    pub raw: proto::DynamicValue,
    pub private: Vec<u8>,
    /// Attribute paths that force replacement, one string per step.
    pub requires_replace: Vec<Vec<String>>,
    pub diags: Vec<Diag>,
}

/// What OpenEphemeralResource answered.
#[derive(Debug, Clone)]
pub struct OpenedEphemeral {
    /// The result object; null when there is none (an error, or a deferral).
    pub result: Json,
    pub renew_at: Option<prost_types::Timestamp>,
    pub private: Option<Vec<u8>>,
    pub deferred: Option<proto::Deferred>,
    pub diags: Vec<Diag>,
}

#[derive(Debug, Clone)]
pub struct Applied {
    pub state: Json,
    pub private: Vec<u8>,
    pub diags: Vec<Diag>,
}

impl ProviderProcess {
    pub fn start(binary: &Path) -> ProviderProcess {
        Self::start_with_env(binary, &[])
    }

    /// Starts the provider with extra environment variables (e.g. credentials it reads).
    pub fn start_with_env(binary: &Path, env: &[(&str, &str)]) -> ProviderProcess {
        Self::spawn(binary, env, None)
    }

    /// As Terraform starts it: automatic mutual TLS with a fresh client certificate.
    pub fn start_with_mtls(binary: &Path, env: &[(&str, &str)]) -> ProviderProcess {
        Self::spawn(binary, env, Some(ClientIdentity::generate()))
    }

    fn spawn(
        binary: &Path,
        env: &[(&str, &str)],
        identity: Option<ClientIdentity>,
    ) -> ProviderProcess {
        let mut cmd = Command::new(binary);
        cmd.env_remove("PLUGIN_CLIENT_CERT")
            .env(MAGIC_COOKIE.0, MAGIC_COOKIE.1)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(identity) = &identity {
            cmd.env("PLUGIN_CLIENT_CERT", &identity.cert_pem);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start provider {}: {e}", binary.display()));
        let stderr = collect(child.stderr.take().expect("stderr piped"));
        let line = read_handshake(&mut child, &stderr);
        let (addr, server_cert) = parse_handshake(&line);
        assert_eq!(
            server_cert.is_some(),
            identity.is_some(),
            "a server certificate in the handshake exactly when a client certificate was given: {line:?}"
        );

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let channel = rt
            .block_on(connect(&addr, server_cert.as_deref(), identity.as_ref()))
            .unwrap_or_else(|e| panic!("cannot connect to provider at {addr}: {e:?}"));
        ProviderProcess {
            child,
            addr,
            server_cert,
            identity,
            stderr,
            rt,
            client: ProviderClient::new(channel.clone()),
            channel,
            schema: OnceCell::new(),
        }
    }

    /// A new connection, as another client would open it: with `identity` as its client
    /// certificate, or none. Err when the connection or a first RPC on it fails.
    pub fn try_connect(&self, identity: Option<&ClientIdentity>) -> Result<(), String> {
        self.rt.block_on(async {
            let channel = connect(&self.addr, self.server_cert.as_deref(), identity)
                .await
                .map_err(|e| format!("connect: {e:?}"))?;
            ProviderClient::new(channel)
                .get_metadata(proto::get_metadata::Request {})
                .await
                .map(|_| ())
                .map_err(|e| format!("GetMetadata: {e}"))
        })
    }

    /// The client certificate this process was started with (mTLS mode).
    pub fn identity(&self) -> Option<&ClientIdentity> {
        self.identity.as_ref()
    }

    /// The connection, for go-plugin's services and raw calls.
    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// Runs a future on this harness's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Waits up to `timeout` for the process to exit; its exit status, if it did.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `127.0.0.1:PORT` from the handshake.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the provider wrote to stderr so far.
    pub fn stderr_output(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// `TF_REATTACH_PROVIDERS` value that makes a Terraform CLI use this process.
    pub fn reattach_json(&self, provider_source: &str) -> String {
        serde_json::json!({ provider_source: {
            "Protocol": "grpc", "ProtocolVersion": 6, "Pid": self.pid(), "Test": true,
            "Addr": { "Network": "tcp", "String": self.addr },
        }})
        .to_string()
    }

    /// Runs any RPC: `p.call(|mut c| async move { c.stop_provider(req).await })`.
    pub fn call<T, F, Fut>(&self, what: &str, f: F) -> T
    where
        F: FnOnce(ProviderClient<Channel>) -> Fut,
        Fut: std::future::Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    {
        let client = self.client.clone();
        match self.rt.block_on(f(client)) {
            Ok(resp) => resp.into_inner(),
            Err(status) => panic!(
                "{what}: gRPC error {status}\nprovider stderr:\n{}",
                self.stderr_output()
            ),
        }
    }

    /// GetProviderSchema, fetched once and cached, as Terraform does.
    pub fn schema(&self) -> &proto::get_provider_schema::Response {
        self.schema.get_or_init(|| {
            self.call("GetProviderSchema", |mut c| async move {
                c.get_provider_schema(proto::get_provider_schema::Request {})
                    .await
            })
        })
    }

    pub fn provider_block(&self) -> Block {
        let schema = self.schema().provider.as_ref();
        schema.and_then(|s| s.block.clone()).unwrap_or_default()
    }

    pub fn resource_block(&self, type_name: &str) -> Block {
        let schemas = &self.schema().resource_schemas;
        let schema = schemas.get(type_name).unwrap_or_else(|| {
            panic!(
                "no resource {type_name} in schema; have {:?}",
                schemas.keys().collect::<Vec<_>>()
            )
        });
        schema.block.clone().unwrap_or_default()
    }

    pub fn data_source_block(&self, type_name: &str) -> Block {
        let schemas = &self.schema().data_source_schemas;
        let schema = schemas.get(type_name).unwrap_or_else(|| {
            panic!(
                "no data source {type_name} in schema; have {:?}",
                schemas.keys().collect::<Vec<_>>()
            )
        });
        schema.block.clone().unwrap_or_default()
    }

    pub fn ephemeral_block(&self, type_name: &str) -> Block {
        let schemas = &self.schema().ephemeral_resource_schemas;
        let schema = schemas.get(type_name).unwrap_or_else(|| {
            panic!(
                "no ephemeral resource {type_name} in schema; have {:?}",
                schemas.keys().collect::<Vec<_>>()
            )
        });
        schema.block.clone().unwrap_or_default()
    }

    /// The configuration of an ephemeral resource as Terraform sends it: every attribute, null
    /// when unset. An unknown type gets the configuration as given.
    fn ephemeral_config(&self, type_name: &str, config: &Json) -> proto::DynamicValue {
        match self.schema().ephemeral_resource_schemas.get(type_name) {
            Some(_) => to_dynamic(&conform(&self.ephemeral_block(type_name), config)),
            None => to_dynamic(config),
        }
    }

    pub fn validate_ephemeral(&self, type_name: &str, config: &Json) -> Vec<Diag> {
        let config = self.ephemeral_config(type_name, config);
        let type_name = type_name.to_string();
        let resp = self.call("ValidateEphemeralResourceConfig", |mut c| async move {
            let req = proto::validate_ephemeral_resource_config::Request {
                type_name,
                config: Some(config),
            };
            c.validate_ephemeral_resource_config(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    /// OpenEphemeralResource as a client that announces `capabilities` (Terraform 1.11 sends
    /// `write_only_attributes_allowed`, and `deferral_allowed` only with its deferral experiment).
    pub fn open_ephemeral(
        &self,
        type_name: &str,
        config: &Json,
        capabilities: Option<proto::ClientCapabilities>,
    ) -> OpenedEphemeral {
        let config = self.ephemeral_config(type_name, config);
        let type_name = type_name.to_string();
        let resp = self.call("OpenEphemeralResource", |mut c| async move {
            let req = proto::open_ephemeral_resource::Request {
                type_name,
                config: Some(config),
                client_capabilities: capabilities,
            };
            c.open_ephemeral_resource(req).await
        });
        OpenedEphemeral {
            result: from_dynamic(resp.result.as_ref()),
            renew_at: resp.renew_at,
            private: resp.private,
            deferred: resp.deferred,
            diags: diag::convert(&resp.diagnostics),
        }
    }

    /// RenewEphemeralResource: the next renew time, and the diagnostics.
    pub fn renew_ephemeral(
        &self,
        type_name: &str,
        private: Option<Vec<u8>>,
    ) -> (Option<prost_types::Timestamp>, Vec<Diag>) {
        let type_name = type_name.to_string();
        let resp = self.call("RenewEphemeralResource", |mut c| async move {
            let req = proto::renew_ephemeral_resource::Request { type_name, private };
            c.renew_ephemeral_resource(req).await
        });
        (resp.renew_at, diag::convert(&resp.diagnostics))
    }

    pub fn close_ephemeral(&self, type_name: &str, private: Option<Vec<u8>>) -> Vec<Diag> {
        let type_name = type_name.to_string();
        let resp = self.call("CloseEphemeralResource", |mut c| async move {
            let req = proto::close_ephemeral_resource::Request { type_name, private };
            c.close_ephemeral_resource(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    pub fn validate_provider(&self, config: &Json) -> Vec<Diag> {
        let config = to_dynamic(&conform(&self.provider_block(), config));
        let resp = self.call("ValidateProviderConfig", |mut c| async move {
            let req = proto::validate_provider_config::Request {
                config: Some(config),
            };
            c.validate_provider_config(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    /// ConfigureProvider with the given provider block (missing attributes are null).
    pub fn configure(&self, config: &Json) -> Vec<Diag> {
        let config = to_dynamic(&conform(&self.provider_block(), config));
        let resp = self.call("ConfigureProvider", |mut c| async move {
            let req = proto::configure_provider::Request {
                terraform_version: "1.0.3".to_string(),
                config: Some(config),
                // What Terraform 1.0.3 sends: no client capabilities, no identity.
                ..Default::default()
            };
            c.configure_provider(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    /// ValidateResourceConfig of a null configuration, for any type name (also unknown ones).
    pub fn validate_resource_raw(&self, type_name: &str) -> Vec<Diag> {
        let type_name = type_name.to_string();
        let resp = self.call("ValidateResourceConfig", |mut c| async move {
            let req = proto::validate_resource_config::Request {
                type_name,
                config: Some(null_dynamic()),
                ..Default::default()
            };
            c.validate_resource_config(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    pub fn validate_resource(&self, type_name: &str, config: &Json) -> Vec<Diag> {
        let config = to_dynamic(&conform(&self.resource_block(type_name), config));
        let type_name = type_name.to_string();
        let resp = self.call("ValidateResourceConfig", |mut c| async move {
            let req = proto::validate_resource_config::Request {
                type_name,
                config: Some(config),
                // What Terraform 1.0.3 sends: no client capabilities, no identity.
                ..Default::default()
            };
            c.validate_resource_config(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    pub fn validate_data_source(&self, type_name: &str, config: &Json) -> Vec<Diag> {
        let config = to_dynamic(&conform(&self.data_source_block(type_name), config));
        let type_name = type_name.to_string();
        let resp = self.call("ValidateDataResourceConfig", |mut c| async move {
            let req = proto::validate_data_resource_config::Request {
                type_name,
                config: Some(config),
            };
            c.validate_data_resource_config(req).await
        });
        diag::convert(&resp.diagnostics)
    }

    /// PlanResourceChange. `prior` null plans a create; otherwise an update, with the
    /// proposed new state computed from prior and config like Terraform does.
    pub fn plan(&self, type_name: &str, prior: &Json, config: &Json) -> Planned {
        self.plan_as(type_name, prior, config, None)
    }

    /// PlanResourceChange as a client that announces `capabilities` (Terraform 1.11 sends
    /// `write_only_attributes_allowed`); `None` is what Terraform 1.0.3 sends.
    pub fn plan_as(
        &self,
        type_name: &str,
        prior: &Json,
        config: &Json,
        capabilities: Option<proto::ClientCapabilities>,
    ) -> Planned {
        let block = self.resource_block(type_name);
        let config = conform(&block, config);
        let proposed = proposed_new(&block, prior, &config);
        let (prior, proposed, config) = (
            to_dynamic(prior),
            to_dynamic(&proposed),
            to_dynamic(&config),
        );
        let type_name = type_name.to_string();
        let resp = self.call("PlanResourceChange", |mut c| async move {
            let req = proto::plan_resource_change::Request {
                type_name,
                prior_state: Some(prior),
                proposed_new_state: Some(proposed),
                config: Some(config),
                prior_private: Vec::new(),
                provider_meta: Some(null_dynamic()),
                client_capabilities: capabilities,
                // No identity, as Terraform 1.0.3.
                ..Default::default()
            };
            c.plan_resource_change(req).await
        });
        Planned {
            state: from_dynamic(resp.planned_state.as_ref()),
            raw: resp.planned_state.unwrap_or_else(null_dynamic),
            private: resp.planned_private,
            requires_replace: resp
                .requires_replace
                .iter()
                .map(|p| path_strings(Some(p)))
                .collect(),
            diags: diag::convert(&resp.diagnostics),
        }
    }

    pub fn plan_create(&self, type_name: &str, config: &Json) -> (Json, Vec<Diag>) {
        let planned = self.plan(type_name, &Json::Null, config);
        (planned.state, planned.diags)
    }

    pub fn plan_update(&self, type_name: &str, prior: &Json, config: &Json) -> Planned {
        self.plan(type_name, prior, config)
    }

    /// ApplyResourceChange of a plan made with [`Self::plan`].
    pub fn apply(
        &self,
        type_name: &str,
        prior: &Json,
        planned: &Planned,
        config: &Json,
    ) -> Applied {
        let block = self.resource_block(type_name);
        let config = if config.is_null() {
            Json::Null
        } else {
            conform(&block, config)
        };
        let (prior, planned_state, config) =
            (to_dynamic(prior), planned.raw.clone(), to_dynamic(&config));
        let planned_private = planned.private.clone();
        let type_name = type_name.to_string();
        let resp = self.call("ApplyResourceChange", |mut c| async move {
            let req = proto::apply_resource_change::Request {
                type_name,
                prior_state: Some(prior),
                planned_state: Some(planned_state),
                config: Some(config),
                planned_private,
                provider_meta: Some(null_dynamic()),
                // What Terraform 1.0.3 sends: no client capabilities, no identity.
                ..Default::default()
            };
            c.apply_resource_change(req).await
        });
        Applied {
            state: from_dynamic(resp.new_state.as_ref()),
            private: resp.private,
            diags: diag::convert(&resp.diagnostics),
        }
    }

    /// Plan + apply of a create; stops after the plan when it has errors.
    pub fn apply_create(&self, type_name: &str, config: &Json) -> (Json, Vec<Diag>) {
        self.apply_change(type_name, &Json::Null, config)
    }

    /// Plan + apply of an update from `prior` to `config`.
    pub fn apply_update(&self, type_name: &str, prior: &Json, config: &Json) -> (Json, Vec<Diag>) {
        self.apply_change(type_name, prior, config)
    }

    fn apply_change(&self, type_name: &str, prior: &Json, config: &Json) -> (Json, Vec<Diag>) {
        let planned = self.plan(type_name, prior, config);
        if diag::has_errors(&planned.diags) {
            return (planned.state, planned.diags);
        }
        let applied = self.apply(type_name, prior, &planned, config);
        let mut diags = planned.diags;
        diags.extend(applied.diags);
        (applied.state, diags)
    }

    /// Destroy as Terraform 1.0.3 does it: ApplyResourceChange with a null plan and
    /// config, and no PlanResourceChange first.
    pub fn destroy(&self, type_name: &str, prior: &Json) -> Vec<Diag> {
        let planned = Planned {
            state: Json::Null,
            raw: null_dynamic(),
            private: Vec::new(),
            requires_replace: Vec::new(),
            diags: Vec::new(),
        };
        let applied = self.apply(type_name, prior, &planned, &Json::Null);
        if !applied.state.is_null() {
            panic!("destroy left a state: {}", applied.state);
        }
        applied.diags
    }

    /// ReadResource (refresh). A null new state means "deleted outside Terraform".
    pub fn read(&self, type_name: &str, state: &Json) -> (Json, Vec<Diag>) {
        let state = to_dynamic(state);
        let type_name = type_name.to_string();
        let resp = self.call("ReadResource", |mut c| async move {
            let req = proto::read_resource::Request {
                type_name,
                current_state: Some(state),
                private: Vec::new(),
                provider_meta: Some(null_dynamic()),
                // What Terraform 1.0.3 sends: no client capabilities, no identity.
                ..Default::default()
            };
            c.read_resource(req).await
        });
        (
            from_dynamic(resp.new_state.as_ref()),
            diag::convert(&resp.diagnostics),
        )
    }

    /// ImportResourceState; returns the imported objects' states (Terraform reads
    /// each one afterwards: call [`Self::read`] to do the same).
    pub fn import(&self, type_name: &str, id: &str) -> (Vec<Json>, Vec<Diag>) {
        let (type_name, id) = (type_name.to_string(), id.to_string());
        let resp = self.call("ImportResourceState", |mut c| async move {
            let req = proto::import_resource_state::Request {
                type_name,
                id,
                ..Default::default()
            };
            c.import_resource_state(req).await
        });
        let states = resp
            .imported_resources
            .iter()
            .map(|r| from_dynamic(r.state.as_ref()))
            .collect();
        (states, diag::convert(&resp.diagnostics))
    }

    /// UpgradeResourceState of a state as stored in a state file (JSON).
    pub fn upgrade(&self, type_name: &str, version: i64, state: &Json) -> (Json, Vec<Diag>) {
        let raw_state = proto::RawState {
            json: serde_json::to_vec(state).unwrap(),
            flatmap: Default::default(),
        };
        let type_name = type_name.to_string();
        let resp = self.call("UpgradeResourceState", |mut c| async move {
            let req = proto::upgrade_resource_state::Request {
                type_name,
                version,
                raw_state: Some(raw_state),
            };
            c.upgrade_resource_state(req).await
        });
        (
            from_dynamic(resp.upgraded_state.as_ref()),
            diag::convert(&resp.diagnostics),
        )
    }

    pub fn read_data_source(&self, type_name: &str, config: &Json) -> (Json, Vec<Diag>) {
        let config = to_dynamic(&conform(&self.data_source_block(type_name), config));
        let type_name = type_name.to_string();
        let resp = self.call("ReadDataSource", |mut c| async move {
            let req = proto::read_data_source::Request {
                type_name,
                config: Some(config),
                provider_meta: Some(null_dynamic()),
                // What Terraform 1.0.3 sends: no client capabilities, no identity.
                ..Default::default()
            };
            c.read_data_source(req).await
        });
        (
            from_dynamic(resp.state.as_ref()),
            diag::convert(&resp.diagnostics),
        )
    }

    /// StopProvider; returns the provider's error text (empty when fine).
    pub fn stop(&self) -> String {
        let resp = self.call("StopProvider", |mut c| async move {
            c.stop_provider(proto::stop_provider::Request {}).await
        });
        resp.error
    }
}

impl Drop for ProviderProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn path_strings(path: Option<&proto::AttributePath>) -> Vec<String> {
    let diag = proto::Diagnostic {
        attribute: path.cloned(),
        ..Default::default()
    };
    Diag::from(&diag).attribute_path
}

/// Reads the first stdout line on a thread, so a provider that never prints one
/// fails the test after a timeout instead of hanging it. Later output is drained.
fn read_handshake(child: &mut Child, stderr: &Arc<Mutex<String>>) -> String {
    let stdout = child.stdout.take().expect("stdout piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = rx.recv_timeout(HANDSHAKE_TIMEOUT).unwrap_or_default();
    if line.trim().is_empty() {
        let _ = child.kill();
        let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
        // Give the stderr thread a moment to collect the last words.
        std::thread::sleep(Duration::from_millis(100));
        panic!(
            "provider printed no handshake (process {status})\nprovider stderr:\n{}",
            stderr.lock().unwrap()
        );
    }
    line
}

/// `1|6|tcp|127.0.0.1:PORT|grpc|CERT`: the address, and the server's certificate (base64 DER
/// without padding, as go-plugin reads it) when the field is not empty.
fn parse_handshake(line: &str) -> (String, Option<Vec<u8>>) {
    let fields: Vec<&str> = line.trim().split('|').collect();
    match fields.as_slice() {
        ["1", "6", "tcp", addr, "grpc", cert] => {
            let cert = (!cert.is_empty()).then(|| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(cert)
                    .unwrap_or_else(|e| panic!("handshake certificate is not base64: {e}"))
            });
            (addr.to_string(), cert)
        }
        ["1", "6", "tcp", addr, "grpc"] => (addr.to_string(), None),
        _ => panic!("unexpected handshake line {line:?}"),
    }
}

/// Longer than any legitimate call (an apply under faults); far shorter than nextest's backstop.
const GRPC_CALL_DEADLINE: Duration = Duration::from_secs(300);

async fn connect(
    addr: &str,
    server_cert: Option<&[u8]>,
    identity: Option<&ClientIdentity>,
) -> Result<Channel, tonic::transport::Error> {
    let Some(der) = server_cert else {
        return Endpoint::from_shared(format!("http://{addr}"))?
            .connect_timeout(Duration::from_secs(10))
            // A provider that never answers fails the call instead of hanging the test.
            .timeout(GRPC_CALL_DEADLINE)
            .connect()
            .await;
    };
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64::engine::general_purpose::STANDARD.encode(der)
    );
    // go-plugin names the server "localhost" whatever the address.
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(pem))
        .domain_name("localhost");
    if let Some(identity) = identity {
        tls = tls.identity(Identity::from_pem(&identity.cert_pem, &identity.key_pem));
    }
    Endpoint::from_shared(format!("https://{addr}"))?
        .tls_config(tls)?
        .connect_timeout(Duration::from_secs(10))
        // A provider that never answers fails the call instead of hanging the test.
        .timeout(GRPC_CALL_DEADLINE)
        .connect()
        .await
}

fn collect(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&buf);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    buf
}
