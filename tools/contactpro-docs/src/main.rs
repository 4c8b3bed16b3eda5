//! contactpro-docs: keeps docs/ true to the provider's schema.
//!
//! `generate` rewrites the generated regions of every page (the "## Schema" section between
//! `<!-- schema:begin -->` / `<!-- schema:end -->`, and each example between
//! `<!-- example:begin path=... -->` / `<!-- example:end -->`), creating a skeleton page for a type
//! that has none. `check` changes nothing and exits 1 listing every mismatch.
//!
//! The schema is read in process from the library, so no Terraform is needed here; the test
//! `tests/docs_schema.rs` runs the same checker against `terraform providers schema -json`.

mod model;
mod pages;
mod render;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use contactpro::provider::ContactProProvider;
use model::{nested_kind, DocAttribute, DocBlock, DocNested, DocSchema, Section};
use tf_provider::schema::{AttributeConstraint, AttributeType, Block, NestedBlock};
use tf_provider::{Diagnostics, Provider};

fn type_name(t: &AttributeType) -> String {
    match t {
        AttributeType::String => "String".into(),
        AttributeType::Number => "Number".into(),
        AttributeType::Bool => "Boolean".into(),
        AttributeType::List(inner) => format!("List of {}", type_name(inner)),
        AttributeType::Set(inner) => format!("Set of {}", type_name(inner)),
        AttributeType::Map(inner) => format!("Map of {}", type_name(inner)),
        AttributeType::Any => "Dynamic".into(),
        _ => "Object".into(),
    }
}

/// `write_only`: the names of this block's write-only attributes (a resource's top level only).
fn doc_block(block: &Block, write_only: &[String]) -> DocBlock {
    let attributes = block
        .attributes
        .iter()
        .map(|(name, a)| {
            let section = match a.constraint {
                AttributeConstraint::Required => Section::Required,
                AttributeConstraint::Optional | AttributeConstraint::OptionalComputed => {
                    Section::Optional
                }
                AttributeConstraint::Computed => Section::ReadOnly,
            };
            let doc = DocAttribute {
                type_name: type_name(&a.attr_type),
                section,
                sensitive: a.sensitive,
                write_only: write_only.contains(name),
                description: a.description.content.clone(),
            };
            (name.clone(), doc)
        })
        .collect();
    // Mirrors how tf-provider 0.2.2 declares each nesting to Terraform (min/max items).
    let blocks = block
        .blocks
        .iter()
        .map(|(name, nested)| {
            let (nesting, max, required, inner) = match nested {
                NestedBlock::Single(b) => ("single", 1, true, b),
                NestedBlock::List(b) => ("list", 0, false, b),
                NestedBlock::Set(b) => ("set", 0, false, b),
                NestedBlock::Map(b) => ("map", 0, false, b),
                NestedBlock::Group(b) => ("group", 0, false, b),
                NestedBlock::Optional(b) => ("list", 1, false, b),
            };
            let doc = DocNested {
                kind: nested_kind(nesting, max),
                section: if required {
                    Section::Required
                } else {
                    Section::Optional
                },
                block: doc_block(inner, &[]),
            };
            (name.clone(), doc)
        })
        .collect();
    DocBlock {
        description: block.description.content.clone(),
        attributes,
        blocks,
    }
}

fn schema_in_process() -> Result<DocSchema, String> {
    let provider = ContactProProvider::default();
    let mut diags = Diagnostics::default();
    let prefix = format!("{}_", pages::PROVIDER_NAME);
    let provider_schema = provider.schema(&mut diags).ok_or("no provider schema")?;
    let write_only = contactpro::resources::write_only_attributes();
    let mut resources = BTreeMap::new();
    for (name, r) in provider.get_resources(&mut diags).unwrap_or_default() {
        let s = r
            .schema(&mut diags)
            .ok_or(format!("no schema for {name}"))?;
        let type_name = format!("{prefix}{name}");
        let write_only: Vec<String> = write_only
            .iter()
            .filter(|(resource, _)| *resource == type_name)
            .map(|(_, attribute)| attribute.clone())
            .collect();
        resources.insert(type_name, doc_block(&s.block, &write_only));
    }
    let mut data_sources = BTreeMap::new();
    for (name, d) in provider.get_data_sources(&mut diags).unwrap_or_default() {
        let s = d
            .schema(&mut diags)
            .ok_or(format!("no schema for {name}"))?;
        data_sources.insert(format!("{prefix}{name}"), doc_block(&s.block, &[]));
    }
    let ephemeral_resources = contactpro::ephemeral::all()
        .into_iter()
        .map(|(name, e)| (format!("{prefix}{name}"), doc_block(&e.schema().block, &[])))
        .collect();
    if !diags.errors.is_empty() {
        return Err(format!("schema diagnostics: {:?}", diags.errors));
    }
    Ok(DocSchema {
        provider: doc_block(&provider_schema.block, &[]),
        resources,
        data_sources,
        ephemeral_resources: Some(ephemeral_resources),
    })
}

const USAGE: &str = "usage: contactpro-docs <generate|check> [--root <repository root>] [--schema-json <file>]\n  --schema-json: read the schema from `terraform providers schema -json` output instead of in process";

/// The schema from `terraform providers schema -json` output, which is what users' Terraform sees.
fn schema_from_file(path: &str) -> Result<DocSchema, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    model::from_terraform_json(&json, pages::PROVIDER_ADDRESS)
}

fn option<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, ExitCode> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args.get(i + 1).map(|v| Some(v.as_str())).ok_or_else(|| {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (root, schema_json) = match (option(&args, "--root"), option(&args, "--schema-json")) {
        (Ok(root), Ok(json)) => (root, json),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    // Cargo runs binaries from anywhere; the docs live at the repository root, two levels up.
    let root = root.map(PathBuf::from).unwrap_or_else(|| {
        let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest_dir
            .ancestors()
            .nth(2)
            .unwrap_or(manifest_dir)
            .to_path_buf()
    });
    let schema = match schema_json.map_or_else(schema_in_process, schema_from_file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("contactpro-docs: {e}");
            return ExitCode::FAILURE;
        }
    };
    match args.first().map(String::as_str) {
        Some("generate") => match pages::generate(&root, &schema) {
            Ok(changed) => {
                for path in &changed {
                    println!("updated {}", path.display());
                }
                println!("contactpro-docs: {} page(s) updated", changed.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("contactpro-docs: {e}");
                ExitCode::FAILURE
            }
        },
        Some("check") => {
            let problems = pages::check(&root, &schema);
            for p in &problems {
                eprintln!("{p}");
            }
            if problems.is_empty() {
                println!("contactpro-docs: docs match the schema");
                ExitCode::SUCCESS
            } else {
                eprintln!("contactpro-docs: {} problem(s)", problems.len());
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
