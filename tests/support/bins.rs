//! Paths of the binaries Cargo built for this test run.
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-contactpro"))
}

/// The emulator is another workspace member, so Cargo gives this package no `CARGO_BIN_EXE_` for
/// it (the provider may not depend on it except as a library dev-dependency). It lives in the same
/// profile directory as this test binary (`target/<profile>/deps/..`); `make test` builds it with
/// `--workspace`, and a lone `cargo test -p terraform-provider-contactpro` builds it here once.
pub fn emulator_binary() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let exe = std::env::current_exe().expect("path of the test binary");
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("the test binary lives in target/<profile>/deps");
        let binary = profile_dir.join(format!(
            "contactpro-emulator{}",
            std::env::consts::EXE_SUFFIX
        ));
        if !binary.is_file() {
            build_emulator(profile_dir);
        }
        assert!(binary.is_file(), "{} was not built", binary.display());
        binary
    })
    .clone()
}

fn build_emulator(profile_dir: &std::path::Path) {
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev",
        Some(other) => other,
        None => "dev",
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "build",
        "--quiet",
        "-p",
        "contactpro-emulator",
        "--bin",
        "contactpro-emulator",
    ])
    .args(["--profile", profile])
    .current_dir(env!("CARGO_MANIFEST_DIR"));
    // A cold build on a busy 2-core machine takes minutes; still not forever.
    let what = "cargo build -p contactpro-emulator";
    let out = super::process::output_within(&mut cmd, what, Duration::from_secs(1800));
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The provider version Terraform sees (the crate version).
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");
