//! The ephemeral resource `contactpro_password` with the real Terraform CLI against the emulator.
//! Terraform 1.11 or newer (the one on PATH): one password feeds a user's `password_wo` and its basic
//! secret's `secret_wo`, and the emulator confirms that the secret's credentials log in as the user;
//! the same version writes nothing again, a new version a new password; no written password appears
//! in the state file, `terraform show -json`, plan or apply output, or a `TF_LOG=trace` log; `length`
//! is checked at plan, and a length unknown at plan works. Also the write-only flavour of the
//! chat-attachment-upload module. Terraform 1.0.3: an `ephemeral` block is Terraform's own error.
mod support;

use serde_json::Value as Json;
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, assert_plan_shows, fingerprint, plan, workdir_for, Rci};
use support::terraform::{describe, flat, stdout};
use support::{Terraform, TfWorkdir};

const SECRET: &str = "cmi-ephemeral";
const LOGIN: &str = "api.ephemeral";
/// An unusual length, so that the scan below looks for exactly the generated passwords.
const LENGTH: usize = 47;

const HEADER: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
"#;

/// The password's `length` comes from `terraform_data`, unknown in the first plan.
fn config(version: u32, length: &str) -> String {
    format!(
        r#"{HEADER}
resource "terraform_data" "length" {{
  input = {LENGTH}
}}

ephemeral "contactpro_password" "cmi" {{
  length = {length}
}}

resource "contactpro_user" "cmi" {{
  first_name                 = "CMI"
  last_name                  = "Ephemeral"
  login                      = "{LOGIN}"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
  password_wo                = ephemeral.contactpro_password.cmi.result
  password_wo_version        = {version}
}}

resource "contactpro_secret" "cmi" {{
  name              = "{SECRET}"
  type              = "basic"
  authentication_id = contactpro_user.cmi.login
  secret_wo         = ephemeral.contactpro_password.cmi.result
  secret_wo_version = {version}
}}
"#
    )
}

const LENGTH_FROM_DATA: &str = "terraform_data.length.output";

/// Whether `text` holds a password with one of these fingerprints: every run of `LENGTH`
/// characters that a generated password may contain (printable ASCII but quotes and backslash),
/// in the text as it is and with Go's JSON escapes of `<`, `>` and `&` undone.
fn contains_password(text: &str, fingerprints: &[String]) -> bool {
    let unescaped = text
        .replace("\\u003c", "<")
        .replace("\\u003e", ">")
        .replace("\\u0026", "&");
    let possible = |b: u8| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'\\');
    // Compared as bytes: logs have long runs of such characters (certificates), hex would be slow.
    let wanted: Vec<Vec<u8>> = fingerprints
        .iter()
        .map(|hex| {
            assert_eq!(hex.len(), 32, "a fingerprint: {hex:?}");
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect()
        })
        .collect();
    for variant in [text, unescaped.as_str()] {
        let bytes = variant.as_bytes();
        let mut run = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            run = if possible(byte) { run + 1 } else { 0 };
            if run >= LENGTH {
                let window = &bytes[i + 1 - LENGTH..=i];
                let digest = ring::digest::digest(&ring::digest::SHA256, window);
                if wanted.iter().any(|w| digest.as_ref().starts_with(w)) {
                    return true;
                }
            }
        }
    }
    false
}

fn assert_no_password(text: &str, fingerprints: &[String], what: &str) {
    assert!(
        !contains_password(text, fingerprints),
        "{what} contains a generated password"
    );
}

/// The Terraform on PATH when it supports write-only arguments (1.11 or newer).
fn terraform_1_11() -> Option<Terraform> {
    Terraform::from_path_at_least(1, 11)
}

/// The schema of our provider in `terraform providers schema -json`.
fn provider_schema(wd: &TfWorkdir) -> Json {
    let out = wd.run_ok(&["providers", "schema", "-json"]);
    let schema: Json = serde_json::from_slice(&out.stdout).unwrap();
    schema["provider_schemas"]["registry.terraform.io/contactpro/contactpro"].clone()
}

