//! `user_credentials` as docs/resources/secret.md promises it: the generated password is set on
//! the user first and only then written to the secret (on create and on rotation), and when the
//! secret write fails after the password was set, the apply fails with an error that says so;
//! the next apply writes a new, working pair.
mod support;

use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, workdir_for, Rci};
use support::terraform::{describe, stderr};
use support::Terraform;

const LOGIN: &str = "order.cmi";
const SECRET: &str = "order-cmi-credentials";
const PASSWORD_SET: &str = "route=PUT users/{id}/authentication status=204";

fn config(with_secret: bool, rotation: &str) -> String {
    let secret = if with_secret {
        format!(
            r#"
resource "contactpro_secret" "cmi" {{
  name = "{SECRET}"
  type = "basic"
  user_credentials {{
    user_id  = contactpro_user.cmi.id
    rotation = "{rotation}"
  }}
}}
"#
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

resource "contactpro_user" "cmi" {{
  first_name                 = "CMI"
  last_name                  = "Order"
  login                      = "{LOGIN}"
  service_account            = true
  service_account_expires_at = "2030-06-30T00:00:00Z"
}}
{secret}"#
    )
}

/// The emulator's request log (`route=… status=…` lines, in the order the answers were sent)
/// since `from`, one entry per request.
fn requests_since(emulator: &EmulatorProcess, from: usize) -> Vec<String> {
    emulator.stderr_output()[from..]
        .lines()
        .filter_map(|line| line.split_once(" request ").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split(" elapsed_us=").next())
        .map(str::to_string)
        .collect()
}

/// Index of the only request matching `needle`.
fn only(requests: &[String], needle: &str) -> usize {
    let found: Vec<usize> = (0..requests.len())
        .filter(|i| requests[*i].contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "{needle:?} in {requests:#?}");
    found[0]
}

#[test]
fn password_is_set_before_the_secret_is_written_and_a_failed_write_says_so() {
    let emulator =
        EmulatorProcess::start_with_env(&[], &[("RUST_LOG", "contactpro_emulator=debug")]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    wd.write_main_tf(&config(false, ""));
    wd.init();
    wd.apply();

    // Create: the password (a PUT of the user's authentication) is answered before the
    // secret's POST is sent (the provider awaits the one before it sends the other).
    wd.write_main_tf(&config(true, "one"));
    let mark = emulator.stderr_output().len();
    wd.apply();
    let requests = requests_since(&emulator, mark);
    let password = only(&requests, PASSWORD_SET);
    let secret = only(&requests, "route=POST secrets status=201");
    assert!(password < secret, "password first: {requests:#?}");
    let (authenticates, _, first_pair) = rci.check_credentials(SECRET);
    assert!(authenticates);

    // Rotation: the same order, with a PUT of the secret.
    wd.write_main_tf(&config(true, "two"));
    let mark = emulator.stderr_output().len();
    wd.apply();
    let requests = requests_since(&emulator, mark);
    let password = only(&requests, PASSWORD_SET);
    let secret = only(&requests, "route=PUT secrets/{id} status=204");
    assert!(password < secret, "password first: {requests:#?}");
    let (authenticates, _, second_pair) = rci.check_credentials(SECRET);
    assert!(authenticates);
    assert_ne!(first_pair, second_pair, "rotation wrote a new password");

    // The secret write fails after the password was set: a saved plan rotates a secret that
    // is deleted before the apply (so nothing refreshes it away), and its PUT finds nothing.
    wd.write_main_tf(&config(true, "three"));
    wd.run_ok(&["plan", "-input=false", "-no-color", "-out=rotate.tfplan"]);
    let id = rci.secret_by_name(SECRET).expect("secret")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(rci.delete(&format!("secrets/{id}")), 204);
    let failed = wd.run_expect(
        &["apply", "-input=false", "-no-color", "rotate.tfplan"],
        &[1],
    );
    let said = stderr(&failed)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains("the new password was set on the user, but storing it in the secret failed")
            && said.contains("the secret still holds the previous credentials"),
        "{}",
        describe(&failed)
    );
    assert!(
        !rci.password_has_fingerprint(LOGIN, &second_pair),
        "the error says the user has a new password: it must be true"
    );

    // The next apply writes a new, working pair.
    wd.apply();
    let (authenticates, login, _) = rci.check_credentials(SECRET);
    assert!(authenticates, "the pair written after the failure logs in");
    assert_eq!(login, LOGIN);
    assert_no_changes(&wd, "the apply after the failed secret write");
    wd.destroy();
}
