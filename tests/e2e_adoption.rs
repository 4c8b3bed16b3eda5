//! Bringing objects made outside Terraform under it, with Terraform >= 1.5 (import blocks,
//! `-generate-config-out`): users, their rights and secrets imported by id and by natural key;
//! the generated configuration validates, plans with nothing but the imports, and the apply that
//! imports them writes nothing (emulator stats), least of all a secret's value.
mod support;

use serde_json::{json, Value as Json};
use support::emulator::EmulatorProcess;
use support::rci::{plan, workdir_for, Rci};
use support::terraform::{describe, stdout};
use support::Terraform;

const HEADER: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
"#;

/// Writes made to the tenant since the last reset: every POST, PUT or DELETE route counted.
pub fn writes(stats: &Json) -> Vec<String> {
    stats["byRoute"]
        .as_object()
        .map(|routes| {
            routes
                .iter()
                .filter(|(route, n)| {
                    n.as_u64().unwrap_or(0) > 0
                        && ["POST ", "PUT ", "DELETE ", "PATCH "]
                            .iter()
                            .any(|m| route.starts_with(m))
                })
                .map(|(route, n)| format!("{route} ×{n}"))
                .collect()
        })
        .unwrap_or_default()
}

fn created_id(rci: &Rci, path: &str, body: Json) -> String {
    let (status, answer) = rci.post(path, body.clone());
    assert_eq!(status, 201, "POST {path} {body}: {answer}");
    answer["id"].as_str().expect("id").to_string()
}

/// Two users (one a service account with a group and a right), a basic and a header secret.
fn seed(rci: &Rci) -> (String, String) {
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    let queue_group = rci.list("queueGroups")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let one = created_id(
        rci,
        "users",
        json!({"firstName": "Adopt", "surname": "One", "login": "adopt.one",
               "email": "one@example.com", "timeZone": "Europe/Helsinki"}),
    );
    assert_eq!(
        rci.put(
            &format!("users/{one}/authentication"),
            json!({"login": "adopt.one", "password": "Correct-Horse-Battery-Staple-1",
                   "serviceAccount": true, "serviceAccountExpiration": "2030-06-30T00:00:00Z"}),
        ),
        204
    );
    assert_eq!(
        rci.post(&format!("users/{one}/userGroups"), json!({"id": agents}))
            .0,
        201
    );
    created_id(
        rci,
        &format!("users/{one}/rights"),
        json!({"objectType": "QueueGroup", "objectId": queue_group,
               "accessTypes": ["View", "ManageContactHistory"], "grant": []}),
    );
    created_id(
        rci,
        "users",
        json!({"firstName": "Adopt", "surname": "Two", "login": "Adopt.Two"}),
    );
    let basic = created_id(
        rci,
        "secrets",
        json!({"name": "adopt-basic", "description": "made by hand", "type": "basic",
               "authenticationId": "adopt.one", "secret": "value-owned-elsewhere-1"}),
    );
    created_id(
        rci,
        "secrets",
        json!({"name": "adopt-header", "type": "header", "secret": "value-owned-elsewhere-2"}),
    );
    (one, basic)
}

#[test]
fn generated_configuration_round_trips() {
    let Some(terraform) = Terraform::from_path() else {
        eprintln!("skipped: no Terraform >= 1.5 on PATH");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let (one, basic) = seed(&rci);
    let wd = workdir_for(&terraform, &rci);
    wd.write_main_tf(&format!(
        r#"{HEADER}
import {{
  to = contactpro_user.by_id
  id = "{one}"
}}
import {{
  to = contactpro_user.by_login
  id = "adopt.two"
}}
import {{
  to = contactpro_user_rights.by_id
  id = "{one}"
}}
import {{
  to = contactpro_user_rights.by_login
  id = "adopt.two"
}}
import {{
  to = contactpro_secret.by_id
  id = "{basic}"
}}
import {{
  to = contactpro_secret.by_name
  id = "adopt-header"
}}
"#
    ));
    wd.init();
    let generate = wd.run(&[
        "plan",
        "-no-color",
        "-input=false",
        "-generate-config-out=generated.tf",
    ]);
    assert!(
        generate.status.success(),
        "plan -generate-config-out: {}",
        describe(&generate)
    );
    let generated = std::fs::read_to_string(wd.dir().join("generated.tf")).unwrap();
    for computed_only in ["value_managed", "password_expires_at"] {
        assert!(
            !generated.contains(computed_only),
            "computed-only `{computed_only}` in the generated configuration:\n{generated}"
        );
    }
    let validate = wd.run(&["validate", "-no-color"]);
    assert!(
        validate.status.success(),
        "the generated configuration does not validate: {}\n{generated}",
        describe(&validate)
    );

    let (code, text) = plan(&wd);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("Plan: 6 to import, 0 to add, 0 to change, 0 to destroy."),
        "the generated configuration plans more than the imports:\n{text}\n{generated}"
    );
    assert!(text.contains("value_managed"), "{text}");

    rci.reset_stats();
    let applied = wd.apply();
    let stats = rci.stats();
    assert!(
        writes(&stats).is_empty(),
        "the import apply wrote to the tenant: {:?}\n{}",
        writes(&stats),
        stdout(&applied)
    );
    let (code, text) = plan(&wd);
    assert_eq!(code, 0, "changes after the import apply:\n{text}");
    assert!(rci.secret_matches("adopt-basic", "value-owned-elsewhere-1"));
    assert!(rci.secret_matches("adopt-header", "value-owned-elsewhere-2"));

    // A metadata change still never carries the value.
    let edited = std::fs::read_to_string(wd.dir().join("generated.tf"))
        .unwrap()
        .replace("\"made by hand\"", "\"now managed by Terraform\"");
    wd.write_file("generated.tf", &edited);
    rci.reset_stats();
    wd.apply();
    let stats = rci.stats();
    assert_eq!(
        writes(&stats),
        vec!["PUT secrets/{id} ×1".to_string()],
        "expected one PUT of the secret's metadata"
    );
    assert_eq!(
        rci.get_ok(&format!("secrets/{basic}"))["description"],
        "now managed by Terraform"
    );
    assert!(rci.secret_matches("adopt-basic", "value-owned-elsewhere-1"));
}
