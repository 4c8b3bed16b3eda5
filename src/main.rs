//! terraform-provider-contactpro: process set-up, then serve the plugin protocol.

use contactpro::plugin_process;
use contactpro::provider::ContactProProvider;

fn main() -> anyhow::Result<()> {
    // Terraform starts the binary without arguments; `probe` is for people (docs/guides/real-tenant.md).
    if std::env::args_os().nth(1).is_some_and(|arg| arg == "probe") {
        std::process::exit(contactpro::probe::main(std::env::args_os().skip(1)));
    }
    plugin_process::disable_diagnostic_backtraces();
    plugin_process::ignore_sigint();
    plugin_process::init_logging();
    // Benchmark-only knob (docs/performance.md): measure the crate's ~40 ms RPC stall without
    // the relay. Not for users.
    if std::env::var_os("CONTACTPRO_DISABLE_NODELAY_RELAY").is_none() {
        if let Err(e) = plugin_process::relay_handshake_with_nodelay() {
            tracing::warn!("serving without the TCP_NODELAY relay: {e}");
        }
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(tf_provider::serve(
            "contactpro",
            ContactProProvider::default(),
        ))
}
