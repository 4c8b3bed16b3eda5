//! The chat-attachment-upload module's own `terraform test` files, as users run them: the mock
//! one without a tenant, the emulator one against `contactpro-emulator` (which it must leave as
//! it found it). `terraform test` needs Terraform 1.6, `mock_provider` 1.7: the newest on PATH.
//! The module's write-only flavour has its own emulator test, for Terraform 1.11 or newer.
mod support;

use support::emulator::EmulatorProcess;
use support::rci::{workdir_for, Rci};
use support::terraform::describe;
use support::{bins, Terraform, TfWorkdir};

const MODULE: &str = "chat-attachment-upload/modules/chat-attachment-upload";
const WRITE_ONLY_MODULE: &str = "chat-attachment-upload/modules/chat-attachment-upload-write-only";

fn run_test_file(wd: &TfWorkdir, file: &str) -> String {
    wd.init();
    let out = wd.run(&["test", "-no-color", &format!("-filter=tests/{file}")]);
    let text = describe(&out);
    assert!(out.status.success(), "terraform test {file}:\n{text}");
    text
}

#[test]
fn mock_module_test_needs_no_tenant() {
    let Some(terraform) = Terraform::from_path() else {
        eprintln!("skipped: no Terraform >= 1.7 on PATH");
        return;
    };
    let mut wd = TfWorkdir::new(&terraform, &bins::provider_binary());
    // No tenant at all: an address nothing listens on.
    wd.use_example(MODULE)
        .env("CONTACTPRO_URL", "http://127.0.0.1:9/none/RI");
    let text = run_test_file(&wd, "mock.tftest.hcl");
    assert!(text.contains("4 passed, 0 failed"), "{text}");
}

#[test]
fn emulator_module_test_applies_and_cleans_up() {
    let Some(terraform) = Terraform::from_path() else {
        eprintln!("skipped: no Terraform >= 1.7 on PATH");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    wd.use_example(MODULE);
    let text = run_test_file(&wd, "emulator.tftest.hcl");
    assert!(text.contains("2 passed, 0 failed"), "{text}");
    assert!(
        rci.user_by_login("api.module-test").is_none(),
        "user left behind"
    );
    assert!(rci.secret_by_name("module-test-cmi-user").is_none());
    assert!(rci.secret_by_name("module-test-ri-apikey").is_none());
}

#[test]
fn write_only_module_test_applies_and_cleans_up() {
    let Some(terraform) = Terraform::from_path_at_least(1, 11) else {
        eprintln!("skipped: no Terraform >= 1.11 on PATH");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let mut wd = workdir_for(&terraform, &rci);
    wd.use_example(WRITE_ONLY_MODULE);
    let text = run_test_file(&wd, "emulator.tftest.hcl");
    assert!(text.contains("3 passed, 0 failed"), "{text}");
    assert!(
        rci.user_by_login("api.module-wo-test").is_none(),
        "user left behind"
    );
    assert!(rci.secret_by_name("module-wo-test-cmi-user").is_none());
    assert!(rci.secret_by_name("module-wo-test-ri-apikey").is_none());
}
