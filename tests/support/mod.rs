//! Shared test support: include with `mod support;` from a test file.
//!
//! - `grpc`: start the provider binary and speak the plugin protocol to it, like Terraform core.
//! - `terraform`: run a real Terraform CLI in a temp dir against the built provider.
//! - `emulator`: start the Contact Pro emulator (in-process or as a child process).
//! - `values`, `schema`, `diag`: the small conversions the above share.
// Each test file uses only part of this module.
#![allow(dead_code, unused_imports)]

pub mod bins;
pub mod diag;
pub mod emulator;
pub mod grpc;
pub mod proto;
pub mod schema;
pub mod terraform;
pub mod values;

pub use diag::{Diag, Severity};
pub use grpc::ProviderProcess;
pub use terraform::{Terraform, TfWorkdir};
pub use values::UNKNOWN;
