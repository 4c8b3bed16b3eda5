//! A neutral model of the provider's schema, as much as the docs need. It is built either from the
//! provider in process (the generator) or from `terraform providers schema -json` (the test), so the
//! same renderer and checker serve both, and the test sees exactly what Terraform sees.

use std::collections::BTreeMap;

use serde_json::Value as Json;

/// Where an attribute is listed on a page, in tfplugindocs' terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Required,
    Optional,
    ReadOnly,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Required => "Required",
            Section::Optional => "Optional",
            Section::ReadOnly => "Read-Only",
        }
    }

    /// Optional+computed attributes are ones the user may set, so they are listed as Optional.
    pub fn from_flags(required: bool, optional: bool) -> Self {
        if required {
            Section::Required
        } else if optional {
            Section::Optional
        } else {
            Section::ReadOnly
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DocAttribute {
    /// As tfplugindocs writes it: `String`, `Set of String`, `Number`, `Boolean`.
    pub type_name: String,
    pub section: Section,
    pub sensitive: bool,
    /// Never in plan or state (Terraform 1.11 or newer).
    pub write_only: bool,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DocNested {
    /// `Block Set`, `Block List, Max: 1`, ...
    pub kind: String,
    pub section: Section,
    pub block: DocBlock,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocBlock {
    pub description: String,
    pub attributes: BTreeMap<String, DocAttribute>,
    pub blocks: BTreeMap<String, DocNested>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocSchema {
    pub provider: DocBlock,
    /// Keyed by full type name, e.g. `contactpro_user`.
    pub resources: BTreeMap<String, DocBlock>,
    pub data_sources: BTreeMap<String, DocBlock>,
    /// `None` when the source does not report ephemeral resources: `terraform providers schema
    /// -json` before Terraform 1.10 has no `ephemeral_resource_schemas`.
    pub ephemeral_resources: Option<BTreeMap<String, DocBlock>>,
}

/// Type name of a `terraform providers schema -json` type expression (`"string"`, `["set","string"]`).
pub fn json_type_name(t: &Json) -> String {
    match t {
        Json::String(s) => match s.as_str() {
            "string" => "String".into(),
            "number" => "Number".into(),
            "bool" => "Boolean".into(),
            "dynamic" => "Dynamic".into(),
            other => other.to_string(),
        },
        Json::Array(parts) if parts.len() == 2 => {
            let outer = match parts[0].as_str() {
                Some("set") => "Set",
                Some("list") => "List",
                Some("map") => "Map",
                _ => "Object",
            };
            format!("{outer} of {}", json_type_name(&parts[1]))
        }
        _ => "Object".into(),
    }
}

pub fn nested_kind(nesting: &str, max_items: i64) -> String {
    match nesting {
        "single" => "Block, Required".into(),
        "list" if max_items == 1 => "Block List, Max: 1".into(),
        "list" => "Block List".into(),
        "set" => "Block Set".into(),
        "map" => "Block Map".into(),
        _ => "Block".into(),
    }
}

fn flag(v: &Json, name: &str) -> bool {
    v.get(name).and_then(Json::as_bool).unwrap_or(false)
}

fn text(v: &Json, name: &str) -> String {
    v.get(name)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

fn block_from_json(block: &Json) -> DocBlock {
    let mut out = DocBlock {
        description: text(block, "description"),
        ..DocBlock::default()
    };
    if let Some(attributes) = block.get("attributes").and_then(Json::as_object) {
        for (name, a) in attributes {
            out.attributes.insert(
                name.clone(),
                DocAttribute {
                    type_name: json_type_name(a.get("type").unwrap_or(&Json::Null)),
                    section: Section::from_flags(flag(a, "required"), flag(a, "optional")),
                    sensitive: flag(a, "sensitive"),
                    write_only: flag(a, "write_only"),
                    description: text(a, "description"),
                },
            );
        }
    }
    if let Some(types) = block.get("block_types").and_then(Json::as_object) {
        for (name, b) in types {
            let min = b.get("min_items").and_then(Json::as_i64).unwrap_or(0);
            let max = b.get("max_items").and_then(Json::as_i64).unwrap_or(0);
            let nesting = b.get("nesting_mode").and_then(Json::as_str).unwrap_or("");
            let section = if min > 0 || nesting == "single" {
                Section::Required
            } else {
                Section::Optional
            };
            out.blocks.insert(
                name.clone(),
                DocNested {
                    kind: nested_kind(nesting, max),
                    section,
                    block: block_from_json(b.get("block").unwrap_or(&Json::Null)),
                },
            );
        }
    }
    out
}

fn blocks_from_json(schemas: Option<&Json>) -> BTreeMap<String, DocBlock> {
    schemas
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .map(|(name, s)| (name.clone(), block_from_json(&s["block"])))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the output of `terraform providers schema -json` for one provider address, such as
/// `registry.terraform.io/contactpro/contactpro`.
pub fn from_terraform_json(json: &Json, address: &str) -> Result<DocSchema, String> {
    let p = json
        .get("provider_schemas")
        .and_then(|s| s.get(address))
        .ok_or_else(|| format!("no schema for {address} in the Terraform output"))?;
    Ok(DocSchema {
        provider: block_from_json(&p["provider"]["block"]),
        resources: blocks_from_json(p.get("resource_schemas")),
        data_sources: blocks_from_json(p.get("data_source_schemas")),
        ephemeral_resources: p
            .get("ephemeral_resource_schemas")
            .map(|schemas| blocks_from_json(Some(schemas))),
    })
}
