//! contactpro_user_rights with the real Terraform CLI against the emulator: the authoritative set
//! of one user's rights through create, re-plan, update, drift (changed, extra and deleted rights),
//! import and destroy.
mod support;

use serde_json::json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, workdir_for, Rci};
use support::Terraform;

fn config(rights: &str) -> String {
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

data "contactpro_queue" "phone" {{
  name = "Phone Support"
}}

resource "contactpro_user" "api" {{
  first_name = "Api"
  last_name  = "Rights"
  login      = "api.rights"
}}

resource "contactpro_user_rights" "api" {{
  user_id = contactpro_user.api.id
{rights}
}}
"#
    )
}

const CHAT_ONLY: &str = r#"
  right {
    object_type = "queue_group"
    object_id   = data.contactpro_queue_group.chat.id
    access      = ["view", "manage_contact_history"]
  }
"#;

const CHAT_AND_PHONE: &str = r#"
  right {
    object_type = "queue_group"
    object_id   = data.contactpro_queue_group.chat.id
    access      = ["view", "manage_contact_history", "listen_to_recording"]
    grant       = ["view"]
  }
  right {
    object_type = "queue"
    object_id   = data.contactpro_queue.phone.id
    access      = ["view"]
  }
"#;

fn rights_of(rci: &Rci, user_id: &str) -> Vec<(String, String, Vec<String>)> {
    let mut rights: Vec<_> = rci
        .list(&format!("users/{user_id}/rights"))
        .into_iter()
        .map(|r| {
            let mut access: Vec<String> = r["accessTypes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            access.sort();
            (
                r["objectType"].as_str().unwrap().to_string(),
                r["objectId"].as_str().unwrap().to_string(),
                access,
            )
        })
        .collect();
    rights.sort();
    rights
}

fn rights_lifecycle(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let chat = rci.id_by_name("queueGroups", "Chat Queues");
    let phone = rci.id_by_name("queues", "Phone Support");
    let wd = workdir_for(terraform, &rci);

    wd.write_main_tf(&config(CHAT_ONLY));
    wd.init();
    wd.apply();
    let user_id = rci.user_by_login("api.rights").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        rights_of(&rci, &user_id),
        vec![(
            "QueueGroup".into(),
            chat.clone(),
            vec!["ManageContactHistory".into(), "View".into()]
        )]
    );
    assert_no_changes(&wd, "create");

    // Update: a changed right and a new one.
    wd.write_main_tf(&config(CHAT_AND_PHONE));
    assert_plan_shows(&wd, "editing", &["listen_to_recording"]);
    wd.apply();
    let rights = rights_of(&rci, &user_id);
    assert_eq!(rights.len(), 2, "{rights:?}");
    assert!(rights.contains(&("Queue".into(), phone.clone(), vec!["View".into()])));
    assert_no_changes(&wd, "update");

    // Drift: an extra right added and a configured one deleted outside Terraform.
    let (status, _) = rci.post(
        &format!("users/{user_id}/rights"),
        json!({"objectType": "UserGroup", "objectId": rci.id_by_name("userGroups", "All Users"),
               "accessTypes": ["View"], "grant": []}),
    );
    assert_eq!(status, 201);
    let phone_right = rci
        .list(&format!("users/{user_id}/rights"))
        .into_iter()
        .find(|r| r["objectId"] == phone.as_str())
        .unwrap();
    assert_eq!(
        rci.delete(&format!(
            "users/{user_id}/rights/{}",
            phone_right["id"].as_str().unwrap()
        )),
        204
    );
    assert_plan_shows(&wd, "drift", &["user_group", "update in-place"]);
    wd.apply();
    let rights = rights_of(&rci, &user_id);
    assert_eq!(
        rights.len(),
        2,
        "extra right removed, deleted one restored: {rights:?}"
    );
    assert!(rights.iter().all(|(kind, _, _)| kind != "UserGroup"));
    assert_no_changes(&wd, "repairing drift");

    // Import by the user's login: the plan is empty, the rights are all there.
    wd.run_ok(&["state", "rm", "contactpro_user_rights.api"]);
    wd.import("contactpro_user_rights.api", "api.rights");
    assert_no_changes(&wd, "import");

    // Destroy removes every right before the user goes.
    wd.run_ok(&[
        "destroy",
        "-auto-approve",
        "-no-color",
        "-target=contactpro_user_rights.api",
    ]);
    assert!(rights_of(&rci, &user_id).is_empty());
    wd.destroy();
    assert!(rci.user_by_login("api.rights").is_none());
}

#[test]
fn user_rights_lifecycle_on_every_terraform() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        rights_lifecycle(&terraform);
    }
}
