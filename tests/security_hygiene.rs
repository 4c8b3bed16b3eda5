//! Secret hygiene (issue 6 item 6): with `TF_LOG=trace` and the provider's own log file on, a whole
//! lifecycle (plan, apply, update, `state show`, failing applies and plans, destroy) never prints a
//! password, API key or secret value (nor the Basic auth header made of one) in any output or log.
mod support;

use std::fs;
use std::path::PathBuf;

use base64::Engine;
use support::emulator::EmulatorProcess;
use support::rci::Rci;
use support::terraform::describe;
use support::{Terraform, TfWorkdir};

const API_KEY: &str = "Hyg-ApiKey-7f3c9a51e2d8";
const ADMIN_PASSWORD: &str = "Hyg-Admin-Pw-4b8d2e61c9";
const USER_PASSWORD_1: &str = "Hyg-User-Pw-A-90c1d7e35b";
const USER_PASSWORD_2: &str = "Hyg-User-Pw-B-2a6f84c0d1";
const SECRET_VALUE_1: &str = "hyg-secret-value-A-5e9b3f";
const SECRET_VALUE_2: &str = "hyg-secret-value-B-71cd02";
/// Value of a secret whose create fails with a conflict.
const CONFLICT_VALUE: &str = "hyg-conflict-value-8d41aa";
/// A password the policy rejects (a non-Latin letter), so validation errors are produced.
const BAD_PASSWORD: &str = "Hyg-Bad-Pw-\u{e4}-3c7e19b2f5";
const WRONG_ADMIN_PASSWORD: &str = "Hyg-Wrong-Pw-6e2b90d4a7";
const WRONG_API_KEY: &str = "Hyg-Wrong-Key-1d5f8c3b";

fn basic(login: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{login}:{password}"))
}

/// Every value that must never be printed, with a name for failure messages.
fn needles() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = [
        ("api key", API_KEY),
        ("admin password", ADMIN_PASSWORD),
        ("user password 1", USER_PASSWORD_1),
        ("user password 2", USER_PASSWORD_2),
        ("secret value 1", SECRET_VALUE_1),
        ("secret value 2", SECRET_VALUE_2),
        ("conflicting secret value", CONFLICT_VALUE),
        ("rejected password", BAD_PASSWORD),
        ("wrong admin password", WRONG_ADMIN_PASSWORD),
        ("wrong api key", WRONG_API_KEY),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    all.push((
        "Basic header of admin".into(),
        basic("admin", ADMIN_PASSWORD),
    ));
    all.push((
        "Basic header of the wrong password".into(),
        basic("admin", WRONG_ADMIN_PASSWORD),
    ));
    all.push((
        "Basic header of the user".into(),
        basic("hyg.user", USER_PASSWORD_1),
    ));
    all
}

fn config(extra: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{
  max_retries = 0
}}

variable "user_password" {{
  type      = string
  sensitive = true
}}
variable "secret_value" {{
  type      = string
  sensitive = true
}}

data "contactpro_user_group" "all" {{
  name = "All Users"
}}

resource "contactpro_user" "hyg" {{
  first_name     = "Hygiene"
  last_name      = "Check"
  login          = "hyg.user"
  password       = var.user_password
  user_group_ids = [data.contactpro_user_group.all.id]
}}

resource "contactpro_secret" "hyg" {{
  name              = "hyg-secret"
  type              = "basic"
  authentication_id = contactpro_user.hyg.login
  secret            = var.secret_value
}}
{extra}
"#
    )
}

/// Where the provider's own log goes.
#[derive(Clone, Copy, Debug)]
enum ProviderLog {
    /// `PLUGIN_LOG_FILE`: the crate's unfiltered TRACE logger writes a file. The crate truncates
    /// it whenever a provider process starts, so one file per command keeps the last process.
    FilePerCommand,
    /// `PLUGIN_LOG_FILE=/dev/stderr`: the same logger for every process, into the TF log.
    FileOnStderr,
    /// No `PLUGIN_LOG_FILE`: the provider's own filter at `TF_LOG` level, into the TF log.
    Default,
}

/// Runs Terraform commands and keeps everything they print and log.
struct Recorder {
    wd: TfWorkdir,
    mode: ProviderLog,
    /// Terraform version and log mode, for failure messages.
    tag: String,
    logs_dir: tempfile::TempDir,
    outputs: Vec<(String, String)>,
    provider_logs: Vec<PathBuf>,
}

