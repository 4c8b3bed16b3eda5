//! scripts/release.sh makes a package Terraform installs: the zip, manifest and SHA256SUMS have the
//! Registry's names, the sums verify, and `terraform init -plugin-dir` installs the provider from the
//! zip in the packed mirror layout and can start it. The debug binary is packaged (PROVIDER_BINARY)
//! so the test needs no release build.

mod support;

use std::path::Path;
use std::process::Command;

use support::bins::PROVIDER_VERSION as VERSION;
use support::process::{self, require_tool};
use support::terraform::{describe, platform, repo_root, PROVIDER_SOURCE as PROVIDER_ADDRESS};
use support::Terraform;

fn run(mut cmd: Command) -> std::process::Output {
    let what = format!("{cmd:?}");
    process::output_within(&mut cmd, &what, process::TERRAFORM)
}

const NAME: &str = "terraform-provider-contactpro";

fn package(dist: &Path, zip_tool: &str) {
    require_tool("bash", "install bash");
    require_tool("sha256sum", "install coreutils");
    require_tool("python3", "install python3 (`make setup` needs it too)");
    let mut cmd = Command::new("bash");
    cmd.arg(repo_root().join("scripts/release.sh"))
        .env(
            "PROVIDER_BINARY",
            env!("CARGO_BIN_EXE_terraform-provider-contactpro"),
        )
        .env("DIST_DIR", dist)
        .env("ZIP_TOOL", zip_tool);
    let out = run(cmd);
    assert!(out.status.success(), "release.sh: {}", describe(&out));
}

fn zip_tools() -> Vec<&'static str> {
    // python3's zipfile is the fallback of a fresh machine; `zip` only when installed.
    let mut tools = vec!["python"];
    if on_path("zip") {
        tools.push("zip");
    }
    tools
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

/// Each line of SHA256SUMS (`HEX  NAME`) matches the file's SHA-256, computed here.
fn verify_sums(dist: &Path, sums_text: &str) -> usize {
    let mut checked = 0;
    for line in sums_text.lines().filter(|l| !l.trim().is_empty()) {
        let (hex, name) = line.split_once("  ").expect("`HEX  NAME` lines");
        let bytes = std::fs::read(dist.join(name)).unwrap();
        let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
        let actual: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, actual, "SHA256SUMS entry of {name}");
        checked += 1;
    }
    checked
}

#[test]
fn release_package_installs_from_a_plugin_dir() {
    for tool in zip_tools() {
        let tmp = tempfile::tempdir().unwrap();
        let dist = tmp.path().join("dist");
        package(&dist, tool);

        let zip = format!("{NAME}_{VERSION}_{}.zip", platform());
        let manifest = format!("{NAME}_{VERSION}_manifest.json");
        let sums = format!("{NAME}_{VERSION}_SHA256SUMS");
        for file in [&zip, &manifest, &sums] {
            assert!(dist.join(file).is_file(), "{tool}: dist/{file} missing");
        }
        let manifest_json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dist.join(&manifest)).unwrap()).unwrap();
        assert_eq!(
            manifest_json,
            serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
        );
        let sums_text = std::fs::read_to_string(dist.join(&sums)).unwrap();
        assert!(
            sums_text.contains(&zip) && sums_text.contains(&manifest),
            "{sums_text}"
        );
        assert_eq!(verify_sums(&dist, &sums_text), 2, "{sums_text}");

        // The packed layout: <dir>/<hostname>/<namespace>/<type>/<zip as published>.
        let plugins = tmp.path().join("plugins");
        let packed = plugins.join("registry.terraform.io/contactpro/contactpro");
        std::fs::create_dir_all(&packed).unwrap();
        std::fs::copy(dist.join(&zip), packed.join(&zip)).unwrap();
        let empty_cli_config = tmp.path().join("empty.tfrc");
        std::fs::write(&empty_cli_config, "").unwrap();

        for terraform in Terraform::all() {
            let work = tempfile::tempdir().unwrap();
            std::fs::write(
                work.path().join("main.tf"),
                format!("terraform {{\n  required_providers {{\n    contactpro = {{\n      source  = \"contactpro/contactpro\"\n      version = \"{VERSION}\"\n    }}\n  }}\n}}\n"),
            )
            .unwrap();
            let tf = |args: &[&str]| {
                let mut cmd = Command::new(&terraform.path);
                cmd.args(args)
                    .current_dir(work.path())
                    .env("TF_CLI_CONFIG_FILE", &empty_cli_config)
                    .env("CHECKPOINT_DISABLE", "1")
                    .env_remove("TF_PLUGIN_CACHE_DIR");
                run(cmd)
            };
            let plugin_dir = format!("-plugin-dir={}", plugins.display());
            let init = tf(&["init", "-no-color", "-input=false", &plugin_dir]);
            assert!(
                init.status.success(),
                "{tool}, {}: init -plugin-dir: {}",
                terraform.version,
                describe(&init)
            );
            assert!(
                String::from_utf8_lossy(&init.stdout)
                    .contains(&format!("Installed contactpro/contactpro v{VERSION}")),
                "{}",
                describe(&init)
            );
            // Starting the installed provider proves the zip kept the executable bit.
            let schema = tf(&["providers", "schema", "-json"]);
            assert!(
                schema.status.success()
                    && String::from_utf8_lossy(&schema.stdout).contains(PROVIDER_ADDRESS),
                "{tool}, {}: providers schema: {}",
                terraform.version,
                describe(&schema)
            );
        }
    }
}
