//! Issue #6 item 3: an apply interrupted by a crash of the API (the emulator SIGKILLed and
//! restarted on the same database and port) and by Ctrl-C (SIGINT to Terraform's process group).
//! Afterwards a second apply converges, the next plan is empty, and the state and the tenant
//! agree object for object: nothing lost, nothing duplicated, nothing orphaned.
#[path = "support/reliability.rs"]
mod reliability;
mod support;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reliability::{
    assert_recorded, assert_unique, figure, list_settled, route_count, spawn_terraform, state_keys,
    state_resources, tenant_secrets, tenant_users, wait_terraform, wait_until,
};
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, workdir_for, Rci};
use support::terraform::{describe, stderr};
use support::{Terraform, TfWorkdir};

const COUNT: usize = 30;
/// Per RCI request, so an apply of this size is in flight for several seconds.
const LATENCY_MS: &str = "100";
const APPLY: &[&str] = &["apply", "-auto-approve", "-input=false", "-no-color"];

fn config(prefix: &str) -> String {
    config_with(prefix, "")
}

/// `provider_settings` goes into the provider block, e.g. `max_retries = 20`.
fn config_with(prefix: &str, provider_settings: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{
  {provider_settings}
}}

data "contactpro_queue_group" "chat" {{
  name = "Chat Queues"
}}

resource "contactpro_user" "u" {{
  count      = {COUNT}
  first_name = "Crash"
  last_name  = "User ${{count.index}}"
  login      = format("{prefix}.user%02d", count.index)
  password   = format("Crash-Test-Password-%02d", count.index)
}}

resource "contactpro_user_rights" "u" {{
  count   = {COUNT}
  user_id = contactpro_user.u[count.index].id
  right {{
    object_type = "queue_group"
    object_id   = data.contactpro_queue_group.chat.id
    access      = ["view", "manage_contact_history"]
  }}
}}

resource "contactpro_secret" "s" {{
  count  = {COUNT}
  name   = format("{prefix}-secret-%02d", count.index)
  type   = "header"
  secret = format("crash-value-%02d", count.index)
}}
"#
    )
}

/// The state and the tenant hold the same objects under the same ids, all `COUNT` of each,
/// each user with exactly its one right. Returns the number of resources in the state.
fn assert_state_matches_tenant(wd: &TfWorkdir, rci: &Rci, prefix: &str) -> usize {
    let state = state_resources(&wd.state_json());
    let users = tenant_users(rci, &format!("{prefix}.user"));
    assert_unique(&users, "login");
    assert_eq!(users.len(), COUNT, "users in the tenant: {users:?}");
    assert_eq!(
        users,
        state_keys(&state, "contactpro_user", "login"),
        "users: tenant ≡ state"
    );
    let secrets = tenant_secrets(rci, &format!("{prefix}-secret-"));
    assert_unique(&secrets, "secret name");
    assert_eq!(secrets.len(), COUNT, "secrets in the tenant: {secrets:?}");
    assert_eq!(
        secrets,
        state_keys(&state, "contactpro_secret", "name"),
        "secrets: tenant ≡ state"
    );
    for (i, (name, _)) in secrets.iter().enumerate() {
        assert!(
            rci.secret_matches(name, &format!("crash-value-{i:02}")),
            "{name} value"
        );
    }
    let mut rights_users: Vec<String> = state["contactpro_user_rights"]
        .iter()
        .map(|r| r["user_id"].as_str().unwrap().to_string())
        .collect();
    rights_users.sort();
    let mut user_ids: Vec<String> = users.iter().map(|(_, id)| id.clone()).collect();
    user_ids.sort();
    assert_eq!(
        rights_users, user_ids,
        "one contactpro_user_rights per user in the state"
    );
    for (login, id) in &users {
        let rights = list_settled(rci, &format!("users/{id}/rights"));
        assert_eq!(rights.len(), 1, "{login}: {rights:?}");
        assert_eq!(rights[0]["objectType"], "QueueGroup", "{login}");
    }
    state.values().map(Vec::len).sum()
}

