//! `make demo`'s script: twice in a row it starts the emulator, applies the chat-attachment-upload
//! example and ends with a plan that shows no changes; `--stop` stops the emulator it started.
mod support;

use std::process::{Command, Output};

use support::bins;
use support::process::{self, require_tool};
use support::terraform::{describe, repo_root};

fn demo(dir: &std::path::Path, args: &[&str]) -> Output {
    require_tool("bash", "install bash");
    let mut cmd = Command::new("bash");
    cmd.arg(repo_root().join("scripts/demo.sh"))
        .args(args)
        .env("DEMO_DIR", dir)
        .env("DEMO_LISTEN", "127.0.0.1:0")
        .env("EMULATOR_BIN", bins::emulator_binary())
        .env("PROVIDER_BIN", bins::provider_binary())
        .env(
            "TERRAFORM",
            repo_root().join(".tools/terraform-1.0.3/terraform"),
        );
    let what = format!("scripts/demo.sh {}", args.join(" "));
    process::output_within(&mut cmd, &what, process::TERRAFORM)
}

#[test]
fn demo_applies_the_example_and_replans_clean_twice() {
    let dir = tempfile::tempdir().unwrap();
    for (run, created) in [
        (1, "Resources: 4 added"),
        (2, "Resources: 0 added, 0 changed"),
    ] {
        let out = demo(dir.path(), &[]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "run {run}: {}", describe(&out));
        assert!(text.contains(created), "run {run}: {text}");
        assert!(
            text.contains("cmi_user_login = \"api.attachments\""),
            "run {run}: {text}"
        );
        let second_plan = text.split("a second plan").nth(1).unwrap_or_default();
        assert!(second_plan.contains("No changes."), "run {run}: {text}");
    }
    let pid = std::fs::read_to_string(dir.path().join("emulator.pid")).unwrap();
    let pid = pid.trim().to_string();
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    let out = demo(dir.path(), &["--stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    std::thread::sleep(std::time::Duration::from_millis(200));
    let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    assert!(
        !cmdline.contains("contactpro-emulator"),
        "the demo's emulator still runs"
    );
    assert!(!dir.path().join("emulator.pid").exists());
}
