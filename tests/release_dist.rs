//! What `make release` wrote to dist/, for the five platforms: each zip holds the right executable
//! (ELF, Mach-O, PE header and CPU), the SHA256SUMS match and their signatures verify, and
//! `terraform init` (every Terraform we test) installs the provider from the mirror tree served over
//! HTTPS; `terraform providers lock` then records the mirror's h1: of every platform.
//! Ignored in `make test` (it needs the cross builds); `make release-test` runs it.
//! Environment: DIST_DIR (default <repo>/dist), RELEASE_PLATFORMS and MIRROR_HOSTNAME as for
//! scripts/release.sh.

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
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use https_files::HttpsFiles;
use release::{ALL_PLATFORMS, EMULATOR, PROVIDER};
use support::bins::PROVIDER_VERSION as VERSION;
use support::terraform::repo_root;
use support::Terraform;
use tls::TestPki;

fn dist_dir() -> PathBuf {
    std::env::var_os("DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"))
}

fn platforms() -> Vec<String> {
    let mut platforms: Vec<String> = match std::env::var("RELEASE_PLATFORMS") {
        Ok(list) if !list.trim().is_empty() => list.split_whitespace().map(String::from).collect(),
        _ => ALL_PLATFORMS.iter().map(|p| p.to_string()).collect(),
    };
    platforms.sort();
    platforms
}

fn exe(platform: &str) -> &'static str {
    if platform.starts_with("windows_") {
        ".exe"
    } else {
        ""
    }
}

#[test]
#[ignore = "needs `make release`; run by `make release-test`"]
fn every_platform_is_packaged_signed_and_installs_from_the_mirror() {
    let dist = dist_dir();
    let platforms = platforms();
    let platform_refs: Vec<&str> = platforms.iter().map(String::as_str).collect();
    let mut provider_files = vec![format!("{PROVIDER}_{VERSION}_manifest.json")];
    let mut emulator_files = Vec::new();
    for platform in &platforms {
        let zip = format!("{PROVIDER}_{VERSION}_{platform}.zip");
        let entry = format!("{PROVIDER}_v{VERSION}{}", exe(platform));
        release::check_zip(&dist.join(&zip), &entry, platform);
        provider_files.push(zip);
        let zip = format!("{EMULATOR}_{VERSION}_{platform}.zip");
        release::check_zip(
            &dist.join(&zip),
            &format!("{EMULATOR}{}", exe(platform)),
            platform,
        );
        emulator_files.push(zip);
    }
    release::check_sums(&dist, &format!("{PROVIDER}_{VERSION}"), &provider_files);
    release::check_sums(&dist, &format!("{EMULATOR}_{VERSION}"), &emulator_files);
    let key = ["signing-key.asc", "THROWAWAY-KEY-NOT-FOR-PUBLISHING.asc"]
        .iter()
        .map(|name| dist.join(name))
        .find(|path| path.is_file())
        .expect("dist/ has no public key");
    for prefix in [PROVIDER, EMULATOR] {
        release::check_signature(&dist.join(format!("{prefix}_{VERSION}_SHA256SUMS")), &key);
    }

    let hostname =
        std::env::var("MIRROR_HOSTNAME").unwrap_or_else(|_| "registry.terraform.io".into());
    let hashes = release::check_mirror(&dist, &hostname, VERSION, &platform_refs);
    let h1: BTreeSet<String> = hashes
        .values()
        .flatten()
        .filter(|h| h.starts_with("h1:"))
        .cloned()
        .collect();
    assert_eq!(
        h1.len(),
        platforms.len(),
        "one h1: per platform: {hashes:?}"
    );
    let pki = TestPki::generate();
    let mirror = HttpsFiles::start(&dist.join("mirror"), &pki);
    let source = format!("{hostname}/contactpro/contactpro");
    for terraform in Terraform::all() {
        let lock = release::init_from_network_mirror(
            &terraform,
            &mirror,
            &pki,
            &source,
            VERSION,
            &platform_refs,
        );
        let locked: BTreeSet<String> = release::lock_hashes(&lock).into_iter().collect();
        assert_eq!(locked, h1, "v{}: lock file\n{lock}", terraform.version);
    }
    let served = mirror.requests();
    for platform in &platforms {
        let zip = format!("{source}/{PROVIDER}_{VERSION}_{platform}.zip");
        assert!(
            served.contains(&zip),
            "the mirror never served {zip}: {served:?}"
        );
    }

    if platforms.iter().any(|p| p == "linux_amd64") {
        emulator_starts(&dist.join(format!("{EMULATOR}_{VERSION}_linux_amd64.zip")));
    }
}

/// The packaged linux_amd64 emulator starts and says where it listens.
fn emulator_starts(zip_path: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    zip.extract(tmp.path()).unwrap();
    let mut child = Command::new(tmp.path().join(EMULATOR))
        .args(["--listen", "127.0.0.1:0", "--data", ":memory:"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the packaged emulator");
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let line = receive.recv_timeout(Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("the packaged emulator printed nothing within 60 s");
    assert!(
        line.starts_with("listening on http://127.0.0.1:"),
        "{line:?}"
    );
}
