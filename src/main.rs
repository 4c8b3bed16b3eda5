//! terraform-provider-contactpro: process set-up, then serve the plugin protocol.

use std::sync::Arc;

use contactpro::plugin_process;
use contactpro::plugin_server::{self, Hooks};
use contactpro::provider::ContactProProvider;

fn main() -> anyhow::Result<()> {
    // Terraform starts the binary without arguments; `probe` is for people (docs/guides/real-tenant.md).
    if std::env::args_os().nth(1).is_some_and(|arg| arg == "probe") {
        std::process::exit(contactpro::probe::main(std::env::args_os().skip(1)));
    }
    plugin_process::disable_diagnostic_backtraces();
    plugin_process::ignore_sigint();
    plugin_process::init_logging();
    let provider = ContactProProvider::default();
    let hooks = Hooks {
        // StopProvider: requests in flight finish and are answered; nothing new is retried.
        on_stop: Arc::new(contactpro_rci::stop_retries),
        write_only: contactpro::resources::write_only_attributes(),
        client_capabilities: provider.client_capabilities(),
        ephemeral_resources: contactpro::ephemeral::all(),
    };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(plugin_server::serve(
            "contactpro",
            Box::new(provider),
            hooks,
        ))
}
