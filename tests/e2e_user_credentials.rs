//! Provider-generated credentials (`user_credentials`) with the real Terraform CLI: the password
//! is set on the user and stored in the secret, and appears in no configuration, plan or state;
//! the stored credentials log in as the user; rotation replaces the password; drift of the user's
//! login and deletion of the user lead to a new pair; destroy leaves no secret behind.
mod support;

use serde_json::{json, Value as Json};
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, fingerprint, plan, workdir_for, Rci};
use support::Terraform;

fn config(rotation: &str, external_user_id: &str) -> String {
    config_with_login("api.attachments", rotation, external_user_id)
}

fn config_with_login(login: &str, rotation: &str, external_user_id: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_user" "cmi" {{
  first_name                 = "CMI"
  last_name                  = "Attachment Upload"
  login                      = "{login}"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
}}

resource "contactpro_secret" "cmi" {{
  name = "cmi-chat-attachment-upload-user"
  type = "basic"
  user_credentials {{
    user_id  = contactpro_user.cmi.id
    rotation = "{rotation}"
  }}
}}

# A user that Terraform does not manage, e.g. one made in System Configurator.
resource "contactpro_secret" "external" {{
  name = "external-user"
  type = "basic"
  user_credentials {{
    user_id = "{external_user_id}"
  }}
}}
"#
    )
}

const SECRET: &str = "cmi-chat-attachment-upload-user";

/// Every string in `text`, split at anything that cannot be part of a generated password or at
/// quotes, plus every JSON string value; none may be the user's current password. The emulator's
/// fingerprint of a stored value is keyed (not the plain hash), so each candidate is asked of it.
fn assert_password_not_in(rci: &Rci, login: &str, text: &str, what: &str) {
    let mut candidates: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .map(str::to_string)
        .collect();
    if let Ok(json) = serde_json::from_str::<Json>(text) {
        collect_strings(&json, &mut candidates);
    }
    assert!(candidates.len() > 10, "{what}: nothing to search");
    candidates.sort();
    candidates.dedup();
    // Shorter strings cannot be a password (the policy asks for 16 characters).
    for candidate in candidates.iter().filter(|c| c.chars().count() >= 16) {
        assert!(
            !rci.password_has_fingerprint(login, &fingerprint(candidate)),
            "{what} contains the generated password"
        );
    }
}

fn collect_strings(value: &Json, into: &mut Vec<String>) {
    match value {
        Json::String(s) => into.push(s.clone()),
        Json::Array(items) => items.iter().for_each(|v| collect_strings(v, into)),
        Json::Object(map) => map.values().for_each(|v| collect_strings(v, into)),
        _ => {}
    }
}

