//! The tfplugin6 `Provider` service: each RPC decodes Terraform's message, calls the
//! tf-provider provider, resource or data source, and encodes the answer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tf_provider::schema::Schema;
use tf_provider::{Diagnostics, DynamicDataSource, DynamicProvider, DynamicResource};
use tonic::{Request, Response, Status};

use super::convert::{self, decode, encode, is_null, null_write_only, to_raw, WriteOnly};
use super::ephemeral::{has_unknown, unknown_result, DynamicEphemeralResource};
use super::proto::tfplugin6 as tf;

type Reply<T> = Result<Response<T>, Status>;

/// What the provider binary plugs into the server.
pub struct Hooks {
    /// Called on StopProvider. Serving goes on: Terraform still reads replies, and may still call.
    pub on_stop: Arc<dyn Fn() + Send + Sync>,
    /// Attributes announced as write-only (Terraform ≥ 1.11), by resource type and name.
    pub write_only: WriteOnly,
    /// Where the client's capabilities are recorded for resources to consult.
    pub client_capabilities: ClientCapabilities,
    /// Ephemeral resources (Terraform >= 1.10), keyed by their name without the provider's
    /// prefix: tf-provider's `Provider` has no place for them.
    pub ephemeral_resources: HashMap<String, Box<dyn DynamicEphemeralResource>>,
}

impl Default for Hooks {
    fn default() -> Self {
        Hooks {
            on_stop: Arc::new(|| {}),
            write_only: WriteOnly::new(),
            client_capabilities: ClientCapabilities::default(),
            ephemeral_resources: HashMap::new(),
        }
    }
}

/// The client capabilities Terraform announced (protocol 6.7+); older clients announce none.
#[derive(Clone, Default)]
pub struct ClientCapabilities {
    write_only_attributes_allowed: Arc<AtomicBool>,
}

impl ClientCapabilities {
    pub fn write_only_attributes_allowed(&self) -> bool {
        self.write_only_attributes_allowed.load(Ordering::Relaxed)
    }

    /// As after a Terraform (1.11+) that announced write-only support.
    #[cfg(test)]
    pub fn allowing_write_only() -> Self {
        let capabilities = Self::default();
        capabilities
            .write_only_attributes_allowed
            .store(true, Ordering::Relaxed);
        capabilities
    }

    /// Once announced, kept: one Terraform process drives us, and not every request carries the
    /// flag (plugin frameworks read it from ValidateResourceConfig only), so a request announcing
    /// less must not turn it off under a concurrent plan that checks it.
    fn record(&self, announced: Option<&tf::ClientCapabilities>) {
        if announced.is_some_and(|c| c.write_only_attributes_allowed) {
            self.write_only_attributes_allowed
                .store(true, Ordering::Relaxed);
        }
    }
}

pub struct ProviderService {
    provider: Box<dyn DynamicProvider>,
    resources: HashMap<String, (Box<dyn DynamicResource>, Schema)>,
    data_sources: HashMap<String, Box<dyn DynamicDataSource>>,
    ephemeral: HashMap<String, (Box<dyn DynamicEphemeralResource>, Schema)>,
    /// Built once: Terraform asks for it once per provider instance.
    schema: tf::get_provider_schema::Response,
    hooks: Hooks,
}