/// Which of our objects exist right now (users, secrets).
fn tenant_counts(rci: &Rci, prefix: &str) -> (usize, usize) {
    (
        tenant_users(rci, &format!("{prefix}.user")).len(),
        tenant_secrets(rci, &format!("{prefix}-secret-")).len(),
    )
}

fn exit_code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// How the first apply must end.
#[derive(PartialEq)]
enum FirstApply {
    /// The retries outlast the outage.
    Bridged,
    /// The outage outlasts the retries of the requests it meets.
    Fails,
}

/// Kills the emulator mid-apply, keeps it down for `outage`, restarts it on the same database
/// and port; then the first apply's end, a second apply, and state ≡ tenant.
fn crash_during_apply(prefix: &str, outage: Duration, settings: &str, expected: FirstApply) {
    let mut emulator = EmulatorProcess::start_with_args(&["--latency-ms", LATENCY_MS]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    wd.write_main_tf(&config_with(prefix, settings));
    wd.init();

    let started = Instant::now();
    let child = spawn_terraform(&wd, &rci, APPLY);
    let apply = std::thread::spawn(move || wait_terraform(child, "terraform apply (crash)"));
    // Crash once creates are flowing: some users exist, most of the apply is still ahead.
    assert!(
        wait_until(Duration::from_secs(120), || route_count(
            &rci.stats(),
            "POST users"
        ) >= 8),
        "the apply never started creating users"
    );
    let at_crash = rci.stats();
    emulator.kill();
    std::thread::sleep(outage);
    emulator.restart();
    let restarted_at = started.elapsed();
    // A fresh checking client: the old one's pooled connections died with the emulator.
    let rci = Rci::new(emulator.base_url(), "demo");
    let first = apply.join().unwrap();
    let first_time = started.elapsed();
    match expected {
        FirstApply::Bridged => assert_eq!(
            exit_code(&first),
            0,
            "the retries did not bridge the crash:\n{}",
            describe(&first)
        ),
        FirstApply::Fails => {
            assert_eq!(exit_code(&first), 1, "{}", describe(&first));
            let said = stderr(&first)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                said.contains("could not reach the API") || said.contains("it is unknown whether"),
                "the failure does not say the API was unreachable:\n{}",
                describe(&first)
            );
        }
    }
    // Creates whose POST may have landed while the API went away (recorded without an id).
    let flat_stderr = stderr(&first)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let unresolved = flat_stderr.matches("it is unknown whether").count();
    // Whatever the first apply created, it recorded: no orphan even when it failed.
    let state = state_resources(&wd.state_json());
    let users_after_first = tenant_users(&rci, &format!("{prefix}.user"));
    let secrets_after_first = tenant_secrets(&rci, &format!("{prefix}-secret-"));
    assert_recorded(
        &users_after_first,
        &state_keys(&state, "contactpro_user", "login"),
        "users after the crash",
    );
    assert_recorded(
        &secrets_after_first,
        &state_keys(&state, "contactpro_secret", "name"),
        "secrets after the crash",
    );

    let started = Instant::now();
    wd.apply();
    let second_time = started.elapsed();
    assert_no_changes(&wd, "the apply after a crash");
    let converged = assert_state_matches_tenant(&wd, &rci, prefix);
    figure(
        "reliability_crash kill",
        &format!(
            "emulator SIGKILLed after {} POST users / {} POST secrets ({} requests), down for \
             {:.1} s, back {:.1} s into the apply; first apply exit {} after {:.1} s, leaving {} \
             users and {} secrets, all in the state ({unresolved} creates of unknown outcome); \
             second apply {:.1} s; {converged} resources converged, state ≡ tenant",
            route_count(&at_crash, "POST users"),
            route_count(&at_crash, "POST secrets"),
            at_crash["total"],
            outage.as_secs_f64(),
            restarted_at.as_secs_f64(),
            exit_code(&first),
            first_time.as_secs_f64(),
            users_after_first.len(),
            secrets_after_first.len(),
            second_time.as_secs_f64()
        ),
    );

    wd.destroy();
    assert_eq!(
        tenant_counts(&rci, prefix),
        (0, 0),
        "destroy left objects behind"
    );
}