#[test]
fn ephemeral_password_feeds_write_only_arguments_on_terraform_1_11() {
    let Some(terraform) = terraform_1_11() else {
        eprintln!("no Terraform >= 1.11 on PATH: skipped");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    let log = wd.enable_log("trace");
    // Every plan and apply output, to scan at the end.
    let mut outputs = Vec::new();

    wd.write_main_tf(&config(1, LENGTH_FROM_DATA));
    wd.init();

    // Terraform lists the ephemeral resource, and the arguments it feeds as write-only.
    let schema = provider_schema(&wd);
    let password = &schema["ephemeral_resource_schemas"]["contactpro_password"]["block"];
    assert_eq!(
        password["attributes"]["length"]["optional"], true,
        "{password}"
    );
    assert_eq!(password["attributes"]["length"]["computed"], true);
    assert_eq!(password["attributes"]["result"]["computed"], true);
    assert_eq!(password["attributes"]["result"]["sensitive"], true);
    for (resource, attribute) in [
        ("contactpro_user", "password_wo"),
        ("contactpro_secret", "secret_wo"),
    ] {
        let attributes = &schema["resource_schemas"][resource]["block"]["attributes"];
        assert_eq!(attributes[attribute]["write_only"], true, "{attributes}");
    }

    // The first plan cannot open the password (its length is not known yet); apply does.
    let (code, text) = plan(&wd);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("(write-only attribute)"), "{text}");
    outputs.push(text);
    outputs.push(stdout(&wd.apply()));
    let (works, login, first) = rci.check_credentials(SECRET);
    assert!(works, "the secret's credentials log in as the user");
    assert_eq!(login, LOGIN);
    assert!(rci.password_has_fingerprint(LOGIN, &first));

    // The state holds the versions, not the values, and no ephemeral resource.
    let state = wd.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources");
    let types: Vec<_> = resources
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["contactpro_secret", "contactpro_user", "terraform_data"],
        "{state}"
    );
    for resource in resources.iter().filter(|r| r["type"] != "terraform_data") {
        let values = &resource["values"];
        let wo = if resource["type"] == "contactpro_user" {
            "password_wo"
        } else {
            "secret_wo"
        };
        assert!(values[wo].is_null(), "{resource}");
        assert_eq!(values[format!("{wo}_version")], "1", "{resource}");
    }

    // Plans open a new password each time (the length is known now) and still show no change;
    // an apply with the same versions writes nothing.
    let (code, text) = plan(&wd);
    assert_eq!(code, 0, "no changes after create:\n{text}");
    assert!(
        text.contains("ephemeral.contactpro_password.cmi: Opening"),
        "{text}"
    );
    outputs.push(text);
    outputs.push(stdout(&wd.apply()));
    assert_eq!(rci.check_credentials(SECRET).2, first, "same version: kept");
    assert!(rci.password_has_fingerprint(LOGIN, &first));

    // A new version writes a new password to both, in the same apply.
    wd.write_main_tf(&config(2, LENGTH_FROM_DATA));
    assert_plan_shows(
        &wd,
        "bumping the versions",
        &[
            "password_wo_version",
            "secret_wo_version",
            "update in-place",
        ],
    );
    outputs.push(plan(&wd).1);
    outputs.push(stdout(&wd.apply()));
    let (works, _, second) = rci.check_credentials(SECRET);
    assert!(works, "a new pair that works");
    assert_ne!(second, first, "a new password");
    assert!(rci.password_has_fingerprint(LOGIN, &second));
    assert!(!rci.password_has_fingerprint(LOGIN, &first));
    assert_no_changes(&wd, "bumping the versions");

    // `length` is checked at plan, naming the attribute and the fix; nothing is written.
    wd.write_main_tf(&config(3, "8"));
    let refused = wd.run(&["plan", "-no-color", "-input=false"]);
    let text = flat(&describe(&refused));
    assert_eq!(refused.status.code(), Some(1), "{text}");
    for needle in [
        "contactpro_password: invalid `length`",
        "`length` is 8, but the tenant's password policy asks for at least 16 characters",
        "Set `length` to a whole number from 16 to 256",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
    }
    outputs.push(text);
    assert_eq!(rci.check_credentials(SECRET).2, second);

    // No trace of either password anywhere. The scan finds one where there is one.
    let written = [first.clone(), second.clone()];
    let sample = "Sample<Password-with-47-characters:0123456789ab";
    assert_eq!(sample.len(), LENGTH);
    assert!(contains_password(
        &format!("{{\"x\":\"{}\"}}", sample.replace('<', "\\u003c")),
        &[fingerprint(sample)]
    ));
    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert_no_password(&state_text, &written, "the state file");
    wd.write_main_tf(&config(2, LENGTH_FROM_DATA));
    assert_no_password(
        &stdout(&wd.run_ok(&["show", "-json"])),
        &written,
        "show -json",
    );
    for (i, text) in outputs.iter().enumerate() {
        assert_no_password(text, &written, &format!("plan or apply output {i}"));
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("OpenEphemeralResource"), "a trace log");
    assert!(logged.contains("CloseEphemeralResource"), "closed too");
    assert_no_password(&logged, &written, "TF_LOG=trace");

    wd.destroy();
    assert!(rci.secret_by_name(SECRET).is_none());
    assert!(rci.user_by_login(LOGIN).is_none());
}

