//! Issue 13: a `create_before_destroy` replace of a `contactpro_secret` with `user_credentials`
//! used to set the new password on the user and then fail on the (unique) secret name, leaving the
//! old secret with a password the user no longer had while the next plan said "No changes". Now
//! the name is checked before anything is written, and a password set since the pair was stored
//! (by a half-done apply or by someone else) shows in the next plan and is fixed by the next apply.
mod support;

use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, workdir_for, Rci};
use support::terraform::describe;
use support::Terraform;

const SECRET: &str = "cmi-chat-attachment-upload-user";

fn config(create_before_destroy: bool) -> String {
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
  login                      = "api.attachments"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
}}

resource "contactpro_secret" "cmi" {{
  name = "{SECRET}"
  type = "basic"
  user_credentials {{
    user_id = contactpro_user.cmi.id
  }}
  lifecycle {{
    create_before_destroy = {create_before_destroy}
  }}
}}
"#
    )
}

fn replace(terraform: &Terraform) {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(terraform, &rci);
    wd.write_main_tf(&config(true));
    wd.init();
    wd.apply();
    let (works, _, first) = rci.check_credentials(SECRET);
    assert!(works, "the stored credentials log in");

    // The replace cannot create a second secret with the same name: it fails before the
    // password is touched, so the stored credentials still log in.
    let args = [
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-replace=contactpro_secret.cmi",
    ];
    let out = wd.run_expect(&args, &[1]);
    let text = describe(&out);
    let (works, _, after) = rci.check_credentials(SECRET);
    assert!(
        works,
        "a failed replace left credentials that no longer log in: {text}"
    );
    assert!(text.contains("already exists"), "{text}");
    assert!(text.contains("create_before_destroy"), "{text}");
    assert_eq!(after, first, "the stored value is unchanged");
    assert_no_changes(&wd, "the refused replace");

    // A password set on the user since the pair was stored (a half-done apply, or System
    // Configurator) shows in the plan, and the next apply stores a working pair. The emulator's
    // passwordExpiration has one-second steps.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let user = rci.user_by_login("api.attachments").unwrap();
    let user_id = user["id"].as_str().unwrap();
    let reset = serde_json::json!({"login": "api.attachments", "password": "Reset-Outside-Terraform-1",
        "serviceAccount": true, "serviceAccountExpiration": "2030-06-30T00:00:00Z"});
    assert_eq!(
        rci.put(&format!("users/{user_id}/authentication"), reset),
        204
    );
    assert!(!rci.check_credentials(SECRET).0);
    assert_plan_shows(&wd, "a password set outside", &["authentication_id"]);
    wd.apply();
    let (works, _, second) = rci.check_credentials(SECRET);
    assert!(works, "the next apply stores a working pair");
    assert_ne!(second, first);
    assert_no_changes(&wd, "storing a new pair");

    // Without create_before_destroy the replace deletes first and works.
    wd.write_main_tf(&config(false));
    wd.run_ok(&args);
    let (works, _, third) = rci.check_credentials(SECRET);
    assert!(works);
    assert_ne!(third, second);
    assert_no_changes(&wd, "the replace");
}

#[test]
fn create_before_destroy_replace_keeps_working_credentials() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        replace(&terraform);
    }
}
