//! Between tf-provider's public types and our wire messages: schemas, diagnostics, attribute
//! paths and values.
//!
//! Values: tf-provider's `RawValue` appears in the `DynamicResource`/`DynamicDataSource`
//! signatures but the crate does not export its name, so we can neither name nor build one.
//! We read one with its public `deserialize` (into an `rmpv::Value`, which keeps Terraform's
//! unknown-value extension), and build one by letting tf-provider serialize it: [`to_raw`] passes
//! the value through a one-line `DataSource` whose `read` returns it.

use std::any::Any;
use std::collections::BTreeSet;

use async_trait::async_trait;
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, NestedBlock, Schema, StringKind,
};
use tf_provider::value::ValueEmpty;
use tf_provider::{AttributePath, AttributePathStep, DataSource, Diagnostics, DynamicDataSource};

use super::proto::tfplugin6 as tf;

/// `(type name, attribute name)` pairs to announce as write-only (protocol 6.8).
pub type WriteOnly = BTreeSet<(String, String)>;

pub fn schema(schema: &Schema, type_name: &str, write_only: &WriteOnly) -> tf::Schema {
    tf::Schema {
        version: schema.version,
        block: Some(block(&schema.block, type_name, write_only)),
    }
}

fn kind(kind: &StringKind) -> i32 {
    match kind {
        StringKind::Plain => tf::StringKind::Plain as i32,
        StringKind::Markdown => tf::StringKind::Markdown as i32,
    }
}

fn block(block: &Block, type_name: &str, write_only: &WriteOnly) -> tf::schema::Block {
    // Sorted, so the schema is the same on every run.
    let mut attributes: Vec<_> = block.attributes.iter().collect();
    attributes.sort_by(|a, b| a.0.cmp(b.0));
    let mut blocks: Vec<_> = block.blocks.iter().collect();
    blocks.sort_by(|a, b| a.0.cmp(b.0));
    tf::schema::Block {
        version: block.version,
        attributes: attributes
            .into_iter()
            .map(|(name, a)| {
                let wo = write_only.contains(&(type_name.to_string(), name.clone()));
                attribute(name, a, wo)
            })
            .collect(),
        block_types: blocks
            .into_iter()
            .map(|(name, b)| nested_block(name, b, write_only))
            .collect(),
        description: block.description.content.clone(),
        description_kind: kind(&block.description.kind),
        deprecated: block.deprecated,
    }
}

fn nested_block(
    name: &str,
    nested: &NestedBlock,
    write_only: &WriteOnly,
) -> tf::schema::NestedBlock {
    use tf::schema::nested_block::NestingMode;
    let (mode, inner, min, max) = match nested {
        NestedBlock::Single(b) => (NestingMode::Single, b, 1, 1),
        NestedBlock::List(b) => (NestingMode::List, b, 0, 0),
        NestedBlock::Set(b) => (NestingMode::Set, b, 0, 0),
        NestedBlock::Map(b) => (NestingMode::Map, b, 0, 0),
        NestedBlock::Group(b) => (NestingMode::Group, b, 0, 0),
        NestedBlock::Optional(b) => (NestingMode::List, b, 0, 1),
    };
    tf::schema::NestedBlock {
        type_name: name.to_string(),
        // Write-only applies to a resource's top-level attributes only.
        block: Some(block(inner, "", write_only)),
        nesting: mode as i32,
        min_items: min,
        max_items: max,
    }
}

fn attribute(name: &str, a: &Attribute, write_only: bool) -> tf::schema::Attribute {
    use tf::schema::object::NestingMode;
    let nested = match &a.attr_type {
        AttributeType::AttributeSingle(attrs) => Some((NestingMode::Single, attrs)),
        AttributeType::AttributeList(attrs) => Some((NestingMode::List, attrs)),
        AttributeType::AttributeSet(attrs) => Some((NestingMode::Set, attrs)),
        AttributeType::AttributeMap(attrs) => Some((NestingMode::Map, attrs)),
        _ => None,
    };
    // A nested attribute has `nested_type` and no `type` (sending both breaks Terraform).
    let (r#type, nested_type) = match nested {
        Some((mode, attrs)) => {
            let mut attrs: Vec<_> = attrs.iter().collect();
            attrs.sort_by(|a, b| a.0.cmp(b.0));
            #[allow(deprecated)]
            let object = tf::schema::Object {
                attributes: attrs
                    .into_iter()
                    .map(|(n, a)| attribute(n, a, false))
                    .collect(),
                nesting: mode as i32,
                min_items: 0,
                max_items: 0,
            };
            (Vec::new(), Some(object))
        }
        None => (a.attr_type.to_string().into_bytes(), None),
    };
    let c = &a.constraint;
    tf::schema::Attribute {
        name: name.to_string(),
        r#type,
        nested_type,
        description: a.description.content.clone(),
        required: *c == AttributeConstraint::Required,
        optional: matches!(
            c,
            AttributeConstraint::Optional | AttributeConstraint::OptionalComputed
        ),
        computed: matches!(
            c,
            AttributeConstraint::Computed | AttributeConstraint::OptionalComputed
        ),
        sensitive: a.sensitive,
        description_kind: kind(&a.description.kind),
        deprecated: a.deprecated,
        write_only,
    }
}

