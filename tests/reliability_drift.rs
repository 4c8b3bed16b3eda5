//! Issue #6 item 4, the cases tests/e2e_*.rs leave out: drift of role memberships (added and
//! removed outside Terraform while `role_ids` is set), of a right's access types, of a user's
//! authentication tab, of a secret's authentication id, and a user deleted together with its
//! rights. Each drift is made through the RCI; the plan shows it and the apply repairs it.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, workdir_for, Rci};
use support::Terraform;

const LOGIN: &str = "drift.user";
const SECRET: &str = "drift-secret";
const SECRET_VALUE: &str = "drift-secret-value-1";

fn config(role: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

data "contactpro_queue_group" "chat" {{
  name = "Chat Queues"
}}

resource "contactpro_user" "u" {{
  first_name                 = "Drift"
  last_name                  = "User"
  login                      = "{LOGIN}"
  password                   = "Drift-Test-Password-1"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
  role_ids                   = ["{role}"]
}}

resource "contactpro_user_rights" "u" {{
  user_id = contactpro_user.u.id
  right {{
    object_type = "queue_group"
    object_id   = data.contactpro_queue_group.chat.id
    access      = ["view", "manage_contact_history"]
  }}
}}

resource "contactpro_secret" "s" {{
  name              = "{SECRET}"
  type              = "basic"
  authentication_id = contactpro_user.u.login
  secret            = "{SECRET_VALUE}"
}}
"#
    )
}

fn ids(items: Vec<serde_json::Value>) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn access_of(right: &serde_json::Value) -> Vec<String> {
    let mut access: Vec<String> = right["accessTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    access.sort();
    access
}

#[test]
fn drift_of_roles_rights_authentication_and_secrets_is_shown_and_repaired() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let agent_role = rci.id_by_name("roles", "CC Agent");
    let supervisor_role = rci.id_by_name("roles", "CC Supervisor");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    wd.write_main_tf(&config(&agent_role));
    wd.init();
    wd.apply();
    let id = rci.user_by_login(LOGIN).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        ids(rci.list(&format!("users/{id}/roles"))),
        vec![agent_role.clone()]
    );
    assert_no_changes(&wd, "create");

    // A role added outside Terraform: role_ids is authoritative, so the apply removes it.
    let (status, _) = rci.post(&format!("users/{id}/roles"), json!({"id": supervisor_role}));
    assert_eq!(status, 201);
    assert_plan_shows(&wd, "a role added outside", &["role_ids", &supervisor_role]);
    wd.apply();
    assert_eq!(
        ids(rci.list(&format!("users/{id}/roles"))),
        vec![agent_role.clone()]
    );
    assert_no_changes(&wd, "removing the extra role");

    // The configured role removed outside: the apply adds it back.
    assert_eq!(rci.delete(&format!("users/{id}/roles/{agent_role}")), 204);
    assert_plan_shows(&wd, "a role removed outside", &["role_ids", &agent_role]);
    wd.apply();
    assert_eq!(
        ids(rci.list(&format!("users/{id}/roles"))),
        vec![agent_role.clone()]
    );
    assert_no_changes(&wd, "restoring the role");

    // A right's access types narrowed outside: the apply restores them on the same right.
    let right = rci.list(&format!("users/{id}/rights")).remove(0);
    let right_id = right["id"].as_str().unwrap().to_string();
    let mut narrowed = right.clone();
    narrowed.as_object_mut().unwrap().remove("id");
    narrowed["accessTypes"] = json!(["View"]);
    assert_eq!(
        rci.put(&format!("users/{id}/rights/{right_id}"), narrowed),
        204
    );
    assert_plan_shows(&wd, "a right narrowed outside", &["manage_contact_history"]);
    wd.apply();
    let rights = rci.list(&format!("users/{id}/rights"));
    assert_eq!(rights.len(), 1, "{rights:?}");
    assert_eq!(access_of(&rights[0]), ["ManageContactHistory", "View"]);
    assert_no_changes(&wd, "restoring the right");

    // The authentication tab changed outside (no longer a service account); the password stays.
    let authentication = json!({"login": LOGIN, "serviceAccount": false,
                                "serviceAccountExpiration": null});
    assert_eq!(
        rci.put(&format!("users/{id}/authentication"), authentication),
        204
    );
    assert_plan_shows(
        &wd,
        "authentication changed outside",
        &["service_account", "false -> true"],
    );
    wd.apply();
    let authentication = rci.get_ok(&format!("users/{id}/authentication"));
    assert_eq!(authentication["serviceAccount"], true);
    assert_eq!(
        authentication["serviceAccountExpiration"],
        "2030-06-30T00:00:00Z"
    );
    assert_no_changes(&wd, "restoring the authentication");

    // The secret's user name changed outside: repaired, and the stored value is kept.
    let secret = rci.secret_by_name(SECRET).unwrap();
    let secret_id = secret["id"].as_str().unwrap().to_string();
    let mut changed = secret.clone();
    for field in ["id", "secretSet"] {
        changed.as_object_mut().unwrap().remove(field);
    }
    changed["authenticationId"] = json!("someone.else");
    assert_eq!(rci.put(&format!("secrets/{secret_id}"), changed), 204);
    assert_plan_shows(
        &wd,
        "a secret changed outside",
        &["\"someone.else\" -> \"drift.user\""],
    );
    wd.apply();
    let secret = rci.get_ok(&format!("secrets/{secret_id}"));
    assert_eq!(secret["authenticationId"], LOGIN);
    assert!(rci.secret_matches(SECRET, SECRET_VALUE));
    assert_no_changes(&wd, "repairing the secret");

    // The user deleted outside takes its rights and roles with it: both resources come back.
    assert_eq!(rci.delete(&format!("users/{id}")), 204);
    assert_plan_shows(
        &wd,
        "the user deleted outside",
        &[
            "contactpro_user.u will be created",
            "contactpro_user_rights.u will be created",
        ],
    );
    rci.reset_stats();
    wd.apply();
    let stats = rci.stats();
    assert_eq!(
        stats["byRoute"]["POST users"], 1,
        "one create, no second attempt: {stats}"
    );
    assert_eq!(stats["byStatus"]["POST users 201"], 1, "{stats}");
    let new_id = rci.user_by_login(LOGIN).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_id, id);
    assert_eq!(
        ids(rci.list(&format!("users/{new_id}/roles"))),
        vec![agent_role.clone()]
    );
    let rights = rci.list(&format!("users/{new_id}/rights"));
    assert_eq!(rights.len(), 1, "{rights:?}");
    assert_eq!(access_of(&rights[0]), ["ManageContactHistory", "View"]);
    assert_eq!(rci.list(&format!("users?login={LOGIN}")).len(), 1);
    assert_no_changes(&wd, "re-creating the user and its rights");

    wd.destroy();
    assert!(rci.user_by_login(LOGIN).is_none());
    assert!(rci.secret_by_name(SECRET).is_none());
}
