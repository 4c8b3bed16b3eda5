//! terraform-provider-contactpro: the Terraform side of the provider.
//!
//! Arrows: `resources` and `data_sources` call the RCI client (`contactpro_rci`) and validate with the
//! tenant's rules (`contactpro_rules`). This crate never depends on `contactpro_emulator` except as a
//! dev-dependency, so building the provider compiles neither axum nor SQLite.

pub mod data_sources;
pub mod ephemeral;
pub mod plugin_process;
pub mod plugin_server;
pub mod probe;
pub mod provider;
pub mod resources;
pub mod tf;