impl Recorder {
    /// Runs `terraform ARGS`; `expect_ok` says whether it must succeed or must fail.
    fn run(&mut self, label: &str, args: &[&str], expect_ok: bool) -> String {
        if let ProviderLog::FilePerCommand = self.mode {
            let log = self
                .logs_dir
                .path()
                .join(format!("provider-{}.log", self.provider_logs.len()));
            self.wd.env("PLUGIN_LOG_FILE", &log.display().to_string());
            self.provider_logs.push(log);
        }
        let out = self.wd.run(args);
        let ok = out.status.success();
        assert_eq!(
            ok,
            expect_ok,
            "{label}: unexpected exit\n{}",
            describe(&out)
        );
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self.outputs
            .push((format!("{label} ({})", self.tag), text.clone()));
        text
    }
}

fn mask(text: &str, needle: &str) -> String {
    text.replace(needle, "<LEAKED VALUE>")
}

/// Every output and log of one lifecycle, labelled.
fn scenario(terraform: &Terraform, mode: ProviderLog) -> Vec<(String, String)> {
    let emulator = EmulatorProcess::start_with_args(&[
        "--api-key",
        &format!("demo={API_KEY}"),
        "--admin-password",
        &format!("demo={ADMIN_PASSWORD}"),
    ]);
    // Only the emulator's check-secret is used through this helper; it needs the admin's credentials.
    let checker = Rci::with_credentials(emulator.base_url(), "demo", API_KEY, ADMIN_PASSWORD);

    let tag = format!("v{} {mode:?}", terraform.version);
    let mut wd = TfWorkdir::new(terraform, &support::bins::provider_binary());
    let tf_log = wd.enable_log("trace");
    wd.env(
        "CONTACTPRO_URL",
        &format!("{}/demo/RI", emulator.base_url()),
    )
    .env("CONTACTPRO_API_KEY", API_KEY)
    .env("CONTACTPRO_USERNAME", "admin")
    .env("CONTACTPRO_PASSWORD", ADMIN_PASSWORD)
    .env("TF_VAR_user_password", USER_PASSWORD_1)
    .env("TF_VAR_secret_value", SECRET_VALUE_1);
    if let ProviderLog::FileOnStderr = mode {
        wd.env("PLUGIN_LOG_FILE", "/dev/stderr");
    }
    let mut rec = Recorder {
        wd,
        mode,
        tag: tag.clone(),
        logs_dir: tempfile::tempdir().unwrap(),
        outputs: Vec::new(),
        provider_logs: Vec::new(),
    };

    rec.wd.write_main_tf(&config(""));
    rec.run("init", &["init", "-input=false", "-no-color"], true);
    let plan = rec.run("plan", &["plan", "-input=false", "-no-color"], true);
    // Non-sensitive values are printed; the sensitive ones are masked.
    assert!(
        plan.contains("\"hyg.user\"") && plan.contains("\"hyg-secret\""),
        "{plan}"
    );
    assert!(plan.contains("(sensitive value)"), "{plan}");
    rec.run(
        "apply",
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        true,
    );
    assert!(checker.secret_matches("hyg-secret", SECRET_VALUE_1));
    for address in ["contactpro_user.hyg", "contactpro_secret.hyg"] {
        let shown = rec.run(
            &format!("state show {address}"),
            &["state", "show", "-no-color", address],
            true,
        );
        assert!(shown.contains("(sensitive value)"), "{address}:\n{shown}");
    }

    // Update: both values change, so both are sent again (a PUT with a password).
    rec.wd.env("TF_VAR_user_password", USER_PASSWORD_2);
    rec.wd.env("TF_VAR_secret_value", SECRET_VALUE_2);
    rec.run("plan update", &["plan", "-input=false", "-no-color"], true);
    rec.run(
        "apply update",
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        true,
    );
    assert!(checker.secret_matches("hyg-secret", SECRET_VALUE_2));

    // A create the API refuses (the seeded secret's name is taken): an error from the API.
    rec.wd.write_main_tf(&config(&format!(
        r#"resource "contactpro_secret" "clash" {{
  name   = "orchestration-layer"
  type   = "header"
  secret = "{CONFLICT_VALUE}"
}}"#
    )));
    let failed = rec.run(
        "apply with a conflict",
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        false,
    );
    assert!(failed.contains("409"), "{failed}");
    assert!(checker.secret_matches("orchestration-layer", "orchestration-layer-secret"));

    // A value the password policy rejects: a validation error on `password`.
    rec.wd.write_main_tf(&config(""));
    rec.wd.env("TF_VAR_user_password", BAD_PASSWORD);
    let failed = rec.run(
        "plan with a rejected password",
        &["plan", "-input=false", "-no-color"],
        false,
    );
    assert!(failed.contains("password"), "{failed}");
    rec.wd.env("TF_VAR_user_password", USER_PASSWORD_2);

    // Wrong credentials: the refresh fails with 401, then 403.
    rec.wd.env("CONTACTPRO_PASSWORD", WRONG_ADMIN_PASSWORD);
    let failed = rec.run(
        "plan with a wrong password",
        &["plan", "-input=false", "-no-color"],
        false,
    );
    assert!(failed.contains("401"), "{failed}");
    rec.wd.env("CONTACTPRO_PASSWORD", ADMIN_PASSWORD);
    rec.wd.env("CONTACTPRO_API_KEY", WRONG_API_KEY);
    let failed = rec.run(
        "plan with a wrong api key",
        &["plan", "-input=false", "-no-color"],
        false,
    );
    assert!(failed.contains("403"), "{failed}");
    rec.wd.env("CONTACTPRO_API_KEY", API_KEY);

    let plan = rec.run(
        "plan without changes",
        &["plan", "-input=false", "-no-color", "-detailed-exitcode"],
        true,
    );
    assert!(plan.contains("No changes"), "{plan}");

    // Positive control: the state file holds the typed value (Terraform's design), so the
    // needles are right and would be found if printed.
    let state = fs::read_to_string(rec.wd.dir().join("terraform.tfstate")).unwrap();
    assert!(state.contains(USER_PASSWORD_2) && state.contains(SECRET_VALUE_2));

    rec.run(
        "destroy",
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
        true,
    );

    // Gather every output and log.
    let mut texts = rec.outputs.clone();
    let tf_log_text = fs::read_to_string(&tf_log).expect("TF_LOG_PATH file");
    assert!(
        tf_log_text.contains("[TRACE]") && tf_log_text.contains("ConfigureProvider"),
        "the Terraform log is not at trace level"
    );
    let mut provider_text = String::new();
    for path in &rec.provider_logs {
        provider_text.push_str(&fs::read_to_string(path).unwrap_or_default());
    }
    if let ProviderLog::FilePerCommand = mode {
        // Positive control: the provider logged its requests there (template only).
        assert!(
            provider_text.contains("rci request"),
            "the provider log file is empty"
        );
    } else {
        assert!(
            tf_log_text.contains("rci request"),
            "no provider log in the TF log"
        );
    }
    println!(
        "secret hygiene ({tag}): {} command outputs, TF log {} bytes, provider log files {} bytes, {} logged RCI requests",
        rec.outputs.len(),
        tf_log_text.len(),
        provider_text.len(),
        tf_log_text.matches("rci request").count() + provider_text.matches("rci request").count()
    );
    texts.push((format!("TF_LOG ({tag})"), tf_log_text));
    texts.push((format!("provider log files ({tag})"), provider_text));
    texts.push((format!("emulator stderr ({tag})"), emulator.stderr_output()));
    texts
}

#[test]
fn no_secret_in_any_output_or_log() {
    let mut texts = Vec::new();
    for terraform in Terraform::all() {
        for mode in [
            ProviderLog::FilePerCommand,
            ProviderLog::FileOnStderr,
            ProviderLog::Default,
        ] {
            println!("terraform v{}, provider log {mode:?}", terraform.version);
            texts.extend(scenario(&terraform, mode));
        }
    }
    let needles = needles();
    let mut leaks = Vec::new();
    for (label, text) in &texts {
        for (name, value) in &needles {
            if let Some(at) = text.find(value.as_str()) {
                let start = text[..at]
                    .char_indices()
                    .rev()
                    .nth(200)
                    .map_or(0, |(i, _)| i);
                let end = (at + value.len() + 200).min(text.len());
                let end = (end..text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                leaks.push(format!(
                    "{name} in {label}: ...{}...",
                    mask(&text[start..end], value)
                ));
            }
        }
    }
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    println!(
        "secret hygiene: {} outputs and logs ({} bytes) searched for {} values: {} leaks",
        texts.len(),
        total,
        needles.len(),
        leaks.len()
    );
    assert!(
        leaks.is_empty(),
        "secret values printed:\n{}",
        leaks.join("\n\n")
    );
}
