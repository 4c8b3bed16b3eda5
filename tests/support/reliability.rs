//! Helpers of the reliability tests (tests/reliability_*.rs): Terraform as a background child,
//! the objects a state holds, and the figures the tests print.
//!
//! Include from a test file next to `mod support;` with
//! `#[path = "support/reliability.rs"] mod reliability;`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value as Json;

use crate::support::process;
use crate::support::rci::Rci;
use crate::support::TfWorkdir;

/// Starts `terraform ARGS` in `wd` as a child with piped output, configured for `rci`'s tenant
/// the way `TfWorkdir::run` does it. The child leads a new process group, so a signal to that
/// group reaches Terraform and its providers as a terminal's Ctrl-C would, and so that
/// `wait_terraform` can kill all of them when the deadline passes.
pub fn spawn_terraform(wd: &TfWorkdir, rci: &Rci, args: &[&str]) -> Child {
    let mut cmd = Command::new(&wd.terraform().path);
    cmd.args(args).current_dir(wd.dir());
    for var in [
        "TF_LOG",
        "TF_LOG_PATH",
        "TF_PLUGIN_CACHE_DIR",
        "TF_REATTACH_PROVIDERS",
        "TF_CLI_ARGS",
        "TF_DATA_DIR",
        "TF_WORKSPACE",
    ] {
        cmd.env_remove(var);
    }
    // TfWorkdir keeps its CLI config (the provider mirror) next to the working directory.
    let cli_config = wd.dir().parent().unwrap().join("terraform.rc");
    assert!(cli_config.is_file(), "{} missing", cli_config.display());
    cmd.env("TF_CLI_CONFIG_FILE", cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0");
    for (key, value) in rci.provider_env() {
        cmd.env(key, value);
    }
    // Debugging aid: DEBUG_TF_LOG_DIR=/some/dir keeps one Terraform debug log per working dir.
    if let Ok(dir) = std::env::var("DEBUG_TF_LOG_DIR") {
        let name = wd.dir().parent().unwrap().file_name().unwrap().to_owned();
        let log = std::path::Path::new(&dir).join(name).with_extension("log");
        cmd.env("TF_LOG", "debug").env("TF_LOG_PATH", log);
    }
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", wd.terraform().path.display()))
}

/// Waits for a child of `spawn_terraform` under the deadline of any Terraform command.
pub fn wait_terraform(child: Child, what: &str) -> std::process::Output {
    process::wait_within(child, what, process::TERRAFORM)
}

/// Requests the emulator counted for `key` (e.g. `"POST users"`) since its start or last reset.
pub fn route_count(stats: &Json, key: &str) -> u64 {
    stats["byRoute"][key].as_u64().unwrap_or(0)
}

/// Injected faults by kind: (error, throttle, lostResponse).
pub fn faults(stats: &Json) -> (u64, u64, u64) {
    let f = &stats["faults"];
    (
        f["error"].as_u64().unwrap_or(0),
        f["throttle"].as_u64().unwrap_or(0),
        f["lostResponse"].as_u64().unwrap_or(0),
    )
}

/// Polls `condition` every 50 ms until it holds; false after `timeout`.
pub fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    condition()
}

/// The managed resources of a `terraform show -json` state: type → list of their `values`.
pub fn state_resources(state: &Json) -> BTreeMap<String, Vec<Json>> {
    let mut by_type: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for resource in resources {
        if resource["mode"] != "managed" {
            continue;
        }
        let kind = resource["type"].as_str().unwrap_or_default().to_string();
        by_type
            .entry(kind)
            .or_default()
            .push(resource["values"].clone());
    }
    by_type
}

/// `(key, id)` pairs of one resource type in a state, sorted: e.g. `("login", ...)` for users.
pub fn state_keys(
    state: &BTreeMap<String, Vec<Json>>,
    kind: &str,
    key: &str,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = state
        .get(kind)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|v| {
            (
                v[key].as_str().unwrap_or_default().to_string(),
                v["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

/// GET through injected faults: `Rci::get_ok` panics on the first 429 or 5xx, so the checks of
/// a faulty emulator retry those here (GETs write nothing, so a retry is always safe).
pub fn get_settled(rci: &Rci, path: &str) -> Json {
    for _ in 0..100 {
        let (status, body) = rci.get(path);
        match status {
            200 => return body,
            429 | 500 | 502 | 503 | 504 => std::thread::sleep(Duration::from_millis(20)),
            _ => panic!("GET {path}: {status} {body}"),
        }
    }
    panic!("GET {path} kept failing");
}

/// Every object of a list endpoint (one page of up to 1000), through injected faults.
pub fn list_settled(rci: &Rci, path: &str) -> Vec<Json> {
    let separator = if path.contains('?') { '&' } else { '?' };
    match get_settled(rci, &format!("{path}{separator}limit=1000")) {
        Json::Array(items) => items,
        other => panic!("{path} is not a list: {other}"),
    }
}

/// Id of the object called `name` in a directory list such as `queueGroups`.
pub fn id_by_name(rci: &Rci, collection: &str, name: &str) -> String {
    list_settled(rci, collection)
        .into_iter()
        .find(|o| o["name"] == name)
        .and_then(|o| o["id"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no {collection} named {name}"))
}

/// `(login, id)` of the tenant's users whose login starts with `prefix`, sorted.
pub fn tenant_users(rci: &Rci, prefix: &str) -> Vec<(String, String)> {
    tenant_pairs(
        list_settled(rci, &format!("users?login={prefix}*")),
        "login",
    )
}

/// `(name, id)` of the tenant's secrets whose name starts with `prefix`, sorted.
pub fn tenant_secrets(rci: &Rci, prefix: &str) -> Vec<(String, String)> {
    tenant_pairs(
        list_settled(rci, &format!("secrets?name={prefix}*")),
        "name",
    )
}

fn tenant_pairs(items: Vec<Json>, key: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = items
        .iter()
        .map(|o| {
            (
                o[key].as_str().unwrap_or_default().to_string(),
                o["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

/// Asserts that the keys of `pairs` are distinct (no duplicate login or name).
pub fn assert_unique(pairs: &[(String, String)], what: &str) {
    let mut keys: Vec<String> = pairs.iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
    keys.dedup();
    assert_eq!(keys.len(), pairs.len(), "duplicate {what}: {pairs:?}");
}

/// One line of figures, printed so a `--nocapture` run shows it and a failure report keeps it.
pub fn figure(test: &str, text: &str) {
    eprintln!("FIGURES {test}: {text}");
}

/// After an interrupted apply: every object of ours in the tenant is in the state (no orphan),
/// under its id or, when its create's outcome was unknown, without one (found by key later);
/// every id in the state exists in the tenant.
pub fn assert_recorded(tenant: &[(String, String)], state: &[(String, String)], what: &str) {
    for (key, id) in tenant {
        let recorded = state
            .iter()
            .any(|(k, i)| k == key && (i == id || i.is_empty()));
        assert!(recorded, "{what}: {key} ({id}) is in the tenant but not in the state (orphan)\ntenant: {tenant:?}\nstate: {state:?}");
    }
    for (key, id) in state.iter().filter(|(_, id)| !id.is_empty()) {
        assert!(
            tenant.iter().any(|(k, i)| k == key && i == id),
            "{what}: {key} ({id}) is in the state but not in the tenant\ntenant: {tenant:?}\nstate: {state:?}"
        );
    }
}
