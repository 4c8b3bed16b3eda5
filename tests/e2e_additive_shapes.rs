//! The additive shapes with the real Terraform CLI: `contactpro_user_right` merges with rights
//! others own on the same object (two resources and a right made outside Terraform share one
//! object), the membership resources leave the user's other groups and roles alone; drift,
//! import by login and names, destroy that removes only what was owned; and the plan-time error
//! when an authoritative and an additive shape manage the same user.
mod support;

use serde_json::{json, Value as Json};
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, workdir_for, Rci};
use support::terraform::describe;
use support::Terraform;

struct Ids {
    user: String,
    chat: String,
    agents: String,
    supervisors: String,
    role: String,
}

fn config(ids: &Ids, with_b: bool) -> String {
    let b = if with_b {
        format!(
            r#"
resource "contactpro_user_right" "b" {{
  user_id     = "{user}"
  object_type = "queue_group"
  object_id   = "{chat}"
  access      = ["listen_to_recording"]
}}
"#,
            user = ids.user,
            chat = ids.chat
        )
    } else {
        String::new()
    };
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_user_right" "a" {{
  user_id     = "{user}"
  object_type = "queue_group"
  object_id   = "{chat}"
  access      = ["manage_contact_history", "view"]
  grant       = ["view"]
}}
{b}
resource "contactpro_user_group_membership" "agents" {{
  user_id       = "{user}"
  user_group_id = "{agents}"
}}

resource "contactpro_user_role_membership" "agent" {{
  user_id = "{user}"
  role_id = "{role}"
}}
"#,
        user = ids.user,
        chat = ids.chat,
        agents = ids.agents,
        role = ids.role
    )
}

