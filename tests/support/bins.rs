//! Paths of the binaries Cargo built for this test run.
use std::path::PathBuf;

pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-contactpro"))
}

pub fn emulator_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_contactpro-emulator"))
}

/// The provider version Terraform sees (the crate version).
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");
