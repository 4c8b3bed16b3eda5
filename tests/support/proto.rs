//! The plugin protocol as generated from our `proto/` (see build.rs), the same code the provider
//! serves with: tfplugin6 at the top level, go-plugin's services and gRPC health beside it.
pub use contactpro::plugin_server::proto::tfplugin6::*;
pub use contactpro::plugin_server::proto::{health, plugin};
