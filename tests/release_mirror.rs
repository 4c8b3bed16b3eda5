//! scripts/release.sh, host platform only, from the debug build (PROVIDER_BINARY, EMULATOR_BINARY),
//! so it fits `make test`: the zips hold the right executables, the SHA256SUMS match and their
//! GPG signatures verify, and `terraform init` (every Terraform we test) installs the provider
//! from the mirror tree served over HTTPS, and records the mirror's h1: in the lock file.
//! The five cross-built platforms: tests/release_dist.rs (`make release-test`).

#[path = "support/https_files.rs"]
mod https_files;
// Each test file uses part of these.
#[allow(dead_code)]
#[path = "support/release.rs"]
mod release;
mod support;
#[allow(dead_code)]
#[path = "support/tls.rs"]
mod tls;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use https_files::HttpsFiles;
use release::{output_within, EMULATOR, PROVIDER};
use support::bins::{emulator_binary, provider_binary, PROVIDER_VERSION as VERSION};
use support::terraform::{describe, platform, repo_root};
use support::Terraform;
use tls::TestPki;

fn package(dist: &Path, extra_env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new("bash");
    cmd.arg(repo_root().join("scripts/release.sh"))
        .env("PROVIDER_BINARY", provider_binary())
        .env("DIST_DIR", dist)
        .env_remove("GPG_PRIVATE_KEY")
        .env_remove("GPG_KEY_ID")
        .env_remove("MIRROR_HOSTNAME")
        .env_remove("EMULATOR_BINARY");
    for (key, value) in extra_env {
        cmd.env(key, value);
    }
    let out = output_within(&mut cmd, Duration::from_secs(600));
    assert!(out.status.success(), "release.sh: {}", describe(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn host_package_is_signed_and_installs_from_an_https_network_mirror() {
    // release.sh names the host platform the same way (uname), as Terraform does.
    let host = platform();
    let host = host.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let hostname = "terraform.example.test";
    let emulator = emulator_binary().display().to_string();
    let printed = package(
        &dist,
        &[
            ("MIRROR_HOSTNAME", hostname),
            ("EMULATOR_BINARY", &emulator),
        ],
    );

    let zip = format!("{PROVIDER}_{VERSION}_{host}.zip");
    let manifest = format!("{PROVIDER}_{VERSION}_manifest.json");
    release::check_zip(&dist.join(&zip), &format!("{PROVIDER}_v{VERSION}"), host);
    let emulator_zip = format!("{EMULATOR}_{VERSION}_{host}.zip");
    release::check_zip(&dist.join(&emulator_zip), EMULATOR, host);

    let manifest_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join(&manifest)).unwrap()).unwrap();
    assert_eq!(
        manifest_json,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );
    assert_eq!(
        std::fs::read(dist.join("terraform-registry-manifest.json")).unwrap(),
        std::fs::read(dist.join(&manifest)).unwrap()
    );

    release::check_sums(&dist, &format!("{PROVIDER}_{VERSION}"), &[zip, manifest]);
    release::check_sums(&dist, &format!("{EMULATOR}_{VERSION}"), &[emulator_zip]);
    // No key in the environment: a throwaway one, and release.sh says so.
    let key = dist.join("THROWAWAY-KEY-NOT-FOR-PUBLISHING.asc");
    assert!(printed.contains("throwaway key"), "{printed}");
    assert!(!dist.join("signing-key.asc").exists());
    for prefix in [PROVIDER, EMULATOR] {
        release::check_signature(&dist.join(format!("{prefix}_{VERSION}_SHA256SUMS")), &key);
    }

    let hashes = release::check_mirror(&dist, hostname, VERSION, &[host]);
    let expected: BTreeSet<String> = hashes[host].iter().cloned().collect();
    let pki = TestPki::generate();
    let mirror = HttpsFiles::start(&dist.join("mirror"), &pki);
    let source = format!("{hostname}/contactpro/contactpro");
    for terraform in Terraform::all() {
        let lock =
            release::init_from_network_mirror(&terraform, &mirror, &pki, &source, VERSION, &[host]);
        let locked: BTreeSet<String> = release::lock_hashes(&lock).into_iter().collect();
        // From a mirror (no signed SHA256SUMS) Terraform records the h1: it checked the package
        // against, and not the mirror's zh: (1.0.3 and 1.11.4 alike).
        let h1: BTreeSet<String> = expected
            .iter()
            .filter(|h| h.starts_with("h1:"))
            .cloned()
            .collect();
        assert_eq!(locked, h1, "v{}: lock file\n{lock}", terraform.version);
    }
    let zip_path = format!("{source}/{PROVIDER}_{VERSION}_{host}.zip");
    assert!(
        mirror.requests().contains(&zip_path),
        "the mirror never served {zip_path}: {:?}",
        mirror.requests()
    );
}

/// A key from the environment (GPG_PRIVATE_KEY) signs, and its public key is written beside.
#[test]
fn a_key_from_the_environment_signs_the_sums() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("gnupg");
    std::fs::create_dir_all(&home).unwrap();
    let gpg = |args: &[&str]| {
        let out = output_within(
            Command::new("gpg")
                .arg("--batch")
                .args(["--pinentry-mode", "loopback", "--passphrase", "test-pass"])
                .args(args)
                .env("GNUPGHOME", &home),
            Duration::from_secs(120),
        );
        assert!(out.status.success(), "gpg {args:?}: {}", describe(&out));
        out.stdout
    };
    let uid = "contactpro release test <release-test@example.test>";
    gpg(&["--quick-generate-key", uid, "rsa2048", "sign", "1d"]);
    let secret = String::from_utf8(gpg(&["--armor", "--export-secret-keys", uid])).unwrap();
    let public = tmp.path().join("public.asc");
    std::fs::write(&public, gpg(&["--armor", "--export", uid])).unwrap();
    let _ = Command::new("gpgconf")
        .args(["--kill", "gpg-agent"])
        .env("GNUPGHOME", &home)
        .status();

    let dist = tmp.path().join("dist");
    package(
        &dist,
        &[
            ("GPG_PRIVATE_KEY", &secret),
            ("GPG_PASSPHRASE", "test-pass"),
        ],
    );
    assert!(!dist.join("THROWAWAY-KEY-NOT-FOR-PUBLISHING.asc").exists());
    let sums = dist.join(format!("{PROVIDER}_{VERSION}_SHA256SUMS"));
    release::check_signature(&sums, &public);
    release::check_signature(&sums, &dist.join("signing-key.asc"));
}
