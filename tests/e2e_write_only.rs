//! Write-only arguments (`contactpro_secret.secret_wo`, `contactpro_user.password_wo`) with the real
//! Terraform CLI against the emulator. Terraform 1.11 or newer (the one on PATH): values from
//! ephemeral variables are written on create and when the version changes, never otherwise, and
//! appear in no state file, `terraform show -json`, plan output or `TF_LOG=trace` log; each conflicts with its classic
//! attribute. Terraform 1.0.3, which does not announce write-only support: a clear plan-time error.
mod support;

use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, fingerprint, plan, workdir_for, Rci};
use support::terraform::{describe, flat, stdout};
use support::Terraform;

const SECRET: &str = "ri-apikey";
const LOGIN: &str = "api.writeonly";

const HEADER: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
"#;

/// Resources reading `var.ri_key` and `var.cmi_password` (declared by the caller) at `version`.
fn resources(version: u32) -> String {
    format!(
        r#"
resource "contactpro_secret" "ri" {{
  name              = "{SECRET}"
  type              = "header"
  secret_wo         = var.ri_key
  secret_wo_version = {version}
}}

resource "contactpro_user" "cmi" {{
  first_name                 = "CMI"
  last_name                  = "Write Only"
  login                      = "{LOGIN}"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
  password_wo                = var.cmi_password
  password_wo_version        = {version}
}}
"#
    )
}

fn ephemeral_config(version: u32) -> String {
    format!(
        r#"{HEADER}
variable "ri_key" {{
  type      = string
  ephemeral = true
}}
variable "cmi_password" {{
  type      = string
  ephemeral = true
}}
{}"#,
        resources(version)
    )
}

fn assert_no_trace(text: &str, values: &[&str], what: &str) {
    for value in values {
        assert!(
            !text.contains(value),
            "{what} contains a write-only value:\n{text}"
        );
    }
}

fn write_only_on_terraform_1_11(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(terraform, &rci);
    let (key_1, password_1) = ("ri-key-WRITE-ONLY-value-1", "Write-Only-Password-Number-1");
    let (key_2, password_2) = ("ri-key-WRITE-ONLY-value-2", "Write-Only-Password-Number-2");
    let all = [key_1, password_1, key_2, password_2];
    wd.env("TF_VAR_ri_key", key_1)
        .env("TF_VAR_cmi_password", password_1);
    // Terraform's and the provider's trace logs of every run below.
    let log = wd.enable_log("trace");

    wd.write_main_tf(&ephemeral_config(1));
    wd.init();
    // Terraform sees both arguments as write-only.
    let schema: serde_json::Value =
        serde_json::from_slice(&wd.run_ok(&["providers", "schema", "-json"]).stdout).unwrap();
    let resources = schema["provider_schemas"]
        .as_object()
        .and_then(|providers| providers.values().next())
        .map(|provider| &provider["resource_schemas"])
        .expect("our provider's schema");
    for (resource, attribute) in [
        ("contactpro_secret", "secret_wo"),
        ("contactpro_user", "password_wo"),
    ] {
        let attributes = &resources[resource]["block"]["attributes"];
        assert_eq!(attributes[attribute]["write_only"], true, "{attributes}");
        assert!(attributes[format!("{attribute}_version")]["write_only"].is_null());
    }
    let applied = stdout(&wd.apply());
    assert!(rci.secret_matches(SECRET, key_1), "secret_wo was written");
    assert!(
        rci.password_has_fingerprint(LOGIN, &fingerprint(password_1)),
        "password_wo was set on the user"
    );
    assert_no_trace(&applied, &all, "the apply output");

    // No trace in the state file, `terraform show -json` or a plan.
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert_no_trace(&state_text, &all, "the state file");
    let shown = stdout(&wd.run_ok(&["show", "-json"]));
    assert_no_trace(&shown, &all, "terraform show -json");
    let state = wd.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources");
    for resource in resources {
        let values = &resource["values"];
        let (wo, version) = match resource["type"].as_str() {
            Some("contactpro_secret") => ("secret_wo", "secret_wo_version"),
            _ => ("password_wo", "password_wo_version"),
        };
        assert!(values[wo].is_null(), "{wo} in state: {resource}");
        assert_eq!(values[version], "1", "{resource}");
    }
    let secret = resources
        .iter()
        .find(|r| r["type"] == "contactpro_secret")
        .unwrap();
    assert_eq!(secret["values"]["value_managed"], true);
    let (code, plan_text) = plan(&wd);
    assert_eq!(code, 0, "no changes after create:\n{plan_text}");
    assert_no_trace(&plan_text, &all, "the plan output");

    // New values without a new version: nothing to do, and nothing is written.
    wd.env("TF_VAR_ri_key", key_2)
        .env("TF_VAR_cmi_password", password_2);
    assert_no_changes(&wd, "changing only the values");
    wd.apply();
    assert!(rci.secret_matches(SECRET, key_1), "same version: kept");
    assert!(rci.password_has_fingerprint(LOGIN, &fingerprint(password_1)));

    // A new version writes the current values.
    wd.write_main_tf(&ephemeral_config(2));
    assert_plan_shows(
        &wd,
        "bumping the versions",
        &[
            "secret_wo_version",
            "password_wo_version",
            "update in-place",
        ],
    );
    let (_, plan_text) = plan(&wd);
    assert_no_trace(&plan_text, &all, "the plan output of the bump");
    let applied = stdout(&wd.apply());
    assert_no_trace(&applied, &all, "the apply output of the bump");
    assert!(rci.secret_matches(SECRET, key_2), "new version: written");
    assert!(!rci.secret_matches(SECRET, key_1));
    assert!(rci.password_has_fingerprint(LOGIN, &fingerprint(password_2)));
    assert_no_changes(&wd, "bumping the versions");
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert_no_trace(&state_text, &all, "the state file after the bump");

    // Each conflicts with its classic attribute: the plan fails naming both, writing nothing.
    let conflicting = ephemeral_config(2)
        .replace(
            "secret_wo         = var.ri_key",
            "secret_wo         = var.ri_key\n  secret = \"classic-value-000\"",
        )
        .replace(
            "password_wo                = var.cmi_password",
            "password_wo = var.cmi_password\n  password = \"Classic-Password-000001\"",
        );
    wd.write_main_tf(&conflicting);
    let refused = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = flat(&describe(&refused));
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Set either `secret` or `secret_wo`, not both"),
        "{text}"
    );
    assert!(
        text.contains("Set either `password` or `password_wo`, not both"),
        "{text}"
    );
    assert!(text.contains("contactpro_secret"), "{text}");
    assert!(text.contains("contactpro_user"), "{text}");
    assert_no_trace(&text, &all, "the conflict errors");
    assert!(rci.secret_matches(SECRET, key_2));

    // With user_credentials too.
    let with_credentials = ephemeral_config(2).replace(
        "secret_wo_version = 2",
        "secret_wo_version = 2\n  user_credentials {\n    user_id = contactpro_user.cmi.id\n  }",
    );
    wd.write_main_tf(&with_credentials);
    let refused = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = flat(&describe(&refused));
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Set either `secret_wo` or a `user_credentials` block"),
        "{text}"
    );

    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("ApplyResourceChange"), "a trace log");
    assert_no_trace(&logged, &all, "TF_LOG=trace");

    wd.write_main_tf(&ephemeral_config(2));
    wd.destroy();
    assert!(rci.secret_by_name(SECRET).is_none());
    assert!(rci.user_by_login(LOGIN).is_none());
}