/// Killed and restarted at once: the client's retries bridge the gap, and the first apply
/// succeeds. With the default 5 retries the jittered backoff (at most 0.1 + 0.2 + … + 1.6 s =
/// 3.1 s, often much less) may end before the emulator is back; 20 retries wait out a restart.
#[test]
fn apply_survives_the_api_crashing_mid_apply() {
    crash_during_apply(
        "crash",
        Duration::ZERO,
        "max_retries = 20",
        FirstApply::Bridged,
    );
}

/// Down for 6 s, longer than the default retries' whole backoff (at most 3.1 s): the first
/// apply fails part-way, and a second apply completes it.
#[test]
fn apply_after_an_api_outage_mid_apply_converges() {
    crash_during_apply("outage", Duration::from_secs(6), "", FirstApply::Fails);
}

/// `terraform apply` as `spawn_terraform` starts it (own process group, the tenant's settings),
/// with a trace log, whose line `GRPCProvider.v6: Stop` tells when Terraform stops its provider.
fn spawn_logged_apply(wd: &TfWorkdir, rci: &Rci, log: &Path) -> Child {
    let mut cmd = Command::new(&wd.terraform().path);
    cmd.args(APPLY).current_dir(wd.dir());
    for var in [
        "TF_PLUGIN_CACHE_DIR",
        "TF_REATTACH_PROVIDERS",
        "TF_CLI_ARGS",
        "TF_DATA_DIR",
        "TF_WORKSPACE",
    ] {
        cmd.env_remove(var);
    }
    let cli_config = wd.dir().parent().unwrap().join("terraform.rc");
    cmd.env("TF_CLI_CONFIG_FILE", cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", log);
    for (key, value) in rci.provider_env() {
        cmd.env(key, value);
    }
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", wd.terraform().path.display()))
}

/// Follows a growing log every 2 ms, reading only what is new, until `needle` appears.
fn wait_for_line(log: &Path, needle: &str, timeout: Duration) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let deadline = Instant::now() + timeout;
    let (mut offset, mut carry) = (0u64, String::new());
    while Instant::now() < deadline {
        if let Ok(mut file) = std::fs::File::open(log) {
            let mut fresh = Vec::new();
            if file.seek(SeekFrom::Start(offset)).is_ok() && file.read_to_end(&mut fresh).is_ok() {
                offset += fresh.len() as u64;
                carry.push_str(&String::from_utf8_lossy(&fresh));
                if carry.contains(needle) {
                    return true;
                }
                // Keep a tail, in case the needle straddles two reads.
                let keep = carry.len().saturating_sub(needle.len());
                let cut = (keep..=carry.len())
                    .find(|i| carry.is_char_boundary(*i))
                    .unwrap_or(0);
                carry.drain(..cut);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

/// Terraform's own processes in `group` (1.0.3 runs two), not its providers.
fn terraform_pids(group: libc::pid_t) -> Vec<libc::pid_t> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'.
            let Some((head, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let pgrp = rest.split_whitespace().nth(2).and_then(|g| g.parse().ok());
            pgrp == Some(group) && head.ends_with("(terraform")
        })
        .collect()
}

fn signal_all(pids: &[libc::pid_t], signal: libc::c_int) {
    for pid in pids {
        // SAFETY: kill only sends a signal, to processes of our own child's group.
        unsafe { libc::kill(*pid, signal) };
    }
}

/// Ctrl-C mid-apply, and then the hard case: Terraform is paused for 0.5 s right after it sent
/// StopProvider, so replies of creates in flight wait for it. A provider that exits on Stop loses
/// them (Terraform then drops those users from the state); ours keeps serving until Terraform
/// reads them and shuts it down.
#[test]
fn apply_survives_ctrl_c() {
    ctrl_c_with_stop_pause(&Terraform::v1_0_3(), "sigint");
}

/// The same on the newest Terraform on PATH (1.11.4 was seen), where the lost replies were most
/// frequent; skipped when there is none.
#[test]
fn apply_survives_ctrl_c_on_the_newest_terraform() {
    match Terraform::from_path() {
        Some(terraform) => ctrl_c_with_stop_pause(&terraform, "sigint-new"),
        None => eprintln!("no Terraform on PATH: skipped"),
    }
}

fn ctrl_c_with_stop_pause(terraform: &Terraform, prefix: &str) {
    let emulator = EmulatorProcess::start_with_args(&["--latency-ms", LATENCY_MS]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(terraform, &rci);
    wd.write_main_tf(&config(prefix));
    wd.init();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("terraform.log");

    let started = Instant::now();
    let child = spawn_logged_apply(&wd, &rci, &log);
    let group = child.id() as libc::pid_t;
    let apply = std::thread::spawn(move || wait_terraform(child, "terraform apply (Ctrl-C)"));
    assert!(
        wait_until(Duration::from_secs(120), || route_count(
            &rci.stats(),
            "POST users"
        ) >= 8),
        "the apply never started creating users"
    );
    let at_interrupt = rci.stats();
    let interrupted_at = started.elapsed();
    // What a terminal's Ctrl-C does: SIGINT to the foreground process group (Terraform and
    // its provider). The group leader is our child, so the group id is its pid.
    // SAFETY: killpg only sends a signal; the group is our own child's.
    assert_eq!(unsafe { libc::killpg(group, libc::SIGINT) }, 0, "killpg");
    assert!(
        wait_for_line(&log, "GRPCProvider.v6: Stop", Duration::from_secs(30)),
        "Terraform never called StopProvider"
    );
    let paused = terraform_pids(group);
    assert!(!paused.is_empty(), "no Terraform process in group {group}");
    signal_all(&paused, libc::SIGSTOP);
    std::thread::sleep(Duration::from_millis(500));
    signal_all(&paused, libc::SIGCONT);
    let first = apply.join().unwrap();
    let first_time = started.elapsed();
    let first_text = describe(&first);
    eprintln!("interrupted apply:\n{first_text}");
    let (users_after_first, secrets_after_first) = tenant_counts(&rci, prefix);
    // Interrupted mid-way: Terraform says so, stops scheduling, and fails the run.
    assert_ne!(
        exit_code(&first),
        0,
        "the interrupted apply exited 0:\n{first_text}"
    );
    assert!(first_text.contains("Interrupt received"), "{first_text}");
    assert!(
        users_after_first < COUNT || secrets_after_first < COUNT,
        "the interrupt came too late to interrupt anything"
    );
    // What the provider was doing when interrupted landed and was recorded: the state already
    // agrees with the tenant for what exists.
    let state = state_resources(&wd.state_json());
    assert_eq!(
        tenant_users(&rci, &format!("{prefix}.user")),
        state_keys(&state, "contactpro_user", "login"),
        "users after the interrupt: tenant ≡ state"
    );
    assert_eq!(
        tenant_secrets(&rci, &format!("{prefix}-secret-")),
        state_keys(&state, "contactpro_secret", "name"),
        "secrets after the interrupt: tenant ≡ state"
    );

    let started = Instant::now();
    wd.apply();
    let second_time = started.elapsed();
    assert_no_changes(&wd, "the apply after Ctrl-C");
    let converged = assert_state_matches_tenant(&wd, &rci, prefix);
    figure(
        &format!("reliability_crash sigint v{}", terraform.version),
        &format!(
            "SIGINT to Terraform's process group {:.1} s into the apply (after {} POST users, \
             {} POST secrets); first apply exit {} after {:.1} s, leaving {users_after_first} \
             users and {secrets_after_first} secrets, all in the state (Terraform paused 0.5 s \
             right after StopProvider); second apply {:.1} s; \
             {converged} resources converged, state ≡ tenant",
            interrupted_at.as_secs_f64(),
            route_count(&at_interrupt, "POST users"),
            route_count(&at_interrupt, "POST secrets"),
            exit_code(&first),
            first_time.as_secs_f64(),
            second_time.as_secs_f64()
        ),
    );

    wd.destroy();
    assert_eq!(
        tenant_counts(&rci, prefix),
        (0, 0),
        "destroy left objects behind"
    );
}