/// The chat-attachment-upload module's write-only flavour, applied as a root module: the CMI user
/// and its secret share a generated password, the RI API key comes from an ephemeral variable, and
/// the state holds neither.
#[test]
fn write_only_module_keeps_credentials_out_of_state() {
    let Some(terraform) = terraform_1_11() else {
        eprintln!("no Terraform >= 1.11 on PATH: skipped");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    let key = "ri-key-WRITE-ONLY-module-value";
    wd.use_example("chat-attachment-upload/modules/chat-attachment-upload-write-only")
        .env("TF_VAR_service_account_expires_at", "2030-12-31T00:00:00Z")
        .env("TF_VAR_ri_api_key", key);
    wd.init();
    let applied = stdout(&wd.apply());
    let (works, login, password) = rci.check_credentials("cmi-chat-attachment-upload-user");
    assert!(
        works,
        "the basic secret's credentials log in as the CMI user"
    );
    assert_eq!(login, "api.attachments");
    assert!(rci.secret_matches("ri-apikey", key));
    let user = rci.user_by_login("api.attachments").expect("the CMI user");
    let rights = rci.list(&format!("users/{}/rights", user["id"].as_str().unwrap()));
    assert_eq!(rights.len(), 1, "{rights:?}");

    let state_text = std::fs::read_to_string(wd.dir().join("terraform.tfstate")).unwrap();
    assert!(!state_text.contains(key), "the RI API key in state");
    assert!(!applied.contains(key));
    assert_no_password(
        &state_text,
        std::slice::from_ref(&password),
        "the state file",
    );
    assert_no_changes(&wd, "applying the write-only module");

    // A new credentials_version: a new password for both.
    wd.env("TF_VAR_credentials_version", "2");
    wd.apply();
    let (works, _, rotated) = rci.check_credentials("cmi-chat-attachment-upload-user");
    assert!(works && rotated != password, "rotated, and still a pair");
    assert_eq!(
        rci.user_by_login("api.attachments").unwrap()["id"],
        user["id"],
        "the same user"
    );
    wd.destroy();
    assert!(rci.user_by_login("api.attachments").is_none());
    assert!(rci.secret_by_name("ri-apikey").is_none());
    assert!(rci.secret_by_name("orchestration-layer").is_some());
}

/// Terraform 1.0.3 knows no ephemeral resources: its own parse error, before the provider is asked.
#[test]
fn an_ephemeral_block_is_terraform_1_0_3s_own_error() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    wd.write_main_tf(&format!(
        r#"{HEADER}
ephemeral "contactpro_password" "cmi" {{}}

resource "contactpro_secret" "cmi" {{
  name              = "{SECRET}"
  type              = "header"
  secret_wo         = ephemeral.contactpro_password.cmi.result
  secret_wo_version = 1
}}
"#
    ));
    let refused = wd.run(&["init", "-input=false", "-no-color"]);
    let text = flat(&describe(&refused));
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(text.contains("Unsupported block type"), "{text}");
    assert!(
        text.contains(r#"Blocks of type "ephemeral" are not expected here"#),
        "{text}"
    );
    assert!(
        !text.contains("contactpro_password:"),
        "no provider error: {text}"
    );
    assert!(rci.user_by_login(LOGIN).is_none(), "nothing was created");
}