pub fn diagnostics(diags: Diagnostics) -> Vec<tf::Diagnostic> {
    use tf::diagnostic::Severity;
    let one = |severity: Severity| {
        move |d: tf_provider::Diagnostic| tf::Diagnostic {
            severity: severity as i32,
            summary: d.summary.into_owned(),
            detail: d.detail.into_owned(),
            attribute: (!d.attribute.steps.is_empty()).then(|| attribute_path(d.attribute)),
        }
    };
    let errors = diags.errors.into_iter().map(one(Severity::Error));
    errors
        .chain(diags.warnings.into_iter().map(one(Severity::Warning)))
        .collect()
}

pub fn attribute_path(path: AttributePath) -> tf::AttributePath {
    use tf::attribute_path::step::Selector;
    let steps = path.steps.into_iter().map(|step| tf::attribute_path::Step {
        selector: Some(match step {
            AttributePathStep::Attribute(name) => Selector::AttributeName(name.into_owned()),
            AttributePathStep::Key(key) => Selector::ElementKeyString(key.into_owned()),
            AttributePathStep::Index(i) => Selector::ElementKeyInt(i),
        }),
    });
    tf::AttributePath {
        steps: steps.collect(),
    }
}

/// True for an absent, empty or null value, as tf-provider's `RawValue::is_null`.
pub fn is_null(value: Option<&tf::DynamicValue>) -> bool {
    match value {
        None => true,
        Some(v) if !v.msgpack.is_empty() => v.msgpack == [0xc0],
        Some(v) => v.json.is_empty() || v.json == b"null",
    }
}

/// A wire value as an `rmpv::Value` (JSON states from a state file included).
pub fn decode(value: Option<&tf::DynamicValue>, diags: &mut Diagnostics) -> rmpv::Value {
    let decoded = match value {
        Some(v) if !v.msgpack.is_empty() => {
            rmpv::decode::read_value(&mut v.msgpack.as_slice()).map_err(|e| e.to_string())
        }
        Some(v) if !v.json.is_empty() => {
            serde_json::from_slice::<rmpv::Value>(&v.json).map_err(|e| e.to_string())
        }
        _ => Ok(rmpv::Value::Nil),
    };
    decoded.unwrap_or_else(|e| {
        diags.root_error("Terraform sent a value the provider cannot decode", e);
        rmpv::Value::Nil
    })
}

/// An `rmpv::Value` (read from a `RawValue` with its `deserialize`) as a wire value.
pub fn encode(value: Option<rmpv::Value>) -> Option<tf::DynamicValue> {
    let value = value?;
    let mut msgpack = Vec::new();
    rmpv::encode::write_value(&mut msgpack, &value).ok()?;
    Some(tf::DynamicValue {
        msgpack,
        json: Vec::new(),
    })
}

/// A resource's private state for Terraform: tf-provider encodes "none" as msgpack nil, which
/// Terraform would store as `"private": "wA=="` in every instance of the state file; an empty one is
/// not stored, and tf-provider reads it back as the same nil.
pub fn private_out(private: Vec<u8>) -> Vec<u8> {
    if private == [0xc0] {
        Vec::new()
    } else {
        private
    }
}

