//! Process set-up for the plugin binary (see docs/development.md, Workarounds).

use std::sync::Mutex;

/// tf-provider's diagnostics capture a backtrace each; under RUST_BACKTRACE=1 users would see ~30
/// lines of it under every error.
pub fn disable_diagnostic_backtraces() {
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
}

/// A terminal Ctrl-C reaches the whole process group. Go providers ignore SIGINT and let Terraform
/// stop them through StopProvider, so in-flight creates land; we do the same.
pub fn ignore_sigint() {
    // SAFETY: installing SIG_IGN for SIGINT has no preconditions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

/// Logs go to stderr (Terraform shows them with TF_LOG) at the TF_LOG level, or, with
/// PLUGIN_LOG_FILE, everything at trace level into that file (truncated at start).
pub fn init_logging() {
    if let Some(path) = std::env::var_os("PLUGIN_LOG_FILE") {
        if let Ok(file) = std::fs::File::create(&path) {
            let _ = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(Mutex::new(file))
                .try_init();
            return;
        }
    }
    let level = ["TF_LOG_PROVIDER_CONTACTPRO", "TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .map(|level| level.to_ascii_lowercase())
        .filter(|level| ["trace", "debug", "info", "warn", "error"].contains(&level.as_str()))
        .unwrap_or_else(|| "warn".into());
    let filter = tracing_subscriber::EnvFilter::new(format!("contactpro={level},warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
