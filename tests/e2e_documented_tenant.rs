//! The provider against a tenant that offers only what the product documentation shows
//! (`contactpro-emulator --profile documented`): no `users/{id}/authentication`, no
//! `users/{id}/rights`, no `secrets`, lists that return only the fields a query names, and PUTs that
//! replace the whole user.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, workdir_for, Rci};
use support::terraform::describe;
use support::{Terraform, TfWorkdir};

const PROVIDER: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
"#;

fn documented() -> EmulatorProcess {
    EmulatorProcess::start_with_args(&["--profile", "documented"])
}

fn user_config(title: &str, groups: &str) -> String {
    format!(
        r#"{PROVIDER}
resource "contactpro_user" "agent" {{
  first_name     = "Doc"
  last_name      = "Agent"
  login          = "doc.agent"
  email          = "doc.agent@example.com"
  title          = "{title}"
  external_id    = "ext-doc-1"
  user_group_ids = [{groups}]
}}

data "contactpro_user" "agent" {{
  login      = contactpro_user.agent.login
  depends_on = [contactpro_user.agent]
}}

output "email" {{ value = data.contactpro_user.agent.email }}
output "external_id" {{ value = data.contactpro_user.agent.external_id }}
"#
    )
}

/// Fields an agent has that Terraform does not manage, set by an admin outside Terraform.
fn unmanaged_fields() -> serde_json::Value {
    json!({
        "phone": "+358401234567",
        "mobile": "+358407654321",
        "chat": "doc.agent@chat.example.com",
        "chatName": "Doc",
        "settings": "Agent template",
        "forwardNumber": "+358409999999",
        "crmId": "CRM-42",
    })
}

fn lifecycle(terraform: &Terraform) {
    let emulator = documented();
    let rci = Rci::new(emulator.base_url(), "demo");
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    let wd = workdir_for(terraform, &rci);

    wd.write_main_tf(&user_config("Agent", &format!("{agents:?}")));
    wd.init();
    wd.apply();
    let user = rci.user_by_login("doc.agent").expect("user created");
    let id = user["id"].as_str().unwrap().to_string();
    let groups = rci.list(&format!("users/{id}/userGroups"));
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["id"], agents.as_str());
    let outputs = wd.output_json();
    assert_eq!(outputs["email"]["value"], "doc.agent@example.com");
    assert_eq!(outputs["external_id"]["value"], "ext-doc-1");
    assert_no_changes(&wd, "create");

    // An admin fills in the agent's phone and chat: GET, then PUT the same body with them.
    let mut body = rci.get_ok(&format!("users/{id}"));
    for (field, value) in unmanaged_fields().as_object().unwrap() {
        body[field] = value.clone();
    }
    assert_eq!(rci.put(&format!("users/{id}"), body), 204);

    // A Terraform update of `title` keeps every field Terraform does not manage.
    wd.write_main_tf(&user_config("Senior agent", &format!("{agents:?}")));
    wd.apply();
    let after = rci.get_ok(&format!("users/{id}"));
    assert_eq!(after["title"], "Senior agent");
    for (field, value) in unmanaged_fields().as_object().unwrap() {
        assert_eq!(
            &after[field], value,
            "{field} was blanked by the update: {after}"
        );
    }
    assert_no_changes(&wd, "update");

    // Import by login: nothing to change, nothing blanked.
    wd.run_ok(&["state", "rm", "contactpro_user.agent"]);
    wd.import("contactpro_user.agent", "doc.agent");
    assert_no_changes(&wd, "import");

    wd.destroy();
    assert!(rci.user_by_login("doc.agent").is_none());
}

#[test]
fn documented_tenant_user_lifecycle_keeps_unmanaged_fields() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        lifecycle(&terraform);
    }
}

