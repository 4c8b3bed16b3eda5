//! contactpro_user_group with the real Terraform CLI: create under All Users by default and under
//! another group, update (rename, move), drift (moved outside), import by name and by id, the
//! data source's parent, destroy.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, workdir_for, Rci};
use support::Terraform;

fn config(child_name: &str, child_parent: &str, lookup: bool) -> String {
    let lookup = if lookup {
        "data \"contactpro_user_group\" \"child\" {\n  name = \"Integrations Child\"\n}\noutput \"child_parent\" {\n  value = data.contactpro_user_group.child.parent_id\n}\n"
    } else {
        ""
    };
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_user_group" "integrations" {{
  name = "Integrations"
}}

resource "contactpro_user_group" "child" {{
  name      = "{child_name}"
  parent_id = {child_parent}
}}
{lookup}"#
    )
}

fn group(rci: &Rci, name: &str) -> Option<serde_json::Value> {
    rci.list("userGroups")
        .into_iter()
        .find(|g| g["name"] == name)
}

fn lifecycle(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let all = rci.id_by_name("userGroups", "All Users");
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    let wd = workdir_for(terraform, &rci);
    let under_integrations = "contactpro_user_group.integrations.id";
    wd.write_main_tf(&config("Integrations Child", under_integrations, false));
    wd.init();
    wd.apply();
    let integrations = group(&rci, "Integrations").expect("created");
    let id = integrations["id"].as_str().unwrap().to_string();
    assert_eq!(integrations["parentId"], all.as_str());
    let child = group(&rci, "Integrations Child").expect("created");
    assert_eq!(child["parentId"], id.as_str());
    assert_no_changes(&wd, "create");

    // The data source reports the parent.
    wd.write_main_tf(&config("Integrations Child", under_integrations, true));
    wd.apply();
    assert_eq!(wd.output_json()["child_parent"]["value"], id.as_str());

    // Rename and move in place (same id).
    wd.write_main_tf(&config("Integrations Sub", &format!("{agents:?}"), false));
    assert_plan_shows(&wd, "rename and move", &["update in-place"]);
    wd.apply();
    let moved = group(&rci, "Integrations Sub").expect("renamed");
    assert_eq!(moved["id"], child["id"]);
    assert_eq!(moved["parentId"], agents.as_str());
    assert_no_changes(&wd, "rename and move");

    // Moved outside Terraform: the default parent (All Users) comes back.
    let path = format!("userGroups/{id}");
    let body = json!({"name": "Integrations", "parentId": agents});
    assert_eq!(rci.put(&path, body), 204);
    assert_plan_shows(&wd, "moving outside", &["parent_id"]);
    wd.apply();
    assert_eq!(rci.get_ok(&path)["parentId"], all.as_str());

    // Import by name and by id.
    wd.run_ok(&["state", "rm", "contactpro_user_group.integrations"]);
    wd.import("contactpro_user_group.integrations", "Integrations");
    wd.run_ok(&["state", "rm", "contactpro_user_group.child"]);
    wd.import("contactpro_user_group.child", moved["id"].as_str().unwrap());
    assert_no_changes(&wd, "import");

    wd.destroy();
    assert!(group(&rci, "Integrations").is_none());
    assert!(group(&rci, "Integrations Sub").is_none());
}

#[test]
fn user_group_lifecycle() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        lifecycle(&terraform);
    }
}
