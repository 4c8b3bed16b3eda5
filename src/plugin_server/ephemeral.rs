//! Ephemeral resources (protocol 6.7, Terraform 1.10 or newer). tf-provider 0.2.2 has no trait for
//! them, so this one is ours, shaped like its `Resource`: an implementation writes the typed
//! [`EphemeralResource`], and the server drives it as the object-safe [`DynamicEphemeralResource`]
//! that every `EphemeralResource` also is. Values cross as MessagePack and are decoded with
//! rmp-serde, as tf-provider decodes its own, so `tf_provider::value::Value` fields keep null and
//! unknown values apart.

use std::time::SystemTime;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tf_provider::schema::{AttributeConstraint, Schema};
use tf_provider::Diagnostics;

/// What Open returns besides diagnostics.
pub struct Opened<R> {
    /// The object Terraform evaluates `ephemeral.TYPE.NAME` to: every attribute of the schema.
    pub result: R,
    /// When Terraform should call Renew; `None` when the result never needs renewing.
    pub renew_at: Option<SystemTime>,
    /// Handed back to Renew and Close. Terraform keeps it in memory only, but it is no place for
    /// the secret itself.
    pub private: Option<Vec<u8>>,
}

/// What Renew returns besides diagnostics.
#[derive(Default)]
pub struct Renewed {
    pub renew_at: Option<SystemTime>,
    pub private: Option<Vec<u8>>,
}

#[async_trait]
pub trait EphemeralResource: Send + Sync {
    /// The configuration: the schema's attributes, computed ones null.
    type Config: DeserializeOwned + Send;
    /// The result: the schema's attributes, configured ones as configured.
    type Result: Serialize + Send;

    fn schema(&self) -> Schema;

    /// Checks without side effects; values may still be unknown.
    async fn validate(&self, diags: &mut Diagnostics, config: Self::Config);

    /// Called with a wholly known configuration only: for one with unknown values the server
    /// answers itself (see [`unknown_result`]), as Terraform does before it calls Open at all.
    async fn open(
        &self,
        diags: &mut Diagnostics,
        config: Self::Config,
    ) -> Option<Opened<Self::Result>>;

    /// Terraform calls Renew only at a `renew_at` that Open or Renew gave.
    async fn renew(&self, _diags: &mut Diagnostics, _private: Option<Vec<u8>>) -> Option<Renewed> {
        Some(Renewed::default())
    }

    /// Terraform calls Close once it no longer needs the result.
    async fn close(&self, _diags: &mut Diagnostics, _private: Option<Vec<u8>>) {}
}

/// An [`EphemeralResource`] over MessagePack values, as the server holds them.
#[async_trait]
pub trait DynamicEphemeralResource: Send + Sync {
    fn schema(&self) -> Schema;
    async fn validate(&self, diags: &mut Diagnostics, config: &[u8]);
    async fn open(&self, diags: &mut Diagnostics, config: &[u8]) -> Option<Opened<Vec<u8>>>;
    async fn renew(&self, diags: &mut Diagnostics, private: Option<Vec<u8>>) -> Option<Renewed>;
    async fn close(&self, diags: &mut Diagnostics, private: Option<Vec<u8>>);
}

fn decode<C: DeserializeOwned>(diags: &mut Diagnostics, msgpack: &[u8]) -> Option<C> {
    match rmp_serde::from_slice(msgpack) {
        Ok(config) => Some(config),
        Err(e) => {
            diags.root_error("The provider cannot read this configuration", e.to_string());
            None
        }
    }
}

#[async_trait]
impl<T: EphemeralResource> DynamicEphemeralResource for T {
    fn schema(&self) -> Schema {
        EphemeralResource::schema(self)
    }

    async fn validate(&self, diags: &mut Diagnostics, config: &[u8]) {
        if let Some(config) = decode(diags, config) {
            EphemeralResource::validate(self, diags, config).await;
        }
    }

    async fn open(&self, diags: &mut Diagnostics, config: &[u8]) -> Option<Opened<Vec<u8>>> {
        let config = decode(diags, config)?;
        let opened = EphemeralResource::open(self, diags, config).await?;
        match rmp_serde::to_vec_named(&opened.result) {
            Ok(result) => Some(Opened {
                result,
                renew_at: opened.renew_at,
                private: opened.private,
            }),
            Err(e) => {
                diags.root_error("The provider cannot encode its result", e.to_string());
                None
            }
        }
    }

    async fn renew(&self, diags: &mut Diagnostics, private: Option<Vec<u8>>) -> Option<Renewed> {
        EphemeralResource::renew(self, diags, private).await
    }

    async fn close(&self, diags: &mut Diagnostics, private: Option<Vec<u8>>) {
        EphemeralResource::close(self, diags, private).await;
    }
}

/// True when `value` holds an unknown value anywhere (MessagePack extension 0, or Terraform's
/// refined unknowns, another extension).
pub fn has_unknown(value: &rmpv::Value) -> bool {
    match value {
        rmpv::Value::Ext(..) => true,
        rmpv::Value::Array(items) => items.iter().any(has_unknown),
        rmpv::Value::Map(entries) => entries.iter().any(|(_, v)| has_unknown(v)),
        _ => false,
    }
}

/// The result of a configuration that is not wholly known yet: the configuration, with every
/// computed attribute it leaves null unknown. Terraform builds the same placeholder (as for a data
/// source it cannot read yet) when it skips Open for such a configuration.
pub fn unknown_result(config: rmpv::Value, schema: &Schema) -> rmpv::Value {
    let rmpv::Value::Map(mut entries) = config else {
        return rmpv::Value::Ext(0, vec![0]);
    };
    for (key, value) in &mut entries {
        let computed = key
            .as_str()
            .and_then(|name| schema.block.attributes.get(name))
            .is_some_and(|a| {
                matches!(
                    a.constraint,
                    AttributeConstraint::Computed | AttributeConstraint::OptionalComputed
                )
            });
        if computed && value.is_nil() {
            *value = rmpv::Value::Ext(0, vec![0]);
        }
    }
    rmpv::Value::Map(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::schema::{block, computed, optional_computed, required, schema, string};

    fn test_schema() -> Schema {
        schema(block(
            "A test.",
            vec![
                ("given", required(string(), "Given.")),
                ("maybe", optional_computed(string(), "Maybe.")),
                ("made", computed(string(), "Made.")),
            ],
        ))
    }

    #[test]
    fn unknown_configurations_give_unknown_computed_attributes() {
        let unknown = rmpv::Value::Ext(0, vec![0]);
        let config = rmpv::Value::Map(vec![
            ("given".into(), unknown.clone()),
            ("maybe".into(), "set".into()),
            ("made".into(), rmpv::Value::Nil),
        ]);
        assert!(has_unknown(&config));
        assert!(!has_unknown(&rmpv::Value::Map(vec![(
            "given".into(),
            rmpv::Value::Array(vec!["x".into()])
        )])));
        let result = unknown_result(config, &test_schema());
        let result = result.as_map().unwrap();
        assert_eq!(result[0].1, unknown, "kept as configured");
        assert_eq!(result[1].1, "set".into(), "configured: kept");
        assert_eq!(result[2].1, unknown, "computed: unknown");
    }
}
