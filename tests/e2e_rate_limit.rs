//! `requests_per_second` from a Terraform configuration to the wire: the requests of a plan
//! reach the emulator at least 1/rate apart. Measured as a lower bound on the emulator's own
//! clock (its request log), which a slow machine can only make longer.
mod support;

use support::emulator::EmulatorProcess;
use support::rci::{workdir_for, Rci};
use support::Terraform;

const RATE: f64 = 2.0;

fn config() -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{
  requests_per_second = {RATE}
}}

data "contactpro_queue_group" "chat" {{ name = "Chat Queues" }}
data "contactpro_queue" "chat_support" {{ name = "Chat Support" }}
data "contactpro_queue" "phone" {{ name = "Phone Support" }}
data "contactpro_user_group" "agents" {{ name = "Sample Agents Group" }}
data "contactpro_user_group" "supervisors" {{ name = "Sample Supervisors Group" }}
data "contactpro_secret" "orchestration" {{ name = "orchestration-layer" }}
"#
    )
}

/// Seconds since midnight at which each logged RCI request arrived: the log line's time (when
/// the answer went out) minus the time the emulator spent on it.
fn arrivals(log: &str) -> Vec<f64> {
    let mut times: Vec<f64> = log
        .lines()
        .filter(|line| line.contains(" request route="))
        .map(|line| {
            let clock = line
                .split('T')
                .nth(1)
                .expect("timestamp")
                .split('Z')
                .next()
                .unwrap();
            let parts: Vec<f64> = clock.split(':').map(|p| p.parse().unwrap()).collect();
            let elapsed_us: f64 = line
                .rsplit("elapsed_us=")
                .next()
                .and_then(|us| us.trim().parse().ok())
                .expect("elapsed_us");
            parts[0] * 3600.0 + parts[1] * 60.0 + parts[2] - elapsed_us / 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

#[test]
fn requests_per_second_spaces_the_requests_of_a_plan() {
    let emulator =
        EmulatorProcess::start_with_env(&[], &[("RUST_LOG", "contactpro_emulator=debug")]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    wd.write_main_tf(&config());
    wd.init();
    let mark = emulator.stderr_output().len();
    wd.run_ok(&["plan", "-input=false", "-no-color"]);
    let times = arrivals(&emulator.stderr_output()[mark..]);
    let requests = times.len();
    assert!(requests >= 5, "too few requests to see a rate: {times:?}");
    let span = times[requests - 1] - times[0];
    // n requests need n-1 intervals; one interval is left as slack for how long the first
    // request took to reach the emulator (a fresh connection). Unlimited, the six reads of
    // this plan run in parallel and arrive within a fraction of one interval.
    let at_least = (requests - 2) as f64 / RATE;
    eprintln!("rate limit: {requests} requests arrived over {span:.2} s at {RATE}/s (at least {at_least:.2} s)");
    assert!(
        span >= at_least,
        "{requests} requests arrived within {span:.2} s: faster than {RATE}/s allows"
    );
}
