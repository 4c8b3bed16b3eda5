//! The docs are true to the schema Terraform sees: every attribute in
//! `terraform providers schema -json` is on its page, in the right section and with the right type,
//! and no page documents an attribute the schema does not have. Terraform 1.0.3 reports resources and
//! data sources; the Terraform on PATH, when 1.10 or newer, ephemeral resources too. Also: the checker
//! itself catches a doctored page.

mod support;

#[allow(dead_code)]
#[path = "../tools/contactpro-docs/src/model.rs"]
mod model;
#[allow(dead_code)]
#[path = "../tools/contactpro-docs/src/pages.rs"]
mod pages;
#[allow(dead_code)]
#[path = "../tools/contactpro-docs/src/render.rs"]
mod render;

use model::DocSchema;
use support::terraform::{repo_root, PROVIDER_SOURCE};
use support::{bins, Terraform, TfWorkdir};

/// The provider's schema as `terraform providers schema -json` of Terraform 1.0.3 reports it.
fn terraform_schema() -> DocSchema {
    schema_of(&Terraform::v1_0_3())
}

/// Terraform before 1.11 does not report write-only arguments: the provider's own list of them
/// stands in (Terraform 1.11's report of them is checked in e2e_write_only).
fn schema_of(terraform: &Terraform) -> DocSchema {
    let mut schema = reported_schema(terraform);
    if !terraform.is_at_least(1, 11) {
        for (resource, attribute) in contactpro::resources::write_only_attributes() {
            let block = schema.resources.get_mut(&resource).expect("resource");
            block
                .attributes
                .get_mut(&attribute)
                .expect("attribute")
                .write_only = true;
        }
    }
    schema
}

fn reported_schema(terraform: &Terraform) -> DocSchema {
    let wd = TfWorkdir::new(terraform, &bins::provider_binary());
    wd.write_main_tf(
        "terraform {\n  required_providers {\n    contactpro = {\n      source = \"contactpro/contactpro\"\n    }\n  }\n}\n",
    );
    wd.init();
    let out = wd.run_ok(&["providers", "schema", "-json"]);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("schema -json is JSON");
    model::from_terraform_json(&json, PROVIDER_SOURCE).expect("our provider's schema")
}

#[test]
fn every_page_matches_the_terraform_schema() {
    let schema = terraform_schema();
    assert!(
        schema.resources.len() >= 3 && schema.data_sources.len() >= 5,
        "suspiciously small schema: {:?} / {:?}",
        schema.resources.keys(),
        schema.data_sources.keys()
    );
    let problems = pages::check(&repo_root(), &schema);
    assert!(
        problems.is_empty(),
        "docs/ does not match `terraform providers schema -json` (fix the page, or run `cargo run --bin contactpro-docs -- generate`):\n{}",
        problems.join("\n")
    );
}

#[test]
fn doctored_real_pages_fail_against_the_terraform_schema() {
    let schema = terraform_schema();
    let block = &schema.resources["contactpro_secret"];
    let page = std::fs::read_to_string(repo_root().join("docs/resources/secret.md")).unwrap();
    assert!(pages::check_page("secret.md", &page, block).is_empty());

    let removed: String = page
        .lines()
        .filter(|l| !l.starts_with("- `rotation` "))
        .map(|l| format!("{l}\n"))
        .collect();
    let problems = pages::check_page("secret.md", &removed, block);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`user_credentials.rotation` is in the schema but missing")),
        "{problems:?}"
    );

    let not_write_only = page.replace(
        "- `secret_wo` (String, Write-only)",
        "- `secret_wo` (String)",
    );
    assert_ne!(not_write_only, page);
    let problems = pages::check_page("secret.md", &not_write_only, block);
    assert!(
        problems.iter().any(|p| p.contains("`secret_wo` is documented as Optional (String) but the schema says Optional (String, Write-only)")),
        "{problems:?}"
    );

    let extra = page.replace(
        "### Read-Only\n",
        "### Read-Only\n\n- `not_in_schema` (String) Made up.\n",
    );
    let problems = pages::check_page("secret.md", &extra, block);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`not_in_schema` is documented but the schema has no such")),
        "{problems:?}"
    );
}

#[test]
fn every_page_matches_the_schema_of_a_terraform_with_ephemeral_resources() {
    let Some(terraform) = Terraform::from_path_at_least(1, 10) else {
        eprintln!("no Terraform >= 1.10 on PATH: skipped");
        return;
    };
    let schema = schema_of(&terraform);
    let ephemeral = schema
        .ephemeral_resources
        .as_ref()
        .expect("ephemeral_resource_schemas");
    assert_eq!(
        ephemeral.keys().collect::<Vec<_>>(),
        ["contactpro_password"],
        "Terraform {}",
        terraform.version
    );
    let problems = pages::check(&repo_root(), &schema);
    assert!(
        problems.is_empty(),
        "docs/ does not match `terraform providers schema -json` of Terraform {}:\n{}",
        terraform.version,
        problems.join("\n")
    );

    // A doctored ephemeral page fails against it.
    let rel = "docs/ephemeral-resources/password.md";
    let page = std::fs::read_to_string(repo_root().join(rel)).unwrap();
    let block = &ephemeral["contactpro_password"];
    assert!(pages::check_page(rel, &page, block).is_empty());
    let moved = page.replace("- `result` (String, Sensitive)", "- `result` (String)");
    let problems = pages::check_page(rel, &moved, block);
    assert!(
        problems.iter().any(|p| p.contains("`result` is documented as Read-Only (String) but the schema says Read-Only (String, Sensitive)")),
        "{problems:?}"
    );
}
