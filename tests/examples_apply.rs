//! The chat-attachment-upload and multi-tenant examples apply against the emulator on every
//! Terraform, re-plan with no changes, store what they should, keep generated passwords out of
//! state, and destroy.
mod support;

use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, Rci};
use support::{bins, Terraform, TfWorkdir};

fn chat_attachment_upload(terraform: &Terraform, emulator: &EmulatorProcess) {
    let demo = Rci::new(emulator.base_url(), "demo");
    let mut wd = TfWorkdir::new(terraform, &bins::provider_binary());
    wd.use_example("chat-attachment-upload");
    wd.env("TF_VAR_contactpro_url", &demo.ri_url());
    wd.init();
    wd.apply();
    assert_no_changes(&wd, "applying chat-attachment-upload");

    let user = demo.user_by_login("api.attachments").expect("the CMI user");
    let user_id = user["id"].as_str().unwrap();
    let authentication = demo.get_ok(&format!("users/{user_id}/authentication"));
    assert_eq!(authentication["serviceAccount"], true);
    assert_eq!(authentication["passwordSet"], true);
    let rights = demo.list(&format!("users/{user_id}/rights"));
    assert_eq!(rights.len(), 1, "{rights:?}");
    assert_eq!(rights[0]["objectType"], "QueueGroup");
    assert!(rights[0]["accessTypes"]
        .as_array()
        .unwrap()
        .contains(&"ManageContactHistory".into()));
    let secret = demo
        .secret_by_name("cmi-chat-attachment-upload-user")
        .expect("basic secret");
    assert_eq!(secret["type"], "basic");
    assert_eq!(secret["authenticationId"], "api.attachments");
    assert!(demo.secret_matches("ri-apikey", "demo-api-key"));

    // The generated password is nowhere in state.
    let state = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    for resource in state["resources"].as_array().unwrap() {
        for instance in resource["instances"].as_array().unwrap() {
            let attributes = &instance["attributes"];
            if resource["type"] == "contactpro_user" {
                assert!(
                    attributes["password"].is_null(),
                    "password in state: {attributes}"
                );
            }
            if resource["type"] == "contactpro_secret" && resource["name"] == "cmi" {
                assert!(attributes["secret"].is_null(), "generated secret in state");
            }
        }
    }

    // A typed password goes to both the user and the secret.
    wd.env("TF_VAR_cmi_user_password", "Typed-Password-123456");
    wd.apply();
    assert!(demo.secret_matches("cmi-chat-attachment-upload-user", "Typed-Password-123456"));
    assert_no_changes(&wd, "switching to a typed password");
    wd.destroy();
    assert!(demo.user_by_login("api.attachments").is_none());
    assert!(demo.secret_by_name("ri-apikey").is_none());
    assert!(demo.secret_by_name("orchestration-layer").is_some());
}

fn multi_tenant(terraform: &Terraform, emulator: &EmulatorProcess) {
    let mut wd = TfWorkdir::new(terraform, &bins::provider_binary());
    wd.use_example("multi-tenant");
    wd.env("TF_VAR_emulator_url", emulator.base_url());
    wd.init();
    let applied = support::terraform::stdout(&wd.apply());
    assert!(applied.contains("Resources: 8 added"), "{applied}");
    assert_no_changes(&wd, "applying multi-tenant");
    for tenant in ["demo", "acme"] {
        let rci = Rci::new(emulator.base_url(), tenant);
        assert!(
            rci.user_by_login("api.attachments").is_some(),
            "{tenant}: user"
        );
        assert!(
            rci.secret_matches("ri-apikey", &format!("{tenant}-api-key")),
            "{tenant}: key"
        );
    }
    wd.destroy();
    for tenant in ["demo", "acme"] {
        assert!(Rci::new(emulator.base_url(), tenant)
            .user_by_login("api.attachments")
            .is_none());
    }
}

#[test]
fn chat_attachment_upload_and_multi_tenant_apply_against_the_emulator() {
    for terraform in Terraform::all() {
        eprintln!("terraform v{}", terraform.version);
        let emulator = EmulatorProcess::start_with_args(&["--tenant", "demo", "--tenant", "acme"]);
        chat_attachment_upload(&terraform, &emulator);
        multi_tenant(&terraform, &emulator);
    }
}