impl ProviderService {
    pub fn new(name: &str, provider: Box<dyn DynamicProvider>, mut hooks: Hooks) -> Self {
        let mut diags = Diagnostics::default();
        // Only resources have write-only attributes.
        let none = WriteOnly::new();
        let provider_schema = required(provider.schema(&mut diags), &mut diags);
        let meta_schema = required(provider.meta_schema(&mut diags), &mut diags);
        let mut resources = HashMap::new();
        for (suffix, resource) in provider.get_resources(&mut diags).unwrap_or_default() {
            if let Some(schema) = required(resource.schema(&mut diags), &mut diags) {
                resources.insert(format!("{name}_{suffix}"), (resource, schema));
            }
        }
        let mut data_sources = HashMap::new();
        let mut data_source_schemas = HashMap::new();
        for (suffix, data_source) in provider.get_data_sources(&mut diags).unwrap_or_default() {
            if let Some(schema) = required(data_source.schema(&mut diags), &mut diags) {
                let type_name = format!("{name}_{suffix}");
                data_source_schemas.insert(type_name.clone(), convert::schema(&schema, "", &none));
                data_sources.insert(type_name, data_source);
            }
        }
        let ephemeral: HashMap<_, _> = std::mem::take(&mut hooks.ephemeral_resources)
            .into_iter()
            .map(|(suffix, resource)| {
                let schema = resource.schema();
                (format!("{name}_{suffix}"), (resource, schema))
            })
            .collect();
        let schema = tf::get_provider_schema::Response {
            provider: provider_schema.map(|s| convert::schema(&s, "", &none)),
            resource_schemas: resources
                .iter()
                .map(|(n, (_, s))| (n.clone(), convert::schema(s, n, &hooks.write_only)))
                .collect(),
            data_source_schemas,
            functions: HashMap::new(),
            ephemeral_resource_schemas: ephemeral
                .iter()
                .map(|(n, (_, s))| (n.clone(), convert::schema(s, "", &none)))
                .collect(),
            diagnostics: convert::diagnostics(diags),
            provider_meta: meta_schema.map(|s| convert::schema(&s, "", &none)),
            server_capabilities: Some(capabilities()),
        };
        ProviderService {
            provider,
            resources,
            data_sources,
            ephemeral,
            schema,
            hooks,
        }
    }

