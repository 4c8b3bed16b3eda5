//! Issue 13's smaller defects, with the real Terraform CLI: `max_retries` out of range fails at
//! `terraform validate` (not only at plan), and the `contactpro_user` data source reports the
//! user's groups, roles and authentication fields, with nulls (not an error) on a tenant
//! without the undocumented `users/{id}/authentication` endpoint.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{workdir_for, Rci};
use support::terraform::describe;
use support::{bins, Terraform, TfWorkdir};

const HEADER: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
"#;

/// Terraform validates a provider block only when something uses the provider.
const USES_PROVIDER: &str = "data \"contactpro_user_group\" \"all\" {\n  name = \"All Users\"\n}\n";

#[test]
fn max_retries_out_of_range_fails_validate() {
    for terraform in Terraform::all() {
        let wd = TfWorkdir::new(&terraform, &bins::provider_binary());
        wd.write_main_tf(&format!(
            "{HEADER}\nprovider \"contactpro\" {{\n  max_retries     = 99\n  request_timeout = 0\n}}\n{USES_PROVIDER}"
        ));
        wd.init();
        let out = wd.run(&["validate", "-no-color"]);
        let text = describe(&out);
        assert!(
            !out.status.success(),
            "v{}: validate accepted max_retries = 99: {text}",
            terraform.version
        );
        assert!(text.contains("max_retries"), "{text}");
        assert!(text.contains("99 is out of range: use 0 to 20"), "{text}");
        assert!(text.contains("request_timeout"), "{text}");

        // In range, and values only known later (a variable), still validate.
        wd.write_main_tf(&format!(
            "{HEADER}\nvariable \"retries\" {{\n  type    = number\n  default = 99\n}}\nprovider \"contactpro\" {{\n  max_retries = 3\n}}\nprovider \"contactpro\" {{\n  alias       = \"late\"\n  max_retries = var.retries\n}}\n"
        ));
        let out = wd.run(&["validate", "-no-color"]);
        assert!(out.status.success(), "{}", describe(&out));
    }
}

const DATA_SOURCE: &str = r#"
provider "contactpro" {}

data "contactpro_user" "api" {
  login = "api.lookup"
}

output "user" {
  value = data.contactpro_user.api
}
"#;

/// Makes `api.lookup` in Sample Agents Group with the role "CC Agent"; its id and the two ids.
fn seed_user(rci: &Rci) -> (String, String, String) {
    let (status, created) = rci.post(
        "users",
        json!({"firstName": "Api", "surname": "Lookup", "login": "api.lookup"}),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let group = rci.id_by_name("userGroups", "Sample Agents Group");
    let role = rci.id_by_name("roles", "CC Agent");
    let (status, body) = rci.post(&format!("users/{id}/userGroups"), json!({"id": group}));
    assert_eq!(status, 201, "{body}");
    let (status, body) = rci.post(&format!("users/{id}/roles"), json!({"id": role}));
    assert_eq!(status, 201, "{body}");
    (id, group, role)
}

fn user_data_source(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let (id, group, role) = seed_user(&rci);
    let service_account = json!({"login": "api.lookup", "serviceAccount": true,
        "serviceAccountExpiration": "2030-06-30T00:00:00Z",
        "password": "Correct-Horse-Battery-Staple-1"});
    assert_eq!(
        rci.put(&format!("users/{id}/authentication"), service_account),
        204
    );
    let wd = workdir_for(terraform, &rci);
    wd.write_main_tf(&format!("{HEADER}{DATA_SOURCE}"));
    wd.init();
    wd.apply();
    let user = &wd.output_json()["user"]["value"];
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["user_group_ids"], json!([group]));
    assert_eq!(user["role_ids"], json!([role]));
    assert_eq!(user["service_account"], true);
    assert_eq!(user["service_account_expires_at"], "2030-06-30T00:00:00Z");
    assert!(
        user["password_expires_at"].as_str().is_some(),
        "password_expires_at: {user}"
    );
}

#[test]
fn user_data_source_reports_memberships_and_authentication() {
    for terraform in Terraform::all() {
        user_data_source(&terraform);
    }
}

/// The documented profile has no `users/{id}/authentication`: those attributes are null.
#[test]
fn user_data_source_on_a_documented_tenant() {
    let Some(terraform) = Terraform::from_path() else {
        return;
    };
    let emulator = EmulatorProcess::start_with_args(&["--profile", "documented"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let (id, group, role) = seed_user(&rci);
    let wd = workdir_for(&terraform, &rci);
    wd.write_main_tf(&format!("{HEADER}{DATA_SOURCE}"));
    wd.init();
    wd.apply();
    let user = &wd.output_json()["user"]["value"];
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["user_group_ids"], json!([group]));
    assert_eq!(user["role_ids"], json!([role]));
    assert!(user["service_account"].is_null(), "{user}");
    assert!(user["service_account_expires_at"].is_null(), "{user}");
}

/// `right` is a set block without a limit: Terraform must not see 2^63-1 as its maximum.
#[test]
fn right_block_reports_no_max_items() {
    for terraform in Terraform::all() {
        let wd = TfWorkdir::new(&terraform, &bins::provider_binary());
        wd.write_main_tf(&format!("{HEADER}\nprovider \"contactpro\" {{}}\n"));
        wd.init();
        let out = wd.run_ok(&["providers", "schema", "-json"]);
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let provider = schema["provider_schemas"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone();
        let right = &provider["resource_schemas"]["contactpro_user_rights"]["block"]["block_types"]
            ["right"];
        assert_eq!(right["nesting_mode"], "set", "{right}");
        let max = right["max_items"].as_u64().unwrap_or(0);
        assert_eq!(max, 0, "v{}: right.max_items = {max}", terraform.version);
        // The one-item block keeps its limit.
        let credentials = &provider["resource_schemas"]["contactpro_secret"]["block"]
            ["block_types"]["user_credentials"];
        assert_eq!(credentials["max_items"], 1, "{credentials}");
    }
}
