//! Shared test support: include with `mod support;` from a test file.
//!
//! - `grpc`: start the provider binary and speak the plugin protocol to it, like Terraform core.
//! - `terraform`: run a real Terraform CLI in a temp dir against the built provider.
//! - `emulator`: start the Contact Pro emulator binary as a child process on a free port.
//! - `rci`: talk to the emulator as an admin outside Terraform (checks, drift).
//! - `process`: runs a subprocess under a deadline; what hangs is killed and named.
//! - `values`, `schema`, `diag`: the small conversions the above share.
//!
//! ```text
//! mod support;
//! use support::{bins, emulator::EmulatorProcess, Terraform, TfWorkdir};
//!
//! #[test]
//! fn user_round_trip() {
//!     let emu = EmulatorProcess::start();
//!     let mut wd = TfWorkdir::new(&Terraform::v1_0_3(), &bins::provider_binary());
//!     wd.env("CONTACTPRO_URL", &format!("{}/demo/RI", emu.base_url()));
//!     wd.write_main_tf(r#"resource "contactpro_user" "a" { ... }"#);
//!     wd.init();
//!     wd.apply();
//!     assert_eq!(wd.plan_detailed_exitcode(), 0);
//! }
//! ```
// Each test file uses only part of this module.
#![allow(dead_code, unused_imports)]

pub mod bins;
pub mod diag;
pub mod emulator;
pub mod grpc;
pub mod process;
pub mod proto;
pub mod schema;
pub mod terraform;
pub mod values;

pub use diag::{Diag, Severity};
pub use grpc::ProviderProcess;
pub use terraform::{Terraform, TfWorkdir};
pub use values::UNKNOWN;
pub mod rci;