/// `terraform plan` fails, naming the endpoint, and the tenant is unchanged.
fn assert_refused_at_plan(wd: &TfWorkdir, rci: &Rci, config: &str, endpoint: &str) {
    wd.write_main_tf(config);
    let users_before = rci.list("users").len();
    let out = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = describe(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "plan should fail for {endpoint}:\n{text}"
    );
    for needle in [endpoint, "does not offer", "System Configurator"] {
        assert!(
            text.contains(needle),
            "plan output lacks {needle:?}:\n{text}"
        );
    }
    assert_eq!(
        rci.list("users").len(),
        users_before,
        "a plan wrote to the tenant"
    );
    let apply = wd.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(
        !apply.status.success(),
        "apply went through: {}",
        describe(&apply)
    );
    assert_eq!(
        rci.list("users").len(),
        users_before,
        "apply created something"
    );
}

#[test]
fn documented_tenant_refuses_undocumented_endpoints_at_plan() {
    let terraform = Terraform::v1_0_3();
    let emulator = documented();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&terraform, &rci);
    wd.write_main_tf(PROVIDER);
    wd.init();

    let user = r#"
resource "contactpro_user" "api" {
  first_name = "Api"
  last_name  = "Doc"
  login      = "api.doc"
}
"#;
    let secret = format!(
        r#"{PROVIDER}{user}
resource "contactpro_secret" "ri" {{
  name   = "ri-apikey"
  type   = "header"
  secret = "not-a-real-key-but-long-enough"
}}
"#
    );
    assert_refused_at_plan(&wd, &rci, &secret, "`secrets`");

    let rights = format!(
        r#"{PROVIDER}{user}
resource "contactpro_user_rights" "api" {{
  user_id = contactpro_user.api.id
  right {{
    object_type = "user"
    object_id   = contactpro_user.api.id
    access      = ["view"]
  }}
}}
"#
    );
    assert_refused_at_plan(&wd, &rci, &rights, "`users/{id}/rights`");

    let password = format!(
        r#"{PROVIDER}
resource "contactpro_user" "api" {{
  first_name = "Api"
  last_name  = "Doc"
  login      = "api.doc"
  password   = "Correct-Horse-Battery-Staple-1"
}}
"#
    );
    assert_refused_at_plan(&wd, &rci, &password, "`users/{id}/authentication`");
    assert!(rci.user_by_login("api.doc").is_none());
}

/// A user created with a password on a full tenant, then served without the authentication
/// endpoint: refresh keeps it in state (a 404 there is not "deleted"), and `title` still updates.
#[test]
fn a_missing_sub_resource_keeps_the_state() {
    let terraform = Terraform::v1_0_3();
    let mut emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&terraform, &rci);
    let config = |title: &str| {
        format!(
            r#"{PROVIDER}
resource "contactpro_user" "api" {{
  first_name                 = "Api"
  last_name                  = "Kept"
  login                      = "api.kept"
  title                      = "{title}"
  password                   = "Correct-Horse-Battery-Staple-1"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
}}
"#
        )
    };
    wd.write_main_tf(&config("Integration"));
    wd.init();
    wd.apply();
    let id = rci.user_by_login("api.kept").expect("created")["id"].clone();

    emulator.restart_with_args(vec!["--profile".into(), "documented".into()]);
    // A new client: the old one's pooled connection died with the first process.
    let rci = Rci::new(emulator.base_url(), "demo");
    assert_eq!(
        rci.get(&format!("users/{}/authentication", id.as_str().unwrap()))
            .0,
        404,
        "the documented profile lacks the endpoint"
    );
    assert_no_changes(&wd, "the tenant lost users/{id}/authentication");
    let state = wd.state_json().to_string();
    assert!(
        state.contains(id.as_str().unwrap()),
        "the user left the state: {state}"
    );

    wd.write_main_tf(&config("Integration user"));
    wd.apply();
    let user = rci.get_ok(&format!("users/{}", id.as_str().unwrap()));
    assert_eq!(user["title"], "Integration user");
    assert_eq!(user["login"], "api.kept");
    assert_no_changes(&wd, "updating the title");
}
