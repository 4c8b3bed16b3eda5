//! Issue #6 item 5: two Terraform working directories against one tenant create a secret of the
//! same name at the same time. Exactly one wins; the other fails with an error that names the
//! secret and says it already exists; the tenant holds one such secret, the winner's.
#[path = "support/reliability.rs"]
mod reliability;
mod support;

use std::time::Instant;

use reliability::{figure, route_count, spawn_terraform, tenant_secrets, wait_terraform};
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, plan, workdir_for, Rci};
use support::terraform::describe;
use support::Terraform;

const NAME: &str = "race-shared-secret";

fn config(value: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{}}

resource "contactpro_secret" "shared" {{
  name              = "{NAME}"
  type              = "basic"
  authentication_id = "race-user"
  secret            = "{value}"
}}
"#
    )
}

#[test]
fn two_workdirs_creating_the_same_secret_one_wins_one_fails_clearly() {
    // Latency keeps both POSTs in flight together instead of one apply finishing first.
    let emulator = EmulatorProcess::start_with_args(&["--latency-ms", "300"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let terraform = Terraform::v1_0_3();
    let values = ["value-of-workdir-a", "value-of-workdir-b"];
    let workdirs: Vec<_> = values
        .iter()
        .map(|value| {
            let wd = workdir_for(&terraform, &rci);
            wd.write_main_tf(&config(value));
            wd.init();
            wd
        })
        .collect();

    let started = Instant::now();
    let args = ["apply", "-auto-approve", "-input=false", "-no-color"];
    let children: Vec<_> = workdirs
        .iter()
        .map(|wd| spawn_terraform(wd, &rci, &args))
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| wait_terraform(c, "terraform apply (race)"))
        .collect();
    let elapsed = started.elapsed();
    let codes: Vec<i32> = outputs
        .iter()
        .map(|o| o.status.code().unwrap_or(-1))
        .collect();
    let winners: Vec<usize> = (0..2).filter(|&i| codes[i] == 0).collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one apply must succeed, exit codes {codes:?}\nA: {}\nB: {}",
        describe(&outputs[0]),
        describe(&outputs[1])
    );
    let (winner, loser) = (winners[0], 1 - winners[0]);
    assert_eq!(codes[loser], 1, "{}", describe(&outputs[loser]));

    // The loser's error says what happened, to which secret, and what to do. Terraform wraps
    // long lines, so compare with whitespace collapsed.
    let error = String::from_utf8_lossy(&outputs[loser].stderr).into_owned();
    let flat = error.split_whitespace().collect::<Vec<_>>().join(" ");
    let summary = error
        .lines()
        .find(|l| l.contains("Error:"))
        .unwrap_or_default();
    assert!(
        summary.contains(NAME),
        "the error's summary does not name the secret:\n{error}"
    );
    assert!(
        flat.contains("409") && flat.contains("already exists"),
        "the error does not say the secret conflicts with an existing one:\n{error}"
    );
    assert!(
        flat.contains("terraform import"),
        "no way out offered:\n{error}"
    );
    assert!(
        !error.contains(values[loser]) && !error.contains(values[winner]),
        "a secret value leaked into the error"
    );

    // One secret, the winner's, under the id the winner's state holds.
    let secrets = tenant_secrets(&rci, NAME);
    assert_eq!(secrets.len(), 1, "{secrets:?}");
    let state = workdirs[winner].state_json();
    let state_id = state["values"]["root_module"]["resources"][0]["values"]["id"].clone();
    assert_eq!(
        state_id,
        secrets[0].1.as_str(),
        "the winner's state holds the secret"
    );
    assert!(
        rci.secret_matches(NAME, values[winner]),
        "the winner's value is stored"
    );
    assert!(
        !rci.secret_matches(NAME, values[loser]),
        "the loser's value is not"
    );
    assert_no_changes(&workdirs[winner], "winning the race");

    // The loser recorded nothing: its state is empty and its plan still proposes the create.
    let loser_state = workdirs[loser].state_json();
    assert!(
        loser_state["values"]["root_module"]["resources"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "the loser recorded a secret it did not create: {loser_state}"
    );
    let (code, text) = plan(&workdirs[loser]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("will be created"), "{text}");
    assert!(rci.secret_matches("orchestration-layer", "orchestration-layer-secret"));

    let stats = rci.stats();
    // Both really tried: the loser's create reached the API and was refused there.
    assert_eq!(route_count(&stats, "POST secrets"), 2, "{stats}");
    figure(
        "reliability_concurrency",
        &format!(
            "two applies started together: workdir {} won, workdir {} failed with HTTP 409 naming \
             {NAME:?}; {} POST secrets reached the API; both finished in {:.1} s; 1 secret in \
             the tenant",
            ["A", "B"][winner],
            ["A", "B"][loser],
            route_count(&stats, "POST secrets"),
            elapsed.as_secs_f64()
        ),
    );
}
