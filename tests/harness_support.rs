//! Unit tests of the harness's own conversions (no binaries needed).
mod support;

use serde_json::json;
use support::proto::schema::{nested_block::NestingMode, Attribute, Block, NestedBlock};
use support::schema::{conform, proposed_new};
use support::values::{from_msgpack, to_msgpack};
use support::UNKNOWN;

fn attr(name: &str, computed: bool) -> Attribute {
    Attribute {
        name: name.to_string(),
        r#type: br#""string""#.to_vec(),
        optional: !computed,
        computed,
        ..Default::default()
    }
}

fn block() -> Block {
    let tag = Block {
        attributes: vec![attr("key", false)],
        ..Default::default()
    };
    Block {
        attributes: vec![attr("id", true), attr("name", false)],
        block_types: vec![NestedBlock {
            type_name: "tag".to_string(),
            block: Some(tag),
            nesting: NestingMode::List as i32,
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn msgpack_round_trip_keeps_unknown_values() {
    let value = json!({"id": UNKNOWN, "n": 3, "f": 1.5, "l": ["a", null], "b": true});
    assert_eq!(from_msgpack(&to_msgpack(&value)), value);
    // Terraform's unknown: fixext1, type 0.
    assert_eq!(to_msgpack(&json!(UNKNOWN)), vec![0xd4, 0x00, 0x00]);
}

#[test]
fn conform_fills_unset_attributes_and_blocks() {
    let got = conform(&block(), &json!({"name": "x", "tag": [{}]}));
    assert_eq!(
        got,
        json!({"id": null, "name": "x", "tag": [{"key": null}]})
    );
    let got = conform(&block(), &json!({"name": "x"}));
    assert_eq!(got, json!({"id": null, "name": "x", "tag": []}));
}

#[test]
fn proposed_new_keeps_computed_prior_values() {
    let prior = json!({"id": "1", "name": "a", "tag": []});
    let config = conform(&block(), &json!({"name": "b"}));
    let got = proposed_new(&block(), &prior, &config);
    assert_eq!(got, json!({"id": "1", "name": "b", "tag": []}));
}

/// A restarted emulator keeps its port without re-binding it: while it is down, connections
/// are refused (as from a crashed server) and nobody else can bind the port.
#[test]
fn emulator_restart_keeps_its_port_and_refuses_while_down() {
    use std::io::ErrorKind;
    use std::net::{TcpListener, TcpStream};
    let mut emulator = support::emulator::EmulatorProcess::start();
    let rci = support::rci::Rci::new(emulator.base_url(), "demo");
    let before = rci.list("users").len();
    let addr = emulator.addr().to_string();
    emulator.kill();
    let refused =
        TcpStream::connect(&addr).expect_err("nothing may accept while the emulator is down");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "{refused}");
    let taken = TcpListener::bind(&addr).expect_err("the port must stay bound while down");
    assert_eq!(taken.kind(), ErrorKind::AddrInUse, "{taken}");
    emulator.restart();
    assert_eq!(emulator.addr(), addr, "same port after the restart");
    let rci = support::rci::Rci::new(emulator.base_url(), "demo");
    assert_eq!(
        rci.list("users").len(),
        before,
        "same database after the restart"
    );
}

/// A subprocess past its deadline is killed with its whole process group, and the failure names
/// it and shows its last output.
#[test]
fn a_hanging_subprocess_is_killed_and_named() {
    let mut cmd = std::process::Command::new("sh");
    cmd.args([
        "-c",
        "sleep 600 & echo \"grandchild $!\"; echo still-here >&2; sleep 600",
    ]);
    let failure = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        support::process::output_within(&mut cmd, "the sleeper", std::time::Duration::from_secs(1))
    }))
    .expect_err("the deadline must end the command");
    let message = failure
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("the sleeper (pid "), "{message}");
    assert!(message.contains("still running after"), "{message}");
    assert!(
        message.contains("still-here"),
        "last stderr shown: {message}"
    );
    let grandchild: u32 = message
        .split("grandchild ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no grandchild pid in {message}"));
    // Killed with the group: gone, or a zombie waiting for init to reap it.
    let state = std::fs::read_to_string(format!("/proc/{grandchild}/stat")).unwrap_or_default();
    let running = state
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .is_some_and(|s| s != "Z");
    assert!(!running, "the grandchild {grandchild} still runs: {state}");
}
