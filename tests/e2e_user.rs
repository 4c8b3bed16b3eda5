//! contactpro_user with the real Terraform CLI against the emulator: create, no-change re-plan,
//! update, drift (change and delete outside Terraform), import, destroy; the tenant checked after
//! each step.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, user_put_body, workdir_for, Rci};
use support::Terraform;

fn config(email: &str, groups: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_user" "api" {{
  first_name                 = "Api"
  last_name                  = "Attachments"
  login                      = "api.attachments"
  email                      = "{email}"
  time_zone                  = "Europe/Helsinki"
  user_group_ids             = [{groups}]
  password                   = "Correct-Horse-Battery-Staple-1"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
}}
"#
    )
}

fn user_lifecycle(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    let supervisors = rci.id_by_name("userGroups", "Sample Supervisors Group");
    let wd = workdir_for(terraform, &rci);

    // Create.
    wd.write_main_tf(&config("api@example.com", &format!("{agents:?}")));
    wd.init();
    wd.apply();
    let user = rci.user_by_login("api.attachments").expect("user created");
    let id = user["id"].as_str().unwrap().to_string();
    assert_eq!(user["email"], "api@example.com");
    let authentication = rci.get_ok(&format!("users/{id}/authentication"));
    assert_eq!(authentication["serviceAccount"], true);
    assert_eq!(authentication["passwordSet"], true);
    let groups = rci.list(&format!("users/{id}/userGroups"));
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["id"], agents.as_str());
    assert_no_changes(&wd, "create");

    // Update in place: e-mail and memberships.
    wd.write_main_tf(&config("api2@example.com", &format!("{supervisors:?}")));
    assert_plan_shows(
        &wd,
        "editing the configuration",
        &["update in-place", "api2@example.com"],
    );
    wd.apply();
    let user = rci.get_ok(&format!("users/{id}"));
    assert_eq!(user["email"], "api2@example.com");
    let groups = rci.list(&format!("users/{id}/userGroups"));
    assert_eq!(groups.len(), 1, "the set is authoritative: {groups:?}");
    assert_eq!(groups[0]["id"], supervisors.as_str());
    assert_no_changes(&wd, "update");

    // Drift: a field and a membership changed outside Terraform.
    let mut changed = user_put_body(&user);
    changed["firstName"] = json!("Changed");
    assert_eq!(rci.put(&format!("users/{id}"), changed), 204);
    assert_eq!(
        rci.post(&format!("users/{id}/userGroups"), json!({"id": agents}))
            .0,
        201
    );
    assert_plan_shows(&wd, "drift", &["\"Changed\" -> \"Api\"", &agents]);
    wd.apply();
    assert_eq!(rci.get_ok(&format!("users/{id}"))["firstName"], "Api");
    assert_eq!(rci.list(&format!("users/{id}/userGroups")).len(), 1);
    assert_no_changes(&wd, "repairing drift");

    // Deleted outside Terraform: the plan re-creates it.
    assert_eq!(rci.delete(&format!("users/{id}")), 204);
    assert_plan_shows(&wd, "deletion outside Terraform", &["will be created"]);
    wd.apply();
    let recreated = rci
        .user_by_login("api.attachments")
        .expect("user re-created");
    assert_ne!(recreated["id"], id.as_str());
    assert_no_changes(&wd, "re-creating");

    // Import by login, then by id: the plan shows only the password, which the API never returns.
    let new_id = recreated["id"].as_str().unwrap().to_string();
    for import_id in ["api.attachments", new_id.as_str()] {
        wd.run_ok(&["state", "rm", "contactpro_user.api"]);
        wd.import("contactpro_user.api", import_id);
        let shown = wd.state_show("contactpro_user.api");
        let flat = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!("id = \"{new_id}\"")),
            "imported by {import_id}:\n{shown}"
        );
        assert!(
            shown.contains("api2@example.com"),
            "imported by {import_id}:\n{shown}"
        );
        // The existing user is updated (its password written), never created again.
        assert_plan_shows(
            &wd,
            "import",
            &[
                "contactpro_user.api will be updated in-place",
                "password",
                "Plan: 0 to add, 1 to change, 0 to destroy.",
            ],
        );
    }
    rci.reset_stats();
    wd.apply();
    assert_no_changes(&wd, "applying after import");
    let stats = rci.stats();
    assert_eq!(
        stats["byRoute"]["POST users"],
        serde_json::Value::Null,
        "no create after import: {stats}"
    );
    assert_eq!(
        rci.user_by_login("api.attachments").unwrap()["id"],
        new_id.as_str()
    );

    // Destroy.
    wd.destroy();
    assert!(rci.user_by_login("api.attachments").is_none());
}

#[test]
fn user_lifecycle_on_every_terraform() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        user_lifecycle(&terraform);
    }
}