    fn ephemeral_resource(
        &self,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&(Box<dyn DynamicEphemeralResource>, Schema)> {
        let found = self.ephemeral.get(type_name);
        if found.is_none() {
            diags.root_error_short(format!(
                "Could not find ephemeral resource `{type_name}` in provider"
            ));
        }
        found
    }

    fn resource(&self, type_name: &str, diags: &mut Diagnostics) -> Option<&dyn DynamicResource> {
        let found = self.resources.get(type_name).map(|(r, _)| r.as_ref());
        if found.is_none() {
            diags.root_error_short(format!("Could not find resource `{type_name}` in provider"));
        }
        found
    }

    fn data_source(
        &self,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&dyn DynamicDataSource> {
        let found = self.data_sources.get(type_name).map(|d| d.as_ref());
        if found.is_none() {
            diags.root_error_short(format!(
                "Could not find data source `{type_name}` in provider"
            ));
        }
        found
    }
}

fn capabilities() -> tf::ServerCapabilities {
    tf::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: false,
        move_resource_state: false,
    }
}

/// A `None` without an error diagnostic is the framework's "internal error".
fn required<T>(value: Option<T>, diags: &mut Diagnostics) -> Option<T> {
    if value.is_none() && diags.errors.is_empty() {
        diags.root_error_short("Internal error");
    }
    value
}

// The Result type is tonic's, whatever its error's size.
#[allow(clippy::result_large_err)]
fn ok<T>(message: T) -> Reply<T> {
    Ok(Response::new(message))
}

#[tonic::async_trait]
impl tf::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<tf::get_metadata::Request>,
    ) -> Reply<tf::get_metadata::Response> {
        ok(tf::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: self.schema.diagnostics.clone(),
            data_sources: self
                .data_sources
                .keys()
                .map(|type_name| tf::get_metadata::DataSourceMetadata {
                    type_name: type_name.clone(),
                })
                .collect(),
            resources: self
                .resources
                .keys()
                .map(|type_name| tf::get_metadata::ResourceMetadata {
                    type_name: type_name.clone(),
                })
                .collect(),
            functions: Vec::new(),
            ephemeral_resources: self
                .ephemeral
                .keys()
                .map(|type_name| tf::get_metadata::EphemeralMetadata {
                    type_name: type_name.clone(),
                })
                .collect(),
        })
    }

    async fn get_provider_schema(
        &self,
        _: Request<tf::get_provider_schema::Request>,
    ) -> Reply<tf::get_provider_schema::Response> {
        ok(self.schema.clone())
    }

    async fn validate_provider_config(
        &self,
        request: Request<tf::validate_provider_config::Request>,
    ) -> Reply<tf::validate_provider_config::Response> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let config = decode(request.config.as_ref(), &mut diags);
        let config = to_raw(config, &mut diags).await;
        let done = self.provider.validate(&mut diags, config).await;
        required(done, &mut diags);
        ok(tf::validate_provider_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_resource_config(
        &self,
        request: Request<tf::validate_resource_config::Request>,
    ) -> Reply<tf::validate_resource_config::Response> {
        let request = request.into_inner();
        self.hooks
            .client_capabilities
            .record(request.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        if let Some(resource) = self.resource(&request.type_name, &mut diags) {
            let config = decode(request.config.as_ref(), &mut diags);
            let config = to_raw(config, &mut diags).await;
            let done = resource.validate(&mut diags, config).await;
            required(done, &mut diags);
        }
        ok(tf::validate_resource_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<tf::validate_data_resource_config::Request>,
    ) -> Reply<tf::validate_data_resource_config::Response> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(data_source) = self.data_source(&request.type_name, &mut diags) {
            let config = decode(request.config.as_ref(), &mut diags);
            let config = to_raw(config, &mut diags).await;
            let done = data_source.validate(&mut diags, config).await;
            required(done, &mut diags);
        }
        ok(tf::validate_data_resource_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<tf::upgrade_resource_state::Request>,
    ) -> Reply<tf::upgrade_resource_state::Response> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut upgraded = None;
        match (self.resources.get(&request.type_name), request.raw_state) {
            (Some(_), Some(raw)) if raw.json.is_empty() => {
                diags.root_error_short("Upgrading from a legacy state is not supported");
            }
            // Same version: the stored JSON is the state, as is.
            (Some((_, schema)), Some(raw)) if request.version == schema.version => {
                upgraded = Some(tf::DynamicValue {
                    msgpack: Vec::new(),
                    json: raw.json,
                });
            }
            (Some((resource, _)), Some(raw)) => {
                let json = tf::DynamicValue {
                    msgpack: Vec::new(),
                    json: raw.json,
                };
                let state = decode(Some(&json), &mut diags);
                let state = to_raw(state, &mut diags).await;
                let done = resource.upgrade(&mut diags, request.version, state).await;
                upgraded = encode(done.and_then(|raw| raw.deserialize(&mut diags)));
            }
            (None, _) => {
                self.resource(&request.type_name, &mut diags);
            }
            (Some(_), None) => {}
        }
        required(upgraded.as_ref(), &mut diags);
        ok(tf::upgrade_resource_state::Response {
            upgraded_state: upgraded,
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<tf::get_resource_identity_schemas::Request>,
    ) -> Reply<tf::get_resource_identity_schemas::Response> {
        ok(tf::get_resource_identity_schemas::Response::default())
    }

    async fn upgrade_resource_identity(
        &self,
        _: Request<tf::upgrade_resource_identity::Request>,
    ) -> Reply<tf::upgrade_resource_identity::Response> {
        let mut diags = Diagnostics::default();
        diags.root_error_short("This provider's resources have no resource identity");
        ok(tf::upgrade_resource_identity::Response {
            upgraded_identity: None,
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn configure_provider(
        &self,
        request: Request<tf::configure_provider::Request>,
    ) -> Reply<tf::configure_provider::Response> {
        let request = request.into_inner();
        self.hooks
            .client_capabilities
            .record(request.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        if request.config.is_some() {
            let config = decode(request.config.as_ref(), &mut diags);
            let config = to_raw(config, &mut diags).await;
            let done = self
                .provider
                .configure(&mut diags, request.terraform_version, config)
                .await;
            required(done, &mut diags);
        }
        ok(tf::configure_provider::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn read_resource(
        &self,
        request: Request<tf::read_resource::Request>,
    ) -> Reply<tf::read_resource::Response> {
        let request = request.into_inner();
        self.hooks
            .client_capabilities
            .record(request.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        let mut answer = None;
        if let Some(resource) = self.resource(&request.type_name, &mut diags) {
            let state = decode(request.current_state.as_ref(), &mut diags);
            let state = to_raw(state, &mut diags).await;
            let meta = decode(request.provider_meta.as_ref(), &mut diags);
            let meta = to_raw(meta, &mut diags).await;
            let read = resource
                .read(&mut diags, state, request.private, meta)
                .await;
            let write_only = &self.hooks.write_only;
            answer = read.map(|(state, private)| {
                let state = state.deserialize(&mut diags);
                let state = null_write_only(state, &request.type_name, write_only);
                (encode(state), private)
            });
        }
        let (new_state, private) = answer.unwrap_or_default();
        ok(tf::read_resource::Response {
            new_state,
            diagnostics: convert::diagnostics(diags),
            private: convert::private_out(private),
            deferred: None,
            new_identity: None,
        })
    }

    async fn plan_resource_change(
        &self,
        request: Request<tf::plan_resource_change::Request>,
    ) -> Reply<tf::plan_resource_change::Response> {
        let r = request.into_inner();
        self.hooks
            .client_capabilities
            .record(r.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        let mut planned = None;
        if let Some(resource) = self.resource(&r.type_name, &mut diags) {
            let nulls = (
                is_null(r.prior_state.as_ref()),
                is_null(r.proposed_new_state.as_ref()),
                is_null(r.config.as_ref()),
            );
            let prior = decode(r.prior_state.as_ref(), &mut diags);
            let prior = to_raw(prior, &mut diags).await;
            let proposed = decode(r.proposed_new_state.as_ref(), &mut diags);
            let proposed = to_raw(proposed, &mut diags).await;
            let config = decode(r.config.as_ref(), &mut diags);
            let config = to_raw(config, &mut diags).await;
            let meta = decode(r.provider_meta.as_ref(), &mut diags);
            let meta = to_raw(meta, &mut diags).await;
            let wo = &self.hooks.write_only;
            planned = match nulls {
                (false, false, false) => resource
                    .plan_update(&mut diags, prior, proposed, config, r.prior_private, meta)
                    .await
                    .map(|(state, private, replace)| {
                        let state =
                            null_write_only(state.deserialize(&mut diags), &r.type_name, wo);
                        (encode(state), private, replace)
                    }),
                (false, true, true) => {
                    let private = resource
                        .plan_destroy(&mut diags, prior, r.prior_private, meta)
                        .await;
                    Some((
                        encode(Some(rmpv::Value::Nil)),
                        private.unwrap_or_default(),
                        vec![],
                    ))
                }
                (true, false, false) => resource
                    .plan_create(&mut diags, proposed, config, meta)
                    .await
                    .map(|(state, private)| {
                        let state =
                            null_write_only(state.deserialize(&mut diags), &r.type_name, wo);
                        (encode(state), private, vec![])
                    }),
                _ => {
                    diags.root_error_short("Resource is planned both for creation and deletion");
                    None
                }
            };
        }
        let planned = required(planned, &mut diags);
        let (planned_state, planned_private, replace) = planned.unwrap_or_default();
        ok(tf::plan_resource_change::Response {
            planned_state,
            requires_replace: replace.into_iter().map(convert::attribute_path).collect(),
            planned_private: convert::private_out(planned_private),
            diagnostics: convert::diagnostics(diags),
            legacy_type_system: false,
            deferred: None,
            planned_identity: None,
        })
    }

    async fn apply_resource_change(
        &self,
        request: Request<tf::apply_resource_change::Request>,
    ) -> Reply<tf::apply_resource_change::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut applied = None;
        if let Some(resource) = self.resource(&r.type_name, &mut diags) {
            let nulls = (
                is_null(r.prior_state.as_ref()),
                is_null(r.planned_state.as_ref()),
                is_null(r.config.as_ref()),
            );
            let prior = decode(r.prior_state.as_ref(), &mut diags);
            let prior = to_raw(prior, &mut diags).await;
            let planned = decode(r.planned_state.as_ref(), &mut diags);
            let planned = to_raw(planned, &mut diags).await;
            let config = decode(r.config.as_ref(), &mut diags);
            let config = to_raw(config, &mut diags).await;
            let meta = decode(r.provider_meta.as_ref(), &mut diags);
            let meta = to_raw(meta, &mut diags).await;
            let wo = &self.hooks.write_only;
            applied = match nulls {
                (false, false, false) => resource
                    .update(&mut diags, prior, planned, config, r.planned_private, meta)
                    .await
                    .map(|(state, private)| {
                        let state =
                            null_write_only(state.deserialize(&mut diags), &r.type_name, wo);
                        (encode(state), private)
                    }),
                (false, true, true) => {
                    // As tf-provider: a null new state whatever destroy said; its diagnostics tell.
                    resource
                        .destroy(&mut diags, prior, r.planned_private, meta)
                        .await;
                    Some((encode(Some(rmpv::Value::Nil)), Vec::new()))
                }
                (true, false, false) => resource
                    .create(&mut diags, planned, config, r.planned_private, meta)
                    .await
                    .map(|(state, private)| {
                        let state =
                            null_write_only(state.deserialize(&mut diags), &r.type_name, wo);
                        (encode(state), private)
                    }),
                _ => {
                    diags.root_error_short("Resource is marked both for creation and deletion");
                    None
                }
            };
        }
        let applied = required(applied, &mut diags);
        let (new_state, private) = applied.unwrap_or_default();
        ok(tf::apply_resource_change::Response {
            new_state,
            private: convert::private_out(private),
            diagnostics: convert::diagnostics(diags),
            legacy_type_system: false,
            new_identity: None,
        })
    }

    async fn import_resource_state(
        &self,
        request: Request<tf::import_resource_state::Request>,
    ) -> Reply<tf::import_resource_state::Response> {
        let r = request.into_inner();
        self.hooks
            .client_capabilities
            .record(r.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        let mut imported = None;
        if let Some(resource) = self.resource(&r.type_name, &mut diags) {
            imported = resource
                .import(&mut diags, r.id)
                .await
                .map(
                    |(state, private)| tf::import_resource_state::ImportedResource {
                        type_name: r.type_name.clone(),
                        state: encode(null_write_only(
                            state.deserialize(&mut diags),
                            &r.type_name,
                            &self.hooks.write_only,
                        )),
                        private: convert::private_out(private),
                        identity: None,
                    },
                );
        }
        let imported = required(imported, &mut diags);
        ok(tf::import_resource_state::Response {
            imported_resources: imported.into_iter().collect(),
            diagnostics: convert::diagnostics(diags),
            deferred: None,
        })
    }

    async fn move_resource_state(
        &self,
        _: Request<tf::move_resource_state::Request>,
    ) -> Reply<tf::move_resource_state::Response> {
        let mut diags = Diagnostics::default();
        diags.root_error_short("MoveResourceState is not supported by this provider");
        ok(tf::move_resource_state::Response {
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn read_data_source(
        &self,
        request: Request<tf::read_data_source::Request>,
    ) -> Reply<tf::read_data_source::Response> {
        let r = request.into_inner();
        self.hooks
            .client_capabilities
            .record(r.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        let mut state = None;
        if let Some(data_source) = self.data_source(&r.type_name, &mut diags) {
            let config = decode(r.config.as_ref(), &mut diags);
            let config = to_raw(config, &mut diags).await;
            let meta = decode(r.provider_meta.as_ref(), &mut diags);
            let meta = to_raw(meta, &mut diags).await;
            let read = data_source.read(&mut diags, config, meta).await;
            state = read.and_then(|raw| encode(raw.deserialize(&mut diags)));
        }
        let state = required(state, &mut diags);
        ok(tf::read_data_source::Response {
            state,
            diagnostics: convert::diagnostics(diags),
            deferred: None,
        })
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<tf::validate_ephemeral_resource_config::Request>,
    ) -> Reply<tf::validate_ephemeral_resource_config::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some((resource, _)) = self.ephemeral_resource(&r.type_name, &mut diags) {
            let config = msgpack(decode(r.config.as_ref(), &mut diags));
            resource.validate(&mut diags, &config).await;
        }
        ok(tf::validate_ephemeral_resource_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<tf::open_ephemeral_resource::Request>,
    ) -> Reply<tf::open_ephemeral_resource::Response> {
        let r = request.into_inner();
        self.hooks
            .client_capabilities
            .record(r.client_capabilities.as_ref());
        let mut diags = Diagnostics::default();
        let mut answer = tf::open_ephemeral_resource::Response::default();
        if let Some((resource, schema)) = self.ephemeral_resource(&r.type_name, &mut diags) {
            let config = decode(r.config.as_ref(), &mut diags);
            if has_unknown(&config) {
                // Known only after apply (a plan): the result is too, and nothing is opened.
                answer.result = encode(Some(unknown_result(config, schema)));
            } else {
                let opened = resource.open(&mut diags, &msgpack(config)).await;
                if let Some(opened) = required(opened, &mut diags) {
                    answer.result = Some(tf::DynamicValue {
                        msgpack: opened.result,
                        json: Vec::new(),
                    });
                    answer.renew_at = opened.renew_at.map(prost_types::Timestamp::from);
                    answer.private = opened.private;
                }
            }
        }
        answer.diagnostics = convert::diagnostics(diags);
        ok(answer)
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<tf::renew_ephemeral_resource::Request>,
    ) -> Reply<tf::renew_ephemeral_resource::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        let mut answer = tf::renew_ephemeral_resource::Response::default();
        if let Some((resource, _)) = self.ephemeral_resource(&r.type_name, &mut diags) {
            let renewed = resource.renew(&mut diags, r.private).await;
            if let Some(renewed) = required(renewed, &mut diags) {
                answer.renew_at = renewed.renew_at.map(prost_types::Timestamp::from);
                answer.private = renewed.private;
            }
        }
        answer.diagnostics = convert::diagnostics(diags);
        ok(answer)
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<tf::close_ephemeral_resource::Request>,
    ) -> Reply<tf::close_ephemeral_resource::Response> {
        let r = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some((resource, _)) = self.ephemeral_resource(&r.type_name, &mut diags) {
            resource.close(&mut diags, r.private).await;
        }
        ok(tf::close_ephemeral_resource::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn get_functions(
        &self,
        _: Request<tf::get_functions::Request>,
    ) -> Reply<tf::get_functions::Response> {
        ok(tf::get_functions::Response::default())
    }

    async fn call_function(
        &self,
        request: Request<tf::call_function::Request>,
    ) -> Reply<tf::call_function::Response> {
        let name = request.into_inner().name;
        ok(tf::call_function::Response {
            result: None,
            error: Some(tf::FunctionError {
                text: format!("Could not find function `{name}` in provider"),
                function_argument: None,
            }),
        })
    }

    async fn stop_provider(
        &self,
        _: Request<tf::stop_provider::Request>,
    ) -> Reply<tf::stop_provider::Response> {
        tracing::info!("StopProvider: no new retries or backoff; still serving");
        (self.hooks.on_stop)();
        ok(tf::stop_provider::Response {
            error: String::new(),
        })
    }
}

/// A decoded value as the MessagePack ephemeral resources read (Terraform sends MessagePack; a JSON
/// value, as a test may send, is converted).
fn msgpack(value: rmpv::Value) -> Vec<u8> {
    encode(Some(value)).unwrap_or_default().msgpack
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_only_support_once_announced_is_kept() {
        let capabilities = ClientCapabilities::default();
        let announce = |allowed| tf::ClientCapabilities {
            write_only_attributes_allowed: allowed,
            ..Default::default()
        };
        capabilities.record(None);
        capabilities.record(Some(&announce(false)));
        assert!(!capabilities.write_only_attributes_allowed());
        capabilities.record(Some(&announce(true)));
        assert!(capabilities.write_only_attributes_allowed());
        capabilities.record(Some(&announce(false)));
        capabilities.record(None);
        assert!(capabilities.write_only_attributes_allowed());
    }
}