/// The user's right on the chat queue group: (access types, grants), sorted.
fn right(rci: &Rci, ids: &Ids) -> Option<(Vec<String>, Vec<String>)> {
    let rights = rci.list(&format!("users/{}/rights", ids.user));
    let found = rights.iter().find(|r| r["objectId"] == ids.chat.as_str())?;
    let names = |v: &Json| {
        let mut names: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    Some((names(&found["accessTypes"]), names(&found["grant"])))
}

fn member_ids(rci: &Rci, user: &str, kind: &str) -> Vec<String> {
    let mut ids: Vec<String> = rci
        .list(&format!("users/{user}/{kind}"))
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn lifecycle(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let (status, created) = rci.post(
        "users",
        json!({"firstName": "Api", "surname": "Shared", "login": "api.shared"}),
    );
    assert_eq!(status, 201, "{created}");
    let ids = Ids {
        user: created["id"].as_str().unwrap().to_string(),
        chat: rci.id_by_name("queueGroups", "Chat Queues"),
        agents: rci.id_by_name("userGroups", "Sample Agents Group"),
        supervisors: rci.id_by_name("userGroups", "Sample Supervisors Group"),
        role: rci.id_by_name("roles", "CC Agent"),
    };
    // Made outside Terraform: a right on the same object, and another group.
    let (status, body) = rci.post(
        &format!("users/{}/rights", ids.user),
        json!({"objectType": "QueueGroup", "objectId": ids.chat,
               "accessTypes": ["StatisticsSummary"], "grant": []}),
    );
    assert_eq!(status, 201, "{body}");
    let (status, body) = rci.post(
        &format!("users/{}/userGroups", ids.user),
        json!({"id": ids.supervisors}),
    );
    assert_eq!(status, 201, "{body}");

    let wd = workdir_for(terraform, &rci);
    wd.write_main_tf(&config(&ids, true));
    wd.init();
    wd.apply();
    assert_eq!(
        right(&rci, &ids),
        Some((
            strings(&[
                "ListenToRecording",
                "ManageContactHistory",
                "StatisticsSummary",
                "View"
            ]),
            strings(&["View"])
        ))
    );
    let mut groups = vec![ids.agents.clone(), ids.supervisors.clone()];
    groups.sort();
    assert_eq!(member_ids(&rci, &ids.user, "userGroups"), groups);
    assert_eq!(member_ids(&rci, &ids.user, "roles"), vec![ids.role.clone()]);
    assert_no_changes(&wd, "create");

    // Removing one resource removes only its access type.
    wd.write_main_tf(&config(&ids, false));
    wd.apply();
    assert_eq!(
        right(&rci, &ids),
        Some((
            strings(&["ManageContactHistory", "StatisticsSummary", "View"]),
            strings(&["View"])
        ))
    );
    assert_no_changes(&wd, "removing one right resource");

    // Drift: an owned access type removed outside shows in the plan and is put back; the
    // membership removed outside is added again.
    let right_id = rci
        .list(&format!("users/{}/rights", ids.user))
        .iter()
        .find(|r| r["objectId"] == ids.chat.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("users/{}/rights/{right_id}", ids.user);
    let body = json!({"objectType": "QueueGroup", "objectId": ids.chat,
        "accessTypes": ["StatisticsSummary", "View"], "grant": ["View"]});
    assert_eq!(rci.put(&path, body), 204);
    assert_eq!(
        rci.delete(&format!("users/{}/userGroups/{}", ids.user, ids.agents)),
        204
    );
    assert_plan_shows(
        &wd,
        "drift",
        &[
            "manage_contact_history",
            "contactpro_user_group_membership.agents",
        ],
    );
    wd.apply();
    assert_eq!(
        right(&rci, &ids).unwrap().0,
        strings(&["ManageContactHistory", "StatisticsSummary", "View"])
    );
    assert_no_changes(&wd, "repairing drift");

    // Import by login and by name gives the same state.
    for (address, import_id) in [
        (
            "contactpro_user_group_membership.agents",
            "api.shared/Sample Agents Group".to_string(),
        ),
        (
            "contactpro_user_role_membership.agent",
            "api.shared/CC Agent".to_string(),
        ),
    ] {
        wd.run_ok(&["state", "rm", address]);
        wd.import(address, &import_id);
    }
    assert_no_changes(&wd, "importing the memberships");
    wd.run_ok(&["state", "rm", "contactpro_user_right.a"]);
    wd.import(
        "contactpro_user_right.a",
        &format!("api.shared/queue_group/{}", ids.chat),
    );
    // The imported right owns all it found, including the access type made outside.
    assert_plan_shows(&wd, "importing the right", &["statistics_summary"]);

    // Destroy removes what the resources own (after import: everything on the right).
    wd.destroy();
    assert_eq!(right(&rci, &ids), None);
    assert_eq!(
        member_ids(&rci, &ids.user, "userGroups"),
        vec![ids.supervisors.clone()]
    );
    assert!(member_ids(&rci, &ids.user, "roles").is_empty());

    // The authoritative and the additive shape on one user: refused at plan, nothing written.
    let conflicting = format!(
        "{}\nresource \"contactpro_user_rights\" \"all\" {{\n  user_id = \"{}\"\n}}\n",
        config(&ids, false),
        ids.user
    );
    wd.write_main_tf(&conflicting);
    let out = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = describe(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("managed by both"), "{text}");
    assert!(text.contains("contactpro_user_rights"), "{text}");
    assert_eq!(right(&rci, &ids), None);
}

#[test]
fn additive_rights_and_memberships_lifecycle() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        lifecycle(&terraform);
    }
}

/// `user_group_ids` of contactpro_user (authoritative) and a membership resource on the same user:
/// refused at plan once the user exists, nothing written; with `user_group_ids` unset they combine.
#[test]
fn authoritative_groups_and_membership_resource_conflict_at_plan() {
    let Some(terraform) = Terraform::from_path() else {
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    let supervisors = rci.id_by_name("userGroups", "Sample Supervisors Group");
    let user = |groups: &str| {
        format!(
            r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_user" "u" {{
  first_name = "Api"
  last_name  = "Conflict"
  login      = "api.conflict"
  {groups}
}}
"#
        )
    };
    let membership = format!(
        "resource \"contactpro_user_group_membership\" \"m\" {{\n  user_id       = contactpro_user.u.id\n  user_group_id = \"{supervisors}\"\n}}\n"
    );
    let wd = workdir_for(&terraform, &rci);
    let authoritative = user(&format!("user_group_ids = [\"{agents}\"]"));
    wd.write_main_tf(&authoritative);
    wd.init();
    wd.apply();
    let id = rci.user_by_login("api.conflict").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    wd.write_main_tf(&format!("{authoritative}{membership}"));
    let out = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = describe(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("managed by both"), "{text}");
    assert!(text.contains("user_group_ids"), "{text}");
    assert_eq!(member_ids(&rci, &id, "userGroups"), vec![agents.clone()]);

    // Without `user_group_ids` the two combine.
    wd.write_main_tf(&format!("{}{membership}", user("")));
    wd.apply();
    let mut both = vec![agents, supervisors];
    both.sort();
    assert_eq!(member_ids(&rci, &id, "userGroups"), both);
    assert_no_changes(&wd, "combining");
}