/// Builds tf-provider's `RawValue` holding `value`; the type `R` is inferred where the result is
/// passed to tf-provider, and is always that `RawValue`.
pub async fn to_raw<R: Default + 'static>(value: rmpv::Value, diags: &mut Diagnostics) -> R {
    // tf-provider's default `RawValue` is msgpack nil: no round trip for the many null values
    // (provider_meta, a create's prior state, a destroy's config).
    if value == rmpv::Value::Nil {
        return R::default();
    }
    let echo = Echo(std::sync::Mutex::new(Some(value)));
    let raw = DynamicDataSource::read(&echo, diags, Default::default(), Default::default())
        .await
        .unwrap_or_default();
    let raw: Box<dyn Any> = Box::new(raw);
    *raw.downcast::<R>()
        .expect("tf-provider has a single RawValue type")
}

/// Returns what it holds, once: tf-provider serializes it into a `RawValue` on the way out.
struct Echo(std::sync::Mutex<Option<rmpv::Value>>);

#[async_trait]
impl DataSource for Echo {
    type State<'a> = rmpv::Value;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        None
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        self.0.lock().ok()?.take()
    }
}

/// `value` with every write-only attribute of `type_name` set to null: Terraform refuses a planned
/// or new state that holds a value there, and the value must never reach plan or state.
pub fn null_write_only(
    value: Option<rmpv::Value>,
    type_name: &str,
    write_only: &WriteOnly,
) -> Option<rmpv::Value> {
    let mut value = value?;
    if let rmpv::Value::Map(entries) = &mut value {
        for (key, attribute) in entries.iter_mut() {
            let name = key.as_str().unwrap_or_default();
            if write_only.contains(&(type_name.to_string(), name.to_string())) {
                *attribute = rmpv::Value::Nil;
            }
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_round_trip_through_raw_value_with_unknowns() {
        // {"a": "x", "b": <unknown>, "c": [1, 2.5, null]}
        let value = rmpv::Value::Map(vec![
            ("a".into(), "x".into()),
            ("b".into(), rmpv::Value::Ext(0, vec![0])),
            (
                "c".into(),
                rmpv::Value::Array(vec![1.into(), 2.5.into(), rmpv::Value::Nil]),
            ),
        ]);
        let mut diags = Diagnostics::default();
        let wire = encode(Some(value.clone())).unwrap();
        let decoded = decode(Some(&wire), &mut diags);
        // `to_raw`'s type is inferred from a tf-provider signature, as in the server.
        let raw = to_raw(decoded, &mut diags).await;
        let mirrored = DynamicDataSource::read(&Mirror, &mut diags, raw, Default::default())
            .await
            .unwrap();
        let back: rmpv::Value = mirrored.deserialize(&mut diags).unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(back, value);
    }

    /// Reads back the configuration it is given.
    struct Mirror;

    #[async_trait]
    impl DataSource for Mirror {
        type State<'a> = rmpv::Value;
        type ProviderMetaState<'a> = ValueEmpty;

        fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
            None
        }

        async fn read<'a>(
            &self,
            _diags: &mut Diagnostics,
            config: Self::State<'a>,
            _meta: Self::ProviderMetaState<'a>,
        ) -> Option<Self::State<'a>> {
            Some(config)
        }
    }

    #[test]
    fn a_nil_private_state_is_sent_empty_and_any_other_unchanged() {
        assert_eq!(private_out(vec![0xc0]), Vec::<u8>::new());
        assert_eq!(
            private_out(vec![0x81, 0xa1, 0x61, 0x01]),
            vec![0x81, 0xa1, 0x61, 0x01]
        );
        assert_eq!(private_out(Vec::new()), Vec::<u8>::new());
    }

    #[test]
    fn null_values() {
        let mp = |b: &[u8]| tf::DynamicValue {
            msgpack: b.to_vec(),
            json: vec![],
        };
        assert!(is_null(None));
        assert!(is_null(Some(&mp(&[0xc0]))));
        assert!(is_null(Some(&mp(&[]))));
        assert!(!is_null(Some(&mp(&[0x80]))));
    }

    #[test]
    fn write_only_attributes_are_nulled_for_their_resource_only() {
        let write_only: super::WriteOnly = [("r".to_string(), "v_wo".to_string())].into();
        let state = rmpv::Value::Map(vec![
            ("v_wo".into(), "secret".into()),
            ("v".into(), "kept".into()),
        ]);
        let nulled = super::null_write_only(Some(state.clone()), "r", &write_only).unwrap();
        assert_eq!(nulled.as_map().unwrap()[0].1, rmpv::Value::Nil);
        assert_eq!(nulled.as_map().unwrap()[1].1, "kept".into());
        let other = super::null_write_only(Some(state.clone()), "other", &write_only);
        assert_eq!(other, Some(state));
    }
}
