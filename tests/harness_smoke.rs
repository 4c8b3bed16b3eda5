//! The harness against the real binaries: proves the gRPC client, the Terraform
//! install and the emulator launcher work end to end.
mod support;

use support::bins::{emulator_binary, provider_binary};
use support::diag::assert_no_errors;
use support::emulator::EmulatorProcess;
use support::{ProviderProcess, Terraform};

#[test]
fn provider_answers_get_provider_schema() {
    let provider = ProviderProcess::start(&provider_binary());
    let schema = provider.schema();
    let diags = support::diag::convert(&schema.diagnostics);
    assert_no_errors("GetProviderSchema", &diags);
    assert!(
        schema
            .provider
            .as_ref()
            .and_then(|s| s.block.as_ref())
            .is_some(),
        "provider schema has no block"
    );
    assert!(
        !schema.resource_schemas.is_empty(),
        "provider declares no resources"
    );
}

#[test]
fn terraform_1_0_3_is_installed() {
    let tf = Terraform::v1_0_3();
    assert_eq!(tf.version, "1.0.3");
    let mut cmd = std::process::Command::new(&tf.path);
    cmd.arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null");
    let out =
        support::process::output_within(&mut cmd, "terraform version", support::process::QUICK);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("v1.0.3"),
        "unexpected `terraform version`: {text}"
    );
}

#[test]
fn emulator_binary_listens_on_a_free_port() {
    assert!(emulator_binary().is_file());
    let emu = EmulatorProcess::start();
    let addr: std::net::SocketAddr = emu.addr().parse().expect("HOST:PORT");
    assert_ne!(addr.port(), 0);
    std::net::TcpStream::connect(addr).expect("emulator accepts connections");
}
