//! terraform-provider-contactpro and contactpro-emulator.
//!
//! Arrows: `resources` and `data_sources` call `client`; `client` knows nothing of Terraform;
//! `emulator` imports neither; `policy` is shared by plan-time validation and the emulator.

pub mod client;
pub mod data_sources;
pub mod emulator;
pub mod plugin_process;
pub mod policy;
pub mod provider;
pub mod resources;
pub mod tf;