/// The Terraform on PATH when it supports write-only arguments (1.11 or newer).
fn terraform_1_11() -> Option<Terraform> {
    Terraform::from_path_at_least(1, 11)
}

#[test]
fn write_only_arguments_on_terraform_1_11() {
    let Some(terraform) = terraform_1_11() else {
        eprintln!("no Terraform >= 1.11 on PATH: skipped");
        return;
    };
    write_only_on_terraform_1_11(&terraform);
}

/// A write-only argument is not marked sensitive (Terraform would list it in every instance's
/// `sensitive_attributes`, docs/performance.md): a plain, non-ephemeral value must still leave no
/// trace, because Terraform >= 1.11 never plans or stores it and shows "(write-only attribute)".
#[test]
fn a_plain_value_in_a_write_only_argument_leaves_no_trace() {
    let Some(terraform) = terraform_1_11() else {
        eprintln!("no Terraform >= 1.11 on PATH: skipped");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    let (key, password) = ("ri-key-PLAIN-write-only-1", "Plain-Write-Only-Password-1");
    wd.env("TF_VAR_ri_key", key)
        .env("TF_VAR_cmi_password", password);
    let log = wd.enable_log("trace");
    wd.write_main_tf(&format!(
        r#"{HEADER}
variable "ri_key" {{ type = string }}
variable "cmi_password" {{ type = string }}
output "ri_key_wo" {{ value = contactpro_secret.ri.secret_wo }}
{}"#,
        resources(1)
    ));
    wd.init();
    let applied = stdout(&wd.apply());
    assert!(
        applied.contains("secret_wo         = (write-only attribute)"),
        "{applied}"
    );
    assert!(rci.secret_matches(SECRET, key), "secret_wo was written");
    assert!(rci.password_has_fingerprint(LOGIN, &fingerprint(password)));
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    for (text, what) in [
        (applied, "the apply output"),
        (state_text, "the state file"),
        (
            stdout(&wd.run_ok(&["show", "-json"])),
            "terraform show -json",
        ),
        (
            stdout(&wd.run_ok(&["output", "-json"])),
            "terraform output -json",
        ),
        (std::fs::read_to_string(&log).unwrap(), "TF_LOG=trace"),
    ] {
        assert_no_trace(&text, &[key, password], what);
    }
}

/// Moving from `secret`/`password` to the write-only form writes the new value once and drops the
/// old one from the state.
#[test]
fn moving_from_classic_attributes_to_write_only() {
    let Some(terraform) = terraform_1_11() else {
        eprintln!("no Terraform >= 1.11 on PATH: skipped");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    let classic = resources(1)
        .replace(
            "secret_wo         = var.ri_key",
            "secret = \"ri-key-CLASSIC-value\"",
        )
        .replace("secret_wo_version = 1", "")
        .replace(
            "password_wo                = var.cmi_password",
            "password = \"Classic-Password-Value-01\"",
        )
        .replace("password_wo_version        = 1", "");
    wd.write_main_tf(&format!("{HEADER}{classic}"));
    wd.init();
    wd.apply();
    assert!(rci.secret_matches(SECRET, "ri-key-CLASSIC-value"));
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert!(
        state_text.contains("ri-key-CLASSIC-value"),
        "classic: in state"
    );

    let (key, password) = ("ri-key-MOVED-to-write-only", "Moved-To-Write-Only-Pass-1");
    wd.env("TF_VAR_ri_key", key)
        .env("TF_VAR_cmi_password", password);
    wd.write_main_tf(&ephemeral_config(1));
    assert_plan_shows(
        &wd,
        "moving to write-only",
        &[
            "secret_wo_version",
            "password_wo_version",
            "update in-place",
        ],
    );
    wd.apply();
    assert!(rci.secret_matches(SECRET, key), "secret_wo written");
    assert!(rci.password_has_fingerprint(LOGIN, &fingerprint(password)));
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert_no_trace(
        &state_text,
        &[
            key,
            password,
            "ri-key-CLASSIC-value",
            "Classic-Password-Value-01",
        ],
        "the state file after the move",
    );
    assert_no_changes(&wd, "moving to write-only");
}

/// The same plan-time tenant checks as `password` and `secret`: a tenant that offers only what the
/// product documentation shows lacks `users/{id}/authentication` and `secrets`.
#[test]
fn write_only_arguments_need_the_endpoints_at_plan() {
    let Some(terraform) = terraform_1_11() else {
        eprintln!("no Terraform >= 1.11 on PATH: skipped");
        return;
    };
    let emulator = EmulatorProcess::start_with_args(&["--profile", "documented"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    wd.env("TF_VAR_ri_key", "ri-key-DOCUMENTED-tenant")
        .env("TF_VAR_cmi_password", "Documented-Tenant-Password-1");
    wd.write_main_tf(&ephemeral_config(1));
    wd.init();
    let refused = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = flat(&describe(&refused));
    assert_eq!(refused.status.code(), Some(1), "{text}");
    for needle in [
        "contactpro_user: `password_wo` needs the RCI endpoint",
        "contactpro_secret: contactpro_secret needs the RCI endpoint `secrets`",
        "does not offer",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
    }
    assert_no_trace(
        &text,
        &["ri-key-DOCUMENTED-tenant", "Documented-Tenant-Password-1"],
        "the errors",
    );
    assert!(rci.user_by_login(LOGIN).is_none(), "nothing was created");
}

/// Terraform 1.0.3 announces no write-only support: it would store the value in plan and state.
#[test]
fn write_only_arguments_need_terraform_1_11() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    let config = format!(
        r#"{HEADER}
variable "ri_key" {{
  type      = string
  sensitive = true
  default   = "ri-key-OLD-terraform-value"
}}
variable "cmi_password" {{
  type      = string
  sensitive = true
  default   = "Old-Terraform-Password-0001"
}}
{}"#,
        resources(1)
    );
    wd.write_main_tf(&config);
    wd.init();
    let refused = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = flat(&describe(&refused));
    assert_eq!(refused.status.code(), Some(1), "{text}");
    for (resource, attribute) in [
        ("contactpro_secret", "secret_wo"),
        ("contactpro_user", "password_wo"),
    ] {
        let message = format!("{resource}: `{attribute}` needs Terraform 1.11 or newer");
        assert!(text.contains(&message), "lacks {message:?}:\n{text}");
    }
    assert_no_trace(
        &text,
        &["ri-key-OLD-terraform-value", "Old-Terraform-Password-0001"],
        "the errors",
    );
    assert!(rci.secret_by_name(SECRET).is_none(), "nothing was created");
    assert!(rci.user_by_login(LOGIN).is_none(), "nothing was created");
}
