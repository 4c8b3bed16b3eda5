//! contactpro_secret with the real Terraform CLI against the emulator: create, no-change re-plan,
//! update (metadata and value), drift, deletion outside Terraform, import by name and id, replace
//! on type change, destroy; the tenant checked after each step.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, workdir_for, Rci};
use support::Terraform;

fn config(description: &str, value: &str, oauth_url: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_secret" "ri" {{
  name        = "ri-apikey"
  description = "{description}"
  type        = "header"
  secret      = "{value}"
}}

resource "contactpro_secret" "crm" {{
  name              = "crm-oauth"
  type              = "oauth"
  authentication_id = "crm-client"
  access_token_url  = "{oauth_url}"
  secret            = "crm-client-secret-1"
}}
"#
    )
}

fn secret_lifecycle(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(terraform, &rci);

    wd.write_main_tf(&config(
        "RI key",
        "ri-key-value-1",
        "https://auth.example.com/token",
    ));
    wd.init();
    wd.apply();
    let ri = rci.secret_by_name("ri-apikey").expect("created");
    let ri_id = ri["id"].as_str().unwrap().to_string();
    assert_eq!(ri["type"], "header");
    assert_eq!(ri["secretSet"], true);
    assert!(rci.secret_matches("ri-apikey", "ri-key-value-1"));
    let crm = rci.secret_by_name("crm-oauth").expect("created");
    assert_eq!(crm["authenticationId"], "crm-client");
    assert_no_changes(&wd, "create");
    // No private state: Terraform rewrites the whole file after each instance, so bytes per
    // instance are apply time at scale (docs/performance.md).
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wd.dir().join("terraform.tfstate")).unwrap())
            .unwrap();
    for resource in file["resources"].as_array().unwrap() {
        for instance in resource["instances"].as_array().unwrap() {
            assert!(instance.get("private").is_none(), "{instance}");
        }
    }

    // Update: description and value in place; the value is sent because it changed.
    wd.write_main_tf(&config(
        "RI API key",
        "ri-key-value-2",
        "https://auth.example.com/token",
    ));
    assert_plan_shows(
        &wd,
        "editing",
        &["update in-place", "\"RI key\" -> \"RI API key\""],
    );
    wd.apply();
    assert_eq!(
        rci.get_ok(&format!("secrets/{ri_id}"))["description"],
        "RI API key"
    );
    assert!(rci.secret_matches("ri-apikey", "ri-key-value-2"));
    assert!(!rci.secret_matches("ri-apikey", "ri-key-value-1"));
    assert_no_changes(&wd, "update");

    // Drift of metadata is seen and repaired; the value is kept by a PUT without it.
    let mut changed = rci.get_ok(&format!("secrets/{ri_id}"));
    for field in ["id", "secretSet"] {
        changed.as_object_mut().unwrap().remove(field);
    }
    changed["description"] = json!("edited in System Configurator");
    assert_eq!(rci.put(&format!("secrets/{ri_id}"), changed), 204);
    assert_plan_shows(&wd, "drift", &["edited in System Configurator"]);
    wd.apply();
    assert_eq!(
        rci.get_ok(&format!("secrets/{ri_id}"))["description"],
        "RI API key"
    );
    assert!(rci.secret_matches("ri-apikey", "ri-key-value-2"));
    assert_no_changes(&wd, "repairing drift");

    // Deleted outside Terraform: re-created with the configured value.
    assert_eq!(rci.delete(&format!("secrets/{ri_id}")), 204);
    assert_plan_shows(&wd, "deletion outside Terraform", &["will be created"]);
    wd.apply();
    assert!(rci.secret_matches("ri-apikey", "ri-key-value-2"));
    assert_no_changes(&wd, "re-creating");

    // Import by name and by id: the value is never returned, so the first plan writes it.
    let new_id = rci.secret_by_name("ri-apikey").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for import_id in ["ri-apikey", new_id.as_str()] {
        wd.run_ok(&["state", "rm", "contactpro_secret.ri"]);
        wd.import("contactpro_secret.ri", import_id);
        let shown = wd.state_show("contactpro_secret.ri");
        let flat = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!("id = \"{new_id}\"")),
            "imported by {import_id}:\n{shown}"
        );
        assert!(
            shown.contains("RI API key"),
            "imported by {import_id}:\n{shown}"
        );
        // The existing secret is updated (its value written), never created again.
        assert_plan_shows(
            &wd,
            "import",
            &[
                "contactpro_secret.ri will be updated in-place",
                "Plan: 0 to add, 1 to change, 0 to destroy.",
            ],
        );
    }
    rci.reset_stats();
    wd.apply();
    assert_no_changes(&wd, "applying after import");
    let stats = rci.stats();
    assert_eq!(
        stats["byRoute"]["POST secrets"],
        serde_json::Value::Null,
        "no create after import: {stats}"
    );
    assert_eq!(
        stats["byStatus"]["PUT secrets/{id} 204"], 1,
        "one write of the value: {stats}"
    );
    assert_eq!(
        rci.secret_by_name("ri-apikey").unwrap()["id"],
        new_id.as_str()
    );
    assert!(rci.secret_matches("ri-apikey", "ri-key-value-2"));

    // A type change replaces the secret.
    wd.write_main_tf(
        &config(
            "RI API key",
            "ri-key-value-2",
            "https://auth.example.com/token",
        )
        .replace(
            "type        = \"header\"",
            "type        = \"basic\"\n  authentication_id = \"ri\"",
        ),
    );
    assert_plan_shows(&wd, "changing the type", &["must be replaced"]);
    wd.apply();
    assert_eq!(rci.secret_by_name("ri-apikey").unwrap()["type"], "basic");
    assert_no_changes(&wd, "replacing");

    wd.destroy();
    assert!(rci.secret_by_name("ri-apikey").is_none());
    assert!(rci.secret_by_name("crm-oauth").is_none());
    assert!(
        rci.secret_by_name("orchestration-layer").is_some(),
        "destroy touched only ours"
    );
}

#[test]
fn secret_lifecycle_on_every_terraform() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        secret_lifecycle(&terraform);
    }
}