fn user_credentials(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(terraform, &rci);
    let (status, created) = rci.post(
        "users",
        json!({"firstName": "External", "surname": "User", "login": "api.external"}),
    );
    assert_eq!(status, 201, "{created}");
    let external = created["id"].as_str().unwrap().to_string();
    // `user_credentials` needs a service account: Contact Pro would make any other user change a
    // password someone else set at its first logon.
    let service_account = json!({"login": "api.external", "serviceAccount": true,
        "serviceAccountExpiration": "2030-06-30T00:00:00Z"});
    let path = format!("users/{external}/authentication");
    assert_eq!(rci.put(&path, service_account), 204);

    wd.write_main_tf(&config("2026-11", &external));
    wd.init();
    let applied = support::terraform::stdout(&wd.apply());
    let (works, login, first) = rci.check_credentials(SECRET);
    assert!(works, "the stored credentials log in as the user");
    assert_eq!(login, "api.attachments");
    assert!(rci.password_has_fingerprint("api.attachments", &first));

    // Neither state nor plan nor apply output holds the password, nor `secret`.
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert_password_not_in(&rci, "api.attachments", &state_text, "the state file");
    assert_password_not_in(&rci, "api.attachments", &applied, "the apply output");
    let state: Json = serde_json::from_str(&state_text).unwrap();
    let secret = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "contactpro_secret")
        .unwrap();
    assert!(secret["instances"][0]["attributes"]["secret"].is_null());
    assert_eq!(
        secret["instances"][0]["attributes"]["authentication_id"],
        "api.attachments"
    );
    let (code, plan_text) = plan(&wd);
    assert_eq!(code, 0, "{plan_text}");
    assert_password_not_in(&rci, "api.attachments", &plan_text, "the plan output");

    // Rotation: a new password works, the old one no longer does.
    wd.write_main_tf(&config("2026-12", &external));
    assert_plan_shows(&wd, "changing rotation", &["rotation"]);
    wd.apply();
    let (works, _, second) = rci.check_credentials(SECRET);
    assert!(works);
    assert_ne!(first, second, "rotation changed the password");
    assert!(!rci.password_has_fingerprint("api.attachments", &first));
    assert_no_changes(&wd, "rotating");

    // The user's login changed outside Terraform, with a new password as Contact Pro requires.
    // Renaming it back needs a password too, which the configuration does not have: the plan says
    // so and writes nothing. Following the rename in the configuration gives the secret a new pair.
    let user = rci.user_by_login("api.attachments").unwrap();
    let user_id = user["id"].as_str().unwrap().to_string();
    let renamed = json!({"login": "api.renamed", "password": "Renamed-Outside-Terraform-1",
        "serviceAccount": true, "serviceAccountExpiration": "2030-06-30T00:00:00Z"});
    assert_eq!(
        rci.put(&format!("users/{user_id}/authentication"), renamed),
        204
    );
    let refused = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = support::terraform::describe(&refused);
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(
        text.contains("changing `login` needs a new `password`"),
        "{text}"
    );
    assert_eq!(
        rci.get_ok(&format!("users/{user_id}"))["login"],
        "api.renamed"
    );
    wd.write_main_tf(&config_with_login("api.renamed", "2026-12", &external));
    assert_plan_shows(&wd, "following the rename", &["authentication_id"]);
    wd.apply();
    let (works, login, third) = rci.check_credentials(SECRET);
    assert!(works, "credentials work after following the rename");
    assert_eq!(login, "api.renamed");
    assert_no_changes(&wd, "following the rename");

    // A user Terraform does not manage renamed outside Terraform: a new pair with the new login.
    let (_, _, external_before) = rci.check_credentials("external-user");
    let renamed = json!({"login": "api.external2", "password": "Renamed-Outside-Terraform-2",
        "serviceAccount": true, "serviceAccountExpiration": "2030-06-30T00:00:00Z"});
    assert_eq!(
        rci.put(&format!("users/{external}/authentication"), renamed),
        204
    );
    assert_plan_shows(&wd, "renaming an unmanaged user", &["authentication_id"]);
    wd.apply();
    let (works, login, external_after) = rci.check_credentials("external-user");
    assert!(works);
    assert_eq!(login, "api.external2");
    assert_ne!(external_after, external_before);
    assert_no_changes(&wd, "following the rename");

    // The user deleted outside Terraform: re-created, and the secret gets a new pair for it.
    assert_eq!(rci.delete(&format!("users/{user_id}")), 204);
    assert_plan_shows(
        &wd,
        "deleting the user",
        &["will be created", "contactpro_secret.cmi"],
    );
    wd.apply();
    let (works, _, fourth) = rci.check_credentials(SECRET);
    assert!(works, "credentials of the re-created user");
    assert_ne!(fourth, third);
    assert_no_changes(&wd, "re-creating the user");

    wd.destroy();
    assert!(
        rci.secret_by_name(SECRET).is_none(),
        "destroy leaves no secret behind"
    );
    assert!(rci.secret_by_name("external-user").is_none());
    assert!(rci.user_by_login("api.renamed").is_none());
}

#[test]
fn user_credentials_on_every_terraform() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        user_credentials(&terraform);
    }
}
