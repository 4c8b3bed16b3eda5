//! What Terraform core does to a configuration before the provider sees it:
//! every attribute of the schema is present (null when unset), absent nested
//! blocks are empty collections, and the proposed new state keeps prior values
//! of computed attributes the configuration leaves unset.
use serde_json::{Map, Value as Json};

use super::proto::schema::{nested_block::NestingMode, Block, NestedBlock};

/// Fills `value` out to the full shape of `block`. Unknown keys are kept, so a
/// test can still send a bad object on purpose.
pub fn conform(block: &Block, value: &Json) -> Json {
    let mut out = match value {
        Json::Object(map) => map.clone(),
        Json::Null => return Json::Null,
        other => return other.clone(),
    };
    for attr in &block.attributes {
        out.entry(attr.name.clone()).or_insert(Json::Null);
    }
    for nested in &block.block_types {
        let given = out.remove(&nested.type_name).unwrap_or(Json::Null);
        out.insert(nested.type_name.clone(), conform_nested(nested, &given));
    }
    Json::Object(out)
}

fn conform_nested(nested: &NestedBlock, value: &Json) -> Json {
    let inner = nested.block.clone().unwrap_or_default();
    match (nesting(nested), value) {
        (NestingMode::Single | NestingMode::Group, v) => conform(&inner, v),
        (NestingMode::Map, Json::Null) => Json::Object(Map::new()),
        (NestingMode::Map, Json::Object(m)) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), conform(&inner, v)))
                .collect(),
        ),
        (_, Json::Null) => Json::Array(Vec::new()),
        // A single object where a list is expected: accept it as a one-item list.
        (_, Json::Object(_)) => Json::Array(vec![conform(&inner, value)]),
        (_, Json::Array(items)) => Json::Array(items.iter().map(|i| conform(&inner, i)).collect()),
        (_, other) => other.clone(),
    }
}

fn nesting(nested: &NestedBlock) -> NestingMode {
    NestingMode::try_from(nested.nesting).unwrap_or(NestingMode::Invalid)
}

/// Terraform's "proposed new state": the configuration, with computed attributes
/// that the configuration leaves null taken from the prior state.
pub fn proposed_new(block: &Block, prior: &Json, config: &Json) -> Json {
    let (Json::Object(prior_map), Json::Object(config_map)) = (prior, config) else {
        return config.clone();
    };
    let mut out = config_map.clone();
    for attr in &block.attributes {
        let configured = config_map.get(&attr.name).unwrap_or(&Json::Null);
        if attr.computed && configured.is_null() {
            let old = prior_map.get(&attr.name).cloned().unwrap_or(Json::Null);
            out.insert(attr.name.clone(), old);
        }
    }
    for nested in &block.block_types {
        let inner = nested.block.clone().unwrap_or_default();
        let old = prior_map.get(&nested.type_name).unwrap_or(&Json::Null);
        let new = config_map.get(&nested.type_name).unwrap_or(&Json::Null);
        let merged = match (nesting(nested), old, new) {
            (NestingMode::Single | NestingMode::Group, o, n) => proposed_new(&inner, o, n),
            // Lists pair up by index, as Terraform does for list blocks.
            (NestingMode::List, Json::Array(o), Json::Array(n)) => Json::Array(
                n.iter()
                    .enumerate()
                    .map(|(i, item)| proposed_new(&inner, o.get(i).unwrap_or(&Json::Null), item))
                    .collect(),
            ),
            (NestingMode::Map, Json::Object(o), Json::Object(n)) => Json::Object(
                n.iter()
                    .map(|(k, item)| {
                        let prior_item = o.get(k).unwrap_or(&Json::Null);
                        (k.clone(), proposed_new(&inner, prior_item, item))
                    })
                    .collect(),
            ),
            (_, _, n) => n.clone(),
        };
        out.insert(nested.type_name.clone(), merged);
    }
    Json::Object(out)
}
